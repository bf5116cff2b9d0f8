"""What quality checks read per patch: workspace columns plus counts of related rows.

Field names are the workspace's column names (``PDLX``, ``PDQX``, ``WFMJ``…,
see :mod:`..workspace.columns`), the counts ``n_evidence``, ``n_referrals``,
``n_rectification``, and any extra fields a rule set declares under
``[check.fields]`` (e.g. 已整改面积 from the national system's export). The
area unit is taken from the column's Chinese alias ("(亩)" / "(平方米)"), so
checks can compare m² columns (TBMJ, GDMJ) with 亩 columns (WFMJ) in 亩.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..units import M2_PER_MU
from ..workspace.columns import PATCH_COLUMNS
from ..workspace.patch_fields import ID_FIELD
from .conditions import MISSING, is_empty
from .ruleset import M2, MU, RecordField

COUNTS = {"n_evidence": "佐证资料数", "n_referrals": "移交记录数", "n_rectification": "整改记录数"}
_UNIT = re.compile(r"[(（]\s*(亩|平方米)\s*[)）]\s*$")
MINISTRY_M2 = ("JCMJ", "BHMJ")
"""The ministry's 监测面积 and 变化面积 carry no unit in their alias but are square metres, like TBMJ."""


def _column_field(name: str, alias: str) -> RecordField:
    unit = _UNIT.search(alias)
    return RecordField(name, _UNIT.sub("", alias).strip(), unit.group(1) if unit else M2 if name in MINISTRY_M2 else "")


WORKSPACE_FIELDS: dict[str, RecordField] = {
    **{c.name: _column_field(c.name, c.alias) for c in PATCH_COLUMNS},
    **{name: RecordField(name, label) for name, label in COUNTS.items()},
}


def record_fields(extra: Mapping[str, RecordField]) -> dict[str, RecordField]:
    """Workspace fields plus a rule set's declared extras (extras may not redefine a column)."""
    return {**extra, **WORKSPACE_FIELDS}


@dataclass(frozen=True)
class PatchRecord:
    """One patch or 地块 as the office recorded it.

    ``values`` holds workspace columns by name (and any declared extra
    fields); ``parent`` is the parent patch's JCBH for a split 地块 (defaults
    to the FJCBH column); ``received`` the batch's receipt date, used when
    PDQX is empty (deadline = received + decision_days).
    """

    jcbh: str
    values: Mapping[str, Any] = field(default_factory=dict)
    n_evidence: int = 0
    n_referrals: int = 0
    n_rectification: int = 0
    parent: Optional[str] = None
    received: Optional[Any] = None

    def get(self, name: str) -> Any:
        """Value of field ``name``: a count, a column value, None when empty, MISSING when absent."""
        if name in COUNTS:
            return getattr(self, name)
        if name == ID_FIELD:
            return self.jcbh
        if name not in self.values:
            return MISSING
        value = self.values[name]
        return None if is_empty(value) else value

    @property
    def parent_jcbh(self) -> Optional[str]:
        parent = self.parent if self.parent is not None else self.values.get("FJCBH")
        return None if is_empty(parent) or str(parent) == self.jcbh else str(parent).strip()

    def area_mu(self, name: str, fields: Mapping[str, RecordField]) -> Optional[float]:
        """Area field ``name`` in 亩 (m² converted); None when empty or not a number."""
        value = self.get(name)
        if value is MISSING or value is None:
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number / M2_PER_MU if fields[name].unit == M2 else number

    def date(self, name: str) -> Optional[dt.date]:
        """Date field as a date: accepts date/datetime and text starting 'yyyy-mm-dd' or 'yyyy/mm/dd'."""
        return as_date(self.get(name))


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)")
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")


def as_date(value: Any) -> Optional[dt.date]:
    """A date from a date, datetime or text such as '2022-05-06', '2022/5/6', '2022年5月6日 10:00', '20220506'."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(int(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    found = _DATE.match(text)
    if not found:
        found = _COMPACT.match(text)
        if not found:
            return None
    try:
        return dt.date(*(int(g) for g in found.groups()))
    except ValueError:
        return None


def as_period(value: Any) -> Optional[tuple[dt.date, dt.date]]:
    """First and last day a possibly partial date may mean: a day, a month ('2021-10', '202110') or a year ('2021').

    Ministry data write 前时相 as 'YYYYMMDD' or 'YYYY-MM' and offices often
    record 建设时间 as a year only, so comparisons must know how precise each
    date is: '2021' is any day of 2021. None when the value is empty or not a date.
    """
    day = as_date(value)
    if day is not None:
        return day, day
    if value is MISSING or value is None or isinstance(value, bool):
        return None
    text = (str(int(value)) if isinstance(value, (int, float)) else str(value)).strip()
    month = _MONTH.match(text) or _COMPACT_MONTH.match(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12:
            return None
        first = dt.date(year, number, 1)
        return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    year_only = _YEAR.match(text)
    if year_only:
        return dt.date(int(year_only.group(1)), 1, 1), dt.date(int(year_only.group(1)), 12, 31)
    return None


def is_area(name: str, fields: Mapping[str, RecordField]) -> bool:
    return name in fields and fields[name].unit in (MU, M2)
