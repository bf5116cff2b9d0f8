"""wpzf:qualitycheck — 质检: the rule set's consistency checks over a workspace batch."""
from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace
from ...domain.messages import WpzfError
from ...domain.rules import ERROR, can_submit
from ...domain.workspace.judgement import run_quality_check, store_check_results
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm


class QualityCheckAlgorithm(WpzfAlgorithm):
    """One row per (patch, broken rule); stored in the workspace; says whether the stage may be submitted."""

    NAME = "qualitycheck"
    GROUP = "judgement"
    WORKSPACE, BATCH, RULESET, TODAY, OUTPUT = "WORKSPACE", "BATCH", "RULESET", "TODAY", "OUTPUT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Quality check")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Runs the consistency checks of the workspace's rule set (deadlines, documents for legal "
            "patches, case or referral and rectification plan for illegal ones, area identities, split "
            "patches, category values, undecided patches, case details, 新增/存量, homestead evidence) and lists "
            "one row per patch and broken rule. Results are stored in the workspace. A stage cannot be submitted "
            "while errors remain; warnings may pass, except an undecided patch: a warning before its decision "
            "deadline here, an error when the batch is submitted (一上 / 二上).")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameters()
        self.addParameter(QgsProcessingParameterDateTime(
            self.TODAY, self.tr("Check as of (empty: today)"), type=QgsProcessingParameterDateTime.Date, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Quality-check results"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", self.tr("Errors")))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", self.tr("Warnings")))
        self.addOutput(QgsProcessingOutputBoolean("CAN_SUBMIT", self.tr("Stage may be submitted")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, self.WORKSPACE, context)
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        when = self.parameterAsDateTime(parameters, self.TODAY, context).date()
        on = dt.date(when.year(), when.month(), when.day()) if when.isValid() else dt.date.today()
        try:
            with open_workspace(text) as ws:
                ruleset = open_ruleset(ws, self.parameterAsString(parameters, self.RULESET, context))
                found = run_quality_check(ws, ruleset, batch, on)
                store_check_results(ws, batch, found)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        fields = QgsFields()
        for name, alias in ((ID_FIELD, ID_ALIAS), ("PC", "批次"), ("GZ", "规则"), ("JB", "级别"), ("WT", "问题")):
            field = QgsField(name, QVariant.String)
            field.setAlias(alias)
            fields.append(field)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        features = []
        for patch, violation in found:
            feature = QgsFeature(fields)
            feature.setAttributes([violation.jcbh, patch.batch, violation.rule_id, violation.severity, violation.message])
            features.append(feature)
        sink.addFeatures(features, QgsFeatureSink.FastInsert)
        violations = [v for _, v in found]
        errors = sum(v.severity == ERROR for v in violations)
        feedback.pushInfo(self.tr("Rule set {ruleset}: {errors} errors, {warnings} warnings.").format(
            ruleset=ruleset.name, errors=errors, warnings=len(violations) - errors))
        later = sum(v.severity != ERROR and v.blocks_submission for v in violations)
        if later:
            feedback.pushWarning(self.tr("{count} of the warnings become errors when the batch is submitted "
                                         "(patches not yet decided): the stage cannot be submitted yet.").format(
                count=later))
        return {self.OUTPUT: dest, "ERRORS": errors, "WARNINGS": len(violations) - errors,
                "CAN_SUBMIT": can_submit(violations)}
