"""The QGIS plugin object: menu, toolbar and the Processing provider.

QGIS desktop calls ``initGui()``; ``qgis_process`` calls only
``initProcessing()``. Nothing here touches the GUI before ``initGui()``.
"""
from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject
from qgis.PyQt.QtCore import QCoreApplication

from .dependencies import SHAPELY, geos_mismatch, install_hint, missing
from .i18n import install_translator, remove_translator
from .missing_dependencies import log_text, rich_text
from .printing import atlas_points
from .printing.expressions import register_functions, unregister_functions
from .processing.provider import WpzfProvider


class WpzfPlugin:
    """Owns everything the plugin adds to QGIS and removes all of it on unload."""

    MENU_OBJECT_NAME = "wpzfMenu"
    TOOLBAR_OBJECT_NAME = "wpzfToolbar"

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider: WpzfProvider | None = None
        self.gui = None
        self.geos_text = ""
        install_translator()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("WpzfPlugin", text)

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API
        if self.provider is None:
            self.provider = WpzfProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)
            self.geos_text = self.geos_warning()  # logged for qgis_process too
            self.log_optional_missing()
        register_functions()  # expression functions of the patch-map atlas layout

    def initGui(self) -> None:  # noqa: N802 - QGIS API
        self.initProcessing()
        from .ui.main_menu import MainMenu  # GUI only in the desktop

        self.gui = MainMenu(self.iface, self.MENU_OBJECT_NAME, self.TOOLBAR_OBJECT_NAME)
        layouts = QgsProject.instance().layoutManager()  # atlas layouts refill their point table per patch
        atlas_points.attach_all(QgsProject.instance())
        layouts.layoutAdded.connect(self.layout_added)
        if self.geos_text:
            self.iface.messageBar().pushMessage(self.tr("WPZF"), rich_text(self.geos_text), Qgis.Warning, 0)

    def log_optional_missing(self) -> None:
        """Log each optional package that is absent with the command installing it (the feature says so too)."""
        for requirement in missing(optional=True):
            text = self.tr("Optional Python package {package} is not installed; install it with: {command}").format(
                package=requirement.pip, command=install_hint([requirement]))
            QgsMessageLog.logMessage(log_text(text), "WPZF", Qgis.Info)

    def geos_warning(self) -> str:
        """A warning when shapely and QGIS run on different GEOS versions (logged as well), else ''."""
        import shapely

        qgis_geos = (Qgis.geosVersionMajor(), Qgis.geosVersionMinor())
        if not geos_mismatch(shapely.geos_version, qgis_geos):
            return ""
        text = self.tr("shapely {version} runs on GEOS {ours}, QGIS on GEOS {qgis}: overlay areas may be wrong. "
                       "Install a shapely built on QGIS's GEOS, e.g. {hint}").format(
            version=shapely.__version__, ours=".".join(map(str, shapely.geos_version)),
            qgis=Qgis.geosVersion().split("-")[0], hint=install_hint([SHAPELY]))
        QgsMessageLog.logMessage(log_text(text), "WPZF", Qgis.Warning)
        return text

    def layout_added(self, name: str) -> None:
        """A layout opened with a project or duplicated in the designer: its point table follows the atlas."""
        atlas_points.attach(QgsProject.instance().layoutManager().layoutByName(name))

    def unload(self) -> None:
        if self.gui is not None:
            try:
                QgsProject.instance().layoutManager().layoutAdded.disconnect(self.layout_added)
            except TypeError:  # never connected
                pass
            atlas_points.detach_all(QgsProject.instance())
            self.gui.remove()
            self.gui = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        unregister_functions()
        remove_translator()
