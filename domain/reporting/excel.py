"""Excel workbooks a technician hands in as they are (openpyxl, no Qt).

Sheets: 图斑清单 (every ministry and decision field plus the evidence, visit,
referral and 一下 columns), 镇街统计 (towns, a 合计 row and check columns computed
as values), 考核预警 (the thresholds explained), 约谈排名, 月度汇总 (with a chart).

Numbers are written unrounded with display formats (亩 and m² to 2 decimals,
ratios as %), so sums in Excel agree with ours. Every user text is written as
text: a remark starting with ``=``, ``+``, ``-`` or ``@`` never becomes a formula.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..messages import Message
from ..units import M2_PER_MU
from ..workspace.columns import PATCH_COLUMNS
from .facts import PatchFact
from .statistics import Statistics, TownFigures

Render = Callable[[Message], str]
MU_FORMAT, M2_FORMAT, RATIO_FORMAT, COUNT_FORMAT, MONEY_FORMAT = "0.00", "0.00", "0.00%", "0", "#,##0.00"
FORMULA_START = ("=", "+", "-", "@")
_HIDDEN = {"YSSX", "batch_id"}
_YES_NO = {"SFLA", "SFNRJS", "XFBZ", "CXXF"}


@dataclass(frozen=True)
class Col:
    """One output column: header, width hint, number format ('' = text)."""

    header: str
    fmt: str = ""
    width: Optional[float] = None
    name: str = ""
    """Field name (pinyin initials) when the column is also written as a QGIS field."""


def _format_of(alias: str, sql_type: str) -> str:
    if "(亩)" in alias or "(平方米)" in alias:
        return MU_FORMAT
    if "(元)" in alias:
        return MONEY_FORMAT
    if sql_type.startswith("REAL"):
        return "0.000000" if alias.startswith("中心点") else "0.00"
    if sql_type.startswith("INTEGER"):
        return COUNT_FORMAT
    return ""


PATCH_LIST_COLUMNS: tuple[tuple[str, Col], ...] = (
    ("@batch", Col("批次")), ("@stage", Col("上报阶段")), ("@town", Col("镇街")),
    *((c.name, Col(c.alias, _format_of(c.alias, c.sql_type))) for c in PATCH_COLUMNS if c.name not in _HIDDEN),
    ("@GDMJ_MU", Col("耕地面积(亩)", MU_FORMAT)), ("@n_evidence", Col("佐证资料数", COUNT_FORMAT)),
    ("@evidence", Col("佐证资料", width=40)), ("@visits", Col("外业踏勘", width=30)),
    ("@referrals", Col("移交情况", width=30)), ("@feedback", Col("一下问题", width=30)),
)


def safe_value(value: Any) -> Any:
    """Values as cells take them: dates as ISO text, bytes dropped."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def write_cell(sheet, row: int, column: int, value: Any, fmt: str = ""):
    """Write one cell; text is always text (never a formula), numbers get ``fmt``."""
    cell = sheet.cell(row=row, column=column)
    value = safe_value(value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
        if fmt and isinstance(value, (int, float)):
            cell.number_format = fmt
    return cell


def _display_width(text: str) -> float:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _style_sheet(sheet, columns: Sequence[Col], header_row: int, freeze_col: int, data_rows: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, col in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=j)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        longest = max([_display_width(col.header) * 0.6] + [
            _display_width(sheet.cell(row=r, column=j).value or "")
            for r in range(header_row + 1, min(header_row + 1 + data_rows, header_row + 200))])
        sheet.column_dimensions[get_column_letter(j)].width = col.width or min(max(8.0, longest + 2), 60.0)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=freeze_col + 1)
    if data_rows:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + data_rows}"


def _title(sheet, text: str, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    write_cell(sheet, 1, 1, text)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="left")
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(width, 12))


def patch_list_value(fact: PatchFact, key: str, town_names: dict[str, str]) -> Any:
    if key == "@batch":
        return fact.batch
    if key == "@stage":
        return fact.stage
    if key == "@town":
        return town_names.get(fact.town, fact.town)
    if key == "@GDMJ_MU":
        gdmj = fact.num("GDMJ")
        return None if gdmj is None else gdmj / M2_PER_MU
    if key == "@n_evidence":
        return fact.n_evidence
    if key.startswith("@"):
        return fact.records.get(key[1:], "")
    value = fact.get(key)
    if key in _YES_NO and value is not None:
        return "是" if str(value) in ("1", "True", "是") else "否"
    return value


def write_patch_list(book, facts: Sequence[PatchFact], town_names: dict[str, str], title: str) -> None:
    sheet = book.create_sheet("图斑清单")
    columns = [c for _, c in PATCH_LIST_COLUMNS]
    _title(sheet, title, len(columns))
    for j, col in enumerate(columns, start=1):
        write_cell(sheet, 2, j, col.header)
    for i, fact in enumerate(facts, start=3):
        for j, (key, col) in enumerate(PATCH_LIST_COLUMNS, start=1):
            write_cell(sheet, i, j, patch_list_value(fact, key, town_names), col.fmt)
    jcbh_col = next(j for j, (k, _) in enumerate(PATCH_LIST_COLUMNS, start=1) if k == "JCBH")
    _style_sheet(sheet, columns, 2, jcbh_col, len(facts))


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


def town_columns(stats: Statistics) -> list[tuple[Col, Callable[[TownFigures], Any]]]:
    """镇街统计 columns: header, field name and how each is computed from a town's figures."""
    mu, n = MU_FORMAT, COUNT_FORMAT
    cols: list[tuple[Col, Callable[[TownFigures], Any]]] = [
        (Col("镇街代码", name="ZJDM"), lambda t: t.code), (Col("镇街名称", name="ZJMC"), lambda t: t.name),
        (Col("下发图斑数(原始下发)", n, name="XFTBS"), lambda t: t.issued_count),
        (Col("下发面积(亩)", mu, name="XFMJ"), lambda t: t.issued_mu),
        (Col("核实后图斑数", n, name="HSTBS"), lambda t: t.verified_count),
    ]
    codes = _category_codes(stats)
    for category in stats.categories:
        cols.append((Col(f"{category}(个)", n, name=codes[category]), lambda t, c=category: t.decided[c]))
    cols += [
        (Col("违法图斑数", n, name="WFTBS"), lambda t: t.illegal_count),
        (Col("违法面积(亩)", mu, name="WFMJ"), lambda t: t.illegal_mu),
        (Col("违法占用耕地面积(亩)", mu, name="WFGDMJ"), lambda t: t.illegal_farmland_mu),
        (Col("其中计入问责(亩)", mu, name="JRWFGDMJ"), lambda t: t.counted_farmland_mu),
        (Col("扣减(亩)", mu, name="KJGDMJ"), lambda t: t.deducted_farmland_mu),
        (Col("违法占用永久基本农田(亩)", mu, name="WFJBNTMJ"), lambda t: t.illegal_jbnt_mu),
        (Col("整改后违法面积(亩)", mu, name="ZGHWFMJ"), lambda t: t.after_area_mu),
        (Col("整改后违法占用耕地(亩)", mu, name="ZGHGDMJ"), lambda t: t.after_farmland_mu),
        (Col("整改后违法占用永久基本农田(亩)", mu, name="ZGHJBNTMJ"), lambda t: t.after_jbnt_mu),
        (Col("已整改(个)", n, name="YZGGS"), lambda t: t.rectified_count),
        (Col("整改中(个)", n, name="ZGZGS"), lambda t: t.in_progress_count),
        (Col("未整改(个)", n, name="WZGGS"), lambda t: t.not_started_count),
        (Col("已整改面积(亩)", mu, name="YZGMJ"), lambda t: t.rectified_mu),
        (Col("未整改面积(亩)", mu, name="WZGMJ"), lambda t: t.unrectified_mu),
        (Col("拆除面积(亩)", mu, name="CCMJ"), lambda t: t.demolished_mu),
        (Col("补办面积(亩)", mu, name="BBMJ"), lambda t: t.approved_mu),
        (Col("新增建设占用耕地(亩)", mu, name="XZJSGDMJ"), lambda t: t.construction_farmland_mu),
        (Col("违法占耕比例", RATIO_FORMAT, name="WFZGBL"), lambda t: t.ratio),
    ]
    for i, department in enumerate(stats.departments, start=1):
        cols.append((Col(f"移交{department}(个)", n, name=f"YJ{i:02d}"), lambda t, d=department: t.referrals[d]))
    cols += [
        (Col("校验:总−(已整改+未整改)(亩)", mu, name="JYZMJ"), lambda t: t.total_check_mu),
        (Col("校验:已整改−(拆除+补办)(亩)", mu, name="JYYZGMJ"), lambda t: t.rectified_check_mu),
        (Col("校验结果", name="JYJG"), lambda t: "通过" if abs(t.total_check_mu) < 0.005
         and abs(t.rectified_check_mu) < 0.005 else "不符"),
        (Col("估算图斑数", n, name="GSTBS"), lambda t: t.estimated_count),
    ]
    return cols


def write_town_statistics(book, stats: Statistics, title: str) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet("镇街统计")
    cols = town_columns(stats)
    _title(sheet, title, len(cols))
    for j, (col, _) in enumerate(cols, start=1):
        write_cell(sheet, 2, j, col.header)
    rows = [*stats.towns, stats.total]
    for i, town in enumerate(rows, start=3):
        for j, (col, get) in enumerate(cols, start=1):
            write_cell(sheet, i, j, get(town), col.fmt)
    for j in range(1, len(cols) + 1):
        sheet.cell(row=2 + len(rows), column=j).font = Font(bold=True)
    _style_sheet(sheet, [c for c, _ in cols], 2, 2, len(rows))


def write_findings(book, stats: Statistics, render: Render) -> None:
    sheet = book.create_sheet("考核预警")
    cols = [Col("指标"), Col("数值", "0.00"), Col("阈值"), Col("是否触及"), Col("说明", width=90)]
    labels = {"initial": "初始违法占耕面积(亩)", "after_rectification": "整改后违法占耕面积(亩)", "ratio": "违法占耕比例"}
    for j, col in enumerate(cols, start=1):
        write_cell(sheet, 1, j, col.header)
    for i, f in enumerate(stats.findings, start=2):
        is_ratio = f.key == "ratio"
        write_cell(sheet, i, 1, labels.get(f.key, f.key))
        write_cell(sheet, i, 2, f.value, RATIO_FORMAT if is_ratio else MU_FORMAT)
        write_cell(sheet, i, 3, f"{f.op} {f.limit:.0%}" if is_ratio else f"{f.op} {f.limit:g} 亩")
        write_cell(sheet, i, 4, "是" if f.exceeded else "否")
        write_cell(sheet, i, 5, render(f.message))
    _style_sheet(sheet, cols, 1, 1, len(stats.findings))


def write_ranking(book, stats: Statistics, criteria: Sequence[tuple[str, str, float]]) -> None:
    sheet = book.create_sheet("约谈排名")
    cols = [Col("名次", COUNT_FORMAT), Col("镇街代码"), Col("镇街名称"), Col("综合得分", "0.000")]
    cols += [Col(f"{label}(权重{weight:g})", RATIO_FORMAT if "比" in label else "0.00") for _, label, weight in criteria]
    cols.append(Col("约谈建议"))
    for j, col in enumerate(cols, start=1):
        write_cell(sheet, 1, j, col.header)
    for i, (town, score, proposed) in enumerate(stats.ranking, start=2):
        values = [i - 1, town.code, town.name, score] + [town.metric(m) for m, _, _ in criteria]
        values.append("建议约谈" if proposed else "")
        for j, (col, value) in enumerate(zip(cols, values), start=1):
            write_cell(sheet, i, j, value, col.fmt)
    _style_sheet(sheet, cols, 1, 3, len(stats.ranking))


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


def write_summary(book, stats: Statistics, title: str) -> None:
    from openpyxl.chart import BarChart, Reference

    sheet = book.create_sheet("月度汇总")
    cols = [Col("月份"), Col("核实后图斑数", COUNT_FORMAT), Col("违法图斑数", COUNT_FORMAT),
            Col("违法占用耕地(亩)", MU_FORMAT), Col("未整改面积(亩)", MU_FORMAT), Col("已整改(个)", COUNT_FORMAT)]
    _title(sheet, title, len(cols))
    for j, col in enumerate(cols, start=1):
        write_cell(sheet, 2, j, col.header)
    rows = monthly_rows(stats)
    for i, row in enumerate(rows, start=3):
        for j, (col, value) in enumerate(zip(cols, row), start=1):
            write_cell(sheet, i, j, value, col.fmt)
    _style_sheet(sheet, cols, 2, 1, len(rows))
    if rows:
        chart = BarChart()
        chart.title = "违法占用耕地与未整改面积（亩）"
        chart.y_axis.title = "亩"
        chart.x_axis.title = "月份"
        data = Reference(sheet, min_col=4, max_col=5, min_row=2, max_row=2 + len(rows))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=2 + len(rows)))
        chart.width, chart.height = 18, 9
        sheet.add_chart(chart, "H3")


def write_batches(book, batches: Sequence[Sequence[Any]]) -> None:
    """批次进度: both deadlines and the stage of every batch."""
    sheet = book.create_sheet("批次进度")
    cols = [Col("批次"), Col("接收日期"), Col("合法性判定期限"), Col("月报(一上)期限"), Col("上报阶段"), Col("是否锁定"),
            Col("图斑数", COUNT_FORMAT), Col("上报快照数", COUNT_FORMAT)]
    for j, col in enumerate(cols, start=1):
        write_cell(sheet, 1, j, col.header)
    for i, row in enumerate(batches, start=2):
        for j, (col, value) in enumerate(zip(cols, row), start=1):
            write_cell(sheet, i, j, value, col.fmt)
    _style_sheet(sheet, cols, 1, 1, len(batches))


def write_report(path: Path, facts: Sequence[PatchFact], stats: Statistics, town_names: dict[str, str],
                 criteria: Sequence[tuple[str, str, float]], render: Render = lambda m: m.render(),
                 district: str = "", batches: Sequence[Sequence[Any]] = ()) -> Path:
    """Write the whole workbook to ``path`` (via a temporary file, so a failure leaves no half file)."""
    from openpyxl import Workbook

    period = stats.period.label if stats.period else "全部"
    book = Workbook()
    book.remove(book.active)
    write_patch_list(book, facts, town_names, f"{district}卫片执法图斑清单（{period}）")
    write_town_statistics(book, stats, f"{district}卫片执法镇街统计（{period}）")
    write_findings(book, stats, render)
    write_ranking(book, stats, criteria)
    write_summary(book, stats, f"{district}卫片执法月度汇总（{period}）")
    write_batches(book, batches)
    book.properties.title = f"卫片执法报表 {period}"
    book.properties.creator = "WPZF"
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    book.save(partial)
    partial.replace(path)
    return path
