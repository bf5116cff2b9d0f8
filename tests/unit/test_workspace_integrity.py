"""Issue 14 items 8 and 9: append-only tables refuse REPLACE; hand-changed triggers are noticed.

Every attack runs from a plain sqlite3 client (with only the GeoPackage ST_*
functions a GIS registers), on a workspace file the test writes.
"""
from __future__ import annotations

import sqlite3

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.workspace import gpkg, schema
from wpzf.domain.workspace.store import Workspace, WorkspaceError
from wpzf.domain.workspace.triggers import NO_REPLACE_MESSAGE


@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        for jcbh in ("A1", "A2"):
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XGR, XGSJ) VALUES (?, ?, 1, 'tester', 't0')",
                         (wkt_blob(), jcbh))
        conn.execute("INSERT INTO wpzf_evidence (patch_fid, ZLLX, WJLJ, YSWJM, SHA256, WJDX) "
                     "VALUES (1, '照片', 'A1/p.jpg', 'p.jpg', 'abc', 3)")
        conn.execute("INSERT INTO wpzf_snapshot (batch_id, stage, file_path, sha256, created_at) "
                     "VALUES (1, '一上', 'x.xlsx', 'def', '2022-05-20')")
    w.set_stage("2022-05", "一上")  # one stage-history row
    yield w
    w.close()


def _table_dump(ws, table):
    return ws.conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


REPLACES = [
    # (table, statement replacing row 1 / the first row): the three spellings of "replace"
    ("wpzf_audit", "INSERT OR REPLACE INTO wpzf_audit (id, at, who, table_name, action) "
                   "VALUES (1, 'x', 'forger', 'jctb', 'INSERT')"),
    ("wpzf_audit", "REPLACE INTO wpzf_audit (id, at, who, table_name, action) VALUES (1, 'x', 'forger', 'jctb', 'INSERT')"),
    ("wpzf_audit", "INSERT INTO wpzf_audit (id, at, who, table_name, action) VALUES (1, 'x', 'forger', 'jctb', 'INSERT') "
                   "ON CONFLICT (id) DO UPDATE SET who = 'forger'"),
    ("wpzf_stage_history", "INSERT OR REPLACE INTO wpzf_stage_history (id, batch_id, at, who, locked) "
                           "VALUES (1, 1, 'x', 'forger', 0)"),
    ("wpzf_snapshot", "REPLACE INTO wpzf_snapshot (id, batch_id, stage, file_path, sha256, created_at) "
                      "VALUES (1, 1, '一上', 'forged.xlsx', '000', 'x')"),
]


@pytest.mark.parametrize("table, sql", REPLACES)
def test_append_only_tables_refuse_every_kind_of_replace(ws, table, sql):
    before = _table_dump(ws, table)
    plain = gpkg.connect(ws.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only|never changed"):
        plain.execute(sql)
    plain.close()
    assert _table_dump(ws, table) == before  # nothing rewritten, nothing deleted


def test_evidence_and_patches_are_never_replaced_locked_or_not(ws):
    audit_before = _table_dump(ws, "wpzf_audit")
    evidence_before = _table_dump(ws, "wpzf_evidence")
    plain = gpkg.connect(ws.path)
    # unlocked: REPLACE would delete the row without the DELETE audit trigger firing
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):
        plain.execute("INSERT OR REPLACE INTO wpzf_evidence (id, patch_fid, ZLLX, WJLJ, YSWJM, SHA256, WJDX) "
                      "VALUES (1, 1, '照片', 'A1/forged.jpg', 'forged.jpg', '000', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):  # by the UNIQUE (batch_id, JCBH) key
        plain.execute("REPLACE INTO jctb (geom, JCBH, batch_id) VALUES (?, 'A1', 1)", (wkt_blob(),))
    plain.close()
    ws.lock_batch("2022-05")
    audit_locked = _table_dump(ws, "wpzf_audit")
    plain = gpkg.connect(ws.path)
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):
        plain.execute("REPLACE INTO wpzf_evidence (id, patch_fid, ZLLX, WJLJ, YSWJM, SHA256, WJDX) "
                      "VALUES (1, 1, '照片', 'A1/forged.jpg', 'forged.jpg', '000', 1)")
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):  # by fid, into an unlocked batch
        plain.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-06', '2022-06-06', '2022-06-26')")
        plain.execute("INSERT OR REPLACE INTO jctb (fid, geom, JCBH, batch_id) VALUES (1, ?, 'X', 2)", (wkt_blob(),))
    plain.rollback()
    plain.close()
    assert _table_dump(ws, "wpzf_evidence") == evidence_before
    assert ws.conn.execute("SELECT fid, JCBH, batch_id FROM jctb ORDER BY fid").fetchall() == [(1, "A1", 1), (2, "A2", 1)]
    assert len(audit_before) < len(audit_locked) == len(_table_dump(ws, "wpzf_audit"))
    assert NO_REPLACE_MESSAGE.startswith("WPZF:")


def test_a_new_record_is_still_appended_normally(ws):
    ws.lock_batch("2022-05")
    plain = gpkg.connect(ws.path)  # 整改 progress after the lock (work plan 四(二)): appending stays allowed
    plain.execute("INSERT INTO wpzf_rectification (patch_fid, JLRQ, CCMJ) VALUES (1, '2022-07-01', 1.5)")
    plain.commit()
    plain.close()
    assert ws.conn.execute("SELECT CCMJ FROM wpzf_rectification").fetchall() == [(1.5,)]


def _drop(path, *names):
    plain = sqlite3.connect(path)
    for name in names:
        plain.execute(f'DROP TRIGGER "{name}"')
    plain.commit()
    plain.close()


def test_a_dropped_lock_trigger_is_named_and_the_open_refused(ws):
    path = ws.path
    ws.close()
    _drop(path, "wpzf_lock_jctb_update")
    with pytest.raises(WorkspaceError) as refused:
        Workspace.open(path, user="tester")
    message = str(refused.value)
    assert "wpzf_lock_jctb_update (missing)" in message and str(path) in message and "repair" in message
    with sqlite3.connect(path) as plain:  # the refusal wrote nothing
        assert not plain.execute("SELECT 1 FROM sqlite_master WHERE name = 'wpzf_lock_jctb_update'").fetchone()


def test_restore_puts_the_trigger_back_and_records_when_and_by_whom(ws):
    path = ws.path
    ws.close()
    _drop(path, "wpzf_lock_jctb_update", "wpzf_audit_append_only_d")
    with Workspace.open(path, user="李四", repair=True) as w:
        note = w.conn.execute("SELECT who, table_name, field, old_value, new_value, at FROM wpzf_audit "
                              "WHERE table_name = 'sqlite_master'").fetchall()
        assert len(note) == 1
        who, table, field, found, restored, at = note[0]
        assert (who, table, field, restored) == ("李四", "sqlite_master", "triggers", "restored")
        assert "wpzf_lock_jctb_update (missing)" in found and "wpzf_audit_append_only_d (missing)" in found
        assert at.startswith("20")
        assert schema.integrity_findings(w.conn) == []
        w.lock_batch("2022-05")
        with pytest.raises(sqlite3.IntegrityError, match="已锁定"):  # the lock works again
            w.conn.execute("UPDATE jctb SET PDLX = '违法' WHERE fid = 1")
    with Workspace.open(path, user="tester") as w:  # and the next open is clean
        assert w.batch("2022-05").locked


def test_an_altered_audit_trigger_body_is_detected(ws):
    path = ws.path
    ws.close()
    plain = sqlite3.connect(path)
    sql = plain.execute("SELECT sql FROM sqlite_master WHERE name = 'wpzf_audit_jctb_update'").fetchone()[0]
    plain.execute('DROP TRIGGER "wpzf_audit_jctb_update"')
    plain.execute(sql.replace("'UPDATE', f, o, n", "'UPDATE', f, NULL, NULL"))  # history without values
    plain.commit()
    plain.close()
    with pytest.raises(WorkspaceError, match=r"wpzf_audit_jctb_update \(altered\)"):
        Workspace.open(path)


def test_a_foreign_trigger_that_swallows_audit_rows_is_detected(ws):
    path = ws.path
    ws.close()
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TRIGGER quiet BEFORE INSERT ON wpzf_audit BEGIN SELECT RAISE(IGNORE); END")
    with pytest.raises(WorkspaceError, match=r"quiet \(not created by WPZF\)"):
        Workspace.open(path)
    with Workspace.open(path, repair=True) as w:
        assert not w.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'quiet'").fetchone()


def test_tampering_while_open_refuses_the_next_write(ws):
    _drop(ws.path, "wpzf_lock_jctb_delete")
    with pytest.raises(WorkspaceError, match=r"wpzf_lock_jctb_delete \(missing\)"):
        ws.set_stage("2022-05", "一下")
    assert ws.batch("2022-05").stage == "一上"  # nothing written
    assert ws.restore_integrity() == ["wpzf_lock_jctb_delete (missing)"]
    ws.set_stage("2022-05", "一下")
    assert ws.batch("2022-05").stage == "一下"


def test_whitespace_alone_is_no_tampering(ws):
    path = ws.path
    ws.close()
    with sqlite3.connect(path) as plain:  # same trigger, laid out differently (as a SQL tool may store it)
        sql = plain.execute("SELECT sql FROM sqlite_master WHERE name = 'wpzf_lock_jctb_delete'").fetchone()[0]
        plain.execute('DROP TRIGGER "wpzf_lock_jctb_delete"')
        plain.execute("\n   ".join(sql.split()))
    Workspace.open(path).close()
