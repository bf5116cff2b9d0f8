"""Smooth value noise: makes neighbouring polygons share classes without per-cell loops."""
from __future__ import annotations

import numpy as np


class Field:
    """Fractal value noise over a bounding box, vectorised; values roughly in [-1, 1]."""

    def __init__(
        self,
        rng: np.random.Generator,
        bounds: tuple[float, float, float, float],
        wavelength: float,
        octaves: int = 3,
        persistence: float = 0.5,
    ) -> None:
        self._minx, self._miny = bounds[0] - wavelength, bounds[1] - wavelength
        width = bounds[2] - bounds[0] + 2 * wavelength
        height = bounds[3] - bounds[1] + 2 * wavelength
        self._layers: list[tuple[float, float, np.ndarray]] = []
        amplitude, total = 1.0, 0.0
        for octave in range(octaves):
            spacing = wavelength / 2**octave
            shape = (int(np.ceil(height / spacing)) + 2, int(np.ceil(width / spacing)) + 2)
            self._layers.append((spacing, amplitude, rng.uniform(-1.0, 1.0, shape)))
            total += amplitude
            amplitude *= persistence
        self._norm = 1.0 / total

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        out = np.zeros(np.broadcast(x, y).shape)
        for spacing, amplitude, lattice in self._layers:
            gx = np.clip((x - self._minx) / spacing, 0, lattice.shape[1] - 1.001)
            gy = np.clip((y - self._miny) / spacing, 0, lattice.shape[0] - 1.001)
            ix, iy = gx.astype(np.int64), gy.astype(np.int64)
            fx, fy = gx - ix, gy - iy
            fx = fx * fx * (3 - 2 * fx)
            fy = fy * fy * (3 - 2 * fy)
            top = lattice[iy, ix] * (1 - fx) + lattice[iy, ix + 1] * fx
            bottom = lattice[iy + 1, ix] * (1 - fx) + lattice[iy + 1, ix + 1] * fx
            out += amplitude * (top * (1 - fy) + bottom * fy)
        return out * self._norm
