"""CGCS2000 Gauss–Krüger zones: which projected CRS a district's data belongs in.

EPSG numbering (checked against the EPSG registry in the tests):
3° zones 25–45 (CM 75°E–135°E): 4513–4533 with the zone prefix in the false
easting (n·10⁶ + 500 000), 4534–4554 without; 6° zones 13–23: 4491–4501
prefixed, 4502–4512 unprefixed. 永川 (≈105.9°E) → zone 35 → EPSG:4523.
"""
from __future__ import annotations

import math

from .messages import QT_TRANSLATE_NOOP, WpzfError

CGCS2000_GEOGRAPHIC = 4490
_ZONES_3 = (25, 45)
_ZONES_6 = (13, 23)


class CrsError(WpzfError, ValueError):
    """No CGCS2000 Gauss–Krüger zone fits the data."""


def gk_zone(lon: float, six_degree: bool = False) -> int:
    """Zone number containing ``lon`` (degrees east); edges belong to the eastern zone."""
    zone = math.floor(lon / 6.0) + 1 if six_degree else math.floor((lon + 1.5) / 3.0)
    low, high = _ZONES_6 if six_degree else _ZONES_3
    if not low <= zone <= high:
        raise CrsError(
            QT_TRANSLATE_NOOP("domain", "Longitude {longitude:.4f}°E is outside the CGCS2000 Gauss-Kruger zones {low}–{high}."),
            longitude=lon, low=low, high=high,
        )
    return zone


def central_meridian(zone: int, six_degree: bool = False) -> float:
    """Central meridian (degrees east) of a zone."""
    return zone * 6.0 - 3.0 if six_degree else zone * 3.0


def gk_epsg_for_longitude(lon: float, prefixed: bool = True, six_degree: bool = False) -> int:
    """EPSG code of the CGCS2000 GK CRS whose zone contains ``lon`` (3° zones by default)."""
    zone = gk_zone(lon, six_degree)
    if six_degree:
        return (4491 if prefixed else 4502) + zone - _ZONES_6[0]
    return (4513 if prefixed else 4534) + zone - _ZONES_3[0]


def srs_definition(epsg: int) -> tuple[str, str]:
    """(name, WKT1) of an EPSG CRS, for the GeoPackage's gpkg_spatial_ref_sys."""
    from pyproj import CRS  # local: only workspace creation needs PROJ

    crs = CRS.from_epsg(epsg)
    return crs.name, crs.to_wkt("WKT1_GDAL")
