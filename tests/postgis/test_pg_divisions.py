"""Towns and villages on a shared PostGIS workspace: same placement as the GeoPackage, roles, copy.

domain.md §9: "deliveries carry XZQDM = 500118 (county). A patch's 镇街 and 村 come from the
town and village boundaries (XZQ, CJDCQ), by the largest share of the patch."
"""
from __future__ import annotations

import psycopg2
import pytest
from shapely.geometry import box

from wpzf.domain.progress import Canceled
from wpzf.domain.workspace.division_shares import Division
from wpzf.domain.workspace.divisions import import_divisions, patch_towns, stored_divisions, town_names
from wpzf.domain.workspace.postgis import roles
from wpzf.domain.workspace.postgis.migrate import gpkg_to_postgis, postgis_to_gpkg
from wpzf.domain.workspace.postgis.store import PgWorkspace
from wpzf.domain.workspace.store import Workspace

X0, Y0 = 35_580_000.0, 3_250_000.0
A, B = "500118001", "500118002"


def sq(x1, y1, x2, y2):
    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


TOWNS = [Division(A, "中山路街道", sq(0, 0, 1000, 1000)), Division(B, "胜利路街道", sq(1000, 0, 2000, 1000))]
VILLAGES = [Division(A + "001", "北村", sq(0, 500, 1000, 1000)), Division(A + "002", "南村", sq(0, 0, 1000, 500))]
PATCHES = [("P70", sq(790, 300, 1090, 400)), ("PB", sq(1200, 100, 1300, 200)), ("OUT", sq(5000, 5000, 5100, 5100))]


@pytest.fixture()
def office(pg_cluster, pg_db):
    ws = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="admin")
    ws.add_batch("2022-05", "2022-05-06")
    with ws.transaction() as cur:
        for jcbh, geom in PATCHES:
            cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XZQDM") VALUES
                           (ST_Multi(ST_GeomFromText(%s, 4523)), %s, 1, '500118')""", (geom.wkt, jcbh))
        for user, role in (("tech", roles.TECHNICIAN), ("rev", roles.REVIEWER)):
            roles.create_user(ws.conn, "wpzf", user, f"pw-{user}", role)
    ws.lock_batch("2022-05")  # locked stage data: the derived location is still written
    yield ws
    ws.close()


def by_jcbh(ws) -> dict:
    jcbh = dict(ws.conn.execute('SELECT fid, "JCBH" FROM jctb'))
    return {jcbh[fid]: place for fid, place in patch_towns(ws).items()}


def test_placement_on_postgis_is_the_geopackage_one(office):
    # 70 % of P70 lies in A (x 790–1000 of 790–1090): A and its village 南村
    result = import_divisions(office, TOWNS, VILLAGES)
    assert (result.towns, result.villages, result.assigned, result.unassigned) == (2, 2, 2, ["OUT"])
    assert by_jcbh(office) == {"P70": (A, "中山路街道", A + "002", "南村"), "PB": (B, "胜利路街道", "", "")}
    share, = office.conn.execute('SELECT d."XZBL" FROM wpzf_patch_division d JOIN jctb p ON p.fid = d.patch_fid '
                                 """WHERE p."JCBH" = 'P70'""").fetchone()
    assert share == pytest.approx(0.7)
    assert town_names(office) == {A: "中山路街道", B: "胜利路街道"}
    towns, _ = stored_divisions(office)
    assert towns[1].geometry.equals(TOWNS[1].geometry)  # through ST_GeomFromWKB / ST_AsBinary unchanged


def test_a_failed_reimport_on_postgis_leaves_the_previous_divisions(office):
    import_divisions(office, TOWNS, VILLAGES)
    with pytest.raises(Canceled):  # after the delete and the inserts, inside the one transaction
        import_divisions(office, [Division("500118009", "合并镇", sq(0, 0, 2000, 1000))],
                         is_canceled=lambda: True)
    assert [t.code for t in stored_divisions(office)[0]] == [A, B]


def test_technicians_read_divisions_reviewers_write_them(office, pg_cluster, pg_db):
    import_divisions(office, TOWNS)
    for user, may_write in (("tech", False), ("rev", True)):
        conn = psycopg2.connect(**pg_cluster.params(pg_db, user=user, password=f"pw-{user}"))
        try:
            with conn.cursor() as cur:
                cur.execute('SELECT count(*) FROM wpzf.wpzf_division')
                assert cur.fetchone()[0] == 2
                cur.execute('SELECT count(*) FROM wpzf.wpzf_patch_division')
                assert cur.fetchone()[0] == 2
            conn.commit()
            shared = PgWorkspace(conn, "wpzf", user)
            with conn.cursor() as cur:
                cur.execute("SET search_path = wpzf, public")
            if may_write:
                assert import_divisions(shared, TOWNS).assigned == 2
            else:
                with pytest.raises(psycopg2.Error, match="permission denied"):
                    import_divisions(shared, TOWNS)
        finally:
            conn.close()


def test_the_copy_both_ways_keeps_divisions_and_assignments(office, pg_cluster, pg_db, tmp_path):
    import_divisions(office, TOWNS, VILLAGES)
    params = pg_cluster.params(pg_db)
    back = postgis_to_gpkg(params, tmp_path / "copy.gpkg")
    assert back.ok and {t.table for t in back.tables} >= {"wpzf_division", "wpzf_patch_division"}
    with Workspace.open(tmp_path / "copy.gpkg") as ws:
        assert by_jcbh(ws) == by_jcbh(office)
        assert ws.conn.execute("SELECT count(*) FROM rtree_wpzf_division_geom").fetchone() == (4,)
    again = gpkg_to_postgis(tmp_path / "copy.gpkg", params, "wpzf_copy")
    assert again.ok
    copy = PgWorkspace.open(params, "wpzf_copy")
    try:
        assert by_jcbh(copy) == by_jcbh(office)
    finally:
        copy.close()
