"""wpzf:annualsummary: the .docx opens, follows the plan's structure and its numbers are the statistics'.

工作方案 四(二): "根据全年4个季度卫片执法成果和违法图斑查处整改最新进展情况，形成2022年卫片执法工作书面总结…
全区查处整改情况统计时间截至2022年12月31日". The year is tests/helpers/trend_district.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from trend_district import build

from wpzf.domain.reporting.annual import SECTIONS

docx = pytest.importorskip("docx")


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


def test_the_draft_has_the_plans_sections_the_years_figures_and_placeholders(tmp_path):
    workspace = build(tmp_path / "ws.gpkg")
    result = run("annualsummary", WORKSPACE=str(workspace), OUTPUT=str(tmp_path / "总结"))
    assert result["OUTPUT"] == str(tmp_path / "总结.docx")
    stats = run("townstatistics", WORKSPACE=str(workspace), PERIOD="2022", OUTPUT="memory:")
    document = docx.Document(result["OUTPUT"])
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == list(SECTIONS)
    assert paragraphs[0] == "永川区2022年卫片执法工作书面总结（初稿）"
    assert "统计截止日期：2022-12-31" in paragraphs[1]
    body = "\n".join(paragraphs)
    # the year's figures = wpzf:townstatistics PERIOD=2022 as at 2022-12-31 (6 delivered, 4 illegal, 16 → 4 亩)
    assert "全年下发监测图斑 6 个" in body and "违法图斑 4 个" in body and "其中已整改 2 个" in body
    assert f"{stats['ILLEGAL_FARMLAND_MU']:.2f} 亩" in body and f"{stats['RATIO'] * 100:.2f}%" in body
    assert "建议约谈：甲镇、乙镇" in body
    placeholders = [r for p in document.paragraphs for r in p.runs if r.text.startswith("【待填写")]
    assert len(placeholders) == 5 and all(r.font.highlight_color is not None for r in placeholders)
    # tables: the quarters (4 单季 + 4 累计), the towns + 合计, the ranking
    quarters, towns, ranking = document.tables
    q = [[c.text for c in row.cells] for row in quarters.rows]
    assert len(q) == 9 and q[4][:3] == ["单季", "2022年第4季度", "2022-12-31"]
    assert q[8][1:] == ["2022年第1—4季度", "2022-12-31", "6", "5", "4", "16.00", "4.00", "2"]
    # Q1 alone: A1 A2 (Jan) B1 B2 B3 (Mar), as at 03-31: A1's 复耕 2 of 02-15 → 13 亩 still occupied
    assert q[1][3:] == ["5", "4", "3", "15.00", "13.00", "0"]
    t = [[c.text for c in row.cells] for row in towns.rows]
    assert t[-1][0] == "永川区" and t[-1][2:6] == ["4", "16.00", "4.00", "2"]
    assert [row.cells[1].text for row in ranking.rows][1:] == ["甲镇", "乙镇"]
    assert len(document.inline_shapes) == 3  # map, trend, rectification


def test_a_missing_workspace_writes_nothing(tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException):
        run("annualsummary", WORKSPACE=str(tmp_path / "missing.gpkg"), YEAR=2022, OUTPUT=str(tmp_path / "x.docx"))
    assert not Path(tmp_path / "x.docx").exists()
