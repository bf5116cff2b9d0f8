"""CGCS2000 Gauss–Krüger zone and EPSG code for a longitude.

EPSG numbering (checked against the EPSG registry in the tests):
3° zones 25–45 (CM 75°E–135°E): 4513–4533 with zone prefix in the false
easting (n·10⁶ + 500 000), 4534–4554 without; 6° zones 13–23: 4491–4501
prefixed, 4502–4512 unprefixed.
"""
from __future__ import annotations

import math

_ZONES_3 = (25, 45)
_ZONES_6 = (13, 23)


def gk_zone(lon: float, six_degree: bool = False) -> int:
    """Zone number containing ``lon`` (degrees east); edges belong to the eastern zone."""
    zone = math.floor(lon / 6.0) + 1 if six_degree else math.floor((lon + 1.5) / 3.0)
    low, high = _ZONES_6 if six_degree else _ZONES_3
    if not low <= zone <= high:
        raise ValueError(f"longitude {lon} is outside the CGCS2000 GK zones {low}–{high}")
    return zone


def central_meridian(zone: int, six_degree: bool = False) -> float:
    """Central meridian (degrees east) of a zone."""
    return zone * 6.0 - 3.0 if six_degree else zone * 3.0


def gk_epsg_for_longitude(lon: float, prefixed: bool = True, six_degree: bool = False) -> int:
    """EPSG code of the CGCS2000 GK CRS whose zone contains ``lon``.

    永川 (≈105.9°E) gives 4523 (zone 35, prefixed) or 4544 (unprefixed).
    """
    zone = gk_zone(lon, six_degree)
    if six_degree:
        return (4491 if prefixed else 4502) + zone - _ZONES_6[0]
    return (4513 if prefixed else 4534) + zone - _ZONES_3[0]
