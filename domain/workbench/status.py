"""Status of a patch in the technician's list and the 20-day deadline rule.

A patch can be several things at once (decided and returned by the city, say);
the list colours a row by its most urgent status, in :data:`PRIORITY` order.
"""
from __future__ import annotations

import datetime as dt

from ..messages import QT_TRANSLATE_NOOP
from ..workspace.store import DECISION_DAYS

LOCKED = "locked"
RETURNED = "returned"
CHECK_ERRORS = "errors"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
DECIDED = "decided"
PENDING = "pending"

PRIORITY: tuple[str, ...] = (LOCKED, RETURNED, CHECK_ERRORS, OVERDUE, DUE_SOON, DECIDED, PENDING)
"""Most urgent first: the row colour follows the first status a patch has."""

LABELS: dict[str, str] = {
    LOCKED: QT_TRANSLATE_NOOP("domain", "Locked"),
    RETURNED: QT_TRANSLATE_NOOP("domain", "Returned by the city"),
    CHECK_ERRORS: QT_TRANSLATE_NOOP("domain", "Quality-check errors"),
    OVERDUE: QT_TRANSLATE_NOOP("domain", "Overdue"),
    DUE_SOON: QT_TRANSLATE_NOOP("domain", "Due within 3 days"),
    DECIDED: QT_TRANSLATE_NOOP("domain", "Decided"),
    PENDING: QT_TRANSLATE_NOOP("domain", "Awaiting decision"),
}
"""English labels (translated in context "domain"): 已锁定, 一下退回, 有质检错误, 逾期, 3日内到期, 已判定, 待判定."""

DUE_SOON_DAYS = 3
"""A pending patch is "due soon" when its deadline is at most this many days away."""


def deadline(patch_deadline: str | None, batch_deadline: str | None, received: str | None) -> str | None:
    """合法性判定 deadline (yyyy-mm-dd): the patch's own PDQX, else the batch's, else receipt + 20 days."""
    for value in (patch_deadline, batch_deadline):
        if value and value.strip():
            return value.strip()[:10]
    if received:
        try:
            return (dt.date.fromisoformat(received[:10]) + dt.timedelta(days=DECISION_DAYS)).isoformat()
        except ValueError:
            return None
    return None


def days_left(deadline_text: str | None, today: dt.date) -> int | None:
    """Whole days from ``today`` to the deadline (negative when past); None when unknown or unreadable."""
    if not deadline_text:
        return None
    try:
        return (dt.date.fromisoformat(deadline_text[:10]) - today).days
    except ValueError:
        return None


def is_decided(decision: str | None) -> bool:
    """A patch counts as decided once 判定类型 holds a value."""
    return bool(decision and decision.strip())


def deadline_state(decided: bool, locked: bool, left: int | None) -> str | None:
    """OVERDUE or DUE_SOON for an open patch, None when decided, locked, unknown or later."""
    if decided or locked or left is None:
        return None
    if left < 0:
        return OVERDUE
    if left <= DUE_SOON_DAYS:
        return DUE_SOON
    return None


def statuses(*, locked: bool, decided: bool, days: int | None, errors: int, returned: bool) -> tuple[str, ...]:
    """Every status that applies, most urgent first (never empty)."""
    found = set()
    if locked:
        found.add(LOCKED)
    if returned:
        found.add(RETURNED)
    if errors > 0:
        found.add(CHECK_ERRORS)
    state = deadline_state(decided, locked, days)
    if state:
        found.add(state)
    found.add(DECIDED if decided else PENDING)
    return tuple(s for s in PRIORITY if s in found)
