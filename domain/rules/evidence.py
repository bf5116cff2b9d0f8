"""What pre-judgement rules may look at for one patch, and the field names that reach it.

Field names (all areas m², shares 0–1):

* ``tbmj``, ``gdmj`` (net farmland), ``jbntmj`` (gross permanent basic farmland cover),
  ``jbntgdmj`` (net farmland inside basic farmland, ≤ gdmj: what "其中永久基本农田" means,
  domain.md §9) and ``tbmj_mu``/``gdmj_mu``/``jbntmj_mu``/``jbntgdmj_mu`` in 亩; ``zgbl``;
* ``classes.<DLBM>`` gross m² of a 三调 class in the patch, ``class_share.<DLBM>``,
  ``main_class`` (the class with the largest area) and ``main_class_share``;
* ``cover.<KIND>.share|area|area_mu|count|keys`` for the overlay kinds the rule set
  declares; ``cover.ANY.…`` over every kind supplied (largest share and area,
  summed count, all keys), so "no cover at all" is ``cover.ANY.count == 0``;
* ``attr.<COLUMN>`` any patch attribute;
* ``mining.<part>`` mining-right figures (涉矿, licences valid or expired on the imagery date), see :mod:`.mining`.

Anything not supplied resolves to :data:`~.conditions.MISSING` (see there why).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from ..units import M2_PER_MU
from . import mining
from .conditions import ANY, LIST, MISSING, NUMBER, TEXT

ANY_KIND = "ANY"
KEY_SEPARATOR = "；"
"""How the overlay summary joins document numbers (``overlay.SEPARATOR``; not imported, to keep shapely out)."""
_AREAS = ("tbmj", "gdmj", "jbntmj", "jbntgdmj")
_SCALARS = {**{a: NUMBER for a in _AREAS}, **{a + "_mu": NUMBER for a in _AREAS},
            "zgbl": NUMBER, "main_class": TEXT, "main_class_share": NUMBER}
_COVER_PARTS = {"share": NUMBER, "area": NUMBER, "area_mu": NUMBER, "count": NUMBER, "keys": LIST}
_CODE = re.compile(r"^\d{4}K?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class CoverEvidence:
    """How much of a patch one overlay kind covers and the labels (批准文号…) of what covers it."""

    share: float = 0.0
    area: float = 0.0
    count: int = 0
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class PatchEvidence:
    """Overlay results for one patch; ``None`` means 'not measured' (resolves to MISSING).

    ``classes`` maps normalised DLBM codes to gross m²; ``cover`` maps the rule
    set's overlay kinds (NYDZY, TDGY…) to what covers the patch; a kind absent
    from ``cover`` was not overlaid. ``attrs`` holds patch attributes by column.
    """

    jcbh: str
    tbmj: Optional[float] = None
    gdmj: Optional[float] = None
    jbntmj: Optional[float] = None
    zgbl: Optional[float] = None
    jbntgdmj: Optional[float] = None
    classes: Optional[Mapping[str, float]] = None
    cover: Mapping[str, CoverEvidence] = field(default_factory=dict)
    attrs: Mapping[str, Any] = field(default_factory=dict)


def field_type(name: str, kinds: Iterable[str]) -> Optional[str]:
    """Type of evidence field ``name`` (NUMBER, TEXT, LIST, ANY), None if no such field."""
    if name in _SCALARS:
        return _SCALARS[name]
    head, _, rest = name.partition(".")
    if head in ("classes", "class_share"):
        return NUMBER if _CODE.match(rest) else None
    if head == "attr":
        return ANY if _NAME.match(rest) else None
    if head == "mining":
        return mining.FIELDS.get(rest)
    if head == "cover":
        kind, _, part = rest.partition(".")
        if (kind == ANY_KIND or kind in set(kinds)) and part in _COVER_PARTS:
            return _COVER_PARTS[part]
    return None


def cover_kind(name: str) -> Optional[str]:
    """The overlay kind a ``cover.<KIND>.…`` field reads, else None."""
    parts = name.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "cover" else None


def resolve(evidence: PatchEvidence, name: str) -> Any:
    """Value of field ``name`` for one patch (plain Python types, JSON-able), or MISSING."""
    if name in _AREAS or name == "zgbl":
        return _number(getattr(evidence, name))
    if name.endswith("_mu") and name[:-3] in _AREAS:
        value = _number(getattr(evidence, name[:-3]))
        return MISSING if value is MISSING else value / M2_PER_MU
    if name in ("main_class", "main_class_share"):
        return _main_class(evidence)[0 if name == "main_class" else 1]
    head, _, rest = name.partition(".")
    if head == "attr":
        return evidence.attrs[rest] if rest in evidence.attrs else MISSING
    if head in ("classes", "class_share"):
        return _class_value(evidence, head, rest)
    if head == "cover":
        return _cover_value(evidence, rest)
    if head == "mining" and rest in mining.FIELDS:
        return mining.value(evidence, rest)
    return MISSING


def _class_value(evidence: PatchEvidence, head: str, code: str) -> Any:
    """``classes.<code>``: m² of the land-use class in the patch; ``class_share.<code>``: that over TBMJ."""
    if evidence.classes is None:
        return MISSING
    gross = float(evidence.classes.get(code, 0.0))
    if head == "classes":
        return gross
    tbmj = _number(evidence.tbmj)
    return MISSING if tbmj is MISSING else (gross / tbmj if tbmj > 0 else 0.0)


def _cover_value(evidence: PatchEvidence, rest: str) -> Any:
    """``cover.<KIND>.<part>``: share, area, area_mu, count or keys of one overlay kind (``*``: any kind)."""
    kind, _, part = rest.partition(".")
    cover = _any_cover(evidence) if kind == ANY_KIND else evidence.cover.get(kind)
    if cover is None:
        return MISSING
    if part == "keys":
        return list(cover.keys)
    if part == "area_mu":
        return float(cover.area) / M2_PER_MU
    return int(cover.count) if part == "count" else float(getattr(cover, part))


def _number(value: Any) -> Any:
    return MISSING if value is None else float(value)


def _main_class(evidence: PatchEvidence) -> tuple[Any, Any]:
    if not evidence.classes:
        return MISSING, MISSING
    code, gross = max(evidence.classes.items(), key=lambda item: (item[1], item[0]))
    tbmj = _number(evidence.tbmj)
    share = MISSING if tbmj is MISSING else (float(gross) / tbmj if tbmj > 0 else 0.0)
    return code, share


def _any_cover(evidence: PatchEvidence) -> Optional[CoverEvidence]:
    """Summary over every supplied kind; None when no kind was overlaid."""
    covers = list(evidence.cover.values())
    if not covers:
        return None
    keys = tuple(dict.fromkeys(k for c in covers for k in c.keys))
    return CoverEvidence(share=max(c.share for c in covers), area=max(c.area for c in covers),
                         count=sum(c.count for c in covers), keys=keys)


def build_evidence(ids: Sequence[Any], occupation: Any = None, covers: Optional[Mapping[str, Any]] = None,
                   attributes: Optional[Sequence[Mapping[str, Any]]] = None,
                   separator: str = KEY_SEPARATOR) -> list[PatchEvidence]:
    """PatchEvidence per id from the overlay core's results, joined on patch id.

    ``occupation`` is a :class:`~..overlay.FarmlandOccupation` (or None),
    ``covers`` maps kind → :class:`~..overlay.OverlaySummary` whose ``keys`` are
    joined with ``separator`` (the overlay's default '；'), ``attributes`` one
    mapping per id. Results computed for other id lists are matched by id, so
    the adapter may overlay each layer separately.
    """
    ids = [str(i) for i in ids]
    farm: dict[str, tuple[Optional[float], ...]] = {}
    classes: dict[str, dict[str, float]] = {}
    if occupation is not None:
        in_basic = getattr(occupation, "jbntgdmj", None)  # None: a result without it (not measured)
        for i, pid in enumerate(occupation.ids):
            farm[str(pid)] = (float(occupation.tbmj[i]), float(occupation.gdmj[i]),
                              float(occupation.jbntmj[i]), float(occupation.zgbl[i]),
                              None if in_basic is None else float(in_basic[i]))
            classes.setdefault(str(pid), {})
        b = occupation.breakdown
        for pid, code, gross in zip(b.patch_id, b.dlbm, b.gross):
            per = classes.setdefault(str(pid), {})
            per[str(code)] = per.get(str(code), 0.0) + float(gross)
    cover_rows: dict[str, dict[str, CoverEvidence]] = {pid: {} for pid in ids}
    for kind, summary in (covers or {}).items():
        for i, pid in enumerate(summary.ids):
            if str(pid) in cover_rows:
                keys = tuple(k for k in str(summary.keys[i] or "").split(separator) if k)
                cover_rows[str(pid)][kind] = CoverEvidence(
                    share=float(summary.share[i]), area=float(summary.covered[i]),
                    count=int(summary.count[i]), keys=keys)
    result = []
    for n, pid in enumerate(ids):
        tbmj, gdmj, jbntmj, zgbl, jbntgdmj = farm.get(pid, (None,) * 5)
        result.append(PatchEvidence(
            jcbh=pid, tbmj=tbmj, gdmj=gdmj, jbntmj=jbntmj, zgbl=zgbl, jbntgdmj=jbntgdmj,
            classes=classes.get(pid) if occupation is not None else None,
            cover=cover_rows[pid], attrs=dict(attributes[n]) if attributes is not None else {}))
    return result
