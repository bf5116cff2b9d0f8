"""Geodesy without Qt: official CGCS2000 ellipsoidal areas and GK zones."""
from __future__ import annotations

from .area import CrsLike, ellipsoidal_area, ellipsoidal_areas
from .ellipsoid import ring_area_lonlat
from .zones import central_meridian, gk_epsg_for_longitude, gk_zone

__all__ = [
    "CrsLike",
    "central_meridian",
    "ellipsoidal_area",
    "ellipsoidal_areas",
    "gk_epsg_for_longitude",
    "gk_zone",
    "ring_area_lonlat",
]
