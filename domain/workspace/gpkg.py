"""Minimal GeoPackage 1.3 plumbing on plain ``sqlite3``: the container (tables, R-tree, extensions).

We write the container ourselves so that an import is one SQLite transaction
(atomic, byte-for-byte rollback) and so the database-level triggers stay under
our control. QGIS/GDAL open the result as an ordinary GeoPackage. The geometry
blob and the ST_* SQL functions are :mod:`.gpkg_codec`'s.
"""
from __future__ import annotations

import sqlite3

# the geometry blob and the ST_* functions are the codec's; re-exported as the workspace's API
from .gpkg_codec import encode as encode
from .gpkg_codec import envelope as envelope
from .gpkg_codec import is_empty as is_empty
from .gpkg_codec import register_functions as register_functions
from .gpkg_codec import wkb_of as wkb_of

APPLICATION_ID = 0x47504B47  # 'GPKG'
USER_VERSION = 10300  # GeoPackage 1.3.0


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
