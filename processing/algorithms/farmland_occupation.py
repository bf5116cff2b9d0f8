"""wpzf:farmlandoccupation — 图斑占用耕地分析: per-patch farmland, net of 田坎, and basic farmland."""
from __future__ import annotations

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
from qgis.PyQt.QtCore import QVariant

from ...domain.messages import WpzfError
from ...domain.overlay import Canceled, farmland_occupation
from ...domain.units import M2_PER_MU
from ..layer_arrays import pyproj_crs, read_arrays
from ..overlay_io import (
    AREA_METHODS,
    WORKERS,
    area_method_labels,
    output_schema,
    read_patches,
    require_field,
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

        patch_data = read_patches(patches, id_field, crs, feedback)
        feedback.setProgress(5)
        fields = [class_field] + ([deduction] if deduction else [])
        landuse = read_arrays(landuse_layer, parameters[self.LANDUSE], fields, crs, feedback)
        feedback.setProgress(20)
        basic = None
        basic_layer = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        if basic_layer is not None:
            basic = read_arrays(basic_layer, parameters[self.BASIC_FARMLAND], [], crs, feedback).geoms
        if feedback.isCanceled():
            return {}
        feedback.pushInfo(self.tr("{patches} patches, {landuse} land-use polygons").format(
            patches=len(patch_data.features), landuse=landuse.geoms.size))
        try:
            result = farmland_occupation(
                patch_data.geoms, landuse.geoms, landuse.columns[class_field],
                landuse.columns[deduction] if deduction else np.zeros(landuse.geoms.size),
                basic, ids=patch_data.ids, farmland_codes=codes, area_method=method, crs=pyproj_crs(crs),
                progress=lambda f: feedback.setProgress(20 + 70 * f), is_canceled=feedback.isCanceled, workers=WORKERS)
        except Canceled:
            return {}
        except WpzfError as exc:
            raise self.fail(exc) from exc
        repaired = int(np.count_nonzero(result.landuse_repaired))
        if repaired:
            feedback.pushWarning(self.tr("{n} invalid land-use polygons were repaired and used.").format(n=repaired))

        schema = output_schema(patches.fields(), RESULT_FIELDS, feedback)
        out_fields = schema.fields
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, out_fields,
                                          QgsWkbTypes.multiType(patches.wkbType()), patches.sourceCrs())
        schema.write(sink, patch_data.features, [
            result.tbmj, result.gdtbmj, result.gdmj, result.gdmj / M2_PER_MU, result.sdmj, result.sjdmj,
            result.hdmj, result.jbntmj, result.zgbl, result.uncovered, result.patch_repaired.astype(int)],
            feedback, (90.0, 8.0))
        outputs = {self.OUTPUT: dest}
        breakdown = self._write_breakdown(parameters, context, result.breakdown, result.ids, result.uncovered)
        if breakdown is not None:
            outputs[self.BREAKDOWN] = breakdown
        feedback.setProgress(100)
        return outputs

    def _write_breakdown(self, parameters, context, table, uncovered_ids, uncovered):
        fields = QgsFields()
        for name, kind, alias in (("ID", QVariant.String, "图斑编号"), ("DLBM", QVariant.String, "地类编码"),
                                  ("SDL", QVariant.String, "三大类"), ("MJ", QVariant.Double, "面积(平方米)"),
                                  ("JMJ", QVariant.Double, "扣除田坎后面积(平方米)"),
                                  ("JMJ_MU", QVariant.Double, "扣除田坎后面积(亩)")):
            field = QgsField(name, kind)
            field.setAlias(alias)
            fields.append(field)
        sink, dest = self.parameterAsSink(parameters, self.BREAKDOWN, context, fields, QgsWkbTypes.NoGeometry)
        if sink is None:
            return None
        rows = list(zip(table.patch.tolist(), [str(v) for v in table.patch_id], table.dlbm.tolist(),
                        table.broad_class.tolist(), table.gross.tolist(), table.net.tolist()))
        # area no land-use polygon covers gets its own row, so the rows of a patch add up to TBMJ
        not_covered = self.tr("not covered by land use")
        rows += [(i, str(pid), "", not_covered, area, area)
                 for i, (pid, area) in enumerate(zip(uncovered_ids, uncovered.tolist())) if area > 1e-6]
        rows.sort(key=lambda r: r[0])
        features = []
        for _, pid, code, broad, gross, net in rows:
            feature = QgsFeature(fields)
            feature.setAttributes([pid, code, broad, gross, net, net / M2_PER_MU])
            features.append(feature)
        sink.addFeatures(features, QgsFeatureSink.FastInsert)
        return dest
