"""The 外业踏勘 round trip on a shared PostGIS workspace (issue 17): export from the server, import back into it.

Work plan: "收到下发图斑后，立即组织开展内业比对和外业踏勘". On a shared workspace the
technicians' tablets come back to one database: each visit with its photos is
stored in one transaction on the server (the photos' bytes in
``wpzf_evidence_file`` by SHA-256, as the forms store evidence), and the
database's row security decides whose patches a technician may record
(roles.py: "inserts and updates patches and per-patch records of the towns
assigned to him"); a refusal is reported for that patch, the others are
stored. domain.md §9: locking freezes stage data, yet progress is still
recorded afterwards as dated records.
"""
from __future__ import annotations

import hashlib
import itertools

import psycopg2
import pytest
from exif_photos import write_photo
from field_package import centres, lonlat, qfield_edits, visit
from pg_auth import saved_connection
from pg_sql import fetch
from reporting_district import T2, build

from wpzf.domain.workspace.postgis import migrate, roles
from wpzf.domain.workspace.postgis.store import PgWorkspace

pytestmark = pytest.mark.slow

ADMIN, TECHNICIAN = "wpzf field admin", "wpzf field zhang"
_schemas = itertools.count()


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture(scope="module")
def office(pg_cluster):
    """A database and two QGIS connections: the owner, and technician zhang (town T2) — both through authcfg."""
    params = pg_cluster.params(pg_cluster.create_database("wpzf_field"))
    with saved_connection(ADMIN, params), saved_connection(TECHNICIAN, params, "field_zhang", "pw-zhang"):
        yield params


@pytest.fixture()
def schema(tmp_path, office):
    """The two-town workspace (reporting_district: P1–P3 in town T1, P4–P7_2 in T2) in a new schema; zhang in T2."""
    name = f"field{next(_schemas)}"
    report = migrate.gpkg_to_postgis(build(tmp_path / "ws.gpkg"), office, schema=name)
    assert report.ok, report.failures()
    conn = psycopg2.connect(**office)
    try:
        roles.create_user(conn, name, "field_zhang", "pw-zhang", roles.TECHNICIAN)
        roles.assign_towns(conn, name, "field_zhang", [T2])
        conn.commit()
    finally:
        conn.close()
    return name


def ref(connection: str, schema: str) -> str:
    return f"postgres:{connection}/{schema}"


def run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


def import_rows(workspace: str, package, **extra) -> tuple[dict, list[dict]]:
    result = run("importfieldpackage", WORKSPACE=workspace, PACKAGE=str(package), OUTPUT="memory:", **extra)
    layer = result["OUTPUT"]
    return result, [dict(zip(layer.fields().names(), f.attributes())) for f in layer.getFeatures()]


def export(schema: str, folder, expression: str = '"JCBH" IN (\'P1\', \'P4\', \'P6\')') -> dict:
    return run("exportfieldpackage", WORKSPACE=ref(ADMIN, schema), BATCH="2022-05", EXPRESSION=expression,
               OUTPUT_FOLDER=str(folder))


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_exported_from_the_server_and_imported_by_a_technician_with_his_towns_only(schema, office, tmp_path):
    from wpzf.domain.fieldwork.manifest import read_manifest

    folder = tmp_path / "pkg"
    assert export(schema, folder)["PATCH_COUNT"] == 3
    manifest = read_manifest(folder)
    identity = fetch(office, schema, "SELECT value FROM wpzf_meta WHERE key = 'workspace_id'")[0][0]
    versions = dict(fetch(office, schema, 'SELECT "JCBH", row_version::text FROM jctb'))
    assert manifest.workspace_id == identity  # the server's identity, not the GeoPackage it was copied from
    assert [(p.jcbh, p.version) for p in manifest.patches] == [(j, versions[j]) for j in ("P1", "P4", "P6")]
    where = centres(folder)
    write_photo(folder / "DCIM" / "p1.jpg", *where["P1"])
    write_photo(folder / "DCIM" / "p4a.jpg", *where["P4"], bearing=45.0, taken="2022:05:20 10:31:05", color=(1, 2, 3))
    write_photo(folder / "DCIM" / "p4b.jpg", *where["P4"], color=(4, 5, 6))
    write_photo(folder / "DCIM" / "p6.jpg", *where["P6"], color=(7, 8, 9))
    # P6 is the box x 35581000–35581100, y 3250000–3250100 (reporting_district.blob(5)): 30 m north of its edge
    write_photo(folder / "DCIM" / "near_p6.jpg", *lonlat(35581050.0, 3250130.0), color=(10, 11, 12))
    write_photo(folder / "DCIM" / "in_p1.jpg", *where["P1"], color=(13, 14, 15))  # T1: not zhang's town
    qfield_edits(folder, [visit("P1", "DCIM/p1.jpg"), visit("P4", "DCIM/p4a.jpg", "DCIM/p4b.jpg", result="非农违法",
                                                              note="新建厂房"),
                          visit("P6", "DCIM/p6.jpg", who="张三", when="2022-05-21 09:00:00")])
    with PgWorkspace.open(office, schema) as owner:  # the reviewer locks the batch: visits are still appended
        owner.lock_batch("2022-05")

    result, rows = import_rows(ref(TECHNICIAN, schema), folder, IMPORT_UNREFERENCED=True)

    # P4 (2 photos) and P6 (1) stored, near_p6 as P6's loose evidence; P1's visit and photo refused (town T1)
    assert (result["VISITS"], result["PHOTOS"], result["UNREFERENCED"], result["REFUSED"]) == (2, 4, 1, 0)
    by = {(r["JCBH"], r["XM"], r["WJ"]): r for r in rows}
    refused = by[("P1", "visit", "")]
    assert refused["ZT"] == "refused" and "P1" in refused["SM"] and "field_zhang" in refused["SM"]
    assert T2 in refused["SM"]  # the towns he may change are named
    assert by[("P1", "photo", "DCIM/in_p1.jpg")]["ZT"] == "refused"
    assert by[("P6", "photo", "DCIM/near_p6.jpg")]["ZT"] == "stored"
    assert {by[("P4", "visit", "")]["ZT"], by[("P6", "visit", "")]["ZT"]} == {"stored"}
    visits = fetch(office, schema, 'SELECT j."JCBH", v."KCRQ", v."KCRY", v."KCJG", v."KCQK", v."KCSJ", v."WYB", '
                                   'v."XGR", v.id FROM wpzf_field_visit v JOIN jctb j ON j.fid = v.patch_fid '
                                   "ORDER BY v.id")
    assert [v[:8] for v in visits] == [
        ("P4", "2022-05-20", "李四", "非农违法", "新建厂房", "2022-05-20T10:31:00", manifest.package_id, "field_zhang"),
        ("P6", "2022-05-21", "张三", "实地未变化", "现场为耕地，未见建设", "2022-05-21T09:00:00", manifest.package_id,
         "field_zhang")]
    p4, p6 = visits[0][8], visits[1][8]
    evidence = fetch(office, schema, 'SELECT j."JCBH", e.visit_id, e."YSWJM", e."SHA256", e."JL", e."FWJ", e."PSSJ" '
                                     "FROM wpzf_evidence e JOIN jctb j ON j.fid = e.patch_fid ORDER BY e.id")
    dcim = folder / "DCIM"
    assert [e[:4] for e in evidence] == [("P4", p4, "p4a.jpg", sha(dcim / "p4a.jpg")),
                                         ("P4", p4, "p4b.jpg", sha(dcim / "p4b.jpg")),
                                         ("P6", p6, "p6.jpg", sha(dcim / "p6.jpg")),
                                         ("P6", None, "near_p6.jpg", sha(dcim / "near_p6.jpg"))]
    assert [e[4] for e in evidence[:3]] == [0.0, 0.0, 0.0] and abs(evidence[3][4] - 30.0) < 0.05
    assert (evidence[0][5], evidence[0][6]) == (45.0, "2022-05-20T10:31:05")  # EXIF bearing and time kept
    stored = dict(fetch(office, schema, "SELECT sha256, content FROM wpzf_evidence_file"))
    assert {e[3] for e in evidence} == set(stored)  # the bytes on the server, once per content
    assert all(bytes(stored[sha(dcim / n)]) == (dcim / n).read_bytes() for n in ("p4a.jpg", "p6.jpg"))
    assert fetch(office, schema, 'SELECT "WYB", "PCMC", "XGR" FROM wpzf_field_package') == [
        (manifest.package_id, "2022-05", "field_zhang")]

    from wpzf.domain.reporting.facts import related_texts
    from wpzf.domain.workbench.patch_rows import load_rows

    with PgWorkspace.open(office, schema) as ws:  # visible at once: the list's "visited" filter and the Excel text
        assert {r.jcbh: r.visits for r in load_rows(ws.conn) if r.visits} == {"P4": 1, "P6": 1}
        texts = {fid: t.get("visits") for fid, t in related_texts(ws).items()}
    fid_p4 = fetch(office, schema, "SELECT fid FROM jctb WHERE \"JCBH\" = 'P4'")[0][0]
    assert texts[fid_p4] == "2022-05-20 李四 非农违法：新建厂房"

    again, rows = import_rows(ref(TECHNICIAN, schema), folder, IMPORT_UNREFERENCED=True)
    assert (again["VISITS"], again["PHOTOS"]) == (0, 0)  # the same package once more adds nothing
    assert {r["ZT"] for r in rows if r["XM"] == "visit" and r["JCBH"] in ("P4", "P6")} == {"already imported"}
    assert fetch(office, schema, "SELECT count(*) FROM wpzf_field_visit")[0][0] == 2
    assert fetch(office, schema, "SELECT count(*) FROM wpzf_evidence")[0][0] == 4

    done, _ = import_rows(ref(ADMIN, schema), folder)  # the owner may record P1's visit
    assert (done["VISITS"], done["PHOTOS"]) == (1, 1)


def test_a_failure_on_the_server_leaves_neither_visit_nor_photo_rows_nor_bytes(schema, office, tmp_path, monkeypatch):
    from wpzf.domain.fieldwork import store
    from wpzf.domain.fieldwork.plan import FAILED, VISIT

    folder = tmp_path / "pkg"
    export(schema, folder, "\"JCBH\" = 'P4'")
    write_photo(folder / "DCIM" / "1.jpg", *centres(folder)["P4"])
    write_photo(folder / "DCIM" / "2.jpg", *centres(folder)["P4"], color=(1, 1, 1))
    qfield_edits(folder, [visit("P4", "DCIM/1.jpg", "DCIM/2.jpg")])
    real, calls = store.add_shared_file, []

    def second_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise psycopg2.OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "add_shared_file", second_fails)
    with PgWorkspace.open(office, schema) as ws:
        result = store.import_package(ws, folder)
    assert [(i.item, i.status) for i in result.items if i.item == VISIT] == [(VISIT, FAILED)]
    assert "server closed" in str(next(i for i in result.items if i.item == VISIT).message)
    for table in ("wpzf_field_visit", "wpzf_evidence", "wpzf_evidence_file"):  # the first photo was rolled back too
        assert fetch(office, schema, f"SELECT count(*) FROM {table}")[0][0] == 0, table
    monkeypatch.setattr(store, "add_shared_file", real)
    with PgWorkspace.open(office, schema) as ws:
        again = store.import_package(ws, folder)
    assert (again.visits, again.photos) == (1, 2)
