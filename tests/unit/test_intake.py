"""Patch intake without QGIS: validation, repair, duplicates, re-issue, atomicity."""
from __future__ import annotations

import hashlib
import json

import pytest
import shapely

from wpzf.domain.intake.patches import IncomingPatch, IntakeError
from wpzf.domain.intake.service import import_delivery
from wpzf.domain.progress import Canceled
from wpzf.domain.workspace.store import Workspace, WorkspaceError

X0, Y0 = 35_580_000.0, 3_250_000.0
FIELDS = ["JCBH", "XZQDM", "JCMJ", "BZ"]


def square(dx: float = 0, size: float = 100, dy: float = 0) -> bytes:
    x, y = X0 + dx, Y0 + dy
    return shapely.to_wkb(shapely.box(x, y, x + size, y + size))


BOWTIE = shapely.to_wkb(
    shapely.from_wkt(f"POLYGON(({X0} {Y0}, {X0+100} {Y0+100}, {X0+100} {Y0}, {X0} {Y0+100}, {X0} {Y0}))")
)


def rec(i: int, jcbh, wkb=None, **extra) -> IncomingPatch:
    attrs = {"JCBH": jcbh, "XZQDM": "500118001", "JCMJ": "666.7", "BZ": "位于某村东侧"} | extra
    # 50 squares a row: a long delivery stays inside zone 35 (a 1500-square line would reach 108°E)
    return IncomingPatch(i, attrs, square((i % 50) * 200, dy=(i // 50) * 200) if wkb is None else wkb)


def run(tmp_path, records, batch="2022-05", sha="s1", **kw):
    return import_delivery(records, kw.pop("fields", FIELDS), tmp_path / "ws.gpkg", batch, "2022-05-06",
                           "deliver.shp", sha, 4523, user="tester", **kw)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_imports_repairs_and_rejects_without_losing_any_patch(tmp_path):
    records = [rec(1, "P1"), rec(2, "P2", BOWTIE), rec(3, "P3", b""), rec(4, "  ")]
    records[2] = IncomingPatch(3, records[2].attributes, None)
    result = run(tmp_path, records)
    assert (result.imported, result.repaired, result.rejected) == (2, 1, 2)
    by_kind = {(p.kind, p.jcbh or str(p.index)) for p in result.problems}
    assert by_kind == {("repaired", "P2"), ("rejected", "P3"), ("rejected", "4")}
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        rows = ws.conn.execute("SELECT JCBH, XFBZ, XFSM, YSSX, JCMJ, PDQX FROM jctb ORDER BY JCBH").fetchall()
        assert [r[:2] for r in rows] == [("P1", 0), ("P2", 1)]
        assert "Self-intersection" in rows[1][2]
        assert json.loads(rows[0][3]) == records[0].attributes  # delivered values kept verbatim
        assert rows[0][4] == pytest.approx(666.7) and rows[0][5] == "2022-05-26"
        batch = ws.batch("2022-05")
        assert batch.patch_count == 2 and batch.deadline == "2022-05-26"


def test_bowtie_becomes_two_triangles_of_full_area(tmp_path):
    run(tmp_path, [rec(1, "B", BOWTIE)])
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        blob = ws.conn.execute("SELECT geom FROM jctb").fetchone()[0]
    from wpzf.domain.workspace.gpkg import wkb_of

    geom = shapely.from_wkb(wkb_of(blob))
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert geom.area == pytest.approx(5000.0)


def test_duplicate_ids_in_file_fail_naming_them_and_write_nothing(tmp_path):
    run(tmp_path, [rec(1, "P1")])
    before = digest(tmp_path / "ws.gpkg")
    with pytest.raises(IntakeError, match="D7.*D9|D9.*D7"):
        run(tmp_path, [rec(1, "D7"), rec(2, "D7"), rec(3, "D9"), rec(4, "D9"), rec(5, "ok")], sha="s2")
    assert digest(tmp_path / "ws.gpkg") == before


def test_missing_id_field_names_field_and_creates_no_workspace(tmp_path):
    with pytest.raises(IntakeError, match="JCBH"):
        run(tmp_path, [rec(1, "P1")], fields=["XZQDM", "BZ"])
    assert not (tmp_path / "ws.gpkg").exists()
    assert list(tmp_path.iterdir()) == []


def test_id_field_is_matched_case_insensitively(tmp_path):
    """A delivery whose ID column is spelled ``jcbh`` stores its ids as JCBH (监测编号), not as empty patches."""
    incoming = [IncomingPatch(1, {"jcbh": "low1"}, square()), IncomingPatch(2, {"jcbh": "low2"}, square(500))]
    assert run(tmp_path, incoming, fields=["jcbh"]).imported == 2
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        stored = [r[0] for r in ws.conn.execute("SELECT JCBH FROM jctb ORDER BY fid")]
    assert stored == ["low1", "low2"]


def test_same_file_again_changes_nothing(tmp_path):
    run(tmp_path, [rec(1, "P1"), rec(2, "P2")])
    before = digest(tmp_path / "ws.gpkg")
    again = run(tmp_path, [rec(1, "P1"), rec(2, "P2")])
    assert again.unchanged and again.imported == 0
    assert digest(tmp_path / "ws.gpkg") == before


def test_other_file_same_batch_reports_duplicates_without_overwrite(tmp_path):
    run(tmp_path, [rec(1, "P1")])
    result = run(tmp_path, [rec(1, "P1", square(9999)), rec(2, "P2")], sha="s2")
    assert (result.imported, result.duplicate) == (1, 1)
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        assert ws.conn.execute("SELECT count(*) FROM jctb WHERE JCBH='P1'").fetchone() == (1,)


def test_id_from_another_batch_is_reissued_not_overwritten(tmp_path):
    run(tmp_path, [rec(1, "P1", BZ="第一次")])
    result = import_delivery([rec(1, "P1", BZ="第二次")], FIELDS, tmp_path / "ws.gpkg", "2022-06",
                             "2022-06-03", "june.shp", "s2", 4523)
    assert result.reissued == 1 and result.imported == 1
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        rows = ws.conn.execute(
            "SELECT b.PCMC, p.CXXF, json_extract(p.YSSX, '$.BZ') FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id"
            " ORDER BY b.PCMC").fetchall()
    assert rows == [("2022-05", 0, "第一次"), ("2022-06", 1, "第二次")]


def test_cancel_rolls_back_byte_for_byte(tmp_path):
    run(tmp_path, [rec(1, "P1")])
    before = digest(tmp_path / "ws.gpkg")
    many = [rec(i, f"C{i}") for i in range(1, 1500)]
    calls = iter(range(100))
    with pytest.raises(Canceled):
        run(tmp_path, many, sha="s3", is_canceled=lambda: next(calls) >= 2)
    assert digest(tmp_path / "ws.gpkg") == before


def test_import_into_locked_batch_is_refused(tmp_path):
    run(tmp_path, [rec(1, "P1")])
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        ws.lock_batch("2022-05")
    before = digest(tmp_path / "ws.gpkg")
    with pytest.raises(WorkspaceError, match="locked"):
        run(tmp_path, [rec(2, "P2")], sha="s4")
    assert digest(tmp_path / "ws.gpkg") == before


def test_non_numeric_ministry_area_is_kept_verbatim_with_a_warning(tmp_path):
    result = run(tmp_path, [rec(1, "P1", JCMJ="约3亩")])
    assert [p.kind for p in result.problems] == ["warning"]
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        assert ws.conn.execute("SELECT JCMJ, json_extract(YSSX,'$.JCMJ') FROM jctb").fetchone() == (None, "约3亩")
