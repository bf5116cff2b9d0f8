"""A technician's rights follow the patch's town from the map, not the county code in XZQDM.

domain.md §9: "deliveries carry XZQDM = 500118 (county). A patch's 镇街 and 村 come from the town
and village boundaries (XZQ, CJDCQ), by the largest share of the patch." So the database's roles
(domain/workspace/postgis/roles.py) take a patch's town from wpzf_patch_division.XZDM, and only
fall back to XZQDM for a patch the boundaries did not place (older workspaces, town-coded deliveries).
"""
from __future__ import annotations

import psycopg2
import pytest
from shapely.geometry import box

from wpzf.domain.casework import DecisionInput
from wpzf.domain.casework.save import WorkspaceError, save_decision
from wpzf.domain.workspace.division_shares import Division
from wpzf.domain.workspace.divisions import import_divisions
from wpzf.domain.workspace.postgis import roles
from wpzf.domain.workspace.postgis.store import PgWorkspace, migrate

X0, Y0 = 35_580_000.0, 3_250_000.0
COUNTY = "500118"
A, B = "500118101", "500118102"
USERS = {"tech_a": roles.TECHNICIAN, "rev": roles.REVIEWER, "view": roles.VIEWER}


def sq(x1, y1, x2, y2):
    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


TOWNS = [Division(A, "中山路街道", sq(0, 0, 1000, 1000)), Division(B, "胜利路街道", sq(1000, 0, 2000, 1000))]
#: PA lies in A, PB in B, PX outside both: every one delivered with the county code only
PATCHES = [("PA", sq(100, 100, 200, 200)), ("PB", sq(1100, 100, 1200, 200)), ("PX", sq(5000, 5000, 5100, 5100))]
ROAD = DecisionInput(PDLX="其他", JTQX="农村道路", PDYJ="实地为农村道路")


@pytest.fixture()
def office(pg_cluster, pg_db):
    """Batch 2022-05 with PA, PB, PX (XZQDM 500118), users tech_a (town A), rev, view; no boundaries yet."""
    ws = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="admin")
    ws.add_batch("2022-05", "2022-05-06")
    with ws.transaction() as cur:
        for jcbh, geom in PATCHES:
            cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XZQDM") VALUES
                           (ST_Multi(ST_GeomFromText(%s, 4523)), %s, 1, %s)""", (geom.wkt, jcbh, COUNTY))
        for user, role in USERS.items():
            roles.create_user(ws.conn, "wpzf", user, f"pw-{user}", role)
        roles.assign_towns(ws.conn, "wpzf", "tech_a", [A])
    yield ws
    ws.close()


def fid_of(ws, jcbh):
    return ws.conn.execute('SELECT fid FROM jctb WHERE "JCBH" = ?', (jcbh,)).fetchone()[0]


def login(pg_cluster, pg_db, user):
    conn = psycopg2.connect(**pg_cluster.params(pg_db, user=user, password=f"pw-{user}"))
    with conn.cursor() as cur:
        cur.execute("SET search_path = wpzf, public")
    conn.commit()
    return conn


def run(conn, sql, params=()):
    """Execute and commit; return the row count (or the rows of a SELECT)."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        out = cur.fetchall() if cur.description else cur.rowcount
    conn.commit()
    return out


def refused(conn, sql, match, params=(), error=psycopg2.Error):
    with pytest.raises(error, match=match):
        run(conn, sql, params)
    conn.rollback()


def shared(pg_cluster, pg_db, user):
    return PgWorkspace.open(pg_cluster.params(pg_db, user=user, password=f"pw-{user}"), user=user)


def test_the_patch_town_is_the_placement_else_the_xzqdm(office):
    pa, pb, px = (fid_of(office, j) for j in ("PA", "PB", "PX"))
    town = "SELECT wpzf_patch_town(?)"
    # before the boundaries: the county code, which names no town (domain.md §9)
    assert [office.conn.execute(town, (f,)).fetchone()[0] for f in (pa, pb, px)] == [COUNTY] * 3
    result = import_divisions(office, TOWNS)
    assert (result.assigned, result.unassigned) == (2, ["PX"])
    # PA inside A, PB inside B; PX outside both keeps its XZQDM
    assert [office.conn.execute(town, (f,)).fetchone()[0] for f in (pa, pb, px)] == [A, B, COUNTY]
    assert office.conn.execute("SELECT wpzf_patch_town(?, '500118999')", (px,)).fetchone() == ("500118999",)


def test_technician_saves_a_decision_on_his_towns_patch_and_is_told_why_not_on_another(office, pg_cluster, pg_db):
    pa, pb = fid_of(office, "PA"), fid_of(office, "PB")
    with shared(pg_cluster, pg_db, "tech_a") as ws:
        with pytest.raises(WorkspaceError):  # without the map XZQDM 500118 is no town of his: the old behaviour
            save_decision(ws, pa, ROAD)
    import_divisions(office, TOWNS)
    with shared(pg_cluster, pg_db, "tech_a") as ws:
        state = save_decision(ws, pa, ROAD)
        assert (state.values["PDLX"], state.values["JTQX"], state.values["XGR"]) == ("其他", "农村道路", "tech_a")
        with pytest.raises(WorkspaceError) as caught:
            save_decision(ws, pb, ROAD)
    text = str(caught.value)
    # the message names the patch, its town from the map (code and name), the login and his towns
    assert "PB" in text and f"{B} 胜利路街道" in text and "tech_a" in text and f"({A})" in text, text
    assert COUNTY + " " not in text and caught.value.__cause__.pgcode == roles.OTHER_TOWN_SQLSTATE
    rows = run(office.conn, 'SELECT "JCBH", "PDLX", row_version FROM wpzf.jctb ORDER BY "JCBH"')
    assert rows == [("PA", "其他", 2), ("PB", None, 1), ("PX", None, 1)]


def test_raw_update_of_another_towns_patch_raises_naming_patch_and_towns(office, pg_cluster, pg_db):
    import_divisions(office, TOWNS)
    pa, pb = fid_of(office, "PA"), fid_of(office, "PB")
    conn = login(pg_cluster, pg_db, "tech_a")
    assert run(conn, """UPDATE jctb SET "BZ" = '已核' WHERE "JCBH" = 'PA'""") == 1
    # another town's patch: an error, never "UPDATE 0"
    refused(conn, """UPDATE jctb SET "BZ" = 'x' WHERE "JCBH" = 'PB'""",
            f"图斑 PB 属于镇街 {B} 胜利路街道.*tech_a.*{A}", error=psycopg2.errors.InsufficientPrivilege)
    # its XZQDM recoded to his town changes nothing: the map's town wins, and the trigger reads the stored row
    refused(conn, f"""UPDATE jctb SET "XZQDM" = '{A}' WHERE "JCBH" = 'PB'""", f"PB .*{B}",
            error=psycopg2.errors.InsufficientPrivilege)
    # per-patch records follow the same town
    assert run(conn, """INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY") VALUES (%s, '2022-05-10', '李工')""",
               (pa,)) == 1
    refused(conn, """INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY") VALUES (%s, '2022-05-10', '李工')""",
            "row-level security", (pb,))
    run(office.conn, """INSERT INTO wpzf.wpzf_field_visit (patch_fid, "KCRQ", "KCRY") VALUES (%s, '2022-05-10', '王工')""",
        (pb,))
    refused(conn, """UPDATE wpzf_field_visit SET "KCQK" = 'x' WHERE patch_fid = %s""", f"PB .*{B}.*tech_a", (pb,))
    conn.close()
    assert run(office.conn, 'SELECT "JCBH", "BZ", "XZQDM" FROM wpzf.jctb ORDER BY "JCBH"') == \
        [("PA", "已核", COUNTY), ("PB", None, COUNTY), ("PX", None, COUNTY)]


def test_technician_cannot_move_a_patch_into_his_town(office, pg_cluster, pg_db):
    import_divisions(office, TOWNS)
    pb = fid_of(office, "PB")
    conn = login(pg_cluster, pg_db, "tech_a")
    assert run(conn, "SELECT count(*) FROM wpzf_patch_division") == [(2,)]  # he reads the placements
    for sql in (f"""UPDATE wpzf_patch_division SET "XZDM" = '{A}' WHERE patch_fid = {pb}""",
                f"DELETE FROM wpzf_patch_division WHERE patch_fid = {pb}",
                f"""INSERT INTO wpzf_patch_division (patch_fid, "XZDM") VALUES ({fid_of(office, 'PX')}, '{A}')""",
                f"""INSERT INTO wpzf_division ("DM", "JB") VALUES ('{A}001', '村')""",
                "TRUNCATE wpzf_patch_division"):
        refused(conn, sql, "permission denied")
    conn.close()
    assert run(office.conn, 'SELECT patch_fid, "XZDM" FROM wpzf.wpzf_patch_division ORDER BY 1') == \
        [(fid_of(office, "PA"), A), (pb, B)]


def test_new_patches_fall_back_to_their_xzqdm_and_reviewers_import_any(office, pg_cluster, pg_db):
    import_divisions(office, TOWNS)
    insert = """INSERT INTO jctb (geom, "JCBH", batch_id, "XZQDM") VALUES
                (ST_Multi(ST_GeomFromText(%s, 4523)), %s, 1, %s)"""
    conn = login(pg_cluster, pg_db, "tech_a")
    # a new patch has no placement yet: its own XZQDM decides
    assert run(conn, insert, (sq(300, 300, 400, 400).wkt, "N1", A + "000")) == 1
    refused(conn, insert, "row-level security", (sq(300, 300, 400, 400).wkt, "N2", COUNTY))
    conn.close()
    rev = login(pg_cluster, pg_db, "rev")
    assert run(rev, insert, (sq(1300, 300, 1400, 400).wkt, "N3", COUNTY)) == 1
    rev.close()
    assert [r[0] for r in run(office.conn, 'SELECT "JCBH" FROM wpzf.jctb ORDER BY fid')] == ["PA", "PB", "PX", "N1", "N3"]


def test_viewer_reads_and_reviewer_edits_both_towns_and_reimports(office, pg_cluster, pg_db):
    import_divisions(office, TOWNS)
    pa, pb = fid_of(office, "PA"), fid_of(office, "PB")
    view = login(pg_cluster, pg_db, "view")
    assert run(view, 'SELECT "JCBH", wpzf_patch_town(fid) FROM jctb ORDER BY "JCBH"') == \
        [("PA", A), ("PB", B), ("PX", COUNTY)]
    refused(view, """UPDATE jctb SET "BZ" = 'x' WHERE "JCBH" = 'PA'""", "permission denied")
    view.close()
    with shared(pg_cluster, pg_db, "rev") as ws:
        assert save_decision(ws, pa, ROAD).values["PDLX"] == "其他"
        assert save_decision(ws, pb, ROAD).values["PDLX"] == "其他"
        # the reviewer re-imports with the codes swapped (a corrected boundary file): PB is now in A
        swapped = [Division(A, "中山路街道", TOWNS[1].geometry), Division(B, "胜利路街道", TOWNS[0].geometry)]
        assert import_divisions(ws, swapped).assigned == 2
    conn = login(pg_cluster, pg_db, "tech_a")
    assert run(conn, """UPDATE jctb SET "BZ" = '改划后' WHERE "JCBH" = 'PB'""") == 1
    refused(conn, """UPDATE jctb SET "BZ" = 'x' WHERE "JCBH" = 'PA'""", f"PA .*{B}",
            error=psycopg2.errors.InsufficientPrivilege)
    conn.close()


def test_roles_before_schema_6_use_the_xzqdm_and_the_map_once_migrated(pg_cluster, pg_db):
    """A migration stopped at version 5 (no wpzf_patch_division, no wpzf_case_progress) still installs the roles."""
    conn = pg_cluster.connect(pg_db)
    migrate(conn, "wpzf", 4523, target=5)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO wpzf.wpzf_meta VALUES ('crs_epsg', '4523')")
        cur.execute("""INSERT INTO wpzf.wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('b', '2022-05-06', '2022-05-26')""")
        cur.execute("""INSERT INTO wpzf.jctb (geom, "JCBH", batch_id, "XZQDM")
                       VALUES (ST_Multi(ST_GeomFromText(%s, 4523)), 'OLD1', 1, %s)""",
                    (sq(1100, 100, 1200, 200).wkt, A + "000"))  # town-coded XZQDM A, drawn inside B
        cur.execute("SELECT to_regclass('wpzf.wpzf_patch_division'), wpzf.wpzf_patch_town(1)")
        assert cur.fetchone() == (None, A + "000")
        cur.execute(roles.install_sql("wpzf"))  # idempotent: a second install changes nothing
        roles.create_user(conn, "wpzf", "tech_a", "pw-tech_a", roles.TECHNICIAN)
        roles.assign_towns(conn, "wpzf", "tech_a", [A])
    conn.commit()
    conn.close()
    tech = login(pg_cluster, pg_db, "tech_a")
    assert run(tech, """UPDATE jctb SET "BZ" = 'v5' WHERE "JCBH" = 'OLD1'""") == 1
    tech.close()
    with PgWorkspace.open(pg_cluster.params(pg_db), user="admin") as ws:  # migrates to 6
        # 500118101000 is a village code of town A (12 digits): the town code keeps the patch in A
        assert import_divisions(ws, TOWNS).by_code == 1
        ws.conn.execute('UPDATE wpzf_patch_division SET "XZDM" = ? WHERE patch_fid = 1', (B,))  # as if drawn in B
        assert ws.conn.execute("SELECT wpzf_patch_town(1)").fetchone() == (B,)
    tech = login(pg_cluster, pg_db, "tech_a")
    refused(tech, """UPDATE jctb SET "BZ" = 'v6' WHERE "JCBH" = 'OLD1'""", f"OLD1 .*{B}",
            error=psycopg2.errors.InsufficientPrivilege)
    tech.close()
