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


def _pki_files(tmp_path, common_name: str):
    """A self-signed client certificate and its key (PEM), as an office's CA would issue one."""
    import subprocess

    cert, key = tmp_path / "client.crt", tmp_path / "client.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    f"/CN={common_name}", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def test_pki_configuration_gives_libpq_the_client_certificate(office, schema, save_connection, tmp_path):
    """A connection whose authcfg is a PKI configuration (certificate + key paths): QGIS extracts the
    certificate and key for libpq; the plugin passes them on (sslcert/sslkey) with the certificate's
    common name as the login — it used to pass only user/password, so certificate logins could not work."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    from wpzf.adapters.pg_connection import connect_kwargs, describe
    from wpzf.adapters.workspaces import open_workspace

    params, basic = office  # the Basic helper set the master password
    cert, key = _pki_files(tmp_path, "wpzf_tech")
    config = QgsAuthMethodConfig()
    config.setMethod("PKI-Paths")
    config.setName("wpzf pki")
    config.setConfig("certpath", str(cert))
    config.setConfig("keypath", str(key))
    manager = QgsApplication.authManager()
    stored = manager.storeAuthenticationConfig(config)
    authcfg = config.id() if isinstance(stored, bool) else stored[1].id()
    try:
        name = save_connection(tcp_uri(params, authcfg, "require"))
        kwargs = connect_kwargs(name)
        assert kwargs["user"] == "wpzf_tech" and "password" not in kwargs
        assert kwargs["sslmode"] == "require"
        from pathlib import Path

        assert Path(kwargs["sslcert"]).read_text().strip() == cert.read_text().strip()
        assert "PRIVATE KEY" in Path(kwargs["sslkey"]).read_text()
        assert kwargs["sslkey"] not in describe(kwargs)
        # the test server has no SSL: libpq, holding the certificate, insists on SSL and is refused
        with pytest.raises(WorkspaceError) as caught:
            with open_workspace(f"postgres:{name}/api"):
                pass
        assert "SSL" in str(caught.value)
    finally:
        manager.removeAuthenticationConfig(authcfg)
