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
    """(minx, maxx, miny, maxy) of a geometry blob, None when NULL or empty.

    Read from the header's envelope when there is one (the usual case, read
    in place); computed from the WKB when the header carries none (GDAL may
    write such blobs, e.g. for points).
    """
    if not blob or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & _FLAG_EMPTY:
        return None
    envelope_type = (flags >> 1) & 0b111
    if envelope_type == 0:
        import shapely  # only for header-less blobs

        geometry = shapely.from_wkb(wkb_of(blob))
        if geometry.is_empty:
            return None
        minx, miny, maxx, maxy = geometry.bounds
        return minx, maxx, miny, maxy
    order = "<" if flags & 1 else ">"
    return struct.unpack_from(order + "4d", blob, 8)


def is_empty(blob: bytes | None) -> int | None:
    """ST_IsEmpty: 1 for an empty geometry (header flag), 0 otherwise, NULL for NULL."""
    if blob is None:
        return None
    return 1 if len(blob) >= 4 and blob[:2] == b"GP" and blob[3] & _FLAG_EMPTY else 0


def wkb_of(blob: bytes) -> bytes:
    """The WKB part of a GeoPackage geometry blob."""
    flags = blob[3]
    envelope_type = (flags >> 1) & 0b111
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get(envelope_type, 0)
    return bytes(blob[8 + size :])


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions a GeoPackage's R-tree triggers call (spec Req 75 and annex F.3).

    Every connection that INSERTs or UPDATEs a feature table needs them: SQLite
    compiles a table's triggers when a statement is prepared, so without them
    even an attribute UPDATE fails with "no such function: ST_IsEmpty". GDAL
    and QGIS register their own; a plain ``sqlite3`` client uses :func:`connect`.
    """

    def _part(i: int):
        def fn(blob):
            env = envelope(blob)
            return None if env is None else env[i]

        return fn

    def _is_assignable(expected: str, actual: str) -> int:
        expected, actual = (expected or "").upper(), (actual or "").upper()
        if expected in ("GEOMETRY", actual):
            return 1
        return int((expected, actual) in {("MULTIPOLYGON", "POLYGON"), ("MULTILINESTRING", "LINESTRING"),
                                          ("MULTIPOINT", "POINT"), ("CURVEPOLYGON", "POLYGON")})

    conn.create_function("ST_MinX", 1, _part(0), deterministic=True)
    conn.create_function("ST_MaxX", 1, _part(1), deterministic=True)
    conn.create_function("ST_MinY", 1, _part(2), deterministic=True)
    conn.create_function("ST_MaxY", 1, _part(3), deterministic=True)
    conn.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    conn.create_function("GPKG_IsAssignable", 2, _is_assignable, deterministic=True)


def connect(path, **kwargs) -> sqlite3.Connection:
    """``sqlite3.connect`` with the GeoPackage SQL functions: how any Python client opens a workspace.

    A bare ``sqlite3.connect`` can read, and DELETE, but cannot INSERT or
    UPDATE ``jctb`` or ``wpzf_division`` (see :func:`register_functions`).
    The audit and lock triggers fire the same for every client.
    """
    conn = sqlite3.connect(str(path), **kwargs)
    register_functions(conn)
    return conn


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
CREATE TABLE gpkg_data_column_constraints (
  constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT, min NUMERIC,
  min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT,
  CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));
INSERT INTO gpkg_extensions VALUES
  ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write');
INSERT INTO gpkg_extensions VALUES
  ('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema',
   'read-write');
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
    """List a feature table and give it the GeoPackage R-tree spatial index (spec triggers)."""
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
        "VALUES (?, 'features', ?, ?, ?)",
        (table, identifier, identifier, srs_id),
    )
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
        (table, geometry_type, srs_id),
    )
    ensure_rtree(conn, table)


RTREE_EXTENSION = ("gpkg_rtree_index", "http://www.geopackage.org/spec120/#extension_rtree", "write-only")


def rtree_triggers(table: str, geom: str = "geom", fid: str = "fid") -> dict[str, str]:
    """The R-tree triggers of the GeoPackage 1.2/1.3 spec, word for word as GDAL 3.6 writes them.

    Identical text means a spatial index GDAL or QGIS rebuilt
    (``DisableSpatialIndex``/``CreateSpatialIndex``) compares equal to ours, and
    GDAL never rewrites them on open. Their bodies call ST_* functions, so a
    client must register them (:func:`connect`) before it INSERTs or UPDATEs.
    """
    rt = f"rtree_{table}_{geom}"
    t, g, i = f'"{table}"', f'"{geom}"', f'"{fid}"'
    values = (f'INSERT OR REPLACE INTO "{rt}" VALUES (NEW.{i},ST_MinX(NEW.{g}), ST_MaxX(NEW.{g}),'
              f'ST_MinY(NEW.{g}), ST_MaxY(NEW.{g}));')
    return {
        f"{rt}_insert": f'CREATE TRIGGER "{rt}_insert" AFTER INSERT ON {t} WHEN (new.{g} NOT NULL AND '
                        f'NOT ST_IsEmpty(NEW.{g})) BEGIN {values} END',
        f"{rt}_update1": f'CREATE TRIGGER "{rt}_update1" AFTER UPDATE OF {g} ON {t} WHEN OLD.{i} = NEW.{i} AND '
                         f'(NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g})) BEGIN {values} END',
        f"{rt}_update2": f'CREATE TRIGGER "{rt}_update2" AFTER UPDATE OF {g} ON {t} WHEN OLD.{i} = NEW.{i} AND '
                         f'(NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g})) BEGIN DELETE FROM "{rt}" WHERE id = OLD.{i}; END',
        f"{rt}_update3": f'CREATE TRIGGER "{rt}_update3" AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND '
                         f'(NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g})) BEGIN DELETE FROM "{rt}" WHERE id = OLD.{i}; '
                         f'{values} END',
        f"{rt}_update4": f'CREATE TRIGGER "{rt}_update4" AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND '
                         f'(NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g})) BEGIN DELETE FROM "{rt}" WHERE id IN '
                         f'(OLD.{i}, NEW.{i}); END',
        f"{rt}_delete": f'CREATE TRIGGER "{rt}_delete" AFTER DELETE ON {t} WHEN old.{g} NOT NULL BEGIN '
                        f'DELETE FROM "{rt}" WHERE id = OLD.{i}; END',
    }


def normalise_sql(sql: str | None) -> str:
    """Trigger text compared without layout: whitespace runs as one space, no trailing ``;``."""
    return " ".join((sql or "").split()).rstrip(";").strip()


def rtree_findings(conn: sqlite3.Connection, table: str) -> list[str]:
    """What differs from the spec's spatial index of ``table`` ('' list when it is as it should be)."""
    rt = f"rtree_{table}_geom"
    findings = []
    if not _exists(conn, rt):
        findings.append(f"{rt} (spatial index table missing)")
    expected = rtree_triggers(table)
    present = dict(conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'",
        (rt.replace("_", "\\_") + "\\_%",)).fetchall())
    for name, sql in expected.items():
        if name not in present:
            findings.append(f"{name} (missing)")
        elif normalise_sql(present[name]) != normalise_sql(sql):
            findings.append(f"{name} (altered)")
    findings += [f"{name} (not a spatial-index trigger of the spec)" for name in present if name not in expected]
    if not conn.execute("SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND column_name = 'geom' "
                        "AND extension_name = 'gpkg_rtree_index'", (table,)).fetchone():
        findings.append(f"gpkg_extensions: gpkg_rtree_index of {table} (missing)")
    return findings


def ensure_rtree(conn: sqlite3.Connection, table: str) -> list[str]:
    """Bring ``table``'s R-tree index to the spec's form, inside the caller's transaction.

    Creates and fills the index when it is missing (e.g. after GDAL's
    ``DisableSpatialIndex``), replaces missing or differing triggers (and
    drops the ``…_update3_fid``/``…_update4_fid`` of workspaces written before
    schema 6 was final), declares the extension. Returns what was repaired.
    """
    findings = rtree_findings(conn, table)
    if not findings:
        return []
    rt = f"rtree_{table}_geom"
    if not _exists(conn, rt):
        conn.execute(f'CREATE VIRTUAL TABLE "{rt}" USING rtree(id, minx, maxx, miny, maxy)')
        conn.execute(f'INSERT OR REPLACE INTO "{rt}" SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), '
                     f'ST_MaxY(geom) FROM "{table}" WHERE geom NOT NULL AND NOT ST_IsEmpty(geom)')
    stale = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'",
        (rt.replace("_", "\\_") + "\\_%",))]
    for name in stale:
        conn.execute(f'DROP TRIGGER "{name}"')
    for sql in rtree_triggers(table).values():
        conn.execute(sql)
    conn.execute("DELETE FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_rtree_index'",
                 (table,))
    conn.execute("INSERT INTO gpkg_extensions VALUES (?, 'geom', ?, ?, ?)", (table, *RTREE_EXTENSION))
    return findings


def complete_schema_extension(conn: sqlite3.Connection) -> list[str]:
    """The schema extension's second table and rows (spec Req 141/107), for workspaces made without them."""
    done = []
    if not _exists(conn, "gpkg_data_column_constraints"):
        run_script(conn, CORE_DDL[CORE_DDL.index("CREATE TABLE gpkg_data_column_constraints"):
                                  CORE_DDL.index("INSERT INTO gpkg_extensions")])
        done.append("gpkg_data_column_constraints")
    for table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
        if not conn.execute("SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_schema'",
                            (table,)).fetchone():
            conn.execute("INSERT INTO gpkg_extensions VALUES (?, NULL, 'gpkg_schema', "
                         "'http://www.geopackage.org/spec/#extension_schema', 'read-write')", (table,))
            done.append(f"gpkg_extensions: gpkg_schema of {table}")
    return done


def _exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


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


def statements(script: str) -> list[str]:
    """The complete SQL statements of ``script`` (split as SQLite would, not at every ``;``)."""
    found, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                found.append(pending)
            pending = ""
    if pending.strip(" \n\t;"):
        raise ValueError(f"incomplete SQL statement: {pending[:80]!r}")
    return found


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute several statements inside the caller's transaction.

    ``Connection.executescript`` COMMITs a pending transaction first, which
    would break the all-or-nothing guarantee of imports and migrations.
    """
    for statement in statements(script):
        conn.execute(statement)
