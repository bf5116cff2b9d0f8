"""镇街统计: per-town and district figures, the 违法占耕比例 and the penalty thresholds.

Everything is summed from unrounded per-patch values; rounding is for display
only. Areas are in 亩. Which stored value feeds each figure:

- 下发 (原始下发): delivered patches, split 地块 not counted; area from TBMJ (m²),
  else the ministry's JCMJ.
- decisions and every later figure (核实后): split 地块 in place of their parent.
- 违法 initial: WFMJ / WFGDMJ / WFJBNTMJ (亩); when empty, the patch's measured
  TBMJ / GDMJ / JBNTMJ (m²) stand in and the patch is counted as *estimated*.
- rectified area: YZGMJ, else 拆除 CCMJ + 补办 BBMJ; not rectified: SYWZGMJ,
  else 违法面积 − rectified. A patch is 已整改 only when nothing remains and
  ZGWCSJ (completion) is on or before the period's end.
- 整改后违法占耕: WFGDMJ − YZGGDMJ; without YZGGDMJ a partly rectified patch's
  farmland is prorated by its unrectified share (estimated).
- ratio = counted illegal farmland ÷ farmland occupied by new construction
  (合法 patches' GDMJ + 违法 patches' WFGDMJ), with the rule set's KJLX
  count/deduct rules applied to the numerator and to both area thresholds.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Optional

from ..messages import QT_TRANSLATE_NOOP, Message
from ..rules.ruleset import DEDUCT, ILLEGAL, LEGAL, RuleSet
from ..units import M2_PER_MU
from .facts import PatchFact, leaves, originals
from .periods import Period

UNDECIDED = "未判定"
_ZERO = 0.005  # 亩: "nothing remains" at the reports' 0.01 亩 resolution
DISTRICT_CODE = "合计"


@dataclass
class PatchFigures:
    """One 核实后 patch's contribution to the statistics (亩)."""

    fact: PatchFact
    category: str
    role: str
    illegal_mu: float = 0.0
    farmland_mu: float = 0.0
    jbnt_mu: float = 0.0
    rectified_mu: float = 0.0
    unrectified_mu: float = 0.0
    demolished_mu: float = 0.0
    approved_mu: float = 0.0
    after_farmland_mu: float = 0.0
    after_jbnt_mu: float = 0.0
    construction_farmland_mu: float = 0.0
    counted: bool = True
    status: str = ""
    estimated: bool = False


@dataclass
class TownFigures:
    """Figures of one town (or the district total, code ``合计``)."""

    code: str
    name: str = ""
    issued_count: int = 0
    issued_mu: float = 0.0
    verified_count: int = 0
    decided: Counter = field(default_factory=Counter)
    decided_mu: Counter = field(default_factory=Counter)
    illegal_count: int = 0
    illegal_mu: float = 0.0
    illegal_farmland_mu: float = 0.0
    illegal_jbnt_mu: float = 0.0
    counted_farmland_mu: float = 0.0
    deducted_farmland_mu: float = 0.0
    after_area_mu: float = 0.0
    after_farmland_mu: float = 0.0
    counted_after_farmland_mu: float = 0.0
    after_jbnt_mu: float = 0.0
    rectified_count: int = 0
    in_progress_count: int = 0
    not_started_count: int = 0
    rectified_mu: float = 0.0
    unrectified_mu: float = 0.0
    demolished_mu: float = 0.0
    approved_mu: float = 0.0
    construction_farmland_mu: float = 0.0
    referrals: Counter = field(default_factory=Counter)
    estimated_count: int = 0

    @property
    def ratio(self) -> Optional[float]:
        """违法占耕比例 (counted illegal farmland ÷ new-construction farmland); None when nothing was built."""
        if self.construction_farmland_mu <= 0:
            return None
        return self.counted_farmland_mu / self.construction_farmland_mu

    @property
    def unrectified_share(self) -> float:
        return self.unrectified_mu / self.illegal_mu if self.illegal_mu > 0 else 0.0

    @property
    def total_check_mu(self) -> float:
        """总 − (已整改 + 未整改): zero when the stored areas are consistent."""
        return self.illegal_mu - (self.rectified_mu + self.unrectified_mu)

    @property
    def rectified_check_mu(self) -> float:
        """已整改 − (拆除 + 补办): zero when the stored areas are consistent."""
        return self.rectified_mu - (self.demolished_mu + self.approved_mu)

    def metric(self, name: str) -> float:
        """A ranking metric by name (see ``RANKING_METRICS``)."""
        values = {"illegal_farmland_mu": self.counted_farmland_mu, "after_farmland_mu": self.counted_after_farmland_mu,
                  "illegal_area_mu": self.illegal_mu, "illegal_count": float(self.illegal_count),
                  "unrectified_share": self.unrectified_share, "ratio": self.ratio or 0.0}
        return values[name]

    def add(self, p: PatchFigures) -> None:
        self.verified_count += 1
        self.decided[p.category] += 1
        self.decided_mu[p.category] += _m2(p.fact.num("TBMJ") or p.fact.num("JCMJ"))
        self.construction_farmland_mu += p.construction_farmland_mu
        self.estimated_count += p.estimated
        for department in p.fact.departments:
            self.referrals[department] += 1
        if p.role != ILLEGAL:
            return
        self.illegal_count += 1
        self.illegal_mu += p.illegal_mu
        self.illegal_farmland_mu += p.farmland_mu
        self.illegal_jbnt_mu += p.jbnt_mu
        if p.counted:
            self.counted_farmland_mu += p.farmland_mu
            self.counted_after_farmland_mu += p.after_farmland_mu
        else:
            self.deducted_farmland_mu += p.farmland_mu
        self.after_area_mu += p.unrectified_mu
        self.after_farmland_mu += p.after_farmland_mu
        self.after_jbnt_mu += p.after_jbnt_mu
        self.rectified_mu += p.rectified_mu
        self.unrectified_mu += p.unrectified_mu
        self.demolished_mu += p.demolished_mu
        self.approved_mu += p.approved_mu
        self.rectified_count += p.status == "rectified"
        self.in_progress_count += p.status == "in_progress"
        self.not_started_count += p.status == "not_started"

    def merge(self, other: TownFigures) -> None:
        """Add another town's figures (the district total is the sum of its towns)."""
        for name, value in vars(other).items():
            if name in ("code", "name"):
                continue
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True)
class Finding:
    """One threshold verdict with the numbers behind it (rendered through translation)."""

    key: str
    value: float
    limit: float
    op: str
    exceeded: bool
    message: Message


@dataclass
class Statistics:
    """Towns in code order, the district total, threshold findings and the ranking."""

    period: Optional[Period]
    towns: list[TownFigures]
    total: TownFigures
    findings: list[Finding]
    ranking: list[tuple[TownFigures, float, bool]]
    patches: list[PatchFigures]
    categories: tuple[str, ...]
    departments: tuple[str, ...]


def _m2(value: Optional[float]) -> float:
    return (value or 0.0) / M2_PER_MU


def _first(*values: Optional[float]) -> Optional[float]:
    return next((v for v in values if v is not None), None)


def patch_figures(fact: PatchFact, ruleset: RuleSet, as_of: Optional[dt.date] = None) -> PatchFigures:
    """The statistics of one patch (see the module docstring for which value feeds what)."""
    category_obj = ruleset.category(fact.get("PDLX")) if fact.txt("PDLX") else None
    category = category_obj.name if category_obj else (fact.txt("PDLX") or UNDECIDED)
    role = category_obj.role if category_obj else ""
    p = PatchFigures(fact, category, role)
    if role == LEGAL:
        p.construction_farmland_mu = _m2(fact.num("GDMJ"))
        return p
    if role != ILLEGAL:
        return p
    estimated = False
    wfmj, wfgd, wfjb = fact.num("WFMJ"), fact.num("WFGDMJ"), fact.num("WFJBNTMJ")
    if wfmj is None:
        wfmj, estimated = _m2(fact.num("TBMJ") or fact.num("JCMJ")), True
    if wfgd is None:
        wfgd, estimated = _m2(fact.num("GDMJ")), True
    if wfjb is None:
        wfjb, estimated = _m2(fact.num("JBNTMJ")), estimated or fact.num("JBNTMJ") is not None
    p.illegal_mu, p.farmland_mu, p.jbnt_mu = wfmj, wfgd, wfjb
    p.construction_farmland_mu = wfgd
    p.demolished_mu = fact.num("CCMJ") or 0.0
    p.approved_mu = fact.num("BBMJ") or 0.0
    stated = _first(fact.num("YZGMJ"))
    remaining = fact.num("SYWZGMJ")
    rectified = stated if stated is not None else (
        p.demolished_mu + p.approved_mu if (fact.num("CCMJ") is not None or fact.num("BBMJ") is not None)
        else (wfmj - remaining if remaining is not None else 0.0))
    p.rectified_mu = rectified
    p.unrectified_mu = remaining if remaining is not None else max(wfmj - rectified, 0.0)
    done_on = _date(fact.get("ZGWCSJ"))
    finished = p.unrectified_mu <= _ZERO and done_on is not None and (as_of is None or done_on <= as_of)
    if finished:
        p.status = "rectified"
    elif rectified > _ZERO or fact.n_rectification or fact.txt("ZGFS"):
        p.status = "in_progress"
    else:
        p.status = "not_started"
    rectified_farmland = fact.num("YZGGDMJ")
    if finished:
        p.after_farmland_mu = p.after_jbnt_mu = 0.0
    elif rectified_farmland is not None:
        p.after_farmland_mu = max(wfgd - rectified_farmland, 0.0)
        p.after_jbnt_mu = wfjb * (p.unrectified_mu / wfmj) if wfmj > 0 else wfjb
    elif wfmj > 0 and p.unrectified_mu < wfmj - _ZERO:
        share = p.unrectified_mu / wfmj
        p.after_farmland_mu, p.after_jbnt_mu, estimated = wfgd * share, wfjb * share, True
    else:
        p.after_farmland_mu, p.after_jbnt_mu = wfgd, wfjb
    p.counted = ruleset.ratio.effect(ruleset.canonical(fact.get("KJLX")) or None) != DEDUCT
    p.estimated = estimated
    return p


def _date(value) -> Optional[dt.date]:
    from ..rules.records import as_date

    return as_date(value)


def compute_statistics(facts: Iterable[PatchFact], ruleset: RuleSet, period: Optional[Period] = None,
                       town_names: Mapping[str, str] | None = None) -> Statistics:
    """Town and district figures of the patches received in ``period`` (all when None)."""
    facts = [f for f in facts if period is None or period.contains(f.received)]
    names = dict(town_names or {})
    towns: dict[str, TownFigures] = {}

    def town(code: str) -> TownFigures:
        if code not in towns:
            towns[code] = TownFigures(code, names.get(code, ""))
        return towns[code]

    for fact in originals(facts):
        t = town(fact.town)
        t.issued_count += 1
        t.issued_mu += _m2(fact.num("TBMJ") or fact.num("JCMJ"))
    as_of = period.end if period else None
    figures = [patch_figures(f, ruleset, as_of) for f in leaves(facts)]
    for p in figures:
        town(p.fact.town).add(p)
    ordered = [towns[c] for c in sorted(towns)]
    total = TownFigures(DISTRICT_CODE, ruleset.district or DISTRICT_CODE)
    for t in ordered:
        total.merge(t)
    categories = tuple(c.name for c in ruleset.categories) + tuple(
        sorted({p.category for p in figures} - {c.name for c in ruleset.categories} - {UNDECIDED})) + (UNDECIDED,)
    departments = tuple(sorted(total.referrals))
    return Statistics(period, ordered, total, assess(total, ruleset), rank(ordered, ruleset), figures,
                      categories, departments)


def assess(total: TownFigures, ruleset: RuleSet) -> list[Finding]:
    """The three penalty thresholds on the district total, each with its explanation."""
    t = ruleset.thresholds
    initial, after, ratio = total.counted_farmland_mu, total.counted_after_farmland_mu, total.ratio
    findings = [
        Finding("initial", initial, t.initial_mu, t.initial_op, t.initial_exceeded(initial), Message(
            QT_TRANSLATE_NOOP("domain", "Initial illegal farmland occupation {value:.2f} mu (of {total:.2f} mu "
                              "illegal farmland, {deducted:.2f} mu deducted by type): {verdict} the "
                              "deduction line of {op} {limit:g} mu."),
            value=initial, total=total.illegal_farmland_mu,
            deducted=total.deducted_farmland_mu, verdict=_verdict(t.initial_exceeded(initial)),
            op=t.initial_op, limit=t.initial_mu)),
        Finding("after_rectification", after, t.after_rectification_mu, t.after_rectification_op,
                t.after_rectification_exceeded(after), Message(
                    QT_TRANSLATE_NOOP("domain", "Illegal farmland still occupied after rectification {value:.2f} mu "
                                      "(rectified patches {rectified} of {illegal}): {verdict} the deduction line of "
                                      "{op} {limit:g} mu."),
                    value=after, rectified=total.rectified_count, illegal=total.illegal_count,
                    verdict=_verdict(t.after_rectification_exceeded(after)), op=t.after_rectification_op,
                    limit=t.after_rectification_mu)),
    ]
    if ratio is None:
        findings.append(Finding("ratio", 0.0, t.ratio, t.ratio_op, False, Message(
            QT_TRANSLATE_NOOP("domain", "Illegal farmland ratio: no farmland was occupied by new construction in "
                              "this period, so there is no ratio."))))
    else:
        findings.append(Finding("ratio", ratio, t.ratio, t.ratio_op, t.ratio_exceeded(ratio), Message(
            QT_TRANSLATE_NOOP("domain", "Illegal farmland ratio {percent:.2f}% = {numerator:.2f} mu counted illegal "
                              "farmland / {denominator:.2f} mu farmland occupied by new construction (legal and "
                              "illegal): {verdict} the accountability line of {op} {limit:.0%}."),
            percent=ratio * 100, numerator=total.counted_farmland_mu, denominator=total.construction_farmland_mu,
            verdict=_verdict(t.ratio_exceeded(ratio)), op=t.ratio_op, limit=t.ratio)))
    return findings


def _verdict(exceeded: bool) -> Message:
    return Message(QT_TRANSLATE_NOOP("domain", "reaches") if exceeded else QT_TRANSLATE_NOOP("domain", "stays below"))


def rank(towns: list[TownFigures], ruleset: RuleSet) -> list[tuple[TownFigures, float, bool]]:
    """Towns by weighted score, highest first; the top ``interview_top`` with a score are proposed for 约谈."""
    criteria = ruleset.ranking.criteria
    maxima = {c.metric: max((t.metric(c.metric) for t in towns), default=0.0) for c in criteria}
    scored = []
    for t in towns:
        score = sum(c.weight * t.metric(c.metric) / maxima[c.metric] for c in criteria if maxima[c.metric] > 0)
        scored.append((t, score))
    scored.sort(key=lambda item: (-item[1], item[0].code))
    top = ruleset.ranking.interview_top
    return [(t, score, i < top and score > 0) for i, (t, score) in enumerate(scored)]
