"""季度统计: the year's quarters, each alone and cumulated, as at the quarter's end.

工作方案 四(二): "根据全年4个季度卫片执法成果和违法图斑查处整改最新进展情况，形成…书面总结".
Each quarter row counts the patches received in that quarter; each 累计 row the
patches received from 1 January to the quarter's end. Both are "as at" the
quarter's end (progress dated later is not counted), so a quarter's row is what
the office could have reported on that day. Figures come from
:func:`compute_statistics`, never from a second computation.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Optional

from ..rules.ruleset import RuleSet
from .facts import PatchFact
from .periods import Period, parse_period
from .statistics import Statistics, compute_statistics

SINGLE, CUMULATIVE = "单季", "累计"


@dataclass(frozen=True)
class QuarterFigures:
    """One row of the quarterly sheet: scope (单季/累计), a label, the receipt period and its statistics."""

    scope: str
    label: str
    period: Period
    stats: Statistics


def report_year(period: Optional[Period], ruleset: RuleSet, facts: Iterable[PatchFact]) -> Optional[int]:
    """The year the quarters belong to: the period's; without one, the rule set's statistics year, else the latest receipt."""
    if period is not None:
        return period.end.year
    if ruleset.statistics_end is not None:
        return ruleset.statistics_end.year
    if ruleset.year:
        return ruleset.year
    years = [f.received.year for f in facts if f.received]
    return max(years) if years else None


def quarters_of(year: int, period: Optional[Period]) -> list[Period]:
    """Q1..Q4 of ``year``; for a month or quarter period only the quarters up to the one it ends in."""
    last = 4 if period is None or period.kind == "year" else (period.end.month - 1) // 3 + 1
    return [parse_period(f"{year}-Q{q}") for q in range(1, last + 1)]


def quarterly_statistics(facts: Iterable[PatchFact], ruleset: RuleSet, period: Optional[Period] = None,
                         town_names: Mapping[str, str] | None = None) -> list[QuarterFigures]:
    """单季 rows Q1..Qn, then 累计 rows (1 Jan to each quarter's end), each as at its quarter's end."""
    facts = list(facts)
    year = report_year(period, ruleset, facts)
    if year is None:
        return []
    quarters = quarters_of(year, period)
    single = [QuarterFigures(SINGLE, f"{year}年第{i}季度", q,
                             compute_statistics(facts, ruleset, q, town_names, as_of=q.end))
              for i, q in enumerate(quarters, start=1)]
    cumulative = []
    for i, q in enumerate(quarters, start=1):
        span = Period(f"{year}-Q1~Q{i}", dt.date(year, 1, 1), q.end)
        label = f"{year}年第1季度" if i == 1 else f"{year}年第1—{i}季度"
        cumulative.append(QuarterFigures(CUMULATIVE, label, span,
                                         compute_statistics(facts, ruleset, span, town_names, as_of=q.end)))
    return single + cumulative
