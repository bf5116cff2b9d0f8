"""The patch ID field (JCBH, 监测编号) and the Chinese alias of any patch column, declared once.

Why: the ministry numbers every patch with its 监测编号 in the field JCBH;
algorithms default their ID_FIELD parameter to it, outputs name their ID
column after it, printed pages and Excel sheets label it with its alias.
:mod:`.columns` declares the columns; this module says which one is the ID
and hands out the aliases, so output field lists repeat no alias text.
"""
from __future__ import annotations

from .columns import PATCH_COLUMNS

_ALIASES: dict[str, str] = {c.name: c.alias for c in PATCH_COLUMNS}

ID_FIELD = "JCBH"
"""The patch ID field of deliveries and of the workspace's patch table."""


def alias_of(name: str) -> str:
    """The Chinese alias of patch column ``name`` (KeyError: not a patch column)."""
    return _ALIASES[name]


ID_ALIAS = alias_of(ID_FIELD)
"""监测编号: the ID field's label on pages, sheets and outputs."""
