"""Mining patches (矿产卫片, issue 20): mining-right overlay shares and the shipped [[prejudge.mining]] rules.

Plan (domain.md §1): the ministry issues "土地矿产遥感监测图斑"; the goal covers "违法用地和违法采矿图斑".
Every patch below is a 100 m × 100 m square (10 000 m², planar areas), so shares are hand-computed
from the licence boxes and checked again against shapely directly.
"""
from __future__ import annotations

import pytest
import shapely
from shapely.geometry import box

from wpzf.domain.overlay import overlay_summary
from wpzf.domain.rules import (
    MISSING,
    RULES_FOLDER,
    CoverEvidence,
    PatchEvidence,
    build_evidence,
    load_ruleset,
    mining,
    prejudge,
)
from wpzf.domain.rules.evidence import resolve

PATCHES = {  # name → (geometry, delivery's 监测类别 JCLB)
    "inside": (box(0, 0, 100, 100), "矿产"),
    "crossing": (box(300, 0, 400, 100), "矿产"),
    "expired": (box(600, 0, 700, 100), "矿产"),
    "outside": (box(900, 0, 1000, 100), "矿产"),
    "exploration": (box(1200, 0, 1300, 100), "采矿"),
    "plain": (box(1500, 0, 1600, 100), "建设"),
}
# 采矿权: 许可证号, 有效期起, 有效期止, polygon
MINING = [
    ("C5001", "2020-01-01", "2025-12-31", box(-50, -50, 200, 200)),  # covers "inside" wholly
    ("C5002", "2019-05-01", "2024-04-30", box(250, -50, 380, 200)),  # covers x 300–380 of "crossing": 80 %
    ("C5003", "2016-07-01", "2021-06-30", box(550, -50, 800, 200)),  # covers "expired" wholly, expired 2021
]
EXPLORATION = [("T5101", "2021-01-01", "2026-01-01", box(1150, -50, 1400, 200))]
HSX = "20220301"  # after-imagery date (后时相) of the batch


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def _overlay(licences):
    geoms = [g for g, _ in PATCHES.values()]
    labels = [mining.licence_label(n, a, b) for n, a, b, _ in licences]
    summary = overlay_summary(geoms, [lic[3] for lic in licences], labels, ids=list(PATCHES), area_method="planar")
    return mining.licence_summary(summary)


@pytest.fixture(scope="module")
def evidence():
    covers = {"CKQ": _overlay(MINING), "TKQ": _overlay(EXPLORATION)}
    attrs = [{"JCLB": jclb, "HSX": HSX} for _, jclb in PATCHES.values()]
    return {e.jcbh: e for e in build_evidence(list(PATCHES), None, covers, attrs)}


@pytest.fixture(scope="module")
def suggestions(rs, evidence):
    return {s.jcbh: s for s in prejudge(rs, evidence.values())}


def test_licence_shares_match_shapely_and_hand_computed(evidence):
    # per licence share = area(patch ∩ licence) / area(patch), computed here with shapely independently
    expected_by_hand = {"inside": 1.0, "crossing": 0.8, "expired": 1.0}
    for name, share in expected_by_hand.items():
        [lic] = mining.licences(evidence[name])
        geom = PATCHES[name][0]
        direct = max(shapely.area(shapely.intersection(geom, g)) for *_, g in MINING) / shapely.area(geom)
        assert lic.share == pytest.approx(direct, abs=1e-9) == pytest.approx(share)
        assert evidence[name].cover["CKQ"].share == pytest.approx(share)
    assert mining.licences(evidence["outside"]) == []
    assert resolve(evidence["crossing"], "mining.outside_share") == pytest.approx(0.2)
    [tkq] = mining.licences(evidence["exploration"], mining.EXPLORATION)
    assert (tkq.number, tkq.share) == ("T5101", pytest.approx(1.0))


def test_licence_drawn_as_two_polygons_adds_up():
    # one licence number over two halves of the patch (x 0–30 and 30–100): 30 % + 70 % = 100 %
    summary = mining.licence_summary(overlay_summary(
        [box(0, 0, 100, 100)], [box(-10, -10, 30, 110), box(30, -10, 110, 110)],
        [mining.licence_label("C1", "2020-01-01", "2030-01-01")] * 2, ids=["P"], area_method="planar"))
    [e] = build_evidence(["P"], None, {"CKQ": summary}, [{"HSX": "2022-01-01"}])
    assert resolve(e, "mining.valid_share") == pytest.approx(1.0)
    assert resolve(e, "mining.valid_keys") == ["C1"]


def test_inside_valid_licence_is_legal_mining_citing_the_licence(suggestions):
    s = suggestions["inside"]
    assert (s.rule_id, s.PDLX, s.JTQX) == ("M01", "合法", "持证开采")
    assert s.evidence["documents"] == ["C5001"]
    assert s.evidence["values"]["mining.valid_share"] == pytest.approx(1.0)
    assert s.evidence["mining"] == {"SFSK": 1, "KQXX": ["C5001（2020-01-01至2025-12-31，占 100.0%）"]}
    text = str(s.reason)
    assert "C5001" in text and "2022-03-01" in text and "2025-12-31" in text and "100.0%" in text


def test_crossing_the_boundary_beyond_5_percent_is_out_of_bounds_mining(suggestions):
    s = suggestions["crossing"]
    assert (s.rule_id, s.PDLX, s.JTQX, s.WFLX) == ("M03", "违法", "违法采矿", "越界开采")
    assert s.evidence["values"]["mining.outside_share"] == pytest.approx(0.2)
    assert s.evidence["values"]["mining.valid_share"] == pytest.approx(0.8)
    assert "20.0%" in str(s.reason) and "80.0%" in str(s.reason) and "C5002" in str(s.reason)


def test_licence_expired_before_the_imagery_is_overdue_mining(suggestions):
    s = suggestions["expired"]
    assert (s.rule_id, s.PDLX, s.JTQX, s.WFLX) == ("M02", "违法", "违法采矿", "超期开采")
    assert s.evidence["documents"] == ["C5003"]
    assert "2021-06-30" in str(s.reason) and "2022-03-01" in str(s.reason)


def test_outside_every_licence_is_mining_without_licence(suggestions):
    s = suggestions["outside"]
    assert (s.rule_id, s.PDLX, s.JTQX, s.WFLX) == ("M05", "违法", "违法采矿", "无证开采")
    assert s.evidence["values"]["mining.outside_share"] == pytest.approx(1.0)
    assert s.evidence["mining"] == {"SFSK": 1, "KQXX": []}


def test_exploration_right_only_with_extraction_is_exploring_in_place_of_mining(suggestions):
    s = suggestions["exploration"]
    assert (s.rule_id, s.PDLX, s.JTQX, s.WFLX) == ("M04", "违法", "违法采矿", "以探代采")
    assert s.evidence["mining"]["KQXX"] == ["T5101（2021-01-01至2026-01-01，占 100.0%）"]


def test_a_patch_without_mining_signs_gets_no_mining_rule(suggestions):
    s = suggestions["plain"]
    assert not s.rule_id.startswith("M") and "mining" not in s.evidence


def _patch(keys, share, attrs, classes=None, tkq=None):
    cover = {"CKQ": CoverEvidence(share=share, area=share * 1e4, count=len(keys), keys=tuple(keys))}
    if tkq is not None:
        cover["TKQ"] = tkq
    return PatchEvidence(jcbh="X", tbmj=1e4, classes=classes, cover=cover, attrs=attrs)


def test_licence_valid_through_the_imagery_day_and_batch_date_fallback(rs):
    # end date == imagery date: still valid (有效期止 is the last valid day); no HSX → batch receipt date JSRQ
    e = _patch(["C1|2020-01-01|2022-03-05|1.0"], 1.0, {"JCLB": "矿产", "JSRQ": "2022-03-05"})
    [s] = prejudge(rs, [e])
    assert (s.rule_id, s.JTQX) == ("M01", "持证开采")
    later = _patch(["C1|2020-01-01|2022-03-04|1.0"], 1.0, {"JCLB": "矿产", "JSRQ": "2022-03-05"})
    assert prejudge(rs, [later])[0].rule_id == "M02"


def test_mining_land_use_0602_flags_the_patch_without_a_delivery_mark(rs):
    # 三调 0602 采矿用地 in the patch and no licence → 无证开采
    e = _patch([], 0.0, {"HSX": HSX}, classes={"0602": 4000.0, "0103": 6000.0})
    assert resolve(e, "mining.flag") == 1 and resolve(e, "mining.extraction") == 1
    assert prejudge(rs, [e])[0].WFLX == "无证开采"


def test_small_overrun_within_threshold_is_not_out_of_bounds(rs):
    # 96 % inside a valid licence, 4 % outside (≤ 5 %): 持证开采, not 越界开采
    e = _patch(["C1|2020-01-01|2030-01-01|0.96"], 0.96, {"JCLB": "矿产", "HSX": HSX})
    assert prejudge(rs, [e])[0].rule_id == "M01"


def test_no_mining_rule_without_the_mining_right_layer_or_the_date(rs):
    # the CKQ layer not overlaid: every mining.* share is MISSING, so no mining rule fires on absent data
    e = PatchEvidence(jcbh="X", tbmj=1e4, attrs={"JCLB": "矿产", "HSX": HSX})
    assert resolve(e, "mining.valid_share") is MISSING and resolve(e, "mining.outside_share") is MISSING
    assert not prejudge(rs, [e])[0].rule_id.startswith("M")
    undated = _patch(["C1|2020-01-01|2030-01-01|1.0"], 1.0, {"JCLB": "矿产"})
    assert resolve(undated, "mining.valid_share") is MISSING
    assert not prejudge(rs, [undated])[0].rule_id.startswith("M")


def test_licence_without_dates_is_never_valid(rs):
    e = _patch(["C1|||1.0"], 1.0, {"JCLB": "矿产", "HSX": HSX})
    assert resolve(e, "mining.valid_share") == 0.0 and resolve(e, "mining.expired_share") == 0.0
    assert prejudge(rs, [e])[0].rule_id != "M01"


def test_licence_label_normalises_dates():
    assert mining.licence_label("C1", "2019年5月1日", "20240430") == "C1|2019-05-01|2024-04-30"


def test_illegal_mining_suggestions_name_the_mining_referral_departments(suggestions):
    # 工作方案 三: 区应急局 (非煤矿山), 区水利局 and 区经济信息委 (no water or power), 区市场监管局 (登记)
    expected = ["区应急局", "区水利局", "区经济信息委", "区市场监管局"]
    for name in ("crossing", "expired", "outside", "exploration"):
        assert suggestions[name].evidence["referrals"] == expected
    assert "referrals" not in suggestions["inside"].evidence


def test_referral_section_refuses_an_unknown_department(tmp_path):
    from wpzf.domain.rules.source import RuleSetError

    text = (RULES_FOLDER / "2022-chongqing.toml").read_text(encoding="utf-8")
    bad = text.replace('"违法采矿" = ["区应急局",', '"违法采矿" = ["区矿山局",', 1)
    assert bad != text
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(RuleSetError, match="区矿山局"):
        load_ruleset(path)


def test_a_stored_mining_suggestion_reads_back_with_its_rule_text(rs, suggestions):
    # the case form shows a stored suggestion's reason from the rule set: mining rules are found too
    from wpzf.domain.casework.state import StoredSuggestion

    s = suggestions["crossing"]
    stored = StoredSuggestion(s.PDLX, s.JTQX, s.rule_id, rs.name, "2022-07-06", s.evidence)
    text = stored.reason(rs)
    assert text.startswith("M03: 超出采矿权范围 20.0%") and "C5002" in text
