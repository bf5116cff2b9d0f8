"""Choosing the rule set a run uses: the parameter, else the workspace's, else the default."""
from __future__ import annotations

from ..domain.rules import RuleSet, load_named_ruleset
from ..domain.workspace.judgement import workspace_ruleset


def open_ruleset(ws, requested: str | None) -> RuleSet:
    """Load the named rule set (a shipped name or a .toml path), or the workspace's own."""
    return load_named_ruleset((requested or "").strip() or workspace_ruleset(ws))
