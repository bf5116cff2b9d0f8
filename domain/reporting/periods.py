"""Reporting periods (month, quarter, year) and the two reporting deadlines.

Statistics are counted per period of the batches' receipt dates; a year runs
to 31 Dec (工作方案: 查处整改情况统计时间截至 12 月 31 日).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..messages import QT_TRANSLATE_NOOP, WpzfError


class PeriodError(WpzfError, ValueError):
    """A period text that is not a month, quarter or year."""


@dataclass(frozen=True)
class Period:
    """An inclusive date range with the label it was asked for (2022-05, 2022-Q2, 2022)."""

    label: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def kind(self) -> str:
        return "year" if re.fullmatch(r"\d{4}", self.label) else "quarter" if "Q" in self.label else "month"


_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq]\s*([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")


def parse_period(text: str) -> Period:
    """'2022-05' / '2022年5月' → month, '2022-Q2' → quarter, '2022' → the calendar year."""
    text = str(text or "")
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(f"{year}-{month:02d}", dt.date(year, month, 1), dt.date(year, month, last))
    if m := _QUARTER.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        first = 3 * quarter - 2
        last = calendar.monthrange(year, first + 2)[1]
        return Period(f"{year}-Q{quarter}", dt.date(year, first, 1), dt.date(year, first + 2, last))
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise PeriodError(
        QT_TRANSLATE_NOOP("domain", "Period {value!r} is not a month (2022-05), a quarter (2022-Q2) or a year (2022)."),
        value=text)


def parse_as_of(text: str) -> dt.date | None:
    """An "as at" date ('2022-12-31', '2022/12/31', '2022年12月31日'); None when empty."""
    from ..rules.records import as_date

    text = str(text or "").strip()
    if not text:
        return None
    day = as_date(text)
    if day is None:
        raise PeriodError(QT_TRANSLATE_NOOP("domain", "Date {value!r} is not a date such as 2022-12-31."), value=text)
    return day


def decision_deadline(received: dt.date, days: int) -> dt.date:
    """合法性判定 is due ``days`` after receipt."""
    return received + dt.timedelta(days=days)


def report_deadline(received: dt.date, report_day: int) -> dt.date:
    """The monthly report (一上) of a batch received in a month is due on ``report_day`` of the next month."""
    year, month = (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
    return dt.date(year, month, min(report_day, calendar.monthrange(year, month)[1]))
