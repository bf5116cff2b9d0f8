"""Shared plumbing of WPZF algorithms: translation, icon, error reporting."""
from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ...domain.messages import QT_TRANSLATE_NOOP
from ...i18n import error_text
from ...resources_path import icon_path

#: Toolbox groups: id → English label (translated in the context "WpzfAlgorithm").
GROUPS = {
    "workspace": QT_TRANSLATE_NOOP("WpzfAlgorithm", "Workspace"),
    "comparison": QT_TRANSLATE_NOOP("WpzfAlgorithm", "Office comparison"),
    "judgement": QT_TRANSLATE_NOOP("WpzfAlgorithm", "Legality judgement"),
    "reporting": QT_TRANSLATE_NOOP("WpzfAlgorithm", "Reporting and statistics"),
    "casefile": QT_TRANSLATE_NOOP("WpzfAlgorithm", "Case files"),
}


class WpzfAlgorithm(QgsProcessingAlgorithm):
    """Base of every WPZF algorithm.

    ``tr`` uses the concrete class name as the translation context, which is
    the context ``pylupdate5`` gives to ``self.tr(...)`` calls written in that
    class — so subclasses call ``self.tr`` only in their own methods.
    """

    NAME = ""  # algorithm id within the provider
    GROUP = ""  # key of GROUPS

    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def name(self) -> str:
        return self.NAME

    def group(self) -> str:
        return QCoreApplication.translate("WpzfAlgorithm", GROUPS[self.GROUP])

    def groupId(self) -> str:  # noqa: N802
        return self.GROUP

    def createInstance(self):  # noqa: N802
        return type(self)()

    def icon(self) -> QIcon:
        return QIcon(str(icon_path("wpzf.svg")))

    def add_workspace_parameters(self) -> None:
        """WORKSPACE, BATCH and RULESET: the trio every workspace-level algorithm starts with.

        WORKSPACE is a .gpkg file or a shared workspace ``postgres:<connection>[/<schema>]``.
        """
        from ..workspaces import workspace_parameter

        self.addParameter(workspace_parameter())
        self.addParameter(QgsProcessingParameterString(
            "BATCH", QCoreApplication.translate("WpzfAlgorithm", "Batch (empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "RULESET", QCoreApplication.translate("WpzfAlgorithm", "Rule set (empty: the workspace's)"), optional=True))

    def add_patch_parameters(self) -> None:
        """PATCHES and ID_FIELD: the patch layer every overlay algorithm starts with.

        ID_FIELD is optional with default JCBH: in QGIS 3.22 a required field
        parameter refuses a run that relies on its default.
        """
        self.addParameter(QgsProcessingParameterFeatureSource(
            "PATCHES", QCoreApplication.translate("WpzfAlgorithm", "Patches"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            "ID_FIELD", QCoreApplication.translate("WpzfAlgorithm", "Patch ID field"), "JCBH", "PATCHES",
            optional=True))

    def parameterAsSink(self, parameters, name, context, *args, **kwargs):  # noqa: N802
        """The sink of ``name``; one saved as .csv neutralises formula-like text (CSV injection)."""
        from ..csv_sink import wrap

        sink, destination = super().parameterAsSink(parameters, name, context, *args, **kwargs)
        return wrap(sink, destination), destination

    @staticmethod
    def date_or_today(value) -> dt.date:
        """A date parameter's value as ``datetime.date``; today when it was left empty."""
        when = value.date() if hasattr(value, "date") else value
        if when is None or not when.isValid():
            return dt.date.today()
        return dt.date(when.year(), when.month(), when.day())

    @staticmethod
    def fail(exc: BaseException) -> QgsProcessingException:
        """A Processing exception carrying the user's-language text of ``exc``."""
        return QgsProcessingException(error_text(exc))
