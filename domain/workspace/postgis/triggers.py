"""PL/pgSQL audit, stage-lock, stage-history and row-version triggers.

They reproduce the GeoPackage triggers (domain/workspace/triggers.py) so that
every client — the plugin, QGIS's attribute table, a technician's own ``psql``
— is audited and refused alike:

- audit: one row per changed field (old and new value), one row per insert,
  one row per delete holding the whole record as JSON; who = the database
  login (``session_user``), never what the client sends;
- editor stamp: XGR of every audited table is overwritten with the login on
  insert and update, so a client cannot sign an edit with another name;
- locks: a locked batch's patches and per-patch records cannot be changed or
  deleted; progress records (evidence, field visits, referrals, rectification)
  may still be appended as new dated records; unlocking needs a new reason;
  audit, stage history and snapshots are append-only;
- stage history on every change of JD or SDZT;
- row versions: every update raises ``row_version``; an update that names a
  version other than the stored one is refused (lost-update guard).

The functions are SECURITY DEFINER (owned by the workspace owner) so that
roles without any right on the audit tables still get audited, and cannot
write audit rows themselves.
"""
from __future__ import annotations

from ..triggers import APPEND_ONLY_MESSAGE, CHILD_TABLES, LOCKED_MESSAGE, UNLOCK_MESSAGE
from .ddl import NOW_SQL, PATCH_TABLE, ROW_VERSION, VERSIONED_TABLES, q

CONFLICT_SQLSTATE = "WZ409"
LOCKED_SQLSTATE = "WZ423"
EDIT_STAMPS = ("XGR", "XGSJ", ROW_VERSION)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def functions_sql(schema: str) -> str:
    """The trigger functions of workspace ``schema`` (CREATE OR REPLACE)."""
    path = f"SET search_path = {q(schema)}, public, pg_temp"
    stamps = "ARRAY[" + ", ".join(_lit(s) for s in EDIT_STAMPS) + "]"
    return f"""
CREATE OR REPLACE FUNCTION wpzf_now() RETURNS text LANGUAGE sql STABLE AS $$ SELECT {NOW_SQL} $$;

CREATE OR REPLACE FUNCTION wpzf_batch_locked(p_batch bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
  SELECT COALESCE((SELECT "SDZT" = 1 FROM wpzf_batch WHERE id = p_batch), false) $$;

CREATE OR REPLACE FUNCTION wpzf_patch_locked(p_fid bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
  SELECT COALESCE((SELECT b."SDZT" = 1 FROM wpzf_batch b JOIN {q(PATCH_TABLE)} p ON p.batch_id = b.id
                   WHERE p.fid = p_fid), false) $$;

-- a row as JSON with its geometry as hex WKB (as the GeoPackage log keeps it)
CREATE OR REPLACE FUNCTION wpzf_row_json(r jsonb, g geometry) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN r ? 'geom' THEN jsonb_set(r, '{{geom}}',
              COALESCE(to_jsonb(upper(encode(ST_AsBinary(g, 'NDR'), 'hex'))), 'null'::jsonb))
         ELSE r END $$;

CREATE OR REPLACE FUNCTION wpzf_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
  key_col text := TG_ARGV[0];
  label_col text := TG_ARGV[1];
  o jsonb; n jsonb; who text; k text;
  og geometry; ng geometry;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, db_user)
    VALUES (wpzf_now(), session_user, TG_TABLE_NAME, (n->>key_col)::bigint,
            n->>label_col, 'INSERT', session_user);
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    IF o ? 'geom' THEN og := OLD.geom; END IF;
    INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, old_value, db_user)
    VALUES (wpzf_now(), session_user, TG_TABLE_NAME, (o->>key_col)::bigint,
            o->>label_col, 'DELETE', wpzf_row_json(o, og), session_user);
    RETURN OLD;
  END IF;
  who := session_user;
  IF o ? 'geom' THEN
    og := OLD.geom; ng := NEW.geom;
    IF ST_AsBinary(og) IS DISTINCT FROM ST_AsBinary(ng) THEN
      INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, field, old_value, new_value, db_user)
      VALUES (wpzf_now(), who, TG_TABLE_NAME, (n->>key_col)::bigint, n->>label_col, 'UPDATE', 'geom',
              to_jsonb(upper(encode(ST_AsBinary(og, 'NDR'), 'hex'))),
              to_jsonb(upper(encode(ST_AsBinary(ng, 'NDR'), 'hex'))), session_user);
    END IF;
  END IF;
  FOR k IN SELECT jsonb_object_keys(n) LOOP
    CONTINUE WHEN k = 'geom' OR k = ANY({stamps}) OR (o->k) IS NOT DISTINCT FROM (n->k);
    INSERT INTO wpzf_audit (at, who, table_name, row_id, label, action, field, old_value, new_value, db_user)
    VALUES (wpzf_now(), who, TG_TABLE_NAME, (n->>key_col)::bigint, n->>label_col, 'UPDATE', k,
            NULLIF(o->k, 'null'::jsonb), NULLIF(n->k, 'null'::jsonb), session_user);
  END LOOP;
  RETURN NEW;
END $$;

-- the editor is the database login: XGR as the client sent it is overwritten (tables without XGR untouched)
CREATE OR REPLACE FUNCTION wpzf_stamp_editor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_jsonb(NEW) ? 'XGR' THEN
    NEW := jsonb_populate_record(NEW, jsonb_build_object('XGR', session_user));
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION wpzf_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '{LOCKED_SQLSTATE}', MESSAGE = {_lit(LOCKED_MESSAGE)};
END $$;

CREATE OR REPLACE FUNCTION wpzf_lock_patch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
  IF (TG_OP <> 'INSERT' AND wpzf_batch_locked(OLD.batch_id))
     OR (TG_OP <> 'DELETE' AND wpzf_batch_locked(NEW.batch_id)) THEN
    RAISE EXCEPTION USING ERRCODE = '{LOCKED_SQLSTATE}', MESSAGE = {_lit(LOCKED_MESSAGE)},
      DETAIL = 'JCBH ' || COALESCE(CASE WHEN TG_OP = 'INSERT' THEN NEW."JCBH" ELSE OLD."JCBH" END, '?');
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

-- TG_ARGV[0]: 'insert' when inserts are refused too, 'append' when progress may be appended (CHILD_TABLES)
CREATE OR REPLACE FUNCTION wpzf_lock_child() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
  IF (TG_OP <> 'INSERT' AND wpzf_patch_locked(OLD.patch_fid))
     OR (TG_OP = 'UPDATE' AND wpzf_patch_locked(NEW.patch_fid))
     OR (TG_OP = 'INSERT' AND TG_ARGV[0] = 'insert' AND wpzf_patch_locked(NEW.patch_fid)) THEN
    RAISE EXCEPTION USING ERRCODE = '{LOCKED_SQLSTATE}', MESSAGE = {_lit(LOCKED_MESSAGE)};
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE OR REPLACE FUNCTION wpzf_lock_batch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."SDZT" = 1 THEN
      RAISE EXCEPTION USING ERRCODE = '{LOCKED_SQLSTATE}', MESSAGE = {_lit(LOCKED_MESSAGE)};
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."SDZT" = 1 AND NEW."SDZT" = 0
     AND (NEW."JSYY" IS NULL OR trim(NEW."JSYY") = '' OR NEW."JSYY" IS NOT DISTINCT FROM OLD."JSYY") THEN
    RAISE EXCEPTION USING ERRCODE = '{LOCKED_SQLSTATE}', MESSAGE = {_lit(UNLOCK_MESSAGE)};
  END IF;
  IF OLD."SDZT" = 1 AND NEW."SDZT" = 1 THEN
    RAISE EXCEPTION USING ERRCODE = '{LOCKED_SQLSTATE}', MESSAGE = {_lit(LOCKED_MESSAGE)};
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION wpzf_stage_history_on_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
  IF OLD."JD" IS DISTINCT FROM NEW."JD" OR OLD."SDZT" IS DISTINCT FROM NEW."SDZT" THEN
    INSERT INTO wpzf_stage_history (batch_id, at, who, from_stage, to_stage, locked, reason)
    VALUES (NEW.id, wpzf_now(), session_user,
            OLD."JD", NEW."JD", NEW."SDZT",
            CASE WHEN OLD."SDZT" = 1 AND NEW."SDZT" = 0 THEN NEW."JSYY" ELSE NULL END);
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION wpzf_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '{LOCKED_SQLSTATE}', MESSAGE = TG_ARGV[0];
END $$;

-- lost-update guard: a client that names the version it loaded must name the stored one
CREATE OR REPLACE FUNCTION wpzf_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.{ROW_VERSION} IS DISTINCT FROM OLD.{ROW_VERSION} THEN
    RAISE EXCEPTION USING ERRCODE = '{CONFLICT_SQLSTATE}',
      MESSAGE = format('WPZF: %s row %s was changed by someone else (version %s, you had %s); reload it',
                       TG_TABLE_NAME, COALESCE(to_jsonb(OLD)->>'fid', to_jsonb(OLD)->>'id'),
                       OLD.{ROW_VERSION}, NEW.{ROW_VERSION});
  END IF;
  NEW.{ROW_VERSION} := OLD.{ROW_VERSION} + 1;
  RETURN NEW;
END $$;
"""


def _drop(name: str, table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {q(name)} ON {q(table)};\n"


def triggers_sql(tables: set[str]) -> str:
    """(Re)create every trigger on the tables that exist (``tables``)."""
    parts: list[str] = []
    audited = [(PATCH_TABLE, "fid", "JCBH"), ("wpzf_batch", "id", "PCMC")] + \
        [(t, "id", "patch_fid") for t, _, _ in CHILD_TABLES if t in tables]
    for table, key, label in audited:
        name = f"wpzf_audit_{table}"
        parts.append(_drop(name, table) + f"CREATE TRIGGER {q(name)} AFTER INSERT OR UPDATE OR DELETE ON {q(table)}"
                     f" FOR EACH ROW EXECUTE FUNCTION wpzf_audit_row({_lit(key)}, {_lit(label)});\n")
        stamp = f"wpzf_stamp_{table}"
        parts.append(_drop(stamp, table) + f"CREATE TRIGGER {q(stamp)} BEFORE INSERT OR UPDATE ON {q(table)}"
                     " FOR EACH ROW EXECUTE FUNCTION wpzf_stamp_editor();\n")
    # BEFORE triggers fire in name order: locks ("wpzf_lock…") before the version bump ("wpzf_rv…")
    parts.append(_drop("wpzf_lock_jctb", PATCH_TABLE) +
                 f"CREATE TRIGGER wpzf_lock_jctb BEFORE INSERT OR UPDATE OR DELETE ON {q(PATCH_TABLE)} "
                 "FOR EACH ROW EXECUTE FUNCTION wpzf_lock_patch();\n")
    for table, _, inserts_allowed in CHILD_TABLES:
        if table not in tables:
            continue
        name = f"wpzf_lock_{table}"
        mode = "append" if inserts_allowed else "insert"
        parts.append(_drop(name, table) + f"CREATE TRIGGER {q(name)} BEFORE INSERT OR UPDATE OR DELETE ON {q(table)}"
                     f" FOR EACH ROW EXECUTE FUNCTION wpzf_lock_child({_lit(mode)});\n")
    for table in VERSIONED_TABLES:
        if table in tables:
            name = f"wpzf_rv_{table}"
            parts.append(_drop(name, table) + f"CREATE TRIGGER {q(name)} BEFORE UPDATE ON {q(table)} "
                         "FOR EACH ROW EXECUTE FUNCTION wpzf_row_version();\n")
    parts.append(
        _drop("wpzf_lock_batch", "wpzf_batch")
        + "CREATE TRIGGER wpzf_lock_batch BEFORE UPDATE OR DELETE ON wpzf_batch "
          "FOR EACH ROW EXECUTE FUNCTION wpzf_lock_batch();\n"
        + _drop("wpzf_stage_history_on_change", "wpzf_batch")
        + "CREATE TRIGGER wpzf_stage_history_on_change AFTER UPDATE ON wpzf_batch "
          "FOR EACH ROW EXECUTE FUNCTION wpzf_stage_history_on_change();\n")
    append_only = [("wpzf_audit", APPEND_ONLY_MESSAGE), ("wpzf_stage_history", APPEND_ONLY_MESSAGE)]
    if "wpzf_snapshot" in tables:
        append_only.append(("wpzf_snapshot", "WPZF: snapshots of submitted stages are never changed"))
    for table, message in append_only:
        for suffix, event, level in (("u", "UPDATE OR DELETE", "ROW"), ("t", "TRUNCATE", "STATEMENT")):
            name = f"{table}_append_only_{suffix}"
            parts.append(_drop(name, table) + f"CREATE TRIGGER {q(name)} BEFORE {event} ON {q(table)} "
                         f"FOR EACH {level} EXECUTE FUNCTION wpzf_append_only({_lit(message)});\n")
    return "".join(parts)
