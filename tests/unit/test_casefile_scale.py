"""Round scale denominators chosen to fit a patch into the map frame with a margin."""
from __future__ import annotations

from itertools import islice

import pytest

from wpzf.domain.casefile import choose_scale, map_extent, round_denominators, scale_bar_segment


def test_the_series_is_the_round_one():
    assert list(islice(round_denominators(), 9)) == [500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000]
    assert next(round_denominators(1200)) == 2000


@pytest.mark.parametrize(("width", "height", "expected"), [
    (10, 10, 500),  # tiny patches are not blown up beyond 1:500
    (70, 30, 1000),  # 70 m × 1.2 = 84 m fits 90 mm at 1:1000 (84 mm)
    (80, 30, 2000),  # 96 mm would not fit 90 mm at 1:1000
    (30, 170, 2500),  # the taller side decides: 204 m = 102 mm at 1:2000
    (200, 100, 5000),  # 240 m = 96 mm at 1:2500 > 90 mm
])
def test_smallest_round_scale_that_fits_with_margin(width, height, expected):
    denominator = choose_scale(width, height, 90, 90, margin=0.1)
    assert denominator == expected
    xmin, ymin, xmax, ymax = map_extent(0, 0, denominator, 90, 90)
    assert xmax - xmin >= width * 1.2 and ymax - ymin >= height * 1.2


def test_map_extent_is_the_frame_at_that_scale_around_the_centre():
    assert map_extent(1000, 2000, 1000, 90, 60) == (955.0, 1970.0, 1045.0, 2030.0)


def test_zero_sized_frame_is_refused():
    with pytest.raises(ValueError):
        choose_scale(10, 10, 0, 90)


@pytest.mark.parametrize(("denominator", "bar_mm", "segment"), [(1000, 60, 10), (500, 60, 5), (2500, 60, 20),
                                                                  (5000, 40, 50)])
def test_scale_bar_segments_are_1_2_5_steps_that_fit(denominator, bar_mm, segment):
    step = scale_bar_segment(denominator, bar_mm, segments=4)
    assert step == segment
    assert 4 * step * 1000 / denominator <= bar_mm
