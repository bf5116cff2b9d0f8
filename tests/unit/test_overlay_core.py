"""Overlay core on hand-built geometries whose answers are known exactly.

Coordinates are EPSG:4523 metres near 永川, written relative to an origin so a
"cell" is a 100 m × 100 m square: planar answers are exact multiples of 1e4 m²,
ellipsoidal answers are checked against the geodesy module on the same shapes.
"""
from __future__ import annotations

import numpy as np
import pytest
import shapely
import shapely.affinity
import shapely.errors
from shapely.geometry import LineString, MultiPolygon, Polygon

from wpzf.domain.geodesy import ellipsoidal_area, ellipsoidal_areas
from wpzf.domain.overlay import (
    Canceled,
    broad_class,
    farmland_occupation,
    normalize_code,
    overlay_summary,
    repair,
)
from wpzf.domain.overlay.geometry import SNAP_GRID, robust

X0, Y0 = 35_590_000.0, 3_250_000.0
EPSG = 4523


def box(x1: float, y1: float, x2: float, y2: float) -> Polygon:
    """Box in 100 m cells from the origin."""
    return shapely.box(X0 + 100 * x1, Y0 + 100 * y1, X0 + 100 * x2, Y0 + 100 * y2)


def shifted(wkt: str) -> Polygon:
    """WKT in 100 m cells → EPSG:4523 geometry."""
    return shapely.affinity.affine_transform(shapely.from_wkt(wkt), [100, 0, 0, 100, X0, Y0])


BOWTIE = "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"  # two triangles of 0.25 cell each


def planar(patches, landuse, dlbm, kcxs, basic=None, **kw):
    return farmland_occupation(patches, landuse, dlbm, kcxs, basic, area_method="planar", **kw)


def rows(result, patch: int) -> dict:
    b = result.breakdown
    return {b.dlbm[i]: (b.broad_class[i], b.gross[i], b.net[i])
            for i in np.flatnonzero(b.patch == patch)}


def test_farmland_net_of_deduction_and_classes() -> None:
    r = planar([box(0, 0, 2, 1)], [box(0, 0, 1, 1), box(1, 0, 2, 1)], ["0101", "0301"], [0.1, None],
               ids=["P1"])
    assert r.tbmj[0] == pytest.approx(2e4)
    assert r.gdtbmj[0] == pytest.approx(1e4)
    assert r.gdmj[0] == pytest.approx(9e3) and r.sdmj[0] == pytest.approx(9e3)
    assert r.sjdmj[0] == 0 and r.hdmj[0] == 0 and r.jbntmj[0] == 0
    assert r.zgbl[0] == pytest.approx(0.5)
    assert r.uncovered[0] == pytest.approx(0, abs=1e-6)
    assert rows(r, 0) == {"0101": ("农用地", pytest.approx(1e4), pytest.approx(9e3)),
                          "0301": ("农用地", pytest.approx(1e4), pytest.approx(1e4))}
    assert list(r.breakdown.patch_id) == ["P1", "P1"]


@pytest.mark.parametrize("first", ["0101", "0103"])
def test_overlapping_landuse_goes_to_first_polygon_never_twice(first: str) -> None:
    other = "0103" if first == "0101" else "0101"
    # the first polygon covers the left half; the second covers the whole patch
    r = planar([box(0, 0, 2, 1)], [box(0, 0, 1, 1), box(0, 0, 2, 1)], [first, other], [0, 0])
    assert r.gdtbmj[0] == pytest.approx(2e4)
    got = rows(r, 0)
    assert got[first][1] == pytest.approx(1e4) and got[other][1] == pytest.approx(1e4)
    assert r.uncovered[0] == pytest.approx(0, abs=1e-6)


def test_overlap_fully_taken_by_an_earlier_polygon_leaves_no_row() -> None:
    r = planar([box(0, 0, 2, 1)], [box(0, 0, 2, 1), box(0, 0, 1, 1)], ["0301", "0101"], [0, 0])
    assert rows(r, 0) == {"0301": ("农用地", pytest.approx(2e4), pytest.approx(2e4))}
    assert r.gdtbmj[0] == 0


def test_bowtie_patch_is_repaired_and_measured() -> None:
    r = planar([shifted(BOWTIE)], [box(0, 0, 1, 1)], ["0102"], [0.0])
    assert r.patch_repaired.tolist() == [True]
    assert r.tbmj[0] == pytest.approx(5e3)
    assert r.sjdmj[0] == pytest.approx(5e3)


def test_patch_without_overlap_keeps_a_zero_row() -> None:
    r = planar([box(0, 0, 1, 1), box(5, 5, 6, 6)], [box(0, 0, 1, 1)], ["0101"], [0.0], ids=[7, 8])
    assert r.ids.tolist() == [7, 8]
    assert r.tbmj[1] == pytest.approx(1e4)
    assert (r.gdtbmj[1], r.gdmj[1], r.jbntmj[1], r.zgbl[1]) == (0, 0, 0, 0)
    assert r.uncovered[1] == pytest.approx(1e4)
    assert 1 not in r.breakdown.patch


def test_hole_multipart_and_partial_cover() -> None:
    holed = shifted("POLYGON ((0 0, 3 0, 3 3, 0 3, 0 0), (1 1, 2 1, 2 2, 1 2, 1 1))")
    multi = MultiPolygon([box(10, 0, 11, 1), box(12, 0, 13, 1)])
    landuse = [box(0, 0, 3, 3), box(10, 0, 11.5, 1)]
    r = planar([holed, multi], landuse, ["0102", "0702"], [0.05, 0.0])
    assert r.tbmj.tolist() == pytest.approx([8e4, 2e4])
    assert r.sjdmj[0] == pytest.approx(8e4 * 0.95)
    assert r.gdtbmj[1] == 0
    assert rows(r, 1) == {"0702": ("建设用地", pytest.approx(1e4), pytest.approx(1e4))}
    assert r.uncovered[1] == pytest.approx(1e4)
    gross = np.bincount(r.breakdown.patch, r.breakdown.gross, minlength=2)
    assert gross == pytest.approx(r.tbmj - r.uncovered)


def test_basic_farmland_is_a_union_and_invalid_overlays_are_repaired() -> None:
    patch = box(0, 0, 2, 2)
    landuse = [shifted(BOWTIE), box(1, 0, 2, 2)]
    basic = [box(0, 0, 1.5, 2), box(0.5, 0, 2, 1), shifted(BOWTIE)]
    r = planar([patch], landuse, ["0101", "1006"], [0, 0], basic)
    assert r.landuse_repaired.tolist() == [True, False]
    assert r.basic_farmland_repaired.tolist() == [False, False, True]
    assert r.gdtbmj[0] == pytest.approx(5e3)
    assert r.jbntmj[0] == pytest.approx(3e4 + 0.5e4)  # 1.5×2 cells + right-bottom half cell
    assert r.uncovered[0] == pytest.approx(4e4 - 5e3 - 2e4)


def test_codes_k_suffix_numeric_and_broad_classes() -> None:
    landuse = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), box(3, 0, 4, 1)]
    r = planar([box(0, 0, 4, 1)], landuse, ["0201K", " 0201", 101.0, "1302"], [0, 0, 0.1, 0])
    got = rows(r, 0)
    assert set(got) == {"0201K", "0201", "0101", "1302"}
    assert got["0201K"][0] == "农用地" and got["1302"][0] == ""
    assert r.gdmj[0] == pytest.approx(9e3)
    assert normalize_code(None) == "" and normalize_code("0201k") == "0201K"
    assert [broad_class(c) for c in ("0103", "0404", "1001", "0602", "1203", "1109")] == [
        "农用地", "未利用地", "建设用地", "建设用地", "农用地", "建设用地"]


def test_custom_farmland_codes() -> None:
    r = planar([box(0, 0, 2, 1)], [box(0, 0, 1, 1), box(1, 0, 2, 1)], ["0101", "0201K"], [0, 0],
               farmland_codes={"0101", "0201K"})
    assert r.gdtbmj[0] == pytest.approx(2e4)
    assert r.sdmj[0] == pytest.approx(1e4)


def test_ellipsoidal_method_uses_the_official_area() -> None:
    left, right = box(0, 0, 1, 1), box(1, 0, 2, 1)
    r = farmland_occupation([box(0, 0, 2, 1)], [left, right], ["0101", "0301"], [0.1, 0],
                            [left], crs=EPSG)
    a_left, a_right, a_patch = ellipsoidal_areas([left, right, box(0, 0, 2, 1)], EPSG)
    assert r.tbmj[0] == pytest.approx(a_patch, abs=1e-6)
    assert r.gdtbmj[0] == pytest.approx(a_left, abs=1e-6)
    assert r.gdmj[0] == pytest.approx(0.9 * a_left, abs=1e-6)
    assert r.jbntmj[0] == pytest.approx(a_left, abs=1e-6)
    assert rows(r, 0)["0301"][1] == pytest.approx(a_right, abs=1e-6)
    assert 1e4 - a_patch / 2 == pytest.approx(1e4 * 190e-6, rel=0.35)  # planar is larger


def test_invalid_coefficients_and_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="feature 1: deduction coefficient 10.0 is outside"):
        planar([box(0, 0, 1, 1)], [box(0, 0, 1, 1)], ["0101"], [10.0])
    with pytest.raises(ValueError, match="feature 2: deduction coefficient '0.1x' is not a number"):
        planar([box(0, 0, 1, 1)], [box(0, 0, 1, 1), box(1, 0, 2, 1)], ["0101", "0101"], [0.1, "0.1x"])
    with pytest.raises(ValueError, match="DLBM"):
        planar([box(0, 0, 1, 1)], [box(0, 0, 1, 1)], ["0101", "0102"], [0, 0])
    with pytest.raises(ValueError, match="ids"):
        planar([box(0, 0, 1, 1)], [box(0, 0, 1, 1)], ["0101"], [0], ids=[1, 2])
    with pytest.raises(ValueError, match="CRS"):
        farmland_occupation([box(0, 0, 1, 1)], [box(0, 0, 1, 1)], ["0101"], [0])


def grid_case(n: int = 30):
    rng = np.random.default_rng(3)
    landuse = [box(i, j, i + 1, j + 1) for i in range(10) for j in range(10)]
    landuse += [box(2, 2, 5, 5), box(7, 1, 9, 8)]  # overlapping the grid
    codes = rng.choice(["0101", "0102", "0103", "0301", "0702"], len(landuse))
    kcxs = rng.choice([0.0, 0.1, np.nan], len(landuse))
    centres = rng.uniform(0, 10, (n, 2))
    patches = [shapely.buffer(shapely.Point(X0 + 100 * x, Y0 + 100 * y), 70, 4) for x, y in centres]
    return patches, landuse, codes, kcxs


def test_chunking_progress_and_cancel() -> None:
    patches, landuse, codes, kcxs = grid_case()
    seen: list[float] = []
    whole = planar(patches, landuse, codes, kcxs, landuse[:50])
    chunked = planar(patches, landuse, codes, kcxs, landuse[:50], chunk_size=7, progress=seen.append)
    threaded = planar(patches, landuse, codes, kcxs, landuse[:50], chunk_size=3, workers=2)
    for name in ("tbmj", "gdtbmj", "gdmj", "sdmj", "jbntmj", "uncovered"):
        assert getattr(chunked, name) == pytest.approx(getattr(whole, name))
        assert getattr(threaded, name) == pytest.approx(getattr(whole, name))
    assert threaded.breakdown.gross == pytest.approx(whole.breakdown.gross)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 5
    gross = np.bincount(whole.breakdown.patch, whole.breakdown.gross, minlength=len(patches))
    assert gross == pytest.approx(whole.tbmj - whole.uncovered, abs=1e-6)
    assert (whole.uncovered > 0).any()  # patches reach past the grid
    calls = iter([False, True])
    with pytest.raises(Canceled):
        planar(patches, landuse, codes, kcxs, chunk_size=10, is_canceled=lambda: next(calls))


def test_repair_helper() -> None:
    valid = box(0, 0, 1, 1)
    fixed, mask = repair([valid, None, shifted(BOWTIE), LineString([(0, 0), (1, 1)])])
    assert fixed[0] is valid and mask.tolist() == [False, False, True, True]
    assert fixed[1].is_empty and fixed[3].is_empty
    assert fixed[2].geom_type == "MultiPolygon" and fixed[2].area == pytest.approx(5e3)


def test_overlay_summary_union_count_keys_and_details() -> None:
    patch = box(0, 0, 2, 1)
    overlays = [box(0, 0, 1, 1), box(0.5, 0, 1.5, 1), box(1.5, 0, 2, 0.5), box(2, 0, 3, 1), None]
    keys = ["批2021-1", "批2021-2", "批2021-1", "外部", "空"]
    s = overlay_summary([patch, box(9, 9, 10, 10)], overlays, keys, area_method="planar",
                        ids=["A", "B"])
    assert s.covered.tolist() == pytest.approx([1.5e4 + 0.25e4, 0])
    assert s.share.tolist() == pytest.approx([0.875, 0])
    assert s.count.tolist() == [3, 0]
    assert s.keys.tolist() == ["批2021-1；批2021-2", ""]
    d = s.details
    assert d.overlay.tolist() == [0, 1, 2] and list(d.patch_id) == ["A"] * 3
    assert d.area.tolist() == pytest.approx([1e4, 1e4, 0.25e4])
    assert d.share.tolist() == pytest.approx([0.5, 0.5, 0.125])
    assert list(d.key) == ["批2021-1", "批2021-2", "批2021-1"]


def test_overlay_summary_ellipsoidal_and_repaired() -> None:
    patch = box(0, 0, 1, 1)
    s = overlay_summary([patch], [shifted(BOWTIE), box(0, 0, 1, 0.5)], crs=EPSG, separator=",")
    expected = ellipsoidal_area(shapely.union(shapely.make_valid(shifted(BOWTIE)), box(0, 0, 1, 0.5)), EPSG)
    assert s.covered[0] == pytest.approx(expected, abs=1e-3)
    assert s.overlay_repaired.tolist() == [True, False]
    assert s.count[0] == 2 and s.keys[0] == ""


def test_failing_overlay_is_retried_with_snap_rounding_only_where_it_failed() -> None:
    def fake(a, b, grid_size=None):
        if grid_size is None and "bad" in np.atleast_1d(a).tolist():
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return f"{a}{b}@{grid_size}"

    got = robust(fake, np.array(["ok", "bad"], dtype=object), np.array(["1", "2"], dtype=object))
    assert got.tolist() == ["ok1@None", f"bad2@{SNAP_GRID}"]


def test_no_patches_and_no_overlays() -> None:
    empty = planar([], [box(0, 0, 1, 1)], ["0101"], [0.0])
    assert empty.tbmj.size == 0 and empty.breakdown.gross.size == 0
    s = overlay_summary([box(0, 0, 1, 1)], [], area_method="planar")
    assert s.covered.tolist() == [0.0] and s.keys.tolist() == [""] and s.count.tolist() == [0]


def test_a_patch_its_land_use_covers_whole_has_no_uncovered_area_in_either_method() -> None:
    """WFGMJ is land no polygon covers, not the official formula's noise.

    A 3 × 2 cell patch cut by a slanted shared edge into two land-use polygons
    that tile it: the official ellipsoidal area of the patch differs from the
    sum of its two pieces' (each piece has its own vertices), yet nothing is
    uncovered, and no 'not covered' row may appear (it used to, on a third of
    a district's patches, with 10⁻⁵–10⁻² m²).
    """
    patch = shifted("POLYGON ((0 0, 3 0, 3 2, 0 2, 0 0))")
    left = shifted("POLYGON ((-1 -1, 1.3 -1, 1.9 3, -1 3, -1 -1))")
    right = shifted("POLYGON ((1.3 -1, 4 -1, 4 3, 1.9 3, 1.3 -1))")
    for method in ("ellipsoidal", "planar"):
        r = farmland_occupation([patch], [left, right], ["0101", "0301"], [0, 0], area_method=method, crs=EPSG)
        pieces = r.breakdown.gross.sum()
        assert r.uncovered[0] == 0.0
        assert pieces == pytest.approx(r.tbmj[0], abs=0.05)
    official = farmland_occupation([patch], [left, right], ["0101", "0301"], [0, 0], crs=EPSG)
    assert official.tbmj[0] != official.breakdown.gross.sum()  # the noise the rule must not report


def test_a_real_gap_in_the_land_use_is_uncovered_with_its_official_area() -> None:
    """A 1 m × 2 m gap between two land-use polygons inside the patch: WFGMJ is that gap's area."""
    patch = box(0, 0, 2, 1)
    gap = shapely.box(X0 + 99.0, Y0 + 10.0, X0 + 100.0, Y0 + 12.0)  # 2 m² between the polygons
    left, right = box(0, 0, 1, 1).difference(gap), box(1, 0, 2, 1)
    r = planar([patch], [left, right], ["0101", "0301"], [0, 0])
    assert r.uncovered[0] == pytest.approx(2.0, abs=1e-6)
    official = farmland_occupation([patch], [left, right], ["0101", "0301"], [0, 0], crs=EPSG)
    assert official.uncovered[0] == pytest.approx(ellipsoidal_area(gap, EPSG), abs=1e-3)
    assert 1.99 < official.uncovered[0] < 2.01


def test_uncovered_area_is_decided_on_planar_areas() -> None:
    from wpzf.domain.overlay.farmland import uncovered_area

    area = np.array([100.02, 100.02, 100.02, 0.0])
    covered = np.array([100.0, 100.0, 100.05, 0.0])
    planar = np.array([100.0, 100.0, 100.0, 0.0])
    covered_planar = np.array([100.0 - 1e-7, 99.0, 99.0, 0.0])  # noise, a 1 m² gap, a gap the official sum hides
    assert uncovered_area(area, covered, planar, covered_planar).tolist() == pytest.approx([0.0, 0.02, 0.0, 0.0])
