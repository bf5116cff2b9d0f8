"""The GeoPackage schema and the PostGIS DDL come from one table declaration (domain/workspace/tables.py).

Issue 21 item 1: "declare every table once (like columns.py does for patches) so the GeoPackage schema and
the PostGIS DDL come from one description". Read back from real databases: a fresh GeoPackage workspace,
one migrated step by step from version 1, and a PostGIS workspace hold the same tables with the same
columns in the same order (the server adds only its declared extras: row versions, db_user, the evidence
files); and a table or column added to the declaration appears on both.
"""
from __future__ import annotations

import sqlite3

import pytest

from wpzf.domain.workspace import schema, tables
from wpzf.domain.workspace.postgis import ddl
from wpzf.domain.workspace.postgis.store import PgWorkspace
from wpzf.domain.workspace.store import Workspace


def _gpkg_columns(path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'wpzf\\_%' ESCAPE '\\' OR name = ?)",
            (schema.PATCH_TABLE,))]
        return {t: [(r[1], r[2], r[3], r[5]) for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in names}
    finally:
        conn.close()


def _gpkg_indexes(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    finally:
        conn.close()


def test_a_fresh_geopackage_holds_what_is_declared(tmp_path):
    Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester").close()
    found = _gpkg_columns(tmp_path / "ws.gpkg")
    for table in tables.TABLES:
        if table.only == tables.POSTGIS_ONLY:
            assert table.name not in found
            continue
        declared = [c.name for c in tables.table_columns(table, schema.LATEST_VERSION, tables.GPKG_ONLY)]
        head = ([table.key] if table.key else []) + (["geom"] if table.geometry else [])
        assert [c[0] for c in found[table.name]] == head + declared, table.name
    # version 7: a visit's result and field-record id, a photo's visit and distance
    visit = {c[0]: c[1] for c in found["wpzf_field_visit"]}
    assert visit["KCJG"] == "TEXT" and visit["WYBS"] == "TEXT"
    evidence = {c[0]: c[1] for c in found["wpzf_evidence"]}
    assert evidence["visit_id"] == "INTEGER" and evidence["JL"] == "REAL"
    indexes = _gpkg_indexes(tmp_path / "ws.gpkg")
    assert {"jctb_jcbh", "wpzf_audit_row", "wpzf_field_visit_patch", "wpzf_field_visit_wybs",
            "wpzf_prejudgement_patch", "wpzf_case_progress_patch"} <= indexes


def test_a_workspace_migrated_from_version_1_equals_a_fresh_one(tmp_path):
    from wpzf.domain.workspace import gpkg
    from wpzf.domain.workspace.store import connect, srs_definition

    Workspace.create(tmp_path / "fresh.gpkg", 4523, user="tester").close()
    conn = connect(tmp_path / "v1.gpkg")  # a version-1 workspace, brought up one step at a time
    conn.execute("BEGIN")
    gpkg.initialise(conn)
    gpkg.add_srs(conn, 4523, *srs_definition(4523))
    assert schema.migrate(conn, 4523, target=1) == [1]
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    assert schema.migrate(conn, 4523) == list(range(2, schema.LATEST_VERSION + 1))
    conn.execute("COMMIT")
    conn.close()
    assert _gpkg_columns(tmp_path / "v1.gpkg") == _gpkg_columns(tmp_path / "fresh.gpkg")
    assert _gpkg_indexes(tmp_path / "v1.gpkg") == _gpkg_indexes(tmp_path / "fresh.gpkg")
    conn = sqlite3.connect(tmp_path / "v1.gpkg")
    assert conn.execute("SELECT length(value) FROM wpzf_meta WHERE key = 'workspace_id'").fetchone() == (32,)
    conn.close()


def _pg_columns(ws: PgWorkspace) -> dict[str, list[str]]:
    with ws.conn.cursor() as cur:
        cur.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s "
                    "ORDER BY table_name, ordinal_position", (ws.schema,))
        out: dict[str, list[str]] = {}
        for table, column in cur.fetchall():
            out.setdefault(table, []).append(column)
    return out


def test_postgis_holds_the_same_tables_and_columns(tmp_path, pg_cluster, pg_db):
    Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester").close()
    gpkg_cols = {t: [c[0] for c in cols] for t, cols in _gpkg_columns(tmp_path / "ws.gpkg").items()}
    ws = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="tester")
    try:
        pg_cols = _pg_columns(ws)
        server_only = {("wpzf_audit", "db_user")} | {(t, ddl.ROW_VERSION) for t in ddl.VERSIONED_TABLES}
        for table, columns in gpkg_cols.items():
            if table == "wpzf_schema_version":
                continue
            assert [c for c in pg_cols[table] if (table, c) not in server_only] == columns, table
        for table in ddl.VERSIONED_TABLES:
            assert ddl.ROW_VERSION in pg_cols[table]
        assert ddl.EVIDENCE_FILE_TABLE in pg_cols and ddl.EVIDENCE_FILE_TABLE not in gpkg_cols
        with ws.conn.cursor() as cur:
            cur.execute("SELECT data_type FROM information_schema.columns WHERE table_schema = %s "
                        "AND table_name = 'wpzf_audit' AND column_name = 'old_value'", (ws.schema,))
            assert cur.fetchone() == ("jsonb",)  # declared pg_type: numbers stay numbers
            cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", (ws.schema,))
            indexes = {r[0] for r in cur.fetchall()}
        assert {"jctb_jcbh", "jctb_geom", "wpzf_division_geom", "wpzf_field_visit_wybs",
                "wpzf_prejudgement_patch"} <= indexes
        row = ws.conn.execute("SELECT value FROM wpzf_meta WHERE key = 'workspace_id'").fetchone()
        assert row is not None and len(row[0]) == 32
    finally:
        ws.close()


def test_a_declared_field_record_id_is_unique_on_both(tmp_path, pg_cluster, pg_db):
    """WYBS (the field record's id) is unique: importing the same visit twice cannot store it twice."""
    gp = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    pg = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="tester")
    try:
        for ws in (gp, pg):
            with ws.transaction() as conn:
                conn.execute("""INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('2022-05', '2022-05-06', '2022-05-26')""")
                conn.execute("""INSERT INTO jctb ("JCBH", batch_id) VALUES ('A1', 1)""")
                conn.execute("""INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY", "WYBS") VALUES (1, '2022-05-08', 'x', 'u1')""")
            with pytest.raises(Exception, match="(?i)unique|duplicate"):
                with ws.transaction() as conn:
                    conn.execute('INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY", "WYBS") '
                                 "VALUES (1, '2022-05-09', 'y', 'u1')")
            assert ws.conn.execute("SELECT count(*) FROM wpzf_field_visit").fetchone() == (1,)
    finally:
        gp.close()
        pg.close()
