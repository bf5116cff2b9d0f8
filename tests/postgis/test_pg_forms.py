"""The casework forms on a shared PostGIS workspace: several technicians, each through a QGIS connection.

Each test copies the hand-built two-town workspace into its own schema. The
technicians log in as database roles of that schema (zhang and li in town T2,
wang in town T1), each through a saved QGIS PostgreSQL connection whose
credentials sit in the authentication manager, exactly as on an office PC.
"""
from __future__ import annotations

import itertools

import psycopg2
import pytest
from pg_sql import fetch
from reporting_district import T1, T2, build

from wpzf.domain.workspace.postgis import migrate, roles
from wpzf.domain.workspace.postgis.store import PgWorkspace

pytestmark = pytest.mark.slow

LOGINS = {"admin": None, "zhang": T2, "li": T2, "wang": T1}
"""Connection key → town of the technician (admin: the superuser, who owns the workspace)."""
_schemas = itertools.count()
P4, P6, P7 = 4, 6, 7  # fids: P4 illegal (10 亩, town T2), P6 and P7 undecided (town T2)


def connection(key: str) -> str:
    return f"wpzf forms {key}"


def login_name(key: str) -> str:
    return f"forms_{key}"


@pytest.fixture(scope="module")
def office(pg_cluster):
    """A database and one QGIS connection per person, each authenticating through its own auth config."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

    dbname = pg_cluster.create_database("wpzf_forms")
    admin = pg_cluster.params(dbname)
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("wpzf-master", True)
    settings = QgsSettings()
    made = []
    for key in LOGINS:
        config = QgsAuthMethodConfig()
        config.setMethod("Basic")
        config.setName(connection(key))
        config.setConfig("username", admin["user"] if key == "admin" else login_name(key))
        config.setConfig("password", admin["password"] if key == "admin" else f"pw-{key}")
        stored = manager.storeAuthenticationConfig(config)
        authcfg = config.id() if isinstance(stored, bool) else stored[1].id()
        group = f"PostgreSQL/connections/{connection(key)}"
        for name, value in (("host", admin["host"]), ("port", str(admin["port"])), ("database", dbname),
                            ("authcfg", authcfg), ("saveUsername", False), ("savePassword", False)):
            settings.setValue(f"{group}/{name}", value)
        made.append((group, authcfg))
    yield admin
    for group, authcfg in made:
        settings.remove(group)
        manager.removeAuthenticationConfig(authcfg)


@pytest.fixture()
def schema(tmp_path, office):
    """The two-town workspace copied into a new schema; the technicians get its role and their town."""
    name = f"forms{next(_schemas)}"
    report = migrate.gpkg_to_postgis(build(tmp_path / "ws.gpkg"), office, schema=name)
    assert report.ok, report.failures()
    conn = psycopg2.connect(**office)
    try:
        for key, town in LOGINS.items():
            if town is not None:
                roles.create_user(conn, name, login_name(key), f"pw-{key}", roles.TECHNICIAN)
                roles.assign_towns(conn, name, login_name(key), [town])
        conn.commit()
    finally:
        conn.close()
    return name


def ref(key: str, schema: str) -> str:
    return f"postgres:{connection(key)}/{schema}"


def make(cls, workspace, fid, qtbot, **kw):
    kw.setdefault("confirm", lambda *args: True)  # never a blocking QMessageBox in tests
    form = cls(workspace, fid, **kw)
    qtbot.addWidget(form)
    form.show()
    return form


def judge_road(form, note="实地为农村道路"):
    form.pdlx.setCurrentText("其他")
    form.jtqx.setCurrentText("农村道路")
    form.pdyj.setPlainText(note)


def judge_factory(form):
    form.pdlx.setCurrentText("违法")
    form.jtqx.setCurrentText("非农违法")
    form.wflx.setCurrentText("厂房")
    form.wfmj.setText("1.5")  # P6 is 2 亩: the illegal area cannot exceed the patch
    form.pdyj.setPlainText("新建厂房")


def test_second_technician_saving_the_same_patch_gets_both_values_and_nothing_is_overwritten(office, schema, qtbot):
    from wpzf.ui.forms import DecisionForm

    zhang = make(DecisionForm, ref("zhang", schema), P6, qtbot)
    li = make(DecisionForm, ref("li", schema), P6, qtbot)
    assert zhang.shared and zhang.loaded_version == li.loaded_version == 1
    judge_road(zhang)
    judge_factory(li)
    assert zhang.save(), zhang.save_error.text()
    assert not zhang.isVisible()
    assert not li.save()
    text = li.save_error.text()
    assert li.isVisible() and li.save_error.isVisible()
    assert "P6" in text and login_name("zhang") in text, text
    assert "yours 违法, stored 其他" in text and "yours 非农违法, stored 农村道路" in text, text
    assert "yours 1.5, stored —" in text, text
    # the second technician's input is all still there
    assert (li.pdlx.currentText(), li.jtqx.currentText(), li.wflx.currentText(), li.wfmj.text()) == \
        ("违法", "非农违法", "厂房", "1.5")
    assert fetch(office, schema, 'SELECT "PDLX", "JTQX", "WFMJ", "PDR", "XGR", row_version FROM jctb WHERE fid = %s',
                 (P6,)) == [("其他", "农村道路", None, login_name("zhang"), login_name("zhang"), 2)]
    changes = fetch(office, schema, "SELECT DISTINCT who, db_user FROM wpzf_audit "
                                    "WHERE table_name = 'jctb' AND row_id = %s AND action = 'UPDATE'", (P6,))
    assert changes == [(login_name("zhang"), login_name("zhang"))]
    fields = {r[0] for r in fetch(office, schema, "SELECT field FROM wpzf_audit WHERE table_name = 'jctb' "
                                                  "AND row_id = %s AND action = 'UPDATE'", (P6,))}
    assert {"PDLX", "JTQX", "PDYJ"} <= fields and "WFLX" not in fields and "WFMJ" not in fields
    # reopened, the second technician sees the first one's decision and can change it
    again = make(DecisionForm, ref("li", schema), P6, qtbot)
    assert again.pdlx.currentText() == "其他" and again.loaded_version == 2
    judge_factory(again)
    assert again.save(), again.save_error.text()
    assert fetch(office, schema, 'SELECT "PDLX", "XGR", row_version FROM jctb WHERE fid = %s', (P6,)) == \
        [("违法", login_name("li"), 3)]


def test_field_visit_and_rectification_forms_save_on_postgis(office, schema, qtbot):
    from wpzf.ui.forms import FieldVisitForm, RectificationForm

    visit = make(FieldVisitForm, ref("zhang", schema), P6, qtbot)
    assert visit.history.rowCount() == 0
    visit.kcrq.setText("2022-05-20")
    visit.kcry.setText("张三、李四")
    visit.kcqk.setPlainText("已硬化")
    assert visit.save(), visit.save_error.text()
    assert fetch(office, schema, 'SELECT "KCRQ", "KCRY", "XGR" FROM wpzf_field_visit WHERE patch_fid = %s', (P6,)) == \
        [("2022-05-20", "张三、李四", login_name("zhang"))]
    assert make(FieldVisitForm, ref("li", schema), P6, qtbot).history.rowCount() == 1

    rect = make(RectificationForm, ref("zhang", schema), P4, qtbot)
    assert "10.00" in rect.total.text()
    rect.jlrq.setText("2022-07-01")
    rect.zgfs.setCurrentText("拆除复耕")
    rect.ccmj.setText("6")
    rect.fgmj.setText("6")
    assert rect.sywzgmj.text().startswith("4.00")
    assert rect.save(), rect.save_error.text()
    assert fetch(office, schema, 'SELECT "ZGFS", "CCMJ", "SYWZGMJ", "YZGMJ", "XGR", row_version FROM jctb '
                                 'WHERE fid = %s', (P4,)) == [("拆除复耕", 6.0, 4.0, 6.0, login_name("zhang"), 2)]
    assert fetch(office, schema, 'SELECT "SYWZGMJ", "XGR" FROM wpzf_rectification WHERE patch_fid = %s', (P4,)) == \
        [(4.0, login_name("zhang"))]


def test_rectification_meeting_a_changed_patch_writes_neither_record_nor_summary(office, schema, qtbot):
    from wpzf.ui.forms import DecisionForm, RectificationForm

    rect = make(RectificationForm, ref("zhang", schema), P4, qtbot)
    decision = make(DecisionForm, ref("li", schema), P4, qtbot)
    decision.jtqx.setCurrentText("非农违法")
    decision.wfmj.setText("9.5")  # li corrects the illegal area the remaining area is computed from
    assert decision.save(), decision.save_error.text()
    rect.jlrq.setText("2022-07-01")
    rect.zgfs.setCurrentText("拆除复耕")
    rect.ccmj.setText("6")
    assert not rect.save()
    text = rect.save_error.text()
    assert login_name("li") in text and "yours 10, stored 9.5" in text, text
    assert rect.isVisible() and rect.ccmj.text() == "6"
    assert fetch(office, schema, "SELECT count(*) FROM wpzf_rectification WHERE patch_fid = %s", (P4,)) == [(0,)]
    assert fetch(office, schema, 'SELECT "WFMJ", "CCMJ", row_version FROM jctb WHERE fid = %s', (P4,)) == \
        [(9.5, None, 2)]


def test_child_form_saves_do_not_conflict_with_the_open_decision_form(office, schema, qtbot):
    from wpzf.ui.forms import CaseForm, DecisionForm, ReferralForm

    decision = make(DecisionForm, ref("zhang", schema), P4, qtbot)
    decision.jtqx.setCurrentText("非农违法")
    decision.pdyj.setPlainText("外业核实为新建厂房")
    case = decision.open_form(CaseForm)
    case.sfla.setChecked(True)
    case.lasj.setText("2022-06-01")
    case.ajbh.setText("永规资罚〔2022〕9号")
    assert case.save(), case.save_error.text()
    referral = decision.open_form(ReferralForm)
    referral.yjbm.setCurrentText("区农业农村委")
    referral.yjrq.setText("2022-05-22")
    assert referral.save(), referral.save_error.text()
    assert decision.state.version == 2 and decision.state.counts["n_referrals"] == 3
    assert decision.save(), decision.save_error.text()
    assert fetch(office, schema, 'SELECT "SFLA", "PDYJ", row_version FROM jctb WHERE fid = %s', (P4,)) == \
        [(1, "外业核实为新建厂房", 3)]


def test_locked_batch_opens_read_only_and_a_lock_taken_meanwhile_is_refused_clearly(office, schema, qtbot):
    from wpzf.ui.forms import DecisionForm

    open_form = make(DecisionForm, ref("zhang", schema), P7, qtbot)
    judge_road(open_form)
    with PgWorkspace.open(office, schema, user="审核员") as ws:
        ws.lock_batch("2022-05")
    assert not open_form.save()
    assert "2022-05" in open_form.save_error.text() and "锁定" in open_form.save_error.text()
    assert open_form.isVisible() and open_form.jtqx.currentText() == "农村道路"
    for cls in (DecisionForm,):  # it changes only the locked patch row; progress and case forms append (below)
        form = make(cls, ref("zhang", schema), P7, qtbot)
        assert form.read_only and form.banner.isVisible(), cls
        assert "锁定" in form.banner.text() and office["user"] in form.banner.text(), form.banner.text()  # the login
        assert not form.save_button.isVisible() and all(not w.isEnabled() for w in form.inputs), cls
        assert not form.save()
    assert fetch(office, schema, 'SELECT "PDLX", row_version FROM jctb WHERE fid = %s', (P7,)) == [(None, 1)]


def test_locked_batch_appends_rectification_and_referral_records_on_postgis(office, schema, qtbot):
    """Work plan 四(二): locked data "不能修改", yet "适时更新录入违法图斑查处整改情况" — as new dated records."""
    from wpzf.domain.casework.progress import latest_rectification, rectification_records
    from wpzf.domain.reporting.snapshot import export_batch, write_snapshot
    from wpzf.ui.forms import RectificationForm, ReferralForm

    with PgWorkspace.open(office, schema, user="审核员") as ws:
        with ws.transaction():
            write_snapshot(ws, "2022-05", "二上", export_batch(ws, "2022-05", "二上"))
        ws.lock_batch("2022-05")
    patch_before = fetch(office, schema, "SELECT * FROM jctb WHERE fid = %s", (P4,))
    snapshot_before = fetch(office, schema, "SELECT id, sha256, content FROM wpzf_snapshot")
    (start,), = fetch(office, schema, "SELECT max(id) FROM wpzf_audit")
    rect = make(RectificationForm, ref("zhang", schema), P4, qtbot)
    assert not rect.read_only and rect.save_button.isVisible() and "appended as a new record" in rect.banner.text()
    rect.jlrq.setText("2022-09-30")
    rect.zgfs.setCurrentText("拆补组合")
    rect.ccmj.setText("6")
    rect.fgmj.setText("5")
    rect.bbmj.setText("3")
    rect.bbgdmj.setText("2.5")
    rect.bbpzwh.setText("渝府地〔2022〕9号")
    assert rect.sywzgmj.text().startswith("1.00")  # 剩余 = 违法 10 − 拆除 6 − 补办 3
    assert rect.yzggdmj.text().startswith("7.50")  # 已整改耕地 = 复耕 5 + 补办耕地 2.5
    assert rect.save(), rect.save_error.text()
    referral = make(ReferralForm, ref("zhang", schema), P4, qtbot)
    assert referral.history.rowCount() == 2 and referral.save_button.isVisible()
    referral.yjbm.setCurrentText("区林业局")
    referral.yjrq.setText("2022-10-08")
    assert referral.save(), referral.save_error.text()
    (rect_id, sywzgmj, bbgdmj, who), = fetch(office, schema, 'SELECT id, "SYWZGMJ", "BBGDMJ", "XGR" FROM '
                                                             'wpzf_rectification WHERE patch_fid = %s', (P4,))
    assert (sywzgmj, bbgdmj, who) == (1.0, 2.5, login_name("zhang"))
    (ref_id,), = fetch(office, schema, """SELECT id FROM wpzf_referral WHERE patch_fid = %s AND "YJBM" = '区林业局'""",
                       (P4,))
    assert fetch(office, schema, "SELECT table_name, row_id, action, who FROM wpzf_audit WHERE id > %s ORDER BY id",
                 (start,)) == [("wpzf_rectification", rect_id, "INSERT", login_name("zhang")),
                               ("wpzf_referral", ref_id, "INSERT", login_name("zhang"))]
    # the locked stage data did not change: the patch row (its summary, row_version) and the 二上 snapshot
    assert fetch(office, schema, "SELECT * FROM jctb WHERE fid = %s", (P4,)) == patch_before
    assert fetch(office, schema, "SELECT id, sha256, content FROM wpzf_snapshot") == snapshot_before
    with PgWorkspace.open(office, schema) as ws:
        latest = latest_rectification(rectification_records(ws)[P4], "2022-12-31")
    assert latest.id == rect_id and (latest.rectified, latest.rectified_farmland) == (9.0, 7.5)
    conn = psycopg2.connect(**office)
    try:
        for sql in (f'UPDATE wpzf_rectification SET "CCMJ" = 10 WHERE id = {rect_id}',
                    f"DELETE FROM wpzf_rectification WHERE id = {rect_id}",
                    f"""UPDATE wpzf_referral SET "ZT" = '已办结' WHERE id = {ref_id}""",
                    f"DELETE FROM wpzf_referral WHERE id = {ref_id}"):
            with pytest.raises(psycopg2.Error, match="已锁定"):
                with conn.cursor() as cur:
                    cur.execute(f"SET search_path = {schema}, public")
                    cur.execute(sql)
            conn.rollback()
    finally:
        conn.close()
    assert fetch(office, schema, 'SELECT "CCMJ" FROM wpzf_rectification WHERE id = %s', (rect_id,)) == [(6.0,)]


def test_a_case_filed_before_the_lock_is_closed_after_it_on_postgis(office, schema, qtbot):
    """Work plan 四(二) and domain.md §9: 结案 after the lock is a new dated record; the locked row and the
    二上 snapshot do not change, and the snapshot still verifies, reporting the one record added since."""
    from wpzf.domain.casework.progress import case_records, latest_case
    from wpzf.domain.reporting.snapshot import export_batch, snapshots, verify_snapshot, write_snapshot
    from wpzf.ui.forms import CaseForm

    filed = make(CaseForm, ref("zhang", schema), P4, qtbot)
    filed.jlrq.setText("2022-06-01")
    filed.sfla.setChecked(True)
    filed.lasj.setText("2022-06-01")
    filed.ajbh.setText("永规资罚〔2022〕9号")
    assert filed.save(), filed.save_error.text()
    assert filed.wrote_patch  # unlocked: the patch's case columns follow the record
    with PgWorkspace.open(office, schema, user="审核员") as ws:
        with ws.transaction():
            write_snapshot(ws, "2022-05", "二上", export_batch(ws, "2022-05", "二上"))
        ws.lock_batch("2022-05")
    patch_before = fetch(office, schema, "SELECT * FROM jctb WHERE fid = %s", (P4,))
    snapshot_before = fetch(office, schema, "SELECT id, sha256, content FROM wpzf_snapshot")
    (start,), = fetch(office, schema, "SELECT max(id) FROM wpzf_audit")
    closing = make(CaseForm, ref("zhang", schema), P4, qtbot)
    assert not closing.read_only and "case progress is appended as a new record" in closing.banner.text()
    assert closing.history.rowCount() == 1 and closing.ajbh.text() == "永规资罚〔2022〕9号"
    closing.jlrq.setText("2022-10-31")
    closing.cfjdswh.setText("永规资罚决〔2022〕9号")
    closing.fmk.setText("50000")
    closing.jasj.setText("2022-10-20")
    assert closing.save(), closing.save_error.text()
    assert not closing.wrote_patch
    (record_id, jasj, fmk, who), = fetch(office, schema, 'SELECT id, "JASJ", "FMK", "XGR" FROM wpzf_case_progress '
                                                         'WHERE patch_fid = %s AND "JLRQ" = %s', (P4, "2022-10-31"))
    assert (jasj, fmk, who) == ("2022-10-20", 50000.0, login_name("zhang"))
    assert fetch(office, schema, "SELECT table_name, row_id, action, who FROM wpzf_audit WHERE id > %s ORDER BY id",
                 (start,)) == [("wpzf_case_progress", record_id, "INSERT", login_name("zhang"))]
    assert fetch(office, schema, "SELECT * FROM jctb WHERE fid = %s", (P4,)) == patch_before
    assert fetch(office, schema, "SELECT id, sha256, content FROM wpzf_snapshot") == snapshot_before
    with PgWorkspace.open(office, schema) as ws:
        check = verify_snapshot(ws, snapshots(ws, "2022-05")[-1].id)
        records = case_records(ws)[P4]
    assert check.content_intact and check.matches_current and check.n_added == 1
    assert (check.added[0].table, check.added[0].id) == ("wpzf_case_progress", record_id)
    assert not latest_case(records, "2022-09-30").closed  # filed 06-01; closed only as at 10-31 on
    assert latest_case(records, "2022-12-31").JASJ == "2022-10-20"


def test_the_lock_and_row_version_triggers_become_domain_errors(office, schema, monkeypatch):
    """Refusals by the database itself (another client slipped in) read like the forms' own checks."""
    from dataclasses import replace

    from wpzf.domain.casework import DecisionInput
    from wpzf.domain.casework import save as save_module
    from wpzf.domain.casework.save import ConflictError, WorkspaceError, _writing, patch_state, save_decision

    with PgWorkspace.open(office, schema, user="张三") as ws:
        loaded = patch_state(ws, P7)
        with pytest.raises(ConflictError) as caught:
            with _writing(ws, P7, loaded, {"BZ": "mine"}) as write:  # a client that names a stale row_version
                write.conn.execute("""UPDATE jctb SET "BZ" = 'x', row_version = 0 WHERE fid = ?""", (P7,))
        assert caught.value.__cause__.pgcode == "WZ409"
        assert "P7" in str(caught.value) and "yours mine, stored —" in str(caught.value)
        ws.lock_batch("2022-05")
        real = save_module.patch_state
        calls = []

        def unlocked(w, fid):  # the first read misses the lock, as if it was taken just after
            state = real(w, fid)
            calls.append(fid)
            return replace(state, lock=replace(state.lock, locked=False)) if len(calls) == 1 else state

        monkeypatch.setattr(save_module, "patch_state", unlocked)
        with pytest.raises(WorkspaceError) as caught:
            save_decision(ws, P7, DecisionInput(PDLX="其他", JTQX="农村道路"))
        monkeypatch.undo()
        assert caught.value.__cause__.pgcode == "WZ423"
        assert "P7" in str(caught.value) and "2022-05" in str(caught.value) and office["user"] in str(caught.value)
    assert fetch(office, schema, 'SELECT "PDLX", "BZ", row_version FROM jctb WHERE fid = %s', (P7,)) == [(None, None, 1)]


def test_technician_changing_another_towns_patch_is_refused_and_keeps_the_input(office, schema, qtbot):
    from wpzf.ui.forms import DecisionForm, FieldVisitForm

    before = fetch(office, schema, "SELECT * FROM jctb WHERE fid = %s", (P6,))
    form = make(DecisionForm, ref("wang", schema), P6, qtbot)  # wang works in town T1; P6 is in T2
    judge_factory(form)
    assert not form.save()
    text = form.save_error.text()
    assert "P6" in text and T2 in text and login_name("wang") in text and T1 in text, text
    assert form.isVisible() and form.wfmj.text() == "1.5" and form.pdlx.currentText() == "违法"
    visit = make(FieldVisitForm, ref("wang", schema), P6, qtbot)
    visit.kcry.setText("王五")
    assert not visit.save()
    assert "P6" in visit.save_error.text() and T1 in visit.save_error.text(), visit.save_error.text()
    assert visit.isVisible() and visit.kcry.text() == "王五"
    assert fetch(office, schema, "SELECT * FROM jctb WHERE fid = %s", (P6,)) == before
    assert fetch(office, schema, "SELECT count(*) FROM wpzf_field_visit WHERE patch_fid = %s", (P6,)) == [(0,)]
    own = make(DecisionForm, ref("wang", schema), 1, qtbot)  # P1, in his own town
    own.bz.setText("已核")
    assert own.save(), own.save_error.text()


def test_evidence_tab_keeps_files_on_the_server(office, schema, qtbot, tmp_path):
    from qgis.PyQt.QtGui import QColor, QImage

    from wpzf.ui.forms import DecisionForm
    from wpzf.ui.forms.shared_evidence import SharedEvidencePanel

    photo = tmp_path / "现场.png"
    image = QImage(40, 30, QImage.Format_RGB32)
    image.fill(QColor("green"))
    assert image.save(str(photo))
    form = make(DecisionForm, ref("zhang", schema), P6, qtbot)
    panel = form.evidence_panel
    assert isinstance(panel, SharedEvidencePanel) and form.tabs.tabText(1) == "Evidence"
    assert panel.records == [] and not panel.add_button.isHidden()
    results, errors = panel.add_files([photo], "照片")
    assert errors == [] and [r.created for r in results] == [True]
    assert panel.list.count() == 1 and form.state.counts["n_evidence"] == 1
    assert panel.add_files([photo], "照片")[0][0].created is False  # same content: recorded once
    panel.list.item(0).setSelected(True)
    [copy] = panel.selected_paths()
    assert copy.read_bytes() == photo.read_bytes() and copy.name == "现场.png"
    assert fetch(office, schema, 'SELECT "ZLLX", "YSWJM", "XGR" FROM wpzf_evidence WHERE patch_fid = %s', (P6,)) == \
        [("照片", "现场.png", login_name("zhang"))]
    assert fetch(office, schema, "SELECT count(*) FROM wpzf_evidence_file") == [(1,)]
    assert not panel.list.item(0).icon().isNull()  # the photo's thumbnail
    # refreshing (and reopening the form) shows the thumbnail without downloading the photo again
    from wpzf.ui.forms import shared_evidence

    downloads = []
    real = shared_evidence.evidence_content
    shared_evidence.evidence_content = lambda ws, sha: downloads.append(sha) or real(ws, sha)
    try:
        panel.refresh()
        again = make(DecisionForm, ref("zhang", schema), P6, qtbot)
        assert again.evidence_panel.list.count() == 1 and not again.evidence_panel.list.item(0).icon().isNull()
    finally:
        shared_evidence.evidence_content = real
    assert downloads == []


def test_patch_list_double_click_opens_the_form_of_a_shared_workspace(office, schema, qtbot, iface):
    from wpzf.ui.forms import DecisionForm
    from wpzf.ui.workbench import Workbench

    bench = Workbench(iface)
    try:
        bench.set_workspace(ref("zhang", schema))
        dock = bench.show_patch_list()
        dock.select_fid(P6, activate=False)
        form = bench.open_forms(dock.current_fid())
        assert isinstance(form, DecisionForm) and form.shared and form.state.jcbh == "P6"
        qtbot.addWidget(form)
        judge_road(form)
        assert form.save(), form.save_error.text()
        # the list reloads when the form closes
        assert [r.situation for r in dock.model.rows if r.fid == P6] == ["农村道路"]
    finally:
        bench.remove()
    assert fetch(office, schema, 'SELECT "JTQX" FROM jctb WHERE fid = %s', (P6,)) == [("农村道路",)]


def test_menu_judges_the_selected_patch_of_the_shared_layer(office, schema, qtbot, iface, monkeypatch):
    from qgis.core import QgsProject
    from qgis.PyQt.QtWidgets import QApplication

    from wpzf.ui.forms import DecisionForm
    from wpzf.ui.main_menu import MainMenu
    from wpzf.ui.patch_list.navigation import ensure_patch_layer

    menu = MainMenu(iface, "wpzfMenuSharedFormsTest", "wpzfToolbarSharedFormsTest")
    try:
        menu.workbench.set_workspace(ref("zhang", schema))
        layer = ensure_patch_layer(ref("zhang", schema))
        assert layer.providerType() == "postgres"
        pdlx = layer.fields().lookupField("PDLX")
        assert pdlx >= 0 and layer.editFormConfig().readOnly(pdlx), "QGIS's own form cannot overwrite unguarded"
        monkeypatch.setattr(iface, "activeLayer", lambda: layer, raising=False)
        layer.selectByIds([P6])
        menu.judge_selected_patch()
        forms = [w for w in QApplication.topLevelWidgets() if isinstance(w, DecisionForm) and w.isVisible()]
        assert [(f.fid, f.shared) for f in forms] == [(P6, True)]
        forms[0].reject()
    finally:
        menu.remove()
        QgsProject.instance().removeAllMapLayers()
