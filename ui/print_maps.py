"""Toolbar action 打印图斑核查图: the print algorithm's dialog, preset to the selected patches."""
from __future__ import annotations

from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer, QgsWkbTypes

from .. import plugin_settings

ALGORITHM = "wpzf:printpatchmaps"


def patch_layer_of(iface) -> QgsVectorLayer | None:
    """The active layer if it holds patches (polygons with JCBH), else the first such layer."""
    candidates = [iface.activeLayer()] + list(QgsProject.instance().mapLayers().values())
    for layer in candidates:
        if (isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.PolygonGeometry
                and layer.fields().lookupField("JCBH") >= 0):
            return layer
    return None


def dialog_parameters(iface) -> dict:
    """Presets: the patch layer (selected features only when some are selected), imagery, office."""
    params: dict = {"OFFICE": plugin_settings.office_name()}
    layer = patch_layer_of(iface)
    if layer is not None:
        params["PATCHES"] = QgsProcessingFeatureSourceDefinition(
            layer.id(), selectedFeaturesOnly=layer.selectedFeatureCount() > 0)
    project = QgsProject.instance()
    for key, layer_id in (("BEFORE", plugin_settings.before_imagery_layer()),
                          ("AFTER", plugin_settings.after_imagery_layer())):
        if layer_id and project.mapLayer(layer_id) is not None:
            params[key] = layer_id
    return params


def print_patch_maps(iface) -> None:
    """Open the algorithm dialog (it runs as a task with progress and cancel)."""
    from qgis import processing

    processing.execAlgorithmDialog(ALGORITHM, dialog_parameters(iface))
