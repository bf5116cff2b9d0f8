"""Filter predicates of the patch list and the counts each filter choice would give.

A filter is one choice per dimension (batch, town, stage, decision, suggestion,
deadline, field visit, imagery change band) plus a JCBH search. The counts are faceted: the number beside a
choice is how many rows would show if that choice replaced the current one of
its dimension, the other filters staying as they are.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from . import imagery as im
from . import status as st
from .patch_rows import PatchRow

BATCH, TOWN, STAGE, DECISION, SUGGESTION, DEADLINE, VISITED, IMAGERY = (
    "batch", "town", "stage", "decision", "suggestion", "deadline", "visited", "imagery")
DIMENSIONS: tuple[str, ...] = (BATCH, TOWN, STAGE, DECISION, SUGGESTION, DEADLINE, VISITED, IMAGERY)

NONE = ""
"""Value of an empty decision or a missing suggestion: a choice of its own (未判定 / 无预判)."""
LATER = "later"
"""Deadline value of a patch neither overdue nor due within 3 days."""
WITH_VISIT, WITHOUT_VISIT = "yes", "no"
"""Field-visit values: the patch has at least one 外业踏勘 record (work plan: 外业踏勘 after the delivery), or none."""
VISITED_CHOICES: tuple[str, ...] = (WITH_VISIT, WITHOUT_VISIT)
IMAGERY_CHOICES: tuple[str, ...] = im.BANDS
"""Imagery-change bands (issue 22: the patch list filters by change score): 无明显变化, 其间, 变化明显, 无得分/已标注."""

_VALUE: dict[str, Callable[[PatchRow], str]] = {
    BATCH: lambda r: r.batch,
    TOWN: lambda r: r.town,
    STAGE: lambda r: r.stage,
    DECISION: lambda r: r.decision,
    SUGGESTION: lambda r: r.suggestion,
    DEADLINE: lambda r: r.deadline_state or LATER,
    VISITED: lambda r: WITH_VISIT if r.visits else WITHOUT_VISIT,
    IMAGERY: lambda r: r.change_band,
}


def value(row: PatchRow, dimension: str) -> str:
    """The value ``row`` has in ``dimension`` (what a filter choice is compared with)."""
    return _VALUE[dimension](row)


@dataclass(frozen=True)
class PatchFilter:
    """Chosen value per dimension (absent = all) and a case-insensitive JCBH substring."""

    choices: dict[str, str] = field(default_factory=dict)
    search: str = ""

    def with_choice(self, dimension: str, choice: str | None) -> PatchFilter:
        """This filter with ``dimension`` set to ``choice`` (None: all values)."""
        if dimension not in _VALUE:
            raise KeyError(dimension)
        choices = {k: v for k, v in self.choices.items() if k != dimension}
        if choice is not None:
            choices[dimension] = choice
        return replace(self, choices=choices)

    def with_search(self, text: str) -> PatchFilter:
        return replace(self, search=text.strip())

    def failing(self, row: PatchRow) -> list[str]:
        """Dimensions whose choice ``row`` does not meet ("search" for the JCBH search)."""
        out = [d for d, v in self.choices.items() if _VALUE[d](row) != v]
        if self.search and self.search.upper() not in row.jcbh.upper():
            out.append("search")
        return out

    def matches(self, row: PatchRow) -> bool:
        needle = self.search.upper()
        if needle and needle not in row.jcbh.upper():
            return False
        return all(_VALUE[d](row) == v for d, v in self.choices.items())

    def accepted(self, rows: Iterable[PatchRow]) -> list[bool]:
        """One flag per row, in order: does the row pass this filter?"""
        return [self.matches(r) for r in rows]


def facet_counts(rows: Iterable[PatchRow], flt: PatchFilter) -> dict[str, Counter]:
    """Per dimension, rows per value among those passing every *other* filter."""
    counts: dict[str, Counter] = {d: Counter() for d in DIMENSIONS}
    getters = [(d, _VALUE[d]) for d in DIMENSIONS]
    for row in rows:
        failing = flt.failing(row)
        if not failing:
            for d, get in getters:
                counts[d][get(row)] += 1
        elif len(failing) == 1 and failing[0] in counts:
            d = failing[0]
            counts[d][_VALUE[d](row)] += 1
    return counts


def status_counts(rows: Iterable[PatchRow]) -> Counter:
    """Rows per status (a row counts under every status it has)."""
    out: Counter = Counter()
    for row in rows:
        out.update(row.statuses)
    return out


DEADLINE_CHOICES: tuple[str, ...] = (st.OVERDUE, st.DUE_SOON, LATER)
