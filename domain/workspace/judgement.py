"""Pre-judgement suggestions and quality-check results in the workspace.

Suggestions live in ``wpzf_prejudgement`` beside the technician's decision
(PDLX/JTQX are never written here); check results replace the previous run's
rows of the same batch. Both skip nothing silently: locked batches are
reported to the caller, which decides what to tell the user.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..messages import QT_TRANSLATE_NOOP
from .columns import PATCH_COLUMNS
from .interface import WorkspaceStore
from .schema import PATCH_TABLE
from .store import WorkspaceError, now_iso

if TYPE_CHECKING:  # the rules import the workspace's columns: no import at run time
    from ..rules import Suggestion, Violation

DEFAULT_RULESET = "2022-chongqing"
_CHUNK = 500
"""Patch ids per ``IN (…)`` list (SQLite allows 999 parameters before 3.32)."""


@dataclass(frozen=True)
class StoredPatch:
    """A patch as the judgement steps need it: identity, batch and every column value."""

    fid: int
    jcbh: str
    batch: str
    received: str
    locked: bool
    values: dict


def workspace_ruleset(ws: WorkspaceStore) -> str:
    """The rule set chosen for this workspace (default: the shipped 2022 Chongqing set)."""
    row = ws.conn.execute("SELECT value FROM wpzf_meta WHERE key = 'ruleset'").fetchone()
    return row[0] if row and row[0] else DEFAULT_RULESET


def set_workspace_ruleset(ws: WorkspaceStore, name: str) -> None:
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_meta (key, value) VALUES ('ruleset', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (name,))


def _batch_filter(batch: str | None) -> tuple[str, tuple]:
    return ('WHERE b."PCMC" = ?', (batch,)) if batch else ("", ())


def load_patches(ws: WorkspaceStore, batch: str | None = None) -> list[StoredPatch]:
    """Patches of ``batch`` (all batches when None), in fid order."""
    if batch and ws.batch(batch) is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch)
    names = [c.name for c in PATCH_COLUMNS]
    where, params = _batch_filter(batch)
    sql = (f"""SELECT p.fid, b."PCMC", b."JSRQ", b."SDZT", {', '.join(f'p."{n}"' for n in names)} """
           f"FROM {PATCH_TABLE} p JOIN wpzf_batch b ON b.id = p.batch_id {where} ORDER BY p.fid")
    return [StoredPatch(r[0], r[4 + names.index("JCBH")], r[1], r[2], bool(r[3]), dict(zip(names, r[4:])))
            for r in ws.conn.execute(sql, params)]


def related_counts(ws: WorkspaceStore) -> dict[str, dict[int, int]]:
    """Rows per patch in the evidence, referral and rectification tables."""
    counts = {}
    for key, table in (("n_evidence", "wpzf_evidence"), ("n_referrals", "wpzf_referral"),
                       ("n_rectification", "wpzf_rectification")):
        counts[key] = dict(ws.conn.execute(f"SELECT patch_fid, count(*) FROM {table} GROUP BY patch_fid"))
    return counts


def store_suggestions(ws: WorkspaceStore, ruleset: str, suggestions: Iterable[tuple[int, Suggestion]]) -> int:
    """Replace this rule set's earlier suggestions for the same patches; return rows written."""
    rows = [(fid, s.to_row(ruleset)) for fid, s in suggestions]
    created = now_iso()
    fids = [fid for fid, _ in rows]
    with ws.transaction() as conn:
        # one DELETE per chunk, not per patch: patch_fid has no index, and 20,000 single-row deletes
        # scanned the table 20,000 times (20 s on a district's batch)
        for start in range(0, len(fids), _CHUNK):
            chunk = fids[start:start + _CHUNK]
            conn.execute(f"DELETE FROM wpzf_prejudgement WHERE ruleset = ? AND patch_fid IN "
                         f"({', '.join('?' * len(chunk))})", (ruleset, *chunk))
        conn.executemany(
            'INSERT INTO wpzf_prejudgement (patch_fid, ruleset, rule_id, "PDLX", "JTQX", evidence, created_at, '
            '"SFSK", "KQXX") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(fid, r["ruleset"], r["rule_id"], r["PDLX"], r["JTQX"], r["evidence"], created, r["SFSK"], r["KQXX"])
             for fid, r in rows])
    return len(rows)


def store_check_results(ws: WorkspaceStore, batch: str | None, results: Iterable[tuple[StoredPatch, Violation]]) -> int:
    """Replace the earlier check results of the checked batches with these violations."""
    results = list(results)
    checked_at = now_iso()
    batch_ids = dict(ws.conn.execute('SELECT "PCMC", id FROM wpzf_batch'))
    scope = [batch_ids[batch]] if batch else list(batch_ids.values())
    with ws.transaction() as conn:
        conn.executemany("DELETE FROM wpzf_check_result WHERE batch_id = ?", [(b,) for b in scope])
        conn.executemany(
            'INSERT INTO wpzf_check_result (batch_id, patch_fid, "JCBH", rule_id, severity, message, checked_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(batch_ids[p.batch], p.fid, v.jcbh, v.rule_id, v.severity, v.message, checked_at) for p, v in results])
    return len(results)




def run_quality_check(ws: WorkspaceStore, ruleset, batch: str | None, on: dt.date,
                      submission: bool = False) -> list[tuple[StoredPatch, Violation]]:
    """Every (patch, violation) of the rule set's checks, batch by batch (parents and 地块 share a batch).

    ``submission``: the check guards a 一上/二上 submission (undecided patches are errors there).
    """
    from ..rules import PatchRecord, quality_check

    counts = related_counts(ws)
    found: list[tuple[StoredPatch, Violation]] = []
    patches = load_patches(ws, batch)
    for name in sorted({p.batch for p in patches}):
        members = [p for p in patches if p.batch == name]
        by_jcbh = {p.jcbh: p for p in members}
        records = [PatchRecord(p.jcbh, p.values, counts["n_evidence"].get(p.fid, 0),
                               counts["n_referrals"].get(p.fid, 0), counts["n_rectification"].get(p.fid, 0),
                               parent=p.values.get("FJCBH"), received=p.received) for p in members]
        found += [(by_jcbh[v.jcbh], v) for v in quality_check(ruleset, records, on, submission)]
    return found
