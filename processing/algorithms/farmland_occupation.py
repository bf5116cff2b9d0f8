"""wpzf:farmlandoccupation — 图斑占用耕地分析: per-patch farmland, net of 田坎, and basic farmland."""
from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
)

from ...domain.messages import WpzfError
from ...domain.overlay import AREA_METHODS, Canceled, LayerQuality, farmland_occupation, layer_quality
from ...domain.workspace.postgis import overlay_sql
from ..layer_arrays import pyproj_crs, read_arrays
from ..occupation_output import PatchFeatures, ResultWriter, SinkFactory
from ..occupation_sql_engine import LayerInput, SqlEngine
from ..overlay_io import (
    WORKERS,
    PatchList,
    area_method_labels,
    layer_label,
    read_patches,
    report_quality,
    require_field,
    stream_patches,
    working_crs,
)
from .base import WpzfAlgorithm


class FarmlandOccupationAlgorithm(WpzfAlgorithm):
    """One row per patch with gross/net farmland by class and basic farmland, exact areas."""

    NAME = "farmlandoccupation"
    GROUP = "comparison"

    PATCHES, ID_FIELD, LANDUSE, CLASS_FIELD = "PATCHES", "ID_FIELD", "LANDUSE", "CLASS_FIELD"
    FARMLAND_CODES, DEDUCTION_FIELD, BASIC_FARMLAND = "FARMLAND_CODES", "DEDUCTION_FIELD", "BASIC_FARMLAND"
    AREA_METHOD, OUTPUT, BREAKDOWN, ENGINE = "AREA_METHOD", "OUTPUT", "BREAKDOWN", "ENGINE"
    REPAIRED_OVERLAY, DROPPED_OVERLAY = "REPAIRED_OVERLAY", "DROPPED_OVERLAY"
    NO_CODE_FEATURES, NO_CODE_AREA = "NO_CODE_FEATURES", "NO_CODE_AREA"
    PYTHON_ENGINE, SQL_ENGINE = 0, 1
    SQL_CHUNK_SIZE = overlay_sql.CHUNK_SIZE
    SQL_WORKERS = 2  # database connections measuring chunks side by side

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Farmland occupation of patches")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "For every patch: its area, the farmland it covers (gross and net of the deduction "
            "coefficient KCXS, by paddy, irrigated and dry land), the permanent basic farmland it "
            "covers (gross, and the net farmland inside it), the share of farmland, and the patch split into "
            "farmland, other agricultural land (with the deducted field ridges), construction land and unused "
            "land. Exactly one output row per input patch, in input order; "
            "invalid geometry is repaired and flagged, never dropped (the log counts repaired overlay polygons per layer "
            "and names features with no area left, land use without a class code with its area, and an empty "
            "layer); overlapping land-use polygons are "
            "never counted twice. Ellipsoidal areas use the official CGCS2000 formula in a Gauss-Kruger "
            "zone. WFGMJ is the area of the patch no land-use polygon covers: only where the land use leaves a "
            "gap (decided on planar areas), never the rounding of the official formula. "
            "BREAKDOWN lists every land class in each patch with its broad class. "
            "Engine (advanced): when all layers are PostGIS tables of one database, the SQL engine runs the "
            "overlay in the database with the same definitions and numbers.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_patch_parameters()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LANDUSE, self.tr("Land use (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.add_landclass_parameters(self.LANDUSE)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BASIC_FARMLAND, self.tr("Permanent basic farmland"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.AREA_METHOD, self.tr("Area method"), area_method_labels(), defaultValue=0))
        engine = QgsProcessingParameterEnum(
            self.ENGINE, self.tr("Engine"),
            [self.tr("Python (any layers)"), self.tr("SQL in the database (PostGIS layers of one database)")],
            defaultValue=self.PYTHON_ENGINE)
        engine.setFlags(engine.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        engine.setHelp(self.tr(
            "SQL: PATCHES, LANDUSE and BASIC_FARMLAND must be PostGIS tables of one database (subset strings "
            "are honoured, selected features are not); the overlay runs there and only the figures come back."))
        self.addParameter(engine)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Farmland occupation"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.BREAKDOWN, self.tr("Land-class breakdown"), QgsProcessing.TypeVector, optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(
            self.REPAIRED_OVERLAY, self.tr("Invalid land-use and basic-farmland polygons repaired")))
        self.addOutput(QgsProcessingOutputNumber(
            self.DROPPED_OVERLAY, self.tr("Land-use and basic-farmland features with no area (listed in the log)")))
        self.addOutput(QgsProcessingOutputNumber(
            self.NO_CODE_FEATURES, self.tr("Land-use features without a class code")))
        self.addOutput(QgsProcessingOutputNumber(
            self.NO_CODE_AREA, self.tr("Patch area in land use without a class code (m²)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        patches = self.parameterAsSource(parameters, self.PATCHES, context)
        landuse_layer = self.parameterAsVectorLayer(parameters, self.LANDUSE, context)
        if patches is None or landuse_layer is None:
            raise QgsProcessingException(self.tr("PATCHES and LANDUSE must be polygon layers."))
        id_field = self.patch_id_field(parameters, context)
        require_field(patches, id_field, self.ID_FIELD)
        class_field, deduction, codes = self.landclass_parameters(parameters, context, landuse_layer)
        method = AREA_METHODS[self.parameterAsEnum(parameters, self.AREA_METHOD, context)]
        crs = working_crs(method, patches.sourceCrs(), landuse_layer.crs(), patches.sourceExtent())
        feedback.pushInfo(self.tr("Working CRS {crs}, area method {method}").format(crs=crs.authid(), method=method))
        make_sink = self._sink_factory(parameters, context)
        if self.parameterAsEnum(parameters, self.ENGINE, context) == self.SQL_ENGINE:
            engine = SqlEngine(make_sink, feedback, lambda qualities: self.report_overlay_quality(feedback, qualities),
                               chunk_size=self.SQL_CHUNK_SIZE, workers=self.SQL_WORKERS, output=self.OUTPUT,
                               breakdown=self.BREAKDOWN)
            return engine.run(patches, self._sql_inputs(parameters, context), id_field, class_field, deduction,
                              codes, method, crs)

        patch_features: PatchFeatures
        streamed = stream_patches(patches, self.parameterAsVectorLayer(parameters, self.PATCHES, context),
                                  parameters[self.PATCHES], crs)
        if streamed is not None:  # features are read while the overlay runs
            patch_geoms, patch_features = streamed
        else:
            patch_data = read_patches(patches, id_field, crs, feedback)
            patch_geoms, patch_features = patch_data.take_geoms(), PatchList(patch_data.features)
        feedback.setProgress(5)
        fields = [class_field] + ([deduction] if deduction else [])
        # GeoPackage: the overlay workers read only the land use near their patches
        landuse = read_arrays(landuse_layer, parameters[self.LANDUSE], fields, crs, feedback, lazy=True)
        feedback.setProgress(20)
        basic = None
        basic_layer = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        if basic_layer is not None:
            basic = read_arrays(basic_layer, parameters[self.BASIC_FARMLAND], [], crs, feedback, lazy=True)
        if feedback.isCanceled():
            return {}
        # an empty layer is said so, not a silent 0 (features near the patches: counted by the engine)
        layers = [(layer_label(landuse_layer), landuse.fids, landuse.size)]
        if basic is not None:
            layers.append((layer_label(basic_layer), basic.fids, basic.size))
        feedback.pushInfo(self.tr("{patches} patches, {landuse} land-use polygons").format(
            patches=patch_geoms.size, landuse=landuse.size))
        writer = ResultWriter(make_sink, patches, patch_features, patch_geoms.size, id_field, feedback, codes,
                              output=self.OUTPUT, breakdown=self.BREAKDOWN)
        class_values = landuse.columns[class_field]
        deductions = landuse.columns[deduction] if deduction else np.zeros(landuse.size)
        try:
            # the land-use geometries (or their GeoPackage source, read by the workers) are handed
            # over, not kept here: the overlay engine frees them when done, while the outputs close
            result = farmland_occupation(
                patch_geoms, landuse.take_overlay(), class_values, deductions,
                None if basic is None else basic.take_overlay(), farmland_codes=codes, area_method=method,
                crs=pyproj_crs(crs),
                progress=lambda f: feedback.setProgress(20 + 78 * f), is_canceled=feedback.isCanceled,
                workers=WORKERS, on_chunk=writer.write_chunk)
        except Canceled:
            return {}
        except WpzfError as exc:
            raise self.fail(exc) from exc
        counts = self.report_overlay_quality(feedback, self._qualities(result, layers))
        outputs = writer.finish()
        feedback.setProgress(100)
        return {**outputs, **counts}

    def _sink_factory(self, parameters, context) -> SinkFactory:
        """OUTPUT's and BREAKDOWN's sinks as Processing creates them from this run's parameters."""
        return lambda name, fields, geometry_type, crs: self.parameterAsSink(
            parameters, name, context, fields, geometry_type, crs)

    def _sql_inputs(self, parameters, context) -> list[LayerInput]:
        """The layers the SQL engine reads: PATCHES, LANDUSE and BASIC_FARMLAND when one is given."""
        names = [self.PATCHES, self.LANDUSE]
        if parameters.get(self.BASIC_FARMLAND) and \
                self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context) is not None:
            names.append(self.BASIC_FARMLAND)
        return [(name, self.parameterAsVectorLayer(parameters, name, context), parameters.get(name))
                for name in names]

    @staticmethod
    def _qualities(result, layers: list) -> list[LayerQuality]:
        """Quality of the land-use layer (with its class-less area) and of the basic farmland, if given."""
        (name, fids, _), *rest = layers
        no_code = result.no_code_landuse if result.no_code_landuse is not None else np.zeros(0, dtype=np.intp)
        b = result.breakdown
        found = [layer_quality(name, None, None, result.landuse_repaired, result.landuse_dropped, fids,
                               no_code_features=no_code.size, no_code_area=float(b.gross[b.dlbm == ""].sum()),
                               patch_area=float(result.tbmj.sum()), in_extent=result.landuse_in_extent)]
        for name, fids, _ in rest:
            found.append(layer_quality(name, None, None, result.basic_farmland_repaired,
                                       result.basic_farmland_dropped, fids, in_extent=result.basic_farmland_in_extent))
        return found

    def report_overlay_quality(self, feedback, qualities: list[LayerQuality]) -> dict:
        """Warn about each layer's repairs, drops, class-less area and emptiness; the counts as outputs."""
        for quality in qualities:
            report_quality(feedback, quality)
        land = qualities[0]
        return {self.REPAIRED_OVERLAY: sum(q.repaired for q in qualities),
                self.DROPPED_OVERLAY: sum(len(q.dropped) for q in qualities),
                self.NO_CODE_FEATURES: land.no_code_features, self.NO_CODE_AREA: land.no_code_area}
