"""Casework (合法性判定, 外业踏勘, 移交, 立案, 整改) on one patch: input records, validation, saving. No Qt.

The forms in ``ui/forms`` are thin: they build the records of :mod:`.records`,
show the problems :mod:`.validate` finds, and call :mod:`.save`, which writes
one transaction per form, stamps who and when, and turns the database's
stage-lock refusal into a clear :class:`~..workspace.store.WorkspaceError`.
"""
from __future__ import annotations

from .records import CaseInfo, DecisionInput, FieldVisit, RectificationInput, Referral
from .validate import ERROR, WARNING, Problem, has_errors

__all__ = [
    "CaseInfo",
    "DecisionInput",
    "ERROR",
    "FieldVisit",
    "Problem",
    "Referral",
    "RectificationInput",
    "WARNING",
    "has_errors",
]
