"""QGIS PostGIS layers → a database connection and the tables the SQL overlay reads.

The SQL engine of wpzf:farmlandoccupation runs where the data are: every
layer it is given must be a postgres-provider table (or view) of ONE database.
A layer's subset string becomes its table's ``where``, so the same features
take part as in QGIS. The connection uses the PATCHES layer's credentials; an
``authcfg`` is resolved through QGIS's authentication manager exactly as
:mod:`.pg_connection` does, and the password lives only in the returned
keyword arguments — never in a message or a log.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from qgis.core import QgsDataSourceUri, QgsProcessingException, QgsProcessingFeatureSourceDefinition
from qgis.PyQt.QtCore import QCoreApplication

from ..adapters.pg_connection import resolve_auth, uri_kwargs
from ..domain.workspace.postgis.overlay_sql import Table


@dataclass(frozen=True)
class PgLayer:
    """One PostGIS layer as the SQL engine sees it."""

    name: str  # the layer's name, for messages
    parameter: str  # the algorithm parameter that named it
    uri: QgsDataSourceUri
    table: Table

    @property
    def database(self) -> tuple[str, str, str, str]:
        """(service, host, port, dbname): equal tuples mean one database."""
        uri = self.uri
        return uri.service(), uri.host(), uri.port() or "5432", uri.database()

    def describe_database(self) -> str:
        """service or host:port, then /dbname — for messages (no user, no password)."""
        service, host, port, dbname = self.database
        return f"{f'service={service}' if service else f'{host}:{port}'}/{dbname}"


def _key_column(uri: QgsDataSourceUri) -> str:
    """The layer's key column; '' when QGIS found it itself (not in the URI); refused when composite."""
    key = uri.keyColumn().strip()
    if len(key) >= 2 and key[0] == key[-1] == '"' and '","' not in key:
        key = key[1:-1].replace('""', '"')
    return key


def pg_layer(layer, parameter: str, parameter_value=None) -> PgLayer:
    """The table behind ``layer``; a clear refusal naming the layer when the SQL engine cannot read it."""
    if isinstance(parameter_value, QgsProcessingFeatureSourceDefinition):
        if parameter_value.selectedFeaturesOnly:
            raise QgsProcessingException(QCoreApplication.translate(
                "PgLayers", "The SQL engine cannot use selected features only ({parameter}): it reads whole tables. "
                "Filter the layer with a subset string instead, or use the Python engine.").format(
                parameter=parameter))
        if parameter_value.featureLimit >= 0:
            raise QgsProcessingException(QCoreApplication.translate(
                "PgLayers", "The SQL engine cannot use a feature limit ({parameter}); use the Python engine.").format(
                parameter=parameter))
    if layer is None or layer.providerType() != "postgres":
        raise QgsProcessingException(QCoreApplication.translate(
            "PgLayers", "Layer {layer} ({parameter}) is not a PostGIS layer. The SQL engine needs PATCHES, LANDUSE and "
            "BASIC_FARMLAND as PostGIS tables of one database; use the Python engine for other layers.").format(
            layer=layer.name() if layer is not None else "?", parameter=parameter))
    uri = QgsDataSourceUri(layer.source())
    if uri.table().lstrip().startswith("("):
        raise QgsProcessingException(QCoreApplication.translate(
            "PgLayers",
            "Layer {layer} ({parameter}) is an SQL query; the SQL engine reads tables and views only.").format(
            layer=layer.name(), parameter=parameter))
    if not uri.geometryColumn():
        raise QgsProcessingException(QCoreApplication.translate(
            "PgLayers", "Layer {layer} ({parameter}) has no geometry column.").format(
            layer=layer.name(), parameter=parameter))
    key = _key_column(uri)
    if '","' in key or key.startswith('"'):
        raise QgsProcessingException(_no_key(layer.name(), parameter))
    table = Table(uri.table(), uri.geometryColumn(), key, uri.sql() or None, uri.schema() or "public")
    return PgLayer(layer.name(), parameter, uri, table)


def require_one_database(layers: list[PgLayer]) -> None:
    """Refuse, naming the layer, when a layer is not in the first layer's database."""
    first = layers[0]
    for other in layers[1:]:
        if other.database != first.database:
            raise QgsProcessingException(QCoreApplication.translate(
                "PgLayers", "Layer {layer} ({parameter}) is in database {database}, not in {first_database} of "
                "{first_parameter}; the SQL engine needs all layers in one database.").format(
                layer=other.name, parameter=other.parameter, database=other.describe_database(),
                first_database=first.describe_database(), first_parameter=first.parameter))


def connect_kwargs(layer: PgLayer) -> dict:
    """psycopg2.connect keyword arguments from the layer's URI, authcfg resolved (kept in memory only)."""
    uri = QgsDataSourceUri(layer.uri.uri(False))  # a copy: the credentials are not written back anywhere
    if not resolve_auth(uri):
        raise QgsProcessingException(QCoreApplication.translate(
            "PgLayers", "The authentication configuration {authcfg} of layer {layer} could not be read "
            "(is the master password set?).").format(authcfg=uri.authConfigId(), layer=layer.name))
    return uri_kwargs(uri)  # with the layer's sslmode when it is not libpq's default


def _no_key(layer: str, parameter: str) -> str:
    return QCoreApplication.translate(
        "PgLayers", "Layer {layer} ({parameter}) has no single-column primary key; the SQL engine needs one to "
        "match its results to the features.").format(layer=layer, parameter=parameter)


def with_primary_key(conn, layer: PgLayer) -> PgLayer:
    """The layer with its key column filled from the table's primary key when its URI names none."""
    if layer.table.key:
        return layer
    with conn.cursor() as cur:
        cur.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = %s::regclass AND i.indisprimary", (layer.table.sql(),))
        columns = [row[0] for row in cur.fetchall()]
    conn.rollback()
    if len(columns) != 1:
        raise QgsProcessingException(_no_key(layer.name, layer.parameter))
    return replace(layer, table=replace(layer.table, key=columns[0]))
