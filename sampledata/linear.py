"""Linear and areal features that cut the land-use mesh: rivers, reservoirs, roads, rail.

Each is generated as individual buffered lines so a village later unions only the few
that touch it (cheap), instead of overlaying one district-wide union per village. Road
density follows the mesh spacing, so coarse samples are not shredded by roads.
"""
from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Overlays:
    """Per DLBM code: feature polygons, plus centre lines and half widths for mesh guides."""

    polygons: dict[str, np.ndarray]
    lines: np.ndarray
    half_width: np.ndarray


class _Collector:
    def __init__(self) -> None:
        self.polygons: dict[str, list[np.ndarray]] = {code: [] for code in ORDER}
        self.lines: list[np.ndarray] = []
        self.half: list[np.ndarray] = []

    def add_lines(self, code: str, lines: np.ndarray, width: np.ndarray | float, quad_segs: int = 2) -> None:
        lines = lines[~shapely.is_empty(lines)]
        half = np.broadcast_to(np.asarray(width, dtype=float) / 2.0, lines.shape)
        self.polygons[code].append(shapely.buffer(lines, half, cap_style="flat", quad_segs=quad_segs))
        self.lines.append(lines)
        self.half.append(half)

    def result(self) -> Overlays:
        polys = {code: np.concatenate(parts) if parts else np.array([], dtype=object)
                 for code, parts in self.polygons.items()}
        return Overlays(polys, np.concatenate(self.lines), np.concatenate(self.half))


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


def build_overlays(admin: Admin, seed: int, spacing: float, urban_village: np.ndarray) -> Overlays:
    """Rivers, lakes, rail, highways, street grids, village roads and ditches.

    ``spacing`` is the mean mesh cell size; village roads are laid about six cells apart.
    ``urban_village`` flags villages whose committee sits in a town core.
    """
    rng = rng_for(seed, "linear")
    minx, miny, maxx, maxy = admin.district.bounds
    size = max(maxx - minx, maxy - miny)
    scale = size / 58000.0  # 1 for the whole district
    seat = admin.town_xy[0]
    out = _Collector()

    # 临江河: from the northern edge through the city to the southern edge.
    north = np.array([[seat[0] - 0.15 * size, maxy + 500]])
    south = np.array([[seat[0] - 0.1 * size, miny - 500]])
    amp = np.array([0.05 * size])
    coords = np.concatenate([_wiggle(rng, north, seat[None], 30, amp)[0], _wiggle(rng, seat[None], south, 30, amp)[0][1:]])
    out.add_lines("1101", shapely.linestrings(coords[None]), max(20.0, 40 * scale))
    if scale > 0.8:  # 长江 along the southern edge of the whole district
        low = admin.town_xy[admin.town_xy[:, 1] < miny + 0.2 * (maxy - miny)]
        a = np.array([[minx - 3000, low[:, 1].min() - 1500]])
        b = np.array([[maxx + 3000, low[:, 1].max() - 800]])
        out.add_lines("1101", shapely.linestrings(_wiggle(rng, a, b, 40, np.array([2500.0]))), 800.0)
    n_lakes = max(1, round(3 * scale))
    lakes = rng.uniform([minx, miny], [maxx, maxy], (n_lakes, 2)) * 0.6 + np.array([minx + maxx, miny + maxy]) * 0.2
    out.polygons["1103"].append(_blobs(rng, lakes, rng.uniform(250, 700, n_lakes) * max(scale, 0.5)))

    # 成渝铁路 and 成渝高速: WNW–ESE corridors through the city; highways between towns.
    ang = np.deg2rad(rng.uniform(-25, -10))
    axis = np.array([np.cos(ang), np.sin(ang)]) * size
    for code, shift, width in (("1001", 0.0, 25.0), ("1003", 3500.0 * scale, 32.0)):
        a, b = (seat - axis + [0, shift])[None], (seat + axis + [0, shift])[None]
        out.add_lines(code, shapely.linestrings(_wiggle(rng, a, b, 40, np.array([0.03 * size]))), width)
    links = _town_links(admin.town_xy)
    a, b = admin.town_xy[links[:, 0]], admin.town_xy[links[:, 1]]
    out.add_lines("1003", shapely.linestrings(_wiggle(rng, a, b, 24, 0.12 * np.linalg.norm(b - a, axis=1))), 14.0)

    # Street grids: one for the district city (the seat streets share it), one per other core.
    seat_mask = np.array([t.kind == "seat" for t in admin.towns])
    cores = [(admin.town_xy[seat_mask].mean(axis=0),
              admin.town_core_m[seat_mask].max() + np.linalg.norm(np.ptp(admin.town_xy[seat_mask], axis=0)) / 2)]
    cores += list(zip(admin.town_xy[~seat_mask], admin.town_core_m[~seat_mask]))
    for (tx, ty), r in cores:
        block = max(260.0 if r > 1500 else 180.0, 4.0 * spacing)
        k = np.arange(-r, r + 1, block) + rng.uniform(0, block)
        theta = rng.uniform(0, np.pi / 2)
        rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
        ends = np.concatenate([np.stack([np.column_stack([k, -r + 0 * k]), np.column_stack([k, r + 0 * k])], 1),
                               np.stack([np.column_stack([-r + 0 * k, k]), np.column_stack([r + 0 * k, k])], 1)])
        core = shapely.Point(tx, ty).buffer(r * 0.7)
        out.add_lines("1004", shapely.intersection(shapely.linestrings(ends @ rot.T + [tx, ty]), core),
                      18.0 if r > 1500 else 10.0)

    # Village roads (1006) and ditches (1107) leaving each village committee.
    km_per_km2 = min(3.0, 1000.0 / (6.0 * spacing))
    v_area = shapely.area(admin.village_geom) / 1e6
    mean_len = min(1.6, 8 * spacing / 1000.0)
    n_roads = np.maximum(1, np.round(km_per_km2 * v_area / mean_len)).astype(int)
    n_roads[urban_village] = 0  # 社区 in town cores have streets (1004), not village roads
    starts = np.repeat(admin.village_xy, n_roads, axis=0)
    starts = starts + rng.normal(0, 0.25, starts.shape) * np.sqrt(np.repeat(v_area, n_roads) * 1e6)[:, None]
    length = rng.uniform(0.5, 1.5, len(starts)) * mean_len * 1000.0
    out.add_lines("1006", shapely.linestrings(_walks(rng, starts, length)), rng.uniform(3.5, 6.5, len(starts)), 1)
    n_ditch = max(1, len(starts) // 4)
    d_start = starts[rng.choice(len(starts), n_ditch, replace=False)] + rng.normal(0, 2 * spacing, (n_ditch, 2))
    out.add_lines("1107", shapely.linestrings(_walks(rng, d_start, length[:n_ditch] * 0.5, 8)), 3.0, 1)
    return out.result()
