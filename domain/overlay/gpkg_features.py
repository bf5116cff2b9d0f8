"""An overlay layer read from its GeoPackage only where the patches are, by the workers that need it.

A district's 三调 layer holds ~2 million polygons; the patches of a batch meet
a fraction of them. Parsing every WKB blob in the main process cost 2.4 s,
its spatial index 0.9 s and freeing it all at the end 1.2 s, all before or
after the overlay workers ran, on one core. Instead each chunk of patches
asks the file's own R-tree (the ``gpkg_rtree_index`` extension GDAL
maintains) which features' boxes meet its patches' boxes, and the worker
parses just those blobs, once per worker: from the WKB the main process read
in bulk without parsing it (:class:`PackedWkb`, 0.2 µs a feature against
1.2 µs to parse it), or else from the file.

What the reports need of every feature stays exact:

- features with no geometry or an empty one (no R-tree entry: the
  extension's triggers index neither) are known up front as dropped;
- candidate pairs are the R-tree's, whose 32-bit boxes are rounded outward,
  so a superset: the engine keeps the pairs whose real (GEOS) envelopes
  meet, the very pairs an index over all parsed features returns;
- the count of features in the patches' extent reads the R-tree and parses
  only the features within rounding distance of that extent's edges.

A blob GEOS cannot read is dropped where a patch meets its box (the only
place it could have counted); one far from every patch is not looked at.
Plain ``sqlite3``: the connection is opened per process and thread, so forked
workers and worker threads each have their own.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import shapely

from ..workspace.gpkg_codec import MAGIC, XY_HEADER_LENGTH, parse_header

#: Relative size of a 32-bit float's rounding step, doubled: R-tree boxes lie this close outside the real ones.
_FLOAT32_STEP = 2.0 ** -22


@dataclass(frozen=True)
class PackedWkb:
    """Many WKB blobs in one bytes object (``starts``; ``lengths`` −1 for no geometry).

    Read once in the main process and shared with forked workers: a worker
    slicing blobs out of one object touches no per-blob reference count, so
    the pages stay shared (an array of 2 million bytes objects would be
    copied page by page into every worker that read from it).
    """

    data: bytes
    starts: np.ndarray
    lengths: np.ndarray

    @staticmethod
    def of(blobs: Sequence[Optional[bytes]] | np.ndarray) -> PackedWkb:
        array = np.empty(len(blobs), dtype=object)
        array[:] = list(blobs) if not isinstance(blobs, np.ndarray) else blobs
        missing = np.equal(array, np.empty(1, dtype=object))  # (an empty object array holds None)
        if missing.any():
            array[missing] = b""
        items = array.tolist()
        lengths = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
        starts = np.cumsum(lengths) - lengths
        lengths[missing] = -1
        return PackedWkb(b"".join(items), starts, lengths)

    @staticmethod
    def join(parts: Sequence[PackedWkb]) -> PackedWkb:
        if not parts:
            return PackedWkb.of([])
        offsets = np.cumsum([0] + [len(p.data) for p in parts[:-1]])
        return PackedWkb(b"".join(p.data for p in parts),
                         np.concatenate([p.starts + o for p, o in zip(parts, offsets)]),
                         np.concatenate([p.lengths for p in parts]))

    @property
    def size(self) -> int:
        return int(self.lengths.size)

    def take(self, positions: np.ndarray) -> np.ndarray:
        """The blobs at ``positions`` (None where no geometry), as an object array."""
        data = self.data
        result = np.empty(positions.size, dtype=object)
        result[:] = [None if n < 0 else data[s:s + n] for s, n in
                     zip(self.starts[positions].tolist(), self.lengths[positions].tolist())]
        return result


class NotIndexed(LookupError):
    """The table cannot be read this way (no R-tree, FIDs not in file order): read every feature instead."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class GpkgFeatures:
    """Features of one GeoPackage table, positions 0…n−1 in FID order (``fids``: as read, ascending)."""

    def __init__(self, path: str, table: str, fids: np.ndarray, wkb: Optional[PackedWkb] = None) -> None:
        """``wkb``: every feature's WKB as read (in ``fids`` order); without it features are read from the file."""
        self.path, self.table = str(path), table
        self.fids = np.asarray(fids, dtype=np.int64)
        if self.fids.size > 1 and not (np.diff(self.fids) > 0).all():
            raise NotIndexed("feature ids are not in ascending order")
        if wkb is not None and wkb.size != self.fids.size:
            raise ValueError(f"{wkb.size} geometries for {self.fids.size} features")
        self.wkb = wkb
        self._connections: dict[tuple[int, int], sqlite3.Connection] = {}
        con = self._connection()
        self.fid_column, geometry = self._columns(con)
        self.rtree = f"rtree_{table}_{geometry}"
        self.geometry_column = geometry
        found = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (self.rtree,)).fetchone()
        if found is None:
            raise NotIndexed(f"table {table} has no spatial index")
        #: True for features with no geometry to give area: missing or empty (no R-tree entry).
        self.absent = self._absent(con)

    @property
    def size(self) -> int:
        return int(self.fids.size)

    def _connection(self) -> sqlite3.Connection:
        key = (os.getpid(), threading.get_ident())
        con = self._connections.get(key)
        if con is None:
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            con = self._connections[key] = sqlite3.connect(uri, uri=True, check_same_thread=False)
            con.execute("CREATE TEMP TABLE wpzf_boxes (k INTEGER, minx REAL, maxx REAL, miny REAL, maxy REAL)")
        return con

    def _columns(self, con: sqlite3.Connection) -> tuple[str, str]:
        row = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (self.table,)).fetchone()
        keys = [r[1] for r in con.execute(f"PRAGMA table_info({_quote(self.table)})") if r[5]]
        if row is None or len(keys) != 1:
            raise NotIndexed(f"table {self.table} has no single geometry column and key")
        return keys[0], row[0]

    def _absent(self, con: sqlite3.Connection) -> np.ndarray:
        absent = np.zeros(self.size, dtype=bool)
        indexed = self._indexed(con)
        if indexed == self.size:
            return absent
        rows = con.execute(f"SELECT {_quote(self.fid_column)} FROM {_quote(self.table)} WHERE "
                           f"{_quote(self.fid_column)} NOT IN (SELECT id FROM {_quote(self.rtree)})").fetchall()
        absent[self.positions(np.array([r[0] for r in rows], dtype=np.int64))[1]] = True
        return absent

    def _indexed(self, con: sqlite3.Connection) -> int:
        """Entries of the R-tree: counted in its rowid table, a plain b-tree, where there is one."""
        try:
            return int(con.execute(f"SELECT count(*) FROM {_quote(self.rtree + '_rowid')}").fetchone()[0])
        except sqlite3.Error:  # SQLite before 3.24 keeps no such table
            return int(con.execute(f"SELECT count(*) FROM {_quote(self.rtree)}").fetchone()[0])

    def positions(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mask of ``ids`` that are features read, their positions)."""
        pos = np.minimum(np.searchsorted(self.fids, ids), max(self.size - 1, 0))
        found = self.fids[pos] == ids if self.size else np.zeros(ids.size, dtype=bool)
        return found, pos[found]

    def pairs(self, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row of ``boxes``, feature position) of every feature whose R-tree box meets a box (a superset)."""
        con = self._connection()
        present = np.flatnonzero(~np.isnan(boxes).any(axis=1))
        present = present[_z_order(boxes[present])]  # neighbours one after another: the R-tree's pages stay warm
        con.execute("DELETE FROM temp.wpzf_boxes")
        con.executemany("INSERT INTO temp.wpzf_boxes VALUES (?, ?, ?, ?, ?)",
                        zip(present.tolist(), *(boxes[present][:, k].tolist() for k in (0, 2, 1, 3))))
        # one text of "box,id,box,id…": a row per pair cost more than the R-tree search
        text = con.execute(
            f"SELECT group_concat(b.k || ',' || r.id) FROM temp.wpzf_boxes b CROSS JOIN {_quote(self.rtree)} r "
            "WHERE r.minx <= b.maxx AND r.maxx >= b.minx AND r.miny <= b.maxy AND r.maxy >= b.miny").fetchone()[0]
        found = np.fromstring(text or "", dtype=np.int64, sep=",").reshape(-1, 2)
        ok, pos = self.positions(found[:, 1])
        return found[ok, 0].astype(np.intp), pos.astype(np.intp)

    def load(self, positions: np.ndarray) -> np.ndarray:
        """Geometries of the features at ``positions``; None where missing, empty or unreadable."""
        result = np.full(positions.size, None, dtype=object)
        if positions.size == 0:
            return result
        if self.wkb is not None:
            result[:] = shapely.from_wkb(self.wkb.take(positions), on_invalid="ignore")
            return result
        ids = self.fids[positions]
        wanted = ",".join(map(str, ids.tolist()))
        rows = self._connection().execute(
            f"SELECT {_quote(self.fid_column)}, {_quote(self.geometry_column)} FROM {_quote(self.table)} "
            f"WHERE {_quote(self.fid_column)} IN ({wanted})").fetchall()
        fid_of = np.array([r[0] for r in rows], dtype=np.int64)
        wkb = _wkb_of([r[1] for r in rows])
        geoms = shapely.from_wkb(wkb, on_invalid="ignore") if len(rows) else np.zeros(0, dtype=object)
        order = np.argsort(fid_of)
        at = np.searchsorted(fid_of[order], ids)
        hit = (at < fid_of.size) & (fid_of[order][np.minimum(at, max(fid_of.size - 1, 0))] == ids)
        result[hit] = np.asarray(geoms, dtype=object)[order][at[hit]]
        return result

    def count_in(self, box: Optional[tuple[float, float, float, float]]) -> int:
        """Features whose (GEOS) envelope meets ``box``, edges touching; missing and empty ones never.

        Counted as the indexed features less those whose R-tree boxes lie
        wholly outside (each side a query the R-tree answers from its nodes,
        corners added back), then the boxes rounded outward across an edge
        of ``box`` are decided on their real envelopes.
        """
        if box is None or self.size == 0:
            return 0
        x0, y0, x1, y1 = box
        con = self._connection()
        rtree = _quote(self.rtree)

        def count(where: str, *values: float) -> int:
            return int(con.execute(f"SELECT count(*) FROM {rtree} WHERE {where}", values).fetchone()[0])

        sides = [("minx > ?", x1), ("maxx < ?", x0)], [("miny > ?", y1), ("maxy < ?", y0)]
        outside = sum(count(c, v) for axis in sides for c, v in axis)
        outside -= sum(count(f"{cx} AND {cy}", vx, vy) for cx, vx in sides[0] for cy, vy in sides[1])
        total = self._indexed(con) - outside
        step = _FLOAT32_STEP * max(1.0, *(abs(v) for v in box))
        meets = "minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?"
        edge: set[int] = set()
        for near in ("minx > ?", "maxx < ?", "miny > ?", "maxy < ?"):
            limit = {"minx > ?": x1 - step, "maxx < ?": x0 + step, "miny > ?": y1 - step, "maxy < ?": y0 + step}[near]
            edge.update(r[0] for r in con.execute(f"SELECT id FROM {rtree} WHERE {meets} AND {near}",
                                                  (x1, x0, y1, y0, limit)))
        if not edge:
            return total
        _, pos = self.positions(np.array(sorted(edge), dtype=np.int64))
        with np.errstate(invalid="ignore"):
            b = np.asarray(shapely.bounds(self.load(pos)), dtype=float).reshape(-1, 4)
            real = (b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0)
        return total - len(edge) + int(np.count_nonzero(real))


def _z_order(boxes: np.ndarray, bits: int = 10) -> np.ndarray:
    """Order of ``boxes`` along a Z (Morton) curve of their centres on a 2^bits grid."""
    if len(boxes) < 2:
        return np.arange(len(boxes))
    centre = (boxes[:, :2] + boxes[:, 2:]) / 2
    low, span = centre.min(axis=0), np.ptp(centre, axis=0)
    cell = ((centre - low) / np.where(span > 0, span, 1.0) * (2 ** bits - 1)).astype(np.int64)
    key = np.zeros(len(boxes), dtype=np.int64)
    for bit in range(bits):
        key |= ((cell[:, 0] >> bit) & 1) << (2 * bit) | ((cell[:, 1] >> bit) & 1) << (2 * bit + 1)
    return np.argsort(key, kind="stable")


def _wkb_of(blobs: list) -> np.ndarray:
    """:func:`_wkb` of each blob; blobs with the usual header (little endian, XY envelope) cut in bulk."""
    result = np.empty(len(blobs), dtype=object)
    usual = XY_HEADER_LENGTH
    result[:] = [b[usual:] if type(b) is bytes and b[:2] == MAGIC and b[3] == 0b11 else _wkb(b) for b in blobs]
    return result


def _wkb(blob: Optional[bytes]) -> Optional[bytes]:
    """The WKB of a GeoPackage blob (an empty geometry's too); None for no geometry or a blob that is none."""
    if blob is None:
        return None
    try:
        return bytes(blob[parse_header(blob).length:])
    except ValueError:
        return None
