"""The GeoPackage geometry blob, read and written in one place (GeoPackage 1.3, clause 2.1.3).

A blob is ``"GP"``, a version byte, a flags byte, the int32 ``srs_id``, an
optional envelope of 0/4/6/8 doubles, then ISO WKB. The workspace (plain
``sqlite3``) and the bulk output writer (``processing/gpkg_bulk.py``) both
read headers, build them and give SQLite the ST_* functions the spec's R-tree
triggers call; they do it here, so an envelope means the same to both.

Behaviour decided against the spec and checked against GDAL 3.6
(``tests/unit/test_gpkg_codec.py``):

- envelope indicator 0 is "no envelope (space saving slower indexing
  option)": the bounds are then computed from the WKB, as GDAL's
  ``ST_MinX`` does, so an R-tree entry always holds the geometry's real bounds;
- an empty geometry has no bounds (NULL): flagged empty (Y bit), or, per
  Requirement 149, an envelope of NaN, or no envelope and an empty WKB;
- ``ST_IsEmpty`` is 1 for every such empty geometry, not only flagged ones
  (GDAL looks at the flag alone and indexes an unflagged empty polygon at
  0,0), NULL for NULL and for what is no GeoPackage geometry.

Pure Python; shapely is imported only for blobs whose header has no envelope.
"""
from __future__ import annotations

import math
import sqlite3
import struct
from functools import lru_cache
from typing import NamedTuple, Optional

Bounds = tuple[float, float, float, float]

MAGIC = b"GP"
FLAG_LITTLE_ENDIAN = 0b0000_0001
FLAG_EMPTY = 0b0001_0000
FLAG_EXTENDED = 0b0010_0000
ENVELOPE_XY = 1
#: envelope indicator → doubles in the envelope (5–7 are invalid)
ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}
#: bytes before the WKB of the blobs :func:`encode` writes (little endian, XY envelope)
XY_HEADER_LENGTH = 8 + 32
#: the longest header there is (XYZM envelope): a prefix this long holds any header
MAX_HEADER_LENGTH = 8 + 64

_PREFIX = struct.Struct("<2sBBi")
_XY_HEADER = struct.Struct("<2sBBi4d")  # magic, version, flags, srs_id, minx maxx miny maxy


class Header(NamedTuple):
    """What a blob's header says; ``envelope`` is (minx, maxx, miny, maxy), None when it has none."""

    srs_id: int
    flags: int
    envelope: Optional[Bounds]
    empty: bool  # the Y flag, or an envelope of NaN (Requirement 149)
    length: int  # bytes before the WKB

    @property
    def byte_order(self) -> str:
        return "<" if self.flags & FLAG_LITTLE_ENDIAN else ">"


def parse_header(blob: bytes) -> Header:
    """The header of ``blob`` (or of a prefix of it at least :data:`MAX_HEADER_LENGTH` long).

    Raises ValueError saying what is wrong when ``blob`` is no GeoPackage geometry.
    """
    if blob is None or len(blob) < 8 or bytes(blob[:2]) != MAGIC:
        raise ValueError(f"not a GeoPackage geometry blob (starts {bytes(blob or b'')[:4]!r})")
    flags = blob[3]
    doubles = ENVELOPE_DOUBLES.get((flags >> 1) & 0b111)
    if doubles is None:
        raise ValueError(f"invalid GeoPackage envelope indicator {(flags >> 1) & 0b111} (flags {flags:#04x})")
    length = 8 + 8 * doubles
    if len(blob) < length:
        raise ValueError(f"GeoPackage geometry header cut short: {len(blob)} of {length} bytes")
    order = "<" if flags & FLAG_LITTLE_ENDIAN else ">"
    srs_id = struct.unpack_from(order + "i", blob, 4)[0]
    envelope: Optional[Bounds] = struct.unpack_from(order + "4d", blob, 8) if doubles else None
    empty = bool(flags & FLAG_EMPTY) or (envelope is not None and any(map(math.isnan, envelope)))
    return Header(srs_id, flags, envelope, empty, length)


def _header_or_none(blob: Optional[bytes]) -> Optional[Header]:
    try:
        return parse_header(blob) if blob is not None else None
    except (ValueError, TypeError):
        return None


def wkb_of(blob: bytes) -> bytes:
    """The WKB part of a GeoPackage geometry blob (ValueError when it is none)."""
    return bytes(blob[parse_header(blob).length:])


@lru_cache(maxsize=16)  # a trigger asks ST_IsEmpty, ST_MinX … ST_MaxY of the same blob in turn
def _wkb_bounds(wkb: bytes) -> Optional[Bounds]:
    """(minx, maxx, miny, maxy) of a WKB; None when empty; ValueError when unreadable."""
    import shapely  # only for blobs without an envelope in the header

    try:
        geometry = shapely.from_wkb(wkb)
    except Exception as exc:  # shapely.errors.GEOSException: a WKB GEOS cannot read
        raise ValueError(f"unreadable WKB: {exc}") from exc
    if geometry is None or geometry.is_empty:
        return None
    minx, miny, maxx, maxy = geometry.bounds
    return minx, maxx, miny, maxy


def envelope(blob: Optional[bytes]) -> Optional[Bounds]:
    """(minx, maxx, miny, maxy) of a geometry blob: ST_MinX … ST_MaxY.

    From the header's envelope when it has one; computed from the WKB when it
    has none. None for NULL, for an empty geometry and for what is no
    readable GeoPackage geometry (SQL NULL, as GDAL answers).
    """
    header = _header_or_none(blob)
    if header is None or header.empty:
        return None
    if header.envelope is not None:
        return header.envelope
    try:
        return _wkb_bounds(bytes(blob[header.length:]))  # type: ignore[index]
    except ValueError:
        return None


def is_empty(blob: Optional[bytes]) -> Optional[int]:
    """ST_IsEmpty: 1 for an empty geometry, 0 for any other, None for NULL or no GeoPackage geometry."""
    header = _header_or_none(blob)
    if header is None:
        return None
    if header.empty:
        return 1
    if header.envelope is not None:
        return 0
    try:
        return 1 if _wkb_bounds(bytes(blob[header.length:])) is None else 0  # type: ignore[index]
    except ValueError:
        return None


def encode(wkb: bytes, srs_id: int, bounds: Optional[tuple[float, float, float, float]] = None) -> bytes:
    """A GeoPackage geometry blob: little-endian header with an XY envelope, then ``wkb``.

    ``bounds`` are shapely's ``(minx, miny, maxx, maxy)``, computed from the
    WKB when not given. An empty geometry (NaN bounds) gets the empty flag
    and no envelope, as GDAL writes it (Requirement 149).
    """
    if bounds is None:
        computed = _wkb_bounds(bytes(wkb))
        bounds = (math.nan,) * 4 if computed is None else (computed[0], computed[2], computed[1], computed[3])
    if any(map(math.isnan, bounds)):
        return _PREFIX.pack(MAGIC, 0, FLAG_LITTLE_ENDIAN | FLAG_EMPTY, srs_id) + wkb
    minx, miny, maxx, maxy = bounds
    return _XY_HEADER.pack(MAGIC, 0, FLAG_LITTLE_ENDIAN | ENVELOPE_XY << 1, srs_id, minx, maxx, miny, maxy) + wkb


def xy_header_prefix(srs_id: int) -> bytes:
    """The first 8 bytes :func:`encode` writes for a non-empty geometry labelled ``srs_id``."""
    return _PREFIX.pack(MAGIC, 0, FLAG_LITTLE_ENDIAN | ENVELOPE_XY << 1, srs_id)


def with_srs_id(blob: bytes, srs_id: int) -> bytes:
    """``blob`` labelled ``srs_id`` (the same header otherwise; no coordinate is changed)."""
    header = parse_header(blob)
    return bytes(blob[:4]) + struct.pack(header.byte_order + "i", srs_id) + bytes(blob[8:])


_ASSIGNABLE = {("MULTIPOLYGON", "POLYGON"), ("MULTILINESTRING", "LINESTRING"), ("MULTIPOINT", "POINT"),
               ("CURVEPOLYGON", "POLYGON")}


def _is_assignable(expected: Optional[str], actual: Optional[str]) -> int:
    """GPKG_IsAssignable for the types this plugin writes."""
    expected, actual = (expected or "").upper(), (actual or "").upper()
    return 1 if expected in ("GEOMETRY", actual) or (expected, actual) in _ASSIGNABLE else 0


def _bound(i: int):
    def bound(blob: Optional[bytes]) -> Optional[float]:
        env = envelope(blob)
        return None if env is None else env[i]

    return bound


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions a GeoPackage's R-tree triggers call (spec Req 75 and annex F.3).

    Every connection that INSERTs or UPDATEs a feature table needs them: SQLite
    compiles a table's triggers when a statement is prepared, so without them
    even an attribute UPDATE fails with "no such function: ST_IsEmpty". GDAL
    and QGIS register their own; a plain ``sqlite3`` client registers these.
    """
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        conn.create_function(name, 1, _bound(i), deterministic=True)
    conn.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    conn.create_function("GPKG_IsAssignable", 2, _is_assignable, deterministic=True)
