"""The 内业比对 dock: before and after imagery side by side, kept in step, around the current patch.

Each canvas shows its imagery layer (the user's choice, any raster or XYZ
layer, remembered in the plugin settings), the overlay vector layers ticked
in the overlay list (as labelled outlines, see :mod:`.overlays`), and the
workspace's patches as outlines. Moving to the next patch re-centres both
canvases at the scale the technician set up, unless the patch would not fit
at that scale: then the views zoom out to the whole patch and say so.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsGeometry,
    QgsMapLayer,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsCheckableComboBox, QgsDockWidget, QgsMapCanvas, QgsMapLayerComboBox, QgsRubberBand
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSplitter, QToolButton, QVBoxLayout, QWidget

from ... import plugin_settings
from ...adapters.workspaces import workspace_patch_layer
from ..patch_list.navigation import to_canvas_crs, view_extent
from .overlays import COLOURS, key_field, label_by, outline_copy
from .swipe import SwipeMapTool
from .sync import ExtentSync

OUTLINE = {"color": "0,0,0,0", "outline_color": "255,255,0,255", "outline_width": "0.5"}
PATCH_LABEL_COLOUR = "#ffff00"
CURRENT_COLOUR = QColor(255, 0, 0)


def _find_layer(layer_id: str, source: str) -> QgsMapLayer | None:
    """A project layer by id, else by data source (the id differs from project to project)."""
    project = QgsProject.instance()
    layer = project.mapLayer(layer_id) if layer_id else None
    if layer is None and source:
        layer = next((lyr for lyr in project.mapLayers().values()
                      if isinstance(lyr, QgsRasterLayer) and lyr.source() == source), None)
    return layer


class CompareDock(QgsDockWidget):
    """Two linked canvases (前时相 | 后时相) plus the swipe tool for the main map."""

    OBJECT_NAME = "wpzfCompareDock"

    def __init__(self, iface, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Imagery comparison"), parent or iface.mainWindow())
        self.setObjectName(self.OBJECT_NAME)
        self.iface = iface
        self.outline_layer: QgsVectorLayer | None = None
        self.patch_geometry: QgsGeometry | None = None
        self.patch_crs = QgsCoordinateReferenceSystem()
        self._has_view = False
        self._bands: list[QgsRubberBand] = []
        self._copies: dict[str, QgsVectorLayer] = {}  # project layer id → its outline copy in the canvases
        self._colours_used = 0
        self._build()
        self.sync = ExtentSync(self.before_canvas, self.after_canvas)
        self.swipe_tool = SwipeMapTool(iface.mapCanvas())
        # A bound method, not a lambda: the tool lives on the main canvas, and a lambda's closure would keep
        # this dock's Python object (and its layers) alive after the dock is deleted, past QGIS's exit.
        self.swipe_tool.deactivated.connect(self._swipe_deactivated)
        project = QgsProject.instance()
        project.layersAdded.connect(self._project_layers_changed)
        project.layersRemoved.connect(self._project_layers_changed)
        self._restore_choices()
        self._refresh_overlays()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CompareDock", text)

    # -- construction ------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.before_combo = self._layer_combo(body, "wpzfBeforeImagery")
        self.after_combo = self._layer_combo(body, "wpzfAfterImagery")
        self.overlay_combo = QgsCheckableComboBox(body)
        self.overlay_combo.setObjectName("wpzfCompareOverlays")
        self.overlay_combo.setDefaultText(self.tr("Overlays"))
        self.overlay_combo.checkedItemsChanged.connect(self._overlays_checked)  # bound: see swipe_tool above
        self.keep_scale = QCheckBox(self.tr("Keep scale"), body)
        self.keep_scale.setToolTip(self.tr("Moving to the next patch re-centres the views at the current scale"))
        self.keep_scale.setChecked(True)
        self.swipe_button = QToolButton(body)
        self.swipe_button.setText(self.tr("Swipe"))
        self.swipe_button.setToolTip(self.tr("Swipe on the main map: left of the mouse shows the before imagery"))
        self.swipe_button.setCheckable(True)
        self.swipe_button.toggled.connect(self.set_swipe)
        for widget in (QLabel(self.tr("Before"), body), self.before_combo, QLabel(self.tr("After"), body),
                       self.after_combo, self.overlay_combo, self.keep_scale, self.swipe_button):
            bar.addWidget(widget)
        layout.addLayout(bar)

        splitter = QSplitter(Qt.Horizontal, body)
        self.before_canvas = self._canvas(splitter, "wpzfBeforeCanvas")
        self.after_canvas = self._canvas(splitter, "wpzfAfterCanvas")
        layout.addWidget(splitter, 1)
        self.status = QLabel(body)
        self.status.setObjectName("wpzfCompareStatus")
        layout.addWidget(self.status)
        self.setWidget(body)
        self.before_combo.layerChanged.connect(self._before_changed)
        self.after_combo.layerChanged.connect(self._after_changed)

    def _layer_combo(self, parent: QWidget, name: str) -> QgsMapLayerComboBox:
        combo = QgsMapLayerComboBox(parent)
        combo.setObjectName(name)
        combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        combo.setAllowEmptyLayer(True)
        combo.setLayer(None)
        return combo

    def _canvas(self, parent: QWidget, name: str) -> QgsMapCanvas:
        canvas = QgsMapCanvas(parent)
        canvas.setObjectName(name)
        canvas.setCanvasColor(QColor(255, 255, 255))
        canvas.enableAntiAliasing(True)
        canvas.setMinimumSize(160, 160)
        return canvas

    # -- layers --------------------------------------------------------------
    def _restore_choices(self) -> None:
        for combo, get_id, get_source in (
            (self.before_combo, plugin_settings.before_imagery_layer, plugin_settings.before_imagery_source),
            (self.after_combo, plugin_settings.after_imagery_layer, plugin_settings.after_imagery_source),
        ):
            layer = _find_layer(get_id(), get_source())
            combo.blockSignals(True)
            combo.setLayer(layer)
            combo.blockSignals(False)
        self._apply_layers()

    def set_imagery(self, before: QgsMapLayer | None, after: QgsMapLayer | None) -> None:
        """Choose the before and after layers (as the combos do); remembered in the settings."""
        self.before_combo.setLayer(before)
        self.after_combo.setLayer(after)

    def _before_changed(self, layer: QgsMapLayer | None) -> None:
        plugin_settings.set_before_imagery_layer(layer.id() if layer else "")
        plugin_settings.set_before_imagery_source(layer.source() if layer else "")
        self.swipe_tool.set_layer(layer)
        self._apply_layers()

    def _after_changed(self, layer: QgsMapLayer | None) -> None:
        plugin_settings.set_after_imagery_layer(layer.id() if layer else "")
        plugin_settings.set_after_imagery_source(layer.source() if layer else "")
        self._apply_layers()

    def overlay_layers(self) -> list[QgsMapLayer]:
        project = QgsProject.instance()
        return [lyr for lyr in (project.mapLayer(i) for i in self.overlay_combo.checkedItemsData()) if lyr]

    def set_overlays(self, layers: list[QgsMapLayer]) -> None:
        ids = {lyr.id() for lyr in layers}
        for i in range(self.overlay_combo.count()):
            self.overlay_combo.setItemCheckState(i, Qt.Checked if self.overlay_combo.itemData(i) in ids else Qt.Unchecked)
        self._apply_layers()

    def _refresh_overlays(self) -> None:
        checked = set(self.overlay_combo.checkedItemsData())
        self.overlay_combo.blockSignals(True)
        self.overlay_combo.clear()
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.geometryType() != QgsWkbTypes.NullGeometry:
                self.overlay_combo.addItemWithCheckState(
                    layer.name(), Qt.Checked if layer.id() in checked else Qt.Unchecked, layer.id())
        self.overlay_combo.blockSignals(False)

    def _project_layers_changed(self, *_args) -> None:
        self._refresh_overlays()
        self._apply_layers()
        project = QgsProject.instance()
        for layer_id in [i for i in self._copies if project.mapLayer(i) is None]:
            del self._copies[layer_id]  # its project layer is gone (and no canvas draws the copy any more)

    def shown_overlay(self, layer: QgsVectorLayer) -> QgsVectorLayer:
        """The outline copy the canvases draw for project layer ``layer`` (made once, in its own colour)."""
        copy = self._copies.get(layer.id())
        if copy is None:
            colour = COLOURS[self._colours_used % len(COLOURS)]
            self._colours_used += 1
            copy = outline_copy(layer, colour)
            self._copies[layer.id()] = copy
        return copy

    def _apply_layers(self) -> None:
        """Give each canvas: patch outlines, ticked overlays (as outlines), then its imagery (drawn first)."""
        overlays = [self.shown_overlay(lyr) if isinstance(lyr, QgsVectorLayer) else lyr
                    for lyr in self.overlay_layers()]
        vectors = ([self.outline_layer] if self.outline_layer is not None else []) + overlays
        for canvas, combo in ((self.before_canvas, self.before_combo), (self.after_canvas, self.after_combo)):
            imagery = [combo.currentLayer()] if combo.currentLayer() is not None else []
            canvas.setLayers(vectors + imagery)
            if not canvas.mapSettings().destinationCrs().isValid():
                crs = self._view_crs(imagery)
                if crs.isValid():
                    canvas.setDestinationCrs(crs)
            canvas.refresh()

    def _view_crs(self, imagery: list[QgsMapLayer]) -> QgsCoordinateReferenceSystem:
        main = self.iface.mapCanvas().mapSettings().destinationCrs()
        if main.isValid():
            return main
        if self.outline_layer is not None and self.outline_layer.crs().isValid():
            return self.outline_layer.crs()
        return imagery[0].crs() if imagery else QgsCoordinateReferenceSystem()

    # -- workspace and patch -------------------------------------------------
    def set_workspace(self, path: Path | str | None) -> None:
        """Outline the patches of this workspace in both canvases."""
        layer = None
        if path:
            layer = workspace_patch_layer(str(path))
            layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(OUTLINE)))
            label_by(layer, key_field(layer), PATCH_LABEL_COLOUR)
        self.outline_layer = layer
        self._apply_layers()

    def set_patch(self, fid: int, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> None:
        """Show patch ``fid``: outline it in red; keep the scale set up (or zoom to it the first time)."""
        self.patch_geometry, self.patch_crs = QgsGeometry(geometry), crs
        for canvas in (self.before_canvas, self.after_canvas):
            if not canvas.mapSettings().destinationCrs().isValid() and crs.isValid():
                canvas.setDestinationCrs(self._view_crs([]) if self._view_crs([]).isValid() else crs)
        in_view = to_canvas_crs(geometry, crs, self.before_canvas)
        fitted = view_extent(in_view)
        message = ""
        if self._has_view and self.keep_scale.isChecked():
            kept = self._extent_centred_on(fitted.center())
            if kept.contains(fitted):
                self.before_canvas.setCenter(in_view.boundingBox().center())
            else:  # the kept scale would crop the patch
                self.before_canvas.setExtent(fitted)
                message = self.tr("The patch does not fit at the kept scale: zoomed out to show all of it "
                                  "(1:{scale}).").format(scale=round(self.before_canvas.scale()))
        else:
            self.before_canvas.setExtent(fitted)
        self.status.setText(message)
        self._has_view = True
        self.before_canvas.refresh()
        self._show_bands(geometry, crs)

    def _extent_centred_on(self, centre) -> QgsRectangle:
        """The before canvas's extent at its current scale, moved to ``centre``."""
        extent = self.before_canvas.extent()
        half_w, half_h = extent.width() / 2, extent.height() / 2
        return QgsRectangle(centre.x() - half_w, centre.y() - half_h, centre.x() + half_w, centre.y() + half_h)

    def _show_bands(self, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> None:
        self._clear_bands()
        for canvas in (self.before_canvas, self.after_canvas):
            band = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
            band.setStrokeColor(CURRENT_COLOUR)
            band.setFillColor(QColor(0, 0, 0, 0))
            band.setWidth(3)
            band.setToGeometry(geometry, crs)
            self._bands.append(band)

    def _clear_bands(self) -> None:
        for band in self._bands:
            band.reset(QgsWkbTypes.PolygonGeometry)
            scene = band.scene()
            if scene is not None:
                scene.removeItem(band)
        self._bands.clear()

    # -- swipe ---------------------------------------------------------------
    def set_swipe(self, on: bool) -> None:
        """Turn the swipe tool on the main map on or off (left of the mouse: the before imagery)."""
        canvas = self.iface.mapCanvas()
        if on:
            self.swipe_tool.set_layer(self.before_combo.currentLayer())
            canvas.setMapTool(self.swipe_tool)
        elif canvas.mapTool() is self.swipe_tool:
            canvas.unsetMapTool(self.swipe_tool)
        if self.swipe_button.isChecked() != on:
            self.swipe_button.setChecked(on)

    def _overlays_checked(self, _items: list) -> None:
        self._apply_layers()

    def _swipe_deactivated(self) -> None:
        self.swipe_button.setChecked(False)

    def cleanup(self) -> None:
        """Release the map tool, rubber bands and project connections (plugin unload)."""
        self.set_swipe(False)
        self._clear_bands()
        self.sync.disconnect()
        project = QgsProject.instance()
        for signal in (project.layersAdded, project.layersRemoved):
            try:
                signal.disconnect(self._project_layers_changed)
            except (TypeError, RuntimeError):
                pass
        for canvas in (self.before_canvas, self.after_canvas):
            canvas.freeze(True)  # no new render may start on a canvas about to be deleted
            canvas.waitWhileRendering()  # deleting a canvas while it renders crashes QGIS
            canvas.setLayers([])
        self._copies.clear()  # the overlay copies: drawn by no canvas any more
        self.outline_layer = None  # nor the patch outline: no layer may outlive QGIS through this dock
