"""市级验收 self-check (验收自查): every patch of a period, every item its 卷宗 still lacks, totals per town.

The work plan sets 市级验收 before 2023-01-31 and asks the district to "确保核查
文件资料、图片影像等真实准确，档案卷宗资料规范齐全". The check lists one row per
patch and missing item (:mod:`.completeness` decides what is missing, the same
rules the dossier's 卷内目录 prints), counts them per 镇街, and says whether the
district may ask for acceptance: only when nothing is missing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Optional

from ..casework.review import submission_violations
from ..messages import Message
from ..reporting.periods import Period
from ..rules.ruleset import RuleSet
from ..workspace.interface import WorkspaceStore
from ..workspace.judgement import load_patches
from .completeness import CONTENT_ITEMS, DOSSIER_MISSING, DOSSIER_STALE, REVIEW_INCOMPLETE, Missing, all_missing
from .content import DossierContent, load_contents

ITEM_ORDER = CONTENT_ITEMS + (DOSSIER_MISSING, DOSSIER_STALE)


@dataclass(frozen=True)
class ReadinessRow:
    """One missing item of one patch."""

    jcbh: str
    batch: str
    town: str
    town_name: str
    decision: str
    code: str
    title: str
    detail: str = ""


@dataclass
class TownTotal:
    """A town's patches checked, patches with something missing, missing items (in all and per item code)."""

    town: str
    town_name: str = ""
    patches: int = 0
    incomplete: int = 0
    items: int = 0
    by_code: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Readiness:
    """The self-check's result: rows, town totals, and whether acceptance may be asked for."""

    rows: tuple[ReadinessRow, ...]
    towns: tuple[TownTotal, ...]
    patches: int

    @property
    def can_accept(self) -> bool:
        """Nothing missing, and at least one patch checked (an empty period proves nothing)."""
        return self.patches > 0 and not self.rows

    @property
    def incomplete(self) -> int:
        return len({r.jcbh for r in self.rows})


def in_period(content: DossierContent, period: Optional[Period]) -> bool:
    """A patch belongs to the period its batch was received in (no period: every patch)."""
    return period is None or period.contains(content.fact.received)


def check_contents(contents: Iterable[DossierContent], review_gaps: Optional[Mapping[int, str]] = None) -> Readiness:
    """Rows and town totals over ``contents`` (towns by code, in code order; patches without a town under '').

    ``review_gaps``: fid → why the rule set's ``[review]`` does not accept the patch's chain yet (e.g. a
    重大违法图斑 without 审定 or the 分管负责人's part) — listed as an incomplete review chain too.
    """
    rows: list[ReadinessRow] = []
    towns: dict[str, TownTotal] = {}
    count = 0
    for content in contents:
        count += 1
        fact = content.fact
        total = towns.setdefault(fact.town, TownTotal(fact.town, fact.town_name))
        total.patches += 1
        missing = all_missing(content)
        gap = (review_gaps or {}).get(content.fid)
        if gap and not any(m.code == REVIEW_INCOMPLETE for m in missing):
            missing.append(Missing(REVIEW_INCOMPLETE, gap))
        if missing:
            total.incomplete += 1
        for item in missing:
            total.items += 1
            total.by_code[item.code] = total.by_code.get(item.code, 0) + 1
            rows.append(ReadinessRow(fact.jcbh, fact.batch, fact.town, fact.town_name, content.decision, item.code,
                                     item.title, item.detail))
    return Readiness(tuple(rows), tuple(towns[k] for k in sorted(towns)), count)


def check_workspace(ws: WorkspaceStore, period: Optional[Period] = None,
                    cover_names: Optional[Mapping[str, str]] = None, ruleset: Optional[RuleSet] = None,
                    render: Callable[[Message], str] = str) -> Readiness:
    """The self-check over every patch (核实后) of batches received in ``period``.

    With the workspace's ``ruleset`` the review chain is checked as its ``[review]`` demands for a
    submission (审定 and the 分管负责人's part for a 重大违法图斑), not only for a passed 审核; ``render``
    writes its messages in the rule set's language.
    """
    contents = [c for c in load_contents(ws, cover_names=cover_names) if in_period(c, period)]
    gaps: dict[int, str] = {}
    if ruleset is not None:
        wanted = {c.fid for c in contents}
        patches = [p for p in load_patches(ws) if p.fid in wanted]
        gaps = {p.fid: violation.message for p, violation in submission_violations(ws, ruleset, patches, render)}
    return check_contents(contents, gaps)


def district_total(towns: Sequence[TownTotal]) -> TownTotal:
    """The towns summed (the district's 合计 row)."""
    total = TownTotal("合计", "全区")
    for town in towns:
        total.patches += town.patches
        total.incomplete += town.incomplete
        total.items += town.items
        for code, n in town.by_code.items():
            total.by_code[code] = total.by_code.get(code, 0) + n
    return total
