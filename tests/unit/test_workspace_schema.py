"""Workspace schema, migrations, audit and stage-lock triggers on real GeoPackage files."""
from __future__ import annotations

import sqlite3

import pytest

from wpzf.domain.workspace import gpkg, schema
from wpzf.domain.workspace.store import Workspace, WorkspaceError, connect
from wpzf.domain.workspace.triggers import UNSIGNED

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"


def _blob(wkt: str = SQUARE, srs: int = 4523) -> bytes:
    import shapely

    g = shapely.from_wkt(wkt)
    return gpkg.encode(shapely.to_wkb(g), srs, g.bounds)


def _add_patch(conn, batch_id: int, jcbh: str) -> int:
    return conn.execute(
        "INSERT INTO jctb (geom, JCBH, batch_id, XGR, XGSJ) VALUES (?, ?, ?, 'tester', 't0')",
        (_blob(), jcbh, batch_id),
    ).lastrowid


@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        _add_patch(conn, 1, "A1")
        _add_patch(conn, 1, "A2")
    yield w
    w.close()


def test_new_workspace_is_a_geopackage_at_latest_version(ws):
    app_id = ws.conn.execute("PRAGMA application_id").fetchone()[0]
    assert app_id == gpkg.APPLICATION_ID
    assert ws.schema_version == schema.LATEST_VERSION
    assert ws.epsg == 4523
    assert ws.evidence_dir.is_dir()
    assert ws.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    srs = ws.conn.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name='jctb'").fetchone()
    assert srs == (4523,)
    # the R-tree was filled by its trigger through our ST_* functions
    assert ws.conn.execute("SELECT count(*) FROM rtree_jctb_geom").fetchone()[0] == 2


def test_create_refuses_to_overwrite(ws):
    with pytest.raises(WorkspaceError, match="already exists"):
        Workspace.create(ws.path, 4523)


def test_a_bare_sqlite3_client_must_register_the_geopackage_functions_to_write_patches(ws):
    # the spec's R-tree triggers call ST_IsEmpty; SQLite compiles a table's triggers with the statement
    bare = sqlite3.connect(ws.path)
    with pytest.raises(sqlite3.OperationalError, match="ST_IsEmpty"):
        bare.execute("UPDATE jctb SET XMC = '永川区' WHERE JCBH = 'A1'")
    bare.close()
    assert ws.conn.execute("SELECT XMC FROM jctb WHERE JCBH = 'A1'").fetchone() == (None,)


def test_update_from_plain_sqlite3_is_audited_as_unsigned(ws):
    plain = gpkg.connect(ws.path)  # a plain client with the ST_* functions only: no WPZF code, no stamp
    plain.execute("UPDATE jctb SET XMC = '永川区', TBLX = '新增' WHERE JCBH = 'A1'")
    plain.commit()
    plain.close()
    rows = ws.conn.execute(
        "SELECT who, field, old_value, new_value, label FROM wpzf_audit "
        "WHERE action = 'UPDATE' AND table_name = 'jctb' ORDER BY field"
    ).fetchall()
    assert rows == [(UNSIGNED, "TBLX", None, "新增", "A1"), (UNSIGNED, "XMC", None, "永川区", "A1")]


def test_update_stamped_by_client_records_its_user(ws):
    with ws.transaction() as conn:
        conn.execute("UPDATE jctb SET PDLX = '合法', XGR = '张三', XGSJ = 't1' WHERE JCBH = 'A2'")
    who = ws.conn.execute("SELECT who, old_value, new_value FROM wpzf_audit WHERE field = 'PDLX'").fetchall()
    assert who == [("张三", None, "合法")]


def test_delete_audit_keeps_the_whole_record(ws):
    import json

    plain = sqlite3.connect(ws.path)  # a bare client can delete (no R-tree trigger calls ST_* on delete)
    plain.execute("DELETE FROM jctb WHERE JCBH = 'A2'")
    plain.commit()
    plain.close()
    old = ws.conn.execute("SELECT old_value FROM wpzf_audit WHERE action = 'DELETE'").fetchone()[0]
    record = json.loads(old)
    assert record["JCBH"] == "A2" and bytes.fromhex(record["geom"]) == _blob()


def test_locked_batch_refuses_update_and_delete_from_any_client(ws):
    ws.lock_batch("2022-05")
    plain = gpkg.connect(ws.path)
    for sql in ("UPDATE jctb SET PDLX = '违法' WHERE JCBH = 'A1'", "DELETE FROM jctb WHERE JCBH = 'A1'"):
        with pytest.raises(sqlite3.IntegrityError, match="已锁定"):
            plain.execute(sql)
    # progress (整改, 移交) may still be appended after the lock (work plan 四(二) "适时更新录入违法图斑查处整改
    # 情况"), but never changed or deleted
    plain.execute("INSERT INTO wpzf_referral (patch_fid, YJBM, YJRQ) VALUES (1, '林业局', '2022-06-01')")
    plain.execute("INSERT INTO wpzf_rectification (patch_fid, JLRQ, CCMJ) VALUES (1, '2022-07-01', 1.5)")
    plain.commit()
    for sql in ("UPDATE wpzf_rectification SET CCMJ = 2 WHERE patch_fid = 1",
                "DELETE FROM wpzf_rectification WHERE patch_fid = 1",
                "UPDATE wpzf_referral SET ZT = '已办结' WHERE patch_fid = 1",
                "DELETE FROM wpzf_referral WHERE patch_fid = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="已锁定"):
            plain.execute(sql)
    plain.close()
    assert ws.conn.execute("SELECT PDLX FROM jctb WHERE JCBH='A1'").fetchone() == (None,)
    assert ws.conn.execute("SELECT count(*) FROM jctb").fetchone() == (2,)


def test_unlock_needs_reason_and_is_recorded(ws):
    ws.lock_batch("2022-05")
    plain = sqlite3.connect(ws.path)
    with pytest.raises(sqlite3.IntegrityError, match="解锁"):
        plain.execute("UPDATE wpzf_batch SET SDZT = 0")
    plain.close()
    with pytest.raises(WorkspaceError):
        ws.unlock_batch("2022-05", "  ")
    ws.unlock_batch("2022-05", "市局退回更正 JCBH A1")
    history = ws.conn.execute("SELECT from_stage, to_stage, locked, reason, who FROM wpzf_stage_history").fetchall()
    assert history == [("核查中", "锁定", 1, None, "tester"), ("锁定", "二上", 0, "市局退回更正 JCBH A1", "tester")]
    with ws.transaction() as conn:
        conn.execute("UPDATE jctb SET PDLX = '违法' WHERE JCBH = 'A1'")


def test_audit_log_is_append_only(ws):
    plain = sqlite3.connect(ws.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        plain.execute("DELETE FROM wpzf_audit")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        plain.execute("UPDATE wpzf_audit SET who = 'x'")
    plain.close()


@pytest.mark.parametrize("start", range(1, schema.LATEST_VERSION))
def test_migrates_from_every_older_version_keeping_data(tmp_path, start):
    path = tmp_path / "old.gpkg"
    conn = connect(path)
    conn.execute("BEGIN")
    gpkg.initialise(conn)
    gpkg.add_srs(conn, 4523, "CGCS2000 zone 35", "PROJCS[...]")
    schema.migrate(conn, 4523, target=start)
    conn.execute("INSERT INTO wpzf_meta VALUES ('crs_epsg', '4523')")
    conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
    _add_patch(conn, 1, "OLD1")
    conn.execute("COMMIT")
    assert schema.current_version(conn) == start
    conn.close()

    with Workspace.open(path, user="tester") as ws:
        assert ws.schema_version == schema.LATEST_VERSION
        versions = [r[0] for r in ws.conn.execute("SELECT version FROM wpzf_schema_version ORDER BY version")]
        assert versions == list(range(1, schema.LATEST_VERSION + 1))
        assert ws.conn.execute("SELECT JCBH, geom FROM jctb").fetchall() == [("OLD1", _blob())]
        # columns added by later versions are audited and locked like the old ones
        with ws.transaction() as c:
            c.execute("UPDATE jctb SET PDLX = '合法' WHERE JCBH = 'OLD1'")
        assert ws.conn.execute("SELECT count(*) FROM wpzf_audit WHERE field = 'PDLX'").fetchone() == (1,)
        ws.lock_batch("2022-05")
        with pytest.raises(sqlite3.IntegrityError, match="已锁定"):
            ws.conn.execute("UPDATE jctb SET WFMJ = 1 WHERE JCBH = 'OLD1'")


def test_workspace_newer_than_plugin_is_refused(ws):
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_schema_version VALUES (99, 'x', 'future')")
    with pytest.raises(WorkspaceError, match="99"):
        Workspace.open(ws.path)



def test_a_file_that_is_no_database_is_refused_clearly(tmp_path):
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(WorkspaceError, match="not a WPZF workspace"):
        Workspace.open(junk)
    assert junk.read_bytes() == b"not sqlite at all" * 100
