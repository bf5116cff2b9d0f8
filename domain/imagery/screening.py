"""Pre-judgement with the imagery screening's stored measures (when a patch has them).

Three findings, each advice for the technician, never a decision:

* **unchanged** — the images barely differ (score ≤ ``unchanged_score``, the whole patch
  measured): the suggestion becomes 其他/实地未变化 (a false change, 伪变化), and
  the evidence keeps the suggestion it replaces;
* **changed** — a strong change (score ≥ ``changed_score``) on farmland where the
  rules suggest 违法 (no approval covers it): the suggestion states the imagery
  figures as further evidence;
* **re-cultivated** — a patch the technician judged 违法 and not yet recorded as
  rectified (剩余未整改面积 ≠ 0) whose newer image shows vegetation back and little
  bare or built-up ground: "可能已复耕", to confirm with field photos.

A patch without a score (flagged: not covered, cloud) gets none of these.
The figures go into the suggestion's evidence under ``imagery`` and as
``imagery.<column>`` values, so the forms list them.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, Message
from ..rules.evidence import PatchEvidence
from ..rules.imagery_rules import ImageryRules
from ..rules.prejudge import Suggestion
from ..rules.ruleset import RuleSet
from .measures import ChangeMeasures
from .store import COLUMNS

UNCHANGED_SITUATION = "实地未变化"
UNCHANGED, CHANGED, RECULTIVATED = "实地未变化", "变化明显", "可能已复耕"
"""What ``evidence["imagery"]["finding"]`` says."""
RULE_ID = "imagery.unchanged"


@dataclass(frozen=True)
class PatchContext:
    """What the screening needs of one patch besides its suggestion and measures."""

    decided: str = ""
    """The technician's PDLX ('' when undecided)."""
    rectified: bool = False
    """Whether the latest rectification record leaves nothing unrectified (剩余未整改面积 = 0)."""


@dataclass(frozen=True)
class ScreeningResult:
    """The suggestions after screening and the fids of each finding (for the run's report)."""

    suggestions: list[Suggestion]
    unchanged: list[int]
    changed: list[int]
    recultivated: list[int]


def _figures(m: ChangeMeasures, finding: str) -> dict[str, Any]:
    figures: dict[str, Any] = {c: (round(v, 4) if isinstance(v, float) else v) for c in COLUMNS
                               for v in (getattr(m, c),)}
    figures["finding"] = finding
    return figures


def _with(s: Suggestion, m: ChangeMeasures, finding: str, reason: Message, **changes: Any) -> Suggestion:
    """``s`` with the imagery figures added to its evidence and ``reason``."""
    figures = _figures(m, finding)
    values = dict(s.evidence.get("values") or {})
    values.update({f"imagery.{c}": figures[c] for c in COLUMNS if figures[c] is not None})
    evidence = {**s.evidence, "values": values, "imagery": figures, **changes.pop("evidence", {})}
    return dataclasses.replace(s, evidence=evidence, reason=reason, **changes)


def _other_category(ruleset: RuleSet) -> Optional[str]:
    """The 'other' category holding 实地未变化 in this rule set, None if it has none."""
    return next((c.name for c in ruleset.categories if UNCHANGED_SITUATION in c.situations), None)


def _unchanged(s: Suggestion, m: ChangeMeasures, category: str) -> Suggestion:
    previous = "/".join(v for v in (s.PDLX, s.JTQX) if v)
    reason = Message(QT_TRANSLATE_NOOP(
        "domain", "Imagery shows almost no change (score {score:.2f}, {changed:.0%} of {pixels} pixels changed, "
                  "mean brightness change {brightness:.1f}): suggests {category} instead of {previous} "
                  "(rule {rule}); confirm on the images."),
        score=m.BHDF, changed=m.BHZB, pixels=m.XSS, brightness=m.LDBH,
        category=f"{category}/{UNCHANGED_SITUATION}", previous=previous, rule=s.rule_id)
    replaced = {"rule_id": s.rule_id, "PDLX": s.PDLX, "JTQX": s.JTQX, "WFLX": s.WFLX}
    return _with(s, m, UNCHANGED, reason, PDLX=category, JTQX=UNCHANGED_SITUATION, WFLX="", rule_id=RULE_ID,
                 evidence={"replaced": replaced})


def _changed(s: Suggestion, m: ChangeMeasures) -> Suggestion:
    reason = Message(QT_TRANSLATE_NOOP(
        "domain", "{reason} The imagery confirms a change on farmland: score {score:.2f}, {changed:.0%} of "
                  "{pixels} pixels changed, {bare:.0%} bare soil or built-up on the after image."),
        reason=s.reason, score=m.BHDF, changed=m.BHZB, pixels=m.XSS, bare=m.LTZB)
    return _with(s, m, CHANGED, reason)


def _recultivated(s: Suggestion, m: ChangeMeasures) -> Suggestion:
    reason = Message(QT_TRANSLATE_NOOP(
        "domain", "{reason} Possibly re-cultivated (可能已复耕): on the newer image the vegetation index "
                  "({index}) rose by {gain:+.2f} and {bare:.0%} is bare soil or built-up; the technician "
                  "confirms with field photos."),
        reason=s.reason, index=m.ZBZS, gain=m.ZBBH, bare=m.LTZB)
    return _with(s, m, RECULTIVATED, reason)


def _is_farmland(evidence: PatchEvidence) -> bool:
    return evidence.gdmj is not None and evidence.gdmj > 0


def _finding(s: Suggestion, e: PatchEvidence, m: ChangeMeasures, c: PatchContext, ruleset: RuleSet,
             rules: ImageryRules) -> str:
    """Which finding applies to one patch ('' for none)."""
    assert m.BHDF is not None and m.ZBBH is not None and m.LTZB is not None
    limits = rules.index(m.ZBZS or "")
    if c.decided == ruleset.illegal and not c.rectified and m.ZBBH >= limits.change \
            and m.LTZB <= rules.regrowth_bare_max:
        return RECULTIVATED
    if m.BHDF <= rules.unchanged_score and not m.BZ:
        return UNCHANGED
    if m.BHDF >= rules.changed_score and s.PDLX == ruleset.illegal and _is_farmland(e):
        return CHANGED
    return ""


def screen(ruleset: RuleSet, rules: ImageryRules, fids: Sequence[int], suggestions: Sequence[Suggestion],
           evidence: Sequence[PatchEvidence], changes: Mapping[int, ChangeMeasures],
           context: Mapping[int, PatchContext]) -> ScreeningResult:
    """Each suggestion, screened with its patch's stored measures (unchanged where there are none)."""
    category = _other_category(ruleset)
    out: list[Suggestion] = []
    found: dict[str, list[int]] = {UNCHANGED: [], CHANGED: [], RECULTIVATED: []}
    for fid, s, e in zip(fids, suggestions, evidence):
        m = changes.get(fid)
        finding = "" if m is None or not m.scored else _finding(s, e, m, context.get(fid, PatchContext()),
                                                                 ruleset, rules)
        if finding == UNCHANGED and category is None:
            finding = ""
        if finding:
            assert m is not None
            found[finding].append(fid)
            s = (_unchanged(s, m, category or "") if finding == UNCHANGED else
                 _changed(s, m) if finding == CHANGED else _recultivated(s, m))
        out.append(s)
    return ScreeningResult(out, found[UNCHANGED], found[CHANGED], found[RECULTIVATED])

