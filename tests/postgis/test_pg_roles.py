"""Roles enforced by the database: each test logs in as its own role in a plain psycopg2 session."""
from __future__ import annotations

import psycopg2
import pytest

from wpzf.domain.workspace.postgis import roles
from wpzf.domain.workspace.postgis.store import PgWorkspace

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"
TOWN_A, TOWN_B = "500118101", "500118102"
USERS = {"tech_a": roles.TECHNICIAN, "rev": roles.REVIEWER, "view": roles.VIEWER}


@pytest.fixture()
def office(pg_cluster, pg_db):
    """Workspace with batches 2022-05 (patches A1 in town A, B1 in town B) and 2022-06 (A9, locked)."""
    ws = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="admin")
    ws.add_batch("2022-05", "2022-05-06")
    ws.add_batch("2022-06", "2022-06-06")
    with ws.transaction() as cur:
        for jcbh, batch, town in (("A1", 1, TOWN_A), ("B1", 1, TOWN_B), ("A9", 2, TOWN_A)):
            cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XZQDM") VALUES
                           (ST_GeomFromText(%s, 4523), %s, %s, %s)""", (SQUARE, jcbh, batch, town + "000"))
        for user, role in USERS.items():
            roles.create_user(ws.conn, "wpzf", user, f"pw-{user}", role)
        roles.assign_towns(ws.conn, "wpzf", "tech_a", [TOWN_A])
    ws.lock_batch("2022-06")
    yield ws
    ws.close()


def login(pg_cluster, pg_db, user):
    conn = psycopg2.connect(**pg_cluster.params(pg_db, user=user, password=f"pw-{user}"))
    with conn.cursor() as cur:
        cur.execute("SET search_path = wpzf, public")
    conn.commit()
    return conn


def run(conn, sql, params=()):
    """Execute and commit; return the row count."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        count = cur.rowcount
    conn.commit()
    return count


def refused(conn, sql, match):
    with pytest.raises(psycopg2.Error, match=match):
        run(conn, sql)
    conn.rollback()


def test_technician_edits_own_town_only_and_never_a_locked_patch_or_a_batch(office, pg_cluster, pg_db):
    conn = login(pg_cluster, pg_db, "tech_a")
    assert run(conn, """UPDATE jctb SET "PDLX" = '合法', "XGR" = '李工', "XGSJ" = 't1' WHERE "JCBH" = 'A1'""") == 1
    assert run(conn, """INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY") VALUES (1, '2022-05-10', '李工')""") == 1
    # another town's patch: an error naming the patch, its town and the technician's towns, never 0 rows
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match=f"B1 .*{TOWN_B}.*tech_a.*{TOWN_A}"):
        run(conn, """UPDATE jctb SET "PDLX" = '违法' WHERE "JCBH" = 'B1'""")
    conn.rollback()
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="B1"):
        run(conn, """UPDATE jctb SET "PDLX" = '违法'""")  # a statement touching both towns changes neither
    conn.rollback()
    run(office.conn, """INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY") VALUES (2, '2022-05-10', '王工')""")
    refused(conn, """UPDATE wpzf_field_visit SET "KCQK" = 'x' WHERE patch_fid = 2""", "B1")
    refused(conn, """INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY") VALUES (2, '2022-05-10', '李工')""",
            "row-level security")
    refused(conn, """UPDATE jctb SET "XZQDM" = '500118102000' WHERE "JCBH" = 'A1'""", "row-level security")
    refused(conn, """UPDATE jctb SET "PDLX" = '违法' WHERE "JCBH" = 'A9'""", "已锁定")
    refused(conn, """UPDATE wpzf_batch SET "SDZT" = 1, "JD" = '锁定' WHERE "PCMC" = '2022-05'""", "permission denied")
    refused(conn, """DELETE FROM jctb WHERE "JCBH" = 'A1'""", "permission denied")
    refused(conn, "INSERT INTO wpzf_audit (at, who, table_name, action) VALUES ('x', 'x', 'jctb', 'INSERT')",
            "permission denied")
    conn.close()
    rows = dict(run_fetch(office.conn, """SELECT "JCBH", "PDLX" FROM jctb"""))
    assert rows == {"A1": "合法", "B1": None, "A9": None}
    # issue 14 item 12: who and XGR are the login, whatever name the client stamped ('李工')
    assert run_fetch(office.conn, "SELECT who, db_user FROM wpzf_audit WHERE field = 'PDLX'") == [("tech_a", "tech_a")]
    assert run_fetch(office.conn, """SELECT "XGR" FROM jctb WHERE "JCBH" = 'A1'""") == [("tech_a",)]
    assert run_fetch(office.conn, "SELECT \"XGR\" FROM wpzf_field_visit WHERE patch_fid = 1") == [("tech_a",)]


def test_reviewer_locks_and_unlocks_with_a_reason(office, pg_cluster, pg_db):
    with PgWorkspace.open(pg_cluster.params(pg_db, user="rev", password="pw-rev")) as ws:
        assert ws.user == "rev"
        ws.set_stage("2022-05", "一上")
        ws.lock_batch("2022-05")
        with pytest.raises(psycopg2.Error, match="解锁"):
            with ws.transaction() as cur:
                cur.execute("""UPDATE wpzf_batch SET "SDZT" = 0 WHERE "PCMC" = '2022-05'""")
        ws.unlock_batch("2022-05", "市局退回")
        with ws.transaction() as cur:  # a reviewer edits any town
            cur.execute("""UPDATE jctb SET "SHYJ" = '同意' WHERE "JCBH" = 'B1'""")
    history = run_fetch(office.conn, "SELECT to_stage, locked, reason, who FROM wpzf_stage_history "
                                     "WHERE batch_id = 1 ORDER BY id")
    assert history == [("一上", 0, None, "rev"), ("锁定", 1, None, "rev"), ("二上", 0, "市局退回", "rev")]


def test_viewer_reads_but_cannot_write_anything(office, pg_cluster, pg_db):
    conn = login(pg_cluster, pg_db, "view")
    assert run_fetch(conn, "SELECT count(*) FROM jctb") == [(3,)]
    refused(conn, """UPDATE jctb SET "PDLX" = '合法' WHERE "JCBH" = 'A1'""", "permission denied")
    refused(conn, """INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY") VALUES (1, 'x', 'x')""",
            "permission denied")
    refused(conn, """UPDATE wpzf_batch SET "JD" = '一上'""", "permission denied")
    conn.close()


def test_town_codes_must_be_digits(office):
    with pytest.raises(roles.RoleError, match="XZQDM"):
        roles.assign_towns(office.conn, "wpzf", "tech_a", ["镇A"])
    office.conn.rollback()
    assert roles.towns_of(office.conn, "wpzf", "tech_a") == [TOWN_A]


def run_fetch(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()
    conn.commit()
    return rows
