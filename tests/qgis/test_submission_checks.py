"""wpzf:submitstage refuses a batch with undecided patches and changes nothing; wpzf:qualitycheck only warns.

工作方案 四(二) 月清: "在每月20日前完成上一个月下发图斑的系统填报（‘一上’）" — what is reported is the
result of 核查、判定, so a patch without a decision (or with only a pre-judgement term) refuses the
submission, while before the 20-day decision deadline (四(一)) an ordinary quality check only reminds.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from judged_district import judged_rows
from qgis.core import QgsProcessingException
from reporting_district import build

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


def _state(ws: Path) -> tuple:
    """Stage, snapshot rows, stage-history rows and snapshot files: everything a submission would change."""
    with gpkg_connect(ws) as conn:
        stage = conn.execute("SELECT JD FROM wpzf_batch WHERE PCMC = '2022-05'").fetchone()[0]
        snapshots = conn.execute("SELECT count(*) FROM wpzf_snapshot").fetchone()[0]
        history = conn.execute("SELECT count(*) FROM wpzf_stage_history").fetchone()[0]
    files = sorted(p.name for p in ws.parent.rglob("*.json"))
    return stage, snapshots, history, files


@pytest.fixture()
def undecided(tmp_path) -> Path:
    """The judged district with P5 not yet decided and P6 left at its pre-judgement 其他/待核查."""
    rows = []
    for row in judged_rows():
        if row["JCBH"] == "P5":
            row = {**row, "PDLX": None, "JTQX": None, "PDR": None, "PDSJ": None}
        elif row["JCBH"] == "P6":
            row = {**row, "PDLX": "其他", "JTQX": "待核查", "PDR": None, "PDSJ": None}
        rows.append(row)
    return build(tmp_path / "ws.gpkg", patches=rows)


def test_batch_with_undecided_patches_cannot_be_submitted_and_nothing_changes(undecided):
    before = _state(undecided)
    assert before == ("核查中", 0, 0, [])
    with pytest.raises(QgsProcessingException, match="P5 Q16") as caught:
        run("submitstage", WORKSPACE=str(undecided), BATCH="2022-05", TODAY="2022-05-20")
    assert "3 errors" in str(caught.value) and "待核查" in str(caught.value)
    assert _state(undecided) == before  # no stage change, no snapshot row or file, no history
    with gpkg_connect(undecided) as conn:  # the refusal's errors are kept for the technician
        stored = conn.execute("SELECT JCBH, rule_id, severity FROM wpzf_check_result ORDER BY JCBH, rule_id").fetchall()
    assert stored == [("P5", "Q16", "error"), ("P6", "Q15", "error"), ("P6", "Q16", "error")]


def test_quality_check_before_the_deadline_warns_but_says_the_stage_cannot_be_submitted(undecided):
    # received 2022-05-06 + 20 days: due 2022-05-26; on 2022-05-20 six days are left (四(一) 20日内完成合法性判定)
    result = run("qualitycheck", WORKSPACE=str(undecided), TODAY="2022-05-20", OUTPUT="memory:")
    rows = sorted((f["JCBH"], f["GZ"], f["JB"]) for f in result["OUTPUT"].getFeatures())
    # P6's provisional 待核查 is also an invalid value (Q15), an error in any check
    assert rows == [("P5", "Q16", "warning"), ("P6", "Q15", "error"), ("P6", "Q16", "warning")]
    messages = {f["JCBH"]: f["WT"] for f in result["OUTPUT"].getFeatures() if f["GZ"] == "Q16"}
    assert "还剩 6 天" in messages["P5"] and "“待核查”" in messages["P6"]
    assert (result["ERRORS"], result["WARNINGS"], result["CAN_SUBMIT"]) == (1, 2, False)


def test_after_the_deadline_the_deadline_rule_reports_it_once(undecided):
    result = run("qualitycheck", WORKSPACE=str(undecided), TODAY="2022-05-30", OUTPUT="memory:")
    rows = sorted((f["JCBH"], f["GZ"], f["JB"]) for f in result["OUTPUT"].getFeatures())
    # 4 days overdue: Q01 (error, with the days late) instead of the Q16 reminder, not both
    assert rows == [("P5", "Q01", "error"), ("P6", "Q01", "error"), ("P6", "Q15", "error")]


def test_once_decided_the_batch_is_submitted(undecided):
    with gpkg_connect(undecided) as conn:
        conn.execute("UPDATE jctb SET PDLX = '其他', JTQX = '实地未变化', PDSJ = '2022-05-19', XGR = 't', XGSJ = 't1' "
                     "WHERE JCBH IN ('P5', 'P6')")
        # 层层审查 (工作方案 五(三)): the 2022 rule set submits decided patches once 审核 is signed
        conn.execute("""INSERT INTO wpzf_review (patch_fid, "BZ", "JG", "SHR", "SHSJ", "PDLX", "XGR", "XGSJ") """
                     "SELECT fid, '审核', '通过', '李四', '2022-05-19', '其他', '李四', 't1' FROM jctb "
                     "WHERE JCBH IN ('P5', 'P6')")
    first = run("submitstage", WORKSPACE=str(undecided), BATCH="2022-05", TODAY="2022-05-20")
    assert first["STAGE"] == "一上" and Path(first["SNAPSHOT"]).is_file()
    assert _state(undecided)[:3] == ("一上", 1, 1)
