"""District outline, towns (XZQ) and villages (CJDCQ) with irregular, warped boundaries.

Boundaries come from a fine Voronoi "micro-cell" mesh whose cells are assigned to the
nearest seat after a smooth domain warp, then unioned: that gives wiggly but contiguous
units that tile the district exactly, the way real administrative layers do.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .geo import rng_for, to_gk
from .names import TOWNS, Town, place_names
from .noise import Field
from .profiles import SizeProfile


@dataclass
class Admin:
    """Towns and villages as parallel arrays (index = position in the layer)."""

    district: shapely.Geometry
    towns: list[Town]
    town_xy: np.ndarray  # (T, 2) seat location, metres
    town_core_m: np.ndarray  # (T,) radius of the built-up core
    town_geom: np.ndarray
    village_code: list[str]
    village_name: list[str]
    village_town: np.ndarray  # (V,) index into towns
    village_xy: np.ndarray  # (V, 2) village committee location
    village_geom: np.ndarray
    _micro_tree: shapely.STRtree
    _micro_village: np.ndarray

    def village_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Village index containing each point (nearest micro cell), -1 outside the district."""
        idx = self._micro_tree.query_nearest(shapely.points(x, y), all_matches=False)[1]
        out = self._micro_village[idx]
        return np.where(shapely.contains_xy(self.district, x, y), out, -1)


def _core_radius(town: Town, scale: float) -> float:
    base = {"seat": 2800.0, "street": 900.0, "town": 550.0}[town.kind]
    return base * np.sqrt(scale)


def _seats(profile: SizeProfile) -> tuple[list[Town], np.ndarray]:
    towns = list(TOWNS[: profile.n_towns])
    x, y = to_gk(np.array([t.lon for t in towns]), np.array([t.lat for t in towns]))
    xy = np.column_stack([x, y])
    centre = xy.mean(axis=0)
    return towns, centre + (xy - centre) * profile.layout_scale


def _micro_mesh(rng: np.random.Generator, bounds: tuple[float, ...], n: int) -> tuple[np.ndarray, np.ndarray]:
    minx, miny, maxx, maxy = bounds
    step = np.sqrt((maxx - minx) * (maxy - miny) / n)
    gx, gy = np.meshgrid(np.arange(minx + step / 2, maxx, step), np.arange(miny + step / 2, maxy, step))
    seeds = np.column_stack([gx.ravel(), gy.ravel()]) + rng.uniform(-0.4, 0.4, (gx.size, 2)) * step
    box = shapely.box(*bounds)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=box))
    cells = shapely.intersection(cells, box)
    # Voronoi output order is unspecified: match each cell to its seed through an interior point.
    owner = shapely.STRtree(shapely.points(seeds)).query_nearest(shapely.point_on_surface(cells))[1]
    ordered = np.empty(len(seeds), dtype=object)
    ordered[owner] = cells
    return seeds, ordered


def _warp(rng: np.random.Generator, bounds: tuple[float, ...], xy: np.ndarray, wavelength: float) -> np.ndarray:
    fx, fy = Field(rng, bounds, wavelength, 2), Field(rng, bounds, wavelength, 2)
    amp = wavelength / 7.0  # gradient < 1: the warp folds nothing, units stay contiguous
    return xy + amp * np.column_stack([fx(xy[:, 0], xy[:, 1]), fy(xy[:, 0], xy[:, 1])])


def build_admin(profile: SizeProfile, seed: int) -> Admin:
    """Generate the district, its towns and villages for ``profile``."""
    rng = rng_for(seed, "admin")
    towns, town_xy = _seats(profile)
    hull = shapely.convex_hull(shapely.multipoints(town_xy))
    minx, miny, maxx, maxy = hull.buffer(1.6 * profile.margin_m).bounds
    bounds = (minx, miny, maxx, maxy)
    seeds, cells = _micro_mesh(rng, bounds, profile.micro_cells)
    size = max(maxx - minx, maxy - miny)
    warped = _warp(rng, bounds, seeds, size / 3.0)
    lobes = 1.0 + 0.55 * Field(rng, bounds, size / 4.0, 2)(warped[:, 0], warped[:, 1])
    inside = shapely.distance(hull, shapely.points(warped)) < profile.margin_m * lobes
    weight = np.array([{"seat": 0.55, "street": 0.8, "town": 1.0}[t.kind] for t in towns])
    weight = weight * rng.uniform(0.85, 1.15, len(towns))
    dist = np.linalg.norm(warped[:, None, :] - town_xy[None, :, :], axis=2) / weight[None, :]
    micro_town = np.where(inside, dist.argmin(axis=1), -1)

    warped2 = _warp(rng, bounds, seeds, size / 10.0)
    micro_village = np.full(len(seeds), -1)
    v_code: list[str] = []
    v_name: list[str] = []
    v_town: list[int] = []
    v_xy: list[np.ndarray] = []
    for t, town in enumerate(towns):
        members = np.flatnonzero(micro_town == t)
        area_km2 = shapely.area(shapely.union_all(cells[members])) / 1e6
        k = int(np.clip(round(area_km2 / profile.village_km2), 1, len(members)))
        centres = seeds[rng.choice(members, size=k, replace=False)]
        d = np.linalg.norm(warped2[members][:, None, :] - centres[None, :, :], axis=2)
        local = d.argmin(axis=1)
        urban = np.linalg.norm(centres - town_xy[t], axis=1) < 2.0 * _core_radius(town, profile.layout_scale)
        names_c = place_names(rng, int(urban.sum()), "社区")
        names_v = place_names(rng, int((~urban).sum()), "村")
        n_c = n_v = 0
        for j in np.argsort(~urban, kind="stable"):  # 社区 first: codes 001…, 村 from 201
            if not np.any(local == j):
                continue
            micro_village[members[local == j]] = len(v_code)
            if urban[j]:
                n_c += 1
                v_code.append(f"{town.code}{n_c:03d}")
                v_name.append(names_c[n_c - 1])
            else:
                n_v += 1
                v_code.append(f"{town.code}{200 + n_v:03d}")
                v_name.append(names_v[n_v - 1])
            v_town.append(t)
            v_xy.append(centres[j])

    village_geom = np.array(
        [shapely.coverage_union_all(cells[micro_village == v]) for v in range(len(v_code))], dtype=object
    )
    village_town = np.array(v_town)
    town_geom = np.array(
        [shapely.coverage_union_all(village_geom[village_town == t]) for t in range(len(towns))], dtype=object
    )
    district = shapely.coverage_union_all(town_geom)
    in_district = np.flatnonzero(micro_village >= 0)
    return Admin(
        district=district,
        towns=towns,
        town_xy=town_xy,
        town_core_m=np.array([_core_radius(t, profile.layout_scale) for t in towns]),
        town_geom=town_geom,
        village_code=v_code,
        village_name=v_name,
        village_town=village_town,
        village_xy=np.array(v_xy),
        village_geom=village_geom,
        _micro_tree=shapely.STRtree(shapely.points(seeds[in_district])),
        _micro_village=micro_village[in_district],
    )
