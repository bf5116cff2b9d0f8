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
A workspace at any older version is brought to the latest by running the
missing steps in order inside one transaction.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from . import gpkg
from .columns import AREA_SPLIT_COLUMNS, FIGURES_COLUMNS, REPORTING_COLUMNS, WORKFLOW_COLUMNS, aliases, columns_until
from .gpkg import run_script
from .triggers import audit_triggers, child_lock_triggers, lock_triggers

PATCH_TABLE = "jctb"
PATCH_LAYER_NAME = "监测图斑"
STAGES: tuple[str, ...] = ("核查中", "一上", "一下", "二上", "锁定")


def _v1(conn: sqlite3.Connection, srs_id: int) -> None:
    run_script(conn,
        f"""
CREATE TABLE wpzf_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE wpzf_batch (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  PCMC TEXT NOT NULL UNIQUE,            -- 批次名称, e.g. 2022-05
  JSRQ TEXT NOT NULL,                   -- 接收日期 yyyy-mm-dd
  PDQX TEXT NOT NULL,                   -- 合法性判定期限 = JSRQ + 20 days
  JD TEXT NOT NULL DEFAULT '{STAGES[0]}',  -- 阶段
  SDZT INTEGER NOT NULL DEFAULT 0 CHECK (SDZT IN (0, 1)),  -- 锁定状态
  JSYY TEXT,                            -- 解锁原因
  CJSJ TEXT NOT NULL DEFAULT ({_now()}),
  XGR TEXT, XGSJ TEXT);
CREATE TABLE wpzf_batch_source (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id INTEGER NOT NULL REFERENCES wpzf_batch(id),
  file_name TEXT NOT NULL, sha256 TEXT NOT NULL, imported_at TEXT NOT NULL,
  imported_by TEXT, summary TEXT,
  UNIQUE (batch_id, sha256));
CREATE TABLE wpzf_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL, who TEXT NOT NULL, table_name TEXT NOT NULL, row_id INTEGER,
  label TEXT, action TEXT NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
  field TEXT, old_value, new_value);
CREATE INDEX wpzf_audit_row ON wpzf_audit (table_name, row_id);
CREATE TABLE wpzf_stage_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id INTEGER NOT NULL REFERENCES wpzf_batch(id),
  at TEXT NOT NULL, who TEXT NOT NULL, from_stage TEXT, to_stage TEXT,
  locked INTEGER NOT NULL, reason TEXT);
"""
    )
    columns = ",\n  ".join(f'"{c.name}" {c.sql_type}' for c in columns_until(1))
    conn.execute(
        f"""CREATE TABLE {PATCH_TABLE} (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  {columns},
  UNIQUE (batch_id, JCBH))"""
    )
    conn.execute(f"CREATE INDEX {PATCH_TABLE}_jcbh ON {PATCH_TABLE} (JCBH)")
    gpkg.register_feature_table(conn, PATCH_TABLE, PATCH_LAYER_NAME, "MULTIPOLYGON", srs_id)
    for table, name in (
        ("wpzf_batch", "批次"),
        ("wpzf_batch_source", "批次来源文件"),
        ("wpzf_audit", "审计日志"),
        ("wpzf_stage_history", "阶段记录"),
    ):
        gpkg.register_attribute_table(conn, table, name)


def _v2(conn: sqlite3.Connection, srs_id: int) -> None:
    for c in WORKFLOW_COLUMNS:
        conn.execute(f'ALTER TABLE {PATCH_TABLE} ADD COLUMN "{c.name}" {c.sql_type}')
    run_script(conn,
        f"""
CREATE TABLE wpzf_evidence (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patch_fid INTEGER NOT NULL REFERENCES {PATCH_TABLE}(fid),
  ZLLX TEXT NOT NULL,          -- 资料类型: 照片 / 批文 / 备案 / 其他
  WJLJ TEXT NOT NULL,          -- path relative to evidence/
  YSWJM TEXT NOT NULL,         -- original file name
  SHA256 TEXT NOT NULL, WJDX INTEGER NOT NULL,
  PSSJ TEXT, JD REAL, WD REAL, FWJ REAL,  -- photo time, lon, lat, bearing
  WH TEXT, SM TEXT,            -- document number, note
  XGR TEXT, XGSJ TEXT);
CREATE TABLE wpzf_field_visit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patch_fid INTEGER NOT NULL REFERENCES {PATCH_TABLE}(fid),
  KCRQ TEXT NOT NULL, KCRY TEXT NOT NULL, KCQK TEXT, XGR TEXT, XGSJ TEXT);
CREATE TABLE wpzf_referral (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patch_fid INTEGER NOT NULL REFERENCES {PATCH_TABLE}(fid),
  YJBM TEXT NOT NULL, YJRQ TEXT NOT NULL, YJWH TEXT, ZT TEXT, SM TEXT, XGR TEXT, XGSJ TEXT);
CREATE TABLE wpzf_rectification (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patch_fid INTEGER NOT NULL REFERENCES {PATCH_TABLE}(fid),
  JLRQ TEXT NOT NULL, ZGFS TEXT, CCMJ REAL, FGMJ REAL, BBMJ REAL, BBPZWH TEXT,
  SYWZGMJ REAL, ZGWCSJ TEXT, SM TEXT, XGR TEXT, XGSJ TEXT);
"""
    )
    for table in ("wpzf_evidence", "wpzf_field_visit", "wpzf_referral", "wpzf_rectification"):
        conn.execute(f"CREATE INDEX {table}_patch ON {table} (patch_fid)")
    for table, name in (
        ("wpzf_evidence", "佐证资料"),
        ("wpzf_field_visit", "外业踏勘"),
        ("wpzf_referral", "移交记录"),
        ("wpzf_rectification", "整改记录"),
    ):
        gpkg.register_attribute_table(conn, table, name)


def _v3(conn: sqlite3.Connection, srs_id: int) -> None:
    run_script(conn,
        f"""
CREATE TABLE wpzf_snapshot (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id INTEGER NOT NULL REFERENCES wpzf_batch(id),
  stage TEXT NOT NULL, file_path TEXT NOT NULL, sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL, created_by TEXT);
CREATE TABLE wpzf_feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id INTEGER NOT NULL REFERENCES wpzf_batch(id),
  patch_fid INTEGER REFERENCES {PATCH_TABLE}(fid),
  JCBH TEXT NOT NULL, WTMS TEXT NOT NULL,   -- 问题描述
  extra TEXT, round INTEGER NOT NULL DEFAULT 1, imported_at TEXT NOT NULL,
  resolved_at TEXT, resolved_by TEXT);
CREATE TABLE wpzf_prejudgement (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patch_fid INTEGER NOT NULL REFERENCES {PATCH_TABLE}(fid),
  ruleset TEXT NOT NULL, rule_id TEXT NOT NULL, PDLX TEXT, JTQX TEXT,
  evidence TEXT, created_at TEXT NOT NULL);
CREATE TABLE wpzf_check_result (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id INTEGER REFERENCES wpzf_batch(id), patch_fid INTEGER, JCBH TEXT,
  rule_id TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, checked_at TEXT NOT NULL);
"""
    )
    for table, name in (
        ("wpzf_snapshot", "上报快照"),
        ("wpzf_feedback", "一下问题图斑"),
        ("wpzf_prejudgement", "预判结果"),
        ("wpzf_check_result", "质检结果"),
    ):
        gpkg.register_attribute_table(conn, table, name)


def _v4(conn: sqlite3.Connection, srs_id: int) -> None:
    for c in AREA_SPLIT_COLUMNS:
        conn.execute(f'ALTER TABLE {PATCH_TABLE} ADD COLUMN "{c.name}" {c.sql_type}')


def _v5(conn: sqlite3.Connection, srs_id: int) -> None:
    for c in REPORTING_COLUMNS:
        conn.execute(f'ALTER TABLE {PATCH_TABLE} ADD COLUMN "{c.name}" {c.sql_type}')
    for column in ("content BLOB", "format TEXT", "n_patches INTEGER"):
        conn.execute(f"ALTER TABLE wpzf_snapshot ADD COLUMN {column}")
    run_script(conn, """
CREATE TRIGGER IF NOT EXISTS wpzf_snapshot_append_only_u BEFORE UPDATE ON wpzf_snapshot
  BEGIN SELECT RAISE(ABORT, 'WPZF: snapshots of submitted stages are never changed'); END;
CREATE TRIGGER IF NOT EXISTS wpzf_snapshot_append_only_d BEFORE DELETE ON wpzf_snapshot
  BEGIN SELECT RAISE(ABORT, 'WPZF: snapshots of submitted stages are never changed'); END;
""")


DIVISION_TABLE = "wpzf_division"
PATCH_DIVISION_TABLE = "wpzf_patch_division"
TOWN_LEVEL, VILLAGE_LEVEL = "镇街", "村"


def _v6(conn: sqlite3.Connection, srs_id: int) -> None:
    for c in FIGURES_COLUMNS:
        conn.execute(f'ALTER TABLE {PATCH_TABLE} ADD COLUMN "{c.name}" {c.sql_type}')
    conn.execute("ALTER TABLE wpzf_rectification ADD COLUMN BBGDMJ REAL")
    run_script(conn, f"""
CREATE TABLE {DIVISION_TABLE} (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  DM TEXT NOT NULL,            -- 行政区划代码 (镇街 9 位 / 村 12 位)
  MC TEXT,                     -- 名称
  JB TEXT NOT NULL CHECK (JB IN ('{TOWN_LEVEL}', '{VILLAGE_LEVEL}')),  -- 级别
  SJDM TEXT,                   -- 上级代码 (村 → 镇街)
  DRSJ TEXT,                   -- 导入时间
  UNIQUE (JB, DM));
CREATE TABLE {PATCH_DIVISION_TABLE} (
  patch_fid INTEGER PRIMARY KEY REFERENCES {PATCH_TABLE}(fid),
  XZDM TEXT, XZMC TEXT,        -- 所在镇街 (largest share of the patch)
  CJDM TEXT, CJMC TEXT,        -- 所在村
  XZBL REAL,                   -- share of the patch inside that town (0–1)
  FPSJ TEXT);                  -- 归属时间
CREATE TABLE wpzf_case_progress (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patch_fid INTEGER NOT NULL REFERENCES {PATCH_TABLE}(fid),
  JLRQ TEXT NOT NULL,          -- 记录日期: the case's state as at this date
  SFLA INTEGER, LASJ TEXT, AJBH TEXT, CFJDSWH TEXT, FMK REAL, MSMJ REAL,
  JASJ TEXT,                   -- 结案时间
  SM TEXT, XGR TEXT, XGSJ TEXT);
CREATE INDEX wpzf_case_progress_patch ON wpzf_case_progress (patch_fid);
""")
    gpkg.register_attribute_table(conn, "wpzf_case_progress", "立案查处记录")
    gpkg.register_feature_table(conn, DIVISION_TABLE, "镇街村界", "MULTIPOLYGON", srs_id)
    gpkg.register_attribute_table(conn, PATCH_DIVISION_TABLE, "图斑所在镇街村")
    conform_to_geopackage(conn, rebuild=False)  # migrate() rebuilds the triggers after the last step


def _now() -> str:
    return "strftime('%Y-%m-%dT%H:%M:%fZ','now')"


MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection, int], None]], ...] = (
    (1, "batches, patches, audit, stage locks", _v1),
    (2, "decisions, evidence, field visits, referrals, rectification", _v2),
    (3, "snapshots, feedback, pre-judgement, quality-check results", _v3),
    (4, "area split of a patch (地块面积 identity) and rectified total", _v4),
    (5, "snapshot content inside the workspace, rectified farmland area", _v5),
    (6, "farmland basis, violation period, case closing, towns and villages", _v6),
)
LATEST_VERSION = MIGRATIONS[-1][0]

_AUDITED_CHILD_TABLES = ("wpzf_evidence", "wpzf_field_visit", "wpzf_referral", "wpzf_rectification",
                         "wpzf_case_progress")


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
                f"INSERT INTO wpzf_schema_version VALUES (?, {_now()}, ?)", (version, description)
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
        f"VALUES ({_now()}, ?, 'sqlite_master', NULL, 'WPZF: triggers restored', 'UPDATE', 'triggers', ?, "
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
