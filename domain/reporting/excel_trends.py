"""The 趋势 sheet of the report workbook: the year month by month (month × town) with line charts.

One block per figure (下发, 已判定, 违法, 已整改 in patches; 违法占用耕地 and 整改后违法占用耕地 in 亩), each
a row per month and a column per town after the district's: the year to date as at the month's end
(:mod:`.trends`, the same computation as the statistics sheets), so a leader can read the course of
the year and an auditor can check a December row against 镇街统计.
"""
from __future__ import annotations

from collections.abc import Sequence

from .excel_cells import COUNT_FORMAT, DATE_FORMAT, MU_FORMAT, Col, print_setup, style_sheet, title, write_cell
from .statistics import DISTRICT_CODE
from .trends import Trend

HEADER_ROW = 3
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("delivered", "下发图斑(个)", COUNT_FORMAT), ("decided", "已判定(个)", COUNT_FORMAT),
    ("illegal", "违法图斑(个)", COUNT_FORMAT), ("rectified", "已整改(个)", COUNT_FORMAT),
    ("illegal_farmland_mu", "违法占用耕地(亩)", MU_FORMAT), ("after_farmland_mu", "整改后违法占用耕地(亩)", MU_FORMAT))
"""(series, 指标, format) in the order of the blocks."""
CHART_TOWNS = 5
"""Towns drawn beside the district in the area chart: those with the most illegal farmland at the last month."""


def trend_rows(trend: Trend) -> list[list]:
    """[指标, 月份, 统计截止日期, 全区, town…] per figure and month, in block order."""
    codes = [DISTRICT_CODE, *trend.towns()]
    rows = []
    for series, label, _ in FIGURES:
        columns = [trend.cumulative(series, code) for code in codes]
        for i, point in enumerate(trend.points):
            rows.append([label, f"{trend.year}-{point.month:02d}", point.as_of, *(c[i] for c in columns)])
    return rows


def write_trend(book, trend: Trend, heading: str) -> None:
    """The 趋势 sheet: blocks of months × towns, a chart of the district's counts and one of the towns' 亩."""
    codes = [DISTRICT_CODE, *trend.towns()]
    cols = [Col("指标"), Col("月份"), Col("统计截止日期", DATE_FORMAT), *(Col(trend.name(c)) for c in codes)]
    sheet = book.create_sheet("趋势")
    title(sheet, heading, len(cols))
    title(sheet, f"各月为年初至月末累计，截至月末（末月截至 {trend.as_of.isoformat()}）", len(cols), 2, 11)
    for j, col in enumerate(cols, start=1):
        write_cell(sheet, HEADER_ROW, j, col.header)
    rows = trend_rows(trend)
    months = len(trend.points)
    for i, row in enumerate(rows):
        fmt = FIGURES[i // months][2] if months else ""
        for j, (col, value) in enumerate(zip(cols, row), start=1):
            write_cell(sheet, HEADER_ROW + 1 + i, j, value, col.fmt or (fmt if j > 3 else ""))
    style_sheet(sheet, cols, HEADER_ROW, 3, len(rows))
    print_setup(sheet, heading, HEADER_ROW, trend.as_of, columns=len(cols))
    if months:
        anchor = HEADER_ROW + len(rows) + 3
        _chart(sheet, "全区各月累计（个）", "个", [(FIGURES[k][1], 4, k) for k in range(4)], months, f"A{anchor}")
        last = {code: trend.points[-1].counts(code).illegal_farmland_mu for code in codes[1:]}
        top = sorted((c for c in codes[1:] if last[c] > 0), key=lambda c: (-last[c], c))[:CHART_TOWNS]
        series = [(trend.name(c), 4 + codes.index(c), 5) for c in [DISTRICT_CODE, *top]]
        _chart(sheet, "整改后违法占用耕地（亩）", "亩", series, months, f"J{anchor}")


def _chart(sheet, heading: str, unit: str, series: Sequence[tuple[str, int, int]], months: int, anchor: str) -> None:
    """A line chart of ``series`` (name, column, block index) over the month labels of block 0."""
    from openpyxl.chart import LineChart, Reference, Series

    chart = LineChart()
    chart.title = heading
    chart.y_axis.title = unit
    chart.x_axis.title = "月份"
    for name, column, block in series:
        first = HEADER_ROW + 1 + block * months
        chart.series.append(Series(Reference(sheet, min_col=column, min_row=first, max_row=first + months - 1),
                                   title=name))
    chart.set_categories(Reference(sheet, min_col=2, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + months))
    chart.width, chart.height = 16, 8
    sheet.add_chart(chart, anchor)
