"""Official ellipsoidal areas of shapely geometries in a CGCS2000 CRS.

Layers arrive in a Gauss–Krüger CRS (EPSG:4491–4554) or in EPSG:4490. All
vertices of all geometries are inverse-projected to (B, L) in ONE pyproj call
and the official series (:mod:`.ellipsoid`) is summed per ring with
``np.bincount``: per-geometry Python loops would dominate the overlay engine,
which measures hundreds of thousands of pieces.

Axis order: the GK CRSs declare northing first, but QGIS and shapely hold
x = easting, y = northing. The transformer is built with ``always_xy=True`` so
it takes exactly that (easting, northing) and returns (lon, lat).
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Union

import numpy as np
import pyproj
import shapely

from .ellipsoid import edge_terms

CrsLike = Union[int, str, pyproj.CRS]

_POLYGON = 3
_COLLECTIONS = (4, 5, 6, 7)  # Multi* and GeometryCollection
_local = threading.local()


def _transformer(crs: CrsLike) -> pyproj.Transformer:
    """Per-thread cached transformer to EPSG:4490 (pyproj objects are not thread-safe)."""
    cache = getattr(_local, "transformers", None)
    if cache is None:
        cache = _local.transformers = {}
    key = f"EPSG:{crs}" if isinstance(crs, (int, np.integer)) else crs
    if key not in cache:
        cache[key] = pyproj.Transformer.from_crs(key, "EPSG:4490", always_xy=True)
    return cache[key]


def prepare_transformer(crs: CrsLike) -> None:
    """Create this thread's transformer for ``crs`` now.

    Called before forking overlay workers: each worker inherits it ready to
    use, so no child process opens the PROJ database, whose locks another
    thread of the parent (QGIS renders with PROJ) might hold at fork time.
    """
    _transformer(crs)


def _polygon_parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Explode to Polygons (through nested collections), with owner indices.

    Non-polygonal members (lines, points from overlay results) carry no area and
    are dropped here rather than asking callers to clean them first.
    """
    owner = np.arange(geoms.size)
    parts = geoms
    while True:
        types = shapely.get_type_id(parts)
        if not np.isin(types, _COLLECTIONS).any():
            break
        parts, index = shapely.get_parts(parts, return_index=True)
        owner = owner[index]
    keep = (shapely.get_type_id(parts) == _POLYGON) & ~shapely.is_empty(parts)
    return parts[keep], owner[keep]


def _ring_sums(lon: np.ndarray, lat: np.ndarray, ring_of_vertex: np.ndarray,
               n_rings: int) -> np.ndarray:
    """Σ of the official edge series per ring (signed, m²); inputs in radians."""
    if ring_of_vertex.size == 0:
        return np.zeros(n_rings)
    starts = np.flatnonzero(np.r_[True, ring_of_vertex[1:] != ring_of_vertex[:-1]])
    ring_lon0 = np.zeros(n_rings)
    ring_lon0[ring_of_vertex[starts]] = lon[starts]
    same = ring_of_vertex[1:] == ring_of_vertex[:-1]
    ring = ring_of_vertex[:-1][same]
    i = np.flatnonzero(same)
    terms = edge_terms(lat[i], lon[i], lat[i + 1], lon[i + 1], ring_lon0[ring])
    return np.bincount(ring, weights=terms, minlength=n_rings)


def ellipsoidal_areas(geoms: Union[Sequence[Any], np.ndarray], crs: CrsLike) -> np.ndarray:
    """Official CGCS2000 ellipsoidal area (m²) of each geometry, in input order.

    ``geoms``: shapely Polygons, MultiPolygons or collections (non-polygonal
    parts ignored; None/empty → 0) whose x = easting, y = northing in ``crs``
    (an EPSG code, authority string, WKT or pyproj.CRS). Rings are taken as
    straight lines between vertices in (B, L), as the official rule does.
    """
    arr = np.asarray(geoms, dtype=object)
    flat = arr.reshape(-1)
    result = np.zeros(flat.size)
    polys, owner = _polygon_parts(flat)
    if polys.size == 0:
        return result.reshape(arr.shape)
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    exterior = np.r_[True, ring_poly[1:] != ring_poly[:-1]]
    xy, ring_of_vertex = shapely.get_coordinates(rings, return_index=True)
    lon, lat = _transformer(crs).transform(xy[:, 0], xy[:, 1])
    lon, lat = np.radians(lon), np.radians(lat)
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise ValueError(f"coordinates cannot be inverse-projected from {crs!r}")
    ring_area = np.abs(_ring_sums(lon, lat, ring_of_vertex, rings.size))
    signed = np.where(exterior, ring_area, -ring_area)
    poly_area = np.bincount(ring_poly, weights=signed, minlength=polys.size)
    result += np.bincount(owner, weights=poly_area, minlength=flat.size)
    return result.reshape(arr.shape)


def ellipsoidal_area(geom: Any, crs: CrsLike) -> float:
    """Official ellipsoidal area (m²) of a single geometry."""
    return float(ellipsoidal_areas([geom], crs)[0])
