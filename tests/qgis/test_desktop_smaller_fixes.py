"""Issue 15 item 7, the smaller things a technician met in the real desktop: icons, import and export
defaults, town names, stale filters, the 状态 column, the import log's language."""
from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest
from deliveries import BOWTIE_4523, square_4523, write
from memlayers import memory_layer
from qgis.core import QgsProcessingFeedback, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt
from qgis.PyQt.QtGui import QImage
from reporting_district import T1, T2, build

from wpzf.domain.workbench import filters as fl


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def menu(iface):
    from wpzf.ui.main_menu import MainMenu

    QgsProject.instance().removeAllMapLayers()
    built = MainMenu(iface, "wpzfMenuPolish", "wpzfToolbarPolish")
    yield built
    built.remove()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QgsProject.instance().removeAllMapLayers()


def run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


def delivery(path: Path, count: int = 3, extra: list[dict] | None = None) -> Path:
    rows = [{"JCBH": f"5001182022050000{i}", "XZQDM": "500118", "wkt": square_4523(i)} for i in range(count)]
    return write(path, "GPKG", rows + (extra or []))


def image_bytes(icon, size: int = 24) -> bytes:
    image = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format_ARGB32)
    return bytes(image.constBits().asstring(image.sizeInBytes()))


def test_every_action_has_its_own_icon_readable_at_24_and_16_px(menu):
    """Eight toolbar actions showed the same plugin icon: each now draws its own SVG."""
    toolbar = [a for a in menu.toolbar.actions() if a.objectName().startswith("wpzf")]
    assert len(toolbar) == 8, [a.objectName() for a in toolbar]
    for action in menu.actions:  # the menu-only reporting steps too
        assert not action.icon().isNull(), action.objectName()
    for size in (24, 16):
        rendered = {a.objectName(): image_bytes(a.icon(), size) for a in menu.actions}
        for (name_a, a), (name_b, b) in itertools.combinations(rendered.items(), 2):
            assert a != b, f"{name_a} and {name_b} look the same at {size} px"
        blank = bytes(len(next(iter(rendered.values()))))
        assert blank not in rendered.values()  # every SVG actually rendered something


def test_import_prefills_the_open_workspace_and_adds_a_new_one_once(menu, tmp_path, monkeypatch):
    from qgis import processing

    from wpzf.ui.patch_list.navigation import patch_layer_name

    calls: list[dict] = []
    target = {"path": tmp_path / "yongchuan2022.gpkg"}

    def dialog(algorithm, params):  # what the user does in the dialog: run on the workspace shown or a new one
        calls.append(dict(params))
        assert algorithm == "wpzf:importpatches"
        batch = f"2022-0{len(calls) + 4}"
        return processing.run(algorithm, {"INPUT": str(delivery(tmp_path / f"{batch}.gpkg")),
                                          "WORKSPACE": params.get("WORKSPACE", str(target["path"])),
                                          "BATCH": batch, "RECEIVED": f"{batch}-06"})

    monkeypatch.setattr(processing, "execAlgorithmDialog", dialog)
    layer = menu.import_patches()  # no workspace open: the dialog starts empty, the run creates one
    assert calls[0] == {}
    name = patch_layer_name(target["path"])
    assert name == "监测图斑 (yongchuan2022)"
    assert layer is not None and layer.name() == name and layer.featureCount() == 3
    assert [lyr.name() for lyr in QgsProject.instance().mapLayersByName(name)] == [name]
    assert menu.workbench.workspace == target["path"]
    again = menu.import_patches()  # the open workspace is pre-filled; its layer is not added twice
    assert calls[1] == {"WORKSPACE": str(target["path"])}
    assert len(QgsProject.instance().mapLayersByName(name)) == 1 and again.id() == layer.id()
    again.reload()
    assert again.featureCount() == 6


def test_export_defaults_to_the_workspace_folder_named_by_period(menu, tmp_path, monkeypatch):
    """The workbook went to a temporary OUTPUT.xlsx; it belongs beside the workspace: 卫片执法报表_<PERIOD>.xlsx."""
    from qgis import processing

    workspace = build(tmp_path / "ws.gpkg")  # batch 2022-05 received 2022-05-06
    menu.workbench.set_workspace(workspace)
    seen: list[tuple] = []
    monkeypatch.setattr(processing, "execAlgorithmDialog", lambda alg, params: seen.append((alg, params)) or {})
    menu.run_on_workspace("wpzf:exportreport")
    assert seen == [("wpzf:exportreport", {"WORKSPACE": str(workspace), "PERIOD": "2022",
                                           "OUTPUT": str(tmp_path / "卫片执法报表_2022.xlsx")})]
    monkeypatch.undo()

    class Log(QgsProcessingFeedback):
        lines: list[str] = []

        def pushInfo(self, info):  # noqa: N802
            self.lines.append(info)

    log = Log()
    result = processing.run("wpzf:exportreport", {"WORKSPACE": str(workspace), "PERIOD": "2022-05",
                                                  "OUTPUT": "TEMPORARY_OUTPUT"}, feedback=log)
    expected = tmp_path / "卫片执法报表_2022-05.xlsx"
    assert result["OUTPUT"] == str(expected) and expected.is_file()
    assert any(str(expected) in line for line in log.lines), log.lines
    from openpyxl import load_workbook

    assert "镇街统计" in load_workbook(expected).sheetnames
    chosen = tmp_path / "mine.xlsx"  # a file the user chose is kept
    assert processing.run("wpzf:exportreport", {"WORKSPACE": str(workspace), "OUTPUT": str(chosen)})["OUTPUT"] == \
        str(chosen)


@pytest.fixture()
def named(tmp_path) -> Path:
    """The hand-built two-town workspace with its towns stored (wpzf:importdivisions) under their names."""
    workspace = build(tmp_path / "named.gpkg")
    x0, y0 = 35_580_000, 3_250_000  # reporting_district.blob: patch i at x0 + 200 i, 100 m wide
    towns = memory_layer("XZQ", 4523, "XZQDM:string&XZQMC:string", [
        (f"POLYGON(({x0 - 50} {y0 - 50},{x0 + 550} {y0 - 50},{x0 + 550} {y0 + 150},{x0 - 50} {y0 + 150},"
         f"{x0 - 50} {y0 - 50}))", T1, "中山路街道"),  # P1–P3 (i = 0…2)
        (f"POLYGON(({x0 + 550} {y0 - 50},{x0 + 1800} {y0 - 50},{x0 + 1800} {y0 + 150},{x0 + 550} {y0 + 150},"
         f"{x0 + 550} {y0 - 50}))", T2, "胜利路街道"),  # P4 … P7_2 (i = 3…8)
    ])
    assert run("importdivisions", WORKSPACE=str(workspace), TOWNS=towns)["UNASSIGNED"] == 0
    return workspace


def test_interview_and_town_filter_name_the_towns(named, iface, qtbot):
    """domain.md §9: towns come from the stored boundaries — and are shown by their names, codes only as a hint."""
    result = run("townstatistics", WORKSPACE=str(named), PERIOD="2022", OUTPUT="memory:")
    proposed = result["INTERVIEW"].split("、")
    assert proposed and set(proposed) <= {"中山路街道", "胜利路街道"}, result["INTERVIEW"]
    from wpzf.ui.patch_list.dock import PatchListDock
    from wpzf.ui.patch_list.model import TOWN_COLUMN

    dock = PatchListDock(iface)
    qtbot.addWidget(dock)
    dock.set_workspace(named)
    combo = dock.combos[fl.TOWN]
    items = {combo.itemData(i): (combo.itemText(i), combo.itemData(i, Qt.ToolTipRole)) for i in range(1, combo.count())}
    # 3 patches in 中山路街道 (P1–P3), 6 in 胜利路街道 (P4–P7_2)
    assert items == {T1: ("中山路街道 (3)", T1), T2: ("胜利路街道 (6)", T2)}
    index = dock.proxy.index(0, TOWN_COLUMN)
    assert index.data() in ("中山路街道", "胜利路街道") and index.data(Qt.ToolTipRole).endswith(")")
    dock.cleanup()


def test_switching_workspace_resets_filters_and_names_layers_by_workspace(named, tmp_path, iface, qtbot):
    from wpzf.ui.patch_list.dock import PatchListDock
    from wpzf.ui.patch_list.navigation import ensure_patch_layer

    QgsProject.instance().removeAllMapLayers()
    other = build(tmp_path / "yongchuan2023.gpkg", patches=[dict(JCBH="Q1", XZQDM=T1), dict(JCBH="Q2", XZQDM=T2)])
    dock = PatchListDock(iface)
    qtbot.addWidget(dock)
    dock.set_workspace(named)
    dock.choose(fl.TOWN, T2)
    dock.search.setText("P7")
    assert dock.proxy.rowCount() == 3  # P7, P7_1, P7_2
    dock.reload()  # the same workspace keeps its filters
    assert dock.proxy.rowCount() == 3
    dock.set_workspace(other)
    assert dock.proxy.patch_filter == fl.PatchFilter() and dock.search.text() == ""
    assert dock.proxy.rowCount() == 2 and dock.combos[fl.TOWN].currentIndex() == 0
    first, second = ensure_patch_layer(named), ensure_patch_layer(other)
    assert (first.name(), second.name()) == ("监测图斑 (named)", "监测图斑 (yongchuan2023)")
    assert ensure_patch_layer(named) is first  # found again, not added twice
    dock.cleanup()
    QgsProject.instance().removeAllMapLayers()


def test_status_column_shows_the_longest_status_whole(named, iface, qtbot):
    from wpzf.domain.workbench import status as st
    from wpzf.ui.patch_list.dock import PatchListDock
    from wpzf.ui.patch_list.model import STATUS_COLUMN

    dock = PatchListDock(iface)
    qtbot.addWidget(dock)
    dock.set_workspace(named)
    metrics = dock.table.fontMetrics()
    longest = max(metrics.horizontalAdvance(QCoreApplication.translate("domain", t)) for t in st.LABELS.values())
    assert dock.model.headerData(STATUS_COLUMN, Qt.Horizontal) == "Status"
    assert dock.table.horizontalHeader().sectionSize(STATUS_COLUMN) >= longest + metrics.averageCharWidth()
    dock.cleanup()


def test_import_log_names_the_repair_in_the_ui_language(tmp_path):
    """The problem lines started with the English kind ("repaired P…"): they use the translated label now."""
    from wpzf.i18n import install_translator, remove_translator

    class Log(QgsProcessingFeedback):
        lines: list[str] = []

        def pushInfo(self, info):  # noqa: N802
            self.lines.append(info)

    source = delivery(tmp_path / "d.gpkg", 2, [{"JCBH": "BOWTIE", "XZQDM": "500118", "wkt": BOWTIE_4523}])
    assert install_translator("zh_CN")
    try:
        log = Log()
        from qgis import processing

        result = processing.run("wpzf:importpatches", {"INPUT": str(source), "WORKSPACE": str(tmp_path / "w.gpkg"),
                                                       "BATCH": "2022-05", "RECEIVED": "2022-05-06"}, feedback=log)
    finally:
        remove_translator()
    assert result["REPAIRED"] == 1
    line = next(x for x in log.lines if "BOWTIE" in x)
    assert line.startswith("已修复 BOWTIE: ") and "repaired" not in line.lower(), line
    with sqlite3.connect(tmp_path / "w.gpkg") as conn:
        assert conn.execute("SELECT XFBZ FROM jctb WHERE JCBH = 'BOWTIE'").fetchone() == (1,)
