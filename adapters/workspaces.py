"""One WORKSPACE text for both kinds of workspace: a GeoPackage path or a shared PostGIS schema.

Syntax of the WORKSPACE parameter (and of :func:`open_workspace`):

- ``D:/卫片/永川2022.gpkg`` — a GeoPackage workspace file;
- ``postgres:<connection>`` — the workspace in schema ``wpzf`` of the
  PostgreSQL connection ``<connection>`` saved in QGIS (Data Source Manager →
  PostgreSQL); ``postgres:<connection>/<schema>`` names another schema.

The connection's credentials come from QGIS's authentication manager when the
workspace is opened and stay in memory: the text itself never holds a
password, and neither do the messages or layers made from it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsDataSourceUri,
    QgsMapLayer,
    QgsProcessingParameterDatabaseSchema,
    QgsProcessingParameterFile,
    QgsProcessingParameterProviderConnection,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..domain.messages import QT_TRANSLATE_NOOP
from ..domain.workspace.columns import aliases
from ..domain.workspace.interface import WorkspaceStore
from ..domain.workspace.schema import LATEST_VERSION, PATCH_LAYER_NAME, PATCH_TABLE
from ..domain.workspace.store import Workspace, WorkspaceError
from .pg_connection import PgConnectionError, connect_kwargs, uri_for
from .workspace_style import patch_layer

PREFIX = "postgres:"
DEFAULT_SCHEMA = "wpzf"
FILE_FILTER = "GeoPackage (*.gpkg);;All files (*)"
"""'All files (*)' makes QgsProcessingParameterFile (QGIS 3.22) accept a postgres: text."""


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)  # pylupdate files module-level tr() here


@dataclass(frozen=True)
class WorkspaceRef:
    """A parsed WORKSPACE text: a GeoPackage path, or a QGIS connection name and schema."""

    text: str
    path: Path | None = None
    connection: str = ""
    schema: str = DEFAULT_SCHEMA

    @property
    def shared(self) -> bool:
        return self.path is None


def parse_workspace(text: str) -> WorkspaceRef:
    """``postgres:<connection>[/<schema>]`` or a .gpkg path."""
    text = (text or "").strip()
    if not text.lower().startswith(PREFIX):
        if not text:
            raise WorkspaceError(QT_TRANSLATE_NOOP(
                "domain", "WORKSPACE is empty: give a .gpkg file or postgres:<connection>[/<schema>]."))
        return WorkspaceRef(text, path=Path(text))
    rest = text[len(PREFIX):]
    connection, _, schema = rest.rpartition("/") if "/" in rest else (rest, "", "")
    connection, schema = connection.strip(), schema.strip() or DEFAULT_SCHEMA
    if not connection:
        raise WorkspaceError(QT_TRANSLATE_NOOP(
            "domain", "WORKSPACE {text!r} names no connection; write postgres:<connection>[/<schema>]."), text=text)
    return WorkspaceRef(f"{PREFIX}{connection}/{schema}", connection=connection, schema=schema)


def workspace_text(connection: str, schema: str = DEFAULT_SCHEMA) -> str:
    """The WORKSPACE text of a shared workspace."""
    return f"{PREFIX}{connection}/{schema or DEFAULT_SCHEMA}"


def workspace_ref(value) -> Path | str | None:
    """What the workbench keeps: a Path for a GeoPackage, the text for ``postgres:…``, None for nothing."""
    if not value:
        return None
    text = str(value).strip()
    return parse_workspace(text).text if text.lower().startswith(PREFIX) else Path(text)


def open_workspace(text: str, user: str | None = None, upgrade: bool = True) -> WorkspaceStore:
    """The open workspace named by ``text``: a :class:`Workspace` or a :class:`PgWorkspace`.

    Both are a :class:`~..domain.workspace.interface.WorkspaceStore`: ``conn``
    (sqlite-style ``execute``), ``transaction()``, ``user``, ``epsg``,
    ``batches()`` … ; a shared workspace has ``path`` None. Without
    ``upgrade`` an older schema is refused instead of migrated (the forms).
    """
    ref = parse_workspace(text)
    if ref.path is not None:
        return Workspace.open(ref.path, user=user, upgrade=upgrade)
    from ..domain.workspace.postgis.store import PgWorkspace

    try:
        params = connect_kwargs(ref.connection)
    except PgConnectionError as exc:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Cannot open workspace {workspace}: {reason}"),
                             workspace=ref.text, reason=str(exc)) from exc
    ws = PgWorkspace.open(params, ref.schema, user=user, upgrade=upgrade)
    ws.source = ref.text
    return ws


def workspace_of_layer(layer: QgsMapLayer | None) -> Path | None:
    """The GeoPackage workspace whose patch table (jctb) ``layer`` reads, else None."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = str(parts.get("path") or "")
    if path.lower().endswith(".gpkg") and str(parts.get("layerName") or "").lower() == PATCH_TABLE:
        return Path(path)
    return None


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether two paths name the same file (False when either cannot be resolved)."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def workspace_patch_layer(text: str, epsg: int | None = None) -> QgsVectorLayer:
    """The workspace's patch layer (监测图斑) with the Chinese aliases; a postgres layer uses the authcfg.

    The layer source of a shared workspace holds the connection's host,
    database and authentication configuration id, never a password.
    """
    ref = parse_workspace(text)
    if ref.path is not None:
        return patch_layer(ref.path)
    uri = pg_layer_uri(ref.connection, ref.schema, epsg)
    layer = QgsVectorLayer(uri.uri(False), PATCH_LAYER_NAME, "postgres")
    set_aliases(layer)
    read_only_form(layer)
    return layer


def read_only_form(layer: QgsVectorLayer) -> None:
    """Every field read-only in QGIS's own attribute form and table of a shared patch layer.

    QGIS saves attribute edits without naming the row version it loaded, so
    two technicians editing one patch there would silently overwrite each
    other. The plugin's casework forms (patch list double-click, "judge
    selected patch") name it and refuse a stale save with both values.
    """
    config = layer.editFormConfig()
    for index in range(layer.fields().count()):
        config.setReadOnly(index, True)
    layer.setEditFormConfig(config)


def pg_layer_uri(connection: str, schema: str, epsg: int | None = None) -> QgsDataSourceUri:
    """postgres provider URI of the patch table: the saved connection without any password."""
    uri = uri_for(connection)
    uri.setPassword("")
    uri.setDataSource(schema, PATCH_TABLE, "geom", "", "fid")
    uri.setKeyColumn("fid")
    uri.setWkbType(QgsWkbTypes.MultiPolygon)
    if epsg:
        uri.setSrid(str(epsg))
    return uri


def set_aliases(layer: QgsVectorLayer) -> None:
    for name, alias in aliases(LATEST_VERSION).items():
        index = layer.fields().lookupField(name)
        if index >= 0:
            layer.setFieldAlias(index, alias)


def workspace_parameter(name: str = "WORKSPACE", description: str | None = None,
                        optional: bool = False) -> QgsProcessingParameterFile:
    """The WORKSPACE parameter: a .gpkg file or ``postgres:<connection>[/<schema>]``.

    ``optional`` when the algorithm also offers :func:`connection_parameters`
    (then one of the two ways must be given; the algorithm checks that).
    """
    parameter = QgsProcessingParameterFile(
        name, description or tr("Workspace (.gpkg or postgres:<connection>[/<schema>])"),
        behavior=QgsProcessingParameterFile.File, fileFilter=FILE_FILTER, optional=optional)
    parameter.setHelp(tr(
        "A GeoPackage workspace file, or a shared PostGIS workspace written postgres:<connection>/<schema>: "
        "<connection> is the name of a PostgreSQL connection saved in QGIS (its password stays in the "
        "authentication manager), <schema> defaults to wpzf."))
    return parameter


CONNECTION, SCHEMA = "CONNECTION", "SCHEMA"


def connection_parameters() -> list:
    """CONNECTION and SCHEMA: QGIS's own way to name a shared workspace (instead of a postgres: text).

    A connection chooser (the PostgreSQL connections saved in QGIS) and a
    schema chooser of that connection, both optional: the same run as
    WORKSPACE ``postgres:<connection>/<schema>`` (:func:`workspace_from`).
    """
    connection = QgsProcessingParameterProviderConnection(
        CONNECTION, tr("Shared workspace: PostgreSQL connection (instead of WORKSPACE)"), "postgres",
        optional=True)
    connection.setHelp(tr("A PostgreSQL connection saved in QGIS (Data Source Manager → PostgreSQL); its "
                          "sslmode and authentication configuration are used as QGIS uses them."))
    schema = QgsProcessingParameterDatabaseSchema(
        SCHEMA, tr("Shared workspace: schema"), CONNECTION, DEFAULT_SCHEMA, optional=True)
    return [connection, schema]


def workspace_from(text: str, connection: str, schema: str) -> str:
    """The WORKSPACE text of a run: ``text`` as given, else the ``postgres:`` text of CONNECTION/SCHEMA."""
    if (text or "").strip() or not (connection or "").strip():
        return text
    return workspace_text(connection.strip(), (schema or "").strip())


def shared_workspace_schemas(connection: str) -> list[str]:
    """Schemas of the saved connection ``connection`` that hold a WPZF workspace (sorted)."""
    from ..domain.workspace.postgis.store import connect

    try:
        params = connect_kwargs(connection)
    except PgConnectionError as exc:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Cannot open workspace {workspace}: {reason}"),
                             workspace=f"{PREFIX}{connection}", reason=str(exc)) from exc
    conn = connect(params)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = 'wpzf_schema_version' "
                        "ORDER BY 1")
            return [r[0] for r in cur.fetchall()]
    finally:
        conn.close()


def patch_geometries(layer: QgsVectorLayer, fids) -> dict:
    """fid → QgsGeometry of the wanted patches of a workspace patch layer (either kind).

    A postgres layer of QGIS 3.22 maps feature ids to its bigint key only for
    features it has already read, so it is filtered on the ``fid`` column instead.
    """
    from qgis.core import QgsFeatureRequest

    wanted = {int(f) for f in fids}
    if not wanted:
        return {}
    if layer.providerType() != "postgres":
        request = QgsFeatureRequest().setFilterFids(sorted(wanted)).setNoAttributes()
        return {f.id(): f.geometry() for f in layer.getFeatures(request)}
    index = layer.fields().lookupField("fid")
    request = QgsFeatureRequest().setSubsetOfAttributes([index])
    if len(wanted) <= 5000:  # beyond that one full read is cheaper than a huge IN list
        request.setFilterExpression(f'"fid" IN ({",".join(str(f) for f in sorted(wanted))})')
    found = ((int(f.attribute(index)), f.geometry()) for f in layer.getFeatures(request))
    return {fid: geometry for fid, geometry in found if fid in wanted}
