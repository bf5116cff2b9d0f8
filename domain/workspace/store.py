"""Open, create and administer a GeoPackage workspace (batches, stages, locks).

A workspace is ``name.gpkg`` plus an ``evidence/`` folder beside it. All
writes go through explicit transactions on a plain ``sqlite3`` connection.
"""
from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..crs import srs_definition
from ..messages import QT_TRANSLATE_NOOP
from ..output_files import made_folder
from . import gpkg, schema
from .batches import BatchStages
from .batches import now_iso as now_iso  # re-exported: callers import these from here
from .interface import Batch as Batch
from .interface import WorkspaceError as WorkspaceError

DECISION_DAYS = 20
"""合法性判定 is due this many days after receipt (work plan 四(一))."""


def deadline_for(received: str) -> str:
    """合法性判定 deadline for a batch received on ``received`` (yyyy-mm-dd)."""
    try:
        day = dt.date.fromisoformat(received)
    except ValueError as exc:
        raise WorkspaceError(
            QT_TRANSLATE_NOOP("domain", "Received date RECEIVED must be yyyy-mm-dd, got {value!r}."), value=received
        ) from exc
    return (day + dt.timedelta(days=DECISION_DAYS)).isoformat()


def current_user() -> str:
    """OS account name, recorded as the editor of every change we make."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service contexts
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def connect(path: Path) -> sqlite3.Connection:
    """A connection in manual-transaction mode with the GeoPackage functions."""
    conn = gpkg.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Workspace(BatchStages):
    """An open workspace. Use :meth:`create` or :meth:`open`; close when done.

    Batches and stages come from :class:`~.batches.BatchStages`, shared with
    the PostGIS workspace; both satisfy :class:`~.interface.WorkspaceStore`.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, user: str) -> None:
        self.path = path
        self.conn = conn
        self.user = user
        self._checked_schema = _schema_cookie(conn)

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, epsg: int, user: str | None = None) -> Workspace:
        """Create an empty workspace in CGCS2000 GK CRS ``epsg``; refuse to overwrite."""
        path = Path(path)
        if path.exists():
            raise WorkspaceError(
                QT_TRANSLATE_NOOP("domain", "Workspace {path} already exists; it is never overwritten."), path=path
            )
        made_folder(path.parent)
        name, wkt = srs_definition(epsg)
        conn = connect(path)
        try:
            conn.execute("BEGIN")
            gpkg.initialise(conn)
            gpkg.add_srs(conn, epsg, name, wkt)
            schema.migrate(conn, epsg)
            conn.executemany(
                "INSERT INTO wpzf_meta VALUES (?, ?)",
                [("crs_epsg", str(epsg)), ("created_at", now_iso()), ("created_by", user or current_user())],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.close()
            path.unlink(missing_ok=True)
            raise
        (path.parent / EVIDENCE_DIR).mkdir(exist_ok=True)
        return cls(path, conn, user or current_user())

    @classmethod
    def open(cls, path: Path | str, user: str | None = None, upgrade: bool = True,
             repair: bool = False) -> Workspace:
        """Open an existing workspace, migrating an older schema when ``upgrade``.

        The audit and lock triggers are compared with the ones this plugin
        writes: a trigger dropped, altered or added by hand makes the open fail
        with a :class:`WorkspaceError` naming it, unless ``repair`` (then they
        are restored and the restoration is recorded in the audit log). What
        only keeps the file from being a valid GeoPackage (e.g. a spatial index
        another tool rebuilt) is put right silently.
        """
        path = Path(path)
        if not path.is_file():
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Workspace file not found: {path}"), path=path)
        conn = connect(path)
        user = user or current_user()
        try:
            try:
                version = schema.current_version(conn)
            except sqlite3.DatabaseError as exc:
                raise WorkspaceError(
                    QT_TRANSLATE_NOOP("domain", "{path} is not a WPZF workspace (no wpzf_schema_version table)."),
                    path=path,
                ) from exc
            if version == 0:
                raise WorkspaceError(
                    QT_TRANSLATE_NOOP("domain", "{path} is not a WPZF workspace (no wpzf_schema_version table)."),
                    path=path,
                )
            if version != schema.LATEST_VERSION:
                if version > schema.LATEST_VERSION or not upgrade:
                    raise WorkspaceError(
                        QT_TRANSLATE_NOOP(
                            "domain", "Workspace {path} has schema version {found}; this plugin needs {needed}. Update the plugin."
                        ),
                        path=path, found=version, needed=schema.LATEST_VERSION,
                    )
                with _transaction(conn):
                    schema.migrate(conn, _epsg(conn))
            _check_integrity(conn, path, user, repair)
            if schema.geopackage_findings(conn):
                with _transaction(conn):
                    schema.conform_to_geopackage(conn)
        except BaseException:
            conn.close()
            raise
        (path.parent / EVIDENCE_DIR).mkdir(exist_ok=True)
        workspace = cls(path, conn, user)
        workspace._checked_schema = _schema_cookie(conn)
        return workspace

    def restore_integrity(self) -> list[str]:
        """Put back hand-dropped or altered audit/lock triggers; returns what was found (recorded in the audit)."""
        with _transaction(self.conn):
            findings = schema.integrity_findings(self.conn)
            if findings:
                schema.restore_integrity(self.conn, findings, self.user)
        self._checked_schema = _schema_cookie(self.conn)
        return findings

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- properties ------------------------------------------------------
    @property
    def epsg(self) -> int:
        return _epsg(self.conn)

    @property
    def evidence_dir(self) -> Path:
        return self.path.parent / EVIDENCE_DIR

    @property
    def schema_version(self) -> int:
        return schema.current_version(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (cancel included).

        Refuses to start when the schema changed since it was last checked
        and the audit/lock triggers no longer are what they must be (another
        client dropped or altered one while this workspace was open).
        """
        with _transaction(self.conn):
            cookie = _schema_cookie(self.conn)
            if cookie != self._checked_schema:
                findings = schema.integrity_findings(self.conn)
                if findings:
                    raise _tampered(self.path, findings)
                self._checked_schema = cookie
            yield self.conn


EVIDENCE_DIR = "evidence"
"""Folder beside the GeoPackage that holds the evidence files (佐证资料)."""


def _epsg(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM wpzf_meta WHERE key = 'crs_epsg'").fetchone()
    if row is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace records no CRS (wpzf_meta.crs_epsg)."))
    return int(row[0])


def _schema_cookie(conn: sqlite3.Connection) -> int:
    """SQLite's schema version: it changes with every CREATE/DROP/ALTER, by any client."""
    return conn.execute("PRAGMA schema_version").fetchone()[0]


def _tampered(path: Path, findings: list[str]) -> WorkspaceError:
    return WorkspaceError(
        QT_TRANSLATE_NOOP(
            "domain",
            "The audit and lock triggers of workspace {path} were changed outside WPZF: {objects}. Nothing is "
            "written until they are restored: reopen the workspace with repair (Workspace.open(..., repair=True) / "
            "Workspace.restore_integrity()); the restoration is recorded in the audit log.",
        ),
        path=path, objects="; ".join(findings),
    )


def _check_integrity(conn: sqlite3.Connection, path: Path, user: str, repair: bool) -> None:
    """Refuse a workspace whose audit/lock triggers were tampered with, or restore them when ``repair``."""
    findings = schema.tamper_findings(conn)
    if findings and not repair:
        raise _tampered(path, findings)
    if findings:
        with _transaction(conn):
            schema.restore_integrity(conn, schema.integrity_findings(conn), user)
    elif schema.predates_current_triggers(conn):
        with _transaction(conn):  # triggers of an earlier plugin version: upgraded like a migration
            schema.rebuild_triggers(conn, schema.current_version(conn))


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:  # SQLite may already have rolled back (disk full): never hide the cause
            conn.execute("ROLLBACK")
        from .faults import disk_full_error

        full = disk_full_error(conn, exc)
        if full is not None:
            raise full from exc
        raise
