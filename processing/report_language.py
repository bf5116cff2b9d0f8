"""Domain messages in the language of what is handed in, whatever QGIS's UI locale.

An office hands its workbook to the city in Chinese even when a technician runs
QGIS in English, so the workbook's explanations are rendered through the
plugin's catalogue for the rule set's language (``i18n/wpzf_zh_CN.qm``), loaded
into a QTranslator of its own that is never installed application-wide: the UI
keeps its language.
"""
from __future__ import annotations

from collections.abc import Callable

from qgis.PyQt.QtCore import QTranslator

from ..domain.messages import CONTEXT, Message
from ..i18n import I18N_DIR

_LOADED: dict[str, QTranslator | None] = {}
"""Loaded catalogues by language (kept alive: a QTranslator must outlive its use)."""


def catalogue(language: str) -> QTranslator | None:
    """The plugin's translator for ``language`` (zh_CN, zh-Hans, zh), None when none is shipped (English)."""
    language = (language or "").replace("-", "_")
    if language not in _LOADED:
        names = [language, language.split("_")[0]]
        if language.split("_")[0] == "zh":
            names.insert(1, "zh_CN")
        _LOADED[language] = None
        for name in names:
            qm = I18N_DIR / f"wpzf_{name}.qm"
            translator = QTranslator()
            if qm.is_file() and translator.load(str(qm)):
                _LOADED[language] = translator
                break
    return _LOADED[language]


def report_render(language: str) -> Callable[[Message], str]:
    """Render messages in ``language``; a template the catalogue lacks stays in English."""
    translator = catalogue(language)
    if translator is None:
        return lambda message: message.render()

    def translate(template: str) -> str:
        # PyQt5 passes ``str`` to QTranslator's const char* arguments as ASCII: non-ASCII
        # templates (− ÷ 亩) need their UTF-8 bytes, which is how lupdate stored them.
        try:
            found = translator.translate(CONTEXT.encode(), template.encode("utf-8"))
        except TypeError:  # bindings that take only str
            found = translator.translate(CONTEXT, template)
        return found or template

    return lambda message: message.render(translate)
