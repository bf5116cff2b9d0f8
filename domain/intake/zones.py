"""Does a delivery belong in the workspace's Gauss–Krüger zone?

Two different questions, both answered before anything is stored:

* A file **without a CRS** can only be read if its numbers plainly are
  coordinates of the workspace's zone. Prefixed GK eastings carry the zone
  number in front of the 500 km false easting (zone 35: 35 500 000 m at the
  central meridian), so 36 xxx xxx metres are zone 36 whatever the workspace
  says; such a file is refused, never stored as zone-36 numbers labelled 4523.
* A patch **far from the zone's central meridian** (CM) is projected with a
  growing scale error. Official areas are ellipsoidal (inverse-projected with
  PROJ) and stay right, but the workspace's planar geometry — map scale,
  boundary-point tables, planar checks — does not: see :data:`WARN_DEGREES`
  and :data:`REFUSE_DEGREES`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..messages import QT_TRANSLATE_NOOP, Message

ZONE_HALF_WIDTH = 1.5
"""A 3° zone spans its CM ± 1.5° of longitude."""

WARN_DEGREES = ZONE_HALF_WIDTH + 0.5
"""Warn per patch beyond 2.0° from the CM.

At the zone edge (1.5°, 29°N) GK's linear scale is 1.00026 and areal scale
1.00052 (+0.05 % planar area, measured with ``pyproj.Proj('EPSG:4523').get_factors``);
that is what 3° zones are designed to bound. Deliveries overlap the edge by
a few km (a district straddles it: 永川 reaches 106.0°E), so 0.5° of
tolerance keeps ordinary edge patches quiet; beyond it (areal scale 1.00093
at 2°) the patch belongs to the neighbouring zone and the user is told."""

REFUSE_DEGREES = 3.0
"""Refuse the delivery when a patch lies 3° or more from the CM.

At 3° the patch is on or past the neighbouring zone's central meridian: the
workspace zone is plainly the wrong one for it. The planar areal scale there
is 1.0021 (+0.21 %, linear 1.0010 = 1 m per km, 40× the 2.5 cm/km that
CJJ/T 8 allows for large-scale surveys), growing with the square of the
distance (+0.84 % at 6°, +2.3 % at 10°): areas read off the map, the printed
scale bar and boundary-point distances become wrong by per mille to percents.
The remedy is a workspace in the patch's own zone (WORKSPACE_CRS), not a
silently distorted import."""


@dataclass(frozen=True)
class GkZone:
    """A CGCS2000 Gauss–Krüger CRS's zone, as EPSG numbers it (see ``domain.crs``)."""

    zone: int
    central_meridian: float
    prefixed: bool

    @property
    def false_easting(self) -> float:
        return self.zone * 1_000_000.0 + 500_000.0 if self.prefixed else 500_000.0


def gk_zone_of_epsg(epsg: int) -> GkZone | None:
    """The zone of a CGCS2000 GK EPSG code (4491–4554), else None."""
    if 4513 <= epsg <= 4533:
        zone = epsg - 4488
        return GkZone(zone, zone * 3.0, True)
    if 4534 <= epsg <= 4554:
        zone = epsg - 4509
        return GkZone(zone, zone * 3.0, False)
    if 4491 <= epsg <= 4501:
        zone = epsg - 4478
        return GkZone(zone, zone * 6.0 - 3.0, True)
    if 4502 <= epsg <= 4512:
        zone = epsg - 4489
        return GkZone(zone, zone * 6.0 - 3.0, False)
    return None


def easting_prefix(x: float) -> int | None:
    """Zone number carried by a prefixed GK easting (36 581 000 → 36), else None."""
    if x < 1_000_000:
        return None
    return int(x // 1_000_000)


def unplaced_extent_reason(xmin: float, xmax: float, ymin: float, ymax: float, epsg: int) -> Message | None:
    """Why coordinates of a file without CRS cannot be read as the workspace CRS ``epsg``, or None.

    Accepted only when every coordinate fits the zone: a prefixed workspace
    needs the same prefix on every easting and at most 350 km either side of
    the CM (a 3° zone is ≤ 170 km wide at China's latitudes); northings are
    between the equator and 6 000 km (≈ 54°N, China's north tip).
    """
    zone = gk_zone_of_epsg(epsg)
    if zone is None:
        return Message(QT_TRANSLATE_NOOP(
            "domain", "EPSG:{epsg} is not a CGCS2000 Gauss-Kruger zone, so the coordinates cannot be checked against it."),
            epsg=epsg)
    if any(math.isnan(v) for v in (xmin, xmax, ymin, ymax)):
        return Message(QT_TRANSLATE_NOOP("domain", "the file has no coordinates to check."))
    low, high = easting_prefix(xmin), easting_prefix(xmax)
    if zone.prefixed and (low != zone.zone or high != zone.zone):
        found = sorted({p for p in (low, high) if p is not None})
        return Message(QT_TRANSLATE_NOOP(
            "domain", "its eastings {xmin:.0f}–{xmax:.0f} carry the false-easting prefix of zone {found}, not of the "
            "workspace's zone {zone} (EPSG:{epsg})"),
            xmin=xmin, xmax=xmax, found="/".join(map(str, found)) or "none", zone=zone.zone, epsg=epsg)
    offset = max(abs(xmin - zone.false_easting), abs(xmax - zone.false_easting))
    if offset > 350_000 or not 0 <= ymin <= ymax <= 6_000_000:
        return Message(QT_TRANSLATE_NOOP(
            "domain", "its coordinates x {xmin:.0f}–{xmax:.0f}, y {ymin:.0f}–{ymax:.0f} do not lie in the workspace's "
            "zone {zone} (EPSG:{epsg})"),
            xmin=xmin, xmax=xmax, ymin=ymin, ymax=ymax, zone=zone.zone, epsg=epsg)
    return None



def cannot_lie_in(xmin: float, xmax: float, ymin: float, ymax: float, epsg: int, geographic: bool) -> bool:
    """Whether coordinates declared in a CRS cannot lie in it (a wrong .prj), where the numbers can tell.

    A CGCS2000 Gauss-Kruger zone: as :func:`unplaced_extent_reason`; a
    geographic CRS: outside ±180° / ±90°. Any other CRS is left to the
    transformation (False here).
    """
    if gk_zone_of_epsg(epsg) is not None:
        return unplaced_extent_reason(xmin, xmax, ymin, ymax, epsg) is not None
    if geographic:
        return not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90)
    return False

@dataclass(frozen=True)
class ZoneDistance:
    """A patch centroid's place relative to the workspace zone's central meridian."""

    longitude: float
    degrees: float
    """|longitude − CM| in degrees."""
    km: float
    """Geodesic distance from the centroid to the CM at the same latitude, km."""


def distances_from_central_meridian(points: list[tuple[float, float]], epsg: int) -> list[ZoneDistance] | None:
    """Distance of each (x, y) in ``epsg`` from its zone's CM; None when ``epsg`` is no GK zone."""
    zone = gk_zone_of_epsg(epsg)
    if zone is None or not points:
        return None
    import pyproj  # local: only the intake needs PROJ here

    to_geographic = pyproj.Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4490", always_xy=True)
    lons, lats = to_geographic.transform([p[0] for p in points], [p[1] for p in points])
    geod = pyproj.Geod(ellps="GRS80")  # CGCS2000's ellipsoid (flattening differs in the 11th digit)
    cms = [zone.central_meridian] * len(points)
    _, _, metres = geod.inv(cms, list(lats), list(lons), list(lats))
    return [
        ZoneDistance(lon, abs(lon - zone.central_meridian), m / 1000.0)
        for lon, m in zip(lons, metres)
    ]


def workspace_epsg(path) -> int | None:
    """The CRS (EPSG code) an existing workspace file stores its patches in, else None.

    Read-only (no migration, no write lock): the QGIS algorithm needs it to
    transform a delivery straight into the workspace's CRS before anything
    else happens.
    """
    import sqlite3
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM wpzf_meta WHERE key = 'crs_epsg'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None  # not a workspace: Workspace.open says so with the proper message
    return int(row[0]) if row and str(row[0]).isdigit() else None


def reproject(records: list, from_epsg: int, to_epsg: int) -> list:
    """:class:`IncomingPatch` records with geometry transformed from ``from_epsg`` to ``to_epsg`` (x = easting)."""
    import numpy as np
    import pyproj
    import shapely

    from .patches import IncomingPatch

    transformer = pyproj.Transformer.from_crs(f"EPSG:{from_epsg}", f"EPSG:{to_epsg}", always_xy=True)

    def move(wkb: bytes | None) -> bytes | None:
        geom = None if wkb is None else shapely.from_wkb(wkb)
        if geom is None or geom.is_empty:
            return wkb
        moved = shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
        return shapely.to_wkb(moved)

    return [IncomingPatch(r.index, r.attributes, move(r.wkb)) for r in records]


def check_zone(prep, epsg: int) -> None:
    """Warn per patch beyond :data:`WARN_DEGREES` from the CM; refuse the delivery beyond :data:`REFUSE_DEGREES`.

    Warnings are added to ``prep.problems`` (kind "warning", per JCBH).
    Refusing the whole delivery, not only the far patches, is deliberate: a
    patch 3° out means the workspace zone is the wrong one for this delivery,
    and half a delivery in a batch is worse than none.
    """
    from .patches import IntakeError, Problem

    centroids = [p.geometry.centroid for p in prep.patches]
    distances = distances_from_central_meridian([(c.x, c.y) for c in centroids], epsg)
    if distances is None:
        return
    too_far = []
    for patch, where in zip(prep.patches, distances):
        if where.degrees >= REFUSE_DEGREES:
            too_far.append(f"{patch.jcbh} ({where.longitude:.3f}°E, {where.km:.1f} km)")
        elif where.degrees > WARN_DEGREES:
            prep.problems.append(Problem(patch.jcbh, patch.index, "warning", Message(
                QT_TRANSLATE_NOOP(
                    "domain", "Outside the workspace's zone: the centroid ({longitude:.3f}°E) is {km:.1f} km "
                    "({degrees:.2f}°) from the central meridian of EPSG:{epsg}; planar lengths and areas there "
                    "are distorted more than the zone allows."),
                longitude=where.longitude, km=where.km, degrees=where.degrees, epsg=epsg)))
    if too_far:
        shown = "; ".join(too_far[:20]) + (" …" if len(too_far) > 20 else "")
        raise IntakeError(
            QT_TRANSLATE_NOOP(
                "domain", "{count} patches lie {limit}° or more from the central meridian of the workspace CRS "
                "EPSG:{epsg}: {patches}. Nothing was imported; use a workspace in the patches' own zone "
                "(WORKSPACE_CRS)."),
            count=len(too_far), limit=REFUSE_DEGREES, epsg=epsg, patches=shown)
