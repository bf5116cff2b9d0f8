"""镇街统计: per-town and district figures, the 违法占耕比例 and the penalty thresholds.

Everything is summed from unrounded per-patch values; rounding is for display
only. Areas are in 亩. The definitions (工作方案 五(三), domain.md §9):

- 下发 (原始下发): delivered patches, split 地块 not counted; area from TBMJ (m²),
  else the ministry's JCMJ.
- decisions and every later figure (核实后): split 地块 in place of their parent.
- What a decided patch's farmland counts as comes from the rule set's 统计口径
  (``[[figures.situation]]``): new construction or not, illegal farmland or
  not, 非粮化. 临时用地, 设施农用地, 农村道路 and unchanged land are not construction.
- 违法 initial: WFMJ / WFGDMJ / WFJBNTMJ (亩); when empty, the patch's measured
  TBMJ / GDMJ / JBNTGDMJ (m², 永农 on the farmland basis) stand in and the patch
  is counted as *estimated*.
- As at a date (default: the period's end, 2022 → 2022-12-31): 整改 and 立案查处
  progress is the latest dated record (wpzf_rectification, wpzf_case_progress,
  JLRQ) on or before it; 移交 counts only when dated on or before it. A patch is 已整改 only when
  nothing remains and ZGWCSJ is on or before that date.
- 整改后违法占耕 = 违法占耕 − 已整改耕地, where 已整改耕地 is only 复耕 (FGMJ) plus
  补办 farmland (BBGDMJ): demolition alone ends the illegal construction, not the
  loss of farmland.
- ratio = counted illegal farmland ÷ farmland taken by new construction (legal
  construction GDMJ + illegal construction WFGDMJ), with the rule set's KJLX
  count/deduct rules applied to the numerator and to both area thresholds.
- 违法采矿 (issue 20, 工作方案 "违法用地和违法采矿图斑"): an illegal patch whose 具体情形
  or 违法类型 is 违法采矿 (or one of its kinds, e.g. 无证开采) is also counted in the
  separate ``mining_*`` block — count, area, farmland, rectified and 整改方式
  (停产/关闭/恢复治理…) — beside, not instead of, the land figures above.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..casework.progress import latest_case, latest_rectification
from ..casework.records import rectified_area, rectified_farmland_area
from ..messages import QT_TRANSLATE_NOOP, Message
from ..rules.records import as_date
from ..rules.ruleset import DEDUCT, ILLEGAL, RuleSet, SituationFigures
from ..units import M2_PER_MU
from .facts import PatchFact, leaves, number, originals
from .periods import Period

UNDECIDED = "未判定"
MINING = "违法采矿"
"""The 具体情形 / 违法类型 group of illegal mining (the rule set's [violation.types] key)."""
_ZERO = 0.005  # 亩: "nothing remains" at the reports' 0.01 亩 resolution
DISTRICT_CODE = "合计"


@dataclass
class PatchFigures:
    """One 核实后 patch's contribution to the statistics (亩), as at ``as_of``."""

    fact: PatchFact
    category: str
    role: str
    figures: Optional[SituationFigures] = None
    illegal_mu: float = 0.0
    farmland_mu: float = 0.0
    jbnt_mu: float = 0.0
    non_grain_mu: float = 0.0
    rectified_mu: float = 0.0
    unrectified_mu: float = 0.0
    demolished_mu: float = 0.0
    approved_mu: float = 0.0
    rectified_farmland_mu: float = 0.0
    after_farmland_mu: float = 0.0
    after_jbnt_mu: float = 0.0
    construction_farmland_mu: float = 0.0
    legal_construction: bool = False
    counted: bool = True
    status: str = ""
    estimated: bool = False
    departments: tuple[str, ...] = ()
    case_filed: bool = False
    case_closed: bool = False
    progress_after_lock: bool = False
    progress_date: Optional[dt.date] = None
    mining: bool = False
    """违法采矿 (see :func:`is_mining`): also counted in the town's ``mining_*`` block."""


def check_difference(total: float, parts: float) -> float:
    """``total`` − ``parts`` for a check column, float noise of the sums (≤ 10⁻⁹ of their size) as exactly 0.

    Sums of many patch areas in different orders differ in the last bits:
    a check that holds showed −2.8e-14 亩 in the table (−0.0000 in Excel).
    """
    difference = total - parts
    return 0.0 if abs(difference) <= 1e-9 * max(abs(total), abs(parts), 1.0) else difference


@dataclass
class TownFigures:
    """Figures of one town (or the district total, code ``合计``)."""

    code: str
    name: str = ""
    issued_count: int = 0
    issued_mu: float = 0.0
    verified_count: int = 0
    decided: Counter = field(default_factory=Counter)
    decided_mu: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))  # 亩, not counts
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
    legal_construction_farmland_mu: float = 0.0
    illegal_construction_farmland_mu: float = 0.0
    non_grain_count: int = 0
    non_grain_mu: float = 0.0
    rectified_farmland_mu: float = 0.0
    case_count: int = 0
    closed_count: int = 0
    after_lock_count: int = 0
    unclassified_count: int = 0
    referrals: Counter = field(default_factory=Counter)
    estimated_count: int = 0
    # 违法采矿, apart from the land figures (they stay as they are): 图斑数, 面积, 耕地, 整改
    mining_count: int = 0
    mining_mu: float = 0.0
    mining_farmland_mu: float = 0.0
    mining_rectified_count: int = 0
    mining_rectified_mu: float = 0.0
    mining_unrectified_mu: float = 0.0
    mining_methods: Counter = field(default_factory=Counter)  # 整改方式 (停产/关闭/恢复治理…) → patches

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
        return check_difference(self.illegal_mu, self.rectified_mu + self.unrectified_mu)

    @property
    def rectified_check_mu(self) -> float:
        """已整改 − (拆除 + 补办): zero when the stored areas are consistent."""
        return check_difference(self.rectified_mu, self.demolished_mu + self.approved_mu)

    @property
    def construction_check_mu(self) -> float:
        """新增建设占用耕地合计 − (合法 + 违法): zero when the denominator is the sum of its two parts."""
        return check_difference(self.construction_farmland_mu,
                                self.legal_construction_farmland_mu + self.illegal_construction_farmland_mu)

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
        if p.legal_construction:
            self.legal_construction_farmland_mu += p.construction_farmland_mu
        else:
            self.illegal_construction_farmland_mu += p.construction_farmland_mu
        self.estimated_count += p.estimated
        self.unclassified_count += bool(p.role) and p.figures is None
        for department in p.departments:
            self.referrals[department] += 1
        if p.role != ILLEGAL:
            return
        self.illegal_count += 1
        self.illegal_mu += p.illegal_mu
        self.illegal_farmland_mu += p.farmland_mu
        self.illegal_jbnt_mu += p.jbnt_mu
        if p.non_grain_mu > 0 or (p.figures is not None and p.figures.non_grain):
            self.non_grain_count += 1
            self.non_grain_mu += p.non_grain_mu
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
        self.rectified_farmland_mu += p.rectified_farmland_mu
        self.rectified_count += p.status == "rectified"
        self.in_progress_count += p.status == "in_progress"
        self.not_started_count += p.status == "not_started"
        self.case_count += p.case_filed
        self.closed_count += p.case_closed
        self.after_lock_count += p.progress_after_lock
        if p.mining:
            self._add_mining(p)

    def _add_mining(self, p: PatchFigures) -> None:
        self.mining_count += 1
        self.mining_mu += p.illegal_mu
        self.mining_farmland_mu += p.farmland_mu
        self.mining_rectified_count += p.status == "rectified"
        self.mining_rectified_mu += p.rectified_mu
        self.mining_unrectified_mu += p.unrectified_mu
        method = p.fact.txt("ZGFS")
        if method:
            self.mining_methods[method] += 1

    def merge(self, other: TownFigures) -> None:
        """Add another town's figures (the district total is the sum of its towns)."""
        for name, value in vars(other).items():
            if name in ("code", "name"):
                continue
            if isinstance(value, dict):  # Counter and defaultdict(float) alike: add key by key
                target = getattr(self, name)
                for key, amount in value.items():
                    target[key] += amount
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
    as_of: Optional[dt.date] = None
    """The date the figures are "as at": progress dated later is not counted."""


def _m2(value: Optional[float]) -> float:
    return (value or 0.0) / M2_PER_MU


def is_mining(fact: PatchFact, ruleset: RuleSet) -> bool:
    """违法采矿: 具体情形 or 违法类型 is the 违法采矿 group or one of its kinds (无证开采, 越界开采…)."""
    kinds = {MINING, *ruleset.violation_types.get(MINING, {})}
    return any(ruleset.canonical(fact.get(column)) in kinds for column in ("JTQX", "WFLX") if fact.txt(column))


def patch_figures(fact: PatchFact, ruleset: RuleSet, as_of: Optional[dt.date] = None) -> PatchFigures:
    """The statistics of one patch as at ``as_of`` (see the module docstring for which value feeds what)."""
    category_obj = ruleset.category(fact.get("PDLX")) if fact.txt("PDLX") else None
    category = category_obj.name if category_obj else (fact.txt("PDLX") or UNDECIDED)
    role = category_obj.role if category_obj else ""
    p = PatchFigures(fact, category, role, ruleset.figures_of(fact.get("PDLX"), fact.get("JTQX"), fact.get("WFLX"))
                     if role else None)
    p.departments = tuple(d for d, day in zip(fact.departments, _padded(fact.referral_dates, len(fact.departments)))
                          if _on_or_before(day, as_of))
    construction = p.figures is not None and p.figures.construction
    if role != ILLEGAL:
        if construction:
            p.construction_farmland_mu, p.legal_construction = _m2(fact.num("GDMJ")), True
        return p
    wfmj, wfgd, wfjb = fact.num("WFMJ"), fact.num("WFGDMJ"), fact.num("WFJBNTMJ")
    estimated = False
    if wfmj is None:
        wfmj, estimated = _m2(fact.num("TBMJ") or fact.num("JCMJ")), True
    if wfgd is None:
        wfgd, estimated = _m2(fact.num("GDMJ")), True
    if wfjb is None:
        measured = fact.num("JBNTGDMJ")
        if measured is None and fact.num("JBNTMJ") is not None:  # gross 永农 coverage, capped to the farmland basis
            measured = min(fact.num("JBNTMJ") or 0.0, fact.num("GDMJ") or 0.0)
        wfjb, estimated = _m2(measured), estimated or measured is not None
    p.illegal_mu = wfmj
    counts_farmland = p.figures is None or p.figures.illegal_farmland
    p.farmland_mu = wfgd if counts_farmland else 0.0
    p.jbnt_mu = wfjb if counts_farmland else 0.0
    p.non_grain_mu = wfgd if p.figures is not None and p.figures.non_grain else 0.0
    if construction:
        p.construction_farmland_mu = wfgd
    if fact.cases:  # the latest 立案查处 record on or before the date (a closure counts from its record)
        case = latest_case(fact.cases, as_of)
        p.case_filed, p.case_closed = (case.filed, case.closed) if case is not None else (False, False)
    else:  # case data on the patch row only (before schema 6)
        p.case_filed = bool(fact.num("SFLA")) and _on_or_before(as_date(fact.get("LASJ")), as_of, missing=True)
        p.case_closed = p.case_filed and as_date(fact.get("JASJ")) is not None and _on_or_before(
            as_date(fact.get("JASJ")), as_of)
    _rectification(p, fact, wfmj, as_of)
    p.after_farmland_mu = max(p.farmland_mu - p.rectified_farmland_mu, 0.0)
    p.after_jbnt_mu = p.jbnt_mu * (p.after_farmland_mu / p.farmland_mu) if p.farmland_mu > 0 else 0.0
    p.counted = ruleset.ratio.effect(ruleset.canonical(fact.get("KJLX")) or None) != DEDUCT
    p.estimated = estimated
    p.mining = is_mining(fact, ruleset)
    return p


def _rectification(p: PatchFigures, fact: PatchFact, wfmj: float, as_of: Optional[dt.date]) -> None:
    """整改 progress as at ``as_of``: the latest dated record, else the patch's summary (undated, legacy)."""
    source: Mapping[str, Any]
    if fact.rectifications:
        latest = latest_rectification(fact.rectifications, as_of)
        source = vars(latest) if latest is not None else {}
        p.progress_date = latest.date if latest is not None else None
        p.progress_after_lock = latest is not None and bool(fact.locked_at) and latest.XGSJ > fact.locked_at
    else:
        source = fact.values
        if not _on_or_before(as_date(source.get("ZGWCSJ")), as_of, missing=True):
            source = {}  # finished after the date: what was done by then is not recorded
    demolished, approved = _num(source, "CCMJ"), _num(source, "BBMJ")
    p.demolished_mu, p.approved_mu = demolished or 0.0, approved or 0.0
    stated = _num(source, "YZGMJ") if source is fact.values else None
    remaining = _num(source, "SYWZGMJ")
    if stated is not None:
        rectified = stated
    elif demolished is not None or approved is not None:
        rectified = rectified_area(demolished, approved)
    else:
        rectified = wfmj - remaining if remaining is not None else 0.0
    p.rectified_mu = rectified
    p.unrectified_mu = remaining if remaining is not None else max(wfmj - rectified, 0.0)
    farmland = _num(source, "YZGGDMJ") if source is fact.values else None
    if farmland is None:
        farmland = rectified_farmland_area(_num(source, "FGMJ"), _num(source, "BBGDMJ"))
    p.rectified_farmland_mu = min(farmland, p.farmland_mu) if p.farmland_mu > 0 else 0.0
    done_on = as_date(source.get("ZGWCSJ"))
    if p.unrectified_mu <= _ZERO and done_on is not None and _on_or_before(done_on, as_of):
        p.status = "rectified"
    elif rectified > _ZERO or (source and source is not fact.values) or fact.txt("ZGFS"):
        p.status = "in_progress"
    else:
        p.status = "not_started"


def _num(values: Mapping[str, Any], name: str) -> Optional[float]:
    return number(values.get(name))


def _padded(dates: tuple, n: int) -> tuple:
    return tuple(dates) + (None,) * (n - len(dates))


def _on_or_before(day: Optional[dt.date], as_of: Optional[dt.date], missing: bool = True) -> bool:
    """A dated step counts as at ``as_of`` when dated on or before it; an undated one counts when ``missing``."""
    if as_of is None:
        return True
    if day is None:
        return missing
    return day <= as_of


def default_as_of(ruleset: RuleSet, period: Optional[Period]) -> Optional[dt.date]:
    """The period's end; for the rule set's statistics year its ``statistics_end`` (2022 → 2022-12-31)."""
    end = ruleset.statistics_end
    if period is None:
        return end
    if end is not None and period.kind == "year" and period.start.year == end.year:
        return end
    return period.end


def compute_statistics(facts: Iterable[PatchFact], ruleset: RuleSet, period: Optional[Period] = None,
                       town_names: Mapping[str, str] | None = None,
                       as_of: Optional[dt.date] = None) -> Statistics:
    """Town and district figures of the patches received in ``period`` (all when None), as at ``as_of``.

    ``as_of`` defaults to :func:`default_as_of` (the period's end; the rule
    set's ``statistics_end`` for its year).
    """
    facts = [f for f in facts if period is None or period.contains(f.received)]
    as_of = as_of or default_as_of(ruleset, period)
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
    return Statistics(period, ordered, total, assess(total, ruleset, as_of), rank(ordered, ruleset), figures,
                      categories, departments, as_of)


def _as_of_text(as_of: Optional[dt.date]) -> str:
    return as_of.isoformat() if as_of else "—"


def assess(total: TownFigures, ruleset: RuleSet, as_of: Optional[dt.date] = None) -> list[Finding]:
    """The three penalty thresholds on the district total, each with its definition and both terms in 亩."""
    t = ruleset.thresholds
    initial, after, ratio = total.counted_farmland_mu, total.counted_after_farmland_mu, total.ratio
    when = _as_of_text(as_of)
    findings = [
        Finding("initial", initial, t.initial_mu, t.initial_op, t.initial_exceeded(initial), Message(
            QT_TRANSLATE_NOOP("domain", "Initial illegal farmland occupation as at {as_of}: {value:.2f} mu (of "
                              "{total:.2f} mu illegal farmland, {deducted:.2f} mu deducted by type; {non_grain:.2f} mu "
                              "non-grain change reported apart): {verdict} the deduction line of {op} {limit:g} mu."),
            as_of=when, value=initial, total=total.illegal_farmland_mu, deducted=total.deducted_farmland_mu,
            non_grain=total.non_grain_mu, verdict=_verdict(t.initial_exceeded(initial)),
            op=t.initial_op, limit=t.initial_mu)),
        Finding("after_rectification", after, t.after_rectification_mu, t.after_rectification_op,
                t.after_rectification_exceeded(after), Message(
                    QT_TRANSLATE_NOOP("domain", "Illegal farmland still occupied after rectification as at {as_of}: "
                                      "{value:.2f} mu = {initial:.2f} mu − {returned:.2f} mu re-cultivated or approved "
                                      "(demolition alone does not return farmland); rectified patches {rectified} of "
                                      "{illegal}; progress of {after_lock} patches recorded after the stage lock: {verdict} "
                                      "the deduction line of {op} {limit:g} mu."),
                    as_of=when, value=after, initial=initial, returned=max(initial - after, 0.0),
                    rectified=total.rectified_count, illegal=total.illegal_count, after_lock=total.after_lock_count,
                    verdict=_verdict(t.after_rectification_exceeded(after)), op=t.after_rectification_op,
                    limit=t.after_rectification_mu)),
    ]
    if ratio is None:
        findings.append(Finding("ratio", 0.0, t.ratio, t.ratio_op, False, Message(
            QT_TRANSLATE_NOOP("domain", "Illegal farmland ratio as at {as_of}: no farmland was taken by new "
                              "construction in this period, so there is no ratio."), as_of=when)))
    else:
        findings.append(Finding("ratio", ratio, t.ratio, t.ratio_op, t.ratio_exceeded(ratio), Message(
            QT_TRANSLATE_NOOP("domain", "Illegal farmland ratio as at {as_of}: {percent:.2f}% = {numerator:.2f} mu "
                              "counted illegal farmland / {denominator:.2f} mu farmland taken by new construction "
                              "({legal:.2f} mu legal + {illegal:.2f} mu illegal construction; temporary land, facility "
                              "agriculture, rural roads and non-grain change are not construction): {verdict} the "
                              "accountability line of {op} {limit:.0%}."),
            as_of=when, percent=ratio * 100, numerator=total.counted_farmland_mu,
            denominator=total.construction_farmland_mu, legal=total.legal_construction_farmland_mu,
            illegal=total.illegal_construction_farmland_mu,
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
