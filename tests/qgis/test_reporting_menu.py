"""The reporting menu entries open their algorithm with the open workspace filled in."""
from __future__ import annotations

from reporting_district import build


def test_reporting_actions_prefill_workspace_and_latest_batch(iface, wpzf_processing, tmp_path, monkeypatch):
    from qgis import processing
    from qgis.PyQt.QtWidgets import QAction

    from wpzf.ui.main_menu import MainMenu

    opened = []
    monkeypatch.setattr(processing, "execAlgorithmDialog", lambda alg, params: opened.append((alg, params)))
    workspace = build(tmp_path / "ws.gpkg")
    menu = MainMenu(iface, "wpzfMenuTest", "wpzfToolbarTest")
    try:
        menu.workbench.set_workspace(workspace)
        actions = {a.objectName(): a for a in menu.actions}
        actions["wpzfSubmitStage"].trigger()
        actions["wpzfTownStatistics"].trigger()
        assert opened == [("wpzf:submitstage", {"WORKSPACE": str(workspace), "BATCH": "2022-05"}),
                          ("wpzf:townstatistics", {"WORKSPACE": str(workspace)})]
        assert all(isinstance(a, QAction) for a in actions.values())
        assert {"wpzfImportFeedback", "wpzfSetStage", "wpzfExportReport", "wpzfSample"} <= set(actions)
    finally:
        menu.remove()
