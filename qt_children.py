"""Python QObject children of objects QGIS created, kept whole while their parent lives.

Why: a QObject subclass written in Python and parented to a C++-created
object (a layer or layout read from a project) is owned by sip through the
parent's *wrapper*; when that temporary wrapper goes, the Python half goes
too and the child's slots silently stop (the C++ QObject stays, as a plain
QObject). Holding the Python object here until Qt destroys the child keeps
both halves together and still lets the child die with its parent.
"""
from __future__ import annotations

import functools

from qgis.PyQt.QtCore import QObject

_alive: dict[int, QObject] = {}


def _forget(key: int, *_args) -> None:
    _alive.pop(key, None)


def keep_alive(child: QObject) -> QObject:
    """Hold ``child``'s Python object until Qt destroys the child (with its parent, or when deleted)."""
    key = id(child)
    _alive[key] = child
    child.destroyed.connect(functools.partial(_forget, key))
    return child


def held(kind: type) -> list[QObject]:
    """The held children of ``kind`` (plugin unload deletes its own)."""
    return [child for child in _alive.values() if isinstance(child, kind)]
