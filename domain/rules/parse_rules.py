"""``[[prejudge.rule]]`` and ``[[check.rule]]`` tables → validated rules.

Everything a rule refers to is checked at load time (fields, operators and
their values, categories, check kinds and parameters, message placeholders),
so a broken rule file fails when it is selected, not halfway through a run.
Rule ids are unique across both sections.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ..workspace.patch_fields import ID_FIELD
from .checks import KINDS, REQUIRED, Param
from .conditions import OPERATORS, Condition, value_fits
from .evidence import field_type
from .reader import Reader, Where
from .records import is_area, record_fields
from .ruleset import ERROR, WARNING, CheckRule, PrejudgeRule, RuleSet
from .text import bad_spec, placeholders

PREJUDGE_KEYS = ("id", "order", "description", "when", "when_any", "then", "cite", "reason")
CHECK_KEYS = ("id", "kind", "severity", "message", "enabled", "description", "pdlx")


def _start(r: Reader, path: tuple[str, ...], i: int, item: Mapping[str, Any],
           ids: dict[str, int]) -> tuple[str, Where]:
    """Rule ``i``'s id and where it starts (labelled '#n' while the id is missing); checks id uniqueness."""
    raw = item.get("id")
    label = raw.strip() if isinstance(raw, str) and raw.strip() else f"#{i + 1}"
    where = Where(path, rule=label, rule_line=r.source.element_line(path, i, label if raw else None))
    rule_id = r.get(item, "id", "text", where)
    if not rule_id:
        r.fail("missing", where, "id")
    if rule_id in ids:
        r.fail("duplicate", where, "id", first=ids[rule_id])
    ids[rule_id] = where.rule_line or 0
    return label, where


def _conditions(r: Reader, ruleset: RuleSet, item: Mapping[str, Any], key: str, where: Where) -> tuple[Condition, ...]:
    result = []
    for raw in r.get(item, key, "list", where, []):
        r.only(raw, ("field", "op", "value"), where)
        name = r.get(raw, "field", "text", where)
        ftype = field_type(name, ruleset.cover_kinds)
        if ftype is None:
            r.fail("field", where, field=name)
        op = r.choice(raw, "op", OPERATORS, where)
        value = raw.get("value")
        if not value_fits(ftype, op, value):
            r.fail("test", where, field=name, op=op, value=value)
        if isinstance(value, str):
            value = value.strip()
        result.append(Condition(name, op, value))
    return tuple(result)


def _then(r: Reader, ruleset: RuleSet, item: Mapping[str, Any], where: Where) -> dict[str, str]:
    """The suggested values, canonical; JTQX must belong to PDLX (provisional values allowed here)."""
    then = r.get(item, "then", "table", where)
    r.only(then, ("PDLX", "JTQX", "WFLX"), where)
    result = {"PDLX": r.get(then, "PDLX", "text", where)}
    category = ruleset.category(result["PDLX"])
    if category is None:
        r.fail("undefined", where, "PDLX", value=result["PDLX"])
    result["PDLX"] = category.name
    for column in ("JTQX", "WFLX"):
        value = r.get(then, column, "text", where, "")
        if value and not ruleset.known_value(column, value, category.name, allow_provisional=True):
            r.fail("undefined", where, column, value=value)
        if value:
            result[column] = ruleset.canonical(value)
    return result


def _placeholders_ok(r: Reader, template: str, known: Any, where: Where) -> None:
    for name, spec in placeholders(template):
        if not known(name) or bad_spec(spec):
            r.fail("placeholder", where, placeholder="{" + name + (":" + spec if spec else "") + "}")


def parse_prejudge_rules(r: Reader, ruleset: RuleSet, items: list[dict[str, Any]],
                         ids: dict[str, int]) -> tuple[PrejudgeRule, ...]:
    """Rules in the order they are tried: ``order`` if every rule has one, else file order."""
    path = ("prejudge", "rule")
    if not items:
        r.fail("missing", Where(("prejudge",)), "rule")
    rules: list[tuple[Optional[int], PrejudgeRule, Where]] = []
    for i, item in enumerate(items):
        rule_id, where = _start(r, path, i, item, ids)
        r.only(item, PREJUDGE_KEYS, where)
        rule = _prejudge_rule(r, ruleset, item, rule_id, where)
        rules.append((r.get(item, "order", "int", where, None), rule, where))
    ordered = [o is not None for o, _, _ in rules]
    if any(ordered) and not all(ordered):
        r.fail("order", rules[ordered.index(not ordered[0])][2])
    if all(ordered):
        rules.sort(key=lambda entry: entry[0] or 0)  # every order is an int here; `or 0` only tells mypy
    for n, (_, rule, where) in enumerate(rules):
        if rule.is_default and n < len(rules) - 1:
            r.fail("default_not_last", where)
    if not rules[-1][1].is_default:
        r.fail("no_default", rules[-1][2])
    return tuple(rule for _, rule, _ in rules)


def parse_mining_rules(r: Reader, ruleset: RuleSet, items: list[dict[str, Any]],
                       ids: dict[str, int]) -> tuple[PrejudgeRule, ...]:
    """``[[prejudge.mining]]``: 涉矿 rules tried before the pre-judgement rules, in file order.

    Written like ``[[prejudge.rule]]``, but every one needs a condition: a
    default here would shadow every pre-judgement rule.
    """
    path = ("prejudge", "mining")
    rules = []
    for i, item in enumerate(items):
        rule_id, where = _start(r, path, i, item, ids)
        r.only(item, PREJUDGE_KEYS, where)
        rule = _prejudge_rule(r, ruleset, item, rule_id, where)
        if rule.is_default:
            r.fail("missing", where, "when")
        rules.append(rule)
    return tuple(rules)


def _prejudge_rule(r: Reader, ruleset: RuleSet, item: Mapping[str, Any], rule_id: str, where: Where) -> PrejudgeRule:
    for name in r.get(item, "cite", "texts", where, ()):
        if field_type(name, ruleset.cover_kinds) is None:
            r.fail("field", where, field=name)
    reason = r.get(item, "reason", "text", where, "")
    _placeholders_ok(r, reason, lambda n: field_type(n, ruleset.cover_kinds) is not None, where)
    return PrejudgeRule(
        id=rule_id, line=where.rule_line or 0, then=_then(r, ruleset, item, where),
        when=_conditions(r, ruleset, item, "when", where), when_any=_conditions(r, ruleset, item, "when_any", where),
        cite=r.get(item, "cite", "texts", where, ()), reason=reason,
        description=r.get(item, "description", "text", where, ""))


def _param(r: Reader, ruleset: RuleSet, item: Mapping[str, Any], key: str, spec: Param, where: Where) -> Any:
    fields = record_fields(ruleset.record_fields)
    kind = {"fields": "texts", "columns": "texts", "field": "text", "number": "number", "bool": "bool",
            "choice": "text", "message": "text", "situations": "texts", "period": "text"}[spec.type]
    value = r.get(item, key, kind, where, spec.default)
    if spec.type == "choice" and value not in spec.choices:
        r.fail("choice", where, key, value=value, choices=", ".join(spec.choices))
    if spec.type == "number" and value < 0:
        r.fail("choice", where, key, value=value, choices="≥ 0")
    if spec.type == "period" and value not in ruleset.violation_periods:
        r.fail("choice", where, key, value=value, choices=", ".join(ruleset.violation_periods) or "-")
    names = [value] if spec.type == "field" else list(value) if spec.type in ("fields", "columns") else []
    if spec.type in ("fields", "columns") and len(names) < spec.minimum:
        r.fail("type", where, key, value=list(value), example='["WFGDMJ", "WFMJ", "TBMJ|JCMJ"]')
    if spec.alternatives:  # "TBMJ|JCMJ": the first non-empty of them
        names = [n.strip() for name in names for n in name.split("|")]
    for name in names:
        if spec.type == "columns" and name not in spec.choices:
            r.fail("choice", where, key, value=name, choices=", ".join(spec.choices))
        if name not in fields:
            r.fail("field", where, field=name)
        if spec.area and not is_area(name, fields):
            r.fail("not_area", where, field=name)
    return value


def _situations(r: Reader, ruleset: RuleSet, values: tuple[str, ...], pdlx: list[str], where: Where) -> tuple[str, ...]:
    """具体情形 filter, canonical; each must be a situation of the rule's categories (any category if none)."""
    pool = [ruleset.category(p) for p in pdlx] if pdlx else list(ruleset.categories)
    result = []
    for value in values:
        canonical = ruleset.canonical(value)
        if not any(canonical in c.situations for c in pool if c is not None):
            r.fail("undefined", where, "situations", value=value)
        result.append(canonical)
    return tuple(result)


def parse_check_rules(r: Reader, ruleset: RuleSet, items: list[dict[str, Any]],
                      ids: dict[str, int]) -> tuple[CheckRule, ...]:
    """Check rules in file order; a kind's parameters are checked against :data:`~.checks.KINDS`."""
    path = ("check", "rule")
    fields = record_fields(ruleset.record_fields)
    rules = []
    for i, item in enumerate(items):
        rule_id, where = _start(r, path, i, item, ids)
        kind_name = r.choice(item, "kind", tuple(KINDS), where)
        kind = KINDS[kind_name]
        r.only(item, CHECK_KEYS + tuple(kind.params), where)
        params = {key: _param(r, ruleset, item, key, spec, where) for key, spec in kind.params.items()}
        if any(v is REQUIRED for v in params.values()):  # pragma: no cover - get() already refused
            raise AssertionError("required parameter without value")
        pdlx = []
        for value in r.get(item, "pdlx", "texts", where, ()):
            category = ruleset.category(value)
            if category is None:
                r.fail("undefined", where, "pdlx", value=value)
            pdlx.append(category.name)
        if not pdlx and kind.role:
            pdlx = [ruleset.legal if kind.role == "legal" else ruleset.illegal]
        for key, spec in kind.params.items():
            if spec.type == "situations":
                params[key] = _situations(r, ruleset, params[key], pdlx, where)
        message = r.get(item, "message", "text", where)
        allowed = set(kind.placeholders) | set(fields) | {ID_FIELD}
        _placeholders_ok(r, message, allowed.__contains__, where)
        for key, spec in kind.params.items():
            if spec.type == "message":
                _placeholders_ok(r, params[key], allowed.__contains__, where)
        rules.append(CheckRule(
            id=rule_id, line=where.rule_line or 0, kind=kind_name,
            severity=r.choice(item, "severity", (ERROR, WARNING), where, ERROR), message=message,
            params=params, pdlx=tuple(pdlx), enabled=r.get(item, "enabled", "bool", where, True),
            description=r.get(item, "description", "text", where, "")))
    return tuple(rules)
