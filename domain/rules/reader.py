"""Typed access to a parsed rule file, with errors that name file, line and rule or key.

Every value read from the file goes through :class:`Reader`, which checks its
type and raises :class:`~.source.RuleSetError` with the line from the
:class:`~.source.SourceMap`. Errors inside a rule name the rule id and the
line where the rule's table starts; errors in other sections name the key
and the line it is set on.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Optional

from ..messages import QT_TRANSLATE_NOOP
from .conditions import is_number
from .source import RuleSetError, SourceMap

REQUIRED = object()

# (template outside a rule, template inside a rule)
TEMPLATES: dict[str, tuple[str, str]] = {
    "missing": (
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: {key} is missing."),
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: {key} is missing.")),
    "type": (
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: {key} = {value!r} has the wrong type; write it like {key} = {example}"),
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: {key} = {value!r} has the wrong type; write it like {key} = {example}")),
    "unknown_key": (
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: unknown setting {key}; check the spelling."),
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: unknown setting {key}; check the spelling.")),
    "choice": (
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: {key} = {value!r} is not allowed; use one of {choices}."),
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: {key} = {value!r} is not allowed; use one of {choices}.")),
    "undefined": (
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: {key} = {value!r} is not defined in this rule set."),
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: {key} = {value!r} is not defined in this rule set.")),
    "duplicate": (
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: {value!r} is defined twice (first at line {first})."),
        QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: the id is used twice (first at line {first}).")),
}
RULE_TEMPLATES: dict[str, str] = {
    "field": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: unknown field {field}."),
    "test": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: {field} {op} {value!r} is not a valid test for this field."),
    "placeholder": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: placeholder {placeholder} is unknown or badly formatted."),
    "not_area": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: {field} is not an area field (亩 or m²)."),
    "default_not_last": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: a rule without conditions must come last; the rules after it could never fire."),
    "no_default": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: the last pre-judgement rule must have no conditions, so that every patch gets a suggestion."),
    "order": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, rule {rule}: give order on every pre-judgement rule or on none."),
}
SECTION_TEMPLATES: dict[str, str] = {
    "role": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: exactly one category must have role {role}."),
    "alias_shadow": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: alias {key!r} is itself a name in this rule set and cannot point elsewhere."),
    "column": QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}: {key} is already a workspace column."),
}

_EXAMPLES = {"text": '"文本"', "number": "0.95", "int": "20", "bool": "true", "texts": '["甲", "乙"]',
             "table": "{ … }", "list": "[ { … }, { … } ]"}


@dataclass(frozen=True)
class Where:
    """Where a value sits: table path, element index for arrays of tables, or a rule (id, start line)."""

    path: tuple[str, ...] = ()
    index: Optional[int] = None
    rule: Optional[str] = None
    rule_line: Optional[int] = None


class Reader:
    """Reads typed values from one parsed file; raises RuleSetError naming where."""

    def __init__(self, path: Path, source: SourceMap) -> None:
        self.file = str(path)
        self.source = source

    def line(self, where: Where, key: Optional[str] = None) -> int:
        if where.rule is not None and where.rule_line is not None:
            return where.rule_line
        if where.index is not None:
            return self.source.element_key_line(where.path, where.index, key or "")
        return self.source.key_line(where.path, key) if key else self.source.table_line(where.path)

    def fail(self, problem: str, where: Where, key: Optional[str] = None, **values: Any) -> NoReturn:
        """Raise the error ``problem`` (a key of the template tables) at ``where``."""
        if problem in TEMPLATES:
            template = TEMPLATES[problem][where.rule is not None]
        else:
            template = RULE_TEMPLATES.get(problem) or SECTION_TEMPLATES[problem]
        extra = {"rule": where.rule} if where.rule is not None else {}
        raise RuleSetError(template, file=self.file, line=self.line(where, key), key=key, **extra, **values)

    def only(self, table: Mapping[str, Any], allowed: Any, where: Where) -> None:
        """Refuse keys the reader does not know: a typo must not silently drop a setting."""
        for key in table:
            if key not in allowed:
                self.fail("unknown_key", where, key)

    def get(self, table: Mapping[str, Any], key: str, kind: str, where: Where, default: Any = REQUIRED) -> Any:
        """``table[key]`` checked against ``kind`` (text, number, int, bool, texts, table, list)."""
        if key not in table:
            if default is REQUIRED:
                self.fail("missing", where, key)
            return default
        value = table[key]
        if not _fits(kind, value):
            self.fail("type", where, key, value=value, example=_EXAMPLES[kind])
        if kind == "text":
            return value.strip()
        if kind == "texts":
            return tuple(v.strip() for v in value)
        if kind == "number":
            return float(value)
        return value

    def choice(self, table: Mapping[str, Any], key: str, choices: tuple[str, ...], where: Where,
               default: Any = REQUIRED) -> str:
        value = self.get(table, key, "text", where, default)
        if value not in choices:
            self.fail("choice", where, key, value=value, choices=", ".join(choices))
        return value


def _fits(kind: str, value: Any) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "number":
        return is_number(value)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "texts":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "table":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise ValueError(kind)
