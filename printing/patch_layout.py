"""One patch's case-file map as a QgsPrintLayout: maps, facts, point table, footer.

The layout is built in code (as QgisCadastrePlugin does) because the point
table's length decides the page count: the first page carries the maps and
the start of the table, 续表 pages carry the rest.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsMapLayer,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsTableCell,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QRectF, Qt
from qgis.PyQt.QtGui import QColor

from ..domain.casefile import PatchFacts, coordinate_rows, info_rows, map_extent, paginate, scale_bar_segment
from ..domain.casefile import page as text
from ..domain.casefile.boundary import BoundaryPoint
from ..domain.workspace.patch_fields import ID_ALIAS
from .fonts import cjk_font, text_format
from .page_frame import CELL_MARGIN, GRID, ROW_MM, PageFrame

NORTH_ARROW_SVG = "arrows/NorthArrow_02.svg"


@dataclass
class PatchMap:
    """Everything one patch's pages show."""

    facts: PatchFacts
    points: Sequence[BoundaryPoint]
    centre: tuple[float, float]  # (easting, northing) of the map centre
    denominator: int
    crs: QgsCoordinateReferenceSystem
    after_layers: list[QgsMapLayer]  # top first
    before_layers: list[QgsMapLayer]
    legend_layers: list[QgsMapLayer]
    office: str = ""
    date: str = ""
    crs_note: str = ""
    keep_alive: list = field(default_factory=list)  # layers the maps draw, owned by nobody else


def new_layout(project: QgsProject | None = None, name: str = "图斑核查图") -> QgsPrintLayout:
    layout = QgsPrintLayout(project or QgsProject.instance())
    layout.initializeDefaults()
    layout.setName(name)
    return layout


def place(item, rect, page: int = 0) -> None:
    x, y, w, h = rect
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), True, False, page)


def add_label(layout, content: str, rect, size: float, bold: bool = False, align=Qt.AlignLeft, page: int = 0,
              valign=Qt.AlignVCenter, fmt=text_format, font=cjk_font):
    """A text label; ``fmt``/``font`` make its text format (QGIS ≥ 3.24) or font (3.22) from size and boldness."""
    label = QgsLayoutItemLabel(layout)
    label.setText(content)
    if hasattr(label, "setTextFormat"):  # QGIS ≥ 3.24
        label.setTextFormat(fmt(size, bold))
    else:
        label.setFont(font(size, bold))
    label.setHAlign(align)
    label.setVAlign(valign)
    label.setMarginX(0.5)
    label.setMarginY(0.0)
    layout.addLayoutItem(label)
    place(label, rect, page)
    return label


def add_table(layout, rows: Sequence[Sequence[str]], rect, widths: Sequence[float], size: float,
              header: bool, heights: Sequence[float] | None = None, page: int = 0, bold_first_column: bool = False,
              fmt=text_format, margin: float = CELL_MARGIN):
    """A manual table in one frame; the first row is a bold, shaded header when ``header``.

    ``fmt`` makes the cells' text format from size and boldness, ``margin`` is the cell margin (mm).
    """
    table = QgsLayoutItemManualTable.create(layout)
    contents = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            cell = QgsTableCell(value)
            bold = (header and r == 0) or (bold_first_column and c == 0)
            cell.setTextFormat(fmt(size, bold))
            cell.setHorizontalAlignment(Qt.AlignHCenter if header and r == 0 else Qt.AlignLeft)
            if header and r == 0:
                cell.setBackgroundColor(QColor(235, 235, 235))
            cells.append(cell)
        contents.append(cells)
    table.setTableContents(contents)
    table.setColumnWidths(list(widths))
    if heights is not None:
        table.setRowHeights(list(heights))
    table.setContentTextFormat(fmt(size))
    table.setWrapBehavior(QgsLayoutItemManualTable.WrapText)
    table.setCellMargin(margin)
    table.setGridStrokeWidth(GRID)
    table.setResizeMode(QgsLayoutMultiFrame.UseExistingFrames)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    place(frame, rect, page)
    frame.attemptSetSceneRect(QRectF(frame.pos().x(), frame.pos().y(), rect[2], rect[3]))
    table.addFrame(frame)
    return table


def add_point_table(layout, rows, rect, page: int):
    width = rect[2] - 1.0
    widths = [width * 0.16, width * 0.32, width * 0.34, width * 0.18]
    widths = [w - 1.6 for w in widths]  # column widths exclude the cell margins
    return add_table(layout, [text.TABLE_HEADER, *rows], rect, widths, 7.0, header=True,
                  heights=[ROW_MM - 2 * CELL_MARGIN - GRID] * (len(rows) + 1), page=page)


def add_map(layout, rect, crs: QgsCoordinateReferenceSystem, layers) -> QgsLayoutItemMap:
    """A framed map item with a fixed layer set (the atlas layout binds its layers later)."""
    item = QgsLayoutItemMap(layout)
    item.setCrs(crs)
    item.setLayers(layers)
    item.setKeepLayerSet(True)
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
    item.setBackgroundColor(QColor(255, 255, 255))
    layout.addLayoutItem(item)
    place(item, rect)
    return item


def _map(layout, rect, patch: PatchMap, layers, extent: QgsRectangle):
    item = add_map(layout, rect, patch.crs, layers)
    item.zoomToExtent(extent)
    item.setScale(patch.denominator)
    return item


def add_north_arrow(layout, rect, linked_map, page: int = 0):
    """"北" over a grid-north arrow linked to the map, in ``rect`` (x, y, w, h mm) of ``page``; (label, picture)."""
    x, y, w, h = rect
    label = add_label(layout, "北", (x, y, w, 5.0), 9.0, bold=True, align=Qt.AlignHCenter, page=page)
    picture = QgsLayoutItemPicture(layout)
    svg = next((p for p in (Path(d) / NORTH_ARROW_SVG for d in QgsApplication.svgPaths()) if p.is_file()), None)
    if svg:
        picture.setPicturePath(str(svg))
    picture.setLinkedMap(linked_map)
    picture.setNorthMode(QgsLayoutItemPicture.GridNorth)
    layout.addLayoutItem(picture)
    place(picture, (x + 1.5, y + 5.0, w - 3.0, h - 5.0), page)
    return label, picture


def add_scale_bar(layout, frame: PageFrame, after_map, denominator: int | None) -> QgsLayoutItemScaleBar:
    """A 4-segment bar in metres; fixed 1-2-5 segments for ``denominator``, else fitted to the width."""
    x, y, w, h = frame.scale_bar()
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(after_map)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setUnitLabel("米")
    bar.setMapUnitsPerScaleBarUnit(1.0)
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    if denominator:
        bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFixed)
        bar.setUnitsPerSegment(scale_bar_segment(denominator, w - 12.0, 4))
    else:  # an atlas changes the scale per patch: QGIS picks round segments that fit
        bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
        bar.setMinimumBarWidth((w - 12.0) / 2)
        bar.setMaximumBarWidth(w - 12.0)
        bar.setUnitsPerSegment(10.0)
    bar.setHeight(2.0)
    bar.setTextFormat(text_format(7.0))
    layout.addLayoutItem(bar)
    place(bar, (x, y, w, h))
    bar.update()
    return bar


def linked_legend(layout, map_item, layers, title_size: float, item_size: float,
                  bold=(QgsLegendStyle.Title,), symbol: tuple[float, float] = (3.5, 6.0)) -> QgsLayoutItemLegend:
    """A framed 图例 of exactly ``layers`` (not the project's), linked to ``map_item``, in the CJK font."""
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle("图例")
    legend.setAutoUpdateModel(False)
    legend.setLinkedMap(map_item)
    root = legend.model().rootGroup()
    root.clear()
    for layer in layers:
        root.addLayer(layer)
    for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup, QgsLegendStyle.SymbolLabel):
        legend.setStyleFont(style, cjk_font(title_size if style == QgsLegendStyle.Title else item_size,
                                            style in bold))
    legend.setSymbolHeight(symbol[0])
    legend.setSymbolWidth(symbol[1])
    legend.setFrameEnabled(True)
    return legend


def add_legend(layout, frame: PageFrame, after_map, layers) -> QgsLayoutItemLegend:
    legend = linked_legend(layout, after_map, layers, 9.0, 7.5)
    legend.setColumnCount(3)
    layout.addLayoutItem(legend)
    place(legend, frame.legend())
    legend.setResizeToContents(False)
    return legend


def build_patch_layout(layout: QgsPrintLayout, frame: PageFrame, patch: PatchMap) -> int:
    """Replace the layout's content with ``patch``'s pages; the number of pages."""
    layout.clear()  # removes items and pages
    collection = layout.pageCollection()
    table_pages = paginate(coordinate_rows(patch.points), frame.rows_first_page(), frame.rows_later_page())
    for _ in table_pages:
        page = QgsLayoutItemPage(layout)
        page.setPageSize(QgsLayoutSize(frame.width, frame.height, QgsUnitTypes.LayoutMillimeters))
        collection.addPage(page)

    facts = patch.facts
    add_label(layout, text.TITLE, frame.title(), 18.0, bold=True, align=Qt.AlignHCenter)
    add_label(layout, f"{ID_ALIAS}：{facts.jcbh}　　比例尺 1:{patch.denominator}", frame.subtitle(), 10.0,
           align=Qt.AlignHCenter)
    add_label(layout, f"{text.BEFORE_CAPTION}（{facts.before_date or text.MISSING}）", frame.caption(False), 9.0,
           bold=True)
    add_label(layout, f"{text.AFTER_CAPTION}（{facts.after_date or text.MISSING}）", frame.caption(True), 9.0,
           bold=True)
    x_min, y_min, x_max, y_max = map_extent(*patch.centre, patch.denominator, frame.column, frame.column)
    extent = QgsRectangle(x_min, y_min, x_max, y_max)
    _map(layout, frame.map(False), patch, patch.before_layers, extent)
    after = _map(layout, frame.map(True), patch, patch.after_layers, extent)
    add_north_arrow(layout, frame.north_arrow(), after)
    add_label(layout, f"比例尺 1:{patch.denominator}", frame.scale_text(), 8.0)
    add_scale_bar(layout, frame, after, patch.denominator)
    add_label(layout, patch.crs_note, frame.crs_note(), 6.5)
    add_legend(layout, frame, after, patch.legend_layers)

    x, y, w, h = frame.info_table()
    rows = info_rows(facts)
    add_table(layout, rows, frame.info_table(), [w * 0.30 - 1.6, w * 0.70 - 2.6], 7.5, header=False,
           bold_first_column=True)
    add_label(layout, table_pages[0].title, frame.point_table_title(), 8.5, bold=True, align=Qt.AlignHCenter)
    add_point_table(layout, table_pages[0].rows, frame.point_table(), 0)
    date = patch.date or text.MISSING
    add_label(layout, f"制图单位：{patch.office or text.MISSING}　　制图日期：{date}", frame.office(), 8.0)
    x, y, w, h = frame.sign_off()
    add_table(layout, [list(text.SIGN_OFF), ["", "", ""]], frame.sign_off(), [w / 3 - 1.7] * 3, 8.0, header=True,
           heights=[6.0, h - 6.5])
    for table_page in table_pages[1:]:
        index = table_page.number - 1
        x, y, w, h = frame.title()
        add_label(layout, f"{text.TITLE}　{table_page.title}", (x, y, w, h), 14.0, bold=True, align=Qt.AlignHCenter,
               page=index)
        add_label(layout, f"{ID_ALIAS}：{facts.jcbh}　　第 {table_page.number} 页，共 {len(table_pages)} 页",
               (x, y + 10.0, w, 6.0), 9.0, align=Qt.AlignHCenter, page=index)
        add_point_table(layout, table_page.rows, frame.continued_point_table(), index)
    return len(table_pages)


