"""抽查: a reproducible spot-check sample, stratified by town and category, weighted to large illegal patches.

Each stratum (town × 判定类型) gets a share of the sample proportional to its
weight, at least one patch when it has any; within a stratum patches are drawn
without replacement with probability proportional to their weight
(Efraimidis–Spirakis keys ``u ** (1 / w)``), using a seeded generator, so the
same seed and the same data give the same sample. The plan (seed, formula,
strata, population and sample sizes, chosen IDs) is saved beside the result.
"""
from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, WpzfError
from ..output_files import replaced_whole
from ..units import M2_PER_MU
from .statistics import PatchFigures

ILLEGAL_FACTOR = 3.0
"""An illegal patch weighs this many times a legal or other one of the same area."""


class SampleError(WpzfError, ValueError):
    """A sample size that cannot be drawn."""


@dataclass(frozen=True)
class Drawn:
    jcbh: str
    fid: int
    town: str
    category: str
    area_mu: float
    weight: float


@dataclass
class SamplePlan:
    """Everything needed to reproduce and audit a sample."""

    seed: int
    size: int
    population: int
    illegal_factor: float
    formula: str
    strata: list[dict] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)

    def save(self, path: Path) -> Path:
        """The plan as JSON at ``path`` (folder made as needed; never half-written, see :func:`replaced_whole`)."""
        path = Path(path)
        with replaced_whole(path) as partial:
            partial.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        return path


def weight_of(p: PatchFigures, illegal_factor: float = ILLEGAL_FACTOR) -> float:
    """sqrt(area in 亩, at least 0.1) × illegal factor: large and illegal patches are likelier."""
    area = (p.fact.num("TBMJ") or p.fact.num("JCMJ") or 0.0) / M2_PER_MU
    return math.sqrt(max(area, 0.1)) * (illegal_factor if p.role == "illegal" else 1.0)


def _allocate(sizes: dict[tuple, float], counts: dict[tuple, int], n: int) -> dict[tuple, int]:
    """Largest-remainder allocation of ``n`` draws by stratum weight, ≥ 1 each, ≤ stratum size."""
    keys = sorted(sizes)
    take = {k: 1 for k in keys}
    left = n - len(keys)
    total = sum(sizes.values())
    if left > 0 and total > 0:
        raw = {k: left * sizes[k] / total for k in keys}
        for k in keys:
            take[k] += int(raw[k])
        spare = n - sum(take.values())
        for k in sorted(keys, key=lambda k: (-(raw[k] - int(raw[k])), k))[:max(spare, 0)]:
            take[k] += 1
    # cap at stratum size and hand surplus to strata with room, heaviest first
    surplus = sum(max(take[k] - counts[k], 0) for k in keys)
    take = {k: min(take[k], counts[k]) for k in keys}
    for k in sorted(keys, key=lambda k: (-sizes[k], k)):
        if surplus <= 0:
            break
        extra = min(counts[k] - take[k], surplus)
        take[k] += extra
        surplus -= extra
    return take


def draw_sample(patches: Sequence[PatchFigures], size: int, seed: int,
                illegal_factor: float = ILLEGAL_FACTOR) -> tuple[list[Drawn], SamplePlan]:
    """``size`` patches (all when fewer), stratified and weighted; the plan says how."""
    if size < 1:
        raise SampleError(QT_TRANSLATE_NOOP("domain", "Sample size must be at least 1, got {size}."), size=size)
    items = [Drawn(p.fact.jcbh, p.fact.fid, p.fact.town, p.category,
                   (p.fact.num("TBMJ") or p.fact.num("JCMJ") or 0.0) / M2_PER_MU, weight_of(p, illegal_factor))
             for p in sorted(patches, key=lambda p: p.fact.jcbh)]
    strata: dict[tuple, list[Drawn]] = {}
    for item in items:
        strata.setdefault((item.town, item.category), []).append(item)
    size = min(size, len(items))
    if size < len(strata):
        # fewer draws than strata: the heaviest strata get one each
        chosen_keys = sorted(strata, key=lambda k: (-sum(d.weight for d in strata[k]), k))[:size]
        allocation = {k: (1 if k in chosen_keys else 0) for k in strata}
    else:
        allocation = _allocate({k: sum(d.weight for d in v) for k, v in strata.items()},
                               {k: len(v) for k, v in strata.items()}, size)
    rng = random.Random(seed)
    drawn: list[Drawn] = []
    plan = SamplePlan(seed, size, len(items), illegal_factor,
                      f"weight = sqrt(max(area_mu, 0.1)) × ({illegal_factor:g} if 违法 else 1); "
                      "strata = town × category, allocation ∝ stratum weight (≥ 1 each); "
                      "draw without replacement by key u^(1/weight), seeded")
    for key in sorted(strata):
        members = strata[key]
        keyed = sorted(((rng.random() ** (1.0 / d.weight), d) for d in members), key=lambda t: (-t[0], t[1].jcbh))
        picked = [d for _, d in keyed[:allocation[key]]]
        drawn += picked
        plan.strata.append({"town": key[0], "category": key[1], "population": len(members),
                            "weight": round(sum(d.weight for d in members), 6), "sample": len(picked),
                            "chosen": [d.jcbh for d in picked]})
    drawn.sort(key=lambda d: (d.town, d.category, d.jcbh))
    plan.chosen = [d.jcbh for d in drawn]
    return drawn, plan
