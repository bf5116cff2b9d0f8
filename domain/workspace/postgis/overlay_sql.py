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
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Optional

from ...messages import QT_TRANSLATE_NOOP
from ...overlay.landclass import (
    CLASS_FIELD,
    DEDUCTION_FIELD,
    FARMLAND_CODES,
    area_class,
    deduction_class,
    normalize_code,
)
from ...progress import CancelCheck, Canceled, ProgressCallback, run_chunks
from ...workspace.patch_fields import ID_FIELD
from ..store import WorkspaceError
from .cancel_watch import CancelWatcher
from .overlay_sql_terms import (  # noqa: F401 - ELLIPSOIDAL, PLANAR, SERIES, Table: this module's interface too
    BOX_MARGIN,
    ELLIPSOIDAL,
    EQUAL_AREA_SRID,
    GEOGRAPHIC_SRID,
    PLANAR,
    SERIES,
    SQL_AREA_METHODS,
    ClassArea,
    LayerCounts,
    OverlayChunk,
    OverlaySqlError,
    PatchOccupation,
    Table,
    coefficient_sql,
    ident,
    official_area_function_sql,
)
from .overlay_statements import OverlayStatements

CHUNK_SIZE = 200
"""Patches per chunk: progress and cancel between chunks, a few seconds each at most."""


class SqlFarmlandOverlay(OverlayStatements):
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
        self._watcher = CancelWatcher([conn], None)

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
        watcher = self._watcher = CancelWatcher([self.conn], is_canceled)
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
            self._watcher = CancelWatcher([self.conn], None)

    @staticmethod
    def _connect(connect: Callable[[], Any]):
        import psycopg2

        try:
            return connect()
        except psycopg2.Error as exc:
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The farmland overlay in the database failed: {reason}"),
                                 reason=str(exc).strip()) from exc

    def _helper(self, conn, watcher: CancelWatcher) -> SqlFarmlandOverlay:
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
