"""Pre-judgement (合法性预判): a suggested category per patch from its overlay evidence.

The first rule of the rule set (the 涉矿 ``[[prejudge.mining]]`` rules, then
``[[prejudge.rule]]`` in order) whose conditions hold gives the suggestion; the last rule has no conditions, so every patch gets one. A
suggestion is advice stored beside the technician's decision
(``wpzf_prejudgement``), never written into PDLX/JTQX: the technician alone
decides, and the suggestion says which rule fired and on what evidence so it
can be checked.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..messages import QT_TRANSLATE_NOOP, Message
from . import mining
from .conditions import MISSING
from .evidence import PatchEvidence, cover_kind, resolve
from .ruleset import PrejudgeRule, RuleSet
from .text import fill, placeholders


@dataclass(frozen=True)
class Suggestion:
    """Suggested 判定类型/具体情形 for one patch, the rule that fired and the evidence it rests on.

    ``evidence`` is JSON-able: ``values`` (each cited field → its value),
    ``layers`` (overlay kind → layer name, for the kinds cited),
    ``documents`` (the 批准文号/备案号 of the cited kinds) and ``checked``
    (every overlay kind that was supplied for this patch), ``referrals`` (the
    departments the rule set's [referral] names for the suggestion) and, for a 涉矿 patch,
    ``mining`` (``SFSK`` 1 and ``KQXX`` the licences found; also stored in the
    suggestion's own columns SFSK/KQXX, schema 8).
    """

    jcbh: str
    PDLX: str
    JTQX: str
    rule_id: str
    evidence: dict[str, Any] = field(default_factory=dict)
    reason: Message = field(default_factory=lambda: Message(""))
    WFLX: str = ""

    def evidence_json(self) -> str:
        """``evidence`` as JSON text for ``wpzf_prejudgement.evidence`` (Chinese kept readable)."""
        return json.dumps(self.evidence, ensure_ascii=False, sort_keys=True)

    def to_row(self, ruleset: str) -> dict[str, Any]:
        """Columns of ``wpzf_prejudgement`` except patch_fid and created_at."""
        mined = self.evidence.get("mining") or {}
        return {"ruleset": ruleset, "rule_id": self.rule_id, "PDLX": self.PDLX, "JTQX": self.JTQX,
                "evidence": self.evidence_json(), "SFSK": int(mined.get("SFSK") or 0),
                "KQXX": "；".join(mined.get("KQXX") or []) or None}


def cited_fields(rule: PrejudgeRule) -> list[str]:
    """Fields a suggestion quotes: ``cite`` plus every placeholder of ``reason``, each once."""
    return list(dict.fromkeys(list(rule.cite) + [name for name, _ in placeholders(rule.reason)]))


def _jsonable(value: Any) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, float):
        return round(value, 6)
    return value


def suggest(ruleset: RuleSet, evidence: PatchEvidence) -> Suggestion:
    """The suggestion for one patch (the first matching rule; the default rule always matches)."""
    rule = next(r for r in ruleset.mining_rules + ruleset.prejudge_rules if r.matches(evidence))
    names = cited_fields(rule)
    values = {name: resolve(evidence, name) for name in names}
    kinds = list(dict.fromkeys(k for k in map(cover_kind, names) if k))
    documents = list(dict.fromkeys(
        doc for name in names if (name.endswith(".keys") or name in mining.DOCUMENT_FIELDS)
        and isinstance(values[name], list) for doc in values[name]))
    layers = {k: ruleset.cover_kinds[k].name for k in kinds if k in ruleset.cover_kinds}
    explanation = fill(rule.reason, values) if rule.reason else rule.description
    extra: dict[str, Any] = {"mining": mining.summary(evidence)} if mining.flagged(evidence) else {}
    referrals = ruleset.referral_departments(rule.then.get("JTQX"), rule.then.get("WFLX"))
    if referrals:
        extra["referrals"] = list(referrals)
    return Suggestion(
        jcbh=evidence.jcbh, PDLX=rule.then["PDLX"], JTQX=rule.then.get("JTQX", ""),
        WFLX=rule.then.get("WFLX", ""), rule_id=rule.id,
        evidence={"values": {n: _jsonable(v) for n, v in values.items()}, "layers": layers,
                  "documents": documents, "checked": sorted(evidence.cover), **extra},
        reason=Message(QT_TRANSLATE_NOOP("domain", "Rule {rule} suggests {category}: {explanation}"),
                       rule=rule.id, category="/".join(v for v in (rule.then["PDLX"], rule.then.get("JTQX")) if v),
                       explanation=explanation))


def prejudge(ruleset: RuleSet, evidence: Iterable[PatchEvidence]) -> list[Suggestion]:
    """One suggestion per patch, in input order."""
    return [suggest(ruleset, item) for item in evidence]
