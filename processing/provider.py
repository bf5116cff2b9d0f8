"""The ``wpzf`` Processing provider: what the toolbox, models and qgis_process see."""
from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..resources_path import icon_path
from .algorithms.acceptance_check import AcceptanceCheckAlgorithm
from .algorithms.annual_summary import AnnualSummaryAlgorithm
from .algorithms.bulletin import BulletinAlgorithm
from .algorithms.create_workspace import CreateWorkspaceAlgorithm
from .algorithms.export_dossier import ExportDossierAlgorithm
from .algorithms.export_field_package import ExportFieldPackageAlgorithm
from .algorithms.export_report import ExportReportAlgorithm
from .algorithms.farmland_occupation import FarmlandOccupationAlgorithm
from .algorithms.imagery_change import ImageryChangeAlgorithm
from .algorithms.import_divisions import ImportDivisionsAlgorithm
from .algorithms.import_feedback import ImportFeedbackAlgorithm
from .algorithms.import_field_package import ImportFieldPackageAlgorithm
from .algorithms.import_patches import ImportPatchesAlgorithm
from .algorithms.import_photos import ImportPhotosAlgorithm
from .algorithms.migrate_workspace import MigrateWorkspaceAlgorithm
from .algorithms.overlay_summary import OverlaySummaryAlgorithm
from .algorithms.prejudge import PrejudgeAlgorithm
from .algorithms.print_patch_maps import PrintPatchMapsAlgorithm
from .algorithms.quality_check import QualityCheckAlgorithm
from .algorithms.review_patches import ReviewPatchesAlgorithm
from .algorithms.sample_patches import SamplePatchesAlgorithm
from .algorithms.set_stage import SetStageAlgorithm
from .algorithms.submit_stage import SubmitStageAlgorithm
from .algorithms.town_statistics import TownStatisticsAlgorithm

PROVIDER_ID = "wpzf"


class WpzfProvider(QgsProcessingProvider):
    """Registers every WPZF algorithm under the id ``wpzf``."""

    def id(self) -> str:  # noqa: A003 - QGIS API
        return PROVIDER_ID

    def name(self) -> str:
        return self.tr("Satellite patch enforcement (WPZF)")

    def longName(self) -> str:  # noqa: N802
        return self.name()

    def icon(self) -> QIcon:
        return QIcon(str(icon_path("wpzf.svg")))

    def loadAlgorithms(self) -> None:  # noqa: N802
        for algorithm in (CreateWorkspaceAlgorithm(), ImportPatchesAlgorithm(), ImportDivisionsAlgorithm(),
                          FarmlandOccupationAlgorithm(),
                          OverlaySummaryAlgorithm(), ImageryChangeAlgorithm(), PrejudgeAlgorithm(), QualityCheckAlgorithm(), ReviewPatchesAlgorithm(),
                          ImportPhotosAlgorithm(), PrintPatchMapsAlgorithm(), ExportDossierAlgorithm(),
                          AcceptanceCheckAlgorithm(),
                          SubmitStageAlgorithm(), SetStageAlgorithm(), ImportFeedbackAlgorithm(),
                          TownStatisticsAlgorithm(), ExportReportAlgorithm(), BulletinAlgorithm(),
                          AnnualSummaryAlgorithm(), SamplePatchesAlgorithm(),
                          MigrateWorkspaceAlgorithm(), ExportFieldPackageAlgorithm(),
                          ImportFieldPackageAlgorithm()):
            self.addAlgorithm(algorithm)

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("WpzfProvider", text)
