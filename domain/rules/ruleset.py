"""A rule set (判定规则集): categories, aliases, deadlines, thresholds and rules of one year/province.

Everything that differs by year and province lives in a TOML file under
``rules/`` (see ``rules/2022-chongqing.toml``); this module only holds the
parsed, validated result. Parsing is in :mod:`.parse`.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Optional

from .conditions import Condition, holds
from .evidence import PatchEvidence, resolve
from .review_rules import ReviewRules

LEGAL, ILLEGAL, OTHER = "legal", "illegal", "other"
ROLES = (LEGAL, ILLEGAL, OTHER)
COUNT, DEDUCT = "count", "deduct"
ERROR, WARNING = "error", "warning"
MU, M2 = "亩", "平方米"
RULES_FOLDER = Path(__file__).resolve().parents[2] / "rules"
"""The rule sets shipped with the plugin (``<plugin>/rules``)."""


@dataclass(frozen=True)
class Category:
    """A 判定类型 with its 具体情形; ``provisional`` values are for suggestions only."""

    name: str
    role: str
    situations: tuple[str, ...]
    provisional: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverKind:
    """An overlay kind rules may cite: code (``NYDZY``), layer name, label of its keys (批准文号)."""

    code: str
    name: str
    key_label: str


@dataclass(frozen=True)
class Deadlines:
    """合法性判定 within ``decision_days`` of receipt; monthly report before ``report_day``."""

    decision_days: int = 20
    report_day: int = 20
    statistics_end: str = ""
    acceptance: str = ""

    def decision_deadline(self, received: dt.date) -> dt.date:
        return received + dt.timedelta(days=self.decision_days)


def _exceeds(value: float, op: str, limit: float) -> bool:
    return holds(op, value, limit)


@dataclass(frozen=True)
class Thresholds:
    """Penalty thresholds; ``*_op`` says whether the limit itself counts (">=" 含) or not (">")."""

    initial_mu: float = 100.0
    initial_op: str = ">="
    after_rectification_mu: float = 50.0
    after_rectification_op: str = ">"
    ratio: float = 0.15
    ratio_op: str = ">"

    def initial_exceeded(self, mu: float) -> bool:
        return _exceeds(mu, self.initial_op, self.initial_mu)

    def after_rectification_exceeded(self, mu: float) -> bool:
        return _exceeds(mu, self.after_rectification_op, self.after_rectification_mu)

    def ratio_exceeded(self, ratio: float) -> bool:
        return _exceeds(ratio, self.ratio_op, self.ratio)


@dataclass(frozen=True)
class RatioRule:
    """How patches of one 扣减类型 (KJLX value) enter the accountability area and ratio."""

    name: str
    effect: str
    description: str = ""


@dataclass(frozen=True)
class Ratio:
    """违法占耕比例 = numerator ÷ denominator, with per-KJLX count/deduct rules."""

    numerator: str = ""
    denominator: str = ""
    default: str = COUNT
    rules: tuple[RatioRule, ...] = ()

    def effect(self, kjlx: Optional[str]) -> str:
        """``count`` or ``deduct`` for a patch of 扣减类型 ``kjlx`` (already canonical)."""
        for rule in self.rules:
            if kjlx and rule.name == kjlx.strip():
                return rule.effect
        return self.default


ANY_SITUATION = "*"


@dataclass(frozen=True)
class SituationFigures:
    """统计口径 of some 具体情形 of one category: what their farmland counts as in the figures, and why.

    ``construction``: farmland taken counts as taken by new construction (the
    违法占耕比例's denominator); ``illegal_farmland``: counts as illegal farmland
    occupation (the numerator and the two area lines); ``non_grain``: 非粮化,
    reported in its own column and never in the ratio. ``basis`` is the sentence
    of the plan or rule the choice rests on, shown in explanations.
    """

    category: str
    names: tuple[str, ...]
    construction: bool
    illegal_farmland: bool = False
    non_grain: bool = False
    basis: str = ""


RANKING_METRICS: dict[str, str] = {
    "illegal_farmland_mu": "违法占用耕地面积(亩)",
    "after_farmland_mu": "整改后违法占用耕地面积(亩)",
    "illegal_area_mu": "违法面积(亩)",
    "illegal_count": "违法图斑数",
    "unrectified_share": "未整改面积占比",
    "ratio": "违法占耕比例",
}
"""Town figures the 约谈 ranking may weigh (工作方案 四(三)(四): 违法量大、整改进展缓慢、违法占耕比例大)."""


@dataclass(frozen=True)
class RankingCriterion:
    """One weighted figure of the town ranking; towns score ``weight × value / max value``."""

    metric: str
    weight: float


@dataclass(frozen=True)
class Ranking:
    """How towns are ranked for 警示约谈 and how many are proposed."""

    criteria: tuple[RankingCriterion, ...] = (
        RankingCriterion("illegal_farmland_mu", 0.4), RankingCriterion("unrectified_share", 0.3),
        RankingCriterion("ratio", 0.3))
    interview_top: int = 3


@dataclass(frozen=True)
class RecordField:
    """A patch-record field quality checks may read: name, Chinese label, area unit ('' if none)."""

    name: str
    label: str
    unit: str = ""


@dataclass(frozen=True)
class PrejudgeRule:
    """First rule in order whose conditions hold gives the suggestion (see :mod:`.prejudge`)."""

    id: str
    line: int
    then: Mapping[str, str]
    when: tuple[Condition, ...] = ()
    when_any: tuple[Condition, ...] = ()
    cite: tuple[str, ...] = ()
    reason: str = ""
    description: str = ""

    @property
    def is_default(self) -> bool:
        return not self.when and not self.when_any

    def matches(self, evidence: PatchEvidence) -> bool:
        """All of ``when`` hold, and at least one of ``when_any`` if any are given."""
        if not all(c.holds(resolve(evidence, c.field)) for c in self.when):
            return False
        return not self.when_any or any(c.holds(resolve(evidence, c.field)) for c in self.when_any)


@dataclass(frozen=True)
class CheckRule:
    """One quality check: an implemented ``kind`` with its parameters, severity and message."""

    id: str
    line: int
    kind: str
    severity: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    pdlx: tuple[str, ...] = ()
    enabled: bool = True
    description: str = ""


def name_key(value: Any) -> str:
    """Spelling-insensitive key: NFKC folds full-width brackets and letters; whitespace dropped."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


@dataclass(frozen=True)
class RuleSet:
    """One validated rule set; build with :func:`~.load_ruleset`."""

    name: str
    path: Path
    title: str
    categories: tuple[Category, ...]
    year: int = 0
    province: str = ""
    district: str = ""
    basis: tuple[str, ...] = ()
    violation_periods: tuple[str, ...] = ()
    violation_types: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    rectification_methods: tuple[str, ...] = ()
    departments: Mapping[str, str] = field(default_factory=dict)
    #: [referral]: 具体情形 or 违法类型 → departments a patch of it is referred to (移交建议).
    referrals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    cover_kinds: Mapping[str, CoverKind] = field(default_factory=dict)
    deadlines: Deadlines = Deadlines()
    thresholds: Thresholds = Thresholds()
    ratio: Ratio = Ratio()
    ranking: Ranking = Ranking()
    record_fields: Mapping[str, RecordField] = field(default_factory=dict)
    prejudge_rules: tuple[PrejudgeRule, ...] = ()
    #: ``[[prejudge.mining]]``: 涉矿 rules tried before ``prejudge_rules`` (none is a default).
    mining_rules: tuple[PrejudgeRule, ...] = ()
    check_rules: tuple[CheckRule, ...] = ()
    figures: tuple[SituationFigures, ...] = ()
    review: ReviewRules = ReviewRules()
    """层层审查: the chain a submission needs and the 重大违法图斑 definition (``[review]``)."""
    language: str = "zh_CN"
    """Language of what is handed in (the workbook's explanations), whatever the UI locale."""

    def violation_group(self, wflx: Any) -> str:
        """The 违法类型 group (非农违法, 非粮违法, …) a WFLX value belongs to; '' when none."""
        value = self.canonical(wflx)
        for group, kinds in self.violation_types.items():
            if value == group or value in kinds or any(value in items for items in kinds.values()):
                return group
        return ""

    def figures_of(self, pdlx: Any, jtqx: Any, wflx: Any = None) -> Optional[SituationFigures]:
        """统计口径 of a decided patch: its situation's entry, else its category's ``*`` entry, else None.

        An illegal patch whose 具体情形 is empty is placed by its 违法类型's group.
        """
        category = self.category(pdlx)
        if category is None:
            return None
        situation = self.canonical(jtqx)
        if situation not in category.situations and category.role == ILLEGAL and wflx:
            situation = self.violation_group(wflx) or situation
        fallback = None
        for entry in self.figures:
            if entry.category != category.name:
                continue
            if situation and situation in entry.names:
                return entry
            if ANY_SITUATION in entry.names:
                fallback = entry
        return fallback

    @property
    def statistics_end(self) -> Optional[dt.date]:
        """查处整改情况统计截止时间 (``[deadlines] statistics_end``), None when not set."""
        try:
            return dt.date.fromisoformat(self.deadlines.statistics_end) if self.deadlines.statistics_end else None
        except ValueError:
            return None

    # ---- names -------------------------------------------------------------
    @property
    def legal(self) -> str:
        return self._by_role(LEGAL)

    @property
    def illegal(self) -> str:
        return self._by_role(ILLEGAL)

    def _by_role(self, role: str) -> str:
        return next(c.name for c in self.categories if c.role == role)

    def category(self, pdlx: Any) -> Optional[Category]:
        """The category ``pdlx`` names (any alias or spelling), else None."""
        wanted = self.canonical(pdlx)
        return next((c for c in self.categories if c.name == wanted), None)

    def situations(self, pdlx: Any) -> tuple[str, ...]:
        category = self.category(pdlx)
        return category.situations if category else ()

    @property
    def other_situations(self) -> tuple[str, ...]:
        """具体情形 of every 'other' category (其他 situations)."""
        return tuple(s for c in self.categories if c.role == OTHER for s in c.situations)

    @cached_property
    def violation_type_names(self) -> frozenset[str]:
        """Every 违法类型 name at any level, periods (新增/存量) included."""
        names = set(self.violation_periods)
        for group, kinds in self.violation_types.items():
            names.add(group)
            for kind, items in kinds.items():
                names.add(kind)
                names.update(items)
        return frozenset(names)

    @cached_property
    def known_names(self) -> frozenset[str]:
        """Every value an alias may point at."""
        return frozenset(
            [c.name for c in self.categories]
            + [s for c in self.categories for s in c.situations + c.provisional]
            + list(self.violation_type_names) + list(self.rectification_methods)
            + [r.name for r in self.ratio.rules] + list(self.departments))

    @cached_property
    def _canonical_by_key(self) -> dict[str, str]:
        table = {name_key(n): n for n in self.known_names}
        table.update({name_key(alias): target for alias, target in self.aliases.items()})
        return table

    def canonical(self, value: Any) -> str:
        """The rule set's spelling of ``value``: aliases applied, brackets/width/spaces ignored."""
        if value is None:
            return ""
        return self._canonical_by_key.get(name_key(value), str(value).strip())

    def referral_departments(self, *values: Any) -> tuple[str, ...]:
        """Departments [referral] names for any of ``values`` (JTQX, WFLX…), each once, in rule-set order."""
        found = [d for v in values if v for d in self.referrals.get(self.canonical(v), ())]
        return tuple(dict.fromkeys(found))

    def known_value(self, column: str, value: Any, pdlx: Any = None, allow_provisional: bool = False) -> bool:
        """Whether ``value`` (after aliases) is a valid ``column`` value in this set.

        ``column`` is PDLX, JTQX (within category ``pdlx`` when that is known),
        WFLX, KJLX or ZGFS; any other column is not checked (True).
        """
        canonical = self.canonical(value)
        if column == "PDLX":
            return self.category(canonical) is not None
        if column == "JTQX":
            category = self.category(pdlx)
            pool = [category] if category else list(self.categories)
            return any(canonical in c.situations or (allow_provisional and canonical in c.provisional)
                       for c in pool)
        if column == "WFLX":
            return canonical in self.violation_type_names
        if column == "KJLX":
            return canonical in {r.name for r in self.ratio.rules}
        if column == "ZGFS":
            return canonical in self.rectification_methods
        return True


KNOWN_VALUE_COLUMNS = ("PDLX", "JTQX", "WFLX", "KJLX", "ZGFS")


def available_rulesets(folder: Path = RULES_FOLDER) -> dict[str, Path]:
    """Rule-set name (file stem, e.g. ``2022-chongqing``) → file, sorted; files are not parsed."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml")) if p.is_file()}
