"""趋势分析: the year month by month, the progress since the previous bulletin, findings in sentences.

工作方案: "分析各镇街违法形势和趋势，适时通报工作进展情况". A leader asks three
questions of a bulletin — how did the year go, what changed since the last one,
and which towns lag — and each answer must be the figure ``wpzf:townstatistics``
gives, never a second count. So every number here comes from
:func:`~.statistics.compute_statistics`:

- a month's point is the year to date: the patches received (batch JSRQ) from
  1 January to the month's end, as at the month's end (or the bulletin's "as
  at" date in its last month) — rectification, case and referral progress dated
  later is not counted (domain.md §9 "As at a date"). The December point as at
  12-31 *is* ``wpzf:townstatistics PERIOD=<year>``; a quarter's end is the
  workbook's 季度统计 累计 row.
- the figures of the month alone are the differences of consecutive points.
- a decision counts from its patch's receipt, as in the statistics: PDSJ is the
  clock time of the save, which in retrospective entry lies after the year.
- progress since a previous date compares the year to date at both dates,
  town by town.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Optional

from ..messages import QT_TRANSLATE_NOOP, Message
from ..rules.ruleset import RuleSet
from .facts import PatchFact
from .periods import Period
from .statistics import DISTRICT_CODE, UNDECIDED, Statistics, TownFigures, compute_statistics

SERIES = ("delivered", "decided", "illegal", "rectified")
"""The four monthly series of a bulletin: 下发, 已判定, 违法, 已整改 (patch counts)."""
AREAS = ("illegal_farmland_mu", "after_farmland_mu")
"""Area series (亩): counted illegal farmland, initially and after rectification."""


@dataclass(frozen=True)
class Counts:
    """One town's (or the district's) figures taken from its :class:`TownFigures`."""

    delivered: int = 0
    decided: int = 0
    illegal: int = 0
    rectified: int = 0
    illegal_farmland_mu: float = 0.0
    after_farmland_mu: float = 0.0

    @classmethod
    def of(cls, town: Optional[TownFigures]) -> Counts:
        """下发 = issued (原始下发); 已判定 = 核实后 patches with a decision; 违法, 已整改 as counted;
        areas = the counted illegal farmland before and after rectification (the penalty figures)."""
        if town is None:
            return cls()
        return cls(town.issued_count, town.verified_count - town.decided.get(UNDECIDED, 0), town.illegal_count,
                   town.rectified_count, town.counted_farmland_mu, town.counted_after_farmland_mu)

    def value(self, name: str) -> float:
        return float(getattr(self, name))

    def minus(self, other: Counts) -> Counts:
        return Counts(self.delivered - other.delivered, self.decided - other.decided, self.illegal - other.illegal,
                      self.rectified - other.rectified, self.illegal_farmland_mu - other.illegal_farmland_mu,
                      self.after_farmland_mu - other.after_farmland_mu)


@dataclass(frozen=True)
class Point:
    """The year to date as at ``as_of``: the statistics of the patches received from 1 January to ``as_of``."""

    month: int
    as_of: dt.date
    stats: Statistics

    def counts(self, code: str = DISTRICT_CODE) -> Counts:
        if code == DISTRICT_CODE:
            return Counts.of(self.stats.total)
        return Counts.of(next((t for t in self.stats.towns if t.code == code), None))


@dataclass(frozen=True)
class Trend:
    """Month points 1..n of ``year``; n is the month of ``as_of``."""

    year: int
    as_of: dt.date
    points: tuple[Point, ...]
    names: Mapping[str, str]

    @property
    def months(self) -> list[int]:
        return [p.month for p in self.points]

    def towns(self) -> list[str]:
        """Every town code seen in any month, in code order."""
        return sorted({t.code for p in self.points for t in p.stats.towns})

    def name(self, code: str) -> str:
        if code == DISTRICT_CODE:
            return self.points[-1].stats.total.name if self.points else code
        known = self.names.get(code, "")
        return known or next((t.name for p in self.points for t in p.stats.towns if t.code == code and t.name), code)

    def cumulative(self, series: str, code: str = DISTRICT_CODE) -> list[float]:
        """The year to date at each month's end (as at that date)."""
        return [p.counts(code).value(series) for p in self.points]

    def in_month(self, series: str, code: str = DISTRICT_CODE) -> list[float]:
        """What the month added: the difference of consecutive year-to-date points."""
        values = self.cumulative(series, code)
        return [v - (values[i - 1] if i else 0.0) for i, v in enumerate(values)]


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def year_to_date(facts: Sequence[PatchFact], ruleset: RuleSet, day: dt.date,
                 names: Mapping[str, str] | None = None) -> Statistics:
    """The statistics of the patches received from 1 January to ``day``, as at ``day``."""
    span = Period(f"{day.year}-01-01~{day.isoformat()}", dt.date(day.year, 1, 1), day)
    return compute_statistics(facts, ruleset, span, names, as_of=day)


def compute_trend(facts: Iterable[PatchFact], ruleset: RuleSet, year: int, as_of: Optional[dt.date] = None,
                  names: Mapping[str, str] | None = None) -> Trend:
    """Month points of ``year`` up to ``as_of`` (default 31 December of the year, or the rule set's statistics_end).

    A month's point receives to the month's end and counts progress to the
    month's end; the last month stops at ``as_of``.
    """
    facts = list(facts)
    as_of = as_of or (ruleset.statistics_end if ruleset.statistics_end and ruleset.statistics_end.year == year
                      else dt.date(year, 12, 31))
    last = as_of.month if as_of.year == year else 12 if as_of.year > year else 0
    points = []
    for month in range(1, last + 1):
        day = min(month_end(year, month), as_of)
        points.append(Point(month, day, year_to_date(facts, ruleset, day, names)))
    return Trend(year, as_of, tuple(points), dict(names or {}))


@dataclass(frozen=True)
class TownChange:
    """One town's year to date at the previous date and now."""

    code: str
    name: str
    before: Counts
    after: Counts

    @property
    def change(self) -> Counts:
        return self.after.minus(self.before)


@dataclass(frozen=True)
class Progress:
    """What changed between two dates, by town and for the district (code ``合计``, last)."""

    previous: dt.date
    current: dt.date
    towns: tuple[TownChange, ...]

    @property
    def district(self) -> TownChange:
        return self.towns[-1]

    def changed(self) -> list[TownChange]:
        """Towns (district excluded) where any figure moved, most rectified first."""
        moved = [t for t in self.towns[:-1] if t.change != Counts()]
        return sorted(moved, key=lambda t: (-t.change.rectified, -t.change.decided, t.code))


def compute_progress(facts: Iterable[PatchFact], ruleset: RuleSet, previous: dt.date, current: dt.date,
                     names: Mapping[str, str] | None = None) -> Progress:
    """The year to date at ``previous`` and at ``current`` (same year as ``current``; an earlier year starts at 0)."""
    facts = list(facts)
    now = year_to_date(facts, ruleset, current, names)
    before = year_to_date(facts, ruleset, previous, names) if previous.year == current.year else None
    before_towns = {t.code: t for t in before.towns} if before else {}
    codes = sorted({t.code for t in now.towns} | set(before_towns))
    now_towns = {t.code: t for t in now.towns}
    names = dict(names or {})
    rows = [TownChange(c, names.get(c) or _name(c, now_towns.get(c), before_towns.get(c)),
                       Counts.of(before_towns.get(c)), Counts.of(now_towns.get(c))) for c in codes]
    rows.append(TownChange(DISTRICT_CODE, now.total.name, Counts.of(before.total if before else None),
                           Counts.of(now.total)))
    return Progress(previous, current, tuple(rows))


def _name(code: str, *towns: Optional[TownFigures]) -> str:
    return next((t.name for t in towns if t is not None and t.name), code)


def previous_bulletin(period: Period) -> dt.date:
    """The "as at" date of the bulletin before one for ``period``: the end of the previous month or quarter;
    for a year, the end of its third quarter (the last quarterly bulletin)."""
    if period.kind == "year":
        return dt.date(period.start.year, 9, 30)
    return period.start - dt.timedelta(days=1)


# --- findings in sentences ---------------------------------------------------------------------------------------

def trend_finding(trend: Trend) -> Message:
    """The year to date of the district in one sentence."""
    c = trend.points[-1].counts() if trend.points else Counts()
    return Message(QT_TRANSLATE_NOOP(
        "domain", "As at {as_of}, {delivered} patches were delivered this year, {decided} decided and {illegal} "
        "found illegal, occupying {farmland:.2f} mu of counted farmland; {rectified} are rectified and "
        "{after:.2f} mu of farmland is still illegally occupied."),
        as_of=trend.as_of.isoformat(), delivered=c.delivered, decided=c.decided, illegal=c.illegal,
        farmland=c.illegal_farmland_mu, rectified=c.rectified, after=c.after_farmland_mu)


def _direction(before: float, after: float) -> Message:
    if after < before - 0.005:
        return Message(QT_TRANSLATE_NOOP("domain", "fell"))
    if after > before + 0.005:
        return Message(QT_TRANSLATE_NOOP("domain", "rose"))
    return Message(QT_TRANSLATE_NOOP("domain", "did not change"))


def progress_finding(progress: Progress) -> Message:
    """What changed in the district since the previous bulletin."""
    d = progress.district
    return Message(QT_TRANSLATE_NOOP(
        "domain", "Since {previous}: {delivered} patches delivered, {decided} decided, {illegal} found illegal and "
        "{rectified} rectified; farmland still illegally occupied {direction} from {before:.2f} mu to {after:.2f} mu."),
        previous=progress.previous.isoformat(), delivered=d.change.delivered, decided=d.change.decided,
        illegal=d.change.illegal, rectified=d.change.rectified, direction=_direction(
            d.before.after_farmland_mu, d.after.after_farmland_mu),
        before=d.before.after_farmland_mu, after=d.after.after_farmland_mu)


def town_findings(stats: Statistics) -> list[tuple[TownFigures, float, bool, Message]]:
    """The 约谈 ranking (rule-set weights) with one sentence per town, highest score first."""
    rows = []
    count = len(stats.ranking)
    for place, (town, score, proposed) in enumerate(stats.ranking, start=1):
        share = town.rectified_count / town.illegal_count * 100 if town.illegal_count else 0.0
        sentence = Message(QT_TRANSLATE_NOOP(
            "domain", "{town}: {illegal} illegal patches with {farmland:.2f} mu counted farmland, {after:.2f} mu "
            "still occupied after rectification; {rectified} of {illegal} rectified ({share:.0f}%). {interview}"),
            town=town.name or town.code, illegal=town.illegal_count, farmland=town.counted_farmland_mu,
            after=town.counted_after_farmland_mu, rectified=town.rectified_count, share=share,
            interview=Message(QT_TRANSLATE_NOOP("domain", "Proposed for an interview (约谈), rank {rank} of {count}."),
                              rank=place, count=count) if proposed else "")
        rows.append((town, score, proposed, sentence))
    return rows


def top_towns(stats: Statistics, n: int = 3) -> list[TownFigures]:
    """The ``n`` towns with the most counted illegal farmland (those the trend chart draws), ties by code."""
    ranked = sorted((t for t in stats.towns if t.counted_farmland_mu > 0),
                    key=lambda t: (-t.counted_farmland_mu, t.code))
    return ranked[:n]
