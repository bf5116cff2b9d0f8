"""Legality rules (判定规则): rule sets as data, pre-judgement and quality checks. No Qt.

A rule set is a TOML file under ``rules/`` (one per year and province,
e.g. ``2022-chongqing``): categories, aliases, deadlines, thresholds, the
pre-judgement rules and the quality checks. :func:`load_ruleset` validates it
completely; :func:`prejudge` suggests a category per patch from overlay
evidence; :func:`quality_check` lists rule violations per patch and
:func:`can_submit` says whether a stage may be submitted.
"""
from __future__ import annotations

from .checks import KINDS as CHECK_KINDS
from .checks import Violation, can_submit, quality_check
from .conditions import MISSING, OPERATORS, Condition
from .evidence import CoverEvidence, PatchEvidence, build_evidence
from .parse import load_named_ruleset, load_ruleset
from .prejudge import Suggestion, prejudge, suggest
from .records import PatchRecord
from .ruleset import (
    ERROR,
    RANKING_METRICS,
    RULES_FOLDER,
    WARNING,
    Category,
    CheckRule,
    CoverKind,
    Deadlines,
    PrejudgeRule,
    Ranking,
    RankingCriterion,
    Ratio,
    RatioRule,
    RuleSet,
    Thresholds,
    available_rulesets,
)
from .source import RuleSetError

__all__ = [
    "CHECK_KINDS",
    "Category",
    "CheckRule",
    "Condition",
    "CoverEvidence",
    "CoverKind",
    "Deadlines",
    "ERROR",
    "MISSING",
    "OPERATORS",
    "PatchEvidence",
    "PatchRecord",
    "PrejudgeRule",
    "RULES_FOLDER",
    "RANKING_METRICS",
    "Ranking",
    "RankingCriterion",
    "Ratio",
    "RatioRule",
    "RuleSet",
    "RuleSetError",
    "Suggestion",
    "Thresholds",
    "Violation",
    "WARNING",
    "available_rulesets",
    "build_evidence",
    "can_submit",
    "load_named_ruleset",
    "load_ruleset",
    "prejudge",
    "quality_check",
    "suggest",
]
