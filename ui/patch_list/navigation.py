"""Show a patch on the map: select it on the workspace's patch layer, zoom with a margin, highlight it.

The patch layer is the project's layer whose source is the workspace's
``jctb`` table; when the project has none it is loaded (with the workspace's
default style) and added, so selecting a patch always selects a real feature.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsHighlight
from qgis.PyQt.QtGui import QColor

from ...domain.workspace.schema import PATCH_LAYER_NAME, PATCH_TABLE

ZOOM_MARGIN = 0.4
"""Space left around a patch on each side, as a share of its larger extent dimension."""
MIN_VIEW_METRES = 60.0
"""Smallest view a patch is zoomed to, so a sliver patch still shows its surroundings."""
HIGHLIGHT_COLOUR = QColor(255, 0, 0)


def find_patch_layer(workspace: Path | str, project: QgsProject | None = None) -> QgsVectorLayer | None:
    """The project's layer reading ``workspace``'s patch table (GeoPackage or shared), if any."""
    project = project or QgsProject.instance()
    if isinstance(workspace, str) and workspace.lower().startswith("postgres:"):
        return _find_shared_layer(workspace, project)
    from ...adapters.workspaces import same_file, workspace_of_layer

    for layer in project.mapLayers().values():
        path = workspace_of_layer(layer)
        if path is not None and same_file(path, workspace):
            return layer
    return None


def _find_shared_layer(workspace: str, project: QgsProject) -> QgsVectorLayer | None:
    from ...adapters.workspaces import parse_workspace, pg_layer_uri

    ref = parse_workspace(workspace)
    wanted = pg_layer_uri(ref.connection, ref.schema)
    for layer in project.mapLayers().values():
        if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "postgres":
            continue
        uri = QgsDataSourceUri(layer.source())
        if (uri.schema(), uri.table(), uri.database(), uri.host(), uri.port()) == (
                ref.schema, PATCH_TABLE, wanted.database(), wanted.host(), wanted.port()):
            return layer
    return None


def patch_layer_name(workspace: Path | str) -> str:
    """The project layer name of a workspace's patches: "监测图斑 (yongchuan2022)".

    Named by workspace, so the layers of two workspaces opened one after the
    other are told apart in the layers panel (the file stem, or the shared
    workspace's ``connection/schema``).
    """
    text = str(workspace)
    if text.lower().startswith("postgres:"):
        label = text.split(":", 1)[1]
    else:
        label = Path(text).stem
    return f"{PATCH_LAYER_NAME} ({label})" if label else PATCH_LAYER_NAME


def ensure_patch_layer(workspace: Path | str, project: QgsProject | None = None) -> QgsVectorLayer:
    """The project's patch layer of ``workspace``, loaded and added when absent."""
    from ...adapters.workspaces import workspace_patch_layer

    project = project or QgsProject.instance()
    layer = find_patch_layer(workspace, project)
    if layer is None:
        layer = workspace_patch_layer(str(workspace))
        layer.setName(patch_layer_name(workspace))
        project.addMapLayer(layer)
    return layer


def patch_geometry(layer: QgsVectorLayer, fid: int) -> QgsGeometry | None:
    """Geometry of feature ``fid`` in the layer's CRS; None when missing or empty."""
    request = QgsFeatureRequest(fid).setNoAttributes()
    feature = next(layer.getFeatures(request), None)
    if feature is None or not feature.hasGeometry():
        return None
    return QgsGeometry(feature.geometry())


def view_extent(geometry: QgsGeometry, margin: float = ZOOM_MARGIN, min_size: float = 0.0) -> QgsRectangle:
    """The patch's bounding box grown by ``margin`` of its larger side on every side."""
    box = QgsRectangle(geometry.boundingBox())
    size = max(box.width(), box.height(), min_size)
    grow = size * margin
    centre = box.center()
    half_w = max(box.width(), min_size) / 2 + grow
    half_h = max(box.height(), min_size) / 2 + grow
    return QgsRectangle(centre.x() - half_w, centre.y() - half_h, centre.x() + half_w, centre.y() + half_h)


def to_canvas_crs(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem, canvas) -> QgsGeometry:
    """``geometry`` (in ``crs``) transformed to the canvas's CRS (unchanged when either is unset)."""
    dest = canvas.mapSettings().destinationCrs()
    out = QgsGeometry(geometry)
    if dest.isValid() and crs.isValid() and dest != crs:
        out.transform(QgsCoordinateTransform(crs, dest, QgsProject.instance()))
    return out


class PatchHighlighter:
    """Keeps one QgsHighlight on a canvas for the current patch and flashes it on change."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self._highlight: QgsHighlight | None = None

    def show(self, geometry: QgsGeometry, layer: QgsVectorLayer, flash: bool = True) -> None:
        self.clear()
        highlight = QgsHighlight(self.canvas, geometry, layer)
        highlight.setColor(HIGHLIGHT_COLOUR)
        highlight.setFillColor(QColor(255, 0, 0, 0))
        highlight.setWidth(3)
        highlight.show()
        self._highlight = highlight
        if flash:
            self.canvas.flashGeometries([geometry], layer.crs())

    def clear(self) -> None:
        if self._highlight is not None:
            scene = self.canvas.scene()
            if scene is not None:
                scene.removeItem(self._highlight)
            self._highlight = None


def zoom_to_patch(canvas, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> QgsRectangle:
    """Zoom ``canvas`` to the patch with a margin; return the extent asked for (canvas CRS)."""
    in_canvas = to_canvas_crs(geometry, crs, canvas)
    geographic = canvas.mapSettings().destinationCrs().isGeographic()
    rect = view_extent(in_canvas, min_size=MIN_VIEW_METRES / 111_000 if geographic else MIN_VIEW_METRES)
    canvas.setExtent(rect)
    canvas.refresh()
    return rect
