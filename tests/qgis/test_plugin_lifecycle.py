"""The plugin loads and unloads cleanly in a QGIS interface, twice."""
from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QAction, QMenu, QToolBar


def _wpzf_widgets(main_window):
    menus = [m for m in main_window.findChildren(QMenu) if m.objectName() == "wpzfMenu"]
    toolbars = [t for t in main_window.findChildren(QToolBar) if t.objectName() == "wpzfToolbar"]
    actions = [a for a in main_window.findChildren(QAction) if a.objectName().startswith("wpzf")]
    menu_bar_entries = [a for a in main_window.menuBar().actions() if a.menu() and a.menu().objectName() == "wpzfMenu"]
    return menus, toolbars, actions, menu_bar_entries


def _flush():
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()


def test_load_unload_twice_leaves_nothing_behind(iface, qgis_processing):
    import wpzf

    registry = QgsApplication.processingRegistry()
    stale = registry.providerById("wpzf")
    if stale is not None:  # registered by other tests' fixture
        registry.removeProvider(stale)
    main_window = iface.mainWindow()
    for _ in range(2):
        plugin = wpzf.classFactory(iface)
        plugin.initGui()
        menus, toolbars, actions, entries = _wpzf_widgets(main_window)
        assert len(menus) == 1 and len(toolbars) == 1 and len(entries) == 1
        assert {a.objectName() for a in actions} >= {"wpzfOpenWorkspace", "wpzfImportPatches"}
        provider = registry.providerById("wpzf")
        assert provider is not None
        assert registry.algorithmById("wpzf:importpatches") is not None

        plugin.unload()
        _flush()
        assert _wpzf_widgets(main_window) == ([], [], [], [])
        assert registry.providerById("wpzf") is None


def test_processing_only_start_registers_provider_without_gui(qgis_processing):
    import wpzf

    registry = QgsApplication.processingRegistry()
    stale = registry.providerById("wpzf")
    if stale is not None:
        registry.removeProvider(stale)
    plugin = wpzf.classFactory(None)  # qgis_process passes no usable iface
    plugin.initProcessing()
    assert registry.algorithmById("wpzf:importpatches") is not None
    plugin.unload()
    assert registry.providerById("wpzf") is None


def test_zh_cn_translation_applies_to_menu(iface, qgis_processing):
    import wpzf
    from wpzf.i18n import install_translator

    plugin = wpzf.classFactory(iface)
    assert install_translator("zh_CN"), "i18n/wpzf_zh_CN.qm is missing: run make translations"
    plugin.initGui()
    try:
        menus, *_ = _wpzf_widgets(iface.mainWindow())
        assert menus[0].title() == "卫片执法"
        alg = QgsApplication.processingRegistry().algorithmById("wpzf:importpatches")
        assert alg.displayName() == "导入下发图斑"
    finally:
        plugin.unload()
        install_translator("en")
        _flush()


def test_open_workspace_adds_patch_layer_with_aliases_and_reports_bad_files(iface, qgis_processing, tmp_path):
    from qgis.core import QgsProject

    import wpzf
    from wpzf.domain.workspace.store import Workspace

    Workspace.create(tmp_path / "ws.gpkg", 4523).close()  # made outside QGIS: no style yet
    (tmp_path / "not-a-workspace.gpkg").write_bytes(b"junk")
    plugin = wpzf.classFactory(iface)
    plugin.initGui()
    try:
        layer = plugin.gui.load_workspace(tmp_path / "ws.gpkg")
        assert layer is not None and QgsProject.instance().mapLayer(layer.id()) is layer
        fields = layer.fields()
        assert fields.field(fields.lookupField("JCBH")).alias() == "监测编号"
        assert plugin.gui.load_workspace(tmp_path / "not-a-workspace.gpkg") is None
        QgsProject.instance().removeMapLayer(layer.id())
    finally:
        plugin.unload()
        _flush()


def test_shapely_on_another_geos_than_qgis_is_warned_about(iface, qgis_processing, monkeypatch):
    import shapely
    from qgis.core import Qgis

    import wpzf
    from wpzf.dependencies import geos_mismatch

    qgis_geos = (Qgis.geosVersionMajor(), Qgis.geosVersionMinor())
    assert not geos_mismatch(shapely.geos_version, qgis_geos), "this machine's shapely matches QGIS's GEOS"
    assert geos_mismatch((3, 13, 1), (3, 11)) and not geos_mismatch((3, 11, 4), (3, 11))
    pushed = []
    monkeypatch.setattr(iface.messageBar(), "pushMessage", lambda *args: pushed.append(args), raising=False)
    registry = QgsApplication.processingRegistry()
    other = (qgis_geos[0], qgis_geos[1] + 2, 1)  # 3.13 next to Debian 12's GEOS 3.11, 3.15 next to 3.40's 3.13
    for geos, expected in ((other, 1), (shapely.geos_version, 0)):
        stale = registry.providerById("wpzf")
        if stale is not None:
            registry.removeProvider(stale)
        monkeypatch.setattr(shapely, "geos_version", geos)
        plugin = wpzf.classFactory(iface)
        plugin.initGui()
        try:
            warnings = [p for p in pushed if "GEOS" in p[1]]
            assert len(warnings) == expected
            if expected:  # the message bar reads HTML: "<2.1" must survive rendering
                from qgis.PyQt.QtGui import QTextDocument

                page = QTextDocument()
                page.setHtml(warnings[0][1])
                from wpzf.dependencies import SHAPELY, install_hint

                # Debian 12: the pip line with "shapely>=2,<2.1"; Debian 13 (GEOS 3.13): apt's python3-shapely
                assert ".".join(map(str, other)) in page.toPlainText()
                assert install_hint([SHAPELY]) in page.toPlainText()
        finally:
            plugin.unload()
            _flush()
            pushed.clear()
