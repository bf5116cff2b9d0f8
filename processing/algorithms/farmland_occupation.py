"""wpzf:farmlandoccupation — 图斑占用耕地分析: per-patch farmland, net of 田坎, and basic farmland."""
from __future__ import annotations

import threading

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ...domain.messages import WpzfError
from ...domain.overlay import Canceled, farmland_occupation
from ...domain.units import M2_PER_MU
from ..layer_arrays import pyproj_crs, read_arrays
from ..layer_io import to_python
from ..overlay_io import (
    AREA_METHODS,
    WORKERS,
    PatchList,
    area_method_labels,
    output_schema,
    read_patches,
    require_field,
    stream_patches,
    working_crs,
)
from .base import WpzfAlgorithm

RESULT_FIELDS = [
    ("TBMJ", QVariant.Double, "图斑面积(平方米)"),
    ("GDTBMJ", QVariant.Double, "耕地图斑面积(平方米)"),
    ("GDMJ", QVariant.Double, "耕地面积(平方米)"),
    ("GDMJ_MU", QVariant.Double, "耕地面积(亩)"),
    ("SDMJ", QVariant.Double, "水田面积(平方米)"),
    ("SJDMJ", QVariant.Double, "水浇地面积(平方米)"),
    ("HDMJ", QVariant.Double, "旱地面积(平方米)"),
    ("JBNTMJ", QVariant.Double, "永久基本农田面积(平方米)"),
    ("ZGBL", QVariant.Double, "占耕比例"),
    ("WFGMJ", QVariant.Double, "未覆盖面积(平方米)"),
    ("XFBZ", QVariant.Int, "几何已修复"),
]


class FarmlandOccupationAlgorithm(WpzfAlgorithm):
    """One row per patch with gross/net farmland by class and basic farmland, exact areas."""

    NAME = "farmlandoccupation"
    GROUP = "comparison"

    PATCHES, ID_FIELD, LANDUSE, CLASS_FIELD = "PATCHES", "ID_FIELD", "LANDUSE", "CLASS_FIELD"
    FARMLAND_CODES, DEDUCTION_FIELD, BASIC_FARMLAND = "FARMLAND_CODES", "DEDUCTION_FIELD", "BASIC_FARMLAND"
    AREA_METHOD, OUTPUT, BREAKDOWN = "AREA_METHOD", "OUTPUT", "BREAKDOWN"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Farmland occupation of patches")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "For every patch: its area, the farmland it covers (gross and net of the deduction "
            "coefficient KCXS, by paddy, irrigated and dry land), the permanent basic farmland it "
            "covers, and the share of farmland. Exactly one output row per input patch, in input order; "
            "invalid geometry is repaired and flagged, never dropped; overlapping land-use polygons are "
            "never counted twice. Ellipsoidal areas use the official CGCS2000 formula in a Gauss-Kruger "
            "zone. BREAKDOWN lists every land class in each patch with its broad class.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_patch_parameters()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LANDUSE, self.tr("Land use (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            self.CLASS_FIELD, self.tr("Land class code field"), "DLBM", self.LANDUSE, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.FARMLAND_CODES, self.tr("Farmland class codes"), "0101,0102,0103"))
        self.addParameter(QgsProcessingParameterField(
            self.DEDUCTION_FIELD, self.tr("Deduction coefficient field (empty: no deduction)"), "KCXS",
            self.LANDUSE, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BASIC_FARMLAND, self.tr("Permanent basic farmland"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.AREA_METHOD, self.tr("Area method"), area_method_labels(), defaultValue=0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Farmland occupation"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.BREAKDOWN, self.tr("Land-class breakdown"), QgsProcessing.TypeVector, optional=True,
            createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        patches = self.parameterAsSource(parameters, self.PATCHES, context)
        landuse_layer = self.parameterAsVectorLayer(parameters, self.LANDUSE, context)
        if patches is None or landuse_layer is None:
            raise QgsProcessingException(self.tr("PATCHES and LANDUSE must be polygon layers."))
        id_field = self.parameterAsString(parameters, self.ID_FIELD, context) or "JCBH"
        class_field = self.parameterAsString(parameters, self.CLASS_FIELD, context) or "DLBM"
        deduction = self.parameterAsString(parameters, self.DEDUCTION_FIELD, context)
        require_field(patches, id_field, self.ID_FIELD)
        require_field(landuse_layer, class_field, self.CLASS_FIELD)
        require_field(landuse_layer, deduction, self.DEDUCTION_FIELD)
        codes = [c.strip() for c in self.parameterAsString(parameters, self.FARMLAND_CODES, context).split(",") if c.strip()]
        method = AREA_METHODS[self.parameterAsEnum(parameters, self.AREA_METHOD, context)]
        crs = working_crs(method, patches.sourceCrs(), landuse_layer.crs(), patches.sourceExtent())
        feedback.pushInfo(self.tr("Working CRS {crs}, area method {method}").format(crs=crs.authid(), method=method))

        streamed = stream_patches(patches, self.parameterAsVectorLayer(parameters, self.PATCHES, context),
                                  parameters[self.PATCHES], crs)
        if streamed is not None:  # features are read while the overlay runs
            patch_geoms, patch_features = streamed
        else:
            patch_data = read_patches(patches, id_field, crs, feedback)
            patch_geoms, patch_features = patch_data.take_geoms(), PatchList(patch_data.features)
        feedback.setProgress(5)
        fields = [class_field] + ([deduction] if deduction else [])
        landuse = read_arrays(landuse_layer, parameters[self.LANDUSE], fields, crs, feedback)
        feedback.setProgress(20)
        basic = None
        basic_layer = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        if basic_layer is not None:
            basic = read_arrays(basic_layer, parameters[self.BASIC_FARMLAND], [], crs, feedback)
        if feedback.isCanceled():
            return {}
        feedback.pushInfo(self.tr("{patches} patches, {landuse} land-use polygons").format(
            patches=patch_geoms.size, landuse=landuse.geoms.size))
        writer = _ResultWriter(self, parameters, context, patches, patch_features, patch_geoms.size, id_field,
                               feedback)
        class_values = landuse.columns[class_field]
        deductions = landuse.columns[deduction] if deduction else np.zeros(landuse.geoms.size)
        try:
            # the land-use geometries are handed over, not kept here: the overlay engine frees
            # them when done, while the output files are being closed
            result = farmland_occupation(
                patch_geoms, landuse.take_geoms(), class_values, deductions,
                None if basic is None else basic.take_geoms(), farmland_codes=codes, area_method=method,
                crs=pyproj_crs(crs),
                progress=lambda f: feedback.setProgress(20 + 78 * f), is_canceled=feedback.isCanceled,
                workers=WORKERS, on_chunk=writer.write_chunk)
        except Canceled:
            return {}
        except WpzfError as exc:
            raise self.fail(exc) from exc
        repaired = int(np.count_nonzero(result.landuse_repaired))
        if repaired:
            feedback.pushWarning(self.tr("{n} invalid land-use polygons were repaired and used.").format(n=repaired))
        outputs = writer.finish()
        feedback.setProgress(100)
        return outputs


def breakdown_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind, alias in (("ID", QVariant.String, "图斑编号"), ("DLBM", QVariant.String, "地类编码"),
                              ("SDL", QVariant.String, "三大类"), ("MJ", QVariant.Double, "面积(平方米)"),
                              ("JMJ", QVariant.Double, "扣除田坎后面积(平方米)"),
                              ("JMJ_MU", QVariant.Double, "扣除田坎后面积(亩)")):
        field = QgsField(name, kind)
        field.setAlias(alias)
        fields.append(field)
    return fields


class _ResultWriter:
    """Writes OUTPUT and BREAKDOWN chunk by chunk, while the overlay workers compute the next chunks.

    The sinks are created with the first chunk, so an input error found
    before any result leaves no output behind.
    """

    def __init__(self, alg: FarmlandOccupationAlgorithm, parameters, context, patches, features, total: int,
                 id_field: str, feedback) -> None:
        self.alg, self.parameters, self.context, self.patches = alg, parameters, context, patches
        self.features, self.feedback = features, feedback
        self.id_index = patches.fields().lookupField(id_field)
        self.total = total  # patches the overlay measures
        self.written = 0
        self._closing: threading.Thread | None = None
        self.schema = None
        self.sink = self.breakdown_sink = None
        self.outputs: dict = {}
        self.not_covered = QCoreApplication.translate("FarmlandOccupationAlgorithm", "not covered by land use")

    def _open(self) -> None:
        alg, parameters, context = self.alg, self.parameters, self.context
        self.schema = output_schema(self.patches.fields(), RESULT_FIELDS, self.feedback)
        self.sink, self.outputs[alg.OUTPUT] = alg.parameterAsSink(
            parameters, alg.OUTPUT, context, self.schema.fields,
            QgsWkbTypes.multiType(self.patches.wkbType()), self.patches.sourceCrs())
        self.breakdown_sink, dest = alg.parameterAsSink(parameters, alg.BREAKDOWN, context, breakdown_fields(),
                                                        QgsWkbTypes.NoGeometry)
        if self.breakdown_sink is not None:
            self.outputs[alg.BREAKDOWN] = dest

    def write_chunk(self, start: int, part) -> None:
        if self.schema is None:
            self._open()
        features = self.features.take(part.ids.size)
        ids = [str(to_python(f.attribute(self.id_index))) for f in features]
        self.schema.write(self.sink, features, [
            part.tbmj, part.gdtbmj, part.gdmj, part.gdmj / M2_PER_MU, part.sdmj, part.sjdmj,
            part.hdmj, part.jbntmj, part.zgbl, part.uncovered, part.patch_repaired.astype(int)],
            self.feedback, None)
        if self.breakdown_sink is not None:
            self._write_breakdown(part, start, ids)
        self.written += len(features)
        if self.written == self.total:
            # the last rows: close the files (GDAL builds the spatial index, GIL released) while the
            # overlay engine frees its geometries on this thread
            sinks, self.sink, self.breakdown_sink = [self.sink, self.breakdown_sink], None, None
            self._closing = threading.Thread(target=sinks.clear, name="wpzf-close-sinks")
            self._closing.start()

    def _write_breakdown(self, part, start: int, ids: list[str]) -> None:
        table = part.breakdown
        rows = list(zip(table.patch.tolist(), [ids[i - start] for i in table.patch.tolist()], table.dlbm.tolist(),
                        table.broad_class.tolist(), table.gross.tolist(), table.net.tolist()))
        # area no land-use polygon covers gets its own row, so the rows of a patch add up to TBMJ
        rows += [(start + i, pid, "", self.not_covered, area, area)
                 for i, (pid, area) in enumerate(zip(ids, part.uncovered.tolist())) if area > 1e-6]
        rows.sort(key=lambda r: r[0])
        # one feature refilled per row: sinks copy what they are given, and building a
        # QgsFeature per row cost as much as writing it
        feature = QgsFeature(breakdown_fields())
        for _, pid, code, broad, gross, net in rows:
            feature.setAttributes([pid, code, broad, gross, net, net / M2_PER_MU])
            self.breakdown_sink.addFeature(feature, QgsFeatureSink.FastInsert)

    def finish(self) -> dict:
        """Outputs of the run (sinks created even when there was no patch); closes the sinks."""
        if self.schema is None:
            self._open()
        self.sink = self.breakdown_sink = None
        if self._closing is not None:
            self._closing.join()
        return self.outputs
