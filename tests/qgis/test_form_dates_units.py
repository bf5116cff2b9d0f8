"""Issue 15 item 7 in the casework forms: readable local lock time, date inputs with a calendar, units on
read-only numbers."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import QLineEdit
from reporting_district import build

from wpzf.domain.workspace.gpkg import connect as gpkg_connect

STAMP = "2022-06-30T00:30:20.720Z"  # as the stage history stores it (UTC, now_iso())


@pytest.fixture()
def workspace(tmp_path):
    return build(tmp_path / "ws.gpkg")


@pytest.fixture()
def shanghai(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def fid_of(path, jcbh: str) -> int:
    with gpkg_connect(path) as conn:
        return conn.execute("SELECT fid FROM jctb WHERE JCBH = ?", (jcbh,)).fetchone()[0]


def make(cls, path, fid, qtbot):
    form = cls(path, fid, confirm=lambda *a: True, user="张三")
    qtbot.addWidget(form)
    form.show()
    return form


def lock_at(path, stamp: str) -> None:
    """Lock batch 2022-05, then record the lock as taken at ``stamp`` (the history is append-only; the form
    shows the latest lock row)."""
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(path, user="审核员") as ws:
        ws.lock_batch("2022-05")
    with gpkg_connect(path) as conn:
        conn.execute("INSERT INTO wpzf_stage_history (batch_id, at, who, from_stage, to_stage, locked) "
                     "VALUES (1, ?, '审核员', '二上', '锁定', 1)", (stamp,))


def test_utc_stamp_shown_as_local_time():
    from wpzf.ui.forms.base import local_time_text

    # 00:30 UTC is 08:30 in China (UTC+8)
    assert local_time_text(STAMP, dt.timezone(dt.timedelta(hours=8))) == "2022-06-30 08:30"
    assert local_time_text("2022-06-30T23:59:00Z", dt.timezone(dt.timedelta(hours=8))) == "2022-07-01 07:59"
    assert local_time_text("not a time") == "not a time" and local_time_text("") == ""


def test_locked_decision_form_shows_local_lock_time_and_numbers_with_units(workspace, qtbot, shanghai):
    from wpzf.ui.forms import DecisionForm

    fid = fid_of(workspace, "P4")
    with gpkg_connect(workspace) as conn:
        conn.execute("UPDATE jctb SET WFMJ = 6.05292, XGR = 't', XGSJ = 't2' WHERE fid = ?", (fid,))
    lock_at(workspace, STAMP)
    form = make(DecisionForm, workspace, fid, qtbot)
    banner = form.banner.text()
    assert "2022-06-30 08:30" in banner and "T00:30" not in banner and "审核员" in banner, banner
    # WFMJ is 亩 (alias 违法面积(亩)); P4's WFGDMJ 9 亩 (reporting_district.PATCHES)
    assert (form.wfmj.text(), form.wfgdmj.text()) == ("6.05 亩", "9.00 亩")
    assert not form.wfmj.isEnabled()
    assert not [t for t in form.problem_texts("error") if "必须是数字" in t or "must be a number" in t]


def test_dates_are_calendar_inputs_that_may_stay_empty(workspace, qtbot):
    from wpzf.ui.forms import CaseForm, DecisionForm, RectificationForm
    from wpzf.ui.forms.base import DateField

    fid = fid_of(workspace, "P4")
    case = make(CaseForm, workspace, fid, qtbot)
    for name in ("jlrq", "lasj", "jasj"):
        widget = getattr(case, name)
        assert isinstance(widget, DateField) and widget.calendarPopup() and widget.allowNull(), name
    assert case.lasj.isNull() and case.lasj.text() == ""  # P4 has no 立案 date: empty, not today
    assert case.jlrq.text() == dt.date.today().isoformat()
    case.sfla.setChecked(True)
    case.lasj.setDate(QDate(2022, 6, 1))
    case.jlrq.setDate(QDate(2022, 6, 1))
    case.ajbh.setText("永规资罚〔2022〕9号")
    case.fmk.setText("20000")
    assert case.dirty and case.lasj.text() == "2022-06-01"
    assert case.save(), case.save_error.text()
    with gpkg_connect(workspace) as conn:
        assert conn.execute("SELECT LASJ, coalesce(JASJ, '') FROM wpzf_case_progress WHERE patch_fid = ?",
                            (fid,)).fetchall() == [("2022-06-01", "")]  # the empty 结案时间 stays empty
        assert conn.execute("SELECT LASJ FROM jctb WHERE fid = ?", (fid,)).fetchone() == ("2022-06-01",)
    again = make(CaseForm, workspace, fid, qtbot)
    assert again.lasj.date() == QDate(2022, 6, 1)
    assert again.history.item(0, again.HISTORY_COLUMNS.index("FMK")).text() == "20000.00 元"  # 罚没款(元)
    again.lasj.clear()  # a date can be taken away again
    assert again.lasj.text() == "" and any("立案" in t for t in again.problem_texts())
    rect = make(RectificationForm, workspace, fid, qtbot)
    assert isinstance(rect.zgwcsj, DateField) and isinstance(rect.jlrq, DateField)
    decision = make(DecisionForm, workspace, fid, qtbot)
    assert type(decision.jssj) is QLineEdit  # 建设时间 may be a year or a month: stays text
