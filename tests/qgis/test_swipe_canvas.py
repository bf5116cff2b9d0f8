"""Issue 15 item 3: the swipe tool on a real QgsMapCanvas — mouse moves through the canvas's own event path.

QGraphicsScene paints an item with paint(painter, option, widget); a SwipeItem.paint taking only the painter
raised "TypeError: SwipeItem.paint() takes 2 positional arguments but 4 were given" on every repaint and drew
nothing. Here the canvas is grabbed as the user sees it: left of the mouse the before image, right the after.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from osgeo import gdal, osr
from qgis.core import QgsCoordinateReferenceSystem, QgsRasterLayer, QgsRectangle
from qgis.gui import QgsMapCanvas, QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QColor, QMouseEvent
from qgis.PyQt.QtWidgets import QApplication

OUTPUT = Path(__file__).resolve().parents[1] / "output"
X0, Y0, SIZE, PIXEL = 35_590_000.0, 3_250_000.0, 100, 10.0  # a 1 km square in EPSG:4523
BEFORE_RGB, AFTER_RGB = (220, 30, 30), (30, 60, 220)


def geotiff(path, rgb) -> str:
    """A SIZE × SIZE three-band GeoTIFF of one colour."""
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), SIZE, SIZE, 3, gdal.GDT_Byte)
    dataset.SetGeoTransform((X0, PIXEL, 0.0, Y0 + SIZE * PIXEL, 0.0, -PIXEL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4523)
    dataset.SetProjection(srs.ExportToWkt())
    for band, value in enumerate(rgb, start=1):
        dataset.GetRasterBand(band).Fill(value)
    dataset.FlushCache()
    dataset = None
    return str(path)


def close_to(colour: QColor, rgb, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip((colour.red(), colour.green(), colour.blue()), rgb))


@pytest.fixture()
def canvas(qtbot):
    canvas = QgsMapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.setCanvasColor(QColor(255, 255, 255))
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4523"))
    canvas.show()
    qtbot.waitExposed(canvas)
    yield canvas
    canvas.unsetMapTool(canvas.mapTool()) if canvas.mapTool() else None
    canvas.waitWhileRendering()


def test_swipe_shows_before_left_and_after_right_of_the_mouse(canvas, tmp_path, qtbot, monkeypatch):
    from wpzf.ui.compare.swipe import SwipeMapTool

    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: errors.append(f"{kind.__name__}: {value}"))
    before = QgsRasterLayer(geotiff(tmp_path / "before.tif", BEFORE_RGB), "before")
    after = QgsRasterLayer(geotiff(tmp_path / "after.tif", AFTER_RGB), "after")
    assert before.isValid() and after.isValid()
    canvas.setLayers([after])
    middle = after.extent().center()  # a 4:3 view (as the canvas) well inside both images
    canvas.setExtent(QgsRectangle(middle.x() - 300, middle.y() - 225, middle.x() + 300, middle.y() + 225))
    with qtbot.waitSignal(canvas.mapCanvasRefreshed, timeout=20000):
        canvas.refresh()

    tool = SwipeMapTool(canvas, before)
    canvas.setMapTool(tool)
    tool.item.wait()
    qtbot.waitUntil(lambda: tool.item.image is not None, timeout=20000)

    split = 120
    for x in (300, 60, split):  # moves through the viewport, as the mouse sends them
        QApplication.sendEvent(canvas.viewport(), QMouseEvent(
            QEvent.MouseMove, QPointF(x, 150), Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    assert tool.item.split_x == split
    tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.MouseMove, QPoint(split, 150)))  # the tool's own entry
    QApplication.processEvents()
    image = canvas.grab().toImage()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    image.save(str(OUTPUT / "swipe_canvas.png"))  # for a person to look at

    y = image.height() // 2
    ratio = image.width() / canvas.width()
    left = [image.pixelColor(int(x * ratio), y) for x in range(5, split - 5, 7)]
    right = [image.pixelColor(int(x * ratio), y) for x in range(split + 5, canvas.width() - 5, 7)]
    assert all(close_to(c, BEFORE_RGB) for c in left), [c.name() for c in left]
    assert all(close_to(c, AFTER_RGB) for c in right), [c.name() for c in right]
    assert errors == []

    canvas.unsetMapTool(tool)
    assert tool.item is None
    image = canvas.grab().toImage()
    assert close_to(image.pixelColor(int(40 * ratio), y), AFTER_RGB)  # the swipe is gone with the tool
