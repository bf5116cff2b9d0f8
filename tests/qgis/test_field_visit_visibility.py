"""A field visit is visible at once (issue 17): the patch list's "visited" filter and the Excel patch list.

Issue 17: "The visit is visible at once in the forms, the patch list (a "visited" filter), the Excel patch
list and the case dossier." Work plan: "收到下发图斑后，立即组织开展内业比对和外业踏勘" — the office
follows which patches were visited. The hand-built two-town workspace (reporting_district) has nine
patches P1 … P7_2; P4 gets two visits (one from a field package, with its 调查结果), P6 one typed in the
office (no result): 2 patches visited, 7 not.
"""
from __future__ import annotations

import pytest
from qgis.core import QgsProject
from reporting_district import build

from wpzf.domain.casework.records import FieldVisit
from wpzf.domain.casework.save import add_field_visit
from wpzf.domain.workspace.patch_fields import ID_ALIAS
from wpzf.domain.workspace.store import Workspace


@pytest.fixture()
def visited(tmp_path):
    path = build(tmp_path / "ws.gpkg")
    with Workspace.open(path, user="tester") as ws:
        fids = dict(ws.conn.execute('SELECT "JCBH", fid FROM jctb'))
        add_field_visit(ws, fids["P4"], FieldVisit(KCRQ="2022-05-20", KCRY="李四", KCQK="新建厂房", KCJG="非农违法",
                                                   KCSJ="2022-05-20T10:31:00", WYBS="u-1", WYB="pkg-1"))
        add_field_visit(ws, fids["P4"], FieldVisit(KCRQ="2022-05-27", KCRY="李四", KCQK="已停工"))
        add_field_visit(ws, fids["P6"], FieldVisit(KCRQ="2022-05-21", KCRY="张三", KCQK="现场为耕地"))
    return path


def test_rows_count_visits_and_the_visited_filter_counts_like_the_others(visited):
    from wpzf.domain.workbench import filters as fl
    from wpzf.domain.workbench.patch_rows import load_rows

    with Workspace.open(visited) as ws:
        rows = load_rows(ws.conn)
    assert {r.jcbh: r.visits for r in rows if r.visits} == {"P4": 2, "P6": 1}
    assert fl.facet_counts(rows, fl.PatchFilter())[fl.VISITED] == {fl.WITH_VISIT: 2, fl.WITHOUT_VISIT: 7}
    illegal = fl.PatchFilter().with_choice(fl.DECISION, "违法")  # P2, P3, P4, P7_1: only P4 visited
    assert fl.facet_counts(rows, illegal)[fl.VISITED] == {fl.WITH_VISIT: 1, fl.WITHOUT_VISIT: 3}
    not_visited = fl.PatchFilter().with_choice(fl.VISITED, fl.WITHOUT_VISIT)
    assert sorted(r.jcbh for r in rows if not_visited.matches(r)) == ["P1", "P2", "P3", "P5", "P7", "P7_1", "P7_2"]
    assert fl.facet_counts(rows, not_visited)[fl.DECISION] == {"合法": 2, "违法": 3, "其他": 1, fl.NONE: 1}


def test_excel_patch_list_shows_date_surveyor_result_and_notes_of_each_visit(visited, tmp_path):
    from openpyxl import Workbook

    from wpzf.domain.reporting.excel import write_patch_list
    from wpzf.domain.reporting.facts import load_facts

    with Workspace.open(visited) as ws:
        facts = load_facts(ws)
    book = Workbook()
    write_patch_list(book, facts, {}, "卫片执法图斑清单")
    sheet = book["图斑清单"]
    header = [c.value for c in sheet[2]]
    column = header.index("外业踏勘") + 1
    jcbh = next(j for j, h in enumerate(header, 1) if h and str(h).startswith(ID_ALIAS))  # 监测图斑编号 header
    cells = {sheet.cell(row, jcbh).value: sheet.cell(row, column).value for row in range(3, sheet.max_row + 1)}
    assert cells["P4"] == "2022-05-20 李四 非农违法：新建厂房；2022-05-27 李四：已停工"  # no result typed: none shown
    assert cells["P6"] == "2022-05-21 张三：现场为耕地"
    assert cells["P1"] in ("", None)


def test_patch_list_dock_offers_visited_and_not_visited_with_counts(visited, iface, qgis_canvas, qtbot):
    from wpzf.domain.workbench import filters as fl
    from wpzf.ui.patch_list.dock import PatchListDock

    dock = PatchListDock(iface)
    qtbot.addWidget(dock)
    try:
        dock.set_workspace(visited)
        combo = dock.combos[fl.VISITED]
        assert combo.objectName() == "wpzfFilter_visited"
        assert [combo.itemText(i) for i in range(combo.count())] == ["All (9)", "Visited (2)", "Not visited (7)"]
        dock.choose(fl.VISITED, fl.WITH_VISIT)
        assert dock.proxy.rowCount() == 2
        assert sorted(dock.model.rows[dock.model.row_of_fid(f)].jcbh for f in dock.visible_fids()) == ["P4", "P6"]
        dock.choose(fl.DECISION, "违法")  # faceted: the visited counts follow the other filters
        assert [combo.itemText(i) for i in range(combo.count())] == ["All (4)", "Visited (1)", "Not visited (3)"]
        assert dock.proxy.rowCount() == 1
    finally:
        dock.cleanup()
        QgsProject.instance().removeAllMapLayers()
