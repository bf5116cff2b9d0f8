"""Linear and areal features that cut the land-use mesh: rivers, reservoirs, roads, rail.

Each is generated as individual buffered lines so a village later unions only the few
that touch it (cheap), instead of overlaying one district-wide union per village.
"""
from __future__ import annotations

import numpy as np
import shapely

from .geo import rng_for
from .towns import Admin

# Precedence: earlier classes win where features cross (bridges count as water here).
ORDER: tuple[str, ...] = ("1101", "1103", "1001", "1003", "1004", "1006", "1107")


def _wiggle(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, n: int, amp: np.ndarray) -> np.ndarray:
    """Lines A→B (arrays (L, 2)) bent sideways by smooth random harmonics, ends fixed."""
    t = np.linspace(0.0, 1.0, n)[None, :]
    d = b - a
    normal = np.column_stack([-d[:, 1], d[:, 0]]) / np.maximum(np.linalg.norm(d, axis=1), 1e-9)[:, None]
    offset = np.zeros((len(a), n))
    for k in (1, 2, 3):
        phase = rng.uniform(0, 2 * np.pi, (len(a), 1))
        offset += rng.normal(0, 1.0 / k, (len(a), 1)) * np.sin(k * np.pi * t + phase)
    offset *= np.sin(np.pi * t) * amp[:, None]
    return a[:, None, :] + t[..., None] * d[:, None, :] + offset[..., None] * normal[:, None, :]


def _walks(rng: np.random.Generator, start: np.ndarray, length: np.ndarray, n: int = 16) -> np.ndarray:
    """Random-walk roads leaving ``start`` with slowly turning heading."""
    heading = rng.uniform(0, 2 * np.pi, (len(start), 1)) + np.cumsum(rng.normal(0, 0.28, (len(start), n)), axis=1)
    step = (length / n)[:, None]
    steps = np.stack([np.cos(heading) * step, np.sin(heading) * step], axis=-1)
    return np.concatenate([start[:, None, :], start[:, None, :] + np.cumsum(steps, axis=1)], axis=1)


def _buffer(coords: np.ndarray, width: np.ndarray, quad_segs: int = 2) -> np.ndarray:
    lines = shapely.linestrings(coords)
    return shapely.buffer(lines, np.asarray(width) / 2.0, cap_style="flat", quad_segs=quad_segs)


def _blobs(rng: np.random.Generator, centres: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Irregular lake shapes: star polygons with smooth radial harmonics."""
    theta = np.linspace(0, 2 * np.pi, 40, endpoint=False)[None, :]
    r = np.ones((len(centres), theta.shape[1]))
    for k in (2, 3, 5):
        r += rng.uniform(0.05, 0.25 / k * 2, (len(centres), 1)) * np.cos(k * theta + rng.uniform(0, 6.3, (len(centres), 1)))
    r *= radius[:, None]
    ring = centres[:, None, :] + np.stack([r * np.cos(theta), r * np.sin(theta)], axis=-1)
    return shapely.polygons(np.concatenate([ring, ring[:, :1]], axis=1))


def _town_links(xy: np.ndarray) -> np.ndarray:
    """Each town joined to its two nearest neighbours (undirected, unique edges)."""
    d = np.linalg.norm(xy[:, None] - xy[None, :], axis=2)
    np.fill_diagonal(d, np.inf)
    edges = {tuple(sorted((i, int(j)))) for i in range(len(xy)) for j in np.argsort(d[i])[:2]}
    return np.array(sorted(edges))


def build_overlays(admin: Admin, seed: int) -> dict[str, np.ndarray]:
    """Buffered polygons per DLBM code (see :data:`ORDER`), overlapping freely."""
    rng = rng_for(seed, "linear")
    minx, miny, maxx, maxy = admin.district.bounds
    size = max(maxx - minx, maxy - miny)
    scale = size / 58000.0  # 1 for the whole district
    seat = admin.town_xy[0]
    out: dict[str, list[np.ndarray]] = {code: [] for code in ORDER}

    # 临江河: from the northern edge through the city to the southern edge.
    river = np.array([[seat[0] - 0.15 * size, maxy + 500], seat, [seat[0] - 0.1 * size, miny - 500]])
    coords = np.concatenate([_wiggle(rng, river[:1], river[1:2], 30, np.array([0.05 * size]))[0],
                             _wiggle(rng, river[1:2], river[2:3], 30, np.array([0.05 * size]))[0][1:]])
    out["1101"].append(_buffer(coords[None], [max(20.0, 40 * scale)]))
    if scale > 0.8:  # 长江 along the southern edge of the whole district
        south = admin.town_xy[admin.town_xy[:, 1] < miny + 0.2 * (maxy - miny)]
        a = np.array([[minx - 3000, south[:, 1].min() - 2500]])
        b = np.array([[maxx + 3000, south[:, 1].max() - 1500]])
        out["1101"].append(_buffer(_wiggle(rng, a, b, 40, np.array([2500.0])), [800.0]))
    n_lakes = max(1, round(3 * scale))
    lakes = rng.uniform([minx, miny], [maxx, maxy], (n_lakes, 2)) * 0.6 + np.array([minx + maxx, miny + maxy]) * 0.2
    out["1103"].append(_blobs(rng, lakes, rng.uniform(250, 700, n_lakes) * max(scale, 0.5)))

    # 成渝铁路 and 成渝高速: WNW–ESE corridors through the city.
    ang = np.deg2rad(rng.uniform(-25, -10))
    axis = np.array([np.cos(ang), np.sin(ang)]) * size
    for code, shift, width in (("1001", 0.0, 25.0), ("1003", 3500.0 * scale, 32.0)):
        a = (seat - axis + [0, shift])[None]
        b = (seat + axis + [0, shift])[None]
        out[code].append(_buffer(_wiggle(rng, a, b, 40, np.array([0.03 * size])), [width]))
    links = _town_links(admin.town_xy)
    a, b = admin.town_xy[links[:, 0]], admin.town_xy[links[:, 1]]
    amp = 0.12 * np.linalg.norm(b - a, axis=1)
    out["1003"].append(_buffer(_wiggle(rng, a, b, 24, amp), np.full(len(a), 14.0)))

    # Street grids in each urban core.
    for (tx, ty), r in zip(admin.town_xy, admin.town_core_m):
        spacing = 260.0 if r > 1500 else 180.0
        k = np.arange(-r, r + 1, spacing)
        theta = rng.uniform(0, np.pi / 2)
        rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
        ends = np.concatenate([np.stack([np.column_stack([k, -r + 0 * k]), np.column_stack([k, r + 0 * k])], 1),
                               np.stack([np.column_stack([-r + 0 * k, k]), np.column_stack([r + 0 * k, k])], 1)])
        grid = shapely.intersection(shapely.linestrings(ends @ rot.T + [tx, ty]), shapely.Point(tx, ty).buffer(r * 0.9))
        out["1004"].append(shapely.buffer(grid, 9.0 if r > 1500 else 5.0, cap_style="flat"))

    # Village roads (1006) and ditches (1107) from each village committee.
    v_area = shapely.area(admin.village_geom) / 1e6
    n_roads = np.maximum(2, np.round(2 + 1.2 * v_area)).astype(int)
    starts = np.repeat(admin.village_xy, n_roads, axis=0)
    length = rng.uniform(600, 2600, len(starts)) * np.sqrt(max(scale, 0.3))
    out["1006"].append(_buffer(_walks(rng, starts, length), rng.uniform(3.5, 6.5, len(starts)), quad_segs=1))
    n_ditch = len(starts) // 3
    d_start = starts[rng.choice(len(starts), n_ditch, replace=False)] + rng.normal(0, 400 * max(scale, 0.3), (n_ditch, 2))
    out["1107"].append(_buffer(_walks(rng, d_start, length[:n_ditch] * 0.5, 8), np.full(n_ditch, 3.0), quad_segs=1))

    result = {}
    for code, parts in out.items():
        geoms = np.concatenate(parts)
        result[code] = geoms[~shapely.is_empty(geoms)]
    return result
