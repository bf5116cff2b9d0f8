"""wpzf:exportreport — 导出报表: the Excel workbook handed in as it is."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessing, QgsProcessingOutputLayerDefinition, QgsProcessingParameterFileDestination

from ...domain.messages import WpzfError
from ...domain.reporting.excel import write_report
from ...domain.reporting.quarters import quarterly_statistics, report_year
from ...domain.reporting.trends import compute_trend
from ...domain.rules import RANKING_METRICS
from ..report_language import report_render
from .reporting_base import ReportingAlgorithm

REPORT_PREFIX = "卫片执法报表"
"""The workbook's default file name: 卫片执法报表_<PERIOD>.xlsx, handed to the city as it is."""


def default_report_path(workspace: str | Path, period: str = "") -> Path | None:
    """卫片执法报表_<PERIOD>.xlsx next to a GeoPackage workspace (全部 without a period); None for a shared one."""
    text = str(workspace or "")
    if not text or text.lower().startswith("postgres:"):
        return None
    label = "".join("-" if c in '\\/:*?"<>|' else c for c in (period or "").strip()) or "全部"
    return Path(text).resolve().parent / f"{REPORT_PREFIX}_{label}.xlsx"


def is_temporary_output(value) -> bool:
    """The OUTPUT value Processing turns into a file in its temporary folder (none, or 'TEMPORARY_OUTPUT')."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink.staticValue()
    return value is None or str(value) in ("", QgsProcessing.TEMPORARY_OUTPUT)


class ExportReportAlgorithm(ReportingAlgorithm):
    """Patch list, town statistics, threshold findings, 约谈 ranking, monthly and quarterly summaries in one workbook.

    The explanations are written in the rule set's language (Chinese for every
    shipped rule set), not the UI's: the workbook is handed to the city as it is.
    """

    NAME = "exportreport"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Export report workbook (Excel)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Writes one .xlsx workbook: 图斑清单 (every ministry, decision, case and rectification field, with the "
            "evidence, field-visit, referral and 一下 columns filled), 镇街统计 (towns, a 合计 row and check columns "
            "总 = 已整改 + 未整改 and 已整改 = 拆除 + 补办), 考核预警 (the penalty thresholds explained), 约谈排名, "
            "月度汇总 with a chart, 季度统计 (each quarter of the year alone and cumulated, as at the quarter's end) "
            "and 批次进度 (both deadlines and the stage of each batch). Statistics are in 亩 under Chinese headers, "
            "written unrounded and shown to 2 decimals, as at the 统计截止日期 stated on each sheet; dates are Excel "
            "dates that sort and filter; user text is always text, never a formula. Explanations are in the rule "
            "set's language (Chinese) whatever the QGIS language. Every sheet prints landscape (A3 when it is wide) "
            "with its header rows repeated, one page wide; 图斑清单 prints as many pages across as keep its text at "
            "60 % or more, 批次 to 监测编号 repeated on each page. The bar follows the writing; Cancel leaves any "
            "workbook already there untouched.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_reporting_parameters()
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Workbook"), self.tr("Excel workbook (*.xlsx)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        target = Path(self.parameterAsFileOutput(parameters, "OUTPUT", context))
        default = default_report_path(self.parameterAsFile(parameters, "WORKSPACE", context),
                                      self.parameterAsString(parameters, "PERIOD", context))
        if default is not None and is_temporary_output(parameters.get("OUTPUT")):
            # a temporary OUTPUT.xlsx is lost when QGIS closes: the workbook goes beside the workspace
            target = default
            feedback.pushInfo(self.tr("No workbook file was chosen: writing {path} beside the workspace.").format(
                path=target))
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        try:
            inputs = self.read_inputs(parameters, context)
            feedback.setProgress(20)
            stats = inputs.statistics()
            feedback.setProgress(40)
            if feedback.isCanceled():
                return {}
            criteria = [(c.metric, RANKING_METRICS[c.metric], c.weight) for c in inputs.ruleset.ranking.criteria]
            quarters = quarterly_statistics(inputs.facts, inputs.ruleset, inputs.period, inputs.names)
            year = report_year(inputs.period, inputs.ruleset, inputs.facts)
            trend = compute_trend(inputs.facts, inputs.ruleset, year, stats.as_of, inputs.names) if year else None
            feedback.setProgress(60)
            facts = sorted(inputs.in_period(), key=lambda f: (f.batch, f.fid))
            write_report(target, facts, stats, inputs.names, criteria, report_render(inputs.ruleset.language),
                         inputs.ruleset.district, inputs.batches, quarters, trend,
                         progress=lambda f: feedback.setProgress(60 + 40 * f), is_canceled=feedback.isCanceled)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("{patches} patches and {towns} towns written to {path}.").format(
            patches=len(facts), towns=len(stats.towns), path=target))
        return {"OUTPUT": str(target)}
