"""Progress after the lock on a real GeoPackage: appended as dated, audited records; the locked data never change.

Work plan 四(二): "各阶段数据一经锁定则不能修改 … 适时更新录入违法图斑查处整改情况"; domain.md §9:
"Locking freezes what was reported at a stage; the plan still requires 查处整改 progress to be
recorded after it — as dated records that never alter the locked stage data."
"""
from __future__ import annotations

import sqlite3

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.casework import DecisionInput, FieldVisit, RectificationInput, Referral
from wpzf.domain.casework.progress import latest_rectification, rectification_records
from wpzf.domain.casework.save import (
    InvalidInput,
    add_field_visit,
    add_referral,
    child_rows,
    patch_state,
    save_decision,
    save_rectification,
)
from wpzf.domain.reporting.snapshot import export_batch, snapshots, verify_snapshot, write_snapshot
from wpzf.domain.rules import available_rulesets, load_ruleset
from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call
from wpzf.domain.workspace.store import Workspace


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])




@pytest.fixture()
def locked(tmp_path, ruleset):
    """Patch A1 judged illegal (违法 4 亩, 其中耕地 3 亩), one record of June, reported 二上 (snapshot), then locked."""
    ws = Workspace.create(tmp_path / "ws.gpkg", 4523, user="张三")
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, TBMJ, GDMJ, XGR, XGSJ) "
                     "VALUES (?, 'A1', 1, 2666.67, 2000, 'import', 't0')", (wkt_blob(),))
    save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=4.0, WFGDMJ=3.0), ruleset)
    save_rectification(ws, 1, RectificationInput("2022-06-01", "拆除复耕", CCMJ=1.0, FGMJ=0.5), ruleset)
    with ws.transaction():
        write_snapshot(ws, "2022-05", "二上", export_batch(ws, "2022-05", "二上"))
    ws.lock_batch("2022-05")
    yield ws
    ws.close()


def _row(ws, fid=1):
    cur = ws.conn.execute("SELECT * FROM jctb WHERE fid = ?", (fid,))
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


def _snapshot_rows(ws):
    return ws.conn.execute("SELECT id, stage, sha256, content FROM wpzf_snapshot ORDER BY id").fetchall()


def test_the_unlocked_record_wrote_the_summary_with_rectified_farmland(locked):
    # 已整改 = 拆除 1 + 补办 0 = 1; 已整改耕地 = 复耕 0.5 + 补办耕地 0 = 0.5 (demolition alone: domain.md §9)
    row = _row(locked)
    assert (row["CCMJ"], row["FGMJ"], row["YZGMJ"], row["YZGGDMJ"], row["SYWZGMJ"]) == (1.0, 0.5, 1.0, 0.5, 3.0)


def test_rectification_and_referral_are_appended_to_a_locked_patch_and_audited(locked, ruleset):
    ws = locked
    before, snaps = _row(ws), _snapshot_rows(ws)
    start = ws.conn.execute("SELECT max(id) FROM wpzf_audit").fetchone()[0]
    state = patch_state(ws, 1)
    assert state.read_only
    rect_id, after = save_rectification(ws, 1, RectificationInput(
        "2022-09-30", "拆补组合", CCMJ=2.0, FGMJ=1.5, BBMJ=1.0, BBGDMJ=0.8, BBPZWH="渝府地〔2022〕9号"),
        ruleset, loaded=state)
    ref_id = add_referral(ws, 1, Referral("区农业农村委", "2022-10-08", "永规资移〔2022〕7号", "已移交"), ruleset)
    visit_id = add_field_visit(ws, 1, FieldVisit("2022-10-09", "李四", "复耕验收"))
    assert dict(after.values) == {k: before[k] for k in after.values}  # the save returns the patch as locked
    # the record is there: 剩余 = 违法 4 − 拆除 2 − 补办 1 = 1 亩
    stored = child_rows(ws, "wpzf_rectification", 1)[-1]
    assert (stored["id"], stored["JLRQ"], stored["CCMJ"], stored["FGMJ"], stored["BBMJ"], stored["BBGDMJ"],
            stored["SYWZGMJ"], stored["XGR"]) == (rect_id, "2022-09-30", 2.0, 1.5, 1.0, 0.8, 1.0, "张三")
    assert child_rows(ws, "wpzf_referral", 1)[0]["YJBM"] == "区农业农村委"
    audit = ws.conn.execute("SELECT table_name, row_id, action, who FROM wpzf_audit WHERE id > ? ORDER BY id",
                            (start,)).fetchall()
    assert audit == [("wpzf_rectification", rect_id, "INSERT", "张三"), ("wpzf_referral", ref_id, "INSERT", "张三"),
                     ("wpzf_field_visit", visit_id, "INSERT", "张三")]  # no patch (jctb) row touched
    # the locked stage data did not change: the patch row (summary included) and the 二上 snapshot
    assert _row(ws) == before and _snapshot_rows(ws) == snaps
    check = verify_snapshot(ws, snapshots(ws, "2022-05")[0].id)
    assert check.content_intact and check.file_intact
    # the progress is the record: as at 2022-08-31 the June record, as at 2022-12-31 the September one
    records = rectification_records(ws)[1]
    assert latest_rectification(records, "2022-08-31").CCMJ == 1.0
    latest = latest_rectification(records, "2022-12-31")
    assert latest.id == rect_id and latest.rectified == 3.0 and latest.rectified_farmland == pytest.approx(2.3)


def test_appended_records_cannot_be_changed_or_deleted_by_any_client(locked, ruleset):
    ws = locked
    rect_id, _ = save_rectification(ws, 1, RectificationInput("2022-09-30", "拆除复耕", CCMJ=2.0, FGMJ=1.5), ruleset)
    ref_id = add_referral(ws, 1, Referral("镇街", "2022-10-08"), ruleset)
    plain = gpkg_connect(ws.path)
    try:
        for sql in (f"UPDATE wpzf_rectification SET CCMJ = 4 WHERE id = {rect_id}",
                    f"DELETE FROM wpzf_rectification WHERE id = {rect_id}",
                    f"UPDATE wpzf_referral SET ZT = '已办结' WHERE id = {ref_id}",
                    f"DELETE FROM wpzf_referral WHERE id = {ref_id}",
                    "UPDATE jctb SET YZGMJ = 2, YZGGDMJ = 1.5 WHERE fid = 1"):
            with pytest.raises(sqlite3.IntegrityError, match="已锁定"):
                plain.execute(sql)
    finally:
        plain.close()
    assert child_rows(ws, "wpzf_rectification", 1)[-1]["CCMJ"] == 2.0
    assert [r["id"] for r in child_rows(ws, "wpzf_referral", 1)] == [ref_id]


def test_decision_stays_refused_after_the_lock(locked, ruleset):
    from wpzf.domain.workspace.store import WorkspaceError

    with pytest.raises(WorkspaceError, match="锁定"):
        save_decision(locked, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=5.0), ruleset)


def test_invalid_progress_on_a_locked_patch_writes_nothing(locked, ruleset):
    ws = locked
    count = len(child_rows(ws, "wpzf_rectification", 1))
    audit = ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone()
    cases = [
        # before the June record: records follow one another in time
        (RectificationInput("2022-05-31", "拆除复耕", CCMJ=2.0, FGMJ=1.0), "JLRQ", "2022-06-01"),
        # 复耕 3.5 > 违法耕地 3: farmland cannot be given back beyond what was taken
        (RectificationInput("2022-09-30", "拆除复耕", CCMJ=4.0, FGMJ=3.5, ZGWCSJ="2022-09-30"), "FGMJ", "3.00"),
        # 复耕 2 + 补办耕地 1.5 = 3.5 > 3
        (RectificationInput("2022-09-30", "拆补组合", CCMJ=2.0, FGMJ=2.0, BBMJ=2.0, BBGDMJ=1.5, BBPZWH="x",
                            ZGWCSJ="2022-09-30"), "BBGDMJ", "3.50"),
    ]
    for rect, field, shown in cases:
        with pytest.raises(InvalidInput) as info:
            save_rectification(ws, 1, rect, ruleset)
        errors = {p.field: str(p) for p in info.value.problems if p.blocks_save}
        assert field in errors and shown in errors[field] and "A1" in str(info.value), errors
    assert len(child_rows(ws, "wpzf_rectification", 1)) == count
    assert ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone() == audit


def test_after_unlocking_the_next_record_updates_the_summary_again(locked, ruleset):
    ws = locked
    save_rectification(ws, 1, RectificationInput("2022-09-30", "拆除复耕", CCMJ=2.0, FGMJ=1.5), ruleset)
    assert _row(ws)["CCMJ"] == 1.0  # locked: the summary is as reported
    ws.unlock_batch("2022-05", "市局退回更正")
    save_rectification(ws, 1, RectificationInput("2022-11-01", "拆补组合", CCMJ=3.0, FGMJ=2.2, BBMJ=1.0, BBGDMJ=0.8,
                                                 BBPZWH="渝府地〔2022〕9号", ZGWCSJ="2022-11-01"), ruleset)
    row = _row(ws)
    # 已整改 = 拆除 3 + 补办 1 = 4 = 违法面积; 已整改耕地 = 复耕 2.2 + 补办耕地 0.8 = 3 = 违法耕地面积
    assert (row["YZGMJ"], row["SYWZGMJ"], row["BBGDMJ"], row["ZGWCSJ"]) == (4.0, 0.0, 0.8, "2022-11-01")
    assert row["YZGGDMJ"] == pytest.approx(3.0)
