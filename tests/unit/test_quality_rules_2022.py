"""The stricter quality checks of issue 13 on hand-built records, each citing the work plan it implements.

Rules of ``rules/2022-chongqing.toml``: Q16 undecided (warning in a check, error at submission), Q08/Q09/Q17/Q18
areas (JCMJ when TBMJ is empty), Q20 立案 details, Q21 新增/存量, Q19 其他/农村宅基地 evidence; and the decision
form's own refusal of an illegal area larger than the patch.
"""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.casework import DecisionInput
from wpzf.domain.casework.validate import has_errors, quality_problems, validate_decision
from wpzf.domain.rules import RULES_FOLDER, PatchRecord, RuleSetError, can_submit, load_ruleset, quality_check
from wpzf.domain.units import M2_PER_MU

TODAY = dt.date(2022, 5, 20)  # batch received 2022-05-06: decision due 2022-05-26 (四(一) 20日内完成合法性判定)
DUE = "2022-05-26"


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def illegal(jcbh="W1", **values) -> PatchRecord:
    """A complete 违法 record: filed (date and number), 新增, plan, 3 = 1 + 0 + 2 亩 on a 4 亩 patch."""
    base = {"PDQX": DUE, "PDLX": "违法", "JTQX": "非农违法", "WFLX": "工矿商服", "PDSJ": "2022-05-18",
            "SFLA": 1, "LASJ": "2022-05-19", "AJBH": "永规资罚〔2022〕21号", "QSX": "20211015", "HSX": "20220410",
            "JSSJ": "2022-03-05", "WFSD": "新增", "ZGFS": "拆除复耕", "TBMJ": 4 * M2_PER_MU, "GDMJ": 3 * M2_PER_MU,
            "JBNTMJ": 1 * M2_PER_MU, "JBNTGDMJ": 1 * M2_PER_MU, "WFMJ": 3.0, "WFGDMJ": 3.0, "WFJBNTMJ": 1.0,
            "CCMJ": 1.0, "BBMJ": 0.0, "SYWZGMJ": 2.0}
    base.update(values)
    return PatchRecord(jcbh, base)


def undecided(jcbh="U1", **values) -> PatchRecord:
    return PatchRecord(jcbh, {"PDQX": DUE, "TBMJ": 2 * M2_PER_MU, **values})


def found(rs, *records, today=TODAY, submission=False):
    return {(v.jcbh, v.rule_id): v for v in quality_check(rs, records, today, submission)}


def test_complete_illegal_record_passes(rs):
    assert found(rs, illegal()) == {} and found(rs, illegal(), submission=True) == {}


# ---- 1. undecided ---------------------------------------------------------------------------------------------
def test_undecided_is_a_warning_before_the_deadline_and_an_error_at_submission(rs):
    # 四(一) "在20日内完成合法性判定": before 2022-05-26 a check reminds; 四(二) 月清 "一上" reports judged patches
    check = found(rs, undecided())
    v = check[("U1", "Q16")]
    assert list(check) == [("U1", "Q16")] and v.severity == "warning" and v.blocks_submission
    assert "判定期限 2022-05-26，还剩 6 天" in v.message and not can_submit(check.values())
    at_submission = found(rs, undecided(), submission=True)
    assert list(at_submission) == [("U1", "Q16")] and at_submission[("U1", "Q16")].severity == "error"


def test_provisional_suggestion_is_not_a_decision(rs):
    # 疑似违法 / 待核查 are pre-judgement terms only; left in place they are undecided (and invalid values, Q15)
    check = found(rs, undecided(PDLX="违法", JTQX="疑似违法"), submission=True)
    assert set(check) == {("U1", "Q15"), ("U1", "Q16")}
    assert "只有预判用语“疑似违法”" in check[("U1", "Q16")].message and check[("U1", "Q16")].severity == "error"


def test_overdue_undecided_is_reported_once_by_the_deadline_rule(rs, tmp_path):
    late = dt.date(2022, 5, 30)  # 4 days after 2022-05-26
    for submission in (False, True):
        check = found(rs, undecided(), today=late, submission=submission)
        assert list(check) == [("U1", "Q01")] and "4 天" in check[("U1", "Q01")].message
    # with Q01 switched off, Q16 still catches it: an overdue patch cannot slip through a submission
    text = (RULES_FOLDER / "2022-chongqing.toml").read_text(encoding="utf-8")
    path = tmp_path / "no-q01.toml"
    path.write_text(text.replace('kind = "deadline"\nscope = "undecided"', 'kind = "deadline"\nscope = "undecided"\n'
                                 'enabled = false'), encoding="utf-8")
    check = found(load_ruleset(path), undecided(), today=late, submission=True)
    assert list(check) == [("U1", "Q16")] and "还剩 -4 天" in check[("U1", "Q16")].message
    # Q01 made a warning: Q16 reports it too, in both contexts, so a check and the submission agree
    path.write_text(text.replace('scope = "undecided"\nseverity = "error"', 'scope = "undecided"\nseverity = "warning"'),
                    encoding="utf-8")
    softer = load_ruleset(path)
    check = found(softer, undecided(), today=late)
    assert set(check) == {("U1", "Q01"), ("U1", "Q16")} and not can_submit(check.values())
    assert found(softer, undecided(), today=late, submission=True)[("U1", "Q16")].severity == "error"


def test_split_parent_is_judged_through_its_parcels(rs):
    parent = undecided("P", TBMJ=4 * M2_PER_MU)
    parts = [illegal("P_1", FJCBH="P", TBMJ=3 * M2_PER_MU, GDMJ=3 * M2_PER_MU, JBNTMJ=1 * M2_PER_MU),
             PatchRecord("P_2", {"PDQX": DUE, "FJCBH": "P", "PDLX": "其他", "JTQX": "实地未变化", "TBMJ": 1 * M2_PER_MU})]
    assert found(rs, parent, *parts, submission=True) == {}
    assert ("P", "Q01") not in found(rs, parent, *parts, today=dt.date(2022, 6, 30))


# ---- 2. areas -----------------------------------------------------------------------------------------------
def test_illegal_area_larger_than_the_ministry_area_when_tbmj_is_empty(rs):
    # issue 13 (7): 200 亩 on a 7.9 亩 patch passed because TBMJ was empty; JCMJ (m²) is the fallback
    record = illegal(TBMJ=None, JCMJ=7.9 * M2_PER_MU, WFMJ=200.0, SYWZGMJ=199.0)
    v = found(rs, record)[("W1", "Q08")]
    assert v.severity == "error" and "违法面积（200.00 亩）大于监测面积（7.90 亩）" in v.message
    assert ("W1", "Q08") not in found(rs, illegal(TBMJ=None, JCMJ=7.9 * M2_PER_MU, WFMJ=3.0))
    # TBMJ wins over JCMJ when both are there
    assert "图斑面积（4.00 亩）" in found(rs, illegal(JCMJ=50 * M2_PER_MU, WFMJ=5.0, SYWZGMJ=4.0))[("W1", "Q08")].message


def test_farmland_parts_in_order(rs):
    # domain.md §9: 其中永久基本农田 is part of the farmland figure on the same basis (≤ 耕地)
    v = found(rs, illegal(WFJBNTMJ=2.5, WFGDMJ=2.0))[("W1", "Q09")]
    assert "违法永久基本农田面积（2.50 亩）大于违法耕地面积（2.00 亩）" in v.message
    # no 违法耕地面积: 违法永农 is compared with 违法面积
    assert "大于违法面积（3.00 亩）" in found(rs, illegal(WFJBNTMJ=3.5, WFGDMJ=None))[("W1", "Q09")].message
    assert "违法耕地面积（3.50 亩）大于违法面积（3.00 亩）" in found(rs, illegal(WFGDMJ=3.5))[("W1", "Q08")].message
    net = found(rs, illegal(JBNTGDMJ=3.5 * M2_PER_MU, JBNTMJ=4 * M2_PER_MU))
    assert "永久基本农田中的耕地面积（3.50 亩）大于耕地面积（3.00 亩）" in net[("W1", "Q17")].message
    assert ("W1", "Q18") not in net
    gross = found(rs, illegal(JBNTGDMJ=1.5 * M2_PER_MU, JBNTMJ=1 * M2_PER_MU))
    assert "大于永久基本农田面积（1.00 亩）" in gross[("W1", "Q18")].message and ("W1", "Q17") not in gross


# ---- 3. 立案 --------------------------------------------------------------------------------------------------
def test_filed_case_needs_date_and_number(rs):
    # 四(一) "依法立案查处，参照《国土资源违法行为查处工作规程》建立案件卷宗"
    v = found(rs, illegal(LASJ=None, AJBH=""))[("W1", "Q20")]
    assert v.severity == "error" and v.message == "已立案（是否立案 = 是），但缺少立案时间、案件编号"
    assert found(rs, illegal(LASJ=None))[("W1", "Q20")].message.endswith("缺少立案时间")
    assert ("W1", "Q20") not in found(rs, illegal(SFLA=0, LASJ=None, AJBH=None), today=TODAY)


# ---- 4. 新增/存量 ----------------------------------------------------------------------------------------------
def test_violation_needs_a_period_or_a_construction_date(rs):
    v = found(rs, illegal(WFSD=None, JSSJ=None))[("W1", "Q21")]
    assert v.severity == "error" and "未填写违法时段（新增、存量）" in v.message
    # built 2022-03-01 (YYYYMMDD) on/after the before-image 2021-10-15: 新增 follows, nothing to write
    assert found(rs, illegal(WFSD=None, JSSJ="20220301")) == {}
    # built in 2020 (a year only), before the image month 2021-10: 存量 follows
    assert found(rs, illegal(WFSD=None, JSSJ="2020", QSX="2021-10")) == {}
    # built on the image day itself counts as 新增 ("on/after")
    assert found(rs, illegal(WFSD="新增", JSSJ="2021-10-15")) == {}


def test_period_and_construction_date_must_agree(rs):
    v = found(rs, illegal(WFSD="存量", JSSJ="2022-03-05", QSX="20211015"))[("W1", "Q21")]
    assert v.message == "违法时段填写为“存量”，但建设时间 2022-03-05、前时相 20211015，应为“新增”"
    v = found(rs, illegal(WFSD="新增", JSSJ="2019", QSX="2021-10"))[("W1", "Q21")]
    assert "建设时间 2019、前时相 2021-10，应为“存量”" in v.message


def test_undecidable_dates_need_the_period_written(rs):
    # built "2021" may be before or after an image of 2021-10: the year alone cannot decide
    v = found(rs, illegal(WFSD=None, JSSJ="2021", QSX="2021-10"))[("W1", "Q21")]
    assert "无法与前时相 2021-10 比较" in v.message
    assert found(rs, illegal(WFSD="存量", JSSJ="2021", QSX="2021-10")) == {}  # written: accepted
    assert ("W1", "Q21") in found(rs, illegal(WFSD=None, QSX=None))  # no image date
    assert "“新建”不是本规则集的取值（新增、存量）" in found(rs, illegal(WFSD="新建"))[("W1", "Q21")].message


# ---- 5. 其他/农村宅基地 ----------------------------------------------------------------------------------------
def test_homestead_needs_evidence_of_a_lawful_homestead(rs):
    # 五(三): 一户一宅 homestead violations count; a patch judged 其他/农村宅基地 must show it is lawful
    home = {"PDQX": DUE, "PDLX": "其他", "JTQX": "农村宅基地", "PDSJ": "2022-05-18", "TBMJ": 0.3 * M2_PER_MU}
    v = found(rs, PatchRecord("H1", home))[("H1", "Q19")]
    assert v.severity == "error" and "合法宅基地" in v.message
    assert found(rs, PatchRecord("H1", {**home, "PZWH": "永川宅批〔2021〕15号"})) == {}
    assert found(rs, PatchRecord("H1", home, n_evidence=1)) == {}
    assert found(rs, PatchRecord("H1", {**home, "JTQX": "实地未变化"})) == {}


# ---- rule file: the new parameters are checked at load time ----------------------------------------------------
@pytest.mark.parametrize("old,new,match", [
    ('fields = ["WFGDMJ", "WFMJ", "TBMJ|JCMJ"]', 'fields = ["WFGDMJ", "WFMJ", "TBMJ|XXMJ"]', "unknown field XXMJ"),
    ('situations = ["农村宅基地"]', 'situations = ["宅基地"]', "situations"),
    ('new = "新增"', 'new = "新建"', "新建"),
    ('provisional_message = "只有', 'provisional_message = "{nope}只有', "placeholder"),
])
def test_rule_file_errors_name_the_rule(tmp_path, old, new, match):
    text = (RULES_FOLDER / "2022-chongqing.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleSetError, match=match):
        load_ruleset(path)


# ---- 6. the decision form ------------------------------------------------------------------------------------
def test_decision_with_illegal_area_larger_than_the_patch_is_refused(rs):
    current = {"TBMJ": None, "JCMJ": 7.9 * M2_PER_MU}
    decision = DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="工矿商服", WFMJ=200.0, WFGDMJ=5.0)
    problems = validate_decision(rs, decision, current)
    assert has_errors(problems)
    (p,) = (p for p in problems if p.blocks_save)
    text = str(p)
    assert p.field == "WFMJ" and "WFMJ" in text and "200.00" in text and "7.90" in text and "JCMJ" in text
    assert not has_errors(validate_decision(rs, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="工矿商服",
                                                              WFMJ=7.9, WFGDMJ=5.0, WFJBNTMJ=1.0), current))
    part = [p for p in validate_decision(rs, DecisionInput(PDLX="违法", JTQX="非农违法", WFMJ=5.0, WFGDMJ=2.0,
                                                           WFJBNTMJ=3.0), current) if p.blocks_save]
    assert [p.field for p in part] == ["WFJBNTMJ"] and "WFGDMJ" in str(part[0])


def test_inline_check_shows_the_one_patch_rules_while_typing(rs):
    record = illegal(LASJ=None, WFSD=None, JSSJ=None)
    problems = quality_problems(rs, record, TODAY)
    texts = [str(p) for p in problems]
    assert any("Q20" in t and "立案时间" in t for t in texts) and any("Q21" in t for t in texts)
    assert all(p.quality and not p.blocks_save for p in problems)  # they stop the submission, not the save


def test_save_of_an_illegal_area_larger_than_the_patch_is_refused_and_nothing_is_written(rs, tmp_path):
    # issue 13 (7): 违法面积 200 亩 on a 7.9 亩 patch whose TBMJ is empty (only the ministry's JCMJ, m²)
    import shapely

    from wpzf.domain.casework.save import InvalidInput, save_decision
    from wpzf.domain.workspace import gpkg
    from wpzf.domain.workspace.store import Workspace

    g = shapely.MultiPolygon([shapely.box(35580000, 3250000, 35580070, 3250075)])
    ws = Workspace.create(tmp_path / "ws.gpkg", 4523, user="张三")
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, JCMJ, XGR, XGSJ) VALUES (?, 'A1', 1, ?, 'import', 't0')",
                     (gpkg.encode(shapely.to_wkb(g), 4523, g.bounds), 7.9 * M2_PER_MU))
    decision = DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="工矿商服", WFMJ=200.0)
    with pytest.raises(InvalidInput) as caught:
        save_decision(ws, 1, decision, rs)
    text = str(caught.value)
    assert "A1" in text and "WFMJ" in text and "200.00 mu" in text and "JCMJ" in text and "7.90 mu" in text
    assert ws.conn.execute("SELECT PDLX, WFMJ, XGSJ FROM jctb WHERE fid = 1").fetchone() == (None, None, "t0")
    saved = save_decision(ws, 1, DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="工矿商服", WFMJ=7.5), rs)
    assert saved.values["WFMJ"] == 7.5
    ws.close()
