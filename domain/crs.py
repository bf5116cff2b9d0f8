"""CGCS2000 Gauss–Krüger zone choice: the workspace CRS that 三调 data uses."""
from __future__ import annotations

from .messages import QT_TRANSLATE_NOOP, WpzfError

CGCS2000_GEOGRAPHIC = 4490
_PREFIXED_ZONE_BASE = 4488  # zone 25 → EPSG:4513 … zone 45 → EPSG:4533
_UNPREFIXED_ZONE_BASE = 4509  # zone 25 → EPSG:4534 … zone 45 → EPSG:4554
MIN_ZONE, MAX_ZONE = 25, 45


class CrsError(WpzfError, ValueError):
    """Raised when no CGCS2000 3° zone fits the data."""


def gk3_zone_for_longitude(longitude: float) -> int:
    """3° zone number whose central meridian (3n °E) is nearest ``longitude``."""
    zone = int(round(longitude / 3.0))
    if not MIN_ZONE <= zone <= MAX_ZONE:
        raise CrsError(
            QT_TRANSLATE_NOOP("domain", "Longitude {longitude:.4f}°E is outside China's CGCS2000 3° zones 25–45 (73.5°E–136.5°E)."),
            longitude=longitude,
        )
    return zone


def gk3_epsg(zone: int, prefixed: bool = True) -> int:
    """EPSG code of CGCS2000 3° zone ``zone`` (prefixed: false easting n·10⁶ + 500 000)."""
    if not MIN_ZONE <= zone <= MAX_ZONE:
        raise CrsError(QT_TRANSLATE_NOOP("domain", "3° zone {zone} is not a CGCS2000 zone (25–45)."), zone=zone)
    return (_PREFIXED_ZONE_BASE if prefixed else _UNPREFIXED_ZONE_BASE) + zone


def gk3_epsg_for_longitude(longitude: float, prefixed: bool = True) -> int:
    """EPSG code of the 3° zone for data centred at ``longitude`` (永川 → 4523)."""
    return gk3_epsg(gk3_zone_for_longitude(longitude), prefixed)


def gk3_zone_of_epsg(epsg: int) -> int | None:
    """Zone number of a CGCS2000 3° EPSG code, or None if it is not one."""
    if _PREFIXED_ZONE_BASE + MIN_ZONE <= epsg <= _PREFIXED_ZONE_BASE + MAX_ZONE:
        return epsg - _PREFIXED_ZONE_BASE
    if _UNPREFIXED_ZONE_BASE + MIN_ZONE <= epsg <= _UNPREFIXED_ZONE_BASE + MAX_ZONE:
        return epsg - _UNPREFIXED_ZONE_BASE
    return None


def srs_definition(epsg: int) -> tuple[str, str]:
    """(name, WKT1) of an EPSG CRS, for the GeoPackage's gpkg_spatial_ref_sys."""
    from pyproj import CRS  # local: only workspace creation needs PROJ

    crs = CRS.from_epsg(epsg)
    return crs.name, crs.to_wkt("WKT1_GDAL")
