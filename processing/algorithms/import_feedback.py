"""wpzf:importfeedback — 导入一下问题图斑: the city's returned problem list."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace
from ...domain.messages import WpzfError
from ...domain.reporting.feedback import apply_feedback, read_feedback_list
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from .base import WpzfAlgorithm


class ImportFeedbackAlgorithm(WpzfAlgorithm):
    """Reads the 一下 list, marks its patches with the problem text and moves the batch to 一下."""

    NAME = "importfeedback"
    GROUP = "reporting"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import the city's problem list (一下)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Reads the problem patches the city returned (Excel .xlsx or CSV). The header row is found by its "
            "wording (监测编号/图斑编号/JCBH and 问题描述/存在问题/审核意见…), anywhere in the first 20 rows, with "
            "full- or half-width brackets; other columns are kept. Only the active sheet is read (the first visible "
            "one when the active sheet is hidden), never a hidden sheet. Formula cells saved without a calculated "
            "value and files beyond the size limits (20 MB on disk, 100 MB unpacked, 100 000 rows) are refused "
            "before anything is stored. Each listed patch gets the problem text in "
            "审核意见 and its 退回次数 counted up, and the batch moves to 一下, all in one step. IDs that are not in "
            "the batch are listed in the output and kept in the workspace's list, never dropped.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterString("BATCH", self.tr("Batch")))
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", self.tr("Problem list (.xlsx or .csv)"), behavior=QgsProcessingParameterFile.File,
            fileFilter=self.tr("Tables (*.xlsx *.xlsm *.csv *.txt)")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Problem list as read"), QgsProcessing.TypeVector, optional=True))
        self.addOutput(QgsProcessingOutputNumber("MARKED", self.tr("Patches marked")))
        self.addOutput(QgsProcessingOutputNumber("UNKNOWN", self.tr("IDs not in the batch")))
        self.addOutput(QgsProcessingOutputNumber("ROUND", self.tr("Feedback round")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, "WORKSPACE", context)
        batch = self.parameterAsString(parameters, "BATCH", context).strip()
        source = Path(self.parameterAsFile(parameters, "INPUT", context))
        try:
            read = read_feedback_list(source)  # every refusal of the file comes before the workspace is opened
            rows = read.rows
            if not rows:
                raise QgsProcessingException(self.tr("{file}: the sheet {sheet} holds no patch IDs.").format(
                    file=source, sheet=read.sheet or "-"))
            with open_workspace(text) as ws:
                result = apply_feedback(ws, batch, rows)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        if read.sheet is not None:
            feedback.pushInfo(self.tr("Read sheet {sheet} of {file}.").format(sheet=read.sheet, file=source.name))
        if read.hidden_sheets:
            feedback.pushWarning(self.tr("Hidden sheets not read: {sheets}.").format(
                sheets=", ".join(read.hidden_sheets)))
        fields = QgsFields()
        for name, alias, kind in (("HH", "行号", QVariant.Int), (ID_FIELD, ID_ALIAS, QVariant.String),
                                  ("WTMS", "问题描述", QVariant.String), ("PP", "是否匹配", QVariant.String)):
            field = QgsField(name, kind)
            field.setAlias(alias)
            fields.append(field)
        outputs = {"MARKED": len(result.marked), "UNKNOWN": len(result.unknown), "ROUND": result.round}
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.NoGeometry)
        if sink is not None:
            unknown = set(result.unknown)
            for row in rows:
                feature = QgsFeature(fields)
                feature.setAttributes([row.line, row.jcbh, row.problem, "否" if row.jcbh in unknown else "是"])
                sink.addFeature(feature, QgsFeatureSink.FastInsert)
            outputs["OUTPUT"] = dest
        feedback.pushInfo(self.tr("Round {round}: {marked} patches marked for correction; batch {batch} is now at "
                                  "一下 (was {previous}).").format(round=result.round, marked=len(result.marked),
                                                                batch=batch, previous=result.previous_stage))
        if result.unknown:
            feedback.reportError(self.tr("{count} IDs of the list are not in batch {batch}: {ids}").format(
                count=len(result.unknown), batch=batch, ids=", ".join(result.unknown)))
        return outputs
