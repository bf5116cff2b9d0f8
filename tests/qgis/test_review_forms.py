"""The decision form's review tab (层层审查) and the case form's 工作规程 stages, on a real GeoPackage.

Work plan 五(三): "建立图斑核查、图斑数据层层审查、纠错机制"; 四(一): 违法图斑 "参照《国土资源违法行为查处
工作规程》建立案件卷宗". Issue 18: the decision form shows the chain and lets a reviewer sign or send back;
the case form records each stage with date, document number and attachment; 结案 needs execution evidence.
"""
from __future__ import annotations

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.casework import CaseInfo, DecisionInput
from wpzf.domain.casework.save import save_case, save_decision
from wpzf.domain.workspace.gpkg import connect as gpkg_connect
from wpzf.domain.workspace.store import Workspace


@pytest.fixture()
def ws_path(tmp_path, qgis_app):
    """A1 (4 亩) judged 违法 by 张三, its case filed; one evidence file (执行到位 photo) attached to A1."""
    path = tmp_path / "ws.gpkg"
    with Workspace.create(path, 4523, user="张三") as ws:
        with ws.transaction() as conn:
            conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, TBMJ, XGR, XGSJ) VALUES (?, 'A1', 1, 2666.67, "
                         "'i', 't0')", (wkt_blob(),))
            conn.execute("INSERT INTO wpzf_evidence (patch_fid, ZLLX, WJLJ, YSWJM, SHA256, WJDX, XGR, XGSJ) "
                         "VALUES (1, '照片', 'A1/done.jpg', '拆除后.jpg', ?, 10, 'i', 't0')", ("0" * 64,))
        save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=4.0))
        save_case(ws, 1, CaseInfo(True, "2022-06-01", "永规资罚〔2022〕8号", JLRQ="2022-06-01", AJJD="立案",
                                  WSWH="永规资立〔2022〕8号"))
    return path


def make(cls, path, qtbot, user):
    form = cls(path, 1, confirm=lambda *args: True, user=user)
    qtbot.addWidget(form)
    form.show()
    return form


def cells(table):
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_the_decision_form_shows_the_chain_and_a_reviewer_signs_or_sends_back(ws_path, qtbot):
    from wpzf.ui.forms import DecisionForm

    form = make(DecisionForm, ws_path, qtbot, "李四")
    panel = form.review_panel
    assert panel is not None and form.tabs.tabText(form.tabs.indexOf(panel)) == "Review (审核)"
    assert cells(panel.table) == [("经办", "通过", "张三")] and "待审核" in panel.state_label.text()
    assert panel.step.currentText() == "审核"
    panel.opinion.setText("同意")
    assert panel.sign(False)
    assert cells(panel.table)[-1] == ("审核", "通过", "李四") and panel.step.currentText() == "审定"
    assert not panel.sign(False)  # 审定 by the same reviewer is refused, with the reason shown
    assert "李四 already signed 审核" in panel.message.text()
    boss = make(DecisionForm, ws_path, qtbot, "王五").review_panel
    assert not boss.sign(True) and "needs the reason" in boss.message.text()
    boss.opinion.setText("违法面积需重新测量")
    assert boss.sign(True)
    assert cells(boss.table)[-1] == ("审定", "退回", "王五") and "已退回" in boss.state_label.text()
    assert not boss.sign_button.isEnabled() and not boss.back_button.isEnabled()
    with gpkg_connect(ws_path) as conn:
        assert conn.execute("SELECT BZ, JG, SHR, SHYJ FROM wpzf_review ORDER BY id").fetchall() == [
            ("经办", "通过", "张三", None), ("审核", "通过", "李四", "同意"), ("审定", "退回", "王五", "违法面积需重新测量")]


def test_the_case_form_records_stages_and_refuses_closing_without_execution_evidence(ws_path, qtbot):
    from wpzf.ui.forms import CaseForm

    form = make(CaseForm, ws_path, qtbot, "张三")
    stages = [form.ajjd.itemText(i) for i in range(1, form.ajjd.count())]
    assert stages == ["立案", "调查取证", "案件审理", "告知听证", "处罚决定", "执行", "结案"]
    assert form.history.item(0, 1).text() == "立案" and form.attachment.itemText(1) == "照片 拆除后.jpg"
    form.jlrq.setText("2022-09-01")
    form.ajjd.setCurrentText("结案")
    form.wswh.setText("结案-8")
    form.jasj.setText("2022-09-01")
    errors = form.problem_texts("error")
    assert any("结案 needs execution evidence" in t and "evidence_id" in t for t in errors), errors
    assert not form.save()
    form.attachment.setCurrentIndex(1)
    assert form.save(), form.save_error.text()
    with gpkg_connect(ws_path) as conn:
        assert conn.execute("SELECT AJJD, WSWH, evidence_id, JASJ FROM wpzf_case_progress ORDER BY id").fetchall() == [
            ("立案", "永规资立〔2022〕8号", None, None), ("结案", "结案-8", 1, "2022-09-01")]
