"""wpzf:importdivisions — 导入镇街村界: the district's towns and villages, and every patch's town and village."""
from __future__ import annotations

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
)

from ...adapters.workspaces import open_workspace
from ...domain.messages import WpzfError
from ...domain.workspace.divisions import import_divisions
from ..division_io import read_divisions
from .base import WpzfAlgorithm

HELP_URL = "https://github.com/wpzf/wpzf-qgis#处理算法提供者-wpzf"
MAX_LISTED = 50
"""Unassigned JCBHs written to the log and the UNASSIGNED_JCBH output."""


class ImportDivisionsAlgorithm(WpzfAlgorithm):
    """Store town (XZQ) and village (CJDCQ) boundaries and place every patch by the largest share."""

    NAME = "importdivisions"
    GROUP = "workspace"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import town and village boundaries")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Stores the district's towns (三调 XZQ: XZQDM, XZQMC) and, optionally, villages (CJDCQ: ZLDWDM, "
            "ZLDWMC) in the workspace, replacing an earlier import as a whole, and gives every patch — of every "
            "batch, locked ones too — the town and the village holding the largest part of it (deliveries carry "
            "the county code in XZQDM). A patch whose XZQDM is itself one of the town codes keeps that town. "
            "Boundaries are reprojected to the workspace CRS and invalid ones repaired (counted in the log); an "
            "empty code is refused naming the feature. Patches outside every town are listed. Town statistics, "
            "the Excel report, the patch list and the patch maps then use these towns and their names; patches "
            "imported later are placed on import.")

    def tags(self) -> list[str]:
        return self.tr("town,village,boundary,XZQ,CJDCQ,镇街,村,行政区,乡镇,归属").split(",")

    def helpUrl(self) -> str:  # noqa: N802
        return HELP_URL

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterFeatureSource(
            "TOWNS", self.tr("Town boundaries (三调 XZQ)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_CODE", self.tr("Town code field"), "XZQDM", "TOWNS", optional=True))
        self.addParameter(QgsProcessingParameterField(
            "TOWN_NAME", self.tr("Town name field"), "XZQMC", "TOWNS", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "VILLAGES", self.tr("Village boundaries (CJDCQ, optional)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            "VILLAGE_CODE", self.tr("Village code field"), "ZLDWDM", "VILLAGES", optional=True))
        self.addParameter(QgsProcessingParameterField(
            "VILLAGE_NAME", self.tr("Village name field"), "ZLDWMC", "VILLAGES", optional=True))
        self.addOutput(QgsProcessingOutputNumber("TOWNS", self.tr("Towns stored")))
        self.addOutput(QgsProcessingOutputNumber("VILLAGES", self.tr("Villages stored")))
        self.addOutput(QgsProcessingOutputNumber("ASSIGNED", self.tr("Patches placed in a town")))
        self.addOutput(QgsProcessingOutputNumber("UNASSIGNED", self.tr("Patches outside every town")))
        self.addOutput(QgsProcessingOutputNumber("REPAIRED", self.tr("Boundaries repaired")))
        self.addOutput(QgsProcessingOutputString("UNASSIGNED_JCBH", self.tr("JCBH of patches outside every town")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, "WORKSPACE", context)
        check = context.invalidGeometryCheck()
        context.setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)  # invalid boundaries are repaired here
        try:
            towns_source = self.source_or_fail(parameters, "TOWNS", context)
            villages_source = self.source_or_fail(parameters, "VILLAGES", context) \
                if parameters.get("VILLAGES") else None
        finally:
            context.setInvalidGeometryCheck(check)
        town_fields = (self.parameterAsString(parameters, "TOWN_CODE", context) or "XZQDM",
                       self.parameterAsString(parameters, "TOWN_NAME", context) or "XZQMC")
        village_fields = (self.parameterAsString(parameters, "VILLAGE_CODE", context) or "ZLDWDM",
                          self.parameterAsString(parameters, "VILLAGE_NAME", context) or "ZLDWMC")
        try:
            with open_workspace(text) as ws:
                epsg = ws.epsg
                towns = read_divisions(towns_source, *town_fields, epsg, context.transformContext(),
                                       self.tr("towns (TOWNS)"), feedback, (0.0, 20.0))
                villages = read_divisions(villages_source, *village_fields, epsg, context.transformContext(),
                                          self.tr("villages (VILLAGES)"), feedback, (20.0, 40.0)) \
                    if villages_source is not None else None
                repaired = len(towns.repaired) + (len(villages.repaired) if villages else 0)
                if repaired:
                    feedback.pushWarning(self.tr(
                        "Repaired {count} invalid boundaries (feature ids: towns {towns}; villages {villages})."
                    ).format(count=repaired, towns=", ".join(map(str, towns.repaired)) or "-",
                             villages=", ".join(map(str, villages.repaired if villages else [])) or "-"))
                feedback.pushInfo(self.tr("Reprojected to the workspace CRS EPSG:{epsg}.").format(epsg=epsg))
                result = import_divisions(ws, towns.divisions, villages.divisions if villages else (),
                                          lambda f: feedback.setProgress(40.0 + 60.0 * f), feedback.isCanceled)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.pushInfo(self.tr(
            "Stored {towns} towns and {villages} villages; {assigned} patches placed ({by_code} by their own town "
            "code in XZQDM, the others by the largest share).").format(
            towns=result.towns, villages=result.villages, assigned=result.assigned, by_code=result.by_code))
        listed = ", ".join(result.unassigned[:MAX_LISTED]) + (" …" if len(result.unassigned) > MAX_LISTED else "")
        if result.unassigned:
            feedback.reportError(self.tr("{count} patches lie outside every town and have no town: {ids}").format(
                count=len(result.unassigned), ids=listed))
        return {"TOWNS": result.towns, "VILLAGES": result.villages, "ASSIGNED": result.assigned,
                "UNASSIGNED": len(result.unassigned), "REPAIRED": repaired, "UNASSIGNED_JCBH": listed}
