"""Reporting algorithms on real workspaces: stages, feedback, town statistics, Excel, sampling."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from judged_district import judged_rows
from qgis.core import QgsProcessingException
from reporting_district import PATCHES, T1, T2, build

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


@pytest.fixture()
def hand(tmp_path) -> Path:
    path = build(tmp_path / "ws.gpkg")
    with gpkg_connect(path) as conn:  # a remark that would be a formula in a careless export
        conn.execute("UPDATE jctb SET BZ = '=HYPERLINK(\"http://x\")', XGR = 't', XGSJ = 't1' WHERE JCBH = 'P1'")
        conn.execute("UPDATE jctb SET BZ = '+86 023 4985', XGR = 't', XGSJ = 't1' WHERE JCBH = 'P2'")
        conn.execute("INSERT INTO wpzf_evidence (patch_fid, ZLLX, WJLJ, YSWJM, SHA256, WJDX, WH, XGR, XGSJ) "
                     "VALUES (1, '批文', 'P1/a.pdf', '农转用批复.pdf', 'ab', 10, '渝府地〔2022〕1号', 't', 't1')")
    return path


def test_town_statistics_algorithm_gives_the_hand_computed_rows(hand):
    result = run("townstatistics", WORKSPACE=str(hand), PERIOD="2022", OUTPUT="memory:")
    rows = {f["ZJDM"]: f for f in result["OUTPUT"].getFeatures()}
    assert set(rows) == {T1, T2, "合计"}
    assert rows[T1]["WFTBS"] == 2 and rows[T1]["WFGDMJ"] == pytest.approx(10)
    assert rows[T2]["XFTBS"] == 4 and rows[T2]["HSTBS"] == 5 and rows[T2]["WPDGS"] == 1
    # 五(三): 22 亩 counted / (5 亩 legal 农用地转用 + 22 亩 illegal construction); 临时用地 P7_2 is not construction
    assert rows["合计"]["JRWFGDMJ"] == pytest.approx(22) and rows["合计"]["WFZGBL"] == pytest.approx(22 / 27)
    assert rows["合计"]["YJ01"] + rows["合计"]["YJ02"] + rows["合计"]["YJ03"] == 3
    assert rows[T1]["JYJG"] == "通过"
    assert result["RATIO_EXCEEDED"] and not result["INITIAL_EXCEEDED"] and not result["AFTER_EXCEEDED"]
    assert result["RATIO"] == pytest.approx(22 / 27) and result["INTERVIEW"]
    assert result["AS_OF"] == "2022-12-31" and result["CONSTRUCTION_FARMLAND_MU"] == pytest.approx(27)
    assert (result["LEGAL_CONSTRUCTION_MU"], result["ILLEGAL_CONSTRUCTION_MU"]) == (pytest.approx(5), pytest.approx(22))
    assert "2022-12-31" in result["FINDINGS"]
    june = run("townstatistics", WORKSPACE=str(hand), PERIOD="2022", AS_OF="2022-06-29", OUTPUT="memory:")
    # P2 was finished on 2022-06-30: as at 2022-06-29 its 6 亩 farmland is still occupied (四(二) 统计截止)
    assert june["AS_OF"] == "2022-06-29" and june["AFTER_RECTIFICATION_MU"] == pytest.approx(result["AFTER_RECTIFICATION_MU"] + 6)


def test_export_report_workbook_cell_by_cell(hand, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "报表.xlsx"
    run("exportreport", WORKSPACE=str(hand), PERIOD="2022-Q2", OUTPUT=str(target))
    book = load_workbook(target)
    assert book.sheetnames == ["图斑清单", "镇街统计", "考核预警", "约谈排名", "月度汇总", "季度统计", "趋势", "批次进度"]
    day = dt.datetime  # dates are Excel dates (they sort and filter), read back as datetimes
    assert [c.value for c in book["批次进度"][3]][:5] == [
        "2022-05", day(2022, 5, 6), day(2022, 5, 26), day(2022, 6, 20), "核查中"]
    sheet = book["图斑清单"]
    headers = [c.value for c in sheet[2]]
    col = {h: i for i, h in enumerate(headers)}
    rows = {r[col["监测编号"]].value: r for r in sheet.iter_rows(min_row=3)}
    assert len(rows) == len(PATCHES) and sheet.freeze_panes is not None
    p1, p2 = rows["P1"], rows["P2"]
    assert p1[col["判定类型"]].value == "合法" and p1[col["批准文号"]].value == "渝府地〔2022〕1号"
    assert p1[col["佐证资料"]].value == "批文：农转用批复.pdf（渝府地〔2022〕1号）"
    assert p1[col["佐证资料数"]].value == 1
    assert p1[col["耕地面积(亩)"]].value == pytest.approx(5) and p1[col["耕地面积(亩)"]].number_format == "0.00"
    assert p2[col["移交情况"]].value.startswith("区规划自然资源局 2022-05-20")
    assert p2[col["是否立案"]].value == "是"
    for cell in (p1[col["备注"]], p2[col["备注"]]):  # user text stays text, never a formula
        assert cell.data_type == "s" and cell.value in ('=HYPERLINK("http://x")', "+86 023 4985")
    towns = book["镇街统计"]  # title, 统计截止日期, header, two towns, 合计
    assert towns.cell(row=2, column=1).value.startswith("统计截止日期：2022-06-30")
    header = [c.value for c in towns[3]]
    total = [c.value for c in towns[6]]
    assert total[0] == "合计" and towns[4][0].value == T1 and towns[5][0].value == T2
    j = header.index("违法占用耕地面积(亩)")
    assert total[j] == pytest.approx(towns[4][j].value + towns[5][j].value) == pytest.approx(22)
    assert towns.cell(row=6, column=j + 1).number_format == "0.00"
    ratio = header.index("违法占耕比例")
    assert towns.cell(row=6, column=ratio + 1).number_format == "0.00%"
    # 五(三): 22 亩 counted / (5 亩 legal 农用地转用 + 22 亩 illegal construction); 临时用地 P7_2 is not construction
    assert total[ratio] == pytest.approx(22 / 27)
    assert total[header.index("校验结果")] == "通过"
    findings = book["考核预警"]
    assert [findings.cell(row=r, column=4).value for r in (4, 5, 6)] == ["否", "否", "是"]
    assert "81.48" in findings.cell(row=6, column=5).value
    summary = book["月度汇总"]
    assert summary.cell(row=4, column=1).value == "2022-05" and len(summary._charts) == 1


def test_stage_cycle_through_the_algorithms(tmp_path):
    ws = build(tmp_path / "ws.gpkg", patches=judged_rows())  # judged patches: undecided ones cannot be submitted
    with pytest.raises(QgsProcessingException, match="核查中"):
        run("setstage", WORKSPACE=str(ws), BATCH="2022-05", ACTION=0)
    first = run("submitstage", WORKSPACE=str(ws), BATCH="2022-05", TODAY="2022-05-20")
    assert first["STAGE"] == "一上" and Path(first["SNAPSHOT"]).is_file()
    import hashlib

    assert hashlib.sha256(Path(first["SNAPSHOT"]).read_bytes()).hexdigest() == first["SHA256"]
    problems = tmp_path / "一下.csv"
    problems.write_text("监测编号,问题描述\nP1,缺少佐证\nZZZ,不存在\n", encoding="utf-8")
    fed = run("importfeedback", WORKSPACE=str(ws), BATCH="2022-05", INPUT=str(problems), OUTPUT="memory:")
    assert (fed["MARKED"], fed["UNKNOWN"], fed["ROUND"]) == (1, 1, 1)
    assert [f["PP"] for f in fed["OUTPUT"].getFeatures()] == ["是", "否"]
    assert run("submitstage", WORKSPACE=str(ws), BATCH="2022-05", TODAY="2022-05-21")["STAGE"] == "二上"
    assert run("setstage", WORKSPACE=str(ws), BATCH="2022-05", ACTION=0)["STAGE"] == "锁定"
    with gpkg_connect(ws) as conn, pytest.raises(sqlite3.DatabaseError, match="locked"):
        conn.execute("UPDATE jctb SET PDLX = '合法' WHERE JCBH = 'P1'")
    with pytest.raises(QgsProcessingException, match="reason"):
        run("setstage", WORKSPACE=str(ws), BATCH="2022-05", ACTION=2)
    assert run("setstage", WORKSPACE=str(ws), BATCH="2022-05", ACTION=2, REASON="市局要求更正P3")["STAGE"] == "二上"


def test_submission_with_quality_errors_is_refused(hand):
    with pytest.raises(QgsProcessingException, match="10 errors"):  # counted in tests/unit/test_reporting_stages.py
        run("submitstage", WORKSPACE=str(hand), BATCH="2022-05", TODAY="2022-05-20")
    with gpkg_connect(hand) as conn:
        assert conn.execute("SELECT JD FROM wpzf_batch").fetchone() == ("核查中",)
        assert conn.execute("SELECT count(*) FROM wpzf_snapshot").fetchone() == (0,)


@pytest.fixture(scope="module")
def judged_district(tmp_path_factory):
    """The generated small district, both batches imported, decisions filled as a technician would."""
    from qgis import processing

    from wpzf.sampledata import generate

    root = tmp_path_factory.mktemp("reporting")
    district = generate(root / "district", size="small", seed=20220513)
    ws = root / "ws.gpkg"
    for batch, received in (("2022-05", "2022-05-06"), ("2022-06", "2022-06-03")):
        processing.run("wpzf:importpatches", {"INPUT": str(district.batches[batch]), "WORKSPACE": str(ws),
                                              "BATCH": batch, "RECEIVED": received})
    occupation = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": f"{ws}|layername=jctb", "LANDUSE": f"{district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "OUTPUT": "memory:"})["OUTPUT"]
    areas = {f["JCBH"]: (f["TBMJ"], f["GDMJ"], f["JBNTMJ"]) for f in occupation.getFeatures()}
    with gpkg_connect(ws) as conn:
        for i, (fid, jcbh) in enumerate(conn.execute("SELECT fid, JCBH FROM jctb ORDER BY fid").fetchall()):
            tbmj, gdmj, jbnt = areas[jcbh]
            pdlx = ("违法", "合法", "其他", None)[i % 4]
            values = dict(TBMJ=tbmj, GDMJ=gdmj, JBNTMJ=jbnt, PDLX=pdlx)
            if pdlx == "违法":
                values.update(WFMJ=tbmj / 666.6666666666666, WFGDMJ=gdmj / 666.6666666666666,
                              WFJBNTMJ=jbnt / 666.6666666666666)
            sets = ", ".join(f"{k} = ?" for k in values)
            conn.execute(f"UPDATE jctb SET {sets}, XGR = 't', XGSJ = 't1' WHERE fid = ?", (*values.values(), fid))
    return district, ws


def test_demo_district_totals_equal_the_sum_of_patch_values(judged_district):
    district, ws = judged_district
    result = run("townstatistics", WORKSPACE=str(ws), PERIOD="2022", OUTPUT="memory:",
                 TOWNS=f"{district.xzq}|layername=XZQ")
    rows = {f["ZJDM"]: f for f in result["OUTPUT"].getFeatures()}
    total = rows.pop("合计")
    with gpkg_connect(ws) as conn:
        n, illegal, farmland, jbnt = conn.execute(
            "SELECT count(*), sum(PDLX = '违法'), sum(CASE WHEN PDLX = '违法' THEN WFGDMJ END), "
            "sum(CASE WHEN PDLX = '违法' THEN WFJBNTMJ END) FROM jctb").fetchone()
        # deliveries carry XZQDM = 500118: TOWNS was stored as the workspace's towns and every patch
        # placed by the largest share (domain.md §9)
        by_town = dict(conn.execute("SELECT d.XZDM, count(*) FROM jctb p JOIN wpzf_patch_division d "
                                    "ON d.patch_fid = p.fid GROUP BY d.XZDM"))
    assert sum(by_town.values()) == n and len(by_town) > 1
    assert total["XFTBS"] == n and total["WFTBS"] == illegal
    assert total["WFGDMJ"] == pytest.approx(farmland) and total["WFJBNTMJ"] == pytest.approx(jbnt)
    assert {code: row["XFTBS"] for code, row in rows.items()} == by_town
    assert sum(r["WFGDMJ"] for r in rows.values()) == pytest.approx(total["WFGDMJ"])
    assert all(row["ZJMC"] for row in rows.values())  # names from the XZQ layer


def test_sample_is_reproducible_stratified_and_leans_to_illegal(judged_district, tmp_path):
    _, ws = judged_district
    first = run("sample", WORKSPACE=str(ws), SIZE=30, SEED=7, OUTPUT="memory:", PLAN=str(tmp_path / "plan.json"))
    again = run("sample", WORKSPACE=str(ws), SIZE=30, SEED=7, OUTPUT="memory:", PLAN=str(tmp_path / "plan2.json"))
    chosen = [f["JCBH"] for f in first["OUTPUT"].getFeatures()]
    assert first["SAMPLED"] == 30 and chosen == [f["JCBH"] for f in again["OUTPUT"].getFeatures()]
    assert all(f.hasGeometry() for f in first["OUTPUT"].getFeatures())
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert plan["seed"] == 7 and plan["chosen"] == chosen and sum(s["sample"] for s in plan["strata"]) == 30
    assert all(s["sample"] >= 1 for s in plan["strata"])
    other = run("sample", WORKSPACE=str(ws), SIZE=30, SEED=8, OUTPUT="memory:", PLAN=str(tmp_path / "plan3.json"))
    assert [f["JCBH"] for f in other["OUTPUT"].getFeatures()] != chosen
    illegal_share = sum(f["PDLX"] == "违法" for f in first["OUTPUT"].getFeatures()) / 30
    population = sum(s["population"] for s in plan["strata"] if s["category"] == "违法") / plan["population"]
    assert illegal_share > population
