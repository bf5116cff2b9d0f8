"""The atlas layout's boundary-point table (界址点坐标表), refilled for each atlas feature.

Why a manual table refilled from Python rather than an HTML frame: QGIS
builds without QtWebKit (Debian 13's QGIS 3.40, QGIS 4) lay HTML frames out
empty, and an expression cannot return a variable number of table rows. A
:class:`PointTableFiller` (a QObject child of the layout, so it dies with it
and holds no Python reference to the layout's items) listens to the atlas
and puts the rows ``domain/casefile`` numbers for the current patch into the
table; the table runs on in frames on added pages (RepeatUntilFinished),
each starting with the header row, like the 续表 of ``wpzf:printpatchmaps``.

The plugin attaches a filler to every layout of the project that has the
table (:func:`attach_all`, on start and on ``layoutAdded``) and removes them
on unload (:func:`detach_all`).
"""
from __future__ import annotations

import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsLayoutFrame,
    QgsLayoutItemManualTable,
    QgsLayoutMultiFrame,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsPrintLayout,
    QgsProject,
    QgsTableCell,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, Qt
from qgis.PyQt.QtGui import QColor

from ..domain.casefile import boundary_points, coordinate_rows, polygons_of
from ..domain.casefile import page as text
from ..qt_children import held, keep_alive
from .fonts import text_format
from .page_frame import CELL_MARGIN, GRID, ROW_MM

POINTS_FRAME = "wpzf_points"
FILLER_NAME = "wpzf_point_table_filler"
FONT_PT = 7.0
ROW_HEIGHT = ROW_MM - 2 * CELL_MARGIN - GRID  # the code-built page's row pitch
COLUMN_SHARES = (0.16, 0.32, 0.34, 0.18)


def point_rows(geometry: QgsGeometry | None) -> list[tuple[str, str, str, str]]:
    """(J1, X north, Y east, edge) rows of ``geometry`` as domain/casefile numbers them; [] for none."""
    if geometry is None or geometry.isEmpty():
        return []
    shape = shapely.from_wkb(bytes(geometry.asWkb()))
    return coordinate_rows(boundary_points(polygons_of(shape)))


def add_point_table(layout: QgsPrintLayout, rect, place) -> QgsLayoutItemManualTable:
    """An empty boundary-point table in ``rect`` whose frames repeat on added pages until all rows print."""
    table = QgsLayoutItemManualTable.create(layout)
    width = rect[2] - 1.0
    table.setColumnWidths([width * share - 2 * CELL_MARGIN for share in COLUMN_SHARES])
    columns = []
    for heading in text.TABLE_HEADER:
        column = QgsLayoutTableColumn(heading)
        column.setHAlignment(Qt.AlignHCenter)
        columns.append(column)
    table.setHeaders(columns)
    table.setIncludeTableHeader(True)
    table.setHeaderMode(QgsLayoutTable.AllFrames)  # every continuation frame starts with the header row
    table.setHeaderTextFormat(text_format(FONT_PT, True))
    table.setHeaderHAlignment(QgsLayoutTable.HeaderCenter)
    table.setContentTextFormat(text_format(FONT_PT))
    table.setCellMargin(CELL_MARGIN)
    table.setGridStrokeWidth(GRID)
    table.setBackgroundColor(QColor(255, 255, 255, 0))
    table.setResizeMode(QgsLayoutMultiFrame.RepeatUntilFinished)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(POINTS_FRAME)
    frame.setHidePageIfEmpty(True)  # a page a longer table added and this patch leaves empty is not printed
    frame.setHideBackgroundIfEmpty(True)
    place(frame, rect)
    table.addFrame(frame)
    fill(table, [])
    return table


def fill(table: QgsLayoutItemManualTable, rows) -> None:
    """Put ``rows`` into ``table`` (one cell format for all), every row at the printed pitch."""
    fmt = text_format(FONT_PT)
    contents = []
    for row in rows:
        cells = []
        for value in row:
            cell = QgsTableCell(value)
            cell.setTextFormat(fmt)
            cells.append(cell)
        contents.append(cells)
    table.setTableContents(contents)
    table.setRowHeights([ROW_HEIGHT] * len(contents))


def point_table(layout: QgsPrintLayout) -> QgsLayoutItemManualTable | None:
    """The layout's boundary-point table (a frame with id ``wpzf_points``); None when the user removed it."""
    for multi_frame in layout.multiFrames():
        if isinstance(multi_frame, QgsLayoutItemManualTable) and any(
                multi_frame.frame(i).id() == POINTS_FRAME for i in range(multi_frame.frameCount())):
            return multi_frame
    return None


class PointTableFiller(QObject):
    """Fills the layout's point table with the current atlas feature's boundary points."""

    def __init__(self, layout: QgsPrintLayout) -> None:
        super().__init__(layout)
        self.setObjectName(FILLER_NAME)
        keep_alive(self)
        layout.atlas().featureChanged.connect(self.show_feature)
        layout.atlas().coverageLayerChanged.connect(self.show_first)
        self.show_first()

    def layout(self) -> QgsPrintLayout:
        return self.parent()

    def show_feature(self, feature: QgsFeature) -> None:
        table = point_table(self.layout())
        if table is not None:
            fill(table, point_rows(feature.geometry() if feature.isValid() else None))

    def show_first(self, *_args) -> None:
        """Before any atlas preview: the first coverage feature, so the designer shows a real table."""
        layer = self.layout().atlas().coverageLayer()
        feature = QgsFeature()
        if layer is not None:
            for found in layer.getFeatures(QgsFeatureRequest().setLimit(1)):
                feature = found
        self.show_feature(feature)


def attach(layout) -> PointTableFiller | None:
    """A filler for ``layout`` when it has the point table (one per layout, whatever the calls)."""
    if not isinstance(layout, QgsPrintLayout) or point_table(layout) is None:
        return None
    existing = layout.findChild(QObject, FILLER_NAME)
    if existing is not None:
        return existing
    return PointTableFiller(layout)


def attach_all(project: QgsProject) -> None:
    for layout in project.layoutManager().printLayouts():
        attach(layout)


def detach_all(project: QgsProject) -> None:
    """Remove every filler (plugin unload): their slots are this module's Python code."""
    for layout in project.layoutManager().printLayouts():
        filler = layout.findChild(QObject, FILLER_NAME)
        if filler is not None:
            sip.delete(filler)
    for filler in held(PointTableFiller):  # layouts no longer in the project
        if not sip.isdeleted(filler):
            sip.delete(filler)
