"""Copy a workspace GeoPackage ⇄ PostGIS losing nothing, and prove it.

Every table of the workspace is copied row by row with its own keys: batches,
patches (geometry as exact WKB), per-patch records, snapshots with their
content, the audit log and stage history (copied as history: the copy itself
writes no audit rows, because the triggers are off during the copy and back
on before commit). The new schema itself is created in the same transaction,
so a copy that is killed half-way (kill -9, lost connection) leaves nothing
that opens as a workspace: the server rolls it all back, and running the
copy again starts afresh. Evidence files go into ``wpzf_evidence_file`` by SHA-256 on
the way to the server and are written back into ``evidence/`` on the way
back; each is checked against its recorded hash.

The :class:`MigrationReport` holds per-table row counts and SHA-256 checksums
over canonical rows computed independently on both sides; the copy is
committed only when they all match. Canceling rolls everything back.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Optional

from ...evidence.paths import open_stored, resolve_inside
from ...messages import QT_TRANSLATE_NOOP
from ...progress import Canceled
from .. import gpkg
from .. import schema as gpkg_schema
from ..store import Workspace
from . import ddl
from .store import DEFAULT_SCHEMA, PgWorkspace
from .verify import (  # noqa: F401 - MigrationError, EVIDENCE_TABLE: part of this module's interface
    EVIDENCE_TABLE,
    GPKG_TO_POSTGIS,
    JSON_COLUMNS,
    POSTGIS_TO_GPKG,
    TABLES,
    MigrationError,
    MigrationReport,
    compare,
    file_sha256,
    gpkg_columns,
    gpkg_rows,
    pg_rows,
    require_ok,
)

ProgressFn = Optional[Callable[[float], None]]
CancelFn = Optional[Callable[[], bool]]


# -- GeoPackage → PostGIS ---------------------------------------------------------------------
def gpkg_to_postgis(gpkg_path: Path | str, params: Mapping[str, Any], schema: str = DEFAULT_SCHEMA,
                    progress: ProgressFn = None, is_canceled: CancelFn = None) -> MigrationReport:
    """Copy a GeoPackage workspace into a new schema; verified before commit."""
    started = time.monotonic()
    ws = Workspace.open(gpkg_path)
    try:
        pg = PgWorkspace.create(params, ws.epsg, schema, commit=False)  # schema and rows: one transaction
        try:
            report = _copy_into_postgis(ws, pg, progress, is_canceled)
            report.seconds = time.monotonic() - started
            return report
        finally:
            pg.close()
    finally:
        ws.close()


def _copy_into_postgis(ws: Workspace, pg: PgWorkspace, progress: ProgressFn, is_canceled: CancelFn) -> MigrationReport:
    from psycopg2.extras import Json, execute_values

    conn, epsg = pg.conn, ws.epsg
    try:
        with conn.cursor() as cur:
            cur.execute(f"SET LOCAL search_path = {ddl.q(pg.schema)}, public")
            for table, _ in TABLES:
                cur.execute(f"ALTER TABLE {ddl.q(table)} DISABLE TRIGGER USER")
            cur.execute("DELETE FROM wpzf_meta; DELETE FROM wpzf_schema_version;")
            for i, (table, key) in enumerate(TABLES):
                _check_canceled(is_canceled)
                columns = gpkg_columns(ws.conn, table)
                cols = ", ".join(ddl.q(c) for c in columns)
                template = "(" + ", ".join(
                    f"ST_GeomFromWKB(%s, {int(epsg)})" if c == "geom" else "%s" for c in columns) + ")"
                convert = [(lambda v: None if v is None else Json(v)) if (table, c) in JSON_COLUMNS else
                           (lambda v: v) for c in columns]
                rows = ([f(v) for f, v in zip(convert, row)] for row in gpkg_rows(ws.conn, table, key, columns))
                try:
                    execute_values(cur, f"INSERT INTO {ddl.q(table)} ({cols}) VALUES %s", rows,
                                   template=template, page_size=500)
                except Exception as exc:
                    raise MigrationError(QT_TRANSLATE_NOOP(
                        "domain", "Copying table {table} to PostGIS failed: {reason}"),
                        table=table, reason=str(exc).strip()) from exc
                if key in ("id", "fid"):  # keys are never reused: continue after SQLite's AUTOINCREMENT
                    last = max(_sqlite_sequence(ws.conn, table), ws.conn.execute(
                        f'SELECT COALESCE(MAX("{key}"), 0) FROM "{table}"').fetchone()[0])
                    cur.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                                (f"{ddl.q(pg.schema)}.{ddl.q(table)}", key, max(last, 1), last > 0))
                if progress:
                    progress(0.8 * (i + 1) / len(TABLES))
            _upload_evidence(cur, ws, is_canceled)
            for table, _ in TABLES:
                cur.execute(f"ALTER TABLE {ddl.q(table)} ENABLE TRIGGER USER")
        report = compare(ws, pg, GPKG_TO_POSTGIS)
        require_ok(report)
        conn.commit()
    except BaseException:
        if not conn.closed:  # the schema made by create() is in this transaction: it goes too
            conn.rollback()
        raise
    if progress:
        progress(1.0)
    return report


def _upload_evidence(cur, ws: Workspace, is_canceled: CancelFn) -> None:
    for rel, sha in ws.conn.execute('SELECT DISTINCT "WJLJ", "SHA256" FROM wpzf_evidence ORDER BY "WJLJ"'):
        _check_canceled(is_canceled)
        path = resolve_inside(ws.evidence_dir, rel)
        if not path.is_file():
            raise MigrationError(QT_TRANSLATE_NOOP("domain", "Evidence file {path} is missing; nothing was copied."),
                                 path=path)
        with open_stored(path) as handle:
            content = handle.read()
        if hashlib.sha256(content).hexdigest() != sha:
            raise MigrationError(QT_TRANSLATE_NOOP(
                "domain", "Evidence file {path} does not match its recorded SHA-256 {sha}; nothing was copied."),
                path=path, sha=sha)
        cur.execute(f"INSERT INTO {ddl.EVIDENCE_FILE_TABLE} (sha256, size, content) VALUES (%s, %s, %s) "
                    "ON CONFLICT (sha256) DO NOTHING", (sha, len(content), content))


# -- PostGIS → GeoPackage ---------------------------------------------------------------------
def postgis_to_gpkg(params: Mapping[str, Any], gpkg_path: Path | str, schema: str = DEFAULT_SCHEMA,
                    progress: ProgressFn = None, is_canceled: CancelFn = None) -> MigrationReport:
    """Copy a PostGIS workspace into a new GeoPackage (never overwritten); verified before commit."""
    from ...intake.leftovers import clean_stale, remove_with_companions, temp_path

    started = time.monotonic()
    gpkg_path = Path(gpkg_path)
    pg = PgWorkspace.open(params, schema)
    try:
        if gpkg_path.exists():
            raise MigrationError(QT_TRANSLATE_NOOP(
                "domain", "Workspace {path} already exists; it is never overwritten."), path=gpkg_path)
        evidence_existed = (gpkg_path.parent / "evidence").exists()
        clean_stale(gpkg_path)
        # built under a hidden name and renamed when verified: a killed copy never leaves a workspace that opens
        temp = temp_path(gpkg_path, tag="migrating")
        ws = Workspace.create(temp, pg.epsg)
        written: list[Path] = []
        try:
            report = _copy_into_gpkg(pg, ws, written, progress, is_canceled)
            ws.close()
            _place_new(temp, gpkg_path)
        except BaseException:
            ws.close()
            for path in written:
                path.unlink(missing_ok=True)
            remove_with_companions(temp)
            if not evidence_existed:
                _remove_empty_dirs(gpkg_path.parent / "evidence")
            raise
        report.seconds = time.monotonic() - started
        return report
    finally:
        pg.close()


def _place_new(temp: Path, target: Path) -> None:
    """Rename ``temp`` to ``target`` unless ``target`` appeared meanwhile (never overwritten)."""
    try:
        os.link(temp, target)
    except FileExistsError as exc:
        raise MigrationError(QT_TRANSLATE_NOOP(
            "domain", "Workspace {path} already exists; it is never overwritten."), path=target) from exc
    except OSError:  # no hard links (FAT, some shares): a checked rename
        if target.exists():
            raise MigrationError(QT_TRANSLATE_NOOP(
                "domain", "Workspace {path} already exists; it is never overwritten."), path=target) from None
        os.replace(temp, target)
        return
    temp.unlink()


def _copy_into_gpkg(pg: PgWorkspace, ws: Workspace, written: list[Path], progress: ProgressFn,
                    is_canceled: CancelFn) -> MigrationReport:
    conn = ws.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        # the copy is history, not new edits: audit and lock triggers come back after it
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                    "(name LIKE 'wpzf_audit_%' OR name LIKE 'wpzf_lock_%' OR name IN "
                                    "('wpzf_unlock_needs_reason', 'wpzf_stage_history_on_change'))").fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("DELETE FROM wpzf_meta")
        conn.execute("DELETE FROM wpzf_schema_version")
        for i, (table, key) in enumerate(TABLES):
            _check_canceled(is_canceled)
            _copy_table_into_gpkg(pg, conn, table, key)
            if progress:
                progress(0.8 * (i + 1) / len(TABLES))
        for table, key in TABLES:
            if key in ("id", "fid"):
                _set_sqlite_sequence(conn, table, _pg_sequence(pg, table, key))
        _download_evidence(pg, ws, written, is_canceled)
        gpkg_schema.rebuild_triggers(conn, gpkg_schema.LATEST_VERSION)
        gpkg.update_extent(conn, gpkg_schema.PATCH_TABLE)
        gpkg.update_extent(conn, gpkg_schema.DIVISION_TABLE)
        pg.conn.commit()  # end the reading transaction of the named cursors
        report = compare(ws, pg, POSTGIS_TO_GPKG)
        require_ok(report)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        pg.conn.rollback()
        raise
    if progress:
        progress(1.0)
    return report


def _copy_table_into_gpkg(pg: PgWorkspace, conn: sqlite3.Connection, table: str, key: str) -> None:
    """Every row of one PostGIS table into the same GeoPackage table: GeoPackage geometry blobs, JSON text."""
    import shapely

    columns = gpkg_columns(conn, table)
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) VALUES ({marks})'
    geom_at = columns.index("geom") if "geom" in columns else -1
    json_at = [j for j, c in enumerate(columns) if (table, c) in JSON_COLUMNS]
    batch = []
    for row in pg_rows(pg.conn, pg.schema, table, key, columns):
        row = list(row)
        if geom_at >= 0 and row[geom_at] is not None:
            wkb = bytes(row[geom_at])
            row[geom_at] = gpkg.encode(wkb, pg.epsg, tuple(shapely.bounds(shapely.from_wkb(wkb))))
        for j in json_at:
            if isinstance(row[j], (dict, list)):
                row[j] = json.dumps(row[j], ensure_ascii=False, sort_keys=True)
        batch.append([bytes(v) if isinstance(v, memoryview) else v for v in row])
        if len(batch) >= 1000:
            conn.executemany(sql, batch)
            batch.clear()
    conn.executemany(sql, batch)


def _sqlite_sequence(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _set_sqlite_sequence(conn: sqlite3.Connection, table: str, last: int) -> None:
    if conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (last, table)).rowcount == 0 \
            and last > 0:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, last))


def _pg_sequence(pg: PgWorkspace, table: str, key: str) -> int:
    """The last key the server handed out for ``table`` (0 when none)."""
    with pg.conn.cursor() as cur:
        cur.execute("SELECT pg_get_serial_sequence(%s, %s)", (f"{ddl.q(pg.schema)}.{ddl.q(table)}", key))
        seq = cur.fetchone()[0]
        cur.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {seq}")
        return int(cur.fetchone()[0])


def _download_evidence(pg: PgWorkspace, ws: Workspace, written: list[Path], is_canceled: CancelFn) -> None:
    with pg.conn.cursor() as cur:
        cur.execute(f'SELECT DISTINCT e."WJLJ", e."SHA256", f.content FROM {ddl.q(pg.schema)}.wpzf_evidence e '
                    f"LEFT JOIN {ddl.q(pg.schema)}.{ddl.EVIDENCE_FILE_TABLE} f ON f.sha256 = e.\"SHA256\" "
                    'ORDER BY e."WJLJ"')
        for rel, sha, content in cur:
            _check_canceled(is_canceled)
            target = resolve_inside(ws.evidence_dir, rel)
            if content is None:
                raise MigrationError(QT_TRANSLATE_NOOP(
                    "domain", "The server holds no evidence file with SHA-256 {sha} ({path}); nothing was copied."),
                    sha=sha, path=rel)
            content = bytes(content)
            if os.path.lexists(target):  # a planted link is refused by file_sha256, never followed
                if file_sha256(target) != sha:
                    raise MigrationError(QT_TRANSLATE_NOOP(
                        "domain", "Evidence file {path} already exists with other content; it is never overwritten."),
                        path=target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target = resolve_inside(ws.evidence_dir, rel)  # again: no link slipped in as the folder
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".wpzf-")
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.link(tmp, target)  # never replaces an existing file
            os.unlink(tmp)
            written.append(target)


def _remove_empty_dirs(root: Path) -> None:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if not any(root.iterdir()):
        root.rmdir()


def _check_canceled(is_canceled: CancelFn) -> None:
    if is_canceled is not None and is_canceled():
        raise Canceled()
