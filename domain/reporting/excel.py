"""Excel workbooks a technician hands in as they are (openpyxl, no Qt).

Sheets: 图斑清单 (every ministry and decision field plus the evidence, visit,
referral and 一下 columns), 镇街统计 (towns, a 合计 row and check columns computed
as values), 考核预警 (the thresholds explained), 约谈排名, 月度汇总 (with a chart),
季度统计 (each quarter alone and cumulated, as at its end), 趋势 (month × town,
with line charts) and 批次进度; 违法采矿 (after 镇街统计, only when the period has
illegal mining patches, :mod:`.excel_mining`). The statistics sheets are in
:mod:`.excel_statistics` and :mod:`.excel_trends`, cells and printing in
:mod:`.excel_cells`.

Numbers are written unrounded with display formats (亩 and m² to 2 decimals,
ratios as %), so sums in Excel agree with ours; dates are Excel dates
(``yyyy-mm-dd``) so they sort and filter. Every user text is written as text: a
remark starting with ``=``, ``+``, ``-`` or ``@`` never becomes a formula.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP
from ..output_files import replaced_whole
from ..progress import CancelCheck, Canceled, ProgressCallback
from ..units import M2_PER_MU
from ..workspace.columns import PATCH_COLUMNS
from .excel_cells import (
    COUNT_FORMAT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    FORMULA_START,
    M2_FORMAT,
    MONEY_FORMAT,
    MU_FORMAT,
    RATIO_FORMAT,
    Col,
    date_value,
    datetime_value,
    grid_border,
    print_setup,
    safe_value,
    style_sheet,
    title,
    write_cell,
)
from .excel_mining import write_mining
from .excel_statistics import (
    Render,
    monthly_rows,
    town_columns,
    write_findings,
    write_quarters,
    write_ranking,
    write_summary,
    write_town_statistics,
)
from .facts import PatchFact
from .quarters import QuarterFigures
from .statistics import Statistics
from .trends import Trend

__all__ = ["COUNT_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT", "FORMULA_START", "M2_FORMAT", "MONEY_FORMAT",
           "MU_FORMAT", "RATIO_FORMAT", "Col", "monthly_rows", "safe_value", "town_columns", "write_cell",
           "write_report"]

_HIDDEN = {"YSSX", "batch_id"}
_YES_NO = {"SFLA", "SFNRJS", "XFBZ", "CXXF"}
DATE_FIELDS = frozenset({"QSX", "HSX", "PDQX", "PDSJ", "LASJ", "JASJ", "JSSJ", "ZGWCSJ"})
"""Patch fields written as Excel dates when they hold a whole date (a year or month alone stays text)."""
STAMP_FIELDS = frozenset({"XGSJ"})
"""Edit stamps (UTC, as stored) written as Excel date-times."""


def _format_of(name: str, alias: str, sql_type: str) -> str:
    if name in DATE_FIELDS:
        return DATE_FORMAT
    if name in STAMP_FIELDS:
        return DATETIME_FORMAT
    if "(亩)" in alias or "(平方米)" in alias:
        return MU_FORMAT
    if "(元)" in alias:
        return MONEY_FORMAT
    if sql_type.startswith("REAL"):
        return "0.000000" if alias.startswith("中心点") else "0.00"
    if sql_type.startswith("INTEGER"):
        return COUNT_FORMAT
    return ""


def _patch_header(name: str, alias: str) -> str:
    return f"{alias}(UTC)" if name in STAMP_FIELDS else alias


PATCH_LIST_COLUMNS: tuple[tuple[str, Col], ...] = (
    ("@batch", Col("批次")), ("@stage", Col("上报阶段")), ("@town", Col("镇街")),
    *((c.name, Col(_patch_header(c.name, c.alias), _format_of(c.name, c.alias, c.sql_type)))
      for c in PATCH_COLUMNS if c.name not in _HIDDEN),
    ("@GDMJ_MU", Col("耕地面积(亩)", MU_FORMAT)), ("@n_evidence", Col("佐证资料数", COUNT_FORMAT)),
    ("@evidence", Col("佐证资料", width=40)), ("@visits", Col("外业踏勘", width=30)),
    ("@referrals", Col("移交情况", width=30)), ("@feedback", Col("一下问题", width=30)),
)
_AS_CELL = {DATE_FORMAT: date_value, DATETIME_FORMAT: datetime_value}


def _as_cell(col: Col, value: Any) -> Any:
    """A date column's stored text as a date (date-time for stamps); unparseable text stays text."""
    convert = _AS_CELL.get(col.fmt)
    return convert(value) if convert else value


def patch_list_value(fact: PatchFact, key: str, town_names: dict[str, str]) -> Any:
    if key == "@batch":
        return fact.batch
    if key == "@stage":
        return fact.stage
    if key == "@town":  # the stored town's name (boundaries), else the run's names, else the code
        return fact.town_name or town_names.get(fact.town) or fact.town
    if key == "@village":
        return fact.village_name or fact.village
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


NOT_WRITTEN = QT_TRANSLATE_NOOP("domain", "Canceled; no workbook was written.")

#: Patch rows between two progress reports and cancel checks of :func:`write_patch_list`.
ROWS_PER_STEP = 500


def write_patch_list(book, facts: Sequence[PatchFact], town_names: dict[str, str], heading: str,
                     progress: Optional[ProgressCallback] = None, is_canceled: Optional[CancelCheck] = None) -> None:
    """图斑清单: a row per patch. ``progress(fraction of rows written)`` and ``is_canceled()`` (raises
    :class:`~..progress.Canceled`) every :data:`ROWS_PER_STEP` rows: 20,000 patches take some 10 s."""
    sheet = book.create_sheet("图斑清单")
    columns = [c for _, c in PATCH_LIST_COLUMNS]
    title(sheet, heading, len(columns))
    for j, col in enumerate(columns, start=1):
        write_cell(sheet, 2, j, col.header)
    border = grid_border()
    for i, fact in enumerate(facts, start=3):
        if (i - 3) % ROWS_PER_STEP == 0:
            if is_canceled is not None and is_canceled():
                raise Canceled(NOT_WRITTEN)
            if progress is not None:
                progress((i - 3) / max(len(facts), 1))
        for j, (key, col) in enumerate(PATCH_LIST_COLUMNS, start=1):
            write_cell(sheet, i, j, _as_cell(col, patch_list_value(fact, key, town_names)), col.fmt, border)
    jcbh_col = next(j for j, (k, _) in enumerate(PATCH_LIST_COLUMNS, start=1) if k == "JCBH")
    style_sheet(sheet, columns, 2, jcbh_col, len(facts), bordered=True)
    print_setup(sheet, heading, 2, repeat_columns=jcbh_col)


def write_batches(book, batches: Sequence[Sequence[Any]], heading: str) -> None:
    """批次进度: both deadlines and the stage of every batch."""
    sheet = book.create_sheet("批次进度")
    cols = [Col("批次"), Col("接收日期", DATE_FORMAT), Col("合法性判定期限", DATE_FORMAT),
            Col("月报(一上)期限", DATE_FORMAT), Col("上报阶段"), Col("是否锁定"), Col("图斑数", COUNT_FORMAT),
            Col("上报快照数", COUNT_FORMAT)]
    title(sheet, heading, len(cols))
    for j, col in enumerate(cols, start=1):
        write_cell(sheet, 2, j, col.header)
    for i, row in enumerate(batches, start=3):
        for j, (col, value) in enumerate(zip(cols, row), start=1):
            write_cell(sheet, i, j, _as_cell(col, value), col.fmt)
    style_sheet(sheet, cols, 2, 1, len(batches))
    print_setup(sheet, heading, 2)


#: Shares of :func:`write_report`'s progress: the patch list's rows, the other sheets, saving the file.
_LIST_SHARE, _SHEETS_SHARE = 0.55, 0.1


def write_report(path: Path, facts: Sequence[PatchFact], stats: Statistics, town_names: dict[str, str],
                 criteria: Sequence[tuple[str, str, float]], render: Render = lambda m: m.render(),
                 district: str = "", batches: Sequence[Sequence[Any]] = (),
                 quarters: Sequence[QuarterFigures] = (), trend: Trend | None = None, *,
                 progress: Optional[ProgressCallback] = None, is_canceled: Optional[CancelCheck] = None) -> Path:
    """Write the whole workbook to ``path`` (via a temporary file, so a failure leaves no half file).

    ``render`` gives the explanations' language (the rule set's, not the UI's);
    ``quarters`` the 季度统计 rows (:func:`~.quarters.quarterly_statistics`);
    ``trend`` the 趋势 sheet's months (:func:`~.trends.compute_trend`), no sheet when None.
    ``progress(fraction)`` follows the patch rows, then the other sheets and the save;
    ``is_canceled()`` is asked until the file is written, and a cancel
    (:class:`~..progress.Canceled`) leaves ``path`` as it was.
    """
    from openpyxl import Workbook

    def report(fraction: float) -> None:
        if progress is not None:
            progress(fraction)

    def check() -> None:
        if is_canceled is not None and is_canceled():
            raise Canceled(NOT_WRITTEN)

    period = stats.period.label if stats.period else "全部"
    book = Workbook()
    book.remove(book.active)
    write_patch_list(book, facts, town_names, f"{district}卫片执法图斑清单（{period}）",
                     lambda f: report(f * _LIST_SHARE), is_canceled)
    report(_LIST_SHARE)
    write_town_statistics(book, stats, f"{district}卫片执法镇街统计（{period}）")
    write_mining(book, stats, f"{district}违法采矿图斑统计（{period}）")
    write_findings(book, stats, render, f"{district}卫片执法考核预警（{period}）")
    write_ranking(book, stats, criteria, f"{district}卫片执法镇街约谈排名（{period}）")
    write_summary(book, stats, f"{district}卫片执法月度汇总（{period}）")
    write_quarters(book, quarters, f"{district}卫片执法季度统计（{period}）", stats)
    if trend is not None:
        from .excel_trends import write_trend

        write_trend(book, trend, f"{district}卫片执法趋势（{trend.year}年）")
    write_batches(book, batches, f"{district}卫片执法批次进度")
    book.properties.title = f"卫片执法报表 {period}"
    book.properties.creator = "WPZF"
    check()
    report(_LIST_SHARE + _SHEETS_SHARE)
    path = Path(path)
    with replaced_whole(path) as partial:
        book.save(partial)  # (openpyxl cannot be interrupted: about a third of the time)
        check()
    report(1.0)
    return path
