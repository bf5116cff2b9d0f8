"""Boundary points (界址点) J1…Jn of a patch, as a coordinate table lists them.

Surveying tables in China give X = northing and Y = easting (the CGCS2000
Gauss–Krüger CRSs such as EPSG:4523 declare northing first), while QGIS and
shapely hold (x = easting, y = northing): the swap happens here, once.

Numbering follows the 勘测定界 habit: every outer ring runs clockwise from its
north-west-most vertex; holes run counter-clockwise from theirs; numbers carry
on across rings and parts. The closing vertex is not repeated and repeated
consecutive vertices count once, so there is one row per corner on the ground.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Ring = Sequence[Sequence[float]]  # (easting, northing[, …]) per vertex
Polygon = Sequence[Ring]  # outer ring first, then holes


@dataclass(frozen=True)
class BoundaryPoint:
    """One row of the coordinate table."""

    label: str  # "J1"
    x: float  # northing (m)
    y: float  # easting (m), with the zone prefix if the CRS has one
    part: int  # 1-based polygon part
    ring: int  # 0 = outer ring, 1… = holes
    edge: float  # distance to the next point of the same ring (m)


def polygons_of(geom: Any) -> list[list[list[tuple[float, float]]]]:
    """Rings of a shapely Polygon/MultiPolygon as plain (easting, northing) lists."""
    parts = getattr(geom, "geoms", None)
    polygons = list(parts) if parts is not None else [geom]
    out = []
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings = [polygon.exterior, *polygon.interiors]
        out.append([[(float(c[0]), float(c[1])) for c in ring.coords] for ring in rings])
    return out


def _clean(ring: Ring) -> list[tuple[float, float]]:
    """Vertices without the closing repeat and without consecutive duplicates."""
    points: list[tuple[float, float]] = []
    for vertex in ring:
        point = (float(vertex[0]), float(vertex[1]))
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[-1] == points[0]:
        points.pop()
    return points


def _signed_area(points: list[tuple[float, float]]) -> float:
    """Shoelace area: positive when the ring runs counter-clockwise (east = right, north = up)."""
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))


def _oriented(points: list[tuple[float, float]], clockwise: bool) -> list[tuple[float, float]]:
    """Ring in the wanted direction, starting at its north-west-most vertex."""
    if points and (_signed_area(points) < 0) != clockwise:
        points = points[::-1]
    start = max(range(len(points)), key=lambda i: (points[i][1] - points[i][0], points[i][1], -points[i][0]))
    return points[start:] + points[:start]


def boundary_points(polygons: Sequence[Polygon], prefix: str = "J") -> list[BoundaryPoint]:
    """Numbered boundary points of all rings of all parts, in table order."""
    rows: list[BoundaryPoint] = []
    for part, polygon in enumerate(polygons, start=1):
        for ring_index, ring in enumerate(polygon):
            points = _clean(ring)
            if len(points) < 3:
                continue
            points = _oriented(points, clockwise=ring_index == 0)
            for i, (east, north) in enumerate(points):
                nxt = points[(i + 1) % len(points)]
                rows.append(BoundaryPoint(f"{prefix}{len(rows) + 1}", north, east, part, ring_index,
                                          math.hypot(nxt[0] - east, nxt[1] - north)))
    return rows
