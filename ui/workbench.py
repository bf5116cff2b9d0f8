"""The technician's workbench: the patch list dock and the compare view, on the open workspace.

The main menu creates one :class:`Workbench`, tells it which workspace was
opened and asks it to show the docks; :meth:`remove` takes everything away
on plugin unload.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication, Qt

from .. import plugin_settings
from ..adapters.workspaces import workspace_ref
from .compare.view import CompareDock
from .patch_list.dock import PatchListDock


class Workbench:
    """Holds the current workspace and the docks built on it (created on first use)."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.workspace: Path | str | None = None
        self.patch_list: PatchListDock | None = None
        self.compare: CompareDock | None = None

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("Workbench", text)

    def set_workspace(self, path: Path | str | None) -> None:
        """The workspace just opened (a .gpkg or ``postgres:…``): the docks show its patches from now on."""
        self.workspace = workspace_ref(path)
        if self.workspace is not None:
            plugin_settings.set_last_workspace(str(self.workspace))
        if self.patch_list is not None:
            self.patch_list.set_workspace(self.workspace)
        if self.compare is not None:
            self.compare.set_workspace(self.workspace)

    def show_patch_list(self) -> PatchListDock:
        if self.patch_list is None:
            dock = PatchListDock(self.iface)
            self.iface.addDockWidget(Qt.RightDockWidgetArea, dock)
            dock.patch_activated.connect(self._patch_activated)
            dock.table.doubleClicked.connect(lambda index: self.open_forms(dock.current_fid()))
            dock.set_workspace(self.workspace)
            self.patch_list = dock
        if self.workspace is None:
            self.iface.messageBar().pushMessage(
                self.tr("WPZF"), self.tr("Open a workspace to list its patches."), Qgis.Info, 5)
        self.patch_list.show()
        self.patch_list.raise_()
        return self.patch_list

    def show_compare(self) -> CompareDock:
        if self.compare is None:
            dock = CompareDock(self.iface)
            self.iface.addDockWidget(Qt.BottomDockWidgetArea, dock)
            dock.set_workspace(self.workspace)
            self.compare = dock
            current = self.patch_list.current_fid() if self.patch_list is not None else None
            if current is not None:
                self._patch_activated(current)
        self.compare.show()
        self.compare.raise_()
        return self.compare

    def open_forms(self, fid: int | None):
        """Double-click in the patch list: the patch's 合法性判定 form (GeoPackage or shared workspace)."""
        from .forms import open_patch_forms

        if fid is None or self.workspace is None:
            return None
        form = open_patch_forms(self.iface, self.workspace, fid)
        if form is not None and self.patch_list is not None:
            form.finished.connect(lambda *_: self.patch_list.reload())
        return form

    def _patch_activated(self, fid: int) -> None:
        if self.compare is None or self.patch_list is None:
            return
        found = self.patch_list.geometry_of(fid)
        if found is not None:
            self.compare.set_patch(fid, *found)

    def remove(self) -> None:
        """Take both docks, their map tool, highlights and connections away."""
        for dock in (self.patch_list, self.compare):
            if dock is None:
                continue
            dock.cleanup()
            remove = getattr(self.iface, "removeDockWidget", None)
            if remove is not None:
                remove(dock)
            dock.setParent(None)
            dock.deleteLater()
        self.patch_list = self.compare = None
