"""Validation of casework input against the workspace's rule set, plus the inline quality check.

Every problem names the column and its Chinese label, so a form can put the
message next to the field and the technician can fix it before saving. The
same checks run again inside the save, so no client can store what a form
would refuse.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, Message
from ..rules import PatchRecord, RuleSet, quality_check
from ..rules.ruleset import ILLEGAL, LEGAL
from ..workspace.columns import PATCH_COLUMNS
from .records import CaseInfo, DecisionInput, FieldVisit, RectificationInput, Referral

ERROR, WARNING = "error", "warning"
TOLERANCE_MU = 0.01
"""Areas compare at report precision (0.01 亩)."""

CHILD_LABELS: dict[str, str] = {
    "KCRQ": "踏勘日期", "KCRY": "踏勘人员", "KCQK": "踏勘情况",
    "YJBM": "移交部门", "YJRQ": "移交日期", "YJWH": "移交文号", "ZT": "状态", "SM": "说明",
    "JLRQ": "记录日期",
}
LABELS: dict[str, str] = {**{c.name: c.alias for c in PATCH_COLUMNS}, **CHILD_LABELS}


def label(column: str) -> str:
    """Chinese label of a column (without its unit)."""
    text = LABELS.get(column, column)
    return text.split("(")[0]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: the column it concerns ('' for the whole form), severity, message."""

    field: str
    severity: str
    message: Message
    quality: bool = False
    """From the stage quality checks: shown while editing, but it blocks the stage submission, not the save."""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def blocks_save(self) -> bool:
        return self.is_error and not self.quality

    def __str__(self) -> str:
        return str(self.message)


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether any problem stops the save (quality-check errors stop only the stage submission)."""
    return any(p.blocks_save for p in problems)


def _problem(column: str, template: str, severity: str = ERROR, **values: Any) -> Problem:
    return Problem(column, severity, Message(template, label=label(column), field=column, **values))


def parse_date(text: str) -> Optional[dt.date]:
    """A strict ``yyyy-mm-dd`` date, else None."""
    if len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _date(column: str, value: str, required: bool = False) -> list[Problem]:
    if not value:
        if required:
            return [_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) is required."))]
        return []
    if parse_date(value) is None:
        return [_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) must be a date yyyy-mm-dd, got {value!r}."),
                         value=value)]
    return []


def _required(column: str, value: Any) -> list[Problem]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) is required."))]
    return []


def _non_negative(record: Any, columns: Iterable[str]) -> list[Problem]:
    return [_problem(c, QT_TRANSLATE_NOOP("domain", "{label} ({field}) cannot be negative, got {value}."),
                     value=getattr(record, c))
            for c in columns if getattr(record, c) is not None and getattr(record, c) < 0]


def _choices(values: Iterable[str]) -> str:
    return "、".join(values) or "-"


# ---- 合法性判定 -----------------------------------------------------------------
def validate_decision(ruleset: RuleSet, decision: DecisionInput, current: Mapping[str, Any] | None = None) -> list[Problem]:
    """Problems of a decision: categories and situations of the rule set, violation fields, areas."""
    problems: list[Problem] = []
    if not decision.PDLX:
        return _required("PDLX", decision.PDLX)
    category = ruleset.category(decision.PDLX)
    if category is None:
        return [_problem("PDLX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a category of rule set {ruleset}; choose one of {choices}."),
                         value=decision.PDLX, ruleset=ruleset.name, choices=_choices(c.name for c in ruleset.categories))]
    jtqx = ruleset.canonical(decision.JTQX) if decision.JTQX else ""
    if not jtqx:
        problems += _required("JTQX", jtqx)
    elif jtqx in category.provisional:
        problems.append(_problem("JTQX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is a provisional pre-judgement term, not a decision; choose one of {choices}."),
                                 value=decision.JTQX, choices=_choices(category.situations)))
    elif jtqx not in category.situations:
        problems.append(_problem("JTQX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a situation of {category}; choose one of {choices}."),
                                 value=decision.JTQX, category=category.name, choices=_choices(category.situations)))
    if category.role == ILLEGAL:
        if decision.WFLX and ruleset.canonical(decision.WFLX) not in ruleset.violation_type_names:
            problems.append(_problem("WFLX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a violation type of rule set {ruleset}."),
                                     value=decision.WFLX, ruleset=ruleset.name))
        if not decision.WFLX:
            problems.append(_problem("WFLX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty: say which kind of violation this is."),
                                     WARNING))
        if decision.WFMJ is None:
            problems.append(_problem("WFMJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty: enter the illegal area in mu."),
                                     WARNING))
    else:
        for column in ("WFLX", "WFMJ", "WFGDMJ", "WFJBNTMJ"):
            value = getattr(decision, column)
            if value not in (None, ""):
                problems.append(_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) applies only to patches judged {illegal}."),
                                         illegal=ruleset.illegal))
    if decision.KJLX and not ruleset.known_value("KJLX", decision.KJLX):
        problems.append(_problem("KJLX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a deduction type of rule set {ruleset}; choose one of {choices}."),
                                 value=decision.KJLX, ruleset=ruleset.name, choices=_choices(r.name for r in ruleset.ratio.rules)))
    if category.role == LEGAL and not decision.PZWH:
        problems.append(_problem("PZWH", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty: a legal patch needs its approval number or uploaded evidence."),
                                 WARNING))
    problems += _non_negative(decision, ("WFMJ", "WFGDMJ", "WFJBNTMJ"))
    problems += _area_order(decision, current or {})
    return problems


def _area_order(decision: DecisionInput, current: Mapping[str, Any]) -> list[Problem]:
    """违法耕地 ≤ 违法 and 违法永久基本农田 ≤ 违法 (亩)."""
    problems = []
    total = decision.WFMJ
    for part in ("WFGDMJ", "WFJBNTMJ"):
        value = getattr(decision, part)
        if total is not None and value is not None and value > total + TOLERANCE_MU:
            problems.append(_problem(part, QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value:.2f} mu is larger than the illegal area {total:.2f} mu."),
                                     value=value, total=total))
    return problems


# ---- 外业踏勘, 移交, 立案 ---------------------------------------------------------
def validate_field_visit(visit: FieldVisit, today: dt.date | None = None) -> list[Problem]:
    problems = _date("KCRQ", visit.KCRQ, required=True) + _required("KCRY", visit.KCRY)
    problems += _not_in_future("KCRQ", visit.KCRQ, today)
    return problems


def validate_referral(ruleset: RuleSet, referral: Referral, today: dt.date | None = None) -> list[Problem]:
    problems = _required("YJBM", referral.YJBM)
    if referral.YJBM and ruleset.canonical(referral.YJBM) not in ruleset.departments:
        problems.append(_problem("YJBM", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a department of the work plan; choose one of {choices}."),
                                 value=referral.YJBM, choices=_choices(ruleset.departments)))
    problems += _date("YJRQ", referral.YJRQ, required=True) + _not_in_future("YJRQ", referral.YJRQ, today)
    return problems


def validate_case(case: CaseInfo, today: dt.date | None = None) -> list[Problem]:
    problems = _non_negative(case, ("FMK", "MSMJ")) + _date("LASJ", case.LASJ)
    problems += _not_in_future("LASJ", case.LASJ, today)
    if case.SFLA:
        problems += _required("LASJ", case.LASJ) if not case.LASJ else []
        problems += _required("AJBH", case.AJBH)
    elif any((case.LASJ, case.AJBH, case.CFJDSWH, case.FMK, case.MSMJ)):
        problems.append(_problem("SFLA", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is not ticked, but case details are filled in.")))
    return problems


def _not_in_future(column: str, value: str, today: dt.date | None) -> list[Problem]:
    day = parse_date(value) if value else None
    if day and today and day > today:
        return [_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} lies in the future."), WARNING, value=value)]
    return []


# ---- 整改 ---------------------------------------------------------------------
def rectification_total(current: Mapping[str, Any]) -> Optional[float]:
    """The area to rectify: 违法面积 WFMJ (亩), None when not recorded."""
    value = current.get("WFMJ")
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def remaining_area(rect: RectificationInput, total: float) -> float:
    """剩余未整改 = 总 − 已整改 (拆除 + 补办), never below zero."""
    return max(0.0, round(total - (rect.CCMJ or 0.0) - (rect.BBMJ or 0.0), 6))


def validate_rectification(ruleset: RuleSet, rect: RectificationInput, current: Mapping[str, Any],
                           today: dt.date | None = None) -> list[Problem]:
    """Method of the rule set, dates, non-negative areas, 拆除 + 补办 ≤ 总, 剩余 = 总 − 已整改."""
    problems = _date("JLRQ", rect.JLRQ, required=True) + _date("ZGWCSJ", rect.ZGWCSJ)
    problems += _not_in_future("JLRQ", rect.JLRQ, today) + _not_in_future("ZGWCSJ", rect.ZGWCSJ, today)
    problems += _required("ZGFS", rect.ZGFS)
    if rect.ZGFS and ruleset.canonical(rect.ZGFS) not in ruleset.rectification_methods:
        problems.append(_problem("ZGFS", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a rectification method of rule set {ruleset}; choose one of {choices}."),
                                 value=rect.ZGFS, ruleset=ruleset.name, choices=_choices(ruleset.rectification_methods)))
    problems += _non_negative(rect, ("CCMJ", "FGMJ", "BBMJ", "SYWZGMJ"))
    if rect.BBMJ and not rect.BBPZWH:
        problems.append(_problem("BBPZWH", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is required when an area was approved later."),))
    category = ruleset.category(current.get("PDLX"))
    if category is None or category.role != ILLEGAL:
        problems.append(_problem("PDLX", QT_TRANSLATE_NOOP("domain", "Rectification is recorded for patches judged {illegal}; this patch is judged {value!r}."),
                                 WARNING, illegal=ruleset.illegal, value=current.get("PDLX") or "—"))
    total = rectification_total(current)
    if total is None:
        problems.append(_problem("WFMJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) of the patch is empty: record it in the decision before rectification.")))
        return problems
    done = (rect.CCMJ or 0.0) + (rect.BBMJ or 0.0)
    if done > total + TOLERANCE_MU:
        problems.append(_problem("CCMJ", QT_TRANSLATE_NOOP("domain", "{label} + {approved} ({done:.2f} mu) exceeds {total_label} {total:.2f} mu."),
                                 done=done, total=total, approved=label("BBMJ"), total_label=label("WFMJ")))
    elif rect.SYWZGMJ is not None and abs(rect.SYWZGMJ - (total - done)) > TOLERANCE_MU:
        problems.append(_problem("SYWZGMJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value:.2f} mu should be {expected:.2f} mu (illegal area {total:.2f} − demolished − approved later)."),
                                 value=rect.SYWZGMJ, expected=total - done, total=total))
    if rect.FGMJ is not None and rect.FGMJ > (rect.CCMJ or 0.0) + TOLERANCE_MU:
        problems.append(_problem("FGMJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value:.2f} mu is larger than the demolished area."),
                                 WARNING, value=rect.FGMJ))
    finished = done >= total - TOLERANCE_MU
    if finished and not rect.ZGWCSJ:
        problems.append(_problem("ZGWCSJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty although nothing remains to rectify."), WARNING))
    if rect.ZGWCSJ and not finished:
        problems.append(_problem("ZGWCSJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is set but {remaining:.2f} mu remain unrectified."),
                                 remaining=total - done))
    return problems


# ---- inline quality check -----------------------------------------------------------
def quality_problems(ruleset: RuleSet, record: PatchRecord, today: dt.date) -> list[Problem]:
    """The rule set's quality checks on this one patch, as problems (rule id and its Chinese message)."""
    return [Problem("", v.severity, Message(QT_TRANSLATE_NOOP("domain", "Quality check {rule}: {text}"),
                                            rule=v.rule_id, text=v.message), quality=True)
            for v in quality_check(ruleset, [record], today)]
