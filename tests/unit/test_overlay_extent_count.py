"""The overlay engine counts overlay features near the patches with its spatial index (issue 16).

domain.md §9 / issue 14: a layer wholly outside the patches is reported as
"not compared", so the count of features whose bounding box meets the
patches' bounding box must be the one :func:`features_in_extent` gives —
touching edges count, missing and empty geometries never.
"""
from __future__ import annotations

import numpy as np
import shapely

from wpzf.domain.overlay import farmland_occupation, features_in_extent
from wpzf.domain.overlay.clip import OverlayIndex
from wpzf.domain.overlay.quality import patches_box


def test_index_count_equals_bounds_count_with_touching_missing_and_empty():
    patches = np.array([shapely.box(0, 0, 10, 10), shapely.box(20, 5, 30, 8), None], dtype=object)
    overlays = np.array([
        shapely.box(30, 8, 40, 9),        # its left edge lies on x = 30, the extent's right edge: meets
        shapely.box(30.000001, 0, 40, 1),  # just right of x = 30: outside
        shapely.box(-5, -5, 0, 0),        # touches the corner (0, 0): meets
        shapely.box(-5, 10, -1, 20),      # left of x = 0: outside
        shapely.box(12, 2, 14, 4),        # between the patches but inside the extent: meets
        None,                             # missing: never
        shapely.Polygon(),                # empty: never
        shapely.box(0, 10, 30, 12),       # touches the top edge y = 10: meets
    ], dtype=object)
    # by hand: overlays 0, 2, 4, 7 meet the box (0, 0)–(30, 10)
    assert patches_box(patches) == (0.0, 0.0, 30.0, 10.0)
    assert features_in_extent(patches, overlays) == 4
    assert OverlayIndex(overlays).count_in(patches_box(patches)) == 4
    assert OverlayIndex(overlays).count_in(None) == 0


def test_farmland_occupation_reports_the_counts_of_both_layers():
    patches = [shapely.box(0, 0, 10, 10)]
    landuse = [shapely.box(0, 0, 5, 10), shapely.box(5, 0, 10, 10), shapely.box(100, 100, 110, 110)]
    basic = [shapely.box(50, 50, 60, 60)]
    result = farmland_occupation(patches, landuse, ["0101", "0203", "0101"], [0.0, 0.0, 0.0], basic,
                                 area_method="planar")
    assert result.landuse_in_extent == 2  # the far polygon at (100, 100) is not near the patch
    assert result.basic_farmland_in_extent == 0  # wholly outside: "not compared"
    assert features_in_extent(patches, landuse) == 2 and features_in_extent(patches, basic) == 0
