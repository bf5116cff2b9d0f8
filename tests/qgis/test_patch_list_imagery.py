"""The imagery pre-screening where the technician sees it: the 变化得分 column, the band filter, the decision form.

Issue 22: "Results are stored per patch in the workspace (so the patch list can sort and filter by
change score and the forms show it)" and "a screenshot of the patch list sorted by change score in
the README". Bands: rules/2022-chongqing.toml ``unchanged_score = 0.10`` ("得分 ≤ 0.10：两期影像几乎
无差别") and ``changed_score = 0.50`` ("得分 ≥ 0.50：变化明显"); a missing score is never "unchanged".
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from gpkg_blobs import wkt_blob
from qgis.core import QgsCoordinateReferenceSystem, QgsProject
from qgis.PyQt.QtCore import Qt, QTranslator

from wpzf.domain.workspace.gpkg import connect as gpkg_connect

ROOT = Path(__file__).resolve().parents[2]


def save_screenshot(widget, name: str) -> Path:
    """Write ``widget`` to tests/output/<name>; also to docs/images when WPZF_UPDATE_SCREENSHOTS=1
    (as tests/qgis/test_patch_list_dock.py does)."""
    output = ROOT / "tests" / "output"
    output.mkdir(parents=True, exist_ok=True)
    path = output / name
    assert widget.grab().save(str(path)), path
    if os.environ.get("WPZF_UPDATE_SCREENSHOTS") == "1":
        (ROOT / "docs" / "images").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, ROOT / "docs" / "images" / name)
    return path

# JCBH → (BHDF, BZ): hand-picked around the thresholds 0.10 / 0.50; P8 never screened
SCREENED = {"P1": (0.05, None), "P2": (0.10, None), "P3": (0.30, None), "P4": (0.50, None),
            "P5": (0.93, "部分未覆盖"), "P6": (0.08, "部分云/无数据"), "P7": (None, "未覆盖"), "P9": (None, "云/无数据")}
P5_MEASURES = (400, 52.3, 71.0, "ExG", -0.21, 0.76, 0.64)  # XSS LDBH LDBH90 ZBZS ZBBH BHZB LTZB of P5


@pytest.fixture()
def small(tmp_path):
    """Nine patches of one batch; eight screened with the scores and flags of SCREENED."""
    from wpzf.domain.workspace.store import Workspace

    path = tmp_path / "ws.gpkg"
    with Workspace.create(path, 4523, user="tester") as w, w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        for jcbh in ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"):
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XZQDM, XGR, XGSJ) "
                         "VALUES (?, ?, 1, '500118001', 'tester', 't0')", (wkt_blob(), jcbh))
        fids = dict(conn.execute("SELECT JCBH, fid FROM jctb"))
        conn.executemany('INSERT INTO wpzf_imagery_change (patch_fid, "BHDF", "BZ", "YXQ", "YXH", "JSSJ") '
                         "VALUES (?, ?, ?, 'before.tif', 'after.tif', '2022-05-20T08:00:00.00Z')",
                         [(fids[j], s, f) for j, (s, f) in SCREENED.items()])
        conn.execute('UPDATE wpzf_imagery_change SET "XSS" = ?, "LDBH" = ?, "LDBH90" = ?, "ZBZS" = ?, "ZBBH" = ?, '
                     '"BHZB" = ?, "LTZB" = ? WHERE patch_fid = ?', (*P5_MEASURES, fids["P5"]))
    return path


def make_dock(iface, qgis_canvas, qtbot, path, size=(980, 620)):
    from wpzf.ui.patch_list.dock import PatchListDock

    QgsProject.instance().removeAllMapLayers()
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4523"))
    widget = PatchListDock(iface)
    qtbot.addWidget(widget)
    widget.setFloating(True)  # its parent, the mock main window, is never shown
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_workspace(path)
    return widget


def column_values(dock, column):
    return [dock.proxy.index(i, column).data() for i in range(dock.proxy.rowCount())]


def test_change_column_sorts_numerically_with_empty_last(small, iface, qgis_canvas, qtbot):
    from wpzf.ui.patch_list.model import CHANGE_COLUMN, COLUMNS

    dock = make_dock(iface, qgis_canvas, qtbot, small)
    try:
        assert COLUMNS[CHANGE_COLUMN].header == "Change score"
        assert dock.model.headerData(CHANGE_COLUMN, Qt.Horizontal) == "Change score"
        dock.table.sortByColumn(CHANGE_COLUMN, Qt.DescendingOrder)
        shown = column_values(dock, CHANGE_COLUMN)
        # highest first; the rows without a score (P7, P8, P9: flag or nothing) after them, in JCBH order
        assert shown == ["0.93 (部分未覆盖)", "0.50", "0.30", "0.10", "0.08 (部分云/无数据)", "0.05",
                         "未覆盖", "", "云/无数据"]
        dock.table.sortByColumn(CHANGE_COLUMN, Qt.AscendingOrder)
        assert column_values(dock, CHANGE_COLUMN)[:6] == ["0.05", "0.08 (部分云/无数据)", "0.10", "0.30", "0.50",
                                                          "0.93 (部分未覆盖)"]
        assert column_values(dock, 0)[6:] == ["P7", "P8", "P9"]  # still last when ascending
    finally:
        dock.cleanup()


def test_imagery_filter_bands_with_counts(small, iface, qgis_canvas, qtbot):
    from wpzf.domain.workbench import filters as fl
    from wpzf.domain.workbench import imagery as im

    dock = make_dock(iface, qgis_canvas, qtbot, small)
    try:
        combo = dock.combos[fl.IMAGERY]
        items = [combo.itemText(i) for i in range(combo.count())]
        # hand count: ≤ 0.10 whole patch P1 P2; between P3; ≥ 0.50 P4 P5; none/flagged P6 P7 P8 P9
        assert items == ["All (9)", "No clear change (≤ 0.10) (2)", "In between (1)", "Clear change (≥ 0.50) (2)",
                         "No score or flagged (4)"]
        dock.choose(fl.IMAGERY, im.CHANGED)
        assert column_values(dock, 0) == ["P4", "P5"]
        dock.choose(fl.IMAGERY, im.NO_SCORE)
        assert column_values(dock, 0) == ["P6", "P7", "P8", "P9"]
        dock.search.setText("P7")
        assert combo.itemText(combo.currentIndex()) == "No score or flagged (1)"  # faceted with the search
        assert combo.itemText(1) == "No clear change (≤ 0.10) (0)"
    finally:
        dock.cleanup()


def test_decision_form_shows_the_stored_measures(small, qtbot):
    from wpzf.ui.forms import DecisionForm

    with gpkg_connect(small) as conn:
        fids = dict(conn.execute("SELECT JCBH, fid FROM jctb"))
    form = DecisionForm(small, fids["P5"], confirm=lambda *a: True, user="张三")
    qtbot.addWidget(form)
    # P5_MEASURES and SCREENED["P5"], formatted by hand: shares as whole percent, index change signed
    assert form.imagery.text() == (
        "Imagery change: score 0.93 · changed 76% of 400 pixels · brightness change 52.3 (90th percentile 71.0) · "
        "ExG change -0.21 · bare or built-up after 64% · flag: 部分未覆盖 · images before.tif → after.tif, "
        "computed 2022-05-20 08:00")
    assert not form.imagery.textInteractionFlags() & Qt.TextEditable
    other = DecisionForm(small, fids["P7"], confirm=lambda *a: True, user="张三")
    qtbot.addWidget(other)
    assert other.imagery.text() == ("Imagery change: score – · changed – of 0 pixels · brightness change – "
                                    "(90th percentile –) · vegetation index change – · bare or built-up after – · "
                                    "flag: 未覆盖 · images before.tif → after.tif, computed 2022-05-20 08:00")
    unscreened = DecisionForm(small, fids["P8"], confirm=lambda *a: True, user="张三")
    qtbot.addWidget(unscreened)
    assert unscreened.imagery.text() == "Imagery change: not screened (run the imagery pre-screening)."


@pytest.fixture()
def pending_zh():
    """The screenshot in Chinese, as the README shows it: the plugin's zh_CN catalogue installed."""
    from qgis.PyQt.QtCore import QCoreApplication

    if os.environ.get("WPZF_UPDATE_SCREENSHOTS") != "1":
        yield
        return
    catalogue = QTranslator()
    assert catalogue.load(str(ROOT / "i18n" / "wpzf_zh_CN.qm"))
    QCoreApplication.installTranslator(catalogue)
    yield
    QCoreApplication.removeTranslator(catalogue)


def test_screenshot_patch_list_sorted_by_change_score(district, tmp_path, wpzf_processing, iface, qgis_canvas,
                                                     qtbot, pending_zh):
    """The sample district screened with wpzf:imagerychange, the list sorted by 变化得分, lowest first.

    Lowest first: the patches the screening calls unchanged (pre-judged 其他/实地未变化) come first,
    then the changes in rising order. Received 10 days ago, so the rows show the working colours
    (待判定, two decided) rather than the sample's 2022 deadlines long past.
    """
    import datetime as dt

    from qgis import processing

    from wpzf.domain.workbench import filters as fl
    from wpzf.domain.workbench import imagery as im
    from wpzf.ui.patch_list.model import CHANGE_COLUMN

    workspace = tmp_path / "ws.gpkg"
    received = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(workspace),
                                          "BATCH": "2022-05", "RECEIVED": received})
    processing.run("wpzf:imagerychange", {"WORKSPACE": str(workspace), "BATCH": "2022-05", "OUTPUT": "memory:",
                                          "BEFORE": str(district.imagery_before),
                                          "AFTER": str(district.imagery_after)})
    covers = [f"{district.approvals}|layername={name}" for name in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    processing.run("wpzf:prejudge", {  # uses the stored screening: its suggestions show beside the score
        "WORKSPACE": str(workspace), "LANDUSE": f"{district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "COVERS": covers, "BATCH": "2022-05",
        "OUTPUT": "memory:"})
    with gpkg_connect(workspace) as conn:
        stored = conn.execute('SELECT j.fid, c."BHDF", c."BZ" FROM jctb j JOIN wpzf_imagery_change c '
                              'ON c.patch_fid = j.fid ORDER BY c."BHDF", j."JCBH"').fetchall()
        conn.executemany("UPDATE jctb SET PDLX = '其他', JTQX = '实地未变化', XGR = 'tester', XGSJ = 't' WHERE fid = ?",
                         [(fid,) for fid, _, _ in stored[:2]])  # a technician confirmed the first two
    assert len(stored) == 60
    dock = make_dock(iface, qgis_canvas, qtbot, workspace, size=(1500, 660))
    try:
        dock.table.sortByColumn(CHANGE_COLUMN, Qt.AscendingOrder)
        dock.table.resizeColumnsToContents()
        dock.table.scrollToTop()
        scores = sorted(s for _, s, _ in stored if s is not None)
        expected = scores + [None] * (len(stored) - len(scores))
        assert [r.change_score for r in dock.model.rows] == pytest.approx(expected)
        assert column_values(dock, CHANGE_COLUMN)[0] == f"{scores[0]:.2f}"
        # the band counts are the stored scores counted against 0.10 / 0.50 (the district places both kinds)
        combo = dock.combos[fl.IMAGERY]
        want = {im.UNCHANGED: sum(1 for _, s, f in stored if s is not None and s <= 0.10 and not f),
                im.CHANGED: sum(1 for _, s, _ in stored if s is not None and s >= 0.50)}
        assert want[im.CHANGED] > 0 and want[im.UNCHANGED] > 0
        for band, n in want.items():
            text = combo.itemText(combo.findData(band))
            assert text.endswith(f"({n})"), text
        header = dock.table.horizontalHeader()
        assert header.sectionViewportPosition(CHANGE_COLUMN) + header.sectionSize(CHANGE_COLUMN) <= \
            dock.table.viewport().width()  # the score column is in the picture
        path = save_screenshot(dock, "patch_list_change.png")
        assert path.stat().st_size > 10_000
    finally:
        dock.cleanup()


def test_a_rule_set_without_thresholds_still_lists_the_scores(small, iface, qgis_canvas, qtbot):
    """A broken or unknown rule set must not empty the list: scores show, the bands say they cannot be told."""
    from wpzf.domain.workbench import filters as fl
    from wpzf.domain.workbench import imagery as im
    from wpzf.ui.patch_list.model import CHANGE_COLUMN

    with gpkg_connect(small) as conn:
        conn.execute("INSERT INTO wpzf_meta (key, value) VALUES ('ruleset', 'no-such-set')")
    dock = make_dock(iface, qgis_canvas, qtbot, small)
    try:
        assert dock.change_bands is None and dock.proxy.rowCount() == 9
        assert sorted(column_values(dock, CHANGE_COLUMN)) == sorted(
            ["0.05", "0.10", "0.30", "0.50", "0.93 (部分未覆盖)", "0.08 (部分云/无数据)", "未覆盖", "", "云/无数据"])
        combo = dock.combos[fl.IMAGERY]
        # scored: P1–P6 (six scores); no score: P7 P8 P9
        assert [combo.itemText(i) for i in range(combo.count())] == [
            "All (9)", "Scored (the rule set has no [imagery] thresholds) (6)", "No score or flagged (3)"]
        assert combo.itemData(1) == im.SCORED
    finally:
        dock.cleanup()
