"""wpzf:createworkspace — 新建工作空间: an empty GeoPackage workspace in a chosen GK zone."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
)

from ...adapters.workspace_style import install_default_style
from ...domain.crs import gk_epsg_for_longitude
from ...domain.messages import WpzfError
from ...domain.rules import available_rulesets
from ...domain.workspace.judgement import DEFAULT_RULESET, set_workspace_ruleset
from ...domain.workspace.store import Workspace
from .base import WpzfAlgorithm


class CreateWorkspaceAlgorithm(WpzfAlgorithm):
    """Create an empty workspace (GeoPackage + evidence/ folder) in a CGCS2000 Gauss-Kruger CRS."""

    NAME = "createworkspace"
    GROUP = "workspace"

    WORKSPACE, CRS, RULESET = "WORKSPACE", "CRS", "RULESET"
    DEFAULT_CRS = "EPSG:4523"
    """Yongchuan's zone (CGCS2000 3° GK zone 35, CM 105°E): what a run without CRS gets."""

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Create workspace")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Creates an empty WPZF workspace: a GeoPackage with the patch layer, audit and stage-lock "
            "triggers, plus an evidence/ folder beside it. The CRS must be a CGCS2000 Gauss-Kruger zone "
            "(Yongchuan: EPSG:4523). An existing file is never overwritten.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFileDestination(
            self.WORKSPACE, self.tr("Workspace (.gpkg)"), self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterCrs(self.CRS, self.tr("Workspace CRS"), self.DEFAULT_CRS))
        names = list(available_rulesets())
        self.addParameter(QgsProcessingParameterEnum(
            self.RULESET, self.tr("Rule set"), names, defaultValue=names.index(DEFAULT_RULESET)
            if DEFAULT_RULESET in names else 0))
        # the file destination parameter registers the WORKSPACE output itself: a second addOutput
        # made QGIS log "Duplicate output WORKSPACE registered"

    def _with_default_crs(self, parameters):
        """``parameters`` with the declared default CRS when none is given.

        QGIS 3.22 checks a missing non-optional CRS value without looking at
        the default, so a run without CRS failed although the dialog and
        help promise EPSG:4523.
        """
        value = parameters.get(self.CRS)
        if value is None or value == "":
            return {**parameters, self.CRS: self.DEFAULT_CRS}
        return parameters

    def checkParameterValues(self, parameters, context):  # noqa: N802
        return super().checkParameterValues(self._with_default_crs(parameters), context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        parameters = self._with_default_crs(parameters)
        path = Path(self.parameterAsFileOutput(parameters, self.WORKSPACE, context))
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        epsg = crs.postgisSrid()
        if not crs.isValid() or crs.isGeographic() or not str(crs.authid()).startswith("EPSG:") \
                or not (4491 <= epsg <= 4554):
            raise QgsProcessingException(self.tr(
                "The workspace CRS must be a CGCS2000 Gauss-Kruger zone (EPSG:4491–4554), not {crs}; "
                "for this area use EPSG:{suggested}.").format(
                    crs=crs.authid() or crs.description(), suggested=self._suggest(crs)))
        names = list(available_rulesets())
        ruleset = names[self.parameterAsEnum(parameters, self.RULESET, context)] if names else DEFAULT_RULESET
        try:
            with Workspace.create(path, epsg) as ws:
                set_workspace_ruleset(ws, ruleset)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        problem = install_default_style(path)
        if problem:
            feedback.pushWarning(self.tr("Chinese field aliases could not be stored: {problem}").format(problem=problem))
        feedback.pushInfo(self.tr("Workspace {path} created in EPSG:{epsg} with rule set {ruleset}.").format(
            path=path, epsg=epsg, ruleset=ruleset))
        return {self.WORKSPACE: str(path)}

    @staticmethod
    def _suggest(crs) -> int:
        try:
            return gk_epsg_for_longitude(crs.bounds().center().x())
        except Exception:  # noqa: BLE001 - only a hint
            return 4523
