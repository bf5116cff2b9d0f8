"""Round map scales and scale-bar steps for a patch map frame.

Case-file maps use the scales a surveyor reads at a glance (1:500, 1:1000,
1:2000, 1:2500, 1:5000 …); the smallest one that fits the patch with a margin
on every side is chosen, never an arbitrary 1:1837.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

_MANTISSAS = (1.0, 2.0, 2.5, 5.0)


def round_denominators(smallest: int = 500) -> Iterator[int]:
    """1:500, 1:1000, 1:2000, 1:2500, 1:5000, 1:10000, … upwards from ``smallest``."""
    exponent = 2
    while True:
        for mantissa in _MANTISSAS:
            value = int(mantissa * 10 ** exponent)
            if value >= smallest:
                yield value
        exponent += 1


def choose_scale(width_m: float, height_m: float, frame_width_mm: float, frame_height_mm: float,
                 margin: float = 0.1, smallest: int = 500) -> int:
    """Smallest round denominator at which the extent plus ``margin`` (share per side) fits the frame."""
    if frame_width_mm <= 0 or frame_height_mm <= 0:
        raise ValueError("the map frame has no size")
    need_w = max(width_m, 0.0) * (1 + 2 * margin) * 1000.0 / frame_width_mm
    need_h = max(height_m, 0.0) * (1 + 2 * margin) * 1000.0 / frame_height_mm
    need = max(need_w, need_h)
    for denominator in round_denominators(smallest):
        if denominator >= need:
            return denominator
    raise AssertionError("unreachable")  # pragma: no cover - the series is endless


def map_extent(center_x: float, center_y: float, denominator: int, frame_width_mm: float,
               frame_height_mm: float) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in metres that fills the frame at 1:``denominator`` around a centre."""
    half_w = frame_width_mm * denominator / 1000.0 / 2.0
    half_h = frame_height_mm * denominator / 1000.0 / 2.0
    return center_x - half_w, center_y - half_h, center_x + half_w, center_y + half_h


def scale_bar_segment(denominator: int, max_bar_mm: float, segments: int = 4) -> float:
    """Metres per scale-bar segment: a 1-2-5 step whose ``segments`` fit in ``max_bar_mm``."""
    limit = max_bar_mm * denominator / 1000.0 / segments
    exponent = math.floor(math.log10(limit))
    best = 10.0 ** exponent
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        step = mantissa * 10.0 ** exponent
        if step <= limit:
            best = step
    return best
