"""Geometry preparation shared by the overlay statistics.

Invalid polygons (self-intersecting bow-ties, duplicated rings) make GEOS
overlay raise or return garbage, and skipping them would silently drop area
from a report, so they are repaired with ``make_valid`` and only their
polygonal parts are kept (the lines and points ``make_valid`` may add carry no
area and would only confuse later overlays).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Optional, Union

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon

from ..geodesy import CrsLike, ellipsoidal_areas, prepare_transformer

AreaFunction = Callable[[np.ndarray], np.ndarray]
Geometries = Union[Sequence[Any], np.ndarray]

#: Snap-rounding grid (m) used only to retry an overlay GEOS could not node.
SNAP_GRID = 1e-6

# Area methods, named once for both engines (domain/overlay and the PostGIS SQL engine).
PLANAR = "planar"
"""Plane area in the working projected CRS."""
ELLIPSOIDAL = "ellipsoidal"
"""The official CGCS2000 ellipsoid formula (domain/geodesy): what reports use."""
GEODESIC = "geodesic"
"""PostGIS ``ST_Area(geography)`` on the ellipsoid: the SQL engine only, to compare against the official one."""
AREA_METHODS = (ELLIPSOIDAL, PLANAR)
"""The methods both engines offer, in the order of the algorithms' AREA_METHOD choice."""
_POLYGONAL = (3, 6)  # Polygon, MultiPolygon
_EMPTY = Polygon()


def polygonal_part(geom: Any) -> Any:
    """The polygonal content of a (repaired) geometry as a valid Polygon/MultiPolygon.

    make_valid can return polygons that share an edge; as one MultiPolygon they
    would be invalid again, so such parts are dissolved.
    """
    parts = shapely.get_parts(geom)
    while np.isin(shapely.get_type_id(parts), (4, 5, 6, 7)).any():
        parts = shapely.get_parts(parts)
    polygons = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        return _EMPTY
    result = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    return result if result.is_valid else polygonal_part(shapely.union_all(polygons))


def repair(geoms: Geometries) -> tuple[np.ndarray, np.ndarray]:
    """Return (valid polygonal geometries, mask of the ones that were changed).

    None becomes an empty polygon (area 0, still gets its result row); valid
    Polygons/MultiPolygons are returned as they are, untouched.
    """
    arr = np.array(geoms, dtype=object).reshape(-1)
    missing = shapely.is_missing(arr)
    arr[missing] = _EMPTY
    needs = ~shapely.is_valid(arr) | ~np.isin(shapely.get_type_id(arr), _POLYGONAL)
    needs &= ~shapely.is_empty(arr)
    for i in np.flatnonzero(needs):
        arr[i] = polygonal_part(shapely.make_valid(arr[i]))
    return arr, needs


def robust(op: Callable[..., Any], *args: Any) -> Any:
    """Element-wise shapely overlay ``op(*args)``, retrying failures with snap rounding.

    One near-degenerate pair raising a TopologyException must not abort a
    district-wide run: a failed vectorised call is redone element by element
    and only the failing elements are snapped to :data:`SNAP_GRID`.
    """
    try:
        return op(*args)
    except GEOSException:
        if all(np.ndim(a) == 0 for a in args):
            return op(*args, grid_size=SNAP_GRID)
        out = np.empty(np.shape(args[0]), dtype=object)
        for i, row in enumerate(zip(*args)):
            out[i] = robust(op, *row)
        return out


def robust_union_all(geoms: np.ndarray) -> Any:
    """``shapely.union_all`` with the same snap-rounding retry as :func:`robust`."""
    try:
        return shapely.union_all(geoms)
    except GEOSException:
        return shapely.union_all(geoms, grid_size=SNAP_GRID)


def patch_ids(ids: Optional[Sequence[Any]], n: int) -> np.ndarray:
    """Caller's patch ids (object array) or 0..n−1; the count must match the patches."""
    if ids is None:
        return np.arange(n)
    values = list(ids)
    arr = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):  # one by one: tuple ids must stay single cells
        arr[i] = value
    if arr.size != n:
        raise ValueError(f"{arr.size} ids for {n} patches")
    return arr


def area_function(method: str, crs: Optional[CrsLike] = None) -> AreaFunction:
    """Vectorised area (m²) by ``method``: 'ellipsoidal' (official, needs crs) or 'planar'."""
    if method == PLANAR:
        return lambda geoms: np.nan_to_num(shapely.area(geoms))
    if method == ELLIPSOIDAL:
        if crs is None:
            raise ValueError("ellipsoidal areas need the layer CRS")
        prepare_transformer(crs)  # here, in the thread that may fork the overlay workers
        return lambda geoms: ellipsoidal_areas(geoms, crs)
    raise ValueError(f"unknown area method {method!r}; use '{ELLIPSOIDAL}' or '{PLANAR}'")
