"""The annual summary draft as .docx (python-docx), editable in WPS and Word.

Placeholders are highlighted yellow so nobody hands in a draft with a gap;
tables use Word's "Table Grid" style; the file is written through a
temporary name so a failure leaves no half document.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..output_files import replaced_whole
from .annual import Block

FONT = "宋体"
HEADING_FONT = "黑体"


def _east_asian(run, name: str) -> None:
    """Word picks Chinese glyphs from w:eastAsia, not from the run's font name."""
    from docx.oxml.ns import qn

    run.font.name = name
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _text(document, block: Block) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.shared import Pt

    if block.kind == "title":
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(block.text)
        run.bold, run.font.size = True, Pt(18)
        _east_asian(run, HEADING_FONT)
    elif block.kind == "heading":
        heading = document.add_heading(level=1)
        run = heading.add_run(block.text)
        _east_asian(run, HEADING_FONT)
    else:
        paragraph = document.add_paragraph()
        if block.kind == "caption":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(block.text)
        run.font.size = Pt(10.5 if block.kind == "caption" else 12)
        _east_asian(run, FONT)
        if block.kind == "placeholder":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _table(document, rows: Sequence[Sequence[str]]) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = ""
            run = cell.paragraphs[0].add_run(value)
            run.font.size, run.bold = Pt(9), i == 0
            _east_asian(run, FONT)


def write_docx(path: Path, blocks: Sequence[Block]) -> Path:
    """Write ``blocks`` to ``path`` (.docx), A4 portrait."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for block in blocks:
        if block.kind == "table":
            _table(document, block.rows)
        elif block.kind == "image" and block.path is not None:
            document.add_picture(str(block.path), width=Mm(160))
        else:
            _text(document, block)
    path = Path(path)
    with replaced_whole(path) as partial:
        document.save(str(partial))
    return path
