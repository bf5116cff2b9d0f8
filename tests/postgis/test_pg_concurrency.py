"""Two editors on the same patch: the second save is refused with both values, nothing is overwritten."""
from __future__ import annotations

import threading
import time

import psycopg2
import pytest

from wpzf.domain.workspace.postgis.store import ConflictError, PgWorkspace

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"


@pytest.fixture()
def params(pg_cluster, pg_db):
    ws = PgWorkspace.create(pg_cluster.params(pg_db), 4523)
    ws.add_batch("2022-05", "2022-05-06")
    with ws.transaction() as cur:
        cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id) VALUES (ST_GeomFromText(%s, 4523), 'A1', 1)""",
                    (SQUARE,))
    ws.close()
    return pg_cluster.params(pg_db)


def test_second_save_of_the_same_patch_gets_a_conflict_with_both_values(params):
    zhang = PgWorkspace.open(params, user="张三")
    li = PgWorkspace.open(params, user="李四")
    mine, theirs = zhang.load_patch(1), li.load_patch(1)
    assert mine["row_version"] == theirs["row_version"] == 1
    assert zhang.save_patch(1, {"PDLX": "合法", "PZWH": "渝府地〔2021〕1号"}, mine["row_version"]) == 2
    with pytest.raises(ConflictError) as caught:
        li.save_patch(1, {"PDLX": "违法", "WFMJ": 1.5}, theirs["row_version"])
    text = str(caught.value)
    # issue 14 item 12: the editor is the database login, never the name the client sends
    assert "A1" in text and params["user"] in text and "张三" not in text and "PDLX" in text and "'违法'" in text and "'合法'" in text
    assert ("PDLX", "违法", "合法") in caught.value.conflicts and ("WFMJ", 1.5, None) in caught.value.conflicts
    stored = li.load_patch(1)
    assert (stored["PDLX"], stored["WFMJ"], stored["XGR"], stored["row_version"]) == ("合法", None, params["user"], 2)
    # after reloading, the second editor saves on top of the first
    assert li.save_patch(1, {"WFMJ": 1.5}, stored["row_version"]) == 3
    zhang.close()
    li.close()


def waits_on_a_lock(params, pid: int, timeout: float = 10.0) -> bool:
    """Whether backend ``pid`` is seen in pg_locks waiting for a lock (not granted) within ``timeout`` seconds."""
    watcher = psycopg2.connect(**params)
    watcher.autocommit = True
    try:
        deadline = time.monotonic() + timeout
        with watcher.cursor() as cur:
            while time.monotonic() < deadline:
                cur.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", (pid,))
                if cur.fetchone()[0] > 0:
                    return True
                time.sleep(0.02)
        return False
    finally:
        watcher.close()


def test_raw_update_race_at_read_committed_never_loses_an_update(params):
    """Two sessions update the same row with the version they read; the one that waits finds it gone."""
    first, second = psycopg2.connect(**params), psycopg2.connect(**params)
    for conn in (first, second):
        assert conn.isolation_level == psycopg2.extensions.ISOLATION_LEVEL_READ_COMMITTED or \
            conn.isolation_level is None  # server default: READ COMMITTED
    update = """UPDATE wpzf.jctb SET "BZ" = %s WHERE fid = 1 AND row_version = 1"""
    with first.cursor() as cur:
        cur.execute(update, ("first",))
        assert cur.rowcount == 1  # holds the row lock until commit
    outcome = {}

    def race():
        with second.cursor() as cur:
            cur.execute(update, ("second",))  # blocks on the row lock
            outcome["rows"] = cur.rowcount
        second.commit()

    worker = threading.Thread(target=race)
    worker.start()
    assert waits_on_a_lock(params, second.get_backend_pid()), "the second UPDATE must wait for the first transaction"
    assert worker.is_alive() and outcome == {}
    first.commit()
    worker.join(10)
    assert outcome == {"rows": 0}
    # a client that names a stale version in SET is refused by the trigger as well
    with pytest.raises(psycopg2.Error, match="changed by someone else"):
        with second.cursor() as cur:
            cur.execute("""UPDATE wpzf.jctb SET "BZ" = 'stale', row_version = 1 WHERE fid = 1""")
    second.rollback()
    with first.cursor() as cur:
        cur.execute("SELECT \"BZ\", row_version FROM wpzf.jctb WHERE fid = 1")
        assert cur.fetchone() == ("first", 2)
        cur.execute("SELECT count(*) FROM wpzf.wpzf_audit WHERE field = 'BZ'")
        assert cur.fetchone() == (1,)
    first.close()
    second.close()
