"""The sample district's 矿产卫片 batch (2022-07) judged by wpzf:prejudge: every planted outcome (issue 20).

Issue 20: "the sample district generates licences (some expired, one with a patch crossing its boundary) and
mining patches, and shows each outcome"; the planted outcome per JCBH is in the manifest.
"""
from __future__ import annotations

import json

import pytest

EXPECTED = {  # planted outcome → (rule, 判定类型, 具体情形, 违法类型)
    "valid": ("M01", "合法", "持证开采", ""),
    "crossing": ("M03", "违法", "违法采矿", "越界开采"),
    "expired": ("M02", "违法", "违法采矿", "超期开采"),
    "unlicensed": ("M05", "违法", "违法采矿", "无证开采"),
    "exploration": ("M04", "违法", "违法采矿", "以探代采"),
}


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def test_each_planted_mining_outcome_gets_its_rule(district, tmp_path):
    from qgis import processing

    manifest = json.loads(district.manifest.read_text(encoding="utf-8"))["mining"]
    assert manifest["counts"] == {"CKQ": 4, "TKQ": 1, "batch_2022-07": 6}
    ws = tmp_path / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.mining_batch), "WORKSPACE": str(ws),
                                          "BATCH": "2022-07", "RECEIVED": "2022-07-05"})
    covers = [f"{district.mining}|layername={k}" for k in ("CKQ", "TKQ")] + [
        f"{district.approvals}|layername={k}" for k in ("NYDZY", "TDGY")]
    result = processing.run("wpzf:prejudge", {
        "WORKSPACE": str(ws), "BATCH": "2022-07", "LANDUSE": f"{district.landuse}|layername=DLTB",
        "COVERS": covers, "OUTPUT": "memory:"})
    rows = {f["JCBH"]: f for f in result["OUTPUT"].getFeatures()}
    assert sorted(rows) == sorted(manifest["planted"])
    for jcbh, outcome in manifest["planted"].items():
        row = rows[jcbh]
        assert (row["GZ"], row["YPLX"], row["YPQX"], row["WFLX"] or "") == EXPECTED[outcome], (jcbh, row["LY"])
        evidence = json.loads(row["YJ"])
        assert evidence["mining"]["SFSK"] == 1
    crossing = next(j for j, o in manifest["planted"].items() if o == "crossing")
    # the generator cuts the rectangular patch so that 35 % lies outside its licence
    assert json.loads(rows[crossing]["YJ"])["values"]["mining.outside_share"] == pytest.approx(0.35, abs=0.005)


def test_overlaysummary_gives_licence_share_numbers_and_dates_per_patch(district):
    """wpzf:overlaysummary with KEY_FIELDS XKZH, YXQQ, YXQZ: dates as YYYY-MM-DD, shares as planted."""
    from qgis import processing
    from qgis.core import QgsVectorLayer

    planted = json.loads(district.manifest.read_text(encoding="utf-8"))["mining"]["planted"]
    ckq = QgsVectorLayer(f"{district.mining}|layername=CKQ", "CKQ", "ogr")
    licences = {f["XKZH"]: (f["YXQQ"].toPyDate().isoformat(), f["YXQZ"].toPyDate().isoformat())
                for f in ckq.getFeatures()}
    result = processing.run("wpzf:overlaysummary", {
        "PATCHES": str(district.mining_batch), "ID_FIELD": "JCBH", "OVERLAY": ckq,
        "KEY_FIELDS": ["XKZH", "YXQQ", "YXQZ"], "OUTPUT": "memory:"})
    rows = {f["JCBH"]: f for f in result["OUTPUT"].getFeatures()}
    # by construction (sampledata.mining): a whole licence around valid/expired patches, 65 % for the crossing one
    share = {"valid": 1.0, "expired": 1.0, "crossing": 0.65, "unlicensed": 0.0, "exploration": 0.0}
    for jcbh, outcome in planted.items():
        assert rows[jcbh]["FGBL"] == pytest.approx(share[outcome], abs=0.005), (jcbh, outcome)
        key = rows[jcbh]["GJZ"]
        if share[outcome]:
            number, start, end = key.split("|")
            assert licences[number] == (start, end)
        else:
            assert not key
