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


def test_qgis_process_runs_farmland_occupation(tmp_path):
    from deliveries import write

    patches = write(tmp_path / "p.gpkg", "GPKG", [patch_row(i, square_4523(i)) for i in range(3)])
    landuse = write(tmp_path / "dltb.gpkg", "GPKG", [
        {"DLBM": "0101", "KCXS": 0.1, "wkt": square_4523(0, size=50)},
        {"DLBM": "0301", "KCXS": 0.0, "wkt": square_4523(1, size=100)},
    ])
    out = run_json(tmp_path, "wpzf:farmlandoccupation", PATCHES=str(patches), LANDUSE=str(landuse),
                   AREA_METHOD="1", OUTPUT=str(tmp_path / "out.gpkg"))
    assert out["results"]["OUTPUT"].endswith("out.gpkg")
    with sqlite3.connect(tmp_path / "out.gpkg") as conn:
        rows = dict(conn.execute("SELECT JCBH, GDMJ FROM out ORDER BY fid"))
    assert list(rows.values()) == pytest.approx([2500 * 0.9, 0.0, 0.0])
