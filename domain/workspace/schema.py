"""Versioned workspace schema: ordered migrations from an empty GeoPackage.

Version 1 — batches, sources, patches, audit, stage history (import + locks).
Version 2 — the office's per-patch work: decision/case/rectification columns,
            evidence, field visits, referrals, rectification progress.
Version 3 — reporting: stage snapshots, the city's "一下" problem list,
            pre-judgement suggestions, stage-submission quality results.
Version 4 — the 地块面积 split (非耕地农用地/未利用地/建设用地) and 已整改面积,
            so the city's area identities can be checked on stored data.
Version 5 — monthly reporting: snapshots keep their exported content inside
            the workspace, and 已整改耕地面积 for the after-rectification figures.
Version 6 — figures by the work plan's definitions: 永久基本农田中的耕地, 建设时间,
            新增/存量, 结案时间, 补办耕地 (patch and progress records), dated
            立案查处 records (``wpzf_case_progress``, appendable after a lock), and the
            district's towns and villages (``wpzf_division``) with each patch's
            town and village by the largest share (``wpzf_patch_division``).
Version 7 — field packages (``wpzf_field_package``): a visit's result, time and
            field-record id, photos linked to their visit with the distance to the
            patch, the workspace's own id; an index for a patch's suggestions.
Version 8 — the review chain (``wpzf_review``: 经办 → 审核 → 审定, 退回 with a
            reason, the 分管负责人's part), the case procedure's stages on the
            case records (案件阶段, 文书文号, the document), exported dossiers (``wpzf_dossier``),
            the imagery pre-screening's measures per patch (``wpzf_imagery_change``).
The tables and columns of each version are declared once in :mod:`.tables`
(the PostGIS DDL renders the same declaration); this module renders them for
SQLite and adds what only a GeoPackage has (its contents registry, triggers).
A workspace at any older version is brought to the latest by running the
missing steps in order inside one transaction.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from . import gpkg
from .columns import Column, aliases, columns_until
from .gpkg import run_script
from .tables import (  # the table names are re-exported: callers import them from here
    DIVISION_TABLE,  # noqa: F401
    GPKG_ONLY,
    NOW,
    PATCH_DIVISION_TABLE,  # noqa: F401
    PATCH_LAYER_NAME,  # noqa: F401
    PATCH_TABLE,
    PER_PATCH_TABLES,
    STAGES,  # noqa: F401
    TABLES,
    TOWN_LEVEL,  # noqa: F401
    VERSIONS,
    VILLAGE_LEVEL,  # noqa: F401
    WORKSPACE_ID_KEY,
    Index,
    Table,
    index_name,
    new_workspace_id,
    table_columns,
    table_indexes,
    tables_altered,
    tables_created,
)
from .triggers import audit_triggers, child_lock_triggers, lock_triggers

_NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
"""Current UTC time as ISO text with milliseconds (the format both backends write)."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column_sql(column: Column) -> str:
    return f"{_q(column.name)} {column.sql_type.replace(NOW, _NOW_SQL)}"


def create_table_sql(table: Table, version: int) -> str:
    """CREATE TABLE of ``table`` as it is at ``version`` on a GeoPackage."""
    defs = [f"{table.key} INTEGER PRIMARY KEY AUTOINCREMENT"] if table.key else []
    if table.geometry:
        defs.append("geom MULTIPOLYGON")
    defs += [_column_sql(c) for c in table_columns(table, version, GPKG_ONLY)]
    defs += [f"UNIQUE ({', '.join(_q(c) for c in u)})" for u in table.unique]
    return f"CREATE TABLE {table.name} (\n  " + ",\n  ".join(defs) + ")"


def _index_sql(table: Table, index: Index) -> str:
    unique = "UNIQUE " if index.unique else ""
    cols = ", ".join(_q(c) for c in index.columns)
    return f"CREATE {unique}INDEX {index_name(table, index.columns)} ON {table.name} ({cols})"


def _register(conn: sqlite3.Connection, table: Table, srs_id: int) -> None:
    if table.geometry:
        gpkg.register_feature_table(conn, table.name, table.title, "MULTIPOLYGON", srs_id)
    elif table.title:
        gpkg.register_attribute_table(conn, table.name, table.title)


def _declared_step(conn: sqlite3.Connection, version: int, srs_id: int) -> None:
    """What :mod:`.tables` declares for ``version``: new tables, added columns, new indexes."""
    for table in tables_created(version, GPKG_ONLY):
        conn.execute(create_table_sql(table, version))
    for table, added in tables_altered(version, GPKG_ONLY):
        for column in added:
            conn.execute(f"ALTER TABLE {table.name} ADD COLUMN {_column_sql(column)}")
    for table in TABLES:
        if table.only in ("", GPKG_ONLY):
            for index in table_indexes(table, version):
                conn.execute(_index_sql(table, index))
    for table in tables_created(version, GPKG_ONLY):
        _register(conn, table, srs_id)


def _snapshots_append_only(conn: sqlite3.Connection) -> None:
    run_script(conn, """
CREATE TRIGGER IF NOT EXISTS wpzf_snapshot_append_only_u BEFORE UPDATE ON wpzf_snapshot
  BEGIN SELECT RAISE(ABORT, 'WPZF: snapshots of submitted stages are never changed'); END;
CREATE TRIGGER IF NOT EXISTS wpzf_snapshot_append_only_d BEFORE DELETE ON wpzf_snapshot
  BEGIN SELECT RAISE(ABORT, 'WPZF: snapshots of submitted stages are never changed'); END;
""")


def _workspace_identity(conn: sqlite3.Connection) -> None:
    """A workspace's own id, so a field package returned to another workspace is refused."""
    conn.execute("INSERT OR IGNORE INTO wpzf_meta (key, value) VALUES (?, ?)", (WORKSPACE_ID_KEY, new_workspace_id()))


def _conform_without_triggers(conn: sqlite3.Connection) -> None:
    conform_to_geopackage(conn, rebuild=False)  # migrate() rebuilds the triggers after the last step


def _extras(version: int) -> Callable[[sqlite3.Connection], None] | None:
    """What a step does beyond the declared tables (GeoPackage only)."""
    return {
        5: _snapshots_append_only,
        6: _conform_without_triggers,
        7: _workspace_identity,
    }.get(version)


def _step(version: int) -> Callable[[sqlite3.Connection, int], None]:
    def run(conn: sqlite3.Connection, srs_id: int) -> None:
        _declared_step(conn, version, srs_id)
        extra = _extras(version)
        if extra is not None:
            extra(conn)
    return run


MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection, int], None]], ...] = tuple(
    (version, description, _step(version)) for version, description in VERSIONS)
LATEST_VERSION = MIGRATIONS[-1][0]  # 8: review chain, case stages, dossiers, imagery
_AUDITED_CHILD_TABLES = PER_PATCH_TABLES


def current_version(conn: sqlite3.Connection) -> int:
    """Schema version recorded in the workspace (0 for a bare GeoPackage)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='wpzf_schema_version'"
    ).fetchone()
    if not exists:
        return 0
    return conn.execute("SELECT COALESCE(MAX(version), 0) FROM wpzf_schema_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, srs_id: int, target: int = LATEST_VERSION) -> list[int]:
    """Apply the missing migrations up to ``target``; return the versions applied.

    The caller owns the transaction. Triggers are rebuilt afterwards because an
    added column must be audited too.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS wpzf_schema_version "
        "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)"
    )
    start = current_version(conn)
    if start > LATEST_VERSION:
        raise RuntimeError(
            f"workspace schema version {start} is newer than this plugin supports "
            f"({LATEST_VERSION}); update the WPZF plugin"
        )
    applied = []
    for version, description, step in MIGRATIONS:
        if start < version <= target:
            step(conn, srs_id)
            conn.execute(
                f"INSERT INTO wpzf_schema_version VALUES (?, {_NOW_SQL}, ?)", (version, description)
            )
            applied.append(version)
    if applied:
        rebuild_triggers(conn, target if target < LATEST_VERSION else LATEST_VERSION)
    return applied


def trigger_script(conn: sqlite3.Connection, version: int) -> str:
    """The audit, lock, append-only and no-replace triggers for the columns present at ``version``.

    One source for :func:`rebuild_triggers` (which runs it) and for
    :func:`expected_triggers` (which the tamper check compares against).
    """
    patch_columns = ["geom"] + [c.name for c in columns_until(version)]
    parts = [audit_triggers(PATCH_TABLE, patch_columns, label='{row}."JCBH"')]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in _AUDITED_CHILD_TABLES:
        if table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] != "id"]
            parts.append(audit_triggers(table, cols, key="id", label="{row}.patch_fid"))
    batch_cols = [r[1] for r in conn.execute("PRAGMA table_info(wpzf_batch)") if r[1] != "id"]
    parts.append(audit_triggers("wpzf_batch", batch_cols, key="id", label='{row}."PCMC"'))
    parts.append(lock_triggers(tables))
    parts.append(child_lock_triggers(tables))
    return "".join(parts)


def rebuild_triggers(conn: sqlite3.Connection, version: int) -> None:
    """(Re)create audit and lock triggers for the columns present at ``version``."""
    run_script(conn, trigger_script(conn, version))
    gpkg.set_aliases(conn, PATCH_TABLE, aliases(version))


_TRIGGER_NAME = re.compile(r'^\s*CREATE\s+TRIGGER\s+(?:"([^"]+)"|(\S+))', re.IGNORECASE)
FEATURE_TABLES = (PATCH_TABLE, DIVISION_TABLE)


def expected_triggers(conn: sqlite3.Connection, version: int | None = None) -> dict[str, str]:
    """name → SQL of every audit/lock trigger the workspace must hold (from :func:`trigger_script`)."""
    expected = {}
    for statement in gpkg.statements(trigger_script(conn, version or current_version(conn))):
        match = _TRIGGER_NAME.match(statement)
        if match:
            expected[match.group(1) or match.group(2)] = statement
    return expected


def _gdal_feature_count_triggers(table: str) -> dict[str, str]:
    """The two triggers GDAL adds to keep ``gpkg_ogr_contents`` counts (harmless, allowed as written)."""
    return {
        f"trigger_{op}_feature_count_{table}": (
            f'CREATE TRIGGER "trigger_{op}_feature_count_{table}" AFTER {op.upper()} ON "{table}" BEGIN UPDATE '
            f"gpkg_ogr_contents SET feature_count = feature_count {sign} 1 WHERE lower(table_name) = "
            f"lower('{table}'); END")
        for op, sign in (("insert", "+"), ("delete", "-"))
    }


def integrity_findings(conn: sqlite3.Connection) -> list[str]:
    """Audit/lock triggers missing, altered or added by hand, each named; empty when intact.

    Compares ``sqlite_master`` with what :func:`rebuild_triggers` would create
    (whitespace normalised). Triggers on our tables that we do not create are
    findings too — a ``RAISE(IGNORE)`` added by hand would silently drop audit
    rows — except the spec's R-tree triggers (see :func:`geopackage_findings`)
    and GDAL's feature-count triggers in the exact form GDAL writes them.
    """
    expected = expected_triggers(conn)
    allowed = {}
    for table in FEATURE_TABLES:
        allowed.update(gpkg.rtree_triggers(table))
        allowed.update(_gdal_feature_count_triggers(table))
    ours = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND (name = ? OR name LIKE 'wpzf\\_%' ESCAPE '\\')",
        (PATCH_TABLE,))}
    present = {name: (table, sql) for name, table, sql in conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")}
    findings = []
    for name, sql in expected.items():
        if name not in present:
            findings.append(f"{name} (missing)")
        elif gpkg.normalise_sql(present[name][1]) != gpkg.normalise_sql(sql):
            findings.append(f"{name} (altered)")
    for name, (table, sql) in sorted(present.items()):
        if name in expected or table not in ours:
            continue
        if name.startswith("rtree_"):
            continue  # the spatial index: checked and repaired by conform_to_geopackage
        if name in allowed and gpkg.normalise_sql(allowed[name]) == gpkg.normalise_sql(sql):
            continue
        findings.append(f"{name} (not created by WPZF)")
    return findings


REVISION_2_TRIGGERS = re.compile(r"(_append_only_i|^wpzf_lock_.*_replace)$")
"""Triggers added with the no-replace guards: a workspace holding none of them predates them."""


def predates_current_triggers(conn: sqlite3.Connection) -> bool:
    """True for a workspace whose triggers were written before the no-replace guards existed."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    return not any(REVISION_2_TRIGGERS.search(n) for n in names)


def tamper_findings(conn: sqlite3.Connection) -> list[str]:
    """:func:`integrity_findings`, read leniently for a workspace that predates the current triggers.

    Such a workspace lacks the newer guards and holds older wording of some
    bodies; only what no version ever lacked counts then: a missing trigger
    that is not one of the newer guards, or one added by hand. It is then
    upgraded by :func:`rebuild_triggers`, like a schema migration.
    """
    findings = integrity_findings(conn)
    if not predates_current_triggers(conn):
        return findings
    return [f for f in findings if f.endswith("(not created by WPZF)")
            or (f.endswith("(missing)") and not REVISION_2_TRIGGERS.search(f.split(" (", 1)[0]))]


def restore_integrity(conn: sqlite3.Connection, findings: list[str], who: str) -> None:
    """Put back the expected triggers, drop foreign ones, and record it (caller's transaction).

    The record is an audit row on ``sqlite_master`` (field ``triggers``) whose
    old value lists what was found and whose new value says it was restored;
    ``at`` says when, ``who`` by whom.
    """
    expected = expected_triggers(conn)
    for finding in findings:
        name = finding.split(" (", 1)[0]
        if name not in expected:
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    rebuild_triggers(conn, current_version(conn))
    conn.execute(
        f"INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, field, old_value, new_value) "
        f"VALUES ({_NOW_SQL}, ?, 'sqlite_master', NULL, 'WPZF: triggers restored', 'UPDATE', 'triggers', ?, "
        f"'restored')",
        (who, "; ".join(findings)),
    )


def _audit_values_untyped(conn: sqlite3.Connection) -> bool:
    types = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(wpzf_audit)")}
    return bool(types) and (types.get("old_value") != "BLOB" or types.get("new_value") != "BLOB")


def _type_audit_values(conn: sqlite3.Connection) -> None:
    """Declare wpzf_audit.old_value/new_value BLOB (spec Req 5: every column typed).

    BLOB is the one GeoPackage type whose SQLite affinity converts nothing: a
    number stays a number, text stays text, exactly as the triggers wrote
    them, so values keep round-tripping to PostGIS jsonb. SQLite cannot retype
    a column: the table is copied, whole, into a typed one. The audit triggers
    on other tables name wpzf_audit and are dropped first (the caller rebuilds them).
    """
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name != 'wpzf_audit' "
                                "AND sql LIKE '%wpzf_audit%'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'wpzf_audit'").fetchone()[0]
    typed = re.sub(r"\bold_value\b[^,]*,\s*new_value\b[^,)]*", "old_value BLOB, new_value BLOB", sql)
    typed = re.sub(r"^CREATE TABLE\s+\"?wpzf_audit\"?", "CREATE TABLE wpzf_audit_typed", typed)
    conn.execute(typed)
    conn.execute("INSERT INTO wpzf_audit_typed SELECT * FROM wpzf_audit")
    conn.execute("DROP TABLE wpzf_audit")
    conn.execute("ALTER TABLE wpzf_audit_typed RENAME TO wpzf_audit")
    conn.execute("CREATE INDEX wpzf_audit_row ON wpzf_audit (table_name, row_id)")


def geopackage_findings(conn: sqlite3.Connection) -> list[str]:
    """What keeps GDAL's validator from accepting the workspace (none of it a matter of trust)."""
    findings = []
    if _audit_values_untyped(conn):
        findings.append("wpzf_audit.old_value/new_value (untyped)")
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_data_column_constraints'").fetchone() or \
            conn.execute("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'").fetchone()[0] != 2:
        findings.append("gpkg_schema extension (incomplete)")
    tables = {r[0] for r in conn.execute("SELECT table_name FROM gpkg_geometry_columns")}
    for table in FEATURE_TABLES:
        if table in tables:
            findings += gpkg.rtree_findings(conn, table)
    return findings


def conform_to_geopackage(conn: sqlite3.Connection, rebuild: bool = True) -> list[str]:
    """Repair what :func:`geopackage_findings` lists, in the caller's transaction; returns it.

    Run by the version-6 step and on every open, so workspaces written before
    (R-tree triggers renamed, untyped audit values, half a schema extension)
    and spatial indexes that another tool rebuilt differently are brought to the spec.
    """
    findings = geopackage_findings(conn)
    if not findings:
        return []
    if _audit_values_untyped(conn):
        _type_audit_values(conn)
        if rebuild:
            rebuild_triggers(conn, current_version(conn))
    gpkg.complete_schema_extension(conn)
    tables = {r[0] for r in conn.execute("SELECT table_name FROM gpkg_geometry_columns")}
    for table in FEATURE_TABLES:
        if table in tables:
            gpkg.ensure_rtree(conn, table)
    return findings
