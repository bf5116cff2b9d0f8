"""wpzf:reviewpatches (批量审核) signs 审核/审定 per patch and refuses, with the reason, those not ready.

Work plan 五(三): "建立图斑核查、图斑数据层层审查、纠错机制"; "分管负责人要参与重大违法图斑的现场核查和
合法性判定" (domain.md §9 Review: 经办 → 审核 → 审定).
"""
from __future__ import annotations

import pytest
from judged_district import judged_rows
from qgis.core import QgsProcessingException
from reporting_district import build

from wpzf.domain.workspace.gpkg import connect as gpkg_connect


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(**params):
    from qgis import processing

    return processing.run("wpzf:reviewpatches", {"OUTPUT": "memory:", **params})


def report(result) -> dict[str, tuple[str, str, str]]:
    return {f["JCBH"]: (f["JG"], f["SHR"], f["YY"]) for f in result["OUTPUT"].getFeatures()}


@pytest.fixture()
def unreviewed(tmp_path):
    """The judged district (every patch but the split parent P7 judged by 张三), no review signed yet."""
    path = build(tmp_path / "ws.gpkg", patches=judged_rows())
    with gpkg_connect(path) as conn:
        conn.execute("DELETE FROM wpzf_review")
    return path


def test_review_signs_ready_patches_and_refuses_the_others_with_the_reason(unreviewed):
    ws = str(unreviewed)
    first = run(WORKSPACE=ws, BATCH="2022-05", EXPRESSION="\"JCBH\" IN ('P1', 'P5', 'P7')", STEP=0,
                REVIEWER="李四", OPINION="同意")
    assert (first["SIGNED"], first["REFUSED"]) == (2, 1)
    rows = report(first)
    assert rows["P1"] == ("通过", "李四", "同意") and rows["P5"] == ("通过", "李四", "同意")
    assert rows["P7"][0] == "拒绝" and "no decision" in rows["P7"][2]
    # 审定 by the same reviewer: the same person may not sign two steps of one chain
    second = report(run(WORKSPACE=ws, EXPRESSION="\"JCBH\" = 'P1'", STEP=1, REVIEWER="李四"))
    assert second["P1"][0] == "拒绝" and "李四 already signed 审核" in second["P1"][2]
    # the technician (PDR 张三) cannot review his own decisions; P1 and P5 are reviewed already
    third = run(WORKSPACE=ws, BATCH="2022-05", STEP=0, REVIEWER="张三")
    rows = report(third)
    assert (third["SIGNED"], third["REFUSED"]) == (0, 9)
    assert "张三 already signed 经办" in rows["P2"][2] and "already signed by 李四" in rows["P1"][2]
    with gpkg_connect(unreviewed) as conn:
        stored = conn.execute("SELECT j.JCBH, r.BZ, r.SHR FROM wpzf_review r JOIN jctb j ON j.fid = r.patch_fid "
                              "ORDER BY r.id").fetchall()
    # the derived 经办 (PDR 张三) is stored before each first signature
    assert stored == [("P1", "经办", "张三"), ("P1", "审核", "李四"), ("P5", "经办", "张三"), ("P5", "审核", "李四")]


def test_send_back_needs_a_reason_and_blocks_the_submission(unreviewed):
    ws = str(unreviewed)
    no_reason = report(run(WORKSPACE=ws, EXPRESSION="\"JCBH\" = 'P1'", STEP=0, REVIEWER="李四", SEND_BACK=True))
    assert no_reason["P1"][0] == "拒绝" and "needs the reason" in no_reason["P1"][2]
    run(WORKSPACE=ws, BATCH="2022-05", STEP=0, REVIEWER="李四", OPINION="同意")
    back = report(run(WORKSPACE=ws, EXPRESSION="\"JCBH\" = 'P1'", STEP=1, REVIEWER="王五", SEND_BACK=True,
                      OPINION="批准文号与叠加结果不符"))
    assert back["P1"] == ("退回", "王五", "批准文号与叠加结果不符")
    from qgis import processing

    with pytest.raises(QgsProcessingException, match="P1 R01: 审查链：已在.*由 王五 退回：批准文号与叠加结果不符"):
        processing.run("wpzf:submitstage", {"WORKSPACE": ws, "BATCH": "2022-05", "TODAY": "2022-05-20"})
    import sqlite3

    with sqlite3.connect(ws) as con:  # stored in the rule set's language, like the rules' own messages
        stored = con.execute("SELECT message FROM wpzf_check_result WHERE rule_id = 'R01'").fetchall()
    assert stored == [("审查链：已在审定时由 王五 退回：批准文号与叠加结果不符；请改正并保存判定后重新审查",)]
