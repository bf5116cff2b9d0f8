"""The A4 bulletin (工作通报) as a QgsPrintLayout built in code: lines, map, charts, ranking, progress.

Built in code like the case-file page (:mod:`.patch_layout`, whose label,
table and map helpers it reuses) because its length follows the district: a
district of 23 towns needs more rows than one of 5, so sections flow down the
pages and a new A4 page starts where the next section would not fit. The map
draws memory layers made here from plain values (town polygons with their
counted illegal farmland, patch points by category); the charts are the PNGs
:mod:`.bulletin_charts` drew. Nothing is counted here.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFillSymbol,
    QgsGeometry,
    QgsGraduatedSymbolRenderer,
    QgsLayoutExporter,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsRendererCategory,
    QgsRendererRange,
    QgsScaleBarSettings,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize, Qt, QVariant
from qgis.PyQt.QtGui import QColor

from .bulletin_text import SECTIONS, class_breaks
from .fonts import text_format
from .patch_layout import (
    add_label,
    add_map,
    add_north_arrow,
    add_table,
    linked_legend,
    new_layout,
    place,
)

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 12.0
WIDTH = PAGE_W - 2 * MARGIN
ROW_H = 5.2  # table row pitch at 7.5 pt (content + margins + grid)
SECTION_H = 7.0
LEGEND_W = 40.0
MM_PER_PT = 25.4 / 72
CATEGORY_COLOURS = {"违法": "#d7191c", "合法": "#1a9641", "其他": "#2b83ba", "未判定": "#9e9e9e"}
SHADES = ("#ffffff", "#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")


@dataclass
class TownArea:
    """One town on the map: its polygon (workspace CRS) and counted illegal farmland (亩)."""

    code: str
    name: str
    geometry: QgsGeometry
    farmland_mu: float


@dataclass
class Bulletin:
    """Everything the pages print (texts already in the bulletin's language)."""

    title: str
    subtitle: str
    headline: list[list[str]]
    summary: list[str]
    ranking: list[list[str]]
    town_sentences: list[str]
    progress_sentence: str
    progress: list[list[str]]
    trend_chart: Path
    rectification_chart: Path
    crs: QgsCoordinateReferenceSystem
    towns: list[TownArea] = field(default_factory=list)
    points: list[tuple[QgsPointXY, str]] = field(default_factory=list)
    footer: str = ""
    keep_alive: list = field(default_factory=list)


class Flow:
    """A cursor down the pages: ``take(h)`` gives the page and top of an ``h`` mm block, adding a page when needed."""

    def __init__(self, layout: QgsPrintLayout) -> None:
        self.layout = layout
        self.page = -1
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        page = QgsLayoutItemPage(self.layout)
        page.setPageSize(QgsLayoutSize(PAGE_W, PAGE_H, QgsUnitTypes.LayoutMillimeters))
        self.layout.pageCollection().addPage(page)
        self.page += 1
        self.y = MARGIN

    def take(self, height: float) -> tuple[int, float]:
        if self.y + height > PAGE_H - MARGIN - 6.0 and self.y > MARGIN:
            self.new_page()
        top = self.y
        self.y += height
        return self.page, top


def text_height(text: str, size_pt: float, width_mm: float) -> float:
    """Height of a wrapped paragraph: CJK characters one em wide, others about half."""
    em = size_pt * MM_PER_PT
    lines = 0
    for paragraph in text.split("\n"):
        width = sum(em if ord(c) > 0x2E80 else em * 0.55 for c in paragraph)
        lines += max(1, int(width / (width_mm - 2.0)) + 1)
    return lines * em * 1.45 + 1.0


def _paragraph(layout, flow: Flow, text: str, size: float = 8.5, bold: bool = False) -> None:
    height = text_height(text, size, WIDTH)
    page, top = flow.take(height)
    label = add_label(layout, text, (MARGIN, top, WIDTH, height), size, bold=bold, page=page)
    label.setVAlign(Qt.AlignTop)


def _section(layout, flow: Flow, text: str, keep_with: float) -> None:
    flow.take(SECTION_H + keep_with)  # never a heading alone at a page's foot
    flow.y -= keep_with
    page, top = flow.page, flow.y - SECTION_H
    add_label(layout, text, (MARGIN, top + 1.0, WIDTH, SECTION_H - 1.0), 11.0, bold=True, page=page)


def _table(layout, flow: Flow, rows: Sequence[Sequence[str]], shares: Sequence[float]) -> None:
    """A table of fixed rows split over pages at row boundaries; each part repeats the header."""
    header, body = list(rows[0]), [list(r) for r in rows[1:]]
    widths = [WIDTH * s - 1.8 for s in shares]
    while True:
        room = int((PAGE_H - MARGIN - 6.0 - flow.y) // ROW_H) - 1
        if room < 2 and flow.y > MARGIN:
            flow.new_page()
            continue
        part, body = body[:max(room, 1)], body[max(room, 1):]
        height = ROW_H * (len(part) + 1)
        page, top = flow.take(height)
        add_table(layout, [header, *part], (MARGIN, top, WIDTH, height + 0.5), widths, 7.5, header=True,
                  heights=[ROW_H - 1.8] * (len(part) + 1), page=page)
        if not body:
            return
        flow.new_page()


def _picture(layout, flow: Flow, path: Path, height: float) -> QgsLayoutItemPicture:
    page, top = flow.take(height)
    picture = QgsLayoutItemPicture(layout)
    picture.setPicturePath(str(path))
    picture.setResizeMode(QgsLayoutItemPicture.Zoom)
    layout.addLayoutItem(picture)
    place(picture, (MARGIN, top, WIDTH, height), page)
    return picture


def town_layer(towns: Sequence[TownArea], crs: QgsCoordinateReferenceSystem) -> QgsVectorLayer:
    """Towns shaded by counted illegal farmland (亩) in 1-2-5 steps, labelled with their names."""
    layer = QgsVectorLayer("MultiPolygon", "镇街违法占用耕地（亩）", "memory")
    layer.setCrs(crs)
    provider = layer.dataProvider()
    provider.addAttributes([QgsField("DM", QVariant.String), QgsField("MC", QVariant.String),
                            QgsField("WFGDMJ", QVariant.Double)])
    layer.updateFields()
    features = []
    for town in towns:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([town.code, town.name, town.farmland_mu])
        feature.setGeometry(town.geometry)
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    ranges = []
    breaks = class_breaks([t.farmland_mu for t in towns])
    offset = 0 if breaks and breaks[0] == (0.0, 0.0) else 1  # white only for the towns with none
    for i, (low, high) in enumerate(breaks):  # the first range a value falls in wins: 0 stays in "0 亩"
        symbol = QgsFillSymbol.createSimple({"color": SHADES[min(i + offset, len(SHADES) - 1)],
                                             "outline_color": "#555555", "outline_width": "0.3"})
        ranges.append(QgsRendererRange(low, high, symbol, "0 亩" if low == high else f"{low:g} – {high:g} 亩"))
    renderer = QgsGraduatedSymbolRenderer("WFGDMJ", ranges)
    layer.setRenderer(renderer)
    settings = QgsPalLayerSettings()
    settings.fieldName = "MC"
    settings.setFormat(text_format(7.0, bold=True, buffer=True))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    return layer


def point_layer(points: Sequence[tuple[QgsPointXY, str]], crs: QgsCoordinateReferenceSystem) -> QgsVectorLayer:
    """Patch centres coloured by decision category (违法 red, 合法 green, 其他 blue, 未判定 grey)."""
    layer = QgsVectorLayer("Point", "监测图斑（按判定类型）", "memory")
    layer.setCrs(crs)
    provider = layer.dataProvider()
    provider.addAttributes([QgsField("LB", QVariant.String)])
    layer.updateFields()
    features = []
    for point, category in points:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([category])
        feature.setGeometry(QgsGeometry.fromPointXY(point))
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    present = [c for c in CATEGORY_COLOURS if any(p[1] == c for p in points)]
    present += sorted({p[1] for p in points} - set(present))
    categories = [QgsRendererCategory(name, QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": CATEGORY_COLOURS.get(name, "#7b3294"), "outline_color": "#ffffff",
         "outline_width": "0.15", "size": "1.6"}), name) for name in present]
    layer.setRenderer(QgsCategorizedSymbolRenderer("LB", categories))
    return layer


def _extent(layers: Sequence[QgsVectorLayer]) -> QgsRectangle:
    extent = QgsRectangle()
    for layer in layers:
        if layer.featureCount():
            extent.combineExtentWith(layer.extent())
    if extent.isEmpty():
        extent = QgsRectangle(extent.xMinimum() - 500, extent.yMinimum() - 500, extent.xMaximum() + 500,
                              extent.yMaximum() + 500)
    extent.scale(1.06)
    return extent


def _scale_bar(layout, map_item, rect, page: int) -> None:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel("千米")
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(rect[2] / 3)
    bar.setMaximumBarWidth(rect[2] - 14.0)
    bar.setUnitsPerSegment(1.0)
    bar.setHeight(2.0)
    bar.setTextFormat(text_format(7.0))
    layout.addLayoutItem(bar)
    place(bar, rect, page)
    bar.update()


def _legend(layout, map_item, layers, rect, page: int) -> None:
    legend = linked_legend(layout, map_item, layers, 8.5, 7.0, (QgsLegendStyle.Title, QgsLegendStyle.Subgroup),
                           (3.0, 5.0))
    legend.setBackgroundColor(QColor(255, 255, 255, 235))
    layout.addLayoutItem(legend)
    place(legend, rect, page)
    legend.setResizeToContents(True)


def _district_map(layout, flow: Flow, bulletin: Bulletin, height: float):
    towns = town_layer(bulletin.towns, bulletin.crs)
    points = point_layer(bulletin.points, bulletin.crs)
    bulletin.keep_alive += [towns, points]
    page, top = flow.take(height + 12.0)
    width = WIDTH - LEGEND_W - 2.0  # the legend beside the map, never over a town
    map_item = add_map(layout, (MARGIN, top, width, height), bulletin.crs, [points, towns])
    map_item.zoomToExtent(_extent([towns, points]))
    add_north_arrow(layout, (MARGIN + width - 12.0, top + 2.0, 10.0, 16.0), map_item, page)
    _legend(layout, map_item, [towns, points], (MARGIN + width + 2.0, top, LEGEND_W, 40.0), page)
    _scale_bar(layout, map_item, (MARGIN, top + height + 1.0, width * 0.6, 10.0), page)
    return map_item


def build_bulletin(bulletin: Bulletin, project: QgsProject | None = None) -> tuple[QgsPrintLayout, object]:
    """The bulletin's pages; (layout, its district map item)."""
    layout = new_layout(project, bulletin.title)
    layout.clear()
    flow = Flow(layout)
    page, top = flow.take(11.0)
    add_label(layout, bulletin.title, (MARGIN, top, WIDTH, 11.0), 18.0, bold=True, align=Qt.AlignHCenter, page=page)
    page, top = flow.take(8.0)
    add_label(layout, bulletin.subtitle, (MARGIN, top, WIDTH, 7.0), 10.0, align=Qt.AlignHCenter, page=page)
    _section(layout, flow, SECTIONS[0], ROW_H * 4)
    _table(layout, flow, bulletin.headline, (0.34, 0.2, 0.28, 0.18))
    flow.y += 2.0
    for sentence in bulletin.summary:
        _paragraph(layout, flow, sentence)
    _section(layout, flow, SECTIONS[1], 120.0)
    map_item = _district_map(layout, flow, bulletin, min(125.0, PAGE_H - MARGIN - 20.0 - flow.y))
    _section(layout, flow, SECTIONS[2], 92.0)
    _picture(layout, flow, bulletin.trend_chart, 92.0)
    _section(layout, flow, SECTIONS[3], 66.0)
    _picture(layout, flow, bulletin.rectification_chart, 66.0)
    _section(layout, flow, SECTIONS[4], ROW_H * 3)
    _table(layout, flow, bulletin.ranking, (0.06, 0.16, 0.12, 0.14, 0.16, 0.12, 0.1, 0.14))
    flow.y += 2.0
    for sentence in bulletin.town_sentences:
        _paragraph(layout, flow, sentence, 8.0)
    _section(layout, flow, SECTIONS[5], 12.0)
    _paragraph(layout, flow, bulletin.progress_sentence)
    if len(bulletin.progress) > 1:
        _table(layout, flow, bulletin.progress, (0.18, 0.13, 0.13, 0.13, 0.13, 0.30))
    if bulletin.footer:
        _paragraph(layout, flow, bulletin.footer, 7.5)
    return layout, map_item


def save_map_image(layout: QgsPrintLayout, map_item, path: Path, dpi: int = 200) -> Path:
    """The district map alone as a PNG (the region of its item on the page)."""
    image = QgsLayoutExporter(layout).renderRegionToImage(map_item.sceneBoundingRect(), QSize(), dpi)
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path
