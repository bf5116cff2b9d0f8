"""The patch-map atlas layout: shipped templates, the project's layout, atlas PDFs, expression functions."""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call

PICKED = ("5001182022050028", "5001182022050015", "5001182022050040")  # a hole, two parts (long table), simple
ROW = re.compile(r"\bJ(\d+)\s+(\d{7}\.\d{3})\s+(\d{8}\.\d{3})\s+(\d+\.\d{2})\b")  # J, X, Y, edge
OFFICE = "重庆市永川区规划和自然资源局"


@pytest.fixture(autouse=True)
def _functions(wpzf_processing):
    from wpzf.printing.expressions import register_functions, unregister_functions

    register_functions()
    yield
    unregister_functions()


@pytest.fixture()
def project_layers(district, workspace):
    """The workspace's patch layer, imagery, towns and villages in the project; removed afterwards."""
    from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer

    project = QgsProject.instance()
    layers = {
        "patches": QgsVectorLayer(f"{workspace}|layername=jctb", "监测图斑", "ogr"),
        "before": QgsRasterLayer(str(district.imagery_before), "前时相"),
        "after": QgsRasterLayer(str(district.imagery_after), "后时相"),
        "towns": QgsVectorLayer(f"{district.xzq}|layername=XZQ", "XZQ", "ogr"),
        "villages": QgsVectorLayer(f"{district.xzq}|layername=CJDCQ", "CJDCQ", "ogr"),
    }
    assert all(layer.isValid() for layer in layers.values())
    project.addMapLayers(list(layers.values()))
    yield layers
    manager = project.layoutManager()
    for layout in list(manager.printLayouts()):
        manager.removeLayout(layout)
    from qgis.PyQt import sip

    project.removeMapLayers([layer.id() for layer in layers.values() if not sip.isdeleted(layer)])  # a read clears


def pdf_text(path) -> str:
    """pdftotext's layout text, NFKC-normalised (Noto CJK maps some ideographs to Kangxi radicals)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def expected_rows(geometry_wkb: bytes):
    """(label, X, Y, edge) rows that domain/casefile/boundary.py gives for a geometry."""
    import shapely

    from wpzf.domain.casefile import boundary_points, coordinate_rows, polygons_of

    return coordinate_rows(boundary_points(polygons_of(shapely.from_wkb(geometry_wkb))))


def test_atlas_layout_is_added_with_the_patch_layer_as_coverage_and_prints_each_patch(project_layers, workspace,
                                                                                     tmp_path):
    from qgis.core import QgsFeatureRequest, QgsLayoutExporter, QgsProject

    from wpzf.domain.geodesy.area import ellipsoidal_area
    from wpzf.printing.atlas_layout import LAYOUT_NAME, atlas_layout
    from wpzf.printing.export import pdf_settings

    with gpkg_connect(workspace) as conn:  # one judged patch with a farmland area; the others print "—"
        conn.execute("UPDATE jctb SET PDLX = '违法', JTQX = '新增', GDMJ = 1234.5678, XGR = 't', XGSJ = 't'"
                     " WHERE JCBH = ?", (PICKED[0],))
    patches = project_layers["patches"]
    patches.reload()
    project = QgsProject.instance()
    layout = atlas_layout(project, patches, before=project_layers["before"], after=project_layers["after"],
                          towns=project_layers["towns"], villages=project_layers["villages"], office=OFFICE)
    assert project.layoutManager().layoutByName(LAYOUT_NAME) is layout
    atlas = layout.atlas()
    assert atlas.enabled() and atlas.coverageLayer() is patches and atlas.pageNameExpression() == '"JCBH"'
    assert atlas.updateFeatures() == patches.featureCount() == 60

    ids = ", ".join(f"'{j}'" for j in PICKED)
    atlas.setFilterFeatures(True)
    atlas.setFilterExpression(f'"JCBH" IN ({ids})')
    result, error = QgsLayoutExporter.exportToPdfs(atlas, str(tmp_path / "atlas.pdf"), pdf_settings())
    assert result == QgsLayoutExporter.Success, error
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(f"{j}.pdf" for j in PICKED)

    import shapely

    pages = []
    for feature in patches.getFeatures(QgsFeatureRequest().setFilterExpression(f'"JCBH" IN ({ids})')
                                       .addOrderBy("JCBH")):
        jcbh, wkb = feature["JCBH"], bytes(feature.geometry().asWkb())
        text = pdf_text(tmp_path / f"{jcbh}.pdf")
        area = ellipsoidal_area(shapely.from_wkb(wkb), 4523)
        assert "卫片执法图斑核查图" in text and jcbh in text
        assert f"{area:.2f} m2({area / (10000 / 15):.2f} 亩)" in text, (jcbh, area)  # m² after NFKC
        rows = ROW.findall(text)
        assert [(f"J{r[0]}", *r[1:]) for r in rows] == expected_rows(wkb), jcbh  # every vertex, in order
        assert OFFICE in text and "EPSG:4523" in text and "北" in text
        assert re.search(r"^\s*0\s+\d+\s+\d+\s+\d+\s+\d+ 米", text, re.M), "scale bar labels"
        # 16 rows fit under the header on an A4 first page; a longer table goes on on one added page, and
        # a short table after a long one (export order JCBH) has its added page removed again
        assert pdf_pages(tmp_path / f"{jcbh}.pdf") == (1 if len(rows) <= 16 else 2), (jcbh, len(rows))
        pages.append(len(rows) > 16)
    judged = pdf_text(tmp_path / f"{PICKED[0]}.pdf")
    assert "违法(新增)" in judged and "1234.57 m2(1.85 亩)" in judged
    judged_patch = next(patches.getFeatures(f"\"JCBH\" = '{PICKED[0]}'"))
    point = judged_patch.geometry().pointOnSurface()
    town = next(t for t in project_layers["towns"].getFeatures() if t.geometry().contains(point))
    assert f"{town['XZQMC']}({town['XZQDM']})" in judged  # the town the patch lies in (XZQDM holds 500118)
    assert re.search(r"占用耕地面积\s+—", pdf_text(tmp_path / f"{PICKED[2]}.pdf"))
    assert any(pages), "one of the picked patches has a long table"


def test_an_existing_layout_is_kept_unless_the_caller_agrees_to_replace_it(project_layers):
    from qgis.core import QgsProject

    from wpzf.printing.atlas_layout import LAYOUT_NAME, atlas_layout

    project = QgsProject.instance()
    patches = project_layers["patches"]
    first = atlas_layout(project, patches)
    asked = []
    kept = atlas_layout(project, patches, replace=lambda existing: asked.append(existing) or False)
    assert kept is first and asked == [first]
    fresh = atlas_layout(project, patches, paper="A3", replace=lambda existing: True)
    assert fresh is not first
    assert [layout.name() for layout in project.layoutManager().printLayouts()].count(LAYOUT_NAME) == 1
    assert round(fresh.pageCollection().page(0).pageSize().width()) == 297  # A3 portrait


@pytest.mark.parametrize("paper, width", [("A4", 210), ("A3", 297)])
def test_shipped_templates_load_with_every_element(paper, width):
    from qgis.core import (
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutItemPicture,
        QgsLayoutItemScaleBar,
        QgsLayoutObject,
        QgsProject,
    )

    from wpzf.printing.atlas_layout import html_items, load_template, template_path

    assert template_path(paper).is_file()
    layout = load_template(QgsProject.instance(), paper)
    assert round(layout.pageCollection().page(0).pageSize().width()) == width
    items = layout.items()
    maps = [i for i in items if isinstance(i, QgsLayoutItemMap)]
    assert sorted(m.id() for m in maps) == ["wpzf_map_after", "wpzf_map_before"]
    for item in maps:
        assert item.atlasDriven() and item.atlasScalingMode() == QgsLayoutItemMap.Fixed
        scale = item.dataDefinedProperties().property(QgsLayoutObject.MapScale)
        assert scale.isActive() and "wpzf_round_scale(@atlas_geometry" in scale.expressionString()
    labels = [i.text() for i in items if isinstance(i, QgsLayoutItemLabel)]
    assert any('[% "JCBH" %]' in t for t in labels) and "北" in labels and "卫片执法图斑核查图" in labels
    assert any("@wpzf_office" in t for t in labels) and any("wpzf_crs_note" in t for t in labels)
    assert html_items(layout) == []  # QGIS builds without QtWebKit (Debian 13's 3.40) print HTML frames empty
    from wpzf.printing.atlas_points import point_table

    points = point_table(layout)
    assert points is not None and points.resizeMode() == points.RepeatUntilFinished
    assert [c.heading() for c in points.headers()] == ["点号", "X (m)", "Y (m)", "边长 (m)"]
    facts = next(m for m in layout.multiFrames() if m is not points and m.frameCount()
                 and m.frame(0).id() == "wpzf_facts")
    cells = [[cell.content() for cell in row] for row in facts.tableContents()]
    assert [row[0] for row in cells][:3] == ["监测编号", "监测批次", "所在乡镇（街道）"]
    expressions = [row[1].expressionString() for row in cells]  # QgsProperty cells survive the template
    assert 'wpzf_area_text("GDMJ")' in expressions and 'wpzf_area_text("JBNTGDMJ")' in expressions
    arrows = [i for i in items if isinstance(i, QgsLayoutItemPicture)]
    assert len(arrows) == 1 and arrows[0].linkedMap().id() == "wpzf_map_after"
    bars = [i for i in items if isinstance(i, QgsLayoutItemScaleBar)]
    assert len(bars) == 1 and bars[0].linkedMap().id() == "wpzf_map_after"
    assert len([i for i in items if isinstance(i, QgsLayoutItemLegend)]) == 1


def test_boundary_table_html_has_one_row_per_vertex_as_the_domain_numbers_them():
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextScope, QgsGeometry

    wkt = ("MULTIPOLYGON(((35590000 3250000, 35590040 3250000, 35590040 3250030, 35590000 3250030, 35590000 3250000),"
           "(35590010 3250010, 35590020 3250010, 35590020 3250020, 35590010 3250010)),"
           "((35590100 3250000, 35590130 3250000, 35590115 3250025, 35590100 3250000)))")
    geometry = QgsGeometry.fromWkt(wkt)
    scope = QgsExpressionContextScope()
    scope.setVariable("patch", geometry)
    context = QgsExpressionContext()
    context.appendScope(scope)
    expression = QgsExpression("wpzf_boundary_points_html(@patch)")
    html = expression.evaluate(context)
    assert not expression.hasEvalError(), expression.evalErrorString()
    cells = [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)]
    body = [row for row in cells if row]
    expected = expected_rows(bytes(geometry.asWkb()))
    assert len(body) == len(expected) == 4 + 3 + 3
    assert [tuple(row) for row in body] == [tuple(row) for row in expected]
    assert body[0][0] == "J1" and float(body[0][1]) == 3250030.0  # X is the northing, NW corner first


def test_plugin_registers_the_functions_and_unload_removes_them_twice(iface, qgis_processing):
    from qgis.core import QgsApplication, QgsExpression
    from qgis.PyQt.QtCore import QCoreApplication, QEvent
    from qgis.PyQt.QtWidgets import QAction

    import wpzf
    from wpzf.printing.expressions import FUNCTIONS, unregister_functions

    unregister_functions()  # the autouse fixture's registration
    registry = QgsApplication.processingRegistry()
    stale = registry.providerById("wpzf")
    if stale is not None:
        registry.removeProvider(stale)
    for _ in range(2):
        plugin = wpzf.classFactory(iface)
        plugin.initGui()
        assert all(QgsExpression.isFunctionName(name) for name in FUNCTIONS)
        actions = [a.objectName() for a in iface.mainWindow().findChildren(QAction)]
        assert "wpzfOpenAtlasLayout" in actions
        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # the menu's deleteLater()
        QCoreApplication.processEvents()
        assert not any(QgsExpression.isFunctionName(name) for name in FUNCTIONS)
        assert "wpzfOpenAtlasLayout" not in [a.objectName() for a in iface.mainWindow().findChildren(QAction)]


def test_designer_action_opens_the_layout_for_the_workspace_patch_layer(iface, project_layers, monkeypatch):
    from qgis.core import QgsProject, QgsVectorLayer

    from wpzf.printing.atlas_layout import LAYOUT_NAME
    from wpzf.ui import print_maps

    other = QgsVectorLayer("Polygon?crs=EPSG:4523&field=JCBH:string", "not a workspace", "memory")
    QgsProject.instance().addMapLayer(other)
    opened = []
    monkeypatch.setattr(iface, "openLayoutDesigner", lambda layout: opened.append(layout), raising=False)
    monkeypatch.setattr("qgis.PyQt.QtWidgets.QMessageBox.question", lambda *args: pytest.fail("asked too early"))
    try:
        iface.setActiveLayer(other) if hasattr(iface, "setActiveLayer") else None
        assert print_maps.workspace_patch_layer(iface) is project_layers["patches"]
        layout = print_maps.open_atlas_layout(iface)
        assert opened == [layout] and layout.name() == LAYOUT_NAME
        assert layout.atlas().coverageLayer() is project_layers["patches"]
        from qgis.PyQt.QtWidgets import QMessageBox

        monkeypatch.setattr("qgis.PyQt.QtWidgets.QMessageBox.question", lambda *args: QMessageBox.No)
        assert print_maps.open_atlas_layout(iface) is layout  # "No" keeps the user's edited layout
    finally:
        QgsProject.instance().removeMapLayer(other.id())


def test_atlas_names_the_town_and_village_the_workspace_stored(tmp_path, qgis_app):
    """Deliveries carry XZQDM 500118: the atlas names the placed town (wpzf:importdivisions), no town layer needed."""
    import shapely
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextScope, QgsProject, QgsVectorLayer
    from reporting_district import build

    from wpzf.domain.workspace.division_shares import Division
    from wpzf.domain.workspace.divisions import import_divisions
    from wpzf.domain.workspace.store import Workspace
    from wpzf.printing.expressions import register_functions

    path = build(tmp_path / "ws.gpkg", patches=[dict(JCBH="A1", XZQDM="500118")])  # a 100 m square at x 35580000
    town = shapely.box(35579000, 3249000, 35581000, 3251000)
    with Workspace.open(path, user="tester") as ws:
        import_divisions(ws, [Division("500118004", "茶山竹海街道", town)],
                         [Division("500118004201", "李河村", town, "500118004")])
    register_functions()
    layer = QgsVectorLayer(f"{path}|layername=jctb", "jctb", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        feature = next(layer.getFeatures())
        context = QgsExpressionContext()
        scope = QgsExpressionContextScope()
        scope.setVariable("atlas_layerid", layer.id())
        context.appendScope(scope)
        context.setFeature(feature)
        town_text = QgsExpression('wpzf_town_name("XZQDM", NULL)').evaluate(context)
        village = QgsExpression("wpzf_village_name(@atlas_geometry, 'EPSG:4523', NULL)").evaluate(context)
        assert town_text == "茶山竹海街道（500118004）" and village == "李河村"
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_a_layout_read_back_with_a_project_prints_each_patchs_own_point_table(iface, project_layers, tmp_path):
    """The point table is refilled from Python per atlas feature: a project saved and opened again must keep that."""
    from qgis.core import QgsLayoutExporter, QgsProject
    from qgis.PyQt.QtCore import QObject

    import wpzf
    from wpzf.printing.atlas_layout import LAYOUT_NAME, atlas_layout
    from wpzf.printing.atlas_points import FILLER_NAME, point_table
    from wpzf.printing.export import pdf_settings

    project = QgsProject.instance()
    atlas_layout(project, project_layers["patches"])
    path = tmp_path / "month.qgz"
    assert project.write(str(path))
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    if registry.providerById("wpzf") is not None:  # the fixture's provider: the plugin adds its own
        registry.removeProvider(registry.providerById("wpzf"))
    plugin = wpzf.classFactory(iface)
    plugin.initGui()
    unloaded = False
    try:
        assert project.read(str(path))
        layout = project.layoutManager().layoutByName(LAYOUT_NAME)
        assert layout is not None and layout.findChild(QObject, FILLER_NAME) is not None
        patches = layout.atlas().coverageLayer()
        ids = ", ".join(f"'{j}'" for j in PICKED)
        layout.atlas().setFilterFeatures(True)
        layout.atlas().setFilterExpression(f'"JCBH" IN ({ids})')
        result, error = QgsLayoutExporter.exportToPdfs(layout.atlas(), str(tmp_path / "atlas.pdf"), pdf_settings())
        assert result == QgsLayoutExporter.Success, error
        for feature in patches.getFeatures(f'"JCBH" IN ({ids})'):
            rows = ROW.findall(pdf_text(tmp_path / f"{feature['JCBH']}.pdf"))
            assert [(f"J{r[0]}", *r[1:]) for r in rows] == expected_rows(bytes(feature.geometry().asWkb()))
        plugin.unload()
        unloaded = True
        assert layout.findChild(QObject, FILLER_NAME) is None  # no slot of an unloaded module stays connected
        assert point_table(layout) is not None
    finally:
        if not unloaded:
            plugin.unload()
        project.clear()
