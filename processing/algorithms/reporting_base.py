"""Shared parameters of the reporting algorithms: workspace, batch, rule set, period and towns."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication

from ...domain.reporting.facts import PatchFact, load_facts
from ...domain.reporting.periods import Period, parse_period
from ...domain.reporting.statistics import Statistics, compute_statistics
from ...domain.rules import RuleSet
from ...domain.workspace.store import Workspace
from ..reporting_io import town_names
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportingAlgorithm", text)


@dataclass
class ReportInputs:
    """What a reporting run reads: the facts, the rule set, the period and the town names."""

    facts: list[PatchFact]
    ruleset: RuleSet
    period: Period | None
    names: dict[str, str]

    def statistics(self) -> Statistics:
        return compute_statistics(self.facts, self.ruleset, self.period, self.names)

    def in_period(self) -> list[PatchFact]:
        return [f for f in self.facts if self.period is None or self.period.contains(f.received)]


class ReportingAlgorithm(WpzfAlgorithm):
    """Base of townstatistics, exportreport and sample."""

    GROUP = "reporting"

    def add_reporting_parameters(self) -> None:
        self.add_workspace_parameters()
        self.addParameter(QgsProcessingParameterString(
            "PERIOD", _tr("Period: month 2022-05, quarter 2022-Q2 or year 2022 (empty: every batch)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "TOWNS", _tr("Town boundaries for names (三调 XZQ, optional)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_CODE_FIELD", _tr("Town code field"), "XZQDM", "TOWNS", optional=True))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_NAME_FIELD", _tr("Town name field"), "XZQMC", "TOWNS", optional=True))

    def read_inputs(self, parameters, context) -> ReportInputs:
        """Open the workspace, load its patches and the rule set (raises domain errors)."""
        path = Path(self.parameterAsFile(parameters, "WORKSPACE", context))
        batch = self.parameterAsString(parameters, "BATCH", context).strip() or None
        text = self.parameterAsString(parameters, "PERIOD", context).strip()
        period = parse_period(text) if text else None
        source = self.parameterAsSource(parameters, "TOWNS", context) if parameters.get("TOWNS") else None
        names = town_names(source, self.parameterAsString(parameters, "TOWN_CODE_FIELD", context) or "XZQDM",
                           self.parameterAsString(parameters, "TOWN_NAME_FIELD", context) or "XZQMC")
        with Workspace.open(path) as ws:
            ruleset = open_ruleset(ws, self.parameterAsString(parameters, "RULESET", context))
            facts = load_facts(ws, batch)
        return ReportInputs(facts, ruleset, period, names)


def today() -> dt.date:
    return dt.date.today()
