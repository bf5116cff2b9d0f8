"""wpzf:imagerychange on a shared PostGIS workspace: the same measures, stored in the server's wpzf_imagery_change.

Issue 22: "Results are stored per patch in the workspace (so the patch list can sort and filter by
change score and the forms show it)" — on either backend, through the WorkspaceStore interface.
"""
from __future__ import annotations

import itertools

import pytest
from pg_auth import saved_connection

from wpzf.domain.workspace.postgis import migrate

pytestmark = pytest.mark.slow

CONNECTION = "wpzf imagery owner"
_schemas = itertools.count()


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture(scope="module")
def office(pg_cluster):
    params = pg_cluster.params(pg_cluster.create_database("wpzf_imagery"))
    with saved_connection(CONNECTION, params):
        yield params


def run(workspace, district):
    from qgis import processing

    result = processing.run("wpzf:imagerychange", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "BEFORE": str(district.imagery_before),
        "AFTER": str(district.imagery_after), "OUTPUT": "memory:"})
    return result, {f["JCBH"]: (f["XSS"], f["BHDF"], f["BZ"]) for f in result["OUTPUT"].getFeatures()}


def test_the_shared_workspace_stores_what_the_geopackage_stores(office, district, tmp_path):
    from district_workspace import imported_batch

    from wpzf.adapters.workspaces import open_workspace
    from wpzf.domain.imagery.store import load_changes

    workspace = imported_batch(district, tmp_path / "ws.gpkg", "2022-05")
    schema = f"imagery{next(_schemas)}"
    report = migrate.gpkg_to_postgis(workspace, office, schema=schema)
    assert report.ok, report.failures()
    shared = f"postgres:{CONNECTION}/{schema}"
    gpkg_result, gpkg_rows = run(workspace, district)
    pg_result, pg_rows = run(shared, district)
    assert pg_result["STORED"] == gpkg_result["STORED"] == 60
    assert pg_rows.keys() == gpkg_rows.keys()
    for jcbh, (xss, score, flag) in gpkg_rows.items():
        assert pg_rows[jcbh][0] == xss and pg_rows[jcbh][2] == flag
        assert (pg_rows[jcbh][1] is None) == (score is None)
        assert score is None or pg_rows[jcbh][1] == pytest.approx(score, abs=1e-6)
    run(shared, district)  # replaced per patch, never duplicated
    with open_workspace(shared) as ws:
        stored = load_changes(ws)
        assert ws.conn.execute("SELECT count(*) FROM wpzf_imagery_change").fetchone()[0] == 60
        jcbh = dict(ws.conn.execute('SELECT fid, "JCBH" FROM jctb'))
    assert {jcbh[f]: m.XSS for f, m in stored.items()} == {j: r[0] for j, r in gpkg_rows.items()}
