"""The patch layer's native attribute form, from the workspace's default style, and edits through QGIS."""
from __future__ import annotations

import pytest

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call

pytestmark = pytest.mark.slow


@pytest.fixture()
def layer(workspace):
    from qgis.core import QgsProject

    from wpzf.adapters.workspace_style import patch_layer

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

    from wpzf.adapters.form_config import EVIDENCE_RELATION_ID, add_evidence_relation

    with gpkg_connect(workspace) as conn:
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
    with gpkg_connect(workspace) as conn:
        who = conn.execute("SELECT who FROM wpzf_audit WHERE table_name = 'jctb' AND field = 'PDLX' "
                           "AND row_id = 2").fetchall()
    assert who == [(current_user(),)], conn_rows(workspace)


def conn_rows(workspace):
    """What the patch row and its audit hold, shown when the stamp check fails."""
    with gpkg_connect(workspace) as conn:
        return (conn.execute("SELECT XGR, XGSJ, PDLX FROM jctb WHERE fid = 2").fetchall(),
                conn.execute("SELECT field, who, old_value, new_value FROM wpzf_audit WHERE table_name = 'jctb' "
                             "AND row_id = 2").fetchall())


def test_edit_buffer_on_a_locked_batch_fails_and_changes_nothing(layer, workspace):
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(workspace) as ws:
        ws.lock_batch("2022-05")
    with gpkg_connect(workspace) as conn:
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
    with gpkg_connect(workspace) as conn:
        assert conn.execute("SELECT * FROM jctb WHERE fid = 1").fetchone() == before
        assert conn.execute("SELECT count(*) FROM wpzf_audit").fetchone() == audit


def test_workspace_styled_before_the_form_gets_it_when_opened(workspace, iface):
    """An older default style (aliases only) is completed in memory when the menu opens the workspace."""
    from qgis.core import QgsProject

    from wpzf.adapters.workspace_style import STYLE_NAME, patch_layer
    from wpzf.ui.main_menu import MainMenu

    with gpkg_connect(workspace) as conn:
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


def test_schema6_columns_have_their_widgets_read_only_flags_and_tabs(layer):
    """WFSD from the rule set's [violation] periods; JASJ a date like LASJ; JSSJ text (may be a year);
    JBNTGDMJ (computed by wpzf:farmlandoccupation) and BBGDMJ (from the rectification records) read-only."""
    wfsd = setup(layer, "WFSD")
    assert wfsd.type() == "ValueMap"
    assert [v for entry in wfsd.config()["map"] for v in entry.values()][1:] == ["新增", "存量"]
    assert setup(layer, "JASJ").type() == "DateTime" and setup(layer, "JASJ").config()["field_format"] == "yyyy-MM-dd"
    assert setup(layer, "JASJ").config()["allow_null"] is True
    assert setup(layer, "JSSJ").type() == "TextEdit"
    config = layer.editFormConfig()
    fields = layer.fields()
    for name in ("JBNTGDMJ", "BBGDMJ", "YZGGDMJ"):
        assert config.readOnly(fields.lookupField(name)), name
    for name in ("WFSD", "JSSJ", "JASJ"):
        assert not config.readOnly(fields.lookupField(name)), name
    tabs = {t.name(): [c.name() for c in t.children()] for t in config.tabs()}
    assert {"GDMJ", "JBNTMJ", "JBNTGDMJ"} <= set(tabs["基本信息"])
    assert {"WFLX", "JSSJ", "WFSD"} <= set(tabs["判定"]) and "JASJ" in tabs["立案"] and "BBGDMJ" in tabs["整改"]
    assert "其他" not in tabs, tabs  # every schema-6 column has its tab
    assert layer.attributeAlias(fields.lookupField("WFSD")) == "违法时段(新增/存量)"


def test_construction_date_constraint_accepts_year_month_day_only(layer):
    """The soft constraint on JSSJ names the spellings the Q21 check reads exactly."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsFeature, QgsFieldConstraints

    index = layer.fields().lookupField("JSSJ")
    constraints = layer.fields().at(index).constraints()
    assert constraints.constraintStrength(QgsFieldConstraints.ConstraintExpression) == \
        QgsFieldConstraints.ConstraintStrengthSoft
    expression = QgsExpression(constraints.constraintExpression())
    feature = QgsFeature(layer.fields())
    context = QgsExpressionContext()
    verdicts = {}
    for value in ("2021", "2021-05", "2021-05-03", None, "2021年", "21-05", "2021-5-3x"):
        feature.setAttribute(index, value)
        context.setFeature(feature)
        verdicts[value] = bool(expression.evaluate(context))
    assert verdicts == {"2021": True, "2021-05": True, "2021-05-03": True, None: True, "2021年": False,
                        "21-05": False, "2021-5-3x": False}, verdicts


def test_attribute_form_keeps_a_year_only_construction_date(layer, workspace):
    """Editing another field in QGIS's feature form must not turn JSSJ '2021' into NULL (a DateTime widget
    with field format yyyy-MM-dd cannot parse '2021' and writes NULL back on save: measured on QGIS 3.22)."""
    from qgis.core import QgsEditFormConfig
    from qgis.gui import QgsAttributeEditorContext, QgsAttributeForm

    with gpkg_connect(workspace) as conn:
        conn.execute("UPDATE jctb SET JSSJ = '2021' WHERE fid = 1")
    layer.reload()
    config = layer.editFormConfig()
    config.setLayout(QgsEditFormConfig.GeneratedLayout)  # the widgets, without the relation editor tab
    layer.setEditFormConfig(config)
    assert layer.startEditing()
    form = QgsAttributeForm(layer, layer.getFeature(1), QgsAttributeEditorContext())
    form.changeAttribute("BZ", "外业补充")
    assert form.save()
    assert layer.commitChanges(), layer.commitErrors()
    with gpkg_connect(workspace) as conn:
        assert conn.execute("SELECT JSSJ, BZ FROM jctb WHERE fid = 1").fetchone() == ("2021", "外业补充")


def test_style_saved_before_schema6_widgets_is_completed_when_opened(workspace):
    """A default style with the XGR stamps but no form version (saved by the plugin before schema 6)."""
    from wpzf.adapters.form_config import FORM_VERSION, FORM_VERSION_PROPERTY
    from wpzf.adapters.workspace_style import STYLE_NAME, ensure_form_config, patch_layer

    old = patch_layer(workspace)
    assert old.customProperty(FORM_VERSION_PROPERTY) is not None  # the fresh style carries its version
    old.removeCustomProperty(FORM_VERSION_PROPERTY)
    from qgis.core import QgsEditorWidgetSetup

    old.setEditorWidgetSetup(old.fields().lookupField("WFSD"), QgsEditorWidgetSetup("TextEdit", {}))
    with gpkg_connect(workspace) as conn:  # as the test above: replace the stored style by the old one
        conn.execute("DELETE FROM layer_styles")
    assert old.saveStyleToDatabase(STYLE_NAME, "before schema 6", True, "") == ""
    stale = patch_layer(workspace)
    assert stale.defaultValueDefinition(stale.fields().lookupField("XGR")).expression()  # stamps: the old test
    assert setup(stale, "WFSD").type() == "TextEdit"
    assert ensure_form_config(stale, workspace)
    assert setup(stale, "WFSD").type() == "ValueMap"
    assert int(stale.customProperty(FORM_VERSION_PROPERTY)) == FORM_VERSION
    assert not ensure_form_config(stale, workspace)  # current: left alone


def test_commit_stamps_every_changed_patch_even_without_default_values(layer, workspace):
    """The commit hook stamps XGR/XGSJ itself: QGIS skips apply-on-update defaults when it cannot re-read the row."""
    from qgis.core import QgsDefaultValue

    from wpzf.domain.workspace.store import current_user

    for name in ("XGR", "XGSJ"):  # as if QGIS had not applied the style's stamps
        layer.setDefaultValueDefinition(layer.fields().lookupField(name), QgsDefaultValue())
    assert layer.startEditing()
    assert layer.changeAttributeValue(4, layer.fields().lookupField("BZ"), "属性表中修改")
    assert layer.commitChanges(), layer.commitErrors()
    with gpkg_connect(workspace) as conn:
        who = conn.execute("SELECT who FROM wpzf_audit WHERE table_name = 'jctb' AND field = 'BZ' "
                           "AND row_id = 4").fetchall()
        xgr, xgsj = conn.execute("SELECT XGR, XGSJ FROM jctb WHERE fid = 4").fetchone()
    assert who == [(current_user(),)] and xgr == current_user() and not xgsj.endswith("Z")


def test_commit_stamps_survive_when_only_the_project_holds_the_layer(workspace):
    """The hook lives on the C++ layer: a layer the caller dropped (kept by the project) is still stamped."""
    import gc

    from qgis.core import QgsDefaultValue, QgsProject

    from wpzf.adapters.workspace_style import patch_layer
    from wpzf.domain.workspace.store import current_user

    layer_id = QgsProject.instance().addMapLayer(patch_layer(workspace)).id()
    gc.collect()
    layer = QgsProject.instance().mapLayer(layer_id)
    try:
        for name in ("XGR", "XGSJ"):
            layer.setDefaultValueDefinition(layer.fields().lookupField(name), QgsDefaultValue())
        assert layer.startEditing()
        assert layer.changeAttributeValue(5, layer.fields().lookupField("BZ"), "只由工程持有")
        assert layer.commitChanges(), layer.commitErrors()
        with gpkg_connect(workspace) as conn:
            xgr, xgsj = conn.execute("SELECT XGR, XGSJ FROM jctb WHERE fid = 5").fetchone()
        assert xgr == current_user() and not xgsj.endswith("Z")
    finally:
        QgsProject.instance().removeAllMapLayers()


def test_commit_stamps_on_a_layer_read_back_from_a_project(workspace, tmp_path):
    """A layer QGIS created from a project file has a temporary Python wrapper: the hook must outlive it."""
    import gc

    from qgis.core import QgsDefaultValue, QgsProject

    from wpzf.adapters.edit_stamps import install_edit_stamps
    from wpzf.adapters.workspace_style import patch_layer
    from wpzf.domain.workspace.store import current_user

    project = QgsProject.instance()
    project.addMapLayer(patch_layer(workspace))
    assert project.write(str(tmp_path / "month.qgs"))
    project.clear()
    assert project.read(str(tmp_path / "month.qgs"))
    try:
        (layer_id,) = list(project.mapLayers())
        install_edit_stamps(project.mapLayer(layer_id))  # the wrapper QGIS handed out is dropped here
        gc.collect()
        layer = project.mapLayer(layer_id)
        for name in ("XGR", "XGSJ"):
            layer.setDefaultValueDefinition(layer.fields().lookupField(name), QgsDefaultValue())
        assert layer.startEditing()
        assert layer.changeAttributeValue(6, layer.fields().lookupField("BZ"), "工程重新打开后修改")
        assert layer.commitChanges(), layer.commitErrors()
        with gpkg_connect(workspace) as conn:
            xgr, xgsj = conn.execute("SELECT XGR, XGSJ FROM jctb WHERE fid = 6").fetchone()
        assert xgr == current_user() and xgsj and not xgsj.endswith("Z")
    finally:
        project.clear()
