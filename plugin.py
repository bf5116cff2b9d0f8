"""The QGIS plugin object: menu, toolbar and the Processing provider.

QGIS desktop calls ``initGui()``; ``qgis_process`` calls only
``initProcessing()``. Nothing here touches the GUI before ``initGui()``.
"""
from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication

from .i18n import install_translator, remove_translator
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
        install_translator()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("WpzfPlugin", text)

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API
        if self.provider is None:
            self.provider = WpzfProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)
        register_functions()  # expression functions of the patch-map atlas layout

    def initGui(self) -> None:  # noqa: N802 - QGIS API
        self.initProcessing()
        from .ui.main_menu import MainMenu  # GUI only in the desktop

        self.gui = MainMenu(self.iface, self.MENU_OBJECT_NAME, self.TOOLBAR_OBJECT_NAME)

    def unload(self) -> None:
        if self.gui is not None:
            self.gui.remove()
            self.gui = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        unregister_functions()
        remove_translator()
