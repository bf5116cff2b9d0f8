"""Photo-to-patch matching and the folder import, on a small workspace in EPSG:4523."""
from __future__ import annotations

import pytest
from exif_photos import write_photo

from wpzf.domain.evidence.matching import INSIDE, NEAREST, UNMATCHED, load_patch_shapes, match_photos
from wpzf.domain.evidence.photo_import import ADDED, ALREADY, CANCELED, FAILED, NOT_IMPORTED, import_photos
from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.store import Workspace

X0, Y0 = 35_580_000.0, 3_250_000.0  # zone 35 (CM 105°E), ≈ 29.36°N


def _square(x, y, side):
    return f"MULTIPOLYGON((({x} {y}, {x + side} {y}, {x + side} {y + side}, {x} {y + side}, {x} {y})))"


def _lonlat(x, y):
    from pyproj import Transformer

    return Transformer.from_crs(4523, 4490, always_xy=True).transform(x, y)


@pytest.fixture()
def ws(tmp_path):
    import shapely

    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-06', '2022-06-06', '2022-06-26')")
        for jcbh, batch, wkt in (("BIG", 1, _square(X0, Y0, 200)), ("SMALL", 1, _square(X0 + 50, Y0 + 50, 40)),
                                 ("EAST", 1, _square(X0 + 1000, Y0, 100)), ("JUNE", 2, _square(X0 + 3000, Y0, 100))):
            g = shapely.from_wkt(wkt)
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XGR, XGSJ) VALUES (?, ?, ?, 'x', 't')",
                         (gpkg.encode(shapely.to_wkb(g), 4523, g.bounds), jcbh, batch))
    yield w
    w.close()


def test_inside_smallest_containing_nearest_within_distance_and_unmatched(ws):
    shapes = load_patch_shapes(ws, "2022-05")
    assert sorted(shapes.jcbh) == ["BIG", "EAST", "SMALL"]
    points = [
        _lonlat(X0 + 150, Y0 + 150),  # only in BIG
        _lonlat(X0 + 70, Y0 + 70),  # in SMALL, which lies inside BIG
        _lonlat(X0 + 1130, Y0 + 50),  # 30 m east of EAST
        _lonlat(X0 + 3050, Y0 + 50),  # inside JUNE, another batch: 1950 m from EAST
        (None, None),
        _lonlat(X0 + 200, Y0 + 100),  # on BIG's edge
    ]
    inside, nested, near, far, none, edge = match_photos(shapes, points, max_distance=50)
    assert (inside.jcbh, inside.how, inside.distance) == ("BIG", INSIDE, 0.0)
    assert (nested.jcbh, nested.how, nested.candidates) == ("SMALL", INSIDE, 2)
    assert (near.jcbh, near.how) == ("EAST", NEAREST) and near.distance == pytest.approx(30.0, abs=0.01)
    assert (far.jcbh, far.how, far.patch_fid) == (None, UNMATCHED, None)
    assert far.distance == pytest.approx(1950.0, abs=0.01) and "EAST" in str(far.reason)
    assert (none.how, none.distance) == (UNMATCHED, None) and "no GPS" in str(none.reason)
    assert (edge.jcbh, edge.how) == ("BIG", INSIDE)
    all_batches = match_photos(load_patch_shapes(ws), points[3:4], max_distance=50)[0]
    assert (all_batches.jcbh, all_batches.how) == ("JUNE", INSIDE)


def test_folder_import_copies_matched_photos_and_lists_the_rest(ws, tmp_path):
    folder = tmp_path / "photos"
    write_photo(folder / "a.jpg", *_lonlat(X0 + 150, Y0 + 150))
    write_photo(folder / "sub" / "b.jpg", *_lonlat(X0 + 1130, Y0 + 50))
    write_photo(folder / "c.jpg")
    (folder / "d.jpg").write_bytes(b"broken")
    rows = import_photos(ws, folder, max_distance=50, batch="2022-05")
    assert [(r.path.name, r.status, r.match.jcbh) for r in rows] == [
        ("a.jpg", ADDED, "BIG"), ("c.jpg", NOT_IMPORTED, None), ("d.jpg", FAILED, None), ("b.jpg", ADDED, "EAST")]
    assert all(r.reason is None for r in rows if r.status == ADDED)
    assert all(r.reason is not None for r in rows if r.status != ADDED)
    again = import_photos(ws, folder, max_distance=50, batch="2022-05")
    assert [r.status for r in again] == [ALREADY, NOT_IMPORTED, FAILED, ALREADY]


def test_import_never_reimports_the_workspace_own_evidence(ws, tmp_path):
    write_photo(tmp_path / "a.jpg", *_lonlat(X0 + 150, Y0 + 150))
    first = import_photos(ws, tmp_path, max_distance=50)  # the folder holding the workspace itself
    assert [r.status for r in first] == [ADDED]
    assert [r.path.name for r in import_photos(ws, tmp_path, max_distance=50)] == ["a.jpg"]


def test_cancel_keeps_what_was_copied_and_lists_the_rest(ws, tmp_path):
    folder = tmp_path / "photos"
    for n in range(4):
        write_photo(folder / f"p{n}.jpg", *_lonlat(X0 + 10 + 40 * n, Y0 + 150), color=(n * 50, 10, 10))
    calls = iter([False] * 6 + [True] * 10)  # 4 reads, then cancel after two copies
    rows = import_photos(ws, folder, max_distance=50, is_canceled=lambda: next(calls))
    assert [r.status for r in rows] == [ADDED, ADDED, CANCELED, CANCELED]
    assert ws.conn.execute("SELECT count(*) FROM wpzf_evidence").fetchone() == (2,)
    rerun = import_photos(ws, folder, max_distance=50)
    assert [r.status for r in rerun] == [ALREADY, ALREADY, ADDED, ADDED]
