"""The report workbook's 违法采矿 sheet: the statistics' mining block per town and 合计 (issue 20).

Issue 20: "town statistics and the workbook count 违法采矿 patches, area and rectification
(停产/关闭/恢复治理) separately from land figures". Hand-computed case (the same patches as
test_mining_statistics.py): town A has 无证开采 3 亩 (1 亩 farmland, 停产, nothing rectified) and
越界开采 2 亩 (0.5 亩 farmland, 恢复治理 finished); town B 违法采矿 1.5 亩 (关闭, not finished).
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess

import pytest

from wpzf.domain.reporting.excel import write_report
from wpzf.domain.reporting.excel_mining import SHEET
from wpzf.domain.reporting.facts import PatchFact
from wpzf.domain.reporting.statistics import compute_statistics
from wpzf.domain.rules import RULES_FOLDER, load_ruleset
from wpzf.domain.units import M2_PER_MU

A, B = "500118001", "500118002"
NAMES = {A: "甲镇", B: "乙镇"}
approx = pytest.approx


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def fact(fid, town, **values):
    values.setdefault("TBMJ", values.get("WFMJ", 1.0) * M2_PER_MU)
    return PatchFact(fid, f"P{fid}", "2022-07", dt.date(2022, 7, 1), town, values={"JCBH": f"P{fid}", **values})


FACTS = [
    fact(1, A, PDLX="违法", JTQX="违法采矿", WFLX="无证开采", WFMJ=3.0, WFGDMJ=1.0, WFJBNTMJ=0.0,
         ZGFS="停产", SYWZGMJ=3.0),
    fact(2, A, PDLX="违法", JTQX="违法采矿", WFLX="越界开采", WFMJ=2.0, WFGDMJ=0.5, WFJBNTMJ=0.0,
         ZGFS="恢复治理", CCMJ=2.0, SYWZGMJ=0.0, ZGWCSJ="2022-10-01"),
    fact(3, A, PDLX="违法", JTQX="非农违法", WFMJ=4.0, WFGDMJ=4.0, WFJBNTMJ=0.0),  # land only
    fact(4, A, PDLX="合法", JTQX="持证开采", GDMJ=0.0),  # legal mining: not counted
    fact(5, B, PDLX="违法", JTQX="违法采矿", WFMJ=1.5, WFGDMJ=0.0, WFJBNTMJ=0.0, ZGFS="关闭"),
]
HEADERS = ["镇街代码", "镇街名称", "违法采矿图斑数", "违法采矿面积(亩)", "其中占用耕地(亩)", "已整改(个)",
           "已整改面积(亩)", "未整改面积(亩)", "停产(个)", "关闭(个)", "恢复治理(个)"]
# per row: count, 亩, farmland 亩, rectified count, rectified 亩, unrectified 亩, 停产, 关闭, 恢复治理
EXPECTED = {
    A: [2, 5.0, 1.5, 1, 2.0, 3.0, 1, 0, 1],
    B: [1, 1.5, 0.0, 0, 0.0, 1.5, 0, 1, 0],
    "合计": [3, 6.5, 1.5, 1, 2.0, 4.5, 1, 1, 1],
}


def _write(ruleset, facts, path):
    stats = compute_statistics(facts, ruleset, town_names=NAMES)
    return write_report(path, facts, stats, NAMES, [], district="永川区")


@pytest.fixture(scope="module")
def workbook_path(ruleset, tmp_path_factory):
    return _write(ruleset, FACTS, tmp_path_factory.mktemp("xl") / "报表.xlsx")


def test_mining_sheet_rows_per_town_and_total(workbook_path):
    from openpyxl import load_workbook

    book = load_workbook(workbook_path)
    assert book.sheetnames.index(SHEET) == book.sheetnames.index("镇街统计") + 1
    sheet = book[SHEET]
    assert [c.value for c in sheet[3]] == HEADERS
    rows = {sheet.cell(row=r, column=1).value: [c.value for c in sheet[r]] for r in range(4, sheet.max_row + 1)}
    assert set(rows) == {A, B, "合计"}
    assert rows[A][1] == "甲镇"
    for code, expected in EXPECTED.items():
        assert rows[code][2:] == [approx(v) for v in expected], code
    assert sheet.cell(row=4, column=4).number_format == "0.00"  # 亩 shown to 2 decimals, stored unrounded


def test_land_only_workbook_has_no_mining_sheet(ruleset, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(_write(ruleset, [FACTS[2]], tmp_path / "land.xlsx"))
    assert SHEET not in book.sheetnames and "镇街统计" in book.sheetnames


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_mining_sheet(workbook_path, tmp_path):
    """LibreOffice reads the workbook; its csv of the 违法采矿 sheet carries the 合计 row (3 patches, 6.50 亩)."""
    sheets = "44,34,76,1,,0,false,true,true,false,false,-1"  # values as shown; -1: every sheet
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    f"csv:Text - txt - csv (StarCalc):{sheets}", "--outdir", str(tmp_path), str(workbook_path)],
                   check=True, capture_output=True, timeout=180)
    out = tmp_path / f"{workbook_path.stem}-{SHEET}.csv"
    with out.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[2] == HEADERS
    total = next(r for r in rows if r and r[0] == "合计")
    assert total[2:5] == ["3", "6.50", "1.50"] and total[8:] == ["1", "1", "1"]
