"""The case-file map as an atlas print layout that users open, edit and print in QGIS's layout designer.

``wpzf:printpatchmaps`` builds each page in code; this layout shows the same
elements driven by the atlas feature instead: labels hold
expressions (``[% "JCBH" %]``), the facts table's cells are expressions
(``wpzf_area_text(...)``), both maps follow the atlas at the round scale
``wpzf_round_scale(@atlas_geometry, …)`` chooses (data-defined scale on an
atlas map in "fixed scale" mode: QGIS centres the map on the patch, then
applies the scale), and the boundary-point table is a manual table that
``atlas_points`` refills for each patch and that continues in further frames
on extra pages. No HTML frames: QGIS builds without QtWebKit print them empty.

The layout ships as templates (printing/templates/patch_map_a4.qpt, _a3.qpt,
written by devtools/make_layout_templates.py from :func:`build_atlas_layout`);
:func:`atlas_layout` loads one and binds the project's patch layer, imagery
and overlays to it. Only qgis.core here: Processing and tests use it too.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from qgis.core import (
    QgsExpressionContextUtils,
    QgsFillSymbol,
    QgsLayoutItemHtml,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsLayoutObject,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsMapLayer,
    QgsMapLayerStyle,
    QgsMarkerLineSymbolLayer,
    QgsMarkerSymbol,
    QgsPointXY,
    QgsPrintLayout,
    QgsProject,
    QgsProperty,
    QgsReadWriteContext,
    QgsRectangle,
    QgsRenderContext,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtXml import QDomDocument

from ..domain.casefile import page as text
from ..domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from .atlas_points import add_point_table
from .atlas_points import attach as attach_points
from .fonts import cjk_font, text_format
from .map_layers import patch_style
from .page_frame import CELL_MARGIN, PAPERS, PageFrame
from .patch_layout import (
    add_label,
    add_legend,
    add_map,
    add_north_arrow,
    add_scale_bar,
    add_table,
    new_layout,
    place,
)

LAYOUT_NAME = "卫片执法图斑核查图（图集）"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

# item ids, so that a layout loaded from a template is bound again
MAP_BEFORE, MAP_AFTER = "wpzf_map_before", "wpzf_map_after"
LEGEND, SCALE_BAR, NORTH_ARROW = "wpzf_legend", "wpzf_scale_bar", "wpzf_north_arrow"
FACTS_FRAME = "wpzf_facts"  # the point table's frame is atlas_points.POINTS_FRAME

# layout variables the expressions read; users may change them under Layout ▸ Variables
VAR_OFFICE, VAR_TOWNS, VAR_VILLAGES = "wpzf_office", "wpzf_towns_layer", "wpzf_villages_layer"


def template_path(paper: str) -> Path:
    """The shipped template for ``paper`` ("A4" or "A3")."""
    return TEMPLATE_DIR / f"patch_map_{paper.lower()}.qpt"


# -- expressions the page prints -----------------------------------------------
def _text(field: str) -> str:
    """A field's text, "—" when NULL or blank."""
    return f"coalesce(nullif(trim(to_string(\"{field}\")), ''), '{text.MISSING}')"


def scale_expression(frame: PageFrame) -> str:
    """The round scale the code-built page uses, for this paper's map frames."""
    return f"wpzf_round_scale(@atlas_geometry, {frame.column:.1f}, {frame.column:.1f})"


AREA = ("wpzf_area_text(coalesce(\"TBMJ\", wpzf_ellipsoidal_area(@atlas_geometry, "
        "layer_property(@atlas_layerid, 'crs'))))")
DECISION = (f"{_text('PDLX')} || if(nullif(trim(to_string(\"JTQX\")), '') IS NULL, '', "
            f"'（' || trim(to_string(\"JTQX\")) || '）')")

#: (label, expression) rows of the facts table, as domain.casefile.page.info_rows prints them
FACT_ROWS = (
    (ID_ALIAS, f'"{ID_FIELD}"'),
    ("监测批次", _text("JCPC")),
    ("所在乡镇（街道）", f"wpzf_town_name(\"XZQDM\", @{VAR_TOWNS})"),
    ("所在村（社区）", f"wpzf_village_name(@atlas_geometry, layer_property(@atlas_layerid, 'crs'), @{VAR_VILLAGES})"),
    ("前时相", _text("QSX")),
    ("后时相", _text("HSX")),
    ("图斑面积", AREA),
    ("占用耕地面积", 'wpzf_area_text("GDMJ")'),
    ("其中永久基本农田", 'wpzf_area_text("JBNTGDMJ")'),
    ("判定结果", DECISION),
    ("判定依据", _text("PDYJ")),
    ("中心点坐标", "wpzf_centre_text(@atlas_geometry)"),
    ("中心点经纬度", 'wpzf_lonlat_text("LZB", "BZB")'),
)


def add_facts_table(layout: QgsPrintLayout, rect) -> QgsLayoutItemManualTable:
    """The facts table: a bold label and an expression cell per row, evaluated for the atlas feature."""
    rows = [(label, QgsProperty.fromExpression(expression)) for label, expression in FACT_ROWS]
    width = rect[2] - 1.0
    table = add_table(layout, rows, rect, [width * 0.3 - 2 * CELL_MARGIN, width * 0.7 - 2 * CELL_MARGIN], 7.5,
                      header=False, bold_first_column=True)
    table.frame(0).setId(FACTS_FRAME)
    return table


# -- building, loading, binding ----------------------------------------------
def build_atlas_layout(project: QgsProject, paper: str = "A4") -> QgsPrintLayout:
    """The atlas layout's items, unbound (no coverage layer, no map layers): what the templates hold."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}")
    frame = PageFrame.for_paper(paper)
    layout = new_layout(project, LAYOUT_NAME)
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(frame.width, frame.height,
                                                             QgsUnitTypes.LayoutMillimeters))
    scale = scale_expression(frame)
    add_label(layout, text.TITLE, frame.title(), 18.0, bold=True, align=Qt.AlignHCenter)
    add_label(layout, f"{ID_ALIAS}：[% \"{ID_FIELD}\" %]　　比例尺 1:[% {scale} %]", frame.subtitle(), 10.0,
              align=Qt.AlignHCenter)
    add_label(layout, f"{text.BEFORE_CAPTION}（[% {_text('QSX')} %]）", frame.caption(False), 9.0, bold=True)
    add_label(layout, f"{text.AFTER_CAPTION}（[% {_text('HSX')} %]）", frame.caption(True), 9.0, bold=True)
    maps = []
    for after, item_id in ((False, MAP_BEFORE), (True, MAP_AFTER)):
        item = add_map(layout, frame.map(after), project.crs(), [])
        item.setId(item_id)
        _reset_extent(item, QgsPointXY(0.0, 0.0))
        item.setAtlasDriven(True)
        item.setAtlasScalingMode(QgsLayoutItemMap.Fixed)  # centre on the patch; the scale is data-defined
        item.dataDefinedProperties().setProperty(QgsLayoutObject.MapScale, QgsProperty.fromExpression(scale))
        maps.append(item)
    after_map = maps[1]
    label, picture = add_north_arrow(layout, frame.north_arrow(), after_map)
    picture.setId(NORTH_ARROW)
    add_label(layout, f"比例尺 1:[% {scale} %]", frame.scale_text(), 8.0)
    add_scale_bar(layout, frame, after_map, None).setId(SCALE_BAR)
    add_label(layout, "[% wpzf_crs_note(layer_property(@atlas_layerid, 'crs')) %]", frame.crs_note(), 6.5)
    add_legend(layout, frame, after_map, []).setId(LEGEND)
    add_facts_table(layout, frame.info_table())
    add_label(layout, text.TABLE_TITLE, frame.point_table_title(), 8.5, bold=True, align=Qt.AlignHCenter)
    # long tables go on in a frame at the same place on added pages, refilled per atlas feature
    add_point_table(layout, frame.point_table(), place)
    add_label(layout, f"制图单位：[% coalesce(nullif(@{VAR_OFFICE}, ''), '{text.MISSING}') %]　　"
                      "制图日期：[% format_date(now(), 'yyyy-MM-dd') %]", frame.office(), 8.0)
    x, y, w, h = frame.sign_off()
    add_table(layout, [list(text.SIGN_OFF), ["", "", ""]], frame.sign_off(), [w / 3 - 1.7] * 3, 8.0, header=True,
              heights=[6.0, h - 6.5])
    for name in (VAR_OFFICE, VAR_TOWNS, VAR_VILLAGES):
        QgsExpressionContextUtils.setLayoutVariable(layout, name, "")
    # the designer's PDF export offers "text as text objects" (searchable, selectable CJK) for this layout
    layout.setCustomProperty("textFormat", int(QgsRenderContext.TextFormatAlwaysText))
    return layout


def load_template(project: QgsProject, paper: str = "A4", path: Path | None = None) -> QgsPrintLayout:
    """A new (unbound) atlas layout from the shipped template of ``paper``."""
    path = path or template_path(paper)
    document = QDomDocument()
    if not document.setContent(path.read_text(encoding="utf-8")):
        raise ValueError(f"{path} is not a layout template")
    layout = QgsPrintLayout(project)
    _, ok = layout.loadFromTemplate(document, QgsReadWriteContext(), True)
    if not ok:
        raise ValueError(f"QGIS could not load the layout template {path}")
    layout.setName(LAYOUT_NAME)
    restyle_fonts(layout)
    return layout


def restyle_fonts(layout: QgsPrintLayout) -> None:
    """Put this machine's Latin + CJK font pair back on every text item.

    A template stores one font family per item; the pair (Latin first, CJK
    second) keeps digits searchable in the PDF and Chinese printable on any
    platform, so it is applied again after loading.
    """
    for item in layout.items():
        _restyle_item(item)
    for multi_frame in layout.multiFrames():
        if isinstance(multi_frame, QgsLayoutItemManualTable):
            _restyle_table(multi_frame)


def _restyle_item(item) -> None:
    """The font pair on a label, a legend's text styles or a scale bar's text."""
    if isinstance(item, QgsLayoutItemLabel):
        font = item.font()
        item.setFont(cjk_font(font.pointSizeF(), font.bold()))
    elif isinstance(item, QgsLayoutItemLegend):
        for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup,
                      QgsLegendStyle.SymbolLabel):
            font = item.styleFont(style)
            item.setStyleFont(style, cjk_font(font.pointSizeF(), font.bold()))
    elif isinstance(item, QgsLayoutItemScaleBar):
        item.setTextFormat(text_format(item.textFormat().size()))


def _restyle_table(table: QgsLayoutItemManualTable) -> None:
    """The font pair on every cell (keeping size and bold), the contents and the header."""
    contents = table.tableContents()
    for row in contents:
        for cell in row:
            fmt = cell.textFormat()
            cell.setTextFormat(text_format(fmt.size(), fmt.font().bold()))
    table.setTableContents(contents)
    table.setContentTextFormat(text_format(table.contentTextFormat().size()))
    if table.includeTableHeader():
        table.setHeaderTextFormat(text_format(table.headerTextFormat().size(), True))


def layout_item(layout: QgsPrintLayout, item_id: str):
    """The item whose id (as set here, shown in the designer's item list) is ``item_id``; None if gone."""
    return next((i for i in layout.items() if hasattr(i, "id") and callable(i.id) and i.id() == item_id), None)


def html_items(layout: QgsPrintLayout) -> list[QgsLayoutItemHtml]:
    """HTML frames: none in layouts made since 2026-12 (QGIS without QtWebKit prints them empty)."""
    return [m for m in layout.multiFrames() if isinstance(m, QgsLayoutItemHtml)]


def _patch_style_override(patches: QgsVectorLayer) -> str:
    """Red boundary with vertex dots and the JCBH label, for these maps only (the layer keeps its style)."""
    styled = patch_style(patches, f'"{ID_FIELD}"' if patches.fields().lookupField(ID_FIELD) >= 0 else "$id")
    symbol: QgsFillSymbol = styled.renderer().symbol()
    vertices = QgsMarkerLineSymbolLayer()
    vertices.setPlacement(QgsMarkerLineSymbolLayer.Vertex)
    vertices.setSubSymbol(QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#ffffff", "outline_color": "#000000", "size": "1.2", "outline_width": "0.2"}))
    symbol.appendSymbolLayer(vertices)
    style = QgsMapLayerStyle()
    style.readFromLayer(styled)
    return style.xmlData()


def _reset_extent(item: QgsLayoutItemMap, centre) -> None:
    """A finite extent of the item's shape: the atlas moves it onto each patch, the scale expression sizes it."""
    rect = item.rect()
    half_w = 500.0
    half_h = half_w * rect.height() / rect.width() if rect.width() > 0 else half_w
    item.setExtent(QgsRectangle(centre.x() - half_w, centre.y() - half_h, centre.x() + half_w, centre.y() + half_h))


def bind_atlas(layout: QgsPrintLayout, patches: QgsVectorLayer, before: QgsMapLayer | None = None,
               after: QgsMapLayer | None = None, overlays: Sequence[QgsMapLayer] = (),
               towns: QgsVectorLayer | None = None, villages: QgsVectorLayer | None = None,
               office: str | None = None) -> None:
    """Make ``patches`` the atlas coverage (page name JCBH) and give the maps and the legend their layers.

    The before map shows the patches over the before imagery, the after map
    the patches over ``overlays`` (top first) and the after imagery; the
    patch layer is drawn red with its number and vertices in these maps only.
    """
    atlas = layout.atlas()
    atlas.setCoverageLayer(patches)
    has_id = patches.fields().lookupField(ID_FIELD) >= 0
    atlas.setPageNameExpression(f'"{ID_FIELD}"' if has_id else "$id")
    atlas.setFilenameExpression(f'"{ID_FIELD}"' if has_id else "'patch_' || $id")
    atlas.setSortFeatures(has_id)
    if has_id:
        atlas.setSortExpression(f'"{ID_FIELD}"')
    atlas.setEnabled(True)
    override = {patches.id(): _patch_style_override(patches)}
    layer_sets = {MAP_BEFORE: [patches] + ([before] if before else []),
                  MAP_AFTER: [patches, *overlays] + ([after] if after else [])}
    for item_id, layers in layer_sets.items():
        item = layout_item(layout, item_id)
        if item is None:  # removed by the user in the designer
            continue
        item.setCrs(patches.crs())
        _reset_extent(item, patches.extent().center())
        item.setLayers(layers)
        item.setKeepLayerSet(True)
        item.setKeepLayerStyles(True)
        item.setLayerStyleOverrides(override)
    legend = layout_item(layout, LEGEND)
    if legend is not None:
        root = legend.model().rootGroup()
        root.clear()
        node = root.addLayer(patches)
        node.setName("监测图斑")
        for layer in overlays:
            root.addLayer(layer)
        legend.setLinkedMap(layout_item(layout, MAP_AFTER))
        legend.updateLegend()
    if office is not None:
        QgsExpressionContextUtils.setLayoutVariable(layout, VAR_OFFICE, office)
    QgsExpressionContextUtils.setLayoutVariable(layout, VAR_TOWNS, towns.id() if towns else "")
    QgsExpressionContextUtils.setLayoutVariable(layout, VAR_VILLAGES, villages.id() if villages else "")
    for item in html_items(layout):  # a layout saved by an earlier version
        item.loadHtml()
    attach_points(layout)


def atlas_layout(project: QgsProject, patches: QgsVectorLayer, paper: str = "A4", *,
                 replace: Callable[[QgsPrintLayout], bool] | None = None, **layers) -> QgsPrintLayout:
    """The project's patch-map atlas layout for ``patches``, created from the shipped template.

    If the project already has a layout of that name it is returned as the
    user left it (coverage layer set to ``patches``), unless ``replace``
    (asked with the existing layout) answers True: then it is removed and
    made afresh. ``layers`` go to :func:`bind_atlas` (before, after,
    overlays, towns, villages, office).
    """
    manager = project.layoutManager()
    existing = manager.layoutByName(LAYOUT_NAME)
    if existing is not None:
        if replace is None or not replace(existing):
            if existing.atlas().coverageLayer() is not patches:
                existing.atlas().setCoverageLayer(patches)
            return existing
        manager.removeLayout(existing)
    try:
        layout = load_template(project, paper)
    except (OSError, ValueError):  # a damaged installation: build the same layout in code
        layout = build_atlas_layout(project, paper)
    bind_atlas(layout, patches, **layers)
    manager.addLayout(layout)
    return layout
