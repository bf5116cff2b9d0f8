"""Farmland occupation computed inside PostGIS, when patches and 三调 DLTB share one database.

Same definitions as the Python engine (domain/overlay/farmland.py), so the
numbers agree to 0.01 m² per patch:

- every geometry operation runs in one working SRID (the caller passes the
  one the Python engine would use; default: the patches' own SRID); tables in
  another SRID are transformed to it; invalid polygons are repaired with
  ST_MakeValid and only their polygonal part is kept (a repaired patch is
  flagged, like the engine's XFBZ);
- pieces = patch ∩ land-use polygon; where pieces of one patch overlap, a
  piece keeps only what no earlier polygon (lower key, i.e. input order)
  already took — the engine's rule, checked only for patches whose pieces do
  not add up to the patch (a tiling such as DLTB never needs it);
- pieces of ≤ 1e-6 m² are ignored; uncovered area (WFGMJ) = TBMJ − Σ gross,
  clipped at 0, where the planar areas show a gap in the land use (else 0:
  float noise of the official formula is no gap); basic farmland = area of patch ∩ union(basic-farmland
  polygons): pieces that do not overlap are measured one by one and added
  up, as the engine does (same vertices, same official area);
- areas: ``ellipsoidal`` (default; the official figure) is the 国土调查 series of
  domain/geodesy/ellipsoid.py, edges straight in (B, L) as the rule says,
  computed as ST_Area in the cylindrical equal-area EPSG:6933 (see
  :func:`area_sql` for why that is the same number, ≤ 1e-5 m² per polygon;
  the series itself runs in PL/pgSQL, 17× slower, where EPSG:6933 is
  missing); ``planar`` is ST_Area in the working SRID (which must be
  projected); ``geodesic`` is ST_Area(geography): geodesic edges on the same
  ellipsoid, ≈0.013 m² per patch off the official figure on the sample district;
- net = gross × (1 − KCXS); classes are DLBM normalised as the engine does
  (trimmed, upper case, ``101.0`` → ``101``, a lost leading zero restored);
- net farmland inside basic farmland (JBNTGDMJ) = Σ over the farmland pieces
  of area(piece ∩ basic farmland) × (1 − KCXS), the basic farmland being the
  patch's basic pieces where they do not overlap (a piece equal to one of
  them is not cut again: it is wholly inside) and their union where they do;
- the 地块面积 split (FGNYDMJ, JSYDMJ, WLYDMJ) is linear in each class's
  gross and net area, so it is summed from the per-class rows here, with the
  engine's table (domain/overlay/landclass.area_class).

Performance: candidates are found with ``raw geometry && patch box`` (the box
transformed to the table's own SRID and widened by a metre), so the GiST index
on the table's geometry column answers them; only those candidates are
transformed, repaired and tested exactly. Patches are measured in chunks of
key ranges, optionally on several connections at once; the measured pieces of
a chunk live in a TEMP table aggregated per patch and per patch × class, and
only those aggregates leave the server. JIT compilation is switched off: it
costs more than the statements.
"""
from __future__ import annotations

import copy
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Optional

from ...messages import QT_TRANSLATE_NOOP
from ...overlay.landclass import (
    CLASS_FIELD,
    DEDUCTION_FIELD,
    DRY,
    FARMLAND_CODES,
    IRRIGATED,
    PADDY,
    area_class,
    deduction_class,
    normalize_code,
)
from ...progress import CancelCheck, Canceled, ProgressCallback, run_chunks
from ...workspace.patch_fields import ID_FIELD
from ..store import WorkspaceError
from .overlay_sql_terms import (  # noqa: F401 - ELLIPSOIDAL, PLANAR, SERIES, Table: this module's interface too
    BOX_MARGIN,
    ELLIPSOIDAL,
    EQUAL_AREA_SRID,
    GEODESIC,
    GEOGRAPHIC_SRID,
    MIN_PIECE_AREA,
    OVERLAP_TOLERANCE,
    PLANAR,
    SERIES,
    SQL_AREA_METHODS,
    ClassArea,
    LayerCounts,
    OverlayChunk,
    OverlaySqlError,
    PatchOccupation,
    Table,
    area_sql,
    code_sql,
    coefficient_sql,
    ident,
    needs_repair,
    official_area_function_sql,
    repaired_sql,
)

CHUNK_SIZE = 200
"""Patches per chunk: progress and cancel between chunks, a few seconds each at most."""


class _CancelWatcher:
    """Cancels the running statements (``conn.cancel()``) as soon as ``is_canceled()`` turns true.

    Polls from its own thread, so a long statement stops within a fraction of
    a second instead of at the next chunk; ``conns`` are all the connections
    a run uses.
    """

    def __init__(self, conns: list, is_canceled: Optional[CancelCheck], interval: float = 0.2) -> None:
        self.conns, self.is_canceled, self.interval = conns, is_canceled, interval
        self.fired = False
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def __enter__(self) -> _CancelWatcher:
        if self.is_canceled is not None:
            self._thread = threading.Thread(target=self._watch, name="wpzf-sql-cancel", daemon=True)
            self._thread.start()
        return self

    def _watch(self) -> None:
        is_canceled = self.is_canceled
        assert is_canceled is not None  # the thread is started only with a check
        while not self._stop.wait(self.interval):
            if is_canceled():
                self.fired = True
                for conn in list(self.conns):
                    conn.cancel()
                return

    def check(self) -> None:
        """Raise :class:`Canceled` once the watcher has seen a cancel (any thread may ask)."""
        if self.fired:
            raise Canceled()

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


class SqlFarmlandOverlay:
    """Farmland occupation of the patches of ``patches`` in the database of ``conn`` (psycopg2).

    ``srid``: the working SRID (default: the patches'); ``area`` one of
    :data:`SQL_AREA_METHODS`; ``patch_filter`` an extra SQL condition on the patch
    table aliased ``x``, written by the caller, never by a user.
    """

    def __init__(self, conn, patches: Table, landuse: Table, basic: Optional[Table] = None, *,
                 id_column: Optional[str] = ID_FIELD, class_column: str = CLASS_FIELD,
                 deduction_column: Optional[str] = DEDUCTION_FIELD,
                 farmland_codes: Iterable[str] = FARMLAND_CODES, area: str = ELLIPSOIDAL,
                 srid: Optional[int] = None, patch_filter: Optional[str] = None) -> None:
        if area not in SQL_AREA_METHODS + (SERIES,):
            raise OverlaySqlError(QT_TRANSLATE_NOOP("domain", "Unknown area method {method!r}; use {methods}."),
                                  method=area, methods=", ".join(SQL_AREA_METHODS))
        self.conn, self.patches, self.landuse, self.basic = conn, patches, landuse, basic
        self.id_column, self.class_column, self.deduction_column = id_column, class_column, deduction_column
        self.codes = sorted({normalize_code(c) for c in farmland_codes})
        self.area, self.srid, self.patch_filter = area, srid, patch_filter
        self._method = area  # how the SQL measures: the official area goes by SERIES without EPSG:6933
        self._srids: dict[str, int] = {}
        self._ready = False
        self._watcher = _CancelWatcher([conn], None)

    # -- set-up --------------------------------------------------------------------------------------

    def _table_srid(self, cur, table: Table) -> Optional[int]:
        cur.execute(f"SELECT ST_SRID(x.{ident(table.geom)}) FROM {table.sql()} x "
                    f"WHERE x.{ident(table.geom)} IS NOT NULL LIMIT 1", {})
        row = cur.fetchone()
        return None if row is None else int(row[0])

    def _is_geographic(self, cur, srid: int) -> bool:
        cur.execute("SELECT srtext, proj4text FROM spatial_ref_sys WHERE srid = %s", (srid,))
        row = cur.fetchone()
        if row is None:
            raise OverlaySqlError(QT_TRANSLATE_NOOP("domain", "SRID {srid} is not known to the database."),
                                  srid=srid)
        srtext, proj4 = (row[0] or "").lstrip().upper(), (row[1] or "")
        return srtext.startswith("GEOG") or "+proj=longlat" in proj4 or "+proj=latlong" in proj4

    def _prepare(self) -> None:
        """Work out the SRIDs, check the deduction coefficients, create the area function (once)."""
        if self._ready:
            return
        with self.conn.cursor() as cur:
            patch_srid = self._table_srid(cur, self.patches)
            srid = int(self.srid) if self.srid else patch_srid or GEOGRAPHIC_SRID
            if srid <= 0:
                raise OverlaySqlError(QT_TRANSLATE_NOOP("domain", "SRID {srid} is not known to the database."),
                                      srid=srid)
            if self.area == PLANAR and self._is_geographic(cur, srid):
                raise OverlaySqlError(QT_TRANSLATE_NOOP(
                    "domain", "Planar areas need a projected working CRS; SRID {srid} is geographic."), srid=srid)
            self._srids = {"work": srid, "patches": patch_srid or srid}
            for name, table in (("landuse", self.landuse), ("basic", self.basic)):
                if table is not None:
                    own = self._table_srid(cur, table) or srid
                    self._srids[name] = own
                    self._srids[name + "_geographic"] = int(own != srid and self._is_geographic(cur, own))
            self._check_coefficients(cur)
            if self._method == ELLIPSOIDAL:
                cur.execute("SELECT count(*) FROM spatial_ref_sys WHERE srid = %s", (EQUAL_AREA_SRID,))
                if not cur.fetchone()[0]:
                    self._method = SERIES
            if self._method == SERIES:
                cur.execute(official_area_function_sql())
        self.conn.commit()
        self._ready = True

    def unindexed_tables(self) -> list[Table]:
        """Land-use / basic-farmland tables whose geometry column has no spatial index (views not checked).

        Their candidates cannot come from an index: every patch would scan the whole table.
        """
        found = []
        with self.conn.cursor() as cur:
            for table in (self.landuse, self.basic):
                if table is None:
                    continue
                cur.execute("""
SELECT c.relkind IN ('r', 'p', 'm') AND NOT EXISTS (
  SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
  WHERE i.indrelid = c.oid AND am.amname IN ('gist', 'spgist', 'brin') AND a.attname = %(geom)s)
FROM pg_class c WHERE c.oid = %(table)s::regclass""", {"geom": table.geom, "table": table.sql().replace("%%", "%")})
                if cur.fetchone()[0]:
                    found.append(table)
        self.conn.rollback()
        return found

    def _check_coefficients(self, cur) -> None:
        """Refuse a KCXS outside 0–1 anywhere in the land use, as the engine does (naming the polygon)."""
        if not self.deduction_column:
            return
        x = self.landuse
        cur.execute(f"SELECT k::text, v FROM (SELECT x.{ident(x.key)} AS k, "
                    f"{coefficient_sql('x.' + ident(self.deduction_column))} AS v FROM {x.source()} x) q "
                    "WHERE v < 0 OR v > 1 LIMIT 1", {})
        row = cur.fetchone()
        if row is not None:
            raise OverlaySqlError(QT_TRANSLATE_NOOP(
                "domain", "Land-use polygon {key} of {table}: deduction coefficient {value} is outside 0–1."),
                key=row[0], table=x.name, value=row[1])

    # -- statements ----------------------------------------------------------------------------------

    def _to_work(self, expr: str, table: str) -> str:
        """``expr`` (a geometry of ``table``) in the working SRID."""
        work = self._srids["work"]
        return expr if self._srids[table] == work else f"ST_Transform({expr}, {work})"

    def _box(self, expr: str, table: str) -> str:
        """The patch's box in ``table``'s own SRID, for the GiST index of its raw geometry column."""
        own, work = self._srids[table], self._srids["work"]
        if own == work:
            return f"ST_Envelope({expr})"
        margin = BOX_MARGIN[bool(self._srids[table + "_geographic"])]
        return f"ST_Expand(ST_Transform(ST_Envelope({expr}), {own}), {margin!r})"

    def _patch_sql(self) -> str:
        p = self.patches
        id_expr = f"x.{ident(self.id_column)}::text" if self.id_column else "NULL::text"
        extra = f" AND ({self.patch_filter})" if self.patch_filter else ""
        boxes = f", {self._box('q.g', 'landuse')} AS lbox"
        if self.basic is not None:
            boxes += f", {self._box('q.g', 'basic')} AS bbox"
        return f"""
CREATE TEMP TABLE wpzf_patch ON COMMIT DROP AS
SELECT q.i, q.id, q.repaired, q.g, {area_sql('q.g', self._method)} AS tbmj, COALESCE(ST_Area(q.g), 0) AS planar{boxes}
FROM (SELECT x.{ident(p.key)} AS i, {id_expr} AS id, c.bad AS repaired,
             CASE WHEN c.bad THEN {repaired_sql('t.g')} ELSE t.g END AS g
      FROM {p.source()} x
      CROSS JOIN LATERAL (SELECT {self._to_work(f"x.{ident(p.geom)}", "patches")} AS g OFFSET 0) t
      CROSS JOIN LATERAL (SELECT {needs_repair('t.g')} AS bad OFFSET 0) c
      WHERE x.{ident(p.key)} BETWEEN %(lo)s AND %(hi)s{extra}
      OFFSET 0) q"""

    def _candidates(self, which: str, box: str, columns: str) -> str:
        """LATERAL subquery: rows of table ``which`` whose raw geometry box meets ``box``, transformed, repaired."""
        table = self.landuse if which == "landuse" else self._basic_table()
        return f"""(
  SELECT {columns}c.bad AS repaired, r.g AS g, c.bad AND ST_IsEmpty(r.g) AS dropped
  FROM {table.source()} x
  CROSS JOIN LATERAL (SELECT {self._to_work(f"x.{ident(table.geom)}", which)} AS g OFFSET 0) t
  CROSS JOIN LATERAL (SELECT {needs_repair('t.g')} AS bad OFFSET 0) c
  CROSS JOIN LATERAL (SELECT CASE WHEN c.bad THEN {repaired_sql('t.g')} ELSE t.g END AS g OFFSET 0) r
  WHERE x.{ident(table.geom)} && {box}
  OFFSET 0)"""

    def _pieces_sql(self) -> str:
        lu = self.landuse
        kc = coefficient_sql(f"x.{ident(self.deduction_column)}") if self.deduction_column else "0.0::double precision"
        columns = (f"x.{ident(lu.key)} AS k, {code_sql('x.' + ident(self.class_column))} AS code, "
                   f"{kc} AS kcxs, ")
        return f"""
CREATE TEMP TABLE wpzf_piece ON COMMIT DROP AS
SELECT s.i, s.k, s.code, s.kcxs, s.lrep, s.ldrop, s.g, COALESCE(ST_Area(s.g), 0) AS planar
FROM (SELECT p.i, l.k, l.code, l.kcxs, l.repaired AS lrep, l.dropped AS ldrop,
             ST_CollectionExtract(ST_Intersection(p.g, l.g), 3) AS g
      FROM wpzf_patch p
      CROSS JOIN LATERAL {self._candidates('landuse', 'p.lbox', columns)} l
      -- repaired candidates stay (as empty pieces, measured 0) to be counted, as the engine counts them
      WHERE l.repaired OR ST_Intersects(p.g, l.g)
      OFFSET 0) s"""

    # patches whose pieces may overlap: more than one piece and not adding up to the patch (as the
    # engine: a tiling such as DLTB never overlaps where its pieces fill the patch exactly)
    SUSPECT_SQL = f"""
SELECT w.i FROM wpzf_piece w JOIN wpzf_patch p ON p.i = w.i
GROUP BY w.i, p.planar
HAVING count(*) > 1 AND abs(sum(w.planar) - p.planar) > {OVERLAP_TOLERANCE!r} + 1e-9 * sum(w.planar)"""

    # of those, the ones whose pieces really overlap: Σ areas exceeds the area of their union
    OVERLAPPING_SQL = f"""
SELECT w.i FROM wpzf_piece w WHERE w.i = ANY(%(suspects)s)
GROUP BY w.i
HAVING sum(w.planar) - ST_Area(ST_Union(w.g)) > {OVERLAP_TOLERANCE!r} + 1e-9 * sum(w.planar)"""

    # first in key order wins: a piece keeps only what no earlier piece of its patch (as cut, before
    # this update) took — the engine's rule, applied to every piece of an overlapping patch
    RESOLVE_SQL = """
UPDATE wpzf_piece a SET g = ST_CollectionExtract(ST_Difference(a.g, o.taken), 3)
FROM (SELECT b.i, b.k, ST_Union(e.g ORDER BY e.k) AS taken
      FROM wpzf_piece b JOIN wpzf_piece e ON e.i = b.i AND e.k < b.k
      WHERE b.i = ANY(%(overlapping)s)
      GROUP BY b.i, b.k) o
WHERE a.i = o.i AND a.k = o.k"""

    def _measured_sql(self) -> str:
        return f"""
CREATE TEMP TABLE wpzf_measured ON COMMIT DROP AS
SELECT m.i, m.k, m.code, m.kcxs, m.gross, m.planar FROM (
  SELECT w.i, w.k, w.code, w.kcxs, {area_sql('w.g', self._method)} AS gross, COALESCE(ST_Area(w.g), 0) AS planar
  FROM wpzf_piece w) m
WHERE m.gross > {MIN_PIECE_AREA!r}"""

    def _per_patch_sql(self) -> str:
        basic_cte = basic_join = ""
        basic_col = farmland_basic_col = "0.0::double precision"
        if self.basic is not None:
            # a patch's basic-farmland pieces that do not overlap (more than float noise; the usual case:
            # basic farmland is drawn from the 三调 polygons) are measured one by one and added up, as the
            # engine does; the others are united first, in key order. Vertices differ between the two, and
            # so, by float noise, do the official areas.
            key = f"x.{ident(self.basic.key)} AS k, "
            area = area_sql("jp.g", self._method)
            basic_cte = f""",
jp AS MATERIALIZED (
  SELECT q.i, q.k, q.g, ST_Area(q.g) AS planar FROM (
    SELECT p.i, b.k, ST_CollectionExtract(ST_Intersection(p.g, b.g), 3) AS g
    FROM wpzf_patch p CROSS JOIN LATERAL {self._candidates('basic', 'p.bbox', key)} b
    WHERE ST_Intersects(p.g, b.g) OFFSET 0) q),
jo AS (SELECT a.i FROM jp a JOIN jp e ON e.i = a.i AND e.k < a.k AND e.g && a.g
       WHERE ST_Relate(a.g, e.g, '2********')
       GROUP BY a.i
       HAVING sum(ST_Area(ST_Intersection(a.g, e.g))) >
              {OVERLAP_TOLERANCE!r} + 1e-9 * (SELECT sum(t.planar) FROM jp t WHERE t.i = a.i)),
ju AS MATERIALIZED (SELECT jp.i, ST_Union(jp.g ORDER BY jp.k) AS g FROM jp WHERE jp.i IN (SELECT i FROM jo)
                   GROUP BY jp.i),
jb AS (SELECT jp.i, sum({area}) AS a FROM jp WHERE jp.i NOT IN (SELECT i FROM jo) GROUP BY jp.i
       UNION ALL
       SELECT ju.i, {area_sql("ju.g", self._method)} FROM ju),
jc AS (SELECT jp.i, jp.g FROM jp WHERE jp.i NOT IN (SELECT i FROM jo) UNION ALL SELECT ju.i, ju.g FROM ju),
jg AS (SELECT m.i, sum(CASE WHEN ST_OrderingEquals(w.g, c.g) THEN m.gross
                            ELSE {area_sql("ST_CollectionExtract(ST_Intersection(w.g, c.g), 3)", self._method)}
                       END * (1 - m.kcxs)) AS a
       FROM wpzf_measured m JOIN wpzf_piece w ON w.i = m.i AND w.k = m.k
       JOIN jc c ON c.i = m.i AND c.g && w.g
       WHERE m.code = ANY(%(codes)s)
       GROUP BY m.i)"""
            basic_join = "LEFT JOIN jb ON jb.i = p.i LEFT JOIN jg ON jg.i = p.i"
            basic_col = f"CASE WHEN jb.a > {MIN_PIECE_AREA!r} THEN jb.a ELSE 0 END"
            farmland_basic_col = "COALESCE(jg.a, 0)"
        return f"""
WITH pp AS (
  SELECT i, sum(gross) AS covered, sum(planar) AS covered_planar,
    sum(gross) FILTER (WHERE code = ANY(%(codes)s)) AS gdtbmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = ANY(%(codes)s)) AS gdmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = '{PADDY}') AS sdmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = '{IRRIGATED}') AS sjdmj,
    sum(gross * (1 - kcxs)) FILTER (WHERE code = '{DRY}') AS hdmj
  FROM wpzf_measured GROUP BY i){basic_cte}
SELECT p.i, p.id, p.tbmj, COALESCE(pp.gdtbmj, 0), COALESCE(pp.gdmj, 0), COALESCE(pp.sdmj, 0),
       COALESCE(pp.sjdmj, 0), COALESCE(pp.hdmj, 0), {basic_col}, COALESCE(pp.covered, 0), p.repaired,
       {farmland_basic_col},
       -- a gap in the land use, decided on planar areas as the engine does (uncovered_area)
       p.planar - COALESCE(pp.covered_planar, 0) > {OVERLAP_TOLERANCE!r} + 1e-9 * p.planar
FROM wpzf_patch p LEFT JOIN pp ON pp.i = p.i {basic_join}
ORDER BY p.i"""

    BREAKDOWN_SQL = """
SELECT i, code, sum(gross), sum(gross * (1 - kcxs)) FROM wpzf_measured GROUP BY i, code ORDER BY i, code"""
    REPAIRED_SQL = "SELECT DISTINCT k, ldrop FROM wpzf_piece WHERE lrep"
    NO_CODE_SQL = "SELECT DISTINCT k FROM wpzf_measured WHERE code = ''"

    def _basic_table(self) -> Table:
        """The basic-farmland table; only SQL built when ``basic`` was given asks for it."""
        if self.basic is None:
            raise ValueError("no basic-farmland table in this overlay")
        return self.basic

    def _basic_repaired_sql(self) -> str:
        """Basic-farmland polygons near this chunk's patches that needed repair: (key, nothing left)."""
        key = f"x.{ident(self._basic_table().key)} AS k, "
        return (f"SELECT DISTINCT b.k, b.dropped FROM wpzf_patch p "
                f"CROSS JOIN LATERAL {self._candidates('basic', 'p.bbox', key)} b WHERE b.repaired")

    def layer_counts(self) -> dict[str, LayerCounts]:
        """'landuse' (and 'basic') → features, features in the patches' extent, keys without geometry.

        A table that is empty or lies wholly outside the patches makes every
        coverage 0; the caller says so instead of reporting silent zeros.
        """
        self._prepare()
        p = self.patches
        extra = f" WHERE ({self.patch_filter})" if self.patch_filter else ""
        extent = f"(SELECT ST_SetSRID(ST_Extent(x.{ident(p.geom)})::geometry, {self._srids['patches']}) " \
                 f"FROM {p.source()} x{extra})"
        found = {}

        def read(cur):
            for which, table in (("landuse", self.landuse), ("basic", self.basic)):
                if table is None:
                    continue
                own = self._srids[which]
                box = extent if own == self._srids["patches"] else \
                    f"ST_Expand(ST_Transform({extent}, {own}), {BOX_MARGIN[bool(self._srids[which + '_geographic'])]!r})"
                g = f"x.{ident(table.geom)}"
                self._execute(cur, f"SELECT count(*), count(*) FILTER (WHERE {g} && e.box), "
                                   f"array_agg(x.{ident(table.key)}::text ORDER BY x.{ident(table.key)}) "
                                   f"FILTER (WHERE {g} IS NULL OR ST_IsEmpty({g})) "
                                   f"FROM {table.source()} x CROSS JOIN (SELECT {box} AS box) e")
                total, near, missing = cur.fetchone()
                found[which] = LayerCounts(int(total), int(near or 0), tuple(missing or ()))

        self._guarded(read)
        return found

    # -- running -------------------------------------------------------------------------------------

    def _execute(self, cur, sql: str, params: Optional[dict] = None) -> None:
        self._watcher.check()
        cur.execute(sql, {} if params is None else params)  # always formatted: see Table.source

    def _guarded(self, action):
        """Run ``action(cursor)`` in one transaction; database errors → WorkspaceError, a cancel → Canceled."""
        import psycopg2

        try:
            with self.conn.cursor() as cur:
                result = action(cur)
            self.conn.commit()
            return result
        except psycopg2.Error as exc:
            self.conn.rollback()
            if self._watcher.fired:  # set before the watcher cancels the statement
                raise Canceled() from exc
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The farmland overlay in the database failed: {reason}"),
                                 reason=str(exc).strip()) from exc
        except BaseException:
            self.conn.rollback()
            raise

    def keys(self) -> list:
        """Keys of the patches to measure (``where`` and ``patch_filter`` applied), in key order."""
        p = self.patches
        extra = f" WHERE ({self.patch_filter})" if self.patch_filter else ""

        def read(cur):
            self._execute(cur, f"SELECT x.{ident(p.key)} FROM {p.source()} x{extra} ORDER BY 1")
            return [row[0] for row in cur.fetchall()]

        return self._guarded(read)

    def measure(self, keys: Sequence) -> OverlayChunk:
        """Figures of the patches whose keys run from ``keys[0]`` to ``keys[-1]`` (a run of :meth:`keys`)."""
        if not len(keys):
            return OverlayChunk([], [], frozenset())
        self._prepare()
        bounds = {"lo": keys[0], "hi": keys[-1], "codes": self.codes}

        def run(cur):
            # the plans cost enough for JIT compilation, which takes longer (≈0.5 s a statement) than
            # running them: PostGIS functions gain nothing from it
            self._execute(cur, "SET LOCAL jit = off")
            self._execute(cur, self._patch_sql(), bounds)
            self._execute(cur, "ANALYZE wpzf_patch")  # the candidate join is planned on its true size
            self._execute(cur, self._pieces_sql())
            self._execute(cur, self.SUSPECT_SQL)
            suspects = [row[0] for row in cur.fetchall()]
            if suspects:
                self._execute(cur, self.OVERLAPPING_SQL, {"suspects": suspects})
                overlapping = [row[0] for row in cur.fetchall()]
                if overlapping:
                    self._execute(cur, self.RESOLVE_SQL, {"overlapping": overlapping})
            self._execute(cur, self._measured_sql())
            self._execute(cur, self._per_patch_sql(), bounds)
            rows = cur.fetchall()
            self._execute(cur, self.BREAKDOWN_SQL)
            classes = [ClassArea(i, code, gross, net) for i, code, gross, net in cur.fetchall()]
            self._execute(cur, self.REPAIRED_SQL)
            repaired = cur.fetchall()
            self._execute(cur, self.NO_CODE_SQL)
            no_code = frozenset(row[0] for row in cur.fetchall())
            basic_repaired = []
            if self.basic is not None:
                self._execute(cur, self._basic_repaired_sql())
                basic_repaired = cur.fetchall()
            return rows, classes, repaired, no_code, basic_repaired

        rows, classes, repaired, no_code, basic_repaired = self._guarded(run)
        split = self._split(classes)
        patches = [PatchOccupation(pid, tbmj, gdtbmj, gdmj, sdmj, sjdmj, hdmj, jbntmj,
                                   gdtbmj / tbmj if tbmj > 0 else 0.0, key, max(tbmj - covered, 0.0) if gap else 0.0,
                                   bool(bad), jbntgdmj, **split.get(key, {}))
                   for key, pid, tbmj, gdtbmj, gdmj, sdmj, sjdmj, hdmj, jbntmj, covered, bad, jbntgdmj, gap in rows]
        return OverlayChunk(patches, classes, frozenset(k for k, _ in repaired),
                            frozenset(k for k, gone in repaired if gone), no_code,
                            frozenset(k for k, _ in basic_repaired), frozenset(k for k, gone in basic_repaired if gone))

    def _split(self, classes: list[ClassArea]) -> dict:
        """Patch key → fgnydmj, jsydmj, wlydmj, unclassified (m²) from its per-class gross and net areas.

        Each class's net goes to its identity field and its 田坎 deduction
        (gross − net) to 非耕农用地, as the engine adds them piece by piece.
        """
        farm = frozenset(self.codes)
        found: dict = {}
        for row in classes:
            split = found.setdefault(row.key, {"fgnydmj": 0.0, "jsydmj": 0.0, "wlydmj": 0.0, "unclassified": 0.0})
            field = area_class(row.dlbm, farm)
            if not field:
                split["unclassified"] += row.gross
                continue
            if field != "GDMJ":  # GDMJ comes from the statement, as before
                split[field.lower()] += row.net
            split[deduction_class(row.dlbm, farm).lower()] += row.gross - row.net
        return found

    def run(self, chunk_size: int = CHUNK_SIZE, progress: Optional[ProgressCallback] = None,
            is_canceled: Optional[CancelCheck] = None, workers: int = 1,
            connect: Optional[Callable[[], Any]] = None) -> list[OverlayChunk]:
        """Every patch, chunk by chunk, in key order.

        ``progress(fraction)`` after each chunk and ``is_canceled()`` between
        chunks are called on this thread; a watcher thread also polls
        ``is_canceled()`` and cancels the running statements. ``workers`` > 1
        with ``connect`` (a psycopg2 connection factory): that many
        connections measure chunks side by side (one server process each).
        Raises :class:`~...progress.Canceled` (the transactions of running
        chunks are rolled back; nothing is kept in the database).
        """
        if chunk_size < 1:
            raise ValueError("chunk size must be at least 1")
        watcher = self._watcher = _CancelWatcher([self.conn], is_canceled)
        helpers: list[SqlFarmlandOverlay] = []
        try:
            with watcher:
                keys = self.keys()
                chunks = -(-len(keys) // chunk_size)
                if chunks:
                    self._prepare()
                if connect is not None:
                    for _ in range(min(workers, chunks) - 1):
                        helpers.append(self._helper(self._connect(connect), watcher))
                idle: queue.SimpleQueue = queue.SimpleQueue()
                for overlay in [self, *helpers]:
                    idle.put(overlay)

                def work(part: slice) -> OverlayChunk:
                    overlay = idle.get()  # a connection no other thread is using
                    try:
                        return overlay.measure(keys[part])
                    finally:
                        idle.put(overlay)

                return run_chunks(len(keys), chunk_size, work, progress, is_canceled, workers=1 + len(helpers))
        finally:
            for helper in helpers:
                helper.conn.close()
            self._watcher = _CancelWatcher([self.conn], None)

    @staticmethod
    def _connect(connect: Callable[[], Any]):
        import psycopg2

        try:
            return connect()
        except psycopg2.Error as exc:
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The farmland overlay in the database failed: {reason}"),
                                 reason=str(exc).strip()) from exc

    def _helper(self, conn, watcher: _CancelWatcher) -> SqlFarmlandOverlay:
        """This overlay on another connection (set up already: SRIDs, checks), sharing ``watcher``."""
        helper = copy.copy(self)
        helper.conn, helper._watcher = conn, watcher
        watcher.conns.append(conn)
        if self._method == SERIES:
            helper._guarded(lambda cur: cur.execute(official_area_function_sql()))
        return helper

    def explain(self, keys: Sequence) -> str:
        """EXPLAIN of the candidate statements (land use, basic farmland) for a run of keys; nothing is kept."""
        self._prepare()
        bounds = {"lo": keys[0], "hi": keys[-1], "codes": self.codes}
        try:
            with self.conn.cursor() as cur:
                cur.execute("SET LOCAL jit = off")
                cur.execute(self._patch_sql(), bounds)
                cur.execute("ANALYZE wpzf_patch")
                plans = []
                cur.execute("EXPLAIN " + self._pieces_sql(), {})
                plans += [row[0] for row in cur.fetchall()]
                cur.execute(self._pieces_sql(), {})
                cur.execute(self._measured_sql(), {})
                cur.execute("EXPLAIN " + self._per_patch_sql(), bounds)
                plans += [row[0] for row in cur.fetchall()]
            return "\n".join(plans)
        finally:
            self.conn.rollback()


def farmland_occupation_sql(conn, patches: Table, landuse: Table, basic: Optional[Table] = None, *,
                            id_column: Optional[str] = ID_FIELD, class_column: str = CLASS_FIELD,
                            deduction_column: Optional[str] = DEDUCTION_FIELD,
                            farmland_codes: Iterable[str] = FARMLAND_CODES,
                            patch_filter: Optional[str] = None, area: str = ELLIPSOIDAL,
                            srid: Optional[int] = None) -> list[PatchOccupation]:
    """Per-patch farmland occupation computed by the server (psycopg2 connection ``conn``), in key order."""
    overlay = SqlFarmlandOverlay(conn, patches, landuse, basic, id_column=id_column, class_column=class_column,
                                 deduction_column=deduction_column, farmland_codes=farmland_codes, area=area,
                                 srid=srid, patch_filter=patch_filter)
    return [p for chunk in overlay.run() for p in chunk.patches]
