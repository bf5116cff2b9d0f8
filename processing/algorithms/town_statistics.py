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
            "Per town (镇街: the town holding the largest part of the patch when the workspace holds the towns, "
            "else the patches' XZQDM) and for the district, for the batches received in a period: "
            "patches and area issued (原始下发) and after splitting (核实后); decisions by category; illegal count, "
            "area, farmland and permanent basic farmland, initially and after rectification; rectified, in "
            "progress and not started; demolished and approved areas; referrals by department; check columns. "
            "Figures are as at a date (AS_OF; default the period's end, for the rule set's year its "
            "statistics_end, 2022 → 2022-12-31): rectification, referral and case progress dated later is not "
            "counted, and farmland counts as rectified only when re-cultivation or approval is recorded. "
            "The illegal farmland ratio = counted illegal farmland ÷ farmland taken by new construction (legal "
            "and illegal construction as the rule set's 统计口径 defines it: temporary land, facility agriculture, "
            "rural roads and non-grain change are not construction), with the rule set's deduction types; the "
            "three penalty thresholds (initial, after rectification, ratio) are reported with the numbers behind "
            "them. Towns are ranked for 约谈 on the rule set's criteria.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_reporting_parameters()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Town statistics"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("ILLEGAL_FARMLAND_MU", self.tr("Counted illegal farmland (mu)")))
        self.addOutput(QgsProcessingOutputNumber("AFTER_RECTIFICATION_MU",
                                                 self.tr("Illegal farmland after rectification (mu)")))
        self.addOutput(QgsProcessingOutputNumber("RATIO", self.tr("Illegal farmland ratio")))
        self.addOutput(QgsProcessingOutputNumber("CONSTRUCTION_FARMLAND_MU",
                                                 self.tr("Farmland taken by new construction (mu)")))
        self.addOutput(QgsProcessingOutputNumber("LEGAL_CONSTRUCTION_MU",
                                                 self.tr("Farmland taken by legal construction (mu)")))
        self.addOutput(QgsProcessingOutputNumber("ILLEGAL_CONSTRUCTION_MU",
                                                 self.tr("Farmland taken by illegal construction (mu)")))
        self.addOutput(QgsProcessingOutputNumber("NON_GRAIN_MU", self.tr("Non-grain change of farmland (mu)")))
        self.addOutput(QgsProcessingOutputString("AS_OF", self.tr("Figures as at")))
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
                "RATIO": stats.total.ratio, "CONSTRUCTION_FARMLAND_MU": stats.total.construction_farmland_mu,
                "LEGAL_CONSTRUCTION_MU": stats.total.legal_construction_farmland_mu,
                "ILLEGAL_CONSTRUCTION_MU": stats.total.illegal_construction_farmland_mu,
                "NON_GRAIN_MU": stats.total.non_grain_mu,
                "AS_OF": stats.as_of.isoformat() if stats.as_of else "", "INITIAL_EXCEEDED": by_key["initial"].exceeded,
                "AFTER_EXCEEDED": by_key["after_rectification"].exceeded,
                "RATIO_EXCEEDED": by_key["ratio"].exceeded, "FINDINGS": "\n".join(findings),
                "INTERVIEW": "、".join(proposed)}
