"""wpzf:importpatches on real files through QGIS Processing."""
from __future__ import annotations

import hashlib

import pytest
from deliveries import BOWTIE_4523, gbk_shapefile_without_cpg, patch_row, square_4490, square_4523, write
from osgeo import ogr
from qgis.core import QgsProcessingException, QgsVectorLayer

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call

ALG = "wpzf:importpatches"


def run(inp, ws, batch="2022-05", received="2022-05-06", **extra):
    from qgis import processing

    params = {"INPUT": str(inp), "WORKSPACE": str(ws), "BATCH": batch, "RECEIVED": received,
              "REPORT": "memory:report", **extra}
    return processing.run(ALG, params)


def rows(ws, sql):
    with gpkg_connect(ws) as conn:
        return conn.execute(sql).fetchall()


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def test_gbk_shapefile_without_cpg_keeps_chinese(tmp_path):
    shp = gbk_shapefile_without_cpg(tmp_path / "in", [patch_row(i, square_4523(i)) for i in range(3)])
    assert not list((tmp_path / "in").glob("*.cpg"))
    result = run(shp, tmp_path / "ws.gpkg")
    assert result["IMPORTED"] == 3
    values = rows(tmp_path / "ws.gpkg", "SELECT XMC, json_extract(YSSX, '$.BZ') FROM jctb")
    assert set(values) == {("永川区", "位于临江镇某村委会东侧")}


def test_geographic_geojson_is_reprojected_into_detected_zone(tmp_path):
    geojson = write(tmp_path / "d.geojson", "GeoJSON", [patch_row(i, square_4490(i)) for i in range(2)],
                    epsg=4490, options=["RFC7946=NO"])
    result = run(geojson, tmp_path / "ws.gpkg")
    assert result["IMPORTED"] == 2
    layer = QgsVectorLayer(f"{tmp_path / 'ws.gpkg'}|layername=jctb", "jctb", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:4523"
    box = layer.extent()
    assert 35_500_000 < box.xMinimum() < 35_700_000 and 3_200_000 < box.yMinimum() < 3_300_000
    assert rows(tmp_path / "ws.gpkg", "SELECT DISTINCT YSZB FROM jctb") == [("EPSG:4490",)]


def test_bowtie_repaired_null_rejected_and_reported(tmp_path):
    data = [patch_row(1, square_4523(1)), patch_row(2, BOWTIE_4523, jcbh="BOWTIE"), patch_row(3, None, jcbh="NOGEOM")]
    gpkg = write(tmp_path / "d.gpkg", "GPKG", data)
    result = run(gpkg, tmp_path / "ws.gpkg")
    assert (result["IMPORTED"], result["REPAIRED"], result["REJECTED"]) == (2, 1, 1)
    report = {f["JCBH"]: f["WTLX"] for f in result["REPORT"].getFeatures()}
    assert set(report) == {"BOWTIE", "NOGEOM"}
    flags = rows(tmp_path / "ws.gpkg", "SELECT JCBH, XFBZ FROM jctb ORDER BY JCBH")
    assert ("BOWTIE", 1) in flags and len(flags) == 2


def test_duplicate_ids_fail_naming_them_and_leave_workspace_untouched(tmp_path):
    run(write(tmp_path / "ok.gpkg", "GPKG", [patch_row(1, square_4523(1))]), tmp_path / "ws.gpkg")
    before = sha(tmp_path / "ws.gpkg")
    dup = write(tmp_path / "dup.gpkg", "GPKG", [patch_row(i, square_4523(i), jcbh="SAME7") for i in range(3)])
    with pytest.raises(QgsProcessingException, match="SAME7"):
        run(dup, tmp_path / "ws.gpkg", batch="2022-06")
    assert sha(tmp_path / "ws.gpkg") == before


def test_missing_id_field_names_the_field(tmp_path):
    data = [{"BH": "x1", "wkt": square_4523(1)}]
    with pytest.raises(QgsProcessingException, match="JCBH"):
        run(write(tmp_path / "d.gpkg", "GPKG", data), tmp_path / "ws.gpkg")
    assert not (tmp_path / "ws.gpkg").exists()


def test_point_layer_is_refused_naming_the_type(tmp_path):
    data = [{"JCBH": "P1", "wkt": "POINT(35581000 3249000)"}]
    points = write(tmp_path / "pts.gpkg", "GPKG", data, geom_type=ogr.wkbPoint)
    with pytest.raises(QgsProcessingException, match="[Pp]oint"):
        run(points, tmp_path / "ws.gpkg")


def test_filegdb_delivery(tmp_path):
    gdb = write(tmp_path / "d.gdb", "OpenFileGDB", [patch_row(i, square_4523(i)) for i in range(4)],
                geom_type=ogr.wkbMultiPolygon)
    assert run(gdb, tmp_path / "ws.gpkg")["IMPORTED"] == 4


def test_layer_without_crs_needs_source_crs(tmp_path):
    shp = write(tmp_path / "nocrs.shp", "ESRI Shapefile", [patch_row(1, square_4523(1))], epsg=None)
    with pytest.raises(QgsProcessingException, match="SOURCE_CRS"):
        run(shp, tmp_path / "ws.gpkg")
    assert run(shp, tmp_path / "ws.gpkg", SOURCE_CRS="EPSG:4523")["IMPORTED"] == 1


def test_same_file_twice_changes_nothing(tmp_path):
    gpkg = write(tmp_path / "d.gpkg", "GPKG", [patch_row(i, square_4523(i)) for i in range(2)])
    run(gpkg, tmp_path / "ws.gpkg")
    before = sha(tmp_path / "ws.gpkg")
    again = run(gpkg, tmp_path / "ws.gpkg")
    assert again["UNCHANGED"] is True and again["IMPORTED"] == 0
    assert sha(tmp_path / "ws.gpkg") == before


def test_locked_batch_refuses_qgis_attribute_edits_and_audits_allowed_ones(tmp_path):
    from wpzf.domain.workspace.store import Workspace

    gpkg = write(tmp_path / "d.gpkg", "GPKG", [patch_row(i, square_4523(i)) for i in range(2)])
    ws_path = tmp_path / "ws.gpkg"
    run(gpkg, ws_path)
    layer = QgsVectorLayer(f"{ws_path}|layername=jctb", "jctb", "ogr")
    idx = layer.fields().indexOf("PDLX")
    fid = next(layer.getFeatures()).id()

    assert layer.startEditing()
    layer.changeAttributeValue(fid, idx, "合法")
    assert layer.commitChanges(), layer.commitErrors()
    assert rows(ws_path, "SELECT field, new_value FROM wpzf_audit WHERE field = 'PDLX'") == [("PDLX", "合法")]

    with Workspace.open(ws_path) as ws:
        ws.lock_batch("2022-05")
    layer.reload()
    assert layer.startEditing()
    layer.changeAttributeValue(fid, idx, "违法")
    assert not layer.commitChanges()
    assert any("已锁定" in e or "locked" in e for e in layer.commitErrors()), layer.commitErrors()
    layer.rollBack()
    assert layer.startEditing()
    layer.deleteFeature(fid)
    assert not layer.commitChanges()
    layer.rollBack()
    assert rows(ws_path, f"SELECT PDLX FROM jctb WHERE fid = {fid}") == [("合法",)]
    assert rows(ws_path, "SELECT count(*) FROM jctb") == [(2,)]


def test_plain_sqlite3_edit_after_qgis_edited_the_file_is_audited(tmp_path):
    """GDAL rewrites spec-named R-tree triggers when QGIS opens the file; ours must survive that."""
    gpkg = write(tmp_path / "d.gpkg", "GPKG", [patch_row(i, square_4523(i)) for i in range(2)])
    ws_path = tmp_path / "ws.gpkg"
    run(gpkg, ws_path)
    layer = QgsVectorLayer(f"{ws_path}|layername=jctb", "jctb", "ogr")
    assert layer.startEditing()
    layer.changeAttributeValue(next(layer.getFeatures()).id(), layer.fields().indexOf("BZ"), "QGIS 编辑")
    assert layer.commitChanges(), layer.commitErrors()
    del layer
    with gpkg_connect(ws_path) as conn:  # a plain client: only the GeoPackage ST_* functions, no WPZF code
        conn.execute("UPDATE jctb SET PDYJ = '现场核实' WHERE fid = 2")
    assert rows(ws_path, "SELECT field, new_value FROM wpzf_audit WHERE action = 'UPDATE' ORDER BY id") == [
        ("BZ", "QGIS 编辑"), ("PDYJ", "现场核实")]


def test_two_layers_of_one_geopackage_are_two_deliveries(tmp_path):
    from osgeo import ogr as _ogr

    gpkg = write(tmp_path / "d.gpkg", "GPKG", [patch_row(i, square_4523(i)) for i in range(2)], layer="first")
    ds = _ogr.Open(str(gpkg), 1)  # a second layer in the same file
    src = ds.GetLayerByName("first")
    second = ds.CreateLayer("second", src.GetSpatialRef(), _ogr.wkbPolygon)
    second.CreateField(_ogr.FieldDefn("JCBH", _ogr.OFTString))
    feature = _ogr.Feature(second.GetLayerDefn())
    feature.SetField("JCBH", "SECOND-1")
    feature.SetGeometry(_ogr.CreateGeometryFromWkt(square_4523(7)))
    second.CreateFeature(feature)
    ds = None
    ws = tmp_path / "ws.gpkg"
    assert run(f"{gpkg}|layername=first", ws)["IMPORTED"] == 2
    again = run(f"{gpkg}|layername=second", ws)
    assert again["UNCHANGED"] is False and again["IMPORTED"] == 1
