"""wpzf:exportfieldpackage — 导出外业包: a QField-ready folder for the chosen patches.

The folder holds ``wpzf_field.qgs`` + ``data.gpkg`` (built by
:mod:`...adapters.qfield_project`), ``navigation.kml``/``.gpx`` and
``manifest.json`` (:mod:`...domain.fieldwork.manifest`). It is written into a
temporary sibling folder and renamed into place at the end, so a failed or
canceled run leaves no half package; an existing non-empty folder is never
overwritten.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import uuid
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ...adapters.qfield_project import Extras, FieldProjectError, PackagePatch, build_field_project
from ...adapters.workspaces import open_workspace, patch_geometries, workspace_patch_layer
from ...domain.casework.state import ruleset_for
from ...domain.fieldwork.layout import GPX_FILE, KML_FILE, visit_results
from ...domain.fieldwork.manifest import Manifest, write_manifest
from ...domain.fieldwork.navigation import nav_patches, write_navigation
from ...domain.fieldwork.selection import PatchNow, batch_fids, duplicate_numbers, read_patches, workspace_identity
from ...domain.messages import WpzfError
from ...domain.output_files import cannot_write, made_folder
from ...domain.workspace.interface import WorkspaceStore
from ...domain.workspace.patch_fields import ID_FIELD
from .base import WpzfAlgorithm


class ExportFieldPackageAlgorithm(WpzfAlgorithm):
    """Writes the chosen patches as a QField project with navigation files and a manifest."""

    NAME = "exportfieldpackage"
    GROUP = "workspace"
    WORKSPACE, BATCH, EXPRESSION, PATCHES, IMAGERY, OVERLAYS, MARGIN, OUTPUT_FOLDER = (
        "WORKSPACE", "BATCH", "EXPRESSION", "PATCHES", "IMAGERY", "OVERLAYS", "MARGIN", "OUTPUT_FOLDER")

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Export field package (QField)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Writes a folder that QField opens as it is: wpzf_field.qgs with the chosen patches (jctb, office "
            "fields read-only) and a visit layer (wydc: time, surveyor, result from the rule set, notes, up to "
            "four photos under DCIM/), data.gpkg, navigation.kml and navigation.gpx with each patch's outline "
            "and centre, optional imagery and overlays clipped around the patches, and manifest.json (workspace "
            "identity, each patch's version at export, SHA-256 of every file). Patches: those of BATCH, "
            "narrowed by EXPRESSION on the workspace's patch layer or to the features of PATCHES (by JCBH). "
            "Bring the folder back with Import field package.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterString(
            self.BATCH, self.tr("Batch (empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterExpression(
            self.EXPRESSION, self.tr("Only patches matching this expression"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PATCHES, self.tr("Only these patches (by JCBH; e.g. the selected features)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.IMAGERY, self.tr("Imagery to clip into the package"), QgsProcessing.TypeRaster, optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.OVERLAYS, self.tr("Overlay layers to clip into the package"), QgsProcessing.TypeVectorAnyGeometry,
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.MARGIN, self.tr("Margin around the patches (m)"), QgsProcessingParameterNumber.Double, 200.0,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Package folder")))
        self.addOutput(QgsProcessingOutputNumber("PATCH_COUNT", self.tr("Patches in the package")))
        self.addOutput(QgsProcessingOutputString("PACKAGE_ID", self.tr("Package id")))

    def _chosen(self, parameters, context, ws: WorkspaceStore, text: str) -> list[int]:
        """fids of BATCH, narrowed by EXPRESSION and PATCHES."""
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        if batch and ws.batch(batch) is None:
            raise QgsProcessingException(self.tr("The workspace has no batch {batch}.").format(batch=batch))
        fids = batch_fids(ws, batch)
        expression = self.parameterAsExpression(parameters, self.EXPRESSION, context).strip()
        if expression:
            parsed = QgsExpression(expression)
            if parsed.hasParserError():
                raise QgsProcessingException(self.tr("EXPRESSION: {error}").format(error=parsed.parserErrorString()))
            layer = workspace_patch_layer(text, ws.epsg)
            request = QgsFeatureRequest(parsed).setNoAttributes().setFlags(QgsFeatureRequest.NoGeometry)
            matching = {self._fid(f) for f in layer.getFeatures(request)}
            fids = [f for f in fids if f in matching]
        source = self.parameterAsSource(parameters, self.PATCHES, context)
        if source is not None:
            index = source.fields().lookupField(ID_FIELD)
            if index < 0:
                raise QgsProcessingException(self.tr("PATCHES has no field {field}.").format(field=ID_FIELD))
            numbers = {str(f.attribute(index)) for f in source.getFeatures()}
            patches = read_patches(ws, fids)
            fids = [f for f in fids if patches[f].jcbh in numbers]
        return fids

    @staticmethod
    def _fid(feature) -> int:
        index = feature.fields().lookupField("fid")
        return int(feature.attribute(index)) if index >= 0 and feature.attribute(index) is not None else feature.id()

    def _patches(self, ws: WorkspaceStore, fids: list[int]) -> list[PatchNow]:
        if not fids:
            raise QgsProcessingException(self.tr("No patch matches BATCH, EXPRESSION and PATCHES: nothing to export."))
        patches = read_patches(ws, fids)
        duplicates = duplicate_numbers(patches.values())
        if duplicates:
            raise QgsProcessingException(self.tr(
                "Patches {numbers} were chosen from more than one batch; a package needs unique JCBH: choose "
                "one BATCH.").format(numbers=", ".join(duplicates)))
        return [patches[f] for f in fids]

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, self.WORKSPACE, context)
        folder = Path(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context))
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise QgsProcessingException(self.tr(
                "{folder} exists and is not empty; a field package is never written over other files.").format(
                    folder=folder))
        extras = Extras(self.parameterAsLayerList(parameters, self.IMAGERY, context),
                        self.parameterAsLayerList(parameters, self.OVERLAYS, context),
                        self.parameterAsDouble(parameters, self.MARGIN, context), feedback.pushInfo)
        try:
            with open_workspace(text) as ws:
                identity = workspace_identity(ws)
                patches = self._patches(ws, self._chosen(parameters, context, ws, text))
                results = visit_results(ruleset_for(ws))
                epsg, user = ws.epsg, ws.user
                batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.pushInfo(self.tr("{count} patches to export.").format(count=len(patches)))
        geometries = patch_geometries(workspace_patch_layer(text, epsg), [p.fid for p in patches])
        manifest = Manifest(uuid.uuid4().hex, identity, Path(text).stem, batch,
                            dt.datetime.now().astimezone().isoformat(timespec="seconds"), user,
                            tuple(p.at_export() for p in patches), tuple(results))
        feedback.setProgress(10)
        self._write(folder, patches, geometries, epsg, results, extras, manifest, feedback)
        return {self.OUTPUT_FOLDER: str(folder), "PATCH_COUNT": len(patches), "PACKAGE_ID": manifest.package_id}

    def _write(self, folder: Path, patches, geometries, epsg, results, extras, manifest, feedback) -> None:
        """Everything into a temporary sibling folder, renamed to ``folder`` once complete."""
        try:
            temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=made_folder(folder.parent)))
        except OSError as exc:  # (an OutputFileError already names the folder)
            raise self.fail(exc if isinstance(exc, WpzfError) else cannot_write(folder, exc)) from exc
        try:
            crs = QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
            shipped = [PackagePatch(geometries[p.fid], p.values) for p in patches if p.fid in geometries]
            build_field_project(temp, shipped, crs, results, extras, manifest.workspace_name)
            feedback.setProgress(70)
            if feedback.isCanceled():
                raise QgsProcessingException(self.tr("Canceled; no package was written."))
            items = [(p.jcbh, bytes(geometries[p.fid].asWkb()), f"{p.values.get('PDLX') or ''}")
                     for p in patches if p.fid in geometries]
            write_navigation(temp, nav_patches(items, epsg), manifest.workspace_name, KML_FILE, GPX_FILE)
            write_manifest(temp, manifest)
            feedback.setProgress(95)
            if folder.exists():
                folder.rmdir()
            temp.rename(folder)
        except FieldProjectError as exc:
            raise QgsProcessingException(str(exc)) from exc
        finally:
            if temp.exists():
                shutil.rmtree(temp, ignore_errors=True)
