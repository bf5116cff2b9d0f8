"""The 内业比对 compare view: generated before/after GeoTIFFs in two linked canvases, swipe, workbench wiring."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QEvent, QPoint
from qgis.PyQt.QtGui import QImage, QPainter

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "output"

_KEEP_ALIVE: list = []


def save_screenshot(widget, name: str) -> Path:
    """Write ``widget`` to tests/output/<name>; also to docs/images when WPZF_UPDATE_SCREENSHOTS=1."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    assert widget.grab().save(str(path)), path
    if os.environ.get("WPZF_UPDATE_SCREENSHOTS") == "1":
        (ROOT / "docs" / "images").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, ROOT / "docs" / "images" / name)
    return path


@pytest.fixture(scope="module")
def workspace(district, tmp_path_factory, qgis_processing):
    from qgis import processing
    from qgis.core import QgsApplication

    from wpzf.processing.provider import WpzfProvider

    if QgsApplication.processingRegistry().providerById("wpzf") is None:
        _KEEP_ALIVE.append(WpzfProvider())  # PyQGIS drops a provider whose Python object is collected
        QgsApplication.processingRegistry().addProvider(_KEEP_ALIVE[-1])
    path = tmp_path_factory.mktemp("ws") / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    return path


@pytest.fixture()
def imagery(district, qgis_canvas):
    project = QgsProject.instance()
    project.removeAllMapLayers()
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4523"))
    before = QgsRasterLayer(str(district.imagery_before), "前时相")
    after = QgsRasterLayer(str(district.imagery_after), "后时相")
    towns = QgsVectorLayer(f"{district.xzq}|layername=XZQ", "XZQ", "ogr")
    assert before.isValid() and after.isValid() and towns.isValid()
    towns.renderer().setSymbol(QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": "255,255,255",
                                                           "outline_width": "0.6", "outline_style": "dash"}))
    project.addMapLayers([before, after, towns])
    yield before, after, towns
    project.removeAllMapLayers()


@pytest.fixture()
def compare(iface, imagery, workspace, qtbot):
    from wpzf.ui.compare.view import CompareDock

    dock = CompareDock(iface)
    qtbot.addWidget(dock)
    dock.setFloating(True)  # its parent, the mock main window, is never shown
    dock.resize(1000, 460)
    dock.show()
    qtbot.waitExposed(dock)
    dock.set_workspace(workspace)
    yield dock
    dock.cleanup()


def patches(workspace, n=2):
    layer = QgsVectorLayer(f"{workspace}|layername=jctb", "p", "ogr")
    features = list(layer.getFeatures())[:n]
    return [(f.id(), f.geometry()) for f in features], layer.crs()


def wait_rendered(qtbot, *canvases):
    for canvas in canvases:
        if canvas.isDrawing():
            with qtbot.waitSignal(canvas.mapCanvasRefreshed, timeout=20000):
                pass
        else:
            with qtbot.waitSignal(canvas.mapCanvasRefreshed, timeout=20000):
                canvas.refresh()


def test_canvases_show_the_chosen_imagery_and_remember_it(compare, imagery, iface):
    from wpzf import plugin_settings
    from wpzf.ui.compare.view import CompareDock

    before, after, towns = imagery
    compare.set_imagery(before, after)
    assert plugin_settings.before_imagery_layer() == before.id()
    assert plugin_settings.after_imagery_source() == after.source()
    assert compare.before_canvas.layers()[-1] is before and compare.after_canvas.layers()[-1] is after
    assert compare.outline_layer in compare.before_canvas.layers() and compare.outline_layer.isValid()
    assert towns not in compare.before_canvas.layers()
    compare.set_overlays([towns])
    shown = compare.shown_overlay(towns)  # drawn as a styled copy, the project layer keeps its style
    assert shown in compare.before_canvas.layers() and shown in compare.after_canvas.layers()
    assert towns not in compare.before_canvas.layers()
    again = CompareDock(iface)  # chosen once: a new view starts with the same layers
    try:
        assert again.before_combo.currentLayer() is before and again.after_combo.currentLayer() is after
    finally:
        again.cleanup()
        again.deleteLater()


def test_extents_follow_each_other_and_the_next_patch_keeps_the_scale(compare, imagery, workspace, qtbot):
    before, after, _ = imagery
    compare.set_imagery(before, after)
    (fid1, g1), (fid2, g2) = patches(workspace)[0]
    crs = patches(workspace)[1]
    compare.set_patch(fid1, g1, crs)
    left, right = compare.before_canvas, compare.after_canvas
    assert left.extent().contains(g1.boundingBox())
    assert right.extent().center().distance(left.extent().center()) < 0.01
    assert right.mapUnitsPerPixel() == pytest.approx(left.mapUnitsPerPixel())

    centre = g1.boundingBox().center()
    right.setExtent(QgsRectangle(centre.x() - 400, centre.y() - 300, centre.x() + 600, centre.y() + 500))
    assert left.extent().center().distance(right.extent().center()) < 0.01
    assert left.mapUnitsPerPixel() == pytest.approx(right.mapUnitsPerPixel())
    scale = left.scale()

    compare.set_patch(fid2, g2, crs)
    assert left.scale() == pytest.approx(scale, rel=1e-6) and right.scale() == pytest.approx(scale, rel=1e-6)
    assert left.extent().center().distance(g2.boundingBox().center()) < 0.01
    assert right.extent().center().distance(g2.boundingBox().center()) < 0.01
    assert len(compare._bands) == 2 and compare._bands[0].asGeometry().boundingBox().contains(
        g2.boundingBox().center())
    compare.keep_scale.setChecked(False)
    compare.set_patch(fid1, g1, crs)
    assert left.scale() != pytest.approx(scale, rel=1e-3)  # zoomed to the patch instead

    compare.set_overlays([imagery[2]])
    left.zoomScale(8000)  # the screenshot: the patch among its neighbours and the town boundaries
    wait_rendered(qtbot, left, right)

    def colours(canvas) -> int:
        image = canvas.grab().toImage()
        return len({image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)})

    qtbot.waitUntil(lambda: colours(left) > 20 and colours(right) > 20, timeout=20000)  # imagery drawn in both
    save_screenshot(compare, "compare_view.png")


def test_swipe_tool_draws_the_before_imagery_left_of_the_mouse(compare, imagery, iface, qtbot):
    before, after, _ = imagery
    canvas = iface.mapCanvas()
    canvas.resize(400, 300)
    canvas.setLayers([after])
    middle = before.extent().center()
    canvas.setExtent(QgsRectangle(middle.x() - 1000, middle.y() - 1000, middle.x() + 1000, middle.y() + 1000))
    compare.set_imagery(before, after)
    compare.swipe_button.setChecked(True)
    tool = compare.swipe_tool
    assert canvas.mapTool() is tool and tool.item is not None and tool.item.layer is before
    tool.item.wait()
    qtbot.waitUntil(lambda: tool.item.image is not None, timeout=20000)
    size = tool.item.boundingRect().size()
    assert size.width() > 0
    tool.canvasMoveEvent(_FakeEvent(int(size.width() / 3)))
    painted = QImage(int(size.width()), int(size.height()), QImage.Format_ARGB32)
    painted.fill(0)
    painter = QPainter(painted)
    tool.item.paint(painter)
    painter.end()
    y = int(size.height() / 2)
    left = [painted.pixelColor(x, y).alpha() for x in range(2, int(size.width() / 3) - 3, 5)]
    right = [painted.pixelColor(x, y).alpha() for x in range(int(size.width() / 3) + 3, int(size.width()), 5)]
    assert min(left) == 255 and max(right) == 0
    compare.swipe_button.setChecked(False)
    assert canvas.mapTool() is not tool and tool.item is None


class _FakeEvent:
    def __init__(self, x: int) -> None:
        self._pos = QPoint(x, 10)

    def pos(self) -> QPoint:
        return self._pos


def test_workbench_connects_the_list_to_the_compare_view_and_cleans_up(iface, imagery, workspace, qtbot):
    from wpzf.ui.workbench import Workbench

    before, after, _ = imagery
    bench = Workbench(iface)
    bench.set_workspace(workspace)
    listing = bench.show_patch_list()
    compare = bench.show_compare()
    compare.set_imagery(before, after)
    listing.table.selectRow(3)
    fid = listing.current_fid()
    geometry, _crs = listing.geometry_of(fid)
    assert compare.before_canvas.extent().contains(geometry.boundingBox())
    listing.next()
    geometry, _crs = listing.geometry_of(listing.current_fid())
    assert compare.after_canvas.extent().contains(geometry.boundingBox().center())
    main_window = iface.mainWindow()
    assert main_window.findChild(type(listing), listing.OBJECT_NAME) is listing
    bench.remove()
    from qgis.PyQt.QtCore import QCoreApplication

    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert bench.patch_list is None and bench.compare is None
    assert [w for w in main_window.findChildren(type(listing)) if w.objectName().startswith("wpzf")] == []
    assert QgsProject.instance().mapLayers()  # the user's layers stay



def test_main_menu_opens_the_workbench_on_the_loaded_workspace(iface, imagery, workspace):
    from qgis.PyQt.QtCore import QCoreApplication
    from qgis.PyQt.QtWidgets import QAction

    from wpzf.ui.main_menu import MainMenu
    from wpzf.ui.patch_list.dock import PatchListDock
    from wpzf.ui.patch_list.navigation import patch_layer_name

    menu = MainMenu(iface, "wpzfMenuTest", "wpzfToolbarTest")
    try:
        menu.load_workspace(workspace)
        assert menu.workbench.workspace == workspace
        actions = {a.objectName(): a for a in menu.menu.findChildren(QAction)} | {a.objectName(): a for a in menu.actions}
        actions["wpzfPatchList"].trigger()
        actions["wpzfCompareImagery"].trigger()
        assert menu.workbench.patch_list.proxy.rowCount() == 60
        assert len(QgsProject.instance().mapLayersByName(patch_layer_name(workspace))) == 1
        menu.workbench.patch_list.next()  # reuses the layer load_workspace added
        assert len(QgsProject.instance().mapLayersByName(patch_layer_name(workspace))) == 1
    finally:
        menu.remove()
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert iface.mainWindow().findChildren(PatchListDock) == []


def brush_styles(layer) -> set:
    """Brush styles and fill alphas of the fill symbol layers of ``layer``'s renderer."""
    from qgis.core import QgsRenderContext

    context = QgsRenderContext()
    found = set()
    for symbol in layer.renderer().symbols(context):
        for index in range(symbol.symbolLayerCount()):
            symbol_layer = symbol.symbolLayer(index)
            if hasattr(symbol_layer, "brushStyle"):
                found.add((symbol_layer.brushStyle(), symbol_layer.color().alpha()))
    return found


def test_overlays_are_labelled_outlines_over_the_imagery(compare, imagery, district, workspace, qtbot):
    """Issue 15 item 6: opaque project styles must not hide the imagery; the key field names each outline."""
    from qgis.PyQt.QtCore import Qt

    before, after, towns = imagery
    approvals = QgsVectorLayer(f"{district.approvals}|layername=NYDZY", "NYDZY", "ogr")
    filings = QgsVectorLayer(f"{district.approvals}|layername=SSNYD", "SSNYD", "ogr")
    landuse = QgsVectorLayer(f"{district.landuse}|layername=DLTB", "DLTB", "ogr")
    patches_layer = QgsVectorLayer(f"{workspace}|layername=jctb", "监测图斑", "ogr")
    layers = [approvals, filings, landuse, patches_layer]
    assert all(layer.isValid() for layer in layers)
    for layer in layers:  # the project's styles: solid opaque fills
        layer.renderer().setSymbol(QgsFillSymbol.createSimple({"color": "30,120,30,255", "outline_style": "no"}))
    QgsProject.instance().addMapLayers(layers)
    compare.set_imagery(before, after)
    compare.set_overlays(layers)
    expected = {approvals: "PZWH", filings: "BABH", landuse: None, patches_layer: "JCBH"}
    colours = set()
    for layer, field in expected.items():
        shown = compare.shown_overlay(layer)
        assert shown in compare.before_canvas.layers() and shown in compare.after_canvas.layers()
        assert brush_styles(shown) == {(Qt.NoBrush, brush_styles(shown).pop()[1])}, layer.name()
        assert shown.labelsEnabled() == (field is not None), layer.name()
        if field:
            assert shown.labeling().settings().fieldName == field
        colours.add(shown.renderer().symbol().symbolLayer(0).strokeColor().name())
        assert brush_styles(layer) == {(Qt.SolidPattern, 255)}  # the project layer is untouched
    assert len(colours) == 4  # one colour per overlay
    assert compare.outline_layer.labelsEnabled() and compare.outline_layer.labeling().settings().fieldName == "JCBH"
    (fid, geometry), crs = patches(workspace, 1)[0][0], patches(workspace, 1)[1]
    compare.set_patch(fid, geometry, crs)
    compare.before_canvas.zoomScale(5000)
    wait_rendered(qtbot, compare.before_canvas, compare.after_canvas)
    save_screenshot(compare, "compare_overlays.png")  # a person looks: outlines and labels over the imagery
    QgsProject.instance().removeMapLayer(filings.id())
    assert len(compare.overlay_layers()) == 3 and len(compare._copies) == 3


def test_keep_scale_zooms_out_for_a_patch_larger_than_the_view(compare, imagery, workspace):
    """Keeping the scale must not crop a large patch: it is fitted (with its margin) and the status says so."""
    from qgis.core import QgsGeometry

    from wpzf.ui.patch_list.navigation import view_extent

    before, after, _ = imagery
    compare.set_imagery(before, after)
    (fid1, g1), _second = patches(workspace)[0]
    crs = patches(workspace)[1]
    compare.set_patch(fid1, g1, crs)
    compare.before_canvas.zoomScale(2000)
    assert compare.keep_scale.isChecked()
    small_view = compare.before_canvas.extent()
    centre = g1.boundingBox().center()
    # a patch three times as wide as the view at 1:2000: it cannot fit at the kept scale
    half = small_view.width() * 1.5
    big = QgsGeometry.fromRect(QgsRectangle(centre.x() - half, centre.y() - half / 2,
                                            centre.x() + half, centre.y() + half / 2))
    compare.set_patch(-1, big, crs)
    for canvas in (compare.before_canvas, compare.after_canvas):
        assert canvas.extent().contains(big.boundingBox())
        assert canvas.extent().contains(view_extent(big)) or canvas.extent().width() >= view_extent(big).width() - 0.01
    assert compare.before_canvas.scale() > 2000 * 3
    assert "1:" in compare.status.text()
    scale = compare.before_canvas.scale()
    compare.set_patch(fid1, g1, crs)  # a small patch fits: the (new) scale is kept and the note goes
    assert compare.before_canvas.scale() == pytest.approx(scale, rel=1e-6)
    assert compare.status.text() == ""
