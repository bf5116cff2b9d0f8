"""A stand-in plugin that tells the user which Python packages to install.

Loaded instead of WPZF when a required package is missing, so QGIS starts
without a traceback and the technician reads — in QGIS's language — every
missing package and the one command that installs them on this platform.
"""
from __future__ import annotations

import html

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication

from .dependencies import Platform, Requirement, detect_platform, install_hint
from .i18n import install_translator, remove_translator


def where_to_run(platform: Platform) -> str:
    """Where the install command is typed, in the user's language."""
    if platform.kind == "windows":
        return QCoreApplication.translate(
            "MissingDependenciesPlugin", "in the OSGeo4W Shell (Start menu → QGIS → OSGeo4W Shell)")
    return QCoreApplication.translate("MissingDependenciesPlugin", "in a terminal")


def rich_text(text: str) -> str:
    """``text`` for the message bar, which renders HTML (QGIS 3.22 and 3.40): ``<2.1`` must stay visible."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def log_text(text: str) -> str:
    """``text`` for QgsMessageLog: the log panel renders HTML too (it showed "shapely>=2," and lost the rest)."""
    return html.escape(text, quote=False)


class MissingDependenciesPlugin:
    """Loaded instead of WPZF when shapely 2, pyproj, openpyxl… are missing; says how to fix it."""

    def __init__(self, iface, requirements: list[Requirement], platform: Platform | None = None) -> None:
        self.iface = iface
        self.requirements = requirements
        self.platform = platform or detect_platform()
        install_translator()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("MissingDependenciesPlugin", text)

    def message(self) -> str:
        """Plain text naming every missing package and the command installing all of them."""
        return self.tr("WPZF needs these Python packages: {packages}. Install them {where} with:\n{command}\n"
                       "then restart QGIS.").format(
            packages=", ".join(r.pip for r in self.requirements), where=where_to_run(self.platform),
            command=install_hint(self.requirements, self.platform))

    def initProcessing(self) -> None:  # noqa: N802
        QgsMessageLog.logMessage(log_text(self.message()), "WPZF", Qgis.Critical)

    def initGui(self) -> None:  # noqa: N802
        self.initProcessing()
        if self.iface is not None:
            self.iface.messageBar().pushMessage(self.tr("WPZF"), rich_text(self.message()), Qgis.Critical, 0)

    def unload(self) -> None:
        remove_translator()
