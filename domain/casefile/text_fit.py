"""How much room a text takes in a printed table cell, and where its lines break. No Qt.

Why: QGIS wraps table text only at spaces, and Chinese has none, so an
opinion or a 备注 would run out of its cell; and the dossier's 卷内目录 must know
each document's page count before anything is printed. Lines are therefore
broken here and row heights estimated from the fonts' metrics, slightly
generously, so a line wrapped here is never wrapped again by QGIS.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

FONT_PT = 9.0
CELL_MARGIN = 1.0
"""Table text size (pt) and cell margin (mm): the heights below are estimated from them."""
PT_MM = 25.4 / 72.0
LINE_FACTOR = 1.5
"""Line pitch ÷ font size of the CJK fonts (Noto Sans CJK's ascent + descent is ≈ 1.45 em)."""
LATIN_EM = 0.66
"""Advance of a Latin letter or digit ÷ font size (DejaVu Sans digits: 0.636 em); a CJK character is 1 em.
Slightly generous, so a line this module wraps is never wrapped again by QGIS."""


def char_mm(ch: str, pt: float) -> float:
    """Printed width (mm) of one character at ``pt``: a full-width (CJK) character is 1 em."""
    return pt * PT_MM * (1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else LATIN_EM)


CLOSING = "〕）】」』》，。；：、！？)]},.;:!?"
"""Punctuation that never starts a line (it stays on the line it closes, a little over the estimate)."""
_TOKEN = re.compile(r"[\x21-\x7e]+ *| +|.")
"""A run of printable ASCII (a word, a number, a SHA-256) with its trailing spaces, spaces, or one other character."""


def wrap(value: str, width_mm: float, pt: float = FONT_PT) -> str:
    """``value`` broken into lines that fit a cell ``width_mm`` wide.

    QGIS wraps table text only at spaces, and Chinese has none: an opinion or
    a 备注 would run out of its cell. So lines are broken here — between
    Chinese characters, between words, and inside a word longer than a line —
    and the row heights follow from the line count.
    """
    room = max(width_mm - 2 * CELL_MARGIN, 1.0)
    lines: list[str] = []
    for part in str(value).split("\n"):
        line, used = "", 0.0
        for token in _TOKEN.findall(part):
            for piece in _pieces(token, room, pt):
                width = sum(char_mm(c, pt) for c in piece.rstrip())
                if line and used + width > room and piece[0] not in CLOSING:
                    lines.append(line.rstrip())
                    line, used = "", 0.0
                    piece = piece.lstrip()
                line += piece
                used += sum(char_mm(c, pt) for c in piece)
        lines.append(line.rstrip())
    return "\n".join(lines)


def _pieces(token: str, room: float, pt: float) -> list[str]:
    """A token, or a token wider than a whole line cut into line-wide pieces."""
    if sum(char_mm(c, pt) for c in token.rstrip()) <= room:
        return [token]
    pieces, piece, used = [], "", 0.0
    for ch in token:
        width = char_mm(ch, pt)
        if piece and used + width > room:
            pieces.append(piece)
            piece, used = "", 0.0
        piece += ch
        used += width
    return pieces + [piece]


def line_count(value: str, width_mm: float, pt: float = FONT_PT) -> int:
    """Lines ``value`` takes in a cell ``width_mm`` wide (explicit line breaks kept)."""
    room = max(width_mm - 2 * CELL_MARGIN, 1.0)
    return sum(max(1, math.ceil(sum(char_mm(c, pt) for c in part) / room)) for part in str(value).split("\n"))


def row_height(row: Sequence[str], widths: Sequence[float], pt: float = FONT_PT) -> float:
    """Height (mm) of a table row: its tallest cell's lines plus the cell margins."""
    lines = max((line_count(v, w, pt) for v, w in zip(row, widths)), default=1)
    return round(lines * pt * PT_MM * LINE_FACTOR + 2 * CELL_MARGIN, 2)
