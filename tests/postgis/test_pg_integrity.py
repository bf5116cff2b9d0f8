"""Issue 14 item 12: on a shared workspace the editor (XGR) and the audit's "who" are the database
login, never what the client sends; a killed wpzf:migrateworkspace leaves no schema that opens."""
from __future__ import annotations

import psycopg2
import pytest
from reporting_district import build

from wpzf.domain.workspace.postgis import migrate
from wpzf.domain.workspace.postgis.store import PgWorkspace
from wpzf.domain.workspace.store import Workspace, WorkspaceError

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"


def fetch(conn, sql, params=()):
    with conn.cursor() as cur:
        cur.execute(sql, params or None)
        return cur.fetchall()


def test_client_stamp_is_replaced_by_the_login_on_every_audited_table(pg_cluster, pg_db):
    params = pg_cluster.params(pg_db)
    login = params["user"]
    PgWorkspace.create(params, 4523, user="someone else").close()
    conn = pg_cluster.connect(pg_db)  # a plain client, as psql or QGIS's attribute table would be
    with conn.cursor() as cur:
        cur.execute("SET search_path = wpzf, public")
        cur.execute("""INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX", "XGR", "XGSJ")
                       VALUES ('2022-05', '2022-05-06', '2022-05-26', 'someone else', 't0')""")
        cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XGR", "XGSJ")
                       VALUES (ST_GeomFromText(%s, 4523), 'A1', 1, 'someone else', 't0')""", (SQUARE,))
        cur.execute("""INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY", "XGR", "XGSJ")
                       VALUES (1, '2022-05-10', '张三', 'someone else', 't0')""")
        cur.execute("""UPDATE jctb SET "PDLX" = '合法', "XGR" = 'someone else', "XGSJ" = 't1' WHERE "JCBH" = 'A1'""")
        cur.execute("""UPDATE wpzf_batch SET "JD" = '一上', "XGR" = 'someone else', "XGSJ" = 't1'""")
        cur.execute("""DELETE FROM wpzf_field_visit""")
    conn.commit()
    assert fetch(conn, 'SELECT "XGR" FROM wpzf.jctb') == [(login,)]
    assert fetch(conn, 'SELECT "XGR" FROM wpzf.wpzf_batch') == [(login,)]
    audit = fetch(conn, "SELECT DISTINCT who, db_user FROM wpzf.wpzf_audit")
    assert audit == [(login, login)]  # inserts, updates and the delete: nobody signs as someone else
    assert fetch(conn, "SELECT count(*) FROM wpzf.wpzf_audit WHERE action = 'DELETE'") == [(1,)]
    assert fetch(conn, "SELECT who FROM wpzf.wpzf_stage_history") == [(login,)]
    conn.close()


def test_a_role_cannot_sign_as_another_role(pg_cluster, pg_db):
    """SET ROLE changes current_user, not the login: the stamp is the session user."""
    params = pg_cluster.params(pg_db)
    with PgWorkspace.create(params, 4523) as ws:
        ws.add_batch("2022-05", "2022-05-06")
    conn = pg_cluster.connect(pg_db)
    with conn.cursor() as cur:
        cur.execute("CREATE ROLE pretender NOLOGIN BYPASSRLS")  # row security is not the point here
        cur.execute("GRANT USAGE ON SCHEMA wpzf TO pretender; GRANT ALL ON ALL TABLES IN SCHEMA wpzf TO pretender; "
                    "GRANT ALL ON ALL SEQUENCES IN SCHEMA wpzf TO pretender")
        cur.execute("SET ROLE pretender")
        cur.execute("""INSERT INTO wpzf.jctb (geom, "JCBH", batch_id, "XGR")
                       VALUES (ST_GeomFromText(%s, 4523), 'A2', 1, 'pretender')""", (SQUARE,))
    conn.commit()
    assert fetch(conn, 'SELECT "XGR" FROM wpzf.jctb') == [(params["user"],)]
    conn.close()


@pytest.fixture()
def gpkg_source(tmp_path):
    return build(tmp_path / "src" / "ws.gpkg")


def schemas(pg_cluster, pg_db) -> list[str]:
    conn = pg_cluster.connect(pg_db)
    try:
        return [r[0] for r in fetch(conn, "SELECT schema_name FROM information_schema.schemata "
                                          "WHERE schema_name NOT LIKE 'pg_%' AND schema_name <> 'information_schema' "
                                          "ORDER BY 1")]
    finally:
        conn.close()


def test_copy_killed_half_way_leaves_nothing_that_opens_and_a_rerun_succeeds(gpkg_source, pg_cluster, pg_db,
                                                                             monkeypatch):
    """The server drops the copying session after some tables (kill -9 of QGIS, lost network)."""
    params = pg_cluster.params(pg_db)
    real = migrate.gpkg_columns
    copied = []

    def kill_after_five_tables(conn, table):
        copied.append(table)
        if len(copied) == 6:
            admin = pg_cluster.connect(pg_db)
            with admin.cursor() as cur:  # terminate every other session of this database: the copier
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (pg_db,))
            admin.commit()
            admin.close()
        return real(conn, table)

    monkeypatch.setattr(migrate, "gpkg_columns", kill_after_five_tables)
    with pytest.raises((migrate.MigrationError, psycopg2.Error)):
        migrate.gpkg_to_postgis(gpkg_source, params)
    monkeypatch.undo()
    assert len(copied) >= 6
    assert "wpzf" not in schemas(pg_cluster, pg_db)  # created in the same transaction: rolled back by the server
    with pytest.raises(WorkspaceError, match="not a WPZF workspace"):
        PgWorkspace.open(params)
    report = migrate.gpkg_to_postgis(gpkg_source, params)  # run again: starts afresh
    assert report.ok
    with Workspace.open(gpkg_source) as ws:
        patches = ws.conn.execute("SELECT count(*) FROM jctb").fetchone()[0]
    with PgWorkspace.open(params) as pg:
        assert fetch(pg.conn, "SELECT count(*) FROM jctb") == [(patches,)]


def test_copy_failing_half_way_leaves_nothing_that_opens(gpkg_source, pg_cluster, pg_db, monkeypatch):
    params = pg_cluster.params(pg_db)
    real = migrate.gpkg_columns
    copied = []

    def fail_after_five_tables(conn, table):
        copied.append(table)
        if len(copied) == 6:
            raise RuntimeError("simulated crash inside the copy")
        return real(conn, table)

    monkeypatch.setattr(migrate, "gpkg_columns", fail_after_five_tables)
    with pytest.raises(RuntimeError, match="simulated"):
        migrate.gpkg_to_postgis(gpkg_source, params, schema="office")
    monkeypatch.undo()
    assert "office" not in schemas(pg_cluster, pg_db)
    with pytest.raises(WorkspaceError, match="not a WPZF workspace"):
        PgWorkspace.open(params, "office")
    assert migrate.gpkg_to_postgis(gpkg_source, params, schema="office").ok


def test_copy_back_to_a_geopackage_is_built_under_a_hidden_name(gpkg_source, pg_cluster, pg_db, tmp_path,
                                                                monkeypatch):
    """PostGIS → GeoPackage: a copy that dies leaves no workspace file that opens (empty or half-filled)."""
    import subprocess
    import sys

    from wpzf.domain.intake.leftovers import temp_path

    params = pg_cluster.params(pg_db)
    assert migrate.gpkg_to_postgis(gpkg_source, params).ok
    target = tmp_path / "back" / "ws.gpkg"
    target.parent.mkdir()
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)
    stale = temp_path(target, dead, tag="migrating")  # what a kill -9 of an earlier copy leaves
    stale.write_bytes(b"half a workspace")
    real = migrate.pg_rows
    seen = []

    def fail_after_five_tables(*args, **kwargs):
        seen.append(args)
        if len(seen) == 6:
            raise RuntimeError("simulated crash inside the copy")
        return real(*args, **kwargs)

    monkeypatch.setattr(migrate, "pg_rows", fail_after_five_tables)
    with pytest.raises(RuntimeError, match="simulated"):
        migrate.postgis_to_gpkg(params, target)
    monkeypatch.undo()
    assert sorted(p.name for p in target.parent.iterdir()) == []  # no file, no hidden file, no journal
    assert migrate.postgis_to_gpkg(params, target).ok
    assert sorted(p.name for p in target.parent.iterdir() if p.is_file()) == ["ws.gpkg"]
    with pytest.raises(WorkspaceError, match="already exists"):
        migrate.postgis_to_gpkg(params, target)
