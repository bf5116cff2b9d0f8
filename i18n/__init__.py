"""Translation plumbing: load ``wpzf_<locale>.qm`` and render domain messages."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..domain.messages import CONTEXT, Message

I18N_DIR = Path(__file__).resolve().parent
_translator: QTranslator | None = None


def qgis_locale() -> str:
    """The locale QGIS runs in (its user override included)."""
    return QgsApplication.locale() or QLocale.system().name() or "en"


def install_translator(locale: str | None = None) -> bool:
    """Install the plugin's translator for ``locale`` (QGIS's own by default); True if loaded."""
    global _translator
    remove_translator()
    locale = locale or qgis_locale()
    for name in (locale, locale.split("_")[0]):
        qm = I18N_DIR / f"wpzf_{name}.qm"
        if qm.is_file():
            translator = QTranslator()
            if translator.load(str(qm)):
                QCoreApplication.installTranslator(translator)
                _translator = translator
                return True
    return False


def remove_translator() -> None:
    """Uninstall the plugin's translator (plugin unload)."""
    global _translator
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None


def render(message: Message) -> str:
    """A domain message in the user's language."""
    return message.render(lambda template: QCoreApplication.translate(CONTEXT, template))


def error_text(exc: BaseException) -> str:
    """User-facing text of an exception: translated for domain errors."""
    message = getattr(exc, "message", None)
    return render(message) if isinstance(message, Message) else str(exc)
