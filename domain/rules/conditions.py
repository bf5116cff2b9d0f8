"""The condition language of rule files: ``{ field = "…", op = "…", value = … }``, never eval().

A rule file is data an office edits, so it must not be able to run code: a
condition is a field name, one of a fixed set of operators and a literal.

Value semantics, chosen so that missing data never produces a confident
suggestion:

* :data:`MISSING` — the data was not supplied at all (a layer that was not
  overlaid, an attribute the patch table lacks). Every operator is false,
  ``exists`` and ``empty`` included, so a rule that needs the data cannot fire.
* empty — ``None``, ``""`` or an empty list: ``empty`` and ``!=``/``not_in``
  are true, everything else false.
* lists (document numbers) — ``in`` is true when any element is listed,
  ``not_in`` when none is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


class _Missing:
    """Sentinel type for data that was not supplied (distinct from an empty value)."""

    _instance: Optional[_Missing] = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

NUMBER, TEXT, LIST, ANY = "number", "text", "list", "any"
COMPARE = ("<", "<=", ">", ">=")
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "exists", "empty")
_OPS_BY_TYPE = {
    NUMBER: OPERATORS,
    TEXT: ("==", "!=", "in", "not_in", "exists", "empty"),
    LIST: ("in", "not_in", "exists", "empty"),
    ANY: OPERATORS,
}
_EPSILON = 1e-9


@dataclass(frozen=True)
class Condition:
    """One test of one field; ``value`` is absent (None) for ``exists``/``empty``."""

    field: str
    op: str
    value: Any = None

    def holds(self, actual: Any) -> bool:
        """Whether ``actual`` (the field's value for one patch) satisfies this condition."""
        return holds(self.op, actual, self.value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(value) == 0
    return False


def value_fits(field_type: str, op: str, value: Any) -> bool:
    """Whether ``op`` may be used on a field of ``field_type`` with literal ``value``."""
    if op not in _OPS_BY_TYPE[field_type]:
        return False
    if op in ("exists", "empty"):
        return value is None
    if op in COMPARE:
        return is_number(value)
    scalar_ok = is_number if field_type == NUMBER else (
        (lambda v: isinstance(v, str)) if field_type == TEXT else
        (lambda v: isinstance(v, (str, int, float))))
    if op in ("in", "not_in"):
        return isinstance(value, list) and bool(value) and all(scalar_ok(v) for v in value)
    return value is not None and scalar_ok(value)


def _as_number(value: Any) -> Optional[float]:
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def equal(a: Any, b: Any) -> bool:
    """Numbers compare numerically (text holding a number included), text trimmed."""
    if is_number(a) or is_number(b):
        x, y = _as_number(a), _as_number(b)
        return x is not None and y is not None and abs(x - y) <= _EPSILON * max(1.0, abs(x), abs(y))
    return str(a).strip() == str(b).strip()


def holds(op: str, actual: Any, value: Any) -> bool:
    """Evaluate one operator (see the module doc for MISSING, empty and list semantics)."""
    if actual is MISSING:
        return False
    if op == "exists":
        return not is_empty(actual)
    if op == "empty":
        return is_empty(actual)
    if isinstance(actual, (list, tuple)):
        return _list_holds(op, actual, value)
    if is_empty(actual):
        return op in ("!=", "not_in")
    if op in ("==", "!=", "in", "not_in"):
        return _equality_holds(op, actual, value)
    x, y = _as_number(actual), _as_number(value)
    if x is None or y is None:
        return False
    return {"<": x < y - _EPSILON, "<=": x <= y + _EPSILON,
            ">": x > y + _EPSILON, ">=": x >= y - _EPSILON}[op]


def _list_holds(op: str, actual: list | tuple, value: Any) -> bool:
    """A list field (e.g. cover keys) answers only in / not_in: does any element equal any listed value."""
    if op not in ("in", "not_in"):
        return False
    found = any(equal(a, v) for a in actual for v in value)
    return found if op == "in" else not found


def _equality_holds(op: str, actual: Any, value: Any) -> bool:
    if op == "==":
        return equal(actual, value)
    if op == "!=":
        return not equal(actual, value)
    found = any(equal(actual, v) for v in value)
    return found if op == "in" else not found
