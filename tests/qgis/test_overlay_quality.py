"""Issue 14 item 3: invalid overlay polygons repaired and counted, NULL class codes and empty layers reported.

Land use (三调 DLTB), basic farmland (YJJBNTTB) and approvals are read by the
Python engine through GDAL's Arrow stream (a GeoPackage) or the QGIS feature
loop (a memory layer); both paths are run. Areas are planar (AREA_METHOD=1)
so they can be computed by hand.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from qgis.core import QgsProcessingFeedback, QgsVectorLayer

EPSG = 4523  # CGCS2000 3° zone 35 (永川)
X0, Y0 = 500000.0, 3250000.0


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


class Log(QgsProcessingFeedback):
    """Keeps every warning the algorithm pushes."""

    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []

    def pushWarning(self, text):  # noqa: N802
        self.warnings.append(text)
        super().pushWarning(text)


def ring(*points) -> str:
    return "(" + ", ".join(f"{X0 + x} {Y0 + y}" for x, y in points) + ")"


def write_gpkg(path: Path, layer: str, rows: list[tuple[dict, str | None]], fields: dict[str, int]) -> str:
    """A GeoPackage layer holding exactly these WKTs (invalid ones too: OGR stores them as given)."""
    from osgeo import ogr, osr

    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path)) if not path.exists() else ogr.Open(str(path), 1)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    lyr = ds.CreateLayer(layer, srs, ogr.wkbMultiPolygon)
    for name, kind in fields.items():
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for values, wkt in rows:
        feature = ogr.Feature(lyr.GetLayerDefn())
        for name, value in values.items():
            if value is not None:
                feature.SetField(name, value)
        if wkt is not None:
            feature.SetGeometryDirectly(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(feature)
    ds = None
    return f"{path}|layername={layer}"


@pytest.fixture()
def layers(tmp_path):
    """Patch P1 = 0..100 × 0..200 m (20 000 m²) and a DLTB with a bow-tie, a NULL code, a sliver, no geometry."""
    from osgeo import ogr

    gpkg = tmp_path / "data.gpkg"
    patches = write_gpkg(gpkg, "patches", [({"JCBH": "P1"}, f"MULTIPOLYGON(({ring((0, 0), (100, 0), (100, 200), (0, 200), (0, 0))}))")],
                         {"JCBH": ogr.OFTString})
    landuse = write_gpkg(gpkg, "DLTB", [
        # fid 1: a bow-tie over the lower half; make_valid gives the triangles (0,0)(50,50)(0,100) and
        # (100,0)(50,50)(100,100): 2 × ½ × 100 × 50 = 5 000 m² of 0101 (its shoelace area is 0)
        ({"DLBM": "0101", "KCXS": 0.0}, f"MULTIPOLYGON(({ring((0, 0), (100, 100), (100, 0), (0, 100), (0, 0))}))"),
        # fid 2: the upper half, DLBM NULL: 100 × 100 = 10 000 m² = 50 % of the patch's 20 000 m²
        ({"DLBM": None, "KCXS": 0.0}, f"MULTIPOLYGON(({ring((0, 100), (100, 100), (100, 200), (0, 200), (0, 100))}))"),
        # fid 3: a zero-area sliver (all on one line): nothing left after repair, dropped and named
        ({"DLBM": "0103", "KCXS": 0.0}, f"MULTIPOLYGON(({ring((10, 10), (20, 10), (30, 10), (10, 10))}))"),
        # fid 4: no geometry at all: dropped and named
        ({"DLBM": "0102", "KCXS": 0.0}, None),
    ], {"DLBM": ogr.OFTString, "KCXS": ogr.OFTReal})
    basic = write_gpkg(gpkg, "YJJBNTTB", [  # a bow-tie again: the same 5 000 m² once repaired
        ({}, f"MULTIPOLYGON(({ring((0, 0), (100, 100), (100, 0), (0, 100), (0, 0))}))")], {})
    return {"patches": patches, "landuse": landuse, "basic": basic, "gpkg": gpkg}


def as_memory(uri: str, name: str) -> QgsVectorLayer:
    """The same layer as a memory layer: read through the QGIS feature loop instead of Arrow."""
    from qgis.core import QgsFeatureRequest

    source = QgsVectorLayer(uri, name, "ogr")
    layer = source.materialize(QgsFeatureRequest())
    layer.setName(name)
    return layer


@pytest.mark.parametrize("path", ["arrow", "feature loop"])
def test_bow_tie_repaired_null_code_reported_slivers_named(layers, path):
    from qgis import processing

    landuse, basic = layers["landuse"], layers["basic"]
    if path == "feature loop":
        landuse, basic = as_memory(landuse, "DLTB"), as_memory(basic, "YJJBNTTB")
    log = Log()
    result = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": layers["patches"], "LANDUSE": landuse, "BASIC_FARMLAND": basic, "AREA_METHOD": 1,
        "OUTPUT": "memory:"}, feedback=log)
    (row,) = result["OUTPUT"].getFeatures()
    assert row["TBMJ"] == pytest.approx(20000.0, abs=1e-6)
    assert row["GDMJ"] == pytest.approx(5000.0, abs=1e-6)  # the bow-tie's farmland, not its shoelace 0
    assert row["JBNTMJ"] == pytest.approx(5000.0, abs=1e-6) and row["JBNTGDMJ"] == pytest.approx(5000.0, abs=1e-6)
    assert row["WFGMJ"] == pytest.approx(5000.0, abs=1e-6)  # the two side triangles of the lower half
    # the bow-tie of DLTB and the one of YJJBNTTB; the sliver and the empty feature of DLTB
    assert (result["REPAIRED_OVERLAY"], result["DROPPED_OVERLAY"]) == (2, 2)
    assert (result["NO_CODE_FEATURES"], result["NO_CODE_AREA"]) == (1, pytest.approx(10000.0, abs=1e-6))
    text = "\n".join(log.warnings)
    assert "1 land-use features without a class code cover 10000.00 m² (50.00 % of the patches' area)" in text
    dltb = "Layer data (DLTB)" if path == "arrow" else "Layer DLTB"  # a memory layer has no table
    assert f"{dltb}: 1 invalid polygons were repaired" in text and "YJJBNTTB" + ("): " if path == "arrow" else ": ") + \
        "1 invalid polygons" in text
    assert f"{dltb}: 2 features have no area" in text and "feature ids 3, 4" in text


def test_overlay_summary_counts_repairs_and_warns_on_an_empty_layer(layers):
    from osgeo import ogr
    from qgis import processing

    log = Log()
    result = processing.run("wpzf:overlaysummary", {
        "PATCHES": layers["patches"], "OVERLAY": layers["basic"], "AREA_METHOD": 1, "OUTPUT": "memory:"},
        feedback=log)
    (row,) = result["OUTPUT"].getFeatures()
    assert row["FGMJ"] == pytest.approx(5000.0, abs=1e-6) and row["FGBL"] == pytest.approx(0.25)  # 5 000 / 20 000
    assert result["REPAIRED_OVERLAY"] == 1 and result["DROPPED_OVERLAY"] == 0
    far = write_gpkg(layers["gpkg"], "far", [({}, "MULTIPOLYGON(((0 0, 10 0, 10 10, 0 0)))")], {})
    empty = write_gpkg(layers["gpkg"], "empty", [], {"PZWH": ogr.OFTString})
    for uri, wording in ((far, "has 1 features but none inside the patches' extent"), (empty, "has no features")):
        log = Log()
        processing.run("wpzf:overlaysummary", {"PATCHES": layers["patches"], "OVERLAY": uri, "AREA_METHOD": 1,
                                               "OUTPUT": "memory:"}, feedback=log)
        assert any(wording in w and "every coverage by it is 0" in w for w in log.warnings), log.warnings


def test_empty_approvals_layer_is_not_compared_in_prejudge(district, tmp_path):
    """P08 (疑似违法) needs NYDZY and TDGY compared; an empty NYDZY must not read as "compared, 0 % covered"."""
    from osgeo import ogr, osr
    from qgis import processing

    ws = tmp_path / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(ws),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    layer = QgsVectorLayer(f"{district.approvals}|layername=NYDZY", "NYDZY", "ogr")
    empty = tmp_path / "empty.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(empty))
    srs = osr.SpatialReference()
    srs.ImportFromWkt(layer.crs().toWkt())
    lyr = ds.CreateLayer("NYDZY", srs, ogr.wkbMultiPolygon)
    lyr.CreateField(ogr.FieldDefn("PZWH", ogr.OFTString))
    ds = None

    def suspected(nydzy: str, log=None) -> int:
        covers = [nydzy] + [f"{district.approvals}|layername={name}" for name in ("TDGY", "LSYD", "SSNYD")]
        result = processing.run("wpzf:prejudge", {
            "WORKSPACE": str(ws), "LANDUSE": f"{district.landuse}|layername=DLTB",
            "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "COVERS": covers, "OUTPUT": "memory:"},
            feedback=log)
        rows = list(result["OUTPUT"].getFeatures())
        assert all("cover.NYDZY" not in json.loads(r["YJ"]).get("values", {}) for r in rows) or log is None
        return sum(r["YPQX"] == "疑似违法" for r in rows)

    assert suspected(f"{district.approvals}|layername=NYDZY") > 0  # compared: the generator's illegal patches
    log = Log()
    assert suspected(f"{empty}|layername=NYDZY", log) == 0
    text = "\n".join(log.warnings)
    assert "Layer empty (NYDZY) has no features: every coverage by it is 0" in text
    assert "empty (NYDZY) (NYDZY) is treated as not compared" in text
