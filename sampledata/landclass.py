"""Which 三调 class each mesh cell gets: zone by landscape field, then class by noise rank.

Within a zone, classes are ordered (paddy → dry land → orchard → forest…) and picked by
the rank of a smooth noise score, so neighbours share classes and proportions are exact.
Ponds, homesteads and facility land are scattered independently, as they are in reality.
"""
from __future__ import annotations

import numpy as np
import shapely

from .codes import INDEX
from .terrain import Terrain

# zone → (ordered coherent classes with shares, scattered classes with probabilities)
ZONES: dict[str, tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]] = {
    "core": (
        (("0810", 6), ("08H2", 7), ("08H1", 3), ("0701", 45), ("05H1", 13), ("0809", 3),
         ("0508", 4), ("0601", 8)),
        (("1201", 0.04), ("1206", 0.03), ("0103", 0.04), ("1104", 0.01)),
    ),
    "fringe": (
        (("0101", 12), ("0103", 16), ("0201", 4), ("0404", 3), ("0307", 4), ("0702", 12), ("0701", 12),
         ("05H1", 4), ("1201", 3), ("1206", 3), ("0508", 4), ("0601", 17), ("0809", 2)),
        (("1104", 0.03), ("1202", 0.02)),
    ),
    "ridge": (
        (("0103", 6), ("0202", 5), ("0404", 4), ("0307", 10), ("0305", 13), ("0302", 17), ("0301", 44),
         ("0301K", 1)),
        (("0602", 0.012), ("0702", 0.02), ("1104", 0.005)),
    ),
    "rural": (
        (("0101", 36), ("0102", 3), ("0103", 29), ("0201", 5), ("0201K", 0.6), ("0204", 1), ("0202", 2),
         ("0404", 1.5), ("0307", 3), ("0305", 2), ("0301", 7)),
        (("0702", 0.05), ("1104", 0.04), ("1104K", 0.005), ("1202", 0.015), ("1203", 0.012),
         ("1206", 0.003), ("0601", 0.008), ("0602", 0.001)),
    ),
}
HAMLET_RADIUS_M = 160.0


def _rank01(score: np.ndarray) -> np.ndarray:
    """Empirical quantile of each score in (0, 1): exact class shares after searchsorted."""
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score))
    ranks[order] = (np.arange(len(score)) + 0.5) / max(len(score), 1)
    return ranks


def classify(
    centres: np.ndarray, terrain: Terrain, rng: np.random.Generator, hamlets: np.ndarray
) -> np.ndarray:
    """Class index (into codes.DLBM) for mesh cells with representative points ``centres``."""
    x, y = centres[:, 0], centres[:, 1]
    u, e = terrain.urban(x, y), terrain.elevation(x, y)
    zone = np.where(u > 0.55, "core", np.where(u > 0.3, "fringe", np.where(e > 0.55, "ridge", "rural")))
    out = np.full(len(x), -1, dtype=np.int16)
    wet, mix = terrain.wet(x, y), terrain.mix(x, y)
    for name, (coherent, scattered) in ZONES.items():
        idx = np.flatnonzero(zone == name)
        if len(idx) == 0:
            continue
        if name == "rural":  # valleys (wet, low) are paddy, hill slopes dry land and trees
            score = -0.7 * wet[idx] + 0.5 * e[idx] + 0.25 * mix[idx]
        else:
            score = mix[idx]
        score = score + rng.normal(0, 0.08, len(idx))
        shares = np.array([s for _, s in coherent], dtype=float)
        pick = np.searchsorted(np.cumsum(shares) / shares.sum(), _rank01(score), side="right")
        lookup = np.array([INDEX[code] for code, _ in coherent], dtype=np.int16)
        out[idx] = lookup[np.minimum(pick, len(coherent) - 1)]
        draw = rng.uniform(size=len(idx))
        low = 0.0
        for code, p in scattered:
            hit = (draw >= low) & (draw < low + p)
            out[idx[hit]] = INDEX[code]
            low += p
    if len(hamlets):
        d = shapely.STRtree(shapely.points(hamlets)).query_nearest(
            shapely.points(x, y), return_distance=True, all_matches=False
        )[1]
        p_home = 0.9 * np.exp(-((d / HAMLET_RADIUS_M) ** 2))
        near = (zone == "rural") & (rng.uniform(size=len(x)) < p_home)
        out[near] = INDEX["0702"]
    return out
