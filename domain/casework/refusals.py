"""The clear errors for a save the workspace refused: a locked batch, a newer version, another town's patch.

The database refuses by itself too (triggers and roles, whatever the
client); its ``sqlite3``/PostgreSQL errors become the same messages, naming
the patch, and for a conflict who saved it when and each field's value in
the form beside the stored one.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import fields
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, Message
from ..workspace.interface import WorkspaceStore
from ..workspace.postgis.roles import OTHER_TOWN_SQLSTATE
from ..workspace.postgis.store import ConflictError
from ..workspace.postgis.triggers import CONFLICT_SQLSTATE, LOCKED_SQLSTATE
from ..workspace.store import WorkspaceError
from ..workspace.triggers import LOCKED_MESSAGE
from .records import CaseInfo, DecisionInput
from .state import PatchState, patch_state
from .validate import label

_LOCK_MARK = LOCKED_MESSAGE.split("(")[0].strip()
_NOT_COMPARED = frozenset({"XGR", "XGSJ", "PDR", "PDSJ", "batch_id"})
"""Stamps the conflict message already names (who, when) or that the save fills in itself."""
_FLAGS = frozenset(f.name for cls in (DecisionInput, CaseInfo) for f in fields(cls) if "bool" in str(f.type))
"""Yes/no columns: an unticked box (0) and never answered (NULL) are no difference worth reporting."""




def lock_error(state: PatchState) -> WorkspaceError:
    lock = state.lock
    return WorkspaceError(
        QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) was not saved: batch {batch} is locked at stage {stage} (locked {at} by {who}; last unlock reason: {reason}). Nothing was changed."),
        jcbh=state.jcbh, fid=state.fid, batch=lock.batch, stage=lock.stage, at=lock.locked_at or "—",
        who=lock.locked_by or "—", reason=lock.unlock_reason or "—")


def _sqlstate(exc: BaseException) -> str:
    """SQLSTATE of a PostgreSQL (psycopg2) error; '' for anything else."""
    return str(getattr(exc, "pgcode", "") or "")


def is_lock_refusal(exc: BaseException) -> bool:
    return _sqlstate(exc) == LOCKED_SQLSTATE or (isinstance(exc, sqlite3.DatabaseError) and _LOCK_MARK in str(exc))


def database_refusal(ws: WorkspaceStore, fid: int, exc: BaseException, loaded: Optional[PatchState],
                      mine: Mapping[str, Any]) -> Optional[WorkspaceError]:
    """The clear error for a refusal by the database's own triggers and roles; None for anything else."""
    code = _sqlstate(exc)
    if not (is_lock_refusal(exc) or code in (CONFLICT_SQLSTATE, OTHER_TOWN_SQLSTATE)):
        return None
    try:
        state = patch_state(ws, fid)
    except Exception:  # noqa: BLE001 - the connection itself failed: the original error says more
        return None
    if is_lock_refusal(exc):
        if state.lock.locked:
            return lock_error(state)
        return WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch fid {fid} was not saved: its batch is locked. Nothing was changed."),
                              fid=fid)
    if code == CONFLICT_SQLSTATE:
        return conflict_error(loaded or state, state, mine)
    return _refused_error(ws, state, exc)


def _refused_error(ws: WorkspaceStore, state: PatchState, exc: BaseException) -> WorkspaceError:
    """A technician's change of another town's patch (or a login without the right) refused by the roles."""
    diag = getattr(exc, "diag", None)
    reason = (getattr(diag, "message_primary", None) or str(exc)).strip()
    try:
        login = ws.conn.execute("SELECT current_user").fetchone()[0]
        towns = [r[0] for r in ws.conn.execute('SELECT "XZQDM" FROM wpzf_user_town WHERE username = current_user '
                                               'ORDER BY "XZQDM"')]
    except Exception:  # noqa: BLE001 - the message without the towns is still clear
        login, towns = ws.user, []
    if not towns:
        return WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) was not saved: the database login {login} has no right to change it ({reason}). Nothing was changed."),
                              jcbh=state.jcbh, fid=state.fid, login=login, reason=reason)
    return WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) in town {town} was not saved: technician {login} may change only the patches of the towns assigned to them ({towns}). Nothing was changed."),
                          jcbh=state.jcbh, fid=state.fid, town=_rights_town(ws, state), login=login,
                          towns=", ".join(towns))


def _rights_town(ws: WorkspaceStore, state: PatchState) -> str:
    """The town the roles refused by: the 镇街 the boundaries placed the patch in (code and name), else its XZQDM.

    Deliveries carry the county code (domain.md §9), so the XZQDM alone would name no town.
    """
    own = state.values.get("XZQDM") or "?"
    try:
        town = ws.conn.execute("SELECT wpzf_patch_town(?)", (state.fid,)).fetchone()[0] or own
        row = ws.conn.execute('SELECT "XZMC" FROM wpzf_patch_division WHERE patch_fid = ? AND "XZDM" = ?',
                              (state.fid, town)).fetchone()
    except Exception:  # noqa: BLE001 - an older workspace: its XZQDM is the town
        return own
    return f"{town} {row[0]}" if row and row[0] else town


class MessageList(Message):
    """Several messages shown one after another, each translated on its own."""

    def __init__(self, items: list[Message], separator: str = "; ") -> None:
        super().__init__("")
        self.items = items
        self.separator = separator

    def render(self, translate=lambda template: template) -> str:
        return self.separator.join(m.render(translate) for m in self.items)


def same_value(a: Any, b: Any) -> bool:
    """Equal as stored: None and '' alike, numbers by value."""
    a, b = (None if v == "" else v for v in (a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _shown_time(stamp: Any) -> str:
    """An XGSJ stamp (UTC, ISO) in local time, as the user reads a clock."""
    if not stamp:
        return "?"
    try:
        when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M:%S")


def conflict_error(loaded: PatchState, stored: PatchState, mine: Mapping[str, Any]) -> ConflictError:
    """Someone saved the patch after ``loaded`` was read: name them, when, and each differing field.

    A field's "yours" is the value the form was saving (``mine``) or, for a
    field the form does not write, the value it had loaded.
    """
    conflicts = []
    for name, theirs in stored.values.items():
        if name in _NOT_COMPARED:
            continue
        yours = mine[name] if name in mine else loaded.values.get(name)
        if not same_value(yours, theirs) and not (name in _FLAGS and not yours and not theirs):
            conflicts.append((name, yours, theirs))
    listed: Message = MessageList([
        Message(QT_TRANSLATE_NOOP("domain", "{label} {field}: yours {mine}, stored {stored}"), label=label(name),
                field=name, mine=_shown(yours), stored=_shown(theirs)) for name, yours, theirs in conflicts]) \
        if conflicts else Message(QT_TRANSLATE_NOOP("domain", "no field differs from the stored values"))
    return ConflictError(
        QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) was not saved: {who} saved it at {when}, after you opened it; nothing was written. {fields}. Open the patch again to see the stored values, then enter your change anew."),
        conflicts=conflicts, jcbh=stored.jcbh, fid=stored.fid, who=stored.values.get("XGR") or "?",
        when=_shown_time(stored.values.get("XGSJ")), fields=listed)


