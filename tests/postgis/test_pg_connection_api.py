"""Shared workspaces through QGIS's own connection API (issue 21 item 3).

The connections here are saved the way QGIS's Data Source Manager saves them —
``providerMetadata('postgres').createConnection(uri, {})`` + ``saveConnection``
— not by writing settings keys, and what the user set on them (sslmode, a
pg_service.conf service, an authentication configuration) is what the plugin
uses. The test server has SSL off, so a connection saved with sslmode=require
must fail while one with sslmode=disable works: the plugin used to force
sslmode=prefer whatever the connection said.
"""
from __future__ import annotations

import itertools

import pytest
from reporting_district import build

from wpzf.domain.workspace.postgis import migrate
from wpzf.domain.workspace.store import WorkspaceError

_names = itertools.count()


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture(scope="module")
def office(pg_cluster):
    """A database, and a Basic auth configuration holding its login (the master password set)."""
    from qgis.core import QgsApplication

    dbname = pg_cluster.create_database("wpzf_connection_api")
    params = pg_cluster.params(dbname)
    from pg_auth import basic_authcfg

    authcfg = basic_authcfg("wpzf connection api", params["user"], params["password"])
    yield params, authcfg
    QgsApplication.authManager().removeAuthenticationConfig(authcfg)


@pytest.fixture()
def save_connection():
    """save(uri) → the name of a connection saved through QGIS's connection API; removed afterwards."""
    from qgis.core import QgsProviderRegistry

    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    saved = []

    def save(uri: str) -> str:
        name = f"wpzf api {next(_names)}"
        metadata.saveConnection(metadata.createConnection(uri, {}), name)
        saved.append(name)
        return name

    yield save
    for name in saved:
        metadata.deleteConnection(name)


@pytest.fixture(scope="module")
def schema(office, tmp_path_factory):
    """The hand-built reporting workspace copied into schema ``api`` (once)."""
    params, _ = office
    report = migrate.gpkg_to_postgis(build(tmp_path_factory.mktemp("api") / "ws.gpkg"), params, schema="api")
    assert report.ok, report.failures()
    return "api"


def tcp_uri(params, authcfg, sslmode) -> str:
    return (f"host={params['host']} port={params['port']} dbname='{params['dbname']}' "
            f"sslmode={sslmode} authcfg={authcfg}")


def test_connection_saved_through_qgis_is_listed_and_keeps_its_sslmode(office, schema, save_connection):
    from wpzf.adapters.pg_connection import connect_kwargs, connection_names
    from wpzf.adapters.workspaces import open_workspace, shared_workspace_schemas

    params, authcfg = office
    name = save_connection(tcp_uri(params, authcfg, "disable"))
    assert name in connection_names()
    kwargs = connect_kwargs(name)
    assert kwargs["sslmode"] == "disable"  # the connection's own sslmode, not prefer
    assert (kwargs["user"], kwargs["password"]) == (params["user"], params["password"])  # from the authcfg
    assert "api" in shared_workspace_schemas(name)
    with open_workspace(f"postgres:{name}/api") as ws:
        assert ws.epsg == 4523 and [b.name for b in ws.batches()] == ["2022-05"]


def test_sslmode_require_is_respected(office, schema, save_connection):
    """The test server has no SSL: a connection that requires it must not silently fall back to plain text."""
    from wpzf.adapters.workspaces import open_workspace

    params, authcfg = office
    name = save_connection(tcp_uri(params, authcfg, "require"))
    with pytest.raises(WorkspaceError) as caught:
        with open_workspace(f"postgres:{name}/api"):
            pass
    assert "SSL" in str(caught.value) and params["password"] not in str(caught.value)


def test_service_connection_with_authcfg_is_found_and_used(office, schema, save_connection, tmp_path, monkeypatch):
    """host, port and database come from pg_service.conf, the login from the auth configuration."""
    from wpzf.adapters.pg_connection import connect_kwargs
    from wpzf.adapters.workspaces import open_workspace, workspace_patch_layer

    params, authcfg = office
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(f"[wpzf_office]\nhost={params['host']}\nport={params['port']}\n"
                            f"dbname={params['dbname']}\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(service_file))
    name = save_connection(f"service='wpzf_office' authcfg={authcfg}")
    kwargs = connect_kwargs(name)
    assert kwargs["service"] == "wpzf_office" and "host" not in kwargs and kwargs["user"] == params["user"]
    with open_workspace(f"postgres:{name}/api") as ws:
        epsg = ws.epsg
        patches = ws.conn.execute("SELECT COUNT(*) FROM jctb").fetchone()[0]
    assert epsg == 4523 and patches == 9  # reporting_district.PATCHES: 9 rows (P1–P7, P7_1, P7_2)
    layer = workspace_patch_layer(f"postgres:{name}/api", epsg)
    assert layer.isValid() and layer.featureCount() == 9
    assert params["password"] not in layer.source()


def test_missing_connection_is_named():
    from wpzf.adapters.pg_connection import PgConnectionError, connect_kwargs

    with pytest.raises(PgConnectionError, match="no QGIS PostgreSQL connection named 'nobody'"):
        connect_kwargs("nobody")


def test_connection_and_schema_parameters_give_the_text_form_result(office, schema, save_connection, tmp_path):
    """wpzf:townstatistics with CONNECTION + SCHEMA = with WORKSPACE postgres:<connection>/<schema>."""
    from qgis import processing

    params, authcfg = office
    name = save_connection(tcp_uri(params, authcfg, "disable"))
    by_text = processing.run("wpzf:townstatistics", {"WORKSPACE": f"postgres:{name}/api", "OUTPUT": "memory:"})
    by_choosers = processing.run("wpzf:townstatistics", {"CONNECTION": name, "SCHEMA": "api", "OUTPUT": "memory:"})
    rows = [[f.attributes() for f in result["OUTPUT"].getFeatures()] for result in (by_text, by_choosers)]
    assert rows[0] and rows[0] == rows[1]
    assert len(rows[0]) == 3  # two towns of reporting_district and the district total
    checked = processing.run("wpzf:qualitycheck", {"CONNECTION": name, "SCHEMA": "api", "OUTPUT": "memory:"})
    by_text = processing.run("wpzf:qualitycheck", {"WORKSPACE": f"postgres:{name}/api", "OUTPUT": "memory:"})
    assert (checked["ERRORS"], checked["WARNINGS"]) == (by_text["ERRORS"], by_text["WARNINGS"])
