"""wpzf:submitstage — 提交上报 (一上 / 二上): quality check, snapshot, stage change."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterString,
)

from ...adapters.workspaces import open_workspace
from ...domain.messages import WpzfError
from ...domain.reporting.stages import submit
from ..report_language import report_render
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm


class SubmitStageAlgorithm(WpzfAlgorithm):
    """Submit a batch: 核查中 → 一上, 一下 → 二上; refused while the quality check finds errors."""

    NAME = "submitstage"
    GROUP = "reporting"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Submit stage (一上 / 二上)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Submits a batch to the city: from 核查中 as 一上, from 一下 as 二上. The rule set's quality check runs "
            "first, as for a submission: a patch without a decision (or with only a pre-judgement term such as "
            "疑似违法 or 待核查) is an error here. Then the rule set's review chain (层层审查, [review]): the 2022 "
            "Chongqing set needs 审核 of every decided patch and 审定 with the 分管负责人's participation of each "
            "重大违法图斑 (rule R01, one error per patch saying what is missing; sign with Review patches). Any error "
            "refuses the submission and nothing changes (the errors are stored in the workspace). Otherwise a "
            "snapshot of exactly what is reported (every patch field and record, with its SHA-256) is frozen in "
            "the workspace and written to its snapshots folder, and the stage changes, all at once.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterString("BATCH", self.tr("Batch")))
        self.addParameter(QgsProcessingParameterString(
            "RULESET", self.tr("Rule set (empty: the workspace's)"), optional=True))
        self.addParameter(QgsProcessingParameterDateTime(
            "TODAY", self.tr("Check as of (empty: today)"), type=QgsProcessingParameterDateTime.Date, optional=True))
        self.addOutput(QgsProcessingOutputString("STAGE", self.tr("New stage")))
        self.addOutput(QgsProcessingOutputFile("SNAPSHOT", self.tr("Snapshot file")))
        self.addOutput(QgsProcessingOutputString("SHA256", self.tr("Snapshot SHA-256")))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", self.tr("Warnings")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, "WORKSPACE", context)
        batch = self.parameterAsString(parameters, "BATCH", context).strip()
        on = self.date_or_today(self.parameterAsDateTime(parameters, "TODAY", context))
        try:
            with open_workspace(text) as ws:
                ruleset = open_ruleset(ws, self.parameterAsString(parameters, "RULESET", context))
                done = submit(ws, batch, ruleset, on, report_render(ruleset.language))
                folder = ws.path.parent if ws.path is not None else None
        except WpzfError as exc:
            raise self.fail(exc) from exc
        # a shared workspace keeps its snapshots in the database only
        snapshot = folder / done.snapshot.file_path if folder is not None else done.snapshot.file_path
        feedback.pushInfo(self.tr("Batch {batch} submitted as {stage}: {patches} patches, snapshot {file} "
                                  "(SHA-256 {sha}), {warnings} warnings.").format(
            batch=batch, stage=done.stage, patches=done.snapshot.n_patches, file=snapshot,
            sha=done.snapshot.sha256, warnings=done.warnings))
        return {"STAGE": done.stage, "SNAPSHOT": str(snapshot), "SHA256": done.snapshot.sha256,
                "WARNINGS": done.warnings}
