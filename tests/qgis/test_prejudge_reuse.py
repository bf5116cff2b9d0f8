"""wpzf:prejudge reuses the batch's stored overlay while its inputs are unchanged (issue 16), never otherwise."""
from __future__ import annotations

import shutil

import pytest


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(district, workspace, landuse=None, **extra):
    """One prejudge run: (output rows by JCBH, stored suggestion rows, log lines)."""
    from qgis import processing
    from qgis.core import QgsProcessingFeedback

    from wpzf.domain.workspace.gpkg import connect

    log = []

    class Feedback(QgsProcessingFeedback):
        def pushInfo(self, info):  # noqa: N802
            log.append(info)
            super().pushInfo(info)

        def pushWarning(self, warning):  # noqa: N802
            log.append(warning)
            super().pushWarning(warning)

    covers = [f"{district.approvals}|layername={name}" for name in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    result = processing.run("wpzf:prejudge", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "LANDUSE": f"{landuse or district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "COVERS": covers, "OUTPUT": "memory:", **extra},
        feedback=Feedback())
    rows = {f["JCBH"]: tuple(f.attributes()) for f in result["OUTPUT"].getFeatures()}
    with connect(workspace) as conn:
        stored = conn.execute("SELECT patch_fid, ruleset, rule_id, PDLX, JTQX, evidence FROM wpzf_prejudgement "
                              "ORDER BY patch_fid").fetchall()
    return rows, stored, log


def figures(workspace):
    from wpzf.domain.workspace import overlay_cache
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(workspace) as ws:
        stored = overlay_cache.load(ws, "2022-05")
    assert stored is not None
    return stored.figures


def test_unchanged_inputs_reuse_the_overlay_with_identical_results(district, workspace):
    first, stored_first, log = run(district, workspace)
    assert any("no overlay of this batch is stored yet" in line for line in log), log
    assert len(first) == 60
    second, stored_second, log = run(district, workspace)
    reused = [line for line in log if line.startswith("Reused the overlay of")]
    assert len(reused) == 1, log
    # the quality findings of the overlay are repeated, so the log reads as the fresh run's did
    assert [x for x in log if "document numbers from" in x] and not any("Overlaying" in x for x in log)
    # identical suggestions, reasons and evidence texts (only the stored timestamp may differ)
    assert second == first and stored_second == stored_first
    fresh, stored_fresh, log = run(district, workspace, REUSE_OVERLAY=False)
    assert any("reuse of the stored overlay is switched off" in line for line in log), log
    assert fresh == first and stored_fresh == stored_first


def test_an_edited_geometry_is_overlaid_again_and_its_figures_change(district, workspace):
    from qgis.core import QgsVectorLayer

    first, _, _ = run(district, workspace)
    before = figures(workspace)
    layer = QgsVectorLayer(f"{workspace}|layername=jctb", "jctb", "ogr")
    # the largest patch loses a 5 m rim: its own area must shrink, no other patch's figures move
    target = max(layer.getFeatures(), key=lambda f: f.geometry().area())
    shrunk = target.geometry().buffer(-5, 8)
    assert layer.startEditing() and layer.changeGeometry(target.id(), shrunk) and layer.commitChanges(), \
        layer.commitErrors()
    second, _, log = run(district, workspace)
    assert any("Overlaying again: patch geometries changed" in line for line in log), log
    after = figures(workspace)
    assert after[target.id()]["tbmj"] < before[target.id()]["tbmj"] - 1.0
    assert {k: v for k, v in after.items() if k != target.id()} == \
        {k: v for k, v in before.items() if k != target.id()}
    # and the next run reuses the new overlay
    _, _, log = run(district, workspace)
    assert any(line.startswith("Reused the overlay of") for line in log), log


def test_another_land_use_file_or_rule_set_is_overlaid_again(district, workspace, tmp_path):
    from wpzf.domain.rules import load_named_ruleset

    first, _, _ = run(district, workspace)
    copy = tmp_path / "sandiao_copy.gpkg"
    shutil.copyfile(district.landuse, copy)
    second, _, log = run(district, workspace, landuse=copy)
    assert any("Overlaying again: land-use layer changed" in line for line in log), log
    assert second == first  # same content, so the same results
    rules = tmp_path / "other.toml"
    shutil.copyfile(load_named_ruleset("2022-chongqing").path, rules)
    _, _, log = run(district, workspace, landuse=copy, RULESET=str(rules))
    assert any("Overlaying again: rule set changed" in line for line in log), log
