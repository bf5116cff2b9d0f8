"""Mining-right evidence (采矿权 CKQ, 探矿权 TKQ) for the pre-judgement rules: ``mining.<part>`` fields.

Why a module of its own: whether mining is legal depends on *which* licence
covers the patch and whether it was valid on the after-imagery date (后时相),
which the generic cover figures (one union share, a list of labels) cannot say.
Rather than widen :class:`~.evidence.PatchEvidence` (stored by the overlay
cache), the adapter labels each overlapping licence in the cover keys as
``XKZH|YXQQ|YXQZ|share`` (:func:`licence_keys`); those keys survive the cache
unchanged, and this module reads them back with the patch attributes.

Per-licence shares are added up (capped at 1): mining rights may not overlap by
law (《矿产资源法》 exclusive 矿区范围), so no ground is counted twice in practice.

Fields (shares 0–1 of the patch area):

* ``mining.flag`` 涉矿 1/0: the delivery marks it (JCLB/TBLX mentions 矿), 三调 0602
  采矿用地 lies in it, or a mining or exploration licence overlaps it;
* ``mining.extraction`` 1/0: signs of extraction (the delivery's mark or 0602 land use);
* ``mining.date`` the imagery date used (HSX, else the batch's receipt date JSRQ);
* ``mining.valid_share`` / ``mining.expired_share``: inside 采矿权 valid on / expired before that date;
* ``mining.outside_share``: outside every 采矿权 (1 − cover.CKQ.share);
* ``mining.valid_keys`` / ``mining.expired_keys`` / ``mining.keys``: 许可证号 lists;
* ``mining.licences``: each licence as "XKZH（YXQQ至YXQZ，占 x%）" for the reason text.

Without the CKQ layer (or the date for the date-dependent parts) a field is
MISSING, so no mining rule fires on absent data.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from . import records  # records → evidence → mining: read as_date at call time
from .conditions import LIST, MISSING, NUMBER, TEXT

if TYPE_CHECKING:  # evidence imports this module
    from .evidence import PatchEvidence

MINING, EXPLORATION = "CKQ", "TKQ"
LICENCE_FIELDS = ("XKZH", "YXQQ", "YXQZ")
"""许可证号, 有效期起, 有效期止: what a licence label carries."""
PART_JOIN = "|"
KEY_SEPARATOR = "；"
"""Between licences of one patch: the overlay's and build_evidence's default separator."""
MINING_CLASS = "0602"
MARK_FIELDS = ("JCLB", "TBLX")
"""Delivery fields whose text marks a 矿产卫片 (e.g. JCLB = "矿产", "采矿")."""
MARK_WORD = "矿"
DATE_FIELDS = ("HSX", "JSRQ")
DOCUMENT_FIELDS = ("mining.keys", "mining.valid_keys", "mining.expired_keys")
"""Fields whose values are 许可证号, listed among a suggestion's documents."""

FIELDS = {"flag": NUMBER, "extraction": NUMBER, "date": TEXT, "valid_share": NUMBER,
          "expired_share": NUMBER, "outside_share": NUMBER, "valid_keys": LIST, "expired_keys": LIST,
          "keys": LIST, "licences": TEXT}


@dataclass(frozen=True)
class Licence:
    """One licence overlapping a patch: number, validity and the share of the patch it covers."""

    number: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    share: float

    def valid_on(self, day: dt.date) -> bool:
        """Valid on ``day``: both dates known and start ≤ day ≤ end."""
        return self.start is not None and self.end is not None and self.start <= day <= self.end

    def expired_on(self, day: dt.date) -> bool:
        return self.end is not None and self.end < day

    def describe(self) -> str:
        span = f"{_iso(self.start)}至{_iso(self.end)}"
        return f"{self.number}（{span}，占 {self.share:.1%}）"


def _iso(day: Optional[dt.date]) -> str:
    return day.isoformat() if day else "?"


def licence_label(number: Any, start: Any, end: Any) -> str:
    """The overlay label of one licence feature: ``XKZH|YXQQ|YXQZ`` (dates as YYYY-MM-DD when readable)."""
    def text(value: Any) -> str:
        day = records.as_date(value)
        return day.isoformat() if day else ("" if value is None else str(value).strip())
    return PART_JOIN.join((text(number), text(start), text(end)))


def licence_keys(patch: Sequence[int], label: Sequence[str], share: Sequence[float], n: int,
                 separator: str) -> list[str]:
    """Per-patch keys ``XKZH|YXQQ|YXQZ|share`` joined by ``separator``, from overlay detail rows.

    ``patch``/``label``/``share`` are the detail columns (patch index, licence
    label, share of the patch); rows of one label (a licence drawn as several
    polygons) are added up.
    """
    per: list[dict[str, float]] = [{} for _ in range(n)]
    for p, key, part in zip(patch, label, share):
        if key:
            per[int(p)][str(key)] = per[int(p)].get(str(key), 0.0) + float(part)
    return [separator.join(f"{key}{PART_JOIN}{part:.6f}" for key, part in row.items()) for row in per]


def licence_summary(summary: Any, separator: str = KEY_SEPARATOR) -> Any:
    """An overlay summary (:class:`~..overlay.OverlaySummary`) of licences with keys from :func:`licence_keys`."""
    d = summary.details
    keys = licence_keys(d.patch, d.key, d.share, len(summary.ids), separator)
    return dataclasses.replace(summary, keys=np.array(keys, dtype=object))


def parse_key(key: str) -> Licence:
    """A :class:`Licence` from one stored key; a key without a share (plain label) counts 0."""
    parts = key.split(PART_JOIN)
    number = parts[0].strip()
    start = records.as_date(parts[1]) if len(parts) > 1 else None
    end = records.as_date(parts[2]) if len(parts) > 2 else None
    try:
        share = float(parts[3]) if len(parts) > 3 else 0.0
    except ValueError:
        share = 0.0
    return Licence(number, start, end, share)


def licences(evidence: PatchEvidence, kind: str = MINING) -> Optional[list[Licence]]:
    """The licences of ``kind`` overlapping the patch; None when that layer was not overlaid."""
    cover = evidence.cover.get(kind)
    return None if cover is None else [parse_key(k) for k in cover.keys]


def imagery_date(attrs: Mapping[str, Any]) -> Optional[dt.date]:
    """后时相 (HSX), else the batch's receipt date (JSRQ): the day the imagery shows."""
    for name in DATE_FIELDS:
        day = records.as_date(attrs.get(name))
        if day is not None:
            return day
    return None


def extraction(evidence: PatchEvidence) -> bool:
    """Signs of extraction: the delivery marks a mining patch, or 三调 0602 采矿用地 lies in it."""
    marked = any(MARK_WORD in str(evidence.attrs.get(f) or "") for f in MARK_FIELDS)
    return marked or bool(evidence.classes and evidence.classes.get(MINING_CLASS, 0.0) > 0.0)


def flagged(evidence: PatchEvidence) -> bool:
    """涉矿 (SFSK): extraction signs, or any mining or exploration licence overlapping the patch."""
    return extraction(evidence) or any(
        evidence.cover[k].count > 0 for k in (MINING, EXPLORATION) if k in evidence.cover)


def value(evidence: PatchEvidence, part: str) -> Any:
    """``mining.<part>`` for one patch (see the module doc), or MISSING."""
    if part == "flag":
        return int(flagged(evidence))
    if part == "extraction":
        return int(extraction(evidence))
    day = imagery_date(evidence.attrs)
    if part == "date":
        return MISSING if day is None else day.isoformat()
    found = licences(evidence)
    if found is None:
        return MISSING
    if part == "outside_share":
        return max(0.0, 1.0 - float(evidence.cover[MINING].share))
    if part == "keys":
        return list(dict.fromkeys(lic.number for lic in found))
    if part == "licences":
        return "；".join(lic.describe() for lic in found) or "无"
    if day is None:
        return MISSING
    chosen = [lic for lic in found if (lic.valid_on(day) if part.startswith("valid") else lic.expired_on(day))]
    if part.endswith("_keys"):
        return list(dict.fromkeys(lic.number for lic in chosen))
    return min(1.0, sum(lic.share for lic in chosen))


def summary(evidence: PatchEvidence) -> dict[str, Any]:
    """涉矿 flag and licences found (what SFSK/KQXX would hold), JSON-able, for the stored evidence."""
    found = licences(evidence) or []
    found += licences(evidence, EXPLORATION) or []
    return {"SFSK": int(flagged(evidence)), "KQXX": [lic.describe() for lic in found]}
