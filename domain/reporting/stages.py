"""Reporting stages of a batch: 核查中 → 一上 → 一下 → 二上 → 锁定.

- 一上 / 二上 (submit): the quality check runs first, in its submission context
  (an undecided or only pre-judged patch is an error there: 工作方案 四(二) 月清),
  and any error refuses the submission; once it finds none, the rule set's ``[review]`` (层层审查,
  :mod:`..casework.review`) refuses each decided patch whose review chain has not reached the step it
  needs (rule R01, with the reason per patch); otherwise a snapshot of exactly what is reported is
  frozen and the stage moves, both in one transaction.
- 一下: the city returned problem patches (see :mod:`.feedback`).
- 锁定: the city locked the stage data; the database refuses every change.
- Unlocking needs a reason and returns the batch to 二上.
Every transition is written to ``wpzf_stage_history`` by a database trigger,
with who (the client's XGR stamp) and when.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..messages import QT_TRANSLATE_NOOP, Message
from ..workspace.interface import Batch, WorkspaceStore
from ..workspace.store import WorkspaceError, now_iso
from .periods import decision_deadline, report_deadline
from .snapshot import Snapshot, export_batch, write_snapshot

CHECKING, FIRST, RETURNED, SECOND, LOCKED = "核查中", "一上", "一下", "二上", "锁定"

#: stage → the stages it may move to (unlocking is :meth:`Workspace.unlock_batch`).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CHECKING: (FIRST,),
    FIRST: (RETURNED, LOCKED),
    RETURNED: (SECOND,),
    SECOND: (RETURNED, LOCKED),
    LOCKED: (),
}
SUBMIT_FROM = {CHECKING: FIRST, RETURNED: SECOND}


class StageError(WorkspaceError):
    """A stage change that is not allowed now; the message says why and what is allowed."""


@dataclass(frozen=True)
class Submission:
    """Result of a submission: the new stage, its snapshot and the check's counts."""

    batch: str
    stage: str
    snapshot: Snapshot
    errors: int
    warnings: int


def _existing(ws: WorkspaceStore, batch: str) -> Batch:
    found = ws.batch(batch)
    if found is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch)
    return found


def current_stage(ws: WorkspaceStore, batch: str) -> str:
    return _existing(ws, batch).stage


def check_transition(ws: WorkspaceStore, batch: str, target: str) -> str:
    """The batch's current stage, or :class:`StageError` if it cannot move to ``target``."""
    found = _existing(ws, batch)
    stage = found.stage
    if found.locked:
        raise StageError(QT_TRANSLATE_NOOP(
            "domain", "Batch {batch} is locked (stage {stage}); its data can no longer change. Unlock it with a "
                      "reason first."), batch=batch, stage=stage)
    if target not in TRANSITIONS.get(stage, ()):
        allowed = "、".join(TRANSITIONS.get(stage, ())) or "-"
        raise StageError(QT_TRANSLATE_NOOP(
            "domain", "Batch {batch} is at stage {stage} and cannot move to {target}; allowed next: {allowed}."),
            batch=batch, stage=stage, target=target, allowed=allowed)
    return stage


def submit(ws: WorkspaceStore, batch: str, ruleset, on: dt.date | None = None,
           render: Callable[[Message], str] = str) -> Submission:
    """Submit 一上 (from 核查中) or 二上 (from 一下): quality check, snapshot, stage — or refuse.

    ``render``: the review chain's refusals in the rule set's language (see ``submission_violations``).
    """
    from ..casework.review import submission_violations as review_violations
    from ..rules import ERROR
    from ..workspace.judgement import load_patches, run_quality_check, store_check_results

    stage = current_stage(ws, batch)
    target = SUBMIT_FROM.get(stage)
    if target is None:
        raise StageError(QT_TRANSLATE_NOOP(
            "domain", "Batch {batch} is at stage {stage}; only a batch at 核查中 (for 一上) or 一下 (for 二上) can "
                      "be submitted."), batch=batch, stage=stage)
    check_transition(ws, batch, target)
    found = run_quality_check(ws, ruleset, batch, on or dt.date.today(), submission=True)
    if not any(v.severity == ERROR for _, v in found):  # 层层审查 (the rule set's [review]) signs correct data only
        found += review_violations(ws, ruleset, load_patches(ws, batch), render)
    store_check_results(ws, batch, found)
    errors = [v for _, v in found if v.severity == ERROR]
    if errors:
        first = "; ".join(f"{v.jcbh} {v.rule_id}: {v.message}" for v in errors[:3])
        raise StageError(QT_TRANSLATE_NOOP(
            "domain", "Batch {batch} cannot be submitted as {target}: the quality check found {count} errors "
                      "(for example {first}). Correct them and submit again."),
            batch=batch, target=target, count=len(errors), first=first)
    with ws.transaction() as conn:
        content = export_batch(ws, batch, target)
        snapshot = write_snapshot(ws, batch, target, content)
        _move(conn, ws, batch, target)
    return Submission(batch, target, snapshot, 0, len(found))


def mark_returned(ws: WorkspaceStore, batch: str) -> str:
    """The city returned problem patches: 一上/二上 → 一下 (own transaction)."""
    with ws.transaction() as conn:
        stage = check_transition(ws, batch, RETURNED)
        _move(conn, ws, batch, RETURNED)
    return stage


def lock(ws: WorkspaceStore, batch: str) -> None:
    """The city locked the reported stage (一上 or 二上): the batch's data are frozen."""
    check_transition(ws, batch, LOCKED)
    ws.lock_batch(batch)


def unlock(ws: WorkspaceStore, batch: str, reason: str) -> None:
    """Unlock a locked batch with a reason (kept in the stage history); it returns to 二上."""
    found = _existing(ws, batch)
    stage = found.stage
    if not found.locked:
        raise StageError(QT_TRANSLATE_NOOP("domain", "Batch {batch} is not locked (stage {stage}); nothing to unlock."),
                         batch=batch, stage=stage)
    ws.unlock_batch(batch, reason)


def _move(conn, ws: WorkspaceStore, batch: str, target: str) -> None:
    conn.execute('UPDATE wpzf_batch SET "JD" = ?, "XGR" = ?, "XGSJ" = ? WHERE "PCMC" = ?', (target, ws.user, now_iso(), batch))


@dataclass(frozen=True)
class StageRecord:
    """One row of the stage history."""

    at: str
    who: str
    from_stage: str
    to_stage: str
    locked: bool
    reason: str


def history(ws: WorkspaceStore, batch: str) -> list[StageRecord]:
    rows = ws.conn.execute(
        "SELECT h.at, h.who, h.from_stage, h.to_stage, h.locked, h.reason FROM wpzf_stage_history h "
        'JOIN wpzf_batch b ON b.id = h.batch_id WHERE b."PCMC" = ? ORDER BY h.id', (batch,))
    return [StageRecord(r[0], r[1], r[2] or "", r[3] or "", bool(r[4]), r[5] or "") for r in rows]


@dataclass(frozen=True)
class BatchDeadlines:
    """Both deadlines of a batch and how many days are left on ``today`` (negative: overdue)."""

    batch: str
    received: dt.date
    decision_due: dt.date
    report_due: dt.date
    decision_days_left: int
    report_days_left: int


def deadlines(ws: WorkspaceStore, ruleset, today: dt.date | None = None) -> list[BatchDeadlines]:
    """合法性判定 (receipt + decision_days) and 月报 (report_day of the next month) per batch."""
    today = today or dt.date.today()
    result = []
    for b in ws.batches():
        received = dt.date.fromisoformat(b.received)
        decision = decision_deadline(received, ruleset.deadlines.decision_days)
        report = report_deadline(received, ruleset.deadlines.report_day)
        result.append(BatchDeadlines(b.name, received, decision, report, (decision - today).days,
                                     (report - today).days))
    return result
