"""What the bulletin prints, as rows of text: headline lines, the town ranking, the progress table, map classes.

Kept apart from the layout (:mod:`.bulletin_layout`) so the printed words and
numbers can be tested without drawing a page. The bulletin is handed to the
district's leaders in Chinese (like the case-file page), so its fixed words
are Chinese here; the sentences are domain messages rendered in the rule
set's language by the caller. Numbers are the statistics' own, rounded only
for display (亩 to 2 decimals).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..domain.reporting.periods import Period
from ..domain.reporting.statistics import Finding, Statistics
from ..domain.reporting.trends import Progress

TITLE = "卫片执法工作通报"
SECTIONS = ("一、考核线与总体情况", "二、全区违法占耕分布", "三、各月趋势", "四、各镇街整改进度",
            "五、镇街排名（约谈）与情况", "六、与上期通报相比")
HEADLINE_HEADER = ["考核项目", "本期数值", "考核线", "结论"]
HEADLINE_ITEMS = {"initial": "初始违法占用耕地面积", "after_rectification": "整改后违法占用耕地面积",
                  "ratio": "违法占耕比例"}
RANKING_HEADER = ["名次", "镇街", "违法图斑(个)", "违法占耕(亩)", "整改后占耕(亩)", "已整改(个)", "得分", "约谈"]
PROGRESS_HEADER = ["镇街", "新增下发(个)", "新增判定(个)", "新增违法(个)", "新增整改(个)", "整改后占耕(亩)：上期→本期"]
_QUARTERS = "一二三四"


def period_title(period: Period) -> str:
    """'2022年5月', '2022年第二季度', '2022年度'."""
    if period.kind == "year":
        return f"{period.start.year}年度"
    if period.kind == "quarter":
        return f"{period.start.year}年第{_QUARTERS[(period.start.month - 1) // 3]}季度"
    return f"{period.start.year}年{period.start.month}月"


def _op(op: str) -> str:
    return "≥" if op == ">=" else ">"


def headline_rows(stats: Statistics) -> list[list[str]]:
    """The three penalty lines: value, line and verdict (达到/超过 or 未达到), header first."""
    rows = [list(HEADLINE_HEADER)]
    for finding in stats.findings:
        value = "—（本期无新增建设占用耕地）" if finding.key == "ratio" and stats.total.ratio is None else _value(finding)
        rows.append([HEADLINE_ITEMS.get(finding.key, finding.key), value, _line(finding), _verdict(finding)])
    return rows


def _value(finding: Finding) -> str:
    return f"{finding.value * 100:.2f}%" if finding.key == "ratio" else f"{finding.value:.2f} 亩"


def _line(finding: Finding) -> str:
    if finding.key == "ratio":
        return f"{_op(finding.op)} {finding.limit * 100:g}%（问责）"
    return f"{_op(finding.op)} {finding.limit:g} 亩（扣分）"


def _verdict(finding: Finding) -> str:
    if not finding.exceeded:
        return "未达到"
    return "达到" if finding.op == ">=" and finding.value == finding.limit else "超过"


def ranking_rows(stats: Statistics) -> list[list[str]]:
    """The towns in 约谈 order (rule-set weights), header first."""
    rows = [list(RANKING_HEADER)]
    for place, (town, score, proposed) in enumerate(stats.ranking, start=1):
        rows.append([str(place), town.name or town.code, str(town.illegal_count), f"{town.counted_farmland_mu:.2f}",
                     f"{town.counted_after_farmland_mu:.2f}", str(town.rectified_count), f"{score:.3f}",
                     "建议约谈" if proposed else ""])
    return rows


def progress_rows(progress: Progress) -> list[list[str]]:
    """Towns whose figures moved since the previous bulletin (most rectified first), then the district; header first."""
    rows = [list(PROGRESS_HEADER)]
    for change in [*progress.changed(), progress.district]:
        c = change.change
        rows.append([change.name or change.code, str(c.delivered), str(c.decided), str(c.illegal), str(c.rectified),
                     f"{change.before.after_farmland_mu:.2f} → {change.after.after_farmland_mu:.2f}"])
    return rows


def as_of_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def class_breaks(values: Sequence[float], classes: int = 4) -> list[tuple[float, float]]:
    """Ranges for shading towns by 亩: 0 alone when a town has none, then equal steps rounded up to 1-2-5."""
    top = max(values, default=0.0)
    ranges: list[tuple[float, float]] = [(0.0, 0.0)] if any(v <= 0.0 for v in values) or top <= 0 else []
    if top <= 0:
        return ranges
    step = _nice(top / classes)
    lower = 0.0
    while lower < top:
        ranges.append((lower, lower + step))
        lower += step
    return ranges


def _nice(value: float) -> float:
    """The smallest 1, 2, 5 × 10^n at or above ``value``."""
    magnitude = 10.0 ** _floor_log10(value)
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= value - 1e-12)


def _floor_log10(value: float) -> int:
    exponent = 0
    while value >= 10:
        value, exponent = value / 10, exponent + 1
    while value < 1:
        value, exponent = value * 10, exponent - 1
    return exponent
