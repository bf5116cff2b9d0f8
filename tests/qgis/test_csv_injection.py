"""Issue 14 item 11: every CSV the product writes neutralises formula-like text, as the Excel export
does (one rule: domain/reporting/cell_text.py); control characters never crash the Excel export."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from judged_district import judged_rows
from reporting_district import build

from wpzf.domain.reporting.cell_text import REPLACEMENT, clean_control, csv_text
from wpzf.domain.workspace.store import connect

HOSTILE = {
    '=HYPERLINK("http://x","点我")': "'=HYPERLINK(\"http://x\",\"点我\")",
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "-12.5": "-12.5",  # a negative number written as text stays a number
    "缺少佐证": "缺少佐证",
}


@pytest.mark.parametrize("text, expected", HOSTILE.items())
def test_one_rule_for_csv_cells(text, expected):
    assert csv_text(text) == expected
    assert csv_text(-3.5) == -3.5 and csv_text(None) is None  # numbers and nulls untouched


def test_control_characters_are_replaced_not_raised():
    assert clean_control("违法\x01占地\x0b第二行\x00") == f"违法{REPLACEMENT}占地\n第二行{REPLACEMENT}"
    assert clean_control("a\tb\nc\r") == "a\tb\nc\r"  # XML allows these three


def _run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


def test_processing_output_saved_as_csv_is_neutralised(wpzf_processing, tmp_path):
    """wpzf:importfeedback copies the city's problem text into its OUTPUT; saved as .csv it must stay text."""
    ws = build(tmp_path / "ws.gpkg", patches=judged_rows())
    assert _run("submitstage", WORKSPACE=str(ws), BATCH="2022-05", TODAY="2022-05-20")["STAGE"] == "一上"
    problems = tmp_path / "一下.csv"
    payloads = ['=HYPERLINK("http://x","点我")', "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "-12.5"]
    with problems.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["监测编号", "问题描述"])
        for text in payloads:
            writer.writerow(["P1", text])
    out = tmp_path / "反馈结果.csv"
    _run("importfeedback", WORKSPACE=str(ws), BATCH="2022-05", INPUT=str(problems), OUTPUT=str(out))
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["WTMS"] for r in rows] == ["'" + payloads[0], "'" + payloads[1], "'" + payloads[2], "-12.5"]
    assert [r["JCBH"] for r in rows] == ["P1"] * 4  # plain text untouched
    again = build(tmp_path / "again.gpkg", patches=judged_rows())
    _run("submitstage", WORKSPACE=str(again), BATCH="2022-05", TODAY="2022-05-20")
    memory = _run("importfeedback", WORKSPACE=str(again), BATCH="2022-05", INPUT=str(problems), OUTPUT="memory:")
    assert [f["WTMS"] for f in memory["OUTPUT"].getFeatures()] == payloads  # only a .csv file is changed


def test_excel_export_survives_control_characters(wpzf_processing, tmp_path):
    from openpyxl import load_workbook

    ws = build(tmp_path / "ws.gpkg")
    with connect(ws) as conn:  # a 判定依据 pasted from Word: \x0b is its manual line break
        conn.execute("UPDATE jctb SET PDYJ = '依据\x01渝府地〔2022〕1号\x0b第二行', XGR = 't', XGSJ = 't1' "
                     "WHERE JCBH = 'P1'")
    target = tmp_path / "报表.xlsx"
    _run("exportreport", WORKSPACE=str(ws), PERIOD="2022-Q2", OUTPUT=str(target))
    sheet = load_workbook(target)["图斑清单"]
    values = [c.value for row in sheet.iter_rows(min_row=3) for c in row]
    assert f"依据{REPLACEMENT}渝府地〔2022〕1号\n第二行" in values


def test_demo_problem_list_csv_is_neutralised(tmp_path):
    """devtools/demo_casework.py writes the city's list with the same rule."""
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "devtools"))
    from demo_casework import write_csv_rows

    target = tmp_path / "list.csv"
    write_csv_rows(target, [["序号", "问题"], [1, "=1+1"], [2, "-3"]])
    with target.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [["序号", "问题"], ["1", "'=1+1"], ["2", "-3"]]
