"""A swipe map tool: left of the mouse, the main map shows one chosen layer (e.g. the 前时相 imagery).

The layer is rendered once per canvas refresh into an image by a
QgsMapRendererParallelJob with the canvas's own map settings; a canvas item
paints the part of that image left of the cursor. Moving the mouse only
repaints, it never re-renders.
"""
from __future__ import annotations

from qgis.core import QgsMapLayer, QgsMapRendererParallelJob, QgsMapSettings, QgsRectangle
from qgis.gui import QgsMapCanvas, QgsMapCanvasItem, QgsMapTool
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QImage, QPainter, QPen


class SwipeItem(QgsMapCanvasItem):
    """Paints the rendered layer image left of ``split_x`` (canvas pixels) and a divider line."""

    def __init__(self, canvas: QgsMapCanvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.layer: QgsMapLayer | None = None
        self.image: QImage | None = None
        self.split_x = canvas.width() / 2
        self._job: QgsMapRendererParallelJob | None = None
        self.setZValue(-5)  # under rubber bands and highlights (0), over the rendered map (-10)

    def set_layer(self, layer: QgsMapLayer | None) -> None:
        self.layer = layer
        self.render()

    def set_split(self, x: float) -> None:
        self.split_x = x
        self.update()

    def render(self) -> None:
        """Start rendering the layer for the canvas's current view (cancels a running render)."""
        self.cancel()
        if self.layer is None:
            self.image = None
            self.update()
            return
        settings = QgsMapSettings(self.canvas.mapSettings())
        settings.setLayers([self.layer])
        settings.setBackgroundColor(QColor(0, 0, 0, 0))
        job = QgsMapRendererParallelJob(settings)
        job.finished.connect(lambda: self._rendered(job, settings.visibleExtent()))
        self._job = job
        job.start()

    def _rendered(self, job: QgsMapRendererParallelJob, extent: QgsRectangle) -> None:
        if job is not self._job:
            return
        self.image = job.renderedImage()
        self._job = None
        self.setRect(extent)
        self.update()

    def wait(self) -> None:
        """Block until the current render is done (tests, screenshots)."""
        if self._job is not None:
            self._job.waitForFinished()

    def cancel(self) -> None:
        if self._job is not None:
            job, self._job = self._job, None
            job.cancel()  # blocking: a render cancelled in flight must not outlive its item

    def paint(self, painter: QPainter, option=None, widget=None) -> None:
        """QGraphicsScene calls paint(painter, option, widget); QGIS's own paint(painter) takes one."""
        if self.image is None or self.image.isNull():
            return
        size = self.boundingRect().size()
        width = min(max(self.split_x - self.pos().x(), 0.0), size.width())
        if width > 0:
            scale = self.image.width() / size.width() if size.width() else 1.0
            painter.drawImage(QRectF(0, 0, width, size.height()), self.image,
                              QRectF(0, 0, width * scale, self.image.height()))
        painter.setPen(QPen(QColor(255, 255, 255), 2))
        painter.drawLine(QPointF(width, 0), QPointF(width, size.height()))


class SwipeMapTool(QgsMapTool):
    """Map tool: move the mouse over the main map to swipe the chosen layer in from the left."""

    def __init__(self, canvas: QgsMapCanvas, layer: QgsMapLayer | None = None) -> None:
        super().__init__(canvas)
        self._layer = layer
        self.item: SwipeItem | None = None
        self.setCursor(Qt.SplitHCursor)

    def set_layer(self, layer: QgsMapLayer | None) -> None:
        self._layer = layer
        if self.item is not None:
            self.item.set_layer(layer)

    def activate(self) -> None:
        super().activate()
        canvas = self.canvas()
        if self.item is None:
            self.item = SwipeItem(canvas)
            canvas.mapCanvasRefreshed.connect(self.item.render)
        self.item.set_layer(self._layer)

    def deactivate(self) -> None:
        self._drop_item()
        super().deactivate()

    def _drop_item(self) -> None:
        if self.item is None:
            return
        item, self.item = self.item, None
        item.cancel()
        try:
            self.canvas().mapCanvasRefreshed.disconnect(item.render)
        except (TypeError, RuntimeError):
            pass
        scene = self.canvas().scene()
        if scene is not None:
            scene.removeItem(item)

    def canvasMoveEvent(self, event) -> None:  # noqa: N802 - QGIS API
        if self.item is not None:
            self.item.set_split(event.pos().x())
