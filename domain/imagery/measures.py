"""Change inside one patch, measured from two co-registered image windows (pure numpy).

The raster adapter resamples both images to one grid over the patch and
rasterises the patch; here the numbers are decided, so they can be checked by
hand on a few pixels. A pixel takes part only if it lies inside the patch,
both images have data there and neither shows cloud. A patch without enough
such pixels gets no score and a flag (:data:`NOT_COVERED`, :data:`NO_DATA`)
saying why: a missing score must never read as "unchanged".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..rules.imagery_rules import EXG, NDVI, ImageryRules

NOT_COVERED = "未覆盖"
PARTLY_COVERED = "部分未覆盖"
NO_DATA = "云/无数据"
PARTLY_NO_DATA = "部分云/无数据"
FLAGS = (NOT_COVERED, PARTLY_COVERED, NO_DATA, PARTLY_NO_DATA)
"""The values of BZ (标志): why a score is missing (the first and third) or rests on part of the patch."""


@dataclass(frozen=True)
class Window:
    """One image over the common grid: bands on the 8-bit scale and where the image has data.

    ``red``, ``green``, ``blue`` (and ``nir`` when the image has one) are
    float arrays of the grid's shape; ``valid`` is False where the image has
    no data (outside its footprint or its nodata value).
    """

    red: np.ndarray
    green: np.ndarray
    blue: np.ndarray
    valid: np.ndarray
    nir: Optional[np.ndarray] = None

    def brightness(self) -> np.ndarray:
        """Mean of the visible bands."""
        return (self.red + self.green + self.blue) / 3.0

    def cloud(self, rules: ImageryRules) -> np.ndarray:
        """Very bright and nearly grey: cloud (or haze) rather than ground."""
        top = np.maximum(np.maximum(self.red, self.green), self.blue)
        low = np.minimum(np.minimum(self.red, self.green), self.blue)
        saturation = np.where(top > 0, (top - low) / np.where(top > 0, top, 1.0), 0.0)
        return (self.brightness() >= rules.cloud_brightness) & (saturation <= rules.cloud_saturation)

    def vegetation(self, index: str) -> np.ndarray:
        """NDVI (needs ``nir``) or ExG; 0 where the denominator is 0 (a black pixel)."""
        if index == NDVI:
            if self.nir is None:
                raise ValueError("NDVI needs a near-infrared band")
            num, den = self.nir - self.red, self.nir + self.red
        else:
            num, den = 2.0 * self.green - self.red - self.blue, self.red + self.green + self.blue
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


@dataclass(frozen=True)
class ChangeMeasures:
    """One row of ``wpzf_imagery_change`` (without the patch, the image names and the time).

    None means not measured. ``BZ`` is "" when the whole patch was measured.
    """

    XSS: int
    LDBH: Optional[float]
    LDBH90: Optional[float]
    ZBZS: Optional[str]
    ZBBH: Optional[float]
    BHZB: Optional[float]
    LTZB: Optional[float]
    BHDF: Optional[float]
    BZ: str = ""

    @property
    def scored(self) -> bool:
        """Whether the patch has a change score (enough valid pixels)."""
        return self.BHDF is not None


def not_covered() -> ChangeMeasures:
    """The row of a patch neither image reaches."""
    return ChangeMeasures(0, None, None, None, None, None, None, None, NOT_COVERED)


def _flag(inside: int, covered: int, usable: int, rules: ImageryRules) -> tuple[str, bool]:
    """(BZ, whether a score may be given) from the pixel counts of the patch.

    ``covered``: inside the patch and inside both images' footprints;
    ``usable``: of those, with data in both and cloud in neither.
    """
    if usable == 0 and covered == 0:
        return NOT_COVERED, False
    missing_cover, missing_data = inside - covered, covered - usable
    if usable < rules.min_valid_share * inside:
        return (NOT_COVERED if missing_cover >= missing_data else NO_DATA), False
    if missing_cover > rules.flag_share * inside:
        return PARTLY_COVERED, True
    if missing_data > rules.flag_share * inside:
        return PARTLY_NO_DATA, True
    return "", True


def measure(before: Window, after: Window, inside: np.ndarray, rules: ImageryRules,
            covered: Optional[np.ndarray] = None) -> ChangeMeasures:
    """The change inside the patch (``inside``: True on the grid cells whose centre is in the patch).

    ``covered`` tells cells outside an image's footprint from cells with a
    nodata value or cloud (both are invalid in the windows); None: every cell
    of the grid is inside both footprints, so all invalid cells are no-data.
    """
    inside = np.asarray(inside, dtype=bool)
    n_inside = int(inside.sum())
    if n_inside == 0:
        return not_covered()
    in_cover = inside if covered is None else inside & covered
    usable = inside & before.valid & after.valid & ~before.cloud(rules) & ~after.cloud(rules)
    n = int(usable.sum())
    flag, scored = _flag(n_inside, int(in_cover.sum()), n, rules)
    if n == 0:
        return ChangeMeasures(0, None, None, None, None, None, None, None, flag)
    index = NDVI if before.nir is not None and after.nir is not None else EXG
    limits = rules.index(index)
    d_bright = np.abs(after.brightness() - before.brightness())[usable]
    vi_before, vi_after = before.vegetation(index)[usable], after.vegetation(index)[usable]
    d_vi = vi_after - vi_before
    changed = (d_bright > rules.brightness_change) | (np.abs(d_vi) > limits.change)
    bare = (vi_after < limits.bare) & (after.brightness()[usable] >= rules.dark)
    ldbh, ldbh90 = float(d_bright.mean()), float(np.percentile(d_bright, 90))
    zbbh, bhzb = float(d_vi.mean()), float(changed.mean())
    w_share, w_bright, w_vi = rules.weights
    score = (w_share * bhzb + w_bright * min(1.0, ldbh90 / rules.brightness_full)
             + w_vi * min(1.0, abs(zbbh) / limits.full))
    return ChangeMeasures(
        XSS=n, LDBH=ldbh, LDBH90=ldbh90, ZBZS=index, ZBBH=zbbh, BHZB=bhzb, LTZB=float(bare.mean()),
        BHDF=float(min(1.0, max(0.0, score))) if scored else None, BZ=flag)
