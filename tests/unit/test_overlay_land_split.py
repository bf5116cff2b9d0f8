"""JBNTGDMJ (net 耕地 inside 永农) and the 地块面积 split, on hand-built squares.

domain.md §9: "其中永久基本农田 is always part of the farmland figure on the
same basis (net 耕地 inside 永农, ≤ 耕地); gross 永农 coverage is a separate
figure." domain.md §2: "地块面积 = 耕地 + 非耕农用地 + 未利用地 + 建设用地".
domain.md §3: net farmland = Σ piece area × (1 − KCXS); KCMJ = TBMJ × KCXS is
1203 田坎, a 农用地 class; the broad classes are listed there.

Cells are 100 m × 100 m squares in EPSG:4523 near 永川, so planar answers are
multiples of 1e4 m² computed by hand.
"""
from __future__ import annotations

import numpy as np
import pytest
import shapely

from wpzf.domain.geodesy import ellipsoidal_area
from wpzf.domain.overlay import AREA_CLASSES, area_class, farmland_occupation
from wpzf.domain.overlay import farmland as farmland_module
from wpzf.domain.overlay.geometry import robust
from wpzf.domain.overlay.landclass import deduction_class

X0, Y0 = 35_590_000.0, 3_250_000.0
EPSG = 4523
CELL = 1e4


def box(x1: float, y1: float, x2: float, y2: float):
    return shapely.box(X0 + 100 * x1, Y0 + 100 * y1, X0 + 100 * x2, Y0 + 100 * y2)


def planar(patches, landuse, dlbm, kcxs, basic=None, **kw):
    return farmland_occupation(patches, landuse, dlbm, kcxs, basic, area_method="planar", **kw)


def split(r, i: int = 0) -> tuple[float, float, float, float]:
    return r.gdmj[i], r.fgnydmj[i], r.jsydmj[i], r.wlydmj[i]


# patch: 3 cells; DLTB: 水田 KCXS 0.1 | 旱地 KCXS 0.2 | 农村宅基地; 永农 over the middle 2 cells
PATCH = box(0, 0, 3, 1)
LANDUSE = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)]
CODES, KCXS = ["0101", "0103", "0702"], [0.1, 0.2, 0.0]


def test_basic_farmland_on_the_farmland_basis_never_exceeds_farmland() -> None:
    r = planar([PATCH], LANDUSE, CODES, KCXS, [box(0.5, 0, 2.5, 1)])
    assert r.gdmj[0] == pytest.approx(CELL * 0.9 + CELL * 0.8)  # 17 000
    assert r.jbntmj[0] == pytest.approx(2 * CELL)  # gross 永农 cover, kept as it was: above GDMJ here
    # half the 水田 cell net of 10 % + the whole 旱地 cell net of 20 %; the 宅基地 half counts not
    assert r.jbntgdmj[0] == pytest.approx(0.5 * CELL * 0.9 + CELL * 0.8)  # 12 500
    assert r.jbntgdmj[0] <= r.gdmj[0]


def test_fully_covered_patch_splits_into_the_four_classes() -> None:
    r = planar([PATCH], LANDUSE, CODES, KCXS)
    # 耕地 net 17 000; 田坎 1 000 + 2 000 → 非耕农用地; 宅基地 10 000 → 建设用地
    assert split(r) == pytest.approx((17_000.0, 3_000.0, CELL, 0.0))
    assert sum(split(r)) == pytest.approx(r.tbmj[0]) and r.uncovered[0] == pytest.approx(0, abs=1e-6)
    assert r.unclassified[0] == 0 and r.jbntgdmj[0] == 0  # no basic farmland given: nothing inside it


def test_every_broad_class_k_suffix_and_unknown_codes() -> None:
    landuse = [box(k, 0, k + 1, 1) for k in range(6)]
    codes = ["0201K", "0404", "1001", "1302", None, "1203"]
    r = planar([box(0, 0, 6, 1)], landuse, codes, [0.05, 0, 0, 0.1, 0, 0])
    # 0201K (园地, K ignored) 9 500 net + 500 田坎 + 1203 田坎 polygon 10 000 → 非耕农用地 20 000;
    # 0404 其他草地 → 未利用地; 1001 铁路 → 建设用地
    assert split(r) == pytest.approx((0.0, 2 * CELL, CELL, CELL))
    # 1302 光伏板区 (a 变更 extra §3 does not classify) and the NULL code: in no field, but counted
    assert r.unclassified[0] == pytest.approx(2 * CELL)
    assert sum(split(r)) + r.unclassified[0] == pytest.approx(r.tbmj[0])


def test_farmland_codes_of_the_run_decide_what_is_gdmj() -> None:
    r = planar([PATCH], LANDUSE, CODES, KCXS, farmland_codes=["0101"])
    # 旱地 is then 非耕农用地 (still 农用地): 8 000 net + both 田坎 3 000
    assert split(r) == pytest.approx((9_000.0, 11_000.0, CELL, 0.0))
    assert sum(split(r)) == pytest.approx(r.tbmj[0])


def test_area_class_table() -> None:
    farm = frozenset({"0101", "0102", "0103"})
    assert [area_class(c, farm) for c in ("0102", "0201K", "1006", "0602", "1109", "0404", "1207", "1301", "")] \
        == ["GDMJ", "FGNYDMJ", "FGNYDMJ", "JSYDMJ", "JSYDMJ", "WLYDMJ", "WLYDMJ", "", ""]
    assert deduction_class("0101", farm) == "FGNYDMJ" and deduction_class("1302", farm) == ""
    assert AREA_CLASSES == ("GDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ")


@pytest.mark.parametrize("copies", [True, False], ids=["reused-pieces", "cut-by-union"])
def test_basic_farmland_copied_from_land_use_or_drawn_apart_gives_the_same(copies: bool, monkeypatch) -> None:
    cuts = []
    monkeypatch.setattr(farmland_module, "robust", lambda op, *args: cuts.append(op) or robust(op, *args))
    # 永农 = the 水田 and the 宅基地 polygons: as exact copies (their pieces are reused, no overlay), or
    # as the same squares with one more vertex (cut by the union)
    if copies:
        basic = [LANDUSE[0], LANDUSE[2]]
    else:
        basic = [shapely.Polygon([(X0, Y0), (X0 + 50, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)]),
                 shapely.segmentize(LANDUSE[2], 40)]
    r = planar([PATCH], LANDUSE, CODES, KCXS, basic)
    assert r.jbntmj[0] == pytest.approx(2 * CELL)
    assert r.jbntgdmj[0] == pytest.approx(CELL * 0.9)  # only the 水田 is 耕地
    assert len(cuts) == (0 if copies else 1), "copies need no overlay at all; the others one vectorised cut"


def test_two_copies_of_one_basic_polygon_count_once() -> None:
    r = planar([PATCH], LANDUSE, CODES, KCXS, [LANDUSE[1], LANDUSE[1]])
    assert r.jbntmj[0] == pytest.approx(CELL)  # union, not the sum of the two copies
    assert r.jbntgdmj[0] == pytest.approx(CELL * 0.8)


def test_overlapping_land_use_first_polygon_wins_inside_basic_farmland_too() -> None:
    # 旱地 (KCXS 0) on the left cell, first; 水田 (KCXS 0.1) over both cells; 永农 a copy of the 水田 polygon
    landuse = [box(0, 0, 1, 1), box(0, 0, 2, 1)]
    r = planar([box(0, 0, 2, 1)], landuse, ["0103", "0101"], [0.0, 0.1], [box(0, 0, 2, 1)])
    assert r.gdmj[0] == pytest.approx(CELL + CELL * 0.9)
    assert r.jbntgdmj[0] == pytest.approx(CELL + CELL * 0.9)  # all of the patch's farmland is 永农
    assert split(r) == pytest.approx((19_000.0, 1_000.0, 0.0, 0.0))


def test_ellipsoidal_figures_and_the_identity() -> None:
    basic = [box(0.5, 0, 2.5, 1)]
    r = farmland_occupation([PATCH], LANDUSE, CODES, KCXS, basic, crs=EPSG)
    expected = ellipsoidal_area(box(0.5, 0, 1, 1), EPSG) * 0.9 + ellipsoidal_area(LANDUSE[1], EPSG) * 0.8
    assert r.jbntgdmj[0] == pytest.approx(expected, abs=1e-6)
    assert r.jbntgdmj[0] < r.gdmj[0] < r.jbntmj[0]
    # 地块面积 = 耕地 + 非耕农用地 + 建设用地 + 未利用地, to 0.01 m² (domain.md §2 checks it to 0.01 亩)
    assert abs(sum(split(r)) - r.tbmj[0]) < 0.01


def test_chunks_and_forked_workers_give_the_same_new_figures() -> None:
    rng = np.random.default_rng(3)
    landuse = [box(x, y, x + 1, y + 1) for x in range(6) for y in range(6)]
    codes = rng.choice(["0101", "0103", "0301", "0702", "0404", "1302"], len(landuse)).tolist()
    kcxs = rng.choice([0.0, 0.1], len(landuse))
    basic = [landuse[i] for i in range(0, 36, 4)] + [box(1.3, 1.3, 4.7, 2.2)]
    patches = [box(x, y, x + rng.uniform(0.3, 1.8), y + rng.uniform(0.3, 1.8))
               for x, y in rng.uniform(0, 4.5, (40, 2))]
    one = farmland_occupation(patches, landuse, codes, kcxs, basic, crs=EPSG, chunk_size=1000)
    two = farmland_occupation(patches, landuse, codes, kcxs, basic, crs=EPSG, chunk_size=7, workers=2)
    for name in ("jbntgdmj", "fgnydmj", "jsydmj", "wlydmj", "unclassified"):
        assert getattr(two, name) == pytest.approx(getattr(one, name), abs=1e-9), name
    assert (one.jbntgdmj <= one.gdmj + 1e-9).all() and (one.jbntgdmj > 0).sum() > 5
    covered = one.tbmj - one.uncovered
    assert one.gdmj + one.fgnydmj + one.jsydmj + one.wlydmj + one.unclassified == pytest.approx(covered, abs=0.01)
