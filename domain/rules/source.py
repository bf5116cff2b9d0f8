"""Reading a rule file: TOML text, parse errors and the line of every table and key.

An office edits rule files by hand, so every error must point at the place to
fix: file, line and, for rules, the rule id. ``tomllib`` reports the line of
syntax errors itself but returns plain dicts without positions, so for
semantic errors (unknown field, duplicate id…) :class:`SourceMap` scans the
text once and remembers where each table header and each ``key =`` line is.

How a rule's line is found: the k-th ``[[prejudge.rule]]`` header in the text
is the k-th element of the parsed array (TOML keeps array order), so the rule
at index k starts at the line of the k-th header. If the counts disagree (a
rule array written inline, ``rule = [{…}]``), the first line holding
``id = "<the id>"`` is used instead, then the line of the parent table.
Header-like lines inside multi-line strings are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, WpzfError

try:  # Python 3.11+
    import tomllib
except ImportError:  # pragma: no cover - QGIS on Windows may still run Python 3.9
    try:
        import tomli as tomllib  # type: ignore[no-redef]
    except ImportError:
        try:  # pip has vendored tomli since 21.2, and OSGeo4W ships pip
            from pip._vendor import tomli as tomllib  # type: ignore[no-redef]
        except Exception:  # noqa: BLE001 - any failure means no reader
            tomllib = None  # type: ignore[assignment]


class RuleSetError(WpzfError, ValueError):
    """A rule file that cannot be used; the message names file, line and rule or key."""

    @property
    def file(self) -> str:
        return str(self.message.values.get("file", ""))

    @property
    def line(self) -> Optional[int]:
        line = self.message.values.get("line")
        return line if isinstance(line, int) else None

    @property
    def rule(self) -> Optional[str]:
        rule = self.message.values.get("rule")
        return None if rule is None else str(rule)


_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_HEADER = re.compile(r"^\s*(\[\[|\[)\s*(" + _PART + r"(?:\s*\.\s*" + _PART + r")*)\s*(\]\]|\])\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'""")


def _path(text: str) -> tuple[str, ...]:
    """Header text → key path; quoted parts lose their quotes (dots inside quotes unsupported)."""
    return tuple(part.strip().strip("\"'") for part in text.split("."))


def _depth_change(line: str) -> int:
    """Net brackets opened on a line (strings and comments ignored): > 0 inside a multi-line value."""
    code = _STRING.sub("", line).split("#", 1)[0]
    return code.count("[") + code.count("{") - code.count("]") - code.count("}")


@dataclass
class _Table:
    path: tuple[str, ...]
    array: bool
    line: int
    keys: dict[str, int] = field(default_factory=dict)


class SourceMap:
    """Line numbers (1-based) of the tables and keys of one TOML text.

    Lines inside multi-line strings and inside multi-line arrays are never
    taken for headers or keys.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables: list[_Table] = [_Table((), False, 1)]
        in_string: Optional[str] = None
        depth = 0
        for number, line in enumerate(self.lines, start=1):
            if in_string is None and depth <= 0:
                depth = 0
                header = _HEADER.match(line)
                if header and (header.group(1) == "[[") == (header.group(3) == "]]"):
                    self.tables.append(_Table(_path(header.group(2)), header.group(1) == "[[", number))
                    continue
                key = _KEY.match(line)
                if key:
                    name = next(g for g in key.groups() if g is not None)
                    self.tables[-1].keys.setdefault(name, number)
            toggled = False
            for quote in ('"""', "'''"):
                if in_string in (None, quote) and line.count(quote) % 2 == 1:
                    in_string = quote if in_string is None else None
                    toggled = True
            if in_string is None and not toggled:
                depth += _depth_change(line)

    def table_line(self, path: tuple[str, ...]) -> int:
        """Line of the first header of ``path``, else of the first table inside it, else 1."""
        for table in self.tables:
            if table.path == path:
                return table.line
        for table in self.tables:
            if table.path[: len(path)] == path and path:
                return table.line
        return 1

    def key_line(self, path: tuple[str, ...], key: str) -> int:
        """Line where ``key`` is set inside the table at ``path``, or where its own table starts."""
        for table in self.tables:
            if table.path == path and key in table.keys:
                return table.keys[key]
        sub = path + (key,)
        if any(t.path[: len(sub)] == sub for t in self.tables):
            return self.table_line(sub)
        return self.table_line(path)

    def element_line(self, path: tuple[str, ...], index: int, rule_id: Optional[str] = None) -> int:
        """Line where element ``index`` of the array of tables ``path`` starts (see module doc)."""
        headers = [t for t in self.tables if t.array and t.path == path]
        if index < len(headers):
            block = headers[index]
            if rule_id is None or self._id_in(block, rule_id) or not self._id_anywhere(rule_id):
                return block.line
        if rule_id is not None:
            line = self._id_anywhere(rule_id)
            if line:
                return line
        return self.table_line(path[:-1]) if len(path) > 1 else self.table_line(path)

    def element_key_line(self, path: tuple[str, ...], index: int, key: str) -> int:
        """Line of ``key`` inside element ``index`` of an array of tables (else where the element starts)."""
        headers = [t for t in self.tables if t.array and t.path == path]
        if index < len(headers):
            return headers[index].keys.get(key, headers[index].line)
        return self.element_line(path, index)

    def _id_in(self, table: _Table, rule_id: str) -> bool:
        line = table.keys.get("id")
        return line is not None and bool(_id_pattern(rule_id).search(self.lines[line - 1]))

    def _id_anywhere(self, rule_id: str) -> int:
        pattern = _id_pattern(rule_id)
        for number, line in enumerate(self.lines, start=1):
            if pattern.search(line):
                return number
        return 0


def _id_pattern(rule_id: str) -> re.Pattern[str]:
    return re.compile(r"""(^|[\s{,])id\s*=\s*["']""" + re.escape(rule_id) + r"""["']""")


def read_toml(path: Path) -> tuple[dict[str, Any], SourceMap]:
    """Parse ``path`` as UTF-8 TOML; syntax errors become :class:`RuleSetError` with the line."""
    if tomllib is None:
        raise RuleSetError(
            QT_TRANSLATE_NOOP("domain", "Rule file {file} cannot be read: no TOML reader; install it with: python -m pip install tomli"),
            file=str(path), line=None)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError(QT_TRANSLATE_NOOP("domain", "Rule file {file} cannot be read: {detail}"),
                           file=str(path), detail=str(exc), line=None) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _position(exc, text)
        raise RuleSetError(
            QT_TRANSLATE_NOOP("domain", "Rule file {file}, line {line}, column {column}: not valid TOML: {detail}"),
            file=str(path), line=line, column=column, detail=str(exc).split(" (at ")[0]) from exc
    return data, SourceMap(text)


def _position(exc: Exception, text: str) -> tuple[int, int]:
    """(line, column) of a TOMLDecodeError: attributes on 3.14+, else parsed from the text."""
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    if found:
        return int(found.group(1)), int(found.group(2))
    if "end of document" in str(exc):
        return max(len(text.splitlines()), 1), 1
    return 1, 1
