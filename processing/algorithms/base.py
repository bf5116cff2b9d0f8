"""Shared plumbing of WPZF algorithms: translation, icon, help link and tags, error reporting."""
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
from ...domain.overlay.landclass import CLASS_FIELD, DEDUCTION_FIELD, FARMLAND_CODES_TEXT, codes_from_text
from ...domain.workspace.patch_fields import ID_FIELD
from ...i18n import error_text
from ...resources_path import icon_path
from . import help as algorithm_help

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
    #: True for algorithms that build print layouts: a layout is a QGraphicsScene, created and rendered on
    #: the main thread (QGIS's own layout exports say the same with FlagNoThreading).
    BUILDS_LAYOUTS = False

    def flags(self):
        flags = super().flags()
        return flags | QgsProcessingAlgorithm.FlagNoThreading if self.BUILDS_LAYOUTS else flags

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

    def helpUrl(self) -> str:  # noqa: N802
        """The README section of this algorithm (see :mod:`.help` for why the homepage)."""
        return algorithm_help.help_url(self.NAME)

    def tags(self) -> list[str]:
        """English and Chinese keywords for the toolbox search (declared in :mod:`.help`)."""
        return algorithm_help.tags(self.NAME)

    def add_workspace_parameter(self) -> None:
        """WORKSPACE (a .gpkg file or ``postgres:<connection>[/<schema>]``), or CONNECTION + SCHEMA.

        CONNECTION and SCHEMA are QGIS's own choosers of a saved PostgreSQL
        connection and its schema; scripts and models may keep writing the
        WORKSPACE text. :meth:`parameterAsFile` turns either into one
        WORKSPACE text, so the algorithms read WORKSPACE only.
        """
        from ...adapters.workspaces import connection_parameters, workspace_parameter

        self.addParameter(workspace_parameter(optional=True))
        for parameter in connection_parameters():
            self.addParameter(parameter)

    def add_workspace_parameters(self) -> None:
        """WORKSPACE (or CONNECTION + SCHEMA), BATCH and RULESET: what every workspace-level algorithm starts with."""
        self.add_workspace_parameter()
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
        self.add_id_field_parameter()

    def add_id_field_parameter(self, patches: str = "PATCHES") -> None:
        """ID_FIELD, a field of the layer parameter ``patches``; optional, default JCBH (see above)."""
        self.addParameter(QgsProcessingParameterField(
            "ID_FIELD", QCoreApplication.translate("WpzfAlgorithm", "Patch ID field"), ID_FIELD, patches,
            optional=True))

    def patch_id_field(self, parameters, context) -> str:
        """The ID_FIELD chosen, JCBH when left empty."""
        return self.parameterAsString(parameters, "ID_FIELD", context) or ID_FIELD

    def add_landclass_parameters(self, landuse: str = "LANDUSE") -> None:
        """CLASS_FIELD, FARMLAND_CODES and DEDUCTION_FIELD of the land-use layer parameter ``landuse``.

        Declared once for every algorithm that overlays 三调 land use
        (wpzf:farmlandoccupation, wpzf:prejudge), so they read a land-use layer
        alike. The texts keep the translation context they were first
        translated in.
        """
        self.addParameter(QgsProcessingParameterField(
            "CLASS_FIELD", QCoreApplication.translate("FarmlandOccupationAlgorithm", "Land class code field"),
            CLASS_FIELD, landuse, optional=True))
        self.addParameter(QgsProcessingParameterString(
            "FARMLAND_CODES", QCoreApplication.translate("FarmlandOccupationAlgorithm", "Farmland class codes"),
            FARMLAND_CODES_TEXT))
        self.addParameter(QgsProcessingParameterField(
            "DEDUCTION_FIELD", QCoreApplication.translate(
                "FarmlandOccupationAlgorithm", "Deduction coefficient field (empty: no deduction)"),
            DEDUCTION_FIELD, landuse, optional=True))

    def landclass_parameters(self, parameters, context, landuse_layer) -> tuple[str, str, list[str]]:
        """(class field, deduction field or '', farmland codes) of :meth:`add_landclass_parameters`, checked.

        A field named but missing from ``landuse_layer`` is an error naming
        layer, field and parameter.
        """
        from ..overlay_io import require_field

        class_field = self.parameterAsString(parameters, "CLASS_FIELD", context) or CLASS_FIELD
        deduction = self.parameterAsString(parameters, "DEDUCTION_FIELD", context)
        require_field(landuse_layer, class_field, "CLASS_FIELD")
        require_field(landuse_layer, deduction, "DEDUCTION_FIELD")
        codes = codes_from_text(self.parameterAsString(parameters, "FARMLAND_CODES", context))
        return class_field, deduction, codes

    def _offers_connection(self) -> bool:
        """Whether this algorithm has WORKSPACE and CONNECTION/SCHEMA (:meth:`add_workspace_parameter`)."""
        return self.parameterDefinition("WORKSPACE") is not None and \
            self.parameterDefinition("CONNECTION") is not None

    def parameterAsFile(self, parameters, name, context) -> str:  # noqa: N802
        """A file parameter; WORKSPACE left empty with a CONNECTION given is ``postgres:<connection>/<schema>``."""
        text = super().parameterAsFile(parameters, name, context)
        if name != "WORKSPACE" or not self._offers_connection():
            return text
        from ...adapters.workspaces import workspace_from

        return workspace_from(text, self.parameterAsConnectionName(parameters, "CONNECTION", context),
                              self.parameterAsSchema(parameters, "SCHEMA", context))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """QGIS's checks, then: exactly one of WORKSPACE and CONNECTION names the workspace."""
        ok, message = super().checkParameterValues(parameters, context)
        if not ok or not self._offers_connection():
            return ok, message
        text = super().parameterAsFile(parameters, "WORKSPACE", context).strip()
        connection = (self.parameterAsConnectionName(parameters, "CONNECTION", context) or "").strip()
        if text and connection:
            return False, QCoreApplication.translate(
                "WpzfAlgorithm", "Give either WORKSPACE or CONNECTION (with SCHEMA), not both.")
        if not text and not connection:
            return False, QCoreApplication.translate(
                "WpzfAlgorithm", "Give the workspace: a .gpkg file or postgres:<connection>[/<schema>] as WORKSPACE, "
                "or a PostgreSQL CONNECTION and its SCHEMA.")
        return True, ""

    def source_or_fail(self, parameters, name, context):
        """The feature source of ``name``; QGIS's own "could not load source layer" error when unreadable."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def parameterAsSink(self, parameters, name, context, fields, *args, **kwargs):  # noqa: N802
        """The sink of ``name``; one saved as .csv neutralises formula-like text (CSV injection).

        A required output that cannot be created raises QGIS's own
        "could not create destination layer" error (an optional output left
        out gives None, as in QGIS). A temporary layer gets its aliases set
        on the layer (see :mod:`..memory_sink`).
        """
        from ..csv_sink import wrap
        from ..memory_sink import is_memory_destination, plain_fields, restore_aliases

        aliases: dict[str, str] = {}
        if is_memory_destination(parameters.get(name), context):
            fields, aliases = plain_fields(fields)
        sink, destination = super().parameterAsSink(parameters, name, context, fields, *args, **kwargs)
        if sink is not None and aliases:
            restore_aliases(destination, aliases, context)
        if sink is None:
            definition = self.parameterDefinition(name)
            if definition is not None and not definition.flags() & definition.FlagOptional:
                raise QgsProcessingException(self.invalidSinkError(parameters, name))
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
