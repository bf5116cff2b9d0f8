"""Chinese message templates from rule files: ``{name}`` / ``{name:spec}`` placeholders.

``str.format`` cannot be used: placeholder names contain dots
(``{cover.NYDZY.share:.1%}``) which ``format`` would read as attribute
access, and an office's typo must be reported at load time rather than
raise ``KeyError`` in the middle of a quality check. ``{{`` and ``}}`` are
literal braces.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .conditions import MISSING

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}:]+)(?::([^{}]*))?\}")
LIST_SEPARATOR = "；"
NO_VALUE = "—"


def placeholders(template: str) -> list[tuple[str, str]]:
    """``(name, spec)`` of every placeholder, in order."""
    return [(m.group(1).strip(), m.group(2) or "") for m in _TOKEN.finditer(template) if m.group(1)]


def bad_spec(spec: str) -> bool:
    """Whether ``spec`` is not a format specification a number accepts."""
    if not spec:
        return False
    try:
        format(1.5, spec)
    except (ValueError, TypeError):
        return True
    return False


def show(value: Any, spec: str = "") -> str:
    """One value as message text: numbers with 2 decimals unless ``spec`` says otherwise."""
    if value is MISSING or value is None or value == "":
        return NO_VALUE
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(show(v) for v in value) if value else NO_VALUE
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if spec:
            return format(value, spec)
        return str(value) if isinstance(value, int) else f"{value:.2f}"
    return str(value)


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with every placeholder replaced; unknown names show as '—'."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "{{":
            return "{"
        if match.group(0) == "}}":
            return "}"
        return show(values.get(match.group(1).strip(), MISSING), match.group(2) or "")

    return _TOKEN.sub(one, template)
