"""A stand-in plugin that tells the user which Python packages to install."""
from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication

from .dependencies import install_hint


class MissingDependenciesPlugin:
    """Loaded instead of WPZF when shapely 2 or pyproj is missing; says how to fix it."""

    def __init__(self, iface, requirements: list[str]) -> None:
        self.iface = iface
        self.requirements = requirements

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("MissingDependenciesPlugin", text)

    def message(self) -> str:
        return self.tr("WPZF needs these Python packages: {packages}. Install them with: {command}").format(
            packages=", ".join(self.requirements), command=install_hint(self.requirements))

    def initProcessing(self) -> None:  # noqa: N802
        QgsMessageLog.logMessage(self.message(), "WPZF", Qgis.Critical)

    def initGui(self) -> None:  # noqa: N802
        self.initProcessing()
        if self.iface is not None:
            self.iface.messageBar().pushMessage("WPZF", self.message(), Qgis.Critical, 0)

    def unload(self) -> None:
        pass
