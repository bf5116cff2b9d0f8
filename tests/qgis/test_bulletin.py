"""wpzf:bulletin on a hand-built year: the PDF's pages and words, the images, the numbers of wpzf:townstatistics.

工作方案: "分析各镇街违法形势和趋势，适时通报工作进展情况"; 五(三) the lines "初始违法占用耕地 ≥100 亩", "整改后
仍 >50 亩", "违法占耕比例 >15 %"; 四(三) 约谈 "综合评估和统计排序". The year is tests/helpers/trend_district.py
(its table lists every patch and record; tests/unit/test_reporting_trends.py computes its trend by hand).
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException
from trend_district import NAMES, build

from wpzf.domain.reporting.trends import compute_progress, progress_finding, town_findings

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("bulletin") / "ws.gpkg")


def year_facts(path: Path):
    from wpzf.domain.reporting.facts import load_facts
    from wpzf.domain.rules import available_rulesets, load_ruleset
    from wpzf.domain.workspace.store import Workspace

    ws = Workspace.open(path)
    try:
        return load_facts(ws), load_ruleset(available_rulesets()["2022-chongqing"])
    finally:
        ws.close()


def year_statistics(path: Path):
    from wpzf.domain.reporting.periods import parse_period
    from wpzf.domain.reporting.statistics import compute_statistics

    facts, ruleset = year_facts(path)
    return compute_statistics(facts, ruleset, parse_period("2022"), NAMES)


def rendered(message) -> str:
    from wpzf.processing.report_language import report_render

    return flat(report_render("zh_CN")(message))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def flat(text: str) -> str:
    """pdftotext writes some CJK characters as their compatibility forms (⽚ for 片): fold them back."""
    import unicodedata

    return unicodedata.normalize("NFKC", text)


def test_the_year_bulletin_says_the_lines_the_towns_and_the_statistics_figures(year, tmp_path):
    out, images = tmp_path / "通报.pdf", tmp_path / "images"
    result = run("bulletin", WORKSPACE=str(year), PERIOD="2022", OUTPUT=str(out), OUTPUT_IMAGES=str(images))
    stats = run("townstatistics", WORKSPACE=str(year), PERIOD="2022", OUTPUT="memory:")
    assert result["AS_OF"] == stats["AS_OF"] == "2022-12-31"
    text = flat(pdf_text(out))
    assert text.count("\f") == result["PAGES"] >= 2
    assert "永川区卫片执法工作通报" in text and "2022年度(数据截至2022年12月31日)" in text
    # the three lines with the figures wpzf:townstatistics gives for the same period
    assert "≥ 100 亩(扣分)" in text and "> 50 亩(扣分)" in text and "> 15%(问责)" in text
    assert f"{stats['ILLEGAL_FARMLAND_MU']:.2f} 亩" == "16.00 亩" and "16.00 亩" in text
    assert f"{stats['AFTER_RECTIFICATION_MU']:.2f} 亩" == "4.00 亩" and "4.00 亩" in text
    assert f"{stats['RATIO'] * 100:.2f}%" == "76.19%" and "76.19%" in text  # 16 ÷ (5 + 16)
    # the map legend, the towns (map labels, ranking, sentences), 约谈 in rule-set order
    assert "镇街违法占用耕地(亩)" in text and "监测图斑(按判定类型)" in text and "千米" in text
    ranking = text[text.index("五、镇街排名"):]
    assert ranking.index("甲镇") < ranking.index("乙镇")
    # both towns proposed (interview_top = 3 > 2 towns): the table's 约谈 column and each town's sentence
    assert ranking.count("建议约谈") == 4 and ranking.count("),建议约谈。") == 2
    first = rendered(town_findings(year_statistics(year))[0][3])  # the rule set's language, as the workbook
    assert "33%" in first and " ".join(first.split()) in " ".join(ranking.split())
    # images: both charts as PNG and SVG, the map, every page
    for name in ("趋势图.png", "整改进度图.png", "分布图.png", "通报_第1页.png", f"通报_第{result['PAGES']}页.png"):
        assert (images / name).stat().st_size > 10_000, name
    for name in ("趋势图.svg", "整改进度图.svg"):
        assert (images / name).read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_the_quarter_bulletin_reports_the_progress_since_the_previous_one(year, tmp_path):
    out = tmp_path / "q3.pdf"
    result = run("bulletin", WORKSPACE=str(year), PERIOD="2022-Q3", OUTPUT=str(out))
    assert result["AS_OF"] == "2022-09-30" and result["OUTPUT_IMAGES"] is None
    text = " ".join(flat(pdf_text(out)).split())
    # no patch was received in Q3: the lines count nothing, the year's trend still shows; since 06-30 乙镇's B2 was
    # rectified (补办 耕地 8 亩 on 07-10): farmland still occupied 12 → 4 亩 in the district, 8 → 0 亩 in 乙镇
    facts, ruleset = year_facts(year)
    sentence = rendered(progress_finding(compute_progress(facts, ruleset, dt.date(2022, 6, 30), dt.date(2022, 9, 30))))
    assert "2022-06-30" in sentence and "12.00" in sentence and " ".join(sentence.split()) in text
    progress = text[text.index("六、与上期通报相比"):]
    assert "乙镇 0 0 0 1 8.00 → 0.00" in progress and "永川区 0 0 0 1 12.00 → 4.00" in progress
    assert "甲镇 0 0 0 0" not in progress  # a town where nothing moved is not listed


def test_a_bulletin_needs_a_period(year, tmp_path):
    with pytest.raises(QgsProcessingException, match="period"):
        run("bulletin", WORKSPACE=str(year), PERIOD="", OUTPUT=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_without_matplotlib_the_bulletin_says_how_to_install_it(year, tmp_path, monkeypatch):
    from wpzf import dependencies

    real = dependencies.importlib.import_module

    def no_matplotlib(name, *args):
        if name == "matplotlib":
            raise ImportError("No module named 'matplotlib'")
        return real(name, *args)

    monkeypatch.setattr(dependencies.importlib, "import_module", no_matplotlib)
    with pytest.raises(QgsProcessingException, match="matplotlib.*install"):
        run("bulletin", WORKSPACE=str(year), PERIOD="2022", OUTPUT=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
