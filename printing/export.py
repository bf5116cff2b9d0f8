"""PDF export of patch layouts: one file per patch, or every patch in one file.

The combined file goes through QgsLayoutExporter's iterator export, which
prints every page of the layout once per iteration into one PDF; the
iterator rebuilds the layout for the next patch and skips (and reports) a
patch whose layout cannot be built, so one bad patch never stops the rest.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qgis.core import QgsAbstractLayoutIterator, QgsLayoutExporter, QgsPrintLayout, QgsRenderContext


class PrintFailed(RuntimeError):
    """The exporter refused a page; the message says why."""


def pdf_settings(dpi: int = 300) -> QgsLayoutExporter.PdfExportSettings:
    """Text stays text (searchable, selectable CJK); vector output at ``dpi`` for the imagery."""
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
    settings.exportMetadata = True
    return settings


def _explain(result, exporter: QgsLayoutExporter | None, path: Path) -> str:
    names = {QgsLayoutExporter.FileError: "cannot write the file", QgsLayoutExporter.PrintError: "printing failed",
             QgsLayoutExporter.MemoryError: "out of memory", QgsLayoutExporter.IteratorError: "iterator failed",
             QgsLayoutExporter.Canceled: "canceled"}
    detail = exporter.errorFile() if exporter is not None and hasattr(exporter, "errorFile") else ""
    return f"{names.get(result, f'error {int(result)}')}: {detail or path}"


def export_pdf(layout: QgsPrintLayout, path: Path, dpi: int = 300) -> None:
    """Every page of ``layout`` into ``path``; :class:`PrintFailed` if QGIS refuses."""
    exporter = QgsLayoutExporter(layout)
    result = exporter.exportToPdf(str(path), pdf_settings(dpi))
    if result != QgsLayoutExporter.Success:
        raise PrintFailed(_explain(result, exporter, path))


class PatchSequence(QgsAbstractLayoutIterator):
    """Feeds QgsLayoutExporter one patch after another through the same layout.

    ``prepare(i)`` builds patch ``i`` into the layout and returns False when
    that patch failed (it reports the failure itself) or the run is canceled.
    """

    def __init__(self, layout: QgsPrintLayout, count: int, prepare: Callable[[int], bool],
                 is_canceled: Callable[[], bool]) -> None:
        super().__init__()
        self._layout = layout
        self._count = count
        self._prepare = prepare
        self._is_canceled = is_canceled
        self._next = 0
        self.printed = 0

    def layout(self):
        return self._layout

    def beginRender(self) -> bool:  # noqa: N802 - QGIS API
        self._next = 0
        return True

    def endRender(self) -> bool:  # noqa: N802 - QGIS API
        return True

    def count(self) -> int:
        return self._count

    def filePath(self, base: str, extension: str) -> str:  # noqa: N802 - QGIS API
        return f"{base}.{extension}"

    def next(self) -> bool:  # noqa: A003 - QGIS API
        while self._next < self._count and not self._is_canceled():
            index = self._next
            self._next += 1
            if self._prepare(index):
                self.printed += 1
                return True
        return False


def export_combined_pdf(layout: QgsPrintLayout, path: Path, sequence: PatchSequence, dpi: int = 300) -> None:
    """All patches of ``sequence`` into one PDF; :class:`PrintFailed` if QGIS refuses."""
    result, error = QgsLayoutExporter.exportToPdf(sequence, str(path), pdf_settings(dpi))
    if result != QgsLayoutExporter.Success:
        raise PrintFailed(error or _explain(result, None, path))
