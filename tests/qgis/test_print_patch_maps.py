"""wpzf:printpatchmaps on the generated district: pages, text, one table row per boundary vertex."""
from __future__ import annotations

import math
import re
import subprocess
import unicodedata

import pytest

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call

ROW = re.compile(r"\bJ(\d+)\s+(\d{7}\.\d{3})\s+(\d{8}\.\d{3})\s+(\d+\.\d{2})\b")  # J, X, Y, edge


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


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
        params.setdefault("WORKSPACE", str(workspace))
        params.setdefault("BATCH", "2022-05")
    return processing.run("wpzf:printpatchmaps", params)


def workspace_shapes(workspace, picked=None):
    """JCBH → (vertex count without closing repeats, official area, parts, holes, shapely geometry) read back
    from the workspace, for the ``picked`` patches (all when None)."""
    import shapely
    from qgis.core import QgsVectorLayer

    from wpzf.domain.geodesy.area import ellipsoidal_area

    layer = QgsVectorLayer(f"{workspace}|layername=jctb", "p", "ogr")
    shapes = {}
    for feature in layer.getFeatures():
        if picked is None or feature["JCBH"] in picked:
            geom = shapely.from_wkb(bytes(feature.geometry().asWkb()))
            parts = shapely.get_parts(geom)
            rings = [r for p in parts for r in (p.exterior, *p.interiors)]
            shapes[feature["JCBH"]] = (sum(len(r.coords) - 1 for r in rings), ellipsoidal_area(geom, 4523),
                                       len(parts), sum(len(p.interiors) for p in parts), geom)
    return shapes


def pick(workspace) -> tuple[str, str, str]:
    """Three patches chosen by shape, not by number (the generated district differs across GEOS versions):
    one with a hole, one too long for one A4 page (a two-part one when there is such), one simple 4-to-8-gon."""
    shapes = workspace_shapes(workspace)
    by_number = sorted(shapes.items())
    holed = next(j for j, s in by_number if s[3] > 0)
    long = sorted((s[2] < 2, j) for j, s in by_number if expected_pages(s[0]) == 2 and j != holed)
    assert long, "the sample district has no patch that needs a 续表 page"
    simple = next(j for j, s in by_number if s[2] == 1 and s[3] == 0 and s[0] <= 8 and j != holed)
    return holed, long[0][1], simple


def town_of(district, geom) -> str:
    """名称（代码） of the XZQ town holding the patch (EPSG:4523 shapely geometry), found independently of the
    print code: by area of overlap after reprojecting the towns."""
    import shapely
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsVectorLayer

    towns = QgsVectorLayer(f"{district.xzq}|layername=XZQ", "t", "ogr")
    transform = QgsCoordinateTransform(towns.crs(), QgsCoordinateReferenceSystem("EPSG:4523"), QgsProject.instance())
    best = (0.0, None)
    for feature in towns.getFeatures():
        shape = feature.geometry()
        shape.transform(transform)
        overlap = shapely.from_wkb(bytes(shape.asWkb())).intersection(geom).area
        best = max(best, (overlap, f"{feature['XZQMC']}({feature['XZQDM']})"), key=lambda b: b[0])
    assert best[0] > 0.99 * geom.area, "the holed patch lies in more than one town"
    return best[1]


def expected_pages(vertices: int, paper: str = "A4") -> int:
    from wpzf.printing.page_frame import PageFrame

    frame = PageFrame.for_paper(paper)
    return 1 + max(0, math.ceil((vertices - frame.rows_first_page()) / frame.rows_later_page()))


def test_one_pdf_per_patch_with_its_number_area_and_every_boundary_vertex(district, workspace, tmp_path):
    PICKED = pick(workspace)  # noqa: N806 - a hole, a long table (two parts when possible), simple
    with gpkg_connect(workspace) as conn:  # one judged patch; the others print "—"
        conn.execute("UPDATE jctb SET PDLX = '违法', JTQX = '新增', PDYJ = '未见批准文件', GDMJ = 1234.5678,"
                     " XGR = 'test', XGSJ = 't' WHERE JCBH = ?", (PICKED[0],))
    ids = ", ".join(f"'{j}'" for j in PICKED)
    result = print_maps(district, workspace, EXPRESSION=f'"JCBH" IN ({ids})', OUTPUT_FOLDER=str(tmp_path / "maps"))
    assert result["PRINTED"] == 3 and result["FAILED"] == []
    shapes = workspace_shapes(workspace, PICKED)
    assert sorted(p.name for p in (tmp_path / "maps").glob("*.pdf")) == sorted(f"{j}.pdf" for j in PICKED)
    assert expected_pages(shapes[PICKED[1]][0]) == 2, "the long patch needs a 续表 page"
    assert shapes[PICKED[0]][3] >= 1, "the first patch has a hole: its inner ring's vertices are listed too"
    total = 0
    for jcbh, (vertices, area, *_) in shapes.items():
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
    assert town_of(district, shapes[PICKED[0]][4]) in judged  # the town's name from XZQ, e.g. 茶山竹海街道(500118004)
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
    PICKED = pick(workspace)  # noqa: N806
    ids = ", ".join(f"'{j}'" for j in PICKED)
    result = print_maps(district, workspace, EXPRESSION=f'"JCBH" IN ({ids})', MODE=1,
                        OUTPUT_PDF=str(tmp_path / "all.pdf"), PAPER=1)
    assert result["PRINTED"] == 3
    shapes = workspace_shapes(workspace, PICKED)
    assert pdf_pages(tmp_path / "all.pdf") == result["PAGES"] == sum(expected_pages(s[0], "A3") for s in
                                                                      shapes.values())
    text = pdf_text(tmp_path / "all.pdf")
    assert all(j in text for j in PICKED)
    assert len(ROW.findall(text)) == sum(s[0] for s in shapes.values())


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


@pytest.mark.parametrize("extra, message", [
    ({"BATCH": "2099-01", "OUTPUT_FOLDER": "maps"}, "The workspace has no batch 2099-01."),
    ({"MODE": 1}, "Choose the combined PDF file (OUTPUT_PDF)."),
])
def test_unknown_batch_or_missing_destination_is_refused_by_name(district, workspace, tmp_path, extra, message):
    from qgis.core import QgsProcessingException

    extra = {k: str(tmp_path / v) if k == "OUTPUT_FOLDER" else v for k, v in extra.items()}
    with pytest.raises(QgsProcessingException, match=re.escape(message)):
        print_maps(district, workspace, **extra)
    assert not (tmp_path / "maps").exists()


def test_an_expression_with_a_typo_is_refused_instead_of_printing_every_patch(district, workspace, tmp_path):
    """QGIS's parameterAsExpression gives '' for text it cannot parse: the typo used to print the whole batch."""
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="EXPRESSION"):
        print_maps(district, workspace, EXPRESSION='"JCBH" IN (', OUTPUT_FOLDER=str(tmp_path / "maps"))
    assert not list(tmp_path.glob("maps/*.pdf"))
