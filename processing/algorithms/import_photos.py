"""wpzf:importphotos — 导入外业照片: field photos matched to patches by their EXIF position."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...domain.crs import CGCS2000_GEOGRAPHIC
from ...domain.evidence.photo_import import ADDED, ALREADY, CANCELED, FAILED, NOT_IMPORTED, import_photos
from ...domain.messages import WpzfError
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from ...domain.workspace.store import Workspace
from ...i18n import render
from .base import WpzfAlgorithm

DEFAULT_MAX_DISTANCE = 50.0
"""Metres; the desktop's own default lives in plugin_settings.photo_match_distance()."""


class ImportPhotosAlgorithm(WpzfAlgorithm):
    """Reads each photo's GPS position, assigns it to a patch, copies it into evidence/; lists every photo."""

    NAME = "importphotos"
    GROUP = "workspace"
    WORKSPACE, BATCH, FOLDER, RECURSIVE, MAX_DISTANCE, OUTPUT = (
        "WORKSPACE", "BATCH", "FOLDER", "RECURSIVE", "MAX_DISTANCE", "OUTPUT")

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import field photos")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Reads the GPS position, bearing and time that each photo of a folder carries in its EXIF data "
            "and assigns the photo to the patch containing that position, or else to the nearest patch "
            "within the maximum distance. Assigned photos are copied (never moved) into the workspace's "
            "evidence folder and recorded as 照片 evidence with their SHA-256; a photo already recorded is "
            "not copied again. Every photo gets one output row, including photos without a position, too "
            "far from every patch or unreadable, with the reason.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.WORKSPACE, self.tr("Workspace (.gpkg)"), behavior=QgsProcessingParameterFile.File, extension="gpkg"))
        self.addParameter(QgsProcessingParameterString(
            self.BATCH, self.tr("Batch (empty: patches of all batches)"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, self.tr("Photo folder"), behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterBoolean(
            self.RECURSIVE, self.tr("Include subfolders"), defaultValue=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_DISTANCE, self.tr("Maximum distance to the nearest patch (m)"),
            QgsProcessingParameterNumber.Double, DEFAULT_MAX_DISTANCE, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Photo matches"), QgsProcessing.TypeVectorPoint))
        self.addOutput(QgsProcessingOutputNumber("MATCHED", self.tr("Photos matched to a patch")))
        self.addOutput(QgsProcessingOutputNumber("UNMATCHED", self.tr("Photos not matched")))
        self.addOutput(QgsProcessingOutputNumber("ADDED", self.tr("Photos added as evidence")))

    def _fields(self) -> QgsFields:
        fields = QgsFields()
        for name, kind, alias in (
            ("WJ", QVariant.String, "文件"), (ID_FIELD, QVariant.String, ID_ALIAS), ("PPFS", QVariant.String, "匹配方式"),
            ("JL", QVariant.Double, "距离"), ("JD", QVariant.Double, "经度"), ("WD", QVariant.Double, "纬度"),
            ("FWJ", QVariant.Double, "方位角"), ("PSSJ", QVariant.String, "拍摄时间"), ("ZT", QVariant.String, "状态"),
            ("YY", QVariant.String, "原因"),
        ):
            field = QgsField(name, kind)
            field.setAlias(alias)
            fields.append(field)
        return fields

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        path = Path(self.parameterAsFile(parameters, self.WORKSPACE, context))
        folder = Path(self.parameterAsFile(parameters, self.FOLDER, context))
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        recursive = self.parameterAsBool(parameters, self.RECURSIVE, context)
        max_distance = self.parameterAsDouble(parameters, self.MAX_DISTANCE, context)
        try:
            with Workspace.open(path) as ws:
                rows = import_photos(ws, folder, recursive=recursive, max_distance=max_distance, batch=batch,
                                     progress=lambda f: feedback.setProgress(100.0 * min(f, 1.0)),
                                     is_canceled=feedback.isCanceled)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        fields = self._fields()
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point,
                                          QgsCoordinateReferenceSystem(f"EPSG:{CGCS2000_GEOGRAPHIC}"))
        statuses = {ADDED: self.tr("added"), ALREADY: self.tr("already recorded"),
                    NOT_IMPORTED: self.tr("not imported"), FAILED: self.tr("failed"), CANCELED: self.tr("canceled")}
        for row in rows:
            feature = QgsFeature(fields)
            info, match = row.info, row.match
            if info.has_position:
                feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(info.lon, info.lat)))
            feature.setAttributes([
                str(row.path), match.jcbh or "", match.how, match.distance, info.lon, info.lat, info.bearing,
                info.taken_at, statuses[row.status], render(row.reason) if row.reason is not None else None])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        matched = sum(row.match.matched for row in rows)
        added = sum(row.status == ADDED for row in rows)
        for row in rows:
            if row.reason is not None:
                feedback.pushInfo(f"{row.path.name}: {render(row.reason)}")
        if any(row.status == CANCELED for row in rows):
            feedback.reportError(self.tr(
                "Canceled: photos copied so far are kept; running again adds only the missing ones."))
        feedback.pushInfo(self.tr("{total} photos: {matched} matched ({added} added), {unmatched} not matched.").format(
            total=len(rows), matched=matched, added=added, unmatched=len(rows) - matched))
        return {self.OUTPUT: dest, "MATCHED": matched, "UNMATCHED": len(rows) - matched, "ADDED": added}
