"""Stage transitions, submission with quality check and snapshot, the city's feedback list."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from judged_district import judged_rows
from reporting_district import PATCHES, build

from wpzf.domain.reporting import stages
from wpzf.domain.reporting.feedback import apply_feedback, open_feedback, read_feedback
from wpzf.domain.reporting.snapshot import export_batch, snapshots, verify_snapshot
from wpzf.domain.reporting.tables import TableError
from wpzf.domain.rules import RULES_FOLDER, load_ruleset
from wpzf.domain.workspace.store import Workspace

ON = dt.date(2022, 5, 20)  # before the decision deadline (2022-05-26)


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


@pytest.fixture()
def clean(tmp_path):
    """Every patch judged and complete before the deadline: nothing for the submission check to refuse."""
    with Workspace.open(build(tmp_path / "ws.gpkg", patches=judged_rows()), user="张三") as ws:
        yield ws


def test_submit_first_return_second_lock_with_history(clean, ruleset):
    first = stages.submit(clean, "2022-05", ruleset, ON)
    assert first.stage == "一上" and clean.batch("2022-05").stage == "一上"
    snap = first.snapshot
    assert snap.n_patches == len(PATCHES) and (clean.path.parent / snap.file_path).is_file()
    check = verify_snapshot(clean, snap.id)
    assert check.content_intact and check.file_intact and check.matches_current
    stages.mark_returned(clean, "2022-05")
    with clean.transaction() as conn:
        conn.execute("UPDATE jctb SET BZ = '已更正', XGR = '张三', XGSJ = 't2' WHERE JCBH = 'P1'")
    assert not verify_snapshot(clean, snap.id).matches_current  # the 一上 snapshot still holds what was reported
    second = stages.submit(clean, "2022-05", ruleset, ON)
    assert second.stage == "二上" and second.snapshot.sha256 != snap.sha256
    stages.lock(clean, "2022-05")
    batch = clean.batch("2022-05")
    assert batch.locked and batch.stage == "锁定"
    trail = [(h.from_stage, h.to_stage, h.who) for h in stages.history(clean, "2022-05")]
    assert trail == [("核查中", "一上", "张三"), ("一上", "一下", "张三"), ("一下", "二上", "张三"),
                     ("二上", "锁定", "张三")]
    with pytest.raises(stages.StageError, match="locked"):
        stages.mark_returned(clean, "2022-05")
    with pytest.raises(sqlite3.DatabaseError):
        clean.conn.execute("UPDATE wpzf_snapshot SET sha256 = 'x'")
    assert [s.stage for s in snapshots(clean, "2022-05")] == ["一上", "二上"]


def test_snapshot_is_reproducible(clean):
    a = export_batch(clean, "2022-05", "一上")
    assert a == export_batch(clean, "2022-05", "一上")
    document = json.loads(a)
    assert [p["JCBH"] for p in document["patches"]] == [p["JCBH"] for p in PATCHES]
    assert all(p["geom"] for p in document["patches"])


@pytest.mark.parametrize("action", ["lock", "returned"])
def test_transitions_out_of_order_are_refused_and_change_nothing(clean, action):
    with pytest.raises(stages.StageError, match="核查中"):
        stages.lock(clean, "2022-05") if action == "lock" else stages.mark_returned(clean, "2022-05")
    assert clean.batch("2022-05").stage == "核查中" and stages.history(clean, "2022-05") == []


def test_submission_with_errors_is_refused_and_stores_no_snapshot(tmp_path, ruleset):
    # Errors by hand: P2 filed without 立案时间 (Q20) and without 新增/存量 (Q21); P3 filed without 立案时间 or
    # 案件编号 (Q20), Q21; P4 no rectification plan (Q05), Q21; P6 undecided at submission (Q16); P7_1 no case or
    # referral (Q04), no plan (Q05), Q21 — 10 errors. P7 is judged through its 地块, so it is not undecided.
    with Workspace.open(build(tmp_path / "ws.gpkg")) as ws:
        with pytest.raises(stages.StageError, match="P2") as caught:
            stages.submit(ws, "2022-05", ruleset, ON)
        assert "Q20" in str(caught.value) and "10 errors" in str(caught.value)
        assert ws.batch("2022-05").stage == "核查中" and snapshots(ws) == []
        stored = ws.conn.execute("SELECT JCBH, rule_id FROM wpzf_check_result WHERE severity = 'error' "
                                 "ORDER BY JCBH, rule_id").fetchall()
        assert stored == [("P2", "Q20"), ("P2", "Q21"), ("P3", "Q20"), ("P3", "Q21"), ("P4", "Q05"), ("P4", "Q21"),
                          ("P6", "Q16"), ("P7_1", "Q04"), ("P7_1", "Q05"), ("P7_1", "Q21")]  # kept for the technician


def test_undecided_patch_is_a_warning_in_a_check_but_refuses_the_submission(tmp_path, ruleset):
    # 工作方案 四(二) 月清: the month's patches are submitted judged; before the deadline (四(一) 20日内) an ordinary
    # check only reminds. P6 undecided, the rest judged.
    from wpzf.domain.workspace.judgement import run_quality_check

    rows = [{**r, "PDLX": None, "JTQX": None} if r["JCBH"] == "P6" else r for r in judged_rows()]
    with Workspace.open(build(tmp_path / "ws.gpkg", patches=rows)) as ws:
        checked = [v for _, v in run_quality_check(ws, ruleset, "2022-05", ON)]
        assert [(v.jcbh, v.rule_id, v.severity) for v in checked] == [("P6", "Q16", "warning")]
        assert "2022-05-26" in checked[0].message and "还剩 6 天" in checked[0].message
        assert checked[0].blocks_submission
        with pytest.raises(stages.StageError, match="1 errors"):
            stages.submit(ws, "2022-05", ruleset, ON)
        assert ws.batch("2022-05").stage == "核查中" and snapshots(ws) == []


def test_feedback_with_messy_headers_marks_patches_and_lists_unknown_ids(clean, ruleset, tmp_path):
    from openpyxl import Workbook

    stages.submit(clean, "2022-05", ruleset, ON)
    book = Workbook()
    sheet = book.active
    sheet.append(["重庆市2022年5月卫片执法一下问题图斑清单"])
    sheet.append([])
    sheet.append(["序号", " 监测编号 （JCBH）", "区县", "存在问题（市级审核）", "备注"])
    sheet.append([1, "P1", "永川区", "缺少批准文号佐证", "限期补充"])
    sheet.append([2, "p4 ", "永川区", "判定依据不充分", None])
    sheet.append([3, "X999", "永川区", "图斑不存在", None])
    path = tmp_path / "一下问题.xlsx"
    book.save(path)
    rows = read_feedback(path)
    assert [(r.jcbh, r.problem) for r in rows] == [("P1", "缺少批准文号佐证"), ("p4", "判定依据不充分"), ("X999", "图斑不存在")]
    assert rows[0].extra == {"序号": "1", "区县": "永川区", "备注": "限期补充"}
    result = apply_feedback(clean, "2022-05", rows)
    assert (result.round, result.marked, result.unknown, result.previous_stage) == (1, ["P1", "P4"], ["X999"], "一上")
    marked = dict(clean.conn.execute("SELECT JCBH, SHYJ || '|' || THCS FROM jctb WHERE THCS > 0"))
    assert marked == {"P1": "缺少批准文号佐证|1", "P4": "判定依据不充分|1"}
    assert clean.batch("2022-05").stage == "一下"
    assert [j for j, _, _ in open_feedback(clean, "2022-05")] == ["P1", "p4", "X999"]
    with pytest.raises(stages.StageError, match="一下"):  # a second list before 二上 is refused, nothing stored
        apply_feedback(clean, "2022-05", rows)
    assert clean.conn.execute("SELECT count(*) FROM wpzf_feedback").fetchone() == (3,)


def test_feedback_csv_in_gbk_with_half_width_headers(tmp_path):
    path = tmp_path / "fk.csv"
    path.write_bytes("图斑编号,问题描述(市级)\r\nP2,面积不符\r\n".encode("gbk"))
    assert [(r.jcbh, r.problem) for r in read_feedback(path)] == [("P2", "面积不符")]


def test_feedback_without_recognisable_header_names_the_columns(tmp_path):
    path = tmp_path / "fk.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TableError, match="JCBH"):
        read_feedback(path)


def test_deadlines_of_a_batch(clean, ruleset):
    (d,) = stages.deadlines(clean, ruleset, dt.date(2022, 5, 30))
    assert (d.decision_due.isoformat(), d.report_due.isoformat()) == ("2022-05-26", "2022-06-20")
    assert (d.decision_days_left, d.report_days_left) == (-4, 21)
