"""What each casework form submits, as typed records named after the workspace columns.

Attribute names are the column names (``PDLX`` 判定类型 …, see
:mod:`..workspace.columns`) so a record maps onto its row without a
translation table. Text fields are stripped; empty text means "not filled".
Areas are in 亩, dates are ``yyyy-mm-dd`` text, as stored.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Optional


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> Optional[float]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _flag(value: Any) -> Optional[bool]:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "是", "y")
    return bool(value)


class _Record:
    """Shared helpers: the record as column values, and a record from stored column values."""

    def columns(self) -> dict[str, Any]:
        """Column → value to store (text stripped, '' stored as NULL, flags as 0/1)."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, str):
                value = value.strip() or None
            elif isinstance(value, bool):
                value = int(value)
            out[f.name] = value
        return out

    @classmethod
    def from_values(cls, values: Mapping[str, Any]):
        """The record as stored in ``values`` (a patch row or a child row); unknown keys ignored."""
        kwargs: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            raw = values.get(f.name)
            kind = str(f.type)
            if "bool" in kind:
                kwargs[f.name] = _flag(raw)
            elif "float" in kind:
                kwargs[f.name] = _number(raw)
            else:
                kwargs[f.name] = _text(raw)
        return cls(**kwargs)


@dataclass(frozen=True)
class DecisionInput(_Record):
    """合法性判定 of one patch. PDR/PDSJ are filled by the save when empty (who and when).

    WFSD 违法时段 (新增/存量, the rule set's ``violation.periods``) and JSSJ
    建设时间 (a day, month or year: '2021-05-03', '2021-05', '2021') come
    last so positional construction of older callers still fits; both apply
    to illegal patches only, and WFSD follows from JSSJ against 前时相 QSX
    when the dates decide it (:func:`..rules.checks.period_from_dates`).
    """

    PDLX: str = ""
    JTQX: str = ""
    WFLX: str = ""
    PZWH: str = ""
    PDYJ: str = ""
    WFMJ: Optional[float] = None
    WFGDMJ: Optional[float] = None
    WFJBNTMJ: Optional[float] = None
    SFNRJS: Optional[bool] = None
    KJLX: str = ""
    BZ: str = ""
    PDR: str = ""
    WFSD: str = ""
    JSSJ: str = ""


@dataclass(frozen=True)
class FieldVisit(_Record):
    """外业踏勘: date (KCRQ), staff (KCRY) and findings (KCQK).

    A visit recorded in the field (schema 7, issue 17) also carries the
    result chosen there (KCJG 踏勘结果), the date-time as recorded (KCSJ), the
    uuid of its QField record (WYBS: a re-imported package adds nothing) and
    the package it came in (WYB); all empty for a visit typed in the office.
    """

    KCRQ: str = ""
    KCRY: str = ""
    KCQK: str = ""
    KCJG: str = ""
    KCSJ: str = ""
    WYBS: str = ""
    WYB: str = ""


@dataclass(frozen=True)
class Referral(_Record):
    """移交: department (YJBM), date (YJRQ), referral document (YJWH), status (ZT), note (SM)."""

    YJBM: str = ""
    YJRQ: str = ""
    YJWH: str = ""
    ZT: str = ""
    SM: str = ""


CASE_COLUMNS: tuple[str, ...] = ("SFLA", "LASJ", "AJBH", "CFJDSWH", "FMK", "MSMJ", "JASJ")
"""The case columns of the patch row (schema 6); a case record carries them plus JLRQ and SM."""


@dataclass(frozen=True)
class CaseInfo(_Record):
    """立案查处 as at JLRQ: filed?, filing date, case number, penalty decision number, fine (元),
    confiscated area (亩), closing date (结案时间), and the record's date and note.

    Like a rectification record it is a dated, cumulative statement: the
    case's whole state on JLRQ (empty JLRQ: the save's day). JASJ, JLRQ and
    SM come last so positional construction of older callers still fits.
    """

    SFLA: Optional[bool] = None
    LASJ: str = ""
    AJBH: str = ""
    CFJDSWH: str = ""
    FMK: Optional[float] = None
    MSMJ: Optional[float] = None
    JASJ: str = ""
    JLRQ: str = ""
    SM: str = ""
    AJJD: str = ""
    """案件阶段 (《国土资源违法行为查处工作规程》: :data:`.validate.CASE_STAGES`) this record documents."""
    WSWH: str = ""
    """文书文号 of the stage's document (立案审批表, 处罚决定书, …)."""
    evidence_id: Optional[int] = None
    """文书附件: the document's file, a ``wpzf_evidence`` row of the same patch."""

    def patch_columns(self) -> dict[str, Any]:
        """The values of the patch row's case columns (:data:`CASE_COLUMNS`; no JLRQ, SM)."""
        values = self.columns()
        return {c: values[c] for c in CASE_COLUMNS}



def rectified_area(demolished: Optional[float], approved: Optional[float]) -> float:
    """已整改面积 = 拆除 + 补办 (the city's identity, domain.md §2); empty counts as 0."""
    return (demolished or 0.0) + (approved or 0.0)


def rectified_farmland_area(recultivated: Optional[float], approved_farmland: Optional[float]) -> float:
    """已整改耕地面积 = 复耕到位 + 补办其中耕地: demolition alone does not give the farmland back (domain.md §9)."""
    return (recultivated or 0.0) + (approved_farmland or 0.0)


@dataclass(frozen=True)
class RectificationInput(_Record):
    """整改 progress as of JLRQ: a dated, cumulative statement of the patch's rectification.

    Areas in 亩, each the total reached by JLRQ (not the change since the last
    record): CCMJ 拆除, FGMJ 复耕到位 (of the demolished land), BBMJ 补办,
    BBGDMJ 补办 of which farmland. SYWZGMJ (remaining) may be left empty: it
    is 违法面积 − (拆除 + 补办). Farmland counts as rectified only when
    re-cultivated or approved (FGMJ + BBGDMJ): demolition alone ends the
    illegal construction, not the loss of farmland (domain.md §9).
    BBGDMJ is last so positional construction of older callers still fits.
    """

    JLRQ: str = ""
    ZGFS: str = ""
    CCMJ: Optional[float] = None
    FGMJ: Optional[float] = None
    BBMJ: Optional[float] = None
    BBPZWH: str = ""
    SYWZGMJ: Optional[float] = None
    ZGWCSJ: str = ""
    SM: str = ""
    BBGDMJ: Optional[float] = None

    @property
    def rectified(self) -> float:
        """已整改面积 = 拆除 + 补办 (the city's identity, domain.md §2)."""
        return round(rectified_area(self.CCMJ, self.BBMJ), 6)

    @property
    def rectified_farmland(self) -> float:
        """已整改耕地面积 = 复耕到位 + 补办其中耕地 (domain.md §9: demolition alone does not count)."""
        return round(rectified_farmland_area(self.FGMJ, self.BBGDMJ), 6)


REFERRAL_STATUSES: tuple[str, ...] = ("已移交", "已接收", "办理中", "已办结", "已退回")
"""Suggested 移交 statuses (ZT); any other text is accepted."""
