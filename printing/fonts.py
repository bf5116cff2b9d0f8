"""Fonts that render Chinese on every platform the plugin runs on, and stay searchable in PDFs.

Qt writes Noto Sans CJK's digits inside Latin runs ("J1", "EPSG:4523",
"2409.33 m²") without a Unicode mapping, so they vanish from the PDF's text
layer although they print. A Latin family goes first and the CJK family
second (QFont.setFamilies, Qt ≥ 5.13): Latin and digits come from the first,
Chinese from the second, and pdftotext reads both.
"""
from __future__ import annotations

from qgis.core import QgsTextBufferSettings, QgsTextFormat
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase

#: First installed family wins: Debian's fonts-noto-cjk, then Windows' and macOS' own.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "SimSun",
                "PingFang SC", "WenQuanYi Micro Hei", "Droid Sans Fallback")

LATIN_FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica")

_family: str | None = None
_latin: str | None = None


def cjk_family() -> str:
    """The installed Chinese font family used on the maps ('' lets Qt fall back)."""
    global _family
    if _family is None:
        installed = set(QFontDatabase().families())
        _family = next((f for f in CJK_FAMILIES if f in installed), "")
    return _family


def latin_family() -> str:
    """The installed Latin family set before the CJK one ('' if none of ours)."""
    global _latin
    if _latin is None:
        installed = set(QFontDatabase().families())
        _latin = next((f for f in LATIN_FAMILIES if f in installed), "")
    return _latin


def cjk_font(size_pt: float, bold: bool = False) -> QFont:
    """Latin family first, CJK family second; the CJK family alone where Qt has no setFamilies."""
    families = [f for f in (latin_family(), cjk_family()) if f]
    font = QFont(families[0] if families else "")
    if len(families) > 1 and hasattr(font, "setFamilies"):
        font.setFamilies(families)
    elif cjk_family():
        font.setFamily(cjk_family())
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    return font


def text_format(size_pt: float, bold: bool = False, color: QColor | None = None,
                buffer: bool = False) -> QgsTextFormat:
    """A QgsTextFormat in the CJK font, optionally with a white halo for map labels."""
    fmt = QgsTextFormat()
    fmt.setFont(cjk_font(size_pt, bold))
    fmt.setSize(size_pt)
    fmt.setColor(color or QColor(0, 0, 0))
    if buffer:
        halo = QgsTextBufferSettings()
        halo.setEnabled(True)
        halo.setSize(0.8)
        halo.setColor(QColor(255, 255, 255))
        fmt.setBuffer(halo)
    return fmt
