"""The patch layer's native attribute form, from the workspace's default style, and edits through QGIS."""
from __future__ import annotations

import sqlite3

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture()
def workspace(district, tmp_path, wpzf_processing):
    from qgis import processing

    path = tmp_path / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    return path


@pytest.fixture()
def layer(workspace):
    from qgis.core import QgsProject

    from wpzf.processing.workspace_style import patch_layer

    loaded = patch_layer(workspace)  # the default style in the workspace is applied on load
    assert loaded.isValid()
    QgsProject.instance().addMapLayer(loaded)
    yield loaded
    QgsProject.instance().removeAllMapLayers()


def setup(layer, name):
    return layer.editorWidgetSetup(layer.fields().lookupField(name))


def test_default_style_carries_widgets_aliases_and_tabs(layer):
    from qgis.core import QgsEditFormConfig

    pdlx = setup(layer, "PDLX")
    assert pdlx.type() == "ValueMap"
    values = [v for entry in pdlx.config()["map"] for v in entry.values()]
    assert {"合法", "违法", "其他"} <= set(values) and "疑似违法" not in values
    assert "农村道路" in [v for e in setup(layer, "JTQX").config()["map"] for v in e.values()]
    assert "拆除复耕" in [v for e in setup(layer, "ZGFS").config()["map"] for v in e.values()]
    assert setup(layer, "KJLX").type() == "ValueMap"
    assert setup(layer, "LASJ").type() == "DateTime" and setup(layer, "LASJ").config()["field_format"] == "yyyy-MM-dd"
    assert setup(layer, "ZGWCSJ").type() == "DateTime"
    assert setup(layer, "SFLA").type() == "CheckBox" and setup(layer, "SFNRJS").type() == "CheckBox"
    assert layer.attributeAlias(layer.fields().lookupField("PDLX")) == "判定类型"
    config = layer.editFormConfig()
    for name in ("XGR", "XGSJ", "YSSX", "batch_id", "PDQX"):
        assert config.readOnly(layer.fields().lookupField(name)), name
    assert not config.readOnly(layer.fields().lookupField("PDLX"))
    assert config.layout() == QgsEditFormConfig.TabLayout
    names = [t.name() for t in config.tabs()]
    assert names[:5] == ["基本信息", "判定", "立案", "整改", "审核"] and names[-1] == "佐证资料", names


def test_evidence_relation_and_relation_editor(layer, workspace):
    from qgis.core import QgsAttributeEditorElement, QgsProject

    from wpzf.processing.form_config import EVIDENCE_RELATION_ID, add_evidence_relation

    with sqlite3.connect(workspace) as conn:
        conn.execute("INSERT INTO wpzf_evidence (patch_fid, ZLLX, WJLJ, YSWJM, SHA256, WJDX, XGR, XGSJ) "
                     "VALUES (3, '批文', 'a.pdf', 'a.pdf', 'x', 1, 't', 't')")
    relation = add_evidence_relation(QgsProject.instance(), layer, workspace)
    assert relation is not None and relation.isValid()
    assert QgsProject.instance().relationManager().relation(EVIDENCE_RELATION_ID).isValid()
    feature = layer.getFeature(3)
    assert [f["WJLJ"] for f in relation.getRelatedFeatures(feature)] == ["a.pdf"]
    again = add_evidence_relation(QgsProject.instance(), layer, workspace)  # idempotent: one layer, one relation
    assert again.isValid() and len(QgsProject.instance().mapLayersByName("佐证资料")) == 1
    tab = layer.editFormConfig().tabs()[-1]
    element = tab.children()[0]
    assert element.type() == QgsAttributeEditorElement.AeTypeRelation
    assert element.relation().isValid() and element.relation().id() == EVIDENCE_RELATION_ID


def test_edit_buffer_is_stamped_and_audited(layer, workspace):
    from wpzf.domain.workspace.store import current_user

    index = layer.fields().lookupField("PDLX")
    stamp = layer.defaultValueDefinition(layer.fields().lookupField("XGR"))
    assert stamp.expression() == "@user_account_name" and stamp.applyOnUpdate(), "style without the XGR stamp"
    assert layer.startEditing()
    assert layer.changeAttributeValue(2, index, "其他")
    assert layer.commitChanges(), layer.commitErrors()
    with sqlite3.connect(workspace) as conn:
        who = conn.execute("SELECT who FROM wpzf_audit WHERE table_name = 'jctb' AND field = 'PDLX' "
                           "AND row_id = 2").fetchall()
    assert who == [(current_user(),)], conn_rows(workspace)


def conn_rows(workspace):
    """What the patch row and its audit hold, shown when the stamp check fails."""
    with sqlite3.connect(workspace) as conn:
        return (conn.execute("SELECT XGR, XGSJ, PDLX FROM jctb WHERE fid = 2").fetchall(),
                conn.execute("SELECT field, who, old_value, new_value FROM wpzf_audit WHERE table_name = 'jctb' "
                             "AND row_id = 2").fetchall())


def test_edit_buffer_on_a_locked_batch_fails_and_changes_nothing(layer, workspace):
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(workspace) as ws:
        ws.lock_batch("2022-05")
    with sqlite3.connect(workspace) as conn:
        before = conn.execute("SELECT * FROM jctb WHERE fid = 1").fetchone()
        audit = conn.execute("SELECT count(*) FROM wpzf_audit").fetchone()
    index = layer.fields().lookupField("PDLX")
    stamp = layer.defaultValueDefinition(layer.fields().lookupField("XGR"))
    assert stamp.expression() == "@user_account_name" and stamp.applyOnUpdate(), "style without the XGR stamp"
    assert layer.startEditing()
    assert layer.changeAttributeValue(1, index, "违法")
    assert not layer.commitChanges()
    assert any("锁定" in e or "locked" in e for e in layer.commitErrors()), layer.commitErrors()
    layer.rollBack()
    with sqlite3.connect(workspace) as conn:
        assert conn.execute("SELECT * FROM jctb WHERE fid = 1").fetchone() == before
        assert conn.execute("SELECT count(*) FROM wpzf_audit").fetchone() == audit


def test_workspace_styled_before_the_form_gets_it_when_opened(workspace, iface):
    """An older default style (aliases only) is completed in memory when the menu opens the workspace."""
    from qgis.core import QgsProject

    from wpzf.processing.workspace_style import STYLE_NAME, patch_layer
    from wpzf.ui.main_menu import MainMenu

    with sqlite3.connect(workspace) as conn:
        conn.execute("DELETE FROM layer_styles")
    old = patch_layer(workspace)
    old.setFieldAlias(old.fields().lookupField("PDLX"), "判定类型")
    assert old.saveStyleToDatabase(STYLE_NAME, "aliases only", True, "") == ""
    plain = patch_layer(workspace)
    xgr = plain.fields().lookupField("XGR")
    assert plain.fields().field("PDLX").alias() == "判定类型"
    assert not plain.defaultValueDefinition(xgr).expression(), "the old style has no stamps"

    menu = MainMenu(iface, "wpzfMenuStyleTest", "wpzfToolbarStyleTest")
    try:
        layer = menu.load_workspace(workspace)
        assert "user_account_name" in layer.defaultValueDefinition(xgr).expression()
        assert layer.defaultValueDefinition(xgr).applyOnUpdate()
        assert setup(layer, "PDLX").type() == "ValueMap"
    finally:
        menu.remove()
        QgsProject.instance().removeAllMapLayers()
