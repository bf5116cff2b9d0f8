"""层层审查: each patch's decision passes 经办 → 审核 → 审定, and any step may send it back. No Qt.

Why: the work plan (五(三)) asks the office to "建立图斑核查、图斑数据层层审查、纠错
机制" and says "分管负责人要参与重大违法图斑的现场核查和合法性判定". So every
decided patch carries a chain of signatures in ``wpzf_review`` (a per-patch
table, appendable after a batch lock on both backends, audited):

- 经办: the technician who saved the decision. Recorded when a decision is
  saved (:func:`record_handling`, called by the decision save) or, for a
  decision that came another way (older workspaces, bulk imports), derived
  from the patch's PDR/PDSJ (else XGR/XGSJ) and stored when the chain is
  first signed.
- 审核 (reviewer) and then 审定 (the 分管负责人), each with person, time and
  opinion (SHR, SHSJ, SHYJ). 审定 needs 审核 first.
- 退回 (JG) at 审核 or 审定, with a reason, reopens the patch: nothing can be
  signed until the technician saves the decision again, which starts a new
  chain. A chain signs a given 判定类型 (PDLX): when the decision's PDLX
  changes, the signatures of the old one no longer count.
- The same person may not sign two steps of one chain. Who may sign: on a
  GeoPackage by name (optionally restricted to the names listed in
  ``wpzf_meta`` under ``review.审核`` / ``review.审定``), the name recorded in
  the row and the audit; on PostGIS by role — the database refuses a 审核
  from a login that is not a reviewer and a 审定 from one that is not an
  approver (:mod:`..workspace.postgis.roles`), and the login is the signer.

Whether a submission (一上/二上) needs the chain, and which patches are
重大违法图斑, is the rule set's ``[review]`` (:mod:`..rules.review_rules`):
:func:`submission_violations` gives the refusals the submission check adds.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, Message, WpzfError
from ..rules import ERROR, RuleSet, Violation
from ..rules.review_rules import APPROVED, HANDLED, REVIEWED, SIGNED_STEPS, STEPS
from ..rules.ruleset import ILLEGAL, name_key
from ..workspace.interface import SqlConnection, WorkspaceStore, insert_row
from ..workspace.store import WorkspaceError, now_iso

__all__ = ["APPROVED", "HANDLED", "REVIEWED", "STEPS", "SIGNED_STEPS"]

REVIEW_TABLE = "wpzf_review"
PASSED, SENT_BACK = "通过", "退回"
UNDECIDED, RETURNED, AWAITING_REVIEW, AWAITING_APPROVAL, FINISHED = "未判定", "已退回", "待审核", "待审定", "已审定"
SIGNERS_KEY = "review.{step}"
"""``wpzf_meta`` key listing who may sign a step on a GeoPackage (names separated by , ， ; or 、)."""
REVIEW_RULE_ID = "R01"
"""Rule id of the submission refusals in ``wpzf_check_result``."""


class ReviewRefused(WorkspaceError):
    """A signature that cannot be given now; the message names the patch and why."""


@dataclass(frozen=True)
class ReviewStep:
    """One signature of a chain (``stored`` False: a 经办 derived from the patch, not yet a row)."""

    id: int
    patch_fid: int
    BZ: str
    JG: str
    SHR: str
    SHSJ: str
    SHYJ: str = ""
    PDLX: str = ""
    FGCY: bool = False
    stored: bool = True

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ReviewStep:
        return cls(int(row["id"]), int(row["patch_fid"]), str(row["BZ"] or ""), str(row["JG"] or ""),
                   str(row["SHR"] or ""), str(row["SHSJ"] or ""), str(row.get("SHYJ") or ""),
                   str(row.get("PDLX") or ""), bool(row.get("FGCY")))


@dataclass(frozen=True)
class Chain:
    """The current chain of one patch: its decision (PDLX) and how far it has been signed."""

    patch_fid: int
    jcbh: str
    pdlx: str
    handled: Optional[ReviewStep] = None
    reviewed: Optional[ReviewStep] = None
    approved: Optional[ReviewStep] = None
    sent_back: Optional[ReviewStep] = None
    lead: bool = False
    """The 分管负责人 took part (FGCY recorded on a step of this chain)."""
    history: tuple[ReviewStep, ...] = ()
    """Every stored row of the patch, oldest first (earlier chains and send-backs included)."""

    @property
    def state(self) -> str:
        if not self.pdlx:
            return UNDECIDED
        if self.sent_back is not None:
            return RETURNED
        if self.approved is not None:
            return FINISHED
        return AWAITING_APPROVAL if self.reviewed is not None else AWAITING_REVIEW

    @property
    def steps(self) -> tuple[ReviewStep, ...]:
        """The signed steps of this chain in order (经办 first)."""
        return tuple(s for s in (self.handled, self.reviewed, self.approved) if s is not None)

    def reached(self, step: str) -> bool:
        """Whether ``step`` ('' for none) has been signed in this chain (审定 implies 审核)."""
        return not step or any(s.BZ == step for s in self.steps)


# ---- building the chain -----------------------------------------------------------
def decided_category(ruleset: RuleSet, values: Mapping[str, Any]) -> str:
    """The patch's PDLX as the rule set spells it, '' when undecided or only pre-judged (疑似违法, 待核查)."""
    category = ruleset.category(values.get("PDLX"))
    if category is None or ruleset.canonical(values.get("JTQX")) in category.provisional:
        return ""
    return category.name


def _last(rows: Sequence[ReviewStep], test: Any) -> Optional[int]:
    found = [i for i, r in enumerate(rows) if test(r)]
    return found[-1] if found else None


def derived_handling(fid: int, pdlx: str, values: Mapping[str, Any]) -> ReviewStep:
    """经办 from the decision itself: PDR at PDSJ, else the last editor XGR at XGSJ."""
    who = str(values.get("PDR") or values.get("XGR") or "")
    when = str(values.get("PDSJ") or values.get("XGSJ") or "")
    return ReviewStep(0, fid, HANDLED, PASSED, who, when, "", pdlx, False, stored=False)


def build_chain(ruleset: RuleSet, fid: int, values: Mapping[str, Any], rows: Sequence[ReviewStep]) -> Chain:
    """The current chain from the patch's values and its review rows (oldest first).

    It starts at the last 经办 row that signed the current PDLX (else at a
    derived 经办); a 退回 after the last 经办 leaves the patch reopened.
    """
    jcbh, pdlx, history = str(values.get("JCBH") or ""), decided_category(ruleset, values), tuple(rows)
    if not pdlx:
        return Chain(fid, jcbh, "", history=history)
    start = _last(rows, lambda r: r.BZ == HANDLED)
    back = _last(rows, lambda r: r.JG == SENT_BACK)
    if back is not None and (start is None or back > start):
        return Chain(fid, jcbh, pdlx, sent_back=rows[back], history=history)
    handled = rows[start] if start is not None else None
    if handled is None or ruleset.canonical(handled.PDLX) != pdlx:
        handled = derived_handling(fid, pdlx, values)
    after = [r for r in rows[(start + 1 if start is not None else 0):]
             if r.JG == PASSED and r.BZ in SIGNED_STEPS and ruleset.canonical(r.PDLX) == pdlx]
    reviewed = next((r for r in after if r.BZ == REVIEWED), None)
    approved = next((r for r in after if r.BZ == APPROVED and reviewed is not None and r.id > reviewed.id), None)
    lead = handled.FGCY or any(r.FGCY for r in (reviewed, approved) if r is not None)
    return Chain(fid, jcbh, pdlx, handled, reviewed, approved, None, lead, history)


# ---- reading ---------------------------------------------------------------------------
def review_rows(conn: SqlConnection, fids: Optional[Iterable[int]] = None) -> dict[int, list[ReviewStep]]:
    """Every review row by patch fid, oldest first (``fids`` narrows the result, filtered here)."""
    wanted = None if fids is None else {int(f) for f in fids}
    cur = conn.execute(f"SELECT * FROM {REVIEW_TABLE} ORDER BY id")
    names = [d[0] for d in cur.description]
    found: dict[int, list[ReviewStep]] = {}
    for row in cur.fetchall():
        step = ReviewStep.from_row(dict(zip(names, row)))
        if wanted is None or step.patch_fid in wanted:
            found.setdefault(step.patch_fid, []).append(step)
    return found


def _patch_values(conn: SqlConnection, fid: int) -> dict[str, Any]:
    cur = conn.execute('SELECT fid, "JCBH", "PDLX", "JTQX", "PDR", "PDSJ", "XGR", "XGSJ", "SFLA", "WFGDMJ", '
                       '"WFJBNTMJ", "WFMJ" FROM jctb WHERE fid = ?', (fid,))
    row = cur.fetchone()
    if row is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no patch with fid {fid}."), fid=fid)
    return dict(zip([d[0] for d in cur.description], row))


def _patch_rows(conn: SqlConnection, fid: int) -> list[ReviewStep]:
    cur = conn.execute(f"SELECT * FROM {REVIEW_TABLE} WHERE patch_fid = ? ORDER BY id", (fid,))
    names = [d[0] for d in cur.description]
    return [ReviewStep.from_row(dict(zip(names, r))) for r in cur.fetchall()]


def patch_chain(ws: WorkspaceStore, fid: int, ruleset: RuleSet) -> Chain:
    """The current chain of patch ``fid``."""
    return build_chain(ruleset, fid, _patch_values(ws.conn, fid), _patch_rows(ws.conn, fid))


def filed_patches(ws: WorkspaceStore) -> set[int]:
    """Patches whose latest case record says 立案 (a case filed after a lock is only in the records)."""
    from .progress import case_records, latest_case

    found = set()
    for fid, records in case_records(ws).items():
        latest = latest_case(records)
        if latest is not None and latest.filed:
            found.add(fid)
    return found


def major_reasons(ruleset: RuleSet, values: Mapping[str, Any], filed: bool = False) -> tuple[str, ...]:
    """Why a patch is a 重大违法图斑 (the rule set's descriptions); empty when it is not (or not 违法)."""
    category = ruleset.category(values.get("PDLX"))
    if category is None or category.role != ILLEGAL:
        return ()
    return ruleset.review.is_major({**values, "SFLA": 1} if filed else values)


# ---- who may sign ----------------------------------------------------------------------
def listed_signers(conn: SqlConnection, step: str) -> tuple[str, ...]:
    """Names a GeoPackage workspace lists for ``step`` (empty: anyone may sign by name)."""
    row = conn.execute("SELECT value FROM wpzf_meta WHERE key = ?", (SIGNERS_KEY.format(step=step),)).fetchone()
    text = str(row[0]) if row and row[0] else ""
    for sep in "，;；、":
        text = text.replace(sep, ",")
    return tuple(n.strip() for n in text.split(",") if n.strip())


def set_signers(ws: WorkspaceStore, step: str, names: Iterable[str]) -> None:
    """List who may sign ``step`` on this GeoPackage workspace (an empty list lets anyone sign by name)."""
    if step not in SIGNED_STEPS:
        raise ReviewRefused(QT_TRANSLATE_NOOP("domain", "Review step {step!r} is not one of {steps}."),
                            step=step, steps="、".join(SIGNED_STEPS))
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     (SIGNERS_KEY.format(step=step), ",".join(n.strip() for n in names if n.strip())))


def readiness(chain: Chain, step: str, signer: str) -> Optional[Message]:
    """Why ``signer`` cannot sign ``step`` of ``chain`` now (send-back included); None when he can."""
    if not chain.pdlx:
        return Message(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} has no decision yet (判定类型 PDLX): there is nothing to review."),
                       jcbh=chain.jcbh)
    if chain.sent_back is not None:
        back = chain.sent_back
        return Message(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} was sent back (退回) at {step} by {who} on {at}: {reason} It is reviewed again once the technician has corrected and saved the decision."),
                       jcbh=chain.jcbh, step=back.BZ, who=back.SHR, at=back.SHSJ, reason=back.SHYJ or "—")
    done = chain.approved if step == APPROVED else chain.reviewed
    if done is not None:
        return Message(QT_TRANSLATE_NOOP("domain", "Patch {jcbh}: {step} was already signed by {who} on {at}."),
                       jcbh=chain.jcbh, step=step, who=done.SHR, at=done.SHSJ)
    if step == APPROVED and chain.reviewed is None:
        return Message(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} has not been reviewed (审核) yet: 审定 comes after 审核."),
                       jcbh=chain.jcbh)
    same = next((s for s in chain.steps if name_key(s.SHR) == name_key(signer)), None)
    if same is not None:
        return Message(QT_TRANSLATE_NOOP("domain", "Patch {jcbh}: {who} already signed {signed} of this chain; the same person may not sign two steps (层层审查)."),
                       jcbh=chain.jcbh, who=signer, signed=same.BZ)
    return None


def _signer(ws: WorkspaceStore, step: str, signer: str) -> str:
    """The name that signs: the login on a shared workspace, else the name given (a listed one, if listed)."""
    from .state import is_shared

    name = (signer or "").strip() or ws.user
    if is_shared(ws):
        if name != ws.user:
            raise ReviewRefused(QT_TRANSLATE_NOOP("domain", "On a shared workspace the login signs: {login} cannot sign as {name}."),
                                login=ws.user, name=name)
        return name
    allowed = listed_signers(ws.conn, step)
    if allowed and name not in allowed:
        raise ReviewRefused(QT_TRANSLATE_NOOP("domain", "{name} may not sign {step} in this workspace; it lists {names}."),
                            name=name, step=step, names="、".join(allowed))
    return name


# ---- writing ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Signature:
    """What a reviewer signs: the step, the name, the opinion; send back (退回) or pass; 分管负责人 took part."""

    step: str
    signer: str = ""
    opinion: str = ""
    send_back: bool = False
    lead: bool = False


def _insert(conn: SqlConnection, step: ReviewStep, who: str) -> int:
    """One review row; ``who`` (XGR) is the name the audit records as the editor."""
    from .save import local_now

    row_id = insert_row(conn, f'INSERT INTO {REVIEW_TABLE} (patch_fid, "BZ", "JG", "SHR", "SHSJ", "SHYJ", "PDLX", '
                              '"FGCY", "XGR", "XGSJ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                        (step.patch_fid, step.BZ, step.JG, step.SHR, step.SHSJ or local_now(), step.SHYJ or None,
                         step.PDLX, 1 if step.FGCY else 0, who, now_iso()))
    assert row_id is not None  # an INSERT … VALUES adds its row or raises
    return row_id


def check_signature(chain: Chain, signature: Signature, signer: str, lead_needed: tuple[str, ...] = ()) -> None:
    """Raise :class:`ReviewRefused` when ``signer`` cannot give ``signature`` on ``chain`` now.

    ``lead_needed``: why the patch is 重大 when the rule set wants the
    分管负责人's participation recorded; its 审定 then needs ``lead``.
    """
    if signature.step not in SIGNED_STEPS:
        raise ReviewRefused(QT_TRANSLATE_NOOP("domain", "Review step {step!r} is not one of {steps}."),
                            step=signature.step, steps="、".join(SIGNED_STEPS))
    why = readiness(chain, signature.step, signer)
    if why is not None:
        raise ReviewRefused(why.template, **why.values)
    if signature.send_back and not signature.opinion.strip():
        raise ReviewRefused(QT_TRANSLATE_NOOP("domain", "Patch {jcbh}: sending back (退回) needs the reason in the opinion (审核意见 SHYJ)."),
                            jcbh=chain.jcbh)
    if signature.step == APPROVED and lead_needed and not signature.send_back and not signature.lead:
        raise ReviewRefused(QT_TRANSLATE_NOOP("domain", "Patch {jcbh} is a 重大违法图斑 ({major}): its 审定 records that the 分管负责人 took part in the field visit or decision (分管负责人参与 FGCY)."),
                            jcbh=chain.jcbh, major="、".join(lead_needed))


def sign(ws: WorkspaceStore, fid: int, signature: Signature, ruleset: RuleSet) -> Chain:
    """Sign one step of patch ``fid``'s chain (or send it back) in one transaction; returns the new chain.

    A derived 经办 is stored first when nothing of the chain is stored yet,
    so the audit holds the whole chain. On
    PostGIS the database checks the login's role for the step too; its
    refusal becomes a :class:`ReviewRefused` naming the patch.
    """
    signer = _signer(ws, signature.step, signature.signer)
    try:
        with ws.transaction() as conn:
            values = _patch_values(conn, fid)
            chain = build_chain(ruleset, fid, values, _patch_rows(conn, fid))
            major = major_reasons(ruleset, values, fid in filed_patches(ws)) if ruleset.review.major_requires_lead else ()
            check_signature(chain, signature, signer, major)
            if chain.handled is not None and not chain.handled.stored and chain.reviewed is None:
                _insert(conn, chain.handled, signer)
            _insert(conn, ReviewStep(0, fid, signature.step, SENT_BACK if signature.send_back else PASSED,
                                         signer, "", signature.opinion.strip(), chain.pdlx, signature.lead), signer)
    except WpzfError:
        raise
    except Exception as exc:
        if not _database_error(exc):
            raise
        raise ReviewRefused(QT_TRANSLATE_NOOP("domain", "Patch {jcbh}: the workspace refused the signature: {reason}"),
                            jcbh=chain_jcbh(ws, fid), reason=str(exc).strip().splitlines()[0]) from exc
    return patch_chain(ws, fid, ruleset)


def _database_error(exc: BaseException) -> bool:
    """The database's own refusal (the role trigger, a lock), from either backend's driver."""
    return type(exc).__module__.split(".")[0] in ("sqlite3", "psycopg2")


def chain_jcbh(ws: WorkspaceStore, fid: int) -> str:
    row = ws.conn.execute('SELECT "JCBH" FROM jctb WHERE fid = ?', (fid,)).fetchone()
    return str(row[0]) if row else str(fid)


def record_handling(conn: SqlConnection, ws: WorkspaceStore, fid: int, ruleset: RuleSet) -> Optional[int]:
    """经办 after a decision save (inside its transaction): a new chain when there is none for this PDLX.

    A new 经办 row is written when the patch has no stored chain, when its
    chain was sent back (the save answers the 退回), or when the saved PDLX
    differs from the one the chain signs; a save that keeps the PDLX of a
    running chain keeps its signatures. Returns the new row's id, or None.
    """
    chain = build_chain(ruleset, fid, _patch_values(conn, fid), _patch_rows(conn, fid))
    if not chain.pdlx or (chain.handled is not None and chain.handled.stored):
        return None
    return _insert(conn, ReviewStep(0, fid, HANDLED, PASSED, ws.user, "", "", chain.pdlx), ws.user)


# ---- the submission check ------------------------------------------------------------------
def submission_problem(ruleset: RuleSet, chain: Chain, major: tuple[str, ...]) -> Optional[Message]:
    """Why the rule set's ``[review]`` refuses this decided patch in a submission; None when it passes."""
    rules = ruleset.review
    needed = rules.required_step(bool(major))
    if chain.state == RETURNED:
        back = chain.sent_back
        assert back is not None
        return Message(QT_TRANSLATE_NOOP("domain", "review chain: sent back (退回) at {step} by {who}: {reason}; correct and save the decision, then review it again"),
                       step=back.BZ, who=back.SHR, reason=back.SHYJ or "—")
    if needed and not chain.reached(needed):
        why = "、".join(major)
        return Message(QT_TRANSLATE_NOOP("domain", "review chain: {step} is required before submission ({state}){major}"),
                       step=needed, state=chain.state, major=f"; 重大违法图斑: {why}" if major else "")
    if major and rules.major_requires_lead and not chain.lead:
        return Message(QT_TRANSLATE_NOOP("domain", "review chain: 重大违法图斑 ({major}) needs the record that the 分管负责人 took part (分管负责人参与 FGCY)"),
                       major="、".join(major))
    return None


def submission_violations(ws: WorkspaceStore, ruleset: RuleSet, patches: Iterable[Any],
                          render: Callable[[Message], str] = str) -> list[tuple[Any, Violation]]:
    """(patch, violation) for each decided patch whose chain the rule set's ``[review]`` does not accept.

    ``render`` writes the message in the rule set's language, as its own rules' messages are
    (the adapters pass the plugin's catalogue for it; the default is the English template).

    ``patches`` are :class:`~..workspace.judgement.StoredPatch` of the batch
    being submitted. Undecided patches are the quality check's matter.
    """
    rules = ruleset.review
    if not rules.required_for_submission and not rules.major_step and not rules.major_requires_lead:
        return []
    patches = list(patches)
    rows = review_rows(ws.conn, [p.fid for p in patches])
    filed = filed_patches(ws)
    found = []
    for p in patches:
        chain = build_chain(ruleset, p.fid, p.values, rows.get(p.fid, []))
        if not chain.pdlx:
            continue
        problem = submission_problem(ruleset, chain, major_reasons(ruleset, p.values, p.fid in filed))
        if problem is not None:
            found.append((p, Violation(p.jcbh, REVIEW_RULE_ID, ERROR, render(problem), "review")))
    return found
