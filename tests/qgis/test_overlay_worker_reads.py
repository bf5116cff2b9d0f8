"""Land use read by the overlay workers from the GeoPackage, only near the patches (issue 16).

The main process no longer parses a whole district's 三调 layer: the workers
ask the file's R-tree which features meet their patches and parse those.
Every figure must stay what reading and parsing every feature gives
(domain.md §3: areas from geometry; §9: basic farmland on both bases; issue
14: repaired, dropped and "features in the patches' extent" counts).
"""
from __future__ import annotations

import numpy as np
import pytest
import shapely
from deliveries import BOWTIE_4523, E0, N0, write
from osgeo import ogr
from qgis.core import QgsCoordinateReferenceSystem, QgsFeatureRequest, QgsVectorLayer

from wpzf.domain.overlay import farmland_occupation
from wpzf.domain.overlay.clip import OverlayIndex
from wpzf.domain.overlay.gpkg_features import GpkgFeatures, NotIndexed
from wpzf.domain.overlay.quality import patches_box
from wpzf.processing.layer_arrays import read_arrays

CRS = QgsCoordinateReferenceSystem("EPSG:4523")


def box(x0: float, y0: float, x1: float, y1: float) -> str:
    return shapely.box(E0 + x0, N0 + y0, E0 + x1, N0 + y1).wkt


def shifted(wkt: str, dx: float) -> str:
    return shapely.transform(shapely.from_wkt(wkt), lambda xy: xy + [dx, 0]).wkt


PATCHES = np.array([shapely.from_wkt(box(0, 0, 100, 100)), shapely.from_wkt(box(1000, 0, 1100, 100))])

LANDUSE = [  # (wkt, DLBM, KCXS); positions 0…8 in FID order
    (box(-50, -50, 50, 150), "0101", 0.1),      # 0: left half of patch 0, 5,000 m² of 耕地
    (box(50, 0, 100, 100), "0203", 0.0),        # 1: right half of patch 0
    (box(60, 10, 70, 20), "0701", 0.0),         # 2: inside 1: later in input order, so it takes nothing
    (box(1010, 10, 1020, 20), "0101", 0.0),     # 3: wholly inside patch 1: 100 m²
    (None, "0101", 0.0),                        # 4: no geometry: dropped
    ("POLYGON EMPTY", "0101", 0.0),             # 5: empty: dropped
    (box(50_000, 0, 50_100, 100), "0101", 0.0),  # 6: far from every patch: outside the extent
    (shifted(BOWTIE_4523, 1020), "1001", 0.0),  # 7: invalid bow-tie across patch 1: repaired
    (box(1100, 0, 1200, 100), "0101", 0.0),     # 8: touches patch 1's right edge: in the extent, no area
]
BASIC = [box(-50, -50, 50, 150), box(1000, 50, 1100, 100)]  # a copy of land use 0, and the top half of patch 1


@pytest.fixture()
def gpkg(tmp_path):
    path = tmp_path / "landuse.gpkg"
    write(path, "GPKG", [{"wkt": w, "DLBM": c, "KCXS": k} for w, c, k in LANDUSE], layer="DLTB")
    ds = ogr.Open(str(path), 1)
    layer = ds.CreateLayer("YJJBNTTB", ds.GetLayer(0).GetSpatialRef(), ogr.wkbPolygon)
    for wkt in BASIC:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feature)
    ds = None
    return path


def layer(path, name: str) -> QgsVectorLayer:
    found = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert found.isValid()
    return found


def occupation(landuse, basic, dlbm, kcxs):
    return farmland_occupation(PATCHES, landuse, dlbm, kcxs, basic, area_method="planar", chunk_size=1, workers=2)


@pytest.mark.parametrize("fork", [True, False], ids=["forked workers", "worker threads (Windows)"])
def test_worker_reads_give_exactly_what_parsing_every_feature_gives(gpkg, fork, monkeypatch):
    from wpzf.domain.overlay import parallel

    monkeypatch.setattr(parallel, "fork_available", lambda: fork)
    landuse, basic = layer(gpkg, "DLTB"), layer(gpkg, "YJJBNTTB")
    lazy = read_arrays(landuse, landuse.source(), ["DLBM", "KCXS"], CRS, lazy=True)
    whole = read_arrays(landuse, landuse.source(), ["DLBM", "KCXS"], CRS)
    lazy_basic = read_arrays(basic, basic.source(), [], CRS, lazy=True)
    whole_basic = read_arrays(basic, basic.source(), [], CRS)
    assert isinstance(lazy.source, GpkgFeatures) and isinstance(lazy_basic.source, GpkgFeatures)
    assert all(g is None for g in lazy.geoms) and whole.source is None  # nothing parsed up front
    assert lazy.fids.tolist() == whole.fids.tolist() == list(range(1, 10))
    new = occupation(lazy.take_overlay(), lazy_basic.take_overlay(), lazy.columns["DLBM"], lazy.columns["KCXS"])
    old = occupation(whole.take_overlay(), whole_basic.take_overlay(), whole.columns["DLBM"], whole.columns["KCXS"])
    # by hand (planar): patch 0 holds 5,000 m² of 0101 (KCXS 0.1: net 4,500) and 5,000 m² of 0203;
    # patch 1 holds 100 m² of 0101 inside it; basic farmland: the copy of polygon 0 (5,000) and half of patch 1
    assert new.gdtbmj[0] == pytest.approx(5000.0) and new.gdmj[0] == pytest.approx(4500.0)
    assert new.fgnydmj[0] == pytest.approx(5000.0 + 500.0)  # 0203 plus the 田坎 of polygon 0
    assert new.gdtbmj[1] == pytest.approx(100.0)
    assert new.jbntmj.tolist() == pytest.approx([5000.0, 5000.0])
    assert new.jbntgdmj[0] == pytest.approx(4500.0)
    assert np.flatnonzero(new.landuse_dropped).tolist() == [4, 5]
    assert np.flatnonzero(new.landuse_repaired).tolist() == [7]
    assert new.landuse_in_extent == 6  # polygons 0, 1, 2, 3, 7, 8 meet (E0, N0)–(E0 + 1100, N0 + 100)
    for name in ("tbmj", "gdtbmj", "gdmj", "sdmj", "sjdmj", "hdmj", "jbntmj", "jbntgdmj", "fgnydmj", "jsydmj",
                 "wlydmj", "unclassified", "zgbl", "uncovered", "landuse_repaired", "landuse_dropped",
                 "basic_farmland_repaired", "basic_farmland_dropped", "no_code_landuse"):
        assert np.array_equal(getattr(new, name), getattr(old, name)), name  # to the last digit
    assert (new.landuse_in_extent, new.basic_farmland_in_extent) == (old.landuse_in_extent,
                                                                      old.basic_farmland_in_extent)
    for name in ("patch", "dlbm", "broad_class", "gross", "net"):
        assert np.array_equal(getattr(new.breakdown, name), getattr(old.breakdown, name)), name


def test_bulk_read_wkb_and_file_blobs_give_the_same_geometries(gpkg):
    landuse = layer(gpkg, "DLTB")
    packed = read_arrays(landuse, landuse.source(), [], CRS, lazy=True).source
    assert packed is not None and packed.wkb is not None
    from_file = GpkgFeatures(str(gpkg), "DLTB", packed.fids)  # GeoPackage blobs read with SQL, header cut
    every = np.arange(len(LANDUSE))
    a, b = packed.load(every), from_file.load(every)
    assert [g is None for g in a] == [g is None for g in b] == [w is None for w, _, _ in LANDUSE]
    assert all(shapely.equals_exact(x, y, tolerance=0) for x, y in zip(a, b) if x is not None and not x.is_empty)
    assert a[5].is_empty and b[5].is_empty
    assert shapely.equals_exact(a[0], shapely.from_wkt(LANDUSE[0][0]), tolerance=0)
    assert np.flatnonzero(packed.absent).tolist() == np.flatnonzero(from_file.absent).tolist() == [4, 5]


def test_rtree_boxes_rounded_outward_neither_count_nor_meet(tmp_path):
    # at E0 = 35,581,000 a 32-bit float steps by 4 m, and the R-tree rounds boxes outward to those steps
    rows = [
        {"wkt": box(101, 0, 110, 10), "N": "a"},  # real minx 1 m right of the patch; R-tree minx E0 + 100
        {"wkt": box(-10, 0, -1, 10), "N": "b"},   # real maxx 1 m left of it; R-tree maxx E0
        {"wkt": box(100, 0, 110, 10), "N": "c"},  # touches the patch's right edge: meets
        {"wkt": shifted(BOWTIE_4523, 101), "N": "d"},  # invalid, 1 m right of the patch: never checked
    ]
    path = write(tmp_path / "edge.gpkg", "GPKG", rows, layer="DLTB")
    source = GpkgFeatures(str(path), "DLTB", np.arange(1, 5))
    parsed = np.array([shapely.from_wkt(r["wkt"]) for r in rows], dtype=object)
    patch = np.array([shapely.from_wkt(box(0, 0, 100, 100))])
    rtree_hits = set(source.pairs(shapely.bounds(patch))[1].tolist())
    assert {0, 1, 3} <= rtree_hits  # the rounded boxes do reach the patch…
    assert source.count_in(patches_box(patch)) == OverlayIndex(parsed).count_in(patches_box(patch)) == 1  # …only c
    index = OverlayIndex(source)
    pieces = index.clip(patch)
    assert pieces.candidates.tolist() == [2] == OverlayIndex(parsed).clip(patch).candidates.tolist()
    assert not index.repaired.any()  # the bow-tie's real envelope misses the patch: not checked, not counted


def test_layers_that_cannot_be_read_near_the_patches_are_parsed_whole(tmp_path):
    rows = [{"wkt": box(0, 0, 10, 10), "DLBM": "0101"}, {"wkt": box(20, 0, 30, 10), "DLBM": "0102"}]
    plain = write(tmp_path / "noindex.gpkg", "GPKG", rows, layer="DLTB", options=["SPATIAL_INDEX=NO"])
    arrays = read_arrays(layer(plain, "DLTB"), str(plain), ["DLBM"], CRS, lazy=True)
    assert arrays.source is None and shapely.area(arrays.geoms).tolist() == [100.0, 100.0]
    with pytest.raises(NotIndexed):
        GpkgFeatures(str(plain), "DLTB", np.array([1, 2]))
    indexed = write(tmp_path / "indexed.gpkg", "GPKG", rows, layer="DLTB")
    other_crs = read_arrays(layer(indexed, "DLTB"), str(indexed), ["DLBM"], QgsCoordinateReferenceSystem("EPSG:4524"),
                            lazy=True)
    assert other_crs.source is None and other_crs.geoms.size == 2  # reprojected as before
    with pytest.raises(NotIndexed):  # positions must follow the file's order
        GpkgFeatures(str(indexed), "DLTB", np.array([2, 1]))


def test_algorithm_on_geopackage_equals_algorithm_on_memory_layers(district, wpzf_processing, monkeypatch):
    from qgis import processing

    from wpzf.processing import layer_arrays

    sources: list[str] = []

    class Spy(GpkgFeatures):
        def __init__(self, path, table, fids, wkb=None):
            super().__init__(path, table, fids, wkb)
            sources.append(table)
            assert wkb is not None and wkb.size == fids.size  # the WKB read in bulk, parsed by the workers

    monkeypatch.setattr(layer_arrays, "GpkgFeatures", Spy)

    def run(landuse, basic):
        result = processing.run("wpzf:farmlandoccupation", {
            "PATCHES": str(district.batches["2022-05"]), "LANDUSE": landuse, "BASIC_FARMLAND": basic,
            "OUTPUT": "TEMPORARY_OUTPUT", "BREAKDOWN": "TEMPORARY_OUTPUT"})
        rows = {key: [f.attributes() for f in result[key].getFeatures(QgsFeatureRequest().addOrderBy("$id"))]
                for key in ("OUTPUT", "BREAKDOWN")}
        return rows, {k: v for k, v in result.items() if k not in ("OUTPUT", "BREAKDOWN")}

    files = [f"{district.landuse}|layername={name}" for name in ("DLTB", "YJJBNTTB")]
    memory = [QgsVectorLayer(uri, "m", "ogr").materialize(QgsFeatureRequest()) for uri in files]
    from_files = run(*files)
    assert sources == ["DLTB", "YJJBNTTB"]  # the GeoPackage layers were read by the workers
    from_memory = run(*memory)
    assert sources == ["DLTB", "YJJBNTTB"]  # memory layers: parsed whole, as before
    assert len(from_files[0]["OUTPUT"]) == 60 and len(from_files[0]["BREAKDOWN"]) > 60  # the May batch
    assert from_files == from_memory  # every field, every row, to the last digit; the same counts
