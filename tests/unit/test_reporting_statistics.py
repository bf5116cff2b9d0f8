"""镇街统计 on a hand-computed two-town district: every figure asserted exactly."""
from __future__ import annotations

import pytest
from reporting_district import T1, T2, build

from wpzf.domain.reporting.facts import leaves, load_facts, originals
from wpzf.domain.reporting.periods import parse_period
from wpzf.domain.reporting.statistics import compute_statistics
from wpzf.domain.rules import RULES_FOLDER, load_ruleset
from wpzf.domain.workspace.store import Workspace

RULESET = RULES_FOLDER / "2022-chongqing.toml"
approx = pytest.approx


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    path = build(tmp_path_factory.mktemp("stats") / "ws.gpkg")
    with Workspace.open(path) as ws:
        return load_facts(ws)


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULESET)


def test_split_patches_are_counted_once_in_each_view(facts):
    assert sorted(f.jcbh for f in originals(facts)) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
    assert sorted(f.jcbh for f in leaves(facts)) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7_1", "P7_2"]


def test_town_figures_equal_the_hand_computed_values(facts, ruleset):
    stats = compute_statistics(facts, ruleset, parse_period("2022"), {T1: "卫星湖街道", T2: "南大街街道"})
    t1, t2 = stats.towns
    assert (t1.code, t1.name, t2.code) == (T1, "卫星湖街道", T2)
    assert (t1.issued_count, t1.verified_count, t2.issued_count, t2.verified_count) == (3, 3, 4, 5)
    assert t1.issued_mu == approx(22) and t2.issued_mu == approx(20)
    assert t1.decided == {"合法": 1, "违法": 2}
    assert t2.decided == {"违法": 2, "合法": 1, "其他": 1, "未判定": 1}
    # town 1: P2 demolished and re-cultivated (复耕 6 亩), P3 half done: 复耕 1 + 补办耕地 1 of its 4 亩 farmland
    # (domain.md §9: rectified farmland needs 复耕 or 补办; nothing is prorated any more)
    assert (t1.illegal_count, t1.rectified_count, t1.in_progress_count, t1.not_started_count) == (2, 1, 1, 0)
    assert t1.illegal_mu == approx(12) and t1.illegal_farmland_mu == approx(10) and t1.illegal_jbnt_mu == approx(2)
    assert t1.after_area_mu == approx(2) and t1.after_farmland_mu == approx(2)
    assert t1.rectified_mu == approx(10) and t1.unrectified_mu == approx(2)
    assert t1.demolished_mu == approx(9) and t1.approved_mu == approx(1)
    assert t1.construction_farmland_mu == approx(15) and t1.ratio == approx(10 / 15)
    assert t1.rectified_farmland_mu == approx(8) and t1.estimated_count == 0
    # town 2: P4 and the split 地块 P7_1 untouched
    assert (t2.illegal_count, t2.not_started_count) == (2, 2)
    assert t2.illegal_mu == approx(13) and t2.illegal_farmland_mu == approx(12) and t2.after_farmland_mu == approx(12)
    # P7_2 is legal 临时用地: not construction (工作方案 五(三) counts 新增建设用地占用耕地 only)
    assert t2.construction_farmland_mu == approx(12) and t2.ratio == approx(12 / 12)
    assert t2.legal_construction_farmland_mu == 0 and t2.illegal_construction_farmland_mu == approx(12)
    assert t2.referrals == {"镇街": 1, "区农业农村委": 1} and t1.referrals == {"区规划自然资源局": 1}
    for t in (t1, t2, stats.total):
        assert (t.total_check_mu, t.rectified_check_mu, t.construction_check_mu) == (0.0, 0.0, 0.0)


def test_check_columns_are_exactly_zero_when_they_hold_and_show_a_real_difference():
    """The 校验 columns: 0.1 + 0.2 亩 against 0.3 亩 differ by 5.6e-17 in floats, which the table showed
    (−2.8e-14 亩 in a town of the demo, −0.0000 in Excel); a real 0.01 亩 difference stays."""
    from wpzf.domain.reporting.statistics import TownFigures, check_difference

    holds = TownFigures("500118001", illegal_mu=0.3, rectified_mu=0.1, unrectified_mu=0.2, demolished_mu=0.1,
                        construction_farmland_mu=0.7, legal_construction_farmland_mu=0.4,
                        illegal_construction_farmland_mu=0.3)
    assert 0.3 - (0.1 + 0.2) != 0  # the float noise the check column must not show
    assert (holds.total_check_mu, holds.rectified_check_mu, holds.construction_check_mu) == (0.0, 0.0, 0.0)
    assert str(holds.total_check_mu) == "0.0"  # not −0.0
    off = TownFigures("500118002", illegal_mu=12.01, rectified_mu=10.0, unrectified_mu=2.0)
    assert off.total_check_mu == approx(0.01, abs=1e-12)
    assert check_difference(1e4 + 1e-4, 1e4) == approx(1e-4, abs=1e-9)  # 10⁻⁸ of a district total: kept


def test_district_total_is_the_sum_and_thresholds_are_explained(facts, ruleset):
    stats = compute_statistics(facts, ruleset, parse_period("2022"))
    total = stats.total
    assert total.illegal_count == 4 and total.counted_farmland_mu == approx(22)
    assert total.counted_after_farmland_mu == approx(14) and total.construction_farmland_mu == approx(27)
    assert (total.legal_construction_farmland_mu, total.illegal_construction_farmland_mu) == (approx(5), approx(22))
    assert stats.as_of.isoformat() == "2022-12-31"  # rule set statistics_end: 统计时间截至2022年12月31日
    findings = {f.key: f for f in stats.findings}
    assert not findings["initial"].exceeded and findings["initial"].value == approx(22)
    assert not findings["after_rectification"].exceeded
    assert findings["ratio"].exceeded and findings["ratio"].value == approx(22 / 27)
    text = str(findings["ratio"].message)
    assert "81.48%" in text and "22.00" in text and "27.00" in text and "reaches" in text
    assert "5.00 mu legal + 22.00 mu illegal construction" in text and "2022-12-31" in text
    assert "stays below" in str(findings["initial"].message)


def test_ranking_weighs_the_rule_sets_criteria(facts, ruleset):
    stats = compute_statistics(facts, ruleset, parse_period("2022"))
    (first, s1, p1), (second, s2, p2) = stats.ranking
    # town 2: more illegal farmland (12 > 10), nothing rectified (share 1 > 2/12), ratio 12/12 > 10/15
    assert first.code == T2 and s1 == approx(1.0) and p1 and p2
    expected = 0.4 * 10 / 12 + 0.3 * (2 / 12) / 1.0 + 0.3 * (10 / 15) / (12 / 12)
    assert second.code == T1 and s2 == approx(expected)


def test_a_deducted_type_leaves_the_ratio_and_area_thresholds(facts, tmp_path):
    text = RULESET.read_text(encoding="utf-8").replace(
        'name = "市级重点工程临时用地"\neffect = "count"', 'name = "市级重点工程临时用地"\neffect = "deduct"')
    assert 'effect = "deduct"' in text
    changed = tmp_path / "deducting.toml"
    changed.write_text(text, encoding="utf-8")
    stats = compute_statistics(facts, load_ruleset(changed), parse_period("2022"))
    assert stats.total.counted_farmland_mu == approx(18) and stats.total.deducted_farmland_mu == approx(4)
    assert stats.total.counted_after_farmland_mu == approx(12)
    assert stats.total.ratio == approx(18 / 27)


def test_period_filters_by_receipt_and_rectification_counts_only_by_its_end(facts, ruleset):
    assert compute_statistics(facts, ruleset, parse_period("2022-06")).total.verified_count == 0
    may = compute_statistics(facts, ruleset, parse_period("2022-05"))
    # P2 finished on 2022-06-30: not yet rectified at the end of May
    assert may.total.verified_count == 8 and may.total.rectified_count == 0
    assert compute_statistics(facts, ruleset, parse_period("2022-Q2")).total.rectified_count == 1


@pytest.mark.parametrize("text, start, end", [
    ("2022-05", "2022-05-01", "2022-05-31"), ("2022年2月", "2022-02-01", "2022-02-28"),
    ("2022-Q4", "2022-10-01", "2022-12-31"), ("2022q1", "2022-01-01", "2022-03-31"), ("2022", "2022-01-01", "2022-12-31"),
])
def test_periods(text, start, end):
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_bad_period_is_refused_with_its_text():
    from wpzf.domain.reporting.periods import PeriodError

    with pytest.raises(PeriodError, match="2022-13"):
        parse_period("2022-13")
