"""镇街统计: 违法采矿 counted in its own block, the land figures untouched (issue 20).

Plan: the goal covers "违法用地和违法采矿图斑"; issue 20 asks town statistics to count 违法采矿 patches,
area and rectification (停产/关闭/恢复治理) separately from the land figures. Hand-computed case below.
"""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.reporting.facts import PatchFact
from wpzf.domain.reporting.statistics import compute_statistics, is_mining
from wpzf.domain.rules import RULES_FOLDER, load_ruleset
from wpzf.domain.units import M2_PER_MU

A, B = "500118001", "500118002"
approx = pytest.approx


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def fact(fid, town, **values):
    values.setdefault("TBMJ", values.get("WFMJ", 1.0) * M2_PER_MU)
    return PatchFact(fid, f"P{fid}", "2022-01", dt.date(2022, 3, 1), town, values=values)


FACTS = [
    # A: 无证开采 3 亩 (1 亩 farmland), 停产 but nothing rectified yet
    fact(1, A, PDLX="违法", JTQX="违法采矿", WFLX="无证开采", WFMJ=3.0, WFGDMJ=1.0, WFJBNTMJ=0.0,
         ZGFS="停产", SYWZGMJ=3.0),
    # A: 越界开采 2 亩 (0.5 亩 farmland), 恢复治理 finished 2022-10-01
    fact(2, A, PDLX="违法", JTQX="违法采矿", WFLX="越界开采", WFMJ=2.0, WFGDMJ=0.5, WFJBNTMJ=0.0,
         ZGFS="恢复治理", CCMJ=2.0, SYWZGMJ=0.0, ZGWCSJ="2022-10-01"),
    # A: a land violation (非农违法) 4 亩: land figures only
    fact(3, A, PDLX="违法", JTQX="非农违法", WFMJ=4.0, WFGDMJ=4.0, WFJBNTMJ=0.0),
    # A: 持证开采 is legal: not in the illegal-mining block
    fact(4, A, PDLX="合法", JTQX="持证开采", GDMJ=0.0),
    # B: 违法采矿 without a kind, 1.5 亩, 关闭
    fact(5, B, PDLX="违法", JTQX="违法采矿", WFMJ=1.5, WFGDMJ=0.0, WFJBNTMJ=0.0, ZGFS="关闭"),
]


def test_mining_block_counts_illegal_mining_by_town(ruleset):
    stats = compute_statistics(FACTS, ruleset)
    a, b = stats.towns
    assert (a.mining_count, b.mining_count, stats.total.mining_count) == (2, 1, 3)
    assert a.mining_mu == approx(5.0) and b.mining_mu == approx(1.5) and stats.total.mining_mu == approx(6.5)
    assert a.mining_farmland_mu == approx(1.5) and stats.total.mining_farmland_mu == approx(1.5)
    assert (a.mining_rectified_count, a.mining_rectified_mu, a.mining_unrectified_mu) == (1, approx(2.0), approx(3.0))
    assert a.mining_methods == {"停产": 1, "恢复治理": 1} and b.mining_methods == {"关闭": 1}
    assert stats.total.mining_methods == {"停产": 1, "恢复治理": 1, "关闭": 1}


def test_land_figures_keep_counting_every_illegal_patch(ruleset):
    # the mining block is beside the land figures: 违法 counts all three illegal patches of A (3 + 2 + 4 亩)
    a = compute_statistics(FACTS, ruleset).towns[0]
    assert a.illegal_count == 3 and a.illegal_mu == approx(9.0) and a.illegal_farmland_mu == approx(5.5)
    without = compute_statistics([f for f in FACTS if f.fid == 3], ruleset).towns[0]
    assert (without.mining_count, without.mining_mu, without.illegal_count) == (0, 0.0, 1)


def test_mining_is_recognised_by_situation_or_kind(ruleset):
    assert is_mining(fact(9, A, PDLX="违法", JTQX="非农违法", WFLX="以探代采"), ruleset)
    assert is_mining(fact(9, A, PDLX="违法", JTQX="违法 采矿"), ruleset)  # spelling-insensitive
    assert not is_mining(fact(9, A, PDLX="违法", JTQX="非农违法", WFLX="采矿用地"), ruleset)
