"""The report workbook as an office uses it: dates that sort, Chinese 亩 headers, quarters, printing.

Facts are built by hand (no workspace) with patches received in different
quarters, so every quarterly figure can be checked with a pencil.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess

import pytest
from openpyxl.utils import get_column_letter

from wpzf.domain.reporting.excel import write_report
from wpzf.domain.reporting.facts import PatchFact
from wpzf.domain.reporting.periods import Period, parse_period
from wpzf.domain.reporting.quarters import CUMULATIVE, SINGLE, quarterly_statistics
from wpzf.domain.reporting.statistics import compute_statistics
from wpzf.domain.rules import RANKING_METRICS, RULES_FOLDER, load_ruleset
from wpzf.domain.units import M2_PER_MU

approx = pytest.approx
TOWN = "500118101"
STATISTICS_SHEETS = ("镇街统计", "考核预警", "约谈排名", "月度汇总", "季度统计")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def mu(n: float) -> float:
    return n * M2_PER_MU


def fact(fid: int, jcbh: str, received: str, **values) -> PatchFact:
    return PatchFact(fid=fid, jcbh=jcbh, batch=received[:7], received=dt.date.fromisoformat(received), town=TOWN,
                     values={"JCBH": jcbh, "XZQDM": TOWN, **values})


FACTS = [
    # Q1: 10 亩 legal 农用地转用; 4 亩 illegal, demolished and re-cultivated on 15 May (after Q1's end)
    fact(1, "A", "2022-02-10", TBMJ=mu(10), GDMJ=mu(10), PDLX="合法", JTQX="农用地转用", PDQX="2022-03-02",
         PDSJ="2022/3/1", QSX="20211015", HSX="2022-01", XGSJ="2022-03-01T02:03:04.567Z"),
    fact(2, "B", "2022-02-10", TBMJ=mu(4), GDMJ=mu(4), PDLX="违法", JTQX="非农违法", WFMJ=4, WFGDMJ=4, WFJBNTMJ=0,
         SFLA=1, LASJ="2022年3月5日", JSSJ="2021", ZGFS="拆除复耕", CCMJ=4, FGMJ=4, BBMJ=0, SYWZGMJ=0, YZGMJ=4,
         ZGWCSJ="2022-05-15", XGSJ="t0"),
    # Q2: 6 亩 illegal with 5 亩 farmland; an unchanged patch
    fact(3, "C", "2022-05-06", TBMJ=mu(6), GDMJ=mu(5), PDLX="违法", JTQX="非农违法", WFMJ=6, WFGDMJ=5, WFJBNTMJ=0),
    fact(4, "D", "2022-05-06", TBMJ=mu(3), GDMJ=0, PDLX="其他", JTQX="实地未变化"),
    # Q3: 20 亩 legal construction; Q4: 3 亩 illegal farmland
    fact(5, "E", "2022-08-01", TBMJ=mu(20), GDMJ=mu(20), PDLX="合法", JTQX="农用地转用"),
    fact(6, "F", "2022-11-01", TBMJ=mu(3), GDMJ=mu(3), PDLX="违法", JTQX="非农违法", WFMJ=3, WFGDMJ=3, WFJBNTMJ=0),
]
BATCHES = [("2022-02", "2022-02-10", "2022-03-02", "2022-03-20", "锁定", "是", 2, 1)]


@pytest.fixture(scope="module")
def book(ruleset, tmp_path_factory):
    from openpyxl import load_workbook

    period = parse_period("2022")
    stats = compute_statistics(FACTS, ruleset, period, {TOWN: "卫星湖街道"})
    quarters = quarterly_statistics(FACTS, ruleset, period, {TOWN: "卫星湖街道"})
    criteria = [(c.metric, RANKING_METRICS[c.metric], c.weight) for c in ruleset.ranking.criteria]
    path = write_report(tmp_path_factory.mktemp("xl") / "报表.xlsx", FACTS, stats, {TOWN: "卫星湖街道"}, criteria,
                        district="永川区", batches=BATCHES, quarters=quarters)
    book = load_workbook(path)
    book.wpzf_path = path  # for the printing check, which opens the file itself
    return book


def header_index(sheet, row: int) -> dict[str, int]:
    return {c.value: c.column for c in sheet[row] if c.value is not None}


def test_dates_are_excel_dates_that_sort(book):
    """Dates sort and filter as dates; a year or month alone ('2021', '2022-01') stays as written."""
    sheet = book["图斑清单"]
    col = header_index(sheet, 2)
    rows = {sheet.cell(row=r, column=col["监测编号"]).value: r for r in range(3, sheet.max_row + 1)}

    def cell(jcbh, header):
        return sheet.cell(row=rows[jcbh], column=col[header])

    for jcbh, header, day in (("A", "判定期限", dt.date(2022, 3, 2)), ("A", "判定时间", dt.date(2022, 3, 1)),
                              ("A", "前时相", dt.date(2021, 10, 15)), ("B", "立案时间", dt.date(2022, 3, 5)),
                              ("B", "整改完成时间", dt.date(2022, 5, 15))):
        c = cell(jcbh, header)
        assert isinstance(c.value, dt.datetime) and c.value.date() == day and c.number_format == "yyyy-mm-dd", header
        assert c.is_date
    stamp = cell("A", "修改时间(UTC)")  # stored UTC stamp, kept in UTC (the header says so)
    assert stamp.value == dt.datetime(2022, 3, 1, 2, 3, 4) and stamp.number_format == "yyyy-mm-dd hh:mm"
    assert cell("A", "后时相").value == "2022-01" and cell("A", "后时相").data_type == "s"
    assert cell("B", "建设时间").value == "2021" and cell("B", "修改时间(UTC)").value == "t0"
    batches = book["批次进度"]
    assert [c.value for c in batches[3]][:4] == ["2022-02", dt.datetime(2022, 2, 10), dt.datetime(2022, 3, 2),
                                                 dt.datetime(2022, 3, 20)]
    assert batches.cell(row=3, column=2).number_format == "yyyy-mm-dd"


def test_statistics_sheets_have_chinese_headers_in_mu(book):
    for name in STATISTICS_SHEETS:
        sheet = book[name]
        headers = [c.value for c in sheet[3] if c.value is not None]
        assert headers, name
        assert not [h for h in headers if re.fullmatch(r"[A-Z]{2,}", str(h))], name
        assert not [h for h in headers if "平方米" in str(h) or "m²" in str(h)], name
        assert sheet.cell(row=2, column=1).value.startswith("统计截止日期：2022-12-31")
    towns = book["镇街统计"]
    col = header_index(towns, 3)
    for header in ("合法新增建设占用耕地(亩)", "违法新增建设占用耕地(亩)", "新增建设占用耕地合计(亩)", "计入问责违法占耕(亩)",
                   "非粮化图斑数", "非粮化面积(亩)", "已整改耕地(复耕+补办耕地)(亩)", "立案数", "结案数",
                   "锁定后录入整改进展图斑数"):
        assert header in col, header
    total = {h: towns.cell(row=5, column=j).value for h, j in col.items()}
    assert total["镇街代码"] == "合计"
    # 五(三): denominator = legal 10 + 20 亩 + illegal 4 + 5 + 3 亩 = 42 亩; numerator 12 亩
    assert (total["合法新增建设占用耕地(亩)"], total["违法新增建设占用耕地(亩)"]) == (approx(30), approx(12))
    assert total["新增建设占用耕地合计(亩)"] == approx(42) and total["违法占耕比例"] == approx(12 / 42)
    assert total["已整改耕地(复耕+补办耕地)(亩)"] == approx(4) and total["立案数"] == 1
    for check in ("校验:总−(已整改+未整改)(亩)", "校验:已整改−(拆除+补办)(亩)", "校验:新增建设合计−(合法+违法)(亩)"):
        assert total[check] == approx(0, abs=1e-9)
    assert towns.cell(row=5, column=col["非粮化面积(亩)"]).number_format == "0.00"
    assert towns.auto_filter.ref.endswith("4")  # the 合计 row stays out of sorting


def test_every_sheet_prints_landscape_one_page_wide_wide_ones_on_a3(book):
    for sheet in book.worksheets:
        setup = sheet.page_setup
        paper = 8 if sheet.max_column > 30 else 9  # 8 = A3, 9 = A4
        assert setup.orientation == "landscape" and setup.paperSize == paper, sheet.title
        across = 1 if sheet.title != "图斑清单" else 3  # see the next test
        assert setup.fitToWidth == across and setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows and sheet.freeze_panes, sheet.title
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert sheet.oddHeader.center.text.startswith("永川区卫片执法")


def test_the_patch_list_prints_legibly_across_pages_with_the_patch_identity_on_each(book):
    """73 columns one page wide printed at a quarter of their size (2.6 pt text in LibreOffice's PDF): the list
    goes as many A3 pages across as keep it at 60 % or more, 批次…监测编号 repeated on each, row bands across first."""
    from wpzf.domain.reporting.excel_cells import LIST_MIN_SCALE, MM_PER_WIDTH_UNIT, PRINTABLE_MM, pages_wide

    sheet = book["图斑清单"]
    assert [sheet.cell(row=2, column=j).value for j in range(1, 5)] == ["批次", "上报阶段", "镇街", "监测编号"]
    assert sheet.print_title_cols == "$A:$D" and sheet.page_setup.pageOrder == "overThenDown"
    widths = [sheet.column_dimensions[get_column_letter(j)].width for j in range(1, sheet.max_column + 1)]
    # by hand: the 4 repeated columns take w4 × 1.9 mm × 0.6 of each page; the other columns need
    # ceil(their width × 1.9 × 0.6 / (A3's 399.7 mm less that)) pages
    title_mm, rest_mm = sum(widths[:4]) * 1.9 * 0.6, sum(widths[4:]) * 1.9 * 0.6
    assert MM_PER_WIDTH_UNIT == 1.9 and LIST_MIN_SCALE == 0.6 and PRINTABLE_MM["A3"] == pytest.approx(399.68)
    assert sheet.page_setup.fitToWidth == math.ceil(rest_mm / (399.68 - title_mm)) == 3
    # so at the scale that fits 3 pages the text prints at 60 % or more
    assert (sum(widths[:4]) * 3 + sum(widths[4:])) * 1.9 / (3 * 399.68) <= 1 / LIST_MIN_SCALE
    assert pages_wide([10.0] * 5, 1, 399.68, 0.6) == 1  # a narrow list stays one page wide


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler-utils not installed")
def test_libreoffice_prints_the_patch_list_at_a_legible_size(book, tmp_path):
    """Printed by LibreOffice, the first page's patch rows carry their batch '2022-02' in text at least 6 pt
    tall (one page wide it was 2.6 pt), and the next page repeats 监测编号 before the next columns."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book.wpzf_path)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "报表.pdf"
    boxes = subprocess.run(["pdftotext", "-f", "1", "-l", "2", "-bbox", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    pages = boxes.split("<page ")[1:]
    heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">2022-02<',
                                                           pages[0])]
    assert heights and min(heights) >= 6.0, heights
    assert "监测编号" in pages[1] and "监测编号" in pages[0]


def test_quarters_equal_the_statistics_of_each_quarter(book, ruleset):
    """四(二): 根据全年4个季度卫片执法成果…形成书面总结 — each quarter alone and 1 Jan to its end, as at its end."""
    sheet = book["季度统计"]
    col = header_index(sheet, 3)
    rows = {(sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=2).value): r
            for r in range(4, sheet.max_row + 1)}
    assert len(rows) == 8

    def value(scope, label, header):
        return sheet.cell(row=rows[(scope, label)], column=col[header]).value

    for q in range(1, 5):
        quarter = parse_period(f"2022-Q{q}")
        single = compute_statistics(FACTS, ruleset, quarter, as_of=quarter.end).total
        span = Period("ytd", dt.date(2022, 1, 1), quarter.end)
        cumulative = compute_statistics(FACTS, ruleset, span, as_of=quarter.end).total
        label = "2022年第1季度" if q == 1 else f"2022年第1—{q}季度"
        for scope, lab, t in ((SINGLE, f"2022年第{q}季度", single), (CUMULATIVE, label, cumulative)):
            assert value(scope, lab, "统计截止日期") == dt.datetime.combine(quarter.end, dt.time())
            assert value(scope, lab, "下发图斑数(原始下发)") == t.issued_count
            assert value(scope, lab, "违法(个)") == t.decided["违法"]
            assert value(scope, lab, "违法占用耕地面积(亩)") == approx(t.illegal_farmland_mu)
            assert value(scope, lab, "整改后违法占用耕地(亩)") == approx(t.after_farmland_mu)
            assert value(scope, lab, "新增建设占用耕地合计(亩)") == approx(t.construction_farmland_mu)
            assert value(scope, lab, "违法占耕比例") == (approx(t.ratio) if t.ratio is not None else None)
    # by hand: B's re-cultivation (15 May) is not counted as at 31 Mar, it is as at 30 Jun
    assert value(SINGLE, "2022年第1季度", "整改后违法占用耕地(亩)") == approx(4)
    assert value(CUMULATIVE, "2022年第1—2季度", "整改后违法占用耕地(亩)") == approx(5)  # 4 + 5 − 4 复耕
    assert value(CUMULATIVE, "2022年第1—2季度", "违法占耕比例") == approx(9 / 19)  # (4 + 5) / (10 + 4 + 5)
    assert value(SINGLE, "2022年第3季度", "违法图斑数") == 0
    assert value(CUMULATIVE, "2022年第1—4季度", "违法占耕比例") == approx(12 / 42)


def test_month_period_holds_the_quarters_up_to_it(ruleset):
    quarters = quarterly_statistics(FACTS, ruleset, parse_period("2022-05"))
    assert [(q.scope, q.period.end) for q in quarters] == [
        (SINGLE, dt.date(2022, 3, 31)), (SINGLE, dt.date(2022, 6, 30)),
        (CUMULATIVE, dt.date(2022, 3, 31)), (CUMULATIVE, dt.date(2022, 6, 30))]
    assert quarters[-1].stats.total.issued_count == 4  # A, B, C, D received by 30 Jun


def test_rule_sets_report_in_chinese(ruleset):
    assert ruleset.language == "zh_CN"
