"""Boundary points J1…Jn: axis order, closing vertex, direction, holes and parts numbered on."""
from __future__ import annotations

import math

import pytest
import shapely

from wpzf.domain.casefile import boundary_points, polygons_of

# a 40 m × 20 m rectangle in EPSG:4523 (easting with zone prefix 35, northing)
E0, N0 = 35_590_000.0, 3_250_000.0
RECT = [(E0, N0), (E0 + 40, N0), (E0 + 40, N0 + 20), (E0, N0 + 20), (E0, N0)]


def test_x_is_northing_y_is_easting_and_the_closing_vertex_is_not_repeated():
    points = boundary_points([[RECT]])
    assert [p.label for p in points] == ["J1", "J2", "J3", "J4"]
    assert all(p.x < 4_000_000 < 35_000_000 < p.y for p in points)
    # J1 is the north-west corner, then clockwise: north-east, south-east, south-west
    assert [(p.x, p.y) for p in points] == [(N0 + 20, E0), (N0 + 20, E0 + 40), (N0, E0 + 40), (N0, E0)]
    assert [p.edge for p in points] == [40.0, 20.0, 40.0, 20.0]


def test_counter_clockwise_input_is_numbered_clockwise_and_duplicates_count_once():
    ring = [RECT[0], RECT[0], RECT[3], RECT[2], RECT[1], RECT[0]]  # reversed, first vertex doubled
    points = boundary_points([[ring]])
    assert [(p.x, p.y) for p in points] == [(N0 + 20, E0), (N0 + 20, E0 + 40), (N0, E0 + 40), (N0, E0)]


def test_holes_and_parts_continue_the_numbering():
    hole = [(E0 + 10, N0 + 5), (E0 + 10, N0 + 15), (E0 + 20, N0 + 15), (E0 + 20, N0 + 5), (E0 + 10, N0 + 5)]
    far = [(x + 100, y) for x, y in RECT]
    geom = shapely.MultiPolygon([shapely.Polygon(RECT, [hole]), shapely.Polygon(far)])
    points = boundary_points(polygons_of(geom))
    assert [p.label for p in points] == [f"J{i}" for i in range(1, 13)]
    assert [(p.part, p.ring) for p in points] == [(1, 0)] * 4 + [(1, 1)] * 4 + [(2, 0)] * 4
    hole_points = [(p.y, p.x) for p in points[4:8]]
    assert hole_points[0] == (E0 + 10, N0 + 15)  # its own north-west corner first
    assert shapely.Polygon(hole_points).exterior.is_ccw  # holes run counter-clockwise
    assert len(points) == shapely.get_num_coordinates(geom) - 3  # one row per vertex, no closing repeats


def test_edges_wrap_within_each_ring():
    triangle = [(E0, N0), (E0 + 3, N0), (E0, N0 + 4)]
    points = boundary_points([[triangle]])
    assert sorted(round(p.edge, 9) for p in points) == [3.0, 4.0, 5.0]
    assert math.isclose(sum(p.edge for p in points), 12.0)


@pytest.mark.parametrize("ring", [[], [(E0, N0)], [(E0, N0), (E0 + 1, N0), (E0, N0)]])
def test_degenerate_rings_give_no_points(ring):
    assert boundary_points([[ring]]) == []
