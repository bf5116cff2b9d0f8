"""趋势分析 month by month, progress since the previous bulletin, findings — figures computed by hand.

工作方案: "分析各镇街违法形势和趋势，适时通报工作进展情况"; 四(二) "全区查处整改情况统计时间截至2022年12月31日";
domain.md §9 "As at a date: every figure is computed from what was true on that date: progress (拆除, 复耕,
补办, 结案) counts only if dated on or before it" and "Rectified farmland needs 复耕 … or 补办 approval".
The small year is tests/helpers/trend_district.py (its table lists every patch and record).
"""
from __future__ import annotations

import datetime as dt

import pytest
from trend_district import NAMES, T1, T2, build

from wpzf.domain.reporting.facts import load_facts
from wpzf.domain.reporting.periods import parse_period
from wpzf.domain.reporting.statistics import compute_statistics
from wpzf.domain.reporting.trends import (
    compute_progress,
    compute_trend,
    previous_bulletin,
    progress_finding,
    top_towns,
    town_findings,
    trend_finding,
)
from wpzf.domain.rules import available_rulesets, load_ruleset
from wpzf.domain.workspace.store import Workspace


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    ws = Workspace.open(build(tmp_path_factory.mktemp("trend") / "ws.gpkg"))
    try:
        return load_facts(ws)
    finally:
        ws.close()


def test_the_year_month_by_month_as_at_each_months_end(facts, ruleset):
    trend = compute_trend(facts, ruleset, 2022, names=NAMES)
    assert trend.as_of == dt.date(2022, 12, 31) and trend.months == list(range(1, 13))
    # delivered: A1 A2 in Jan, B1 B2 B3 in Mar, C1 in Jun (batch JSRQ)
    assert trend.cumulative("delivered") == [2, 2, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6]
    assert trend.in_month("delivered") == [2, 0, 3, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert trend.cumulative("decided") == [2, 2, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5]  # B3 never decided
    assert trend.cumulative("illegal") == [1, 1, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4]
    # A1 rectified on 04-20, B2 on 07-10
    assert trend.cumulative("rectified") == [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    assert trend.in_month("rectified") == [0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    # counted illegal farmland: 4 (A1) → +3 +8 (B1 B2) = 15 → +1 (C1) = 16
    assert trend.cumulative("illegal_farmland_mu") == pytest.approx([4, 4, 15, 15, 15, 16, 16, 16, 16, 16, 16, 16])
    # still occupied: Jan 4; Feb 4 − 2 复耕 = 2; Mar 2 + 3 + 8 = 13; Apr A1 复耕 4 → 0 + 11 = 11;
    # Jun + 1 = 12; Jul B2 补办耕地 8 → 4
    assert trend.cumulative("after_farmland_mu") == pytest.approx([4, 2, 13, 11, 11, 12, 4, 4, 4, 4, 4, 4])
    assert trend.cumulative("illegal", T1) == [1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3]
    assert trend.cumulative("rectified", T2) == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    assert trend.cumulative("after_farmland_mu", T2) == pytest.approx([0, 0, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0])
    assert trend.towns() == [T1, T2] and trend.name(T1) == "甲镇"


def test_the_december_point_is_the_years_statistics(facts, ruleset):
    """Every number equals wpzf:townstatistics PERIOD=2022 (as at 2022-12-31): the same computation."""
    trend = compute_trend(facts, ruleset, 2022)
    year = compute_statistics(facts, ruleset, parse_period("2022"))
    last = trend.points[-1].stats
    for mine, theirs in zip([last.total, *last.towns], [year.total, *year.towns]):
        assert vars(mine) == vars(theirs)
    # 五(三): ratio = 16 counted / (5 legal 农用地转用 + 16 illegal construction)
    assert last.total.ratio == pytest.approx(16 / 21)


def test_a_mid_month_as_at_date_stops_the_last_point_there(facts, ruleset):
    trend = compute_trend(facts, ruleset, 2022, as_of=dt.date(2022, 4, 10))
    assert trend.months == [1, 2, 3, 4] and trend.points[-1].as_of == dt.date(2022, 4, 10)
    # A1's completion is dated 04-20: as at 04-10 its 2 亩 复耕 of 02-15 is all that counts
    assert trend.cumulative("rectified")[-1] == 0
    assert trend.cumulative("after_farmland_mu")[-1] == pytest.approx(13)


def test_progress_since_the_previous_quarter_by_town(facts, ruleset):
    previous = previous_bulletin(parse_period("2022-Q3"))
    assert previous == dt.date(2022, 6, 30)
    progress = compute_progress(facts, ruleset, previous, dt.date(2022, 9, 30), NAMES)
    district = progress.district
    assert (district.change.delivered, district.change.decided, district.change.rectified) == (0, 0, 1)
    assert (district.before.after_farmland_mu, district.after.after_farmland_mu) == (pytest.approx(12),
                                                                                      pytest.approx(4))
    changed = progress.changed()
    assert [c.code for c in changed] == [T2] and changed[0].change.after_farmland_mu == pytest.approx(-8)
    text = str(progress_finding(progress))
    assert "Since 2022-06-30" in text and "1 rectified" in text and "fell from 12.00 mu to 4.00 mu" in text


def test_previous_bulletin_dates():
    assert previous_bulletin(parse_period("2022-05")) == dt.date(2022, 4, 30)
    assert previous_bulletin(parse_period("2022-Q1")) == dt.date(2021, 12, 31)
    assert previous_bulletin(parse_period("2022")) == dt.date(2022, 9, 30)


def test_progress_from_the_previous_year_starts_at_zero(facts, ruleset):
    progress = compute_progress(facts, ruleset, dt.date(2021, 12, 31), dt.date(2022, 3, 31), NAMES)
    assert progress.district.change.delivered == 5 and progress.district.before.delivered == 0


def test_findings_in_sentences_follow_the_ranking(facts, ruleset):
    stats = compute_statistics(facts, ruleset, parse_period("2022"), NAMES)
    trend = compute_trend(facts, ruleset, 2022, names=NAMES)
    assert str(trend_finding(trend)) == (
        "As at 2022-12-31, 6 patches were delivered this year, 5 decided and 4 found illegal, occupying 16.00 mu "
        "of counted farmland; 2 are rectified and 4.00 mu of farmland is still illegally occupied.")
    rows = town_findings(stats)
    # 约谈 0.4 违法占耕 + 0.3 未整改占比 + 0.3 比例 (each ÷ the towns' maximum): 甲 8 亩, 未整改 5/11, 比例 8/8 = 1.0;
    # 乙 8 亩, 未整改 0/10, 比例 8/(5 + 8) → 0.4 + 0 + 0.3 × 0.615 ≈ 0.58: 甲 first
    assert [r[0].code for r in rows] == [T1, T2]
    first = str(rows[0][3])
    assert first.startswith("甲镇: 3 illegal patches with 8.00 mu counted farmland, 4.00 mu still occupied")
    assert "1 of 3 rectified (33%)" in first and "rank 1 of 2" in first
    assert [t.code for t in top_towns(stats, 1)] == [T1]  # 8 亩 each: the tie goes to the lower code
