"""Database-level audit and stage-lock triggers.

They live in the GeoPackage itself so that every client — our code, QGIS's
attribute table, a plain ``sqlite3`` shell — is audited and refused alike.
Trigger bodies use only core SQLite (no ST_* or application functions).
"""
from __future__ import annotations

from .tables import PER_PATCH_TABLES

NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
UNSIGNED = "(未署名客户端)"
EDIT_STAMP_COLUMNS = frozenset({"XGR", "XGSJ"})  # already in every audit row's who/at
LOCKED_MESSAGE = (
    "WPZF: 该批次阶段数据已锁定，不能修改或删除 (stage locked: records of a locked "
    "batch cannot be changed; unlock with a reason first)"
)
UNLOCK_MESSAGE = "WPZF: 解锁必须填写新的解锁原因 JSYY (unlocking needs a new reason in JSYY)"
APPEND_ONLY_MESSAGE = "WPZF: 审计与阶段记录只能追加，不能修改或删除 (audit and stage history are append-only)"
SNAPSHOT_MESSAGE = "WPZF: snapshots of submitted stages are never changed"
NO_REPLACE_MESSAGE = (
    "WPZF: 已有记录不能被替换 (INSERT OR REPLACE, REPLACE INTO and upserts are refused: a stored row is "
    "never replaced; change it with UPDATE, which is audited and checked against locks)"
)
# Why a BEFORE INSERT trigger: REPLACE deletes the conflicting row without firing DELETE triggers
# (unless recursive_triggers is on), so neither the audit nor the lock would see the row go.
# Checking the key (and each UNIQUE key) before the insert refuses REPLACE, INSERT OR REPLACE and
# INSERT … ON CONFLICT DO UPDATE alike, from every client.
APPEND_ONLY_TABLES: tuple[tuple[str, str], ...] = (
    ("wpzf_audit", APPEND_ONLY_MESSAGE),
    ("wpzf_stage_history", APPEND_ONLY_MESSAGE),
    ("wpzf_snapshot", SNAPSHOT_MESSAGE),
)

# Per-patch tables: (table, column holding the patch fid, inserts allowed while locked?)
# Locking freezes what was reported at a stage, yet the work plan (四(二)) still wants
# 查处整改 progress recorded after it ("适时更新录入违法图斑查处整改情况"): every per-patch
# record — evidence, field visits, referrals (移交), rectification (整改) — may be
# appended as a new dated record after the lock, but nothing recorded may change or go,
# and the patch row itself (the locked stage data) stays frozen.
CHILD_TABLES: tuple[tuple[str, str, bool], ...] = tuple((t, "patch_fid", True) for t in PER_PATCH_TABLES)


def _who(row: str) -> str:
    """Editor of a change: the client's own stamp (XGR with a new XGSJ) or 'unsigned'."""
    if row == "NEW_UPDATE":
        return f"CASE WHEN NEW.XGSJ IS NOT OLD.XGSJ AND NEW.XGR IS NOT NULL THEN NEW.XGR ELSE '{UNSIGNED}' END"
    return f"COALESCE({row}.XGR, '{UNSIGNED}')"


_JSON_ARGS = 40  # key/value pairs per call: SQLite caps a function at 127 arguments


def _json_record(columns: list[str]) -> str:
    """``json_object`` of the OLD row, extended by ``json_insert`` in chunks (a wide table exceeds one call)."""
    def value(c: str) -> str:
        return 'hex(OLD."geom")' if c == "geom" else f'OLD."{c}"'

    chunks = [columns[i:i + _JSON_ARGS] for i in range(0, len(columns), _JSON_ARGS)] or [[]]
    expr = "json_object(" + ", ".join(f"'{c}', {value(c)}" for c in chunks[0]) + ")"
    for chunk in chunks[1:]:
        expr = "json_insert(" + expr + ", " + ", ".join(f"'$.\"{c}\"', {value(c)}" for c in chunk) + ")"
    return expr


def audit_triggers(table: str, columns: list[str], key: str = "fid", label: str = "NULL") -> str:
    """INSERT/UPDATE/DELETE audit triggers for ``table`` over ``columns``.

    An update writes one audit row per changed column (old and new value); an
    insert one row with the label; a delete one row holding the whole record as
    JSON (geometry as hex), so a deleted record can be rebuilt.
    """
    new_label = label.replace("{row}", "NEW")
    old_label = label.replace("{row}", "OLD")
    per_column = "\n    UNION ALL ".join(
        f"SELECT '{c}', OLD.\"{c}\", NEW.\"{c}\" WHERE OLD.\"{c}\" IS NOT NEW.\"{c}\""
        for c in columns
        if c not in EDIT_STAMP_COLUMNS
    )
    record = _json_record(columns)
    has_geom = "geom" in columns
    if has_geom:
        per_column = per_column.replace("OLD.\"geom\", NEW.\"geom\" WHERE", "hex(OLD.\"geom\"), hex(NEW.\"geom\") WHERE")
    return f"""
DROP TRIGGER IF EXISTS "wpzf_audit_{table}_insert";
DROP TRIGGER IF EXISTS "wpzf_audit_{table}_update";
DROP TRIGGER IF EXISTS "wpzf_audit_{table}_delete";
CREATE TRIGGER "wpzf_audit_{table}_insert" AFTER INSERT ON "{table}"
BEGIN
  INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, field, old_value, new_value)
  VALUES ({NOW}, {_who('NEW')}, '{table}', NEW."{key}", {new_label}, 'INSERT', NULL, NULL, NULL);
END;
CREATE TRIGGER "wpzf_audit_{table}_update" AFTER UPDATE ON "{table}"
BEGIN
  INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, field, old_value, new_value)
  SELECT {NOW}, {_who('NEW_UPDATE')}, '{table}', NEW."{key}", {new_label}, 'UPDATE', f, o, n
  FROM (SELECT NULL AS f, NULL AS o, NULL AS n WHERE 0
    UNION ALL {per_column});
END;
CREATE TRIGGER "wpzf_audit_{table}_delete" AFTER DELETE ON "{table}"
BEGIN
  INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, field, old_value, new_value)
  VALUES ({NOW}, {_who('OLD')}, '{table}', OLD."{key}", {old_label}, 'DELETE', NULL,
          {record}, NULL);
END;
"""


def _batch_locked(fid_expr: str) -> str:
    return f"(SELECT SDZT FROM wpzf_batch WHERE id = {fid_expr}) = 1"


def _patch_batch_locked(patch_fid_expr: str) -> str:
    return (
        "(SELECT b.SDZT FROM wpzf_batch b JOIN jctb p ON p.batch_id = b.id "
        f"WHERE p.fid = {patch_fid_expr}) = 1"
    )


def lock_triggers(existing_tables: set[str] | None = None) -> str:
    """Stage-lock triggers on patches and batches; append-only and no-replace guards.

    ``existing_tables``: the tables at this schema version (None: all).
    """
    raise_locked = f"SELECT RAISE(ABORT, '{LOCKED_MESSAGE}');"
    parts = [
        f"""
DROP TRIGGER IF EXISTS wpzf_lock_jctb_insert;
DROP TRIGGER IF EXISTS wpzf_lock_jctb_update;
DROP TRIGGER IF EXISTS wpzf_lock_jctb_delete;
CREATE TRIGGER wpzf_lock_jctb_insert BEFORE INSERT ON jctb
  WHEN {_batch_locked('NEW.batch_id')} BEGIN {raise_locked} END;
CREATE TRIGGER wpzf_lock_jctb_update BEFORE UPDATE ON jctb
  WHEN {_batch_locked('OLD.batch_id')} OR {_batch_locked('NEW.batch_id')} BEGIN {raise_locked} END;
CREATE TRIGGER wpzf_lock_jctb_delete BEFORE DELETE ON jctb
  WHEN {_batch_locked('OLD.batch_id')} BEGIN {raise_locked} END;
DROP TRIGGER IF EXISTS wpzf_lock_batch_delete;
DROP TRIGGER IF EXISTS wpzf_lock_batch_update;
DROP TRIGGER IF EXISTS wpzf_unlock_needs_reason;
DROP TRIGGER IF EXISTS wpzf_stage_history_on_change;
CREATE TRIGGER wpzf_lock_batch_delete BEFORE DELETE ON wpzf_batch
  WHEN OLD.SDZT = 1 BEGIN {raise_locked} END;
CREATE TRIGGER wpzf_lock_batch_update BEFORE UPDATE ON wpzf_batch
  WHEN OLD.SDZT = 1 AND NEW.SDZT = 1 BEGIN {raise_locked} END;
CREATE TRIGGER wpzf_unlock_needs_reason BEFORE UPDATE OF SDZT ON wpzf_batch
  WHEN OLD.SDZT = 1 AND NEW.SDZT = 0
   AND (NEW.JSYY IS NULL OR trim(NEW.JSYY) = '' OR NEW.JSYY IS OLD.JSYY)
  BEGIN SELECT RAISE(ABORT, '{UNLOCK_MESSAGE}'); END;
CREATE TRIGGER wpzf_stage_history_on_change AFTER UPDATE ON wpzf_batch
  WHEN OLD.JD IS NOT NEW.JD OR OLD.SDZT IS NOT NEW.SDZT
  BEGIN
    INSERT INTO wpzf_stage_history (batch_id, at, who, from_stage, to_stage, locked, reason)
    VALUES (NEW.id, {NOW}, {_who('NEW_UPDATE')}, OLD.JD, NEW.JD, NEW.SDZT,
            CASE WHEN OLD.SDZT = 1 AND NEW.SDZT = 0 THEN NEW.JSYY ELSE NULL END);
  END;
"""
    ]
    for table, message in APPEND_ONLY_TABLES:
        if existing_tables is not None and table not in existing_tables:
            continue
        parts.append(
            f"""
DROP TRIGGER IF EXISTS "{table}_append_only_u";
DROP TRIGGER IF EXISTS "{table}_append_only_d";
DROP TRIGGER IF EXISTS "{table}_append_only_i";
CREATE TRIGGER "{table}_append_only_u" BEFORE UPDATE ON "{table}"
  BEGIN SELECT RAISE(ABORT, '{message}'); END;
CREATE TRIGGER "{table}_append_only_d" BEFORE DELETE ON "{table}"
  BEGIN SELECT RAISE(ABORT, '{message}'); END;
CREATE TRIGGER "{table}_append_only_i" BEFORE INSERT ON "{table}"
  WHEN EXISTS (SELECT 1 FROM "{table}" WHERE id = NEW.id)
  BEGIN SELECT RAISE(ABORT, '{message}'); END;
"""
        )
    parts.append(no_replace_trigger("jctb", "fid = NEW.fid OR (batch_id = NEW.batch_id AND JCBH = NEW.JCBH)"))
    parts.append(no_replace_trigger("wpzf_batch", "id = NEW.id OR PCMC = NEW.PCMC"))
    return "".join(parts)


def child_lock_triggers(existing_tables: set[str]) -> str:
    """Lock triggers on the per-patch tables that exist at this schema version."""
    raise_locked = f"SELECT RAISE(ABORT, '{LOCKED_MESSAGE}');"
    parts = []
    for table, fk, inserts_allowed in CHILD_TABLES:
        if table not in existing_tables:
            continue
        parts.append(
            f"""
DROP TRIGGER IF EXISTS "wpzf_lock_{table}_insert";
DROP TRIGGER IF EXISTS "wpzf_lock_{table}_update";
DROP TRIGGER IF EXISTS "wpzf_lock_{table}_delete";
CREATE TRIGGER "wpzf_lock_{table}_update" BEFORE UPDATE ON "{table}"
  WHEN {_patch_batch_locked('OLD.' + fk)} OR {_patch_batch_locked('NEW.' + fk)} BEGIN {raise_locked} END;
CREATE TRIGGER "wpzf_lock_{table}_delete" BEFORE DELETE ON "{table}"
  WHEN {_patch_batch_locked('OLD.' + fk)} BEGIN {raise_locked} END;
"""
        )
        parts.append(no_replace_trigger(table, "id = NEW.id"))
        if not inserts_allowed:
            parts.append(
                f"""CREATE TRIGGER "wpzf_lock_{table}_insert" BEFORE INSERT ON "{table}"
  WHEN {_patch_batch_locked('NEW.' + fk)} BEGIN {raise_locked} END;
"""
            )
    return "".join(parts)


def no_replace_trigger(table: str, conflict: str) -> str:
    """BEFORE INSERT trigger refusing a row that would replace a stored one (``conflict``: its keys)."""
    return f"""
DROP TRIGGER IF EXISTS "wpzf_lock_{table}_replace";
CREATE TRIGGER "wpzf_lock_{table}_replace" BEFORE INSERT ON "{table}"
  WHEN EXISTS (SELECT 1 FROM "{table}" WHERE {conflict})
  BEGIN SELECT RAISE(ABORT, '{NO_REPLACE_MESSAGE}'); END;
"""
