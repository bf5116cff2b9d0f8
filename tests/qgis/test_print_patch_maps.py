"""wpzf:printpatchmaps on the generated district: pages, text, one table row per boundary vertex."""
from __future__ import annotations

import math
import re
import subprocess
import unicodedata

import pytest

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call

PICKED = ("5001182022050028", "5001182022050015", "5001182022050040")  # a hole, two parts (long table), simple
ROW = re.compile(r"\bJ(\d+)\s+(\d{7}\.\d{3})\s+(\d{8}\.\d{3})\s+(\d+\.\d{2})\b")  # J, X, Y, edge


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def workspace(district, tmp_path, wpzf_processing):
    from qgis import processing

    path = tmp_path / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    return path


def pdf_text(path) -> str:
    """pdftotext's layout text, NFKC-normalised (Noto CJK maps some ideographs to Kangxi radicals)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def print_maps(district, workspace=None, **extra):
    from qgis import processing

    params = {
        "BEFORE": str(district.imagery_before), "AFTER": str(district.imagery_after),
        "LANDUSE": f"{district.landuse}|layername=DLTB", "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB",
        "APPROVALS": [f"{district.approvals}|layername={n}" for n in ("NYDZY", "TDGY")],
        "TOWNS": f"{district.xzq}|layername=XZQ", "VILLAGES": f"{district.xzq}|layername=CJDCQ",
        "OFFICE": "重庆市永川区规划和自然资源局", **extra}
    if workspace is not None:
        params.update({"WORKSPACE": str(workspace), "BATCH": "2022-05"})
    return processing.run("wpzf:printpatchmaps", params)


def workspace_shapes(workspace):
    """JCBH → (vertex count without closing repeats, official area) read back from the workspace."""
    import shapely
    from qgis.core import QgsVectorLayer

    from wpzf.domain.geodesy.area import ellipsoidal_area

    layer = QgsVectorLayer(f"{workspace}|layername=jctb", "p", "ogr")
    shapes = {}
    for feature in layer.getFeatures():
        if feature["JCBH"] in PICKED:
            geom = shapely.from_wkb(bytes(feature.geometry().asWkb()))
            rings = [r for p in shapely.get_parts(geom) for r in (p.exterior, *p.interiors)]
            shapes[feature["JCBH"]] = (sum(len(r.coords) - 1 for r in rings), ellipsoidal_area(geom, 4523))
    return shapes


def expected_pages(vertices: int, paper: str = "A4") -> int:
    from wpzf.printing.page_frame import PageFrame

    frame = PageFrame.for_paper(paper)
    return 1 + max(0, math.ceil((vertices - frame.rows_first_page()) / frame.rows_later_page()))


def test_one_pdf_per_patch_with_its_number_area_and_every_boundary_vertex(district, workspace, tmp_path):
    with gpkg_connect(workspace) as conn:  # one judged patch; the others print "—"
        conn.execute("UPDATE jctb SET PDLX = '违法', JTQX = '新增', PDYJ = '未见批准文件', GDMJ = 1234.5678,"
                     " XGR = 'test', XGSJ = 't' WHERE JCBH = ?", (PICKED[0],))
    ids = ", ".join(f"'{j}'" for j in PICKED)
    result = print_maps(district, workspace, EXPRESSION=f'"JCBH" IN ({ids})', OUTPUT_FOLDER=str(tmp_path / "maps"))
    assert result["PRINTED"] == 3 and result["FAILED"] == []
    shapes = workspace_shapes(workspace)
    assert sorted(p.name for p in (tmp_path / "maps").glob("*.pdf")) == sorted(f"{j}.pdf" for j in PICKED)
    assert expected_pages(shapes[PICKED[1]][0]) == 2, "the two-part patch needs a 续表 page"
    total = 0
    for jcbh, (vertices, area) in shapes.items():
        pdf = tmp_path / "maps" / f"{jcbh}.pdf"
        assert pdf_pages(pdf) == expected_pages(vertices)
        total += pdf_pages(pdf)
        text = pdf_text(pdf)
        assert "卫片执法图斑核查图" in text and jcbh in text
        assert f"{area:.2f} m2({area / (10000 / 15):.2f} 亩)" in text, (jcbh, area)  # m² after NFKC
        rows = ROW.findall(text)
        assert [int(r[0]) for r in rows] == list(range(1, vertices + 1)), jcbh  # one row per vertex, in order
        assert all(3.0e6 < float(x) < 3.4e6 and 35.5e6 < float(y) < 35.7e6 for _, x, y, _ in rows)  # X north
        assert "重庆市永川区规划和自然资源局" in text and "EPSG:4523" in text and "北" in text
        assert "续表" in text if pdf_pages(pdf) > 1 else "续表" not in text
    assert result["PAGES"] == total
    judged = pdf_text(tmp_path / "maps" / f"{PICKED[0]}.pdf")
    assert "违法(新增)" in judged and "批准文件" in judged  # 见 comes out as the radical ⻅, which NFKC keeps and "1234.57 m2(1.85 亩)" in judged
    assert "茶山竹海街道(500118004)" in judged  # town name from XZQ by the patch's XZQDM
    assert re.search(r"占用耕地面积\s+—", pdf_text(tmp_path / "maps" / f"{PICKED[2]}.pdf"))

    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "maps" / f"{PICKED[0]}.pdf"), str(png)], check=True)
    from qgis.PyQt.QtGui import QImage

    image = QImage(str(png) + ".png")
    assert (image.width(), image.height()) == (496, 702)  # A4 at 60 dpi
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 50  # imagery and symbols, not a blank page


def test_one_combined_pdf_holds_every_page(district, workspace, tmp_path):
    ids = ", ".join(f"'{j}'" for j in PICKED)
    result = print_maps(district, workspace, EXPRESSION=f'"JCBH" IN ({ids})', MODE=1,
                        OUTPUT_PDF=str(tmp_path / "all.pdf"), PAPER=1)
    assert result["PRINTED"] == 3
    shapes = workspace_shapes(workspace)
    assert pdf_pages(tmp_path / "all.pdf") == result["PAGES"] == sum(expected_pages(v, "A3") for v, _ in
                                                                      shapes.values())
    text = pdf_text(tmp_path / "all.pdf")
    assert all(j in text for j in PICKED)
    assert len(ROW.findall(text)) == sum(v for v, _ in shapes.values())


def test_selected_patches_print_and_a_broken_one_is_reported_while_the_others_print(tmp_path):
    from qgis import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=JCBH:string&field=TBMJ:double", "patches", "memory")
    features = []
    for i, jcbh in enumerate(("A/1", "CON", "EMPTY", "NOT-SELECTED")):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([jcbh, None])
        if jcbh != "EMPTY":
            x, y = 35_590_000 + 500 * i, 3_250_000
            feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x} {y}, {x + 30} {y}, {x + 30} {y + 20}, {x} {y + 20}, {x} {y}))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByExpression("\"JCBH\" <> 'NOT-SELECTED'")
        result = processing.run("wpzf:printpatchmaps", {
            "PATCHES": QgsProcessingFeatureSourceDefinition(layer.id(), selectedFeaturesOnly=True),
            "OUTPUT_FOLDER": str(tmp_path / "maps")})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert result["PRINTED"] == 2
    assert len(result["FAILED"]) == 1 and result["FAILED"][0].startswith("EMPTY")
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["A_1.pdf", "_CON.pdf"]
    text = pdf_text(tmp_path / "maps" / "A_1.pdf")
    assert "A/1" in text and "600.00 m2" not in text  # area is the ellipsoidal one, not the planar 600 m²
    assert len(ROW.findall(text)) == 4


def test_neither_workspace_nor_patches_is_refused(tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException):
        processing.run("wpzf:printpatchmaps", {"OUTPUT_FOLDER": str(tmp_path)})


def test_toolbar_action_presets_the_selected_patches(iface, monkeypatch):
    from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer

    from wpzf.ui import print_maps

    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=JCBH:string", "jctb", "memory")
    features = []
    for jcbh in ("P1", "P2"):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([jcbh])
        feature.setGeometry(QgsGeometry.fromWkt("POLYGON((35590000 3250000, 35590010 3250000, 35590010 3250010, "
                                                "35590000 3250000))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    seen = {}
    monkeypatch.setattr("qgis.processing.execAlgorithmDialog", lambda alg, params: seen.update(alg=alg, **params))
    try:
        print_maps.print_patch_maps(iface)
        assert seen["alg"] == "wpzf:printpatchmaps" and not seen["PATCHES"].selectedFeaturesOnly
        layer.selectByExpression("\"JCBH\" = 'P2'")
        print_maps.print_patch_maps(iface)
        assert seen["PATCHES"].source.staticValue() == layer.id() and seen["PATCHES"].selectedFeaturesOnly
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
