"""A QGIS PostgreSQL connection (by name) → psycopg2 connect keyword arguments.

The connection is the one the user saved in QGIS (Data Source Manager →
PostgreSQL), found through QGIS's own connection API
(``QgsProviderRegistry…providerMetadata('postgres').findConnection``, present
in QGIS 3.22 and 3.40 alike) rather than by reading its settings keys: the
URI QGIS gives back carries everything the user set — host or service,
sslmode, authentication configuration — exactly as QGIS's own layers use it.

When it uses an authentication configuration (``authcfg``), the credentials
come from QGIS's authentication manager at the moment of connecting and live
only in the returned dict, in memory: they are never written to the project,
the workspace, a log or an error message (:func:`describe` leaves them out).
A PKI configuration (certificate paths, PKCS#12 bundle, stored identity)
gives libpq the client certificate, key and CA files QGIS extracts for its
own PostgreSQL layers (``sslcert``/``sslkey``/``sslrootcert``) and the
certificate's common name as the login.
"""
from __future__ import annotations

from qgis.core import QgsApplication, QgsDataSourceUri, QgsProviderRegistry
from qgis.PyQt.QtCore import QCoreApplication

PROVIDER = "postgres"
CERTIFICATE_KEYS = ("sslcert", "sslkey", "sslrootcert")
"""libpq's client-certificate settings, which QGIS's PKI authentication methods fill in."""


class PgConnectionError(ValueError):
    """The named QGIS connection is missing or unusable; the message says why (never a password)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)  # pylupdate files module-level tr() here


def _metadata():
    return QgsProviderRegistry.instance().providerMetadata(PROVIDER)


def connection_names() -> list[str]:
    """Names of the PostgreSQL connections saved in QGIS (read afresh: not QGIS's connection cache)."""
    metadata = _metadata()
    return sorted(metadata.connections(False)) if metadata is not None else []


def find_connection(name: str):
    """The saved connection ``name`` (a QgsAbstractDatabaseProviderConnection), or None."""
    metadata = _metadata()
    if metadata is None or not name:
        return None
    try:
        return metadata.findConnection(name, False)  # not cached: a connection saved a moment ago counts
    except Exception:  # noqa: BLE001 - some QGIS builds raise QgsProviderConnectionException for "not found"
        return None


def uri_for(name: str) -> QgsDataSourceUri:
    """The saved connection as a QgsDataSourceUri (sslmode, service, authcfg kept), authcfg not yet resolved."""
    connection = find_connection(name)
    if connection is None:
        raise PgConnectionError(tr("There is no QGIS PostgreSQL connection named {name!r}.").format(name=name))
    return QgsDataSourceUri(connection.uri())


def _unquote(value: str) -> str:
    """A conninfo value as the auth manager writes it ('quoted', with \\ escapes) → the plain text."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    return value


def connect_kwargs(name: str) -> dict:
    """psycopg2.connect keyword arguments for the saved connection ``name``, credentials resolved."""
    uri = uri_for(name)
    if not resolve_auth(uri):
        raise PgConnectionError(tr(
            "The authentication configuration {authcfg} of connection {name!r} could not be read "
            "(is the master password set?).").format(authcfg=uri.authConfigId(), name=name))
    return uri_kwargs(uri)


def resolve_auth(uri: QgsDataSourceUri) -> bool:
    """Fill ``uri``'s user and password from its authcfg (if any) in place; False when it cannot be read."""
    authcfg = uri.authConfigId()
    if authcfg:
        manager = QgsApplication.authManager()
        items = [f"authcfg={authcfg}"]
        ok, items = _update_items(manager, items, authcfg)
        if not ok:
            return False
        values = {k: _unquote(v) for k, v in (item.split("=", 1) for item in items if "=" in item)}
        uri.setUsername(values.get("user", uri.username()))
        uri.setPassword(values.get("password", ""))
        for key in CERTIFICATE_KEYS:  # a PKI configuration: QGIS wrote its certificate and key to temporary files
            if values.get(key):
                uri.setParam(key, values[key])
    return True


def uri_kwargs(uri: QgsDataSourceUri) -> dict:
    """psycopg2.connect keyword arguments of a (resolved) PostgreSQL data source URI.

    ``sslmode`` is passed only when the connection sets one other than
    libpq's default ``prefer``, so a service file's own sslmode still applies.
    """
    kwargs = {"host": uri.host(), "port": uri.port(), "dbname": uri.database(), "user": uri.username(),
              "password": uri.password(), "service": uri.service(),
              "application_name": "QGIS WPZF"}
    if uri.sslMode() != QgsDataSourceUri.SslPrefer:
        kwargs["sslmode"] = QgsDataSourceUri.encodeSslMode(uri.sslMode())
    for key in CERTIFICATE_KEYS:
        if uri.hasParam(key):
            kwargs[key] = uri.param(key)
    return {k: v for k, v in kwargs.items() if v not in ("", None)}


def _update_items(manager, items: list[str], authcfg: str) -> tuple[bool, list[str]]:
    """QgsAuthManager.updateDataSourceUriItems fills user= and password= from a Basic config."""
    result = manager.updateDataSourceUriItems(items, authcfg, PROVIDER)
    if isinstance(result, tuple):  # PyQGIS returns (ok, items) for the in/out list
        ok, new_items = result[0], list(result[1])
        return bool(ok), new_items
    return bool(result), items


def describe(kwargs: dict) -> str:
    """user@host:port/dbname — for messages; never the password."""
    return f"{kwargs.get('user', '')}@{kwargs.get('host', kwargs.get('service', ''))}:" \
           f"{kwargs.get('port', '')}/{kwargs.get('dbname', '')}"
