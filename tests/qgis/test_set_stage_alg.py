"""wpzf:setstage — what the city did with a reported batch: 锁定, 一下, or unlocking with a reason.

Work plan: after "二上" the stage data are locked and must never change; an
unlock is an explicit, recorded decision. Driven through Processing as the
toolbox runs it, on the hand-built district with its batch reported (一上).
"""
from __future__ import annotations

import sqlite3

import pytest
from reporting_district import build


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def reported(tmp_path):
    path = build(tmp_path / "ws.gpkg")
    from wpzf.domain.workspace.store import Workspace

    ws = Workspace.open(path)
    ws.set_stage("2022-05", "一上")  # as wpzf:submitstage leaves it (its checks are tested elsewhere)
    ws.close()
    return path


def run(workspace, action: int, reason: str = "") -> str:
    from qgis import processing

    return processing.run("wpzf:setstage", {"WORKSPACE": str(workspace), "BATCH": "2022-05", "ACTION": action,
                                            "REASON": reason})["STAGE"]


def edit(path, column: str, text: str) -> None:
    from wpzf.domain.workspace.store import Workspace

    ws = Workspace.open(path)  # its connection has the GeoPackage functions the triggers call
    try:
        with ws.transaction() as conn:
            conn.execute(f'UPDATE jctb SET "{column}" = ? WHERE "JCBH" = ?', (text, "P2"))
    finally:
        ws.close()


def value(path, column: str):
    with sqlite3.connect(path) as con:
        return con.execute(f'SELECT "{column}" FROM jctb WHERE "JCBH" = ?', ("P2",)).fetchone()[0]


def test_lock_freezes_the_data_and_unlock_needs_a_reason_that_is_kept(reported):
    from qgis.core import QgsProcessingException

    assert run(reported, 0) == "锁定"
    with pytest.raises(sqlite3.DatabaseError, match="stage locked"):
        edit(reported, "PDLX", "合法")  # the database itself refuses
    assert value(reported, "PDLX") == "违法"
    with pytest.raises(QgsProcessingException, match="is locked"):
        run(reported, 1)  # 一下 cannot come after 锁定
    with pytest.raises(QgsProcessingException, match="needs a reason"):
        run(reported, 2, "  ")
    assert run(reported, 2, "市局要求补充P2的佐证") == "二上"
    with sqlite3.connect(reported) as con:
        reasons = [r[0] for r in con.execute("SELECT reason FROM wpzf_stage_history ORDER BY id") if r[0]]
    assert reasons[-1] == "市局要求补充P2的佐证"
    edit(reported, "BZ", "补充佐证")  # editable again
    assert value(reported, "BZ") == "补充佐证"


def test_returned_by_the_city_then_nothing_to_unlock(reported):
    from qgis.core import QgsProcessingException

    assert run(reported, 1) == "一下"
    with pytest.raises(QgsProcessingException, match="not locked"):
        run(reported, 2, "误操作")
