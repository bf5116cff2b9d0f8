"""立案查处 progress as dated records on a real GeoPackage: a case goes on after the lock; the snapshot still verifies.

Work plan 四(二): "各阶段数据一经锁定则不能修改 … 适时更新录入违法图斑查处整改情况"; domain.md §9:
"As at a date: … progress (拆除, 复耕, 补办, 结案) counts only if dated on or before it" and "Locking
freezes what was reported at a stage; the plan still requires 查处整改 progress to be recorded after
it — as dated records that never alter the locked stage data."
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.casework import CaseInfo, DecisionInput
from wpzf.domain.casework.progress import case_records, latest_case
from wpzf.domain.casework.save import (
    ConflictError,
    InvalidInput,
    child_rows,
    patch_state,
    save_case,
    save_case_record,
    save_decision,
)
from wpzf.domain.casework.validate import validate_case
from wpzf.domain.reporting.snapshot import (
    canonical,
    export_batch,
    export_document,
    snapshots,
    verify_snapshot,
    write_snapshot,
)
from wpzf.domain.rules import available_rulesets, load_ruleset
from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call
from wpzf.domain.workspace.store import Workspace

CASE_NO, DECISION_NO = "永规资罚〔2022〕8号", "永规资罚决〔2022〕8号"
FILED = CaseInfo(True, "2022-06-01", CASE_NO, JLRQ="2022-06-01")
"""立案 on 2022-06-01, recorded the same day (before the lock)."""
CLOSED = CaseInfo(True, "2022-06-01", CASE_NO, DECISION_NO, 20000.0, 0.0, JASJ="2022-10-20", JLRQ="2022-10-31",
                  SM="罚款已缴清")
"""处罚 20000 元 and 结案 on 2022-10-20, recorded on 2022-10-31 (after the lock)."""


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])




def _workspace(tmp_path, ruleset) -> Workspace:
    """Patch A1 judged illegal (4 亩) and its case filed on 2022-06-01, on an unlocked batch 2022-05."""
    ws = Workspace.create(tmp_path / "ws.gpkg", 4523, user="张三")
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, TBMJ, XGR, XGSJ) "
                     "VALUES (?, 'A1', 1, 2666.67, 'import', 't0')", (wkt_blob(),))
    save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=4.0), ruleset)
    save_case(ws, 1, FILED)
    return ws


def _snapshot(ws, stage="二上", content=None):
    with ws.transaction():
        return write_snapshot(ws, "2022-05", stage, content or export_batch(ws, "2022-05", stage))


@pytest.fixture()
def locked(tmp_path, ruleset):
    """The filed case reported 二上 (snapshot), then the batch locked by the city."""
    ws = _workspace(tmp_path, ruleset)
    _snapshot(ws)
    ws.lock_batch("2022-05")
    yield ws
    ws.close()


def _row(ws, fid=1):
    cur = ws.conn.execute("SELECT * FROM jctb WHERE fid = ?", (fid,))
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


def _snapshot_rows(ws):
    return ws.conn.execute("SELECT id, stage, sha256, content FROM wpzf_snapshot ORDER BY id").fetchall()


def _audit_count(ws):
    return ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone()[0]


def test_the_unlocked_save_wrote_the_record_and_the_patch_columns(locked):
    row = _row(locked)
    assert (row["SFLA"], row["LASJ"], row["AJBH"], row["JASJ"]) == (1, "2022-06-01", CASE_NO, None)
    records = child_rows(locked, "wpzf_case_progress", 1)
    assert [(r["JLRQ"], r["SFLA"], r["AJBH"], r["JASJ"], r["XGR"]) for r in records] == \
        [("2022-06-01", 1, CASE_NO, None, "张三")]
    # the case record existing at the submission is part of what was reported
    content = json.loads(_snapshot_rows(locked)[0][3])
    assert [r["JLRQ"] for r in content["wpzf_case_progress"]] == ["2022-06-01"]


def test_a_case_filed_before_the_lock_is_closed_after_it_as_a_dated_audited_record(locked):
    ws = locked
    before, snaps, start = _row(ws), _snapshot_rows(ws), ws.conn.execute("SELECT max(id) FROM wpzf_audit").fetchone()[0]
    state = patch_state(ws, 1)
    assert state.read_only
    record_id, after = save_case_record(ws, 1, CLOSED, loaded=state)  # no refusal any more
    assert dict(after.values) == {k: before[k] for k in after.values}
    stored = child_rows(ws, "wpzf_case_progress", 1)[-1]
    assert (stored["id"], stored["JLRQ"], stored["SFLA"], stored["CFJDSWH"], stored["FMK"], stored["MSMJ"],
            stored["JASJ"], stored["SM"], stored["XGR"]) == \
        (record_id, "2022-10-31", 1, DECISION_NO, 20000.0, 0.0, "2022-10-20", "罚款已缴清", "张三")
    audit = ws.conn.execute("SELECT table_name, row_id, action, who FROM wpzf_audit WHERE id > ? ORDER BY id",
                            (start,)).fetchall()
    assert audit == [("wpzf_case_progress", record_id, "INSERT", "张三")]  # the patch (jctb) was not touched
    assert _row(ws) == before and _snapshot_rows(ws) == snaps  # the locked stage data: JASJ still empty
    check = verify_snapshot(ws, snapshots(ws, "2022-05")[0].id)
    assert check.content_intact and check.file_intact and check.matches_current
    assert check.n_added == 1 and check.added_by_table() == {"wpzf_case_progress": 1}
    added = check.added[0]
    assert (added.table, added.id, added.patch_fid, added.inserted_by) == \
        ("wpzf_case_progress", record_id, 1, "张三")
    assert added.inserted_at > check.snapshot.created_at  # both UTC ISO text: the audit's INSERT came later


def test_latest_case_as_at_a_date(locked):
    """domain.md §9: 结案 counts only if dated on or before the date; a record counts from its JLRQ."""
    record_id, _ = save_case_record(locked, 1, CLOSED)
    records = case_records(locked)[1]
    assert latest_case(records, "2022-05-31") is None  # no case record yet: not filed as at May
    june = latest_case(records, dt.date(2022, 9, 30))  # filed on 06-01, not closed by the end of September
    assert june.JLRQ == "2022-06-01" and june.filed and not june.closed and june.FMK is None
    # 2022-10-25 is after JASJ 10-20, but the record stating it is dated 10-31: not yet closed as at 10-25
    assert not latest_case(records, "2022-10-25").closed
    year = latest_case(records, "2022-12-31")  # the 2022 figures: closed on 10-20, fine 20000 元
    assert (year.id, year.closed, year.JASJ, year.FMK) == (record_id, True, "2022-10-20", 20000.0)
    assert latest_case(records).id == record_id
    assert case_records(locked, fids=[2]) == {}


def test_invalid_case_records_are_refused_naming_the_field_and_write_nothing(locked):
    today = dt.date(2022, 12, 1)
    previous = case_records(locked)[1][-1]  # the record of 2022-06-01

    def errors(case):
        return {p.field: str(p) for p in validate_case(case, today, previous) if p.blocks_save}

    assert errors(CLOSED) == {}
    # 结案 10-20 before 立案 11-01: LASJ ≤ JASJ
    assert "2022-11-01" in errors(CaseInfo(True, "2022-11-01", CASE_NO, JASJ="2022-10-20", JLRQ="2022-11-30"))["JASJ"]
    # closed 11-15 but the record is as at 10-31: JASJ ≤ JLRQ
    late = errors(CaseInfo(True, "2022-06-01", CASE_NO, JASJ="2022-11-15", JLRQ="2022-10-31"))
    assert set(late) == {"JASJ"} and "2022-10-31" in late["JASJ"] and "记录日期" in late["JASJ"]
    # the record's date: not after today, not before the previous record (2022-06-01)
    assert "future" in errors(CaseInfo(True, "2022-06-01", CASE_NO, JLRQ="2022-12-02"))["JLRQ"]
    assert "2022-06-01" in errors(CaseInfo(True, "2022-05-20", CASE_NO, JLRQ="2022-05-31"))["JLRQ"]
    # 立案 needs its date and case number; 结案 needs 立案
    assert set(errors(CaseInfo(True, JLRQ="2022-10-31"))) == {"LASJ", "AJBH"}
    assert "结案时间" in errors(CaseInfo(False, JASJ="2022-10-20", JLRQ="2022-10-31"))["JASJ"]
    # dropping the filing the previous record states is only a warning (a correction is possible)
    dropped = validate_case(CaseInfo(False, JLRQ="2022-10-31"), today, previous)
    assert [(p.field, p.severity) for p in dropped] == [("SFLA", "warning")]

    count, audit = len(child_rows(locked, "wpzf_case_progress", 1)), _audit_count(locked)
    with pytest.raises(InvalidInput) as info:
        save_case_record(locked, 1, CaseInfo(True, "2022-06-01", CASE_NO, JASJ="2022-11-15", JLRQ="2022-10-31"))
    assert "A1" in str(info.value) and "JASJ" in str(info.value)
    assert len(child_rows(locked, "wpzf_case_progress", 1)) == count and _audit_count(locked) == audit


def test_the_record_date_defaults_to_today(locked):
    record_id, _ = save_case_record(locked, 1, CaseInfo(True, "2022-06-01", CASE_NO, DECISION_NO))
    assert child_rows(locked, "wpzf_case_progress", 1)[-1]["JLRQ"] == dt.date.today().isoformat()


@pytest.mark.parametrize("change", [
    "UPDATE wpzf_case_progress SET AJBH = '改' WHERE id = 1",  # the record the snapshot holds
    "UPDATE jctb SET JASJ = '2022-10-20' WHERE fid = 1",      # the reported patch row
])
def test_a_change_of_what_was_reported_still_breaks_the_match(locked, change):
    ws = locked
    save_case_record(ws, 1, CLOSED)  # appended after the lock: no change of what was reported
    snap = snapshots(ws, "2022-05")[0]
    assert verify_snapshot(ws, snap.id).matches_current
    plain = gpkg_connect(ws.path)  # another client, without our checks; the lock trigger dropped first
    try:
        plain.executescript('DROP TRIGGER "wpzf_lock_wpzf_case_progress_update"; DROP TRIGGER wpzf_lock_jctb_update;')
        plain.execute(change)
        plain.commit()
    finally:
        plain.close()
    check = verify_snapshot(ws, snap.id)
    assert check.content_intact and check.file_intact and not check.matches_current and check.n_added == 1


def test_on_an_unlocked_batch_the_save_updates_the_patch_and_guards_against_lost_updates(tmp_path, ruleset):
    ws = _workspace(tmp_path, ruleset)
    try:
        first = _snapshot(ws, "一上")  # reported, not locked
        mine = patch_state(ws, 1)
        other = Workspace.open(ws.path, user="李四")
        try:
            save_case(other, 1, CaseInfo(True, "2022-06-01", CASE_NO, DECISION_NO, JLRQ="2022-07-01"))
        finally:
            other.close()
        count, audit = len(child_rows(ws, "wpzf_case_progress", 1)), _audit_count(ws)
        with pytest.raises(ConflictError) as info:
            save_case_record(ws, 1, CLOSED, loaded=mine)
        assert "李四" in str(info.value) and "A1" in str(info.value)
        assert len(child_rows(ws, "wpzf_case_progress", 1)) == count and _audit_count(ws) == audit
        record_id, state = save_case_record(ws, 1, CLOSED, loaded=patch_state(ws, 1))
        row = _row(ws)
        assert (row["JASJ"], row["FMK"], row["CFJDSWH"], row["XGR"]) == ("2022-10-20", 20000.0, DECISION_NO, "张三")
        assert state.values["JASJ"] == "2022-10-20"
        # unlocked, the save changed the reported patch row: the 一上 snapshot no longer matches
        check = verify_snapshot(ws, first.id)
        assert not check.matches_current and check.n_added == 2  # 李四's record of 07-01 and this one
    finally:
        ws.close()


def test_a_snapshot_taken_before_case_records_were_exported_still_verifies(tmp_path, ruleset):
    """Snapshots frozen before this change hold no case-record list: every case record counts as added."""
    ws = _workspace(tmp_path, ruleset)
    try:
        document = export_document(ws, "2022-05", "二上")
        del document["wpzf_case_progress"]
        old = _snapshot(ws, content=canonical(document))
        ws.lock_batch("2022-05")
        save_case_record(ws, 1, CLOSED)
        check = verify_snapshot(ws, old.id)
        assert check.content_intact and check.matches_current and check.added_by_table() == {"wpzf_case_progress": 2}
    finally:
        ws.close()
