"""Farmland occupation computed inside PostGIS, when patches and 三调 DLTB share one database.

Same definitions as the Python engine (domain/overlay/farmland.py), so the
numbers agree to 0.01 m² per patch:

- pieces = patch ∩ land-use polygon, in the patches' projected CRS (land use is
  transformed to it when its SRID differs); invalid polygons are repaired with
  ST_MakeValid and only their polygonal part is kept;
- overlapping land-use polygons are never counted twice: where pieces of one
  patch overlap, a piece keeps only what no earlier polygon (lower ``order``
  key, i.e. input order) already took — the engine's rule;
- basic farmland = area of patch ∩ union(basic-farmland polygons);
- areas are ellipsoidal on CGCS2000 (EPSG:4490). ``area="official"`` (default)
  runs the 国土调查 series of domain/geodesy/ellipsoid.py in SQL on the
  inverse-projected vertices, edges straight in (B, L) as the rule says — the
  engine's own method, so the two agree to float noise. ``area="geodesic"`` is
  ST_Area(ST_Transform(g, 4490)::geography, true): geodesic edges on the same
  ellipsoid; on the sample district it differs from the official figure by up
  to ≈0.013 m² per patch (long edges), just outside the 0.01 m² target;
- net = gross × (1 − KCXS); classes are DLBM normalised as the engine does
  (trimmed, upper case, a lost leading zero restored: 101 → 0101).

Nothing leaves the server but one row per patch.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...messages import QT_TRANSLATE_NOOP, WpzfError
from ..store import WorkspaceError

GEOGRAPHIC_SRID = 4490
"""CGCS2000 geographic: the ellipsoid of the official areas."""
PADDY, IRRIGATED, DRY = "0101", "0102", "0103"
MIN_PIECE_AREA = 1e-6  # m²; slivers the engine ignores too


class OverlaySqlError(WpzfError, ValueError):
    """A table or column the SQL overlay cannot use; the message names it."""


@dataclass(frozen=True)
class Table:
    """A polygon table in the database: qualified name, geometry column, key column."""

    name: str  # "schema.table" or "table"
    geom: str = "geom"
    key: str = "fid"

    def sql(self) -> str:
        return ".".join(_ident(part) for part in self.name.split(".", 1))


@dataclass(frozen=True)
class PatchOccupation:
    """One patch's figures in m² (``zgbl`` 0–1), as the engine's FarmlandOccupation row."""

    id: str
    tbmj: float
    gdtbmj: float
    gdmj: float
    sdmj: float
    sjdmj: float
    hdmj: float
    jbntmj: float
    zgbl: float


def _ident(name: str) -> str:
    if not name or "\x00" in name:
        raise OverlaySqlError(QT_TRANSLATE_NOOP("domain", "Invalid table or column name {name!r}."), name=name)
    return '"' + name.replace('"', '""') + '"'


def _valid(expr: str) -> str:
    """Repaired polygonal geometry, like the engine's ``repair`` (valid input untouched)."""
    return (f"CASE WHEN {expr} IS NULL THEN NULL WHEN ST_IsValid({expr}) THEN {expr} "
            f"ELSE ST_UnaryUnion(ST_CollectionExtract(ST_MakeValid({expr}), 3)) END")


OFFICIAL, GEODESIC = "official", "geodesic"
AREA_METHODS = (OFFICIAL, GEODESIC)


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


def _area(expr: str, method: str = OFFICIAL) -> str:
    if method == OFFICIAL:
        # transformed out here: PostGIS caches the PROJ pipeline per calling query, not inside a function
        return f"pg_temp.wpzf_official_area(ST_Transform({expr}, {GEOGRAPHIC_SRID}))"
    return (f"COALESCE(ST_Area(ST_Transform(ST_CollectionExtract({expr}, 3), {GEOGRAPHIC_SRID})::geography, true),"
            " 0)")


def _code(expr: str) -> str:
    text = f"upper(trim(({expr})::text))"
    return f"(CASE WHEN {text} ~ '^[0-9]{{3}}K?$' THEN '0' || {text} ELSE {text} END)"


def occupation_sql(patches: Table, id_column: str, landuse: Table, class_column: str,
                   deduction_column: str | None, basic: Table | None, farmland_codes: Iterable[str],
                   patch_filter: str | None = None, area: str = OFFICIAL) -> tuple[str, dict]:
    """The query and its parameters; one row per patch ordered by the patch key."""
    if area not in AREA_METHODS:
        raise OverlaySqlError(QT_TRANSLATE_NOOP("domain", "Unknown area method {method!r}; use {methods}."),
                              method=area, methods=", ".join(AREA_METHODS))
    codes = sorted({_normalise(c) for c in farmland_codes})
    kc = f"COALESCE(x.{_ident(deduction_column)}::double precision, 0)" if deduction_column else "0.0"
    where = f"WHERE {patch_filter}" if patch_filter else ""
    basic_cte = basic_join = ""
    basic_col = "0.0"
    if basic is not None:
        basic_cte = f""",
b AS (SELECT {_valid(f"ST_Transform(x.{_ident(basic.geom)}, (SELECT srid FROM srid))")} AS g
      FROM {basic.sql()} x),
jbnt AS (
  SELECT p.i, {_area("ST_Union(ST_CollectionExtract(ST_Intersection(p.g, b.g), 3))", area)} AS a
  FROM p JOIN b ON ST_Intersects(p.g, b.g) GROUP BY p.i)"""
        basic_join = "LEFT JOIN jbnt ON jbnt.i = p.i"
        basic_col = "COALESCE(jbnt.a, 0)"
    sql = f"""
WITH srid AS (SELECT ST_SRID({_ident(patches.geom)}) AS srid FROM {patches.sql()}
              WHERE {_ident(patches.geom)} IS NOT NULL LIMIT 1),
p AS (SELECT x.{_ident(patches.key)} AS i, x.{_ident(id_column)}::text AS id,
             {_valid(f"x.{_ident(patches.geom)}")} AS g
      FROM {patches.sql()} x {where}),
l AS (SELECT x.{_ident(landuse.key)} AS k, {_code(f"x.{_ident(class_column)}")} AS code,
             {kc} AS kcxs,
             {_valid(f"ST_Transform(x.{_ident(landuse.geom)}, (SELECT srid FROM srid))")} AS g
      FROM {landuse.sql()} x),
pieces AS (
  SELECT p.i, l.k, l.code, l.kcxs, ST_CollectionExtract(ST_Intersection(p.g, l.g), 3) AS g
  FROM p JOIN l ON ST_Intersects(p.g, l.g)),
resolved AS (  -- first in input order wins where land-use polygons overlap inside a patch
  SELECT a.i, a.code, a.kcxs,
         COALESCE((SELECT ST_Difference(a.g, ST_Union(e.g)) FROM pieces e
                   WHERE e.i = a.i AND e.k < a.k AND ST_Relate(a.g, e.g, '2********')
                   HAVING count(*) > 0), a.g) AS g
  FROM pieces a),
measured AS (SELECT i, code, kcxs, {_area("g", area)} AS gross FROM resolved),
kept AS (SELECT * FROM measured WHERE gross > {MIN_PIECE_AREA}),
per_patch AS (
  SELECT i,
    sum(gross) FILTER (WHERE code = ANY(%(codes)s)) AS gdtbmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = ANY(%(codes)s)) AS gdmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = '{PADDY}') AS sdmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = '{IRRIGATED}') AS sjdmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = '{DRY}') AS hdmj
  FROM kept GROUP BY i){basic_cte}
SELECT p.id, {_area("p.g", area)} AS tbmj, COALESCE(pp.gdtbmj, 0), COALESCE(pp.gdmj, 0), COALESCE(pp.sdmj, 0),
       COALESCE(pp.sjdmj, 0), COALESCE(pp.hdmj, 0), {basic_col}
FROM p LEFT JOIN per_patch pp ON pp.i = p.i {basic_join}
ORDER BY p.i"""
    return sql, {"codes": codes}


def _normalise(code: str) -> str:
    text = str(code).strip().upper()
    digits = text[:-1] if text.endswith("K") else text
    return "0" + text if digits.isdigit() and len(digits) == 3 else text


def farmland_occupation_sql(conn, patches: Table, landuse: Table, basic: Table | None = None, *,
                            id_column: str = "JCBH", class_column: str = "DLBM",
                            deduction_column: str | None = "KCXS",
                            farmland_codes: Iterable[str] = (PADDY, IRRIGATED, DRY),
                            patch_filter: str | None = None, area: str = OFFICIAL) -> list[PatchOccupation]:
    """Per-patch farmland occupation computed by the server (psycopg2 connection ``conn``).

    ``patch_filter`` is an SQL condition on the patch table aliased ``x``
    (e.g. ``x.batch_id = 2``), written by the caller, never by a user.
    """
    sql, params = occupation_sql(patches, id_column, landuse, class_column, deduction_column, basic,
                                 farmland_codes, patch_filter, area)
    import psycopg2

    try:
        with conn.cursor() as cur:
            if area == OFFICIAL:
                cur.execute(official_area_function_sql())
            cur.execute(sql, params)
            rows = cur.fetchall()
        conn.commit()
    except psycopg2.Error as exc:
        conn.rollback()
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The farmland overlay in the database failed: {reason}"),
                             reason=str(exc).strip()) from exc
    out = []
    for pid, tbmj, gdtbmj, gdmj, sdmj, sjdmj, hdmj, jbntmj in rows:
        out.append(PatchOccupation(pid, tbmj, gdtbmj, gdmj, sdmj, sjdmj, hdmj, jbntmj,
                                   gdtbmj / tbmj if tbmj > 0 else 0.0))
    return out
