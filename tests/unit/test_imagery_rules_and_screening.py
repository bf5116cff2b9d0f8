"""The rule set's [imagery] thresholds and what pre-judgement makes of the stored measures (issue 22).

Issue 22: "Thresholds live in the rule set ([imagery]), with the reasoning in comments" and
"wpzf:prejudge uses them when present: very low change → suggest 其他/实地未变化 with the numbers
as evidence; high change on farmland without approval → the 违法/疑似违法 suggestion states it;
for 违法 patches under rectification, a newer image showing vegetation back → '可能已复耕', for
the technician to confirm."
"""
from __future__ import annotations

import json

import pytest

from wpzf.domain.imagery.measures import NO_DATA, ChangeMeasures
from wpzf.domain.imagery.screening import RECULTIVATED, RULE_ID, PatchContext, screen
from wpzf.domain.rules import RULES_FOLDER, CoverEvidence, PatchEvidence, RuleSetError, load_ruleset, prejudge
from wpzf.domain.rules.imagery_rules import imagery_rules

KINDS = ("NYDZY", "TDGY", "BDCDJ", "LSYD", "SSNYD", "ZJGG")
SHIPPED = RULES_FOLDER / "2022-chongqing.toml"


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(SHIPPED)


@pytest.fixture(scope="module")
def rules():
    return imagery_rules(SHIPPED)


def test_the_shipped_rule_set_holds_the_thresholds_with_their_reasons(rules):
    assert (rules.brightness_change, rules.cloud_brightness, rules.min_valid_share) == (30.0, 235.0, 0.5)
    assert (rules.unchanged_score, rules.changed_score, rules.weights) == (0.1, 0.5, (0.5, 0.25, 0.25))
    assert (rules.exg.bare, rules.exg.change, rules.ndvi.change) == (0.05, 0.1, 0.2)
    section = SHIPPED.read_text(encoding="utf-8").split("[imagery]")[1]
    assert "白色彩钢瓦" in section and "绝不能当作“未变化”" in section  # the reasoning is written beside the numbers


def with_imagery(tmp_path, text):
    path = tmp_path / "r.toml"
    original = SHIPPED.read_text(encoding="utf-8")
    path.write_text(original.split("\n[imagery]")[0].rsplit("# ----", 1)[0] + text, encoding="utf-8")
    return path


def test_a_misspelt_or_wrong_threshold_is_refused_with_its_line(tmp_path):
    section = SHIPPED.read_text(encoding="utf-8").split("\n[imagery]")[1]
    path = with_imagery(tmp_path, "\n[imagery]" + section.replace("dark = 80.0", "drak = 80.0"))
    with pytest.raises(RuleSetError, match=r"line \d+: unknown setting drak"):
        imagery_rules(path)
    path = with_imagery(tmp_path, "\n[imagery]" + section.replace("weights = [0.5, 0.25, 0.25]", "weights = [0.5, 0.5, 0.5]"))
    with pytest.raises(RuleSetError, match="weights"):
        imagery_rules(path)
    load_ruleset(path)  # the rest of the rule set is unaffected


def test_a_rule_set_without_the_section_cannot_screen_but_still_prejudges(tmp_path):
    path = with_imagery(tmp_path, "")
    assert "[imagery]" not in path.read_text(encoding="utf-8")
    load_ruleset(path)
    assert imagery_rules(path, required=False) is None
    with pytest.raises(RuleSetError, match=r"no \[imagery\] section"):
        imagery_rules(path)


def patch(jcbh, gdmj):
    cover = {k: CoverEvidence() for k in KINDS}
    return PatchEvidence(jcbh=jcbh, tbmj=2000.0, gdmj=gdmj, jbntmj=0.0, jbntgdmj=0.0, zgbl=gdmj / 2000.0,
                         classes={"0103": gdmj, "0602": 2000.0 - gdmj}, cover=cover)


def m(score, zbbh=-0.2, ltzb=0.9, flag=""):
    return ChangeMeasures(XSS=400, LDBH=3.2, LDBH90=6.0, ZBZS="ExG", ZBBH=zbbh, BHZB=0.04, LTZB=ltzb,
                          BHDF=score, BZ=flag)


def test_screening_turns_stored_measures_into_findings(rs, rules):
    evidence = [patch("A", 2000.0), patch("B", 2000.0), patch("C", 2000.0), patch("D", 2000.0), patch("E", 2000.0)]
    plain = prejudge(rs, evidence)
    assert {(s.PDLX, s.JTQX) for s in plain} == {("违法", "疑似违法")}  # farmland, no approval: rule P08
    changes = {
        1: m(0.04),                            # very low change → 实地未变化
        2: m(0.82, ltzb=0.75),                 # high change on farmland → stated on the 违法 suggestion
        3: m(None, flag=NO_DATA),              # cloud: no score, nothing concluded
        4: m(0.7, zbbh=0.21, ltzb=0.1),        # decided 违法, not rectified, vegetation back → 可能已复耕
        # 5: not measured
    }
    context = {4: PatchContext(decided="违法", rectified=False)}
    result = screen(rs, rules, [1, 2, 3, 4, 5], plain, evidence, changes, context)
    a, b, c, d, e = result.suggestions
    assert (result.unchanged, result.changed, result.recultivated) == ([1], [2], [4])

    assert (a.PDLX, a.JTQX, a.WFLX, a.rule_id) == ("其他", "实地未变化", "", RULE_ID)
    stored = json.loads(a.evidence_json())
    assert stored["imagery"]["BHDF"] == 0.04 and stored["values"]["imagery.BHZB"] == 0.04
    assert stored["replaced"] == {"rule_id": "P08", "PDLX": "违法", "JTQX": "疑似违法", "WFLX": plain[0].WFLX}
    assert str(a.reason).startswith("Imagery shows almost no change (score 0.04, 4% of 400 pixels changed, "
                                    "mean brightness change 3.2): suggests 其他/实地未变化 instead of 违法/疑似违法")

    assert (b.PDLX, b.JTQX, b.rule_id) == ("违法", "疑似违法", "P08")
    assert str(b.reason).startswith(str(plain[1].reason))
    assert "The imagery confirms a change on farmland: score 0.82, 4% of 400 pixels changed, 75% bare soil" \
        in str(b.reason)
    assert json.loads(b.evidence_json())["imagery"]["finding"] == "变化明显"

    assert c == plain[2] and e == plain[4]  # no score, or no measures: the suggestion is untouched
    assert (d.PDLX, d.JTQX) == ("违法", "疑似违法")
    assert json.loads(d.evidence_json())["imagery"]["finding"] == RECULTIVATED == "可能已复耕"
    assert "Possibly re-cultivated (可能已复耕): on the newer image the vegetation index (ExG) rose by +0.21" \
        in str(d.reason)


def test_no_regrowth_note_once_rectified_or_when_bare_ground_remains(rs, rules):
    evidence = [patch("A", 2000.0), patch("B", 2000.0)]
    plain = prejudge(rs, evidence)
    changes = {1: m(0.7, zbbh=0.21, ltzb=0.1), 2: m(0.7, zbbh=0.21, ltzb=0.45)}
    context = {1: PatchContext("违法", rectified=True), 2: PatchContext("违法", rectified=False)}
    result = screen(rs, rules, [1, 2], plain, evidence, changes, context)
    assert result.recultivated == []
    # both still show a clear change on farmland, so the 违法 suggestion states it
    assert result.changed == [1, 2]


def test_high_change_without_farmland_states_nothing(rs, rules):
    evidence = [patch("A", 5.0)]  # < 0.01 亩 of farmland: P09 其他/待核查
    plain = prejudge(rs, evidence)
    result = screen(rs, rules, [1], plain, evidence, {1: m(0.9)}, {})
    assert result.suggestions == plain and result.changed == []


def test_a_flagged_patch_is_never_called_unchanged(rs, rules):
    evidence = [patch("A", 2000.0)]
    plain = prejudge(rs, evidence)
    # scored on the covered 70 % only: a low score there says nothing about the rest
    result = screen(rs, rules, [1], plain, evidence, {1: m(0.02, flag="部分未覆盖")}, {})
    assert result.unchanged == [] and result.suggestions == plain
