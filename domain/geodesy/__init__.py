"""Geodesy without Qt: official CGCS2000 ellipsoidal areas (GK zones live in ..crs)."""
from __future__ import annotations

from .area import CrsLike, ellipsoidal_area, ellipsoidal_areas, prepare_transformer
from .ellipsoid import ring_area_lonlat

__all__ = [
    "CrsLike",
    "ellipsoidal_area",
    "ellipsoidal_areas",
    "prepare_transformer",
    "ring_area_lonlat",
]
