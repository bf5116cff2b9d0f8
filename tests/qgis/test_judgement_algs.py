"""wpzf:prejudge and wpzf:qualitycheck on a generated district and a real workspace."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from qgis.core import QgsProcessingException

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def prejudge(district, workspace, **extra):
    from qgis import processing

    covers = [f"{district.approvals}|layername={name}" for name in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    return processing.run("wpzf:prejudge", {
        "WORKSPACE": str(workspace), "LANDUSE": f"{district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "COVERS": covers, "OUTPUT": "memory:", **extra})


def test_suggestions_match_the_generated_truth_and_name_their_evidence(district, workspace):
    result = prejudge(district, workspace)
    rows = {f["JCBH"]: f for f in result["OUTPUT"].getFeatures()}
    assert len(rows) == 60 and result["SUGGESTED"] == 60
    for row in rows.values():
        evidence = json.loads(row["YJ"])
        assert row["GZ"] and row["YPLX"] in ("合法", "违法", "其他") and evidence["values"], row.attributes()
    manifest = json.loads(district.manifest.read_text(encoding="utf-8"))["batches"]["2022-05"]
    fully_approved = [a for a in manifest["in_approvals"] if a["share"] >= 0.95 and a["layer"] in ("NYDZY", "TDGY")]
    assert fully_approved, "the generator places patches inside approvals"
    for placed in fully_approved:
        row = rows[placed["JCBH"]]
        assert row["YPLX"] == "合法", (placed, row.attributes())
        documents = json.loads(row["YJ"])["documents"]
        assert documents, row["YJ"]
        if placed["layer"] == "NYDZY":  # supply parcels lie inside conversions, which the rules check first
            assert placed["doc"] in documents, row["YJ"]
    again = {f["JCBH"]: (f["YPLX"], f["YPQX"], f["GZ"]) for f in prejudge(district, workspace)["OUTPUT"].getFeatures()}
    assert again == {k: (r["YPLX"], r["YPQX"], r["GZ"]) for k, r in rows.items()}  # stable
    counts = Counter(r["YPLX"] for r in rows.values())
    assert counts["合法"] >= len(fully_approved) and counts["违法"] > 0


def test_suggestions_are_stored_beside_decisions_never_over_them(district, workspace):
    from wpzf.domain.workspace.store import Workspace

    with gpkg_connect(workspace) as conn:
        conn.execute("UPDATE jctb SET PDLX = '违法', XGR = '张三', XGSJ = 't1' WHERE fid = 1")
    prejudge(district, workspace)
    with gpkg_connect(workspace) as conn:
        assert conn.execute("SELECT PDLX FROM jctb WHERE fid = 1").fetchone() == ("违法",)
        assert conn.execute("SELECT count(*), count(DISTINCT patch_fid) FROM wpzf_prejudgement").fetchone() == (60, 60)
    prejudge(district, workspace)  # a second run replaces, never duplicates
    with Workspace.open(workspace) as ws:
        assert ws.conn.execute("SELECT count(*) FROM wpzf_prejudgement").fetchone() == (60,)
        ws.lock_batch("2022-05")
    result = prejudge(district, workspace)
    assert result["SUGGESTED"] == 0


def test_unknown_cover_layer_is_named(district, workspace):
    with pytest.raises(QgsProcessingException, match="cadastre.*NYDZY"):
        prejudge(district, workspace, COVERS=[f"{district.cadastre}|layername=ZD"])


def test_quality_check_lists_violations_and_blocks_submission(workspace):
    from qgis import processing

    with gpkg_connect(workspace) as conn:
        conn.execute("UPDATE jctb SET PDLX = '合法', JTQX = '农用地转用', PDSJ = '2022-05-20' WHERE fid = 1")
        conn.execute("UPDATE jctb SET PDLX = '合法', JTQX = '农用地转用', PZWH = '渝府地〔2021〕1号', "
                     "PDSJ = '2022-05-20' WHERE fid = 2")
        first, second = (r[0] for r in conn.execute("SELECT JCBH FROM jctb WHERE fid IN (1, 2) ORDER BY fid"))
    result = processing.run("wpzf:qualitycheck", {"WORKSPACE": str(workspace), "BATCH": "2022-05",
                                                  "TODAY": "2022-06-01", "OUTPUT": "memory:"})
    rows = [(f["JCBH"], f["GZ"], f["JB"]) for f in result["OUTPUT"].getFeatures()]
    assert (first, "Q03", "error") in rows  # 合法 without document number or evidence file
    assert not [r for r in rows if r[0] == second]  # decided in time, documented
    overdue = [r for r in rows if r[1] == "Q01"]
    assert len(overdue) == 58  # the undecided ones, deadline 2022-05-26
    assert result["CAN_SUBMIT"] is False and result["ERRORS"] == len(rows)
    with gpkg_connect(workspace) as conn:
        assert conn.execute("SELECT count(*) FROM wpzf_check_result").fetchone() == (len(rows),)


def test_area_identity_is_checked_on_stored_split_areas(workspace):
    from qgis import processing

    mu = 10000 / 15
    with gpkg_connect(workspace) as conn:  # 地块面积 10 亩 = 4 + 3 + 1 + 2, then one that does not add up
        conn.execute(f"UPDATE jctb SET TBMJ = {10 * mu}, GDMJ = {4 * mu}, FGNYDMJ = 3, WLYDMJ = 1, JSYDMJ = 2 "
                     "WHERE fid = 1")
        conn.execute(f"UPDATE jctb SET TBMJ = {10 * mu}, GDMJ = {4 * mu}, FGNYDMJ = 3, WLYDMJ = 1, JSYDMJ = 2.5 "
                     "WHERE fid = 2")
        good, bad = (r[0] for r in conn.execute("SELECT JCBH FROM jctb WHERE fid IN (1, 2) ORDER BY fid"))
    result = processing.run("wpzf:qualitycheck", {"WORKSPACE": str(workspace), "TODAY": "2022-05-10",
                                                  "OUTPUT": "memory:"})
    q13 = {f["JCBH"]: f["WT"] for f in result["OUTPUT"].getFeatures() if f["GZ"] == "Q13"}
    assert list(q13) == [bad] and "0.50" in q13[bad]
    assert good not in q13


def test_land_use_without_class_field_is_named_and_nothing_stored(district, workspace, tmp_path):
    from deliveries import write
    from memlayers import box

    bare = write(tmp_path / "bare.gpkg", "GPKG", [{"BSM": "1", "wkt": box(35_581_000, 3_249_000, 35_581_100, 3_249_100)}])
    with pytest.raises(QgsProcessingException, match="DLBM"):
        prejudge(district, workspace, LANDUSE=str(bare))
    with gpkg_connect(workspace) as conn:
        assert conn.execute("SELECT count(*) FROM wpzf_prejudgement").fetchone() == (0,)
