"""Styled copies of the layers drawn on a patch map; the user's own layer styles stay untouched."""
from __future__ import annotations

from collections.abc import Sequence

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFillSymbol,
    QgsGeometry,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsProviderRegistry,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QColor, QPainter

from ..domain.casefile import BoundaryPoint
from ..domain.overlay.landclass import CLASS_FIELD, FARMLAND_CODES
from ..domain.rules.mining import LICENCE_FIELDS
from ..qgis_compat import LABEL_OVER_POINT
from .fonts import text_format

#: Legend names of the approval-type layers the district delivers, by layer name.
COVER_NAMES = {"NYDZY": "农用地转用审批", "TDGY": "土地供应", "LSYD": "临时用地", "SSNYD": "设施农用地",
               "BDCDJ": "不动产登记", "ZJGG": "增减挂钩", "CKQ": "采矿权", "TKQ": "探矿权"}
#: Layers whose boundaries carry their licence number (issue 20: "patch maps show licence boundaries with their
#: numbers"): 采矿权 CKQ / 探矿权 TKQ, labelled with 许可证号 XKZH, the field wpzf:prejudge reads them by.
LABELLED_COVERS = {"CKQ": LICENCE_FIELDS[0], "TKQ": LICENCE_FIELDS[0]}
COVER_COLOURS = ("#1f5fd6", "#00a0c8", "#8a2be2", "#d2691e", "#2e8b57", "#c71585")


def styled_copy(layer: QgsVectorLayer, name: str) -> QgsVectorLayer:
    """A copy to style freely: a clone reading the same source, or the features of a memory layer."""
    copy = layer.materialize(QgsFeatureRequest()) if layer.providerType() == "memory" else layer.clone()
    copy.setName(name)
    # a clone keeps the project layer's look beyond its renderer: none of it may hide the plugin's style
    copy.setOpacity(1.0)
    copy.setBlendMode(QPainter.CompositionMode_SourceOver)
    copy.setFeatureBlendMode(QPainter.CompositionMode_SourceOver)
    copy.setScaleBasedVisibility(False)
    copy.setLabelsEnabled(False)
    copy.setLabeling(None)
    if hasattr(copy, "setDiagramRenderer"):
        copy.setDiagramRenderer(None)
    return copy


def _label(layer: QgsVectorLayer, expression: str, size: float, colour: QColor, placement=None) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.setFormat(text_format(size, bold=True, color=colour, buffer=True))
    if placement is not None:
        settings.placement = placement
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def patch_style(layer: QgsVectorLayer, label_expression: str) -> QgsVectorLayer:
    """Patches: red boundary, no fill, labelled with their number."""
    copy = styled_copy(layer, "监测图斑")
    copy.setSubsetString("")
    symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#e60000", "outline_width": "0.6"})
    copy.setRenderer(QgsSingleSymbolRenderer(symbol))
    _label(copy, label_expression, 8.0, QColor("#e60000"), LABEL_OVER_POINT)
    return copy


def boundary_point_layer(points: Sequence[BoundaryPoint], crs: QgsCoordinateReferenceSystem,
                         labelled: bool = True) -> QgsVectorLayer:
    """界址点 J1…Jn as a memory point layer (x = easting, y = northing as QGIS holds them)."""
    layer = QgsVectorLayer("Point", "界址点", "memory")
    layer.setCrs(crs)
    provider = layer.dataProvider()
    provider.addAttributes([QgsField("DH", QVariant.String)])
    layer.updateFields()
    features = []
    for point in points:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([point.label])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(point.y, point.x)))
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#ffffff", "outline_color": "#000000", "size": "1.2", "outline_width": "0.2"})))
    if labelled:
        _label(layer, '"DH"', 6.0, QColor("#000000"))
    return layer


def farmland_style(layer: QgsVectorLayer, class_field: str = CLASS_FIELD) -> QgsVectorLayer:
    """三调 farmland (耕地 0101–0103) in translucent yellow; the whole layer if it has no class field."""
    copy = styled_copy(layer, "耕地（三调）")
    symbol = QgsFillSymbol.createSimple({"color": "255,221,0,70", "outline_color": "#c8a000", "outline_width": "0.25"})
    copy.setRenderer(QgsSingleSymbolRenderer(symbol))
    if copy.fields().lookupField(class_field) >= 0:
        codes = ", ".join(f"'{c}'" for c in sorted(FARMLAND_CODES))
        if not copy.setSubsetString(f'substr("{class_field}", 1, 4) IN ({codes})'):
            root = QgsRuleBasedRenderer.Rule(None)  # a provider without subsets: filter while drawing
            root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, f'left("{class_field}", 4) IN ({codes})',
                                                       "耕地（三调）"))
            copy.setRenderer(QgsRuleBasedRenderer(root))
    return copy


def basic_farmland_style(layer: QgsVectorLayer) -> QgsVectorLayer:
    """Permanent basic farmland: green diagonal hatch."""
    copy = styled_copy(layer, "永久基本农田")
    copy.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"style": "b_diagonal", "color": "#00a000", "outline_color": "#008000", "outline_width": "0.35"})))
    return copy


def cover_style(layer: QgsVectorLayer, index: int) -> QgsVectorLayer:
    """An approval, supply or mining-right boundary: dashed outline in its own colour (licences labelled XKZH)."""
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    name = parts.get("layerName") or layer.name()
    label = COVER_NAMES.get(name.upper(), name)
    copy = styled_copy(layer, f"{label}范围" if name.upper() in COVER_NAMES else label)
    colour = COVER_COLOURS[index % len(COVER_COLOURS)]
    copy.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": colour, "outline_width": "0.45", "outline_style": "dash"})))
    key = LABELLED_COVERS.get(name.upper())
    if key and copy.fields().lookupField(key) >= 0:  # a licence layer: each boundary with its 许可证号
        _label(copy, f'"{key}"', 7.0, QColor(colour))
    return copy
