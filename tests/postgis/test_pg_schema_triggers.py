"""PostGIS workspace schema, audit and stage-lock triggers: the GeoPackage behaviours on a real server."""
from __future__ import annotations

import json

import pytest

from wpzf.domain.workspace import schema
from wpzf.domain.workspace.columns import PATCH_COLUMNS
from wpzf.domain.workspace.postgis.store import PgWorkspace, current_version
from wpzf.domain.workspace.store import WorkspaceError

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"


@pytest.fixture()
def ws(pg_cluster, pg_db):
    w = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="tester")
    with w.transaction() as cur:
        cur.execute("""INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('2022-05', '2022-05-06', '2022-05-26')""")
        for jcbh in ("A1", "A2"):
            cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XGR", "XGSJ")
                           VALUES (ST_GeomFromText(%s, 4523), %s, 1, 'tester', 't0')""", (SQUARE, jcbh))
    yield w
    w.close()


@pytest.fixture()
def plain(pg_cluster, pg_db, ws):
    """A bare psycopg2 session of the same login, as psql would be: no stamps, no search_path help."""
    conn = pg_cluster.connect(pg_db)
    with conn.cursor() as cur:
        cur.execute("SET search_path = wpzf, public")
    conn.commit()
    yield conn
    conn.close()


def fetch(conn, sql, params=()):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    conn.commit()
    return rows


def test_new_workspace_has_every_table_column_and_the_workspace_crs(ws, pg_cluster):
    assert ws.schema_version == schema.LATEST_VERSION
    assert ws.epsg == 4523
    cols = {r[0]: r[1] for r in fetch(ws.conn, "SELECT column_name, data_type FROM information_schema.columns "
                                               "WHERE table_schema = 'wpzf' AND table_name = 'jctb'")}
    for c in PATCH_COLUMNS:
        assert c.name in cols, c.name
        if c.sql_type.startswith("REAL"):
            assert cols[c.name] == "double precision"
    assert cols["row_version"] == "integer"
    geom = fetch(ws.conn, "SELECT type, srid FROM geometry_columns WHERE f_table_schema='wpzf' AND f_table_name='jctb'")
    assert geom == [("MULTIPOLYGON", 4523)]
    versions = [r[0] for r in fetch(ws.conn, "SELECT version FROM wpzf_schema_version ORDER BY 1")]
    assert versions == list(range(1, schema.LATEST_VERSION + 1))


def test_create_refuses_an_existing_workspace_and_open_finds_it(ws, pg_cluster, pg_db):
    with pytest.raises(WorkspaceError, match="already exists"):
        PgWorkspace.create(pg_cluster.params(pg_db), 4523)
    with PgWorkspace.open(pg_cluster.params(pg_db)) as again:
        assert [b.name for b in again.batches()] == ["2022-05"] and again.batch("2022-05").patch_count == 2
    with pytest.raises(WorkspaceError, match="not a WPZF workspace"):
        PgWorkspace.open(pg_cluster.params(pg_db), schema="other")


def test_update_from_a_plain_session_is_audited_as_the_login(ws, plain):
    with plain.cursor() as cur:
        cur.execute("""UPDATE jctb SET "XMC" = '永川区', "TBLX" = '新增', "JCMJ" = 12.5 WHERE "JCBH" = 'A1'""")
    plain.commit()
    rows = fetch(ws.conn, "SELECT who, field, old_value, new_value, label, db_user FROM wpzf_audit "
                          "WHERE action = 'UPDATE' AND table_name = 'jctb' ORDER BY field")
    assert rows == [("wpzf_admin", "JCMJ", None, 12.5, "A1", "wpzf_admin"),
                    ("wpzf_admin", "TBLX", None, "新增", "A1", "wpzf_admin"),
                    ("wpzf_admin", "XMC", None, "永川区", "A1", "wpzf_admin")]


def test_update_stamped_by_client_records_the_login_and_raises_the_row_version(ws):
    with ws.transaction() as cur:  # issue 14 item 12: a client's XGR stamp is not trusted
        cur.execute("""UPDATE jctb SET "PDLX" = '合法', "XGR" = '张三', "XGSJ" = 't1' WHERE "JCBH" = 'A2'""")
    assert fetch(ws.conn, "SELECT who, old_value, new_value FROM wpzf_audit WHERE field = 'PDLX'") == \
        [("wpzf_admin", None, "合法")]
    assert fetch(ws.conn, """SELECT "XGR" FROM jctb WHERE "JCBH" = 'A2'""") == [("wpzf_admin",)]
    assert fetch(ws.conn, """SELECT row_version FROM jctb WHERE "JCBH" = 'A2'""") == [(2,)]


def test_geometry_change_and_delete_are_audited_with_the_whole_record(ws, plain):
    with plain.cursor() as cur:
        cur.execute("""UPDATE jctb SET geom = ST_Multi(ST_Buffer(ST_GeomFromText('POINT(35580050 3250050)', 4523),
                       10, 2)) WHERE "JCBH" = 'A1'""")
        cur.execute("""DELETE FROM jctb WHERE "JCBH" = 'A2'""")
    plain.commit()
    (old_hex, new_hex), = fetch(ws.conn, "SELECT old_value, new_value FROM wpzf_audit WHERE field = 'geom'")
    square = fetch(ws.conn, "SELECT upper(encode(ST_AsBinary(ST_GeomFromText(%s), 'NDR'), 'hex'))", (SQUARE,))[0][0]
    assert old_hex == square and new_hex != square
    (record,), = fetch(ws.conn, "SELECT old_value FROM wpzf_audit WHERE action = 'DELETE'")
    record = record if isinstance(record, dict) else json.loads(record)
    assert record["JCBH"] == "A2" and record["geom"] == square


def test_locked_batch_refuses_update_and_delete_from_any_client(ws, plain):
    import psycopg2

    ws.lock_batch("2022-05")
    for sql in ("""UPDATE jctb SET "PDLX" = '违法' WHERE "JCBH" = 'A1'""", """DELETE FROM jctb WHERE "JCBH" = 'A1'"""):
        with pytest.raises(psycopg2.Error, match="已锁定"):
            with plain.cursor() as cur:
                cur.execute(sql)
        plain.rollback()
    # progress (整改, 移交) may still be appended after the lock (work plan 四(二) "适时更新录入违法图斑查处整改
    # 情况"), but never changed or deleted
    with plain.cursor() as cur:
        cur.execute("""INSERT INTO wpzf_referral (patch_fid, "YJBM", "YJRQ") VALUES (1, '林业局', '2022-06-01')""")
        cur.execute("""INSERT INTO wpzf_rectification (patch_fid, "JLRQ", "CCMJ") VALUES (1, '2022-07-01', 1.5)""")
    plain.commit()
    for sql in ("""UPDATE wpzf_rectification SET "CCMJ" = 2 WHERE patch_fid = 1""",
                """DELETE FROM wpzf_rectification WHERE patch_fid = 1""",
                """UPDATE wpzf_referral SET "ZT" = '已办结' WHERE patch_fid = 1""",
                """DELETE FROM wpzf_referral WHERE patch_fid = 1"""):
        with pytest.raises(psycopg2.Error, match="已锁定"):
            with plain.cursor() as cur:
                cur.execute(sql)
        plain.rollback()
    assert fetch(ws.conn, "SELECT count(*) FROM wpzf_referral") == [(1,)]
    assert fetch(ws.conn, """SELECT "CCMJ" FROM wpzf_rectification""") == [(1.5,)]
    assert fetch(ws.conn, """SELECT "PDLX" FROM jctb WHERE "JCBH" = 'A1'""") == [(None,)]
    assert fetch(ws.conn, "SELECT count(*) FROM jctb") == [(2,)]


def test_unlock_needs_a_new_reason_and_stage_changes_are_recorded(ws, plain):
    import psycopg2

    ws.lock_batch("2022-05")
    with pytest.raises(psycopg2.Error, match="解锁"):
        with plain.cursor() as cur:
            cur.execute("""UPDATE wpzf_batch SET "SDZT" = 0""")
    plain.rollback()
    with pytest.raises(WorkspaceError):
        ws.unlock_batch("2022-05", "  ")
    ws.unlock_batch("2022-05", "市局退回更正 JCBH A1")
    history = fetch(ws.conn, "SELECT from_stage, to_stage, locked, reason, who FROM wpzf_stage_history ORDER BY id")
    assert history == [("核查中", "锁定", 1, None, "wpzf_admin"), ("锁定", "二上", 0, "市局退回更正 JCBH A1", "wpzf_admin")]
    ws.set_stage("2022-05", "一下")
    assert ws.batch("2022-05").stage == "一下"
    with ws.transaction() as cur:
        cur.execute("""UPDATE jctb SET "PDLX" = '违法' WHERE "JCBH" = 'A1'""")


@pytest.mark.parametrize("table", ["wpzf_audit", "wpzf_stage_history"])
def test_audit_and_stage_history_are_append_only(ws, plain, table):
    import psycopg2

    ws.lock_batch("2022-05")
    for sql in (f"DELETE FROM {table}", f"UPDATE {table} SET who = 'x'", f"TRUNCATE {table}"):
        with pytest.raises(psycopg2.Error, match="append-only"):
            with plain.cursor() as cur:
                cur.execute(sql)
        plain.rollback()


def test_a_migration_from_an_older_version_keeps_data_and_audits_new_columns(pg_cluster, pg_db):
    from wpzf.domain.workspace.postgis.store import migrate

    conn = pg_cluster.connect(pg_db)
    migrate(conn, "wpzf", 4523, target=3)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO wpzf.wpzf_meta VALUES ('crs_epsg', '4523')")
        cur.execute("""INSERT INTO wpzf.wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('b', '2022-05-06', '2022-05-26')""")
        cur.execute("""INSERT INTO wpzf.jctb ("JCBH", batch_id) VALUES ('OLD1', 1)""")
    conn.commit()
    assert current_version(conn, "wpzf") == 3
    conn.close()
    with PgWorkspace.open(pg_cluster.params(pg_db), user="tester") as w:
        assert w.schema_version == schema.LATEST_VERSION
        with w.transaction() as cur:
            cur.execute("""UPDATE jctb SET "YZGGDMJ" = 1.25 WHERE "JCBH" = 'OLD1'""")
        assert fetch(w.conn, "SELECT new_value FROM wpzf_audit WHERE field = 'YZGGDMJ'") == [(1.25,)]
