"""Shared parameters of the reporting algorithms: workspace, batch, rule set, period and towns."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication

from ...adapters.workspaces import open_workspace
from ...domain.reporting.facts import PatchFact, load_facts
from ...domain.reporting.periods import Period, parse_as_of, parse_period
from ...domain.reporting.stages import deadlines
from ...domain.reporting.statistics import Statistics, compute_statistics
from ...domain.rules import RuleSet
from ..division_io import towns_for_run
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm


@dataclass
class ReportInputs:
    """What a reporting run reads: the facts, the rule set, the period and the town names."""

    facts: list[PatchFact]
    ruleset: RuleSet
    period: Period | None
    names: dict[str, str]
    batches: Sequence[tuple] = ()
    """批次进度 rows: name, received, decision due, report due, stage, locked, patches, snapshots."""
    as_of: dt.date | None = None
    """统计截止日期 given by the user; None: the period's end (the rule set's statistics_end for its year)."""

    def statistics(self) -> Statistics:
        return compute_statistics(self.facts, self.ruleset, self.period, self.names, self.as_of)

    def in_period(self) -> list[PatchFact]:
        return [f for f in self.facts if self.period is None or self.period.contains(f.received)]


class ReportingAlgorithm(WpzfAlgorithm):
    """Base of townstatistics, exportreport and sample."""

    GROUP = "reporting"

    def add_reporting_parameters(self) -> None:
        self.add_workspace_parameters()
        self.addParameter(QgsProcessingParameterString(
            "PERIOD", QCoreApplication.translate(
                "ReportingAlgorithm", "Period: month 2022-05, quarter 2022-Q2 or year 2022 (empty: every batch)"),
            optional=True))
        as_of = QgsProcessingParameterString(
            "AS_OF", QCoreApplication.translate(
                "ReportingAlgorithm", "Figures as at (yyyy-mm-dd; empty: the period's end, for the rule set's year "
                "its statistics_end)"), optional=True)
        as_of.setFlags(as_of.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(as_of)
        self.addParameter(QgsProcessingParameterFeatureSource(
            "TOWNS", QCoreApplication.translate(
                "ReportingAlgorithm", "Town boundaries (三调 XZQ, optional; stored as the workspace's towns when it "
                "holds none)"),
            [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_CODE_FIELD", QCoreApplication.translate("ReportingAlgorithm", "Town code field"), "XZQDM", "TOWNS",
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_NAME_FIELD", QCoreApplication.translate("ReportingAlgorithm", "Town name field"), "XZQMC", "TOWNS",
            optional=True))

    def read_inputs(self, parameters, context) -> ReportInputs:
        """Open the workspace, load its patches and the rule set (raises domain errors)."""
        workspace = self.parameterAsFile(parameters, "WORKSPACE", context)
        batch = self.parameterAsString(parameters, "BATCH", context).strip() or None
        text = self.parameterAsString(parameters, "PERIOD", context).strip()
        period = parse_period(text) if text else None
        as_of = parse_as_of(self.parameterAsString(parameters, "AS_OF", context) if "AS_OF" in parameters else "")
        source = self.source_or_fail(parameters, "TOWNS", context) if parameters.get("TOWNS") else None
        with open_workspace(workspace) as ws:
            places, names = towns_for_run(
                ws, source, self.parameterAsString(parameters, "TOWN_CODE_FIELD", context) or "XZQDM",
                self.parameterAsString(parameters, "TOWN_NAME_FIELD", context) or "XZQMC", context)
            ruleset = open_ruleset(ws, self.parameterAsString(parameters, "RULESET", context))
            facts = load_facts(ws, batch, places)
            batches = batch_rows(ws, ruleset)
        return ReportInputs(facts, ruleset, period, names, batches, as_of)


def batch_rows(ws, ruleset: RuleSet) -> list[tuple]:
    """One row per batch for the 批次进度 sheet."""
    counts = dict(ws.conn.execute('SELECT b."PCMC", count(s.id) FROM wpzf_batch b '
                                  'LEFT JOIN wpzf_snapshot s ON s.batch_id = b.id GROUP BY b."PCMC"'))
    info = {b.name: b for b in ws.batches()}
    return [(d.batch, d.received.isoformat(), d.decision_due.isoformat(), d.report_due.isoformat(),
             info[d.batch].stage, "是" if info[d.batch].locked else "否", info[d.batch].patch_count,
             counts.get(d.batch, 0)) for d in deadlines(ws, ruleset)]


def today() -> dt.date:
    return dt.date.today()
