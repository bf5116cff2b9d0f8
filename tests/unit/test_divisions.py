"""Towns and villages from the boundaries (domain.md §9) on a real GeoPackage workspace.

domain.md §9: "deliveries carry XZQDM = 500118 (county). A patch's 镇街 and 村 come from the
town and village boundaries (XZQ, CJDCQ), by the largest share of the patch."
All squares are in EPSG:4523 metres: town A is x 0–1000, town B x 1000–2000 (both y 0–1000),
shifted to the zone's false easting.
"""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from wpzf.domain.progress import Canceled
from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.division_shares import Division
from wpzf.domain.workspace.divisions import (
    DivisionError,
    assign_patches,
    has_divisions,
    import_divisions,
    patch_towns,
    stored_divisions,
    town_names,
)
from wpzf.domain.workspace.store import Workspace

X0, Y0 = 35_580_000.0, 3_250_000.0
A, B = "500118001", "500118002"


def sq(x1, y1, x2, y2):
    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


TOWNS = [Division(A, "中山路街道", sq(0, 0, 1000, 1000)), Division(B, "胜利路街道", sq(1000, 0, 2000, 1000))]
VILLAGES = [  # town A split at y = 500; B one village whose code does not start with B (parent by location)
    Division(A + "001", "北村", sq(0, 500, 1000, 1000)), Division(A + "002", "南村", sq(0, 0, 1000, 500)),
    Division("500118999001", "东村", sq(1000, 0, 2000, 1000)),
]


def _blob(geom) -> bytes:
    multi = shapely.multipolygons([geom]) if geom.geom_type == "Polygon" else geom
    return gpkg.encode(shapely.to_wkb(multi), 4523, multi.bounds)


def _add_patches(ws, patches, batch=1):
    with ws.transaction() as conn:
        for jcbh, xzqdm, geom in patches:
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XZQDM) VALUES (?, ?, ?, ?)",
                         (_blob(geom), jcbh, batch, xzqdm))


@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
    _add_patches(w, [
        ("P92", "500118", sq(630, 600, 1030, 700)),    # x 630–1030: 370 m in A, 30 m in B → A, 0.925
        ("P73", "500118", sq(700, 100, 1100, 200)),    # x 700–1100: 300 m in A, 100 m in B → A, 0.75
        ("PB", "500118", sq(1200, 100, 1300, 200)),    # wholly in B
        ("OWN", B, sq(800, 800, 900, 900)),            # XZQDM is town B's code: B wins though it lies in A
        ("OUT", "500118", sq(5000, 5000, 5100, 5100)),  # outside every town
    ])
    yield w
    w.close()


def test_largest_share_wins_and_share_is_stored(ws):
    # a patch 70 % in town A and 30 % in town B goes to A with XZBL 0.7 (domain.md §9 "by the largest share")
    _add_patches(ws, [("P7030", "500118", sq(790, 300, 1090, 400))])  # x 790–1000 = 210 m of 300 → 0.7
    result = import_divisions(ws, TOWNS, VILLAGES)
    rows = {r[0]: r[1:] for r in ws.conn.execute(
        "SELECT p.JCBH, d.XZDM, d.XZMC, d.CJDM, d.CJMC, d.XZBL FROM wpzf_patch_division d "
        "JOIN jctb p ON p.fid = d.patch_fid")}
    assert rows["P7030"][:4] == (A, "中山路街道", A + "002", "南村")
    assert rows["P7030"][4] == pytest.approx(0.7)
    assert rows["P73"][0] == A and rows["P73"][4] == pytest.approx(0.75)  # 300 of 400 m
    assert rows["PB"] == (B, "胜利路街道", "500118999001", "东村", 1.0)
    assert (result.towns, result.villages, result.assigned) == (2, 3, 5)


def test_a_town_code_in_xzqdm_wins_over_the_largest_share(ws):
    result = import_divisions(ws, TOWNS, VILLAGES)
    row = ws.conn.execute("SELECT d.XZDM, d.XZBL, d.CJDM FROM wpzf_patch_division d JOIN jctb p "
                          "ON p.fid = d.patch_fid WHERE p.JCBH = 'OWN'").fetchone()
    assert row == (B, 0.0, None)  # lies wholly in A: no share of B and no village of B holds it
    assert result.by_code == 1


def test_patch_outside_every_town_gets_no_row_and_is_reported(ws):
    result = import_divisions(ws, TOWNS, VILLAGES)
    assert result.unassigned == ["OUT"]
    fid = ws.conn.execute("SELECT fid FROM jctb WHERE JCBH = 'OUT'").fetchone()[0]
    assert fid not in patch_towns(ws) and len(patch_towns(ws)) == 4


def test_village_parent_from_code_prefix_or_location(ws):
    import_divisions(ws, TOWNS, VILLAGES)
    parents = dict(ws.conn.execute("SELECT DM, SJDM FROM wpzf_division WHERE JB = '村'"))
    assert parents == {A + "001": A, A + "002": A, "500118999001": B}  # 500118999 is no town: by location
    assert town_names(ws) == {A: "中山路街道", B: "胜利路街道"}


def test_reimport_replaces_divisions_and_assignments(ws):
    import_divisions(ws, TOWNS, VILLAGES)
    merged = [Division("500118009", "合并镇", sq(0, 0, 2000, 1000))]
    result = import_divisions(ws, merged)
    towns, villages = stored_divisions(ws)
    assert [t.code for t in towns] == ["500118009"] and villages == []
    assert {v[0] for v in patch_towns(ws).values()} == {"500118009"}  # OWN's code B is no longer a town
    assert result.assigned == 5 - 1 and result.unassigned == ["OUT"]
    count, = ws.conn.execute("SELECT count(*) FROM rtree_wpzf_division_geom").fetchone()
    assert count == 1  # the R-tree follows the table
    extent = ws.conn.execute("SELECT min_x, max_x FROM gpkg_contents WHERE table_name = 'wpzf_division'").fetchone()
    assert extent == (X0, X0 + 2000)


def test_a_canceled_or_failed_import_leaves_the_previous_divisions(ws, monkeypatch):
    from wpzf.domain.workspace import divisions

    import_divisions(ws, TOWNS, VILLAGES)
    before = sorted(patch_towns(ws).items())
    monkeypatch.setattr(divisions, "CHUNK", 2)  # 5 patches: three placement steps
    calls = iter([False, True])  # cancel after the divisions and 2 placements were written
    with pytest.raises(Canceled):
        import_divisions(ws, [Division("500118009", "合并镇", sq(0, 0, 2000, 1000))], (),
                         is_canceled=lambda: next(calls, True))
    assert [t.code for t in stored_divisions(ws)[0]] == [A, B]
    assert sorted(patch_towns(ws).items()) == before
    with pytest.raises(DivisionError, match="number 2 has no code"):
        import_divisions(ws, [TOWNS[0], Division(" ", "无码", sq(0, 0, 1, 1))])
    assert [t.code for t in stored_divisions(ws)[0]] == [A, B]


def test_patches_of_a_locked_batch_are_placed_too(ws):
    ws.lock_batch("2022-05")
    result = import_divisions(ws, TOWNS)
    assert result.assigned == 4  # wpzf_patch_division is a derived location, not locked stage data


def test_assign_only_the_given_patches(ws):
    import_divisions(ws, TOWNS, VILLAGES)
    _add_patches(ws, [("NEW", "500118", sq(1500, 500, 1600, 600))])
    new = ws.conn.execute("SELECT fid FROM jctb WHERE JCBH = 'NEW'").fetchone()[0]
    assert new not in patch_towns(ws)
    result = assign_patches(ws, [new])
    assert result.assigned == 1 and patch_towns(ws)[new] == (B, "胜利路街道", "500118999001", "东村")
    assert len(patch_towns(ws)) == 5


def test_without_divisions_nothing_is_assigned(ws):
    assert not has_divisions(ws)
    with pytest.raises(DivisionError, match="no town boundaries"):
        assign_patches(ws)


def test_twenty_thousand_patches_each_in_the_town_and_village_holding_most_of_it(tmp_path):
    """20,000 patches × 20 towns × 300 villages, a district's year (its speed is bench/big_features.py's
    business): each 40 m square goes to the town and village holding its centre, i.e. the larger share."""
    w = Workspace.create(tmp_path / "big.gpkg", 4523, user="tester")
    rng = np.random.default_rng(7)
    towns = [Division(f"500118{t + 1:03d}", f"镇{t}", sq(t * 1000, 0, (t + 1) * 1000, 15000)) for t in range(20)]
    villages = [Division(f"500118{t + 1:03d}{v + 1:03d}", f"村{t}-{v}",
                         sq(t * 1000, v * 1000, (t + 1) * 1000, (v + 1) * 1000)) for t in range(20) for v in range(15)]
    x, y = rng.uniform(0, 19_950, 20_000), rng.uniform(0, 14_950, 20_000)
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.executemany("INSERT INTO jctb (geom, JCBH, batch_id, XZQDM) VALUES (?, ?, 1, '500118')",
                         [(_blob(sq(a, b, a + 40, b + 40)), f"J{k}") for k, (a, b) in enumerate(zip(x, y))])
    result = import_divisions(w, towns, villages)
    placed = dict(((jcbh, (town, village)) for jcbh, town, village in w.conn.execute(
        "SELECT p.JCBH, d.XZDM, d.CJDM FROM wpzf_patch_division d JOIN jctb p ON p.fid = d.patch_fid")))
    w.close()
    assert result.assigned == 20_000 and not result.unassigned
    expected = {f"J{k}": (f"500118{int((a + 20) // 1000) + 1:03d}",
                          f"500118{int((a + 20) // 1000) + 1:03d}{int((b + 20) // 1000) + 1:03d}")
                for k, (a, b) in enumerate(zip(x, y))}
    assert placed == expected


def test_the_written_geopackage_validates_with_gdal(ws):
    validate = pytest.importorskip("osgeo_utils.samples.validate_gpkg")
    import_divisions(ws, TOWNS, VILLAGES)
    path = str(ws.path)
    ws.conn.close()
    errors = validate.check(path, abort_at_first_error=False, warning_msg=False)
    assert errors == []  # spec R-tree triggers, typed columns, complete schema extension (issue 14)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM wpzf_division").fetchone() == (5,)


def test_facts_rows_and_excel_use_the_stored_town_and_its_name(ws):
    from wpzf.domain.reporting.excel import patch_list_value
    from wpzf.domain.reporting.facts import load_facts
    from wpzf.domain.workbench.patch_rows import load_rows

    import_divisions(ws, TOWNS, VILLAGES)
    facts = {f.jcbh: f for f in load_facts(ws)}
    p92 = facts["P92"]  # x 630–1030, y 600–700: 92.5 % in A, in its northern village
    assert (p92.town, p92.town_name, p92.village, p92.village_name) == (A, "中山路街道", A + "001", "北村")
    assert (facts["OUT"].town, facts["OUT"].town_name) == ("500118", "")  # no row: XZQDM as delivered
    assert patch_list_value(p92, "@town", {}) == "中山路街道" and patch_list_value(p92, "@village", {}) == "北村"
    rows = {r.jcbh: r for r in load_rows(ws.conn)}
    assert rows["P92"].town == A and rows["P92"].town_label == "中山路街道 (500118001)"
    assert rows["OWN"].town_label == "胜利路街道 (500118002)" and rows["OUT"].town_label == "500118"


def test_boundaries_of_many_vertices_place_patches_as_plain_ones():
    """Real 三调 town boundaries have 10^4–10^5 vertices: the same towns with a vertex every metre (4,000
    each) give the same towns, villages and shares (P7030: 210 of 300 m in A → 0.7)."""
    from wpzf.domain.workspace.division_shares import overlap_pairs, place

    geoms = np.array([sq(790, 300, 1090, 400), sq(630, 600, 1030, 700), sq(1200, 100, 1300, 200),
                      sq(5000, 5000, 5100, 5100)], dtype=object)
    dense = [Division(d.code, d.name, shapely.segmentize(d.geometry, 1.0), d.parent) for d in TOWNS]
    dense_villages = [Division(v.code, v.name, shapely.segmentize(v.geometry, 1.0), v.parent) for v in VILLAGES]
    assert all(shapely.get_num_coordinates(d.geometry) == 4001 for d in dense)
    xzqdm = ["500118"] * len(geoms)
    assert place(geoms, xzqdm, dense, dense_villages) == place(geoms, xzqdm, TOWNS, VILLAGES)
    i, j, share = overlap_pairs(geoms, np.array([d.geometry for d in dense], dtype=object))
    assert dict(zip(zip(i.tolist(), j.tolist()), share.tolist())) == pytest.approx(
        {(0, 0): 0.7, (0, 1): 0.3, (1, 0): 0.925, (1, 1): 0.075, (2, 1): 1.0})
