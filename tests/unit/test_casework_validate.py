"""Casework validation against the shipped 2022 Chongqing rule set (no database)."""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.casework import CaseInfo, DecisionInput, FieldVisit, RectificationInput, Referral, has_errors
from wpzf.domain.casework.validate import (
    remaining_area,
    validate_case,
    validate_decision,
    validate_field_visit,
    validate_rectification,
    validate_referral,
)
from wpzf.domain.rules import available_rulesets, load_ruleset


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])


def errors(problems):
    return {p.field: str(p) for p in problems if p.is_error}


def test_a_complete_legal_decision_passes(ruleset):
    problems = validate_decision(ruleset, DecisionInput(PDLX="合法", JTQX="农用地转用", PZWH="渝府地〔2021〕12号"))
    assert problems == []


def test_aliases_and_spellings_are_accepted(ruleset):
    # 伪变化 is an alias of 实地未变化; full-width brackets do not matter
    assert not has_errors(validate_decision(ruleset, DecisionInput(PDLX="其他", JTQX="伪变化")))
    assert not has_errors(validate_decision(ruleset, DecisionInput(PDLX="合法", JTQX="农转用", PZWH="x")))


def test_unknown_category_names_the_field_in_chinese(ruleset):
    found = errors(validate_decision(ruleset, DecisionInput(PDLX="可疑", JTQX="x")))
    assert set(found) == {"PDLX"}
    assert "判定类型" in found["PDLX"] and "可疑" in found["PDLX"] and "合法" in found["PDLX"]


def test_situation_must_belong_to_the_chosen_category(ruleset):
    found = errors(validate_decision(ruleset, DecisionInput(PDLX="合法", JTQX="农村道路", PZWH="x")))
    assert set(found) == {"JTQX"} and "具体情形" in found["JTQX"] and "农用地转用" in found["JTQX"]
    assert not errors(validate_decision(ruleset, DecisionInput(PDLX="其他", JTQX="农村道路")))


def test_provisional_terms_are_not_decisions(ruleset):
    found = errors(validate_decision(ruleset, DecisionInput(PDLX="违法", JTQX="疑似违法", WFLX="厂房", WFMJ=1)))
    assert "JTQX" in found and "provisional" in found["JTQX"]


def test_violation_fields(ruleset):
    ok = validate_decision(ruleset, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=2.0, WFGDMJ=1.5))
    assert not has_errors(ok)
    bad = errors(validate_decision(ruleset, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="盗窃", WFMJ=2.0,
                                                          WFGDMJ=2.5, WFJBNTMJ=-1)))
    assert set(bad) == {"WFLX", "WFGDMJ", "WFJBNTMJ"}
    assert "违法耕地面积" in bad["WFGDMJ"] and "违法永久基本农田面积" in bad["WFJBNTMJ"]
    legal_with_area = errors(validate_decision(ruleset, DecisionInput(PDLX="合法", JTQX="土地供应", PZWH="x", WFMJ=1)))
    assert set(legal_with_area) == {"WFMJ"}
    missing = validate_decision(ruleset, DecisionInput(PDLX="违法", JTQX="非农违法"))
    assert not has_errors(missing) and {p.field for p in missing} == {"WFLX", "WFMJ"}  # warnings only


def test_deduction_type_from_the_rule_set(ruleset):
    assert not has_errors(validate_decision(ruleset, DecisionInput(PDLX="违法", JTQX="非农违法", WFMJ=1,
                                                                     KJLX="一户一宅")))
    assert "KJLX" in errors(validate_decision(ruleset, DecisionInput(PDLX="违法", JTQX="非农违法", KJLX="随便")))


def test_field_visit_and_referral(ruleset):
    today = dt.date(2022, 6, 1)
    assert validate_field_visit(FieldVisit("2022-05-20", "李四", "已建厂房"), today) == []
    assert set(errors(validate_field_visit(FieldVisit("2022/05/20", ""), today))) == {"KCRQ", "KCRY"}
    assert errors(validate_field_visit(FieldVisit("2022-02-30", "李四"), today))["KCRQ"].startswith("踏勘日期")
    future = validate_field_visit(FieldVisit("2022-07-01", "李四"), today)
    assert not has_errors(future) and [p.field for p in future] == ["KCRQ"]
    assert validate_referral(ruleset, Referral("规自局", "2022-05-21", "永规资移〔2022〕3号"), today) == []
    bad = errors(validate_referral(ruleset, Referral("城管局", "20220521"), today))
    assert set(bad) == {"YJBM", "YJRQ"} and "区林业局" in bad["YJBM"]


def test_case(ruleset):
    today = dt.date(2022, 8, 1)
    assert validate_case(CaseInfo(True, "2022-06-01", "永规资罚〔2022〕8号", "", 12000, 0.5), today) == []
    assert set(errors(validate_case(CaseInfo(True), today))) == {"LASJ", "AJBH"}
    assert set(errors(validate_case(CaseInfo(False, AJBH="x", FMK=-5), today))) == {"SFLA", "FMK"}


def test_rectification_identities(ruleset):
    today = dt.date(2022, 12, 1)
    patch = {"PDLX": "违法", "WFMJ": 3.0}
    ok = RectificationInput("2022-10-01", "拆补组合", CCMJ=1.0, FGMJ=1.0, BBMJ=0.5, BBPZWH="渝府地〔2022〕5号")
    assert validate_rectification(ruleset, ok, patch, today) == []
    assert remaining_area(ok, 3.0) == pytest.approx(1.5)
    too_much = RectificationInput("2022-10-01", "拆除复耕", CCMJ=2.5, BBMJ=1.0, BBPZWH="x")
    assert "CCMJ" in errors(validate_rectification(ruleset, too_much, patch, today))
    wrong_rest = RectificationInput("2022-10-01", "拆除复耕", CCMJ=1.0, SYWZGMJ=1.0)
    assert "SYWZGMJ" in errors(validate_rectification(ruleset, wrong_rest, patch, today))
    bad = errors(validate_rectification(ruleset, RectificationInput("2022-13-01", "推平", BBMJ=1.0, CCMJ=-1),
                                        patch, today))
    assert set(bad) == {"JLRQ", "ZGFS", "CCMJ", "BBPZWH"} and "整改方式" in bad["ZGFS"]
    done_early = RectificationInput("2022-10-01", "拆除复耕", CCMJ=1.0, ZGWCSJ="2022-10-01")
    assert "ZGWCSJ" in errors(validate_rectification(ruleset, done_early, patch, today))
    assert "WFMJ" in errors(validate_rectification(ruleset, ok, {"PDLX": "违法"}, today))
