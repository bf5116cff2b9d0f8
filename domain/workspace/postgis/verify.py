"""Proof that a workspace copy (GeoPackage ⇄ PostGIS) lost nothing: counts and checksums per table.

Rows are read in key order on each side independently, each value in a
canonical form (numbers, text, JSON, geometry WKB), and hashed; evidence files
are compared by their SHA-256. :func:`compare` builds the report the copy in
:mod:`.migrate` must pass before it commits.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...evidence.paths import open_stored, resolve_inside
from ...messages import QT_TRANSLATE_NOOP
from .. import gpkg
from .. import tables as declared_tables
from ..store import Workspace, WorkspaceError
from ..tables import key_column
from . import ddl
from .store import PgWorkspace

#: (table, key column) in foreign-key order: every table both backends hold, as declared once
TABLES: tuple[tuple[str, str], ...] = (("wpzf_schema_version", "version"),) + tuple(
    (t.name, key_column(t)) for t in declared_tables.TABLES if not t.only)
JSON_COLUMNS = {("wpzf_audit", "old_value"), ("wpzf_audit", "new_value")}
EVIDENCE_TABLE = "evidence files"
GPKG_TO_POSTGIS, POSTGIS_TO_GPKG = "gpkg→postgis", "postgis→gpkg"


class MigrationError(WorkspaceError):
    """The copy failed or did not verify; nothing was committed on the target."""


@dataclass(frozen=True)
class TableCheck:
    """Rows and checksum of one table on both sides."""

    table: str
    source_rows: int
    target_rows: int
    source_sha256: str
    target_sha256: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sha256 == self.target_sha256


@dataclass
class MigrationReport:
    """What was copied, and the proof that both sides hold the same."""

    direction: str
    tables: list[TableCheck] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)

    def failures(self) -> list[TableCheck]:
        return [t for t in self.tables if not t.ok]




# -- canonical rows ------------------------------------------------------------------------
def canonical(value: Any) -> Any:
    """A value as both databases can agree on it: bytes as hex, JSON objects as sorted text."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def digest(rows: Iterable[Iterable[Any]]) -> tuple[int, str]:
    """(row count, SHA-256 over the canonical JSON lines of ``rows`` in key order)."""
    h, n = hashlib.sha256(), 0
    for row in rows:
        h.update(json.dumps([canonical(v) for v in row], ensure_ascii=False, separators=(",", ":")).encode())
        h.update(b"\n")
        n += 1
    return n, h.hexdigest()


def gpkg_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def gpkg_rows(conn: sqlite3.Connection, table: str, key: str, columns: list[str]):
    cols = ", ".join(f'"{c}"' for c in columns)
    for row in conn.execute(f'SELECT {cols} FROM "{table}" ORDER BY "{key}"'):
        yield [gpkg.wkb_of(v) if c == "geom" and v is not None else v for c, v in zip(columns, row)]


def _pg_select(columns: list[str]) -> str:
    return ", ".join("ST_AsBinary(geom, 'NDR')" if c == "geom" else ddl.q(c) for c in columns)


def pg_rows(conn, schema: str, table: str, key: str, columns: list[str]):
    with conn.cursor(name=f"wpzf_read_{table}") as cur:  # server-side: big tables stream
        cur.itersize = 2000
        cur.execute(f"SELECT {_pg_select(columns)} FROM {ddl.q(schema)}.{ddl.q(table)} ORDER BY {ddl.q(key)}")
        yield from cur


def gpkg_digest(conn: sqlite3.Connection, table: str, key: str, columns: list[str]) -> tuple[int, str]:
    return digest(gpkg_rows(conn, table, key, columns))


def pg_digest(conn, schema: str, table: str, key: str, columns: list[str]) -> tuple[int, str]:
    return digest(pg_rows(conn, schema, table, key, columns))


def _evidence_rows(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(set(rows))


def gpkg_evidence_digest(ws: Workspace) -> tuple[int, str]:
    """Digest over (relative path, SHA-256 of the file as it is on disk now)."""
    rows = []
    for rel, in ws.conn.execute('SELECT DISTINCT "WJLJ" FROM wpzf_evidence ORDER BY "WJLJ"'):
        path = resolve_inside(ws.evidence_dir, rel)
        rows.append((rel, file_sha256(path) if path.is_file() else "missing"))
    return digest(_evidence_rows(rows))


def pg_evidence_digest(conn, schema: str) -> tuple[int, str]:
    """Digest over (relative path, SHA-256 of the stored bytes, recomputed by the server)."""
    with conn.cursor() as cur:
        cur.execute(f'SELECT DISTINCT e."WJLJ", COALESCE(encode(sha256(f.content), \'hex\'), \'missing\') '
                    f"FROM {ddl.q(schema)}.wpzf_evidence e LEFT JOIN {ddl.q(schema)}.{ddl.EVIDENCE_FILE_TABLE} f "
                    f'ON f.sha256 = e."SHA256"')
        return digest(_evidence_rows(cur.fetchall()))


def file_sha256(path: Path) -> str:
    """SHA-256 of a stored evidence file, never read through a symbolic link."""
    h = hashlib.sha256()
    with open_stored(path) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def compare(ws: Workspace, pg: PgWorkspace, direction: str) -> MigrationReport:
    """Counts and checksums of every table (and the evidence files) on both sides."""
    report = MigrationReport(direction)
    for table, key in TABLES:
        columns = gpkg_columns(ws.conn, table)
        g = gpkg_digest(ws.conn, table, key, columns)
        p = pg_digest(pg.conn, pg.schema, table, key, columns)
        src, dst = (g, p) if direction == GPKG_TO_POSTGIS else (p, g)
        report.tables.append(TableCheck(table, src[0], dst[0], src[1], dst[1]))
    g, p = gpkg_evidence_digest(ws), pg_evidence_digest(pg.conn, pg.schema)
    src, dst = (g, p) if direction == GPKG_TO_POSTGIS else (p, g)
    report.tables.append(TableCheck(EVIDENCE_TABLE, src[0], dst[0], src[1], dst[1]))
    return report


def require_ok(report: MigrationReport) -> None:
    bad = report.failures()
    if bad:
        first = bad[0]
        raise MigrationError(QT_TRANSLATE_NOOP(
            "domain", "The copy does not verify: table {table} has {source} rows (SHA-256 {source_sha}) in the "
                      "source and {target} rows (SHA-256 {target_sha}) in the copy; nothing was committed."),
            table=first.table, source=first.source_rows, target=first.target_rows,
            source_sha=first.source_sha256[:12], target_sha=first.target_sha256[:12])
