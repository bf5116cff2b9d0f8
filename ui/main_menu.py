"""The 卫片执法 menu and toolbar and what their actions open."""
from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QFileDialog, QMenu

from ..adapters.form_config import add_evidence_relation
from ..adapters.workspace_style import ensure_form_config, install_default_style, patch_layer
from ..adapters.workspaces import open_workspace
from ..domain.workspace.store import Workspace
from ..i18n import error_text
from ..resources_path import icon_path
from .errors import log_exception
from .patch_list.navigation import find_patch_layer, patch_layer_name
from .print_maps import open_atlas_layout, print_patch_maps
from .workbench import Workbench

ACTION_ICONS = {
    "wpzfNewWorkspace": "new_workspace.svg",
    "wpzfOpenWorkspace": "open_workspace.svg",
    "wpzfOpenSharedWorkspace": "shared_workspace.svg",
    "wpzfImportPatches": "import_patches.svg",
    "wpzfPatchList": "patch_list.svg",
    "wpzfJudgeSelectedPatch": "judge.svg",
    "wpzfCompareImagery": "compare.svg",
    "wpzfPrintPatchMaps": "print_maps.svg",
    "wpzfOpenAtlasLayout": "atlas_layout.svg",
    "wpzfQualityCheck": "quality_check.svg",
    "wpzfSubmitStage": "submit_stage.svg",
    "wpzfImportFeedback": "import_feedback.svg",
    "wpzfSetStage": "set_stage.svg",
    "wpzfTownStatistics": "town_statistics.svg",
    "wpzfExportReport": "export_report.svg",
    "wpzfSample": "sample.svg",
}
"""Each action's own icon (icons/, drawn on a 24 px grid so they stay readable at 16 and 24 px)."""


def action_icon(object_name: str) -> QIcon:
    """The icon of the action named ``object_name`` (the plugin's icon for an action without one)."""
    return QIcon(str(icon_path(ACTION_ICONS.get(object_name, "wpzf.svg"))))


class MainMenu:
    """Builds the menu and toolbar; :meth:`remove` takes every piece away again."""

    def __init__(self, iface, menu_name: str, toolbar_name: str) -> None:
        self.iface = iface
        main_window = iface.mainWindow()
        self.menu = QMenu(self.tr("WPZF Land Enforcement"), main_window)
        self.menu.setObjectName(menu_name)
        self.toolbar = iface.addToolBar(self.tr("WPZF Land Enforcement"))
        self.toolbar.setObjectName(toolbar_name)
        self.actions: list[QAction] = []
        self._add(self.tr("New workspace…"), self.new_workspace, "wpzfNewWorkspace")
        self._add(self.tr("Open workspace…"), self.open_workspace, "wpzfOpenWorkspace")
        self._add_to_menu(self.tr("Open shared workspace…"), self.open_shared_workspace, "wpzfOpenSharedWorkspace")
        self._add(self.tr("Import delivered patches…"), self.import_patches, "wpzfImportPatches")
        self.workbench = Workbench(iface)
        self._add(self.tr("Patch list"), self.workbench.show_patch_list, "wpzfPatchList")
        self._add(self.tr("Judge selected patch…"), self.judge_selected_patch, "wpzfJudgeSelectedPatch")
        self._add(self.tr("Compare imagery"), self.workbench.show_compare, "wpzfCompareImagery")
        self._add(self.tr("Print patch maps…"), lambda: print_patch_maps(self.iface), "wpzfPrintPatchMaps")
        self._add(self.tr("Open patch-map layout in designer…"), lambda: open_atlas_layout(self.iface),
                  "wpzfOpenAtlasLayout")
        self.menu.addSeparator()
        for text, algorithm, name, per_batch in (
                (self.tr("Quality check…"), "wpzf:qualitycheck", "wpzfQualityCheck", True),
                (self.tr("Submit stage (一上 / 二上)…"), "wpzf:submitstage", "wpzfSubmitStage", True),
                (self.tr("Import the city's problem list (一下)…"), "wpzf:importfeedback", "wpzfImportFeedback", True),
                (self.tr("Lock, return or unlock a batch…"), "wpzf:setstage", "wpzfSetStage", True),
                (self.tr("Town statistics…"), "wpzf:townstatistics", "wpzfTownStatistics", False),
                (self.tr("Export report workbook…"), "wpzf:exportreport", "wpzfExportReport", False),
                (self.tr("Spot-check sample…"), "wpzf:sample", "wpzfSample", False)):
            self._add_to_menu(text, lambda checked=False, a=algorithm, b=per_batch: self.run_on_workspace(a, b), name)
        menu_bar = main_window.menuBar()
        menu_bar.insertMenu(iface.firstRightStandardMenu().menuAction(), self.menu)

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("MainMenu", text)

    def _add(self, text: str, slot, object_name: str) -> QAction:
        action = QAction(action_icon(object_name), text, self.iface.mainWindow())
        action.setObjectName(object_name)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def _add_to_menu(self, text: str, slot, object_name: str) -> QAction:
        """A menu-only action (reporting steps are monthly, not toolbar work)."""
        action = QAction(action_icon(object_name), text, self.iface.mainWindow())
        action.setObjectName(object_name)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.actions.append(action)
        return action

    def run_on_workspace(self, algorithm: str, per_batch: bool = False) -> None:
        """Open ``algorithm``'s dialog with the open workspace (and, per batch, the latest batch) filled in."""
        from qgis import processing

        params = {}
        workspace = getattr(self.workbench, "workspace", None)
        if workspace:
            params["WORKSPACE"] = str(workspace)
        if workspace and per_batch:
            try:
                with Workspace.open(workspace) as ws:
                    batches = ws.batches()
                if batches:  # the latest batch is the one being reported
                    params["BATCH"] = batches[-1].name
            except Exception as exc:  # noqa: BLE001 - the dialog reports a bad workspace itself
                log_exception(exc, f"Reading the batches of {workspace} for {algorithm}", Qgis.Info)
        if workspace and algorithm == "wpzf:exportreport":
            params.update(self._export_defaults(workspace))
        processing.execAlgorithmDialog(algorithm, params)

    @staticmethod
    def _export_defaults(workspace) -> dict:
        """PERIOD = the year of the latest batch, OUTPUT = 卫片执法报表_<PERIOD>.xlsx beside a GeoPackage workspace."""
        from ..processing.algorithms.export_report import default_report_path

        period = ""
        try:
            with open_workspace(str(workspace)) as ws:
                batches = ws.batches()
            if batches and batches[-1].received:
                period = str(batches[-1].received)[:4]
        except Exception as exc:  # noqa: BLE001 - the dialog reports a bad workspace itself
            log_exception(exc, f"Reading the report period of {workspace}", Qgis.Info)
        out = {"PERIOD": period} if period else {}
        target = default_report_path(workspace, period)
        if target is not None:
            out["OUTPUT"] = str(target)
        return out

    def remove(self) -> None:
        self.workbench.remove()
        for action in self.actions:
            self.menu.removeAction(action)
            self.toolbar.removeAction(action)
            action.deleteLater()
        self.actions.clear()
        self.menu.menuAction().setVisible(False)
        menu_bar = self.iface.mainWindow().menuBar()
        menu_bar.removeAction(self.menu.menuAction())
        self.menu.deleteLater()
        self.iface.mainWindow().removeToolBar(self.toolbar)
        self.toolbar.setParent(None)
        self.toolbar.deleteLater()

    # -- actions ---------------------------------------------------------
    def open_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.iface.mainWindow(), self.tr("Open WPZF workspace"), "", self.tr("GeoPackage (*.gpkg)"))
        if path:
            self.load_workspace(Path(path))

    def load_workspace(self, path: Path) -> QgsVectorLayer | None:
        """Open (and upgrade) a workspace and add its patch layer to the project."""
        try:
            with Workspace.open(path) as ws:
                styled = ws.conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'").fetchone() is not None
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing changed
            log_exception(exc, f"Opening workspace {path}")
            self.iface.messageBar().pushMessage(self.tr("WPZF"), error_text(exc), Qgis.Critical, 15)
            return None
        if not styled:  # a workspace made outside QGIS: give it the Chinese aliases once
            install_default_style(path)
        layer = find_patch_layer(path)
        if layer is None:  # opened again: the project keeps its one layer of this workspace
            layer = patch_layer(path)
            layer.setName(patch_layer_name(path))  # 监测图斑 (yongchuan2022): layers of two workspaces differ
            QgsProject.instance().addMapLayer(layer)
        ensure_form_config(layer, path)  # styled before the attribute form existed; stamps on a layer read back
        add_evidence_relation(QgsProject.instance(), layer, path)  # the form's 佐证资料 tab
        self.workbench.set_workspace(path)
        return layer

    def judge_selected_patch(self) -> None:
        """Open the decision form for the selected feature of the active workspace patch layer."""
        from ..domain.workspace.schema import PATCH_TABLE
        from .forms import open_patch_forms

        layer = self.iface.activeLayer()
        source = layer.source() if isinstance(layer, QgsVectorLayer) else ""
        path, _, options = source.partition("|")
        selected = layer.selectedFeatureIds() if isinstance(layer, QgsVectorLayer) else []
        workspace = path if f"layername={PATCH_TABLE}" in options else self._shared_workspace_of(layer)
        if workspace is None or len(selected) != 1:
            self.iface.messageBar().pushMessage(self.tr("WPZF"), self.tr(
                "Select one patch of a workspace's patch layer (监测图斑) first."), Qgis.Info, 8)
            return
        open_patch_forms(self.iface, workspace, selected[0])

    def _shared_workspace_of(self, layer) -> str | None:
        """The open shared workspace (``postgres:…``) when ``layer`` is its patch layer."""
        from .patch_list.navigation import find_patch_layer

        workspace = getattr(self.workbench, "workspace", None)
        if not isinstance(workspace, str) or layer is None:
            return None
        return workspace if find_patch_layer(workspace) is layer else None

    def open_shared_workspace(self) -> QgsVectorLayer | None:
        """A workspace on a QGIS PostgreSQL connection (ui/shared_workspace.py)."""
        from .shared_workspace import open_shared_workspace

        return open_shared_workspace(self.iface, self.workbench)

    def new_workspace(self) -> None:
        from qgis import processing

        result = processing.execAlgorithmDialog("wpzf:createworkspace", {})
        if result and result.get("WORKSPACE"):
            self.load_workspace(Path(result["WORKSPACE"]))

    def import_patches(self) -> QgsVectorLayer | None:
        """The import dialog on the open GeoPackage workspace; the imported workspace is then open in the project.

        A run that created a workspace adds its patch layer (once, named by the
        workspace); a run into the open workspace keeps its layer and refreshes
        the patch list (``load_workspace`` finds the layer already in the project).
        """
        from qgis import processing

        workspace = getattr(self.workbench, "workspace", None)
        params = {"WORKSPACE": str(workspace)} if isinstance(workspace, Path) else {}
        result = processing.execAlgorithmDialog("wpzf:importpatches", params)
        target = (result or {}).get("WORKSPACE")
        if not target or not Path(target).exists():
            return None
        return self.load_workspace(Path(target))
