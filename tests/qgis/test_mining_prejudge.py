"""wpzf:prejudge with a 采矿权 (CKQ) layer: licences with Date fields, shares checked against shapely (issue 20).

Plan (domain.md §1): the ministry issues "土地矿产遥感监测图斑"; issue 20: "inside a licence valid on the
after-imagery date → 合法 (持证开采) citing XKZH; … partly outside → 越界开采; licence expired → 超期开采".
"""
from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import box


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def _patches(workspace):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{workspace}|layername=jctb", "jctb", "ogr")
    found = {f["JCBH"]: shapely.from_wkb(bytes(f.geometry().asWkb())) for f in layer.getFeatures()}
    return found, layer.crs().postgisSrid()


def _licence_layer(path, epsg, licences):
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("CKQ", srs, ogr.wkbMultiPolygon)
    for name, kind in (("XKZH", ogr.OFTString), ("KSMC", ogr.OFTString), ("YXQQ", ogr.OFTDate), ("YXQZ", ogr.OFTDate)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for number, start, end, geom in licences:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("XKZH", number)
        feature.SetField("KSMC", f"{number}矿山")
        feature.SetField("YXQQ", start)
        feature.SetField("YXQZ", end)
        feature.SetGeometry(ogr.ForceToMultiPolygon(ogr.CreateGeometryFromWkb(shapely.to_wkb(geom))))
        layer.CreateFeature(feature)
    ds = None
    return f"{path}|layername=CKQ"


def test_prejudge_reads_licence_dates_and_judges_inside_crossing_and_expired(district, workspace, tmp_path):
    from qgis import processing

    patches, epsg = _patches(workspace)
    # three patches far enough apart that the licences drawn around them touch no other chosen patch
    ordered = sorted(patches, key=lambda j: -patches[j].area)
    inside, crossing, expired = ordered[0], ordered[1], ordered[2]
    minx, miny, maxx, maxy = patches[crossing].bounds
    half = box(minx - 1, miny - 1, (minx + maxx) / 2, maxy + 1)
    licences = [("C-IN", "2000-01-01", "2099-12-31", patches[inside].buffer(0.5)),
                ("C-CROSS", "2000-01-01", "2099-12-31", half),
                ("C-OLD", "2000-01-01", "2001-12-31", patches[expired].buffer(0.5))]
    for a in (inside, crossing, expired):
        for number, _, _, geom in licences:
            touches = shapely.intersection(patches[a], geom).area
            assert touches == 0 or number in {inside: "C-IN", crossing: "C-CROSS", expired: "C-OLD"}[a]
    ckq = _licence_layer(tmp_path / "licences.gpkg", epsg, licences)
    result = processing.run("wpzf:prejudge", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "LANDUSE": f"{district.landuse}|layername=DLTB",
        "COVERS": [ckq, f"{district.approvals}|layername=NYDZY"], "OUTPUT": "memory:"})
    rows = {f["JCBH"]: f for f in result["OUTPUT"].getFeatures()}

    got = rows[inside]
    assert (got["GZ"], got["YPLX"], got["YPQX"]) == ("M01", "合法", "持证开采")
    evidence = json.loads(got["YJ"])
    assert evidence["documents"] == ["C-IN"] and evidence["mining"]["SFSK"] == 1
    assert evidence["mining"]["KQXX"] == ["C-IN（2000-01-01至2099-12-31，占 100.0%）"]
    # the 涉矿 flag and the licences in the stored suggestion's own columns (issue 20: "flagged 涉矿 (SFSK) with
    # the licences found (KQXX)"); a patch of the batch without any licence or 采矿 land is not flagged
    import sqlite3

    with sqlite3.connect(workspace) as conn:
        stored = dict((r[0], (r[1], r[2])) for r in conn.execute(
            'SELECT p."JCBH", s."SFSK", s."KQXX" FROM wpzf_prejudgement s JOIN jctb p ON p.fid = s.patch_fid'))
    assert stored[inside] == (1, "C-IN（2000-01-01至2099-12-31，占 100.0%）")
    assert any(flag == 0 and kqxx is None for flag, kqxx in stored.values())

    got = rows[crossing]
    share = shapely.intersection(patches[crossing], half).area / patches[crossing].area  # independent shapely
    assert (got["GZ"], got["YPQX"], got["WFLX"]) == ("M03", "违法采矿", "越界开采")
    values = json.loads(got["YJ"])["values"]
    assert values["mining.valid_share"] == pytest.approx(share, abs=1e-3)
    assert values["mining.outside_share"] == pytest.approx(1 - share, abs=1e-3)

    got = rows[expired]
    assert (got["GZ"], got["YPQX"], got["WFLX"]) == ("M02", "违法采矿", "超期开采")
    assert "2001-12-31" in got["LY"] and "C-OLD" in got["LY"]


def test_a_mining_right_layer_without_licence_numbers_is_refused_by_name(district, workspace, tmp_path):
    from osgeo import ogr, osr
    from qgis import processing
    from qgis.core import QgsProcessingException

    patches, epsg = _patches(workspace)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp_path / "bad.gpkg"))
    layer = ds.CreateLayer("CKQ", srs, ogr.wkbMultiPolygon)
    layer.CreateField(ogr.FieldDefn("KSMC", ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(ogr.ForceToMultiPolygon(ogr.CreateGeometryFromWkb(shapely.to_wkb(next(iter(patches.values()))))))
    layer.CreateFeature(feature)
    ds = None
    with pytest.raises(QgsProcessingException, match="XKZH"):
        processing.run("wpzf:prejudge", {
            "WORKSPACE": str(workspace), "BATCH": "2022-05", "LANDUSE": f"{district.landuse}|layername=DLTB",
            "COVERS": [f"{tmp_path / 'bad.gpkg'}|layername=CKQ"], "OUTPUT": "memory:"})
