"""Minimal GeoPackage 1.3 plumbing on plain ``sqlite3``.

We write the container ourselves so that an import is one SQLite transaction
(atomic, byte-for-byte rollback) and so the database-level triggers stay under
our control. QGIS/GDAL open the result as an ordinary GeoPackage.
"""
from __future__ import annotations

import sqlite3
import struct

APPLICATION_ID = 0x47504B47  # 'GPKG'
USER_VERSION = 10300  # GeoPackage 1.3.0

_HEADER = struct.Struct("<2sBBi4d")  # magic, version, flags, srs_id, minx maxx miny maxy
_FLAGS_LE_ENVELOPE_XY = 0b0000_0011  # little endian, envelope type 1 (xy)
_FLAG_EMPTY = 0b0001_0000


def encode(wkb: bytes, srs_id: int, bounds: tuple[float, float, float, float]) -> bytes:
    """GeoPackage geometry blob: header with xy envelope + ISO WKB."""
    minx, miny, maxx, maxy = bounds
    return _HEADER.pack(b"GP", 0, _FLAGS_LE_ENVELOPE_XY, srs_id, minx, maxx, miny, maxy) + wkb


def envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) from a blob's header, None when absent or empty."""
    if not blob or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & _FLAG_EMPTY:
        return None
    envelope_type = (flags >> 1) & 0b111
    if envelope_type == 0:
        return None
    order = "<" if flags & 1 else ">"
    return struct.unpack_from(order + "4d", blob, 8)


def wkb_of(blob: bytes) -> bytes:
    """The WKB part of a GeoPackage geometry blob."""
    flags = blob[3]
    envelope_type = (flags >> 1) & 0b111
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get(envelope_type, 0)
    return bytes(blob[8 + size :])


def register_functions(conn: sqlite3.Connection) -> None:
    """Register the ST_* functions that GeoPackage R-tree triggers call on insert."""

    def _part(i: int):
        def fn(blob):
            env = envelope(blob)
            return None if env is None else env[i]

        return fn

    def _is_empty(blob):
        if blob is None:
            return None
        return 1 if envelope(blob) is None and (blob[3] & _FLAG_EMPTY) else 0

    conn.create_function("ST_MinX", 1, _part(0), deterministic=True)
    conn.create_function("ST_MaxX", 1, _part(1), deterministic=True)
    conn.create_function("ST_MinY", 1, _part(2), deterministic=True)
    conn.create_function("ST_MaxY", 1, _part(3), deterministic=True)
    conn.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)


CORE_DDL = """
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
  definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE gpkg_data_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT,
  description TEXT, mime_type TEXT, constraint_name TEXT,
  CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
  CONSTRAINT gdc_tn UNIQUE (table_name, name));
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
INSERT INTO gpkg_extensions VALUES
  ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write');
"""


def initialise(conn: sqlite3.Connection) -> None:
    """Turn an empty SQLite database into an empty GeoPackage."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    run_script(conn, CORE_DDL)


def add_srs(conn: sqlite3.Connection, epsg: int, name: str, wkt: str) -> None:
    """Declare an EPSG CRS in gpkg_spatial_ref_sys (idempotent)."""
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, ?)",
        (name, epsg, epsg, wkt, name),
    )


def register_attribute_table(conn: sqlite3.Connection, table: str, identifier: str) -> None:
    """List a plain table in gpkg_contents so QGIS offers it as a layer."""
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
        "VALUES (?, 'attributes', ?, ?)",
        (table, identifier, identifier),
    )


def register_feature_table(
    conn: sqlite3.Connection, table: str, identifier: str, geometry_type: str, srs_id: int
) -> None:
    """List a feature table and give it a GeoPackage R-tree spatial index.

    The two fid-change triggers are declared ``AFTER UPDATE OF fid`` (the spec
    says ``AFTER UPDATE``) so that an attribute UPDATE from a plain ``sqlite3``
    session, which has no ST_* functions, still compiles and runs: our audit
    and lock triggers must work from any client. They carry their own names
    (``…_update3_fid``): GDAL 3.6 rewrites triggers named exactly like the
    spec's ``update3``/``update4`` back to the spec form when it opens the file.
    """
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
        "VALUES (?, 'features', ?, ?, ?)",
        (table, identifier, identifier, srs_id),
    )
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
        (table, geometry_type, srs_id),
    )
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', "
        "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        (table,),
    )
    rt = f"rtree_{table}_geom"
    bbox = 'ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"), ST_MinY(NEW."geom"), ST_MaxY(NEW."geom")'
    run_script(conn,
        f"""
CREATE VIRTUAL TABLE "{rt}" USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER "{rt}_insert" AFTER INSERT ON "{table}"
  WHEN (new."geom" NOT NULL AND NOT ST_IsEmpty(NEW."geom"))
  BEGIN INSERT OR REPLACE INTO "{rt}" VALUES (NEW."fid", {bbox}); END;
CREATE TRIGGER "{rt}_update1" AFTER UPDATE OF "geom" ON "{table}"
  WHEN OLD."fid" = NEW."fid" AND (NEW."geom" NOTNULL AND NOT ST_IsEmpty(NEW."geom"))
  BEGIN INSERT OR REPLACE INTO "{rt}" VALUES (NEW."fid", {bbox}); END;
CREATE TRIGGER "{rt}_update2" AFTER UPDATE OF "geom" ON "{table}"
  WHEN OLD."fid" = NEW."fid" AND (NEW."geom" ISNULL OR ST_IsEmpty(NEW."geom"))
  BEGIN DELETE FROM "{rt}" WHERE id = OLD."fid"; END;
CREATE TRIGGER "{rt}_update3_fid" AFTER UPDATE OF "fid" ON "{table}"
  WHEN OLD."fid" != NEW."fid" AND (NEW."geom" NOTNULL AND NOT ST_IsEmpty(NEW."geom"))
  BEGIN DELETE FROM "{rt}" WHERE id = OLD."fid";
        INSERT OR REPLACE INTO "{rt}" VALUES (NEW."fid", {bbox}); END;
CREATE TRIGGER "{rt}_update4_fid" AFTER UPDATE OF "fid" ON "{table}"
  WHEN OLD."fid" != NEW."fid" AND (NEW."geom" ISNULL OR ST_IsEmpty(NEW."geom"))
  BEGIN DELETE FROM "{rt}" WHERE id IN (OLD."fid", NEW."fid"); END;
CREATE TRIGGER "{rt}_delete" AFTER DELETE ON "{table}" WHEN old."geom" NOT NULL
  BEGIN DELETE FROM "{rt}" WHERE id = OLD."fid"; END;
"""
    )


def update_extent(conn: sqlite3.Connection, table: str) -> None:
    """Refresh gpkg_contents' extent of ``table`` from its R-tree."""
    row = conn.execute(
        f'SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "rtree_{table}_geom"'
    ).fetchone()
    conn.execute(
        "UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=?, "
        "last_change=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name=?",
        (*row, table),
    )


def set_aliases(conn: sqlite3.Connection, table: str, aliases: dict[str, str]) -> None:
    """Chinese aliases in the GeoPackage schema extension.

    GDAL ≥ 3.7 reads them as field alternative names; for QGIS 3.22 on GDAL 3.6
    the QGIS adapter also stores them in the layer's default style.
    """
    conn.executemany(
        "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title) "
        "VALUES (?, ?, ?, ?)",
        [(table, col, alias, alias) for col, alias in aliases.items()],
    )


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute several statements inside the caller's transaction.

    ``Connection.executescript`` COMMITs a pending transaction first, which
    would break the all-or-nothing guarantee of imports and migrations.
    """
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                conn.execute(pending)
            pending = ""
    if pending.strip(" \n\t;"):
        raise ValueError(f"incomplete SQL statement: {pending[:80]!r}")
