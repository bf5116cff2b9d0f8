"""Reading one patch's casework state and saving each form in one audited transaction.

Works on both kinds of workspace: a GeoPackage :class:`Workspace` and a shared
:class:`~..workspace.postgis.store.PgWorkspace` (whose ``conn`` speaks the same
sqlite-style SQL). Every write stamps XGR (who: the workspace user) and XGSJ
(when), so the audit triggers record the technician rather than "unsigned".
A batch whose stage is locked is refused before anything is written, and
should the database's own lock trigger fire anyway (another client locked it
meanwhile) its ``sqlite3`` or PostgreSQL (SQLSTATE WZ423) error becomes the
same clear :class:`WorkspaceError`, naming the patch, the batch, its stage and
who locked it. Input is validated again here, so nothing invalid is stored
whatever the client.

Lost updates: :class:`PatchState` carries the patch's version when it was
read (PostGIS: ``row_version``, raised by a trigger on every update;
GeoPackage: the XGSJ stamp every client writes). A save given the state the
form loaded (``loaded=``) writes the patch only if it is still at that
version; otherwise nothing at all is written and :class:`ConflictError` names
the patch, who saved it when, and each field's value in the form beside the
stored one. A technician's change of another town's patch (refused by the
PostGIS roles) becomes a clear :class:`WorkspaceError` as well.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, Message, WpzfError
from ..rules import PatchRecord, RuleSet, available_rulesets, load_ruleset
from ..rules.evidence import ANY_KIND
from ..rules.text import fill
from ..workspace.columns import PATCH_COLUMNS
from ..workspace.judgement import workspace_ruleset
from ..workspace.postgis.roles import OTHER_TOWN_SQLSTATE
from ..workspace.postgis.store import ConflictError, PgWorkspace
from ..workspace.postgis.triggers import CONFLICT_SQLSTATE, LOCKED_SQLSTATE
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import Workspace, WorkspaceError, now_iso
from ..workspace.triggers import LOCKED_MESSAGE
from .records import CaseInfo, DecisionInput, FieldVisit, RectificationInput, Referral
from .validate import (
    Problem,
    has_errors,
    label,
    quality_problems,
    rectification_total,
    remaining_area,
    validate_case,
    validate_decision,
    validate_field_visit,
    validate_rectification,
    validate_referral,
)

DOCUMENT_SEPARATOR = "；"
_LOCK_MARK = LOCKED_MESSAGE.split("(")[0].strip()
_NOT_COMPARED = frozenset({"XGR", "XGSJ", "PDR", "PDSJ", "batch_id"})
"""Stamps the conflict message already names (who, when) or that the save fills in itself."""
_FLAGS = frozenset(f.name for cls in (DecisionInput, CaseInfo) for f in fields(cls) if "bool" in str(f.type))
"""Yes/no columns: an unticked box (0) and never answered (NULL) are no difference worth reporting."""


class InvalidInput(WorkspaceError):
    """The form's input breaks the rule set; ``problems`` lists every error (and warning)."""

    def __init__(self, template: str, problems: list[Problem], **values: object) -> None:
        super().__init__(template, **values)
        self.problems = problems


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
        rule = next((r for r in ruleset.prejudge_rules if r.id == self.rule_id), None) if ruleset else None
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
def is_shared(ws: Workspace | PgWorkspace) -> bool:
    """A shared PostGIS workspace (row versions, PostgreSQL errors) rather than a GeoPackage."""
    return isinstance(ws, PgWorkspace)


def ruleset_for(ws: Workspace) -> RuleSet:
    """The rule set the workspace was set up with (a shipped name or a .toml path)."""
    from pathlib import Path

    name = workspace_ruleset(ws)
    if name.lower().endswith(".toml"):
        return load_ruleset(Path(name))
    shipped = available_rulesets()
    if name not in shipped:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Unknown rule set {name!r}; available: {names}."),
                             name=name, names=", ".join(shipped) or "-")
    return load_ruleset(shipped[name])


def lock_info(ws: Workspace, batch_id: int) -> LockInfo:
    row = ws.conn.execute("SELECT PCMC, JD, SDZT, JSYY FROM wpzf_batch WHERE id = ?", (batch_id,)).fetchone()
    if row is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch_id)
    at = who = ""
    if row[2]:
        last = ws.conn.execute("SELECT at, who FROM wpzf_stage_history WHERE batch_id = ? AND locked = 1 "
                               "ORDER BY id DESC LIMIT 1", (batch_id,)).fetchone()
        if last:
            at, who = last
    return LockInfo(row[0], row[1], bool(row[2]), at or "", who or "", row[3] or "")


def load_suggestion(ws: Workspace, fid: int, ruleset: Optional[str] = None) -> Optional[StoredSuggestion]:
    """The newest suggestion for the patch, preferring rule set ``ruleset``."""
    rows = ws.conn.execute(
        "SELECT PDLX, JTQX, rule_id, ruleset, created_at, evidence FROM wpzf_prejudgement "
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


def patch_state(ws: Workspace, fid: int) -> PatchState:
    """Current values, lock state (with its reason) and suggestion of patch ``fid``."""
    names = [c.name for c in PATCH_COLUMNS]
    shared = is_shared(ws)
    row = ws.conn.execute(
        f"SELECT p.batch_id, b.JSRQ, {', '.join('p.' + n for n in names)}{', p.row_version' if shared else ''} "
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


def child_rows(ws: Workspace, table: str, fid: int) -> list[dict[str, Any]]:
    """Rows of a per-patch table (field visits, referrals, rectification records), oldest first."""
    if table not in ("wpzf_field_visit", "wpzf_referral", "wpzf_rectification", "wpzf_evidence"):
        raise ValueError(table)
    cur = ws.conn.execute(f"SELECT * FROM {table} WHERE patch_fid = ? ORDER BY id", (fid,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def inline_check(ws: Workspace, ruleset: RuleSet, state: PatchState, changes: Mapping[str, Any],
                 today: dt.date | None = None) -> list[Problem]:
    """Quality-check problems of this patch as it would be once ``changes`` are saved."""
    return quality_problems(ruleset, state.record(changes), today or dt.date.today())


# ---- writing ------------------------------------------------------------------------
def local_now() -> str:
    """判定时间 in the office's local time (a decision at 07:00 in Chongqing is that day, not UTC's)."""
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _refuse_locked(state: PatchState) -> None:
    if state.lock.locked:
        raise _lock_error(state)


def _lock_error(state: PatchState) -> WorkspaceError:
    lock = state.lock
    return WorkspaceError(
        QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) was not saved: batch {batch} is locked at stage {stage} (locked {at} by {who}; last unlock reason: {reason}). Nothing was changed."),
        jcbh=state.jcbh, fid=state.fid, batch=lock.batch, stage=lock.stage, at=lock.locked_at or "—",
        who=lock.locked_by or "—", reason=lock.unlock_reason or "—")


def _sqlstate(exc: BaseException) -> str:
    """SQLSTATE of a PostgreSQL (psycopg2) error; '' for anything else."""
    return str(getattr(exc, "pgcode", "") or "")


def _is_lock_refusal(exc: BaseException) -> bool:
    return _sqlstate(exc) == LOCKED_SQLSTATE or (isinstance(exc, sqlite3.DatabaseError) and _LOCK_MARK in str(exc))


@dataclass
class _Write:
    """One save's open transaction: the patch as read inside it, the state the form loaded, the form's values."""

    ws: Workspace | PgWorkspace
    conn: Any
    state: PatchState
    loaded: Optional[PatchState]
    mine: Mapping[str, Any]

    def update_patch(self, values: Mapping[str, Any]) -> None:
        """UPDATE the patch only while it is at the version read in this transaction; else a conflict.

        On PostGIS the row version guards against a save committed between
        the read and this UPDATE (READ COMMITTED waits for it, then matches
        no row); a GeoPackage writer holds the file's write lock throughout.
        """
        stamped = {**values, "XGR": self.ws.user, "XGSJ": now_iso()}
        assignments = ", ".join(f'"{name}" = ?' for name in stamped)
        guard = "row_version = ?" if is_shared(self.ws) else "XGSJ IS ?"
        cur = self.conn.execute(f"UPDATE {PATCH_TABLE} SET {assignments} WHERE fid = ? AND {guard}",
                                (*stamped.values(), self.state.fid, self.state.version))
        if cur.rowcount != 1:
            raise conflict_error(self.loaded or self.state, patch_state(self.ws, self.state.fid),
                                 {**self.mine, **values})

    def insert_child(self, table: str, values: Mapping[str, Any]) -> int:
        stamped = {"patch_fid": self.state.fid, **values, "XGR": self.ws.user, "XGSJ": now_iso()}
        names = ", ".join(f'"{n}"' for n in stamped)
        marks = ", ".join("?" for _ in stamped)
        return self.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(stamped.values())).lastrowid


@contextmanager
def _writing(ws: Workspace | PgWorkspace, fid: int, loaded: Optional[PatchState] = None,
             mine: Optional[Mapping[str, Any]] = None) -> Iterator[_Write]:
    """One transaction on an unlocked patch that is still at the version ``loaded`` (when given).

    The database's refusals inside — the stage lock, the row-version trigger,
    another town's patch — become clear errors after the whole transaction,
    child rows included, was rolled back.
    """
    mine = dict(mine or {})
    try:
        with ws.transaction() as conn:
            state = patch_state(ws, fid)
            _refuse_locked(state)
            if loaded is not None and not _same(loaded.version, state.version):
                raise conflict_error(loaded, state, mine)
            yield _Write(ws, conn, state, loaded, mine)
    except WpzfError:
        raise
    except Exception as exc:
        mapped = _database_refusal(ws, fid, exc, loaded, mine)
        if mapped is None:
            raise
        raise mapped from exc


def _database_refusal(ws: Workspace | PgWorkspace, fid: int, exc: BaseException, loaded: Optional[PatchState],
                      mine: Mapping[str, Any]) -> Optional[WorkspaceError]:
    """The clear error for a refusal by the database's own triggers and roles; None for anything else."""
    code = _sqlstate(exc)
    if not (_is_lock_refusal(exc) or code in (CONFLICT_SQLSTATE, OTHER_TOWN_SQLSTATE)):
        return None
    try:
        state = patch_state(ws, fid)
    except Exception:  # noqa: BLE001 - the connection itself failed: the original error says more
        return None
    if _is_lock_refusal(exc):
        if state.lock.locked:
            return _lock_error(state)
        return WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch fid {fid} was not saved: its batch is locked. Nothing was changed."),
                              fid=fid)
    if code == CONFLICT_SQLSTATE:
        return conflict_error(loaded or state, state, mine)
    return _refused_error(ws, state, exc)


def _refused_error(ws: Workspace | PgWorkspace, state: PatchState, exc: BaseException) -> WorkspaceError:
    """A technician's change of another town's patch (or a login without the right) refused by the roles."""
    diag = getattr(exc, "diag", None)
    reason = (getattr(diag, "message_primary", None) or str(exc)).strip()
    try:
        login = ws.conn.execute("SELECT current_user").fetchone()[0]
        towns = [r[0] for r in ws.conn.execute("SELECT XZQDM FROM wpzf_user_town WHERE username = current_user "
                                               "ORDER BY XZQDM")]
    except Exception:  # noqa: BLE001 - the message without the towns is still clear
        login, towns = ws.user, []
    if not towns:
        return WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) was not saved: the database login {login} has no right to change it ({reason}). Nothing was changed."),
                              jcbh=state.jcbh, fid=state.fid, login=login, reason=reason)
    return WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) in town {town} was not saved: technician {login} may change only the patches of the towns assigned to them ({towns}). Nothing was changed."),
                          jcbh=state.jcbh, fid=state.fid, town=state.values.get("XZQDM") or "?", login=login,
                          towns=", ".join(towns))


class MessageList(Message):
    """Several messages shown one after another, each translated on its own."""

    def __init__(self, items: list[Message], separator: str = "; ") -> None:
        super().__init__("")
        self.items = items
        self.separator = separator

    def render(self, translate=lambda template: template) -> str:
        return self.separator.join(m.render(translate) for m in self.items)


def _same(a: Any, b: Any) -> bool:
    """Equal as stored: None and '' alike, numbers by value."""
    a, b = (None if v == "" else v for v in (a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _shown_time(stamp: Any) -> str:
    """An XGSJ stamp (UTC, ISO) in local time, as the user reads a clock."""
    if not stamp:
        return "?"
    try:
        when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M:%S")


def conflict_error(loaded: PatchState, stored: PatchState, mine: Mapping[str, Any]) -> ConflictError:
    """Someone saved the patch after ``loaded`` was read: name them, when, and each differing field.

    A field's "yours" is the value the form was saving (``mine``) or, for a
    field the form does not write, the value it had loaded.
    """
    conflicts = []
    for name, theirs in stored.values.items():
        if name in _NOT_COMPARED:
            continue
        yours = mine[name] if name in mine else loaded.values.get(name)
        if not _same(yours, theirs) and not (name in _FLAGS and not yours and not theirs):
            conflicts.append((name, yours, theirs))
    listed: Message = MessageList([
        Message(QT_TRANSLATE_NOOP("domain", "{label} {field}: yours {mine}, stored {stored}"), label=label(name),
                field=name, mine=_shown(yours), stored=_shown(theirs)) for name, yours, theirs in conflicts]) \
        if conflicts else Message(QT_TRANSLATE_NOOP("domain", "no field differs from the stored values"))
    return ConflictError(
        QT_TRANSLATE_NOOP("domain", "Patch {jcbh} (fid {fid}) was not saved: {who} saved it at {when}, after you opened it; nothing was written. {fields}. Open the patch again to see the stored values, then enter your change anew."),
        conflicts=conflicts, jcbh=stored.jcbh, fid=stored.fid, who=stored.values.get("XGR") or "?",
        when=_shown_time(stored.values.get("XGSJ")), fields=listed)


def _check(problems: list[Problem], state: PatchState) -> None:
    if has_errors(problems):
        errors = [p for p in problems if p.blocks_save]
        raise InvalidInput(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} was not saved: {errors}"), problems,
                           jcbh=state.jcbh, errors="；".join(str(p) for p in errors))


def _canonical_decision(ruleset: RuleSet, decision: DecisionInput) -> dict[str, Any]:
    values = decision.columns()
    for column in ("PDLX", "JTQX", "WFLX", "KJLX"):
        if values.get(column):
            values[column] = ruleset.canonical(values[column])
    return values


def save_decision(ws: Workspace | PgWorkspace, fid: int, decision: DecisionInput, ruleset: Optional[RuleSet] = None,
                  loaded: Optional[PatchState] = None) -> PatchState:
    """Store a 合法性判定; PDR defaults to the workspace user, PDSJ to now when the decision changes.

    With ``loaded`` (the state the form showed) a patch saved meanwhile by
    someone else is refused with :class:`ConflictError`. Returns the patch as
    this transaction left it.
    """
    ruleset = ruleset or ruleset_for(ws)
    values = _canonical_decision(ruleset, decision)
    with _writing(ws, fid, loaded, values) as write:
        state = write.state
        _check(validate_decision(ruleset, decision, state.values), state)
        old = state.values
        changed = (values.get("PDLX"), values.get("JTQX")) != (old.get("PDLX"), old.get("JTQX"))
        values["PDR"] = values.get("PDR") or (None if changed else old.get("PDR")) or ws.user
        values["PDSJ"] = local_now() if changed or not old.get("PDSJ") else old["PDSJ"]
        write.update_patch(values)
        return patch_state(ws, fid)


def accept_suggestion(ws: Workspace, fid: int, ruleset: Optional[RuleSet] = None) -> PatchState:
    """Take the stored suggestion as the decision; a provisional one (疑似违法, 待核查) is refused."""
    ruleset = ruleset or ruleset_for(ws)
    state = patch_state(ws, fid)
    suggestion = state.suggestion
    if suggestion is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} has no pre-judgement suggestion; run the pre-judgement first."),
                             jcbh=state.jcbh)
    category = ruleset.category(suggestion.PDLX)
    if category is None or ruleset.canonical(suggestion.JTQX) in category.provisional:
        raise WorkspaceError(
            QT_TRANSLATE_NOOP("domain", "The suggestion for patch {jcbh} ({category}) is provisional, not a decision: judge the patch after checking it."),
            jcbh=state.jcbh, category="/".join(v for v in (suggestion.PDLX, suggestion.JTQX) if v))
    return save_decision(ws, fid, decision_from_suggestion(state, ruleset), ruleset)


def decision_from_suggestion(state: PatchState, ruleset: Optional[RuleSet]) -> DecisionInput:
    """The patch's current decision with the suggestion's category, documents and reason filled in."""
    from dataclasses import replace

    suggestion = state.suggestion
    current = DecisionInput.from_values(state.values)
    if suggestion is None:
        return current
    documents = DOCUMENT_SEPARATOR.join(d.number for d in suggestion.documents() if d.kind != ANY_KIND)
    category = ruleset.category(suggestion.PDLX) if ruleset else None
    illegal = category is not None and category.role == "illegal"
    return replace(current, PDLX=suggestion.PDLX, JTQX=suggestion.JTQX,
                   PZWH=current.PZWH or documents, PDYJ=current.PDYJ or suggestion.reason(ruleset),
                   WFLX=current.WFLX if illegal else "", WFMJ=current.WFMJ if illegal else None,
                   WFGDMJ=current.WFGDMJ if illegal else None, WFJBNTMJ=current.WFJBNTMJ if illegal else None,
                   PDR="")


def add_field_visit(ws: Workspace | PgWorkspace, fid: int, visit: FieldVisit) -> int:
    """Append a 外业踏勘 record; returns its id. (An append overwrites nothing: no version check.)"""
    with _writing(ws, fid) as write:
        _check(validate_field_visit(visit, dt.date.today()), write.state)
        return write.insert_child("wpzf_field_visit", visit.columns())


def add_referral(ws: Workspace | PgWorkspace, fid: int, referral: Referral, ruleset: Optional[RuleSet] = None) -> int:
    """Append a 移交 record (department spelled as the rule set does); returns its id."""
    ruleset = ruleset or ruleset_for(ws)
    with _writing(ws, fid) as write:
        _check(validate_referral(ruleset, referral, dt.date.today()), write.state)
        values = referral.columns()
        values["YJBM"] = ruleset.canonical(values["YJBM"])
        return write.insert_child("wpzf_referral", values)


def save_case(ws: Workspace | PgWorkspace, fid: int, case: CaseInfo, loaded: Optional[PatchState] = None) -> PatchState:
    """Store 立案 details on the patch (refused on a conflict with ``loaded``, as :func:`save_decision`)."""
    values = case.columns()
    if values["SFLA"] is None:
        values["SFLA"] = 0
    with _writing(ws, fid, loaded, values) as write:
        _check(validate_case(case, dt.date.today()), write.state)
        write.update_patch(values)
        return patch_state(ws, fid)


def save_rectification(ws: Workspace | PgWorkspace, fid: int, rect: RectificationInput,
                       ruleset: Optional[RuleSet] = None,
                       loaded: Optional[PatchState] = None) -> tuple[int, PatchState]:
    """Append a 整改 progress record and update the patch's summary columns in the same transaction.

    The summary update names the version ``loaded`` (when given): on a
    conflict neither the record nor the summary is written. Returns the new
    record's id and the patch as this transaction left it.
    """
    ruleset = ruleset or ruleset_for(ws)
    values = rect.columns()
    values["ZGFS"] = ruleset.canonical(values["ZGFS"])
    with _writing(ws, fid, loaded, values) as write:
        state = write.state
        _check(validate_rectification(ruleset, rect, state.values, dt.date.today()), state)
        total = rectification_total(state.values) or 0.0
        values["SYWZGMJ"] = remaining_area(rect, total)
        row_id = write.insert_child("wpzf_rectification", values)
        summary = {k: values[k] for k in ("ZGFS", "CCMJ", "FGMJ", "BBMJ", "BBPZWH", "SYWZGMJ", "ZGWCSJ")}
        summary["YZGMJ"] = round((rect.CCMJ or 0.0) + (rect.BBMJ or 0.0), 6)
        write.update_patch(summary)
        return row_id, patch_state(ws, fid)


def add_rectification(ws: Workspace | PgWorkspace, fid: int, rect: RectificationInput,
                      ruleset: Optional[RuleSet] = None) -> int:
    """Append a 整改 progress record and update the patch's summary; returns the record's id."""
    return save_rectification(ws, fid, rect, ruleset)[0]


def changed_columns(state: PatchState, values: Mapping[str, Any]) -> dict[str, Any]:
    """The form values that differ from what is stored (None and '' count as equal)."""
    def norm(v: Any) -> Any:
        return None if v == "" else v
    return {k: v for k, v in values.items() if norm(v) != norm(state.values.get(k))}
