"""Approval layers the office compares patches with: 农用地转用 (NYDZY), 土地供应 (TDGY),
临时用地 (LSYD) and 设施农用地备案 (SSNYD). Patches are later placed inside some of them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import shapely

from .codes import FARMLAND, indices
from .geo import official_area, rng_for
from .landuse import LandUse
from .names import company_names, document_numbers, person_names
from .shapes import clip_to, drop_overlaps, fit_upper, largest_part, log_uniform, points_in, rectangles, sites
from .terrain import Terrain
from .towns import Admin
from .writers import Column

SUPPLY_USES = ("工业用地", "住宅用地", "商服用地", "公共管理与公共服务用地")


@dataclass
class Approvals:
    """One approval layer: geometries, the document number patches cite, columns."""

    name: str
    geoms: np.ndarray
    doc: list[str]
    columns: list[Column]


def _dates(rng: np.random.Generator, n: int, start: str, end: str) -> list[str]:
    d0, d1 = date.fromisoformat(start), date.fromisoformat(end)
    offsets = rng.integers(0, (d1 - d0).days + 1, n)
    return [(d0 + timedelta(days=int(k))).isoformat() for k in offsets]


def _town_codes(admin: Admin, geoms: np.ndarray) -> list[str]:
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    v = admin.village_of(xy[:, 0], xy[:, 1])
    return [admin.towns[admin.village_town[i]].code if i >= 0 else admin.towns[0].code for i in v]


def _sample_where(rng: np.random.Generator, admin: Admin, n: int, keep) -> np.ndarray:
    """``n`` points in the district where ``keep(x, y)`` holds."""
    minx, miny, maxx, maxy = admin.district.bounds
    found: list[np.ndarray] = []
    while sum(len(f) for f in found) < n:
        p = rng.uniform([minx, miny], [maxx, maxy], (4 * n + 64, 2))
        ok = shapely.contains_xy(admin.district, p[:, 0], p[:, 1]) & keep(p[:, 0], p[:, 1])
        found.append(p[ok])
    return np.concatenate(found)[:n]


def _clean(admin: Admin, geoms: np.ndarray) -> np.ndarray:
    """Clip to the district, keep the main part, drop overlaps: indices and geometries."""
    geoms = clip_to(geoms, admin.district)
    ok = np.flatnonzero([g is not None and g.area > 50 and g.is_valid for g in geoms])
    return ok[drop_overlaps(geoms[ok])], geoms


def build_approvals(admin: Admin, terrain: Terrain, lu: LandUse, n_patches: int, seed: int) -> dict[str, Approvals]:
    """The four approval layers, sized to the patch count (tens small, hundreds full)."""
    rng = rng_for(seed, "approvals")
    n_ny = max(20, round(0.35 * n_patches))
    fringe = _sample_where(rng, admin, n_ny, lambda x, y: (terrain.urban(x, y) > 0.15) & (terrain.urban(x, y) < 0.7))
    rural = rng.uniform(size=n_ny) < 0.3
    fringe[rural] = _sample_where(rng, admin, int(rural.sum()), lambda x, y: terrain.urban(x, y) < 0.15)
    area = log_uniform(rng, n_ny, 8000, fit_upper(n_ny, 8000, 120000, 0.10 * admin.district.area))
    area[rural] /= 4
    keep, geoms = _clean(admin, sites(rng, fringe, area))
    ny_geoms = geoms[keep]
    n = len(ny_geoms)
    ny_date = _dates(rng, n, "2016-01-05", "2022-03-31")
    ny_doc = document_numbers(rng, "渝府地", ny_date)
    batch_no = rng.integers(1, 40, n)
    names = [
        f"永川区{d[:4]}年度第{b}批次{'农村' if r else '城镇'}建设用地"
        for d, b, r in zip(ny_date, batch_no, rural[keep])
    ]
    nydzy = Approvals("NYDZY", ny_geoms, ny_doc, [
        Column("PZWH", "str", ny_doc, 50),
        Column("PZRQ", "date", ny_date),
        Column("XMMC", "str", names, 100),
        Column("PZMJ", "real", np.round(official_area(ny_geoms), 2), 19, 2),
        Column("XZQDM", "str", _town_codes(admin, ny_geoms), 9),
    ])
    return {
        "NYDZY": nydzy,
        "TDGY": _supply(rng, admin, lu, nydzy, ny_date),
        "LSYD": _temporary(rng, admin, lu, max(10, round(0.1 * n_patches))),
        "SSNYD": _facility(rng, admin, lu, max(15, round(0.15 * n_patches))),
    }


def _supply(rng: np.random.Generator, admin: Admin, lu: LandUse, ny: Approvals, ny_date: list[str]) -> Approvals:
    """Supply parcels: slices of converted land, plus some existing built-up parcels (存量)."""
    src = np.flatnonzero(rng.uniform(size=len(ny.geoms)) < 0.6)
    parts, dates = [], []
    for i in src:
        g = ny.geoms[i]
        k = int(rng.integers(1, 4))
        angle = rng.uniform(0, np.pi)
        axis = np.array([np.cos(angle), np.sin(angle)])
        coords = shapely.get_coordinates(g)
        t = coords @ axis
        c = np.array(g.centroid.coords[0])
        base = c - (c @ axis) * axis
        width = (t.max() - t.min()) * rng.dirichlet(np.full(k, 4.0))  # unequal slices
        centres = base + (t.min() + np.cumsum(width) - width / 2)[:, None] * axis
        length = 2.0 * np.ptp(coords, axis=0).max()
        strips = rectangles(centres, width * length, length / width, np.full(k, angle + np.pi / 2))
        parts.extend(largest_part(shapely.intersection(strips, g)))
        start = date.fromisoformat(ny_date[i]) + timedelta(days=30)
        dates.extend(_dates(rng, k, start.isoformat(), max(start, date(2022, 4, 15)).isoformat()))
    stock = np.flatnonzero(np.isin(lu.code, indices(frozenset({"0601", "05H1", "0701"}))))
    pick = rng.choice(stock, min(len(stock), max(3, len(src) // 3)), replace=False)
    parts.extend(lu.geoms[pick])
    dates.extend(_dates(rng, len(pick), "2015-03-01", "2022-04-15"))
    keep, geoms = _clean(admin, np.array(parts, dtype=object))
    geoms, dates = geoms[keep], [dates[i] for i in keep]
    n = len(geoms)
    way = np.where(rng.uniform(size=n) < 0.8, "出让", "划拨")
    years = [d[:4] for d in dates]
    serial = rng.permutation(n) + 1
    contract = [
        f"渝地({y})合字(永川)第{s:03d}号" if w == "出让" else f"永川划拨〔{y}〕{s:03d}号"
        for y, s, w in zip(years, serial, way)
    ]
    doc = document_numbers(rng, "永府地供", dates)
    return Approvals("TDGY", geoms, doc, [
        Column("GYWH", "str", doc, 50),
        Column("HTBH", "str", contract, 50),
        Column("GYFS", "str", way, 10),
        Column("SRR", "str", company_names(rng, n), 100),
        Column("TDYT", "str", rng.choice(SUPPLY_USES, n, p=[0.45, 0.25, 0.2, 0.1]), 30),
        Column("GYRQ", "date", dates),
        Column("GYMJ", "real", np.round(official_area(geoms), 2), 19, 2),
        Column("XZQDM", "str", _town_codes(admin, geoms), 9),
    ])


def _temporary(rng: np.random.Generator, admin: Admin, lu: LandUse, n: int) -> Approvals:
    """Temporary land (construction camps, spoil yards) beside highways and roads."""
    roads = np.flatnonzero(np.isin(lu.code, indices(frozenset({"1003", "1006"}))))
    anchor = points_in(rng, lu.geoms[rng.choice(roads, n)]) + rng.normal(0, 40, (n, 2))
    area = log_uniform(rng, n, 2000, fit_upper(n, 2000, 30000, 0.02 * admin.district.area))
    keep, geoms = _clean(admin, rectangles(anchor, area, rng.uniform(1, 2.5, n), rng.uniform(0, np.pi, n)))
    geoms = geoms[keep]
    n = len(geoms)
    approved = _dates(rng, n, "2020-06-01", "2022-04-10")
    doc = document_numbers(rng, "永规资临", approved, 3)
    projects = ["G85渝昆高速扩能", "永川至江津快速通道", "成渝中线高铁", "临江河综合整治", "乡村振兴产业道路"]
    return Approvals("LSYD", geoms, doc, [
        Column("PZWH", "str", doc, 50),
        Column("PZRQ", "date", approved),
        Column("QX", "str", rng.choice(["1年", "2年"], n), 10),
        Column("XMMC", "str", [p + "项目施工临时用地" for p in rng.choice(projects, n)], 100),
        Column("PZMJ", "real", np.round(official_area(geoms), 2), 19, 2),
        Column("XZQDM", "str", _town_codes(admin, geoms), 9),
    ])


def _facility(rng: np.random.Generator, admin: Admin, lu: LandUse, n: int) -> Approvals:
    """Facility-agriculture filings (greenhouses, livestock sheds) on farmland."""
    farm = np.flatnonzero(np.isin(lu.code, indices(FARMLAND)))
    anchor = points_in(rng, lu.geoms[rng.choice(farm, n, replace=False)])
    area = log_uniform(rng, n, 1000, fit_upper(n, 1000, 20000, 0.03 * admin.district.area))
    keep, geoms = _clean(admin, rectangles(anchor, area, rng.uniform(1, 3, n), rng.uniform(0, np.pi, n)))
    geoms = geoms[keep]
    n = len(geoms)
    filed = _dates(rng, n, "2019-01-10", "2022-04-10")
    doc = document_numbers(rng, "永设农备", filed, 3)
    owner = np.where(rng.uniform(size=n) < 0.5, company_names(rng, n), person_names(rng, n))
    return Approvals("SSNYD", geoms, doc, [
        Column("BABH", "str", doc, 50),
        Column("SSLX", "str", rng.choice(["作物种植设施", "畜禽养殖设施", "水产养殖设施"], n, p=[0.5, 0.4, 0.1]), 20),
        Column("BARQ", "date", filed),
        Column("JYZT", "str", owner, 100),
        Column("BAMJ", "real", np.round(official_area(geoms), 2), 19, 2),
        Column("XZQDM", "str", _town_codes(admin, geoms), 9),
    ])
