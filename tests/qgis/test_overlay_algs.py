"""wpzf:farmlandoccupation and wpzf:overlaysummary on hand-built layers with known answers."""
from __future__ import annotations

import pytest
from memlayers import box, memory_layer
from qgis.core import QgsProcessingException

E, N = 35_581_000.0, 3_249_000.0
BOWTIE = f"POLYGON(({E + 2000} {N},{E + 2100} {N + 100},{E + 2100} {N},{E + 2000} {N + 100},{E + 2000} {N}))"


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(alg, **params):
    from qgis import processing

    return processing.run(f"wpzf:{alg}", {"OUTPUT": "memory:", **params})


def by_id(layer, field="JCBH"):
    return {f[field]: f for f in layer.getFeatures()}


@pytest.fixture()
def patches():
    # TBMJ is delivered too (a stale figure): the output recomputes it and keeps the other fields aligned
    return memory_layer("patches", 4523, "JCBH:string&TBMJ:double&XZQDM:string", [
        (box(E, N, E + 100, N + 100), "P1", 1.0, "500118001"),
        (box(E + 1000, N, E + 1100, N + 100), "NOHIT", 1.0, "500118001"),
        (BOWTIE, "BOWTIE", 1.0, "500118002"),
    ])


@pytest.fixture()
def landuse():
    return memory_layer("dltb", 4523, "DLBM:string&KCXS:double", [
        (box(E - 50, N - 50, E + 50, N + 150), "0101", 0.1),     # left half of P1: paddy, 10 % 田坎
        (box(E - 50, N - 50, E + 50, N + 150), "0101", 0.1),     # exact duplicate: must not count twice
        (box(E + 50, N - 50, E + 150, N + 50), "0103", 0.0),     # bottom-right quarter: dry land
        (box(E + 50, N + 50, E + 150, N + 150), "0301", 0.0),    # top-right quarter: forest
        (box(E + 1900, N - 100, E + 2200, N + 200), "0102", 0.05),  # under the bow-tie
    ])


def test_planar_numbers_are_exact_and_every_patch_has_one_row(patches, landuse):
    basic = memory_layer("jbnt", 4523, "BH:string", [
        (box(E - 50, N - 50, E + 50, N + 50), "B1"), (box(E - 50, N - 50, E + 50, N + 50), "B1-dup")])
    result = run("farmlandoccupation", PATCHES=patches, LANDUSE=landuse, BASIC_FARMLAND=basic, AREA_METHOD=1,
                 BREAKDOWN="memory:")
    out = by_id(result["OUTPUT"])
    assert list(out) == ["P1", "NOHIT", "BOWTIE"]  # input order, none dropped
    p1 = out["P1"]
    assert p1["TBMJ"] == pytest.approx(10000, abs=1e-6)
    assert p1["GDTBMJ"] == pytest.approx(7500, abs=1e-6)
    assert p1["GDMJ"] == pytest.approx(5000 * 0.9 + 2500, abs=1e-6)
    assert (p1["SDMJ"], p1["SJDMJ"], p1["HDMJ"]) == pytest.approx((4500, 0, 2500), abs=1e-6)
    assert p1["GDMJ_MU"] == pytest.approx(7000 / (10000 / 15), abs=1e-9)
    assert p1["JBNTMJ"] == pytest.approx(2500, abs=1e-6)  # the duplicate basic-farmland polygon counts once
    assert p1["ZGBL"] == pytest.approx(0.75)
    assert p1["XZQDM"] == "500118001"  # input fields carried
    assert (out["NOHIT"]["TBMJ"], out["NOHIT"]["GDMJ"], out["NOHIT"]["WFGMJ"]) == pytest.approx((10000, 0, 10000))
    bowtie = out["BOWTIE"]
    assert bowtie["XFBZ"] == 1 and bowtie["TBMJ"] == pytest.approx(5000, abs=1e-6)
    assert bowtie["SJDMJ"] == pytest.approx(5000 * 0.95, abs=1e-6)
    rows = [(f["ID"], f["DLBM"], f["SDL"], round(f["MJ"], 6)) for f in result["BREAKDOWN"].getFeatures()]
    p1_rows = [r for r in rows if r[0] == "P1"]
    assert p1_rows == [("P1", "0101", "农用地", 5000.0), ("P1", "0103", "农用地", 2500.0), ("P1", "0301", "农用地", 2500.0)]


def test_ellipsoidal_equals_official_formula(patches, landuse):
    import shapely

    from wpzf.domain.geodesy import ellipsoidal_area

    result = run("farmlandoccupation", PATCHES=patches, LANDUSE=landuse)
    p1 = by_id(result["OUTPUT"])["P1"]
    official = ellipsoidal_area(shapely.box(E, N, E + 100, N + 100), 4523)
    assert p1["TBMJ"] == pytest.approx(official, abs=0.01)
    assert 0.99980 < official / 10000 < 0.99990  # GK planar is larger than the ellipsoid here
    left = ellipsoidal_area(shapely.box(E, N, E + 50, N + 100), 4523)
    assert p1["SDMJ"] == pytest.approx(left * 0.9, abs=0.01)


def test_mixed_crs_inputs_give_the_same_numbers(patches, landuse):
    from qgis import processing

    geographic = processing.run("native:reprojectlayer", {
        "INPUT": patches, "TARGET_CRS": "EPSG:4490", "OUTPUT": "memory:"})["OUTPUT"]
    other_zone = processing.run("native:reprojectlayer", {
        "INPUT": landuse, "TARGET_CRS": "EPSG:4544", "OUTPUT": "memory:"})["OUTPUT"]
    base = by_id(run("farmlandoccupation", PATCHES=patches, LANDUSE=landuse)["OUTPUT"])
    mixed = by_id(run("farmlandoccupation", PATCHES=geographic, LANDUSE=other_zone)["OUTPUT"])
    for jcbh in base:
        for field in ("TBMJ", "GDTBMJ", "GDMJ", "JBNTMJ"):
            assert mixed[jcbh][field] == pytest.approx(base[jcbh][field], abs=0.01), (jcbh, field)


def test_planar_on_geographic_patches_is_refused(patches, landuse):
    from qgis import processing

    geographic = processing.run("native:reprojectlayer", {
        "INPUT": patches, "TARGET_CRS": "EPSG:4490", "OUTPUT": "memory:"})["OUTPUT"]
    with pytest.raises(QgsProcessingException, match="geographic"):
        run("farmlandoccupation", PATCHES=geographic, LANDUSE=landuse, AREA_METHOD=1)


def test_missing_class_field_is_named(patches, landuse):
    with pytest.raises(QgsProcessingException, match="DLMC"):
        run("farmlandoccupation", PATCHES=patches, LANDUSE=landuse, CLASS_FIELD="DLMC")


def test_planar_agrees_with_qgis_overlap_analysis(patches):
    from qgis import processing

    farmland = memory_layer("farmland", 4523, "DLBM:string", [
        (box(E - 50, N - 50, E + 50, N + 150), "0101"), (box(E + 50, N - 50, E + 150, N + 30), "0103"),
        (f"POLYGON(({E + 980} {N + 20},{E + 1050} {N - 10},{E + 1070} {N + 60},{E + 990} {N + 90},{E + 980} {N + 20}))", "0102"),
    ])
    valid = processing.run("native:extractbyexpression", {
        "INPUT": patches, "EXPRESSION": "is_valid($geometry)", "OUTPUT": "memory:"})["OUTPUT"]
    qgis_result = processing.run("native:calculatevectoroverlaps", {
        "INPUT": valid, "LAYERS": [farmland], "OUTPUT": "memory:"})["OUTPUT"]
    area_field = [f.name() for f in qgis_result.fields() if f.name().endswith("_area")][0]
    ours = by_id(run("farmlandoccupation", PATCHES=valid, LANDUSE=farmland, AREA_METHOD=1,
                     DEDUCTION_FIELD="")["OUTPUT"])
    for feature in qgis_result.getFeatures():
        assert ours[feature["JCBH"]]["GDTBMJ"] == pytest.approx(feature[area_field], abs=0.01)


def test_overlay_summary_counts_union_once_and_joins_keys(patches):
    approvals = memory_layer("nydzy", 4523, "PZWH:string&XMMC:string", [
        (box(E, N, E + 100, N + 60), "渝府地〔2021〕12号", "工业园"),
        (box(E, N + 40, E + 100, N + 100), "渝府地〔2021〕15号", "道路"),  # overlaps the first by 20 m
    ])
    result = run("overlaysummary", PATCHES=patches, OVERLAY=approvals, KEY_FIELDS=["PZWH"], AREA_METHOD=1,
                 DETAIL="memory:")
    out = by_id(result["OUTPUT"])
    p1 = out["P1"]
    assert p1["FGMJ"] == pytest.approx(10000, abs=1e-6) and p1["FGBL"] == pytest.approx(1.0)
    assert p1["DXS"] == 2 and p1["GJZ"] == "渝府地〔2021〕12号；渝府地〔2021〕15号"
    assert (out["NOHIT"]["FGMJ"], out["NOHIT"]["DXS"], out["NOHIT"]["GJZ"]) == (0.0, 0, "")
    detail = sorted((f["ID"], f["GJZ"], round(f["MJ"], 6)) for f in result["DETAIL"].getFeatures())
    assert detail == [("P1", "渝府地〔2021〕12号", 6000.0), ("P1", "渝府地〔2021〕15号", 6000.0)]


def test_breakdown_rows_add_up_to_patch_area(patches, landuse):
    result = run("farmlandoccupation", PATCHES=patches, LANDUSE=landuse, BREAKDOWN="memory:")
    out = by_id(result["OUTPUT"])
    sums: dict = {}
    for row in result["BREAKDOWN"].getFeatures():
        sums[row["ID"]] = sums.get(row["ID"], 0.0) + row["MJ"]
    mu = 10000 / 15
    for jcbh, feature in out.items():
        assert abs(sums[jcbh] - feature["TBMJ"]) / mu < 0.01, jcbh  # 地块面积 identity to 0.01 亩
    assert any(r["DLBM"] == "" and r["ID"] == "NOHIT" for r in result["BREAKDOWN"].getFeatures())


def test_cancel_stops_without_output(patches, landuse):
    from qgis import processing
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda value: feedback.cancel() if value >= 5 else None)
    result = processing.run("wpzf:farmlandoccupation", {"PATCHES": patches, "LANDUSE": landuse, "OUTPUT": "memory:"},
                            feedback=feedback)
    assert feedback.isCanceled()
    assert "OUTPUT" not in result or result["OUTPUT"] is None


def test_runs_inside_a_graphical_model(patches, landuse, tmp_path):
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFeatureSource,
    )

    model = QgsProcessingModelAlgorithm("farmland check", "wpzf")
    for name in ("patches", "landuse"):
        model.addModelParameter(QgsProcessingParameterFeatureSource(name, name), QgsProcessingModelParameter(name))
    child = QgsProcessingModelChildAlgorithm("wpzf:farmlandoccupation")
    child.setChildId("occupation")
    child.addParameterSources("PATCHES", [QgsProcessingModelChildParameterSource.fromModelParameter("patches")])
    child.addParameterSources("LANDUSE", [QgsProcessingModelChildParameterSource.fromModelParameter("landuse")])
    child.addParameterSources("AREA_METHOD", [QgsProcessingModelChildParameterSource.fromStaticValue(1)])
    output = QgsProcessingModelOutput("result")
    output.setChildOutputName("OUTPUT")
    child.setModelOutputs({"result": output})
    model.addChildAlgorithm(child)
    model_file = tmp_path / "farmland.model3"
    assert model.toFile(str(model_file))
    loaded = QgsProcessingModelAlgorithm()
    assert loaded.fromFile(str(model_file))
    context = QgsProcessingContext()
    results, ok = loaded.run({"patches": patches, "landuse": landuse,
                              "occupation:result": str(tmp_path / "out.gpkg")}, context, QgsProcessingFeedback())
    assert ok
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(results["occupation:result"], "out", "ogr")
    values = {f["JCBH"]: f["GDMJ"] for f in layer.getFeatures()}
    assert values["P1"] == pytest.approx(7000, abs=1e-6) and len(values) == 3


def test_overlay_from_gbk_shapefile_of_rectangles_reads_keys(tmp_path, patches):
    """The fast Arrow path: GBK text without .cpg, and equal-length WKB (GDAL hands it over fixed-width)."""
    from deliveries import gbk_shapefile_without_cpg

    rows = [{"PZWH": "渝府地〔2021〕12号", "wkt": box(E, N, E + 100, N + 60)},
            {"PZWH": "渝府地〔2021〕15号", "wkt": box(E, N + 60, E + 100, N + 100)}]
    shp = gbk_shapefile_without_cpg(tmp_path / "nydzy", rows)
    result = run("overlaysummary", PATCHES=patches, OVERLAY=str(shp), KEY_FIELDS=["PZWH"], AREA_METHOD=1)
    p1 = by_id(result["OUTPUT"])["P1"]
    assert p1["GJZ"] == "渝府地〔2021〕12号；渝府地〔2021〕15号"
    assert p1["FGMJ"] == pytest.approx(10000, abs=1e-6)


# -- JBNTGDMJ and the 地块面积 split (domain.md §9: 其中永久基本农田 = net 耕地 inside 永农, ≤ 耕地;
#    §2: 地块面积 = 耕地 + 非耕农用地 + 未利用地 + 建设用地; §3: 田坎 1203 is 农用地) -------------------

NEW_FIELDS = ("JBNTGDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ")


@pytest.fixture()
def three_cells():
    """P3: 300 m × 100 m over 水田 (KCXS 0.1) | 旱地 (KCXS 0.2) | 宅基地; 永农 over its middle 200 m.

    PV: 光伏板区 1302, a 变更 class §3 leaves unclassified, beside 100 m² of 其他草地.
    """
    patches = memory_layer("patches", 4523, "JCBH:string", [
        (box(E, N, E + 300, N + 100), "P3"), (box(E + 1000, N, E + 1100, N + 100), "PV")])
    landuse = memory_layer("dltb", 4523, "DLBM:string&KCXS:double", [
        (box(E, N, E + 100, N + 100), "0101", 0.1), (box(E + 100, N, E + 200, N + 100), "0103", 0.2),
        (box(E + 200, N, E + 300, N + 100), "0702", 0.0),
        (box(E + 1000, N, E + 1100, N + 99), "1302", 0.0), (box(E + 1000, N + 99, E + 1100, N + 100), "0404", 0.0)])
    basic = memory_layer("jbnt", 4523, "BH:string", [(box(E + 50, N, E + 250, N + 100), "B")])
    return patches, landuse, basic


def check_three_cells(p3, pv):
    # 耕地 net: 10 000 × 0.9 + 10 000 × 0.8 = 17 000; gross 永农 20 000 (above it: the bug this fixes)
    assert p3["GDMJ"] == pytest.approx(17_000, abs=1e-6) and p3["JBNTMJ"] == pytest.approx(20_000, abs=1e-6)
    # net 耕地 inside 永农: half the 水田 cell × 0.9 + the 旱地 cell × 0.8
    assert p3["JBNTGDMJ"] == pytest.approx(4_500 + 8_000, abs=1e-6) and p3["JBNTGDMJ"] <= p3["GDMJ"]
    # 田坎 1 000 + 2 000 → 非耕农用地; 宅基地 → 建设用地; the four add up to TBMJ
    assert (p3["FGNYDMJ"], p3["JSYDMJ"], p3["WLYDMJ"]) == pytest.approx((3_000, 10_000, 0), abs=1e-6)
    assert sum(p3[f] for f in ("GDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ")) == pytest.approx(p3["TBMJ"], abs=1e-6)
    assert (pv["WLYDMJ"], pv["FGNYDMJ"], pv["JSYDMJ"], pv["GDMJ"]) == pytest.approx((100, 0, 0, 0), abs=1e-6)


def test_basic_farmland_on_the_farmland_basis_and_the_class_split(three_cells):
    from qgis.core import QgsProcessingFeedback

    warnings = []

    class Feedback(QgsProcessingFeedback):
        def pushWarning(self, warning):  # noqa: N802
            warnings.append(warning)
            super().pushWarning(warning)

    patches, landuse, basic = three_cells
    from qgis import processing

    result = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": patches, "LANDUSE": landuse, "BASIC_FARMLAND": basic, "AREA_METHOD": 1, "OUTPUT": "memory:"},
        feedback=Feedback())
    out = by_id(result["OUTPUT"])
    check_three_cells(out["P3"], out["PV"])
    names = result["OUTPUT"].fields().names()
    assert names[names.index("JBNTMJ"):names.index("ZGBL")] == ["JBNTMJ", *NEW_FIELDS]
    from wpzf.processing.occupation_output import RESULT_FIELDS

    aliases = {name: alias for name, _, alias in RESULT_FIELDS}
    assert aliases["JBNTGDMJ"] == "永久基本农田中的耕地面积(平方米)" and aliases["FGNYDMJ"] == "非耕农用地面积(平方米)"
    # the 光伏板区 9 900 m² is in no class field, and the run says so, naming the code
    assert any("1 patches hold 9900.00 m²" in w and "1302" in w for w in warnings), warnings


@pytest.mark.parametrize("source, target", [("memory", "occupation.gpkg"), ("geopackage", "occupation.gpkg"),
                                            ("memory", "occupation.shp")], ids=["sink", "sql-bulk-copy", "shapefile"])
def test_file_outputs_carry_the_new_fields(three_cells, tmp_path, source, target, monkeypatch):
    from qgis import processing
    from qgis.core import QgsVectorLayer

    from wpzf.processing import gpkg_bulk

    copied = []
    original = gpkg_bulk.PatchCopier.copy
    monkeypatch.setattr(gpkg_bulk.PatchCopier, "copy", lambda self, *a: copied.append(1) or original(self, *a))
    patches, landuse, basic = three_cells
    if source == "geopackage":  # patches read whole from a GeoPackage: rows are copied file to file with SQL
        patches = processing.run("native:savefeatures", {
            "INPUT": patches, "OUTPUT": str(tmp_path / "patches.gpkg")})["OUTPUT"]
    target = str(tmp_path / target)
    processing.run("wpzf:farmlandoccupation", {
        "PATCHES": patches, "LANDUSE": landuse, "BASIC_FARMLAND": basic, "AREA_METHOD": 1, "OUTPUT": target})
    layer = QgsVectorLayer(target, "read back", "ogr")
    assert layer.isValid() and layer.featureCount() == 2
    assert all(layer.fields().lookupField(f) >= 0 for f in NEW_FIELDS)
    out = by_id(layer)
    check_three_cells(out["P3"], out["PV"])
    assert bool(copied) == (source == "geopackage")
