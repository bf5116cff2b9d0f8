"""Smooth landscape fields: urban cores, NNE-trending ridges (箕山, 黄瓜山…), wetness.

Land classes, point density and slope grades all read these fields, which is what makes
neighbouring polygons agree with each other and with the imagery.
"""
from __future__ import annotations

import numpy as np

from .geo import rng_for
from .noise import Field
from .towns import Admin


class Terrain:
    """Vectorised landscape fields over the district, in metres of EPSG:4523."""

    def __init__(self, admin: Admin, seed: int) -> None:
        rng = rng_for(seed, "terrain")
        minx, miny, maxx, maxy = admin.district.bounds
        bounds = (minx, miny, maxx, maxy)
        size = max(maxx - minx, maxy - miny)
        self._admin = admin
        self._core_shape = Field(rng, bounds, admin.town_core_m.mean() * 2, 2)
        self._ridge_mod = Field(rng, bounds, size / 4, 2)
        self._hills = Field(rng, bounds, size / 6, 3)
        self.wet = Field(rng, bounds, size / 8, 3)
        self.mix = Field(rng, bounds, size / 14, 3)
        n_ridges = 4 if size > 30000 else 2
        frac = (np.arange(n_ridges) + 0.5) / n_ridges + rng.uniform(-0.06, 0.06, n_ridges)
        self._ridge_x = minx + frac * (maxx - minx)
        self._ridge_y = np.full(n_ridges, (miny + maxy) / 2)
        self._ridge_angle = np.deg2rad(rng.uniform(12, 28, n_ridges))  # east of north
        self._ridge_w = rng.uniform(0.025, 0.045, n_ridges) * size

    def urban(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Built-up intensity in [0, 1]: 1 at a town seat, fading over its core radius."""
        warp = 1.0 + 0.35 * self._core_shape(x, y)
        out = np.zeros(np.shape(x))
        for (tx, ty), r in zip(self._admin.town_xy, self._admin.town_core_m):
            d2 = ((x - tx) ** 2 + (y - ty) ** 2) / (r * warp) ** 2
            np.maximum(out, np.exp(-d2), out=out)
        return out

    def elevation(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Relief index ≈ [-0.5, 1.5]: ridges above ≈0.55 are forested."""
        out = 0.35 * self._hills(x, y)
        mod = 0.75 + 0.35 * self._ridge_mod(x, y)
        for rx, ry, a, w in zip(self._ridge_x, self._ridge_y, self._ridge_angle, self._ridge_w):
            d = (x - rx) * np.cos(a) - (y - ry) * np.sin(a)  # distance across the NNE axis
            out += mod * np.exp(-((d / w) ** 2))
        return out * (1.0 - 0.8 * self.urban(x, y))

    def slope_grade(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """耕地坡度级别 1–5 (≤2°, 2–6°, 6–15°, 15–25°, >25°), steeper on the ridges."""
        e = self.elevation(x, y)
        g = 1 + np.floor(np.clip((e + 0.25) / 0.3 + rng.normal(0, 0.6, np.shape(x)), 0, 4.99))
        return g.astype(np.int64)
