"""Page text: areas in m² and 亩 from unrounded values, missing values, table pagination."""
from __future__ import annotations

import pytest

from wpzf.domain.casefile import (
    MISSING,
    PatchFacts,
    area_text,
    boundary_points,
    coordinate_rows,
    crs_note,
    info_rows,
    paginate,
)
from wpzf.domain.units import M2_PER_MU


def test_area_in_square_metres_and_mu_both_from_the_unrounded_value():
    # 3.334 m² = 0.005001 亩 → 0.01; converting the rounded 3.33 m² would give 0.004995 → 0.00
    assert area_text(3.334) == "3.33 m²（0.01 亩）"
    assert area_text(M2_PER_MU * 10) == "6666.67 m²（10.00 亩）"
    assert area_text(1000.0) == "1000.00 m²（1.50 亩）"
    assert area_text(None) == MISSING


def test_missing_decision_and_farmland_print_a_dash():
    rows = dict(info_rows(PatchFacts(jcbh="500118202205001", area_m2=2000.0, decision=None, farmland_m2=None)))
    assert rows["监测编号"] == "500118202205001"
    assert rows["图斑面积"] == "2000.00 m²（3.00 亩）"
    assert rows["占用耕地面积"] == rows["判定结果"] == rows["判定依据"] == rows["所在乡镇（街道）"] == MISSING


def test_decision_with_situation_and_centre():
    rows = dict(info_rows(PatchFacts(jcbh="A", decision="其他", situation="设施农用地", centre_x=3250000.12345,
                                     centre_y=35590000.5, town="大安街道")))
    assert rows["判定结果"] == "其他（设施农用地）"
    assert rows["中心点坐标"] == "X=3250000.123  Y=35590000.500"
    assert rows["所在乡镇（街道）"] == "大安街道"


def test_coordinate_rows_one_per_point():
    points = boundary_points([[[(35590000.0, 3250000.0), (35590010.0, 3250000.0), (35590010.0, 3250010.0)]]])
    rows = coordinate_rows(points)
    assert [r[0] for r in rows] == ["J1", "J2", "J3"]
    assert rows[0] == ("J1", "3250010.000", "35590010.000", "10.00")  # north-west-most corner, X = northing
    assert rows[2] == ("J3", "3250000.000", "35590000.000", "14.14")


@pytest.mark.parametrize(("n", "sizes"), [(0, [0]), (5, [5]), (20, [20]), (21, [20, 1]), (75, [20, 50, 5])])
def test_pagination_continues_on_full_pages(n, sizes):
    pages = paginate(list(range(n)), 20, 50)
    assert [len(p.rows) for p in pages] == sizes
    assert [p.continued for p in pages] == [False] + [True] * (len(sizes) - 1)
    assert [r for p in pages for r in p.rows] == list(range(n))
    assert pages[-1].title.endswith("（续表）") == (len(sizes) > 1)


def test_pagination_refuses_empty_pages():
    with pytest.raises(ValueError):
        paginate([1], 0, 10)


def test_crs_note_names_the_zone_and_the_axis_convention():
    note = crs_note(4523)
    assert "第35带" in note and "105°E" in note and "EPSG:4523" in note and "横坐标含带号" in note
    assert "X 为纵坐标（北）" in note
    assert "第35带" in crs_note(4544) and "带号" not in crs_note(4544)
    assert "EPSG:4490" in crs_note(4490, "CGCS2000")
