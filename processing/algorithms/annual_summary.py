"""wpzf:annualsummary — 年度书面总结初稿: the plan's written summary as an editable .docx draft.

工作方案 四(二): "根据全年4个季度卫片执法成果和违法图斑查处整改最新进展情况，形成…书面总结". The figures
are those of ``wpzf:townstatistics PERIOD=<YEAR>`` (as at the rule set's statistics end, 12-31) and of
the workbook's 季度统计; the map and charts are the bulletin's (:mod:`.bulletin`), embedded as pictures.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ...domain.messages import QT_TRANSLATE_NOOP, WpzfError
from ...domain.reporting.periods import PeriodError, parse_period
from ...domain.reporting.quarters import quarterly_statistics
from ...domain.rules import RANKING_METRICS
from ..report_language import report_render
from .bulletin import BulletinAlgorithm


class AnnualSummaryAlgorithm(BulletinAlgorithm):
    """The year's figures in the plan's seven sections, tables, map and charts; placeholders where people write."""

    NAME = "annualsummary"
    NEEDS = ("matplotlib", "docx")

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Annual written summary draft (Word)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Writes the first draft of the year's written summary (年度书面总结) as a .docx that WPS and Word edit: "
            "工作开展情况 (the four quarters alone and cumulated, as at each quarter's end), 图斑核查判定, 查处整改 "
            "(with the town table), 违法占耕情况与考核线 (the three penalty lines explained, the district map and the "
            "charts), 约谈建议 (the rule set's ranking), 存在问题 and 下一步工作. Every number equals "
            "wpzf:townstatistics for the year as at the rule set's statistics end (2022 → 2022-12-31); what only "
            "people can write is left as a yellow 【待填写】 placeholder. Needs python-docx and matplotlib.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameters()
        self.addParameter(QgsProcessingParameterNumber(
            "YEAR", self.tr("Year (empty: the rule set's)"), QgsProcessingParameterNumber.Integer, optional=True,
            minValue=2000, maxValue=2100))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "TOWNS", self.tr("Town boundaries (optional when the workspace holds its towns)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_CODE_FIELD", self.tr("Town code field"), "XZQDM", "TOWNS", optional=True))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_NAME_FIELD", self.tr("Town name field"), "XZQMC", "TOWNS", optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Summary draft"), self.tr("Word documents (*.docx)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...domain.reporting.annual import summary_blocks
        from ...domain.reporting.annual_docx import write_docx

        target = Path(self.parameterAsFileOutput(parameters, "OUTPUT", context))
        if target.suffix.lower() != ".docx":
            target = target.with_suffix(".docx")
        self.require_packages()
        try:
            inputs = self.read_inputs(parameters, context)
            year = self._year(parameters, context, inputs.ruleset)
            inputs.period = parse_period(str(year))
            feedback.setProgress(10)
            with tempfile.TemporaryDirectory(prefix="wpzf-summary-") as scratch:
                folder = Path(scratch)
                _, stats = self._write(parameters, context, feedback, inputs, folder / "通报.pdf", folder, True)
                if feedback.isCanceled():
                    return {}
                quarters = quarterly_statistics(inputs.facts, inputs.ruleset, inputs.period, inputs.names)
                criteria = "、".join(f"{RANKING_METRICS[c.metric]}（权重 {c.weight:g}）"
                                    for c in inputs.ruleset.ranking.criteria)
                images = [("图1 各镇街违法占用耕地分布", folder / "分布图.png"),
                          ("图2 全年各月累计趋势", folder / "趋势图.png"),
                          ("图3 各镇街违法图斑整改进度", folder / "整改进度图.png")]
                blocks = summary_blocks(stats, quarters, report_render(inputs.ruleset.language),
                                        inputs.ruleset.district, year, criteria, images)
                write_docx(target, blocks)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("The summary draft for {year} was written to {path}.").format(year=year, path=target))
        return {"OUTPUT": str(target)}

    def _year(self, parameters, context, ruleset) -> int:
        if parameters.get("YEAR") not in (None, ""):
            return self.parameterAsInt(parameters, "YEAR", context)
        if ruleset.statistics_end is not None:
            return ruleset.statistics_end.year
        if ruleset.year:
            return int(ruleset.year)
        raise PeriodError(QT_TRANSLATE_NOOP("domain", "Give the year of the summary (YEAR): the rule set names none."))
