"""Office roles on a PostGIS workspace, enforced by the database itself.

Three group roles per workspace schema (``<schema>_technician``,
``<schema>_reviewer``, ``<schema>_viewer``; with the default schema ``wpzf``
that is ``wpzf_technician`` …):

- technician: reads everything; inserts and updates patches and per-patch
  records of the towns assigned to him (``wpzf_user_town``, matched as a
  prefix of the patch's town) — never batches, never deletes patches.
  Changing another town's patch is refused with an error that names the
  patch and his towns (a trigger), not silently skipped;
- reviewer: everything a technician may, in every town, plus batches
  (submit stages, lock, unlock with a reason), reporting tables and the
  district's towns and villages (``wpzf_division``, ``wpzf_patch_division``);
- viewer: reads only;
- approver (分管负责人): reads everything and signs 审定 in ``wpzf_review``
  (层层审查); a trigger there lets only reviewers sign 审核 and approvers 审定.

Grants say which tables a role may touch at all; ROW LEVEL SECURITY policies
say which rows; the lock triggers refuse every role on a locked batch. So a
technician's own ``psql`` session is held to the same rules as the plugin.

A patch's town (``wpzf_patch_town``) is the 镇街 the district's boundaries put
it in (``wpzf_patch_division.XZDM``, written by wpzf:importdivisions), else
its own XZQDM: deliveries carry the county code (XZQDM = 500118, domain.md
§9), which names no town, while older workspaces and deliveries with town
codes have nothing else. Only reviewers write the placements, so a
technician cannot move a patch into his town.

Every statement on a table runs only when the table exists: a migration may
stop at an older schema version (``migrate(target=…)``), and the grants are
installed again after each migration.
"""
from __future__ import annotations

from collections.abc import Iterable

from ...messages import QT_TRANSLATE_NOOP, WpzfError
from ..tables import DIVISION_TABLE, FIELD_PACKAGE_TABLE, PATCH_DIVISION_TABLE
from .ddl import CHILD_TABLES, EVIDENCE_FILE_TABLE, PATCH_TABLE, q

TECHNICIAN, REVIEWER, VIEWER, APPROVER = "technician", "reviewer", "viewer", "approver"
ROLES: tuple[str, ...] = (TECHNICIAN, REVIEWER, VIEWER, APPROVER)
REVIEW_TABLE = "wpzf_review"
"""层层审查: reviewers sign 审核, approvers (分管负责人) 审定; a trigger checks the login's role per step."""
USER_TOWN_TABLE = "wpzf_user_town"

_READ_ONLY_TABLES = ("wpzf_meta", "wpzf_schema_version", "wpzf_audit", "wpzf_stage_history", USER_TOWN_TABLE)
_REPORTING_TABLES = ("wpzf_batch_source", "wpzf_snapshot", "wpzf_feedback")
_JUDGEMENT_TABLES = ("wpzf_prejudgement", "wpzf_check_result", "wpzf_imagery_change")
_DIVISION_TABLES = (DIVISION_TABLE, PATCH_DIVISION_TABLE)
_FIELD_TABLES = (FIELD_PACKAGE_TABLE,)
"""Field packages sent out and returned: whoever imports a package records it."""
"""Towns, villages and each patch's town: technicians and viewers read them, reviewers replace them."""


class RoleError(WpzfError, ValueError):
    """A role or user request that cannot be carried out; the message says why."""


def group_role(schema: str, role: str) -> str:
    """Name of the group role ``role`` of workspace ``schema``."""
    if role not in ROLES:
        raise RoleError(QT_TRANSLATE_NOOP("domain", "Unknown role {role!r}; roles are {roles}."),
                        role=role, roles=", ".join(ROLES))
    return f"{schema}_{role}"


def install_sql(schema: str) -> str:
    """Group roles, the user → towns table, grants and row-level security of ``schema``.

    Idempotent: run again after a migration so new tables get their grants
    and ``wpzf_patch_town`` starts reading the placements once they exist.
    """
    tech, rev, view, appr = (q(group_role(schema, r)) for r in ROLES)
    sch = q(schema)
    path = f"SET search_path = {sch}, public, pg_temp"
    parts = [f"""
DO $$ BEGIN
  {''.join(f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group_role(schema, r)}') THEN "
           f"CREATE ROLE {q(group_role(schema, r))} NOLOGIN; END IF; " for r in ROLES)}
END $$;
CREATE TABLE IF NOT EXISTS {USER_TOWN_TABLE} (
  username text NOT NULL, "XZQDM" text NOT NULL CHECK ("XZQDM" ~ '^[0-9]+$'),
  PRIMARY KEY (username, "XZQDM"));
CREATE OR REPLACE FUNCTION wpzf_has_town(p_user name, p_xzqdm text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
  SELECT EXISTS (SELECT 1 FROM {USER_TOWN_TABLE} t
                 WHERE t.username = p_user AND starts_with(COALESCE(p_xzqdm, ''), t."XZQDM")) $$;
{_patch_town_functions(schema)}
CREATE OR REPLACE FUNCTION wpzf_has_patch_town(p_user name, p_fid bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
  SELECT wpzf_has_town(p_user, wpzf_patch_town(p_fid)) $$;
GRANT USAGE ON SCHEMA {sch} TO {tech}, {rev}, {view}, {appr};
GRANT SELECT ON ALL TABLES IN SCHEMA {sch} TO {tech}, {rev}, {view}, {appr};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {sch} TO {tech}, {rev}, {appr};
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {sch} TO {tech}, {rev}, {view}, {appr};
GRANT INSERT, UPDATE ON {q(PATCH_TABLE)} TO {tech};
GRANT INSERT, UPDATE, DELETE ON {q(PATCH_TABLE)} TO {rev};
GRANT INSERT, UPDATE ON wpzf_batch TO {rev};
"""]
    parts.append(_when_table(schema, EVIDENCE_FILE_TABLE, [f"GRANT INSERT ON {EVIDENCE_FILE_TABLE} TO {tech}, {rev}"]))
    for table in _JUDGEMENT_TABLES:
        parts.append(_when_table(schema, table, [f"GRANT INSERT, DELETE ON {table} TO {tech}",
                                                 f"GRANT INSERT, UPDATE, DELETE ON {table} TO {rev}"]))
    for table in _REPORTING_TABLES:
        parts.append(_when_table(schema, table, [f"GRANT INSERT, UPDATE ON {table} TO {rev}"]))
    for table in _FIELD_TABLES:
        parts.append(_when_table(schema, table, [f"GRANT INSERT, UPDATE ON {table} TO {tech}, {rev}"]))
    for table in _DIVISION_TABLES:  # only reviewers place patches: a technician cannot move one into his town
        parts.append(_when_table(schema, table, [f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM {tech}, {view}",
                                                 f"GRANT INSERT, UPDATE, DELETE ON {table} TO {rev}"]))
    parts.append(_other_town_function(schema))
    parts.append(_review_role_function(schema))
    # the new row's own XZQDM: a new patch has no placement yet, and a technician may not recode one away
    parts.append(_when_table(schema, PATCH_TABLE, _policies(
        PATCH_TABLE, tech, rev, view, 'wpzf_has_town(current_user, wpzf_patch_town(fid, "XZQDM"))', appr)))
    for table in CHILD_TABLES:
        parts.append(_when_table(schema, table, [
            f"GRANT INSERT, UPDATE ON {table} TO {tech}", f"GRANT INSERT, UPDATE, DELETE ON {table} TO {rev}",
            *_policies(table, tech, rev, view, "wpzf_has_patch_town(current_user, patch_fid)", appr)]))
    parts.append(_when_table(schema, REVIEW_TABLE, [
        f"GRANT INSERT ON {REVIEW_TABLE} TO {appr}",
        f"DROP POLICY IF EXISTS wpzf_approver_insert ON {REVIEW_TABLE}",
        f"CREATE POLICY wpzf_approver_insert ON {REVIEW_TABLE} FOR INSERT TO {appr} WITH CHECK (true)",
        f"DROP TRIGGER IF EXISTS wpzf_review_role ON {REVIEW_TABLE}",
        f"CREATE TRIGGER wpzf_review_role BEFORE INSERT OR UPDATE OR DELETE ON {REVIEW_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION wpzf_review_role()"]))
    return "".join(parts)


def _when_table(schema: str, table: str, statements: list[str]) -> str:
    """A DO block running ``statements`` only when ``table`` exists (each through EXECUTE)."""
    body = "".join(f"    EXECUTE $wpzf_sql${s}$wpzf_sql$;\n" for s in statements)
    return (f"DO $wpzf_do$ BEGIN\n  IF to_regclass('{q(schema)}.{q(table)}') IS NOT NULL THEN\n{body}"
            "  END IF;\nEND $wpzf_do$;\n")


def _patch_town_functions(schema: str) -> str:
    """``wpzf_patch_town(fid, xzqdm)`` and ``wpzf_patch_town(fid)``: the town a patch's rights follow.

    The placement from the boundaries when the patch has one, else the given
    (the patch's own) XZQDM. Before schema 6 there are no placements and the
    function is the XZQDM alone (a SQL function's body must name existing
    tables); the next install after the migration replaces it.
    """
    path = f"SET search_path = {q(schema)}, public, pg_temp"
    head = (f"CREATE OR REPLACE FUNCTION wpzf_patch_town(p_fid bigint, p_xzqdm text) RETURNS text "
            f"LANGUAGE sql STABLE SECURITY DEFINER {path} AS $wpzf_fn$ ")
    placed = (f"SELECT COALESCE((SELECT NULLIF(d.\"XZDM\", '') FROM {PATCH_DIVISION_TABLE} d "
              "WHERE d.patch_fid = p_fid), p_xzqdm)")
    return f"""
DO $wpzf_do$ BEGIN
  IF to_regclass('{q(schema)}.{q(PATCH_DIVISION_TABLE)}') IS NOT NULL THEN
    EXECUTE $wpzf_sql${head}{placed} $wpzf_fn$$wpzf_sql$;
  ELSE
    EXECUTE $wpzf_sql${head}SELECT p_xzqdm $wpzf_fn$$wpzf_sql$;
  END IF;
END $wpzf_do$;
CREATE OR REPLACE FUNCTION wpzf_patch_town(p_fid bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
  SELECT wpzf_patch_town(p.fid, p."XZQDM") FROM {q(PATCH_TABLE)} p WHERE p.fid = p_fid $$;
"""


OTHER_TOWN_SQLSTATE = "42501"
"""insufficient_privilege: what a technician gets for another town's patch."""


def _other_town_function(schema: str) -> str:
    """Trigger function: a technician's UPDATE/DELETE of another town's row raises, naming patch and towns.

    Row-level security alone would hide the row from the UPDATE (0 rows, no
    error); the policies let a technician's UPDATE see every row and this
    trigger refuses the ones outside his towns. It runs as the invoker, so
    ``current_user`` is the technician. The town is ``wpzf_patch_town`` (with
    the 镇街 name when the boundaries placed the patch).
    """
    tech, rev = group_role(schema, TECHNICIAN), group_role(schema, REVIEWER)
    return f"""
CREATE OR REPLACE FUNCTION wpzf_refuse_other_town() RETURNS trigger
LANGUAGE plpgsql SET search_path = {q(schema)}, public, pg_temp AS $$
DECLARE p_fid bigint; p_jcbh text; p_town text; p_name text; p_towns text;
BEGIN
  IF pg_has_role(current_user, '{tech}', 'MEMBER') AND NOT pg_has_role(current_user, '{rev}', 'MEMBER') THEN
    p_fid := COALESCE((to_jsonb(OLD)->>'patch_fid')::bigint, (to_jsonb(OLD)->>'fid')::bigint);
    SELECT "JCBH", wpzf_patch_town(fid, "XZQDM") INTO p_jcbh, p_town FROM {q(PATCH_TABLE)} WHERE fid = p_fid;
    IF NOT wpzf_has_town(current_user, p_town) THEN
      IF to_regclass('{PATCH_DIVISION_TABLE}') IS NOT NULL THEN
        EXECUTE 'SELECT "XZMC" FROM {PATCH_DIVISION_TABLE} WHERE patch_fid = $1 AND "XZDM" = $2'
          INTO p_name USING p_fid, p_town;
      END IF;
      p_town := COALESCE(p_town, '?') || COALESCE(' ' || NULLIF(p_name, ''), '');
      SELECT string_agg("XZQDM", ', ' ORDER BY "XZQDM") INTO p_towns FROM {USER_TOWN_TABLE}
       WHERE username = current_user;
      RAISE EXCEPTION USING ERRCODE = '{OTHER_TOWN_SQLSTATE}',
        MESSAGE = format('WPZF: 图斑 %s 属于镇街 %s，技术人员 %s 只能修改所分配镇街 %s 的图斑 '
                         '(patch %s is in town %s; technician %s may change only patches of towns %s)',
                         COALESCE(p_jcbh, '?'), p_town, current_user, COALESCE(p_towns, '-'),
                         COALESCE(p_jcbh, '?'), p_town, current_user, COALESCE(p_towns, '-'));
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""


REVIEW_ROLE_SQLSTATE = "42501"
"""insufficient_privilege: a 审核 from a login that is not a reviewer, a 审定 from one not an approver."""


def _review_role_function(schema: str) -> str:
    """Trigger function of ``wpzf_review``: the step's role, the login as signer, one person per step.

    Applies to the office's logins (members of the workspace's roles; the
    owner migrating rows and superusers pass): 审核 needs the reviewer role,
    审定 the approver role, 经办 a technician or reviewer; a 审核/审定 is
    signed by the login itself (SHR = current_user), who has not signed
    another step of the chain (the rows since its last 经办 or 退回); a
    signature is never changed or deleted (send back instead).
    """
    tech, rev, view, appr = (group_role(schema, r) for r in ROLES)
    member = " OR ".join(f"pg_has_role(current_user, '{r}', 'MEMBER')" for r in (tech, rev, view, appr))
    return f"""
CREATE OR REPLACE FUNCTION wpzf_review_role() RETURNS trigger
LANGUAGE plpgsql SET search_path = {q(schema)}, public, pg_temp AS $$
DECLARE need text; start bigint;
BEGIN
  IF NOT ({member}) OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION USING ERRCODE = '{REVIEW_ROLE_SQLSTATE}',
      MESSAGE = 'WPZF: 审核记录签署后不能修改或删除，请退回后重新审查 (a signature is never changed or deleted; send the patch back instead)';
  END IF;
  need := CASE NEW."BZ" WHEN '审核' THEN '{rev}' WHEN '审定' THEN '{appr}' ELSE NULL END;
  IF NEW."BZ" = '经办' AND NOT (pg_has_role(current_user, '{tech}', 'MEMBER')
                                OR pg_has_role(current_user, '{rev}', 'MEMBER')) THEN
    need := '{tech}';
  END IF;
  IF need IS NOT NULL AND NOT pg_has_role(current_user, need, 'MEMBER') THEN
    RAISE EXCEPTION USING ERRCODE = '{REVIEW_ROLE_SQLSTATE}',
      MESSAGE = format('WPZF: %s 不能签署%s，需要角色 %s (%s may not sign %s: it needs role %s)',
                       current_user, NEW."BZ", need, current_user, NEW."BZ", need);
  END IF;
  IF NEW."BZ" IN ('审核', '审定') THEN
    IF NEW."SHR" IS DISTINCT FROM current_user::text THEN
      RAISE EXCEPTION USING ERRCODE = '{REVIEW_ROLE_SQLSTATE}',
        MESSAGE = format('WPZF: 审核人必须是登录用户 %s，不能代 %s 签署 (the login %s signs, not %s)',
                         current_user, NEW."SHR", current_user, NEW."SHR");
    END IF;
    SELECT max(id) INTO start FROM {REVIEW_TABLE} WHERE patch_fid = NEW.patch_fid AND ("BZ" = '经办' OR "JG" = '退回');
    IF EXISTS (SELECT 1 FROM {REVIEW_TABLE} WHERE patch_fid = NEW.patch_fid AND id >= COALESCE(start, 0)
               AND "JG" = '通过' AND "BZ" <> NEW."BZ" AND "SHR" = NEW."SHR") THEN
      RAISE EXCEPTION USING ERRCODE = '{REVIEW_ROLE_SQLSTATE}',
        MESSAGE = format('WPZF: %s 已签署本审查链的其他步骤，同一人不能签署两个步骤 (%s already signed another step of this chain)',
                         NEW."SHR", NEW."SHR");
    END IF;
  END IF;
  RETURN NEW;
END $$;
"""


def _policies(table: str, tech: str, rev: str, view: str, own: str, appr: str = "") -> list[str]:
    t = q(table)
    readers = ", ".join(r for r in (tech, rev, view, appr) if r)
    return [
        f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS wpzf_read ON {t}",
        f"DROP POLICY IF EXISTS wpzf_technician_insert ON {t}",
        f"DROP POLICY IF EXISTS wpzf_technician_update ON {t}",
        f"DROP POLICY IF EXISTS wpzf_reviewer_all ON {t}",
        f"CREATE POLICY wpzf_read ON {t} FOR SELECT TO {readers} USING (true)",
        f"CREATE POLICY wpzf_technician_insert ON {t} FOR INSERT TO {tech} WITH CHECK ({own})",
        f"CREATE POLICY wpzf_technician_update ON {t} FOR UPDATE TO {tech} USING (true) WITH CHECK ({own})",
        f"CREATE POLICY wpzf_reviewer_all ON {t} FOR ALL TO {rev} USING (true) WITH CHECK (true)",
        f"DROP TRIGGER IF EXISTS wpzf_town_{table} ON {t}",
        f"CREATE TRIGGER wpzf_town_{table} BEFORE UPDATE OR DELETE ON {t} "
        "FOR EACH ROW EXECUTE FUNCTION wpzf_refuse_other_town()",
    ]


def create_user(conn, schema: str, username: str, password: str, role: str) -> None:
    """A login role that belongs to the group ``role`` of ``schema`` (caller commits).

    The password goes to the server as a bound parameter and is never logged by us.
    """
    from psycopg2 import sql

    group = group_role(schema, role)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (username,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(username)), (password,))
        cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(username)))


def assign_towns(conn, schema: str, username: str, towns: Iterable[str]) -> int:
    """Give ``username`` the towns he may edit (prefixes of a patch's town code); returns how many were new."""
    towns = [str(t).strip() for t in towns if str(t).strip()]
    bad = [t for t in towns if not t.isdigit()]
    if bad:
        raise RoleError(QT_TRANSLATE_NOOP("domain", "Town code {code!r} of user {user} is not an XZQDM (digits only)."),
                        code=bad[0], user=username)
    added = 0
    with conn.cursor() as cur:
        for town in towns:
            cur.execute(f'INSERT INTO {q(schema)}.{USER_TOWN_TABLE} (username, "XZQDM") VALUES (%s, %s) '
                        "ON CONFLICT DO NOTHING", (username, town))
            added += cur.rowcount
    return added


def towns_of(conn, schema: str, username: str) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(f'SELECT "XZQDM" FROM {q(schema)}.{USER_TOWN_TABLE} WHERE username = %s ORDER BY 1', (username,))
        return [r[0] for r in cur.fetchall()]
