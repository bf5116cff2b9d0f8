"""``[review]`` of a rule file: the review chain a submission needs and what makes a patch 重大.

Why in the rule set: the work plan (五(三)) asks for "建立图斑核查、图斑数据层层审查、
纠错机制" and "分管负责人要参与重大违法图斑的现场核查和合法性判定", but how far
the chain must have gone before 一上/二上, and which illegal patches are
重大违法图斑, is each year's and province's choice. The 2022 Chongqing set:
审核 for every decided patch, 审定 plus the 分管负责人's participation for 重大
(违法 with WFGDMJ ≥ 5 亩, any 永久基本农田, or 立案).

A rule file without the section requires no review (older rule sets keep
working as they did).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..workspace.columns import PATCH_COLUMNS
from .conditions import ANY, OPERATORS, Condition, value_fits
from .reader import Reader, Where

HANDLED, REVIEWED, APPROVED = "经办", "审核", "审定"
STEPS: tuple[str, ...] = (HANDLED, REVIEWED, APPROVED)
"""The chain's steps in order: the technician who saved the decision, the reviewer, the 分管负责人."""
SIGNED_STEPS: tuple[str, ...] = (REVIEWED, APPROVED)


@dataclass(frozen=True)
class MajorRule:
    """One way a patch judged 违法 is 重大: all its conditions hold (on the patch's fields)."""

    description: str
    when: tuple[Condition, ...]

    def holds(self, values: Mapping[str, Any]) -> bool:
        return all(c.holds(values.get(c.field)) for c in self.when)


@dataclass(frozen=True)
class ReviewRules:
    """What the review chain must have reached before a submission, and the 重大 definition.

    ``required_for_submission``: the step every decided patch needs ('' none,
    审核 or 审定); ``major_step``: the step a 重大违法图斑 needs (at least as far);
    ``major_requires_lead``: a 重大 patch needs the record that the 分管负责人
    took part (FGCY) in its chain.
    """

    required_for_submission: str = ""
    major_step: str = ""
    major_requires_lead: bool = False
    major: tuple[MajorRule, ...] = ()

    def is_major(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """The descriptions of the 重大 rules an illegal patch's ``values`` meet (empty: not 重大)."""
        return tuple(rule.description for rule in self.major if rule.holds(values))

    def required_step(self, major: bool) -> str:
        """The step a patch must have reached: the later of the general and (for 重大) the major step."""
        wanted = [s for s in (self.required_for_submission, self.major_step if major else "") if s]
        return max(wanted, key=STEPS.index) if wanted else ""


def parse_review(r: Reader, table: Mapping[str, Any] | None) -> ReviewRules:
    """The ``[review]`` table; absent → no review required."""
    if table is None:
        return ReviewRules()
    where = Where(("review",))
    r.only(table, ("required_for_submission", "major_step", "major_requires_lead", "major"), where)
    choices = ("",) + SIGNED_STEPS
    rules = []
    for i, item in enumerate(r.get(table, "major", "list", where, [])):
        at = Where(("review", "major"), index=i)
        r.only(item, ("description", "when"), at)
        rules.append(MajorRule(r.get(item, "description", "text", at), _conditions(r, item, at)))
    return ReviewRules(r.choice(table, "required_for_submission", choices, where, ""),
                       r.choice(table, "major_step", choices, where, ""),
                       r.get(table, "major_requires_lead", "bool", where, False), tuple(rules))


def _conditions(r: Reader, item: Mapping[str, Any], at: Where) -> tuple[Condition, ...]:
    """``when = [{ field, op, value }, …]`` on workspace patch fields (JCBH, WFGDMJ, SFLA, …)."""
    result = []
    for raw in r.get(item, "when", "list", at):
        r.only(raw, ("field", "op", "value"), at)
        name = r.get(raw, "field", "text", at)
        if name not in {c.name for c in PATCH_COLUMNS}:
            r.fail("undefined", at, "field", value=name)
        op = r.choice(raw, "op", OPERATORS, at)
        value = raw.get("value")
        if not value_fits(ANY, op, value):
            r.fail("choice", at, "value", value=value, choices="a number or text fitting " + op)
        result.append(Condition(name, op, value.strip() if isinstance(value, str) else value))
    if not result:
        r.fail("missing", at, "when")
    return tuple(result)
