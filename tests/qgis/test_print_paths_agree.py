"""Issue 15 item 2: a patch printed from the toolbar (selected features of a project layer) and through the
workspace gives the same page — the plugin's own patch style (red outline, no fill, JCBH label) whatever the
project layer's style, 批次 from the workspace (batch_id → wpzf_batch.PCMC), 所在乡镇 by its name.

domain.md §9: "deliveries carry XZQDM = 500118 (county). A patch's 镇街 and 村 come from the town and village
boundaries (XZQ, CJDCQ), by the largest share of the patch." — so the page shows the town name, not 500118.
"""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from qgis.core import QgsFillSymbol, QgsProject, QgsVectorLayer
from qgis.PyQt.QtGui import QColor, QImage

JCBH = "5001182022050040"  # a simple patch of the generated district (test_print_patch_maps.PICKED)
DPI = 100


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def workspace(district, tmp_path):
    from qgis import processing

    path = tmp_path / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    processing.run("wpzf:importdivisions", {"WORKSPACE": str(path), "TOWNS": f"{district.xzq}|layername=XZQ",
                                            "VILLAGES": f"{district.xzq}|layername=CJDCQ"})
    return path


def town_of(workspace, jcbh: str) -> tuple[str, str]:
    import sqlite3

    with sqlite3.connect(workspace) as conn:
        return conn.execute("SELECT d.XZDM, d.XZMC FROM wpzf_patch_division d JOIN jctb p ON p.fid = d.patch_fid "
                            "WHERE p.JCBH = ?", (jcbh,)).fetchone()


def pdf_text(path) -> str:
    """pdftotext's layout text, NFKC-normalised (Noto CJK maps some ideographs to Kangxi radicals)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)


def common(district) -> dict:
    return {"BEFORE": str(district.imagery_before), "AFTER": str(district.imagery_after),
            "OFFICE": "重庆市永川区规划和自然资源局"}


def render(pdf, out_stem) -> QImage:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(out_stem)], check=True)
    image = QImage(f"{out_stem}.png")
    assert not image.isNull()
    return image


def red_pixels(image: QImage, rect_mm) -> int:
    """Pixels of the patch red (#e60000, anti-aliased: strong red, weak green and blue) inside ``rect_mm``."""
    x, y, w, h = (round(v * DPI / 25.4) for v in rect_mm)
    count = 0
    for px in range(x + 3, x + w - 3):
        for py in range(y + 3, y + h - 3):
            colour = QColor(image.pixel(px, py))
            if colour.red() > 180 and colour.green() < 70 and colour.blue() < 70:
                count += 1
    return count


def without_date(text: str) -> list[str]:
    """The page's words in reading order without the date (pdftotext's column padding may shift by a space)."""
    return re.sub(r"制图日期:\s*\S+", "制图日期:", text).split()  # NFKC turns the full-width colon into ":"


def test_toolbar_selection_and_workspace_print_the_same_page(district, workspace, tmp_path, iface):
    from qgis import processing

    from wpzf.printing.page_frame import PageFrame
    from wpzf.ui import print_maps

    layer = QgsVectorLayer(f"{workspace}|layername=jctb", "监测图斑", "ogr")
    # the project's own style: a solid opaque fill with no outline, which hides the imagery and the boundary
    layer.renderer().setSymbol(QgsFillSymbol.createSimple({"color": "40,160,40,255", "outline_style": "no"}))
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByExpression(f"\"JCBH\" = '{JCBH}'")
        assert layer.selectedFeatureCount() == 1
        iface.setActiveLayer(layer)
        params = print_maps.dialog_parameters(iface)  # what the toolbar action presets
        assert params["PATCHES"].selectedFeaturesOnly
        toolbar = processing.run("wpzf:printpatchmaps", {
            **params, **common(district), "OUTPUT_FOLDER": str(tmp_path / "toolbar")})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    through_workspace = processing.run("wpzf:printpatchmaps", {
        **common(district), "WORKSPACE": str(workspace), "EXPRESSION": f"\"JCBH\" = '{JCBH}'",
        "OUTPUT_FOLDER": str(tmp_path / "workspace")})
    assert toolbar["PRINTED"] == through_workspace["PRINTED"] == 1

    pdfs = [tmp_path / folder / f"{JCBH}.pdf" for folder in ("toolbar", "workspace")]
    texts = [without_date(pdf_text(pdf)) for pdf in pdfs]
    assert texts[0] == texts[1]
    code, name = town_of(workspace, JCBH)
    page = " ".join(texts[0])
    assert name and f"{name}({code})" in page  # the stored town's name, not only the county's 500118
    assert "监测批次 2022-05" in page, page  # 批次 of the workspace's batch, not "—"
    assert "监测图斑" in texts[0]  # the patch layer's legend entry

    frame = PageFrame.for_paper("A4")
    for pdf in pdfs:
        image = render(pdf, tmp_path / pdf.parent.name)
        for after in (False, True):
            assert red_pixels(image, frame.map(after)) > 200, (pdf, after)


def test_selected_patches_of_another_layer_get_the_red_outline_and_their_own_batch(tmp_path):
    """Not a workspace layer: the selection still prints with the plugin's patch style; 批次 comes from JCPC."""
    from qgis import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsProcessingFeatureSourceDefinition

    from wpzf.printing.page_frame import PageFrame

    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=JCBH:string&field=JCPC:string", "delivery", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["P-7", "2022-07"])
    x, y = 35_590_000, 3_250_000
    feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x} {y}, {x + 60} {y}, {x + 60} {y + 40}, {x} {y + 40}, {x} {y}))"))
    layer.dataProvider().addFeatures([feature])
    layer.renderer().setSymbol(QgsFillSymbol.createSimple({"color": "40,160,40,255", "outline_style": "no"}))
    layer.setOpacity(0.0)  # a hidden project layer must not hide the printed boundary either
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectAll()
        result = processing.run("wpzf:printpatchmaps", {
            "PATCHES": QgsProcessingFeatureSourceDefinition(layer.id(), selectedFeaturesOnly=True),
            "OUTPUT_FOLDER": str(tmp_path / "maps")})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert result["PRINTED"] == 1
    pdf = tmp_path / "maps" / "P-7.pdf"
    page = " ".join(without_date(pdf_text(pdf)))
    assert "监测批次 2022-07" in page and "监测图斑" in page
    image = render(pdf, tmp_path / "page")
    frame = PageFrame.for_paper("A4")
    assert red_pixels(image, frame.map(True)) > 200 and red_pixels(image, frame.map(False)) > 200


def test_toolbar_presets_the_id_field_of_an_active_layer_without_jcbh(tmp_path, iface):
    """A land-survey layer numbered by TBBH: the toolbar offers it with ID_FIELD TBBH; pages and files carry TBBH."""
    from qgis import processing
    from qgis.core import QgsFeature, QgsGeometry

    from wpzf.ui import print_maps

    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=tbbh:string", "核查图斑", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["TB-031"])
    x, y = 35_590_000, 3_250_000
    feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x} {y}, {x + 50} {y}, {x + 50} {y + 30}, {x} {y + 30}, {x} {y}))"))
    layer.dataProvider().addFeatures([feature])
    QgsProject.instance().addMapLayer(layer)
    try:
        iface.setActiveLayer(layer)
        params = print_maps.dialog_parameters(iface)
        assert params["PATCHES"].source.staticValue() == layer.id()  # the active layer, though it has no JCBH
        assert params["ID_FIELD"] == "tbbh"  # as the layer spells it
        result = processing.run("wpzf:printpatchmaps", {**params, "OUTPUT_FOLDER": str(tmp_path / "maps")})
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert result["PRINTED"] == 1
    assert "TB-031" in " ".join(without_date(pdf_text(tmp_path / "maps" / "TB-031.pdf")))
