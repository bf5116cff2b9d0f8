"""The provider is visible to qgis_process once the plugin is enabled, and imports run there."""
from __future__ import annotations

import sqlite3

import pytest
from deliveries import gbk_shapefile_without_cpg, patch_row, square_4523
from qgis_process_runner import executable, run, run_json

pytestmark = [pytest.mark.slow, pytest.mark.skipif(executable() is None, reason="qgis_process missing")]


def test_qgis_process_lists_and_runs_importpatches(tmp_path):
    listing = run(tmp_path, "list")
    assert "wpzf:importpatches" in listing.stdout, listing.stdout[-2000:] + listing.stderr[-2000:]
    shp = gbk_shapefile_without_cpg(tmp_path / "in", [patch_row(i, square_4523(i)) for i in range(5)])
    out = run_json(tmp_path, "wpzf:importpatches", INPUT=str(shp), WORKSPACE=str(tmp_path / "ws.gpkg"),
                   BATCH="2022-05", RECEIVED="2022-05-06")
    assert out["results"]["IMPORTED"] == 5
    with sqlite3.connect(tmp_path / "ws.gpkg") as conn:
        assert conn.execute("SELECT DISTINCT XMC FROM jctb").fetchall() == [("永川区",)]
