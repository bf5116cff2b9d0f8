"""The SQL pieces of the farmland overlay in PostGIS: tables, result rows, identifiers and expressions.

Pure text building (no connection): quoting, repair, areas by method, class
codes and coefficients normalised as the Python engine does. The queries and
their execution are in :mod:`.overlay_sql`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ...messages import QT_TRANSLATE_NOOP, WpzfError
from ...overlay.geometry import ELLIPSOIDAL, GEODESIC, PLANAR

GEOGRAPHIC_SRID = 4490
"""CGCS2000 geographic: the ellipsoid of the official areas."""
MIN_PIECE_AREA = 1e-6  # m²; slivers the engine ignores too
OVERLAP_TOLERANCE = 1e-6  # m²; as domain/overlay/overlaps.py
BOX_MARGIN = {False: 1.0, True: 1e-5}
"""Widening (projected: m, geographic: °) of a patch box transformed to another SRID: its edges bend."""

SQL_AREA_METHODS = (ELLIPSOIDAL, GEODESIC, PLANAR)
"""What the SQL engine measures by: the engines' methods (domain/overlay/geometry.py) and PostGIS's geodesic."""


class OverlaySqlError(WpzfError, ValueError):
    """A table or column the SQL overlay cannot use; the message names it."""


@dataclass(frozen=True)
class Table:
    """A polygon table in the database: name, geometry column, key column, optional row filter.

    ``name`` is ``"schema.table"`` or ``"table"``, unless ``schema`` is given
    (then ``name`` is the bare table name, dots and all). ``where`` is an SQL
    condition on the table's own columns, such as a QGIS layer's subset
    string: only rows passing it take part.
    """

    name: str
    geom: str = "geom"
    key: str = "fid"
    where: Optional[str] = None
    schema: Optional[str] = None

    def sql(self) -> str:
        if self.schema is not None:
            return f"{ident(self.schema)}.{ident(self.name)}"
        return ".".join(ident(part) for part in self.name.split(".", 1))

    def source(self) -> str:
        """The FROM item: the table, or the subquery of its rows that pass ``where``.

        For statements run with parameters: a ``%`` in ``where`` is doubled.
        """
        if not self.where or not self.where.strip():
            return self.sql()
        return f"(SELECT * FROM {self.sql()} WHERE ({self.where.replace('%', '%%')}))"


@dataclass(frozen=True)
class PatchOccupation:
    """One patch's figures in m² (``zgbl`` 0–1), as the engine's FarmlandOccupation row.

    ``key`` is the patch's key column value, ``wfgmj`` the area no land-use
    polygon covers, ``repaired`` whether its geometry was invalid and repaired;
    ``jbntgdmj`` net farmland inside basic farmland; ``fgnydmj``/``jsydmj``/
    ``wlydmj`` the rest of the 地块面积 split and ``unclassified`` the gross
    area of classes in none of the broad classes (see domain/overlay/farmland.py).
    """

    id: Optional[str]
    tbmj: float
    gdtbmj: float
    gdmj: float
    sdmj: float
    sjdmj: float
    hdmj: float
    jbntmj: float
    zgbl: float
    key: Any = None
    wfgmj: float = 0.0
    repaired: bool = False
    jbntgdmj: float = 0.0
    fgnydmj: float = 0.0
    jsydmj: float = 0.0
    wlydmj: float = 0.0
    unclassified: float = 0.0


@dataclass(frozen=True)
class ClassArea:
    """Area of one land class inside one patch: gross and net of KCXS (m²)."""

    key: Any
    dlbm: str
    gross: float
    net: float


@dataclass(frozen=True)
class OverlayChunk:
    """What one chunk of patches yields, patches and class rows in key order."""

    patches: list[PatchOccupation]
    breakdown: list[ClassArea]
    landuse_repaired: frozenset
    """Keys of invalid land-use polygons these patches met (repaired and used)."""
    landuse_dropped: frozenset = frozenset()
    """Keys of land-use polygons these patches met that had no area left after repair."""
    no_code: frozenset = frozenset()
    """Keys of land-use polygons without a class code (NULL or blank DLBM) that gave a patch area."""
    basic_repaired: frozenset = frozenset()
    basic_dropped: frozenset = frozenset()
    """Keys of basic-farmland polygons these patches met: repaired / no area left after repair."""


@dataclass(frozen=True)
class LayerCounts:
    """One overlay table as a whole: features, those near the patches, keys of those with no geometry."""

    features: int
    in_extent: int
    no_geometry: tuple


def ident(name: str) -> str:
    if not name or "\x00" in name:
        raise OverlaySqlError(QT_TRANSLATE_NOOP("domain", "Invalid table or column name {name!r}."), name=name)
    # statements run with parameters, so a % is doubled
    return '"' + name.replace('"', '""').replace("%", "%%") + '"'


def needs_repair(expr: str) -> str:
    """True where the engine's ``repair`` changes the geometry: invalid or not polygonal, and not empty."""
    return (f"({expr} IS NOT NULL AND NOT ST_IsEmpty({expr}) AND NOT "
            f"(ST_GeometryType({expr}) IN ('ST_Polygon', 'ST_MultiPolygon') AND ST_IsValid({expr})))")


def repaired_sql(expr: str) -> str:
    return f"ST_UnaryUnion(ST_CollectionExtract(ST_MakeValid({expr}), 3))"


def official_area_function_sql() -> str:
    """A session-local SQL function with the official series (constants from domain/geodesy).

    Its argument is already in EPSG:4490 (x = longitude, y = latitude, degrees).
    """
    from ...geodesy.ellipsoid import B_AXIS, SERIES_A, SERIES_B, SERIES_C, SERIES_D, SERIES_E

    bracket = (f"{SERIES_A!r} * sin(0.5 * dlat) * cos(mlat) - {SERIES_B!r} * sin(1.5 * dlat) * cos(3 * mlat)"
               f" + {SERIES_C!r} * sin(2.5 * dlat) * cos(5 * mlat) - {SERIES_D!r} * sin(3.5 * dlat) * cos(7 * mlat)"
               f" + {SERIES_E!r} * sin(4.5 * dlat) * cos(9 * mlat)")
    return f"""
CREATE OR REPLACE FUNCTION pg_temp.wpzf_official_area(lonlat geometry) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  part geometry; ring record; lons double precision[]; lats double precision[];
  total double precision := 0; s double precision; dlat double precision; mlat double precision;
  dlon double precision; i integer;
BEGIN
  FOR part IN SELECT (ST_Dump(ST_CollectionExtract(lonlat, 3))).geom LOOP
    FOR ring IN SELECT r.path[1] AS k, ST_ExteriorRing(r.geom) AS line FROM ST_DumpRings(part) r LOOP
      SELECT array_agg(radians(ST_X(d.geom)) ORDER BY d.path[1]), array_agg(radians(ST_Y(d.geom)) ORDER BY d.path[1])
        INTO lons, lats FROM ST_DumpPoints(ring.line) d;
      s := 0;
      FOR i IN 2 .. coalesce(array_length(lons, 1), 0) LOOP
        dlat := lats[i] - lats[i - 1];
        mlat := 0.5 * (lats[i] + lats[i - 1]);
        dlon := 0.5 * (lons[i] + lons[i - 1]) - lons[1];
        s := s + 2.0 * {B_AXIS!r} ^ 2 * dlon * ({bracket});
      END LOOP;
      total := total + CASE WHEN ring.k = 0 THEN abs(s) ELSE -abs(s) END;
    END LOOP;
  END LOOP;
  RETURN total;
END $fn$;
"""


EQUAL_AREA_SRID = 6933
"""EPSG:6933, cylindrical equal-area (PostGIS ships it): the fast road to the official area."""
SERIES = "series"
"""Internal area method: the official series in PL/pgSQL (when EPSG:6933 is missing, and for tests)."""


def area_sql(expr: str, method: str = ELLIPSOIDAL) -> str:
    """SQL of the area (m²) of geometry ``expr`` (working SRID) by ``method``.

    ``ellipsoidal`` (official): the official series telescopes — sin(kΔB/2)·cos(kBm) = (sin kB2 − sin kB1)/2 —
    so a ring's official area is b² × the shoelace area of its vertices in (L, G(B)), G the
    integral of the ellipsoid's area element cos B/(1 − e² sin² B)² as a series. A cylindrical
    equal-area projection maps (L, B) to exactly (a·L·k, a²(1 − e²)/(a·k) × that integral) and
    keeps straight edges straight between those vertices, so the planar area of the projected
    polygon is the official area: the only differences are the series' truncation (≈1e-11) and
    WGS 84's ellipsoid against CGCS2000's (same a, 1/f differs in the 9th digit, ≈3e-11; the
    datum shift is PROJ's null ballpark one). Measured: ≤ 1e-5 m² per polygon, 17× faster than
    the series in PL/pgSQL (:data:`SERIES`).
    """
    if method == ELLIPSOIDAL:
        return f"COALESCE(ST_Area(ST_Transform({expr}, {EQUAL_AREA_SRID})), 0)"
    if method == SERIES:
        # transformed out here: PostGIS caches the PROJ pipeline per calling query, not inside a function
        return f"COALESCE(pg_temp.wpzf_official_area(ST_Transform({expr}, {GEOGRAPHIC_SRID})), 0)"
    if method == PLANAR:
        return f"COALESCE(ST_Area(ST_CollectionExtract({expr}, 3)), 0)"
    return (f"COALESCE(ST_Area(ST_Transform(ST_CollectionExtract({expr}, 3), {GEOGRAPHIC_SRID})::geography, true),"
            " 0)")


def code_sql(expr: str) -> str:
    """DLBM normalised in SQL as domain/overlay/landclass.normalize_code does in Python; missing → ''."""
    text = f"regexp_replace(upper(trim(({expr})::text)), '^([0-9]+)\\.0+$', '\\1')"
    return f"COALESCE(CASE WHEN {text} ~ '^[0-9]{{3}}K?$' THEN '0' || {text} ELSE {text} END, '')"


def coefficient_sql(expr: str) -> str:
    """KCXS as a number; missing, empty text and NaN → 0 (as the engine)."""
    return f"COALESCE(NULLIF(NULLIF(trim(({expr})::text), ''), 'NaN')::double precision, 0)"

