"""Saving casework on a real workspace file: one transaction, who/when stamped, locks refused clearly."""
from __future__ import annotations

import sqlite3

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.casework import CaseInfo, DecisionInput, FieldVisit, RectificationInput, Referral
from wpzf.domain.casework.save import (
    InvalidInput,
    accept_suggestion,
    add_field_visit,
    add_rectification,
    add_referral,
    child_rows,
    inline_check,
    patch_state,
    save_case,
    save_decision,
)
from wpzf.domain.rules import CoverEvidence, PatchEvidence, available_rulesets, load_ruleset, suggest
from wpzf.domain.workspace.judgement import store_suggestions
from wpzf.domain.workspace.store import Workspace, WorkspaceError


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])




@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="张三")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        for jcbh in ("A1", "A2", "A3"):
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, TBMJ, GDMJ, XGR, XGSJ) "
                         "VALUES (?, ?, 1, 10000, 6000, 'import', 't0')", (wkt_blob(), jcbh))
    yield w
    w.close()


def _audit(ws, field):
    return ws.conn.execute("SELECT who, old_value, new_value FROM wpzf_audit WHERE table_name = 'jctb' "
                           "AND field = ? ORDER BY id", (field,)).fetchall()


def _row(ws, fid):
    cur = ws.conn.execute("SELECT * FROM jctb WHERE fid = ?", (fid,))
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


def test_decision_is_stored_with_who_and_when_and_audited(ws, ruleset):
    state = save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=15.0, WFGDMJ=9.0,
                                                PDYJ="外业核实为新建厂房"), ruleset)
    assert state.values["PDLX"] == "违法" and state.values["WFMJ"] == 15.0
    assert state.values["PDR"] == "张三" and state.values["PDSJ"][:2] == "20" and state.values["XGR"] == "张三"
    assert _audit(ws, "PDLX") == [("张三", None, "违法")]
    first_time = state.values["PDSJ"]
    again = save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=15.0, WFGDMJ=9.0,
                                                PDYJ="补充说明"), ruleset)
    assert again.values["PDSJ"] == first_time  # a note edited later does not move the decision date


def test_aliases_are_stored_in_canonical_spelling(ws, ruleset):
    state = save_decision(ws, 2, DecisionInput(PDLX="其他", JTQX="伪变化"), ruleset)
    assert state.values["JTQX"] == "实地未变化"


def test_invalid_decision_is_refused_and_nothing_changes(ws, ruleset):
    before = _row(ws, 1)
    with pytest.raises(InvalidInput) as info:
        save_decision(ws, 1, DecisionInput(PDLX="合法", JTQX="农村道路"), ruleset)
    assert "A1" in str(info.value) and "具体情形" in str(info.value)
    assert [p.field for p in info.value.problems if p.is_error] == ["JTQX"]
    assert _row(ws, 1) == before


def test_locked_batch_refuses_decision_and_names_patch_batch_stage(ws, ruleset):
    """Locked stage data "不能修改" (work plan 四(二)); progress, the case included, appends:
    tests/unit/test_casework_locked_progress.py and test_casework_case_progress.py."""
    ws.lock_batch("2022-05")
    before = _row(ws, 1)
    audit_rows = ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone()
    state = patch_state(ws, 1)
    assert state.read_only and state.lock.stage == "锁定" and state.lock.locked_by == "张三"
    with pytest.raises(WorkspaceError) as info:
        save_decision(ws, 1, DecisionInput(PDLX="其他", JTQX="农村道路"), ruleset)
    text = str(info.value)
    assert "A1" in text and "2022-05" in text and "锁定" in text and "张三" in text, text
    assert _row(ws, 1) == before
    assert ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone() == audit_rows
    # the case is progress: appended as a dated record, the locked patch row unchanged
    save_case(ws, 1, CaseInfo(True, "2022-06-01", "案1", JLRQ="2022-06-02"))
    assert _row(ws, 1) == before
    assert [(r["JLRQ"], r["AJBH"]) for r in child_rows(ws, "wpzf_case_progress", 1)] == [("2022-06-02", "案1")]
    ws.unlock_batch("2022-05", "市局退回更正")
    assert patch_state(ws, 1).lock.unlock_reason == "市局退回更正"
    save_case(ws, 1, CaseInfo(True, "2022-06-01", "案1", JLRQ="2022-06-03"))
    assert (_row(ws, 1)["SFLA"], _row(ws, 1)["AJBH"]) == (1, "案1")  # unlocked: the patch row follows again


def test_lock_taken_by_another_client_mid_way_is_reported_clearly(ws, ruleset):
    from wpzf.domain.casework import save as save_module

    real = save_module.patch_state
    calls = []

    def stale(w, fid):  # first read sees the batch unlocked, as if another client locked it just after
        state = real(w, fid)
        calls.append(fid)
        if len(calls) == 1:
            from dataclasses import replace
            return replace(state, lock=replace(state.lock, locked=False))
        return state

    ws.lock_batch("2022-05")
    save_module.patch_state = stale
    try:
        with pytest.raises(WorkspaceError) as info:
            save_decision(ws, 1, DecisionInput(PDLX="其他", JTQX="农村道路"), ruleset)
    finally:
        save_module.patch_state = real
    assert "A1" in str(info.value) and "锁定" in str(info.value)
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)


def test_progress_records_and_rectification_summary(ws, ruleset):
    start = ws.conn.execute("SELECT max(id) FROM wpzf_audit").fetchone()[0]
    save_decision(ws, 3, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="硬化", WFMJ=4.0), ruleset)
    add_field_visit(ws, 3, FieldVisit("2022-05-20", "李四、王五", "已硬化"))
    add_referral(ws, 3, Referral("规自局", "2022-05-22", "移〔2022〕1号", "已移交"), ruleset)
    save_case(ws, 3, CaseInfo(True, "2022-06-01", "永规资罚〔2022〕8号", "永规资罚决〔2022〕8号", 20000, 0.0))
    add_rectification(ws, 3, RectificationInput("2022-07-01", "拆除复耕", CCMJ=1.0, FGMJ=0.5), ruleset)
    add_rectification(ws, 3, RectificationInput("2022-09-01", "拆补组合", CCMJ=2.5, FGMJ=2.5, BBMJ=1.5,
                                                BBPZWH="渝府地〔2022〕5号", ZGWCSJ="2022-09-01"), ruleset)
    row = _row(ws, 3)
    assert row["SFLA"] == 1 and row["AJBH"] == "永规资罚〔2022〕8号" and row["FMK"] == 20000
    assert (row["ZGFS"], row["CCMJ"], row["BBMJ"], row["YZGMJ"], row["SYWZGMJ"], row["ZGWCSJ"]) == \
        ("拆补组合", 2.5, 1.5, 4.0, 0.0, "2022-09-01")
    assert [r["SYWZGMJ"] for r in child_rows(ws, "wpzf_rectification", 3)] == [3.0, 0.0]
    referral = child_rows(ws, "wpzf_referral", 3)[0]
    assert referral["YJBM"] == "区规划自然资源局" and referral["XGR"] == "张三"
    assert child_rows(ws, "wpzf_field_visit", 3)[0]["KCRY"] == "李四、王五"
    who = ws.conn.execute("SELECT DISTINCT who FROM wpzf_audit WHERE id > ?", (start,)).fetchall()
    assert who == [("张三",)]
    state = patch_state(ws, 3)
    assert state.counts == {"n_evidence": 0, "n_referrals": 1, "n_rectification": 2}
    # identities hold, so the quality check finds no rectification or case errors
    ids = {p.message.values.get("rule") for p in inline_check(ws, ruleset, state, {}) if p.is_error}
    assert not ids & {"Q04", "Q05", "Q11", "Q12"}, ids


def test_rectification_beyond_the_illegal_area_leaves_no_row(ws, ruleset):
    save_decision(ws, 3, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="硬化", WFMJ=4.0), ruleset)
    with pytest.raises(InvalidInput):
        add_rectification(ws, 3, RectificationInput("2022-07-01", "拆除复耕", CCMJ=3.0, BBMJ=2.0, BBPZWH="x"), ruleset)
    assert child_rows(ws, "wpzf_rectification", 3) == [] and _row(ws, 3)["CCMJ"] is None


def test_inline_quality_check_uses_the_form_values(ws, ruleset):
    state = patch_state(ws, 1)
    unsaved = {"PDLX": "违法", "JTQX": "非农违法", "WFMJ": 2.0}
    errors = {p.message.values["rule"] for p in inline_check(ws, ruleset, state, unsaved) if p.is_error}
    assert {"Q04", "Q05"} <= errors  # illegal: needs case/referral and a rectification plan
    legal = inline_check(ws, ruleset, state, {"PDLX": "合法", "JTQX": "土地供应"})
    assert "Q03" in {p.message.values["rule"] for p in legal}


def test_accept_suggestion(ws, ruleset):
    legal = suggest(ruleset, PatchEvidence("A1", tbmj=10000, gdmj=6000, jbntmj=0, zgbl=0.6,
                                           cover={"NYDZY": CoverEvidence(0.98, 9800, 1, ("渝府地〔2021〕12号",)),
                                                  "TDGY": CoverEvidence(0.0, 0, 0, ())}))
    doubtful = suggest(ruleset, PatchEvidence("A2", tbmj=10000, gdmj=6000, jbntmj=0, zgbl=0.6,
                                              cover={"NYDZY": CoverEvidence(), "TDGY": CoverEvidence()}))
    assert doubtful.JTQX == "疑似违法"
    store_suggestions(ws, "2022-chongqing", [(1, legal), (2, doubtful)])
    state = patch_state(ws, 1)
    documents = state.suggestion.documents()
    assert [(d.number, d.kind, d.layer, d.share) for d in documents] == \
        [("渝府地〔2021〕12号", "NYDZY", "农用地转用审批", 0.98)]
    assert "98.0%" in state.suggestion.reason(ruleset)
    accepted = accept_suggestion(ws, 1, ruleset)
    assert (accepted.values["PDLX"], accepted.values["JTQX"], accepted.values["PZWH"]) == \
        ("合法", "农用地转用", "渝府地〔2021〕12号")
    assert "P01" in accepted.values["PDYJ"] and accepted.values["PDR"] == "张三"
    before = _row(ws, 2)
    with pytest.raises(WorkspaceError, match="provisional"):
        accept_suggestion(ws, 2, ruleset)
    assert _row(ws, 2) == before
    with pytest.raises(WorkspaceError, match="no pre-judgement"):
        accept_suggestion(ws, 3, ruleset)


def test_a_save_given_a_stale_loaded_state_is_refused_and_writes_nothing(ws, ruleset):
    from wpzf.domain.casework.save import ConflictError, save_rectification

    save_decision(ws, 3, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="硬化", WFMJ=4.0), ruleset)
    mine = patch_state(ws, 3)
    other = Workspace.open(ws.path, user="李四")
    try:
        save_decision(other, 3, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="硬化", WFMJ=5.0), ruleset)
    finally:
        other.close()
    before, audit_rows = _row(ws, 3), ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone()
    with pytest.raises(ConflictError) as info:
        save_rectification(ws, 3, RectificationInput("2022-07-01", "拆除复耕", CCMJ=1.0), ruleset, loaded=mine)
    text = str(info.value)
    assert "A1" not in text and "A3" in text and "李四" in text and "yours 4, stored 5" in text, text
    assert ("WFMJ", 4.0, 5.0) in info.value.conflicts
    assert _row(ws, 3) == before and child_rows(ws, "wpzf_rectification", 3) == []
    assert ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone() == audit_rows
    with pytest.raises(ConflictError):
        save_case(ws, 3, CaseInfo(True, "2022-06-01", "案1"), loaded=mine)
    fresh = patch_state(ws, 3)
    assert fresh.version == before["XGSJ"] != mine.version
    save_case(ws, 3, CaseInfo(True, "2022-06-01", "案1"), loaded=fresh)
    assert _row(ws, 3)["AJBH"] == "案1"


# ---- 违法时段 and 建设时间 (schema 6; rule Q21 of rules/2022-chongqing.toml) -----------------------------
def test_decision_stores_period_and_construction_date_as_precise_as_given(ws, ruleset):
    """JSSJ '2021年5月' is stored as the month '2021-05', never as a day; WFSD is one of [violation] periods."""
    ws.conn.execute("UPDATE jctb SET QSX = '2022-03-15' WHERE fid = 1")
    ws.conn.commit()
    state = save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=2.0,
                                                WFSD="存量", JSSJ="2021年5月"), ruleset)
    assert (state.values["WFSD"], state.values["JSSJ"]) == ("存量", "2021-05")
    # the stored decision passes Q21: 2021-05 lies wholly before the before-image date 2022-03-15 → 存量
    rules = {p.message.values["rule"] for p in inline_check(ws, ruleset, state, {})}
    assert "Q21" not in rules, rules
    year = save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=2.0,
                                               WFSD="新增", JSSJ="2022"), ruleset)
    assert year.values["JSSJ"] == "2022"  # a year stays a year (not 2022-01-01)


def test_decision_positional_callers_still_fit(ruleset):
    """WFSD and JSSJ come last: DecisionInput(PDLX, JTQX, WFLX, PZWH, PDYJ, WFMJ, …) keeps its meaning."""
    decision = DecisionInput("违法", "非农违法", "厂房", "", "依据", 2.0)
    assert (decision.WFMJ, decision.WFSD, decision.JSSJ) == (2.0, "", "")
    assert list(decision.columns())[-2:] == ["WFSD", "JSSJ"]


def test_invalid_period_or_construction_date_is_refused_naming_the_field(ws, ruleset):
    before = _row(ws, 1)
    with pytest.raises(InvalidInput) as info:
        save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFSD="去年", JSSJ="前年"), ruleset)
    text = str(info.value)
    assert "A1" in text and "违法时段" in text and "去年" in text and "建设时间" in text and "前年" in text, text
    assert sorted(p.field for p in info.value.problems if p.blocks_save) == ["JSSJ", "WFSD"]
    assert _row(ws, 1) == before


def test_period_fields_apply_to_illegal_patches_only(ws, ruleset):
    with pytest.raises(InvalidInput) as info:
        save_decision(ws, 2, DecisionInput(PDLX="其他", JTQX="农村道路", WFSD="新增", JSSJ="2022-04-01"), ruleset)
    assert sorted(p.field for p in info.value.problems if p.blocks_save) == ["JSSJ", "WFSD"]


def test_illegal_decision_without_period_is_saved_but_q21_reports_it(ws, ruleset):
    """Q21 is a quality-check error: it blocks the stage submission, not the save (validate.Problem.quality)."""
    state = save_decision(ws, 3, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="硬化", WFMJ=4.0), ruleset)
    assert state.values["PDLX"] == "违法" and state.values["WFSD"] is None
    q21 = [p for p in inline_check(ws, ruleset, state, {}) if p.message.values["rule"] == "Q21"]
    assert len(q21) == 1 and q21[0].is_error and not q21[0].blocks_save
    assert "违法时段" in q21[0].message.values["text"]


def test_decision_from_suggestion_derives_the_period_or_clears_it(ws, ruleset):
    """Built 2022-04-10 on/after 前时相 2022-03-15 → 新增 (rule Q21); a legal suggestion clears both fields."""
    from dataclasses import replace

    from wpzf.domain.casework.save import StoredSuggestion, decision_from_suggestion

    ws.conn.execute("UPDATE jctb SET QSX = '2022-03-15', JSSJ = '2022-04-10', PDLX = '违法', JTQX = '非农违法' "
                    "WHERE fid = 1")
    ws.conn.commit()
    state = patch_state(ws, 1)
    illegal = replace(state, suggestion=StoredSuggestion("违法", "非农违法", "P09", "2022-chongqing", "t"))
    decision = decision_from_suggestion(illegal, ruleset)
    assert (decision.WFSD, decision.JSSJ) == ("新增", "2022-04-10")
    legal = replace(state, suggestion=StoredSuggestion("合法", "土地供应", "P02", "2022-chongqing", "t"))
    assert (decision_from_suggestion(legal, ruleset).WFSD, decision_from_suggestion(legal, ruleset).JSSJ) == ("", "")
