"""What the technician sees of the imagery pre-screening (影像变化预筛): the list's score, bands, the form's line.

The screening (``wpzf:imagerychange``) stores one row per patch in
``wpzf_imagery_change``. The patch list shows its 变化得分 (BHDF) and filters by
band, with the thresholds of the workspace's rule set ``[imagery]``, so
"unchanged" in the list means what it means to the pre-judgement:

* :data:`UNCHANGED` — score ≤ ``unchanged_score`` and the whole patch measured
  (no flag): the pre-judgement would suggest 实地未变化;
* :data:`CHANGED` — score ≥ ``changed_score`` (a strong change in the measured
  part counts even when part of the patch was not covered);
* :data:`BETWEEN` — any other score;
* :data:`NO_SCORE` — not screened, no score (未覆盖, 云/无数据), or a low score
  that rests on part of the patch only (flagged): never read as "unchanged".

Without thresholds (the rule set has no ``[imagery]``) a scored patch is
:data:`SCORED`: the list cannot say what "low" means.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Optional

from ..messages import QT_TRANSLATE_NOOP
from ..rules.imagery_rules import imagery_rules
from ..rules.ruleset import available_rulesets
from ..rules.source import RuleSetError
from ..workspace.interface import SqlConnection
from ..workspace.judgement import DEFAULT_RULESET

UNCHANGED, CHANGED, BETWEEN, NO_SCORE, SCORED = "unchanged", "changed", "between", "none", "scored"
BANDS: tuple[str, ...] = (UNCHANGED, BETWEEN, CHANGED, NO_SCORE)
"""The filter's choices, in the order the combo lists them (:data:`SCORED` only without thresholds)."""

TABLE = "wpzf_imagery_change"


@dataclass(frozen=True)
class ChangeBands:
    """The rule set's two score thresholds (``[imagery]`` unchanged_score < changed_score)."""

    unchanged: float
    changed: float


def band(score: Optional[float], flag: str, bands: Optional[ChangeBands]) -> str:
    """The filter band of a patch with stored score ``score`` (None: none) and flag ``flag`` ('' : none)."""
    if score is None:
        return NO_SCORE
    if bands is None:
        return SCORED
    if score >= bands.changed:
        return CHANGED
    if flag:
        return NO_SCORE
    return UNCHANGED if score <= bands.unchanged else BETWEEN


def score_text(score: Optional[float], flag: str) -> str:
    """The 变化得分 cell: '0.42', the flag when there is no score ('未覆盖'), both when partly measured."""
    if score is None:
        return flag
    return f"{score:.2f}" + (f" ({flag})" if flag else "")


def score_key(score: Optional[float]) -> tuple[int, float]:
    """Sort key of the 变化得分 column: numeric, patches without a score after the others in ascending order."""
    return (1, 0.0) if score is None else (0, score)


def ruleset_bands(conn: SqlConnection) -> Optional[ChangeBands]:
    """The thresholds of the workspace's rule set (``wpzf_meta`` 'ruleset'); None when it has no ``[imagery]``.

    Reads only the ``[imagery]`` section (the list reloads often). A rule set
    name that is neither shipped nor a .toml path raises :class:`RuleSetError`.
    """
    row = conn.execute("SELECT value FROM wpzf_meta WHERE key = 'ruleset'").fetchone()
    name = row[0] if row and row[0] else DEFAULT_RULESET
    path = Path(name) if name.lower().endswith(".toml") else available_rulesets().get(name)
    if path is None:
        raise RuleSetError(QT_TRANSLATE_NOOP("domain", "Unknown rule set {name!r}; available: {names}."), name=name,
                           names=", ".join(available_rulesets()) or "-")
    rules = imagery_rules(path, required=False)
    return None if rules is None else ChangeBands(rules.unchanged_score, rules.changed_score)


class PatchImagery(NamedTuple):
    """One stored row of ``wpzf_imagery_change``, for the decision form."""

    pixels: Optional[int]
    brightness: Optional[float]
    brightness90: Optional[float]
    index_name: Optional[str]
    """NDVI or ExG (ZBZS)."""
    index_change: Optional[float]
    changed_share: Optional[float]
    bare_share: Optional[float]
    score: Optional[float]
    flag: str
    before: str
    after: str
    computed_at: str


def patch_imagery(conn: SqlConnection, fid: int) -> Optional[PatchImagery]:
    """The stored screening of patch ``fid`` (by its primary key), None when it was never screened."""
    row = conn.execute(
        f'SELECT "XSS", "LDBH", "LDBH90", "ZBZS", "ZBBH", "BHZB", "LTZB", "BHDF", "BZ", "YXQ", "YXH", "JSSJ" '
        f"FROM {TABLE} WHERE patch_fid = ?", (int(fid),)).fetchone()
    if row is None:
        return None
    pixels, brightness, brightness90, index, index_change, changed, bare, score = row[:8]
    return PatchImagery(None if pixels is None else int(pixels), _float(brightness), _float(brightness90), index,
                        _float(index_change), _float(changed), _float(bare), _float(score), row[8] or "",
                        row[9] or "", row[10] or "", row[11] or "")


def _float(value: object) -> Optional[float]:
    return None if value is None else float(value)  # type: ignore[arg-type]
