"""三调 attributes of the DLTB mesh, the permanent basic farmland layer, planted defects."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .codes import BUILT_UP, DLBM, DLMC, FARMLAND, INDEX, indices
from .geo import official_area, rng_for
from .landuse import LandUse
from .names import COUNTY_CODE
from .noise import Field
from .terrain import Terrain
from .towns import Admin
from .writers import Column

# 田坎系数 by farmland type and slope grade 1–5 (illustrative, in the range 三调 uses).
KCXS_TABLE = {"TT": (0.018, 0.041, 0.089, 0.146, 0.198), "PD": (0.0, 0.032, 0.075, 0.128, 0.214)}
ZZSX = (("LS", 0.70), ("FLS", 0.15), ("LYFL", 0.08), ("XG", 0.02), ("WG", 0.05))
N_INVALID = 3
N_JBNT_DUPLICATES = 4


@dataclass
class Dltb:
    """DLTB geometries (with the planted invalid ones) and their attribute columns."""

    geoms: np.ndarray
    columns: list[Column]
    bsm: np.ndarray
    invalid_bsm: list[int]


@dataclass
class Jbnt:
    """永久基本农田图斑 with the overlapping duplicates the plugin must tolerate."""

    geoms: np.ndarray
    columns: list[Column]
    duplicate_bh: list[str]


def _bow_tie(poly: shapely.Polygon) -> shapely.Polygon | None:
    """Swap two consecutive exterior vertices: a classic digitising self-intersection."""
    ring = shapely.get_coordinates(poly.exterior)[:-1]
    for i in range(len(ring) - 1):
        swapped = ring.copy()
        swapped[[i, i + 1]] = swapped[[i + 1, i]]
        candidate = shapely.Polygon(np.vstack([swapped, swapped[:1]]))
        if not candidate.is_valid:
            return candidate
    return None


def build_dltb(admin: Admin, terrain: Terrain, lu: LandUse, seed: int) -> Dltb:
    """Attribute columns in 三调 field names; three polygons made self-intersecting."""
    rng = rng_for(seed, "dltb")
    n = len(lu.geoms)
    code = np.array(DLBM, dtype=object)[lu.code]
    centre = shapely.get_coordinates(shapely.point_on_surface(lu.geoms))
    tbmj = official_area(lu.geoms)
    off = rng.uniform(size=n) < 0.15  # TBMJ as surveyed: a share disagrees slightly with the shape
    tbmj = np.round(tbmj * np.where(off, 1 + rng.normal(0, 0.002, n), 1.0), 2)

    farm = np.isin(lu.code, indices(FARMLAND))
    grade = terrain.slope_grade(centre[:, 0], centre[:, 1], rng)
    terraced = np.where(lu.code == INDEX["0101"], rng.uniform(size=n) < 0.9, rng.uniform(size=n) < 0.25)
    gdlx = np.where(farm, np.where(terraced, "TT", "PD"), "")
    kcxs = np.where(
        farm, np.where(terraced, np.take(KCXS_TABLE["TT"], grade - 1), np.take(KCXS_TABLE["PD"], grade - 1)), 0.0
    )
    kcmj = np.round(tbmj * kcxs, 2)
    zzsx = np.where(farm, rng.choice([c for c, _ in ZZSX], n, p=[p for _, p in ZZSX]), "")

    built = np.isin(lu.code, indices(BUILT_UP))
    u = terrain.urban(centre[:, 0], centre[:, 1])
    seat_town = np.array([t.kind == "seat" for t in admin.towns])[admin.village_town[lu.village]]
    czcs = np.where(u > 0.55, np.where(seat_town, "201", "202"), np.where(u > 0.3, "202", "203"))
    czcs = np.where(lu.code == INDEX["0602"], "204", czcs)
    state = np.isin(code, ["1001", "1003", "1101", "1103"]) | (built & (czcs != "203") & (czcs != "204"))

    first = np.r_[0, np.flatnonzero(np.diff(lu.village)) + 1]
    tbbh = np.arange(n) - np.repeat(first, np.diff(np.r_[first, n])) + 1
    bsm = int(COUNTY_CODE) * 10**8 + np.arange(1, n + 1, dtype=np.int64)
    v_code = np.array(admin.village_code, dtype=object)[lu.village]
    v_name = np.array(admin.village_name, dtype=object)[lu.village]

    geoms = lu.geoms.copy()
    invalid: list[int] = []
    for i in rng.permutation(np.flatnonzero(farm))[: 20 * N_INVALID]:
        bad = _bow_tie(geoms[i])
        if bad is not None:
            geoms[i] = bad
            invalid.append(int(bsm[i]))
        if len(invalid) == N_INVALID:
            break

    columns = [
        Column("BSM", "int64", bsm),
        Column("YSDM", "str", ["2001010100"] * n, 10),
        Column("TBBH", "str", tbbh.astype(str), 8),
        Column("DLBM", "str", code, 5),
        Column("DLMC", "str", [DLMC[c] for c in code], 60),
        Column("QSXZ", "str", np.where(state, "10", "30"), 2),
        Column("ZLDWDM", "str", v_code, 19),
        Column("ZLDWMC", "str", v_name, 60),
        Column("TBMJ", "real", tbmj, 19, 2),
        Column("KCDLBM", "str", np.where(kcxs > 0, "1203", ""), 5),
        Column("KCXS", "real", kcxs, 6, 3),
        Column("KCMJ", "real", kcmj, 19, 2),
        Column("TBDLMJ", "real", np.round(tbmj - kcmj, 2), 19, 2),
        Column("GDLX", "str", gdlx, 2),
        Column("GDPDJB", "str", np.where(farm, grade.astype(str), ""), 2),
        Column("ZZSXDM", "str", zzsx, 6),
        Column("CZCSXM", "str", np.where(built, czcs, ""), 4),
        Column("SJNF", "int", np.full(n, 2021)),
    ]
    return Dltb(geoms=geoms, columns=columns, bsm=bsm, invalid_bsm=sorted(invalid))


def build_jbnt(admin: Admin, lu: LandUse, dltb: Dltb, seed: int) -> Jbnt:
    """Most farmland in large contiguous blocks is permanent basic farmland (永久基本农田)."""
    rng = rng_for(seed, "jbnt")
    farm = np.isin(lu.code, indices(FARMLAND)) & ~np.isin(dltb.bsm, dltb.invalid_bsm)
    idx = np.flatnonzero(farm)
    centre = shapely.get_coordinates(shapely.point_on_surface(lu.geoms[idx]))
    score = Field(rng, admin.district.bounds, 3000.0, 2)(centre[:, 0], centre[:, 1])
    idx = idx[score > np.quantile(score, 0.3)] if len(idx) else idx
    geoms = lu.geoms[idx]
    village = lu.village[idx]
    bh = [f"{admin.village_code[v]}{k:04d}" for k, v in enumerate(village, start=1)]
    codes = np.array(DLBM, dtype=object)[lu.code[idx]]

    dup = rng.choice(len(idx), N_JBNT_DUPLICATES, replace=False)
    dup_geoms = [geoms[d] if k < 2 else shapely.transform(geoms[d], lambda c: c + [3.0, -2.0]) for k, d in enumerate(dup)]
    dup_bh = [bh[d] if k < 2 else f"{admin.village_code[village[d]]}{len(idx) + k + 1:04d}" for k, d in enumerate(dup)]
    geoms = np.concatenate([geoms, np.array(dup_geoms, dtype=object)])
    columns = [
        Column("YJJBNTTBBH", "str", bh + dup_bh, 20),
        Column("DLBM", "str", np.concatenate([codes, codes[dup]]), 5),
        Column("ZLDWDM", "str", [admin.village_code[v] for v in np.concatenate([village, village[dup]])], 19),
        Column("TBMJ", "real", np.round(official_area(geoms), 2), 19, 2),
    ]
    return Jbnt(geoms=geoms, columns=columns, duplicate_bh=dup_bh)
