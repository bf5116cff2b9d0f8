"""wpzf:importpatches — 导入下发图斑: a ministry delivery into a workspace batch."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCsException,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.layer_io import delivery_fingerprint, incoming_patches, layer_path, with_encoding, zone_epsg_of_extent
from ...adapters.workspace_style import install_default_style
from ...domain.intake.service import import_delivery
from ...domain.intake.zones import cannot_lie_in, gk_zone_of_epsg, unplaced_extent_reason, workspace_epsg
from ...domain.messages import WpzfError
from ...domain.workspace.patch_fields import ID_FIELD
from ...i18n import render
from .base import WpzfAlgorithm


class ImportPatchesAlgorithm(WpzfAlgorithm):
    """Validate, repair and store a delivery; atomic; reports every problem patch."""

    NAME = "importpatches"
    GROUP = "workspace"

    INPUT = "INPUT"
    WORKSPACE = "WORKSPACE"
    BATCH = "BATCH"
    RECEIVED = "RECEIVED"
    ID_FIELD = "ID_FIELD"
    ENCODING = "ENCODING"
    SOURCE_CRS = "SOURCE_CRS"
    WORKSPACE_CRS = "WORKSPACE_CRS"
    REPORT = "REPORT"
    COUNTS = ("IMPORTED", "REPAIRED", "REJECTED", "DUPLICATE", "REISSUED", "WARNED")

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import delivered patches")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Imports a monthly delivery of remote-sensing change patches into a batch of a WPZF "
            "workspace (a GeoPackage, created if missing). Reprojects to the workspace's CGCS2000 "
            "Gauss-Kruger zone (an existing workspace always keeps its own CRS; a file without CRS is read in it "
            "only if its coordinates fit that zone), warns for each patch more than 2° from the zone's central "
            "meridian and refuses the delivery when one lies 3° or more away. Detects GBK or UTF-8 text in "
            "shapefiles without a .cpg and refuses Big5 or other text with a hint to set ENCODING. Compares patch "
            "IDs after Unicode normalisation (full-width digits are the same ID), repairs invalid geometry and "
            "flags it, rejects null geometry, zero-area slivers and collections without polygons, and reports "
            "every problem patch. The import is all or nothing; importing the same file again changes nothing."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.INPUT, self.tr("Delivered patches (Shapefile, GeoPackage, FileGDB, GeoJSON)"),
            [QgsProcessing.TypeVectorAnyGeometry]))
        self.addParameter(QgsProcessingParameterFile(
            self.WORKSPACE, self.tr("Workspace (.gpkg, created if missing)"),
            behavior=QgsProcessingParameterFile.File, extension="gpkg"))
        self.addParameter(QgsProcessingParameterString(self.BATCH, self.tr("Batch name, e.g. 2022-05")))
        self.addParameter(QgsProcessingParameterDateTime(
            self.RECEIVED, self.tr("Date received (yyyy-mm-dd); the decision is due 20 days later"),
            type=QgsProcessingParameterDateTime.Date))
        self.add_id_field_parameter(self.INPUT)
        self.addParameter(QgsProcessingParameterString(
            self.ENCODING, self.tr("Shapefile text encoding (auto = detect)"), "auto"))
        self.addParameter(QgsProcessingParameterCrs(
            self.SOURCE_CRS, self.tr("CRS of the delivery when the file declares none"), optional=True))
        self.addParameter(QgsProcessingParameterCrs(
            self.WORKSPACE_CRS, self.tr("CRS of a new workspace (default: detected 3° zone)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.REPORT, self.tr("Import report"), QgsProcessing.TypeVector, optional=True))
        for key, label in zip(self.COUNTS, (
            self.tr("Patches imported"), self.tr("Patches repaired"), self.tr("Patches rejected"),
            self.tr("Duplicate patches"), self.tr("Re-issued patches"),
            self.tr("Imported patches with warnings"),
        )):
            self.addOutput(QgsProcessingOutputNumber(key, label))
        self.addOutput(QgsProcessingOutputBoolean("UNCHANGED", self.tr("Already imported, nothing changed")))
        self.addOutput(QgsProcessingOutputFile(self.WORKSPACE, self.tr("Workspace")))

    def _checked_inputs(self, parameters, context):
        """(delivery layer, workspace path, received date), each refused with a message naming the parameter."""
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
            raise QgsProcessingException(
                self.tr("The delivery {name} is a {type} layer; patches must be polygons.").format(
                    name=layer.name(), type=QgsWkbTypes.geometryDisplayString(layer.geometryType())))
        workspace = self.parameterAsFile(parameters, self.WORKSPACE, context)
        if not workspace:
            raise QgsProcessingException(self.tr("Give the workspace file (.gpkg)."))
        received_date = self.parameterAsDateTime(parameters, self.RECEIVED, context).date()
        if not received_date.isValid():
            raise QgsProcessingException(self.tr("The received date RECEIVED is missing or not yyyy-mm-dd."))
        return layer, workspace, received_date

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        layer, workspace, received_date = self._checked_inputs(parameters, context)
        created = not Path(workspace).exists()
        try:
            layer, encoding = with_encoding(layer, self.parameterAsString(parameters, self.ENCODING, context) or "auto")
            if encoding:  # a re-opened layer: let the context own it (and free it before QGIS exits)
                context.temporaryLayerStore().addMapLayer(layer)
            existing_epsg = workspace_epsg(workspace)
            source_crs = layer.crs()
            if not source_crs.isValid():
                source_crs = self._crs_of_undeclared(parameters, context, layer, existing_epsg, feedback)
            else:
                self._check_declared_crs(layer, source_crs)
            if encoding:
                feedback.pushInfo(self.tr("Shapefile text encoding: {encoding}").format(encoding=encoding))
            epsg = self._workspace_epsg(parameters, context, layer, source_crs, existing_epsg, feedback)
            source_name, sha256 = delivery_fingerprint(layer)
            feedback.pushInfo(self.tr("Source {name}, SHA-256 {sha}").format(name=source_name, sha=sha256))
            result = import_delivery(
                incoming_patches(layer, source_crs, epsg, feedback),
                layer.fields().names(),
                Path(workspace),
                self.parameterAsString(parameters, self.BATCH, context),
                received_date.toString("yyyy-MM-dd"),
                source_name,
                sha256,
                epsg,
                id_field=self.patch_id_field(parameters, context),
                source_crs=source_crs.authid() or source_crs.toWkt(),
                progress=lambda f: feedback.setProgress(40.0 + 60.0 * min(f, 1.0)),
                is_canceled=feedback.isCanceled,
            )
        except WpzfError as exc:
            raise self.fail(exc) from exc
        if created and Path(workspace).exists():
            install_default_style(workspace)
        self._report_problems(result, feedback)
        self._report_placement(result, feedback)
        outputs = {
            self.WORKSPACE: workspace,
            "UNCHANGED": result.unchanged,
            **{key: value for key, value in zip(self.COUNTS, result.summary().values())},
        }
        report_id = self._write_report(parameters, context, result)
        if report_id is not None:
            outputs[self.REPORT] = report_id
        feedback.pushInfo(self.tr(
            "Imported {imported}, repaired {repaired}, rejected {rejected}, duplicate {duplicate}, re-issued {reissued}, "
            "with warnings {warned}."
        ).format(**result.summary()))
        return outputs

    def _report_problems(self, result, feedback) -> None:
        """A re-import that changed nothing, and every feature's problem (its kind in the UI's language, like WTLX)."""
        if result.unchanged:
            feedback.pushWarning(self.tr(
                "This file was already imported into batch {batch}; nothing changed.").format(batch=result.batch))
        kinds = self._kind_labels()
        for problem in result.problems:
            feedback.pushInfo(f"{kinds[problem.kind]} {problem.jcbh or '#' + str(problem.index)}: "
                              f"{render(problem.message)}")

    def _report_placement(self, result, feedback) -> None:
        """Say which town the new patches were placed in (the workspace's stored boundaries)."""
        if result.placement_error:
            feedback.reportError(self.tr(
                "The patches were imported, but placing them in towns failed: {error}. Run "
                "wpzf:importdivisions again to place every patch.").format(error=result.placement_error))
        elif result.placed is not None:
            feedback.pushInfo(self.tr("{count} new patches placed in their towns and villages by the stored "
                                      "boundaries.").format(count=result.placed))
            if result.unplaced:
                feedback.reportError(self.tr("{count} new patches lie outside every town: {ids}").format(
                    count=len(result.unplaced), ids=", ".join(result.unplaced[:50])))

    def _check_declared_crs(self, layer, crs) -> None:
        """Refuse a delivery whose coordinates cannot lie in the CRS it declares (a wrong .prj), naming both.

        Where the numbers cannot tell (:func:`cannot_lie_in`), the transformation decides (:meth:`_workspace_epsg`).
        """
        box = layer.extent()
        if box.isNull() or layer.featureCount() == 0:  # nothing to place (an empty delivery is refused later)
            return
        if cannot_lie_in(box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum(), _epsg_code(crs),
                         crs.isGeographic()):
            raise QgsProcessingException(self._misplaced(layer, crs))

    def _misplaced(self, layer, crs) -> str:
        box = layer.extent()
        return self.tr(
            "The delivery {name} declares the CRS {crs}, but its coordinates x {xmin:.0f}–{xmax:.0f}, "
            "y {ymin:.0f}–{ymax:.0f} cannot lie in it. Nothing was imported; check the delivery's CRS (its .prj)."
        ).format(name=_delivery_name(layer), crs=crs.authid() or crs.description(),
                 xmin=box.xMinimum(), xmax=box.xMaximum(), ymin=box.yMinimum(), ymax=box.yMaximum())

    def _crs_of_undeclared(self, parameters, context, layer, existing_epsg, feedback):
        """The CRS of a delivery that declares none: SOURCE_CRS, or the workspace's when the numbers fit it.

        Coordinates are checked against the CRS they are read in: eastings of
        zone 36 (36 xxx xxx m) are never read as zone 35 (refused naming the
        file and why), whether the CRS came from SOURCE_CRS or the workspace.
        """
        name = _delivery_name(layer)
        box = layer.extent()
        given = self.parameterAsCrs(parameters, self.SOURCE_CRS, context)
        if given.isValid():
            epsg = _epsg_code(given)
            reason = None if gk_zone_of_epsg(epsg) is None else unplaced_extent_reason(
                box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum(), epsg)
            if reason is not None:
                raise QgsProcessingException(self.tr(
                    "The delivery {name} declares no CRS and its coordinates do not fit SOURCE_CRS {crs}: {reason}."
                ).format(name=name, crs=given.authid(), reason=render(reason)))
            return given
        if existing_epsg is None:
            raise QgsProcessingException(self.tr(
                "The delivery {name} declares no CRS; give it in SOURCE_CRS (e.g. EPSG:4490)."
            ).format(name=name))
        reason = unplaced_extent_reason(box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum(), existing_epsg)
        if reason is not None:
            raise QgsProcessingException(self.tr(
                "The delivery {name} declares no CRS (no .prj) and cannot be read in the workspace's CRS "
                "EPSG:{epsg}: {reason}. Nothing was imported; give the delivery's CRS in SOURCE_CRS."
            ).format(name=name, epsg=existing_epsg, reason=render(reason)))
        feedback.pushWarning(self.tr(
            "The delivery {name} declares no CRS; its coordinates lie in the workspace's zone, so they are read "
            "as EPSG:{epsg}.").format(name=name, epsg=existing_epsg))
        return QgsCoordinateReferenceSystem(f"EPSG:{existing_epsg}")

    def _workspace_epsg(self, parameters, context, layer, source_crs, existing_epsg=None, feedback=None) -> int:
        """The CRS to transform the delivery into: an existing workspace's own, else WORKSPACE_CRS or the detected zone."""
        chosen = self.parameterAsCrs(parameters, self.WORKSPACE_CRS, context)
        if existing_epsg is not None:
            if chosen.isValid() and int(chosen.postgisSrid()) != existing_epsg and feedback is not None:
                feedback.pushWarning(self.tr(
                    "The workspace exists in EPSG:{epsg}; WORKSPACE_CRS {crs} only applies to a new workspace and "
                    "is ignored. The delivery is transformed into EPSG:{epsg}.").format(
                        epsg=existing_epsg, crs=chosen.authid()))
            return existing_epsg
        if chosen.isValid():
            if chosen.isGeographic():
                raise QgsProcessingException(self.tr(
                    "WORKSPACE_CRS must be a projected CGCS2000 Gauss-Kruger CRS, not {crs}.").format(crs=chosen.authid()))
            return int(chosen.postgisSrid())
        try:
            return zone_epsg_of_extent(layer.extent(), source_crs)
        except QgsCsException:  # coordinates the declared CRS cannot place on the earth
            raise QgsProcessingException(self._misplaced(layer, source_crs)) from None

    def _kind_labels(self) -> dict[str, str]:
        """The problem kinds (domain/intake/patches.PROBLEM_KINDS) as the log and the report name them."""
        return {"repaired": self.tr("repaired"), "rejected": self.tr("rejected"),
                "duplicate": self.tr("duplicate"), "reissued": self.tr("re-issued"), "warning": self.tr("warning")}

    def _write_report(self, parameters, context, result):
        fields = QgsFields()
        for name, kind in ((ID_FIELD, QVariant.String), ("XH", QVariant.Int), ("WTLX", QVariant.String),
                           ("YY", QVariant.String)):
            fields.append(QgsField(name, kind))
        sink, dest = self.parameterAsSink(parameters, self.REPORT, context, fields, QgsWkbTypes.NoGeometry)
        if sink is None:
            return None
        kinds = self._kind_labels()
        for problem in result.problems:
            feature = QgsFeature(fields)
            feature.setAttributes([problem.jcbh, problem.index, kinds[problem.kind], render(problem.message)])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        return dest


def _delivery_name(layer) -> str:
    """The delivery's file name as the user knows it (the layer name when it has no file)."""
    path = layer_path(layer)
    return path.name if path is not None else layer.name()


def _epsg_code(crs) -> int:
    """The EPSG number of ``crs``; 0 for a CRS with no EPSG code."""
    return int(crs.postgisSrid()) if crs.authid().upper().startswith("EPSG:") else 0
