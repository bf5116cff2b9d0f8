"""Map classes for colouring the patch layer (issue 19: "colour the map by category/stage with one click")."""
from __future__ import annotations

from wpzf.domain.rules.parse import load_named_ruleset
from wpzf.domain.workbench.map_classes import (
    ROLE_COLOURS,
    STAGE_COLOURS,
    UNDECIDED_COLOUR,
    decision_classes,
    stage_classes,
)


def test_decision_classes_follow_the_rule_sets_categories_and_roles():
    ruleset = load_named_ruleset("2022-chongqing")
    classes = decision_classes(ruleset.categories)
    assert [(c.value, c.colour) for c in classes] == [
        ("合法", ROLE_COLOURS["legal"]), ("违法", ROLE_COLOURS["illegal"]), ("其他", ROLE_COLOURS["other"]),
        (None, UNDECIDED_COLOUR)]


def test_stage_classes_label_each_batch_with_its_stage_and_grey_when_locked():
    classes = stage_classes([(1, "2022-05", "二上", True), (2, "2022-06", "一上", False), (3, "2022-07", "x", False)])
    assert [(c.value, c.label) for c in classes] == [(1, "2022-05（锁定）"), (2, "2022-06（一上）"), (3, "2022-07（x）")]
    assert [c.colour for c in classes][:2] == [STAGE_COLOURS["锁定"], STAGE_COLOURS["一上"]]
