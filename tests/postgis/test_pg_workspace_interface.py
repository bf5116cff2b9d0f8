"""Both workspace backends are one WorkspaceStore, and the batch/stage logic written once behaves the same on both.

Issue 21 item 1: "Define the interface once (a typing.Protocol the rest of the code is typed against)".
Each test runs on a GeoPackage workspace and on a shared PostGIS workspace with the same batch 2022-05
(received 2022-05-06, due 2022-05-26: work plan 四(一), 合法性判定 within 20 days) and one patch.
"""
from __future__ import annotations

import pytest

from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.interface import Batch, SqlConnection, SqlCursor, WorkspaceStore
from wpzf.domain.workspace.postgis.store import PgWorkspace
from wpzf.domain.workspace.store import Workspace, WorkspaceError
from wpzf.domain.workspace.triggers import LOCKED_MESSAGE

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"


def _gpkg(tmp_path) -> Workspace:
    import shapely

    ws = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    g = shapely.from_wkt(SQUARE)
    with ws.transaction() as conn:
        conn.execute("""INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('2022-05', '2022-05-06', '2022-05-26')""")
        conn.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XGR", "XGSJ") VALUES (?, 'A1', 1, 'tester', 't0')""",
                     (gpkg.encode(shapely.to_wkb(g), 4523, g.bounds),))
    return ws


def _postgis(pg_cluster, pg_db) -> PgWorkspace:
    ws = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="tester")
    with ws.transaction() as cur:
        cur.execute("""INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('2022-05', '2022-05-06', '2022-05-26')""")
        cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XGR", "XGSJ")
                       VALUES (ST_GeomFromText(%s, 4523), 'A1', 1, 'tester', 't0')""", (SQUARE,))
    return ws


@pytest.fixture(params=["gpkg", "postgis"])
def ws(request, tmp_path):
    if request.param == "gpkg":
        store: WorkspaceStore = _gpkg(tmp_path)
    else:
        store = _postgis(request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_db"))
    yield store
    store.close()


def test_both_backends_are_a_workspace_store(ws):
    assert isinstance(ws, WorkspaceStore)
    assert isinstance(ws.conn, SqlConnection)
    with ws.transaction() as conn:  # what a transaction yields runs the same sqlite-style SQL
        assert isinstance(conn, SqlConnection)
        cur = conn.execute('SELECT "JCBH" FROM jctb WHERE batch_id = ?', (1,))
        assert isinstance(cur, SqlCursor)
        assert cur.fetchall() == [("A1",)]
    assert ws.epsg == 4523 and ws.user == "tester"
    shared = isinstance(ws, PgWorkspace)
    assert (ws.path is None) == shared and (ws.evidence_dir is None) == shared


def test_a_class_without_the_stage_methods_is_no_workspace_store(ws):
    class Partial:  # every member of the store but set_stage
        conn, user, path, evidence_dir, epsg, schema_version = ws.conn, "x", None, None, 4523, 6
        transaction, close, batches, batch, lock_batch, unlock_batch = (ws.transaction, ws.close, ws.batches,
                                                                        ws.batch, ws.lock_batch, ws.unlock_batch)
        __enter__, __exit__ = ws.__enter__, ws.__exit__

    assert not isinstance(Partial(), WorkspaceStore)
    Partial.set_stage = ws.set_stage
    assert isinstance(Partial(), WorkspaceStore)


def test_batches_are_listed_alike(ws):
    # 2022-05-06 + 20 days = 2022-05-26 (work plan 四(一)); a new batch is at 核查中, unlocked, with its one patch
    assert ws.batches() == [Batch(1, "2022-05", "2022-05-06", "2022-05-26", "核查中", False, 1)]
    assert ws.batch("2022-05") == ws.batches()[0]
    assert ws.batch("2022-06") is None


def test_a_locked_batch_refuses_a_stage_change_with_the_lock_message(ws):
    ws.lock_batch("2022-05")
    assert (ws.batch("2022-05").stage, ws.batch("2022-05").locked) == ("锁定", True)
    with pytest.raises(Exception, match="已锁定") as refused:  # sqlite3.IntegrityError / psycopg2.DatabaseError
        ws.set_stage("2022-05", "一下")
    # the database's own refusal, word for word the same on both (PostgreSQL adds a CONTEXT line)
    assert str(refused.value).splitlines()[0] == LOCKED_MESSAGE
    assert ws.batch("2022-05").stage == "锁定"  # nothing changed: the transaction was rolled back


def test_unlock_without_a_reason_is_refused_and_the_batch_named(ws):
    ws.lock_batch("2022-05")
    for reason in ("", "   "):
        with pytest.raises(WorkspaceError, match="^Unlocking batch 2022-05 needs a reason.$"):
            ws.unlock_batch("2022-05", reason)
    assert ws.batch("2022-05").locked
    ws.unlock_batch("2022-05", " 市局退回更正 ")
    # the unlocked batch returns to 二上 and the stage history keeps the stripped reason
    assert (ws.batch("2022-05").stage, ws.batch("2022-05").locked) == ("二上", False)
    assert ws.conn.execute("SELECT reason FROM wpzf_stage_history WHERE locked = 0").fetchall() == [("市局退回更正",)]


def test_an_unknown_batch_or_stage_is_named(ws):
    for change in (lambda: ws.lock_batch("2099-01"), lambda: ws.set_stage("2099-01", "一上"),
                   lambda: ws.unlock_batch("2099-01", "原因")):
        with pytest.raises(WorkspaceError, match="^The workspace has no batch '2099-01'.$"):
            change()
    with pytest.raises(WorkspaceError, match="^Unknown stage '上报'; stages are 核查中, "):
        ws.set_stage("2022-05", "上报")
