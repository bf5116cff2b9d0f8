"""The workbook's explanations are in the rule set's language (Chinese), whatever QGIS's UI language.

工作方案: the office hands the workbook to the city; a technician running QGIS in
English must still produce Chinese explanations, and the export must not switch
the UI's language.
"""
from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QCoreApplication
from reporting_district import build

from wpzf.domain.messages import Message


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def english_ui() -> bool:
    return QCoreApplication.translate("domain", "reaches") == "reaches"


def test_report_render_uses_the_catalogue_of_the_language_asked_for():
    from wpzf.processing.report_language import report_render

    assert english_ui()  # no Chinese translator installed in the application
    nested = Message("{verdict}", verdict=Message("reaches"))
    assert report_render("zh_CN")(nested) == "达到"
    assert report_render("zh-Hans")(Message("stays below")) == "未达到"  # QGIS's spelling of the locale
    assert report_render("en")(nested) == "reaches"
    assert english_ui()  # the catalogue was never installed app-wide


def test_findings_are_written_in_chinese_with_an_english_ui(tmp_path):
    from openpyxl import load_workbook
    from qgis import processing

    assert english_ui()
    target = tmp_path / "报表.xlsx"
    processing.run("wpzf:exportreport", {"WORKSPACE": str(build(tmp_path / "ws.gpkg")), "PERIOD": "2022",
                                         "OUTPUT": str(target)})
    sheet = load_workbook(target)["考核预警"]
    rows = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=5).value for r in (4, 5, 6)}
    ratio = rows["违法占耕比例"]
    # 五(三): 22 亩 counted illegal farmland / 27 亩 farmland taken by new construction, as at 2022-12-31
    assert "违法占耕比例" in ratio and "81.48" in ratio and "2022-12-31" in ratio, ratio
    assert "mu" not in ratio.split() and "亩" in ratio
    for key in ("初始违法占耕面积(亩)", "整改后违法占耕面积(亩)"):
        assert "亩" in rows[key] and "deduction" not in rows[key], rows[key]
    assert english_ui()
