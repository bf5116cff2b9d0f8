"""The 图斑列表 dock on a generated workspace: filters against SQL, search, sort, map selection, navigation."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject
from qgis.PyQt.QtCore import Qt

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "output"
TODAY = dt.date.today()

_KEEP_ALIVE: list = []


def save_screenshot(widget, name: str) -> Path:
    """Write ``widget`` to tests/output/<name>; also to docs/images when WPZF_UPDATE_SCREENSHOTS=1."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    assert widget.grab().save(str(path)), path
    if os.environ.get("WPZF_UPDATE_SCREENSHOTS") == "1":
        (ROOT / "docs" / "images").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, ROOT / "docs" / "images" / name)
    return path


@pytest.fixture(scope="module")
def prepared(district, tmp_path_factory, qgis_processing):
    """Two batches, suggestions from wpzf:prejudge, then a technician's day of edits made with sqlite3."""
    from qgis import processing
    from qgis.core import QgsApplication

    from wpzf.processing.provider import WpzfProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("wpzf") is None:
        _KEEP_ALIVE.append(WpzfProvider())  # PyQGIS drops a provider whose Python object is collected
        registry.addProvider(_KEEP_ALIVE[-1])
    path = tmp_path_factory.mktemp("ws") / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-06"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-06", "RECEIVED": TODAY.isoformat()})
    covers = [f"{district.approvals}|layername={name}" for name in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    processing.run("wpzf:prejudge", {
        "WORKSPACE": str(path), "LANDUSE": f"{district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "COVERS": covers, "BATCH": "2022-05",
        "OUTPUT": "memory:"})
    stamp = "2022-05-20T08:00:00.00Z"
    with gpkg_connect(path) as conn:
        fids = [r[0] for r in conn.execute("SELECT fid FROM jctb WHERE batch_id = 1 ORDER BY fid")]
        conn.executemany("UPDATE jctb SET PDLX = ?, XGR = 'tester', XGSJ = ? WHERE fid = ?",
                         [("合法" if i % 2 else "违法", stamp, fid) for i, fid in enumerate(fids[:12])])
        soon = (TODAY + dt.timedelta(days=2)).isoformat()
        conn.executemany("UPDATE jctb SET PDQX = ?, XGR = 'tester', XGSJ = ? WHERE fid = ?",
                         [(soon, stamp, fid) for fid in fids[20:25]])
        conn.execute("INSERT INTO wpzf_check_result (batch_id, patch_fid, JCBH, rule_id, severity, message, checked_at)"
                     " SELECT 1, fid, JCBH, 'evidence', 'error', 'no evidence', ? FROM jctb WHERE fid = ?",
                     (stamp, fids[0]))
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(path, user="tester") as ws:
        ws.set_stage("2022-06", "一上")
    return path


@pytest.fixture()
def dock(prepared, iface, qgis_canvas, qtbot):
    from wpzf.ui.patch_list.dock import PatchListDock

    QgsProject.instance().removeAllMapLayers()
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4523"))
    widget = PatchListDock(iface)
    qtbot.addWidget(widget)
    widget.setFloating(True)  # its parent, the mock main window, is never shown
    widget.resize(980, 620)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_workspace(prepared)
    yield widget
    widget.cleanup()
    QgsProject.instance().removeAllMapLayers()


def sql(path, query, *args):
    with gpkg_connect(path) as conn:
        return conn.execute(query, args).fetchall()


def count(path, where, *args) -> int:
    return sql(path, f"SELECT count(*) FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id WHERE {where}", *args)[0][0]


def test_filters_give_the_rows_sql_counts(dock, prepared):
    from wpzf.domain.workbench import filters as fl
    from wpzf.domain.workbench import status as st

    total = count(prepared, "1")
    assert total > 60 and dock.proxy.rowCount() == total
    dock.choose(fl.BATCH, "2022-05")
    assert dock.proxy.rowCount() == count(prepared, "b.PCMC = '2022-05'") == 60
    town = sql(prepared, "SELECT substr(XZQDM, 1, 9) FROM jctb WHERE batch_id = 1 GROUP BY 1 ORDER BY count(*) DESC")[0][0]
    dock.choose(fl.TOWN, town)
    assert dock.proxy.rowCount() == count(prepared, "b.PCMC = '2022-05' AND substr(p.XZQDM, 1, 9) = ?", town)
    assert "(" in dock.combos[fl.BATCH].itemText(1)  # counts per choice
    dock.choose(fl.TOWN, None)
    dock.choose(fl.DECISION, "合法")
    assert dock.proxy.rowCount() == count(prepared, "b.PCMC = '2022-05' AND p.PDLX = '合法'") == 6
    dock.choose(fl.DECISION, fl.NONE)
    assert dock.proxy.rowCount() == count(prepared, "b.PCMC = '2022-05' AND p.PDLX IS NULL") == 48
    dock.choose(fl.DECISION, None)
    dock.choose(fl.SUGGESTION, "违法")
    assert dock.proxy.rowCount() == count(
        prepared, "b.PCMC = '2022-05' AND p.fid IN (SELECT patch_fid FROM wpzf_prejudgement WHERE PDLX = '违法')") > 0
    dock.choose(fl.SUGGESTION, None)
    dock.choose(fl.BATCH, None)
    dock.choose(fl.SUGGESTION, fl.NONE)  # 2022-06 was not pre-judged
    assert dock.proxy.rowCount() == count(prepared, "p.fid NOT IN (SELECT patch_fid FROM wpzf_prejudgement)") > 0
    dock.choose(fl.SUGGESTION, None)
    dock.choose(fl.STAGE, "一上")
    assert dock.proxy.rowCount() == count(prepared, "b.JD = '一上'") == count(prepared, "b.PCMC = '2022-06'")
    dock.choose(fl.STAGE, None)
    today = TODAY.isoformat()
    dock.choose(fl.DEADLINE, st.OVERDUE)
    assert dock.proxy.rowCount() == count(
        prepared, "p.PDLX IS NULL AND COALESCE(p.PDQX, b.PDQX) < ?", today) == 48 - 5
    soon = (TODAY + dt.timedelta(days=3)).isoformat()
    dock.choose(fl.DEADLINE, st.DUE_SOON)
    assert dock.proxy.rowCount() == count(
        prepared, "p.PDLX IS NULL AND COALESCE(p.PDQX, b.PDQX) BETWEEN ? AND ?", today, soon) == 5
    assert "5" in dock.counts.text()
    dock.choose(fl.DEADLINE, None)
    assert dock.proxy.rowCount() == total


def test_jcbh_search_and_sorting(dock, prepared, qtbot):
    from wpzf.ui.patch_list.model import COLUMNS

    jcbh = sql(prepared, "SELECT JCBH FROM jctb ORDER BY fid LIMIT 1 OFFSET 7")[0][0]
    part = jcbh[-4:]
    qtbot.keyClicks(dock.search, part.lower())
    expected = count(prepared, "p.JCBH LIKE ?", f"%{part}%")
    assert dock.proxy.rowCount() == expected >= 1
    dock.search.clear()
    assert dock.proxy.rowCount() == count(prepared, "1")

    def column_values(column: int) -> list[str]:
        return [dock.proxy.index(i, column).data() for i in range(dock.proxy.rowCount())]

    jcbh_column = 0
    dock.table.sortByColumn(jcbh_column, Qt.DescendingOrder)
    values = column_values(jcbh_column)
    assert values == sorted(values, reverse=True) and len(values) == count(prepared, "1")
    days = next(i for i, c in enumerate(COLUMNS) if c.header == "Days left")
    dock.table.sortByColumn(days, Qt.AscendingOrder)
    numbers = [int(v) for v in column_values(days)]
    assert numbers == sorted(numbers) and numbers[0] < 0 < numbers[-1]
    dock.select_fid(numbers and dock.proxy.index(3, 0).data(Qt.UserRole + 1))
    fid = dock.current_fid()
    dock.table.sortByColumn(jcbh_column, Qt.AscendingOrder)
    assert dock.current_fid() == fid  # the current patch survives a sort


def test_selecting_a_row_selects_zooms_and_highlights(dock, prepared, qgis_canvas, qtbot):
    from wpzf.ui.patch_list.navigation import find_patch_layer

    assert find_patch_layer(prepared) is None
    fid = dock.visible_fids()[5]
    with qtbot.waitSignal(dock.patch_activated) as signal:
        dock.table.selectRow(5)
    assert signal.args == [fid]
    layer = find_patch_layer(prepared)  # loaded into the project on demand
    assert layer is not None and layer.selectedFeatureIds() == [fid]
    box = layer.getFeature(fid).geometry().boundingBox()
    extent = qgis_canvas.extent()
    assert extent.contains(box) and extent.width() > box.width() * 1.2
    assert dock.highlighter._highlight is not None

    before = dock.current_fid()
    dock.next_action.trigger()
    after = dock.current_fid()
    assert after == dock.visible_fids()[6] != before
    assert layer.selectedFeatureIds() == [after]
    assert qgis_canvas.extent().contains(layer.getFeature(after).geometry().boundingBox())
    dock.previous_action.trigger()
    dock.previous_action.trigger()
    assert dock.current_fid() == dock.visible_fids()[4]
    assert [s.toString() for s in dock.next_action.shortcuts()] == ["Ctrl+."]
    assert [s.toString() for s in dock.previous_action.shortcuts()] == ["Ctrl+,"]
    dock.select_fid(dock.visible_fids()[-1])
    dock.next_action.trigger()  # stays on the last row
    assert dock.current_fid() == dock.visible_fids()[-1]
    assert len(QgsProject.instance().mapLayers()) == 1  # the layer is found again, not loaded twice


def test_screenshot_of_the_dock(dock, prepared):
    from qgis.PyQt.QtCore import QCoreApplication, QPoint
    from qgis.PyQt.QtGui import QColor, QPalette

    from wpzf.domain.workbench import filters as fl
    from wpzf.ui.patch_list.model import COLUMNS, STATUS_COLOURS, STATUS_COLUMN, STATUS_ROLE

    dock.choose(fl.BATCH, "2022-05")
    dock.table.sortByColumn(0, Qt.AscendingOrder)
    dock.select_fid(dock.visible_fids()[8])
    dock.table.resizeColumnsToContents()
    dock.table.scrollToTop()
    path = save_screenshot(dock, "patch_list.png")
    assert path.stat().st_size > 10_000
    image = dock.grab().toImage()

    def drawn(index):  # the colour painted in the middle of a cell, a few pixels in from its left edge
        rect = dock.table.visualRect(index)
        point = dock.table.viewport().mapTo(dock, rect.topLeft()) + QPoint(3, rect.height() // 2)
        return QColor(image.pixel(point))

    # every header is the model's title, translated as the user reads it, and wide enough to show in full
    header = dock.table.horizontalHeader()
    titles = [dock.proxy.headerData(i, Qt.Horizontal) for i in range(dock.proxy.columnCount())]
    assert titles == [QCoreApplication.translate("PatchTableModel", c.header) for c in COLUMNS]
    if os.environ.get("WPZF_UPDATE_SCREENSHOTS") == "1":  # the docs' screenshot: Chinese titles (监测编号 …)
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles), titles
    for i, title in enumerate(titles):
        assert header.sectionSize(i) >= header.fontMetrics().horizontalAdvance(title), title
    # the rows shown are batch 2022-05's patches in JCBH order (hand-checked: the filter is the batch)
    expected = [r[0] for r in sql(prepared, "SELECT JCBH FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id "
                                                   "WHERE b.PCMC = '2022-05' ORDER BY JCBH")]
    shown = [dock.proxy.index(i, 0).data() for i in range(dock.proxy.rowCount())]
    assert shown == expected and len(shown) == 60
    # what was painted: not a blank image; each unselected row's status cell in its status colour;
    # the selected row (the ninth) in the highlight colour
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20
    selected = dock.proxy.index(8, STATUS_COLUMN)
    assert drawn(selected) == dock.table.palette().color(QPalette.Active, QPalette.Highlight)
    visible = [i for i in range(dock.proxy.rowCount()) if dock.table.visualRect(dock.proxy.index(i, 0)).bottom()
               < dock.table.viewport().height()]
    assert len(visible) > 10
    for i in visible:
        if i != 8:
            index = dock.proxy.index(i, STATUS_COLUMN)
            assert drawn(index) == STATUS_COLOURS[index.data(STATUS_ROLE)], i


def test_reload_after_edits_keeps_filters_and_current_patch(dock, prepared):
    from wpzf.domain.workbench import filters as fl

    dock.choose(fl.DECISION, fl.NONE)
    shown = dock.proxy.rowCount()
    fid = dock.visible_fids()[2]
    dock.select_fid(fid)
    with gpkg_connect(prepared) as conn:
        conn.execute("UPDATE jctb SET PDLX = '其他', XGR = 'tester', XGSJ = 'now' WHERE fid = ?", (dock.visible_fids()[0],))
    try:
        dock.reload()
        assert dock.proxy.rowCount() == shown - 1 and dock.current_fid() == fid
    finally:
        with gpkg_connect(prepared) as conn:
            conn.execute("UPDATE jctb SET PDLX = NULL, XGR = 'tester', XGSJ = 'later' WHERE PDLX = '其他'")


def test_a_locked_batch_shows_locked_rows(dock, prepared, tmp_path):
    from wpzf.domain.workbench import status as st
    from wpzf.domain.workspace.store import Workspace
    from wpzf.ui.patch_list.model import STATUS_COLOURS, STATUS_ROLE

    copy = tmp_path / "locked.gpkg"
    shutil.copyfile(prepared, copy)
    with Workspace.open(copy, user="tester") as ws:
        ws.lock_batch("2022-05")
    dock.set_workspace(copy)
    by_status = {}
    for i in range(dock.proxy.rowCount()):
        index = dock.proxy.index(i, 0)
        by_status.setdefault(index.data(STATUS_ROLE), []).append(index)
    assert len(by_status[st.LOCKED]) == 60
    assert st.OVERDUE not in by_status  # locked patches are never overdue; 2022-06 is not due yet
    assert by_status[st.LOCKED][0].data(Qt.BackgroundRole).color() == STATUS_COLOURS[st.LOCKED]


def test_twenty_thousand_rows_model_builds_filters_and_sorts(qtbot, capsys):
    """A performance check, not a timed assert: the numbers are printed for review (pytest -s)."""
    from wpzf.domain.workbench import filters as fl
    from wpzf.domain.workbench import status as st
    from wpzf.domain.workbench.patch_rows import PatchRow
    from wpzf.ui.patch_list.model import PatchFilterProxy, PatchTableModel

    rows = []
    for i in range(20000):
        decision = ("合法", "违法", "")[i % 3]
        left = i % 40 - 10
        rows.append(PatchRow(i + 1, f"500118202205{i:05d}", "2022-05", "核查中", False, f"5001180{i % 20:02d}",
                             decision, "", ("合法", "违法", "其他", "")[i % 4], "", "r", "2022-06-01", left,
                             i % 7 == 0, 0, 0, 1000.0 + i, None, None, None,
                             st.statuses(locked=False, decided=bool(decision), days=left, errors=i % 7 == 0,
                                         returned=False)))
    model, proxy = PatchTableModel(), PatchFilterProxy()
    started = time.perf_counter()
    model.set_rows(rows)
    proxy.setSourceModel(model)
    built = time.perf_counter()
    proxy.set_patch_filter(fl.PatchFilter().with_choice(fl.TOWN, "500118003").with_choice(fl.DECISION, fl.NONE))
    shown = proxy.rowCount()
    filtered = time.perf_counter()
    counts = fl.facet_counts(rows, proxy.patch_filter)
    counted = time.perf_counter()
    proxy.set_patch_filter(fl.PatchFilter())
    proxy.sort(9, Qt.DescendingOrder)
    first = proxy.index(0, 9).data()
    sorted_at = time.perf_counter()
    assert shown == sum(1 for i in range(20000) if i % 20 == 3 and i % 3 == 2)
    assert sum(counts[fl.TOWN].values()) == sum(1 for i in range(20000) if i % 3 == 2)
    assert first == "29"
    with capsys.disabled():
        print(f"\n20,000-row model: build {1000 * (built - started):.0f} ms, filter {1000 * (filtered - built):.0f} ms, "
              f"facet counts {1000 * (counted - filtered):.0f} ms, sort {1000 * (sorted_at - counted):.0f} ms")


def test_one_click_colours_the_map_by_decision_and_by_stage(dock, prepared):
    """Issue 19: "The patch list can colour the map by category/stage with one click (a layer style from the
    rule set)". 12 patches of 2022-05 were decided above (6 合法, 6 违法); the rest are not decided yet;
    2022-05 is 核查中, 2022-06 一上."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsRenderContext

    assert dock.colour_map("decision")
    layer = dock.patch_layer()
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "PDLX"
    by_value = {c.value(): c for c in renderer.categories()}
    assert set(by_value) >= {"合法", "违法", "其他"}  # the rule set's three categories
    assert by_value["违法"].symbol().color().name() == "#d7301f" and by_value["合法"].symbol().color().name() == "#2e9d4a"
    assert by_value["违法"].symbol().color().alpha() == 153  # the imagery shows through
    undecided = next(c for c in renderer.categories() if c.value() in (None, ""))
    assert undecided.label() == "Not decided"  # 未判定 under a Chinese QGIS (the catalogue is tested apart)
    context = QgsRenderContext()
    renderer.startRender(context, layer.fields())
    try:  # every feature falls in a class: the counts are those of the database
        drawn = {}
        for feature in layer.getFeatures():
            symbol = renderer.symbolForFeature(feature, context)
            assert symbol is not None
            drawn[feature["PDLX"]] = drawn.get(feature["PDLX"], 0) + 1
    finally:
        renderer.stopRender(context)
    assert drawn.get("违法") == count(prepared, "p.PDLX = '违法'") == 6
    assert drawn.get("合法") == count(prepared, "p.PDLX = '合法'") == 6

    assert dock.colour_map("stage")
    renderer = layer.renderer()
    assert renderer.classAttribute() == "batch_id"
    labels = {c.value(): c.label() for c in renderer.categories()}
    assert labels == {1: "2022-05（核查中）", 2: "2022-06（一上）"}

    assert dock.colour_map("default")
    assert not isinstance(layer.renderer(), QgsCategorizedSymbolRenderer)
