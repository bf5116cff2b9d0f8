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
        kwargs = {}
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
    """合法性判定 of one patch. PDR/PDSJ are filled by the save when empty (who and when)."""

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


@dataclass(frozen=True)
class FieldVisit(_Record):
    """外业踏勘: date (KCRQ), staff (KCRY) and findings (KCQK)."""

    KCRQ: str = ""
    KCRY: str = ""
    KCQK: str = ""


@dataclass(frozen=True)
class Referral(_Record):
    """移交: department (YJBM), date (YJRQ), referral document (YJWH), status (ZT), note (SM)."""

    YJBM: str = ""
    YJRQ: str = ""
    YJWH: str = ""
    ZT: str = ""
    SM: str = ""


@dataclass(frozen=True)
class CaseInfo(_Record):
    """立案查处: filed?, filing date, case number, penalty decision number, fine (元), confiscated area (亩)."""

    SFLA: Optional[bool] = None
    LASJ: str = ""
    AJBH: str = ""
    CFJDSWH: str = ""
    FMK: Optional[float] = None
    MSMJ: Optional[float] = None


@dataclass(frozen=True)
class RectificationInput(_Record):
    """整改 progress as of JLRQ: cumulative areas (亩) demolished, re-cultivated, approved later.

    SYWZGMJ (remaining) may be left empty: it is total − (拆除 + 补办).
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


REFERRAL_STATUSES: tuple[str, ...] = ("已移交", "已接收", "办理中", "已办结", "已退回")
"""Suggested 移交 statuses (ZT); any other text is accepted."""
