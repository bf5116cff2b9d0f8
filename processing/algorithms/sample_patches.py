"""wpzf:sample — 抽查: a reproducible sample stratified by town and category, with its plan."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace, patch_geometries, workspace_patch_layer
from ...domain.messages import WpzfError
from ...domain.reporting.sampling import ILLEGAL_FACTOR, draw_sample
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD, alias_of
from .reporting_base import ReportingAlgorithm


class SamplePatchesAlgorithm(ReportingAlgorithm):
    """Seeded, stratified, weighted toward large and illegal patches; the plan is saved beside the result."""

    NAME = "sample"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Spot-check sample")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Draws patches for 抽查督导: strata are town × decision category, each stratum gets a share of the "
            "sample by its weight (at least one patch), and within a stratum larger and illegal patches are "
            "likelier (weight = √area in 亩 × the illegal factor). The same seed and data give the same sample. "
            "The plan (seed, formula, strata, population and sample sizes, chosen IDs) is written as JSON.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_reporting_parameters()
        self.addParameter(QgsProcessingParameterNumber(
            "SIZE", self.tr("Sample size"), QgsProcessingParameterNumber.Integer, 20, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            "SEED", self.tr("Random seed"), QgsProcessingParameterNumber.Integer, 2022, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "ILLEGAL_FACTOR", self.tr("Weight of an illegal patch"), QgsProcessingParameterNumber.Double,
            ILLEGAL_FACTOR, minValue=1.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Sampled patches"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFileDestination(
            "PLAN", self.tr("Sampling plan"), self.tr("JSON (*.json)")))
        self.addOutput(QgsProcessingOutputNumber("SAMPLED", self.tr("Patches sampled")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        size = self.parameterAsInt(parameters, "SIZE", context)
        seed = self.parameterAsInt(parameters, "SEED", context)
        factor = self.parameterAsDouble(parameters, "ILLEGAL_FACTOR", context)
        try:
            inputs = self.read_inputs(parameters, context)
            stats = inputs.statistics()
            drawn, plan = draw_sample(stats.patches, size, seed, factor)
            text = self.parameterAsFile(parameters, "WORKSPACE", context)
            with open_workspace(text) as ws:
                epsg = ws.epsg
        except WpzfError as exc:
            raise self.fail(exc) from exc
        layer = workspace_patch_layer(text, epsg)  # a .gpkg or a shared PostGIS workspace alike
        geometries = patch_geometries(layer, [d.fid for d in drawn])
        fields = QgsFields()
        for name, alias, kind in ((ID_FIELD, ID_ALIAS, QVariant.String), ("ZJDM", "镇街代码", QVariant.String),
                                  ("ZJMC", "镇街名称", QVariant.String), ("PDLX", alias_of("PDLX"), QVariant.String),
                                  ("MJ", "面积(亩)", QVariant.Double), ("QZ", "抽样权重", QVariant.Double)):
            field = QgsField(name, kind)
            field.setAlias(alias)
            fields.append(field)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon,
                                          QgsCoordinateReferenceSystem(f"EPSG:{epsg}"))
        for d in drawn:
            feature = QgsFeature(fields)
            geometry = geometries.get(d.fid)
            if geometry is not None and not geometry.isNull():
                feature.setGeometry(geometry)
            feature.setAttributes([d.jcbh, d.town, inputs.names.get(d.town, ""), d.category, d.area_mu, d.weight])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        plan_path = Path(self.parameterAsFileOutput(parameters, "PLAN", context))
        try:
            plan.save(plan_path)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.pushInfo(self.tr("{sampled} of {population} patches sampled in {strata} strata (seed {seed}); "
                                  "plan written to {plan}.").format(sampled=len(drawn), population=plan.population,
                                                                   strata=len(plan.strata), seed=seed, plan=plan_path))
        return {"OUTPUT": dest, "PLAN": str(plan_path), "SAMPLED": len(drawn)}


