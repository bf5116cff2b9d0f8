"""Rule file → :class:`~.ruleset.RuleSet`: the sections other than the rules themselves.

The layout is documented in ``rules/2022-chongqing.toml``. Unknown keys are
refused rather than ignored, because a misspelt setting that silently falls
back to a default is worse than an error an office can fix.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..messages import QT_TRANSLATE_NOOP
from .parse_rules import parse_check_rules, parse_mining_rules, parse_prejudge_rules
from .reader import Reader, Where
from .records import WORKSPACE_FIELDS
from .review_rules import parse_review
from .ruleset import (
    ANY_SITUATION,
    COUNT,
    DEDUCT,
    ILLEGAL,
    LEGAL,
    M2,
    MU,
    RANKING_METRICS,
    ROLES,
    Category,
    CoverKind,
    Deadlines,
    Ranking,
    RankingCriterion,
    Ratio,
    RatioRule,
    RecordField,
    RuleSet,
    SituationFigures,
    Thresholds,
    available_rulesets,
    name_key,
)
from .source import RuleSetError, read_toml

SECTIONS = ("ruleset", "deadlines", "thresholds", "ratio", "category", "violation", "rectification",
            "departments", "aliases", "cover", "check", "prejudge", "ranking", "figures", "review",
            "imagery", "referral")  # [imagery]: read by imagery_rules.py (the imagery screening), not into RuleSet
_KIND = re.compile(r"^[A-Z][A-Z0-9_]*$")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def load_named_ruleset(name: str) -> RuleSet:
    """A rule set by the name a workspace or a parameter gives: a shipped name or a .toml path."""
    if name.lower().endswith(".toml"):
        return load_ruleset(Path(name))
    shipped = available_rulesets()
    if name not in shipped:
        raise RuleSetError(QT_TRANSLATE_NOOP("domain", "Unknown rule set {name!r}; available: {names}."),
                           name=name, names=", ".join(shipped) or "-")
    return load_ruleset(shipped[name])


def load_ruleset(path: Path) -> RuleSet:
    """Read and validate one rule file; :class:`~.source.RuleSetError` names file, line and rule."""
    path = Path(path)
    data, source = read_toml(path)
    r = Reader(path, source)
    r.only(data, SECTIONS, Where())
    meta = r.get(data, "ruleset", "table", Where())
    top = Where(("ruleset",))
    r.only(meta, ("title", "year", "province", "district", "basis"), top)
    categories = _categories(r, r.get(data, "category", "list", Where()))
    periods, types = _violation(r, r.get(data, "violation", "table", Where(), {}))
    rect = r.get(data, "rectification", "table", Where(), {})
    r.only(rect, ("methods",), Where(("rectification",)))
    ratio = _ratio(r, r.get(data, "ratio", "table", Where(), {}))
    departments = _text_table(r, data, "departments")
    ruleset = RuleSet(
        name=path.stem, path=path, title=r.get(meta, "title", "text", top),
        year=r.get(meta, "year", "int", top, 0), province=r.get(meta, "province", "text", top, ""),
        district=r.get(meta, "district", "text", top, ""), basis=r.get(meta, "basis", "texts", top, ()),
        categories=categories, violation_periods=periods, violation_types=types,
        rectification_methods=r.get(rect, "methods", "texts", Where(("rectification",)), ()),
        departments=departments, cover_kinds=_cover(r, r.get(data, "cover", "table", Where(), {})),
        deadlines=_deadlines(r, r.get(data, "deadlines", "table", Where(), {})),
        thresholds=_thresholds(r, r.get(data, "thresholds", "table", Where(), {})), ratio=ratio,
        ranking=_ranking(r, r.get(data, "ranking", "table", Where(), None)),
        review=parse_review(r, r.get(data, "review", "table", Where(), None)))
    aliases = _aliases(r, data, ruleset)
    ruleset = _replace(ruleset, aliases=aliases)  # [referral] names are read through the aliases
    ruleset = _replace(ruleset, referrals=_referrals(r, r.get(data, "referral", "table", Where(), {}), ruleset))
    check = r.get(data, "check", "table", Where(), {})
    r.only(check, ("fields", "rule"), Where(("check",)))
    extra = _record_fields(r, r.get(check, "fields", "table", Where(("check",)), {}))
    prejudge = r.get(data, "prejudge", "table", Where())
    r.only(prejudge, ("rule", "mining"), Where(("prejudge",)))
    figures = _figures(r, r.get(data, "figures", "table", Where(), None), categories, aliases)
    ruleset = _replace(ruleset, aliases=aliases, record_fields=extra, figures=figures)
    ids: dict[str, int] = {}
    rules = parse_prejudge_rules(r, ruleset, r.get(prejudge, "rule", "list", Where(("prejudge",))), ids)
    mining = parse_mining_rules(r, ruleset, r.get(prejudge, "mining", "list", Where(("prejudge",)), []), ids)
    checks = parse_check_rules(r, ruleset, r.get(check, "rule", "list", Where(("check",)), []), ids)
    return _replace(ruleset, prejudge_rules=rules, mining_rules=mining, check_rules=checks)


def _replace(ruleset: RuleSet, **changes: Any) -> RuleSet:
    """dataclasses.replace, which also drops the cached name tables computed so far."""
    from dataclasses import replace

    return replace(ruleset, **changes)


def _categories(r: Reader, items: list[dict[str, Any]]) -> tuple[Category, ...]:
    result: list[Category] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        where = Where(("category",), index=i)
        r.only(item, ("name", "role", "situations", "provisional", "description"), where)
        name = r.get(item, "name", "text", where)
        if name_key(name) in seen:
            r.fail("duplicate", where, "name", value=name, first=seen[name_key(name)])
        seen[name_key(name)] = r.line(where, "name")
        situations = r.get(item, "situations", "texts", where, ())
        provisional = r.get(item, "provisional", "texts", where, ())
        own: dict[str, int] = {}
        for value in situations + provisional:
            if name_key(value) in own:
                r.fail("duplicate", where, "situations", value=value, first=r.line(where, "situations"))
            own[name_key(value)] = 1
        r.get(item, "description", "text", where, "")
        result.append(Category(name, r.choice(item, "role", ROLES, where), situations, provisional))
    for role in (LEGAL, ILLEGAL):
        having = [i for i, c in enumerate(result) if c.role == role]
        if len(having) != 1:  # point at the second one, or at the first category when none has it
            r.fail("role", Where(("category",), index=having[1] if having else 0), "role", role=role)
    return tuple(result)


def _violation(r: Reader, table: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, dict[str, tuple[str, ...]]]]:
    """违法类型: periods (新增/存量) and groups → kinds → sub-kinds (a list stands for kinds without sub-kinds)."""
    where = Where(("violation",))
    r.only(table, ("periods", "types"), where)
    periods = r.get(table, "periods", "texts", where, ())
    types: dict[str, dict[str, tuple[str, ...]]] = {}
    for group, kinds in r.get(table, "types", "table", where, {}).items():
        group_where = Where(("violation", "types"))
        if isinstance(kinds, list):
            types[group] = {k: () for k in r.get({group: kinds}, group, "texts", group_where)}
            continue
        inner = r.get({group: kinds}, group, "table", group_where)
        types[group] = {k: r.get(inner, k, "texts", Where(("violation", "types", group))) for k in inner}
    return periods, types


def _figures(r: Reader, table: Mapping[str, Any] | None, categories: tuple[Category, ...],
             aliases: Mapping[str, str]) -> tuple[SituationFigures, ...]:
    """统计口径: every situation of every category is placed once (``*`` stands for the rest of a category).

    Without the section (older rule files) the 2021 reading applies — every
    合法 and 违法 situation is construction — which the figures then say.
    """
    if table is None:
        return tuple(SituationFigures(c.name, (ANY_SITUATION,), c.role in (LEGAL, ILLEGAL), c.role == ILLEGAL)
                     for c in categories)
    where = Where(("figures",))
    r.only(table, ("situation",), where)
    by_name = {c.name: c for c in categories}
    placed: dict[tuple[str, str], int] = {}
    result = []
    for i, item in enumerate(r.get(table, "situation", "list", where)):
        result.append(_figure(r, item, Where(("figures", "situation"), index=i), by_name, aliases, placed))
    _require_every_situation_placed(r, categories, placed)
    return tuple(result)


def _figure(r: Reader, item: Mapping[str, Any], at: Where, by_name: Mapping[str, Category],
            aliases: Mapping[str, str], placed: dict[tuple[str, str], int]) -> SituationFigures:
    """One [[figures.situation]] entry; records where each (category, situation) was placed."""
    r.only(item, ("category", "names", "construction", "illegal_farmland", "non_grain", "basis"), at)
    category = by_name.get(aliases.get(r.get(item, "category", "text", at), None) or item["category"])
    if category is None:
        r.fail("undefined", at, "category", value=item["category"])
    names = tuple(aliases.get(n, n) for n in r.get(item, "names", "texts", at))
    for name in names:
        if name != ANY_SITUATION and name not in category.situations:
            r.fail("undefined", at, "names", value=name)
        if (category.name, name) in placed:
            r.fail("duplicate", at, "names", value=name, first=placed[(category.name, name)])
        placed[(category.name, name)] = r.line(at, "names")
    illegal = r.get(item, "illegal_farmland", "bool", at, False)
    non_grain = r.get(item, "non_grain", "bool", at, False)
    if (illegal or non_grain) and category.role != ILLEGAL:
        r.fail("choice", at, "illegal_farmland" if illegal else "non_grain", value=True,
               choices="false (only the illegal category counts illegal farmland)")
    return SituationFigures(category.name, names, r.get(item, "construction", "bool", at), illegal,
                            non_grain, r.get(item, "basis", "text", at, ""))


def _require_every_situation_placed(r: Reader, categories: tuple[Category, ...],
                                    placed: Mapping[tuple[str, str], int]) -> None:
    """Each situation of each category is counted somewhere, unless the category has a ``*`` entry."""
    for category in categories:
        if (category.name, ANY_SITUATION) in placed:
            continue
        for situation in category.situations:
            if (category.name, situation) not in placed:
                r.fail("missing", Where(("figures",)), f"{category.name}/{situation}")


def _text_table(r: Reader, data: Mapping[str, Any], section: str) -> dict[str, str]:
    table = r.get(data, section, "table", Where(), {})
    return {key.strip(): r.get(table, key, "text", Where((section,))) for key in table}


def _aliases(r: Reader, data: Mapping[str, Any], ruleset: RuleSet) -> dict[str, str]:
    """Alias → canonical name; the target must exist, and an alias may not hide a real name."""
    aliases = _text_table(r, data, "aliases")
    known = {name_key(n): n for n in ruleset.known_names}
    for alias, target in aliases.items():
        where = Where(("aliases",))
        if name_key(target) not in known:
            r.fail("undefined", where, alias, value=target)
        if name_key(alias) in known and known[name_key(alias)] != known[name_key(target)]:
            r.fail("alias_shadow", where, alias)
    return {alias: known[name_key(target)] for alias, target in aliases.items()}


def _referrals(r: Reader, table: Mapping[str, Any], ruleset: RuleSet) -> dict[str, tuple[str, ...]]:
    """[referral]: 具体情形 or 违法类型 → departments to refer such a patch to (each one of [departments])."""
    where = Where(("referral",))
    result = {}
    for key in table:
        name = ruleset.canonical(key)
        if not (ruleset.known_value("JTQX", name) or name in ruleset.violation_type_names):
            r.fail("undefined", where, key, value=key)
        departments = []
        for department in r.get(table, key, "texts", where):
            if ruleset.canonical(department) not in ruleset.departments:
                r.fail("undefined", where, key, value=department)
            departments.append(ruleset.canonical(department))
        result[name] = tuple(departments)
    return result


def _cover(r: Reader, table: Mapping[str, Any]) -> dict[str, CoverKind]:
    kinds = {}
    for code, spec in table.items():
        where = Where(("cover", code))
        if not _KIND.match(code) or code == "ANY":
            r.fail("choice", Where(("cover",)), code, value=code, choices="NYDZY, TDGY, … (A–Z, 0–9, _; not ANY)")
        spec = r.get(table, code, "table", Where(("cover",)))
        r.only(spec, ("name", "key"), where)
        kinds[code] = CoverKind(code, r.get(spec, "name", "text", where), r.get(spec, "key", "text", where, "文号"))
    return kinds


def _deadlines(r: Reader, table: Mapping[str, Any]) -> Deadlines:
    where = Where(("deadlines",))
    r.only(table, ("decision_days", "report_day", "statistics_end", "acceptance"), where)
    days = r.get(table, "decision_days", "int", where, 20)
    if days < 1:
        r.fail("choice", where, "decision_days", value=days, choices="1, 2, 3, …")
    day = r.get(table, "report_day", "int", where, 20)
    if not 1 <= day <= 28:
        r.fail("choice", where, "report_day", value=day, choices="1–28")
    return Deadlines(days, day, r.get(table, "statistics_end", "text", where, ""),
                     r.get(table, "acceptance", "text", where, ""))


def _thresholds(r: Reader, table: Mapping[str, Any]) -> Thresholds:
    where = Where(("thresholds",))
    names = ("initial_mu", "after_rectification_mu", "ratio")
    r.only(table, names + tuple(n + "_op" for n in ("initial", "after_rectification", "ratio")), where)
    defaults = Thresholds()
    values: dict[str, Any] = {}
    for name in names:
        values[name] = r.get(table, name, "number", where, getattr(defaults, name))
        op = name.replace("_mu", "") + "_op"
        values[op] = r.choice(table, op, (">", ">="), where, getattr(defaults, op))
    return Thresholds(**values)


def _ratio(r: Reader, table: Mapping[str, Any]) -> Ratio:
    where = Where(("ratio",))
    r.only(table, ("numerator", "denominator", "default", "rule"), where)
    rules = []
    for i, item in enumerate(r.get(table, "rule", "list", where, [])):
        at = Where(("ratio", "rule"), index=i)
        r.only(item, ("name", "effect", "description"), at)
        rules.append(RatioRule(r.get(item, "name", "text", at), r.choice(item, "effect", (COUNT, DEDUCT), at),
                               r.get(item, "description", "text", at, "")))
    return Ratio(r.get(table, "numerator", "text", where, ""), r.get(table, "denominator", "text", where, ""),
                 r.choice(table, "default", (COUNT, DEDUCT), where, COUNT), tuple(rules))


def _ranking(r: Reader, table: Mapping[str, Any] | None) -> Ranking:
    """约谈 ranking: weighted town figures; absent section → the default weights."""
    if table is None:
        return Ranking()
    where = Where(("ranking",))
    r.only(table, ("interview_top", "criterion"), where)
    top = r.get(table, "interview_top", "int", where, Ranking().interview_top)
    if top < 0:
        r.fail("choice", where, "interview_top", value=top, choices="0, 1, 2, …")
    criteria = []
    for i, item in enumerate(r.get(table, "criterion", "list", where, [])):
        at = Where(("ranking", "criterion"), index=i)
        r.only(item, ("metric", "weight", "description"), at)
        weight = r.get(item, "weight", "number", at)
        if weight <= 0:
            r.fail("choice", at, "weight", value=weight, choices="> 0")
        r.get(item, "description", "text", at, "")
        criteria.append(RankingCriterion(r.choice(item, "metric", tuple(RANKING_METRICS), at), float(weight)))
    return Ranking(tuple(criteria) or Ranking().criteria, top)


def _record_fields(r: Reader, table: Mapping[str, Any]) -> dict[str, RecordField]:
    """Extra patch-record fields (not workspace columns) that check rules may use."""
    fields = {}
    for name, spec in table.items():
        where = Where(("check", "fields", name))
        if name in WORKSPACE_FIELDS:
            r.fail("column", Where(("check", "fields")), name)
        if not _FIELD.match(name):
            r.fail("choice", Where(("check", "fields")), name, value=name, choices="A–Z, a–z, 0–9, _")
        spec = r.get(table, name, "table", Where(("check", "fields")))
        r.only(spec, ("label", "unit"), where)
        fields[name] = RecordField(name, r.get(spec, "label", "text", where),
                                   r.choice(spec, "unit", (MU, M2, ""), where, ""))
    return fields
