"""The statistics sheets of the report workbook: 镇街统计, 考核预警, 约谈排名, 月度汇总, 季度统计.

Every header is Chinese and every area is in 亩 (unrounded, shown to 2
decimals), as the office hands the workbook to the city; the pinyin field names
of :func:`town_columns` only name the fields of the ``wpzf:townstatistics``
layer. Each sheet starts with its title and the 统计截止日期 line.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from ..messages import Message
from .excel_cells import (
    COUNT_FORMAT,
    DATE_FORMAT,
    MU_FORMAT,
    RATIO_FORMAT,
    Col,
    as_of_line,
    display_width,
    print_setup,
    style_sheet,
    title,
    write_cell,
)
from .quarters import QuarterFigures
from .statistics import Statistics, TownFigures

Render = Callable[[Message], str]
HEADER_ROW = 3
"""Title (row 1), 统计截止日期 (row 2), then the header."""
_TOLERANCE = 0.005  # 亩: checks pass at the reports' 0.01 亩 resolution


def _category_codes(stats: Statistics) -> dict[str, str]:
    codes, others = {}, 0
    for name in stats.categories:
        if name == "合法":
            codes[name] = "HFGS"
        elif name == "违法":
            codes[name] = "WFGS"
        elif name == "未判定":
            codes[name] = "WPDGS"
        else:
            others += 1
            codes[name] = "QTGS" if others == 1 else f"QTGS{others}"
    return codes


def _checks_pass(t: TownFigures) -> bool:
    return all(abs(v) < _TOLERANCE for v in (t.total_check_mu, t.rectified_check_mu, t.construction_check_mu))


def _decided(category: str) -> Callable[[TownFigures], Any]:
    """A town's count of patches decided as ``category`` (one column per category)."""
    return lambda t: t.decided[category]


def _referred(department: str) -> Callable[[TownFigures], Any]:
    """A town's count of patches referred to ``department`` (one column per department)."""
    return lambda t: t.referrals[department]


def town_columns(stats: Statistics) -> list[tuple[Col, Callable[[TownFigures], Any]]]:
    """镇街统计 columns: header, field name and how each is computed from a town's figures (domain.md §9)."""
    mu, n = MU_FORMAT, COUNT_FORMAT
    cols: list[tuple[Col, Callable[[TownFigures], Any]]] = [
        (Col("镇街代码", name="ZJDM"), lambda t: t.code), (Col("镇街名称", name="ZJMC"), lambda t: t.name),
        (Col("下发图斑数(原始下发)", n, name="XFTBS"), lambda t: t.issued_count),
        (Col("下发面积(亩)", mu, name="XFMJ"), lambda t: t.issued_mu),
        (Col("核实后图斑数", n, name="HSTBS"), lambda t: t.verified_count),
    ]
    codes = _category_codes(stats)
    for category in stats.categories:
        cols.append((Col(f"{category}(个)", n, name=codes[category]), _decided(category)))
    cols += [
        (Col("违法图斑数", n, name="WFTBS"), lambda t: t.illegal_count),
        (Col("违法面积(亩)", mu, name="WFMJ"), lambda t: t.illegal_mu),
        (Col("违法占用耕地面积(亩)", mu, name="WFGDMJ"), lambda t: t.illegal_farmland_mu),
        (Col("计入问责违法占耕(亩)", mu, name="JRWFGDMJ"), lambda t: t.counted_farmland_mu),
        (Col("扣减(亩)", mu, name="KJGDMJ"), lambda t: t.deducted_farmland_mu),
        (Col("违法占用永久基本农田(亩)", mu, name="WFJBNTMJ"), lambda t: t.illegal_jbnt_mu),
        (Col("非粮化图斑数", n, name="FLHTBS"), lambda t: t.non_grain_count),
        (Col("非粮化面积(亩)", mu, name="FLHMJ"), lambda t: t.non_grain_mu),
        (Col("整改后违法面积(亩)", mu, name="ZGHWFMJ"), lambda t: t.after_area_mu),
        (Col("整改后违法占用耕地(亩)", mu, name="ZGHGDMJ"), lambda t: t.after_farmland_mu),
        (Col("其中计入问责整改后违法占耕(亩)", mu, name="JRZGHGDMJ"), lambda t: t.counted_after_farmland_mu),
        (Col("整改后违法占用永久基本农田(亩)", mu, name="ZGHJBNTMJ"), lambda t: t.after_jbnt_mu),
        (Col("已整改(个)", n, name="YZGGS"), lambda t: t.rectified_count),
        (Col("整改中(个)", n, name="ZGZGS"), lambda t: t.in_progress_count),
        (Col("未整改(个)", n, name="WZGGS"), lambda t: t.not_started_count),
        (Col("已整改面积(亩)", mu, name="YZGMJ"), lambda t: t.rectified_mu),
        (Col("未整改面积(亩)", mu, name="WZGMJ"), lambda t: t.unrectified_mu),
        (Col("拆除面积(亩)", mu, name="CCMJ"), lambda t: t.demolished_mu),
        (Col("补办面积(亩)", mu, name="BBMJ"), lambda t: t.approved_mu),
        (Col("已整改耕地(复耕+补办耕地)(亩)", mu, name="YZGGDMJ"), lambda t: t.rectified_farmland_mu),
        (Col("立案数", n, name="LAS"), lambda t: t.case_count),
        (Col("结案数", n, name="JAS"), lambda t: t.closed_count),
        (Col("锁定后录入整改进展图斑数", n, name="SDHJZTBS"), lambda t: t.after_lock_count),
        (Col("合法新增建设占用耕地(亩)", mu, name="HFJSGDMJ"), lambda t: t.legal_construction_farmland_mu),
        (Col("违法新增建设占用耕地(亩)", mu, name="WFJSGDMJ"), lambda t: t.illegal_construction_farmland_mu),
        (Col("新增建设占用耕地合计(亩)", mu, name="XZJSGDMJ"), lambda t: t.construction_farmland_mu),
        (Col("违法占耕比例", RATIO_FORMAT, name="WFZGBL"), lambda t: t.ratio),
    ]
    for i, department in enumerate(stats.departments, start=1):
        cols.append((Col(f"移交{department}(个)", n, name=f"YJ{i:02d}"), _referred(department)))
    cols += [
        (Col("校验:总−(已整改+未整改)(亩)", mu, name="JYZMJ"), lambda t: t.total_check_mu),
        (Col("校验:已整改−(拆除+补办)(亩)", mu, name="JYYZGMJ"), lambda t: t.rectified_check_mu),
        (Col("校验:新增建设合计−(合法+违法)(亩)", mu, name="JYJSGDMJ"), lambda t: t.construction_check_mu),
        (Col("校验结果", name="JYJG"), lambda t: "通过" if _checks_pass(t) else "不符"),
        (Col("估算图斑数", n, name="GSTBS"), lambda t: t.estimated_count),
        (Col("未配置统计口径图斑数", n, name="WKJTBS"), lambda t: t.unclassified_count),
    ]
    return cols


QUARTER_FIGURES = ("XFTBS", "XFMJ", "HSTBS", "*categories", "WFTBS", "WFMJ", "WFGDMJ", "JRWFGDMJ", "ZGHGDMJ",
                   "JRZGHGDMJ", "YZGGDMJ", "HFJSGDMJ", "WFJSGDMJ", "XZJSGDMJ", "WFZGBL")
"""The main figures of the 季度统计 sheet, picked from :func:`town_columns` so each is defined once."""


def _header(sheet, cols: Sequence[Col], row: int = HEADER_ROW) -> None:
    for j, col in enumerate(cols, start=1):
        write_cell(sheet, row, j, col.header)


def _sheet(book, name: str, heading: str, stats: Statistics, width: int):
    sheet = book.create_sheet(name)
    title(sheet, heading, width)
    as_of_line(sheet, stats.as_of, width)
    print_setup(sheet, heading, HEADER_ROW, stats.as_of, columns=width)
    return sheet


def write_town_statistics(book, stats: Statistics, heading: str) -> None:
    """Towns in code order, then the 合计 row (the sum of the towns, so every check column stays 0)."""
    write_town_table(book, "镇街统计", heading, stats, town_columns(stats))


def write_town_table(book, name: str, heading: str, stats: Statistics,
                     cols: Sequence[tuple[Col, Callable[[TownFigures], Any]]]) -> None:
    """Sheet ``name``: a row per town, the bold 合计 row last and out of the filter, a column per (Col, getter)."""
    from openpyxl.styles import Font

    sheet = _sheet(book, name, heading, stats, len(cols))
    _header(sheet, [c for c, _ in cols])
    rows = [*stats.towns, stats.total]
    for i, town in enumerate(rows, start=HEADER_ROW + 1):
        for j, (col, get) in enumerate(cols, start=1):
            write_cell(sheet, i, j, get(town), col.fmt)
    for j in range(1, len(cols) + 1):
        sheet.cell(row=HEADER_ROW + len(rows), column=j).font = Font(bold=True)
    style_sheet(sheet, [c for c, _ in cols], HEADER_ROW, 2, len(rows), filter_rows=len(stats.towns))


def write_findings(book, stats: Statistics, render: Render, heading: str) -> None:
    """考核预警: each threshold with its value, limit, verdict and the explanation (definition and both terms)."""
    from openpyxl.styles import Alignment

    cols = [Col("指标"), Col("数值"), Col("阈值"), Col("是否触及"), Col("说明", width=90)]
    labels = {"initial": "初始违法占耕面积(亩)", "after_rectification": "整改后违法占耕面积(亩)", "ratio": "违法占耕比例"}
    sheet = _sheet(book, "考核预警", heading, stats, len(cols))
    _header(sheet, cols)
    for i, f in enumerate(stats.findings, start=HEADER_ROW + 1):
        is_ratio = f.key == "ratio"
        explanation = render(f.message)
        write_cell(sheet, i, 1, labels.get(f.key, f.key))
        write_cell(sheet, i, 2, f.value, RATIO_FORMAT if is_ratio else MU_FORMAT)
        write_cell(sheet, i, 3, f"{f.op} {f.limit:.0%}" if is_ratio else f"{f.op} {f.limit:g} 亩")
        write_cell(sheet, i, 4, "是" if f.exceeded else "否")
        write_cell(sheet, i, 5, explanation).alignment = Alignment(wrap_text=True, vertical="top")
        for j in range(1, 5):
            sheet.cell(row=i, column=j).alignment = Alignment(vertical="top")
        sheet.row_dimensions[i].height = 15 * max(1, -(-display_width(explanation) // 88))
    style_sheet(sheet, cols, HEADER_ROW, 1, len(stats.findings))


def write_ranking(book, stats: Statistics, criteria: Sequence[tuple[str, str, float]], heading: str) -> None:
    cols = [Col("名次", COUNT_FORMAT), Col("镇街代码"), Col("镇街名称"), Col("综合得分", "0.000")]
    cols += [Col(f"{label}(权重{weight:g})", RATIO_FORMAT if "比" in label else MU_FORMAT if "亩" in label else "0.00")
             for _, label, weight in criteria]
    cols.append(Col("约谈建议"))
    sheet = _sheet(book, "约谈排名", heading, stats, len(cols))
    _header(sheet, cols)
    for i, (town, score, proposed) in enumerate(stats.ranking, start=1):
        values = [i, town.code, town.name, score] + [town.metric(m) for m, _, _ in criteria]
        values.append("建议约谈" if proposed else "")
        for j, (col, value) in enumerate(zip(cols, values), start=1):
            write_cell(sheet, HEADER_ROW + i, j, value, col.fmt)
    style_sheet(sheet, cols, HEADER_ROW, 3, len(stats.ranking))


def monthly_rows(stats: Statistics) -> list[tuple[str, int, int, float, float, int]]:
    """(month, patches, illegal, illegal farmland 亩, unrectified 亩, rectified) per receipt month."""
    by_month: dict[str, list] = defaultdict(lambda: [0, 0, 0.0, 0.0, 0])
    for p in stats.patches:
        month = p.fact.received.strftime("%Y-%m") if p.fact.received else "—"
        row = by_month[month]
        row[0] += 1
        if p.role == "illegal":
            row[1] += 1
            row[2] += p.farmland_mu
            row[3] += p.unrectified_mu
            row[4] += p.status == "rectified"
    return [(m, *v) for m, v in sorted(by_month.items())]


def write_summary(book, stats: Statistics, heading: str) -> None:
    from openpyxl.chart import BarChart, Reference

    cols = [Col("月份"), Col("核实后图斑数", COUNT_FORMAT), Col("违法图斑数", COUNT_FORMAT),
            Col("违法占用耕地(亩)", MU_FORMAT), Col("未整改面积(亩)", MU_FORMAT), Col("已整改(个)", COUNT_FORMAT)]
    sheet = _sheet(book, "月度汇总", heading, stats, len(cols))
    _header(sheet, cols)
    rows = monthly_rows(stats)
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        for j, (col, value) in enumerate(zip(cols, row), start=1):
            write_cell(sheet, i, j, value, col.fmt)
    style_sheet(sheet, cols, HEADER_ROW, 1, len(rows))
    if rows:
        chart = BarChart()
        chart.title = "违法占用耕地与未整改面积（亩）"
        chart.y_axis.title = "亩"
        chart.x_axis.title = "月份"
        data = Reference(sheet, min_col=4, max_col=5, min_row=HEADER_ROW, max_row=HEADER_ROW + len(rows))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(rows)))
        chart.width, chart.height = 18, 9
        sheet.add_chart(chart, f"A{HEADER_ROW + len(rows) + 3}")


def quarter_columns(stats: Statistics) -> list[tuple[Col, Callable[[TownFigures], Any]]]:
    """The 季度统计 figures (:data:`QUARTER_FIGURES`), categories those of ``stats``."""
    by_name = {col.name: (col, get) for col, get in town_columns(stats)}
    codes = _category_codes(stats)
    picked = []
    for name in QUARTER_FIGURES:
        names = [codes[c] for c in stats.categories] if name == "*categories" else [name]
        picked += [by_name[n] for n in names]
    return picked


def write_quarters(book, quarters: Sequence[QuarterFigures], heading: str, stats: Statistics) -> None:
    """季度统计: 单季 rows, then 累计 rows, each as at its quarter's end (district totals)."""
    columns = quarter_columns(quarters[-1].stats if quarters else stats)
    cols = [Col("口径"), Col("时段"), Col("接收起始日期", DATE_FORMAT), Col("接收截止日期", DATE_FORMAT),
            Col("统计截止日期", DATE_FORMAT), *(c for c, _ in columns)]
    sheet = _sheet(book, "季度统计", heading, stats, len(cols))
    _header(sheet, cols)
    for i, q in enumerate(quarters, start=HEADER_ROW + 1):
        values = [q.scope, q.label, q.period.start, q.period.end, q.stats.as_of]
        values += [get(q.stats.total) for _, get in columns]
        for j, (col, value) in enumerate(zip(cols, values), start=1):
            write_cell(sheet, i, j, value, col.fmt)
    style_sheet(sheet, cols, HEADER_ROW, 2, len(quarters))
