"""ResultWriter driven with plain callables, no Processing algorithm (issue 21 item 5).

The writer of wpzf:farmlandoccupation's OUTPUT and BREAKDOWN takes a sink
factory, the output names and a feedback object; here the factory hands out
list-backed sinks and the overlay's chunk result is written by hand, so each
written value can be checked against figures worked out below.
"""
from __future__ import annotations

import numpy as np
import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer, QgsWkbTypes

from wpzf.domain.overlay.farmland import ClassBreakdown, FarmlandOccupation
from wpzf.processing.occupation_output import RESULT_FIELDS, ResultWriter
from wpzf.processing.overlay_io import PatchList


class ListSink:
    """A feature sink that keeps copies of what it is given (QGIS sinks copy too: the writer refills features)."""

    def __init__(self) -> None:
        self.rows: list[list] = []
        self.geometries: list[str] = []

    def addFeature(self, feature, flags=None) -> bool:  # noqa: N802
        self.rows.append(list(feature.attributes()))
        self.geometries.append(feature.geometry().asWkt(0) if feature.hasGeometry() else "")
        return True

    def addFeatures(self, features, flags=None) -> bool:  # noqa: N802
        return all(self.addFeature(f) for f in features)


class Feedback:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def pushWarning(self, text: str) -> None:  # noqa: N802
        self.warnings.append(text)

    def pushInfo(self, text: str) -> None:  # noqa: N802
        pass

    def setProgress(self, value: float) -> None:  # noqa: N802
        pass


def _patches() -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=JCBH:string&field=XMC:string", "patches", "memory")
    features = []
    for k, (jcbh, xmc) in enumerate([("A", "临江镇"), ("B", "永川区")]):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([jcbh, xmc])
        x = 100 * k
        feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x} 0,{x + 10} 0,{x + 10} 10,{x} 10,{x} 0))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _part() -> FarmlandOccupation:
    """Patch A: 600 m² of 水田 0101 (KCXS 0.1: net 540, 60 m² of 田坎) and 400 m² of 宅基地 0702; 300 m² of it
    basic farmland, net farmland in it 270. Patch B: 250 m² of an unknown code 9999 and 150 m² no land use covers.
    地块面积 = 耕地 + 非耕农用地 + 未利用地 + 建设用地 (domain.md, 'Areas'): A 1000 = 540 + 60 + 0 + 400."""
    def per_patch(a: float, b: float) -> np.ndarray:
        return np.array([a, b], dtype=float)

    breakdown = ClassBreakdown(
        patch=np.array([0, 0, 1], dtype=np.intp), patch_id=np.array(["A", "A", "B"], dtype=object),
        dlbm=np.array(["0101", "0702", "9999"], dtype=object),
        broad_class=np.array(["农用地", "建设用地", ""], dtype=object),
        gross=np.array([600.0, 400.0, 250.0]), net=np.array([540.0, 400.0, 250.0]))
    return FarmlandOccupation(
        ids=np.array(["A", "B"], dtype=object), tbmj=per_patch(1000, 400), gdtbmj=per_patch(600, 0),
        gdmj=per_patch(540, 0), sdmj=per_patch(540, 0), sjdmj=per_patch(0, 0), hdmj=per_patch(0, 0),
        jbntmj=per_patch(300, 0), jbntgdmj=per_patch(270, 0), fgnydmj=per_patch(60, 0), jsydmj=per_patch(400, 0),
        wlydmj=per_patch(0, 0), unclassified=per_patch(0, 250), zgbl=per_patch(0.6, 0), uncovered=per_patch(0, 150),
        patch_repaired=np.array([False, True]), landuse_repaired=np.zeros(0, dtype=bool),
        basic_farmland_repaired=None, breakdown=breakdown)


def test_result_writer_takes_a_sink_factory_not_an_algorithm(qgis_app):
    patches = _patches()
    sinks: dict[str, ListSink] = {}
    asked: list[tuple] = []

    def make_sink(name, fields, geometry_type, crs):
        asked.append((name, fields.names(), geometry_type, crs.authid()))
        sinks[name] = ListSink()
        return sinks[name], f"memory:{name}"

    feedback = Feedback()
    writer = ResultWriter(make_sink, patches, PatchList(list(patches.getFeatures())), 2, "JCBH", feedback,
                          output="RESULT", breakdown="CLASSES")
    assert asked == []  # the sinks are created with the first chunk: an early input error leaves no output
    writer.write_chunk(0, _part())
    outputs = writer.finish()

    assert outputs == {"RESULT": "memory:RESULT", "CLASSES": "memory:CLASSES"}
    assert asked == [
        ("RESULT", ["JCBH", "XMC"] + [name for name, _, _ in RESULT_FIELDS], QgsWkbTypes.MultiPolygon, "EPSG:4523"),
        ("CLASSES", ["ID", "DLBM", "SDL", "MJ", "JMJ", "JMJ_MU"], QgsWkbTypes.NoGeometry, ""),
    ]
    # 1 亩 = 10000/15 m²: GDMJ_MU of A = 540 / 666.67 = 0.81; XFBZ 1 for B, the repaired patch
    assert sinks["RESULT"].rows[0] == pytest.approx(
        ["A", "临江镇", 1000, 600, 540, 0.81, 540, 0, 0, 300, 270, 60, 400, 0, 0.6, 0, 0])
    assert sinks["RESULT"].rows[1] == pytest.approx(
        ["B", "永川区", 400, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 150, 1])
    assert sinks["RESULT"].geometries == ["Polygon ((0 0, 10 0, 10 10, 0 10, 0 0))",
                                          "Polygon ((100 0, 110 0, 110 10, 100 10, 100 0))"]
    # the rows of a patch add up to its TBMJ (A: 600 + 400, B: 250 + 150 uncovered); JMJ_MU = JMJ / 666.67
    assert sinks["CLASSES"].rows == [
        ["A", "0101", "农用地", 600.0, 540.0, pytest.approx(0.81)],
        ["A", "0702", "建设用地", 400.0, 400.0, pytest.approx(0.6)],
        ["B", "9999", "", 250.0, 250.0, pytest.approx(0.375)],
        ["B", "", "not covered by land use", 150.0, 150.0, pytest.approx(0.225)],
    ]
    # 9999 is in none of the three broad classes: said, not silently left out of the identity
    assert len(feedback.warnings) == 1
    assert feedback.warnings[0].startswith("1 patches hold 250.00 m² of land classes (9999) outside")


def test_breakdown_not_asked_for_is_not_written(qgis_app):
    patches = _patches()
    output = ListSink()

    def make_sink(name, fields, geometry_type, crs):
        return (output, "memory:OUTPUT") if name == "OUTPUT" else (None, None)

    writer = ResultWriter(make_sink, patches, PatchList(list(patches.getFeatures())), 2, "JCBH", Feedback())
    writer.write_chunk(0, _part())
    assert writer.finish() == {"OUTPUT": "memory:OUTPUT"}
    assert [row[0] for row in output.rows] == ["A", "B"]
