"""Classes for colouring the patch layer with one click: by decision (判定类型) or by stage (阶段).

Why: the office looks at the month on the canvas — which patches are still
undecided, which are illegal, which batches are locked — without building a
renderer by hand. The decision classes come from the workspace's rule set
(its categories and their roles), so a province with other category names
gets them; the stage classes from the workspace's batches (a patch's stage is
its batch's). Colours say the role: red illegal, green legal, grey other,
amber not yet decided; stages go from warm (in progress) to grey (locked).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..messages import QT_TRANSLATE_NOOP
from ..rules.ruleset import Category

ROLE_COLOURS = {"illegal": "#d7301f", "legal": "#2e9d4a", "other": "#8c8c8c"}
UNDECIDED_COLOUR = "#f5a623"
STAGE_COLOURS = {"核查中": "#fdae61", "一上": "#4575b4", "一下": "#9e67c4", "二上": "#313695", "锁定": "#969696"}
OTHER_STAGE_COLOUR = "#bdbdbd"
UNDECIDED = QT_TRANSLATE_NOOP("domain", "Not decided")


@dataclass(frozen=True)
class MapClass:
    """One class of the renderer: the field value (None: empty), its legend label and fill colour."""

    value: object
    label: str
    colour: str


def decision_classes(categories: Iterable[Category]) -> list[MapClass]:
    """PDLX classes: each category of the rule set in its role's colour, then the undecided (empty PDLX)."""
    classes = [MapClass(c.name, c.name, ROLE_COLOURS.get(c.role, ROLE_COLOURS["other"])) for c in categories]
    return classes + [MapClass(None, UNDECIDED, UNDECIDED_COLOUR)]


def stage_classes(batches: Iterable[tuple[int, str, str, bool]]) -> list[MapClass]:
    """batch_id classes from (id, name, stage, locked): labelled "2022-05（一上）", coloured by stage."""
    out = []
    for batch_id, name, stage, locked in batches:
        shown = "锁定" if locked else stage
        out.append(MapClass(batch_id, f"{name}（{shown}）", STAGE_COLOURS.get(shown, OTHER_STAGE_COLOUR)))
    return out
