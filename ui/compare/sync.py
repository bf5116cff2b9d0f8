"""Keep two map canvases showing the same place at the same scale, both ways, without loops."""
from __future__ import annotations

from qgis.core import QgsRectangle
from qgis.gui import QgsMapCanvas


def matching_extent(source: QgsMapCanvas, target: QgsMapCanvas) -> QgsRectangle:
    """The extent ``target`` needs to show ``source``'s centre at ``source``'s map units per pixel."""
    size = target.mapSettings().outputSize()
    upp = source.mapUnitsPerPixel()
    if size.width() <= 0 or size.height() <= 0 or upp <= 0:
        return QgsRectangle(source.extent())
    centre = source.extent().center()
    half_w, half_h = size.width() * upp / 2, size.height() * upp / 2
    return QgsRectangle(centre.x() - half_w, centre.y() - half_h, centre.x() + half_w, centre.y() + half_h)


class ExtentSync:
    """Links the extents of two canvases: a pan or zoom on either is repeated on the other.

    A guard flag stops the echo: the target's own ``extentsChanged`` while it is
    being moved is ignored.
    """

    def __init__(self, first: QgsMapCanvas, second: QgsMapCanvas) -> None:
        self.first, self.second = first, second
        self._busy = False
        first.extentsChanged.connect(self._first_moved)
        second.extentsChanged.connect(self._second_moved)

    def _first_moved(self) -> None:
        self._follow(self.first, self.second)

    def _second_moved(self) -> None:
        self._follow(self.second, self.first)

    def _follow(self, source: QgsMapCanvas, target: QgsMapCanvas) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            if target.mapSettings().destinationCrs() != source.mapSettings().destinationCrs():
                target.setDestinationCrs(source.mapSettings().destinationCrs())
            target.setExtent(matching_extent(source, target))
            target.refresh()
        finally:
            self._busy = False

    def disconnect(self) -> None:
        for canvas, slot in ((self.first, self._first_moved), (self.second, self._second_moved)):
            try:
                canvas.extentsChanged.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
