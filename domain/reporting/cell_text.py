"""Text cells that a spreadsheet cannot turn into a formula or choke on — one rule for every export.

Why a module of its own: the Excel report and every CSV the product writes
(reports, demo outputs, Processing outputs saved as .csv) must treat a remark
such as ``=HYPERLINK(...)`` or ``@SUM(...)`` as text. In a workbook the cell is
typed as text with a quote prefix (domain/reporting/excel_cells.py); a CSV has
no types, so the text gets a leading apostrophe, the convention Excel and
LibreOffice show as "text". Negative numbers written as text (``-12.5``) stay
as they are. Control characters that XML 1.0 forbids (openpyxl raises
IllegalCharacterError for them) are replaced, so a patch whose 判定依据 holds a
stray ``\\x01`` or a Word line break ``\\x0b`` still exports.
"""
from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@")
"""Characters a spreadsheet reads as the start of a formula."""
CSV_FORMULA_START = FORMULA_START + ("\t", "\r")
"""…plus tab and carriage return, which some importers strip before looking (OWASP CSV injection)."""
_NUMBER = re.compile(r"^-\d+(?:\.\d+)?(?:[eE][-+]?\d+)?%?$")
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")  # vertical tab / form feed: Word's manual line and page breaks
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f]")
REPLACEMENT = "\ufffd"
"""Shown instead of a control character, so the reader sees something was there."""


def formula_like(text: str, starts: tuple[str, ...] = FORMULA_START) -> bool:
    """True when ``text`` would be read as a formula (a plain negative number is not)."""
    return text.startswith(starts) and not _NUMBER.match(text)


def clean_control(text: str) -> str:
    """``text`` without the control characters XML (and so .xlsx) cannot hold; tab, CR, LF are kept."""
    if not _ILLEGAL.search(text) and not _LINE_BREAKS.search(text):
        return text
    return _ILLEGAL.sub(REPLACEMENT, _LINE_BREAKS.sub("\n", text))


def csv_text(value: Any) -> Any:
    """A value as a CSV cell: formula-like text gets a leading apostrophe; other values unchanged."""
    if isinstance(value, str) and formula_like(value, CSV_FORMULA_START):
        return "'" + value
    return value
