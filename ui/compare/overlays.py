"""Overlay layers as the compare canvases draw them: outlines in their own colours, labelled by their key field.

A project layer's own style is usually an opaque fill made for the main map;
drawn over the imagery it hides exactly what the technician compares. The
canvases therefore draw a styled copy (the project layer stays untouched):
no fill, a bright outline per overlay, and the label of the first known key
field the layer has (JCBH for patches, PZWH/BABH/… for approvals).
"""
from __future__ import annotations

from qgis.core import (
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor

from ...domain.workspace.patch_fields import ID_FIELD
from ...printing.fonts import text_format
from ...printing.map_layers import styled_copy
from ...qgis_compat import LABEL_OVER_POINT

#: Fields that name a feature, most telling first: patch number, approval / filing / supply numbers, town.
#: Land-use parcels (DLTB: BSM, ZLDWMC, DLMC) stay unlabelled: thousands of labels would bury the imagery.
KEY_FIELDS = (ID_FIELD, "PZWH", "BABH", "GYWH", "HTBH", "DZJGH", "XZQMC")
#: Bright colours that read on imagery; red is the current patch and yellow the workspace's patches.
COLOURS = ("#00e5ff", "#ff40ff", "#ff9900", "#66ff33", "#3d7bff", "#ffffff", "#00c896", "#c080ff")


def key_field(layer: QgsVectorLayer) -> str | None:
    """The first of :data:`KEY_FIELDS` the layer has (any letter case), else None."""
    names = {field.name().upper(): field.name() for field in layer.fields()}
    return next((names[key] for key in KEY_FIELDS if key in names), None)


def outline_symbol(geometry_type, colour: str):
    """No fill: only the outline (lines and hollow points for the other geometry types)."""
    if geometry_type == QgsWkbTypes.PolygonGeometry:
        return QgsFillSymbol.createSimple({"style": "no", "outline_color": colour, "outline_width": "0.6"})
    if geometry_type == QgsWkbTypes.LineGeometry:
        return QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.6"})
    return QgsMarkerSymbol.createSimple({"name": "circle", "color": "0,0,0,0", "outline_color": colour,
                                         "outline_width": "0.5", "size": "3"})


def label_by(layer: QgsVectorLayer, field: str | None, colour: str) -> None:
    """Label the features with ``field`` in ``colour`` (a dark halo keeps it readable); none without a field."""
    if not field:
        layer.setLabelsEnabled(False)
        return
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.isExpression = False
    fmt = text_format(8.0, bold=True, color=QColor(colour), buffer=True)
    buffer = fmt.buffer()
    buffer.setColor(QColor(0, 0, 0))
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    if layer.geometryType() == QgsWkbTypes.PolygonGeometry:
        settings.placement = LABEL_OVER_POINT
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def outline_copy(layer: QgsVectorLayer, colour: str, name: str | None = None) -> QgsVectorLayer:
    """A copy of ``layer`` drawn as ``colour`` outlines labelled by its key field."""
    copy = styled_copy(layer, name or layer.name())
    copy.setRenderer(QgsSingleSymbolRenderer(outline_symbol(layer.geometryType(), colour)))
    label_by(copy, key_field(copy), colour)
    return copy
