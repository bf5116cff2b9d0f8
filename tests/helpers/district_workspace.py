"""A workspace with one batch of the generated district imported, for tests that judge or print it."""
from __future__ import annotations

from pathlib import Path


def imported_batch(district, path: Path, batch: str, received: str = "2022-05-06") -> Path:
    """Import the district's delivered ``batch`` into the workspace ``path`` with wpzf:importpatches."""
    from qgis import processing

    processing.run("wpzf:importpatches", {"INPUT": str(district.batches[batch]), "WORKSPACE": str(path),
                                          "BATCH": batch, "RECEIVED": received})
    return path
