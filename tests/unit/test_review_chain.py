"""层层审查 on a real GeoPackage: 经办 → 审核 → 审定, names, send-back, new chains, the submission refusal.

Work plan 五(三): "建立图斑核查、图斑数据层层审查、纠错机制"; "分管负责人要参与重大违法图斑的现场核查和合法性
判定" (domain.md §9 Review: 经办 → 审核 → 审定; 重大违法图斑 need the 分管负责人). The 2022 Chongqing
rule set: 审核 for every decided patch before 一上/二上, 审定 plus the 分管负责人's participation for 重大
(违法 with WFGDMJ ≥ 5 亩, any 永久基本农田, or 立案).
"""
from __future__ import annotations

import datetime as dt

import pytest
from gpkg_blobs import wkt_blob
from judged_district import judged_rows
from reporting_district import build

from wpzf.domain.casework import CaseInfo, DecisionInput
from wpzf.domain.casework import review as rv
from wpzf.domain.casework.save import save_case, save_decision
from wpzf.domain.reporting import stages
from wpzf.domain.rules import available_rulesets, load_ruleset
from wpzf.domain.workspace.judgement import load_patches
from wpzf.domain.workspace.store import Workspace

M2_PER_MU = 10000 / 15
ILLEGAL_6 = DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=8.0, WFGDMJ=6.0, WFJBNTMJ=0.0)
ILLEGAL_SMALL = DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=8.0, WFGDMJ=4.99, WFJBNTMJ=0.0)
LEGAL = DecisionInput(PDLX="合法", JTQX="农用地转用", PZWH="渝府地〔2022〕1号")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])


def _open(path, user):
    return Workspace.open(path, user=user)


@pytest.fixture()
def office(tmp_path, ruleset):
    """A1 (10 亩) judged 违法 by technician 张三 with 6 亩 farmland: a 重大违法图斑; A2 left undecided."""
    ws = Workspace.create(tmp_path / "ws.gpkg", 4523, user="张三")
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        for jcbh in ("A1", "A2"):
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, TBMJ, XGR, XGSJ) VALUES (?, ?, 1, ?, 'import', 't0')",
                         (wkt_blob(), jcbh, 10 * M2_PER_MU))
    save_decision(ws, 1, ILLEGAL_6, ruleset)
    ws.close()
    return tmp_path / "ws.gpkg"


def sign(path, who, step, ruleset, fid=1, **kw):
    with _open(path, who) as ws:
        return rv.sign(ws, fid, rv.Signature(step, who, **kw), ruleset)


def rows(path):
    with _open(path, "x") as ws:
        return [(r.BZ, r.JG, r.SHR, r.PDLX) for r in rv.review_rows(ws.conn).get(1, [])]


def test_the_2022_rule_set_defines_review_and_major_patches(ruleset):
    review = ruleset.review
    assert (review.required_for_submission, review.major_step, review.major_requires_lead) == ("审核", "审定", True)
    assert review.required_step(False) == "审核" and review.required_step(True) == "审定"
    # 5 亩 itself is 重大 (">=" 含), 4.99 亩 is not; any 永久基本农田; 立案; only for 违法
    assert rv.major_reasons(ruleset, {"PDLX": "违法", "WFGDMJ": 5.0}) == ("违法占用耕地 5 亩以上（含）",)
    assert rv.major_reasons(ruleset, {"PDLX": "违法", "WFGDMJ": 4.99, "WFJBNTMJ": 0.0}) == ()
    assert rv.major_reasons(ruleset, {"PDLX": "违法", "WFGDMJ": 1.0, "WFJBNTMJ": 0.01}) == ("占用永久基本农田",)
    assert rv.major_reasons(ruleset, {"PDLX": "违法", "WFGDMJ": 0.0}, filed=True) == ("已立案查处",)
    assert rv.major_reasons(ruleset, {"PDLX": "合法", "WFGDMJ": 9.0, "SFLA": 1}) == ()


def test_a_bad_review_section_names_file_and_key(tmp_path):
    from wpzf.domain.rules import RuleSetError

    text = (available_rulesets()["2022-chongqing"]).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('required_for_submission = "审核"', 'required_for_submission = "审批"'), encoding="utf-8")
    with pytest.raises(RuleSetError, match="required_for_submission.*审批"):
        load_ruleset(bad)
    bad.write_text(text.replace('field = "WFGDMJ", op = ">="', 'field = "WFGD", op = ">="'), encoding="utf-8")
    with pytest.raises(RuleSetError, match="WFGD"):
        load_ruleset(bad)


def test_saving_a_decision_records_the_handling_once_per_chain(office, ruleset):
    assert rows(office) == [("经办", "通过", "张三", "违法")]
    with _open(office, "张三") as ws:  # the same decision saved again: the chain goes on
        save_decision(ws, 1, ILLEGAL_6, ruleset)
        chain = rv.patch_chain(ws, 1, ruleset)
    assert rows(office) == [("经办", "通过", "张三", "违法")]
    assert (chain.state, chain.handled.SHR, chain.handled.stored) == ("待审核", "张三", True)


def test_the_same_person_may_not_sign_two_steps_and_approval_follows_review(office, ruleset):
    with pytest.raises(rv.ReviewRefused, match="张三 already signed 经办"):
        sign(office, "张三", "审核", ruleset)
    with pytest.raises(rv.ReviewRefused, match="not been reviewed"):
        sign(office, "王五", "审定", ruleset)
    chain = sign(office, "李四", "审核", ruleset, opinion="同意")
    assert (chain.state, chain.reviewed.SHR, chain.reviewed.SHYJ) == ("待审定", "李四", "同意")
    with pytest.raises(rv.ReviewRefused, match="already signed by 李四"):
        sign(office, "赵六", "审核", ruleset)
    with pytest.raises(rv.ReviewRefused, match="李四 already signed 审核"):
        sign(office, "李四", "审定", ruleset)
    chain = sign(office, "王五", "审定", ruleset, opinion="同意，已到现场", lead=True)
    assert (chain.state, chain.approved.SHR, chain.lead) == ("已审定", "王五", True)
    assert rows(office) == [("经办", "通过", "张三", "违法"), ("审核", "通过", "李四", "违法"),
                            ("审定", "通过", "王五", "违法")]


def test_send_back_needs_a_reason_reopens_the_patch_until_it_is_saved_again(office, ruleset):
    with pytest.raises(rv.ReviewRefused, match="needs the reason"):
        sign(office, "李四", "审核", ruleset, send_back=True)
    chain = sign(office, "李四", "审核", ruleset, send_back=True, opinion="违法耕地面积与叠加结果不符")
    assert chain.state == "已退回" and chain.sent_back.SHYJ == "违法耕地面积与叠加结果不符"
    with pytest.raises(rv.ReviewRefused, match="sent back .*违法耕地面积与叠加结果不符"):
        sign(office, "李四", "审核", ruleset)
    with _open(office, "张三") as ws:  # the technician corrects and saves: a new chain
        save_decision(ws, 1, ILLEGAL_SMALL, ruleset)
    chain = sign(office, "李四", "审核", ruleset)
    assert chain.state == "待审定"
    assert rows(office) == [("经办", "通过", "张三", "违法"), ("审核", "退回", "李四", "违法"),
                            ("经办", "通过", "张三", "违法"), ("审核", "通过", "李四", "违法")]


def test_a_changed_decision_starts_a_new_chain(office, ruleset):
    sign(office, "李四", "审核", ruleset)
    with _open(office, "张三") as ws:
        save_decision(ws, 1, LEGAL, ruleset)
        chain = rv.patch_chain(ws, 1, ruleset)
    assert (chain.pdlx, chain.state, chain.reviewed) == ("合法", "待审核", None)
    assert rows(office)[-1] == ("经办", "通过", "张三", "合法")


def test_a_decision_without_a_chain_is_handled_by_its_pdr_which_the_first_signature_stores(office, ruleset):
    with _open(office, "import") as ws, ws.transaction() as conn:
        conn.execute("UPDATE jctb SET PDLX = '其他', JTQX = '实地未变化', PDR = '钱七', PDSJ = '2022-05-18 10:00:00' "
                     "WHERE fid = 2")
    with _open(office, "x") as ws:
        chain = rv.patch_chain(ws, 2, ruleset)
    assert (chain.handled.SHR, chain.handled.SHSJ, chain.handled.stored) == ("钱七", "2022-05-18 10:00:00", False)
    with pytest.raises(rv.ReviewRefused, match="钱七 already signed 经办"):
        sign(office, "钱七", "审核", ruleset, fid=2)
    sign(office, "李四", "审核", ruleset, fid=2)
    with _open(office, "x") as ws:
        assert [(r.BZ, r.SHR) for r in rv.review_rows(ws.conn)[2]] == [("经办", "钱七"), ("审核", "李四")]


def test_listed_signers_and_the_audit_on_a_geopackage(office, ruleset):
    with _open(office, "admin") as ws:
        rv.set_signers(ws, "审核", ["李四", "孙八"])
    with pytest.raises(rv.ReviewRefused, match="赵六 may not sign 审核.*李四、孙八"):
        sign(office, "赵六", "审核", ruleset)
    sign(office, "孙八", "审核", ruleset, opinion="同意")
    with _open(office, "x") as ws:
        audited = ws.conn.execute("SELECT a.who, r.SHR, r.BZ FROM wpzf_audit a JOIN wpzf_review r ON r.id = a.row_id "
                                  "WHERE a.table_name = 'wpzf_review' AND a.action = 'INSERT' ORDER BY a.id").fetchall()
    # the signer's name is in the row and is the editor the audit records
    assert audited == [("张三", "张三", "经办"), ("孙八", "孙八", "审核")]


def test_submission_is_refused_per_patch_until_the_chain_is_signed(tmp_path, ruleset):
    on = dt.date(2022, 5, 20)
    path = build(tmp_path / "judged.gpkg", patches=judged_rows())  # 审核 signed for every judged patch
    with Workspace.open(path, user="张三") as ws, ws.transaction() as conn:
        conn.execute("DELETE FROM wpzf_review WHERE patch_fid = (SELECT fid FROM jctb WHERE JCBH = 'P5')")
    with Workspace.open(path, user="张三") as ws:
        with pytest.raises(stages.StageError, match=r"1 errors .*P5 R01: review chain: 审核 is required"):
            stages.submit(ws, "2022-05", ruleset, on)
        assert ws.batch("2022-05").stage == "核查中"
        stored = ws.conn.execute("SELECT JCBH, rule_id FROM wpzf_check_result WHERE severity = 'error'").fetchall()
        assert stored == [("P5", "R01")]
    fid = _fid(path, "P5")
    with Workspace.open(path, user="李四") as ws:
        rv.sign(ws, fid, rv.Signature("审核", "李四"), ruleset)
        assert stages.submit(ws, "2022-05", ruleset, on).stage == "一上"


def test_a_major_patch_needs_approval_and_the_lead(tmp_path, ruleset):
    path = build(tmp_path / "judged.gpkg", patches=judged_rows())
    fid = _fid(path, "P5")
    with Workspace.open(path, user="张三") as ws:
        # P5 judged 违法 with 2 亩 of 永久基本农田 (a 重大违法图斑), its 审核 already signed for 违法
        with ws.transaction() as conn:
            conn.execute("UPDATE jctb SET PDLX = '违法', JTQX = '非农违法', WFMJ = 3, WFGDMJ = 2, WFJBNTMJ = 2 "
                         "WHERE fid = ?", (fid,))
            conn.execute("UPDATE wpzf_review SET PDLX = '违法' WHERE patch_fid = ?", (fid,))

        def refusals():
            found = rv.submission_violations(ws, ruleset, load_patches(ws, "2022-05"))
            return [(p.jcbh, v.rule_id, v.message) for p, v in found]

        (only,) = refusals()
        assert only[:2] == ("P5", "R01") and "审定 is required" in only[2] and "占用永久基本农田" in only[2]
        with pytest.raises(rv.ReviewRefused, match="重大违法图斑 .*占用永久基本农田.*分管负责人参与 FGCY"):
            rv.sign(ws, fid, rv.Signature("审定", "王五", "同意"), ruleset)
        rv.sign(ws, fid, rv.Signature("审定", "王五", "同意", lead=True), ruleset)
        assert refusals() == []
        # approved before it became 重大 (the lead not recorded): the submission says what is missing
        ws.conn.execute("UPDATE wpzf_review SET FGCY = 0 WHERE patch_fid = ?", (fid,))
        (only,) = refusals()
        assert "分管负责人参与 FGCY" in only[2]


def test_a_case_filed_after_the_lock_makes_the_patch_major(office, ruleset):
    with _open(office, "张三") as ws:
        save_decision(ws, 1, ILLEGAL_SMALL, ruleset)
        values = dict(ws.conn.execute("SELECT 'PDLX', PDLX FROM jctb WHERE fid = 1").fetchall())
        values.update(WFGDMJ=4.99)
        assert rv.major_reasons(ruleset, values, 1 in rv.filed_patches(ws)) == ()
        save_case(ws, 1, CaseInfo(True, "2022-06-01", "永规资罚〔2022〕8号", JLRQ="2022-06-01"))
        assert rv.major_reasons(ruleset, values, 1 in rv.filed_patches(ws)) == ("已立案查处",)


def _fid(path, jcbh):
    with Workspace.open(path, user="x") as ws:
        return ws.conn.execute("SELECT fid FROM jctb WHERE JCBH = ?", (jcbh,)).fetchone()[0]
