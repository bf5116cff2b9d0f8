"""Runs INSIDE QGIS desktop (``qgis --code desktop_language_script.py``): what language does the plugin speak?

Started by tests/qgis/test_desktop_language.py with ``WPZF_LANGUAGE_OUT`` naming
an output folder. Records into ``language.json``: QGIS's locale, which plugin
object QGIS loaded, the plugin menu's title and action texts, the decision
form's button texts (opened on a small workspace built with
tests/helpers/reporting_district.py), every message in QGIS's log (also those
logged before this script ran, read from the log panel) and uncaught Python
errors; plus screenshots of the open menu and the form. It only records and
always exits QGIS. Not collected by pytest (no ``test_`` prefix).
"""
from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject
from qgis.PyQt.QtCore import QEventLoop, QPoint, QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialogButtonBox, QMenu, QPlainTextEdit, QTabWidget
from qgis.utils import iface, plugins

OUT = Path(os.environ["WPZF_LANGUAGE_OUT"])
OUT.mkdir(parents=True, exist_ok=True)
sys.path.insert(0, os.environ["WPZF_TEST_HELPERS"])  # reporting_district.py
REPORT: dict = {"locale": QgsApplication.locale(), "qgis": Qgis.QGIS_VERSION, "plugin": None, "menu_title": None,
                "menu_actions": [], "buttons": {}, "form_title": None, "log": [], "log_panel": {},
                "python_errors": [], "screenshots": [], "finished": False}


def on_log(message, tag, level) -> None:
    REPORT["log"].append({"tag": tag, "level": int(level), "message": message})


def excepthook(kind, value, tb) -> None:
    """Record uncaught errors (slots) without QGIS's blocking stack-trace dialog."""
    REPORT["python_errors"].append("".join(traceback.format_exception(kind, value, tb)))


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec_()


def screen(name: str) -> None:
    """The whole X screen: popup menus and dialogs are separate windows a widget grab would miss."""
    path = OUT / f"{name}.png"
    QApplication.primaryScreen().grabWindow(0).save(str(path))
    REPORT["screenshots"].append(str(path))


def log_panel() -> dict:
    """Tab title -> text of QGIS's log panel: what was logged before this script (plugin loading) too."""
    panel = {}
    for tabs in iface.mainWindow().findChildren(QTabWidget):
        if tabs.parent().objectName() != "QgsMessageLogViewer":  # a QDialog to PyQt, named by QGIS
            continue
        for i in range(tabs.count()):
            edit = tabs.widget(i) if isinstance(tabs.widget(i), QPlainTextEdit) else tabs.widget(i).findChild(
                QPlainTextEdit)
            panel[tabs.tabText(i)] = edit.toPlainText() if edit is not None else ""
    return panel


def menu_step() -> None:
    plugin = plugins.get("wpzf")
    REPORT["plugin"] = type(plugin).__name__ if plugin is not None else None
    menu = next(m for m in iface.mainWindow().findChildren(QMenu) if m.objectName() == "wpzfMenu")
    REPORT["menu_title"] = menu.title()
    REPORT["menu_actions"] = [a.text() for a in menu.actions() if not a.isSeparator()]
    iface.mainWindow().showMaximized()
    wait(500)
    entry = next(a for a in iface.mainWindow().menuBar().actions() if a.menu() is menu)
    geometry = iface.mainWindow().menuBar().actionGeometry(entry)
    menu.popup(iface.mainWindow().menuBar().mapToGlobal(QPoint(geometry.left(), geometry.bottom())))
    wait(800)
    screen("menu")
    menu.hide()


def form_step() -> None:
    from reporting_district import build

    from wpzf.ui.forms import DecisionForm

    path = build(OUT / "语言检查.gpkg")
    form = DecisionForm(path, 2, user="张三", confirm=lambda *args: True)
    form.show()
    wait(800)
    REPORT["form_title"] = form.windowTitle()
    REPORT["buttons"] = {"save": form.buttons.button(QDialogButtonBox.Save).text(),
                         "cancel": form.buttons.button(QDialogButtonBox.Cancel).text()}
    screen("decision_form")
    form.close()
    form.deleteLater()


def main() -> None:
    QgsApplication.messageLog().messageReceived.connect(on_log)
    sys.excepthook = excepthook
    for step in (menu_step, form_step):
        try:
            step()
        except Exception:  # noqa: BLE001 - recorded and judged by the test
            REPORT["python_errors"].append(f"{step.__name__}: {traceback.format_exc()}")
    QgsMessageLog.logMessage("log panel check", "WPZF tests", Qgis.Info)  # proves the panel is read
    wait(300)
    REPORT["log_panel"] = log_panel()
    REPORT["finished"] = True
    (OUT / "language.json").write_text(json.dumps(REPORT, ensure_ascii=False, indent=1), encoding="utf-8")
    QgsProject.instance().setDirty(False)
    QTimer.singleShot(0, lambda: QgsApplication.exit(0))


def watchdog() -> None:
    """Never leave a QGIS running: write what we have and leave hard."""
    (OUT / "language.json").write_text(json.dumps(REPORT, ensure_ascii=False, indent=1), encoding="utf-8")
    QgsMessageLog.logMessage("watchdog", "WPZF tests")
    os._exit(3)


QTimer.singleShot(1500, main)  # after QGIS has shown its window and loaded the plugins
_WATCHDOG = QTimer()
_WATCHDOG.setSingleShot(True)
_WATCHDOG.timeout.connect(watchdog)
_WATCHDOG.start(90_000)
