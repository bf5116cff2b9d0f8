"""Issue 21 item 4: ID_FIELD and the land-class parameters are one declaration, honoured everywhere.

wpzf:prejudge takes CLASS_FIELD / DEDUCTION_FIELD / FARMLAND_CODES as wpzf:farmlandoccupation does and
gives its figures for the same inputs; they are part of the stored overlay's fingerprint; wpzf:printpatchmaps
labels and names the PDFs of a non-workspace layer by its ID_FIELD.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.usefixtures("wpzf_processing")


@pytest.fixture()
def workspace(district, tmp_path):
    """A workspace holding the district's batch 2022-05 (60 patches)."""
    from district_workspace import imported_batch

    return imported_batch(district, tmp_path / "ws.gpkg", "2022-05")


@pytest.fixture()
def renamed_landuse(district, tmp_path):
    """The district's 三调 with its class field renamed DLBM → DLDM, plus a copy of it named DLBMX."""
    copy = tmp_path / "sandiao_dldm.gpkg"
    shutil.copyfile(district.landuse, copy)
    from wpzf.domain.workspace.gpkg import connect  # with the ST_* functions the R-tree triggers call

    with connect(copy) as conn:
        conn.execute('ALTER TABLE DLTB RENAME COLUMN DLBM TO DLDM')
        conn.execute('ALTER TABLE DLTB ADD COLUMN DLBMX TEXT')
        conn.execute('UPDATE DLTB SET DLBMX = DLDM')
        conn.commit()
    return copy


# 0201 (果园) counted as farmland and 0102 (水浇地) not: a list a district may choose; it must change figures
CODES = "0101, 0103,201"


def prejudge(district, workspace, landuse, log=None, **extra):
    from qgis import processing
    from qgis.core import QgsProcessingFeedback

    lines = [] if log is None else log

    class Feedback(QgsProcessingFeedback):
        def pushInfo(self, info):  # noqa: N802
            lines.append(info)

    processing.run("wpzf:prejudge", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "LANDUSE": f"{landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "OUTPUT": "memory:", **extra},
        feedback=Feedback())
    from wpzf.domain.workspace import overlay_cache
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(workspace) as ws:
        stored = overlay_cache.load(ws, "2022-05")
        jcbh = dict(ws.conn.execute("SELECT fid, JCBH FROM jctb"))
    return {jcbh[fid]: f for fid, f in stored.figures.items()}


def occupation(district, workspace, landuse, **extra):
    from qgis import processing

    result = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": f"{workspace}|layername=jctb", "LANDUSE": f"{landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "OUTPUT": "memory:", **extra})
    return {f["JCBH"]: f for f in result["OUTPUT"].getFeatures()}


def test_prejudge_reads_the_land_class_parameters_as_farmlandoccupation(district, workspace, renamed_landuse):
    # domain.md §9: 其中永久基本农田 = net farmland inside basic farmland; the figures of both algorithms
    # come from one overlay engine, so for the same layers, fields and codes they agree to float noise
    params = {"CLASS_FIELD": "DLDM", "FARMLAND_CODES": CODES, "DEDUCTION_FIELD": "KCXS"}
    judged = prejudge(district, workspace, renamed_landuse, **params)
    measured = occupation(district, workspace, renamed_landuse, **params)
    assert judged.keys() == measured.keys() and len(judged) == 60
    for jcbh, figures in judged.items():
        row = measured[jcbh]
        assert figures["tbmj"] == pytest.approx(row["TBMJ"], rel=1e-9, abs=1e-6), jcbh
        assert figures["gdmj"] == pytest.approx(row["GDMJ"], rel=1e-9, abs=1e-6), jcbh
        assert figures["jbntgdmj"] == pytest.approx(row["JBNTGDMJ"], rel=1e-9, abs=1e-6), jcbh
        assert figures["zgbl"] == pytest.approx(row["ZGBL"], rel=1e-9, abs=1e-9), jcbh
    # the code list is really used: with the default codes (水田, 水浇地, 旱地) the farmland differs
    default = occupation(district, workspace, renamed_landuse, CLASS_FIELD="DLDM")
    assert any(abs(default[j]["GDMJ"] - judged[j]["gdmj"]) > 1.0 for j in judged)


def test_prejudge_names_a_missing_class_field(district, workspace, renamed_landuse):
    from qgis.core import QgsProcessingException

    # the default DLBM is gone from this copy: the error names field and parameter
    with pytest.raises(QgsProcessingException, match=r"no field DLBM \(parameter CLASS_FIELD\)"):
        prejudge(district, workspace, renamed_landuse)


def test_a_changed_class_field_or_code_list_overlays_again(district, workspace, renamed_landuse):
    log: list[str] = []
    prejudge(district, workspace, renamed_landuse, log, CLASS_FIELD="DLDM")
    log.clear()
    prejudge(district, workspace, renamed_landuse, log, CLASS_FIELD="DLDM")
    assert any(line.startswith("Reused the overlay of") for line in log), log
    log.clear()
    first = prejudge(district, workspace, renamed_landuse, log, CLASS_FIELD="DLDM", FARMLAND_CODES=CODES)
    assert any("Overlaying again: land class fields or farmland codes changed" in line for line in log), log
    log.clear()
    # the same codes written differently (order, spaces, a lost leading zero) are the same list: reused
    prejudge(district, workspace, renamed_landuse, log, CLASS_FIELD="DLDM", FARMLAND_CODES="0201,0103 ,0101")
    assert any(line.startswith("Reused the overlay of") for line in log), log
    log.clear()
    second = prejudge(district, workspace, renamed_landuse, log, CLASS_FIELD="DLBMX", FARMLAND_CODES=CODES)
    assert any("Overlaying again: land class fields or farmland codes changed" in line for line in log), log
    assert second == first  # DLBMX holds the same codes as DLDM


def test_printpatchmaps_labels_and_names_a_layer_by_its_id_field(tmp_path):
    from qgis import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=TBBH:string&field=BZ:string", "patches", "memory")
    features = []
    for i, tbbh in enumerate(("TB-001", "TB-002")):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([tbbh, "x"])
        x, y = 35_590_000 + 500 * i, 3_250_000
        feature.setGeometry(QgsGeometry.fromWkt(
            f"POLYGON(({x} {y}, {x + 30} {y}, {x + 30} {y + 20}, {x} {y + 20}, {x} {y}))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    result = processing.run("wpzf:printpatchmaps", {"PATCHES": layer, "ID_FIELD": "TBBH",
                                                    "OUTPUT_FOLDER": str(tmp_path / "maps")})
    assert result["PRINTED"] == 2 and not result["FAILED"]
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["TB-001.pdf", "TB-002.pdf"]
    text = subprocess.run(["pdftotext", str(tmp_path / "maps" / "TB-002.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "TB-002" in text and "TB-001" not in text
    # an ID field the layer lacks is refused, naming field and parameter
    with pytest.raises(QgsProcessingException, match=r"no field JCBH_X \(parameter ID_FIELD\)"):
        processing.run("wpzf:printpatchmaps", {"PATCHES": layer, "ID_FIELD": "JCBH_X",
                                               "OUTPUT_FOLDER": str(tmp_path / "other")})


@pytest.mark.parametrize("name", ["CLASS_FIELD", "FARMLAND_CODES", "DEDUCTION_FIELD"])
def test_both_algorithms_declare_the_land_class_parameters_alike(name):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    found = [registry.algorithmById(f"wpzf:{alg}").parameterDefinition(name)
             for alg in ("farmlandoccupation", "prejudge")]
    assert all(d is not None for d in found)
    described = [(d.type(), d.defaultValue(), d.description(), bool(d.flags() & d.FlagOptional),
                  getattr(d, "parentLayerParameterName", lambda: None)()) for d in found]
    assert described[0] == described[1]
    # the defaults of 三调 DLTB (domain.md §3: 耕地 is 0101 水田, 0102 水浇地, 0103 旱地)
    assert described[0][1] == {"CLASS_FIELD": "DLBM", "FARMLAND_CODES": "0101,0102,0103",
                               "DEDUCTION_FIELD": "KCXS"}[name]


def test_every_patch_layer_algorithm_takes_id_field_as_a_field_of_its_patches():
    from qgis.core import QgsApplication, QgsProcessingParameterField

    registry = QgsApplication.processingRegistry()
    for alg, parent in (("farmlandoccupation", "PATCHES"), ("overlaysummary", "PATCHES"),
                        ("printpatchmaps", "PATCHES"), ("importpatches", "INPUT")):
        definition = registry.algorithmById(f"wpzf:{alg}").parameterDefinition("ID_FIELD")
        assert isinstance(definition, QgsProcessingParameterField), alg
        assert definition.parentLayerParameterName() == parent and definition.defaultValue() == "JCBH", alg
