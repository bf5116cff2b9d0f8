"""GeoPackage outputs of wpzf:farmlandoccupation filled with SQL equal what the Processing sink writes."""
from __future__ import annotations

import sqlite3
import struct

import pytest
import shapely
from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry, QgsRectangle, QgsVectorLayer, QgsWkbTypes

from wpzf.domain.workspace import gpkg_codec
from wpzf.processing import gpkg_bulk

NUMERIC = ("TBMJ", "GDTBMJ", "GDMJ", "GDMJ_MU", "SDMJ", "SJDMJ", "HDMJ", "JBNTMJ", "JBNTGDMJ", "FGNYDMJ", "JSYDMJ",
           "WLYDMJ", "ZGBL", "WFGMJ", "XFBZ")


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture(scope="module")
def gpkg_patches(district, tmp_path_factory):
    """The district's May patches as GeoPackages: single polygons (EPSG:4523) and multipolygons."""
    from qgis import processing

    folder = tmp_path_factory.mktemp("patches")
    single = str(folder / "single.gpkg")
    processing.run("native:reprojectlayer", {"INPUT": str(district.batches["2022-05"]), "TARGET_CRS": "EPSG:4523",
                                             "OUTPUT": single})
    multi = str(folder / "multi.gpkg")
    processing.run("native:promotetomulti", {"INPUT": single, "OUTPUT": multi})
    return {"single": single, "multi": multi}


def occupation(district, patches, output, breakdown):
    from qgis import processing

    return processing.run("wpzf:farmlandoccupation", {
        "PATCHES": patches, "LANDUSE": f"{district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "OUTPUT": output, "BREAKDOWN": breakdown})


def layer_of(value, name="out"):
    return value if isinstance(value, QgsVectorLayer) else QgsVectorLayer(value, name, "ogr")


def rows(layer, with_geometry=True):
    out = []
    for f in layer.getFeatures(QgsFeatureRequest().addOrderBy("$id")):
        g = QgsGeometry(f.geometry())
        g.convertToMultiType()  # a file sink promotes to multi, a memory sink keeps what it gets
        out.append((dict(zip(layer.fields().names(), f.attributes())),
                    g.asWkt(6) if with_geometry and not g.isNull() else None))
    return out


@pytest.mark.parametrize("kind", ["single", "multi"])
def test_sql_filled_geopackage_equals_sink_output(district, gpkg_patches, tmp_path, monkeypatch, kind):
    copied = []
    original = gpkg_bulk.PatchCopier.copy
    monkeypatch.setattr(gpkg_bulk.PatchCopier, "copy", lambda self, *a, **k: copied.append(1) or original(self, *a, **k))
    fast = occupation(district, gpkg_patches[kind], str(tmp_path / "occupation.gpkg"), str(tmp_path / "classes.gpkg"))
    assert copied, "the GeoPackage output was filled with SQL"
    slow = occupation(district, gpkg_patches[kind], "memory:", "memory:")
    out, reference = layer_of(fast["OUTPUT"]), layer_of(slow["OUTPUT"])
    assert out.isValid() and out.featureCount() == reference.featureCount() == 60
    assert out.wkbType() == QgsWkbTypes.MultiPolygon
    assert out.crs().authid() == "EPSG:4523"
    assert out.fields().names() == reference.fields().names()
    got, want = rows(out), rows(reference)
    for (values, wkt), (ref_values, ref_wkt) in zip(got, want):
        assert wkt == ref_wkt, values["JCBH"]
        for name, value in ref_values.items():
            if name == "fid":
                continue
            if isinstance(value, float):
                assert values[name] == pytest.approx(value, abs=1e-9), (values["JCBH"], name)
            else:
                assert values[name] == value, (values["JCBH"], name)
    assert sum(v["GDMJ"] for v, _ in got) > 1000, "the district's patches cover farmland"
    extent, ref_extent = out.extent(), reference.extent()
    for a, b in ((extent.xMinimum(), ref_extent.xMinimum()), (extent.yMaximum(), ref_extent.yMaximum())):
        assert a == pytest.approx(b, abs=1e-6)
    # the spatial index answers like a full scan
    box = QgsRectangle(extent.xMinimum(), extent.yMinimum(), extent.center().x(), extent.center().y())
    indexed = sorted(f["JCBH"] for f in out.getFeatures(QgsFeatureRequest().setFilterRect(box)))
    scanned = sorted(f["JCBH"] for f in out.getFeatures() if f.geometry().boundingBox().intersects(box))
    assert indexed == scanned and 0 < len(indexed) < 60
    bd, ref_bd = layer_of(fast["BREAKDOWN"], "bd"), layer_of(slow["BREAKDOWN"], "bd")
    assert [v for v, _ in rows(bd, False)] and \
        [{k: x for k, x in v.items() if k != "fid"} for v, _ in rows(bd, False)] == \
        [{k: x for k, x in v.items() if k != "fid"} for v, _ in rows(ref_bd, False)]


def test_triggers_are_back_after_the_bulk_insert(district, gpkg_patches, tmp_path):
    path = tmp_path / "occupation.gpkg"
    occupation(district, gpkg_patches["single"], str(path), None)
    with sqlite3.connect(path) as conn:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "rtree_occupation_geom_insert" in triggers
        assert "trigger_insert_feature_count_occupation" in triggers
        assert conn.execute("SELECT feature_count FROM gpkg_ogr_contents").fetchone()[0] == 60
        assert conn.execute("SELECT count(*) FROM rtree_occupation_geom").fetchone()[0] == 60
    layer = QgsVectorLayer(str(path), "out", "ogr")
    far = QgsGeometry.fromWkt("MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0)))")
    feature = QgsFeature(layer.fields())
    feature.setGeometry(far)
    assert layer.startEditing() and layer.addFeature(feature) and layer.commitChanges()
    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.featureCount() == 61
    assert len(list(layer.getFeatures(QgsFeatureRequest().setFilterRect(QgsRectangle(1, 1, 2, 2))))) == 1


def test_polygon_blob_becomes_a_one_part_multipolygon_with_the_output_srs():
    polygon = shapely.Polygon([(0, 0), (4, 0), (4, 3), (0, 0)])
    header = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", 4490) + struct.pack("<4d", 0, 4, 0, 3)
    blob = gpkg_bulk.as_multipolygon(header + shapely.to_wkb(polygon), 4523)
    assert struct.unpack("<i", blob[4:8])[0] == 4523
    multi = shapely.from_wkb(blob[40:])
    assert multi.geom_type == "MultiPolygon" and multi.equals(shapely.MultiPolygon([polygon]))
    assert gpkg_codec.envelope(blob) == (0.0, 4.0, 0.0, 3.0)
    big_endian = b"GP" + bytes([0, 0]) + struct.pack(">i", 4490) + shapely.to_wkb(polygon, byte_order=0)
    assert gpkg_codec.envelope(big_endian) == (0.0, 4.0, 0.0, 3.0)  # no envelope in the header: from the WKB
    assert shapely.from_wkb(gpkg_bulk.as_multipolygon(big_endian, 4523)[8:]).geom_type == "MultiPolygon"


def test_a_geopackage_sql_cannot_fill_gets_its_sink_back(district, gpkg_patches, tmp_path, monkeypatch):
    def refuse(self, *args):
        raise ValueError("simulated: unusable table")

    monkeypatch.setattr(gpkg_bulk.PatchCopier, "_prepare_copy", refuse)
    result = occupation(district, gpkg_patches["single"], str(tmp_path / "occupation.gpkg"),
                        str(tmp_path / "classes.gpkg"))
    out = layer_of(result["OUTPUT"])
    assert out.featureCount() == 60 and out.wkbType() == QgsWkbTypes.MultiPolygon
    assert sum(f["TBMJ"] for f in out.getFeatures()) > 0
    assert layer_of(result["BREAKDOWN"], "bd").featureCount() > 60
    with sqlite3.connect(tmp_path / "occupation.gpkg") as conn:  # nothing left over from the attempt
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'wpzf_%'").fetchone()[0] == 0


def test_multipolygon_sql_equals_the_python_conversion_for_every_blob_layout():
    polygon = shapely.Polygon([(0, 0), (4, 0), (4, 3), (0, 0)])
    multi = shapely.MultiPolygon([polygon, shapely.box(10, 10, 11, 11)])

    def blob(geom, srs=4523, envelope=True, little=True):
        order = "<" if little else ">"
        flags = (1 if little else 0) | (2 if envelope else 0)
        env = struct.pack(order + "4d", *geom.bounds[::2], *geom.bounds[1::2]) if envelope else b""
        return b"GP" + bytes([0, flags]) + struct.pack(order + "i", srs) + env + \
            shapely.to_wkb(geom, byte_order=1 if little else 0)

    blobs = [blob(polygon), blob(multi), blob(polygon, srs=4490), blob(polygon, envelope=False),
             blob(polygon, little=False), None]
    conn = sqlite3.connect(":memory:")
    conn.create_function("wpzf_multi", 1, lambda b: gpkg_bulk.as_multipolygon(b, 4523))
    conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, g BLOB)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(blobs)))
    got = [r[0] for r in conn.execute(f"SELECT {gpkg_bulk.multipolygon_sql('g', 4523)} FROM t ORDER BY k")]
    assert got == [gpkg_bulk.as_multipolygon(b, 4523) for b in blobs]
    assert got[0] == blobs[0][:40] + bytes.fromhex("010600000001000000") + blobs[0][40:]
    assert got[1] == blobs[1]  # already a multipolygon with the right SRS: unchanged
