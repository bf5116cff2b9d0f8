"""R-tree entries of rows appended in bulk: the envelope the spec's insert trigger would index, for every blob layout.

`processing/gpkg_bulk.py` sets GDAL's R-tree trigger aside while it appends
rows and indexes them itself; the usual headers are read in one numpy pass.
Whatever the layout, an entry must hold what ``ST_MinX`` … ``ST_MaxY``
(`gpkg_codec.envelope`) give for that blob, and empty or NULL geometries none.
"""
from __future__ import annotations

import math
import struct

import pytest
import shapely

from wpzf.domain.workspace import gpkg_codec
from wpzf.processing.gpkg_bulk import _envelopes

MAX_HEADER = gpkg_codec.MAX_HEADER_LENGTH


def blob(geom, envelope: int = 1, little: bool = True, empty_flag: bool = False, nan: bool = False) -> bytes:
    order = "<" if little else ">"
    flags = (1 if little else 0) | (envelope << 1) | (0b1_0000 if empty_flag else 0)
    minx, miny, maxx, maxy = (math.nan,) * 4 if nan else geom.bounds
    env = {0: b"", 1: struct.pack(order + "4d", minx, maxx, miny, maxy),
           2: struct.pack(order + "6d", minx, maxx, miny, maxy, 0.0, 5.0)}[envelope]
    return b"GP" + bytes([0, flags]) + struct.pack(order + "i", 4523) + env + \
        shapely.to_wkb(geom, byte_order=1 if little else 0)


def test_every_layout_gets_the_envelope_the_trigger_would_index():
    square = shapely.box(39_500_000.125, 3_250_000.5, 39_500_100.75, 3_250_090.25)
    tri = shapely.Polygon([(1, 2), (7, 2), (3, 9)])
    blobs = {
        1: blob(square),                           # the usual header: numpy pass
        2: blob(tri, envelope=0),                  # no envelope: from the WKB
        3: blob(tri, little=False),                # big endian header
        4: blob(square, envelope=2),               # XYZ envelope
        5: blob(shapely.Polygon(), envelope=0, empty_flag=True),  # flagged empty: no entry
        6: blob(square, nan=True),                 # usual layout, NaN envelope (Req. 149): no entry
        7: None,                                   # no geometry: no entry
        8: gpkg_codec.encode(shapely.to_wkb(tri), 4523),  # what the codec itself writes
    }
    rows = [(fid, None if b is None else b[:MAX_HEADER]) for fid, b in blobs.items()]
    fids, bounds = _envelopes(rows, lambda fid: blobs[fid])
    want = {fid: gpkg_codec.envelope(b) for fid, b in blobs.items()}
    assert fids.tolist() == [fid for fid, env in want.items() if env is not None] == [1, 2, 3, 4, 8]
    assert [tuple(b) for b in bounds.tolist()] == [want[f] for f in fids.tolist()]
    assert tuple(bounds[0]) == (39_500_000.125, 39_500_100.75, 3_250_000.5, 3_250_090.25)  # minx maxx miny maxy


def test_what_is_no_geopackage_geometry_is_refused():
    with pytest.raises(ValueError, match="GeoPackage"):
        _envelopes([(1, b"not a geometry blob at all")], lambda fid: None)
