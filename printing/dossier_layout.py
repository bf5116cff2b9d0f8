"""A patch's 卷宗 as QGIS print layouts, exported into one searchable PDF.

The pages are decided in ``domain/casefile/dossier.py`` (their order, tables,
photos and numbers); here they are laid out. The dossier is three layouts
printed into one file by QgsLayoutExporter's iterator export, which asks the
iterator for its layout at every step: the front (封面, 卷内目录, 合法性判定表),
the patch map the plugin already prints (``patch_layout.build_patch_layout``,
unchanged but for the page number), and the back (审批, 外业照片, 移交, 案件,
整改, 备考表). Text stays text (``export.pdf_settings``), so the PDF is
searchable: JCBH, document numbers and every SHA-256.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from qgis.core import (
    QgsAbstractLayoutIterator,
    QgsLayoutExporter,
    QgsLayoutItem,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFont

from ..domain.casefile.dossier import (
    BODY_TOP,
    BODY_WIDTH,
    CAPTION_MM,
    COVER,
    GAP_MM,
    LEFT,
    MAP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PHOTOS_PER_PAGE,
    TOP,
    DossierPlan,
    Page,
    PhotoSlot,
    Table,
)
from ..domain.casefile.text_fit import CELL_MARGIN, FONT_PT
from . import patch_layout
from .export import PrintFailed, pdf_settings
from .fonts import cjk_font, text_format
from .page_frame import GRID
from .patch_layout import place

PHOTO_CAPTION_MM = 24.0
FOOTER_Y = PAGE_HEIGHT - 12.0


def plain_font(size: float, bold: bool = False) -> QFont:
    """The plugin's CJK font without shaping: Qt would print "ff" in a SHA-256 as one ligature glyph (U+FB00),
    which a PDF viewer's search for the hash would not find."""
    font = cjk_font(size, bold)
    font.setStyleStrategy(QFont.PreferNoShaping)
    return font


def plain_format(size: float, bold: bool = False) -> QgsTextFormat:
    fmt = text_format(size, bold)
    fmt.setFont(plain_font(size, bold))
    return fmt


def add_label(layout, content: str, rect, size: float, bold: bool = False, align=Qt.AlignLeft, page: int = 0):
    """A top-aligned text label in the unshaped CJK font (no ligature in a SHA-256)."""
    return patch_layout.add_label(layout, content, rect, size, bold, align, page, valign=Qt.AlignTop,
                                  fmt=plain_format, font=plain_font)


def add_table(layout, table: Table, rect, page: int) -> None:
    """``table`` as a manual table in one frame at ``rect``: header shaded and bold, a form's first column bold.

    The dossier's widths and heights include the cell margins; QGIS's exclude them.
    """
    rows = ([table.header] if table.header else []) + [list(r) for r in table.rows]
    patch_layout.add_table(layout, rows, rect, [w - 2 * CELL_MARGIN - GRID for w in table.widths], FONT_PT,
                           bool(table.header), [h - 2 * CELL_MARGIN - GRID for h in table.heights], page,
                           bold_first_column=table.key_value, fmt=plain_format, margin=CELL_MARGIN)


def new_dossier_layout(project: QgsProject | None, name: str) -> QgsPrintLayout:
    """An empty layout (no page): pages are added as the plan says."""
    layout = QgsPrintLayout(project or QgsProject.instance())
    layout.initializeDefaults()
    layout.pageCollection().clear()
    layout.setName(name)
    return layout


def _add_page(layout: QgsPrintLayout) -> int:
    page = QgsLayoutItemPage(layout)
    page.setPageSize(QgsLayoutSize(PAGE_WIDTH, PAGE_HEIGHT, QgsUnitTypes.LayoutMillimeters))
    layout.pageCollection().addPage(page)
    return layout.pageCollection().pageCount() - 1


def add_footer(layout: QgsPrintLayout, index: int, jcbh: str, number: int, total: int) -> None:
    """"监测编号 … 第 n 页 共 N 页" at the foot of page ``index`` (the number the 卷内目录 cites)."""
    add_label(layout, f"监测编号：{jcbh}", (LEFT, FOOTER_Y, BODY_WIDTH / 2, 6.0), 8.0, page=index)
    add_label(layout, f"第 {number} 页  共 {total} 页", (LEFT + BODY_WIDTH / 2, FOOTER_Y, BODY_WIDTH / 2, 6.0), 8.0,
              align=Qt.AlignRight, page=index)


def _table(layout: QgsPrintLayout, table: Table, y: float, index: int) -> float:
    """Lay ``table`` out from ``y`` on page ``index``; the y below it."""
    if table.caption:
        add_label(layout, table.caption, (LEFT, y, BODY_WIDTH, CAPTION_MM - 1.0), 10.0, bold=True, page=index)
        y += CAPTION_MM
    frame_h = sum(table.heights) + 0.5
    add_table(layout, table, (LEFT, y, BODY_WIDTH, frame_h), index)
    return y + frame_h + GAP_MM


def _photo(layout: QgsPrintLayout, slot: PhotoSlot, path: Path | None, y: float, height: float, index: int) -> None:
    """A photo (kept in proportion) with its caption lines below it; a missing file says so in its frame."""
    image_h = height - PHOTO_CAPTION_MM
    if path is not None:
        picture = QgsLayoutItemPicture(layout)
        picture.setPicturePath(str(path), QgsLayoutItemPicture.FormatRaster)
        picture.setResizeMode(QgsLayoutItemPicture.Zoom)
        picture.setPictureAnchor(QgsLayoutItem.Middle)
        picture.setFrameEnabled(True)
        layout.addLayoutItem(picture)
        place(picture, (LEFT, y, BODY_WIDTH, image_h), index)
    else:
        add_label(layout, "（照片文件缺失）", (LEFT, y, BODY_WIDTH, image_h), 12.0, align=Qt.AlignHCenter, page=index)
    add_label(layout, "\n".join(slot.lines), (LEFT, y + image_h + 1.0, BODY_WIDTH, PHOTO_CAPTION_MM - 2.0), 8.0,
              page=index)


def _cover(layout: QgsPrintLayout, page: Page, index: int) -> None:
    add_label(layout, page.title, (LEFT, TOP + 40.0, BODY_WIDTH, 16.0), 24.0, bold=True, align=Qt.AlignHCenter,
              page=index)
    y = TOP + 80.0
    for table in page.tables:
        y = _table(layout, table, y, index)


def build_pages(layout: QgsPrintLayout, pages: Sequence[Page], plan: DossierPlan,
                photo_path: Callable[[int], Path | None]) -> int:
    """Append ``pages`` to ``layout`` (each with its title, tables or photos, and footer); the pages added."""
    total = plan.page_count
    for page in pages:
        index = _add_page(layout)
        if page.section == COVER:
            _cover(layout, page, index)
        else:
            add_label(layout, page.title, (LEFT, TOP, BODY_WIDTH, 10.0), 16.0, bold=True, align=Qt.AlignHCenter,
                      page=index)
            y = BODY_TOP
            for table in page.tables:
                y = _table(layout, table, y, index)
            slot_h = (FOOTER_Y - 2.0 - BODY_TOP) / PHOTOS_PER_PAGE
            for i, slot in enumerate(page.photos):
                _photo(layout, slot, photo_path(slot.evidence.id), BODY_TOP + i * slot_h, slot_h - 2.0, index)
        add_footer(layout, index, plan.content.jcbh, page.number, total)
    return len(pages)


def split_at_map(plan: DossierPlan) -> tuple[list[Page], list[Page]]:
    """The pages printed before the map pages and after them."""
    pages = plan.pages
    first = next(i for i, p in enumerate(pages) if p.section == MAP)
    last = max(i for i, p in enumerate(pages) if p.section == MAP)
    return pages[:first], pages[last + 1:]


def number_map_pages(layout: QgsPrintLayout, plan: DossierPlan) -> None:
    """Footers on the map layout's pages (built by ``build_patch_layout``) with their dossier page numbers."""
    numbers = [p.number for p in plan.pages if p.section == MAP]
    for index, number in enumerate(numbers[:layout.pageCollection().pageCount()]):
        add_footer(layout, index, plan.content.jcbh, number, plan.page_count)


class LayoutChain(QgsAbstractLayoutIterator):
    """Several layouts printed one after another into one PDF (each once, all its pages)."""

    def __init__(self, layouts: Sequence[QgsPrintLayout]) -> None:
        super().__init__()
        self._layouts = list(layouts)
        self._index = -1

    def layout(self):
        return self._layouts[self._index]

    def beginRender(self) -> bool:  # noqa: N802 - QGIS API
        self._index = -1
        return True

    def endRender(self) -> bool:  # noqa: N802 - QGIS API
        return True

    def count(self) -> int:
        return len(self._layouts)

    def filePath(self, base: str, extension: str) -> str:  # noqa: N802 - QGIS API
        return f"{base}.{extension}"

    def next(self) -> bool:  # noqa: A003 - QGIS API
        self._index += 1
        return self._index < len(self._layouts)


def export_chain(layouts: Sequence[QgsPrintLayout], path: Path, dpi: int = 200) -> None:
    """``layouts`` into one PDF at ``path``; :class:`PrintFailed` if QGIS refuses."""
    result, error = QgsLayoutExporter.exportToPdf(LayoutChain(layouts), str(path), pdf_settings(dpi))
    if result != QgsLayoutExporter.Success:
        raise PrintFailed(error or f"error {int(result)}: {path}")
