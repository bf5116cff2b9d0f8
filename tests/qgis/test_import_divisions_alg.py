"""wpzf:importdivisions through QGIS Processing: boundaries in EPSG:4490, workspace in EPSG:4523.

domain.md §9: "deliveries carry XZQDM = 500118 (county). A patch's 镇街 and 村 come from the
town and village boundaries (XZQ, CJDCQ), by the largest share of the patch."
"""
from __future__ import annotations

import sqlite3

import pytest
from deliveries import write
from memlayers import memory_layer
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProcessingException,
    QgsProject,
)

X0, Y0 = 35_581_000.0, 3_249_000.0  # near 永川 in EPSG:4523
A, B = "500118001", "500118002"


def gk_box(x1, y1, x2, y2) -> str:
    return f"POLYGON(({X0 + x1} {Y0 + y1},{X0 + x2} {Y0 + y1},{X0 + x2} {Y0 + y2},{X0 + x1} {Y0 + y2},{X0 + x1} {Y0 + y1}))"


def in_4490(wkt: str) -> str:
    """The 4523 polygon in EPSG:4490, densified so its edges stay the same lines in 4523."""
    geometry = QgsGeometry.fromWkt(wkt).densifyByDistance(20.0)
    geometry.transform(QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4523"),
                                              QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance()))
    return geometry.asWkt(9)


def towns_layer(rows=None):
    rows = rows or [(in_4490(gk_box(0, 0, 1000, 1000)), A, "中山路街道"),
                    (in_4490(gk_box(1000, 0, 2000, 1000)), B, "胜利路街道")]
    return memory_layer("XZQ", 4490, "XZQDM:string&XZQMC:string", rows)


def villages_layer():
    return memory_layer("CJDCQ", 4490, "ZLDWDM:string&ZLDWMC:string", [
        (in_4490(gk_box(0, 500, 1000, 1000)), A + "001", "北村"),
        (in_4490(gk_box(0, 0, 1000, 500)), A + "002", "南村"),
        (in_4490(gk_box(1000, 0, 2000, 1000)), B + "001", "东村"),
    ])


def delivery(path, patches):
    return write(path, "GPKG", [{"JCBH": j, "XZQDM": code, "XMC": "永川区", "wkt": gk_box(*box)}
                                for j, code, box in patches])


def run(name, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def workspace(tmp_path):
    ws = tmp_path / "永川2022.gpkg"
    run("importpatches", INPUT=str(delivery(tmp_path / "2022-05.gpkg", [
        ("P70", "500118", (790, 300, 1090, 400)),   # 210 of 300 m in A: 70 %, in 南村
        ("PB", "500118", (1200, 600, 1300, 700)),   # wholly in B
        ("OUT", "500118", (5000, 5000, 5100, 5100)),
    ])), WORKSPACE=str(ws), BATCH="2022-05", RECEIVED="2022-05-06", WORKSPACE_CRS="EPSG:4523")
    return ws


def placed(ws) -> dict:
    with sqlite3.connect(ws) as conn:
        return {r[0]: r[1:] for r in conn.execute(
            "SELECT p.JCBH, d.XZDM, d.XZMC, d.CJDM, d.CJMC, d.XZBL FROM wpzf_patch_division d "
            "JOIN jctb p ON p.fid = d.patch_fid")}


def test_boundaries_in_4490_place_patches_of_a_4523_workspace(workspace):
    result = run("importdivisions", WORKSPACE=str(workspace), TOWNS=towns_layer(), VILLAGES=villages_layer())
    assert (result["TOWNS"], result["VILLAGES"], result["ASSIGNED"], result["UNASSIGNED"]) == (2, 3, 2, 1)
    assert result["UNASSIGNED_JCBH"] == "OUT" and result["REPAIRED"] == 0
    rows = placed(workspace)
    assert rows["P70"][:4] == (A, "中山路街道", A + "002", "南村")
    assert rows["P70"][4] == pytest.approx(0.7, abs=1e-3)  # reprojected back to 4523: the same 210 of 300 m
    assert rows["PB"] == (B, "胜利路街道", B + "001", "东村", 1.0)
    from wpzf.domain.workspace.gpkg import envelope

    with sqlite3.connect(workspace) as conn:
        blob, = conn.execute("SELECT geom FROM wpzf_division WHERE DM = ?", (B,)).fetchone()
        extent = conn.execute("SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'wpzf_division'").fetchone()
    assert envelope(blob) == pytest.approx((X0 + 1000, X0 + 2000, Y0, Y0 + 1000), abs=0.01)  # stored in 4523
    assert extent == pytest.approx((X0, X0 + 2000), abs=8.0)  # from the R-tree's float32 boxes


def test_an_empty_code_is_refused_naming_feature_and_field_and_changes_nothing(workspace):
    run("importdivisions", WORKSPACE=str(workspace), TOWNS=towns_layer())
    bad = towns_layer([(in_4490(gk_box(0, 0, 1000, 1000)), A, "中山路街道"),
                       (in_4490(gk_box(1000, 0, 2000, 1000)), None, "无码")])
    with pytest.raises(QgsProcessingException, match=r"feature 2: the code field XZQDM is empty"):
        run("importdivisions", WORKSPACE=str(workspace), TOWNS=bad)
    assert placed(workspace)["PB"][0] == B  # the previous import stands


def test_an_invalid_boundary_is_repaired_and_counted(workspace):
    bowtie = (f"POLYGON(({X0 + 1000} {Y0},{X0 + 2000} {Y0 + 1000},{X0 + 2000} {Y0},{X0 + 1000} {Y0 + 1000},"
              f"{X0 + 1000} {Y0}))")  # B drawn as a self-crossing bow-tie: two triangles after repair
    layer = towns_layer([(in_4490(gk_box(0, 0, 1000, 1000)), A, "中山路街道"), (in_4490(bowtie), B, "胜利路街道")])
    result = run("importdivisions", WORKSPACE=str(workspace), TOWNS=layer)
    assert result["REPAIRED"] == 1 and result["ASSIGNED"] == 2
    assert placed(workspace)["PB"][0] == B  # PB (x 1200–1300, y 600–700) lies in the upper triangle


def test_patches_imported_later_are_placed_on_import(workspace, tmp_path):
    run("importdivisions", WORKSPACE=str(workspace), TOWNS=towns_layer(), VILLAGES=villages_layer())
    run("importpatches", INPUT=str(delivery(tmp_path / "2022-06.gpkg", [("N1", "500118", (100, 800, 200, 900))])),
        WORKSPACE=str(workspace), BATCH="2022-06", RECEIVED="2022-06-06")
    assert placed(workspace)["N1"] == (A, "中山路街道", A + "001", "北村", 1.0)


def test_town_statistics_with_towns_stores_them_when_the_workspace_has_none(workspace):
    result = run("townstatistics", WORKSPACE=str(workspace), OUTPUT="memory:", TOWNS=towns_layer())
    rows = {f["ZJDM"]: f for f in result["OUTPUT"].getFeatures()}
    # 2 of 3 patches by location (P70 → A, PB → B); OUT keeps the county code of its XZQDM
    assert {code: rows[code]["XFTBS"] for code in (A, B, "500118")} == {A: 1, B: 1, "500118": 1}
    assert rows[A]["ZJMC"] == "中山路街道"
    assert set(placed(workspace)) == {"P70", "PB"}  # stored: later runs and the patch list use them


def test_patch_list_shows_town_names_in_the_filter_and_the_column(workspace, iface, qgis_canvas, qtbot):
    from qgis.PyQt.QtCore import Qt

    from wpzf.domain.workbench import filters as fl
    from wpzf.ui.patch_list.dock import PatchListDock
    from wpzf.ui.patch_list.model import COLUMNS

    run("importdivisions", WORKSPACE=str(workspace), TOWNS=towns_layer())
    dock = PatchListDock(iface)
    qtbot.addWidget(dock)
    try:
        dock.set_workspace(workspace)
        combo = dock.combos[fl.TOWN]
        items = [combo.itemText(i) for i in range(combo.count())]
        assert items[1:] == ["500118 (1)", "中山路街道 (1)", "胜利路街道 (1)"]  # names; the code in the tooltip
        assert combo.itemData(2, Qt.ToolTipRole) == A
        dock.choose(fl.TOWN, A)  # the filter value stays the code
        assert dock.proxy.rowCount() == 1
        column = next(i for i, c in enumerate(COLUMNS) if c.header == "Town")
        shown = dock.proxy.data(dock.proxy.index(0, column), Qt.DisplayRole)
        assert shown == "中山路街道"
        assert dock.proxy.data(dock.proxy.index(0, column), Qt.ToolTipRole) == "中山路街道 (500118001)"
    finally:
        dock.cleanup()


def test_patch_maps_print_the_stored_town_and_village(workspace):
    from qgis.core import QgsVectorLayer

    from wpzf.domain.workspace.store import Workspace
    from wpzf.printing.patch_facts import AdminNames, patch_shape

    run("importdivisions", WORKSPACE=str(workspace), TOWNS=towns_layer(), VILLAGES=villages_layer())
    admin = AdminNames(None, None, QgsCoordinateReferenceSystem("EPSG:4523"))  # no layers given to the print run
    with Workspace.open(workspace) as ws:
        admin.use_workspace(ws)
    layer = QgsVectorLayer(f"{workspace}|layername=jctb", "jctb", "ogr")
    feature = next(layer.getFeatures("\"JCBH\" = 'P70'"))
    facts = patch_shape(feature, feature.geometry(), 4523, "JCBH", "2022-05", admin, 180.0).facts
    assert (facts.town, facts.village) == ("中山路街道（500118001）", "南村")
    other = memory_layer("other", 4523, "fid:integer&JCBH:string", [(gk_box(790, 300, 1090, 400), 1, "X1")])
    foreign = next(other.getFeatures())  # fid 1 of another layer is not the workspace's patch 1
    assert admin.stored_for(foreign) is None
