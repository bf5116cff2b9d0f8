"""Sample-district generator: reproducible, realistic fields and codes, planted defects."""
from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest
import shapely
from osgeo import gdal, ogr

from wpzf.sampledata import DistrictFiles, generate
from wpzf.sampledata.codes import DLMC, FARMLAND
from wpzf.sampledata.names import TOWNS

gdal.UseExceptions()
ogr.UseExceptions()

SEED = 20220513
BATCH_FIELDS = ["JCBH", "XZQDM", "XMC", "TBLX", "QSX", "HSX", "JCMJ", "LZB", "BZB", "JCLB", "TBLY", "JCPC",
                "BHMJ", "QQJCBH", "BZ"]
DLTB_FIELDS = {"BSM", "TBBH", "DLBM", "DLMC", "ZLDWDM", "ZLDWMC", "TBMJ", "KCDLBM", "KCXS", "KCMJ", "TBDLMJ",
               "GDLX", "GDPDJB", "CZCSXM"}
LAYERS = {
    "xzq": ["XZQ", "CJDCQ"],
    "landuse": ["DLTB", "YJJBNTTB"],
    "approvals": ["NYDZY", "TDGY", "LSYD", "SSNYD"],
    "cadastre": ["ZD"],
}


def read_layer(path: Path, layer: str | None = None, options: list[str] | None = None) -> tuple[list[dict], list]:
    """Attributes and shapely geometries of one layer, in file order."""
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR, open_options=options or [])
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    rows, geoms = [], []
    for feature in lyr:
        rows.append({k: v for k, v in feature.items().items()})
        geoms.append(shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToIsoWkb())))
    return rows, geoms


def fingerprint(path: Path, layer: str | None = None) -> str:
    """Digest of every attribute and geometry WKB of a layer (read as Arrow: fast)."""
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    digest = hashlib.sha256()
    for batch in lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"]):
        for name in sorted(batch):
            column = batch[name]
            digest.update(name.encode() + (b"".join(column) if column.dtype == object else column.tobytes()))
    return digest.hexdigest()


def read_batch(files: DistrictFiles, period: str) -> tuple[list[dict], list]:
    """Patches as delivered: QSX/HSX stay text (OGR would otherwise type GeoJSON dates)."""
    path = files.batches[period]
    return read_layer(path, options=["ENCODING=CP936"] if path.suffix == ".shp" else ["DATE_AS_STRING=YES"])


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("district")
    start = time.perf_counter()
    first = generate(base / "a", "small", SEED)
    seconds = time.perf_counter() - start
    return {
        "a": first,
        "a_again": generate(base / "a_again", "small", SEED),
        "b": generate(base / "b", "small", SEED + 1),
        "seconds": seconds,
    }


@pytest.fixture(scope="module")
def files(runs) -> DistrictFiles:
    return runs["a"]


@pytest.fixture(scope="module")
def manifest(files) -> dict:
    return json.loads(files.manifest.read_text(encoding="utf-8"))


def _all_vectors(files: DistrictFiles) -> list[tuple[Path, str | None]]:
    out = [(getattr(files, attr), name) for attr, names in LAYERS.items() for name in names]
    return out + [(path, None) for _, path in sorted(files.batches.items())]


def test_small_is_fast_and_complete(runs, files):
    assert runs["seconds"] < 5.0
    for attr in ("xzq", "landuse", "approvals", "cadastre", "imagery_before", "imagery_after", "manifest"):
        assert getattr(files, attr).is_file(), attr
    assert sorted(files.batches) == ["2022-05", "2022-06"]
    assert files.batches["2022-05"].name == "2022-05.geojson"
    assert files.batches["2022-06"].name == "5001182022-06.shp"


def test_same_seed_same_data_other_seed_other_data(runs):
    a, again, b = runs["a"], runs["a_again"], runs["b"]
    for (path, layer), (path2, _) in zip(_all_vectors(a), _all_vectors(again)):
        assert fingerprint(path, layer) == fingerprint(path2, layer), (path.name, layer)
    assert a.manifest.read_bytes() == again.manifest.read_bytes()
    for name in ("before.tif", "after.tif"):
        x, y = (gdal.Open(str(r.root / "imagery" / name)).ReadAsArray() for r in (a, again))
        assert (x == y).all()
    for path, layer in ((a.landuse, "DLTB"), (a.batches["2022-05"], None), (a.batches["2022-06"], None)):
        assert fingerprint(path, layer) != fingerprint(b.root / path.relative_to(a.root), layer)


def test_counts_match_manifest_and_size(files, manifest):
    counts = manifest["counts"]
    for path, layer in _all_vectors(files):
        key = layer or "batch_" + path.parent.name
        ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
        assert (ds.GetLayerByName(layer) if layer else ds.GetLayer(0)).GetFeatureCount() == counts[key], key
    assert counts["XZQ"] == 6
    assert 1500 <= counts["DLTB"] <= 3000
    assert counts["batch_2022-05"] == counts["batch_2022-06"] == 60
    assert all(counts[k] >= 5 for k in ("NYDZY", "TDGY", "LSYD", "SSNYD", "ZD", "YJJBNTTB"))
    assert manifest["seed"] == SEED and manifest["size"] == "small"
    assert manifest["crs"]["working"] == "EPSG:4523"


def test_admin_codes_are_real(files):
    towns, _ = read_layer(files.xzq, "XZQ")
    real = {t.code: t.name for t in TOWNS}
    assert all(real[t["XZQDM"]] == t["XZQMC"] for t in towns)
    villages, _ = read_layer(files.xzq, "CJDCQ")
    codes = {t["XZQDM"] for t in towns}
    for v in villages:
        assert re.fullmatch(r"\d{12}", v["ZLDWDM"]) and v["ZLDWDM"][:9] in codes
        assert v["ZLDWMC"].endswith(("村", "社区"))


def test_dltb_fields_and_codes(files):
    rows, _ = read_layer(files.landuse, "DLTB")
    assert DLTB_FIELDS <= set(rows[0])
    classes = {r["DLBM"] for r in rows}
    assert {"0101", "0102", "0103", "0201", "0301", "1006", "1104", "0702"} <= classes
    assert any(c.endswith("K") for c in classes)
    villages = {v["ZLDWDM"] for v in read_layer(files.xzq, "CJDCQ")[0]}
    farm = [r for r in rows if r["DLBM"] in FARMLAND]
    assert len(farm) > 0.15 * len(rows)  # "small" is the urban centre of the district
    for r in rows:
        assert DLMC[r["DLBM"]] == r["DLMC"]
        assert r["ZLDWDM"] in villages
        assert r["KCMJ"] == pytest.approx(round(r["TBMJ"] * r["KCXS"], 2), abs=0.011)
        assert r["TBDLMJ"] == pytest.approx(r["TBMJ"] - r["KCMJ"], abs=0.011)
        if r["DLBM"] in FARMLAND:
            assert 0.0 <= r["KCXS"] <= 0.25 and r["GDLX"] in ("TT", "PD") and r["GDPDJB"] in "12345"
            assert r["KCDLBM"] == ("1203" if r["KCXS"] > 0 else "")
        else:
            assert r["KCXS"] == 0 and r["GDLX"] == ""
    assert {r["CZCSXM"] for r in rows if r["DLBM"] in ("0701", "0702", "0601")} <= {"201", "202", "203", "204"}
    assert len({r["BSM"] for r in rows}) == len(rows)


def test_dltb_and_jbnt_planted_defects(files, manifest):
    rows, geoms = read_layer(files.landuse, "DLTB")
    invalid = {r["BSM"] for r, g in zip(rows, geoms) if not g.is_valid}
    assert invalid == set(manifest["dltb_invalid_bsm"]) and 2 <= len(invalid) <= 3
    jbnt, _ = read_layer(files.landuse, "YJJBNTTB")
    assert set(manifest["yjjbnttb_duplicates"]) <= {r["YJJBNTTBBH"] for r in jbnt}
    bh = [r["YJJBNTTBBH"] for r in jbnt]
    assert len(bh) - len(set(bh)) == 2  # two exact copies, two shifted copies with their own number
    assert {r["DLBM"] for r in jbnt} <= set(FARMLAND)


def test_approvals_and_cadastre_fields(files):
    expected = {
        "NYDZY": {"PZWH", "PZRQ", "XMMC"},
        "TDGY": {"GYWH", "HTBH", "SRR"},
        "LSYD": {"PZWH", "PZRQ", "QX"},
        "SSNYD": {"BABH", "SSLX"},
    }
    for layer, fields in expected.items():
        rows, geoms = read_layer(files.approvals, layer)
        assert fields <= set(rows[0]), layer
        assert all(g.is_valid and g.geom_type == "Polygon" for g in geoms), layer
    for r in read_layer(files.approvals, "NYDZY")[0]:
        assert re.fullmatch(r"渝府地〔(\d{4})〕\d+号", r["PZWH"]) and r["PZWH"][4:8] == r["PZRQ"][:4]
    rows, _ = read_layer(files.cadastre, "ZD")
    assert all(re.fullmatch(r"500118\d{6}(JC|JB|GB)\d{5}", r["ZDDM"]) for r in rows)
    assert len({r["ZDDM"] for r in rows}) == len(rows) and all(r["QLR"] for r in rows)


def test_gbk_shapefile_without_encoding_hints(files):
    shp = files.batches["2022-06"]
    assert not shp.with_suffix(".cpg").exists()
    raw = shp.with_suffix(".dbf").read_bytes()
    assert raw[29] == 0
    records = raw[int.from_bytes(raw[8:10], "little"):]  # after the binary header
    with pytest.raises(UnicodeDecodeError):
        records.decode("utf-8")
    assert "永川区" in records.decode("gbk")
    rows, _ = read_batch(files, "2022-06")
    assert set(BATCH_FIELDS) <= set(rows[0]) and rows[0]["XMC"] == "永川区"


def test_geojson_declares_4490(files):
    path = files.batches["2022-05"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::4490"
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0][:2] if doc["features"][0]["geometry"][
        "type"] == "Polygon" else doc["features"][0]["geometry"]["coordinates"][0][0][0][:2]
    assert 105.5 < lon < 106.2 and 29.0 < lat < 29.6
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)  # keep the dataset alive while its layer is used
    assert ds.GetLayer(0).GetSpatialRef().GetAuthorityCode(None) == "4490"


@pytest.mark.parametrize("period", ["2022-05", "2022-06"])
def test_patch_attributes_and_defects(files, manifest, period):
    info = manifest["batches"][period]
    rows, geoms = read_batch(files, period)
    jcbh = [r["JCBH"] for r in rows]
    assert len(set(jcbh)) == len(jcbh) == info["count"]
    invalid = {j for j, g in zip(jcbh, geoms) if not g.is_valid}
    assert invalid == set(info["invalid"]) and len(invalid) == 3
    by_id = dict(zip(jcbh, geoms))
    assert all(by_id[j].geom_type == "MultiPolygon" for j in info["multipart"]) and info["multipart"]
    assert all(len(list(by_id[j].interiors)) > 0 for j in info["holed"]) and info["holed"]
    for r in rows:  # domain.md §9: "deliveries carry XZQDM = 500118 (county)"
        assert r["XZQDM"] == "500118" and r["XMC"] == "永川区" and r["JCPC"] == period
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["QSX"]) and r["QSX"] < r["HSX"]
        assert 105.5 < r["LZB"] < 106.2 and 29.0 < r["BZB"] < 29.6
        assert 100 < r["JCMJ"] < 40000 and 0 < r["BHMJ"] <= r["JCMJ"]
        assert r["BZ"].startswith("位于")
    fresh = [j for j in jcbh if j not in info["reissued"]]
    assert all(j.startswith("500118" + period.replace("-", "")) for j in fresh)


def test_reissued_patches_reuse_may_numbers(files, manifest):
    may = {r["JCBH"] for r in read_batch(files, "2022-05")[0]}
    june = {r["JCBH"] for r in read_batch(files, "2022-06")[0]}
    assert may & june == set(manifest["batches"]["2022-06"]["reissued"])
    assert len(may & june) == 2 and manifest["batches"]["2022-05"]["reissued"] == []


def test_patches_placed_in_approvals(files, manifest):
    docs = {}
    for layer, field in (("NYDZY", "PZWH"), ("TDGY", "GYWH"), ("LSYD", "PZWH"), ("SSNYD", "BABH")):
        rows, geoms = read_layer(files.approvals, layer)
        docs.update({(layer, r[field]): g for r, g in zip(rows, geoms)})
    rows, geoms = read_batch(files, "2022-06")
    patches = {r["JCBH"]: g for r, g in zip(rows, geoms)}
    entries = manifest["batches"]["2022-06"]["in_approvals"]
    assert {e["placement"] for e in entries} >= {"approval_full", "approval_partial", "facility"}
    for e in entries:
        approval = docs[(e["layer"], e["doc"])]
        share = patches[e["JCBH"]].intersection(approval).area / patches[e["JCBH"]].area
        assert share == pytest.approx(e["share"], abs=1e-3)
        if e["placement"] != "approval_partial":
            assert share > 0.999
    assert any(e["share"] < 0.9 for e in entries if e["placement"] == "approval_partial")


def test_imagery(files, manifest):
    before = gdal.Open(str(files.imagery_before))
    after = gdal.Open(str(files.imagery_after))
    for ds in (before, after):
        assert ds.RasterCount == 3 and ds.GetRasterBand(1).DataType == gdal.GDT_Byte
        assert ds.GetSpatialRef().GetAuthorityCode(None) == "4523"
        assert ds.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
        assert ds.GetRasterBand(1).GetOverviewCount() >= 1
        assert 400 <= max(ds.RasterXSize, ds.RasterYSize) <= 600
    changed = (before.ReadAsArray() != after.ReadAsArray()).any(axis=0).mean()
    assert 0.0005 < changed < 0.2
    assert manifest["imagery"]["width"] == before.RasterXSize


def test_mining_patches_find_room_in_a_district_crowded_with_patches():
    """The benchmark's districts hold 10^4–10^5 patches per batch: no forest point lies 600 m from all of
    them, and generating the data used to stop with "no room for the mining patches" (``make bench`` on a
    fresh machine). The distance to the other patches then halves; the mining patches stay 600 m apart."""
    import numpy as np

    from wpzf.sampledata.codes import INDEX
    from wpzf.sampledata.landuse import LandUse
    from wpzf.sampledata.mining import _anchors

    forest = shapely.box(0.0, 0.0, 5000.0, 5000.0)
    lu = LandUse(np.array([forest], dtype=object), np.array([INDEX["0301"]], dtype=np.int16), np.zeros(1, dtype=int))
    grid = np.arange(125.0, 5000.0, 250.0)  # a patch every 250 m: every point lies within 177 m of one
    crowd = shapely.buffer(shapely.points(np.array(np.meshgrid(grid, grid)).reshape(2, -1).T), 5.0)
    points = _anchors(np.random.default_rng(1), lu, crowd, 6)
    assert len(points) == 6
    assert min(np.hypot(*(p - q)) for i, p in enumerate(points) for q in points[i + 1:]) >= 600.0
    assert shapely.distance(shapely.points(points)[:, None], crowd[None, :]).min() >= 75.0
