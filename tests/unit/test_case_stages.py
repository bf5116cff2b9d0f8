"""案件卷宗: the 工作规程's stages as dated case records (after the lock too); 结案 needs execution evidence.

Work plan 四(一): 违法图斑 "依法立案查处，参照《国土资源违法行为查处工作规程》建立案件卷宗"; 四(二) locked
data "不能修改" while 查处整改 progress is still recorded ("适时更新录入"); domain.md §9: "progress
(拆除, 复耕, 补办, 结案) counts only if dated on or before it". Issue 18: 立案 → 调查取证 → 案件审理 →
处罚决定 (and 告知/听证) → 执行 → 结案, each with date, document number and attachment; 结案 needs
execution evidence.
"""
from __future__ import annotations

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.casework import CaseInfo, DecisionInput
from wpzf.domain.casework.save import InvalidInput, child_rows, save_case_record, save_decision
from wpzf.domain.casework.validate import CASE_STAGES, validate_case_stage
from wpzf.domain.rules import available_rulesets, load_ruleset
from wpzf.domain.workspace.store import Workspace

CASE_NO = "永规资罚〔2022〕8号"


def stage(name, jlrq, wswh="", evidence=None, jasj=""):
    return CaseInfo(True, "2022-06-01", CASE_NO, JASJ=jasj, JLRQ=jlrq, AJJD=name, WSWH=wswh, evidence_id=evidence)


@pytest.fixture()
def ws(tmp_path):
    """A1 and A2 judged 违法; A1 has evidence file 1 (执行到位 photo), A2 evidence file 2."""
    ruleset = load_ruleset(available_rulesets()["2022-chongqing"])
    ws = Workspace.create(tmp_path / "ws.gpkg", 4523, user="张三")
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        for jcbh in ("A1", "A2"):
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, TBMJ, XGR, XGSJ) VALUES (?, ?, 1, 2666.67, 'i', 't0')",
                         (wkt_blob(), jcbh))
        for fid in (1, 2):
            conn.execute("INSERT INTO wpzf_evidence (patch_fid, ZLLX, WJLJ, YSWJM, SHA256, WJDX, XGR, XGSJ) "
                         "VALUES (?, '其他', ?, 'x.pdf', ?, 10, 'i', 't0')", (fid, f"A{fid}/x.pdf", "0" * 64))
    for fid in (1, 2):
        save_decision(ws, fid, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=4.0), ruleset)
    yield ws
    ws.close()


def test_stages_are_the_procedure_rules_stages_in_order():
    assert CASE_STAGES == ("立案", "调查取证", "案件审理", "告知听证", "处罚决定", "执行", "结案")


def test_a_case_goes_through_its_stages_after_the_lock_and_closes_with_execution_evidence(ws):
    save_case_record(ws, 1, stage("立案", "2022-06-01", "永规资立〔2022〕8号"))
    ws.lock_batch("2022-05")  # the city locked the stage data: the case still goes on, as dated records
    for name, day, number in (("调查取证", "2022-06-10", "永规资询〔2022〕8号"), ("案件审理", "2022-07-01", "审理-8"),
                              ("告知听证", "2022-07-05", "永规资告〔2022〕8号"),
                              ("处罚决定", "2022-07-20", "永规资罚决〔2022〕8号")):
        save_case_record(ws, 1, stage(name, day, number))
    with pytest.raises(InvalidInput) as refused:  # 结案 before any execution evidence
        save_case_record(ws, 1, stage("结案", "2022-09-01", "结案-8", jasj="2022-09-01"))
    (problem,) = (p for p in refused.value.problems if p.is_error)
    assert problem.field == "evidence_id" and "结案 needs execution evidence" in str(problem)
    assert "文书附件, evidence_id" in str(problem) and "执行" in str(problem)
    save_case_record(ws, 1, stage("执行", "2022-08-20", "执行-8", evidence=1))
    save_case_record(ws, 1, stage("结案", "2022-09-01", "结案-8", jasj="2022-09-01"))
    rows = child_rows(ws, "wpzf_case_progress", 1)
    assert [(r["AJJD"], r["WSWH"], r["evidence_id"]) for r in rows] == [
        ("立案", "永规资立〔2022〕8号", None), ("调查取证", "永规资询〔2022〕8号", None), ("案件审理", "审理-8", None),
        ("告知听证", "永规资告〔2022〕8号", None), ("处罚决定", "永规资罚决〔2022〕8号", None),
        ("执行", "执行-8", 1), ("结案", "结案-8", None)]
    patch = ws.conn.execute("SELECT SFLA, JASJ FROM jctb WHERE fid = 1").fetchone()
    assert patch == (1, None)  # the locked patch row stays as reported; the records carry the case


def test_bad_stages_are_refused_naming_the_field(ws):
    with pytest.raises(InvalidInput, match="AJJD.*'审查' is not a stage"):
        save_case_record(ws, 1, stage("审查", "2022-06-01"))
    with pytest.raises(InvalidInput, match=r"SFLA\) is not ticked, but the case stage 立案"):
        save_case_record(ws, 1, CaseInfo(False, JLRQ="2022-06-01", AJJD="立案"))
    with pytest.raises(InvalidInput, match="evidence_id.*2 is not an evidence file of this patch"):
        save_case_record(ws, 1, stage("执行", "2022-06-01", "执行-8", evidence=2))
    assert child_rows(ws, "wpzf_case_progress", 1) == []
    # a closing with its own attachment passes; a stage without a document number only warns
    warnings = validate_case_stage(stage("结案", "2022-09-01", jasj="2022-09-01", evidence=1), [], [1])
    assert [(p.field, p.severity) for p in warnings] == [("WSWH", "warning")]
