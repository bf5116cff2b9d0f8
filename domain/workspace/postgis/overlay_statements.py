"""The SQL text of the PostGIS farmland overlay: pieces, overlaps, areas, per-patch figures (no I/O).

:class:`~.overlay_sql.SqlFarmlandOverlay` runs these statements chunk by
chunk; they are built here from its tables, columns, working SRID and area
method, so what the server computes can be read in one place (the
definitions are the Python engine's, see ``overlay_sql``'s docstring).
"""
from __future__ import annotations

from typing import Optional

from ...overlay.landclass import DRY, IRRIGATED, PADDY
from .overlay_sql_terms import (
    BOX_MARGIN,
    MIN_PIECE_AREA,
    OVERLAP_TOLERANCE,
    Table,
    area_sql,
    code_sql,
    coefficient_sql,
    ident,
    needs_repair,
    repaired_sql,
)


class OverlayStatements:
    """Builds the overlay's statements; the attributes are set by :class:`~.overlay_sql.SqlFarmlandOverlay`."""

    patches: Table
    landuse: Table
    basic: Optional[Table]
    id_column: Optional[str]
    class_column: str
    deduction_column: Optional[str]
    patch_filter: Optional[str]
    _method: str
    _srids: dict[str, int]

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
