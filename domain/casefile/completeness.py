"""Which items a patch's 卷宗 lacks: one list the dossier's 卷内目录 prints and 市级验收 self-check reports.

The work plan: 合法 patches "充分收集相关审批、备案和现场照片等佐证资料，组卷归档"; 违法 patches
"依法立案查处 … 建立案件卷宗"; 市级验收 "确保核查文件资料、图片影像等真实准确，档案卷宗资料规范齐全";
and "建立图斑核查、图斑数据层层审查、纠错机制" (经办 → 审核 → 审定, domain.md §9).
Each rule below is one of those sentences made checkable; the messages are
Chinese because they are printed on the dossier and handed to the city.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from ..casework.progress import RectificationRecord, latest_rectification
from .content import (
    PASS,
    RECTIFICATION_WORDS,
    REVIEWED,
    SEND_BACK,
    DossierContent,
    ReviewSign,
    stamp,
)

LEGAL, ILLEGAL = "合法", "违法"

# item codes, in the order a patch's rows are listed
NO_DECISION = "NO_DECISION"
LEGAL_NO_APPROVAL = "LEGAL_NO_APPROVAL"
LEGAL_NO_APPROVAL_FILE = "LEGAL_NO_APPROVAL_FILE"
NO_PHOTO = "NO_PHOTO"
ILLEGAL_NO_CASE_OR_REFERRAL = "ILLEGAL_NO_CASE_OR_REFERRAL"
CASE_NO_STAGES = "CASE_NO_STAGES"
RECTIFIED_NO_EVIDENCE = "RECTIFIED_NO_EVIDENCE"
REVIEW_INCOMPLETE = "REVIEW_INCOMPLETE"
DOSSIER_MISSING = "DOSSIER_MISSING"
DOSSIER_STALE = "DOSSIER_STALE"

TITLES = {
    NO_DECISION: "未作合法性判定",
    LEGAL_NO_APPROVAL: "合法图斑无批准文号及审批、备案文件",
    LEGAL_NO_APPROVAL_FILE: "合法图斑有批准文号但未收集审批、备案文件",
    NO_PHOTO: "无现场照片",
    ILLEGAL_NO_CASE_OR_REFERRAL: "违法图斑既未立案也未移交",
    CASE_NO_STAGES: "已立案但无案件阶段记录",
    RECTIFIED_NO_EVIDENCE: "已整改但无复耕/补办佐证",
    REVIEW_INCOMPLETE: "审查链不完整（无现判定类型的审核通过记录）",
    DOSSIER_MISSING: "未导出卷宗",
    DOSSIER_STALE: "卷宗导出后图斑或其记录又有修改",
}
"""Item code → what the dossier and the self-check print."""

CONTENT_ITEMS = (NO_DECISION, LEGAL_NO_APPROVAL, LEGAL_NO_APPROVAL_FILE, NO_PHOTO, ILLEGAL_NO_CASE_OR_REFERRAL,
                 CASE_NO_STAGES, RECTIFIED_NO_EVIDENCE, REVIEW_INCOMPLETE)
"""Items about the patch's records (the dossier's own export state aside)."""


@dataclass(frozen=True)
class Missing:
    """One missing item of one patch: its code, title and the detail that makes it checkable."""

    code: str
    detail: str = ""

    @property
    def title(self) -> str:
        return TITLES[self.code]

    @property
    def text(self) -> str:
        return f"{self.title}（{self.detail}）" if self.detail else self.title


def review_complete(reviews: Sequence[ReviewSign], decision: str) -> bool:
    """A 审核 step passed (通过) the current decision, with no 退回 of that decision after it.

    Rows signed for another 判定类型 do not count: a changed decision needs a new
    chain (wpzf_review.PDLX). ``reviews`` are in signing order (SHSJ, id).
    """
    passed = False
    for sign in reviews:
        if sign.decision != decision:
            continue
        if sign.result == SEND_BACK:
            passed = False
        elif sign.step == REVIEWED and sign.result == PASS:
            passed = True
    return passed


def latest_record(content: DossierContent) -> Optional[RectificationRecord]:
    return latest_rectification(content.rectifications)


def rectified(content: DossierContent) -> bool:
    """整改到位: the latest record (else the patch's summary) leaves nothing unrectified and rectified something.

    domain.md §2: a patch counts as rectified when 剩余未整改面积 = 0.
    """
    record = latest_record(content)
    if record is not None:
        remaining, done = record.SYWZGMJ, record.rectified
    else:
        remaining = content.fact.num("SYWZGMJ")
        done = (content.fact.num("CCMJ") or 0.0) + (content.fact.num("BBMJ") or 0.0)
    return remaining is not None and abs(remaining) < 0.005 and done > 0


def rectification_evidence(content: DossierContent) -> bool:
    """复耕 or 补办 evidence: a file naming 复耕/补办/整改/拆除, or one carrying the 补办批准文号."""
    record = latest_record(content)
    numbers = {record.BBPZWH if record else "", content.fact.txt("BBPZWH")} - {""}
    return any(e.mentions(RECTIFICATION_WORDS) or (e.number and e.number in numbers) for e in content.evidence)


def _legal_items(content: DossierContent) -> list[Missing]:
    numbers = [a for a in content.approvals if a.number and a.number != "—"]
    if not content.documents and not numbers:
        return [Missing(LEGAL_NO_APPROVAL)]
    if not content.documents:
        return [Missing(LEGAL_NO_APPROVAL_FILE, "；".join(dict.fromkeys(a.number for a in numbers)))]
    return []


def _illegal_items(content: DossierContent) -> list[Missing]:
    found = []
    if not content.filed and not content.referrals:
        found.append(Missing(ILLEGAL_NO_CASE_OR_REFERRAL))
    return found


def _case_items(content: DossierContent) -> list[Missing]:
    if content.filed and not any(c.stage for c in content.cases):
        return [Missing(CASE_NO_STAGES, f"案件编号 {content.fact.txt('AJBH') or '—'}")]
    return []


def content_missing(content: DossierContent) -> list[Missing]:
    """What the patch's records lack for its dossier (the export state aside), in :data:`CONTENT_ITEMS` order."""
    decision = content.decision
    found: list[Missing] = []
    if not decision:
        found.append(Missing(NO_DECISION))
    if decision == LEGAL:
        found += _legal_items(content)
    if not content.photos:
        found.append(Missing(NO_PHOTO))
    if decision == ILLEGAL:
        found += _illegal_items(content)
    found += _case_items(content)
    if rectified(content) and not rectification_evidence(content):
        found.append(Missing(RECTIFIED_NO_EVIDENCE))
    if decision and not review_complete(content.reviews, decision):
        found.append(Missing(REVIEW_INCOMPLETE, f"判定类型 {decision}"))
    return found


def dossier_missing(content: DossierContent) -> list[Missing]:
    """The dossier itself: never exported, or exported before the patch's last change (XGSJ vs DCSJ)."""
    if not content.exported_at:
        return [Missing(DOSSIER_MISSING)]
    exported, changed = stamp(content.exported_at), stamp(content.last_change)
    if exported is not None and changed is not None and changed > exported:
        return [Missing(DOSSIER_STALE, f"导出 {content.exported_at}，修改 {content.last_change}")]
    return []


def all_missing(content: DossierContent) -> list[Missing]:
    """Every missing item of the patch (records, then the dossier)."""
    return content_missing(content) + dossier_missing(content)
