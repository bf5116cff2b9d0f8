"""Per-patch change measures of the imagery screening (issue 22), on hand-built pixel arrays.

Issue 22: "Per patch: pixels used (inside the patch, resampled to a common grid), mean and
90th-percentile change of brightness, change of NDVI when NIR exists (else … ExG), share of
pixels whose change exceeds the threshold, bare-soil/built-up share after, a change score
0–1, and a flag when the images do not cover the patch or are cloudy/no-data (never a silent
zero)." Every expected number below is worked out by hand from the colours, with the shipped
rule set's [imagery] thresholds (brightness_change 30, brightness_full 60, ExG change 0.10,
ExG full 0.25, ExG bare 0.05, dark 80, weights 0.5/0.25/0.25, min_valid_share 0.5).
"""
from __future__ import annotations

import numpy as np
import pytest

from wpzf.domain.imagery.measures import (
    NO_DATA,
    NOT_COVERED,
    PARTLY_COVERED,
    Window,
    measure,
)
from wpzf.domain.rules import load_named_ruleset
from wpzf.domain.rules.imagery_rules import imagery_rules

PADDY = (104, 140, 86)     # brightness 110, ExG (280 − 190) / 330 = 0.272727
CONCRETE = (192, 192, 186)  # brightness 190, ExG (384 − 378) / 570 = 0.010526
BARE = (200, 172, 136)      # brightness 169.333, ExG (344 − 336) / 508 = 0.015748
CLOUD = (250, 250, 248)     # brightness 249.33 ≥ 235, saturation 2 / 250 = 0.008 ≤ 0.10
WHITE_ROOF = (226, 226, 221)  # brightness 224.33 < 235: a roof, not cloud


@pytest.fixture(scope="module")
def rules():
    return imagery_rules(load_named_ruleset("2022-chongqing").path)


def window(colours, valid=None, nir=None) -> Window:
    """A window from an (h, w, 3) array of RGB colours."""
    rgb = np.asarray(colours, dtype=np.float32)
    ok = np.ones(rgb.shape[:2], dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
    return Window(red=rgb[..., 0], green=rgb[..., 1], blue=rgb[..., 2], valid=ok,
                  nir=None if nir is None else np.asarray(nir, dtype=np.float32))


def filled(colour, shape=(4, 4)):
    return np.broadcast_to(np.asarray(colour, dtype=np.float32), shape + (3,)).copy()


INSIDE = np.ones((4, 4), dtype=bool)


def test_an_unchanged_patch_scores_zero_and_is_not_flagged(rules):
    m = measure(window(filled(PADDY)), window(filled(PADDY)), INSIDE, rules)
    assert (m.XSS, m.LDBH, m.LDBH90, m.ZBBH, m.BHZB, m.BHDF, m.BZ) == (16, 0.0, 0.0, 0.0, 0.0, 0.0, "")
    assert m.ZBZS == "ExG" and m.LTZB == 0.0  # paddy is vegetation (ExG 0.27 ≥ 0.05)


def test_half_built_patch(rules):
    after = filled(PADDY)
    after[:2] = CONCRETE  # 8 of 16 pixels
    m = measure(window(filled(PADDY)), window(after), INSIDE, rules)
    assert m.XSS == 16
    assert m.LDBH == pytest.approx(40.0)        # (8 × 80 + 8 × 0) / 16
    assert m.LDBH90 == pytest.approx(80.0)      # the 90th percentile of eight 0s and eight 80s
    assert m.ZBBH == pytest.approx(8 * (6 / 570 - 90 / 330) / 16, abs=1e-6)  # −0.131100
    assert m.BHZB == 0.5 and m.LTZB == 0.5
    # 0.5 × 0.5 + 0.25 × min(1, 80/60) + 0.25 × 0.131100 / 0.25
    assert m.BHDF == pytest.approx(0.25 + 0.25 + (90 / 330 - 6 / 570) / 2, abs=1e-6)
    assert m.BZ == ""


def test_vegetation_removed(rules):
    m = measure(window(filled(PADDY)), window(filled(BARE)), INSIDE, rules)
    assert m.LDBH == pytest.approx(508 / 3 - 110, abs=1e-4) and m.LDBH90 == pytest.approx(508 / 3 - 110, abs=1e-4)
    assert m.ZBBH == pytest.approx(8 / 508 - 90 / 330, abs=1e-6)  # −0.256979
    assert (m.BHZB, m.LTZB) == (1.0, 1.0)
    # 0.5 + 0.25 × 59.333/60 + 0.25 × min(1, 0.256979/0.25)
    assert m.BHDF == pytest.approx(0.5 + 0.25 * (508 / 3 - 110) / 60 + 0.25, abs=1e-5)


def test_ndvi_with_a_near_infrared_band(rules):
    # before: red 100, NIR 200 → NDVI 1/3; after: red 110, NIR 120 → 10/230; change −0.289855 > 0.20
    before = window(filled((100, 140, 86)), nir=np.full((4, 4), 200.0))
    after = window(filled((110, 140, 86)), nir=np.full((4, 4), 120.0))
    m = measure(before, after, INSIDE, rules)
    assert m.ZBZS == "NDVI"
    assert m.ZBBH == pytest.approx(10 / 230 - 1 / 3, abs=1e-6)
    assert m.BHZB == 1.0  # brightness moved only 3.33, the NDVI change alone marks the pixels
    assert m.LTZB == 1.0  # NDVI 0.043 < 0.20 and brightness 112 ≥ 80
    # 0.5 × 1 + 0.25 × (10/3)/60 + 0.25 × 0.289855/0.40
    assert m.BHDF == pytest.approx(0.5 + 0.25 * (10 / 3) / 60 + 0.25 * (1 / 3 - 10 / 230) / 0.4, abs=1e-5)


def test_a_patch_partly_outside_the_image_is_measured_on_the_covered_part_and_flagged(rules):
    covered = np.zeros((4, 4), dtype=bool)
    covered[:, :3] = True  # 12 of 16 cells inside both footprints; GDAL's alpha says no data outside
    after = filled(PADDY)
    after[0, 0] = BARE
    m = measure(window(filled(PADDY), covered), window(after, covered), INSIDE, rules, covered)
    assert m.XSS == 12 and m.BZ == PARTLY_COVERED
    assert m.BHZB == pytest.approx(1 / 12)  # one changed pixel among the twelve measured, not among 16
    assert m.BHDF is not None


def test_a_patch_mostly_outside_gets_no_score_but_the_reason(rules):
    covered = np.zeros((4, 4), dtype=bool)
    covered[:, :1] = True  # 4 of 16 < half
    m = measure(window(filled(PADDY), covered), window(filled(BARE), covered), INSIDE, rules, covered)
    assert (m.XSS, m.BHDF, m.BZ) == (4, None, NOT_COVERED)
    assert m.LDBH == pytest.approx(508 / 3 - 110, abs=1e-4)  # the figures of the part seen are kept


def test_cloud_and_no_data_give_no_score_and_say_so(rules):
    after = filled(PADDY)
    after[:3] = CLOUD  # 12 cloudy cells
    m = measure(window(filled(PADDY)), window(after), INSIDE, rules)
    assert (m.XSS, m.BHDF, m.BZ) == (4, None, NO_DATA)
    nodata = np.ones((4, 4), dtype=bool)
    nodata[1:] = False  # the before image's nodata value on 12 cells
    m = measure(window(filled(PADDY), nodata), window(filled(PADDY)), INSIDE, rules)
    assert (m.XSS, m.BHDF, m.BZ) == (4, None, NO_DATA)


def test_a_white_roof_is_not_cloud(rules):
    m = measure(window(filled(PADDY)), window(filled(WHITE_ROOF)), INSIDE, rules)
    assert m.XSS == 16 and m.BZ == "" and m.BHDF == pytest.approx(1.0)


def test_only_cells_inside_the_patch_count(rules):
    inside = np.zeros((4, 4), dtype=bool)
    inside[1:3, 1:3] = True  # 4 cells
    after = filled(BARE)
    after[1:3, 1:3] = PADDY  # changed only outside the patch
    m = measure(window(filled(PADDY)), window(after), inside, rules)
    assert (m.XSS, m.BHZB, m.BHDF) == (4, 0.0, 0.0)
    empty = measure(window(filled(PADDY)), window(after), np.zeros((4, 4), dtype=bool), rules)
    assert (empty.XSS, empty.BHDF, empty.BZ) == (0, None, NOT_COVERED)
