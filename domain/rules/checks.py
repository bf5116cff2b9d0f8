"""Quality checks (质检): a fixed set of implemented check kinds, switched and worded by the rule file.

An office can enable or disable a check, change its severity, message,
tolerance and fields in TOML, but cannot invent new logic there: the kinds
below are code, each with its parameters and the placeholders its message
may use. Output is one :class:`Violation` per (patch, rule); when a rule finds
several problems on one patch (two unknown values, two area pairs) their
filled messages are joined with '；'. A stage can be submitted only while no
error remains (:func:`can_submit`); warnings may pass.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable

from .conditions import MISSING
from .records import PatchRecord, as_date, record_fields
from .ruleset import ERROR, KNOWN_VALUE_COLUMNS, CheckRule, RecordField, RuleSet
from .text import LIST_SEPARATOR, fill, placeholders

REQUIRED = object()
_EPS = 1e-9


@dataclass(frozen=True)
class Param:
    """A parameter of a check kind: ``type`` is fields/field/columns/number/bool/choice."""

    type: str
    default: Any = REQUIRED
    choices: tuple[str, ...] = ()
    area: bool = False
    minimum: int = 1


@dataclass(frozen=True)
class Kind:
    params: Mapping[str, Param]
    placeholders: tuple[str, ...]
    role: str = ""  # default pdlx filter: the category with this role


_TOL = Param("number", 0.01)
KINDS: dict[str, Kind] = {
    "deadline": Kind({"scope": Param("choice", "all", ("all", "undecided", "decided"))},
                     ("days_late", "deadline", "decided")),
    "legal_needs_document": Kind({"document_fields": Param("fields", ("PZWH",))}, (), "legal"),
    "illegal_needs_case_or_referral": Kind({}, (), "illegal"),
    "illegal_needs_rectification_plan": Kind({}, (), "illegal"),
    "area_order": Kind({"fields": Param("fields", area=True, minimum=2), "tolerance_mu": _TOL},
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

    def to_row(self) -> dict[str, str]:
        """Columns of ``wpzf_check_result`` (JCBH, rule_id, severity, message)."""
        return {"JCBH": self.jcbh, "rule_id": self.rule_id, "severity": self.severity, "message": self.message}


def can_submit(violations: Iterable[Violation]) -> bool:
    """A stage may be submitted when no violation is an error (warnings may remain)."""
    return not any(v.severity == ERROR for v in violations)


Issues = list[dict[str, Any]]


class _Context:
    def __init__(self, ruleset: RuleSet, today: dt.date) -> None:
        self.ruleset = ruleset
        self.today = today
        self.fields: dict[str, RecordField] = record_fields(ruleset.record_fields)

    def label(self, name: str) -> str:
        return self.fields[name].label if name in self.fields else name


def quality_check(ruleset: RuleSet, records: Iterable[PatchRecord], today: dt.date) -> list[Violation]:
    """Every enabled check rule on every record; violations in record order, then rule order.

    ``today`` (a date; a datetime is cut to its date) is passed in rather than
    read from the clock so that a re-run of an old stage gives the same list.
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    rows = list(records)
    ctx = _Context(ruleset, today)
    found: list[tuple[int, int, Violation]] = []
    for r, rule in enumerate(ruleset.check_rules):
        if not rule.enabled:
            continue
        names = [n for n, _ in placeholders(rule.message)]
        for i, issues in _RUNNERS[rule.kind](ctx, rule, rows):
            record = rows[i]
            texts = []
            for issue in issues:
                values = {n: record.get(n) for n in names if n not in issue}
                values.update(issue)
                texts.append(fill(rule.message, values))
            found.append((i, r, Violation(record.jcbh, rule.id, rule.severity,
                                          LIST_SEPARATOR.join(dict.fromkeys(texts)), rule.kind)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [v for _, _, v in found]


def _applies(ctx: _Context, rule: CheckRule, record: PatchRecord) -> bool:
    if not rule.pdlx:
        return True
    value = record.get("PDLX")
    return value not in (None, MISSING) and ctx.ruleset.canonical(value) in rule.pdlx


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


def _deadline(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    deadline = record.date("PDQX")
    if deadline is None:
        received = as_date(record.received) or record.date("JSRQ")
        if received is None:
            return []
        deadline = ctx.ruleset.deadlines.decision_deadline(received)
    scope = rule.params["scope"]
    if not _filled(record, "PDLX"):
        late = (ctx.today - deadline).days
        if scope != "decided" and late > 0:
            return [{"days_late": late, "deadline": deadline.isoformat(), "decided": None}]
        return []
    decided = record.date("PDSJ")
    if scope != "undecided" and decided is not None and (decided - deadline).days > 0:
        return [{"days_late": (decided - deadline).days, "deadline": deadline.isoformat(),
                 "decided": decided.isoformat()}]
    return []


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


def _illegal_needs_rectification_plan(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    return [] if _filled(record, "ZGFS") or record.n_rectification > 0 else [{}]


def _area_order(ctx: _Context, rule: CheckRule, record: PatchRecord) -> Issues:
    present = [(f, v) for f in rule.params["fields"] if (v := record.area_mu(f, ctx.fields)) is not None]
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
    index = {}
    for i, record in enumerate(records):
        index.setdefault(record.jcbh, i)
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
            values = [k.area_mu(name, ctx.fields) for k in kids]
            if parent is None or any(v is None for v in values):
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
    "legal_needs_document": _per_record(_legal_needs_document),
    "illegal_needs_case_or_referral": _per_record(_illegal_needs_case_or_referral),
    "illegal_needs_rectification_plan": _per_record(_illegal_needs_rectification_plan),
    "area_order": _per_record(_area_order),
    "sum_equals": _per_record(_sum_equals),
    "children_sum_to_parent": _children_sum_to_parent,
    "category_known": _per_record(_category_known),
}
assert set(_RUNNERS) == set(KINDS)
