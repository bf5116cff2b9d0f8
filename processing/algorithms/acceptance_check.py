"""wpzf:acceptancecheck — 验收自查: what 市级验收 would find missing, per patch and per town.

The work plan: 市级验收 before 2023-01-31, "确保核查文件资料、图片影像等真实准确，档案卷宗资料
规范齐全". The rules are ``domain/casefile/completeness.py`` (the same the dossier's
卷内目录 prints); this algorithm lists them as a table and says CAN_ACCEPT.
"""
from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace
from ...domain.casefile.acceptance import ITEM_ORDER, Readiness, TownTotal, check_workspace, district_total
from ...domain.casefile.completeness import TITLES
from ...domain.messages import WpzfError
from ...domain.reporting.periods import parse_period
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from ..report_language import report_render
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm

ROW_FIELDS = ((ID_FIELD, ID_ALIAS), ("PC", "批次"), ("XZDM", "镇街代码"), ("XZMC", "镇街"), ("PDLX", "判定类型"),
              ("QXDM", "缺项代码"), ("QX", "缺项"), ("SM", "说明"))
TOWN_FIELDS = (("XZDM", "镇街代码"), ("XZMC", "镇街"), ("TBS", "图斑数"), ("QXTBS", "缺项图斑数"), ("QXS", "缺项数"))


def _fields(spec, counts: bool = False) -> QgsFields:
    fields = QgsFields()
    for name, alias in spec:
        field = QgsField(name, QVariant.Int if name in ("TBS", "QXTBS", "QXS") else QVariant.String)
        field.setAlias(alias)
        fields.append(field)
    if counts:
        for code in ITEM_ORDER:
            field = QgsField(code, QVariant.Int)
            field.setAlias(TITLES[code])
            fields.append(field)
    return fields


class AcceptanceCheckAlgorithm(WpzfAlgorithm):
    """One row per patch and missing item, the towns' totals, and whether 市级验收 may be asked for."""

    NAME = "acceptancecheck"
    GROUP = "casefile"
    WORKSPACE, PERIOD, OUTPUT, TOWNS = "WORKSPACE", "PERIOD", "OUTPUT", "TOWNS"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Acceptance self-check")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Checks every patch of the batches received in PERIOD (2022, 2022-Q4, 2022-05; empty: all) for what "
            "the city's acceptance (市级验收) needs, and lists one row per patch and missing item: no decision; "
            "合法 without an approval document or its file; no field photo; 立案 without case stages; rectified "
            "without 复耕/补办 evidence; review chain incomplete (no 审核 passed for the current decision); "
            "dossier never exported, or exported before the patch or its records last changed. TOWNS gives the "
            "totals per town and the district. CAN_ACCEPT is true only when nothing is missing.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterString(
            self.PERIOD, self.tr("Period (year, quarter or month; empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Missing items"), QgsProcessing.TypeVector))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.TOWNS, self.tr("Totals per town"), QgsProcessing.TypeVector, optional=True, createByDefault=True))
        self.addOutput(QgsProcessingOutputNumber("PATCHES", self.tr("Patches checked")))
        self.addOutput(QgsProcessingOutputNumber("INCOMPLETE", self.tr("Patches with missing items")))
        self.addOutput(QgsProcessingOutputNumber("ITEMS", self.tr("Missing items")))
        self.addOutput(QgsProcessingOutputBoolean("CAN_ACCEPT", self.tr("Ready for acceptance")))

    def _check(self, parameters, context) -> Readiness:
        text = self.parameterAsFile(parameters, self.WORKSPACE, context)
        period_text = self.parameterAsString(parameters, self.PERIOD, context).strip()
        try:
            period = parse_period(period_text) if period_text else None
            with open_workspace(text) as ws:
                try:
                    ruleset = open_ruleset(ws, None)
                except WpzfError:
                    ruleset = None
                names = {code: kind.name for code, kind in ruleset.cover_kinds.items()} if ruleset else {}
                return check_workspace(ws, period, names, ruleset,
                                       report_render(ruleset.language) if ruleset else str)
        except WpzfError as exc:
            raise self.fail(exc) from exc

    def _write_towns(self, parameters, context, towns: list[TownTotal]):
        fields = _fields(TOWN_FIELDS, counts=True)
        sink, dest = self.parameterAsSink(parameters, self.TOWNS, context, fields, QgsWkbTypes.NoGeometry)
        if sink is None:
            return None
        for town in towns:
            feature = QgsFeature(fields)
            feature.setAttributes([town.town, town.town_name, town.patches, town.incomplete, town.items,
                                   *(town.by_code.get(code, 0) for code in ITEM_ORDER)])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        return dest

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        result = self._check(parameters, context)
        fields = _fields(ROW_FIELDS)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        for i, row in enumerate(result.rows):
            if feedback.isCanceled():
                break
            feature = QgsFeature(fields)
            feature.setAttributes([row.jcbh, row.batch, row.town, row.town_name, row.decision, row.code, row.title,
                                   row.detail])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
            feedback.setProgress(100.0 * (i + 1) / len(result.rows))
        towns = [*result.towns, district_total(result.towns)]
        towns_dest = self._write_towns(parameters, context, towns)
        for town in towns:
            feedback.pushInfo(self.tr("{town} {name}: {patches} patches, {incomplete} incomplete, {items} missing "
                                      "items.").format(town=town.town, name=town.town_name, patches=town.patches,
                                                        incomplete=town.incomplete, items=town.items))
        if not result.can_accept:
            feedback.pushWarning(self.tr("Not ready for acceptance: {items} missing items in {patches} patches.").format(
                items=len(result.rows), patches=result.incomplete))
        return {self.OUTPUT: dest, self.TOWNS: towns_dest, "PATCHES": result.patches,
                "INCOMPLETE": result.incomplete, "ITEMS": len(result.rows), "CAN_ACCEPT": result.can_accept}
