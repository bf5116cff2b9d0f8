"""wpzf:importfieldpackage — 导入外业成果: the visits and photos of a returned field package.

The rules live in :mod:`...domain.fieldwork.plan` (what is imported, reported
or refused) and :mod:`...domain.fieldwork.store` (each visit stored with its
photos in one transaction); this algorithm opens the workspace and writes
the report, one row per patch and item.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace
from ...domain.fieldwork import plan as planning
from ...domain.fieldwork.store import import_package, report_rows
from ...domain.messages import WpzfError
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from ...i18n import render
from .base import WpzfAlgorithm
from .import_photos import DEFAULT_MAX_DISTANCE


class ImportFieldPackageAlgorithm(WpzfAlgorithm):
    """Imports the new visit records and their photos; reports every patch and item."""

    NAME = "importfieldpackage"
    GROUP = "workspace"
    WORKSPACE, PACKAGE, IMPORT_UNREFERENCED, MAX_DISTANCE, OUTPUT = (
        "WORKSPACE", "PACKAGE", "IMPORT_UNREFERENCED", "MAX_DISTANCE", "OUTPUT")

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import field package (QField)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Reads a field package as it comes back from QField or QFieldCloud (the folder or a .zip) and "
            "stores each new visit record (wydc) as a field visit of its patch, with its photos as evidence "
            "(SHA-256, EXIF time and position, distance to the patch), also on a locked batch. A visit is stored "
            "with all its photos or not at all. Importing the same package again adds nothing; a package of "
            "another workspace is refused. Edits of office fields made in the field are reported, never "
            "applied; patches changed in the office since the export, photos no record names, missing photos "
            "and damaged files are reported, one row per patch and item. With 'Store photos no record names' "
            "such photos are stored as evidence of the package's patch they were taken in, or the nearest one "
            "within the maximum distance (as Import field photos matches them). On a shared PostGIS workspace "
            "the photos are stored in the database, and a technician's visits to patches of towns not assigned "
            "to him are refused, patch by patch.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterFile(
            self.PACKAGE, self.tr("Returned package (folder or .zip)"), behavior=QgsProcessingParameterFile.File,
            fileFilter="Field package (*.zip manifest.json);;All files (*)"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.IMPORT_UNREFERENCED, self.tr("Store photos no record names as evidence of their patch"),
            defaultValue=False))
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_DISTANCE, self.tr("Maximum distance of such a photo to the nearest patch (m)"),
            QgsProcessingParameterNumber.Double, DEFAULT_MAX_DISTANCE, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Import report")))
        self.addOutput(QgsProcessingOutputNumber("VISITS", self.tr("Visits stored")))
        self.addOutput(QgsProcessingOutputNumber("PHOTOS", self.tr("Photos stored")))
        self.addOutput(QgsProcessingOutputNumber("UNREFERENCED", self.tr("Photos no record names stored")))
        self.addOutput(QgsProcessingOutputNumber("REFUSED", self.tr("Package refused (1) or not (0)")))

    def _fields(self) -> QgsFields:
        fields = QgsFields()
        for name, alias in ((ID_FIELD, ID_ALIAS), ("XM", "项目"), ("ZT", "状态"), ("SM", "说明"), ("WJ", "文件")):
            field = QgsField(name, QVariant.String)
            field.setAlias(alias)
            fields.append(field)
        return fields

    def _labels(self) -> dict[str, str]:
        return {
            planning.PACKAGE: self.tr("package"), planning.FILE: self.tr("file"), planning.VISIT: self.tr("visit"),
            planning.PHOTO: self.tr("photo"), planning.FIELD_EDIT: self.tr("field edit"),
            planning.OFFICE_CHANGE: self.tr("office change"),
            planning.STORED: self.tr("stored"), planning.ALREADY: self.tr("already imported"),
            planning.DAMAGED: self.tr("damaged"), planning.INVALID: self.tr("invalid"),
            planning.UNREFERENCED: self.tr("not referenced"), planning.NOT_APPLIED: self.tr("not applied"),
            planning.REPORTED: self.tr("reported"), planning.REFUSED: self.tr("refused"),
            planning.FAILED: self.tr("failed"), planning.TO_STORE: self.tr("not stored"),
        }

    def _package_path(self, parameters, context) -> Path:
        """PACKAGE as given; a manifest.json chosen in the file dialog stands for its folder."""
        path = Path(self.parameterAsFile(parameters, self.PACKAGE, context))
        return path.parent if path.name == "manifest.json" else path

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, self.WORKSPACE, context)
        package = self._package_path(parameters, context)
        loose = self.parameterAsBoolean(parameters, self.IMPORT_UNREFERENCED, context)
        max_distance = self.parameterAsDouble(parameters, self.MAX_DISTANCE, context)
        try:
            with open_workspace(text) as ws:
                result = import_package(ws, package, progress=lambda f: feedback.setProgress(100.0 * min(f, 1.0)),
                                        is_canceled=feedback.isCanceled, unreferenced=loose,
                                        max_distance=max_distance)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        fields = self._fields()
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        labels = self._labels()
        for item in report_rows(result):
            feature = QgsFeature(fields)
            reason = render(item.message) if item.message is not None else ""
            feature.setAttributes([item.jcbh, labels[item.item], labels[item.status], reason, item.path])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
            if item.status not in (planning.STORED, planning.ALREADY):
                feedback.pushInfo(f"{item.jcbh or package.name} {labels[item.item]}: {labels[item.status]} {reason}")
        if result.plan.refused:
            feedback.reportError(self.tr("The package was refused; nothing was imported."))
        feedback.pushInfo(self.tr("{visits} visits and {photos} photos stored.").format(
            visits=result.visits, photos=result.photos))
        return {self.OUTPUT: dest, "VISITS": result.visits, "PHOTOS": result.photos,
                "UNREFERENCED": result.unreferenced,
                "REFUSED": int(result.plan.refused)}
