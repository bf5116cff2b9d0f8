"""The patch layer's native QGIS attribute form: the same choices and protections as the plugin's forms.

Whoever edits ``jctb`` through QGIS's own tools (identify, attribute table,
feature form) gets value maps from the workspace's rule set, date widgets,
check boxes, read-only bookkeeping columns, Chinese aliases, a tabbed form
(基本信息/判定/立案/整改/佐证资料) and a relation editor for the evidence
table. XGR/XGSJ are stamped on every change by default-value expressions, so
the audit triggers record who edited; the stage-lock triggers refuse a locked
batch's changes whatever the client. The configuration is saved in the
workspace's default style (see :mod:`.workspace_style`); the relation itself
is a project object, added by :func:`add_evidence_relation` when the
workspace is loaded.

建设时间 JSSJ is a text edit, not a date widget: ministry and office data
hold '2021' or '2021-10' there, which a DateTime widget cannot show and —
because QGIS's form writes back a widget value that differs from the
stored one — would store as NULL when anything else on the feature is
edited. A soft constraint says which spellings the checks understand.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from qgis.core import (
    QgsAttributeEditorContainer,
    QgsAttributeEditorElement,
    QgsAttributeEditorField,
    QgsAttributeEditorRelation,
    QgsDefaultValue,
    QgsEditFormConfig,
    QgsEditorWidgetSetup,
    QgsFieldConstraints,
    QgsProject,
    QgsRelation,
    QgsVectorLayer,
)

from ..domain.rules import RuleSet
from ..domain.workspace.columns import PATCH_COLUMNS
from ..domain.workspace.patch_fields import ID_FIELD

EVIDENCE_TABLE = "wpzf_evidence"
EVIDENCE_LAYER_NAME = "佐证资料"
EVIDENCE_RELATION_ID = "wpzf_jctb_evidence"
"""Fixed id: the relation editor saved in the default style finds the relation by it."""
NULL_KEY = "{2839923C-8B7D-419E-B84B-CA2FE9B80EC7}"
"""QGIS's ValueMap representation of NULL."""

DATE_COLUMNS = ("QSX", "HSX", "LASJ", "JASJ", "ZGWCSJ")
PARTIAL_DATE_COLUMNS = ("JSSJ",)
"""A day, month or year as text ('2021-05-03', '2021-05', '2021'): a text edit keeps what is stored."""
PARTIAL_DATE_EXPRESSION = (r""""{name}" IS NULL OR regexp_match("{name}", '^\\d{{4}}(-\\d{{2}}(-\\d{{2}})?)?$')""")
FORM_VERSION = 2
"""Raised when the form changes (2: schema-6 columns), so :func:`.workspace_style.ensure_form_config`
completes a style saved by an older plugin; stored in the layer's custom property below."""
FORM_VERSION_PROPERTY = "wpzf/form_version"
DATETIME_COLUMNS = ("PDSJ",)
CHECKBOX_COLUMNS = ("SFLA", "SFNRJS")
READ_ONLY_COLUMNS = (ID_FIELD, "batch_id", "YSSX", "YSZB", "XFBZ", "XFSM", "CXXF", "FJCBH", "PDQX", "XGR", "XGSJ",
                     "SYWZGMJ", "YZGMJ", "YZGGDMJ", "BBGDMJ", "THCS", "JBNTGDMJ")
"""Bookkeeping (intake, deadlines, who/when), values derived from rectification records (剩余, 已整改,
已整改耕地, 补办耕地: the rectification form writes them from its dated records) and JBNTGDMJ, which
wpzf:farmlandoccupation computes from the geometry (domain.md §3: always recompute from geometry)."""

TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本信息", (ID_FIELD, "DKBH", "FJCBH", "XZQDM", "XMC", "TBLX", "JCLB", "TBLY", "JCPC", "QSX", "HSX", "JCMJ",
              "BHMJ", "LZB", "BZB", "QQJCBH", "TBMJ", "GDMJ", "JBNTMJ", "JBNTGDMJ", "FGNYDMJ", "WLYDMJ", "JSYDMJ",
              "PDQX")),
    ("判定", ("PDLX", "JTQX", "WFLX", "JSSJ", "WFSD", "PZWH", "PDYJ", "WFMJ", "WFGDMJ", "WFJBNTMJ", "SFNRJS", "KJLX",
            "PDR", "PDSJ", "BZ")),
    ("立案", ("SFLA", "LASJ", "AJBH", "CFJDSWH", "FMK", "MSMJ", "JASJ")),
    ("整改", ("ZGFS", "CCMJ", "FGMJ", "BBMJ", "BBGDMJ", "BBPZWH", "YZGMJ", "YZGGDMJ", "SYWZGMJ", "ZGWCSJ")),
    ("审核", ("SHYJ", "THCS", "batch_id", "XGR", "XGSJ", "YSZB", "XFBZ", "XFSM", "CXXF", "YSSX")),
)
EVIDENCE_TAB = "佐证资料"
STAMP_DEFAULTS = {
    "XGR": "@user_account_name",
    "XGSJ": "format_date(now(), 'yyyy-MM-ddTHH:mm:ss.zzz')",
}
"""Who and when of every edit made in QGIS (applied on update), read by the audit triggers."""


def value_maps(ruleset: RuleSet) -> dict[str, list[str]]:
    """Column → allowed values from the rule set (具体情形 of every category: a value map cannot cascade)."""
    situations = list(dict.fromkeys(s for c in ruleset.categories for s in c.situations))
    return {
        "PDLX": [c.name for c in ruleset.categories],
        "JTQX": situations,
        "WFLX": sorted(ruleset.violation_type_names),
        "WFSD": list(ruleset.violation_periods),
        "KJLX": [r.name for r in ruleset.ratio.rules],
        "ZGFS": list(ruleset.rectification_methods),
    }


def _value_map(values: Iterable[str]) -> QgsEditorWidgetSetup:
    entries = [{"": NULL_KEY}] + [{v: v} for v in values]
    return QgsEditorWidgetSetup("ValueMap", {"map": entries})


def _date(field_format: str) -> QgsEditorWidgetSetup:
    return QgsEditorWidgetSetup("DateTime", {"field_format": field_format, "display_format": field_format,
                                             "calendar_popup": True, "allow_null": True})


def apply_form_config(layer: QgsVectorLayer, ruleset: RuleSet, relation: Optional[QgsRelation] = None) -> None:
    """Widgets, aliases, read-only columns, who/when defaults and the tabbed form on the patch layer."""
    _set_aliases(layer)
    _set_editor_widgets(layer, ruleset)
    _set_stamp_defaults(layer)
    from .edit_stamps import install_edit_stamps

    install_edit_stamps(layer)
    config = layer.editFormConfig()
    _set_read_only(config, layer.fields())
    _lay_out_tabs(config, layer.fields(), relation)
    layer.setEditFormConfig(config)
    layer.setCustomProperty(FORM_VERSION_PROPERTY, FORM_VERSION)


def _present(layer: QgsVectorLayer, names: Iterable[str]) -> list[tuple[str, int]]:
    """(name, field index) of those ``names`` the layer has (an older schema may lack some)."""
    fields = layer.fields()
    return [(name, fields.lookupField(name)) for name in names if fields.lookupField(name) >= 0]


def _set_aliases(layer: QgsVectorLayer) -> None:
    aliases = {column.name: column.alias for column in PATCH_COLUMNS}
    for name, i in _present(layer, aliases):
        layer.setFieldAlias(i, aliases[name])


def _set_editor_widgets(layer: QgsVectorLayer, ruleset: RuleSet) -> None:
    """Drop-down lists of the rule set's values, date pickers, partial-date text and check boxes."""
    maps = value_maps(ruleset)
    for name, i in _present(layer, maps):
        layer.setEditorWidgetSetup(i, _value_map(maps[name]))
    for _name, i in _present(layer, DATE_COLUMNS):
        layer.setEditorWidgetSetup(i, _date("yyyy-MM-dd"))
    for name, i in _present(layer, PARTIAL_DATE_COLUMNS):
        layer.setEditorWidgetSetup(i, QgsEditorWidgetSetup("TextEdit", {"IsMultiline": False, "UseHtml": False}))
        layer.setConstraintExpression(i, PARTIAL_DATE_EXPRESSION.format(name=name), "yyyy-MM-dd / yyyy-MM / yyyy")
        layer.setFieldConstraint(i, QgsFieldConstraints.ConstraintExpression,
                                 QgsFieldConstraints.ConstraintStrengthSoft)
    for _name, i in _present(layer, DATETIME_COLUMNS):
        layer.setEditorWidgetSetup(i, _date("yyyy-MM-dd HH:mm:ss"))
    for _name, i in _present(layer, CHECKBOX_COLUMNS):
        layer.setEditorWidgetSetup(i, QgsEditorWidgetSetup("CheckBox", {"CheckedState": "1", "UncheckedState": "0"}))


def _set_stamp_defaults(layer: QgsVectorLayer) -> None:
    """Who/when columns filled on every edit (the default is applied on update too)."""
    for name, i in _present(layer, STAMP_DEFAULTS):
        layer.setDefaultValueDefinition(i, QgsDefaultValue(STAMP_DEFAULTS[name], True))


def _set_read_only(config: QgsEditFormConfig, fields) -> None:
    for name in READ_ONLY_COLUMNS:
        if fields.lookupField(name) >= 0:
            config.setReadOnly(fields.lookupField(name), True)


def _lay_out_tabs(config: QgsEditFormConfig, fields, relation: Optional[QgsRelation]) -> None:
    """The TABS in order, a 其他 tab for columns no tab names, and the 佐证资料 relation editor last."""
    config.setLayout(QgsEditFormConfig.TabLayout)
    config.clearTabs()
    root = config.invisibleRootContainer()
    placed: set[str] = set()
    for title, names in TABS:
        tab = QgsAttributeEditorContainer(title, root)
        tab.setColumnCount(1)
        for name in names:
            if fields.lookupField(name) >= 0:
                tab.addChildElement(QgsAttributeEditorField(name, fields.lookupField(name), tab))
                placed.add(name)
        config.addTab(tab)
    leftovers = [f.name() for f in fields if f.name() not in placed and f.name() not in ("fid", "geom")]
    if leftovers:  # columns of a newer schema still appear somewhere
        tab = QgsAttributeEditorContainer("其他", root)
        for name in leftovers:
            tab.addChildElement(QgsAttributeEditorField(name, fields.lookupField(name), tab))
        config.addTab(tab)
    config.addTab(_evidence_tab(root, relation))


def _evidence_tab(root, relation: Optional[QgsRelation]) -> QgsAttributeEditorContainer:
    evidence = QgsAttributeEditorContainer(EVIDENCE_TAB, root)
    if relation is None:  # QGIS 3.22 writes the element's resolved relation id: give it one to write
        relation = QgsRelation()
        relation.setId(EVIDENCE_RELATION_ID)
        relation.setName(EVIDENCE_LAYER_NAME)
    element = QgsAttributeEditorRelation(relation, evidence)
    element.setShowLabel(False)
    evidence.addChildElement(element)
    return evidence


def store_relation_ids(workspace: Path | str, style_name: str) -> int:
    """Write the evidence relation id into the saved style; returns the styles fixed.

    QGIS 3.22 writes a relation editor's *resolved* relation id, which is empty
    while the relation exists only in a project that is not loaded yet, so the
    saved form would lose its 佐证资料 editor. The id is put back here.
    """
    import re
    import sqlite3

    element = re.compile(r'<attributeEditorRelation\b[^>]*\bname="' + EVIDENCE_RELATION_ID + r'"[^>]*>')
    conn = sqlite3.connect(str(workspace))
    try:
        fixed = 0
        for rowid, qml in conn.execute("SELECT id, styleQML FROM layer_styles WHERE styleName = ?", (style_name,)).fetchall():
            new = element.sub(lambda m: m.group(0).replace('relation=""', f'relation="{EVIDENCE_RELATION_ID}"'), qml)
            if new != qml:
                conn.execute("UPDATE layer_styles SET styleQML = ? WHERE id = ?", (new, rowid))
                fixed += 1
        conn.commit()
        return fixed
    finally:
        conn.close()


def evidence_layer(workspace: Path | str) -> QgsVectorLayer:
    """The workspace's evidence table (佐证资料) as an attribute-only QGIS layer."""
    return QgsVectorLayer(f"{workspace}|layername={EVIDENCE_TABLE}", EVIDENCE_LAYER_NAME, "ogr")


def add_evidence_relation(project: QgsProject, patch_layer: QgsVectorLayer,
                          workspace: Path | str) -> Optional[QgsRelation]:
    """Load the evidence table into ``project`` (once) and relate it to the patch layer: jctb.fid → patch_fid.

    The relation editor of the saved form needs this project relation; without
    it the 佐证资料 tab stays empty. Returns the relation, or None when the
    evidence table cannot be opened.
    """
    source = evidence_layer(workspace).source()
    layer = next((lyr for lyr in project.mapLayers().values()
                  if isinstance(lyr, QgsVectorLayer) and lyr.source() == source), None)
    if layer is None:
        layer = evidence_layer(workspace)
        if not layer.isValid():
            return None
        project.addMapLayer(layer)
    manager = project.relationManager()
    if manager.relation(EVIDENCE_RELATION_ID).isValid():
        manager.removeRelation(EVIDENCE_RELATION_ID)
    relation = QgsRelation()
    relation.setId(EVIDENCE_RELATION_ID)
    relation.setName(EVIDENCE_LAYER_NAME)
    relation.setReferencingLayer(layer.id())
    relation.setReferencedLayer(patch_layer.id())
    relation.addFieldPair("patch_fid", "fid")
    relation.setStrength(QgsRelation.Association)
    if not relation.isValid():
        return None
    manager.addRelation(relation)
    _resolve_relations(patch_layer, project)
    return relation


def _resolve_relations(layer: QgsVectorLayer, project: QgsProject) -> None:
    """Point the form's relation editors at the project's relations (QGIS resolves them only on project load)."""
    config = layer.editFormConfig()
    pending = list(config.tabs())
    while pending:
        element = pending.pop()
        if element.type() == QgsAttributeEditorElement.AeTypeRelation:
            element.init(project.relationManager())
        elif element.type() == QgsAttributeEditorElement.AeTypeContainer:
            pending.extend(element.children())
    layer.setEditFormConfig(config)
