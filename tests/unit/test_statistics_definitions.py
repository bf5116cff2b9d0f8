"""The penalty figures by the work plan's definitions, each case computed by hand.

Every test names the sentence of 永川府办发〔2022〕53号 (seed) or of domain.md §9 it
implements. Facts are built by hand (no workspace), so each number below can be
checked with a pencil.
"""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.casework.progress import CaseRecord, RectificationRecord
from wpzf.domain.reporting.facts import PatchFact
from wpzf.domain.reporting.periods import parse_period
from wpzf.domain.reporting.statistics import compute_statistics, default_as_of, patch_figures
from wpzf.domain.rules import RULES_FOLDER, load_ruleset
from wpzf.domain.units import M2_PER_MU

approx = pytest.approx
TOWN = "500118101"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def fact(jcbh: str, *, rectifications=(), cases=(), locked_at: str = "", departments=(), referral_dates=(),
         received: str = "2022-05-06", **values) -> PatchFact:
    fid = sum(map(ord, jcbh))
    rectifications = [RectificationRecord.from_row({"id": i + 1, "patch_fid": fid, **r})
                      for i, r in enumerate(rectifications)]
    cases = [CaseRecord.from_row({"id": i + 1, "patch_fid": fid, **r}) for i, r in enumerate(cases)]
    return PatchFact(fid=fid, jcbh=jcbh, cases=tuple(cases), batch="2022-05", received=dt.date.fromisoformat(received),
                     town=TOWN, values=values, departments=tuple(departments), referral_dates=tuple(referral_dates),
                     rectifications=tuple(rectifications), locked_at=locked_at)


def mu(n: float) -> float:
    return n * M2_PER_MU


def test_ratio_denominator_is_construction_only(ruleset):
    """五(三): 违法占耕比例 = 违法占用耕地 ÷ 新增建设用地占用耕地; 临时用地、设施农用地 are not construction.

    Issue case: 10 亩 legal 农用地转用, 10 亩 legal 临时用地, 10 亩 legal 设施农用地, 10 亩 illegal 非农
    → 10 / (10 + 10) = 50 % (the old code gave 25 %). A 10 亩 非粮 patch stays out of the ratio.
    """
    facts = [
        fact("A", PDLX="合法", JTQX="农用地转用", GDMJ=mu(10), TBMJ=mu(10)),
        fact("B", PDLX="合法", JTQX="临时用地", GDMJ=mu(10), TBMJ=mu(10)),
        fact("C", PDLX="合法", JTQX="设施农用地", GDMJ=mu(10), TBMJ=mu(10)),
        fact("D", PDLX="违法", JTQX="非农违法", WFMJ=10, WFGDMJ=10, WFJBNTMJ=0),
        fact("E", PDLX="违法", JTQX="非粮违法", WFMJ=10, WFGDMJ=10, WFJBNTMJ=0),
        fact("F", PDLX="其他", JTQX="农村道路", GDMJ=mu(10), TBMJ=mu(10)),
    ]
    total = compute_statistics(facts, ruleset, parse_period("2022")).total
    assert total.ratio == approx(0.5)
    assert (total.legal_construction_farmland_mu, total.illegal_construction_farmland_mu) == (approx(10), approx(10))
    assert total.counted_farmland_mu == approx(10)  # 非粮 is not illegal *construction* farmland
    assert (total.non_grain_count, total.non_grain_mu) == (1, approx(10))
    assert total.illegal_count == 2 and total.illegal_mu == approx(20)


def test_homestead_and_affordable_housing_count(ruleset):
    """五(三): 一户一宅农村宅基地、保障性安居工程违法用地纳入违法占用耕地计算比例; a lawful homestead is construction."""
    facts = [
        fact("H", PDLX="违法", JTQX="非农违法", WFMJ=4, WFGDMJ=4, KJLX="一户一宅"),
        fact("K", PDLX="违法", JTQX="非农违法", WFMJ=6, WFGDMJ=6, KJLX="保障房"),
        fact("L", PDLX="其他", JTQX="农村宅基地", GDMJ=mu(10)),
    ]
    total = compute_statistics(facts, ruleset, parse_period("2022")).total
    assert total.counted_farmland_mu == approx(10) and total.deducted_farmland_mu == 0
    assert total.ratio == approx(10 / 20)


def test_rectified_after_the_cut_off_is_not_rectified(ruleset):
    """四(二): 全区查处整改情况统计时间截至2022年12月31日 — a patch finished on 2023-03-01 is not rectified in 2022."""
    record = dict(JLRQ="2023-03-01", CCMJ=5, FGMJ=5, BBMJ=0, SYWZGMJ=0, ZGWCSJ="2023-03-01", XGSJ="2023-03-01T02:00:00.000Z")
    patch = fact("R", PDLX="违法", JTQX="非农违法", WFMJ=5, WFGDMJ=5, rectifications=[record])
    in_2022 = compute_statistics([patch], ruleset, parse_period("2022"))
    assert in_2022.as_of == dt.date(2022, 12, 31)
    assert in_2022.total.rectified_count == 0 and in_2022.total.counted_after_farmland_mu == approx(5)
    assert in_2022.total.not_started_count == 1
    later = compute_statistics([patch], ruleset, parse_period("2022"), as_of=dt.date(2023, 3, 31))
    assert later.total.rectified_count == 1 and later.total.counted_after_farmland_mu == approx(0)


def test_latest_record_on_or_before_the_date_is_the_progress(ruleset):
    """domain.md §9 "As at a date": progress (拆除, 复耕, 补办, 结案) counts only if dated on or before it."""
    records = [dict(JLRQ="2022-07-01", CCMJ=2, FGMJ=1, BBMJ=0, SYWZGMJ=6),
               dict(JLRQ="2022-11-30", CCMJ=6, FGMJ=4, BBMJ=2, BBGDMJ=1, SYWZGMJ=0, ZGWCSJ="2022-11-30"),
               dict(JLRQ="2023-01-10", CCMJ=6, FGMJ=5, BBMJ=2, BBGDMJ=2, SYWZGMJ=0, ZGWCSJ="2022-11-30")]
    patch = fact("S", PDLX="违法", JTQX="非农违法", WFMJ=8, WFGDMJ=7, WFJBNTMJ=3.5, rectifications=records)
    july = patch_figures(patch, ruleset, dt.date(2022, 8, 1))
    assert (july.status, july.rectified_mu, july.rectified_farmland_mu) == ("in_progress", 2, 1)
    assert july.after_farmland_mu == approx(6) and july.after_jbnt_mu == approx(3.5 * 6 / 7)
    year_end = patch_figures(patch, ruleset, dt.date(2022, 12, 31))
    # 已整改 = 拆除 6 + 补办 2 = 8 (the whole patch); farmland back = 复耕 4 + 补办耕地 1 = 5 of 7
    assert (year_end.status, year_end.rectified_mu, year_end.unrectified_mu) == ("rectified", 8, 0)
    assert year_end.rectified_farmland_mu == approx(5) and year_end.after_farmland_mu == approx(2)


def test_demolition_alone_does_not_return_farmland(ruleset):
    """domain.md §9: rectified farmland needs 复耕 or 补办; demolition alone ends the construction, not the loss."""
    demolished = fact("T", PDLX="违法", JTQX="非农违法", WFMJ=3, WFGDMJ=3,
                      rectifications=[dict(JLRQ="2022-09-01", CCMJ=3, BBMJ=0, SYWZGMJ=0, ZGWCSJ="2022-09-01")])
    p = patch_figures(demolished, ruleset, dt.date(2022, 12, 31))
    assert p.status == "rectified" and p.unrectified_mu == 0
    assert p.rectified_farmland_mu == 0 and p.after_farmland_mu == approx(3)


def test_basic_farmland_is_part_of_the_farmland_figure(ruleset):
    """domain.md §9: 其中永久基本农田 is net 耕地 inside 永农 (≤ 耕地), never the gross 永农 coverage."""
    measured = fact("J", PDLX="违法", JTQX="非农违法", GDMJ=mu(6.79), JBNTMJ=mu(7.45), JBNTGDMJ=mu(6.5), TBMJ=mu(8))
    p = patch_figures(measured, ruleset, None)
    assert p.farmland_mu == approx(6.79) and p.jbnt_mu == approx(6.5) and p.estimated
    old_workspace = fact("J0", PDLX="违法", JTQX="非农违法", GDMJ=mu(6.79), JBNTMJ=mu(7.45), TBMJ=mu(8))
    assert patch_figures(old_workspace, ruleset, None).jbnt_mu == approx(6.79)  # capped to the farmland basis


def test_referrals_and_cases_count_only_by_the_date(ruleset):
    """domain.md §9: every figure as at a date; a referral or 立案 dated later is not counted."""
    patch = fact("Q", PDLX="违法", JTQX="非农违法", WFMJ=1, WFGDMJ=1, SFLA=1, LASJ="2023-01-05", JASJ="2023-02-01",
                 departments=["镇街", "区农业农村委"], referral_dates=[dt.date(2022, 6, 1), dt.date(2023, 1, 2)])
    stats = compute_statistics([patch], ruleset, parse_period("2022"))
    assert stats.total.referrals == {"镇街": 1} and stats.total.case_count == 0
    later = compute_statistics([patch], ruleset, parse_period("2022"), as_of=dt.date(2023, 2, 1))
    assert later.total.referrals == {"镇街": 1, "区农业农村委": 1}
    assert (later.total.case_count, later.total.closed_count) == (1, 1)


def test_progress_recorded_after_the_lock_is_said(ruleset):
    """四(二): 各阶段数据一经锁定则不能修改 … 适时更新录入违法图斑查处整改情况: later progress is counted and named."""
    locked = "2022-06-20T08:00:00.000Z"
    before = dict(JLRQ="2022-06-10", CCMJ=0, BBMJ=0, SYWZGMJ=2, XGSJ="2022-06-10T08:00:00.000Z")
    after = dict(JLRQ="2022-08-01", CCMJ=2, FGMJ=2, BBMJ=0, SYWZGMJ=0, ZGWCSJ="2022-08-01",
                 XGSJ="2022-08-01T08:00:00.000Z")
    patch = fact("U", PDLX="违法", JTQX="非农违法", WFMJ=2, WFGDMJ=2, locked_at=locked, rectifications=[before, after])
    stats = compute_statistics([patch], ruleset, parse_period("2022"))
    assert stats.total.after_lock_count == 1 and stats.total.rectified_count == 1
    after_text = str(next(f for f in stats.findings if f.key == "after_rectification").message)
    assert "progress of 1 patches recorded after the stage lock" in after_text
    june = compute_statistics([patch], ruleset, parse_period("2022"), as_of=dt.date(2022, 6, 30))
    assert june.total.after_lock_count == 0 and june.total.counted_after_farmland_mu == approx(2)


def test_default_as_of_is_the_period_end_or_the_rule_sets_cut_off(ruleset):
    assert default_as_of(ruleset, parse_period("2022")) == dt.date(2022, 12, 31)
    assert default_as_of(ruleset, parse_period("2022-Q2")) == dt.date(2022, 6, 30)
    assert default_as_of(ruleset, None) == dt.date(2022, 12, 31)


def test_every_situation_has_a_figures_definition(ruleset):
    """Each situation says whether it is new construction, and why (the rule file refuses a missing one)."""
    for category in ruleset.categories:
        for situation in category.situations:
            entry = ruleset.figures_of(category.name, situation)
            assert entry is not None and entry.basis, (category.name, situation)
    assert not ruleset.figures_of("合法", "临时用地").construction
    assert ruleset.figures_of("违法", "", "厂房").names == ("非农违法", "违法采矿")  # by the 违法类型's group


def test_a_rule_file_without_a_situation_in_figures_is_refused(tmp_path):
    from wpzf.domain.rules.source import RuleSetError

    text = (RULES_FOLDER / "2022-chongqing.toml").read_text(encoding="utf-8")
    broken = text.replace('names = ["临时用地", "设施农用地"]', 'names = ["设施农用地"]')
    assert broken != text
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RuleSetError, match="合法/临时用地"):
        load_ruleset(path)


def test_case_closed_after_the_lock_counts_from_its_record(ruleset):
    """domain.md §9: 结案 counts as at a date only when recorded on or before it (a record appended after the lock)."""
    cases = [dict(JLRQ="2022-06-01", SFLA=1, LASJ="2022-06-01", AJBH="永规资罚〔2022〕1号"),
             dict(JLRQ="2022-10-31", SFLA=1, LASJ="2022-06-01", AJBH="永规资罚〔2022〕1号", JASJ="2022-10-20")]
    patch = fact("V", PDLX="违法", JTQX="非农违法", WFMJ=1, WFGDMJ=1, SFLA=1, LASJ="2022-06-01", cases=cases)
    september = compute_statistics([patch], ruleset, parse_period("2022"), as_of=dt.date(2022, 9, 30)).total
    assert (september.case_count, september.closed_count) == (1, 0)
    year = compute_statistics([patch], ruleset, parse_period("2022")).total
    assert (year.case_count, year.closed_count) == (1, 1)
