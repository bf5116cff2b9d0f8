"""Patch-list rows, statuses, deadlines and filters on a real workspace file."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.workbench import filters as fl
from wpzf.domain.workbench import status as st
from wpzf.domain.workbench.patch_rows import PatchRow, load_rows, town_code
from wpzf.domain.workspace.store import Workspace

TODAY = dt.date(2022, 5, 24)




@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-06', '2022-06-06', '2022-06-26')")
        patches = [  # JCBH, batch, XZQDM, PDLX, own PDQX
            ("A1", 1, "500118001", None, None),          # pending, due in 2 days (batch deadline)
            ("A2", 1, "500118001", "合法", None),         # decided
            ("A3", 1, "500118002", None, "2022-05-20"),  # own deadline past: overdue
            ("A4", 1, "500118002001", "违法", None),      # village code → town 500118002
            ("B1", 2, "500118001", None, None),          # due later
        ]
        for jcbh, batch, xzqdm, pdlx, pdqx in patches:
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XZQDM, PDLX, PDQX, XGR, XGSJ) "
                         "VALUES (?, ?, ?, ?, ?, ?, 'tester', 't0')", (wkt_blob(), jcbh, batch, xzqdm, pdlx, pdqx))
        conn.execute("INSERT INTO wpzf_prejudgement (patch_fid, ruleset, rule_id, PDLX, JTQX, created_at) "
                     "VALUES (1, 'r', 'old', '其他', NULL, 't1'), (1, 'r', 'new', '合法', NULL, 't2')")
        conn.execute("INSERT INTO wpzf_check_result (batch_id, patch_fid, JCBH, rule_id, severity, message, checked_at) "
                     "VALUES (1, 2, 'A2', 'c1', 'error', 'm', 't'), (1, 2, 'A2', 'c2', 'error', 'm', 't'), "
                     "(1, 4, 'A4', 'c3', 'warning', 'm', 't')")
        conn.execute("INSERT INTO wpzf_feedback (batch_id, patch_fid, JCBH, WTMS, imported_at) "
                     "VALUES (1, 4, 'A4', '面积不符', 't')")
        conn.execute("INSERT INTO wpzf_feedback (batch_id, patch_fid, JCBH, WTMS, imported_at, resolved_at) "
                     "VALUES (1, 1, 'A1', '已处理', 't', 't2')")
    yield w
    w.close()


def _by_jcbh(ws, today=TODAY) -> dict[str, PatchRow]:
    return {r.jcbh: r for r in load_rows(ws.conn, today)}


def test_rows_join_batch_suggestion_checks_and_open_feedback(ws):
    rows = _by_jcbh(ws)
    assert list(rows) == ["A1", "A2", "A3", "A4", "B1"]
    a1, a2, a3, a4, b1 = (rows[k] for k in ("A1", "A2", "A3", "A4", "B1"))
    assert (a1.batch, a1.stage, a1.locked, a1.town) == ("2022-05", "核查中", False, "500118001")
    assert (a1.suggestion, a1.rule_id) == ("合法", "new")  # the latest suggestion wins
    assert a1.feedback == 0  # resolved feedback is not a return
    assert (a2.errors, a2.warnings) == (2, 0) and (a4.errors, a4.warnings) == (0, 1)
    assert a4.town == "500118002" and a4.feedback == 1
    assert (a1.deadline, a1.days_left) == ("2022-05-26", 2)
    assert (a3.deadline, a3.days_left) == ("2022-05-20", -4)
    assert b1.suggestion == "" and b1.days_left == 33


def test_status_classification_and_priority(ws):
    rows = _by_jcbh(ws)
    assert rows["A1"].statuses == (st.DUE_SOON, st.PENDING)
    assert rows["A2"].statuses == (st.CHECK_ERRORS, st.DECIDED)
    assert rows["A3"].status == st.OVERDUE
    assert rows["A4"].statuses == (st.RETURNED, st.DECIDED)
    assert rows["B1"].statuses == (st.PENDING,)
    ws.lock_batch("2022-05")
    locked = _by_jcbh(ws)
    assert all(locked[k].status == st.LOCKED and locked[k].stage == "锁定" for k in ("A1", "A2", "A3", "A4"))
    assert locked["A3"].deadline_state is None  # a locked batch is never overdue
    assert set(st.LABELS) == set(st.PRIORITY)


def test_deadline_rule():
    assert st.deadline(None, None, "2022-05-06") == "2022-05-26"  # 20 days after receipt
    assert st.deadline("", "2022-05-30", "2022-05-06") == "2022-05-30"
    assert st.deadline("2022-05-10", "2022-05-30", "2022-05-06") == "2022-05-10"
    assert st.deadline(None, None, "bad") is None
    assert st.days_left("2022-05-26", dt.date(2022, 5, 26)) == 0
    assert st.days_left("soon", TODAY) is None
    assert st.deadline_state(False, False, 0) == st.DUE_SOON
    assert st.deadline_state(False, False, 3) == st.DUE_SOON
    assert st.deadline_state(False, False, 4) is None
    assert st.deadline_state(False, False, -1) == st.OVERDUE
    assert st.deadline_state(True, False, -1) is None
    assert town_code("500118001") == "500118001" and town_code(None) == "" and town_code("500118") == "500118"


def test_filters_and_faceted_counts(ws):
    rows = list(_by_jcbh(ws).values())
    flt = fl.PatchFilter().with_choice(fl.BATCH, "2022-05")
    assert [r.jcbh for r in rows if flt.matches(r)] == ["A1", "A2", "A3", "A4"]
    counts = fl.facet_counts(rows, flt)
    assert counts[fl.BATCH] == {"2022-05": 4, "2022-06": 1}  # the batch choice itself ignored
    assert counts[fl.TOWN] == {"500118001": 2, "500118002": 2}
    assert counts[fl.DECISION] == {"": 2, "合法": 1, "违法": 1}
    assert counts[fl.DEADLINE] == {st.DUE_SOON: 1, st.OVERDUE: 1, fl.LATER: 2}
    flt = flt.with_choice(fl.DECISION, fl.NONE)
    assert [r.jcbh for r in rows if flt.matches(r)] == ["A1", "A3"]
    assert fl.facet_counts(rows, flt)[fl.BATCH] == {"2022-05": 2, "2022-06": 1}
    flt = flt.with_choice(fl.DEADLINE, st.OVERDUE)
    assert flt.accepted(rows) == [False, False, True, False, False]
    assert fl.PatchFilter().with_choice(fl.SUGGESTION, fl.NONE).accepted(rows) == [False, True, True, True, True]
    flt = fl.PatchFilter().with_search(" a ")
    assert sum(flt.accepted(rows)) == 4
    assert fl.facet_counts(rows, flt)[fl.BATCH] == {"2022-05": 4}
    assert fl.PatchFilter().with_choice(fl.BATCH, "2022-05").with_choice(fl.BATCH, None).choices == {}
    with pytest.raises(KeyError):
        fl.PatchFilter().with_choice("colour", "red")
    assert fl.status_counts(rows)[st.DECIDED] == 2


def test_twenty_thousand_rows_load_and_filter_quickly(tmp_path, capsys):
    """Not a timed assert: prints the numbers for the report (pytest -s)."""
    w = Workspace.create(tmp_path / "big.gpkg", 4523, user="tester")
    blob = wkt_blob()
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.executemany(
            "INSERT INTO jctb (geom, JCBH, batch_id, XZQDM, PDLX, XGR, XGSJ) VALUES (?, ?, 1, ?, ?, 'tester', 't0')",
            [(blob, f"500118202205{i:05d}", f"5001180{i % 20:02d}", ("合法", "违法", None)[i % 3])
             for i in range(20000)])
        conn.execute("INSERT INTO wpzf_prejudgement (patch_fid, ruleset, rule_id, PDLX, created_at) "
                     "SELECT fid, 'r', 'x', '其他', 't' FROM jctb")
    started = time.perf_counter()
    rows = load_rows(w.conn, TODAY)
    loaded = time.perf_counter()
    flt = fl.PatchFilter().with_choice(fl.TOWN, "500118003").with_choice(fl.DECISION, fl.NONE)
    accepted = flt.accepted(rows)
    counts = fl.facet_counts(rows, flt)
    done = time.perf_counter()
    w.close()
    assert len(rows) == 20000 and sum(accepted) == sum(1 for i in range(20000) if i % 20 == 3 and i % 3 == 2)
    assert sum(counts[fl.TOWN].values()) == sum(1 for i in range(20000) if i % 3 == 2)
    with capsys.disabled():
        print(f"\n20,000 patch rows: load {1000 * (loaded - started):.0f} ms, "
              f"filter + facet counts {1000 * (done - loaded):.0f} ms")
