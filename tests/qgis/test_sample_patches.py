"""wpzf:sample — the 抽查 sample an office draws for its spot check: reproducible, stratified, auditable.

The hand-built two-town workspace (tests/helpers/reporting_district.py) holds 8
patches the statistics count: P1–P6 and the two 地块 of P7 (a split patch is
counted as its 地块, never as the parent).
"""
from __future__ import annotations

import json

import pytest
from reporting_district import build


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def _sample(workspace, folder, size: int, seed: int) -> tuple[dict, list[str], dict]:
    from qgis import processing
    from qgis.core import QgsVectorLayer

    plan_path = folder / "抽查方案.json"
    result = processing.run("wpzf:sample", {"WORKSPACE": str(workspace), "PERIOD": "2022", "SIZE": size,
                                            "SEED": seed, "OUTPUT": "memory:", "PLAN": str(plan_path)})
    layer = result["OUTPUT"] if isinstance(result["OUTPUT"], QgsVectorLayer) else QgsVectorLayer(result["OUTPUT"])
    ids = [f[layer.fields().names()[0]] for f in layer.getFeatures()]
    return result, ids, json.loads(plan_path.read_text(encoding="utf-8"))


def test_the_sample_is_stratified_reproducible_and_its_plan_says_so(tmp_path):
    workspace = build(tmp_path / "ws.gpkg")
    result, ids, plan = _sample(workspace, tmp_path / "新文件夹", 5, 7)  # the plan's folder is made
    assert result["SAMPLED"] == 5 and len(ids) == 5 == len(set(ids))
    assert plan["seed"] == 7 and plan["size"] == 5 and plan["population"] == 8
    assert sorted(plan["chosen"]) == sorted(ids) and "P7" not in ids  # the parent of two 地块 is never drawn
    assert sum(s["population"] for s in plan["strata"]) == 8
    assert sum(s["sample"] for s in plan["strata"]) == 5
    assert all(len(s["chosen"]) == s["sample"] <= s["population"] for s in plan["strata"])
    assert {s["town"] for s in plan["strata"]} == {"500118001", "500118002"}
    # the same seed and data give the same sample, to the plan file
    _, again, plan_again = _sample(workspace, tmp_path / "again", 5, 7)
    assert again == ids and plan_again == plan
    # more than there are: every patch once
    _, everything, _ = _sample(workspace, tmp_path / "all", 50, 7)
    assert sorted(everything) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7_1", "P7_2"]


def test_a_plan_that_cannot_be_written_is_named(tmp_path):
    from qgis.core import QgsProcessingException

    workspace = build(tmp_path / "ws.gpkg")
    blocker = tmp_path / "方案"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(QgsProcessingException, match="Could not write"):
        _sample(workspace, blocker, 3, 1)
