"""The overlay engine's shortcuts give exactly what the plain computation gives.

Each shortcut (containment instead of an overlay, reuse of pieces for basic
farmland copied from land use, forked workers, results streamed per chunk,
class codes normalised once per distinct value) is checked against the
straightforward answer on the same shapes, ellipsoidal and planar.
"""
from __future__ import annotations

import numpy as np
import pytest
import shapely

from wpzf.domain.geodesy import ellipsoidal_areas
from wpzf.domain.overlay import Canceled, farmland_occupation
from wpzf.domain.overlay import clip as clip_module
from wpzf.domain.overlay import farmland as farmland_module
from wpzf.domain.overlay.clip import OverlayIndex, contained, prepared_patches, twins
from wpzf.domain.overlay.parallel import fork_available, run_chunks_parallel

X0, Y0 = 35_590_000.0, 3_250_000.0
EPSG = 4523


def box(x1: float, y1: float, x2: float, y2: float):
    return shapely.box(X0 + 100 * x1, Y0 + 100 * y1, X0 + 100 * x2, Y0 + 100 * y2)


def district(n_patches: int = 120, seed: int = 7):
    """A 10 × 10 cell land-use grid (a coverage), basic farmland partly copied from it, random patches."""
    rng = np.random.default_rng(seed)
    landuse = [box(x, y, x + 1, y + 1) for x in range(10) for y in range(10)]
    landuse.append(box(2.5, 2.5, 3.5, 4.5))  # overlaps the grid: first in input order wins
    codes = rng.choice(["0101", "0102", "0103", "0301", "0702", "1001"], len(landuse)).tolist()
    kcxs = rng.choice([0.0, 0.05, 0.1], len(landuse))
    basic = [landuse[i] for i in range(0, 100, 3)]  # exact copies of land-use polygons
    basic += [shapely.affinity.translate(landuse[50], 7.0, 3.0), box(4.2, 4.2, 5.8, 5.1)]  # not copies
    basic.append(shapely.Polygon(list(landuse[20].exterior.coords)[::-1]))  # same ring, other direction
    centres = rng.uniform(-0.5, 10.5, (n_patches, 2))
    sizes = rng.uniform(0.05, 1.4, n_patches)
    patches = [shapely.buffer(shapely.Point(X0 + 100 * x, Y0 + 100 * y), 100 * r, 3)
               for (x, y), r in zip(centres, sizes)]
    patches[0] = box(3.2, 3.2, 3.4, 3.3)  # inside one cell but also under the overlapping polygon
    patches[1] = box(6.1, 6.1, 6.9, 6.9)  # strictly inside one cell
    patches[2] = box(0, 0, 2, 2)  # exactly four cells: shared edges
    patches[3] = shapely.MultiPolygon([box(7.2, 7.2, 7.4, 7.4), box(20, 20, 21, 21)])  # one part outside
    patches[4] = box(4.9, 4.9, 6.1, 6.1)  # cell (5, 5) strictly inside
    return patches, landuse, codes, kcxs, basic


def plain_pieces(patches, overlays):
    """Every (patch, overlay) piece by a GEOS intersection, sorted like OverlayIndex.clip."""
    tree = shapely.STRtree(overlays)
    p, o = tree.query(patches, predicate="intersects")
    order = np.lexsort((o, p))
    p, o = p[order], o[order]
    return p, o, shapely.intersection(patches[p], overlays[o])


def test_containment_shortcut_gives_the_intersection_geos_would() -> None:
    patches, landuse, *_ = district()
    geoms, _ = prepared_patches(patches)
    pieces = OverlayIndex(landuse).clip(geoms)
    p, o, expected = plain_pieces(geoms, np.array(landuse, dtype=object))
    assert pieces.patch.tolist() == p.tolist() and pieces.overlay.tolist() == o.tolist()
    assert ellipsoidal_areas(pieces.geoms, EPSG) == pytest.approx(ellipsoidal_areas(expected, EPSG), abs=1e-6)
    assert shapely.equals(pieces.geoms, expected).all()
    # the shortcut was taken where it applies, and only there
    assert pieces.whole_patch[(pieces.patch == 1)].tolist() == [True]
    assert not pieces.whole_patch[pieces.patch == 2].any()  # touches cell boundaries
    assert not pieces.whole_patch[pieces.patch == 3].any()  # multipart: not connected
    cell55 = 5 * 10 + 5
    inside = (pieces.patch == 4) & (pieces.overlay == cell55)
    assert shapely.equals_exact(pieces.geoms[inside][0], landuse[cell55], tolerance=0)


def test_contained_masks_on_holes_and_touching_boundaries() -> None:
    ring = shapely.Polygon(box(0, 0, 4, 4).exterior.coords, [box(1, 1, 3, 3).exterior.coords])
    patches = np.array([box(0.5, 0.5, 3.5, 3.5), box(0.2, 0.2, 0.8, 0.8), box(0, 0, 0.5, 0.5),
                        box(-1, -1, 5, 5)], dtype=object)
    overlays = np.array([ring] * 4, dtype=object)
    shapely.prepare(patches)
    # (pairs that intersect, as clip passes them) across the hole, inside the ring, touching the
    # outer boundary, around the whole ring
    whole_patch, whole_overlay = contained(patches, overlays)
    assert whole_patch.tolist() == [False, True, False, False]
    assert whole_overlay.tolist() == [False, False, False, True]
    in_hole = np.array([box(1.5, 1.5, 2.5, 2.5)], dtype=object)
    shapely.prepare(in_hole)
    assert OverlayIndex([ring]).clip(in_hole).geoms.size == 0  # in the hole: they never meet


def test_big_overlay_features_are_prepared_and_give_the_same_pieces(monkeypatch) -> None:
    """A town boundary or red line of thousands of vertices is prepared once and answers the predicates
    itself (intersects, contains_properly): the pieces are byte for byte those of the patch-side tests."""
    ring = shapely.segmentize(shapely.Polygon(box(0, 0, 8, 8).exterior.coords, [box(3, 3, 5, 5).exterior.coords]),
                              2.0)  # 1,920 vertices, a hole
    overlays = [ring, box(8, 0, 9, 8)]
    patches = [box(1, 1, 2, 2), box(3.5, 3.5, 4.5, 4.5), box(2.5, 2.5, 3.5, 3.5), box(7.5, 1, 8.5, 2),
               shapely.MultiPolygon([box(0.2, 0.2, 0.4, 0.4), box(6, 6, 6.5, 6.5)]), box(-1, -1, 9.5, 9)]
    assert shapely.get_num_coordinates(ring) > clip_module.BIG_FEATURE_VERTICES
    geoms, _ = prepared_patches(patches)
    index = OverlayIndex(overlays)
    pieces = index.clip(geoms)
    assert shapely.is_prepared(index.geoms).tolist() == [True, False]
    monkeypatch.setattr(clip_module, "BIG_FEATURE_VERTICES", 10**9)  # nothing big: the patch-side tests
    plain = OverlayIndex(overlays).clip(prepared_patches(patches)[0])
    assert pieces.patch.tolist() == plain.patch.tolist() and pieces.overlay.tolist() == plain.overlay.tolist()
    assert shapely.to_wkb(pieces.geoms).tolist() == shapely.to_wkb(plain.geoms).tolist()
    assert pieces.whole_patch.tolist() == plain.whole_patch.tolist()
    # by hand: inside the ring (whole, 1 cell), in the hole (none), across the hole's edge (3/4 cell),
    # across the outer edge (1/2 cell in each), the multipart patch (both parts inside), around everything
    area = dict(zip(zip(pieces.patch.tolist(), pieces.overlay.tolist()), shapely.area(pieces.geoms).tolist()))
    cell = 1e4
    assert area == pytest.approx({(0, 0): cell, (2, 0): 0.75 * cell, (3, 0): 0.5 * cell, (3, 1): 0.5 * cell,
                                  (4, 0): 0.04 * cell + 0.25 * cell, (5, 0): 60 * cell, (5, 1): 8 * cell})
    assert pieces.whole_patch[(pieces.patch == 0)].tolist() == [True]


RACE = """
import sys
sys.path.insert(0, {devtools!r})
from wpzf_bootstrap import register_plugin_package
register_plugin_package()
import numpy as np, shapely
from wpzf.domain.overlay import overlay_summary
X0, Y0 = 35_590_000.0, 3_250_000.0
ring = shapely.segmentize(shapely.box(X0, Y0, X0 + 1000, Y0 + 1000), 0.1)  # 40,001 vertices
rng = np.random.default_rng(3)
patches = [shapely.buffer(shapely.Point(X0 + x, Y0 + y), 30.0, 2) for x, y in rng.uniform(50, 950, (64, 2))]
one = overlay_summary(patches, [ring], ["R"], crs=4523, workers=1).covered
for _ in range(20):  # a fresh copy each time: its indexes are built on first use, by 8 threads at once
    fresh = shapely.from_wkb(shapely.to_wkb([ring]))
    assert overlay_summary(patches, fresh, ["R"], crs=4523, workers=8, chunk_size=1).covered.tolist() == one.tolist()
print("same", round(float(one.sum()), 3))
"""


def test_a_big_overlay_feature_shared_by_worker_threads_is_safe() -> None:
    """Worker threads meet the same big feature at once. A prepared geometry builds its indexes on first use;
    two threads doing that together crashed the process (seen: wpzf:overlaysummary on town boundaries of
    22,000 vertices; without the lock this child process dies of a segmentation fault). In a child process,
    so a crash fails this test instead of ending the run."""
    import subprocess
    import sys
    from pathlib import Path

    devtools = str(Path(__file__).resolve().parents[2] / "devtools")
    done = subprocess.run([sys.executable, "-c", RACE.format(devtools=devtools)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split()[0] == "same" and float(done.stdout.split()[1]) > 0


def test_twins_are_exact_copies_only() -> None:
    _, landuse, _, _, basic = district()
    twin = twins(basic, landuse)
    copies = len(range(0, 100, 3))
    assert twin[:copies].tolist() == list(range(0, 100, 3))
    assert (twin[copies:] == -1).all()  # shifted, different, and reversed-ring polygons are not copies
    assert (twins([], landuse) == -1).all() and twins([None], landuse).tolist() == [-1]


@pytest.mark.parametrize("method", ["ellipsoidal", "planar"])
def test_reusing_land_use_pieces_for_basic_farmland_changes_nothing(monkeypatch, method) -> None:
    patches, landuse, codes, kcxs, basic = district()
    reused = farmland_occupation(patches, landuse, codes, kcxs, basic, area_method=method, crs=EPSG, chunk_size=17)
    monkeypatch.setattr(clip_module, "twins", lambda geoms, of: np.full(len(geoms), -1, dtype=np.intp))
    cut = farmland_occupation(patches, landuse, codes, kcxs, basic, area_method=method, crs=EPSG, chunk_size=17)
    assert reused.jbntmj == pytest.approx(cut.jbntmj, abs=1e-9)
    assert (reused.jbntmj > 0).sum() > 20
    assert reused.basic_farmland_repaired.tolist() == cut.basic_farmland_repaired.tolist()
    # and the basic farmland is exactly patch ∩ union(basic), as the official rule measures it
    union = shapely.union_all(basic)
    direct = ellipsoidal_areas(shapely.intersection(np.array(patches, dtype=object), union), EPSG) \
        if method == "ellipsoidal" else shapely.area(shapely.intersection(np.array(patches, dtype=object), union))
    assert reused.jbntmj == pytest.approx(direct, abs=0.05)
    # net farmland inside basic farmland: the same whether pieces were reused or cut, and what the
    # definition gives (domain.md §9: net 耕地 ∩ 永农), with first-in-input-order land use
    assert reused.jbntgdmj == pytest.approx(cut.jbntgdmj, abs=1e-6)
    measure = (lambda g: ellipsoidal_areas(g, EPSG)) if method == "ellipsoidal" else shapely.area
    expected = np.zeros(len(patches))
    for i, patch in enumerate(patches):
        taken = shapely.Polygon()
        for k, polygon in enumerate(landuse):
            piece = shapely.difference(shapely.intersection(patch, polygon), taken)
            taken = shapely.union(taken, shapely.intersection(patch, polygon))
            if codes[k] in ("0101", "0102", "0103"):
                expected[i] += float(measure(np.array([shapely.intersection(piece, union)]))[0]) * (1 - kcxs[k])
    assert reused.jbntgdmj == pytest.approx(expected, abs=0.05)
    assert (reused.jbntgdmj <= reused.gdmj + 1e-9).all() and (reused.jbntgdmj > 0).sum() > 20


def test_forked_workers_stream_chunks_in_order_and_match_one_process() -> None:
    patches, landuse, codes, kcxs, basic = district(200)
    one = farmland_occupation(patches, landuse, codes, kcxs, basic, crs=EPSG, chunk_size=23)
    seen: list[int] = []
    streamed: list = []
    progress: list[float] = []

    def on_chunk(start, part):
        seen.append(start)
        streamed.append(part)

    two = farmland_occupation(patches, landuse, codes, kcxs, basic, crs=EPSG, chunk_size=23, workers=2,
                              on_chunk=on_chunk, progress=progress.append)
    assert seen == list(range(0, 200, 23))
    assert progress == sorted(progress) and progress[-1] == 1.0
    for name in ("tbmj", "gdtbmj", "gdmj", "sdmj", "sjdmj", "hdmj", "jbntmj", "jbntgdmj", "fgnydmj", "jsydmj",
                 "wlydmj", "unclassified", "zgbl", "uncovered"):
        assert getattr(two, name).tolist() == getattr(one, name).tolist(), name
        assert np.concatenate([getattr(p, name) for p in streamed]).tolist() == getattr(one, name).tolist()
    for name in ("patch", "dlbm", "gross", "net"):
        assert getattr(two.breakdown, name).tolist() == getattr(one.breakdown, name).tolist(), name
    assert np.concatenate([p.breakdown.patch for p in streamed]).tolist() == one.breakdown.patch.tolist()
    assert two.landuse_repaired.tolist() == one.landuse_repaired.tolist()


@pytest.mark.skipif(not fork_available(), reason="no fork on this platform")
def test_forked_run_reports_progress_and_stops_on_cancel() -> None:
    calls = iter([False, False, True])
    with pytest.raises(Canceled):
        run_chunks_parallel(100, 10, lambda part: part.stop, is_canceled=lambda: next(calls), workers=2)
    delivered: list[tuple[int, int]] = []
    results = run_chunks_parallel(95, 10, lambda part: part.stop - part.start, workers=2,
                                  on_result=lambda k, r: delivered.append((k, r)))
    assert results == [10] * 9 + [5]
    assert delivered == list(enumerate(results))


def test_class_codes_once_per_distinct_value() -> None:
    codes, index = farmland_module._class_codes(["0101", "101", None, "0101", " 0102 ", "", "0201K"])
    assert codes[index].tolist() == ["0101", "0101", "", "0101", "0102", "", "0201K"]
    codes, index = farmland_module._class_codes([101, 101.0, "0101", True, 1, float("nan"), None])
    assert codes[index].tolist() == ["0101", "0101", "0101", "TRUE", "1", "", ""]


def test_coefficients_fast_and_slow_paths_agree() -> None:
    kc = farmland_module._coefficients
    assert kc([0.1, None, "0.2", np.nan], 4).tolist() == [0.1, 0.0, 0.2, 0.0]
    assert kc(["", 0.3], 2).tolist() == [0.0, 0.3]
    assert kc(np.array([0.5, 0.25]), 2).tolist() == [0.5, 0.25]
    with pytest.raises(ValueError):
        kc(["abc"], 1)


def test_thread_fallback_where_fork_is_missing(monkeypatch) -> None:
    import wpzf.domain.overlay.parallel as parallel

    patches, landuse, codes, kcxs, basic = district(60)
    forked = farmland_occupation(patches, landuse, codes, kcxs, basic, crs=EPSG, chunk_size=7, workers=2)
    monkeypatch.setattr(parallel, "fork_available", lambda: False)
    starts: list[int] = []
    threaded = farmland_occupation(patches, landuse, codes, kcxs, basic, crs=EPSG, chunk_size=7, workers=2,
                                   on_chunk=lambda start, part: starts.append(start))
    assert starts == list(range(0, 60, 7))
    assert threaded.gdmj.tolist() == forked.gdmj.tolist() and threaded.jbntmj.tolist() == forked.jbntmj.tolist()
