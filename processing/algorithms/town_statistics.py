"""wpzf:townstatistics — 镇街统计: per-town figures, the district ratio and the thresholds, explained."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)

from ...domain.messages import WpzfError
from ...i18n import render
from ..reporting_io import statistics_fields, write_statistics
from .reporting_base import ReportingAlgorithm


class TownStatisticsAlgorithm(ReportingAlgorithm):
    """One row per town and a district total; findings on the penalty thresholds in the log and outputs."""

    NAME = "townstatistics"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Town statistics")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Per town (镇街, from the patches' XZQDM) and for the district, for the batches received in a period: "
            "patches and area issued (原始下发) and after splitting (核实后); decisions by category; illegal count, "
            "area, farmland and permanent basic farmland, initially and after rectification; rectified, in "
            "progress and not started; demolished and approved areas; referrals by department; check columns. "
            "The district's illegal farmland ratio uses the rule set's deduction types, and the three penalty "
            "thresholds (initial, after rectification, ratio) are reported with the numbers behind them. Towns "
            "are ranked for 约谈 on the rule set's criteria.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_reporting_parameters()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Town statistics"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("ILLEGAL_FARMLAND_MU", self.tr("Counted illegal farmland (mu)")))
        self.addOutput(QgsProcessingOutputNumber("AFTER_RECTIFICATION_MU",
                                                 self.tr("Illegal farmland after rectification (mu)")))
        self.addOutput(QgsProcessingOutputNumber("RATIO", self.tr("Illegal farmland ratio")))
        self.addOutput(QgsProcessingOutputBoolean("INITIAL_EXCEEDED", self.tr("Initial area line reached")))
        self.addOutput(QgsProcessingOutputBoolean("AFTER_EXCEEDED", self.tr("After-rectification line exceeded")))
        self.addOutput(QgsProcessingOutputBoolean("RATIO_EXCEEDED", self.tr("Ratio line exceeded")))
        self.addOutput(QgsProcessingOutputString("FINDINGS", self.tr("Threshold findings")))
        self.addOutput(QgsProcessingOutputString("INTERVIEW", self.tr("Towns proposed for 约谈")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        try:
            inputs = self.read_inputs(parameters, context)
            stats = inputs.statistics()
        except WpzfError as exc:
            raise self.fail(exc) from exc
        fields, getters = statistics_fields(stats)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.NoGeometry)
        write_statistics(sink, stats, fields, getters)
        findings = [render(f.message) for f in stats.findings]
        for text, finding in zip(findings, stats.findings):
            (feedback.reportError if finding.exceeded else feedback.pushInfo)(text)
        proposed = [f"{t.name or t.code}" for t, _, chosen in stats.ranking if chosen]
        feedback.pushInfo(self.tr("Proposed for 约谈: {towns}").format(towns="、".join(proposed) or "-"))
        by_key = {f.key: f for f in stats.findings}
        return {"OUTPUT": dest, "ILLEGAL_FARMLAND_MU": stats.total.counted_farmland_mu,
                "AFTER_RECTIFICATION_MU": stats.total.counted_after_farmland_mu,
                "RATIO": stats.total.ratio, "INITIAL_EXCEEDED": by_key["initial"].exceeded,
                "AFTER_EXCEEDED": by_key["after_rectification"].exceeded,
                "RATIO_EXCEEDED": by_key["ratio"].exceeded, "FINDINGS": "\n".join(findings),
                "INTERVIEW": "、".join(proposed)}
