"""Size profiles: one place that says how big each generated district is."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class SizeProfile:
    """Knobs of one sample size; counts are targets, the generator lands near them."""

    name: str
    n_towns: int
    layout_scale: float  # shrinks the real town layout so "small" stays fast
    margin_m: float  # district outline extends this far beyond the outer towns
    n_landuse: int  # target DLTB polygon count
    n_patches: int  # patches per monthly batch
    village_km2: float  # mean village area
    micro_cells: int  # resolution of town / village boundaries
    pixel_m: float | None  # image pixel size; None: derive from image_px
    image_px: int | None  # image width or height (the larger), when pixel_m is None


PROFILES: dict[str, SizeProfile] = {
    "small": SizeProfile("small", 6, 0.45, 2000.0, 2000, 60, 3.0, 3000, None, 500),
    "full": SizeProfile("full", 23, 1.0, 3000.0, 52000, 1100, 7.0, 20000, 10.0, None),
    "bench": SizeProfile("bench", 23, 1.0, 3000.0, 200000, 20000, 7.0, 20000, 10.0, None),
}


def resolve(size: str, n_patches: int | None, n_landuse: int | None) -> SizeProfile:
    """Profile for ``size`` with optional count overrides (bench scale series)."""
    if size not in PROFILES:
        raise ValueError(f"unknown size {size!r}; expected one of {sorted(PROFILES)}")
    profile = PROFILES[size]
    if n_patches is not None:
        if n_patches < 10:
            raise ValueError("n_patches must be at least 10 (3 invalid + 2 re-issued per batch)")
        profile = dataclasses.replace(profile, n_patches=n_patches)
    if n_landuse is not None:
        if n_landuse < 500:
            raise ValueError("n_landuse must be at least 500")
        profile = dataclasses.replace(profile, n_landuse=n_landuse)
    return profile
