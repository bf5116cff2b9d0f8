"""wpzf:exportdossier — 导出卷宗: one PDF dossier per patch (<JCBH>_卷宗.pdf) and the index workbook.

The work plan: "充分收集相关审批、备案和现场照片等佐证资料，组卷归档" (合法), "依法立案查处 …
建立案件卷宗" (违法), and for 市级验收 "确保核查文件资料、图片影像等真实准确，档案卷宗资料规范齐全".
Each dossier's pages come from ``domain/casefile/dossier.py``, its layouts from
``printing/dossier_layout.py`` and ``printing/patch_layout.py`` (the patch map).
Every evidence file is re-hashed while printing, so the dossier says whether
each photo is the file that was recorded.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsProject,
)

from ... import plugin_settings
from ...adapters.workspaces import open_workspace, workspace_patch_layer
from ...domain.casefile import crs_note, safe_file_name
from ...domain.casefile.content import DossierContent, EvidenceFile, load_contents
from ...domain.casefile.dossier import PrintContext, plan_dossier
from ...domain.casefile.dossier_index import INDEX_NAME, index_rows, latest_dossiers, record_export, write_index
from ...domain.evidence.paths import EvidencePathError
from ...domain.evidence.store import file_sha256, resolve
from ...domain.messages import WpzfError
from ...domain.output_files import made_folder
from ...domain.workspace.interface import WorkspaceStore
from ...domain.workspace.patch_fields import ID_FIELD
from ...domain.workspace.store import Workspace
from ...i18n import error_text
from ...printing.dossier_layout import build_pages, export_chain, new_dossier_layout, number_map_pages, split_at_map
from ...printing.export import PrintFailed
from ...printing.map_layers import boundary_point_layer, patch_style
from ...printing.page_frame import PageFrame
from ...printing.patch_facts import AdminNames, patch_shape
from ...printing.patch_layout import PatchMap, build_patch_layout, new_layout
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm

GEOGRAPHIC_EPSG = 4490
"""Photo positions (EXIF) are CGCS2000 longitude/latitude."""
SAME, DIFFERENT, ABSENT = "一致", "不符", "文件缺失"


class _Evidence:
    """The run's evidence files: where each lies (a server's are written to a temporary folder) and its check."""

    def __init__(self, ws: WorkspaceStore, temp: Path) -> None:
        self.ws = ws
        self.temp = temp
        self.paths: dict[int, Path | None] = {}
        self.checks: dict[int, str] = {}

    def check(self, evidence: EvidenceFile) -> None:
        path, digest = self._locate(evidence)
        self.paths[evidence.id] = path if evidence.is_photo else None
        self.checks[evidence.id] = ABSENT if digest is None else (SAME if digest == evidence.sha256 else DIFFERENT)

    def _locate(self, evidence: EvidenceFile) -> tuple[Path | None, str | None]:
        if isinstance(self.ws, Workspace):
            try:
                path = resolve(self.ws, evidence.relative_path)
                return path, file_sha256(path, stored=True)[0]
            except (OSError, EvidencePathError):
                return None, None
        from ...domain.casework.shared_evidence import evidence_content
        from ...domain.workspace.postgis.store import PgWorkspace

        if not isinstance(self.ws, PgWorkspace):
            return None, None
        try:
            content = evidence_content(self.ws, evidence.sha256)
        except WpzfError:
            return None, None
        path = self.temp / f"{evidence.id}_{safe_file_name(evidence.name, extension='')}"
        path.write_bytes(content)
        return path, hashlib.sha256(content).hexdigest()


class ExportDossierAlgorithm(WpzfAlgorithm):
    """Prints each chosen patch's 卷宗 and records it in wpzf_dossier; writes 卷宗目录.xlsx."""

    NAME = "exportdossier"
    GROUP = "casefile"
    BUILDS_LAYOUTS = True
    WORKSPACE, BATCH, EXPRESSION, OUTPUT_FOLDER = "WORKSPACE", "BATCH", "EXPRESSION", "OUTPUT_FOLDER"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Export case dossiers")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Exports one PDF dossier (卷宗) per patch, named <JCBH>_卷宗.pdf: cover (title, JCBH, town and village, "
            "decision, dates, filed by), contents list (卷内目录) with the page numbers of every document, the "
            "legality decision with the review chain's signatures, the patch map, the approvals cited (document "
            "numbers, coverage shares), the field visits with their photos (two per page: time, position, distance "
            "to the patch, SHA-256 checked against the file), referrals and case stages, rectification before and "
            "after, and the notes page (备考表). A missing item is listed on the contents list, never left out. "
            "Each export is recorded in the workspace (wpzf_dossier), and 卷宗目录.xlsx lists every patch's latest "
            "dossier. Patches: the workspace's, narrowed by BATCH and EXPRESSION (split patches: their 地块).")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterString(self.BATCH, self.tr("Batch (empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterExpression(self.EXPRESSION, self.tr("Filter expression"),
                                                           optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Dossier folder")))
        self.addOutput(QgsProcessingOutputNumber("EXPORTED", self.tr("Dossiers exported")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Pages printed")))
        self.addOutput(QgsProcessingOutputNumber("MISSING", self.tr("Missing items listed")))
        self.addOutput(QgsProcessingOutputString("FAILED", self.tr("Patches that failed, with the reason")))
        self.addOutput(QgsProcessingOutputFile("INDEX", self.tr("Index workbook")))

    # -- inputs ------------------------------------------------------------
    def _features(self, ws: WorkspaceStore, text: str, batch: str | None, expression: str, context):
        """fid → patch feature (in the workspace CRS) of the batch, narrowed by the expression."""
        layer = workspace_patch_layer(text, ws.epsg)
        if not layer.isValid():
            raise QgsProcessingException(self.tr("Cannot open the patch layer of {path}.").format(path=text))
        context.temporaryLayerStore().addMapLayer(layer)
        filters = []
        if batch:
            found = ws.batch(batch)
            if found is None:
                raise QgsProcessingException(self.tr("The workspace has no batch {batch}.").format(batch=batch))
            filters.append(f'"batch_id" = {int(found.id)}')
        if expression:
            parsed = QgsExpression(expression)
            if parsed.hasParserError():
                raise QgsProcessingException(self.tr("EXPRESSION cannot be read: {error}").format(
                    error=parsed.parserErrorString()))
            filters.append(f"({expression})")
        request = QgsFeatureRequest()
        if filters:
            request.setFilterExpression(" AND ".join(filters))
            request.setExpressionContext(QgsExpressionContext(
                QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
        features = {int(f["fid"]) if layer.fields().lookupField("fid") >= 0 else f.id(): QgsFeature(f)
                    for f in layer.getFeatures(request)}
        return layer, features

    # -- one patch -----------------------------------------------------------
    def _distances(self, content: DossierContent, geometry: QgsGeometry, epsg: int) -> dict[int, float]:
        """Metres from each photo's position to the patch, for photos whose record holds none (0 inside)."""
        transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem(f"EPSG:{GEOGRAPHIC_EPSG}"),
                                           QgsCoordinateReferenceSystem(f"EPSG:{epsg}"), QgsProject.instance())
        found = {}
        for photo in content.photos:
            if photo.distance_m is None and photo.lon is not None and photo.lat is not None:
                point = transform.transform(QgsPointXY(photo.lon, photo.lat))
                found[photo.id] = geometry.distance(QgsGeometry.fromPointXY(point))
        return found

    def _map_layout(self, ws: WorkspaceStore, feature: QgsFeature, shown, content: DossierContent, admin, context):
        """The patch map (图斑核查图) the plugin prints, on its own layout; (layout, pages, what it draws)."""
        crs = QgsCoordinateReferenceSystem(f"EPSG:{ws.epsg}")
        frame = PageFrame.for_paper("A4")
        shape = patch_shape(feature, QgsGeometry(feature.geometry()), ws.epsg, ID_FIELD, content.fact.batch, admin,
                            frame.column)
        points = boundary_point_layer(shape.points, crs, len(shape.points) <= 80)
        patch = PatchMap(facts=shape.facts, points=shape.points, centre=shape.centre, denominator=shape.denominator,
                         crs=crs, after_layers=[points, shown], before_layers=[shown], legend_layers=[points, shown],
                         office=plugin_settings.office_name(), date=dt.date.today().isoformat(),
                         crs_note=crs_note(ws.epsg, crs.description()), keep_alive=[points])
        layout = new_layout(context.project(), "图斑核查图")
        return layout, build_patch_layout(layout, frame, patch), patch

    def _export_one(self, ws: WorkspaceStore, content: DossierContent, feature: QgsFeature, target: Path, run) -> int:
        """Print one dossier into ``target`` (via a temporary file) and record it; the number of pages."""
        evidence = _Evidence(ws, run["temp"])
        for item in content.evidence:
            evidence.check(item)
        map_layout, map_pages, patch = self._map_layout(ws, feature, run["shown"], content, run["admin"],
                                                        run["context"])
        ctx = PrintContext(map_pages=map_pages, keeper=ws.user, filed_on=dt.date.today().isoformat(),
                           checks=evidence.checks, distances=self._distances(content, feature.geometry(), ws.epsg))
        plan = plan_dossier(content, ctx)
        before, after = split_at_map(plan)
        front = new_dossier_layout(run["context"].project(), "卷宗")
        back = new_dossier_layout(run["context"].project(), "卷宗")
        build_pages(front, before, plan, evidence.paths.get)
        build_pages(back, after, plan, evidence.paths.get)
        number_map_pages(map_layout, plan)
        partial = target.with_name(target.stem + ".part.pdf")
        try:
            export_chain([front, map_layout, back], partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        del patch  # the map's memory layers lived until the export
        record_export(ws, content.fid, target, file_sha256(target)[0], plan.page_count, ws.user)
        run["missing"] += len(plan.missing)
        return plan.page_count

    # -- run ---------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, self.WORKSPACE, context)
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        # the text as given: parameterAsExpression answers '' for an expression it cannot parse, which would
        # silently export every patch instead of refusing the typo
        expression = self.parameterAsString(parameters, self.EXPRESSION, context).strip()
        folder = Path(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context))
        try:
            made_folder(folder)
            with open_workspace(text) as ws, tempfile.TemporaryDirectory(prefix="wpzf_dossier_") as temp:
                return self._run(ws, text, batch, expression, folder, Path(temp), context, feedback)
        except WpzfError as exc:
            raise self.fail(exc) from exc

    def _cover_names(self, ws: WorkspaceStore) -> dict[str, str]:
        try:
            return {code: kind.name for code, kind in open_ruleset(ws, None).cover_kinds.items()}
        except WpzfError:
            return {}

    def _run(self, ws, text, batch, expression, folder: Path, temp: Path, context, feedback) -> dict:
        layer, features = self._features(ws, text, batch, expression, context)
        contents = load_contents(ws, batch, features, self._cover_names(ws))
        admin = AdminNames(None, None, QgsCoordinateReferenceSystem(f"EPSG:{ws.epsg}"))
        admin.use_workspace(ws)
        run = {"temp": temp, "shown": patch_style(layer, f'"{ID_FIELD}"'), "admin": admin, "context": context,
               "missing": 0}
        feedback.pushInfo(self.tr("{n} dossiers to export.").format(n=len(contents)))
        if len(features) > len(contents):  # a split patch is filed as its 地块 (核实后), never as the parent
            feedback.pushInfo(self.tr("{n} chosen patches are split into 地块: the 地块 are filed instead.").format(
                n=len(features) - len(contents)))
        taken: set[str] = set()
        exported, pages, failed = 0, 0, []
        for index, content in enumerate(contents):
            if feedback.isCanceled():
                break
            feedback.setProgress(100.0 * index / max(len(contents), 1))
            target = folder / safe_file_name(f"{content.jcbh}_卷宗", taken)
            try:
                pages += self._export_one(ws, content, features[content.fid], target, run)
                exported += 1
            except (PrintFailed, WpzfError, OSError) as exc:
                failed.append(f"{content.jcbh}: {error_text(exc)}")
                feedback.reportError(self.tr("Dossier of {jcbh} not exported: {error}").format(
                    jcbh=content.jcbh, error=error_text(exc)))
        try:
            index_path = write_index(folder / INDEX_NAME, index_rows(load_contents(ws), latest_dossiers(ws)))
        except WpzfError as exc:  # the dossiers are written; the index could not be (a locked or full disk)
            raise self.fail(exc) from exc
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("{exported} dossiers exported ({pages} pages), {failed} failed.").format(
            exported=exported, pages=pages, failed=len(failed)))
        return {"EXPORTED": exported, "PAGES": pages, "MISSING": run["missing"], "FAILED": failed,
                "INDEX": str(index_path), self.OUTPUT_FOLDER: str(folder)}
