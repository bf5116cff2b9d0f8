"""Toolbar action 打印图斑核查图: the print algorithm's dialog, preset to the selected patches."""
from __future__ import annotations

from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer, QgsWkbTypes

from .. import plugin_settings
from ..domain.workspace.patch_fields import ID_FIELD

ALGORITHM = "wpzf:printpatchmaps"


#: ID fields a patch layer may carry, most specific first: 监测编号, then 图斑编号 / 标识码 of other sources
ID_FIELD_CANDIDATES = (ID_FIELD, "TBBH", "JCTBBH", "BSM")


def id_field_of(layer: QgsVectorLayer) -> str | None:
    """The layer's patch ID field as spelt in the layer (case-insensitive match), or None."""
    for name in ID_FIELD_CANDIDATES:
        index = layer.fields().lookupField(name)
        if index >= 0:
            return layer.fields().at(index).name()
    return None


def _is_polygons(layer) -> bool:
    return isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.PolygonGeometry


def patch_layer_of(iface) -> QgsVectorLayer | None:
    """The active polygon layer with a patch ID field (JCBH, TBBH, …), else the first project layer with JCBH."""
    active = iface.activeLayer()
    if _is_polygons(active) and id_field_of(active) is not None:
        return active
    return next((layer for layer in QgsProject.instance().mapLayers().values()
                 if _is_polygons(layer) and layer.fields().lookupField(ID_FIELD) >= 0), None)


def dialog_parameters(iface) -> dict:
    """Presets: the patch layer (selected features only when some are selected) and its ID field, imagery, office."""
    params: dict = {"OFFICE": plugin_settings.office_name()}
    layer = patch_layer_of(iface)
    if layer is not None:
        params["PATCHES"] = QgsProcessingFeatureSourceDefinition(
            layer.id(), selectedFeaturesOnly=layer.selectedFeatureCount() > 0)
        params["ID_FIELD"] = id_field_of(layer)
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


def workspace_patch_layer(iface) -> QgsVectorLayer | None:
    """The active layer if it is a workspace's patch layer (jctb of a .gpkg), else the first such project layer."""
    from ..adapters.workspaces import workspace_of_layer

    candidates = [iface.activeLayer()] + list(QgsProject.instance().mapLayers().values())
    return next((layer for layer in candidates if workspace_of_layer(layer) is not None), None)


def tr(text: str) -> str:
    from qgis.PyQt.QtCore import QCoreApplication

    return QCoreApplication.translate("@default", text)  # pylupdate files module-level tr() here


def open_atlas_layout(iface, paper: str = "A4"):
    """Create (or reuse) the patch-map atlas layout for the workspace's patch layer and open it in the designer."""
    from qgis.core import Qgis
    from qgis.PyQt.QtWidgets import QMessageBox

    from ..printing.atlas_layout import LAYOUT_NAME, atlas_layout

    layer = workspace_patch_layer(iface)
    if layer is None:
        iface.messageBar().pushMessage(
            tr("WPZF"), tr("Open a workspace first: no patch layer (jctb) of a workspace is in the project."),
            Qgis.Warning, 10)
        return None

    def ask_replace(existing) -> bool:
        answer = QMessageBox.question(
            iface.mainWindow(), tr("Patch-map layout"),
            tr("The project already has the layout {name}. Replace it with a fresh one from the template? "
                "(No opens the existing layout with your changes.)").format(name=LAYOUT_NAME),
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    project = QgsProject.instance()
    imagery = {key: project.mapLayer(layer_id) if layer_id else None
               for key, layer_id in (("before", plugin_settings.before_imagery_layer()),
                                     ("after", plugin_settings.after_imagery_layer()))}
    layout = atlas_layout(project, layer, paper, replace=ask_replace, office=plugin_settings.office_name(), **imagery)
    designer = iface.openLayoutDesigner(layout)
    if designer is not None and hasattr(designer, "setAtlasPreviewEnabled"):  # show a patch, not raw [% %] text
        designer.setAtlasPreviewEnabled(True)
        if layout.atlas().count() > 0:
            layout.atlas().seekTo(0)
    return layout
