"""Ministry patch batches: JCBH numbering, attributes, planted defects, re-issued patches."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import shapely

from .approvals import Approvals
from .geo import official_area, rng_for, to_lonlat
from .landuse import LandUse
from .names import COUNTY_CODE, COUNTY_NAME, direction_word
from .patches import N_INVALID, N_REISSUED, Candidates, add_parts_and_holes, split_batches
from .shapes import INVALID_KINDS, invalid_site, repair
from .towns import Admin
from .writers import Column

PERIODS = ("2022-05", "2022-06")
# period → (before-image window, after-image window)
IMAGE_WINDOWS = {
    "2022-05": (("2022-02-20", "2022-03-20"), ("2022-04-01", "2022-04-25")),
    "2022-06": (("2022-03-25", "2022-04-20"), ("2022-05-01", "2022-05-25")),
}


@dataclass
class Batch:
    """One monthly delivery, in EPSG:4523, with what the manifest reports about it."""

    period: str
    geoms: np.ndarray
    columns: list[Column]
    jcbh: list[str]
    kind: list[str]
    invalid: list[str]
    invalid_kind: dict[str, str]
    multipart: list[str]
    holed: list[str]
    reissued: list[str]
    in_approvals: list[dict[str, object]]


def _scene_dates(rng: np.random.Generator, window: tuple[str, str], x: np.ndarray) -> np.ndarray:
    """Four satellite scenes in the window, split west to east, as patches share scenes."""
    d0, d1 = (date.fromisoformat(d) for d in window)
    scenes = sorted(d0 + timedelta(days=int(k)) for k in rng.integers(0, (d1 - d0).days + 1, 4))
    strip = np.clip(((x - x.min()) / max(np.ptp(x), 1.0) * 4).astype(int), 0, 3)
    return np.array([scenes[i].isoformat() for i in strip])


def _plant_invalid(rng: np.random.Generator, c: Candidates, exclude: np.ndarray) -> np.ndarray:
    pool = np.setdiff1d(np.flatnonzero(c.kind == "farmland"), exclude)
    pick = rng.choice(pool, N_INVALID, replace=False)
    for i, kind in zip(pick, INVALID_KINDS):
        g = c.geoms[i]
        c.geoms[i] = invalid_site(kind, np.array(g.centroid.coords[0]), np.sqrt(g.area), rng.uniform(0, np.pi))
    return pick


def build_batches(admin: Admin, lu: LandUse, approvals: dict[str, Approvals], n: int, seed: int) -> list[Batch]:
    """The 2022-05 and 2022-06 batches of ``n`` patches each."""
    rng = rng_for(seed, "batches")
    cands = split_batches(admin, lu, approvals, n, seed)
    out: list[Batch] = []
    for period, c in zip(PERIODS, cands):
        multi, holed = add_parts_and_holes(rng, c)
        invalid = _plant_invalid(rng, c, np.concatenate([multi, holed]))
        reissued = np.array([], dtype=int)
        prev_jcbh: list[str] = []
        if out:
            first = out[0]
            special = set(first.invalid) | set(first.multipart) | set(first.holed)
            src = [i for i, (j, k) in enumerate(zip(first.jcbh, first.kind)) if k == "farmland" and j not in special]
            src = rng.choice(src, N_REISSUED, replace=False)
            pool = np.setdiff1d(np.flatnonzero(c.kind == "farmland"), np.concatenate([multi, holed, invalid]))
            reissued = rng.choice(pool, N_REISSUED, replace=False)
            for dst, s in zip(reissued, src):  # the site grew: re-issued under its old number
                c.geoms[dst] = repair(np.array([shapely.buffer(first.geoms[s], 6.0, join_style="mitre")]))[0]
            prev_jcbh = [first.jcbh[s] for s in src]
        out.append(_attributes(rng, admin, period, c, multi, holed, invalid, reissued, prev_jcbh, out))
    return out


def _attributes(
    rng: np.random.Generator, admin: Admin, period: str, c: Candidates, multi: np.ndarray, holed: np.ndarray,
    invalid: np.ndarray, reissued: np.ndarray, reissued_jcbh: list[str], earlier: list[Batch],
) -> Batch:
    n = len(c.geoms)
    centre = shapely.get_coordinates(shapely.centroid(shapely.make_valid(c.geoms)))  # bow-ties have no area
    village = admin.village_of(centre[:, 0], centre[:, 1])
    near = shapely.STRtree(shapely.points(admin.village_xy)).query_nearest(shapely.points(centre), all_matches=False)[1]
    village = np.where(village >= 0, village, near)
    town = [admin.towns[admin.village_town[v]].code for v in village]

    # JCBH serials follow town then north-to-south, as deliveries are sorted.
    order = np.lexsort((-centre[:, 1], town))
    fresh = order[~np.isin(order, reissued)]
    width = max(4, len(str(len(fresh))))
    jcbh = [""] * n
    for serial, i in enumerate(fresh, start=1):
        jcbh[i] = f"{COUNTY_CODE}{period.replace('-', '')}{serial:0{width}d}"
    for i, old in zip(reissued, reissued_jcbh):
        jcbh[i] = old

    area = official_area(shapely.make_valid(c.geoms))
    jcmj = np.round(area * (1 + rng.normal(0, 0.004, n)), 2)
    bhmj = np.round(np.where(rng.uniform(size=n) < 0.2, jcmj * rng.uniform(0.85, 1.0, n), jcmj), 2)
    lon, lat = to_lonlat(centre[:, 0], centre[:, 1])
    quarry = (c.kind == "forest") & (rng.uniform(size=n) < 0.12)
    tblx = rng.choice(["新增建设", "疑似违法", "推堆土"], n, p=[0.7, 0.2, 0.1])
    tblx = np.where(quarry, "疑似违法", tblx)
    before, after = IMAGE_WINDOWS[period]
    qqjcbh = np.where(rng.uniform(size=n) < 0.05,
                      [f"{COUNTY_CODE}2021{k:04d}" for k in rng.integers(1, 2000, n)], "")
    if earlier:
        refer = rng.uniform(size=n) < 0.03
        qqjcbh = np.where(refer, rng.choice(earlier[0].jcbh, n), qqjcbh)
        qqjcbh[reissued] = ""
    d = centre - admin.village_xy[village]
    dist = np.maximum(50, np.round(np.hypot(d[:, 0], d[:, 1]), -1)).astype(int)
    office = ["社区居委会" if admin.village_name[v].endswith("社区") else "村委会" for v in village]
    bz = [f"位于{admin.village_name[v].removesuffix('社区').removesuffix('村')}{o}{w}侧约{m}米"
          for v, o, w, m in zip(village, office, direction_word(d[:, 0], d[:, 1]), dist)]

    columns = [
        Column("JCBH", "str", jcbh, 30),
        Column("XZQDM", "str", [COUNTY_CODE] * n, 12),  # real deliveries carry the county code (domain.md §9)
        Column("XMC", "str", [COUNTY_NAME] * n, 20),
        Column("TBLX", "str", tblx, 20),
        Column("QSX", "str", _scene_dates(rng, before, centre[:, 0]), 10),
        Column("HSX", "str", _scene_dates(rng, after, centre[:, 0]), 10),
        Column("JCMJ", "real", jcmj, 16, 2),
        Column("LZB", "real", np.round(lon, 6), 12, 6),
        Column("BZB", "real", np.round(lat, 6), 12, 6),
        Column("JCLB", "str", np.where(quarry, "矿产", "土地"), 10),
        Column("TBLY", "str", rng.choice(["部下发", "省级补充"], n, p=[0.92, 0.08]), 20),
        Column("JCPC", "str", [period] * n, 10),
        Column("BHMJ", "real", bhmj, 16, 2),
        Column("QQJCBH", "str", qqjcbh, 30),
        Column("BZ", "str", bz, 254),
    ]
    in_appr = []
    for i in np.flatnonzero(c.layer != ""):
        share = shapely.area(shapely.intersection(c.geoms[i], c.approval[i])) / shapely.area(c.geoms[i])
        in_appr.append({"JCBH": jcbh[i], "placement": str(c.kind[i]), "layer": str(c.layer[i]),
                        "doc": str(c.doc[i]), "share": round(float(share), 4)})
    def ids(idx: np.ndarray) -> list[str]:
        return sorted(jcbh[i] for i in idx)

    kinds = {jcbh[i]: k for i, k in zip(invalid, INVALID_KINDS)}
    return Batch(period, c.geoms, columns, jcbh, [str(k) for k in c.kind], ids(invalid), kinds, ids(multi),
                 ids(holed), ids(reissued), in_appr)
