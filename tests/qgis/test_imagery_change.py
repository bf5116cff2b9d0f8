"""wpzf:imagerychange on small generated rasters with known changes, and on the sample district (issue 22).

Issue 22: "Tests on small generated rasters with known changes (unchanged, built, vegetation
removed, partly outside the image, cloud/no-data), the stored scores, the prejudge evidence
text." The rasters are uniform colours per region, so every expected figure is the hand
computation of tests/unit/test_imagery_measures.py (brightness = mean of R, G, B; ExG =
(2G − R − B)/(R + G + B)), whatever the resampling between the images' grids.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from osgeo import gdal, osr

PADDY, CONCRETE, BARE, CLOUD = (104, 140, 86), (192, 192, 186), (200, 172, 136), (250, 250, 248)
X0, Y0 = 35_500_000.0, 3_300_000.0  # CGCS2000 3-degree Gauss–Krüger zone 35 (EPSG:4523), metres
# patch → lower-left corner (local metres) of its 20 m square
PATCHES = {"P1-unchanged": (10, 10), "P2-built": (50, 10), "P3-cleared": (90, 10), "P4-partly": (146, 60),
           "P4-mostly-outside": (156, 100), "P5-cloud": (10, 60), "P6-nodata": (50, 60), "P7-outside": (300, 10)}
EXTENT = 200  # the before image: 200 m square at 1 m; the after image: x < 160 only, at 2 m


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def paint(array, pixel, corner, colour, margin=6):
    """Fill the square of PATCHES' ``corner`` plus ``margin`` metres with ``colour`` (array rows from the top)."""
    x, y = corner
    c0, c1 = int((x - margin) / pixel), int((x + 20 + margin) / pixel)
    r0, r1 = int((EXTENT - (y + 20 + margin)) / pixel), int((EXTENT - (y - margin)) / pixel)
    array[:, max(r0, 0):r1, max(c0, 0):c1] = np.asarray(colour, dtype=np.uint8)[:, None, None]


def write(path, array, pixel, nodata=None, epsg=4523):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[2], array.shape[1], 3, gdal.GDT_Byte,
                                              ["TILED=YES"])
    ds.SetGeoTransform((X0, pixel, 0.0, Y0 + EXTENT, 0.0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(3):
        ds.GetRasterBand(b + 1).WriteArray(array[b])
        if nodata is not None:
            ds.GetRasterBand(b + 1).SetNoDataValue(nodata)
    ds = None
    return path


@pytest.fixture()
def images(tmp_path):
    before = np.empty((3, EXTENT, EXTENT), dtype=np.uint8)
    before[:] = np.asarray(PADDY, dtype=np.uint8)[:, None, None]
    paint(before, 1, PATCHES["P6-nodata"], (0, 0, 0))  # nodata value 0 over P6
    after = np.empty((3, EXTENT // 2, 160 // 2), dtype=np.uint8)  # 2 m pixels, x < 160 m only
    after[:] = np.asarray(PADDY, dtype=np.uint8)[:, None, None]
    paint(after, 2, PATCHES["P2-built"], CONCRETE)
    paint(after, 2, PATCHES["P3-cleared"], BARE)
    paint(after, 2, PATCHES["P4-partly"], BARE)
    paint(after, 2, PATCHES["P5-cloud"], CLOUD)
    return write(tmp_path / "before.tif", before, 1, nodata=0), write(tmp_path / "after.tif", after, 2)


def patch_layer():
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=JCBH:string", "patches", "memory")
    features = []
    for jcbh, (x, y) in PATCHES.items():
        f = QgsFeature(layer.fields())
        f.setAttributes([jcbh])
        x0, y0, x1, y1 = X0 + x, Y0 + y, X0 + x + 20, Y0 + y + 20
        f.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    return layer


def run(**parameters):
    from qgis import processing

    result = processing.run("wpzf:imagerychange", {"OUTPUT": "memory:", **parameters})
    rows = {f["JCBH"]: {n: f[n] for n in f.fields().names()} for f in result["OUTPUT"].getFeatures()}
    return result, rows


def test_known_changes_on_a_patch_layer(images):
    before, after = images
    result, rows = run(PATCHES=patch_layer(), BEFORE=str(before), AFTER=str(after))
    # each 20 m patch is measured on 12 × 12 cells of 1.667 m (the 2 m pixel refined: ≥ 12 cells across)
    p1 = rows["P1-unchanged"]
    assert (p1["XSS"], p1["LDBH"], p1["BHZB"], p1["BHDF"], p1["BZ"]) == (144, 0.0, 0.0, 0.0, None)
    p2 = rows["P2-built"]  # paddy → concrete: brightness +80, ExG −0.262201, every pixel changed, bare/built after
    assert p2["XSS"] == 144 and p2["LDBH"] == pytest.approx(80.0, abs=1e-3)
    assert p2["ZBBH"] == pytest.approx(6 / 570 - 90 / 330, abs=1e-5) and (p2["BHZB"], p2["LTZB"]) == (1.0, 1.0)
    assert p2["BHDF"] == pytest.approx(1.0) and p2["ZBZS"] == "ExG"
    p3 = rows["P3-cleared"]  # paddy → bare soil: +59.333, ExG −0.256979
    assert p3["LDBH"] == pytest.approx(508 / 3 - 110, abs=1e-3)
    assert p3["BHDF"] == pytest.approx(0.5 + 0.25 * (508 / 3 - 110) / 60 + 0.25, abs=1e-5)
    p4 = rows["P4-partly"]  # x 146–166 m, the after image ends at 160: 8 of 12 cell columns covered
    assert (p4["XSS"], p4["BZ"], p4["BHZB"]) == (96, "部分未覆盖", 1.0)
    p4b = rows["P4-mostly-outside"]  # x 156–176: 2 of 12 columns — no score, the reason instead
    assert (p4b["XSS"], p4b["BHDF"], p4b["BZ"]) == (24, None, "未覆盖")
    p5, p6 = rows["P5-cloud"], rows["P6-nodata"]
    assert (p5["XSS"], p5["BHDF"], p5["BZ"]) == (0, None, "云/无数据")
    assert (p6["XSS"], p6["BHDF"], p6["BZ"]) == (0, None, "云/无数据")
    p7 = rows["P7-outside"]
    assert (p7["XSS"], p7["BHDF"], p7["LDBH"], p7["BZ"]) == (0, None, None, "未覆盖")
    assert result["MEASURED"] == 4 and result["STORED"] == 0
    assert {r["YXQ"] for r in rows.values()} == {"before.tif"} and {r["YXH"] for r in rows.values()} == {"after.tif"}


def test_an_after_image_in_another_crs_gives_the_same_figures(images, tmp_path):
    before, after = images
    lonlat = tmp_path / "after_4490.tif"
    gdal.Warp(str(lonlat), str(after), dstSRS="EPSG:4490", resampleAlg="near", xRes=1e-5, yRes=1e-5)
    _, rows = run(PATCHES=patch_layer(), BEFORE=str(before), AFTER=str(lonlat))
    assert rows["P1-unchanged"]["BHDF"] == 0.0
    assert rows["P2-built"]["LDBH"] == pytest.approx(80.0, abs=1e-3) and rows["P2-built"]["BHDF"] == pytest.approx(1.0)
    assert rows["P3-cleared"]["LDBH"] == pytest.approx(508 / 3 - 110, abs=1e-3)
    assert rows["P7-outside"]["BZ"] == "未覆盖"


def test_bad_band_numbers_are_refused_naming_the_image(images):
    from qgis.core import QgsProcessingException

    before, after = images
    with pytest.raises(QgsProcessingException, match="before.*RED_BAND = 2"):
        run(PATCHES=patch_layer(), BEFORE=str(before), AFTER=str(after), RED_BAND=2)


def test_district_scores_are_stored_and_match_the_placed_changes(district, workspace):
    """The sample district's imagery (sampledata.imagery) places construction, cleared, unchanged and re-cultivated patches."""
    from wpzf.domain.imagery.store import load_changes
    from wpzf.domain.workspace.store import Workspace

    placed = json.loads(district.manifest.read_text(encoding="utf-8"))["imagery"]["changes"]
    result, rows = run(WORKSPACE=str(workspace), BATCH="2022-05", BEFORE=str(district.imagery_before),
                       AFTER=str(district.imagery_after))
    assert result["STORED"] == 60 == len(rows)
    with Workspace.open(workspace) as ws:
        stored = load_changes(ws)
        jcbh = dict(ws.conn.execute("SELECT fid, JCBH FROM jctb"))
        assert ws.conn.execute("SELECT count(*), count(DISTINCT YXH) FROM wpzf_imagery_change").fetchone() == (60, 1)
    assert {jcbh[f]: m.BHDF for f, m in stored.items()} == pytest.approx({k: r["BHDF"] for k, r in rows.items()})
    by_kind: dict[str, list] = {}
    for fid, m in stored.items():
        by_kind.setdefault(placed[jcbh[fid]], []).append(m)
    assert set(by_kind) == {"construction", "cleared", "unchanged", "recultivated"}
    assert all(m.BHDF == 0.0 for m in by_kind["unchanged"])  # identical pixels in both images
    assert all(m.ZBBH >= 0.1 and m.LTZB <= 0.3 for m in by_kind["recultivated"])  # crops back on bare soil
    assert np.median([m.BHDF for m in by_kind["construction"]]) > 0.5
    run(WORKSPACE=str(workspace), BATCH="2022-05", BEFORE=str(district.imagery_before),
        AFTER=str(district.imagery_after))  # a rerun replaces per patch
    with Workspace.open(workspace) as ws:
        assert ws.conn.execute("SELECT count(*) FROM wpzf_imagery_change").fetchone() == (60,)


def test_prejudge_uses_the_stored_screening(district, workspace):
    from qgis import processing

    from wpzf.domain.imagery.store import load_changes
    from wpzf.domain.workspace.gpkg import connect
    from wpzf.domain.workspace.store import Workspace

    placed = json.loads(district.manifest.read_text(encoding="utf-8"))["imagery"]["changes"]
    covers = [f"{district.approvals}|layername={name}" for name in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    parameters = {"WORKSPACE": str(workspace), "BATCH": "2022-05", "LANDUSE": f"{district.landuse}|layername=DLTB",
                  "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "COVERS": covers, "OUTPUT": "memory:"}
    plain = {f["JCBH"]: (f["YPLX"], f["YPQX"]) for f in processing.run("wpzf:prejudge", parameters)["OUTPUT"].getFeatures()}
    run(WORKSPACE=str(workspace), BATCH="2022-05", BEFORE=str(district.imagery_before),
        AFTER=str(district.imagery_after))
    with connect(workspace) as conn:
        jcbh = dict(conn.execute("SELECT fid, JCBH FROM jctb"))
        regrown = [f for f, j in jcbh.items() if placed[j] == "recultivated"]
        assert regrown
        # the technician judged the re-cultivated sites 违法 earlier; no rectification recorded yet
        conn.executemany("UPDATE jctb SET PDLX = '违法' WHERE fid = ?", [(f,) for f in regrown])
        conn.commit()
    with Workspace.open(workspace) as ws:
        stored = load_changes(ws)
    output = {f["JCBH"]: f for f in processing.run("wpzf:prejudge", parameters)["OUTPUT"].getFeatures()}
    with connect(workspace) as conn:
        evidence = {jcbh[f]: (p, q, json.loads(e)) for f, p, q, e in
                    conn.execute("SELECT patch_fid, PDLX, JTQX, evidence FROM wpzf_prejudgement")}
    low = {jcbh[f] for f, m in stored.items() if m.BHDF is not None and m.BHDF <= 0.1 and not m.BZ}
    assert low and {j for j in low if placed[j] == "unchanged"}  # the placed false changes are among them
    for j in low:
        assert evidence[j][:2] == ("其他", "实地未变化")
        assert evidence[j][2]["imagery"]["BHDF"] == round(stored[next(f for f in jcbh if jcbh[f] == j)].BHDF, 4)
        assert evidence[j][2]["replaced"]["PDLX"] == plain[j][0]
        assert output[j]["LY"].startswith("Rule imagery.unchanged") or "Imagery shows almost no change" in output[j]["LY"]
    for f in regrown:
        assert evidence[jcbh[f]][2]["imagery"]["finding"] == "可能已复耕"
        assert "可能已复耕" in output[jcbh[f]]["LY"]
    strong = [j for j, (p, q, e) in evidence.items() if e.get("imagery", {}).get("finding") == "变化明显"]
    for j in strong:
        assert evidence[j][:2] == ("违法", "疑似违法") and "The imagery confirms a change on farmland" in output[j]["LY"]
    untouched = set(jcbh.values()) - low - set(strong) - {jcbh[f] for f in regrown}
    assert all((evidence[j][0], evidence[j][1]) == plain[j] for j in untouched)


def test_a_canceled_run_stores_nothing_and_keeps_the_earlier_results(district, workspace):
    """Preamble: "nothing stored is lost or half-written" — cancel half-way, the stored rows stay as they were."""
    from qgis import processing
    from qgis.core import QgsProcessingFeedback

    from wpzf.domain.workspace.gpkg import connect

    parameters = {"WORKSPACE": str(workspace), "BATCH": "2022-05", "BEFORE": str(district.imagery_before),
                  "AFTER": str(district.imagery_after), "OUTPUT": "memory:"}
    processing.run("wpzf:imagerychange", parameters)
    with connect(workspace) as conn:  # a marker no run computes: any row rewritten would lose it
        conn.execute("UPDATE wpzf_imagery_change SET BHDF = -1, JSSJ = 'earlier run'")
        conn.commit()
        first = conn.execute("SELECT patch_fid, BHDF, JSSJ FROM wpzf_imagery_change ORDER BY patch_fid").fetchall()
    assert len(first) == 60

    class CancelHalfway(QgsProcessingFeedback):
        def setProgress(self, progress):  # noqa: N802
            super().setProgress(progress)
            if progress >= 50:
                self.cancel()

    feedback = CancelHalfway()
    result = processing.run("wpzf:imagerychange", {**parameters, "RED_BAND": 1}, feedback=feedback)
    assert feedback.isCanceled() and result.get("STORED") is None
    with connect(workspace) as conn:
        assert conn.execute("SELECT patch_fid, BHDF, JSSJ FROM wpzf_imagery_change ORDER BY patch_fid").fetchall() == first
