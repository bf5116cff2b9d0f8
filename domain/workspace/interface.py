"""What the rest of the plugin may use of an open workspace, whichever backend holds it.

There are two workspace backends: a GeoPackage file
(:class:`~.store.Workspace`, a ``sqlite3`` connection) and a shared
PostgreSQL/PostGIS schema (:class:`~.postgis.store.PgWorkspace`, a
:class:`~.postgis.dbapi.PgConnection` that speaks the same sqlite-style SQL).
The domain, processing and ui code takes either. A :class:`typing.Protocol`
states that common surface once, so those callers are typed against it and
the type checker (``make lint``) refuses a caller that reaches for something
only one backend has (a GeoPackage's folder, a PostgreSQL cursor) without
saying so by naming the concrete class. Neither backend inherits from it:
they satisfy it structurally (``isinstance`` works too, it is runtime-checkable).

:class:`Batch` and :class:`WorkspaceError` are what both backends return and
raise; they live here so both backends and the shared batch logic
(:mod:`.batches`) import them without importing each other.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Protocol, TypeVar, runtime_checkable

from ..messages import WpzfError

_Self = TypeVar("_Self")


class WorkspaceError(WpzfError, RuntimeError):
    """A workspace cannot be opened or changed; the message says why."""


@dataclass(frozen=True)
class Batch:
    """One monthly delivery (批次) and its reporting stage."""

    id: int
    name: str
    received: str
    deadline: str
    stage: str
    locked: bool
    patch_count: int


@runtime_checkable
class SqlCursor(Protocol):
    """The part of a ``sqlite3.Cursor`` the domain reads (a :class:`~.postgis.dbapi.PgCursor` has it too)."""

    @property
    def description(self) -> Any: ...

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> Optional[int]: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


@runtime_checkable
class SqlConnection(Protocol):
    """Portable statements: ``?`` parameters, upper-case column names double-quoted, no RETURNING.

    Both ``ws.conn`` and what ``ws.transaction()`` yields have this shape
    (a ``sqlite3.Connection``; a ``PgConnection`` or its ``PgCursor``).
    """

    def execute(self, sql: str, parameters: Any = ..., /) -> SqlCursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> SqlCursor: ...


@runtime_checkable
class WorkspaceStore(Protocol):
    """An open workspace: its connection, editor, CRS, transactions, batches and their stages.

    ``path`` and ``evidence_dir`` are the GeoPackage file and the evidence
    folder beside it; both are None for a shared workspace (its snapshots and
    evidence files are rows). Code that needs a folder takes a
    :class:`~.store.Workspace` instead.
    """

    @property
    def conn(self) -> SqlConnection: ...

    @property
    def user(self) -> str: ...

    @property
    def path(self) -> Optional[Path]: ...

    @property
    def evidence_dir(self) -> Optional[Path]: ...

    @property
    def epsg(self) -> int: ...

    @property
    def schema_version(self) -> int: ...

    def transaction(self) -> AbstractContextManager[SqlConnection]:
        """One transaction: commit at the end of the block, roll back on any exception."""
        ...

    def close(self) -> None: ...

    def __enter__(self: _Self) -> _Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def batches(self) -> list[Batch]:
        """Every batch, by name, with its patch count."""
        ...

    def batch(self, name: str) -> Optional[Batch]: ...

    def lock_batch(self, name: str) -> None: ...

    def unlock_batch(self, name: str, reason: str) -> None: ...

    def set_stage(self, name: str, stage: str) -> None: ...


def insert_row(conn: SqlConnection, sql: str, params: Sequence[Any], key: str = "id") -> Optional[int]:
    """Run one INSERT (or INSERT … SELECT) and return the new row's ``key``; None when it inserted nothing.

    Each backend answers the way it can: PostgreSQL with ``RETURNING`` (its
    connection offers ``insert_returning``), SQLite with ``lastrowid`` — which
    would still hold an earlier row's id after an INSERT that added none,
    hence the row count.
    """
    insert_returning = getattr(conn, "insert_returning", None)
    if insert_returning is not None:
        return insert_returning(sql, params, key)
    cur = conn.execute(sql, params)
    return cur.lastrowid if cur.rowcount == 1 else None
