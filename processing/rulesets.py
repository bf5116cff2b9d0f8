"""Choosing the rule set a run uses: the parameter, else the workspace's, else the default."""
from __future__ import annotations

from ..domain.messages import QT_TRANSLATE_NOOP
from ..domain.rules import RuleSet, RuleSetError, available_rulesets, load_ruleset
from ..domain.workspace.judgement import workspace_ruleset


def open_ruleset(ws, requested: str | None) -> RuleSet:
    """Load the named rule set (a shipped name or a .toml path), or the workspace's own."""
    name = (requested or "").strip() or workspace_ruleset(ws)
    if name.lower().endswith(".toml"):
        from pathlib import Path

        return load_ruleset(Path(name))
    shipped = available_rulesets()
    if name not in shipped:
        raise RuleSetError(QT_TRANSLATE_NOOP("domain", "Unknown rule set {name!r}; available: {names}."),
                           name=name, names=", ".join(shipped) or "-")
    return load_ruleset(shipped[name])
