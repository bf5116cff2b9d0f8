"""三调 DLTB mesh: Voronoi cells of density-weighted points, per village, cut by roads/water.

Working village by village keeps every polygon inside one village (as ZLDWDM requires),
bounds memory and lets 2,000,000-polygon benchmark runs finish in minutes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .codes import INDEX
from .geo import rng_for
from .landclass import classify
from .linear import ORDER, Overlays, build_overlays
from .profiles import SizeProfile
from .terrain import Terrain
from .towns import Admin

MIN_PIECE_M2 = 1.0
SPLIT_GRID_M = 600.0  # linear features are cut into pieces of at most this extent
_CELLS_PER_POINT = 1.05  # measured: cuts by roads and village edges add a few pieces
_PIECES_PER_LINE_M = 1.4 / SPLIT_GRID_M  # measured: grid and village cuts of linear features


@dataclass
class LandUse:
    """DLTB polygons as parallel arrays."""

    geoms: np.ndarray
    code: np.ndarray  # int16 index into codes.DLBM
    village: np.ndarray  # index into Admin village arrays


def _sample_points(rng: np.random.Generator, admin: Admin, terrain: Terrain, n: int) -> np.ndarray:
    """Points with more, smaller polygons in towns and fewer, larger ones on ridges."""
    minx, miny, maxx, maxy = admin.district.bounds
    shapely.prepare(admin.district)
    chunks, total = [], 0
    while total < n:
        cand = rng.uniform([minx, miny], [maxx, maxy], (2 * n, 2))
        x, y = cand[:, 0], cand[:, 1]
        density = (1.0 + 2.5 * terrain.urban(x, y)) * (1.0 - 0.45 * np.clip(terrain.elevation(x, y) - 0.5, 0, 1))
        keep = (rng.uniform(0, 3.5, len(x)) < density) & shapely.contains_xy(admin.district, x, y)
        chunks.append(cand[keep])
        total += int(keep.sum())
    return np.concatenate(chunks)[:n]


def _guides(overlays: Overlays, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Point pairs mirrored across every road and river: their Voronoi edge is the centre
    line, so parcels end at roads (as in real 三调 data) instead of being cut by them.

    Also returns exclusion zones: random mesh points inside them would straddle a road.
    """
    lines, half = overlays.lines, overlays.half_width
    step = 2.0 * spacing
    n = np.maximum(1, shapely.length(lines) // step).astype(np.int64)
    idx = np.repeat(np.arange(len(lines)), n)
    dist = (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + 0.5) * step
    p0 = shapely.get_coordinates(shapely.line_interpolate_point(lines[idx], dist))
    p1 = shapely.get_coordinates(shapely.line_interpolate_point(lines[idx], dist + 1.0))
    t = p1 - p0
    t /= np.maximum(np.linalg.norm(t, axis=1), 1e-9)[:, None]
    off = (half[idx] + 0.5 * spacing)[:, None] * np.column_stack([-t[:, 1], t[:, 0]])
    pts = np.concatenate([p0 + off, p0 - off])
    feature = np.concatenate([g for g in overlays.polygons.values() if len(g)])
    on_feature = shapely.STRtree(feature).query(shapely.points(pts), predicate="intersects")[0]
    pts = np.delete(pts, np.unique(on_feature), axis=0)
    zones = shapely.buffer(lines, half + 0.35 * spacing, quad_segs=1)
    return pts, np.concatenate([zones, overlays.polygons["1103"]])


def _polygons(geoms: np.ndarray) -> np.ndarray:
    parts = shapely.get_parts(geoms)
    return parts[shapely.get_type_id(parts) == 3]


def _valid(geom: shapely.Geometry) -> shapely.Geometry:
    """Polygonal part of an overlay result, repaired in the rare case GEOS returns it invalid
    (unions of many crossing road buffers)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return shapely.multipolygons(_polygons(np.array([geom])))


def _grid_split(geom: shapely.Geometry) -> np.ndarray:
    minx, miny, maxx, maxy = geom.bounds
    xs = np.arange(minx, maxx + SPLIT_GRID_M, SPLIT_GRID_M)
    ys = np.arange(miny, maxy + SPLIT_GRID_M, SPLIT_GRID_M)
    gx, gy = np.meshgrid(xs[:-1], ys[:-1]) if len(xs) > 1 and len(ys) > 1 else (np.array([minx]), np.array([miny]))
    boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + SPLIT_GRID_M, gy.ravel() + SPLIT_GRID_M)
    return _polygons(shapely.intersection(geom, boxes))


def _subtract(cells: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """``cells`` minus the small grid-split pieces touching each: far cheaper than
    subtracting one village-wide union from every cell."""
    cell_i, piece_i = shapely.STRtree(pieces).query(cells, predicate="intersects")
    order = np.argsort(cell_i, kind="stable")
    cell_i, piece_i = cell_i[order], piece_i[order]
    rank = np.arange(len(cell_i)) - np.searchsorted(cell_i, cell_i)
    out = cells.copy()
    for k in range(int(rank.max(initial=-1)) + 1):
        sel = rank == k
        out[cell_i[sel]] = shapely.difference(out[cell_i[sel]], pieces[piece_i[sel]])
    return _polygons(out)


def _village_mesh(
    vgeom: shapely.Geometry, pts: np.ndarray, overlays: Overlays, trees: dict[str, shapely.STRtree]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    shapely.prepare(vgeom)
    pts = pts[shapely.contains_xy(vgeom, pts[:, 0], pts[:, 1])]
    if len(pts) >= 2:
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=vgeom.envelope))
        inner = shapely.contains_properly(vgeom, cells)  # prepared: only edge cells need clipping
        cells = np.concatenate([cells[inner], _polygons(shapely.intersection(cells[~inner], vgeom))])
    else:
        cells = _polygons(np.array([vgeom]))
    geoms, codes = [], []
    taken = None
    for code in ORDER:
        hits = trees[code].query(vgeom, predicate="intersects")
        if len(hits) == 0:
            continue
        part = _valid(shapely.intersection(_valid(shapely.union_all(overlays.polygons[code][hits])), vgeom))
        if taken is not None:
            part = _valid(shapely.difference(part, taken))
        if part.is_empty:
            continue
        taken = part if taken is None else _valid(shapely.union(taken, part))
        pieces = _grid_split(part)
        geoms.append(pieces)
        codes.append(np.full(len(pieces), INDEX[code], dtype=np.int16))
    if taken is not None:
        shapely.prepare(taken)
        hit = shapely.intersects(taken, cells)  # prepared geometry first
        cut = _subtract(cells[hit], np.concatenate(geoms))
        cells = np.concatenate([cells[~hit], cut])
    geoms.insert(0, cells)
    codes.insert(0, np.full(len(cells), -1, dtype=np.int16))
    return geoms, codes


def build_landuse(admin: Admin, terrain: Terrain, profile: SizeProfile, seed: int) -> LandUse:
    """Generate ≈ ``profile.n_landuse`` DLTB polygons covering the district."""
    rng = rng_for(seed, "landuse")
    spacing = float(np.sqrt(admin.district.area / profile.n_landuse))
    urban_village = terrain.urban(admin.village_xy[:, 0], admin.village_xy[:, 1]) > 0.45
    overlays = build_overlays(admin, seed, spacing, urban_village)
    trees = {code: shapely.STRtree(g) for code, g in overlays.polygons.items()}
    guides, zones = _guides(overlays, spacing)
    n_linear = shapely.length(overlays.lines).sum() * _PIECES_PER_LINE_M
    n_free = max(len(guides) // 4, int(profile.n_landuse / _CELLS_PER_POINT - len(guides) - n_linear))
    free = _sample_points(rng, admin, terrain, n_free)
    blocked = shapely.STRtree(zones).query(shapely.points(free), predicate="intersects")[0]
    pts = np.concatenate([np.delete(free, np.unique(blocked), axis=0), guides])
    village = admin.village_of(pts[:, 0], pts[:, 1])
    order = np.argsort(village, kind="stable")
    bounds = np.searchsorted(village[order], np.arange(len(admin.village_code) + 1))
    geoms, codes, villages = [], [], []
    for v, vgeom in enumerate(admin.village_geom):
        g, c = _village_mesh(vgeom, pts[order[bounds[v]:bounds[v + 1]]], overlays, trees)
        geoms.extend(g)
        codes.extend(c)
        villages.extend(np.full(len(x), v, dtype=np.int32) for x in g)
    geoms_a, code_a, village_a = np.concatenate(geoms), np.concatenate(codes), np.concatenate(villages)
    keep = shapely.area(geoms_a) >= MIN_PIECE_M2
    geoms_a, code_a, village_a = geoms_a[keep], code_a[keep], village_a[keep]
    todo = np.flatnonzero(code_a < 0)
    centres = shapely.get_coordinates(shapely.point_on_surface(geoms_a[todo]))
    hamlets = _hamlets(rng, admin, terrain)
    code_a[todo] = classify(centres, terrain, rng, hamlets)
    return LandUse(geoms=geoms_a, code=code_a, village=village_a)


def _hamlets(rng: np.random.Generator, admin: Admin, terrain: Terrain) -> np.ndarray:
    """Clusters of rural homes (院落): village committees plus one per ≈0.8 km² of countryside."""
    minx, miny, maxx, maxy = admin.district.bounds
    n = int(admin.district.area / 0.8e6)
    cand = rng.uniform([minx, miny], [maxx, maxy], (n, 2))
    ok = shapely.contains_xy(admin.district, cand[:, 0], cand[:, 1]) & (terrain.urban(cand[:, 0], cand[:, 1]) < 0.3)
    return np.concatenate([admin.village_xy, cand[ok]])
