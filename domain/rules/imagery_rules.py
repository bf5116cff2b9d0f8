"""The rule set's ``[imagery]`` section: thresholds of the imagery pre-screening (影像变化预筛).

Why in the rule set and not in code: what counts as "changed", "bare" or
"cloud" depends on the imagery an office buys (sensor, season, processing
level), so the office tunes these numbers beside its other rules, with the
reasoning written next to them in the rule file. Every key is required: a
screening whose thresholds silently fell back to a programmer's guess could
not be defended. The section itself is optional; a rule set without it cannot
run the screening (:func:`imagery_rules` says so), and pre-judgement simply
does not use imagery.

Brightness values are on the 8-bit scale (0–255) whatever the image's data
type: the raster adapter rescales 16-bit imagery before measuring.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP
from .reader import Reader, Where
from .source import RuleSetError, read_toml

SECTION = "imagery"
NDVI, EXG = "NDVI", "ExG"


@dataclass(frozen=True)
class IndexThresholds:
    """Thresholds of one vegetation index (NDVI with a near-infrared band, ExG with visible bands only)."""

    bare: float
    """A pixel below this value (and brighter than ``dark``) is bare soil or built-up."""
    change: float
    """A pixel whose index changed by more than this (either way) is changed."""
    full: float
    """An index change (patch mean) of this size gives the full vegetation part of the score."""


@dataclass(frozen=True)
class ImageryRules:
    """Every threshold of the screening; see ``rules/2022-chongqing.toml`` ``[imagery]`` for the reasoning."""

    brightness_change: float
    brightness_full: float
    dark: float
    cloud_brightness: float
    cloud_saturation: float
    min_valid_share: float
    flag_share: float
    weights: tuple[float, float, float]
    ndvi: IndexThresholds
    exg: IndexThresholds
    unchanged_score: float
    changed_score: float
    regrowth_bare_max: float

    def index(self, name: str) -> IndexThresholds:
        """Thresholds of ``NDVI`` or ``ExG``."""
        return self.ndvi if name == NDVI else self.exg


_TOP = ("brightness_change", "brightness_full", "dark", "cloud_brightness", "cloud_saturation",
        "min_valid_share", "flag_share", "weights", "unchanged_score", "changed_score", "regrowth_bare_max")
_INDEX = ("bare", "change", "full")
_SHARES = ("cloud_saturation", "min_valid_share", "flag_share", "unchanged_score", "changed_score",
           "regrowth_bare_max")


def parse_imagery(r: Reader, table: Optional[dict[str, Any]]) -> Optional[ImageryRules]:
    """``[imagery]`` → :class:`ImageryRules` (None when the section is absent); errors name file and line."""
    if table is None:
        return None
    where = Where((SECTION,))
    r.only(table, _TOP + ("ndvi", "exg"), where)
    values = {key: r.get(table, key, "number", where) for key in _TOP if key != "weights"}
    for key in _SHARES:
        if not 0.0 <= values[key] <= 1.0:
            r.fail("type", where, key, value=values[key], example="0.25")
    weights = _weights(r, table, where)
    if values["unchanged_score"] >= values["changed_score"]:
        r.fail("type", where, "unchanged_score", value=values["unchanged_score"],
               example=f"< changed_score ({values['changed_score']})")
    indexes = {name: _index(r, r.get(table, name, "table", where), Where((SECTION, name)))
               for name in ("ndvi", "exg")}
    return ImageryRules(weights=weights, ndvi=indexes["ndvi"], exg=indexes["exg"], **values)


def _weights(r: Reader, table: dict[str, Any], where: Where) -> tuple[float, float, float]:
    """Three non-negative weights summing to 1 (changed share, brightness, vegetation)."""
    value = table.get("weights")
    numbers = value if isinstance(value, list) else []
    ok = len(numbers) == 3 and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
                                   for v in numbers)
    if not ok or abs(sum(numbers) - 1.0) > 1e-6:
        r.fail("type", where, "weights", value=value, example="[0.5, 0.25, 0.25]")
    return float(numbers[0]), float(numbers[1]), float(numbers[2])


def _index(r: Reader, table: dict[str, Any], where: Where) -> IndexThresholds:
    r.only(table, _INDEX, where)
    values = {key: r.get(table, key, "number", where) for key in _INDEX}
    for key in ("change", "full"):
        if values[key] <= 0:
            r.fail("type", where, key, value=values[key], example="0.2")
    return IndexThresholds(**values)


def imagery_rules(path: Path, required: bool = True) -> Optional[ImageryRules]:
    """The ``[imagery]`` thresholds of the rule file at ``path``.

    ``required``: a rule set without the section is an error naming the file
    (the screening needs it); otherwise None (pre-judgement without imagery).
    """
    data, source = read_toml(Path(path))
    r = Reader(Path(path), source)
    table = data.get(SECTION)
    if table is not None and not isinstance(table, dict):
        r.fail("type", Where(), SECTION, value=table, example="[imagery]")
    rules = parse_imagery(r, table)
    if rules is None and required:
        raise RuleSetError(QT_TRANSLATE_NOOP(
            "domain", "Rule file {file} has no [imagery] section: the imagery screening needs its thresholds."),
            file=str(path), line=None)
    return rules
