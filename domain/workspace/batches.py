"""Batches and their reporting stages, written once for both workspace backends.

The GeoPackage :class:`~.store.Workspace` and the shared
:class:`~.postgis.store.PgWorkspace` list, lock, unlock and move batches the
same way: the SQL below is sqlite-style, and a PgWorkspace's connection and
transaction cursor translate it (``?`` → ``%s``, upper-case columns quoted,
see :mod:`.postgis.dbapi`). Who may lock or unlock, and that a locked batch
refuses changes, is the database's business (triggers, PostgreSQL roles).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from ..messages import QT_TRANSLATE_NOOP
from . import schema
from .interface import Batch, WorkspaceError, WorkspaceStore


def now_iso() -> str:
    """UTC timestamp in the format the triggers use."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


class BatchStages:
    """Mixin of both workspace classes: ``batches()``, ``batch()``, ``lock_batch()``, ``unlock_batch()``, ``set_stage()``.

    Uses only what :class:`~.interface.WorkspaceStore` declares (``conn``,
    ``transaction()``, ``user``).
    """

    def batches(self: WorkspaceStore) -> list[Batch]:
        rows = self.conn.execute(
            'SELECT b.id, b."PCMC", b."JSRQ", b."PDQX", b."JD", b."SDZT", '
            '(SELECT count(*) FROM jctb p WHERE p.batch_id = b.id) FROM wpzf_batch b ORDER BY b."PCMC"'
        ).fetchall()
        return [Batch(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]

    def batch(self: WorkspaceStore, name: str) -> Optional[Batch]:
        return next((b for b in self.batches() if b.name == name), None)

    def lock_batch(self: WorkspaceStore, name: str) -> None:
        """Lock a batch's stage data (after 二上): the database refuses further changes."""
        _update_batch(self, name, '"SDZT" = 1, "JD" = ?', ("锁定",))

    def unlock_batch(self: WorkspaceStore, name: str, reason: str) -> None:
        """Explicit, audited unlock; ``reason`` is required and kept in the stage history; the batch returns to 二上."""
        if not reason or not reason.strip():
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Unlocking batch {batch} needs a reason."), batch=name)
        _update_batch(self, name, '"SDZT" = 0, "JSYY" = ?, "JD" = ?', (reason.strip(), "二上"))

    def set_stage(self: WorkspaceStore, name: str, stage: str) -> None:
        """Move a batch to reporting stage ``stage`` (recorded in the stage history)."""
        if stage not in schema.STAGES:
            raise WorkspaceError(
                QT_TRANSLATE_NOOP("domain", "Unknown stage {stage!r}; stages are {stages}."),
                stage=stage, stages=", ".join(schema.STAGES),
            )
        _update_batch(self, name, '"JD" = ?', (stage,))


def _update_batch(ws: WorkspaceStore, name: str, assignments: str, params: tuple) -> None:
    with ws.transaction() as conn:
        cur = conn.execute(
            f'UPDATE wpzf_batch SET {assignments}, "XGR" = ?, "XGSJ" = ? WHERE "PCMC" = ?',
            (*params, ws.user, now_iso(), name),
        )
        if cur.rowcount != 1:
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=name)
