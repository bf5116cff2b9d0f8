"""wpzf:reviewpatches — 批量审核: sign 审核 or 审定 (or send back) for the patches of a batch, per patch.

Work plan 五(三): "建立图斑核查、图斑数据层层审查、纠错机制"; the chain's rules are
:mod:`...domain.casework.review`. A patch that is not ready for the step is
refused on its own row with the reason; the others are signed, each in its
own transaction (one refusal never undoes another patch's signature).
"""
from __future__ import annotations

from qgis.core import (
    QgsExpression,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace, workspace_patch_layer
from ...domain.casework import review
from ...domain.messages import WpzfError
from ...domain.workspace.judgement import StoredPatch, load_patches
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from ...i18n import error_text
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm

REFUSED = "拒绝"
"""JG of a report row whose patch was not signed."""


class ReviewPatchesAlgorithm(WpzfAlgorithm):
    """Sign one review step for many patches; refuse, with the reason, those not ready for it."""

    NAME = "reviewpatches"
    GROUP = "judgement"
    WORKSPACE, BATCH, EXPRESSION, STEP, REVIEWER, OPINION = (
        "WORKSPACE", "BATCH", "EXPRESSION", "STEP", "REVIEWER", "OPINION")
    SEND_BACK, LEAD, RULESET, OUTPUT = "SEND_BACK", "LEAD", "RULESET", "OUTPUT"
    STEPS = (review.REVIEWED, review.APPROVED)

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Review patches (批量审核)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "层层审查: signs 审核 (STEP 0, the reviewer) or 审定 (STEP 1, the 分管负责人) for the decided patches of "
            "BATCH, narrowed by EXPRESSION on the workspace's patch layer, with REVIEWER and OPINION; SEND_BACK "
            "sends them back (退回) instead, with OPINION as the reason, which reopens each patch until the "
            "technician saves its decision again. A patch not ready for the step is refused on its own row, with "
            "the reason: no decision, sent back, the step already signed, 审定 before 审核, or the same person "
            "signing two steps of one chain. A 重大违法图斑 (the rule set's [review]) needs LEAD (分管负责人参与) "
            "at 审定. On a GeoPackage the REVIEWER name signs (and the workspace may list who may sign a step); "
            "on a shared PostGIS workspace the login signs, and the database lets only reviewers sign 审核 and "
            "approvers 审定.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterString(self.BATCH, self.tr("Batch (empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterExpression(
            self.EXPRESSION, self.tr("Only patches matching this expression"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.STEP, self.tr("Step"), [self.tr("审核 (review)"), self.tr("审定 (approval)")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            self.REVIEWER, self.tr("Reviewer (empty: the workspace user or login)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.OPINION, self.tr("Opinion (the reason when sending back)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.SEND_BACK, self.tr("Send back (退回)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean(
            self.LEAD, self.tr("The 分管负责人 took part (分管负责人参与)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterString(
            self.RULESET, self.tr("Rule set (empty: the workspace's)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Review report"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("SIGNED", self.tr("Patches signed")))
        self.addOutput(QgsProcessingOutputNumber("REFUSED", self.tr("Patches refused")))

    def _chosen(self, parameters, context, ws, text: str) -> list[StoredPatch]:
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        patches = load_patches(ws, batch)
        expression = self.parameterAsExpression(parameters, self.EXPRESSION, context).strip()
        if not expression:
            return patches
        parsed = QgsExpression(expression)
        if parsed.hasParserError():
            raise QgsProcessingException(self.tr("EXPRESSION: {error}").format(error=parsed.parserErrorString()))
        layer = workspace_patch_layer(text, ws.epsg)
        request = QgsFeatureRequest(parsed).setFlags(QgsFeatureRequest.NoGeometry)
        index = layer.fields().lookupField("fid")
        matching = {int(f.attribute(index)) if index >= 0 else f.id() for f in layer.getFeatures(request)}
        return [p for p in patches if p.fid in matching]

    @staticmethod
    def _fields() -> QgsFields:
        fields = QgsFields()
        for name, alias in ((ID_FIELD, ID_ALIAS), ("PC", "批次"), ("BZ", "审核步骤"), ("JG", "审核结果"),
                            ("SHR", "审核人"), ("YY", "说明")):
            field = QgsField(name, QVariant.String)
            field.setAlias(alias)
            fields.append(field)
        return fields

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, self.WORKSPACE, context)
        step = self.STEPS[self.parameterAsEnum(parameters, self.STEP, context)]
        signature = review.Signature(
            step, self.parameterAsString(parameters, self.REVIEWER, context).strip(),
            self.parameterAsString(parameters, self.OPINION, context).strip(),
            self.parameterAsBool(parameters, self.SEND_BACK, context),
            self.parameterAsBool(parameters, self.LEAD, context))
        fields = self._fields()
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        signed = refused = 0
        try:
            with open_workspace(text) as ws:
                ruleset = open_ruleset(ws, self.parameterAsString(parameters, self.RULESET, context))
                patches = self._chosen(parameters, context, ws, text)
                for i, patch in enumerate(patches):
                    if feedback.isCanceled():
                        break
                    ok, who, why = self._sign_one(ws, patch, signature, ruleset)
                    signed, refused = signed + ok, refused + (not ok)
                    result = (review.SENT_BACK if signature.send_back else review.PASSED) if ok else REFUSED
                    feature = QgsFeature(fields)
                    feature.setAttributes([patch.jcbh, patch.batch, step, result, who, why])
                    sink.addFeature(feature, QgsFeatureSink.FastInsert)
                    feedback.setProgress(100.0 * (i + 1) / max(len(patches), 1))
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.pushInfo(self.tr("{step}: {signed} patches signed, {refused} refused (see the report).").format(
            step=step, signed=signed, refused=refused))
        return {self.OUTPUT: dest, "SIGNED": signed, "REFUSED": refused}

    @staticmethod
    def _sign_one(ws, patch: StoredPatch, signature: review.Signature, ruleset) -> tuple[bool, str, str]:
        """(signed, who signed, the refusal's reason or the opinion) for one patch in its own transaction."""
        try:
            chain = review.sign(ws, patch.fid, signature, ruleset)
        except review.ReviewRefused as exc:
            return False, signature.signer or ws.user, error_text(exc)
        done = chain.sent_back if signature.send_back else (chain.approved if signature.step == review.APPROVED
                                                               else chain.reviewed)
        return True, done.SHR if done is not None else signature.signer, signature.opinion
