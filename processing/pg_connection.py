"""A QGIS PostgreSQL connection (by name) → psycopg2 connect keyword arguments.

The connection is the one the user saved in QGIS (Data Source Manager →
PostgreSQL), read from QgsSettings ``PostgreSQL/connections/<name>/…``. When it
uses an authentication configuration (``authcfg``), the credentials come from
QGIS's authentication manager at the moment of connecting and live only in
the returned dict, in memory: they are never written to the project, the
workspace, a log or an error message (:func:`describe` leaves them out).
"""
from __future__ import annotations

from qgis.core import QgsApplication, QgsDataSourceUri, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

SETTINGS_ROOT = "PostgreSQL/connections"


class PgConnectionError(ValueError):
    """The named QGIS connection is missing or unusable; the message says why (never a password)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)  # pylupdate files module-level tr() here


def connection_names() -> list[str]:
    """Names of the PostgreSQL connections saved in QGIS."""
    settings = QgsSettings()
    settings.beginGroup(SETTINGS_ROOT)
    try:
        return sorted(settings.childGroups())
    finally:
        settings.endGroup()


def uri_for(name: str) -> QgsDataSourceUri:
    """The saved connection as a QgsDataSourceUri, authcfg not yet resolved."""
    settings = QgsSettings()
    key = f"{SETTINGS_ROOT}/{name}"
    if name not in connection_names():
        raise PgConnectionError(tr("There is no QGIS PostgreSQL connection named {name!r}.").format(name=name))
    uri = QgsDataSourceUri()
    service = settings.value(f"{key}/service", "") or ""
    host = settings.value(f"{key}/host", "") or ""
    port = str(settings.value(f"{key}/port", "") or "5432")
    database = settings.value(f"{key}/database", "") or ""
    username = password = ""
    if _true(settings.value(f"{key}/saveUsername", False)):
        username = settings.value(f"{key}/username", "") or ""
    if _true(settings.value(f"{key}/savePassword", False)):
        password = settings.value(f"{key}/password", "") or ""
    authcfg = settings.value(f"{key}/authcfg", "") or ""
    if service:
        uri.setConnection(service, database, username, password, QgsDataSourceUri.SslPrefer, authcfg)
    else:
        uri.setConnection(host, port, database, username, password, QgsDataSourceUri.SslPrefer, authcfg)
    return uri


def _unquote(value: str) -> str:
    """A conninfo value as the auth manager writes it ('quoted', with \\ escapes) → the plain text."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    return value


def _true(value) -> bool:
    return value is True or str(value).lower() in ("true", "1")


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
    return True


def uri_kwargs(uri: QgsDataSourceUri) -> dict:
    """psycopg2.connect keyword arguments of a (resolved) PostgreSQL data source URI."""
    kwargs = {"host": uri.host(), "port": uri.port(), "dbname": uri.database(), "user": uri.username(),
              "password": uri.password(), "service": uri.service(),
              "application_name": "QGIS WPZF"}
    return {k: v for k, v in kwargs.items() if v not in ("", None)}


def _update_items(manager, items: list[str], authcfg: str) -> tuple[bool, list[str]]:
    """QgsAuthManager.updateDataSourceUriItems fills user= and password= from a Basic config."""
    result = manager.updateDataSourceUriItems(items, authcfg, "postgres")
    if isinstance(result, tuple):  # PyQGIS returns (ok, items) for the in/out list
        ok, new_items = result[0], list(result[1])
        return bool(ok), new_items
    return bool(result), items


def describe(kwargs: dict) -> str:
    """user@host:port/dbname — for messages; never the password."""
    return f"{kwargs.get('user', '')}@{kwargs.get('host', kwargs.get('service', ''))}:" \
           f"{kwargs.get('port', '')}/{kwargs.get('dbname', '')}"
