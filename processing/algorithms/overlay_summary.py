"""wpzf:overlaysummary — 图斑叠加分析: how much of each patch any overlay layer covers, and by what."""
from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...domain.overlay import AREA_METHODS, Canceled, layer_quality, overlay_summary
from ...domain.workspace.patch_fields import alias_of
from ..layer_arrays import pyproj_crs, read_arrays
from ..overlay_io import (
    PATCH_ID_ALIAS,
    WORKERS,
    area_method_labels,
    layer_label,
    output_schema,
    read_patches,
    report_quality,
    require_field,
    working_crs,
)
from .base import WpzfAlgorithm

KEY_JOIN = "|"  # between the values of several key fields of one overlay feature


def _key_text(value) -> str:
    """One key value as text; a date (e.g. a mining licence's YXQQ/YXQZ, read as QDate) as YYYY-MM-DD."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return ""
    if hasattr(value, "toPyDate"):
        return value.toPyDate().isoformat()
    return str(value)


class OverlaySummaryAlgorithm(WpzfAlgorithm):
    """Covered area, share, feature count and joined document numbers per patch."""

    NAME = "overlaysummary"
    GROUP = "comparison"

    PATCHES, ID_FIELD, OVERLAY, KEY_FIELDS = "PATCHES", "ID_FIELD", "OVERLAY", "KEY_FIELDS"
    AREA_METHOD, OUTPUT, DETAIL = "AREA_METHOD", "OUTPUT", "DETAIL"
    REPAIRED_OVERLAY, DROPPED_OVERLAY = "REPAIRED_OVERLAY", "DROPPED_OVERLAY"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Overlay summary of patches")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "For every patch: the area covered by an overlay layer (approvals, land supply, temporary use, "
            "facility agriculture, cadastral parcels, mining rights), its share of the patch, the number of "
            "overlay features and their key fields (e.g. approval numbers) joined. Overlapping overlay "
            "features are counted once in the covered area. Invalid overlay polygons are repaired and counted, "
            "features with no area are named by id, and an empty layer is reported. DETAIL lists every patch and overlay feature pair.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_patch_parameters()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.OVERLAY, self.tr("Overlay layer"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            self.KEY_FIELDS, self.tr("Key fields to carry (e.g. PZWH)"), None, self.OVERLAY,
            allowMultiple=True, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.AREA_METHOD, self.tr("Area method"), area_method_labels(), defaultValue=0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Overlay summary"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.DETAIL, self.tr("Overlay detail"), QgsProcessing.TypeVector, optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(self.REPAIRED_OVERLAY, self.tr("Invalid overlay polygons repaired")))
        self.addOutput(QgsProcessingOutputNumber(
            self.DROPPED_OVERLAY, self.tr("Overlay features with no area (listed in the log)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        patches = self.parameterAsSource(parameters, self.PATCHES, context)
        overlay_layer = self.parameterAsVectorLayer(parameters, self.OVERLAY, context)
        if patches is None or overlay_layer is None:
            raise QgsProcessingException(self.tr("PATCHES and OVERLAY must be polygon layers."))
        id_field = self.patch_id_field(parameters, context)
        key_fields = self.parameterAsFields(parameters, self.KEY_FIELDS, context)
        require_field(patches, id_field, self.ID_FIELD)
        for key in key_fields:
            require_field(overlay_layer, key, self.KEY_FIELDS)
        method = AREA_METHODS[self.parameterAsEnum(parameters, self.AREA_METHOD, context)]
        crs = working_crs(method, patches.sourceCrs(), overlay_layer.crs(), patches.sourceExtent())
        patch_data = read_patches(patches, id_field, crs, feedback)
        overlay = read_arrays(overlay_layer, parameters[self.OVERLAY], key_fields, crs, feedback)
        feedback.setProgress(20)
        labels = [KEY_JOIN.join(_key_text(v) for v in values)
                  for values in zip(*(overlay.columns[k] for k in key_fields))] if key_fields else None
        try:
            result = overlay_summary(
                patch_data.geoms, overlay.geoms, labels, ids=patch_data.ids, area_method=method,
                crs=pyproj_crs(crs), progress=lambda f: feedback.setProgress(20 + 70 * f),
                is_canceled=feedback.isCanceled, workers=WORKERS)
        except Canceled:
            return {}
        quality = layer_quality(layer_label(overlay_layer), patch_data.geoms, overlay.geoms, result.overlay_repaired,
                                result.overlay_dropped, overlay.fids)
        report_quality(feedback, quality)
        added = [("TBMJ", QVariant.Double, alias_of("TBMJ")), ("FGMJ", QVariant.Double, "覆盖面积(平方米)"),
                 ("FGBL", QVariant.Double, "覆盖比例"), ("DXS", QVariant.Int, "叠加要素数"),
                 ("GJZ", QVariant.String, "叠加要素关键字"), ("XFBZ", QVariant.Int, alias_of("XFBZ"))]
        schema = output_schema(patches.fields(), added, feedback)
        out_fields = schema.fields
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, out_fields,
                                          QgsWkbTypes.multiType(patches.wkbType()), patches.sourceCrs())
        schema.write(sink, patch_data.features, [
            result.patch_area, result.covered, result.share, result.count.astype(int),
            np.array([str(k or "") for k in result.keys], dtype=object), result.patch_repaired.astype(int)], feedback)
        outputs = {self.OUTPUT: dest, self.REPAIRED_OVERLAY: quality.repaired,
                   self.DROPPED_OVERLAY: len(quality.dropped)}
        detail = self._write_detail(parameters, context, result.details)
        if detail is not None:
            outputs[self.DETAIL] = detail
        feedback.setProgress(100)
        return outputs

    def _write_detail(self, parameters, context, details):
        fields = QgsFields()
        for name, kind, alias in (("ID", QVariant.String, PATCH_ID_ALIAS), ("DJXH", QVariant.Int, "叠加要素序号"),
                                  ("GJZ", QVariant.String, "关键字"), ("MJ", QVariant.Double, "叠加面积(平方米)"),
                                  ("BL", QVariant.Double, "占图斑比例")):
            field = QgsField(name, kind)
            field.setAlias(alias)
            fields.append(field)
        sink, dest = self.parameterAsSink(parameters, self.DETAIL, context, fields, QgsWkbTypes.NoGeometry)
        if sink is None:
            return None
        for i in range(details.patch.size):
            feature = QgsFeature(fields)
            feature.setAttributes([str(details.patch_id[i]), int(details.overlay[i]), str(details.key[i]),
                                   float(details.area[i]), float(details.share[i])])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        return dest


