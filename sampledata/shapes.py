"""Vectorised shape primitives (sites, parcels) and point sampling inside polygons."""
from __future__ import annotations

import numpy as np
import shapely


def _place(local: np.ndarray, centres: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate local ring coordinates (N, K, 2) by ``angle`` and move them to ``centres``."""
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x, y = local[..., 0], local[..., 1]
    ring = np.stack([x * c - y * s, x * s + y * c], axis=-1) + centres[:, None, :]
    return np.concatenate([ring, ring[:, :1]], axis=1)


def rectangles(centres: np.ndarray, area: np.ndarray, aspect: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotated rectangles of given area and length/width ratio."""
    w = np.sqrt(area / aspect)
    h = w * aspect
    local = np.stack([np.stack([-h, -w], 1), np.stack([h, -w], 1), np.stack([h, w], 1), np.stack([-h, w], 1)], 1) / 2
    return shapely.polygons(_place(local, centres, angle))


def l_shapes(centres: np.ndarray, area: np.ndarray, notch: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """L-shaped sites: a square with a corner notch of ``notch`` (0–0.6) of its side."""
    side = np.sqrt(area / (1 - notch**2))
    a, b = side / 2, side / 2 - notch * side
    zero = np.zeros_like(a)
    pts = [(-a, -a), (a, -a), (a, b), (b, b), (b, a), (-a, a)]
    local = np.stack([np.stack([px + zero, py + zero], 1) for px, py in pts], 1)
    return shapely.polygons(_place(local, centres, angle))


def blobs(rng: np.random.Generator, centres: np.ndarray, area: np.ndarray, k: int = 14) -> np.ndarray:
    """Irregular star-shaped sites (always simple polygons) of ``area``."""
    # jittered, evenly spread angles: no gap reaches π, so the ring never crosses itself
    theta = (np.arange(k) + rng.uniform(-0.35, 0.35, (len(centres), k))) * (2 * np.pi / k)
    r = 1.0 + 0.22 * np.cos(2 * theta + rng.uniform(0, 6.3, (len(centres), 1)))
    r += 0.12 * np.cos(3 * theta + rng.uniform(0, 6.3, (len(centres), 1)))
    r *= rng.uniform(0.9, 1.1, r.shape)
    local = np.stack([r * np.cos(theta), r * np.sin(theta)], -1)
    return scale_to_area(shapely.polygons(_place(local, centres, np.zeros(len(centres)))), centres, area)


def scale_to_area(geoms: np.ndarray, centres: np.ndarray, area: np.ndarray) -> np.ndarray:
    """Scale polygons about ``centres`` so each has ``area``."""
    f = np.sqrt(area / shapely.area(geoms))
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    moved = (coords - centres[idx]) * f[idx, None] + centres[idx]
    return shapely.set_coordinates(geoms.copy(), moved)


def log_uniform(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """Areas spread evenly on a log scale: many small sites, some large ones."""
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


def fit_upper(n: int, low: float, high: float, budget: float) -> float:
    """Largest upper bound ≤ ``high`` for which ``n`` log-uniform areas fit in ``budget``:
    dense scale-series runs get smaller sites instead of failing to place them."""
    while high > 2 * low and n * (high - low) / np.log(high / low) > budget:
        high *= 0.9
    return high


def sites(rng: np.random.Generator, centres: np.ndarray, area: np.ndarray) -> np.ndarray:
    """Construction-site outlines: 55 % rotated rectangles, 20 % L-shapes, 25 % irregular."""
    n = len(centres)
    kind = rng.choice(3, n, p=[0.55, 0.2, 0.25])
    angle = rng.uniform(0, np.pi, n)
    out = rectangles(centres, area, rng.uniform(1.0, 3.0, n), angle)
    lmask = kind == 1
    out[lmask] = l_shapes(centres[lmask], area[lmask], rng.uniform(0.3, 0.6, lmask.sum()), angle[lmask])
    bmask = kind == 2
    out[bmask] = blobs(rng, centres[bmask], area[bmask])
    return out


def points_in(rng: np.random.Generator, geoms: np.ndarray, tries: int = 12) -> np.ndarray:
    """One uniformly random point inside each polygon (point on surface as a last resort)."""
    out = shapely.get_coordinates(shapely.point_on_surface(geoms))
    todo = np.arange(len(geoms))
    bounds = shapely.bounds(geoms)
    for _ in range(tries):
        if len(todo) == 0:
            break
        b = bounds[todo]
        p = rng.uniform(b[:, :2], b[:, 2:])
        ok = shapely.contains_xy(geoms[todo], p[:, 0], p[:, 1])
        out[todo[ok]] = p[ok]
        todo = todo[~ok]
    return out


def largest_part(geoms: np.ndarray) -> np.ndarray:
    """The largest polygon of each (multi)polygon, None for empty results."""
    parts, idx = shapely.get_parts(geoms, return_index=True)
    out = np.full(len(geoms), None, dtype=object)
    keep = shapely.get_type_id(parts) == 3
    parts, idx = parts[keep], idx[keep]
    if len(parts) == 0:
        return out
    order = np.lexsort((-shapely.area(parts), idx))
    first = np.r_[True, np.diff(idx[order]) != 0]
    out[idx[order][first]] = parts[order][first]
    return out


def clip_to(geoms: np.ndarray, area: shapely.Geometry) -> np.ndarray:
    """Largest part of each geometry inside ``area``; only edge cases pay for an overlay."""
    shapely.prepare(area)
    inside = shapely.contains_properly(area, geoms)
    out = geoms.copy()
    out[~inside] = shapely.intersection(geoms[~inside], area)
    return largest_part(out)


def repair(geoms: np.ndarray) -> np.ndarray:
    """Largest valid polygon of each geometry: buffers of thin, spiky inputs can come back
    self-intersecting from GEOS once in a few hundred thousand."""
    bad = ~shapely.is_valid(geoms)
    out = geoms.copy()
    out[bad] = largest_part(shapely.make_valid(geoms[bad]))
    return out


def drop_overlaps(geoms: np.ndarray, tolerance_m2: float = 0.5) -> np.ndarray:
    """Indices to keep so that no two kept geometries overlap (earlier ones win).

    Touching is allowed: adjacent supply parcels cut from one approval share edges.
    """
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    real = shapely.area(shapely.intersection(geoms[left], geoms[right])) > tolerance_m2
    later: dict[int, list[int]] = {}
    for a, b in zip(left[real].tolist(), right[real].tolist()):
        later.setdefault(b, []).append(a)
    kept = np.ones(len(geoms), dtype=bool)
    for b in sorted(later):
        if any(kept[a] for a in later[b]):
            kept[b] = False
    return np.flatnonzero(kept)


_INVALID_RINGS: dict[str, tuple[tuple[float, float], ...]] = {
    # figure-of-eight: the ring crosses itself
    "bow_tie": ((-0.5, -0.5), (0.5, 0.5), (0.5, -0.5), (-0.5, 0.5)),
    # the ring touches itself at one point, enclosing an "inverted hole"
    "self_touching": ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (0.0, 0.5), (0.2, 0.0), (-0.2, 0.0), (0.0, 0.5), (-0.5, 0.5)),
    # a digitising slip: a repeated vertex and a zero-width spike out and back
    "spike": ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (0.0, 0.5), (0.0, 0.5), (0.0, 0.9), (0.0, 0.5), (-0.5, 0.5)),
}
INVALID_KINDS: tuple[str, ...] = tuple(_INVALID_RINGS)


def invalid_site(kind: str, centre: np.ndarray, size: float, angle: float) -> shapely.Polygon:
    """An invalid polygon of the given kind (see :data:`INVALID_KINDS`), about ``size`` across."""
    local = np.array(_INVALID_RINGS[kind])[None] * size
    return shapely.Polygon(_place(local, centre[None], np.array([angle]))[0])
