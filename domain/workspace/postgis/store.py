"""A shared workspace on PostgreSQL/PostGIS: the GeoPackage Workspace API for an office.

``PgWorkspace.create`` builds the schema (default ``wpzf``) with the same
migrations, triggers and an office's roles; ``PgWorkspace.open`` opens it by
psycopg2 connection parameters. Batches, lock/unlock/set_stage are the
GeoPackage workspace's own (:class:`~..batches.BatchStages`). ``save_patch``
is the optimistic-locking write: it names the row version the editor loaded,
and a concurrent change makes it raise :class:`ConflictError` with both
values instead of overwriting.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ...messages import QT_TRANSLATE_NOOP
from .. import schema as gpkg_schema
from ..batches import BatchStages, now_iso
from ..columns import PATCH_COLUMNS
from ..interface import WorkspaceError
from . import ddl, roles, triggers
from .dbapi import PgConnection, PgCursor

DEFAULT_SCHEMA = "wpzf"
EDITABLE_COLUMNS = frozenset(c.name for c in PATCH_COLUMNS) - {"batch_id", "XGR", "XGSJ"}


class ConflictError(WorkspaceError):
    """Someone else saved the patch since it was loaded; nothing was overwritten."""

    def __init__(self, template: str, conflicts: list[tuple[str, Any, Any]] | None = None, **values: object) -> None:
        super().__init__(template, **values)
        self.conflicts = conflicts or []  # (field, your value, stored value)


def connect(params: Mapping[str, Any]):
    """A psycopg2 connection (manual transactions) from connect keyword arguments."""
    import psycopg2

    try:
        return psycopg2.connect(**params)
    except psycopg2.OperationalError as exc:
        safe = {k: v for k, v in params.items() if k != "password"}
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Cannot connect to PostgreSQL {target}: {reason}"),
                             target=_describe(safe), reason=str(exc).strip()) from exc


def _describe(params: Mapping[str, Any]) -> str:
    return f"{params.get('user', '')}@{params.get('host', '')}:{params.get('port', '')}/{params.get('dbname', '')}"


def _check_schema_name(name: str) -> str:
    if not name or not name.replace("_", "").isalnum() or not name[0].isalpha() or name.lower() != name:
        raise WorkspaceError(QT_TRANSLATE_NOOP(
            "domain", "Schema name {name!r} must be lower-case letters, digits and _ , starting with a letter."),
            name=name)
    return name


def existing_tables(conn, schema: str) -> set[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))
        return {r[0] for r in cur.fetchall()}


def current_version(conn, schema: str) -> int:
    if "wpzf_schema_version" not in existing_tables(conn, schema):
        return 0
    with conn.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(version), 0) FROM {ddl.q(schema)}.wpzf_schema_version")
        return int(cur.fetchone()[0])


def migrate(conn, schema: str, epsg: int, target: int = gpkg_schema.LATEST_VERSION) -> list[int]:
    """Apply the missing steps up to ``target`` in the caller's transaction; rebuild triggers and grants."""
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        if cur.fetchone() is None:
            cur.execute("CREATE EXTENSION postgis")
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {ddl.q(schema)}")
        cur.execute(f"SET LOCAL search_path = {ddl.q(schema)}, public")
        cur.execute(ddl.SCHEMA_VERSION_DDL)
        start = current_version(conn, schema)
        if start > gpkg_schema.LATEST_VERSION:
            raise WorkspaceError(QT_TRANSLATE_NOOP(
                "domain", "Workspace {path} has schema version {found}; this plugin needs {needed}. Update the plugin."),
                path=schema, found=start, needed=gpkg_schema.LATEST_VERSION)
        applied = []
        for version, description, _ in gpkg_schema.MIGRATIONS:
            if start < version <= target:
                cur.execute(ddl.migration_sql(version, epsg))
                cur.execute(f"INSERT INTO wpzf_schema_version VALUES (%s, {ddl.NOW_SQL}, %s)", (version, description))
                applied.append(version)
        cur.execute(triggers.functions_sql(schema))
        cur.execute(triggers.triggers_sql(existing_tables(conn, schema)))
        cur.execute(roles.install_sql(schema))
        _comment_aliases(cur, min(target, gpkg_schema.LATEST_VERSION))
    return applied


def _comment_aliases(cur, version: int) -> None:
    """Chinese aliases as column comments (QGIS shows them as field comments)."""
    from ..columns import columns_until

    for c in columns_until(version):
        cur.execute(f'COMMENT ON COLUMN {ddl.q(ddl.PATCH_TABLE)}.{ddl.q(c.name)} IS %s', (c.alias,))


class PgWorkspace(BatchStages):
    """An open shared workspace (a :class:`~..interface.WorkspaceStore`, like the GeoPackage one).

    ``conn`` is a :class:`~.dbapi.PgConnection`: it runs the domain's portable
    SQL (``?`` parameters, quoted upper-case columns) and is also a psycopg2
    connection (``cursor()``, ``commit()``).
    A shared workspace has no folder: ``path`` and ``evidence_dir`` are None
    (snapshots live in ``wpzf_snapshot.content``, evidence files in
    ``wpzf_evidence_file``).
    """

    path = None
    evidence_dir = None

    def __init__(self, conn, schema: str, user: str, source: str = "") -> None:
        self.conn = conn if isinstance(conn, PgConnection) else PgConnection(conn, schema)
        self.schema = schema
        self.user = user
        self.source = source or schema
        """How the workspace was named (``postgres:<connection>/<schema>``), for messages; never a password."""

    @property
    def raw(self):
        """The psycopg2 connection itself."""
        return self.conn.raw

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def create(cls, params: Mapping[str, Any], epsg: int, schema: str = DEFAULT_SCHEMA,
               user: str | None = None, commit: bool = True) -> PgWorkspace:
        """Create the workspace schema (refused when it already holds one).

        ``commit=False`` leaves the new schema in the open transaction of the
        returned workspace: a copy (wpzf:migrateworkspace) fills it and commits
        schema and rows together, so a killed copy leaves no schema at all —
        never an empty one that opens as valid.
        """
        _check_schema_name(schema)
        conn = connect(params)
        try:
            if current_version(conn, schema):
                raise WorkspaceError(QT_TRANSLATE_NOOP(
                    "domain", "Workspace {path} already exists; it is never overwritten."), path=schema)
            migrate(conn, schema, epsg)
            with conn.cursor() as cur:
                cur.execute(f"SET LOCAL search_path = {ddl.q(schema)}, public")
                cur.execute("INSERT INTO wpzf_meta VALUES ('crs_epsg', %s), ('created_at', %s), "
                            "('created_by', COALESCE(%s, session_user))", (str(epsg), now_iso(), user))
            if commit:
                conn.commit()
        except BaseException:
            conn.rollback()
            conn.close()
            raise
        return cls._ready(conn, schema, user, commit)

    @classmethod
    def open(cls, params: Mapping[str, Any], schema: str = DEFAULT_SCHEMA, user: str | None = None,
             upgrade: bool = True) -> PgWorkspace:
        """Open a workspace schema; an older schema is migrated when ``upgrade`` (needs the owner)."""
        _check_schema_name(schema)
        conn = connect(params)
        try:
            version = current_version(conn, schema)
            if version == 0:
                raise WorkspaceError(QT_TRANSLATE_NOOP(
                    "domain", "{path} is not a WPZF workspace (no wpzf_schema_version table)."),
                    path=f"{_describe({k: v for k, v in params.items() if k != 'password'})} schema {schema}")
            if version != gpkg_schema.LATEST_VERSION:
                if version > gpkg_schema.LATEST_VERSION or not upgrade:
                    raise WorkspaceError(QT_TRANSLATE_NOOP(
                        "domain", "Workspace {path} has schema version {found}; this plugin needs {needed}. "
                                  "Update the plugin."), path=schema, found=version, needed=gpkg_schema.LATEST_VERSION)
                migrate(conn, schema, _epsg(conn, schema))
            conn.commit()
        except BaseException:
            conn.rollback()
            conn.close()
            raise
        return cls._ready(conn, schema, user)

    @classmethod
    def _ready(cls, conn, schema: str, user: str | None, commit: bool = True) -> PgWorkspace:
        with conn.cursor() as cur:
            cur.execute(f"SET search_path = {ddl.q(schema)}, public")
            cur.execute("SELECT session_user")
            login = cur.fetchone()[0]
        if commit:
            conn.commit()
        return cls(PgConnection(conn, schema), schema, user or login)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PgWorkspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- properties ------------------------------------------------------
    @property
    def epsg(self) -> int:
        return _epsg(self.conn, self.schema)

    @property
    def schema_version(self) -> int:
        return current_version(self.conn, self.schema)

    @contextmanager
    def transaction(self) -> Iterator[PgCursor]:
        """A cursor inside one transaction: COMMIT, or ROLLBACK on any exception.

        The cursor takes sqlite-style (``?``) or psycopg2-style (``%s``) SQL;
        nested calls join the outer transaction (only the outermost commits).
        """
        with self.conn.transaction() as cur:
            yield cur

    def add_batch(self, name: str, received: str) -> int:
        """A new batch (reviewers); returns its id."""
        from ..store import deadline_for

        with self.transaction() as cur:
            cur.execute('INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX", "XGR", "XGSJ") VALUES (%s, %s, %s, %s, %s) '
                        "RETURNING id", (name, received, deadline_for(received), self.user, now_iso()))
            row = cur.fetchone()
        assert row is not None  # INSERT … RETURNING gives the one new row
        return int(row[0])

    # -- patches -----------------------------------------------------------
    def load_patch(self, fid: int, fields: list[str] | None = None) -> dict[str, Any]:
        """The patch's attributes (no geometry) with its ``row_version``, as an editor loads them."""
        names = fields or sorted(EDITABLE_COLUMNS | {"XGR", "XGSJ"})
        cols = ", ".join(ddl.q(n) for n in names)
        with self.transaction() as cur:
            cur.execute(f"SELECT {cols}, row_version FROM jctb WHERE fid = %s", (fid,))
            row = cur.fetchone()
        if row is None:
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no patch with fid {fid}."), fid=fid)
        return dict(zip([*names, ddl.ROW_VERSION], row))

    def save_patch(self, fid: int, values: Mapping[str, Any], expected_version: int) -> int:
        """Write ``values`` if the patch is still at ``expected_version``; return the new version.

        Otherwise nothing is written and :class:`ConflictError` names the patch,
        each field, your value, the value now stored and who stored it.
        """
        unknown = sorted(set(values) - EDITABLE_COLUMNS)
        if unknown:
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch {fid}: field {field} cannot be edited here."),
                                 fid=fid, field=", ".join(unknown))
        names = sorted(values)
        sets = ", ".join(f"{ddl.q(n)} = %s" for n in names)
        with self.transaction() as cur:
            cur.execute(f'UPDATE jctb SET {sets}, "XGR" = %s, "XGSJ" = %s WHERE fid = %s AND row_version = %s '
                        "RETURNING row_version",
                        (*[values[n] for n in names], self.user, now_iso(), fid, expected_version))
            row = cur.fetchone()
            if row is not None:
                return int(row[0])
            cols = ", ".join(ddl.q(n) for n in names)
            cur.execute(f'SELECT "JCBH", row_version, "XGR", "XGSJ", {cols} FROM jctb WHERE fid = %s', (fid,))
            stored = cur.fetchone()
        if stored is None:
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no patch with fid {fid}."), fid=fid)
        jcbh, version, who, when, *now = stored
        conflicts = [(n, values[n], v) for n, v in zip(names, now)]
        differing = [c for c in conflicts if c[1] != c[2]] or conflicts
        detail = "; ".join(f"{n}: yours {mine!r}, stored {theirs!r}" for n, mine, theirs in differing)
        raise ConflictError(QT_TRANSLATE_NOOP(
            "domain", "Patch {jcbh} was saved by {who} at {when} (version {stored}) after you loaded version "
                      "{expected}; nothing was overwritten. {detail}. Reload the patch and apply your change again."),
            conflicts=differing, jcbh=jcbh, who=who or "?", when=when or "?", stored=version,
            expected=expected_version, detail=detail)


def _epsg(conn, schema: str) -> int:
    with conn.cursor() as cur:
        cur.execute(f"SELECT value FROM {ddl.q(schema)}.wpzf_meta WHERE key = 'crs_epsg'")
        row = cur.fetchone()
    if row is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace records no CRS (wpzf_meta.crs_epsg)."))
    return int(row[0])
