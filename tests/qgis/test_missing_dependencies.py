"""Without shapely 2 (or openpyxl…) the plugin loads a stand-in that names every package to install.

Issue 15 item 4: the stand-in must name ALL missing packages, and the message bar showed
"shapely>=2," because "<2.1…" was read as an HTML tag.
"""
from __future__ import annotations

import pytest
from qgis.core import QgsSettings
from qgis.gui import QgsMessageBar, QgsMessageLogViewer
from qgis.PyQt.QtWidgets import QTabWidget, QTextBrowser

from wpzf.dependencies import Platform

DEBIAN12 = Platform("debian", externally_managed=True, qgis_geos=(3, 11))


@pytest.fixture()
def without(monkeypatch):
    """Make the named modules unimportable for the dependency check."""
    from wpzf import dependencies

    def hide(*names):
        real_import = dependencies.importlib.import_module

        def fake_import(name, *args):
            if name in names:
                raise ImportError(f"No module named {name!r}")
            return real_import(name, *args)

        monkeypatch.setattr(dependencies.importlib, "import_module", fake_import)
        monkeypatch.setattr(dependencies, "detect_platform", lambda: DEBIAN12)
        # the stand-in imported the name: patched too, or QGIS 3.40's GEOS 3.13 picks apt's shapely
        monkeypatch.setattr("wpzf.missing_dependencies.detect_platform", lambda: DEBIAN12)

    return hide


@pytest.fixture()
def message_bar(iface, monkeypatch, qtbot):
    """A real QgsMessageBar (pytest-qgis' mock one renders nothing)."""
    bar = QgsMessageBar()
    qtbot.addWidget(bar)
    monkeypatch.setattr(iface, "messageBar", lambda: bar)
    return bar


def rendered(bar: QgsMessageBar) -> str:
    """What the user reads in the message bar."""
    return "\n".join(b.toPlainText() for b in bar.findChildren(QTextBrowser))


def test_missing_packages_are_all_named_with_the_whole_command(iface, without, message_bar, qtbot):
    import wpzf

    log_panel = QgsMessageLogViewer()  # QGIS's log panel: it renders messages as HTML as well
    qtbot.addWidget(log_panel)
    without("shapely", "openpyxl")
    plugin = wpzf.classFactory(iface)
    try:
        assert type(plugin).__name__ == "MissingDependenciesPlugin"
        assert [r.pip for r in plugin.requirements] == ["shapely>=2,<2.1", "openpyxl>=3"]
        command = ('sudo apt install python3-openpyxl && '
                   'python3 -m pip install --user --break-system-packages "shapely>=2,<2.1"')
        assert command in plugin.message()
        plugin.initGui()
        text = rendered(message_bar)
        assert command in text, text  # "<2.1" is not eaten as an HTML tag
        assert "shapely>=2,<2.1, openpyxl>=3" in text
        tabs = log_panel.findChild(QTabWidget)
        logged = {tabs.tabText(i): tabs.widget(i).toPlainText() for i in range(tabs.count())}
        assert command in logged["WPZF"] and "shapely>=2,<2.1, openpyxl>=3" in logged["WPZF"], logged
    finally:
        plugin.unload()


def test_missing_dependency_message_follows_qgis_chinese(iface, without, message_bar):
    import wpzf

    settings = QgsSettings()
    saved = settings.value("locale/userLocale"), settings.value("locale/overrideFlag")
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh-Hans")  # as QGIS's Options dialog writes it
    without("shapely")
    plugin = wpzf.classFactory(iface)
    try:
        plugin.initGui()
        text = rendered(message_bar)
        assert "卫片执法插件需要以下 Python 软件包：shapely>=2,<2.1。请在终端中运行：" in text, text
        assert 'python3 -m pip install --user --break-system-packages "shapely>=2,<2.1"' in text
        assert "然后重新启动 QGIS" in text
    finally:
        plugin.unload()
        settings.setValue("locale/userLocale", saved[0] or "")
        settings.setValue("locale/overrideFlag", saved[1] or False)
