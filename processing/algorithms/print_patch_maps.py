"""wpzf:printpatchmaps — 打印图斑核查图: case-file maps, one PDF per patch or one combined PDF."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from ... import plugin_settings
from ...adapters.layer_io import zone_epsg_of_extent
from ...adapters.workspace_style import patch_layer
from ...adapters.workspaces import same_file, workspace_of_layer
from ...domain.casefile import crs_note, safe_file_name
from ...domain.messages import WpzfError
from ...domain.output_files import made_folder
from ...domain.workspace.patch_fields import ID_FIELD
from ...domain.workspace.store import Workspace
from ...printing.export import PatchSequence, PrintFailed, export_combined_pdf, export_pdf
from ...printing.map_layers import (
    basic_farmland_style,
    boundary_point_layer,
    cover_style,
    farmland_style,
    patch_style,
)
from ...printing.page_frame import PAPERS, PageFrame
from ...printing.patch_facts import AdminNames, patch_shape
from ...printing.patch_layout import PatchMap, build_patch_layout, new_layout
from ..overlay_io import require_field
from .base import WpzfAlgorithm

MAX_LABELLED_POINTS = 80  # more J-labels than this only clutter the map; the table still lists all


def batch_of(feature, names: dict[int, str]) -> str | None:
    """The patch's 批次: its workspace batch (batch_id → wpzf_batch.PCMC), else its own JCPC."""
    fields = feature.fields()
    if names and fields.lookupField("batch_id") >= 0:
        value = feature["batch_id"]
        if isinstance(value, (int, float)) and int(value) in names:
            return names[int(value)]
    if fields.lookupField("JCPC") >= 0:
        value = feature["JCPC"]
        if value not in (None, "") and str(value).upper() != "NULL":
            return str(value)
    return None


class PrintPatchMapsAlgorithm(WpzfAlgorithm):
    """Lays out and exports the case-file map of each chosen patch."""

    NAME = "printpatchmaps"
    GROUP = "casefile"
    BUILDS_LAYOUTS = True
    WORKSPACE, BATCH, PATCHES, ID_FIELD, EXPRESSION = "WORKSPACE", "BATCH", "PATCHES", "ID_FIELD", "EXPRESSION"
    BEFORE, AFTER, LANDUSE, BASIC_FARMLAND, APPROVALS = "BEFORE", "AFTER", "LANDUSE", "BASIC_FARMLAND", "APPROVALS"
    TOWNS, VILLAGES, PAPER, MODE, OFFICE = "TOWNS", "VILLAGES", "PAPER", "MODE", "OFFICE"
    OUTPUT_FOLDER, OUTPUT_PDF = "OUTPUT_FOLDER", "OUTPUT_PDF"
    MODES = ("per_patch", "combined")

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Print patch maps")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Prints the case-file map (图斑核查图) of each patch: after- and before-image maps at the same round "
            "scale with the patch boundary, its number and the overlays given (三调 farmland, permanent basic "
            "farmland, approval and supply boundaries), the patch's facts (town, village, image dates, areas in "
            "m² and 亩, decision and its basis, centre), the boundary-point table J1…Jn in the workspace's "
            "Gauss-Kruger CRS (X = northing, Y = easting; long tables continue on extra pages), north arrow, "
            "scale bar, legend, producing office, date and sign-off boxes. Patches come from PATCHES (use "
            "'Selected features only' for the selection) or from the workspace's batch, narrowed by EXPRESSION. "
            "One PDF per patch named by its number, or one combined PDF. A patch that fails is listed in FAILED "
            "and the others still print.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.WORKSPACE, self.tr("Workspace (.gpkg; empty: use PATCHES)"), behavior=QgsProcessingParameterFile.File,
            extension="gpkg", optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.BATCH, self.tr("Batch (empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PATCHES, self.tr("Patches (empty: the workspace's)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.add_id_field_parameter(self.PATCHES)
        self.addParameter(QgsProcessingParameterExpression(
            self.EXPRESSION, self.tr("Filter expression"), parentLayerParameterName=self.PATCHES, optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.BEFORE, self.tr("Before image (前时相)"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.AFTER, self.tr("After image (后时相)"), optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.LANDUSE, self.tr("Land use (三调 DLTB), farmland shown"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.BASIC_FARMLAND, self.tr("Permanent basic farmland"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.APPROVALS, self.tr("Approval and supply layers (NYDZY, TDGY, …)"), QgsProcessing.TypeVectorPolygon,
            optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.TOWNS, self.tr("Towns (XZQ: XZQDM, XZQMC)"), [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.VILLAGES, self.tr("Villages (CJDCQ: ZLDWMC)"), [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.PAPER, self.tr("Paper"), list(PAPERS), defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            self.MODE, self.tr("Output"), [self.tr("One PDF per patch"), self.tr("One combined PDF")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            self.OFFICE, self.tr("Producing office"), defaultValue=plugin_settings.office_name(), optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, self.tr("Folder for one PDF per patch"), optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PDF, self.tr("Combined PDF"), self.tr("PDF files (*.pdf)"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("PRINTED", self.tr("Patches printed")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Pages printed")))
        self.addOutput(QgsProcessingOutputString("FAILED", self.tr("Patches that failed, with the reason")))

    # -- inputs ------------------------------------------------------------
    def _patch_layer(self, parameters, context) -> QgsVectorLayer | None:
        """The layer behind PATCHES, also when it is given as 'selected features only' (a source definition)."""
        layer = self.parameterAsVectorLayer(parameters, self.PATCHES, context)
        value = parameters.get(self.PATCHES)
        if layer is None and isinstance(value, QgsProcessingFeatureSourceDefinition):
            text = value.source.valueAsString(context.expressionContext())
            text = text[0] if isinstance(text, tuple) else text
            found = QgsProcessingUtils.mapLayerFromString(str(text), context)
            layer = found if isinstance(found, QgsVectorLayer) else None
        return layer

    def _patches(self, parameters, context):
        """(source, display layer, CRS EPSG, workspace path, batch name or None, batch id, batch names by id).

        Selected patches of a workspace's own jctb layer are printed as the workspace path prints them: the
        workspace gives the CRS, the batch names and the stored towns, and the map shows the workspace's
        patch layer; the project layer's style never reaches the page.
        """
        workspace = self.parameterAsFile(parameters, self.WORKSPACE, context).strip()
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        source = self.parameterAsSource(parameters, self.PATCHES, context)
        if source is None and parameters.get(self.PATCHES) not in (None, ""):
            raise QgsProcessingException(self.invalidSourceError(parameters, self.PATCHES))
        layer = self._patch_layer(parameters, context) if source is not None else None
        of_layer = workspace_of_layer(layer)
        if not workspace and of_layer is not None:
            workspace = str(of_layer)
        display = layer
        epsg = None
        batch_id = None
        batch_names: dict[int, str] = {}
        if workspace:
            epsg, batch_names, batch_id = self._workspace_batches(workspace, batch)
            if source is None or (of_layer is not None and same_file(of_layer, workspace)):
                display = patch_layer(workspace)  # the same layer (and so the same map) on both paths
                if not display.isValid():
                    raise QgsProcessingException(self.tr("Cannot open the patch layer of {path}.").format(
                        path=workspace))
                context.temporaryLayerStore().addMapLayer(display)
                if source is None:
                    source = display
        if source is None:
            raise QgsProcessingException(self.tr("Give a WORKSPACE or a PATCHES layer."))
        if display is None:  # a source without a layer: draw its own features
            display = source.materialize(QgsFeatureRequest())
            context.temporaryLayerStore().addMapLayer(display)
        if epsg is None:
            epsg = zone_epsg_of_extent(source.sourceExtent(), source.sourceCrs())
        return source, display, epsg, workspace, batch, batch_id, batch_names

    def _workspace_batches(self, workspace: str, batch: str | None) -> tuple[int, dict[int, str], int | None]:
        """(CRS EPSG, batch names by id, id of ``batch`` or None) of the workspace; an unknown batch is refused."""
        try:
            with Workspace.open(Path(workspace)) as ws:
                names = {b.id: b.name for b in ws.batches()}
                found = ws.batch(batch) if batch else None
                if batch and found is None:
                    raise QgsProcessingException(self.tr("The workspace has no batch {batch}.").format(batch=batch))
                return ws.epsg, names, found.id if found else None
        except WpzfError as exc:
            raise self.fail(exc) from exc

    def _destination(self, parameters, context) -> tuple[bool, str, str]:
        """(one combined PDF?, folder, PDF path), refused when the chosen mode's destination is missing."""
        combined = self.MODES[self.parameterAsEnum(parameters, self.MODE, context)] == "combined"
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context)
        if combined and not pdf:
            raise QgsProcessingException(self.tr("Choose the combined PDF file (OUTPUT_PDF)."))
        if not combined and not folder:
            raise QgsProcessingException(self.tr("Choose the folder for the PDFs (OUTPUT_FOLDER)."))
        try:  # made now: a folder that cannot be is said before anything is drawn
            made_folder(Path(pdf).parent if combined else Path(folder))
        except WpzfError as exc:
            raise self.fail(exc) from exc
        return combined, folder, pdf

    def _print_each(self, layout, features, prepare, folder: Path, id_field: str, failed: list[str],
                    feedback) -> int:
        """One PDF per patch into ``folder`` (named by its ID, made unique); returns how many printed."""
        folder.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        printed = 0
        for index, feature in enumerate(features):
            if feedback.isCanceled():
                break
            if not prepare(index):
                continue
            label = str(feature[id_field]) if id_field else str(feature.id())
            try:
                export_pdf(layout, folder / safe_file_name(label, taken))
                printed += 1
            except PrintFailed as exc:
                failed.append(f"{label}: {exc}")
                feedback.reportError(self.tr("Patch {jcbh} not printed: {error}").format(jcbh=label, error=exc))
        return printed

    def _id_field(self, parameters, context, source, display) -> str:
        """The field that labels each patch and names its PDF; '' (feature ids) when the layer has none.

        The workspace's own patches are labelled by JCBH; another PATCHES
        layer by ID_FIELD, an error when it was named but is missing, the
        feature id when the default JCBH is missing.
        """
        workspace_patches = workspace_of_layer(display) is not None  # the map shows the workspace's jctb
        id_field = ID_FIELD if workspace_patches else self.patch_id_field(parameters, context)
        if source.fields().lookupField(id_field) >= 0:
            return id_field
        if not workspace_patches and parameters.get(self.ID_FIELD) not in (None, ""):
            require_field(source, id_field, self.ID_FIELD)
        return ""

    def _request(self, parameters, context, source, batch_id):
        request = QgsFeatureRequest()
        filters = []
        # the text as given: parameterAsExpression answers '' for an expression it cannot parse, which would
        # silently print every patch instead of refusing the typo
        expression = self.parameterAsString(parameters, self.EXPRESSION, context).strip()
        if expression:
            parsed = QgsExpression(expression)
            if parsed.hasParserError():
                raise QgsProcessingException(self.tr("EXPRESSION cannot be read: {error}").format(
                    error=parsed.parserErrorString()))
            filters.append(f"({expression})")
        if batch_id is not None and source.fields().lookupField("batch_id") >= 0:
            filters.append(f'"batch_id" = {int(batch_id)}')
        if filters:
            request.setFilterExpression(" AND ".join(filters))
            if isinstance(source, QgsVectorLayer):
                request.setExpressionContext(QgsExpressionContext(
                    QgsExpressionContextUtils.globalProjectLayerScopes(source)))
            else:
                request.setExpressionContext(self.createExpressionContext(parameters, context, source))
        return request

    def _overlays(self, parameters, context):
        overlays = []
        for index, layer in enumerate(self.parameterAsLayerList(parameters, self.APPROVALS, context)):
            overlays.append(cover_style(layer, index))
        basic = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        if basic is not None:
            overlays.append(basic_farmland_style(basic))
        landuse = self.parameterAsVectorLayer(parameters, self.LANDUSE, context)
        if landuse is not None:
            overlays.append(farmland_style(landuse))
        return overlays  # top first

    # -- run ---------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source, display, epsg, workspace, batch, batch_id, batch_names = self._patches(parameters, context)
        crs = QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
        combined, folder, pdf = self._destination(parameters, context)
        id_field = self._id_field(parameters, context, source, display)
        frame = PageFrame.for_paper(list(PAPERS)[self.parameterAsEnum(parameters, self.PAPER, context)])
        office = self.parameterAsString(parameters, self.OFFICE, context).strip()
        admin = AdminNames(self.parameterAsVectorLayer(parameters, self.TOWNS, context),
                           self.parameterAsVectorLayer(parameters, self.VILLAGES, context), crs)
        if workspace:  # the stored towns and villages (wpzf:importdivisions) win over the layers
            with Workspace.open(Path(workspace)) as ws:
                admin.use_workspace(ws)
        before = self.parameterAsRasterLayer(parameters, self.BEFORE, context)
        after = self.parameterAsRasterLayer(parameters, self.AFTER, context)
        overlays = self._overlays(parameters, context)
        patches_shown = patch_style(display, f'"{id_field}"' if id_field else "$id")

        transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
        features = [f for f in source.getFeatures(self._request(parameters, context, source, batch_id))]
        if not features:
            feedback.pushWarning(self.tr("No patch matches: nothing printed."))
            return {"PRINTED": 0, "PAGES": 0, "FAILED": [], self.OUTPUT_FOLDER: folder or None,
                    self.OUTPUT_PDF: None}
        feedback.pushInfo(self.tr("{n} patches to print in EPSG:{epsg}.").format(n=len(features), epsg=epsg))
        note = crs_note(epsg, crs.description())
        today = dt.date.today().isoformat()
        layout = new_layout(context.project(), "图斑核查图")
        failed: list[str] = []
        pages = [0]
        alive: list[PatchMap] = []  # the patch on the layout, with the memory layer its maps draw

        def prepare(index: int) -> bool:
            feature = features[index]
            feedback.setProgress(100.0 * index / len(features))
            label = str(feature[id_field]) if id_field else str(feature.id())
            try:
                geometry = QgsGeometry(feature.geometry())
                if geometry.isEmpty():
                    raise ValueError(self.tr("the patch has no geometry"))
                geometry.transform(transform)
                shape = patch_shape(feature, geometry, epsg, id_field or "fid", batch or batch_of(feature, batch_names),
                                    admin, frame.column)
                points = boundary_point_layer(shape.points, crs, len(shape.points) <= MAX_LABELLED_POINTS)
                shown = [patches_shown]
                patch = PatchMap(
                    facts=shape.facts, points=shape.points, centre=shape.centre, denominator=shape.denominator,
                    crs=crs, after_layers=[points, *shown, *overlays] + ([after] if after else []),
                    before_layers=shown + ([before] if before else []),
                    legend_layers=[points, *shown, *overlays], office=office, date=today, crs_note=note,
                    keep_alive=[points])
                alive[:] = [patch]
                pages[0] += build_patch_layout(layout, frame, patch)
                return True
            except Exception as exc:  # noqa: BLE001 - one patch's failure is reported, the rest print
                failed.append(f"{label}: {exc}")
                feedback.reportError(self.tr("Patch {jcbh} not printed: {error}").format(jcbh=label, error=exc))
                return False

        printed = 0
        if combined:
            sequence = PatchSequence(layout, len(features), prepare, feedback.isCanceled)
            try:
                export_combined_pdf(layout, Path(pdf), sequence)
            except PrintFailed as exc:
                raise QgsProcessingException(str(exc)) from exc
            printed = sequence.printed
        else:
            printed = self._print_each(layout, features, prepare, Path(folder), id_field, failed, feedback)
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("{printed} patches printed, {failed} failed.").format(
            printed=printed, failed=len(failed)))
        return {"PRINTED": printed, "PAGES": pages[0], "FAILED": failed,
                self.OUTPUT_FOLDER: None if combined else folder, self.OUTPUT_PDF: pdf if combined else None}
