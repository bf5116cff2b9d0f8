"""The workbook's 趋势 sheet (month × town, line charts) on the hand-built year; LibreOffice opens it.

工作方案: "分析各镇街违法形势和趋势"; 四(二) "全区查处整改情况统计时间截至2022年12月31日". The year is
tests/helpers/trend_district.py; its month-by-month figures are computed by hand in
tests/unit/test_reporting_trends.py — here they must arrive in the cells unchanged.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from trend_district import build


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def workbook(tmp_path_factory, wpzf_processing) -> Path:
    from qgis import processing

    folder = tmp_path_factory.mktemp("trend_sheet")
    out = folder / "报表.xlsx"
    processing.run("wpzf:exportreport", {"WORKSPACE": str(build(folder / "ws.gpkg")), "PERIOD": "2022",
                                         "OUTPUT": str(out)})
    return out


def block(sheet, label: str) -> list[tuple]:
    """The rows of one figure (指标 = ``label``): (月份, 截止日期, 全区, 甲镇, 乙镇)."""
    return [row[1:6] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == label]


def test_the_trend_sheet_holds_the_hand_computed_months(workbook):
    from openpyxl import load_workbook

    sheet = load_workbook(workbook)["趋势"]
    assert [c.value for c in sheet[3]][:5] == ["指标", "月份", "统计截止日期", "永川区", "甲镇"]
    assert sheet.cell(3, 6).value == "乙镇"
    rectified = block(sheet, "已整改(个)")
    assert [r[0] for r in rectified] == [f"2022-{m:02d}" for m in range(1, 13)]
    assert rectified[6][1] == dt.datetime(2022, 7, 31)  # an Excel date
    # A1 (甲镇) rectified 04-20, B2 (乙镇) 07-10
    assert [r[2:] for r in rectified][2:7] == [(0, 0, 0), (1, 1, 0), (1, 1, 0), (1, 1, 0), (2, 1, 1)]
    # still occupied: Feb 4 − 2 复耕 = 2; Mar + 3 (B1) + 8 (B2); Jul B2's 补办耕地 8 → 乙镇 0
    after = block(sheet, "整改后违法占用耕地(亩)")
    assert [r[2] for r in after][:7] == pytest.approx([4, 2, 13, 11, 11, 12, 4])
    assert after[-1][2:] == pytest.approx((4, 4, 0))
    assert [r[2] for r in block(sheet, "下发图斑(个)")] == [2, 2, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6]
    # the December row is the 镇街统计 合计 row (same period, same date)
    book = load_workbook(workbook)
    totals = {c.value: i for i, c in enumerate(book["镇街统计"][3], start=1)}
    total_row = next(r for r in book["镇街统计"].iter_rows(min_row=4, values_only=True) if r[0] == "合计")
    assert block(sheet, "违法图斑(个)")[-1][2] == total_row[totals["违法图斑数"] - 1] == 4
    assert len(sheet._charts) == 2
    titles = [c.title.tx.rich.p[0].r[0].t for c in sheet._charts]
    assert titles == ["全区各月累计（个）", "整改后违法占用耕地（亩）"]
    assert [s.tx.v for s in sheet._charts[1].series] == ["永川区", "甲镇", "乙镇"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_workbook_and_reads_the_trend_sheet(workbook, tmp_path):
    # LibreOffice 7.2+: the 12th CSV token picks the sheet (趋势 is the 7th)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,7',
                    "--outdir", str(tmp_path), str(workbook)], check=True, capture_output=True, timeout=300)
    found = list(tmp_path.glob("*.csv"))
    assert len(found) == 1, found
    rows = list(csv.reader(found[0].open(encoding="utf-8")))
    assert rows[2][:5] == ["指标", "月份", "统计截止日期", "永川区", "甲镇"]
    after = [r for r in rows if r and r[0] == "整改后违法占用耕地(亩)"]
    assert [float(r[3]) for r in after][:7] == pytest.approx([4, 2, 13, 11, 11, 12, 4])  # raw values, not as shown
