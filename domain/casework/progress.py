"""整改 and 立案查处 progress as dated records, and the latest record "as at" a date. No Qt.

Why: a locked stage freezes the patch row (what was reported), yet the work
plan (四(二)) wants 查处整改 progress recorded after the lock ("适时更新录入违法
图斑查处整改情况"). So each ``wpzf_rectification`` row is a dated, cumulative
statement of the patch's rectification at its JLRQ, and the progress of a
patch at any date is its latest record dated on or before that date
(domain.md §9 "As at a date": progress counts only if dated on or before it).
The patch's summary columns are only a convenience copy on unlocked batches;
statistics read the records through :func:`rectification_records` and
:func:`latest_rectification`. Case progress (立案 → 结案) is kept the same way
in ``wpzf_case_progress``: :func:`case_records` and :func:`latest_case`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Optional, Union

from ..messages import QT_TRANSLATE_NOOP
from ..workspace.store import WorkspaceError
from .records import rectified_area, rectified_farmland_area
from .validate import parse_date

DateLike = Union[dt.date, str, None]


def _float(value: Any) -> Optional[float]:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _record_values(cls: type, row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row's values typed as the record class declares them (ids int, areas float, flags bool, text)."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        raw: Any = row.get(f.name)
        if f.name in ("id", "patch_fid"):
            values[f.name] = int(raw)
        elif "bool" in str(f.type):
            values[f.name] = bool(raw) and str(raw).strip() not in ("0", "")
        elif "float" in str(f.type):
            values[f.name] = _float(raw)
        else:
            values[f.name] = "" if raw is None else str(raw).strip()
    return values


@dataclass(frozen=True)
class RectificationRecord:
    """One stored 整改 record: the cumulative situation of patch ``patch_fid`` at JLRQ (areas in 亩)."""

    id: int
    patch_fid: int
    JLRQ: str
    ZGFS: str = ""
    CCMJ: Optional[float] = None
    """拆除面积."""
    FGMJ: Optional[float] = None
    """复耕到位面积 (part of the demolished land)."""
    BBMJ: Optional[float] = None
    """补办面积."""
    BBGDMJ: Optional[float] = None
    """补办面积其中耕地."""
    BBPZWH: str = ""
    SYWZGMJ: Optional[float] = None
    """剩余未整改面积 = 违法面积 − 拆除 − 补办, as computed when saved."""
    ZGWCSJ: str = ""
    SM: str = ""
    XGR: str = ""
    XGSJ: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RectificationRecord:
        """A record from a ``wpzf_rectification`` row (missing columns, e.g. BBGDMJ before schema 6, are empty)."""
        return cls(**_record_values(cls, row))

    @property
    def date(self) -> Optional[dt.date]:
        """JLRQ as a date; None when it is not a ``yyyy-mm-dd`` date (such a record cannot be placed in time)."""
        return parse_date(self.JLRQ)

    @property
    def rectified(self) -> float:
        """已整改面积 = 拆除 + 补办 (domain.md §2)."""
        return round(rectified_area(self.CCMJ, self.BBMJ), 6)

    @property
    def rectified_farmland(self) -> float:
        """已整改耕地面积 = 复耕 + 补办耕地: demolition alone does not give the farmland back (domain.md §9)."""
        return round(rectified_farmland_area(self.FGMJ, self.BBGDMJ), 6)


def as_date(value: DateLike) -> Optional[dt.date]:
    """A date from a ``date``/``datetime`` or ``yyyy-mm-dd`` text; None stays None (no cut-off)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = parse_date(str(value).strip())
    if day is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The date {value!r} is not a date yyyy-mm-dd."), value=value)
    return day


def latest_rectification(records: Iterable[RectificationRecord],
                         as_of: DateLike = None) -> Optional[RectificationRecord]:
    """The patch's progress as at ``as_of``: its latest record dated (JLRQ) on or before that day.

    ``records`` are one patch's records in any order; among records of the
    same JLRQ the one stored last (highest id) wins. ``as_of`` is a date or
    ``yyyy-mm-dd`` text (2022's figures: 2022-12-31); None means the latest
    record of all. Records whose JLRQ is not a date are ignored (they cannot
    be placed in time). None when no record counts: nothing was rectified by
    then.
    """
    return _latest_dated(records, as_of)


def _latest_dated(records: Iterable[Any], as_of: DateLike) -> Any:
    """The record with the greatest (JLRQ date, id) on or before ``as_of``; undated records ignored."""
    cut = as_date(as_of)
    best: Any = None
    best_key: Optional[tuple[dt.date, int]] = None
    for record in records:
        day = record.date
        if day is None or (cut is not None and day > cut):
            continue
        key = (day, record.id)
        if best_key is None or key > best_key:
            best, best_key = record, key
    return best


def rectification_records(ws: Any, fids: Optional[Iterable[int]] = None) -> dict[int, list[RectificationRecord]]:
    """Every ``wpzf_rectification`` record of the workspace, by patch fid, ordered by JLRQ then id.

    Works on a GeoPackage :class:`~..workspace.store.Workspace` and a shared
    PostGIS workspace alike (their ``conn`` speaks the same SQL). ``fids``
    limits the result to those patches (filtered here, not in SQL, so any
    number of patches can be asked for). Patches without records are absent.
    """
    wanted = None if fids is None else {int(f) for f in fids}
    cur = ws.conn.execute('SELECT * FROM wpzf_rectification ORDER BY "JLRQ", id')
    names = [d[0] for d in cur.description]
    found: dict[int, list[RectificationRecord]] = {}
    for row in cur.fetchall():
        record = RectificationRecord.from_row(dict(zip(names, row)))
        if wanted is None or record.patch_fid in wanted:
            found.setdefault(record.patch_fid, []).append(record)
    return found


def patch_rectification_records(ws: Any, fid: int) -> list[RectificationRecord]:
    """The records of one patch, ordered by JLRQ then id (as :func:`rectification_records`)."""
    cur = ws.conn.execute('SELECT * FROM wpzf_rectification WHERE patch_fid = ? ORDER BY "JLRQ", id', (fid,))
    names = [d[0] for d in cur.description]
    return [RectificationRecord.from_row(dict(zip(names, row))) for row in cur.fetchall()]


def latest_by_patch(records: Mapping[int, Iterable[RectificationRecord]],
                    as_of: DateLike = None) -> dict[int, RectificationRecord]:
    """:func:`latest_rectification` of every patch in ``records``; patches with no record by then are absent."""
    out = {}
    for fid, rows in records.items():
        latest = latest_rectification(rows, as_of)
        if latest is not None:
            out[fid] = latest
    return out


# ---- 立案查处 ------------------------------------------------------------------------
# The case columns sit on the patch row, which a lock freezes; yet a case goes on after
# the lock (立案 → 处罚 → 结案). So every case save appends a ``wpzf_case_progress`` row:
# the whole case as at its JLRQ (cumulative, like a rectification record), and figures
# as at a date read the latest record dated on or before it (domain.md §9: 结案 counts
# only if dated on or before that date).
@dataclass(frozen=True)
class CaseRecord:
    """One stored case record: the state of patch ``patch_fid``'s case as at JLRQ (FMK 元, MSMJ 亩)."""

    id: int
    patch_fid: int
    JLRQ: str
    SFLA: bool = False
    LASJ: str = ""
    AJBH: str = ""
    CFJDSWH: str = ""
    FMK: Optional[float] = None
    MSMJ: Optional[float] = None
    JASJ: str = ""
    SM: str = ""
    XGR: str = ""
    XGSJ: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CaseRecord:
        """A record from a ``wpzf_case_progress`` row."""
        return cls(**_record_values(cls, row))

    @property
    def date(self) -> Optional[dt.date]:
        """JLRQ as a date; None when it is not a ``yyyy-mm-dd`` date."""
        return parse_date(self.JLRQ)

    @property
    def filed(self) -> bool:
        """立案: the case was filed (SFLA) by JLRQ."""
        return self.SFLA

    @property
    def closed(self) -> bool:
        """结案: a filed case with its closing date JASJ (≤ JLRQ, checked when saved)."""
        return self.SFLA and bool(self.JASJ)


def latest_case(records: Iterable[CaseRecord], as_of: DateLike = None) -> Optional[CaseRecord]:
    """The patch's case as at ``as_of``: its latest record dated (JLRQ) on or before that day.

    The same rule as :func:`latest_rectification` (same JLRQ: highest id
    wins; None ``as_of``: the latest of all; undated records ignored). None
    when no record counts: the case had no record by then. A record's JASJ is
    never after its JLRQ, so ``latest_case(r, d).closed`` means closed on or
    before ``d``.
    """
    return _latest_dated(records, as_of)


def _case_rows(ws: Any, where: str = "", params: tuple = ()) -> list[CaseRecord]:
    cur = ws.conn.execute(f'SELECT * FROM wpzf_case_progress {where} ORDER BY "JLRQ", id', params)
    names = [d[0] for d in cur.description]
    return [CaseRecord.from_row(dict(zip(names, row))) for row in cur.fetchall()]


def case_records(ws: Any, fids: Optional[Iterable[int]] = None) -> dict[int, list[CaseRecord]]:
    """Every ``wpzf_case_progress`` record, by patch fid, ordered by JLRQ then id (GeoPackage or PostGIS).

    ``fids`` limits the result to those patches; patches without records are absent.
    """
    wanted = None if fids is None else {int(f) for f in fids}
    found: dict[int, list[CaseRecord]] = {}
    for record in _case_rows(ws):
        if wanted is None or record.patch_fid in wanted:
            found.setdefault(record.patch_fid, []).append(record)
    return found


def patch_case_records(ws: Any, fid: int) -> list[CaseRecord]:
    """The case records of one patch, ordered by JLRQ then id."""
    return _case_rows(ws, "WHERE patch_fid = ?", (fid,))
