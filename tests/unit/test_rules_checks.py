"""Quality checks: every check kind catches a wrong hand-built record and passes a correct one."""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.rules import RULES_FOLDER, PatchRecord, Violation, can_submit, load_ruleset, quality_check
from wpzf.domain.units import M2_PER_MU

TODAY = dt.date(2022, 6, 10)


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def legal(jcbh="L1", **values) -> PatchRecord:
    """A correct 合法 record: decided in time, with a document number and consistent areas."""
    base = {"PDQX": "2022-05-26", "PDLX": "合法", "JTQX": "农用地转用", "PZWH": "渝府地〔2021〕88号",
            "PDSJ": "2022-05-20T09:30:00", "TBMJ": 10 * M2_PER_MU, "GDMJ": 4 * M2_PER_MU, "JBNTMJ": 0.0}
    base.update(values)
    return PatchRecord(jcbh, base)


def illegal(jcbh="W1", n_referrals=0, n_rectification=0, **values) -> PatchRecord:
    """A correct 违法 record: case filed (date, number), 新增 (built 2022-03 after the 2021-10-15 image),
    rectification under way, 5 = 2 + 1 + 2 亩."""
    base = {"PDQX": "2022-05-26", "PDLX": "违法", "JTQX": "非农违法", "WFLX": "工矿商服", "PDSJ": "2022-05-25",
            "SFLA": 1, "LASJ": "2022-05-30", "AJBH": "永规资罚〔2022〕12号", "QSX": "2021-10-15", "JSSJ": "2022-03",
            "WFSD": "新增", "ZGFS": "拆补组合", "TBMJ": 6 * M2_PER_MU,
            "GDMJ": 5 * M2_PER_MU, "JBNTMJ": 1 * M2_PER_MU, "WFMJ": 5.0, "WFGDMJ": 4.5, "WFJBNTMJ": 1.0,
            "CCMJ": 2.0, "FGMJ": 2.0, "BBMJ": 1.0, "SYWZGMJ": 2.0}
    base.update(values)
    return PatchRecord(jcbh, base, n_referrals=n_referrals, n_rectification=n_rectification)


def run(rs, *records, today=TODAY) -> dict[tuple[str, str], Violation]:
    return {(v.jcbh, v.rule_id): v for v in quality_check(rs, records, today)}


def test_correct_records_pass_every_check(rs):
    assert run(rs, legal(), illegal()) == {}
    # undecided before its deadline: only the reminder, a warning outside submission (工作方案 四(一) 20日内判定)
    found = run(rs, legal(), illegal(), PatchRecord("U1", {"PDQX": "2022-06-20"}))
    assert list(found) == [("U1", "Q16")] and found[("U1", "Q16")].severity == "warning"


def test_undecided_after_deadline_reports_days_late(rs):
    found = run(rs, PatchRecord("U1", {"PDQX": "2022-05-26", "PDLX": None}))
    v = found[("U1", "Q01")]
    assert v.severity == "error" and "15 天" in v.message and "2022-05-26" in v.message
    assert list(found) == [("U1", "Q01")]  # overdue: Q01 reports it with the days late, Q16 does not repeat it
    on_time = run(rs, PatchRecord("U1", {"PDQX": "2022-06-10"}))  # the deadline day itself is in time
    assert list(on_time) == [("U1", "Q16")] and "还剩 0 天" in on_time[("U1", "Q16")].message


def test_deadline_from_receipt_date_when_pdqx_is_empty(rs):
    found = run(rs, PatchRecord("U2", {"PDQX": ""}, received="2022-05-01"))
    assert "20 天" in found[("U2", "Q01")].message  # due 2022-05-21, 20 days before 2022-06-10


def test_late_decision_is_a_warning(rs):
    found = run(rs, legal(PDSJ="2022-05-29 16:00"))
    v = found[("L1", "Q02")]
    assert v.severity == "warning" and "3 天" in v.message and "2022-05-29" in v.message
    assert can_submit(found.values())


def test_legal_needs_a_document_number_or_evidence_file(rs):
    found = run(rs, legal(PZWH=""))
    assert found[("L1", "Q03")].severity == "error" and not can_submit(found.values())
    assert run(rs, PatchRecord("L1", {**legal().values, "PZWH": None}, n_evidence=2)) == {}


def test_illegal_needs_a_case_or_a_referral(rs):
    found = run(rs, illegal(SFLA=0, AJBH=""))
    assert ("W1", "Q04") in found
    assert run(rs, illegal(SFLA=0, AJBH="", n_referrals=1)) == {}
    assert run(rs, illegal(SFLA="是")) == {}
    assert list(run(rs, illegal(SFLA="是", AJBH=None))) == [("W1", "Q20")]  # filed, but no case number (Q20)


def test_illegal_needs_a_rectification_plan(rs):
    assert ("W1", "Q05") in run(rs, illegal(ZGFS=None))
    assert run(rs, illegal(ZGFS=None, n_rectification=1)) == {}


def test_area_order_in_mu_across_units(rs):
    found = run(rs, legal(GDMJ=10.02 * M2_PER_MU))  # farmland 0.02 亩 larger than the patch
    assert "耕地面积（10.02 亩）大于图斑面积（10.00 亩）" in found[("L1", "Q06")].message
    assert run(rs, legal(GDMJ=10.005 * M2_PER_MU)) == {}  # within 0.01 亩
    found = run(rs, illegal(WFGDMJ=5.5, WFMJ=5.0, TBMJ=4.0 * M2_PER_MU, GDMJ=3 * M2_PER_MU, JBNTMJ=0.0,
                            CCMJ=2.0, SYWZGMJ=2.0))
    message = found[("W1", "Q08")].message
    assert "违法耕地面积（5.50 亩）大于违法面积（5.00 亩）" in message
    assert "违法面积（5.00 亩）大于图斑面积（4.00 亩）" in message


def test_area_order_skips_missing_values(rs):
    assert run(rs, illegal(WFMJ=None, WFGDMJ=4.5, TBMJ=6 * M2_PER_MU, CCMJ=None, BBMJ=None, SYWZGMJ=None)) == {}


def test_total_equals_rectified_plus_remaining(rs):
    found = run(rs, illegal(SYWZGMJ=2.5))
    v = found[("W1", "Q12")]
    assert "违法面积（5.00 亩）不等于 拆除面积+补办面积+剩余未整改面积（5.50 亩）" in v.message
    assert run(rs, illegal(SYWZGMJ=2.009)) == {}
    assert run(rs, illegal(CCMJ=None, BBMJ=None, SYWZGMJ=5.0, FGMJ=None)) == {}  # nothing rectified yet


def test_rectified_equals_demolished_plus_approved_when_supplied(rs):
    assert ("W1", "Q11") in run(rs, illegal(YZGMJ=2.5))
    assert run(rs, illegal(YZGMJ=3.0)) == {}


def test_patch_area_identity_to_001_mu(rs):
    parts = {"FGNYDMJ": 3.0, "WLYDMJ": 1.0, "JSYDMJ": 2.0}  # + 4 亩 farmland = 10 亩
    assert run(rs, legal(**parts)) == {}
    assert run(rs, legal(**{**parts, "JSYDMJ": 2.009})) == {}
    assert ("L1", "Q13") in run(rs, legal(**{**parts, "JSYDMJ": 2.02}))
    assert run(rs, legal(FGNYDMJ=3.0)) == {}  # parts incomplete: not checked (missing = "skip")


def test_split_parcels_sum_to_their_parent(rs):
    parent = legal("P", TBMJ=10 * M2_PER_MU, GDMJ=4 * M2_PER_MU, JBNTMJ=0.0)
    a = legal("P_1", FJCBH="P", TBMJ=6 * M2_PER_MU, GDMJ=4 * M2_PER_MU, JBNTMJ=0.0)
    b = legal("P_2", FJCBH="P", TBMJ=4 * M2_PER_MU, GDMJ=0.0, JBNTMJ=0.0)
    assert run(rs, parent, a, b) == {}
    short = legal("P_2", FJCBH="P", TBMJ=3.9 * M2_PER_MU, GDMJ=0.0, JBNTMJ=0.0)
    v = run(rs, parent, a, short)[("P", "Q14")]
    assert "2 个地块的图斑面积之和（9.90 亩）与原图斑（10.00 亩）相差 0.10 亩" in v.message
    assert run(rs, a, short) == {}  # parent not among the records: cannot be checked


def test_category_values_must_exist_after_aliases(rs):
    assert run(rs, legal(PDLX="合法", JTQX="农用地转用审批")) == {}  # alias
    other = PatchRecord("O1", {"PDQX": "2022-06-20", "PDLX": "其他", "JTQX": "伪变化", "PDSJ": "2022-06-01"})
    assert run(rs, other) == {}
    road = PatchRecord("O2", {"PDQX": "2022-06-20", "PDLX": "其他", "JTQX": "农村道路(田间道)"})
    assert "具体情形“农村道路(田间道)”" in run(rs, road)[("O2", "Q15")].message
    found = run(rs, legal(JTQX="农村道路"))  # a real situation, but not one of 合法
    assert ("L1", "Q15") in found
    found = run(rs, illegal(JTQX="疑似违法", WFLX="乱搭乱建"))  # provisional value left in place
    message = found[("W1", "Q15")].message
    assert "疑似违法" in message and "乱搭乱建" in message  # both problems, one row


def test_disabled_rules_and_severity_from_the_file(rs, tmp_path):
    text = (RULES_FOLDER / "2022-chongqing.toml").read_text(encoding="utf-8")
    text = text.replace('kind = "legal_needs_document"', 'kind = "legal_needs_document"\nenabled = false')
    text = text.replace('kind = "illegal_needs_rectification_plan"\nseverity = "error"',
                        'kind = "illegal_needs_rectification_plan"\nseverity = "warning"')
    path = tmp_path / "edited.toml"
    path.write_text(text, encoding="utf-8")
    edited = load_ruleset(path)
    assert run(edited, legal(PZWH="")) == {}
    found = run(edited, illegal(ZGFS=None))
    assert found[("W1", "Q05")].severity == "warning" and can_submit(found.values())


def test_output_order_and_rows(rs):
    violations = quality_check(rs, [legal("B", PZWH="", PDSJ="2022-05-30"), PatchRecord("A", {"PDQX": "2022-05-01"})],
                               TODAY)
    assert [(v.jcbh, v.rule_id) for v in violations] == [("B", "Q02"), ("B", "Q03"), ("A", "Q01")]
    assert violations[0].to_row() == {"JCBH": "B", "rule_id": "Q02", "severity": "warning",
                                      "message": violations[0].message}
    assert not can_submit(violations) and can_submit([])
