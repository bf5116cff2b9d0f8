"""矿产卫片 of the sample district: mining rights (采矿权 CKQ, 探矿权 TKQ) and a mining batch (2022-07).

Each mining patch is planted for one outcome of the rule set's ``[[prejudge.mining]]`` rules, so a
demo shows every one: inside a licence valid on the after-imagery date (持证开采), across the
boundary of a valid licence (越界开采, 35 % outside), inside an expired licence (超期开采), with no
licence at all (无证开采) and inside an exploration right only (以探代采). The patches sit in forest
or 0602 mining land, away from the monthly batches' patches; a separate random stream
(``rng_for(seed, "mining")``) leaves every other layer of the district unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .codes import FOREST, indices
from .geo import official_area, rng_for, to_lonlat
from .landuse import LandUse
from .names import COUNTY_CODE, COUNTY_NAME
from .shapes import points_in, rectangles
from .towns import Admin
from .writers import Column

PERIOD = "2022-07"
HSX = "2022-06-18"  # after-imagery date of the mining batch
QSX = "2022-03-12"
OUTCOMES = ("valid", "valid", "crossing", "expired", "unlicensed", "exploration")
"""Planted outcome per mining patch, in JCBH order."""
OUTSIDE_SHARE = 0.35  # the crossing patch: share outside its licence
MINERALS = ("建筑石料用灰岩", "砖瓦用页岩", "建筑用砂岩")


@dataclass
class MiningData:
    """Licence layers, the mining batch, and what was planted where (for the manifest)."""

    ckq_geoms: np.ndarray
    ckq_columns: list[Column]
    tkq_geoms: np.ndarray
    tkq_columns: list[Column]
    geoms: np.ndarray
    columns: list[Column]
    planted: dict[str, str]


def _anchors(rng: np.random.Generator, lu: LandUse, avoid: np.ndarray, n: int) -> np.ndarray:
    """``n`` points in 0602 mining land or forest, each ≥ 600 m from the others and from ``avoid``.

    A district crowded with patches (the benchmark's 10^5 per batch) leaves no
    600 m gap: the distance to ``avoid`` then halves until the points fit.
    """
    pool = np.flatnonzero(np.isin(lu.code, indices(FOREST | frozenset({"0602"}))))
    w = shapely.area(lu.geoms[pool])
    tree = shapely.STRtree(avoid)
    for gap in (600.0, 300.0, 150.0, 75.0):
        chosen: list[np.ndarray] = []
        for _ in range(40):
            for p in points_in(rng, lu.geoms[rng.choice(pool, 8 * n, p=w / w.sum())]):
                near = tree.query(shapely.buffer(shapely.points(p), gap), predicate="intersects")
                if near.size == 0 and all(np.hypot(*(p - q)) >= 600.0 for q in chosen):
                    chosen.append(p)
                if len(chosen) == n:
                    return np.array(chosen)
    raise RuntimeError("no room for the mining patches")  # pragma: no cover - the district is mostly rural


def _licence(outcome: str, patch: shapely.Geometry) -> shapely.Geometry | None:
    """The licence area planted around a patch for its outcome (None: no licence)."""
    if outcome == "unlicensed":
        return None
    if outcome == "crossing":
        minx, miny, maxx, maxy = patch.bounds
        cut = minx + (1.0 - OUTSIDE_SHARE) * (maxx - minx)  # a rectangle patch: the cut leaves 35 % outside
        return shapely.box(minx - 250.0, miny - 250.0, cut, maxy + 250.0)
    return shapely.buffer(patch, 150.0 if outcome != "exploration" else 400.0, join_style="mitre")


def build_mining(admin: Admin, lu: LandUse, avoid: np.ndarray, seed: int) -> MiningData:
    """Mining rights and the mining batch (one patch per entry of :data:`OUTCOMES`)."""
    rng = rng_for(seed, "mining")
    n = len(OUTCOMES)
    centre = _anchors(rng, lu, avoid, n)
    geoms = rectangles(centre, rng.uniform(3000.0, 9000.0, n), rng.uniform(1.0, 2.0, n), np.zeros(n))
    jcbh = [f"{COUNTY_CODE}{PERIOD.replace('-', '')}K{i:03d}" for i in range(1, n + 1)]
    ckq, tkq = [], []
    for i, outcome in enumerate(OUTCOMES):
        area = _licence(outcome, geoms[i])
        if area is not None:
            (tkq if outcome == "exploration" else ckq).append((i, outcome, area))
    return MiningData(*_licence_layer(rng, ckq, "C"), *_licence_layer(rng, tkq, "T"), geoms,
                      _batch_columns(rng, admin, geoms, jcbh), dict(zip(jcbh, OUTCOMES)))


def _licence_layer(rng: np.random.Generator, rows: list, prefix: str) -> tuple[np.ndarray, list[Column]]:
    geoms = np.array([g for _, _, g in rows], dtype=object)
    n = len(rows)
    # valid licences run 2016–2019 + 10 years; the expired one 2012–2015 + 5 years, ended before the imagery
    first = [(2012 if o == "expired" else 2016) + int(rng.integers(0, 4)) for _, o, _ in rows]
    start = [f"{y}-0{1 + int(rng.integers(0, 9))}-15" for y in first]
    end = [f"{int(s[:4]) + (5 if o == 'expired' else 10)}{s[4:]}" for s, (_, o, _) in zip(start, rows)]
    number = [f"{prefix}{COUNTY_CODE}{s[:4]}{i + 1:02d}7130{int(rng.integers(1000, 9999))}" for i, s in enumerate(start)]
    name = [f"永川区{t}{'采石场' if prefix == 'C' else '勘查项目'}" for t in rng.choice(["青峰", "双石", "何埂", "临江"], n)]
    columns = [Column("XKZH", "str", number, 30), Column("KSMC", "str", name, 100),
               Column("KZ", "str", rng.choice(MINERALS, n), 30), Column("YXQQ", "date", start),
               Column("YXQZ", "date", end), Column("MJ", "real", np.round(official_area(geoms), 2), 19, 2)]
    if prefix == "C":
        columns[3:3] = [Column("KCFS", "str", ["露天开采"] * n, 20),
                        Column("KCSD", "str", ["+420米至+360米"] * n, 30)]
    return geoms, columns


def _batch_columns(rng: np.random.Generator, admin: Admin, geoms: np.ndarray, jcbh: list[str]) -> list[Column]:
    """The ministry's fields, as the monthly batches carry them; JCLB 矿产 marks a mining patch."""
    n = len(geoms)
    centre = shapely.get_coordinates(shapely.centroid(geoms))
    lon, lat = to_lonlat(centre[:, 0], centre[:, 1])
    jcmj = np.round(official_area(geoms), 2)
    return [
        Column("JCBH", "str", jcbh, 30), Column("XZQDM", "str", [COUNTY_CODE] * n, 12),
        Column("XMC", "str", [COUNTY_NAME] * n, 20), Column("TBLX", "str", ["疑似违法"] * n, 20),
        Column("QSX", "str", [QSX] * n, 10), Column("HSX", "str", [HSX] * n, 10),
        Column("JCMJ", "real", jcmj, 16, 2), Column("LZB", "real", np.round(lon, 6), 12, 6),
        Column("BZB", "real", np.round(lat, 6), 12, 6), Column("JCLB", "str", ["矿产"] * n, 10),
        Column("TBLY", "str", ["部下发"] * n, 20), Column("JCPC", "str", [PERIOD] * n, 10),
        Column("BHMJ", "real", jcmj, 16, 2), Column("QQJCBH", "str", [""] * n, 30),
        Column("BZ", "str", ["矿产卫片"] * n, 254),
    ]
