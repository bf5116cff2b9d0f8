"""Issue 14 items 1, 2, 5, 6, 7 through wpzf:importpatches on files the tests write."""
from __future__ import annotations

import hashlib
import math
import sqlite3

import pyproj
import pytest
import shapely
from deliveries import patch_row, shapefile_encoding_honoured, square_4523, write
from qgis.core import QgsProcessingException

ALG = "wpzf:importpatches"
LAT = 29.36


def run(inp, ws, batch="2022-05", received="2022-05-06", **extra):
    from qgis import processing

    params = {"INPUT": str(inp), "WORKSPACE": str(ws), "BATCH": batch, "RECEIVED": received,
              "REPORT": "memory:report", **extra}
    return processing.run(ALG, params)


def rows(ws, sql):
    with sqlite3.connect(ws) as conn:
        return conn.execute(sql).fetchall()


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def square_at(lon: float, epsg: int, size: float = 100.0) -> tuple[str, tuple[float, float]]:
    """WKT of a square whose south-west corner is at (lon, 29.36°N), in ``epsg``; and that corner."""
    x, y = pyproj.Transformer.from_crs(4490, epsg, always_xy=True).transform(lon, LAT)
    return (f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))", (x, y))


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture
def zone35_workspace(tmp_path):
    ws = tmp_path / "ws.gpkg"
    run(write(tmp_path / "first.gpkg", "GPKG", [patch_row(1, square_4523(1))]), ws)
    return ws


# -- item 1 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("driver,name", [("GPKG", "zone36.gpkg"), ("ESRI Shapefile", "zone36.shp")])
def test_zone36_delivery_is_transformed_into_the_zone35_workspace(tmp_path, zone35_workspace, driver, name):
    wkt, corner = square_at(106.8, 4524)  # 106.8°E is zone 36 (CM 108°E): 36 383 476 m east
    delivery = write(tmp_path / name, driver, [patch_row(7, wkt, jcbh="Z36")], epsg=4524)
    result = run(delivery, zone35_workspace, batch="2022-06")
    assert (result["IMPORTED"], result["WARNED"]) == (1, 0)  # 1.8° from 105°E: within the 2° tolerance
    from wpzf.domain.workspace.gpkg import wkb_of

    blob, yszb = rows(zone35_workspace, "SELECT geom, YSZB FROM jctb WHERE JCBH = 'Z36'")[0]
    stored = shapely.get_coordinates(shapely.from_wkb(wkb_of(blob)))
    ex, ey = pyproj.Transformer.from_crs(4524, 4523, always_xy=True).transform(*corner)
    x, y = min(stored, key=lambda v: math.hypot(v[0] - ex, v[1] - ey))
    assert math.hypot(x - ex, y - ey) < 0.01  # pyproj's own 4524 → 4523, to the centimetre
    assert 35_670_000 < x < 35_680_000  # zone 35 numbers (≈ 174.8 km east of the CM), never 36 383 476
    assert yszb == "EPSG:4524"
    assert rows(zone35_workspace, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'jctb'") == [(4523,)]


def test_zone36_numbers_without_prj_are_refused_naming_the_file(tmp_path, zone35_workspace):
    wkt, _ = square_at(106.8, 4524)
    shp = write(tmp_path / "noprj36.shp", "ESRI Shapefile", [patch_row(1, wkt, jcbh="N36")], epsg=None)
    assert not (tmp_path / "noprj36.prj").exists()
    before = sha(zone35_workspace)
    with pytest.raises(QgsProcessingException) as caught:
        run(shp, zone35_workspace, batch="2022-06")
    text = str(caught.value)
    assert "noprj36.shp" in text and "zone 36" in text and "EPSG:4523" in text and "SOURCE_CRS" in text
    assert sha(zone35_workspace) == before


def test_zone35_numbers_without_prj_are_read_in_the_workspace_crs(tmp_path, zone35_workspace):
    shp = write(tmp_path / "noprj35.shp", "ESRI Shapefile", [patch_row(2, square_4523(2), jcbh="N35")], epsg=None)
    assert run(shp, zone35_workspace, batch="2022-06")["IMPORTED"] == 1


def test_source_crs_that_the_numbers_contradict_is_refused(tmp_path):
    wkt, _ = square_at(106.8, 4524)
    shp = write(tmp_path / "noprj.shp", "ESRI Shapefile", [patch_row(1, wkt)], epsg=None)
    with pytest.raises(QgsProcessingException, match="noprj.shp.*zone 36"):
        run(shp, tmp_path / "ws.gpkg", SOURCE_CRS="EPSG:4523")
    assert not (tmp_path / "ws.gpkg").exists()


@pytest.mark.parametrize("epsg,wkt", [
    (4523, "POLYGON((0 0,100 0,100 100,0 100,0 0))"),  # metres from the origin labelled as zone 35
    (4490, "POLYGON((35580000 3250000,35580100 3250000,35580100 3250100,35580000 3250100,35580000 3250000))"),
])  # zone-35 metres labelled as degrees
def test_a_declared_crs_the_numbers_cannot_lie_in_is_refused_naming_both(tmp_path, zone35_workspace, epsg, wkt):
    """A wrong .prj: the transformation failed with a Python traceback for a new workspace (QgsCsException)."""
    delivery = write(tmp_path / "wrong_prj.gpkg", "GPKG", [patch_row(1, wkt, jcbh="W1")], epsg=epsg)
    for ws in (tmp_path / "new.gpkg", zone35_workspace):
        before = sha(zone35_workspace)
        with pytest.raises(QgsProcessingException) as caught:
            run(delivery, ws, batch="2022-06")
        text = str(caught.value)
        assert text.startswith(f"The delivery wrong_prj.gpkg declares the CRS EPSG:{epsg}, but its coordinates")
        assert "Nothing was imported" in text and "Traceback" not in text
        assert not (tmp_path / "new.gpkg").exists() and sha(zone35_workspace) == before


def test_workspace_crs_parameter_cannot_relabel_an_existing_workspace(tmp_path, zone35_workspace):
    wkt, corner = square_at(106.8, 4524)
    delivery = write(tmp_path / "z36.gpkg", "GPKG", [patch_row(3, wkt, jcbh="Z36")], epsg=4524)
    run(delivery, zone35_workspace, batch="2022-06", WORKSPACE_CRS="EPSG:4524")
    from wpzf.domain.workspace.gpkg import wkb_of

    (blob,) = rows(zone35_workspace, "SELECT geom FROM jctb WHERE JCBH = 'Z36'")[0]
    assert shapely.from_wkb(wkb_of(blob)).bounds[0] < 36_000_000  # stored as zone 35, as labelled


# -- item 2 ---------------------------------------------------------------------------------------

def test_workspace_crs_given_warns_per_patch_outside_the_zone(tmp_path):
    data = [patch_row(1, square_at(105.5, 4490, 0.001)[0], jcbh="IN"),
            patch_row(2, square_at(107.2, 4490, 0.001)[0], jcbh="EDGE")]
    delivery = write(tmp_path / "d.gpkg", "GPKG", data, epsg=4490)
    result = run(delivery, tmp_path / "ws.gpkg", WORKSPACE_CRS="EPSG:4523")
    assert (result["IMPORTED"], result["WARNED"]) == (2, 1)
    report = {f["JCBH"]: (f["WTLX"], f["YY"]) for f in result["REPORT"].getFeatures()}
    assert set(report) == {"EDGE"} and report["EDGE"][0] == "warning"
    # ≈ 2.2° · 97.10 km/° (N·cosφ at 29.36°N on CGCS2000) = 213.6 km, plus half the 0.001° square
    assert "213.7 km" in report["EDGE"][1]


def test_workspace_crs_given_refuses_a_patch_three_degrees_out_naming_it(tmp_path):
    data = [patch_row(1, square_at(105.5, 4490, 0.001)[0], jcbh="IN"),
            patch_row(2, square_at(108.3, 4490, 0.001)[0], jcbh="FAR")]
    delivery = write(tmp_path / "d.gpkg", "GPKG", data, epsg=4490)
    with pytest.raises(QgsProcessingException) as caught:
        run(delivery, tmp_path / "ws.gpkg", WORKSPACE_CRS="EPSG:4523")
    assert "FAR (108.30" in str(caught.value) and "IN (" not in str(caught.value)
    assert not (tmp_path / "ws.gpkg").exists()


# -- items 5 and 7 --------------------------------------------------------------------------------

def test_full_width_reissue_through_the_algorithm(tmp_path, zone35_workspace):
    full_width = "５００１１８２０２２０５０００１"  # patch_row(1)'s 5001182022050001, full-width
    again = write(tmp_path / "again.gpkg", "GPKG", [patch_row(1, square_4523(1), jcbh=full_width)])
    result = run(again, zone35_workspace, batch="2022-06")
    assert (result["IMPORTED"], result["REISSUED"], result["DUPLICATE"]) == (1, 1, 0)
    assert rows(zone35_workspace, "SELECT COUNT(DISTINCT JCBH) FROM jctb") == [(1,)]


def test_sliver_is_rejected_with_its_reason_in_the_report(tmp_path):
    x, y = 35_581_000.0, 3_249_000.0
    sliver = f"POLYGON(({x} {y},{x + 100} {y},{x + 100} {y + 0.00005},{x} {y}))"
    data = [patch_row(1, square_4523(1)), patch_row(2, sliver, jcbh="SLIVER")]
    result = run(write(tmp_path / "d.gpkg", "GPKG", data), tmp_path / "ws.gpkg")
    assert (result["IMPORTED"], result["REJECTED"]) == (1, 1)
    report = {f["JCBH"]: f["YY"] for f in result["REPORT"].getFeatures()}
    assert report["SLIVER"].startswith("Zero-area sliver") or report["SLIVER"].startswith("面积为零")


# -- item 6 ---------------------------------------------------------------------------------------

TRADITIONAL = ["臺北市違章建築", "新竹縣臨時用地變更編定", "彰化縣國土保安用地違規使用"]


def _shapefile(folder, encoding):
    folder.mkdir(parents=True, exist_ok=True)
    data = [patch_row(i, square_4523(i), BZ=text) for i, text in enumerate(TRADITIONAL, start=1)]
    with shapefile_encoding_honoured():
        shp = write(folder / "taiwan.shp", "ESRI Shapefile", data, options=[f"ENCODING={encoding}"])
    for cpg in folder.glob("*.cpg"):
        cpg.unlink()
    dbf = shp.with_suffix(".dbf")
    raw = bytearray(dbf.read_bytes())
    raw[29] = 0
    dbf.write_bytes(bytes(raw))
    return shp


def test_big5_shapefile_is_refused_with_the_encoding_hint(tmp_path):
    shp = _shapefile(tmp_path / "big5", "CP950")
    with pytest.raises(QgsProcessingException) as caught:
        run(shp, tmp_path / "ws.gpkg")
    text = str(caught.value)
    assert "taiwan.dbf" in text and "ENCODING" in text and "BZ" in text
    assert not (tmp_path / "ws.gpkg").exists()
    # the user's answer to the hint reads it correctly
    result = run(shp, tmp_path / "ws.gpkg", ENCODING="CP950")
    assert result["IMPORTED"] == 3
    assert {r[0] for r in rows(tmp_path / "ws.gpkg", "SELECT json_extract(YSSX, '$.BZ') FROM jctb")} == set(TRADITIONAL)


def test_same_names_in_gbk_import_fine(tmp_path):
    result = run(_shapefile(tmp_path / "gbk", "CP936"), tmp_path / "ws.gpkg")
    assert result["IMPORTED"] == 3
    assert {r[0] for r in rows(tmp_path / "ws.gpkg", "SELECT json_extract(YSSX, '$.BZ') FROM jctb")} == set(TRADITIONAL)
