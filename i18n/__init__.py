"""Translation plumbing: load ``wpzf_<locale>.qm`` and render domain messages.

QGIS reports its language in several spellings: its Options dialog stores
``zh-Hans`` (what :meth:`QgsApplication.locale` returns when the user overrides
the system language), without override it returns the system's two letters
(``zh``), and profiles edited by hand say ``zh_CN``. Every Chinese spelling maps
to the one shipped catalogue, ``wpzf_zh_CN.qm``; Traditional Chinese falls back
to it with a note in the message log.

Qt's own button texts (Save/Cancel/Yes/No) come from Qt's translations, which
QGIS loads as ``qt_<its locale>`` — for ``zh-Hans`` no such file exists, and
Debian does not install Qt's translations at all (qttranslations5-l10n). So the
plugin installs ``qtbase_zh_CN.qm`` from Qt's translation directory when QGIS
left Qt untranslated, and its own catalogue carries the standard button texts
(:mod:`.qt_buttons`) for systems without Qt's file.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..domain.messages import CONTEXT, Message

I18N_DIR = Path(__file__).resolve().parent
SIMPLIFIED_CHINESE = "zh_CN"  # the only Chinese catalogue shipped
TRADITIONAL_MARKERS = ("hant", "tw", "hk", "mo")
_translators: list[QTranslator] = []


def qgis_locale() -> str:
    """The locale QGIS runs in: ``locale/userLocale`` when ``locale/overrideFlag`` is set
    (QgsApplication.locale() reads both), else the system language."""
    return QgsApplication.locale() or QLocale.system().name() or "en"


def catalogue_names(locale: str) -> tuple[list[str], bool]:
    """Catalogue names to try for a QGIS locale, best first, and whether it is a fallback from Traditional Chinese.

    ``zh-Hans``, ``zh_CN``, ``zh``, ``zh-Hans-CN`` → ``zh_CN``; ``zh-Hant``,
    ``zh_TW``, ``zh_HK`` → ``zh_CN`` with a note that only Simplified exists.
    """
    normalized = locale.strip().replace("-", "_")
    parts = [p.lower() for p in normalized.split("_") if p]
    if not parts:
        return [], False
    if parts[0] == "zh":
        if any(p in TRADITIONAL_MARKERS for p in parts[1:]):
            return [SIMPLIFIED_CHINESE], True
        return [SIMPLIFIED_CHINESE], False
    return list(dict.fromkeys([normalized, parts[0]])), False


def traditional_note(locale: str) -> str:
    """The log note for a Traditional Chinese QGIS (translated once the catalogue is installed)."""
    return QCoreApplication.translate(
        "i18n", "WPZF has no Traditional Chinese translation; showing Simplified Chinese for {locale}.").format(
        locale=locale)


def _install(path: str, directory: str | None = None) -> bool:
    translator = QTranslator()
    ok = translator.load(path, directory) if directory else translator.load(path)
    if ok:
        QCoreApplication.installTranslator(translator)
        _translators.append(translator)
    return ok


def qt_untranslated() -> bool:
    """True when Qt's standard buttons are still English (QGIS loaded no Qt catalogue)."""
    return QCoreApplication.translate("QPlatformTheme", "Save") == "Save"


def install_translator(locale: str | None = None) -> bool:
    """Install the plugin's translator for ``locale`` (QGIS's own by default); True if loaded.

    For a translated locale Qt's own catalogue is installed too when QGIS did not
    load one, so QDialogButtonBox buttons follow QGIS's language.
    """
    remove_translator()
    requested = locale or qgis_locale()
    names, traditional = catalogue_names(requested)
    for name in names:
        qm = I18N_DIR / f"wpzf_{name}.qm"
        if not qm.is_file():
            continue
        if qt_untranslated():
            qt_dir = QLibraryInfo.location(QLibraryInfo.TranslationsPath)
            for qt_catalogue in (f"qtbase_{name}", f"qt_{name}"):
                if _install(qt_catalogue, qt_dir):
                    break
        if _install(str(qm)):  # installed last: looked up first
            if traditional:
                QgsMessageLog.logMessage(traditional_note(requested), "WPZF", Qgis.Info)
            return True
    remove_translator()
    return False


def installed_catalogues() -> list[str]:
    """File paths of the catalogues the plugin installed (for tests and diagnostics)."""
    return [t.filePath() for t in _translators if hasattr(t, "filePath")]


def remove_translator() -> None:
    """Uninstall the plugin's translators, Qt's included (plugin unload)."""
    while _translators:
        QCoreApplication.removeTranslator(_translators.pop())


def render(message: Message) -> str:
    """A domain message in the user's language."""
    return message.render(lambda template: QCoreApplication.translate(CONTEXT, template))


def error_text(exc: BaseException) -> str:
    """User-facing text of an exception: translated for domain errors."""
    message = getattr(exc, "message", None)
    return render(message) if isinstance(message, Message) else str(exc)
