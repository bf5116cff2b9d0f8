"""Runs INSIDE QGIS desktop (``qgis --code month_script.py``): a technician's month through the plugin's own actions.

Started by tests/desktop/test_desktop_month.py with ``WPZF_DESKTOP_CONFIG``
naming a JSON file (sample district paths, workspace, output folder). Each
step triggers the plugin's QAction as a user would; modal dialogs (file
dialog, Processing dialogs) are driven by timer callbacks that find the
active modal widget. Everything seen is recorded in ``report.json`` — the
QGIS message log, message-bar items, uncaught Python errors, the texts of
every plugin widget, step results — plus a screenshot of the main window
after each step and of each dialog. The pytest side judges the report; this
script only records, and always exits QGIS (a watchdog hard-exits it).

Not collected by pytest (no ``test_`` prefix); runs in QGIS's Python.
"""
from __future__ import annotations

import faulthandler
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import QEvent, QEventLoop, QPoint, Qt, QTimer
from qgis.PyQt.QtGui import QMouseEvent
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QWidget,
)
from qgis.utils import iface, plugins

CONFIG = json.loads(Path(os.environ["WPZF_DESKTOP_CONFIG"]).read_text(encoding="utf-8"))
OUT = Path(CONFIG["out"])
OUT.mkdir(parents=True, exist_ok=True)
HARD_LIMIT_S = float(CONFIG.get("hard_limit_s", 200))

REPORT: dict = {
    "locale": QgsApplication.locale(), "qgis": Qgis.QGIS_VERSION, "plugin": None,
    "steps": [], "log": [], "message_bar": [], "python_errors": [], "texts": [],
    "screenshots": [], "unexpected_dialogs": [], "finished": False,
}
_T0 = time.monotonic()
_KEEP: list = []  # Python objects Qt must not outlive (timers, slots)


# -- recording ---------------------------------------------------------------------------------------------
def write_report() -> None:
    REPORT["seconds"] = round(time.monotonic() - _T0, 1)
    (OUT / "report.json").write_text(json.dumps(REPORT, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def on_log(message, tag, level) -> None:
    REPORT["log"].append({"tag": tag, "level": int(level), "message": message})


def on_bar_item(item) -> None:
    entry = {}
    for key in ("title", "text", "level"):
        try:
            value = getattr(item, key)()
            entry[key] = int(value) if key == "level" else value
        except Exception as exc:  # noqa: BLE001 - e.g. a plain widget pushed without title
            entry[key] = -1 if key == "level" else f"? {exc}"
    REPORT["message_bar"].append(entry)


def excepthook(kind, value, tb) -> None:
    """Record uncaught errors (slots, virtual overrides such as paint()) and log them as QGIS does, without its
    blocking stack-trace dialog (which would hang an unattended run)."""
    text = "".join(traceback.format_exception(kind, value, tb))
    REPORT["python_errors"].append(text)
    from qgis.core import QgsMessageLog

    QgsMessageLog.logMessage(text, "Python error", Qgis.Critical)


def screenshot(name: str, widget: QWidget | None = None) -> None:
    widget = widget or iface.mainWindow()
    QApplication.processEvents()
    path = OUT / f"{len(REPORT['screenshots']):02d}_{name}.png"
    widget.grab().save(str(path))
    REPORT["screenshots"].append(path.name)


def plain(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text or "").replace("&nbsp;", " ").strip()


def add_text(where: str, text: str) -> None:
    text = plain(text).replace("&", "") if text else ""
    if text.strip():
        REPORT["texts"].append({"where": where, "text": text.strip()})


def collect_texts(widget: QWidget, where: str, skip_names: tuple[str, ...] = (), combos: bool = False) -> None:
    """Every user-facing text of ``widget``'s children (labels, buttons, group boxes, tabs, placeholders)."""
    if widget.isWindow():  # a child widget's windowTitle (e.g. "Form" from a .ui file) is never shown
        add_text(f"{where}/title", widget.windowTitle())
    for child in widget.findChildren(QWidget):
        if child.objectName() in skip_names or not child.isVisibleTo(widget):
            continue
        name = f"{where}/{type(child).__name__}:{child.objectName()}"
        for suffix, text in child_texts(child, combos):
            add_text(name + suffix, text)


def child_texts(child: QWidget, combos: bool) -> list[tuple[str, str]]:
    """(name suffix, text) of what one widget shows: its text, tooltip, title, tab texts, placeholder or items."""
    if isinstance(child, QLabel):
        return [("", child.text())]
    if isinstance(child, QAbstractButton):
        return [("", child.text()), ("#tooltip", child.toolTip())]
    if isinstance(child, QGroupBox):
        return [("", child.title())]
    if isinstance(child, QTabWidget):
        return [(f"#tab{i}", child.tabText(i)) for i in range(child.count())]
    if isinstance(child, QLineEdit):
        return [("#placeholder", child.placeholderText())]
    if isinstance(child, QTextBrowser):
        return [("", child.toPlainText())]
    if isinstance(child, QComboBox) and combos:
        return [(f"#item{i}", child.itemText(i)) for i in range(child.count())]
    return []


# -- event-loop helpers ------------------------------------------------------------------------------------
def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec_()


def wait_until(predicate, timeout_s: float, step_ms: int = 100) -> bool:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if predicate():
            return True
        wait(step_ms)
    return bool(predicate())


class ModalDriver:
    """Polls for the modal dialog a blocking call opens and hands it to ``handler`` once; records what went wrong."""

    def __init__(self, handler, name: str, timeout_s: float) -> None:
        self.handler, self.name, self.timeout_s = handler, name, timeout_s
        self.done, self.error, self.seen = False, None, False
        self.started = time.monotonic()
        self.stale = QApplication.activeModalWidget()  # a dialog left over from before is not this step's

    def overdue(self) -> bool:
        return time.monotonic() - self.started > self.timeout_s

    def poll(self) -> None:
        if self.done:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is self.stale:
            dialog = None
        if not self.seen:
            self.look_for(dialog)
        elif dialog is not None and self.overdue():
            self.error = f"{self.name}: dialog still open after {self.timeout_s} s"
            dialog.close()
        if not self.done:
            QTimer.singleShot(200, self.poll)

    def look_for(self, dialog) -> None:
        if dialog is None and self.overdue():
            self.error = f"{self.name}: no modal dialog found after {self.timeout_s} s (stale: {self.stale!r})"
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.close()
        if dialog is None:  # no window manager under Xvfb: modality may not be reported
            dialog = next((w for w in QApplication.topLevelWidgets()
                           if isinstance(w, QDialog) and w.isVisible() and w.isModal() and w is not self.stale), None)
        if dialog is not None:
            progress(f"{self.name}: {type(dialog).__name__} {dialog.windowTitle()}")
            self.seen = True
            try:
                self.handler(dialog)
            except Exception:  # noqa: BLE001 - recorded as the step's failure
                self.error = traceback.format_exc()
                dialog.close()


def drive_modal(trigger, handler, name: str, timeout_s: float = 60) -> None:
    """Call ``trigger`` (which opens a modal dialog and blocks in exec_) and let ``handler(dialog)`` drive the dialog.

    The handler must close it; after ``timeout_s`` the dialog is rejected so the run goes on.
    """
    driver = ModalDriver(handler, name, timeout_s)
    QTimer.singleShot(300, driver.poll)
    try:
        trigger()
    finally:
        driver.done = True
    if driver.error:
        raise RuntimeError(driver.error)
    if not driver.seen:
        raise RuntimeError(f"{name}: no dialog opened")


def action(object_name: str):
    gui = plugins["wpzf"].gui
    found = next((a for a in gui.actions if a.objectName() == object_name), None)
    if found is None:
        raise RuntimeError(f"the plugin has no action {object_name}")
    return found


def patch_layer() -> QgsVectorLayer:
    for layer in QgsProject.instance().mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and "layername=jctb" in layer.source():
            return layer
    raise RuntimeError("no workspace patch layer (jctb) in the project")


def dock(object_name: str) -> QDockWidget:
    found = iface.mainWindow().findChild(QDockWidget, object_name)
    if found is None:
        raise RuntimeError(f"no dock {object_name}")
    return found


# -- the month ---------------------------------------------------------------------------------------------
def progress(text: str) -> None:
    """A line on QGIS's stderr (kept in qgis-output.txt): where a hung run stopped."""
    print(f"[wpzf-desktop {time.monotonic() - _T0:6.1f}s] {text}", file=sys.stderr, flush=True)


def step(name: str):
    def decorate(fn):
        def run():
            progress(name)
            t0 = time.monotonic()
            entry = {"step": name, "ok": False}
            REPORT["steps"].append(entry)
            try:
                entry.update(fn() or {})
                entry["ok"] = True
            except Exception:  # noqa: BLE001 - the step fails, the walk goes on
                entry["error"] = traceback.format_exc()
            entry["seconds"] = round(time.monotonic() - t0, 1)
            try:
                screenshot(name)
            except Exception:  # noqa: BLE001
                pass
            write_report()
        run.__name__ = fn.__name__
        return run
    return decorate


@step("start")
def start():
    plugin = plugins.get("wpzf")
    REPORT["plugin"] = type(plugin).__name__ if plugin is not None else None
    gui = plugin.gui
    add_text("menu/title", gui.menu.title())
    for act in gui.menu.actions():
        if not act.isSeparator():
            add_text(f"menu/{act.objectName()}", act.text())
    toolbar = iface.mainWindow().findChild(QToolBar, plugin.TOOLBAR_OBJECT_NAME)
    add_text("toolbar/title", toolbar.windowTitle())
    for act in toolbar.actions():
        add_text(f"toolbar/{act.objectName()}#tooltip", act.toolTip())
    return {"actions": [a.objectName() for a in gui.actions]}


@step("import")
def import_batch():
    from qgis import processing

    district = CONFIG["district"]
    result = processing.run("wpzf:importpatches", {
        "INPUT": district["batch"], "WORKSPACE": CONFIG["workspace"], "BATCH": "2022-05", "RECEIVED": "2022-05-06",
        "REPORT": str(Path(CONFIG["tmp"]) / "import-report.csv")})
    processing.run("wpzf:importdivisions", {
        "WORKSPACE": CONFIG["workspace"], "TOWNS": f"{district['xzq']}|layername=XZQ",
        "VILLAGES": f"{district['xzq']}|layername=CJDCQ"})
    covers = [f"{district['approvals']}|layername={n}" for n in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    processing.run("wpzf:prejudge", {
        "WORKSPACE": CONFIG["workspace"], "LANDUSE": f"{district['landuse']}|layername=DLTB",
        "BASIC_FARMLAND": f"{district['landuse']}|layername=YJJBNTTB", "COVERS": covers, "OUTPUT": "memory:"})
    project = QgsProject.instance()
    for key, name in (("before", "前时相"), ("after", "后时相")):  # after on top: the swipe shows 前时相 left
        layer = QgsRasterLayer(district[key], name)
        if not layer.isValid():
            raise RuntimeError(f"imagery {district[key]} is not valid")
        project.addMapLayer(layer)
    return {"imported": result["IMPORTED"]}


@step("open_workspace")
def open_workspace():
    """The action's file dialog answers with the workspace: Qt's static getOpenFileName may show the platform's
    native dialog, which no widget of this process can drive; its caption and filter are checked as texts."""
    asked = []
    original = QFileDialog.getOpenFileName

    def pick(parent=None, caption="", directory="", filter="", *args, **kwargs):  # noqa: A002 - Qt's name
        asked.append(caption)
        add_text("open_workspace/file_dialog_caption", caption)
        add_text("open_workspace/file_dialog_filter", filter)
        return CONFIG["workspace"], filter

    QFileDialog.getOpenFileName = staticmethod(pick)
    try:
        action("wpzfOpenWorkspace").trigger()
    finally:
        QFileDialog.getOpenFileName = original
    if not asked:
        raise RuntimeError("the open-workspace action asked for no file")
    wait(300)
    layer = patch_layer()
    iface.setActiveLayer(layer)
    return {"features": layer.featureCount(), "layer": layer.name()}


@step("patch_list")
def patch_list():
    action("wpzfPatchList").trigger()
    wait(300)
    panel = dock("wpzfPatchListDock")
    table = panel.table
    wait_until(lambda: table.model().rowCount() > 0, 10)
    rect = table.visualRect(table.model().index(0, 0))
    QTest.mouseClick(table.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    wait(300)
    fid = panel.current_fid()
    collect_texts(panel, "patch_list", combos=True)
    header = table.model()
    for col in range(header.columnCount()):
        add_text(f"patch_list/header{col}", str(header.headerData(col, Qt.Horizontal, Qt.DisplayRole) or ""))
    layer = patch_layer()
    iface.mapCanvas().waitWhileRendering()
    return {"rows": table.model().rowCount(), "current_fid": fid, "selected": list(layer.selectedFeatureIds())}


def _grab_canvas():
    canvas = iface.mapCanvas()
    QApplication.processEvents()
    return canvas.viewport().grab().toImage()


def _differing_share(a, b, x_to: int) -> float:
    """Share of pixels left of ``x_to`` that differ visibly between two grabs of the same canvas."""
    step_px, differ, total = 4, 0, 0
    for y in range(0, min(a.height(), b.height()), step_px):
        for x in range(0, min(x_to, a.width(), b.width()), step_px):
            ca, cb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += 1
            if abs(ca.red() - cb.red()) + abs(ca.green() - cb.green()) + abs(ca.blue() - cb.blue()) > 45:
                differ += 1
    return differ / total if total else 0.0


@step("compare_swipe")
def compare_swipe():
    action("wpzfCompareImagery").trigger()
    wait(300)
    panel = dock("wpzfCompareDock")
    project = QgsProject.instance()
    before = project.mapLayersByName("前时相")[0]
    after = project.mapLayersByName("后时相")[0]
    panel.before_combo.setLayer(before)
    panel.after_combo.setLayer(after)
    wait(500)
    for canvas in (panel.before_canvas, panel.after_canvas):
        canvas.waitWhileRendering()
    collect_texts(panel, "compare")
    screenshot("compare_dock", panel)
    canvas = iface.mapCanvas()
    canvas.refresh()
    canvas.waitWhileRendering()
    wait(300)
    plain_grab = _grab_canvas()
    progress("swipe on")
    QTest.mouseClick(panel.swipe_button, Qt.LeftButton)
    wait(300)
    canvas.refresh()
    wait(1500)  # the canvas and the swipe item render in background jobs
    progress("mouse moves")
    viewport = canvas.viewport()
    split = int(viewport.width() * 0.7)
    for x in range(viewport.width() // 4, split + 1, max(1, viewport.width() // 12)):
        point = QPoint(x, viewport.height() // 2)
        QTest.mouseMove(viewport, point)
        QApplication.sendEvent(viewport, QMouseEvent(QEvent.MouseMove, point, Qt.NoButton, Qt.NoButton, Qt.NoModifier))
        wait(30)
    QApplication.sendEvent(viewport, QMouseEvent(QEvent.MouseMove, QPoint(split, viewport.height() // 2),
                                                 Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    wait(500)
    progress("grab")
    swiped = _grab_canvas()
    swiped.save(str(OUT / "swipe_canvas.png"))
    plain_grab.save(str(OUT / "swipe_canvas_off.png"))
    result = {"swipe_checked": panel.swipe_button.isChecked(),
              "swipe_tool_active": canvas.mapTool() is panel.swipe_tool,
              "left_changed_share": round(_differing_share(plain_grab, swiped, split - 10), 4),
              "split_x": split, "canvas_width": viewport.width()}
    screenshot("swipe_on")
    QTest.mouseClick(panel.swipe_button, Qt.LeftButton)  # off again: the rest of the walk uses the pan tool
    wait(200)
    return result


@step("decision_form")
def decision_form():
    layer = patch_layer()
    iface.setActiveLayer(layer)
    if layer.selectedFeatureCount() != 1:
        layer.selectByIds([next(layer.getFeatures()).id()])
    fid = layer.selectedFeatureIds()[0]
    action("wpzfJudgeSelectedPatch").trigger()
    wait(500)
    forms = [w for w in QApplication.topLevelWidgets() if w.objectName() == "DecisionForm" and w.isVisible()]
    if not forms:
        raise RuntimeError("the decision form did not open")
    form = forms[-1]
    collect_texts(form, "decision_form", skip_names=("PDR", "PDSJ", "suggestionCategory", "suggestionReason",
                                                     "lockBanner"))
    for button in form.buttons.buttons():
        add_text(f"decision_form/buttonbox:{form.buttons.standardButton(button)}", button.text())
    screenshot("decision_form_open", form)
    form.pdlx.setCurrentText("其他")
    form.jtqx.setCurrentText("实地未变化")
    form.pdyj.setPlainText("外业核实，实地未变化（桌面测试）")
    wait(200)
    screenshot("decision_form_filled", form)
    QTest.mouseClick(form.save_button, Qt.LeftButton)
    wait(500)
    still_open = form.isVisible() if not _deleted(form) else False
    error = form.save_error.text() if still_open else ""
    layer.reload()
    saved = layer.getFeature(fid)
    return {"fid": fid, "form_closed": not still_open, "save_error": error,
            "PDLX": saved["PDLX"], "JTQX": saved["JTQX"]}


def _deleted(widget) -> bool:
    try:
        from qgis.PyQt import sip

        return sip.isdeleted(widget)
    except Exception:  # noqa: BLE001
        return False


def processing_dialog(object_name: str, name: str) -> dict:
    """Open the algorithm dialog through the plugin's menu action, record its texts and close it."""
    seen = {}

    def look(dialog):
        seen["title"] = dialog.windowTitle()
        seen["params"] = {k: str(v) for k, v in dialog.createProcessingParameters().items()} \
            if hasattr(dialog, "createProcessingParameters") else {}
        panel = dialog.mainWidget() if hasattr(dialog, "mainWidget") else dialog
        collect_texts(panel, f"{name}_dialog")
        add_text(f"{name}_dialog/title", dialog.windowTitle())
        for browser in dialog.findChildren(QTextBrowser):
            add_text(f"{name}_dialog/help", browser.toPlainText())
        screenshot(f"{name}_dialog", dialog)
        dialog.reject()

    drive_modal(action(object_name).trigger, look, name)
    return seen


@step("quality_check")
def quality_check():
    from qgis import processing

    seen = processing_dialog("wpzfQualityCheck", "quality_check")
    result = processing.run("wpzf:qualitycheck", {
        "WORKSPACE": CONFIG["workspace"], "TODAY": "2022-07-15",
        "OUTPUT": str(Path(CONFIG["tmp"]) / "quality_check.csv")})
    return {"dialog": seen, "errors": result["ERRORS"], "warnings": result["WARNINGS"]}


@step("statistics")
def statistics():
    from qgis import processing

    seen = processing_dialog("wpzfTownStatistics", "statistics")
    result = processing.run("wpzf:townstatistics", {
        "WORKSPACE": CONFIG["workspace"], "PERIOD": "2022", "TOWNS": f"{CONFIG['district']['xzq']}|layername=XZQ",
        "OUTPUT": str(Path(CONFIG["tmp"]) / "town_statistics.csv")})
    return {"dialog": seen, "as_of": result["AS_OF"]}


@step("export")
def export():
    from qgis import processing

    seen = processing_dialog("wpzfExportReport", "export")
    xlsx = OUT / "卫片执法报表_2022.xlsx"
    processing.run("wpzf:exportreport", {
        "WORKSPACE": CONFIG["workspace"], "PERIOD": "2022", "TOWNS": f"{CONFIG['district']['xzq']}|layername=XZQ",
        "OUTPUT": str(xlsx)})
    return {"dialog": seen, "xlsx": str(xlsx)}


def patches_in_a_town(count):
    """The first ``count`` patches (by fid) that wpzf:importdivisions placed in a town: the print's 所在乡镇
    is then known. Chosen by that, not by fid: the generated district differs across GEOS versions."""
    import sqlite3

    with sqlite3.connect(f"file:{CONFIG['workspace']}?mode=ro", uri=True) as conn:
        ids = [fid for (fid,) in conn.execute(
            "SELECT patch_fid FROM wpzf_patch_division WHERE COALESCE(XZMC, '') <> '' ORDER BY patch_fid LIMIT ?",
            (count,))]
    if len(ids) < count:
        raise RuntimeError(f"only {len(ids)} patches lie in a town of the sample district")
    return ids


@step("print_maps")
def print_maps():
    """The toolbar path: a selection on the project's patch layer, the action's dialog, Run."""
    layer = patch_layer()
    iface.setActiveLayer(layer)
    ids = patches_in_a_town(2)
    layer.selectByIds(ids)
    folder = Path(CONFIG["tmp"]) / "printed"
    folder.mkdir(exist_ok=True)
    seen = {}

    def run(dialog):
        seen["title"] = dialog.windowTitle()
        params = dialog.createProcessingParameters()
        patches = params.get("PATCHES")
        seen["selected_only"] = bool(getattr(patches, "selectedFeaturesOnly", False))
        collect_texts(dialog.mainWidget(), "print_dialog")
        add_text("print_dialog/title", dialog.windowTitle())
        screenshot("print_dialog", dialog)
        dialog.setParameters({**params, "OUTPUT_FOLDER": str(folder)})
        dialog.runAlgorithm()  # FlagNoThreading: runs here; the dialog closes itself when done
        seen["results"] = {k: str(v) for k, v in (dialog.results() or {}).items()}
        if dialog.isVisible():
            screenshot("print_dialog_log", dialog)
            dialog.close()

    drive_modal(action("wpzfPrintPatchMaps").trigger, run, "print patch maps", timeout_s=90)
    pdfs = sorted(str(p) for p in folder.glob("*.pdf"))
    return {"dialog": seen, "pdfs": pdfs, "selected": ids}


@step("atlas_layout")
def atlas_layout():
    action("wpzfOpenAtlasLayout").trigger()
    wait(1500)
    designers = iface.openLayoutDesigners()
    if not designers:
        raise RuntimeError("no layout designer opened")
    designer = designers[-1]
    layout = designer.masterLayout()  # the QgsPrintLayout (layout() is its QgsLayout base)
    window = designer.window()
    window.resize(1400, 900)
    wait(1000)
    screenshot("atlas_designer", window)
    result = {"layout": layout.name(), "atlas_enabled": layout.atlas().enabled(),
              "coverage": layout.atlas().coverageLayer().name() if layout.atlas().coverageLayer() else None}
    add_text("atlas/layout_name", layout.name())
    # the page the designer previews: its point table is the current patch's, and it prints
    from qgis.core import QgsLayoutExporter

    from wpzf.printing.atlas_points import point_rows, point_table

    layout.atlas().seekTo(1)  # another patch than the one shown first: the table must follow
    wait(500)
    table = point_table(layout)
    result["atlas_jcbh"] = str(layout.reportContext().feature()["JCBH"])
    result["point_rows"] = [[str(cell.content()) for cell in row] for row in table.tableContents()] if table else []
    result["expected_rows"] = [list(r) for r in point_rows(layout.reportContext().feature().geometry())]
    pdf = OUT / "atlas_page.pdf"
    exporter = QgsLayoutExporter(layout)
    from wpzf.printing.export import pdf_settings

    result["pdf_result"] = int(exporter.exportToPdf(str(pdf), pdf_settings(150)))
    result["pdf"] = str(pdf)
    window.close()
    wait(300)
    return result


def watchdog() -> None:
    """Dialogs nobody expected (e.g. an error box) are recorded and closed; the run never exceeds its limit."""
    if time.monotonic() - _T0 > HARD_LIMIT_S:
        REPORT["steps"].append({"step": "watchdog", "ok": False, "error": f"run exceeded {HARD_LIMIT_S} s"})
        write_report()
        os._exit(3)


def main() -> None:
    try:
        iface.mainWindow().resize(1600, 1000)
        iface.mainWindow().move(0, 0)
        iface.mainWindow().activateWindow()
        only = os.environ.get("WPZF_DESKTOP_ONLY", "")  # debugging: a comma-separated subset of the steps
        for fn in (start, import_batch, open_workspace, patch_list, compare_swipe, decision_form, quality_check,
                   statistics, export, print_maps, atlas_layout):
            if not only or fn.__name__ in only.split(",") or fn.__name__ in ("start", "import_batch", "open_workspace"):
                fn()
        wait(500)
    finally:
        REPORT["finished"] = True
        write_report()
        QTimer.singleShot(0, leave)


def leave() -> None:
    """Unload the plugin and empty the project first (QGIS 3.22 crashes in its layer-tree teardown otherwise)."""
    progress("exit")
    from qgis.utils import unloadPlugin

    try:
        unloadPlugin("wpzf")
        QgsProject.instance().clear()
        QApplication.processEvents()
    except Exception:  # noqa: BLE001 - recorded; the exit goes on
        REPORT["python_errors"].append("unload: " + traceback.format_exc())
        write_report()
    QgsApplication.exit(0)


faulthandler.dump_traceback_later(HARD_LIMIT_S + 10, exit=True)  # blocked in C++: the stacks, then exit
QgsApplication.messageLog().messageReceived.connect(on_log)
iface.messageBar().widgetAdded.connect(on_bar_item)
sys.excepthook = excepthook
_timer = QTimer()
_timer.timeout.connect(watchdog)
_timer.start(1000)
_KEEP.append(_timer)
QTimer.singleShot(1500, main)
