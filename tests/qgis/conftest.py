"""Fixtures the QGIS-level tests share."""
from __future__ import annotations

import pytest


@pytest.fixture()
def workspace(district, tmp_path, wpzf_processing):
    """A workspace holding the sample district's batch 2022-05, imported by wpzf:importpatches (received 05-06)."""
    from qgis import processing

    path = tmp_path / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    return path
