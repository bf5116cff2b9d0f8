"""A temporary-layer OUTPUT of wpzf:farmlandoccupation holds exactly what the GeoPackage output holds (issue 16).

Temporary outputs (the Processing dialog's default) are filled from patch
rows read in bulk (Arrow) and built into features with one attribute list
each; GeoPackage outputs are filled with SQL; both must give the same
fields and the same values to the last digit, and the same as the former
path that took every patch feature through QGIS.
"""
from __future__ import annotations

import sqlite3

import pytest
from qgis.core import QgsFeatureRequest, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QVariant

from wpzf.processing import overlay_io
from wpzf.processing.gpkg_bulk import register_gpkg_functions


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture(scope="module")
def patches_gpkg(district, tmp_path_factory):
    """The district's May patches as a GeoPackage (EPSG:4523), with NULLs in a text, a number and a date field."""
    from qgis import processing

    path = str(tmp_path_factory.mktemp("patches") / "patches.gpkg")
    processing.run("native:reprojectlayer", {"INPUT": str(district.batches["2022-05"]), "TARGET_CRS": "EPSG:4523",
                                             "OUTPUT": path})
    layer = QgsVectorLayer(path, "p", "ogr")
    table = layer.dataProvider().subLayers()[0].split("!!::!!")[1]
    names = layer.fields().names()
    assert {"JCMJ", "QSX", "XMC"} <= set(names), names  # a number, a date and a text field of the delivery
    with sqlite3.connect(path) as conn:  # three patches with NULLs, one with text beyond ASCII
        register_gpkg_functions(conn)  # the R-tree update triggers call them
        conn.execute(f'UPDATE "{table}" SET "JCMJ" = NULL, "QSX" = NULL, "XMC" = NULL WHERE fid IN (2, 5, 7)')
        conn.execute(f'UPDATE "{table}" SET "XMC" = \'永川区 “测试”\' WHERE fid = 3')
    return path


def run(district, patches, output, breakdown):
    from qgis import processing

    result = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": patches, "LANDUSE": f"{district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "OUTPUT": output, "BREAKDOWN": breakdown})
    return [value if isinstance(value, QgsVectorLayer) else QgsVectorLayer(value, "out", "ogr")
            for value in (result["OUTPUT"], result["BREAKDOWN"])]


def table(layer, geometry=True):
    """(attribute names, rows of (attribute list, multipolygon WKB)) in feature order."""
    rows = []
    for feature in layer.getFeatures(QgsFeatureRequest().addOrderBy("$id")):
        wkb = None
        if geometry and feature.hasGeometry():
            g = QgsGeometry(feature.geometry())
            g.convertToMultiType()  # a file sink promotes to multi, a memory sink keeps what it gets
            wkb = bytes(g.asWkb())
        rows.append((list(feature.attributes()), wkb))
    return layer.fields().names(), rows


def without_fid(found):
    names, rows = found
    k = names.index("fid")
    return names[:k] + names[k + 1:], [(values[:k] + values[k + 1:], wkb) for values, wkb in rows]


def is_null(value) -> bool:
    return value is None or (isinstance(value, QVariant) and value.isNull())


def assert_same(got, want):
    names, rows = got
    want_names, want_rows = want
    assert names == want_names
    assert len(rows) == len(want_rows) > 0
    for (values, wkb), (want_values, want_wkb) in zip(rows, want_rows):
        assert wkb == want_wkb, values[:3]
        for name, value, expected in zip(names, values, want_values):
            # exact: same type, same value (no tolerance: "to the last digit")
            assert (type(value), value) == (type(expected), expected), (values[:3], name)


def test_temporary_output_equals_geopackage_output_attribute_by_attribute(district, patches_gpkg, tmp_path):
    memory, memory_classes = run(district, patches_gpkg, "TEMPORARY_OUTPUT", "TEMPORARY_OUTPUT")
    gpkg, gpkg_classes = run(district, patches_gpkg, str(tmp_path / "occupation.gpkg"), str(tmp_path / "classes.gpkg"))
    assert memory.providerType() == "memory" and gpkg.providerType() == "ogr"
    assert memory.featureCount() == gpkg.featureCount() == 60  # one row per patch of the May batch
    mem_table = table(memory)
    by_name = dict(zip(mem_table[0], zip(*[r[0] for r in mem_table[1]])))
    assert all(is_null(by_name[name][k]) for name in ("JCMJ", "QSX", "XMC") for k in (1, 4, 6))  # fids 2, 5, 7
    assert by_name["XMC"][2] == "永川区 “测试”"
    assert isinstance(by_name["QSX"][0], QDate) and by_name["QSX"][0].isValid()
    # the GeoPackage table's own fid is the copied patch fid: compared too
    assert_same(mem_table, table(gpkg))
    # BREAKDOWN has no geometry; the GeoPackage adds only its own fid column
    assert_same(table(memory_classes, False), without_fid(table(gpkg_classes, False)))


def test_bulk_rows_equal_features_taken_through_qgis(district, patches_gpkg, monkeypatch):
    used = []
    original = overlay_io.PatchStream.rows
    monkeypatch.setattr(overlay_io.PatchStream, "rows", lambda self, *a: used.append(original(self, *a)) or used[-1])
    bulk, bulk_classes = run(district, patches_gpkg, "TEMPORARY_OUTPUT", "TEMPORARY_OUTPUT")
    assert used and all(rows is not None for rows in used), "a temporary output from a GeoPackage is filled in bulk"
    monkeypatch.setattr(overlay_io.PatchStream, "rows", lambda self, *a: None)  # the former path
    taken, taken_classes = run(district, patches_gpkg, "TEMPORARY_OUTPUT", "TEMPORARY_OUTPUT")
    assert_same(table(bulk), table(taken))
    assert_same(table(bulk_classes, False), table(taken_classes, False))
