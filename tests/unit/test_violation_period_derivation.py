"""违法时段 from 建设时间 against 前时相: the one rule behind quality check Q21 and the decision form.

rules/2022-chongqing.toml (Q21): "建设时间不早于图斑前时相（本期监测时段内）为新增，早于前时相为存量";
partial dates count as every day they may mean (domain/rules/records.py as_period).
"""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.casework import DecisionInput
from wpzf.domain.casework.validate import built_date_text, suggested_period
from wpzf.domain.rules import PatchRecord, available_rulesets, load_ruleset, quality_check
from wpzf.domain.rules.checks import derive_violation_period, period_from_dates


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])


@pytest.mark.parametrize("built, image, expected", [
    ("2022-04-10", "2022-03-15", "新增"),   # after the before-image date
    ("2022-03-15", "2022-03-15", "新增"),   # on it: "不早于" → 新增
    ("2022-03-14", "2022-03-15", "存量"),   # the day before
    ("2021", "20220315", "存量"),           # all of 2021 lies before 2022-03-15
    ("2022-04", "2022-03-15", "新增"),      # 1–30 April, all after
    ("2022-03", "2022-03-15", None),        # March straddles the image date: undecided
    ("2022", "2022-03-15", None),           # so does the year
    ("2022-04-10", "", None),               # no 前时相
    ("不详", "2022-03-15", None),
])
def test_period_from_dates(built, image, expected):
    assert period_from_dates(built, image) == expected


def test_the_check_and_the_form_share_the_rule(ruleset):
    """Whenever the derivation decides, Q21 accepts the patch without WFSD; when it cannot, Q21 asks for WFSD."""
    for built in ("2022-04-10", "2021", "2022-03", "2022"):
        record = PatchRecord("T1", {"PDLX": "违法", "JTQX": "非农违法", "QSX": "2022-03-15", "JSSJ": built,
                                    "WFSD": None})
        q21 = [v for v in quality_check(ruleset, [record], dt.date(2022, 6, 1)) if v.rule_id == "Q21"]
        derived = derive_violation_period(ruleset, built, "2022-03-15")
        assert (derived is None) == bool(q21), (built, derived, q21)
        assert suggested_period(ruleset, DecisionInput(JSSJ=built), {"QSX": "2022-03-15"}) == derived


@pytest.mark.parametrize("typed, stored", [
    ("2021", "2021"), ("2021年", "2021"), ("2021-5", "2021-05"), ("2021年5月", "2021-05"), ("202105", "2021-05"),
    ("2021/5/3", "2021-05-03"), ("20210503", "2021-05-03"), ("2021-05-03", "2021-05-03"), ("去年", None), ("", None),
])
def test_built_date_text_keeps_the_precision_typed(typed, stored):
    assert built_date_text(typed) == stored
