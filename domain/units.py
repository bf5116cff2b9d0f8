"""Area units used in reports: 亩 is the unit every figure is compared in."""
from __future__ import annotations

M2_PER_MU: float = 10000.0 / 15.0
"""One 亩 in square metres (1 公顷 = 15 亩)."""

MU_TOLERANCE: float = 0.01
"""Reports compare areas at 0.01 亩; round only for display."""


def m2_to_mu(area_m2: float) -> float:
    """Square metres to 亩, unrounded."""
    return area_m2 / M2_PER_MU
