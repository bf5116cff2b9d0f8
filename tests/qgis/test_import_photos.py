"""wpzf:importphotos on a workspace made from the generated district: real JPEGs with EXIF GPS."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest
from exif_photos import write_photo


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def workspace(district, tmp_path, wpzf_processing):
    from qgis import processing

    path = tmp_path / "ws" / "永川2022.gpkg"
    path.parent.mkdir()
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    return path


def _shapes(path):
    from wpzf.domain.evidence.matching import load_patch_shapes
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(path) as ws:
        return load_patch_shapes(ws, "2022-05")


def _lonlat(x, y, epsg):
    from pyproj import Transformer

    return Transformer.from_crs(epsg, 4490, always_xy=True).transform(x, y)


def _photo_set(shapes, folder):
    """Photos inside patch A, 20 m outside patch B only, 5 km from everything, and without GPS."""
    import numpy as np
    import shapely

    union = shapely.union_all(shapes.geometries)
    a = int(np.argsort(shapes.areas)[len(shapes) // 2])
    inside = shapes.geometries[a].representative_point()
    near = None
    for b in range(len(shapes)):
        ring = shapes.geometries[b].buffer(20.0, quad_segs=16).exterior
        for t in np.linspace(0, 1, 64, endpoint=False):
            p = ring.interpolate(t, normalized=True)
            others = np.delete(shapely.distance(shapes.geometries, p), b)
            if not union.covers(p) and others.min() > 60.0:
                near = (b, p)
                break
        if near:
            break
    assert near is not None, "the generated district has an isolated patch"
    minx, miny, _, _ = union.bounds
    far = shapely.Point(minx - 5000.0, miny - 5000.0)
    photos = {
        "inside": write_photo(folder / "DSC_0001.JPG", *_lonlat(inside.x, inside.y, shapes.epsg), bearing=90.0),
        "near": write_photo(folder / "day2" / "现场 0002.jpg", *_lonlat(near[1].x, near[1].y, shapes.epsg),
                            bearing=271.25, taken="2022:05:21 15:02:09"),
        "far": write_photo(folder / "DSC_0003.jpg", *_lonlat(far.x, far.y, shapes.epsg)),
        "nogps": write_photo(folder / "DSC_0004.jpg"),
    }
    broken = folder / "DSC_0005.jpg"
    broken.write_bytes(b"truncated upload")
    (folder / "notes.txt").write_text("not a photo", encoding="utf-8")
    return photos, broken, shapes.jcbh[a], shapes.jcbh[near[0]]


def _run(workspace, folder, **extra):
    from qgis import processing

    return processing.run("wpzf:importphotos", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "FOLDER": str(folder), "OUTPUT": "memory:", **extra})


def test_photos_are_assigned_by_exif_position_and_nothing_is_dropped(workspace, tmp_path):
    folder = tmp_path / "外业照片"
    photos, broken, jcbh_inside, jcbh_near = _photo_set(_shapes(workspace), folder)
    result = _run(workspace, folder)
    rows = {f["WJ"]: f for f in result["OUTPUT"].getFeatures()}
    assert set(rows) == {str(p) for p in (*photos.values(), broken)}  # notes.txt is no photo
    inside, near = rows[str(photos["inside"])], rows[str(photos["near"])]
    assert (inside["JCBH"], inside["PPFS"], inside["JL"]) == (jcbh_inside, "内部", 0.0)
    assert inside["FWJ"] == pytest.approx(90.0) and inside["PSSJ"] == "2022-05-20T10:31:00"
    assert (near["JCBH"], near["PPFS"]) == (jcbh_near, "最近")
    assert near["JL"] == pytest.approx(20.0, abs=0.5) and near["FWJ"] == pytest.approx(271.25)
    far, nogps, bad = rows[str(photos["far"])], rows[str(photos["nogps"])], rows[str(broken)]
    assert (far["JCBH"], far["PPFS"]) == ("", "未匹配") and far["JL"] > 4000 and "beyond 50 m" in far["YY"]
    assert (nogps["PPFS"], nogps["JD"]) == ("未匹配", None) and "no GPS" in nogps["YY"]
    assert bad["PPFS"] == "未匹配" and "DSC_0005.jpg" in bad["YY"]
    assert not nogps.geometry() or nogps.geometry().isNull()
    assert inside.geometry().asPoint().x() == pytest.approx(inside["JD"])
    assert (result["MATCHED"], result["UNMATCHED"], result["ADDED"]) == (2, 3, 2)

    evidence_dir = workspace.parent / "evidence"
    with sqlite3.connect(workspace) as conn:
        stored = conn.execute(
            "SELECT p.JCBH, e.ZLLX, e.WJLJ, e.YSWJM, e.SHA256, e.WJDX, e.JD, e.WD, e.FWJ, e.PSSJ "
            "FROM wpzf_evidence e JOIN jctb p ON p.fid = e.patch_fid ORDER BY e.id").fetchall()
    assert [(r[0], r[1], r[3]) for r in stored] == [(jcbh_inside, "照片", "DSC_0001.JPG"),
                                                   (jcbh_near, "照片", "现场 0002.jpg")]
    for row, photo in zip(stored, (photos["inside"], photos["near"])):
        content = photo.read_bytes()
        copy = (evidence_dir / row[2]).resolve()
        assert evidence_dir.resolve() in copy.parents and copy.read_bytes() == content
        assert row[4] == hashlib.sha256(content).hexdigest() and row[5] == len(content)
        assert photo.is_file()  # copied, not moved
    assert stored[1][8] == pytest.approx(271.25) and stored[1][9] == "2022-05-21T15:02:09"
    assert stored[0][6] == pytest.approx(inside["JD"]) and stored[0][7] == pytest.approx(inside["WD"])

    again = _run(workspace, folder)  # a second run recognises the copies
    assert again["ADDED"] == 0 and again["MATCHED"] == 2
    with sqlite3.connect(workspace) as conn:
        assert conn.execute("SELECT count(*) FROM wpzf_evidence").fetchone() == (2,)
    assert sum(1 for p in evidence_dir.rglob("*") if p.is_file()) == 2


def test_distance_and_subfolder_options(workspace, tmp_path):
    folder = tmp_path / "photos"
    photos, _, jcbh_inside, _ = _photo_set(_shapes(workspace), folder)
    result = _run(workspace, folder, RECURSIVE=False, MAX_DISTANCE=5000000)
    rows = {f["WJ"]: f for f in result["OUTPUT"].getFeatures()}
    assert str(photos["near"]) not in rows  # in day2/, not searched
    assert rows[str(photos["far"])]["PPFS"] == "最近"  # within the widened distance
    assert rows[str(photos["inside"])]["JCBH"] == jcbh_inside


def test_unknown_batch_and_missing_folder_are_clear_errors(workspace, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="2099-01"):
        _run(workspace, tmp_path, BATCH="2099-01")
    with sqlite3.connect(workspace) as conn:
        assert conn.execute("SELECT count(*) FROM wpzf_evidence").fetchone() == (0,)
