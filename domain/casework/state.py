"""One patch's casework state as a form reads it: values, version, lock, stored suggestion, records.

Reads the same on a GeoPackage :class:`Workspace` and a shared
:class:`~..workspace.postgis.store.PgWorkspace`; :mod:`.save` writes.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, Message
from ..rules import PatchRecord, RuleSet, load_named_ruleset
from ..rules.evidence import ANY_KIND
from ..rules.text import fill
from ..workspace.columns import PATCH_COLUMNS
from ..workspace.interface import WorkspaceStore
from ..workspace.judgement import workspace_ruleset
from ..workspace.postgis.store import PgWorkspace
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import WorkspaceError
from ..workspace.tables import PER_PATCH_TABLES

DOCUMENT_SEPARATOR = "；"


@dataclass(frozen=True)
class LockInfo:
    """Why a patch is read-only: its batch's lock, stage, who locked it when, and the last unlock reason."""

    batch: str
    stage: str
    locked: bool
    locked_at: str = ""
    locked_by: str = ""
    unlock_reason: str = ""

    def message(self) -> Message:
        return Message(QT_TRANSLATE_NOOP("domain", "Batch {batch} is locked at stage {stage} (locked {at} by {who}); its records cannot be changed. Last unlock reason: {reason}."),
                       batch=self.batch, stage=self.stage, at=self.locked_at or "—", who=self.locked_by or "—",
                       reason=self.unlock_reason or "—")


@dataclass(frozen=True)
class DocumentShare:
    """A document number from the overlay (批准文号…) and how much of the patch its layer covers (0–1)."""

    number: str
    kind: str
    layer: str
    share: Optional[float]


@dataclass(frozen=True)
class StoredSuggestion:
    """The latest pre-judgement suggestion stored for a patch (``wpzf_prejudgement``)."""

    PDLX: str
    JTQX: str
    rule_id: str
    ruleset: str
    created_at: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def documents(self) -> list[DocumentShare]:
        """Document numbers the rule cited, each with its overlay kind's coverage share."""
        values = self.evidence.get("values") or {}
        layers = self.evidence.get("layers") or {}
        found: dict[str, DocumentShare] = {}
        for name, value in values.items():
            parts = name.split(".")
            if len(parts) != 3 or parts[0] != "cover" or parts[2] != "keys" or not isinstance(value, list):
                continue
            kind = parts[1]
            share = values.get(f"cover.{kind}.share")
            for number in value:
                if number and number not in found:
                    found[number] = DocumentShare(str(number), kind, layers.get(kind, "" if kind == ANY_KIND else kind),
                                                  float(share) if isinstance(share, (int, float)) else None)
        for number in self.evidence.get("documents") or []:
            found.setdefault(number, DocumentShare(str(number), "", "", None))
        return list(found.values())

    def reason(self, ruleset: Optional[RuleSet]) -> str:
        """The rule's explanation with the evidence values filled in (the rule set's Chinese text)."""
        values = self.evidence.get("values") or {}
        rules = ruleset.mining_rules + ruleset.prejudge_rules if ruleset else ()
        rule = next((r for r in rules if r.id == self.rule_id), None)
        if rule is not None:
            text = fill(rule.reason, values) if rule.reason else rule.description
            return f"{self.rule_id}: {text}"
        listed = "；".join(f"{k} = {v}" for k, v in values.items())
        return f"{self.rule_id}: {listed}"


@dataclass(frozen=True)
class PatchState:
    """A patch as the forms show it: every column, its batch lock, counts of its records, its suggestion."""

    fid: int
    jcbh: str
    batch: str
    received: str
    lock: LockInfo
    values: Mapping[str, Any]
    counts: Mapping[str, int]
    suggestion: Optional[StoredSuggestion] = None
    version: Any = None
    """The patch's version when read: PostGIS ``row_version``; GeoPackage the XGSJ stamp (None if never stamped)."""

    @property
    def read_only(self) -> bool:
        return self.lock.locked

    def record(self, changes: Mapping[str, Any] | None = None) -> PatchRecord:
        """The patch as quality checks read it, with ``changes`` (a form's unsaved values) merged in."""
        values = {**self.values, **(changes or {})}
        return PatchRecord(self.jcbh, values, self.counts.get("n_evidence", 0), self.counts.get("n_referrals", 0),
                           self.counts.get("n_rectification", 0), parent=values.get("FJCBH"), received=self.received)


# ---- reading ------------------------------------------------------------------------
def is_shared(ws: WorkspaceStore) -> bool:
    """A shared PostGIS workspace (row versions, PostgreSQL errors) rather than a GeoPackage."""
    return isinstance(ws, PgWorkspace)


def ruleset_for(ws: WorkspaceStore) -> RuleSet:
    """The rule set the workspace was set up with (a shipped name or a .toml path)."""
    return load_named_ruleset(workspace_ruleset(ws))


def lock_info(ws: WorkspaceStore, batch_id: int) -> LockInfo:
    row = ws.conn.execute('SELECT "PCMC", "JD", "SDZT", "JSYY" FROM wpzf_batch WHERE id = ?', (batch_id,)).fetchone()
    if row is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch_id)
    at = who = ""
    if row[2]:
        last = ws.conn.execute("SELECT at, who FROM wpzf_stage_history WHERE batch_id = ? AND locked = 1 "
                               "ORDER BY id DESC LIMIT 1", (batch_id,)).fetchone()
        if last:
            at, who = last
    return LockInfo(row[0], row[1], bool(row[2]), at or "", who or "", row[3] or "")


def load_suggestion(ws: WorkspaceStore, fid: int, ruleset: Optional[str] = None) -> Optional[StoredSuggestion]:
    """The newest suggestion for the patch, preferring rule set ``ruleset``."""
    rows = ws.conn.execute(
        'SELECT "PDLX", "JTQX", rule_id, ruleset, created_at, evidence FROM wpzf_prejudgement '
        "WHERE patch_fid = ? ORDER BY (ruleset = ?) DESC, created_at DESC, id DESC LIMIT 1",
        (fid, ruleset or "")).fetchall()
    if not rows:
        return None
    pdlx, jtqx, rule_id, name, created, evidence = rows[0]
    try:
        parsed = json.loads(evidence) if evidence else {}
    except ValueError:
        parsed = {}
    return StoredSuggestion(pdlx or "", jtqx or "", rule_id, name, created, parsed if isinstance(parsed, dict) else {})


def patch_state(ws: WorkspaceStore, fid: int) -> PatchState:
    """Current values, lock state (with its reason) and suggestion of patch ``fid``."""
    names = [c.name for c in PATCH_COLUMNS]
    shared = is_shared(ws)
    row = ws.conn.execute(
        f"""SELECT p.batch_id, b."JSRQ", {', '.join(f'p."{n}"' for n in names)}{', p.row_version' if shared else ''} """
        f"FROM {PATCH_TABLE} p JOIN wpzf_batch b ON b.id = p.batch_id WHERE p.fid = ?", (fid,)).fetchone()
    if row is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no patch with fid {fid}."), fid=fid)
    values = dict(zip(names, row[2:2 + len(names)]))
    counts = {key: ws.conn.execute(f"SELECT count(*) FROM {table} WHERE patch_fid = ?", (fid,)).fetchone()[0]
              for key, table in (("n_evidence", "wpzf_evidence"), ("n_referrals", "wpzf_referral"),
                                 ("n_rectification", "wpzf_rectification"))}
    lock = lock_info(ws, row[0])
    return PatchState(fid, values["JCBH"], lock.batch, row[1], lock, values, counts,
                      load_suggestion(ws, fid, workspace_ruleset(ws)), row[-1] if shared else values.get("XGSJ"))


def child_rows(ws: WorkspaceStore, table: str, fid: int) -> list[dict[str, Any]]:
    """Rows of a per-patch table (field visits, referrals, rectification and case records), oldest first.

    Rectification and case records are dated progress statements: they come
    in the order of their date JLRQ (then as stored), as :mod:`.progress` reads them.
    """
    if table not in PER_PATCH_TABLES:
        raise ValueError(table)
    order = '"JLRQ", id' if table in ("wpzf_rectification", "wpzf_case_progress") else "id"
    cur = ws.conn.execute(f"SELECT * FROM {table} WHERE patch_fid = ? ORDER BY {order}", (fid,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


