"""Saving each casework form in one audited transaction (the state it reads: :mod:`.state`; refusals: :mod:`.refusals`).

Works on both kinds of workspace: a GeoPackage :class:`Workspace` and a shared
:class:`~..workspace.postgis.store.PgWorkspace` (whose ``conn`` speaks the same
sqlite-style SQL). Every write stamps XGR (who: the workspace user) and XGSJ
(when), so the audit triggers record the technician rather than "unsigned".

Locked stages (work plan 四(二): locked data "不能修改", yet 查处整改 progress
is still to be "适时更新录入"): progress records — field visits, referrals,
rectification, case (立案查处) — are appended on a locked batch too, each a
new dated, audited row; the patch row (what was reported) is never written
then, so a rectification or case save on a locked patch does not update its
summary or case columns (the record itself is the progress; :mod:`.progress`
reads it "as at" a date). A save that only changes the patch (decision) on a
locked batch is refused
before anything is written, and should the database's own lock trigger fire
anyway (another client locked it meanwhile) its ``sqlite3`` or PostgreSQL
(SQLSTATE WZ423) error becomes the same clear :class:`WorkspaceError`, naming
the patch, the batch, its stage and who locked it. Input is validated again
here, so nothing invalid is stored whatever the client.

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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, WpzfError
from ..rules import RuleSet
from ..rules.evidence import ANY_KIND
from ..workspace.interface import WorkspaceStore, insert_row
from ..workspace.postgis.store import ConflictError, PgWorkspace  # noqa: F401 - raised by the saves
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import WorkspaceError, now_iso
from .progress import latest_case, latest_rectification, patch_case_records, patch_rectification_records
from .records import CaseInfo, DecisionInput, FieldVisit, RectificationInput, Referral
from .refusals import conflict_error, database_refusal, lock_error, same_value
from .state import (  # noqa: F401 - the forms read the state through this module too
    DOCUMENT_SEPARATOR,
    DocumentShare,
    LockInfo,
    PatchState,
    StoredSuggestion,
    child_rows,
    is_shared,
    load_suggestion,
    lock_info,
    patch_state,
    ruleset_for,
)
from .validate import (
    Problem,
    built_date_text,
    has_errors,
    quality_problems,
    rectification_total,
    remaining_area,
    suggested_period,
    validate_case,
    validate_decision,
    validate_field_visit,
    validate_rectification,
    validate_referral,
)


class InvalidInput(WorkspaceError):
    """The form's input breaks the rule set; ``problems`` lists every error (and warning)."""

    def __init__(self, template: str, problems: list[Problem], **values: object) -> None:
        super().__init__(template, **values)
        self.problems = problems


def inline_check(ws: WorkspaceStore, ruleset: RuleSet, state: PatchState, changes: Mapping[str, Any],
                 today: dt.date | None = None) -> list[Problem]:
    """Quality-check problems of this patch as it would be once ``changes`` are saved."""
    return quality_problems(ruleset, state.record(changes), today or dt.date.today())


# ---- writing ------------------------------------------------------------------------
def local_now() -> str:
    """判定时间 in the office's local time (a decision at 07:00 in Chongqing is that day, not UTC's)."""
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _refuse_locked(state: PatchState) -> None:
    if state.lock.locked:
        raise lock_error(state)


@dataclass
class _Write:
    """One save's open transaction: the patch as read inside it, the state the form loaded, the form's values."""

    ws: WorkspaceStore
    conn: Any
    state: PatchState
    loaded: Optional[PatchState]
    mine: Mapping[str, Any]

    @property
    def appending_to_locked(self) -> bool:
        """The patch's batch is locked: only new records may be written, never the patch row."""
        return self.state.lock.locked

    def update_patch(self, values: Mapping[str, Any]) -> None:
        """UPDATE the patch only while it is at the version read in this transaction; else a conflict.

        On PostGIS the row version guards against a save committed between
        the read and this UPDATE (READ COMMITTED waits for it, then matches
        no row); a GeoPackage writer holds the file's write lock throughout.
        A locked patch is refused here already (the database would refuse too).
        """
        _refuse_locked(self.state)
        stamped = {**values, "XGR": self.ws.user, "XGSJ": now_iso()}
        assignments = ", ".join(f'"{name}" = ?' for name in stamped)
        guard = "row_version = ?" if is_shared(self.ws) else '"XGSJ" IS ?'
        cur = self.conn.execute(f"UPDATE {PATCH_TABLE} SET {assignments} WHERE fid = ? AND {guard}",
                                (*stamped.values(), self.state.fid, self.state.version))
        if cur.rowcount != 1:
            raise conflict_error(self.loaded or self.state, patch_state(self.ws, self.state.fid),
                                 {**self.mine, **values})

    def insert_child(self, table: str, values: Mapping[str, Any]) -> int:
        stamped = {"patch_fid": self.state.fid, **values, "XGR": self.ws.user, "XGSJ": now_iso()}
        names = ", ".join(f'"{n}"' for n in stamped)
        marks = ", ".join("?" for _ in stamped)
        row_id = insert_row(self.conn, f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(stamped.values()))
        assert row_id is not None  # an INSERT … VALUES adds its row or raises
        return row_id


@contextmanager
def _writing(ws: WorkspaceStore, fid: int, loaded: Optional[PatchState] = None,
             mine: Optional[Mapping[str, Any]] = None, append: bool = False) -> Iterator[_Write]:
    """One transaction on an unlocked patch that is still at the version ``loaded`` (when given).

    ``append``: the save appends a progress record, which a locked batch
    accepts too; on a locked patch no version is compared (the patch row
    cannot change, and is not written). The database's refusals inside — the
    stage lock, the row-version trigger, another town's patch — become clear
    errors after the whole transaction, child rows included, was rolled back.
    """
    mine = dict(mine or {})
    try:
        with ws.transaction() as conn:
            state = patch_state(ws, fid)
            if not (append and state.lock.locked):
                _refuse_locked(state)
                if loaded is not None and not same_value(loaded.version, state.version):
                    raise conflict_error(loaded, state, mine)
            yield _Write(ws, conn, state, loaded, mine)
    except WpzfError:
        raise
    except Exception as exc:
        mapped = database_refusal(ws, fid, exc, loaded, mine)
        if mapped is None:
            raise
        raise mapped from exc


def _check(problems: list[Problem], state: PatchState) -> None:
    if has_errors(problems):
        errors = [p for p in problems if p.blocks_save]
        raise InvalidInput(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} was not saved: {errors}"), problems,
                           jcbh=state.jcbh, errors="；".join(str(p) for p in errors))


def _canonical_decision(ruleset: RuleSet, decision: DecisionInput) -> dict[str, Any]:
    """Values as stored: names spelled as the rule set does, 建设时间 as 'yyyy[-mm[-dd]]' (as precise as typed)."""
    values = decision.columns()
    for column in ("PDLX", "JTQX", "WFLX", "KJLX", "WFSD"):
        if values.get(column):
            values[column] = ruleset.canonical(values[column])
    if values.get("JSSJ"):
        values["JSSJ"] = built_date_text(values["JSSJ"]) or values["JSSJ"]
    return values


def save_decision(ws: WorkspaceStore, fid: int, decision: DecisionInput, ruleset: Optional[RuleSet] = None,
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
        from .review import record_handling  # 层层审查: the save is the chain's 经办

        record_handling(write.conn, ws, fid, ruleset)
        return patch_state(ws, fid)


def accept_suggestion(ws: WorkspaceStore, fid: int, ruleset: Optional[RuleSet] = None) -> PatchState:
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
    """The patch's current decision with the suggestion's category, documents and reason filled in.

    An illegal suggestion keeps the recorded violation fields, and an empty
    违法时段 is filled when 建设时间 and 前时相 decide it (as the form does);
    any other category clears them.
    """
    from dataclasses import replace

    suggestion = state.suggestion
    current = DecisionInput.from_values(state.values)
    if suggestion is None:
        return current
    documents = DOCUMENT_SEPARATOR.join(d.number for d in suggestion.documents() if d.kind != ANY_KIND)
    category = ruleset.category(suggestion.PDLX) if ruleset else None
    illegal = category is not None and category.role == "illegal"
    period = (current.WFSD or suggested_period(ruleset, current, state.values) or "") if illegal and ruleset else ""
    return replace(current, PDLX=suggestion.PDLX, JTQX=suggestion.JTQX,
                   PZWH=current.PZWH or documents, PDYJ=current.PDYJ or suggestion.reason(ruleset),
                   WFLX=current.WFLX if illegal else "", WFMJ=current.WFMJ if illegal else None,
                   WFGDMJ=current.WFGDMJ if illegal else None, WFJBNTMJ=current.WFJBNTMJ if illegal else None,
                   WFSD=period,
                   JSSJ=current.JSSJ if illegal else "", PDR="")


def add_field_visit(ws: WorkspaceStore, fid: int, visit: FieldVisit,
                    then: Optional[Callable[[Any, int], None]] = None) -> int:
    """Append a 外业踏勘 record, on a locked batch too; returns its id. (An append overwrites nothing: no version check.)

    ``then(conn, visit_id)`` runs inside the same transaction after the
    insert (a field package records the visit's photos there), so the visit
    and what belongs to it are stored together or not at all.
    """
    with _writing(ws, fid, append=True) as write:
        _check(validate_field_visit(visit, dt.date.today()), write.state)
        visit_id = write.insert_child("wpzf_field_visit", visit.columns())
        if then is not None:
            then(write.conn, visit_id)
        return visit_id


def add_referral(ws: WorkspaceStore, fid: int, referral: Referral, ruleset: Optional[RuleSet] = None) -> int:
    """Append a 移交 record (department spelled as the rule set does), on a locked batch too; returns its id."""
    ruleset = ruleset or ruleset_for(ws)
    with _writing(ws, fid, append=True) as write:
        _check(validate_referral(ruleset, referral, dt.date.today()), write.state)
        values = referral.columns()
        values["YJBM"] = ruleset.canonical(values["YJBM"])
        return write.insert_child("wpzf_referral", values)


def save_case_record(ws: WorkspaceStore, fid: int, case: CaseInfo,
                     loaded: Optional[PatchState] = None) -> tuple[int, PatchState]:
    """Append a dated 立案查处 record; on an unlocked batch update the patch's case columns too.

    The record (``wpzf_case_progress``) is the whole case as at JLRQ (empty:
    today), validated against the patch's latest earlier case record.
    Unlocked: the patch's case columns (:data:`.records.CASE_COLUMNS`) are
    updated in the same transaction, naming the version ``loaded`` (when
    given); on a conflict neither is written. Locked: only the record is
    appended (audited), the patch row — the locked stage data — stays as it
    was, so a case filed before the lock can still be closed (结案) after it
    (work plan 四(二); domain.md §9). Returns the record's id and the patch
    as this transaction left it.
    """
    if not case.JLRQ:
        case = replace(case, JLRQ=dt.date.today().isoformat())
    values = case.patch_columns()
    if values["SFLA"] is None:
        values["SFLA"] = 0
    with _writing(ws, fid, loaded, values, append=True) as write:
        previous = latest_case(patch_case_records(ws, fid))
        history = child_rows(ws, "wpzf_case_progress", fid)  # 工作规程 stages: 结案 needs the 执行 evidence
        attachments = [r[0] for r in ws.conn.execute("SELECT id FROM wpzf_evidence WHERE patch_fid = ?", (fid,))]
        _check(validate_case(case, dt.date.today(), previous, history, attachments), write.state)
        stage = {k: case.columns()[k] for k in ("AJJD", "WSWH", "evidence_id")}
        row_id = write.insert_child("wpzf_case_progress", {**values, "JLRQ": case.JLRQ,
                                                           "SM": case.columns()["SM"], **stage})
        if not write.appending_to_locked:
            write.update_patch(values)
        return row_id, patch_state(ws, fid)


def save_case(ws: WorkspaceStore, fid: int, case: CaseInfo, loaded: Optional[PatchState] = None) -> PatchState:
    """:func:`save_case_record`, returning only the patch as the save left it (as :func:`save_decision`)."""
    return save_case_record(ws, fid, case, loaded)[1]


SUMMARY_COLUMNS: tuple[str, ...] = ("ZGFS", "CCMJ", "FGMJ", "BBMJ", "BBGDMJ", "BBPZWH", "SYWZGMJ", "ZGWCSJ")
"""Record columns copied onto an unlocked patch as its summary (besides YZGMJ and YZGGDMJ)."""


def rectification_summary(rect: RectificationInput, values: Mapping[str, Any]) -> dict[str, Any]:
    """The patch summary a record gives: its columns, 已整改 = 拆除 + 补办, 已整改耕地 = 复耕 + 补办耕地."""
    summary = {k: values.get(k) for k in SUMMARY_COLUMNS}
    summary["YZGMJ"] = rect.rectified
    summary["YZGGDMJ"] = rect.rectified_farmland
    return summary


def save_rectification(ws: WorkspaceStore, fid: int, rect: RectificationInput,
                       ruleset: Optional[RuleSet] = None,
                       loaded: Optional[PatchState] = None) -> tuple[int, PatchState]:
    """Append a dated 整改 progress record; on an unlocked batch update the patch's summary too.

    The record is validated against the patch and its latest earlier record
    (JLRQ in date order). Unlocked: the summary update (see
    :func:`rectification_summary`) names the version ``loaded`` (when given),
    and on a conflict neither the record nor the summary is written. Locked:
    only the record is appended (audited); the patch row — the locked stage
    data — is left as it was. Returns the new record's id and the patch as
    this transaction left it.
    """
    ruleset = ruleset or ruleset_for(ws)
    values = rect.columns()
    values["ZGFS"] = ruleset.canonical(values["ZGFS"])
    with _writing(ws, fid, loaded, values, append=True) as write:
        state = write.state
        previous = latest_rectification(patch_rectification_records(ws, fid))
        _check(validate_rectification(ruleset, rect, state.values, dt.date.today(), previous), state)
        total = rectification_total(state.values) or 0.0
        values["SYWZGMJ"] = remaining_area(rect, total)
        row_id = write.insert_child("wpzf_rectification", values)
        if not write.appending_to_locked:
            write.update_patch(rectification_summary(rect, values))
        return row_id, patch_state(ws, fid)


def add_rectification(ws: WorkspaceStore, fid: int, rect: RectificationInput,
                      ruleset: Optional[RuleSet] = None) -> int:
    """Append a 整改 progress record (and, unlocked, update the patch's summary); returns the record's id."""
    return save_rectification(ws, fid, rect, ruleset)[0]
