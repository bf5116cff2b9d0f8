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
from ..rules.checks import derive_violation_period
from ..rules.records import as_period
from ..rules.ruleset import ILLEGAL, LEGAL, Category
from ..units import M2_PER_MU
from ..workspace.columns import PATCH_COLUMNS
from .records import CaseInfo, DecisionInput, FieldVisit, RectificationInput, Referral

ERROR, WARNING = "error", "warning"
TOLERANCE_MU = 0.01
"""Areas compare at report precision (0.01 亩)."""

CHILD_LABELS: dict[str, str] = {
    "KCRQ": "踏勘日期", "KCRY": "踏勘人员", "KCQK": "踏勘情况", "KCJG": "踏勘结果",
    "YJBM": "移交部门", "YJRQ": "移交日期", "YJWH": "移交文号", "ZT": "状态", "SM": "说明",
    "JLRQ": "记录日期",
    "AJJD": "案件阶段", "WSWH": "文书文号", "evidence_id": "文书附件",
}
CASE_STAGES: tuple[str, ...] = ("立案", "调查取证", "案件审理", "告知听证", "处罚决定", "执行", "结案")
"""《国土资源违法行为查处工作规程》's stages of a case (工作方案 四(一): 违法图斑 "依法立案查处，参照《国土资源
违法行为查处工作规程》建立案件卷宗"); each is a dated case record with its document number and file."""
EXECUTION_STAGE, CLOSING_STAGE = "执行", "结案"
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
    problems += _situation_problems(ruleset, category, decision)
    problems += _violation_problems(ruleset, category, decision)
    if decision.KJLX and not ruleset.known_value("KJLX", decision.KJLX):
        problems.append(_problem("KJLX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a deduction type of rule set {ruleset}; choose one of {choices}."),
                                 value=decision.KJLX, ruleset=ruleset.name, choices=_choices(r.name for r in ruleset.ratio.rules)))
    if category.role == LEGAL and not decision.PZWH:
        problems.append(_problem("PZWH", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty: a legal patch needs its approval number or uploaded evidence."),
                                 WARNING))
    problems += _non_negative(decision, ("WFMJ", "WFGDMJ", "WFJBNTMJ"))
    problems += _area_order(decision, current or {})
    return problems


def _situation_problems(ruleset: RuleSet, category: Category, decision: DecisionInput) -> list[Problem]:
    """JTQX (具体情形) is given and is one of the category's final situations, not a pre-judgement term."""
    problems: list[Problem] = []
    jtqx = ruleset.canonical(decision.JTQX) if decision.JTQX else ""
    if not jtqx:
        problems += _required("JTQX", jtqx)
    elif jtqx in category.provisional:
        problems.append(_problem("JTQX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is a provisional pre-judgement term, not a decision; choose one of {choices}."),
                                 value=decision.JTQX, choices=_choices(category.situations)))
    elif jtqx not in category.situations:
        problems.append(_problem("JTQX", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a situation of {category}; choose one of {choices}."),
                                 value=decision.JTQX, category=category.name, choices=_choices(category.situations)))
    return problems


def _violation_problems(ruleset: RuleSet, category: Category, decision: DecisionInput) -> list[Problem]:
    """An illegal patch's violation type, area and period; no violation fields on any other patch."""
    problems: list[Problem] = []
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
        problems += _period_problems(ruleset, decision)
    else:
        for column in ("WFLX", "WFMJ", "WFGDMJ", "WFJBNTMJ", "WFSD", "JSSJ"):
            value = getattr(decision, column)
            if value not in (None, ""):
                problems.append(_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) applies only to patches judged {illegal}."),
                                         illegal=ruleset.illegal))
    return problems


def _period_problems(ruleset: RuleSet, decision: DecisionInput) -> list[Problem]:
    """WFSD is one of the rule set's periods; JSSJ is a day, month or year (offices often know only the year).

    A missing or contradicting period is the quality check's matter (Q21,
    kind violation_period): it blocks the stage submission, not this save.
    """
    problems: list[Problem] = []
    if decision.WFSD and ruleset.canonical(decision.WFSD) not in ruleset.violation_periods:
        problems.append(_problem("WFSD", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a violation period of rule set {ruleset}; choose one of {choices}."),
                                 value=decision.WFSD, ruleset=ruleset.name, choices=_choices(ruleset.violation_periods)))
    if decision.JSSJ and built_date_text(decision.JSSJ) is None:
        problems.append(_problem("JSSJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) must be a date yyyy-mm-dd, a month yyyy-mm or a year yyyy, got {value!r}."),
                                 value=decision.JSSJ))
    return problems


def built_date_text(value: Any) -> Optional[str]:
    """建设时间 as stored: 'yyyy-mm-dd', 'yyyy-mm' or 'yyyy', exactly as precise as given; None if not a date.

    '2021年5月' → '2021-05', '20210503' → '2021-05-03', '2021' stays '2021':
    a year must not turn into 1 January (that would decide 新增/存量 wrongly).
    """
    period = as_period(value)
    if period is None:
        return None
    first, last = period
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}"


def suggested_period(ruleset: RuleSet, decision: DecisionInput, current: Mapping[str, Any]) -> Optional[str]:
    """违法时段 that the decision's 建设时间 gives against the patch's 前时相 QSX; None when they do not decide.

    The rule itself is the quality check's (:func:`..rules.checks.period_from_dates`).
    """
    if not decision.JSSJ:
        return None
    return derive_violation_period(ruleset, decision.JSSJ, current.get("QSX"))


def patch_area_mu(current: Mapping[str, Any]) -> tuple[str, Optional[float]]:
    """The patch's area in 亩 and the column it came from: TBMJ, else the ministry's JCMJ (both m²)."""
    for column in ("TBMJ", "JCMJ"):
        value: Any = current.get(column)
        try:
            if value not in (None, ""):
                return column, float(value) / M2_PER_MU
        except (TypeError, ValueError):
            continue
    return "TBMJ", None


def _larger(column: str, value: float, limit_column: str, limit: float) -> Problem:
    return _problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value:.2f} mu is larger than {limit_label} ({limit_field}) {limit:.2f} mu."),
                    value=value, limit=limit, limit_label=label(limit_column), limit_field=limit_column)


def _area_order(decision: DecisionInput, current: Mapping[str, Any]) -> list[Problem]:
    """违法永久基本农田 ≤ 违法耕地 ≤ 违法面积 ≤ the patch (TBMJ, else JCMJ), all in 亩, empty ones skipped.

    The same order as the rule set's area checks (Q08, Q09), but refused at
    save: an illegal area larger than the patch cannot be a measurement.
    """
    area_column, area = patch_area_mu(current)
    chain = [("WFJBNTMJ", decision.WFJBNTMJ), ("WFGDMJ", decision.WFGDMJ), ("WFMJ", decision.WFMJ),
             (area_column, area)]
    present = [(c, v) for c, v in chain if v is not None]
    return [_larger(a, va, b, vb) for (a, va), (b, vb) in zip(present, present[1:]) if va > vb + TOLERANCE_MU]


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


def _after(column: str, value: str, other_column: str, other: str, reason: str) -> Problem:
    """``column`` and ``other_column`` are in the wrong order (the message names both fields and dates)."""
    return _problem(column, reason, value=value, other=other, other_label=label(other_column),
                    other_field=other_column)


def validate_case(case: CaseInfo, today: dt.date | None = None, previous: Any = None,
                  history: Iterable[Any] = (), attachments: Optional[Iterable[int]] = None) -> list[Problem]:
    """A case record: filing, closing and record dates in order, filed before closed, in date order.

    A case record states the whole case as at its date JLRQ (empty: the save's
    day, ``today``), so: LASJ ≤ JASJ ≤ JLRQ ≤ today, a filed case (SFLA) has
    its LASJ and AJBH, 结案 needs 立案, and JLRQ is not before the
    ``previous`` record's (the patch's latest stored case record, anything
    with JLRQ/SFLA/JASJ, e.g. :class:`.progress.CaseRecord`, or None).
    Statistics "as at" a date count 结案 only if dated on or before it
    (domain.md §9), which these rules make the record's own date decide.
    """
    problems = _non_negative(case, ("FMK", "MSMJ"))
    problems += _date("JLRQ", case.JLRQ) + _date("LASJ", case.LASJ) + _date("JASJ", case.JASJ)
    problems += _not_in_future("JLRQ", case.JLRQ, today, ERROR)
    day = parse_date(case.JLRQ) if case.JLRQ else today
    filed, closed = parse_date(case.LASJ) if case.LASJ else None, parse_date(case.JASJ) if case.JASJ else None
    if case.SFLA:
        problems += _required("LASJ", case.LASJ) if not case.LASJ else []
        problems += _required("AJBH", case.AJBH)
    elif any((case.LASJ, case.AJBH, case.CFJDSWH, case.FMK, case.MSMJ)):
        problems.append(_problem("SFLA", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is not ticked, but case details are filled in.")))
    if case.JASJ and not case.SFLA:
        problems.append(_problem("JASJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} is filled in, but the case was not filed: 结案 needs 立案 (tick SFLA and enter LASJ and AJBH)."),
                                 value=case.JASJ))
    if filed and closed and closed < filed:
        problems.append(_after("JASJ", case.JASJ, "LASJ", case.LASJ, QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} is before {other_label} ({other_field}) {other}: a case is closed after it was filed.")))
    for column, when, value in (("LASJ", filed, case.LASJ), ("JASJ", closed, case.JASJ)):
        if when and day and when > day:
            problems.append(_after(column, value, "JLRQ", day.isoformat(), QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} is after {other_label} ({other_field}) {other}: a record states the case as it stood on its date.")))
    return problems + _case_sequence(case, previous, day) + validate_case_stage(case, history, attachments)


def _value(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)


def validate_case_stage(case: CaseInfo, history: Iterable[Any] = (),
                        attachments: Optional[Iterable[int]] = None) -> list[Problem]:
    """The 工作规程 stage of a case record: a known stage of a filed case, its document, and 结案's evidence.

    ``history``: the patch's stored case records (rows or records with AJJD
    and evidence_id); ``attachments``: the ids of the patch's evidence files
    (None: not checked). 结案 needs execution evidence — a document attached
    to an earlier 执行 record or to this one — and its 结案时间 JASJ.
    """
    problems: list[Problem] = []
    stage = (case.AJJD or "").strip()
    if case.evidence_id is not None and attachments is not None and case.evidence_id not in set(attachments):
        problems.append(_problem("evidence_id", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} is not an evidence file of this patch; attach one of its own files."),
                                 value=case.evidence_id))
    if not stage:
        if case.JASJ:
            problems.append(_problem("AJJD", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty although the case is closed: record the {closing} stage with the execution evidence."),
                                     WARNING, closing=CLOSING_STAGE))
        return problems
    if stage not in CASE_STAGES:
        return problems + [_problem("AJJD", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a stage of the 工作规程; choose one of {choices}."),
                                    value=stage, choices=_choices(CASE_STAGES))]
    if not case.SFLA:
        problems.append(_problem("SFLA", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is not ticked, but the case stage {stage} is recorded: stages belong to a filed case."),
                                 stage=stage))
    if not (case.WSWH or "").strip():
        problems.append(_problem("WSWH", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty: give the number of the stage's document."), WARNING))
    if stage == CLOSING_STAGE:
        problems += _closing_problems(case, history)
    return problems


def _closing_problems(case: CaseInfo, history: Iterable[Any]) -> list[Problem]:
    """结案 needs JASJ and execution evidence (an attachment on an 执行 record or on this one)."""
    problems = _required("JASJ", case.JASJ) if not case.JASJ else []
    executed = case.evidence_id is not None or any(
        _value(h, "AJJD") == EXECUTION_STAGE and _value(h, "evidence_id") for h in history)
    if not executed:
        problems.append(_problem("evidence_id", QT_TRANSLATE_NOOP("domain", "{closing} needs execution evidence: attach the document ({label}, {field}) to the {execution} record or to this record."),
                                 closing=CLOSING_STAGE, execution=EXECUTION_STAGE))
    return problems


def _case_sequence(case: CaseInfo, previous: Any, day: Optional[dt.date]) -> list[Problem]:
    """A case record follows the previous one in time; dropping its 立案 or 结案 is worth a warning."""
    if previous is None:
        return []
    problems: list[Problem] = []
    before = parse_date(str(getattr(previous, "JLRQ", "") or ""))
    if day and before and day < before:
        problems.append(_problem("JLRQ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} is before {previous}, the date of the patch's latest case record: progress is recorded in date order."),
                                 value=day.isoformat(), previous=previous.JLRQ))
    for column, now in (("SFLA", case.SFLA), ("JASJ", case.JASJ)):
        then = getattr(previous, column, None)
        if then and not now:
            problems.append(_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty although the record of {date} has it: each record states the whole case as at its date."),
                                     WARNING, date=previous.JLRQ))
    return problems


def _not_in_future(column: str, value: str, today: dt.date | None, severity: str = WARNING) -> list[Problem]:
    day = parse_date(value) if value else None
    if day and today and day > today:
        return [_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} lies in the future."), severity, value=value)]
    return []


# ---- 整改 ---------------------------------------------------------------------
def rectification_total(current: Mapping[str, Any]) -> Optional[float]:
    """The area to rectify: 违法面积 WFMJ (亩), None when not recorded."""
    value: Any = current.get("WFMJ")
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def remaining_area(rect: RectificationInput, total: float) -> float:
    """剩余未整改 = 总 − 已整改 (拆除 + 补办), never below zero."""
    return max(0.0, round(total - rect.rectified, 6))


def _area(value: Any) -> Optional[float]:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _not_above(column: str, value: Optional[float], limit_column: str, limit: Optional[float]) -> list[Problem]:
    """``column`` ≤ ``limit_column`` (亩, at report precision); the error names both fields and values."""
    if value is None or limit is None or value <= limit + TOLERANCE_MU:
        return []
    return [_larger(column, value, limit_column, limit)]


def _farmland_problems(rect: RectificationInput, current: Mapping[str, Any]) -> list[Problem]:
    """Farmland rectified only by 复耕 or 补办 (domain.md §9), and never more than the illegal farmland.

    复耕 ≤ 拆除 (re-cultivated land was demolished first), 补办耕地 ≤ 补办,
    and 复耕, 补办耕地 and their sum each ≤ 违法耕地面积 WFGDMJ (when recorded).
    """
    farmland = _area(current.get("WFGDMJ"))
    problems = _not_above("FGMJ", rect.FGMJ, "CCMJ", rect.CCMJ or 0.0)
    problems += _not_above("FGMJ", rect.FGMJ, "WFGDMJ", farmland)
    problems += _not_above("BBGDMJ", rect.BBGDMJ, "BBMJ", rect.BBMJ or 0.0)
    problems += _not_above("BBGDMJ", rect.BBGDMJ, "WFGDMJ", farmland)
    if not problems and farmland is not None and rect.FGMJ is not None and rect.BBGDMJ is not None \
            and rect.FGMJ + rect.BBGDMJ > farmland + TOLERANCE_MU:
        problems.append(_problem("BBGDMJ", QT_TRANSLATE_NOOP("domain", "{other_label} ({other_field}) {other:.2f} mu + {label} ({field}) {value:.2f} mu = {sum:.2f} mu is larger than {limit_label} ({limit_field}) {limit:.2f} mu."),
                                 value=rect.BBGDMJ, other=rect.FGMJ, other_label=label("FGMJ"), other_field="FGMJ",
                                 sum=rect.FGMJ + rect.BBGDMJ, limit=farmland, limit_label=label("WFGDMJ"),
                                 limit_field="WFGDMJ"))
    if rect.BBMJ and rect.BBGDMJ is None and farmland:
        problems.append(_problem("BBGDMJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) is empty although {approved} {area:.2f} mu was approved later: none of it counts as rectified farmland."),
                                 WARNING, approved=label("BBMJ"), area=rect.BBMJ))
    return problems


def _sequence_problems(rect: RectificationInput, previous: Any) -> list[Problem]:
    """A record follows the previous one in time and, being cumulative, does not fall below it.

    ``previous`` is the patch's latest stored record (anything with JLRQ and
    the area attributes, e.g. :class:`.progress.RectificationRecord`) or None.
    """
    if previous is None:
        return []
    problems: list[Problem] = []
    day, before = parse_date(rect.JLRQ), parse_date(str(getattr(previous, "JLRQ", "") or ""))
    if day and before and day < before:
        problems.append(_problem("JLRQ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value} is before {previous}, the date of the patch's latest rectification record: progress is recorded in date order."),
                                 value=rect.JLRQ, previous=previous.JLRQ))
    for column in ("CCMJ", "FGMJ", "BBMJ", "BBGDMJ"):
        now, then = getattr(rect, column), _area(getattr(previous, column, None))
        if then is not None and (now or 0.0) < then - TOLERANCE_MU:
            problems.append(_problem(column, QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value:.2f} mu is less than the {previous:.2f} mu recorded on {date}: each record states the cumulative progress."),
                                     WARNING, value=now or 0.0, previous=then, date=previous.JLRQ))
    return problems


def validate_rectification(ruleset: RuleSet, rect: RectificationInput, current: Mapping[str, Any],
                           today: dt.date | None = None, previous: Any = None) -> list[Problem]:
    """Method of the rule set, dates, non-negative areas, 拆除 + 补办 ≤ 总, 剩余 = 总 − 已整改, farmland.

    A record is a dated, cumulative statement: JLRQ may not lie in the future
    (statistics "as at" a date count it from JLRQ on) nor before the
    ``previous`` record's date. Farmland: see :func:`_farmland_problems`.
    """
    problems = _date("JLRQ", rect.JLRQ, required=True) + _date("ZGWCSJ", rect.ZGWCSJ)
    problems += _not_in_future("JLRQ", rect.JLRQ, today, ERROR) + _not_in_future("ZGWCSJ", rect.ZGWCSJ, today)
    problems += _sequence_problems(rect, previous)
    problems += _required("ZGFS", rect.ZGFS)
    if rect.ZGFS and ruleset.canonical(rect.ZGFS) not in ruleset.rectification_methods:
        problems.append(_problem("ZGFS", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value!r} is not a rectification method of rule set {ruleset}; choose one of {choices}."),
                                 value=rect.ZGFS, ruleset=ruleset.name, choices=_choices(ruleset.rectification_methods)))
    problems += _non_negative(rect, ("CCMJ", "FGMJ", "BBMJ", "BBGDMJ", "SYWZGMJ"))
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
    done = rect.rectified
    if done > total + TOLERANCE_MU:
        problems.append(_problem("CCMJ", QT_TRANSLATE_NOOP("domain", "{label} + {approved} ({done:.2f} mu) exceeds {total_label} {total:.2f} mu."),
                                 done=done, total=total, approved=label("BBMJ"), total_label=label("WFMJ")))
    elif rect.SYWZGMJ is not None and abs(rect.SYWZGMJ - (total - done)) > TOLERANCE_MU:
        problems.append(_problem("SYWZGMJ", QT_TRANSLATE_NOOP("domain", "{label} ({field}) {value:.2f} mu should be {expected:.2f} mu (illegal area {total:.2f} − demolished − approved later)."),
                                 value=rect.SYWZGMJ, expected=total - done, total=total))
    problems += _farmland_problems(rect, current)
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
