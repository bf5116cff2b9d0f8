"""Filling a GeoPackage output table with SQL in bulk instead of feature by feature.

Writing 10^4–10^5 result features through a Processing sink costs a Python
round trip per feature and per attribute — in the farmland overlay it took
as long as the overlay workers. When an output is a plain GeoPackage file,
QGIS still creates it (so the schema, the CRS and the "load layer on
completion" are exactly those of a sink), the sink is closed empty, and the
rows are inserted here with ``sqlite3``:

- :class:`TableAppender` appends plain rows (the BREAKDOWN table);
- :class:`PatchCopier` copies each patch's geometry and input columns
  straight from the patches' own GeoPackage (attached to the connection), in
  input order, adding the computed columns — the same values a sink would
  write, but SQLite does the copying.

The GeoPackage R-tree triggers call the ST_* functions GDAL normally
provides; the workspace's codec (``domain/workspace/gpkg_codec.py``) registers
them and reads and relabels the geometry blobs here too. Feature count and
extent in the GeoPackage tables of contents are brought up to date on
:meth:`close`.
"""
from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

from ..domain.workspace import gpkg, gpkg_codec

_POLYGON_TYPES = {3: 6, 1003: 1006, 2003: 2006, 3003: 3006}  # ISO WKB polygon → multipolygon


class BulkWriteError(RuntimeError):
    """The table is not one this module can fill (the caller writes through the sink instead)."""


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class GpkgTable:
    """A table of a GeoPackage file."""

    path: str
    table: str


def find_table(path: str, layer_name: Optional[str]) -> Optional[GpkgTable]:
    """The table ``layer_name`` of the GeoPackage ``path`` (its only table if no name), or None."""
    if not path.lower().endswith(".gpkg") or not Path(path).is_file():
        return None
    with gpkg.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")]
    if layer_name:
        match = [n for n in names if n.lower() == layer_name.lower()]
        return GpkgTable(path, match[0]) if len(match) == 1 else None
    return GpkgTable(path, names[0]) if len(names) == 1 else None


def multipolygon_sql(column: str, srs_id: int) -> str:
    """SQL giving :func:`as_multipolygon` of a blob column; the usual blobs without leaving SQLite.

    Little-endian blobs with an XY envelope (flags 0x03) already labelled
    ``srs_id`` are kept (multipolygons) or get the 9 bytes that wrap a polygon
    into a one-part multipolygon (``||`` makes text, byte for byte: cast
    back); anything else goes through ``wpzf_multi``.
    """
    header = "X'" + gpkg_codec.xy_header_prefix(srs_id).hex().upper() + "'"
    start = gpkg_codec.XY_HEADER_LENGTH + 1  # SQLite counts from 1
    return (f"CASE WHEN {column} IS NULL THEN NULL "
            f"WHEN substr({column}, 1, 8) = {header} AND substr({column}, {start}, 5) = X'0106000000' THEN {column} "
            f"WHEN substr({column}, 1, 8) = {header} AND substr({column}, {start}, 5) = X'0103000000' "
            f"THEN CAST(substr({column}, 1, {start - 1}) || X'010600000001000000' || substr({column}, {start}) "
            f"AS BLOB) "
            f"ELSE wpzf_multi({column}) END")


#: ST_MinX/MaxX/MinY/MaxY and ST_IsEmpty, as the GeoPackage R-tree triggers call them: the codec's
register_gpkg_functions = gpkg_codec.register_functions


def as_multipolygon(blob: Optional[bytes], srs_id: int) -> Optional[bytes]:
    """A polygon blob as a one-part multipolygon (the sink's ``multiType``), labelled ``srs_id``."""
    if blob is None:
        return None
    blob = gpkg_codec.with_srs_id(blob, srs_id)  # ValueError for what is no GeoPackage geometry
    length = gpkg_codec.parse_header(blob).length
    header, wkb = blob[:length], blob[length:]
    if len(wkb) < 5:
        return header + wkb
    wkb_order = "<" if wkb[0] == 1 else ">"
    kind = struct.unpack(wkb_order + "I", wkb[1:5])[0]
    multi = _POLYGON_TYPES.get(kind)
    if multi is None:
        return header + wkb
    return header + wkb[:1] + struct.pack(wkb_order + "II", multi, 1) + wkb


class TableAppender:
    """Appends rows to one GeoPackage table in a single transaction, committed on :meth:`close`."""

    def __init__(self, target: GpkgTable, columns: Sequence[str]) -> None:
        self.target = target
        self._closed = False
        # closed on the writer's closing thread (never used by two threads at once)
        self.conn = gpkg.connect(target.path, isolation_level=None, check_same_thread=False)
        # R-tree and table pages stay in memory (up to 256 MiB): at 10^5 rows the default 2 MiB
        # cache made every R-tree insert a read from the OS
        self.conn.execute("PRAGMA cache_size = -262144")
        # a derived output being written: no fsync on commit (the sink's GDAL writer does not wait either)
        self.conn.execute("PRAGMA synchronous = OFF")
        try:
            self._prepare(columns)
        except (sqlite3.Error, ValueError) as exc:
            self.abandon()
            raise BulkWriteError(str(exc)) from exc

    def _prepare(self, columns: Sequence[str]) -> None:
        target = self.target
        register_gpkg_functions(self.conn)
        present = {r[1] for r in self.conn.execute(f"PRAGMA table_info({q(target.table)})")}
        missing = [c for c in columns if c not in present]
        if missing:
            raise ValueError(f"{target.table} has no column {missing[0]}")
        self.columns = list(columns)
        self.conn.execute("BEGIN")
        self._first_fid = self._max_fid() + 1
        # per-row triggers (feature count, R-tree) cost more than the rows: they are set aside and
        # their work done once on close, inside the same transaction, so a rollback restores them
        self._triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?) "
            "AND (name LIKE 'trigger_insert_feature_count_%' OR name LIKE 'rtree_%_insert')",
            (target.table,)).fetchall()
        for name, _ in self._triggers:
            self.conn.execute(f"DROP TRIGGER {q(name)}")
        self._rtree = self._geometry_column_and_rtree() \
            if any(name.startswith("rtree_") for name, _ in self._triggers) else None
        self._extent: Optional[list[float]] = None
        if self._rtree is not None:  # new rows are noted here and indexed in batches
            self.conn.execute("CREATE TEMP TABLE wpzf_new (id INTEGER PRIMARY KEY)")
            self.conn.execute(f"CREATE TEMP TRIGGER wpzf_note_new AFTER INSERT ON main.{q(target.table)} "
                              "BEGIN INSERT INTO wpzf_new VALUES (NEW.rowid); END")
        names = ", ".join(q(c) for c in self.columns)
        self._insert = f"INSERT INTO {q(target.table)} ({names}) VALUES ({', '.join('?' * len(self.columns))})"

    def _max_fid(self) -> int:
        row = self.conn.execute(f"SELECT max(rowid) FROM {q(self.target.table)}").fetchone()
        return int(row[0] or 0)

    def append(self, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(self._insert, rows)

    def close(self) -> None:
        """Index the new rows, bring feature count and extent up to date, restore the triggers, commit."""
        if self._closed:
            return
        table = self.target.table
        self.index_new_rows()
        self._update_extent()
        count = self.conn.execute(f"SELECT count(*) FROM {q(table)}").fetchone()[0]
        if _has_table(self.conn, "gpkg_ogr_contents"):
            self.conn.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                              (count, table))
        for _, sql in self._triggers:
            self.conn.execute(sql)
        self.conn.execute("COMMIT")
        self.conn.close()
        self._closed = True

    def _geometry_column_and_rtree(self) -> Optional[tuple[str, str]]:
        table = self.target.table
        row = self.conn.execute("SELECT column_name FROM main.gpkg_geometry_columns "
                                "WHERE lower(table_name) = lower(?)", (table,)).fetchone()
        if row is None:
            return None
        rtree = f"rtree_{table}_{row[0]}"
        return (row[0], rtree) if _has_table(self.conn, rtree) else None

    def index_new_rows(self) -> None:
        """The R-tree entries the set-aside insert trigger would have written for the rows added since."""
        if self._rtree is None:
            return
        geom, rtree = self._rtree
        table = q(self.target.table)
        rows = self.conn.execute(f"SELECT t.rowid, substr(t.{q(geom)}, 1, {gpkg_codec.MAX_HEADER_LENGTH}) "
                                 f"FROM temp.wpzf_new n JOIN main.{table} t ON t.rowid = n.id").fetchall()
        self.conn.execute("DELETE FROM temp.wpzf_new")
        fids, bounds = _envelopes(rows, lambda fid: self.conn.execute(
            f"SELECT {q(geom)} FROM main.{table} WHERE rowid = ?", (fid,)).fetchone()[0])
        if not fids.size:
            return
        self.conn.executemany(f"INSERT OR REPLACE INTO {q(rtree)} VALUES (?, ?, ?, ?, ?)",
                              zip(fids.tolist(), *bounds.T.tolist()))
        found = [bounds[:, 0].min(), bounds[:, 2].min(), bounds[:, 1].max(), bounds[:, 3].max()]
        old = self._extent
        self._extent = found if old is None else [min(old[0], found[0]), min(old[1], found[1]),
                                                  max(old[2], found[2]), max(old[3], found[3])]

    def _update_extent(self) -> None:
        """The table's extent from the exact envelopes (the R-tree holds them rounded to float32)."""
        if self._extent is None:
            return
        extent = self._extent
        old = self.conn.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name) = "
                                "lower(?)", (self.target.table,)).fetchone()
        if old is not None and None not in old and self._first_fid > 1:  # rows that were there before
            extent = [min(extent[0], old[0]), min(extent[1], old[1]), max(extent[2], old[2]), max(extent[3], old[3])]
        self.conn.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                          "WHERE lower(table_name) = lower(?)", (*extent, self.target.table))

    def abandon(self) -> None:
        """Roll back what this appender wrote (an input error found midway)."""
        if not self._closed:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.close()
            self._closed = True


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?)", (name,)).fetchone() is not None


#: The header of nearly every blob (GDAL's and the codec's): "GP", version, flags 0b011 (little endian,
#: XY envelope, not empty), srs_id, then minx maxx miny maxy.
_USUAL_HEADER = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4"),
                          ("envelope", "<f8", (4,))])


def _envelopes(rows: list, blob_of: Callable[[int], Any]) -> tuple[np.ndarray, np.ndarray]:
    """(fids, (n, 4) minx maxx miny maxy) of the rows (fid, header prefix) that have bounds.

    Usual headers are read in one numpy pass (a Python parse per row was
    0.8 s of the main process at 160,000 patches); any other goes through
    :func:`gpkg_codec.parse_header` (ValueError for what is no GeoPackage
    geometry), and a header without envelope through the whole blob
    (``blob_of(fid)``). Empty geometries (flagged, or an envelope of NaN) get no entry.
    """
    size = _USUAL_HEADER.itemsize
    usual = [type(h) is bytes and len(h) >= size and h[3] == 0b011 and h[:2] == gpkg_codec.MAGIC
             for _, h in rows]
    heads = np.frombuffer(b"".join(h[:size] for (_, h), ok in zip(rows, usual) if ok), dtype=_USUAL_HEADER)
    fids = np.array([fid for (fid, _), ok in zip(rows, usual) if ok], dtype=np.int64)
    bounds = heads["envelope"].reshape(-1, 4)
    keep = ~np.isnan(bounds).any(axis=1)  # Requirement 149: an empty geometry's envelope is NaN
    fids, bounds = fids[keep], bounds[keep]
    other = [(fid, head) for (fid, head), ok in zip(rows, usual) if not ok and head is not None]
    more = []
    for fid, head in other:
        header = gpkg_codec.parse_header(head)  # ValueError for what is no GeoPackage geometry
        if header.empty:
            continue
        found = header.envelope if header.envelope is not None else gpkg_codec.envelope(blob_of(fid))
        if found is not None:  # None: an empty WKB without the empty flag, not indexed
            more.append((fid, *found))
    if more:
        extra = np.array(more, dtype=float).reshape(-1, 5)
        fids = np.concatenate([fids, extra[:, 0].astype(np.int64)])
        bounds = np.concatenate([bounds, extra[:, 1:]])
        order = np.argsort(fids, kind="stable")  # entries in row order, as the trigger writes them
        fids, bounds = fids[order], bounds[order]
    return fids, bounds


class PatchCopier(TableAppender):
    """Copies patches from their GeoPackage into the output table, each with its computed values.

    ``kept``: input columns copied as they are (the output has the same
    names); ``computed``: output columns filled from the rows given to
    :meth:`copy`. The geometry becomes a multipolygon labelled with the
    output's SRS id, as the sink (``multiType``, same CRS) would write it.
    """

    def __init__(self, target: GpkgTable, source: GpkgTable, kept: Sequence[str], computed: Sequence[str]) -> None:
        super().__init__(target, [*kept, *computed])
        try:
            self._prepare_copy(source, kept, computed)
        except (sqlite3.Error, ValueError) as exc:
            self.abandon()
            raise BulkWriteError(str(exc)) from exc

    def _prepare_copy(self, source: GpkgTable, kept: Sequence[str], computed: Sequence[str]) -> None:
        target = self.target
        conn = self.conn
        out_geom = self._geometry_column(conn, "main", target.table)
        conn.execute("ATTACH DATABASE ? AS src", (source.path,))
        src_geom = self._geometry_column(conn, "src", source.table)
        if out_geom is None or src_geom is None:
            raise ValueError("geometry column not found")
        out_srs = conn.execute("SELECT srs_id FROM main.gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
                               (target.table,)).fetchone()[0]
        conn.create_function("wpzf_multi", 1, lambda blob: as_multipolygon(blob, out_srs), deterministic=True)
        geometry = multipolygon_sql(f"s.{q(src_geom)}", out_srs)
        conn.execute("CREATE TEMP TABLE wpzf_rows (ord INTEGER PRIMARY KEY, src_fid INTEGER, "
                     + ", ".join(f"c{i}" for i in range(len(computed))) + ")")
        self.computed = list(computed)
        source_fid = conn.execute(f"SELECT name FROM src.pragma_table_info({_literal(source.table)}) "
                                  "WHERE pk = 1").fetchone()
        if source_fid is None:
            raise ValueError("the patch table has no primary key")
        targets = ", ".join(q(c) for c in [out_geom, *kept, *computed])
        values = ", ".join([geometry, *(f"s.{q(c)}" for c in kept),
                            *(f"r.c{i}" for i in range(len(computed)))])
        self._ids = (f"SELECT s.{{column}} FROM temp.wpzf_rows r JOIN src.{q(source.table)} s "
                     f"ON s.{q(source_fid[0])} = r.src_fid ORDER BY r.ord")
        self._copy = (f"INSERT INTO main.{q(target.table)} ({targets}) SELECT {values} FROM temp.wpzf_rows r "
                      f"JOIN src.{q(source.table)} s ON s.{q(source_fid[0])} = r.src_fid ORDER BY r.ord")

    @staticmethod
    def _geometry_column(conn: sqlite3.Connection, schema: str, table: str) -> Optional[str]:
        row = conn.execute(f"SELECT column_name FROM {schema}.gpkg_geometry_columns "
                           "WHERE lower(table_name) = lower(?)", (table,)).fetchone()
        return None if row is None else row[0]

    def copy(self, fids: Sequence[int], rows: Sequence[Sequence[Any]], id_column: Optional[str] = None) -> list:
        """Append the patches ``fids`` (in this order) with their computed ``rows``.

        Returns the patches' ``id_column`` values in the same order (empty
        without ``id_column``), read in the same pass.
        """
        conn = self.conn
        conn.execute("DELETE FROM temp.wpzf_rows")
        marks = ", ".join("?" * (len(self.computed) + 2))
        conn.executemany(f"INSERT INTO temp.wpzf_rows VALUES ({marks})",
                         [(k, fid, *row) for k, (fid, row) in enumerate(zip(fids, rows))])
        ids = []
        if id_column:
            ids = [r[0] for r in conn.execute(self._ids.replace("{column}", q(id_column)))]
        copied = conn.execute(self._copy).rowcount
        if copied != len(fids) or (id_column and len(ids) != len(fids)):
            raise BulkWriteError(f"{len(fids) - copied} patches were not found in their layer")
        self.index_new_rows()  # now, while the overlay workers compute the next chunks
        return ids


def gpkg_destination(destination: str) -> Optional[tuple[str, Optional[str]]]:
    """(path, layer name) when a sink's ``destination`` is a plain .gpkg file, else None."""
    from qgis.core import QgsProviderRegistry

    if not isinstance(destination, str) or destination.lower().startswith(("memory:", "ogr:", "postgres")):
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", destination)
    path = parts.get("path") or ""
    if not path.lower().endswith(".gpkg"):
        return None
    return path, parts.get("layerName") or None


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
