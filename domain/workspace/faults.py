"""Faults of the disk under a workspace, turned into messages a user can act on.

Why a module of its own: when the disk fills up in the middle of a write,
SQLite reports ``database or disk is full`` (SQLITE_FULL) and may already have
rolled the transaction back itself; a blind ``ROLLBACK`` then fails with
"cannot rollback - no transaction is active" and that second error hides the
first. The transaction code rolls back only a transaction still open and
raises :class:`DiskFullError`, which names the workspace file.
"""
from __future__ import annotations

import errno
import sqlite3
from typing import Optional

from ..messages import QT_TRANSLATE_NOOP
from .store import WorkspaceError

SQLITE_FULL = getattr(sqlite3, "SQLITE_FULL", 13)


class DiskFullError(WorkspaceError):
    """The disk holding a workspace is full; the change was rolled back."""


def is_disk_full(exc: BaseException) -> bool:
    """True for SQLite's SQLITE_FULL and for an OS write that failed with ENOSPC."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)  # Python ≥ 3.11
        return code == SQLITE_FULL or "disk is full" in str(exc)
    return False


def database_file(conn: sqlite3.Connection) -> str:
    """The main database file of ``conn`` ('' for an in-memory database or when it cannot be asked)."""
    try:
        for _, name, path in conn.execute("PRAGMA database_list"):
            if name == "main":
                return path or ""
    except sqlite3.Error:
        pass
    return ""


def recover(conn: sqlite3.Connection) -> None:
    """Let SQLite play back the hot journal a failed write left behind (and delete it) now.

    After an I/O error the pager only restores the file the next time it
    reads; reading at once means the workspace file is whole again and no
    ``-journal`` is left beside it, even if the program stops right after.
    """
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        pass  # the next open plays the journal back instead


def disk_full_error(conn: sqlite3.Connection, exc: BaseException) -> Optional[DiskFullError]:
    """A :class:`DiskFullError` naming the workspace when ``exc`` is a full disk, else None."""
    if not is_disk_full(exc):
        return None
    recover(conn)
    return DiskFullError(QT_TRANSLATE_NOOP(
        "domain", "The disk holding workspace {path} is full; the change was rolled back and the workspace "
                  "keeps its previous content. Free some disk space and try again."),
        path=database_file(conn) or "?")
