"""Runs INSIDE QGIS desktop (``qgis --code field_package_script.py``): open an exported field package as a user.

Started by tests/desktop/test_desktop_field_package.py with ``WPZF_DESKTOP_CONFIG``
naming a JSON file (the package's wpzf_field.qgs, the output folder). No
plugin is installed in the profile: the package must open on its own, as in
QField. The script opens the project, records every layer (valid, provider,
feature count, source inside the package), the relation, and the widgets of
the 外业调查记录 (wydc) form built for its first record; it leaves the form
open over the map and grabs the screen. It only records (``report.json``);
the pytest side judges. A watchdog ends the run whatever happens.

Not collected by pytest (no ``test_`` prefix); runs in QGIS's Python.
"""
from __future__ import annotations

import faulthandler
import json
import os
import sys
import time
import traceback
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsPointXY, QgsProject
from qgis.gui import QgsExternalResourceWidget
from qgis.PyQt.QtCore import QEventLoop, QTimer
from qgis.PyQt.QtWidgets import QApplication, QComboBox, QDateTimeEdit, QLabel, QLineEdit
from qgis.utils import iface

CONFIG = json.loads(Path(os.environ["WPZF_DESKTOP_CONFIG"]).read_text(encoding="utf-8"))
OUT = Path(CONFIG["out"])
OUT.mkdir(parents=True, exist_ok=True)
HARD_LIMIT_S = float(CONFIG.get("hard_limit_s", 90))
REPORT: dict = {"locale": QgsApplication.locale(), "qgis": Qgis.QGIS_VERSION, "python_errors": [], "log": [],
                "finished": False}
_T0 = time.monotonic()
_KEEP: list = []


def write_report() -> None:
    REPORT["seconds"] = round(time.monotonic() - _T0, 1)
    (OUT / "report.json").write_text(json.dumps(REPORT, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def on_log(message, tag, level) -> None:
    REPORT["log"].append({"tag": tag, "level": int(level), "message": message})


def excepthook(kind, value, tb) -> None:
    REPORT["python_errors"].append("".join(traceback.format_exception(kind, value, tb)))


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec_()


def layers() -> list[dict]:
    out = []
    for layer in QgsProject.instance().mapLayers().values():
        entry = {"name": layer.name(), "valid": layer.isValid(), "provider": layer.providerType(),
                 "source": layer.source()}
        if hasattr(layer, "featureCount"):
            entry["features"] = int(layer.featureCount())
        out.append(entry)
    return out


def form_widgets(dialog, layer) -> dict:
    """What the form built for each wydc field: the editor widget type QGIS chose and what it shows."""
    widgets = {}
    for field in layer.fields():
        setup = field.editorWidgetSetup() if hasattr(field, "editorWidgetSetup") else None
        widgets[field.name()] = {"type": layer.editorWidgetSetup(layer.fields().lookupField(field.name())).type(),
                                 "alias": field.alias(), "setup": setup.type() if setup else None}
    def shown(kind):
        return [w for w in dialog.findChildren(kind) if w.isVisibleTo(dialog)]

    dates = shown(QDateTimeEdit)
    combos = shown(QComboBox)
    photos = shown(QgsExternalResourceWidget)
    return {"fields": widgets, "date_widgets": [d.dateTime().toString("yyyy-MM-dd HH:mm:ss") for d in dates],
            "combo_texts": [c.currentText() for c in combos],
            "combo_items": sorted({c.itemText(i) for c in combos for i in range(c.count())}),
            "photo_widgets": [p.documentPath() for p in photos],
            "labels": [label.text() for label in shown(QLabel) if label.text().strip()],
            "line_texts": [e.text() for e in shown(QLineEdit) if e.text()],
            "editable": sorted(w.objectName() or type(w).__name__ for w in shown(QLineEdit) if w.isEnabled())}


def main() -> None:
    try:
        window = iface.mainWindow()
        window.resize(1400, 900)
        window.move(0, 0)
        project_path = CONFIG["project"]
        REPORT["opened"] = bool(iface.addProject(project_path))
        wait(500)
        REPORT["layers"] = layers()
        relations = QgsProject.instance().relationManager().relations()
        REPORT["relations"] = [{"valid": r.isValid(), "pairs": r.fieldPairs(),
                                "referenced": r.referencedLayer().name() if r.referencedLayer() else None,
                                "referencing": r.referencingLayer().name() if r.referencingLayer() else None}
                               for r in relations.values()]
        patches = QgsProject.instance().mapLayersByName(CONFIG["patch_layer"])[0]
        visits = QgsProject.instance().mapLayersByName(CONFIG["visit_layer"])[0]
        feature = next(visits.getFeatures())
        visited = next(patches.getFeatures(f"\"JCBH\" = '{feature['JCBH']}'"))
        extent = visited.geometry().boundingBox()
        extent.grow(80.0)  # the visited patch with 80 m around it, as a technician zooms on site
        canvas = iface.mapCanvas()
        canvas.setExtent(extent)
        centre = extent.center()  # then shifted so the patch sits left of the form opened over the map
        canvas.setCenter(QgsPointXY(centre.x() + 0.25 * canvas.extent().width(), centre.y()))
        canvas.refresh()
        wait(1500)
        visits.startEditing()  # as QField opens a record: editable
        dialog = iface.getFeatureForm(visits, feature)
        dialog.resize(520, 640)
        dialog.move(860, 150)
        dialog.show()
        _KEEP.append(dialog)
        wait(1500)
        REPORT["form"] = form_widgets(dialog, visits)
        REPORT["form_title"] = dialog.windowTitle()
        shot = OUT / "field_package.png"
        REPORT["screenshot_saved"] = QApplication.primaryScreen().grabWindow(0, 0, 0, 1400, 900).save(str(shot))
        REPORT["screenshot"] = str(shot)
        dialog.close()
        visits.rollBack()
        _KEEP.remove(dialog)
        dialog.deleteLater()  # gone before QGIS tears its main window down (3.22 crashes deleting it then)
        wait(300)
    except Exception:  # noqa: BLE001 - recorded for the pytest side
        REPORT["python_errors"].append(traceback.format_exc())
    finally:
        REPORT["finished"] = True
        write_report()
        QTimer.singleShot(0, leave)


def leave() -> None:
    QgsProject.instance().clear()
    QApplication.processEvents()
    QgsApplication.exit(0)


def watchdog() -> None:
    if time.monotonic() - _T0 > HARD_LIMIT_S:
        REPORT["python_errors"].append(f"run exceeded {HARD_LIMIT_S} s")
        write_report()
        os._exit(3)


faulthandler.dump_traceback_later(HARD_LIMIT_S + 10, exit=True)
QgsApplication.messageLog().messageReceived.connect(on_log)
sys.excepthook = excepthook
_timer = QTimer()
_timer.timeout.connect(watchdog)
_timer.start(1000)
_KEEP.append(_timer)
QTimer.singleShot(1500, main)
