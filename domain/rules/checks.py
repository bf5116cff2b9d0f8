"""Quality checks (质检): a fixed set of implemented check kinds, switched and worded by the rule file.

An office can enable or disable a check, change its severity, message,
tolerance and fields in TOML, but cannot invent new logic there: the kinds
below are code, each with its parameters and the placeholders its message
may use. Output is one :class:`Violation` per (patch, rule); when a rule finds
several problems on one patch (two unknown values, two area pairs) their
filled messages are joined with '；'. A stage can be submitted only while no
error remains (:func:`can_submit`); warnings may pass.

Checks run in one of two contexts: an ordinary 质检 (``submission=False``)
or the check that guards a 一上/二上 submission (``submission=True``). A rule
may carry ``submission_severity``: an undecided patch is a warning while the
technician still has time, but an error when the batch is submitted (工作方案
四(二) 月清: the month's patches are reported judged). Each violation records
the severity it has at submission, so an ordinary check can already say
whether the stage could be submitted.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..workspace.patch_fields import ID_FIELD
from .conditions import MISSING
from .records import PatchRecord, as_date, as_period, record_fields
from .ruleset import ERROR, KNOWN_VALUE_COLUMNS, WARNING, CheckRule, RecordField, RuleSet
from .text import LIST_SEPARATOR, fill, placeholders

REQUIRED = object()
_EPS = 1e-9


@dataclass(frozen=True)
class Param:
    """A parameter of a check kind.

    ``type`` is fields/field/columns/number/bool/choice, or: ``message`` (a
    further message template of the kind, '' = use ``message``),
    ``situations`` (具体情形 of the rule's categories), ``period`` (one of
    ``[violation] periods``). ``alternatives`` lets a fields entry name
    fallbacks, "TBMJ|JCMJ": the first non-empty of them.
    """

    type: str
    default: Any = REQUIRED
    choices: tuple[str, ...] = ()
    area: bool = False
    minimum: int = 1
    alternatives: bool = False


@dataclass(frozen=True)
class Kind:
    params: Mapping[str, Param]
    placeholders: tuple[str, ...]
    role: str = ""  # default pdlx filter: the category with this role


_TOL = Param("number", 0.01)
_PERIOD_PLACEHOLDERS = ("value", "built", "image", "expected", "periods")
KINDS: dict[str, Kind] = {
    "deadline": Kind({"scope": Param("choice", "all", ("all", "undecided", "decided"))},
                     ("days_late", "deadline", "decided")),
    "undecided": Kind({"submission_severity": Param("choice", ERROR, (ERROR, WARNING)),
                       "provisional_message": Param("message", "")},
                      ("deadline", "days_left", "provisional")),
    "legal_needs_document": Kind({"document_fields": Param("fields", ("PZWH",)),
                                  "situations": Param("situations", (), minimum=0)}, (), "legal"),
    "illegal_needs_case_or_referral": Kind({}, (), "illegal"),
    "illegal_needs_rectification_plan": Kind({}, (), "illegal"),
    "flag_requires": Kind({"flag": Param("field"), "fields": Param("fields")}, ("missing",)),
    "violation_period": Kind({"period_field": Param("field", "WFSD"), "built_field": Param("field", "JSSJ"),
                              "image_field": Param("field", "QSX"), "new": Param("period", "新增"),
                              "old": Param("period", "存量"), "conflict_message": Param("message"),
                              "unclear_message": Param("message"), "invalid_message": Param("message")},
                             _PERIOD_PLACEHOLDERS, "illegal"),
    "area_order": Kind({"fields": Param("fields", area=True, minimum=2, alternatives=True), "tolerance_mu": _TOL},
                       ("a", "a_value", "b", "b_value", "difference")),
    "sum_equals": Kind({"target": Param("field", area=True), "parts": Param("fields", area=True),
                        "tolerance_mu": _TOL, "missing": Param("choice", "zero", ("zero", "skip"))},
                       ("target", "target_value", "parts", "parts_sum", "difference")),
    "children_sum_to_parent": Kind({"fields": Param("fields", ("TBMJ",), area=True), "tolerance_mu": _TOL},
                                   ("field", "parent_value", "children_sum", "children", "difference")),
    "category_known": Kind({"fields": Param("columns", KNOWN_VALUE_COLUMNS, KNOWN_VALUE_COLUMNS),
                            "allow_provisional": Param("bool", False)}, ("field", "label", "value")),
}


@dataclass(frozen=True)
class Violation:
    """One rule broken by one patch; ``message`` is the rule file's Chinese text, filled in."""

    jcbh: str
    rule_id: str
    severity: str
    message: str
    kind: str = ""
    at_submission: str = ""
    """Severity this violation has when the batch is submitted ('' = same as ``severity``)."""

    @property
    def blocks_submission(self) -> bool:
        return (self.at_submission or self.severity) == ERROR

    def to_row(self) -> dict[str, str]:
        """Columns of ``wpzf_check_result`` (JCBH, rule_id, severity, message)."""
        return {ID_FIELD: self.jcbh, "rule_id": self.rule_id, "severity": self.severity, "message": self.message}


def can_submit(violations: Iterable[Violation]) -> bool:
    """A stage may be submitted when no violation is an error at submission (warnings may remain)."""
    return not any(v.blocks_submission for v in violations)


def submission_severity(rule: CheckRule) -> str:
    """The rule's severity when a batch is submitted (``submission_severity`` where the kind has one)."""
    return rule.params.get("submission_severity") or rule.severity


Issues = list[dict[str, Any]]


class _Context:
    def __init__(self, ruleset: RuleSet, today: dt.date, records: Sequence[PatchRecord], submission: bool) -> None:
        self.ruleset = ruleset
        self.today = today
        self.submission = submission
        self.fields: dict[str, RecordField] = record_fields(ruleset.record_fields)
        self.provisional_terms = frozenset(t for c in ruleset.categories for t in c.provisional)
        ids = {r.jcbh for r in records}
        self.split = {r.parent_jcbh for r in records if r.parent_jcbh in ids}
        """Split parents present with their 地块: judged through the 地块, never undecided themselves."""
        self.overdue_reported = any(
            rule.enabled and rule.kind == "deadline" and rule.params["scope"] in ("all", "undecided")
            and rule.severity == ERROR for rule in ruleset.check_rules)
        """An enabled deadline rule reports overdue undecided patches as errors (so the undecided rule need not).

        The same in both contexts, so an ordinary check and the submission agree on what blocks it.
        """

    def label(self, name: str) -> str:
        return self.fields[name].label if name in self.fields else name


def quality_check(ruleset: RuleSet, records: Iterable[PatchRecord], today: dt.date,
                  submission: bool = False) -> list[Violation]:
    """Every enabled check rule on every record; violations in record order, then rule order.

    ``today`` (a date; a datetime is cut to its date) is passed in rather than
    read from the clock so that a re-run of an old stage gives the same list.
    ``submission`` says the check guards a 一上/二上 submission: rules with a
    ``submission_severity`` take that severity.
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    rows = list(records)
    ctx = _Context(ruleset, today, rows, submission)
    found: list[tuple[int, int, Violation]] = []
    for r, rule in enumerate(ruleset.check_rules):
        if not rule.enabled:
            continue
        at_submission = submission_severity(rule)
        severity = at_submission if submission else rule.severity
        for i, issues in _RUNNERS[rule.kind](ctx, rule, rows):
            record = rows[i]
            texts = []
            for issue in issues:
                template = rule.params.get(issue.pop("_message", ""), "") or rule.message
                values = {n: record.get(n) for n, _ in placeholders(template) if n not in issue}
                values.update(issue)
                texts.append(fill(template, values))
            found.append((i, r, Violation(record.jcbh, rule.id, severity, LIST_SEPARATOR.join(dict.fromkeys(texts)),
                                          rule.kind, at_submission)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [v for _, _, v in found]


def _applies(ctx: _Context, rule: CheckRule, record: PatchRecord) -> bool:
    situations = rule.params.get("situations")
    if situations and ctx.ruleset.canonical(record.get("JTQX")) not in situations:
        return False
    if not rule.pdlx:
        return True
    value = record.get("PDLX")
    if value in (None, MISSING) or _provisional(ctx, record):  # 违法/疑似违法 is not yet a 违法 decision
        return False
    return ctx.ruleset.canonical(value) in rule.pdlx


PerRecord = Callable[[_Context, CheckRule, PatchRecord], Issues]
Runner = Callable[[_Context, CheckRule, Sequence[PatchRecord]], Iterator[tuple[int, Issues]]]


def _per_record(check: PerRecord) -> Runner:
    def run(ctx: _Context, rule: CheckRule, records: Sequence[PatchRecord]) -> Iterator[tuple[int, Issues]]:
        for i, record in enumerate(records):
            if _applies(ctx, rule, record):
                issues = check(ctx, rule, record)
                if issues:
                    yield i, issues
    return run


def _filled(record: PatchRecord, name: str) -> bool:
    return record.get(name) not in (None, MISSING)


def _provisional(ctx: _Context, record: PatchRecord) -> str:
    """The pre-judgement-only term (疑似违法, 待核查) a patch carries as its PDLX or JTQX, else ''."""
    terms = ctx.provisional_terms
    for name in ("JTQX", "PDLX"):
        value = record.get(name)
        if value not in (None, MISSING) and ctx.ruleset.canonical(value) in terms:
            return ctx.ruleset.canonical(value)
    return ""


def _undecided(ctx: _Context, record: PatchRecord) -> bool:
    """No 合法性判定 yet: PDLX empty, or only a provisional term; a split parent is judged through its 地块."""
    if record.jcbh in ctx.split:
        return False
    return not _filled(record, "PDLX") or bool(_provisional(ctx, record))


def _decision_deadline(ctx: _Context, record: PatchRecord) -> Optional[dt.date]:
    """PDQX, else the batch's receipt date + decision_days (工作方案 四(一): 20日内完成合法性判定)."""
    deadline = record.date("PDQX")
    if deadline is None:
        received = as_date(record.received) or record.date("JSRQ")
        if received is None:
            return None
        deadline = ctx.ruleset.deadlines.decision_deadline(received)
    return deadline


def _deadline(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    deadline = _decision_deadline(ctx, record)
    if deadline is None:
        return []
    scope = rule.params["scope"]
    if _undecided(ctx, record):
        late = (ctx.today - deadline).days
        if scope != "decided" and late > 0:
            return [{"days_late": late, "deadline": deadline.isoformat(), "decided": None}]
        return []
    decided = record.date("PDSJ")
    if scope != "undecided" and decided is not None and (decided - deadline).days > 0:
        return [{"days_late": (decided - deadline).days, "deadline": deadline.isoformat(),
                 "decided": decided.isoformat()}]
    return []


def _undecided_check(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    """Undecided or provisional; an overdue one is left to the deadline rule when one reports it."""
    if not _undecided(ctx, record):
        return []
    deadline = _decision_deadline(ctx, record)
    if deadline is not None and ctx.today > deadline and ctx.overdue_reported:
        return []
    provisional = _provisional(ctx, record)
    issue: dict[str, Any] = {"deadline": deadline.isoformat() if deadline else None,
                             "days_left": (deadline - ctx.today).days if deadline else None,
                             "provisional": provisional or None}
    if provisional:
        issue["_message"] = "provisional_message"
    return [issue]


def _legal_needs_document(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    documented = any(_filled(record, f) for f in rule.params["document_fields"])
    return [] if documented or record.n_evidence > 0 else [{}]


def _truthy(value: Any) -> bool:
    if value in (None, MISSING):
        return False
    if isinstance(value, str):
        return value.strip() in ("1", "是", "true", "True", "TRUE", "Y", "y")
    return bool(value)


def _illegal_needs_case_or_referral(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    case = _truthy(record.get("SFLA")) or _filled(record, "AJBH")
    return [] if case or record.n_referrals > 0 else [{}]


def _flag_requires(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    """When ``flag`` is set (1/是), every one of ``fields`` is filled (立案 → 立案时间, 案件编号)."""
    if not _truthy(record.get(rule.params["flag"])):
        return []
    missing = [ctx.label(f) for f in rule.params["fields"] if not _filled(record, f)]
    return [{"missing": "、".join(missing)}] if missing else []


def period_from_dates(built: Any, image: Any, new: str = "新增", old: str = "存量") -> Optional[str]:
    """违法时段 that 建设时间 ``built`` gives against 前时相 ``image``: ``new``, ``old``, or None if undecidable.

    Built on or after the before-image date: the construction appeared within
    the monitoring period (新增); before it: it existed already (存量).
    Partial dates ('2021', '2021-10') count as every day they may mean, so
    '2022' against a 2022-03-01 image decides nothing. The one place of this
    rule: the quality check and the decision form both call it.
    """
    built_days, image_days = as_period(built), as_period(image)
    if built_days is None or image_days is None:
        return None
    if built_days[0] >= image_days[1]:
        return new
    if built_days[1] < image_days[0]:
        return old
    return None


def derive_violation_period(ruleset: RuleSet, built: Any, image: Any) -> Optional[str]:
    """:func:`period_from_dates` with the new/old names of the rule set's enabled violation_period check.

    Without such a check the kind's defaults (新增, 存量) are used when the
    rule set lists them as ``[violation] periods``; otherwise None.
    """
    rule = next((r for r in ruleset.check_rules if r.enabled and r.kind == "violation_period"), None)
    new, old = (rule.params["new"], rule.params["old"]) if rule else ("新增", "存量")
    if rule is None and not {new, old} <= set(ruleset.violation_periods):
        return None
    return period_from_dates(built, image, new, old)


def _violation_period(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    """新增/存量 given, or following from 建设时间 against 前时相; both given must agree.

    Built on or after the before-image date means the construction appeared
    within the monitoring period (新增), before it existed already (存量).
    Partial dates ('2021', '2021-10') are compared as the days they may mean;
    when that cannot decide, the period must be written.
    """
    p = rule.params
    raw = record.get(p["period_field"])
    value = ctx.ruleset.canonical(raw) if raw not in (None, MISSING) else None
    built, image = record.get(p["built_field"]), record.get(p["image_field"])
    base: dict[str, Any] = {"value": value, "built": built, "image": image, "periods": f"{p['new']}、{p['old']}"}
    if value is not None and value not in (p["new"], p["old"]):
        return [{**base, "_message": "invalid_message"}]
    if built in (None, MISSING):
        return [] if value is not None else [base]
    expected = period_from_dates(built, image, p["new"], p["old"])
    if value is None:
        return [] if expected is not None else [{**base, "_message": "unclear_message"}]
    if expected is not None and expected != value:
        return [{**base, "expected": expected, "_message": "conflict_message"}]
    return []


def _illegal_needs_rectification_plan(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    return [] if _filled(record, "ZGFS") or record.n_rectification > 0 else [{}]


def _first_area(ctx: _Context, record: PatchRecord, spec: str) -> tuple[str, Optional[float]]:
    """The first non-empty of the alternatives "TBMJ|JCMJ", in 亩, with the field it came from."""
    names = [n.strip() for n in spec.split("|")]
    for name in names:
        value = record.area_mu(name, ctx.fields)
        if value is not None:
            return name, value
    return names[0], None


def _area_order(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    present = [(f, v) for spec in rule.params["fields"] for f, v in [_first_area(ctx, record, spec)] if v is not None]
    tolerance = rule.params["tolerance_mu"]
    return [{"a": ctx.label(a), "a_value": va, "b": ctx.label(b), "b_value": vb, "difference": va - vb}
            for (a, va), (b, vb) in zip(present, present[1:]) if va - vb > tolerance + _EPS]


def _sum_equals(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    target = record.area_mu(rule.params["target"], ctx.fields)
    parts = [record.area_mu(p, ctx.fields) for p in rule.params["parts"]]
    if target is None or all(p is None for p in parts):
        return []
    if rule.params["missing"] == "skip" and any(p is None for p in parts):
        return []
    total = sum(p for p in parts if p is not None)
    if abs(target - total) <= rule.params["tolerance_mu"] + _EPS:
        return []
    return [{"target": ctx.label(rule.params["target"]), "target_value": target,
             "parts": "+".join(ctx.label(p) for p in rule.params["parts"]), "parts_sum": total,
             "difference": target - total}]


def _children_sum_to_parent(ctx: _Context, rule: CheckRule,
                            records: Sequence[PatchRecord]) -> Iterator[tuple[int, Issues]]:
    """Split 地块 against their parent; a parent absent from ``records`` cannot be checked."""
    index: dict[str, int] = {}
    for n, record in enumerate(records):
        index.setdefault(record.jcbh, n)
    children: dict[str, list[PatchRecord]] = {}
    for record in records:
        if record.parent_jcbh:
            children.setdefault(record.parent_jcbh, []).append(record)
    for parent_id, kids in children.items():
        i = index.get(parent_id)
        if i is None or not _applies(ctx, rule, records[i]):
            continue
        issues = []
        for name in rule.params["fields"]:
            parent = records[i].area_mu(name, ctx.fields)
            values = [v for v in (k.area_mu(name, ctx.fields) for k in kids) if v is not None]
            if parent is None or len(values) != len(kids):  # a child without the area: nothing to compare
                continue
            total = sum(values)
            if abs(parent - total) > rule.params["tolerance_mu"] + _EPS:
                issues.append({"field": ctx.label(name), "parent_value": parent, "children_sum": total,
                               "children": len(kids), "difference": parent - total})
        if issues:
            yield i, issues


def _category_known(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    pdlx = record.get("PDLX")
    issues = []
    for name in rule.params["fields"]:
        value = record.get(name)
        if value in (None, MISSING):
            continue
        if not ctx.ruleset.known_value(name, value, None if pdlx is MISSING else pdlx,
                                       rule.params["allow_provisional"]):
            issues.append({"field": name, "label": ctx.label(name), "value": value})
    return issues


_RUNNERS: dict[str, Runner] = {
    "deadline": _per_record(_deadline),
    "undecided": _per_record(_undecided_check),
    "legal_needs_document": _per_record(_legal_needs_document),
    "illegal_needs_case_or_referral": _per_record(_illegal_needs_case_or_referral),
    "illegal_needs_rectification_plan": _per_record(_illegal_needs_rectification_plan),
    "flag_requires": _per_record(_flag_requires),
    "violation_period": _per_record(_violation_period),
    "area_order": _per_record(_area_order),
    "sum_equals": _per_record(_sum_equals),
    "children_sum_to_parent": _children_sum_to_parent,
    "category_known": _per_record(_category_known),
}
assert set(_RUNNERS) == set(KINDS)
