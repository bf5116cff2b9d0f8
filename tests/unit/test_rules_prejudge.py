"""Pre-judgement: each shipped rule fires on a hand-built patch and cites its evidence; first match wins."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from wpzf.domain.messages import Message
from wpzf.domain.rules import (
    MISSING,
    RULES_FOLDER,
    Condition,
    CoverEvidence,
    PatchEvidence,
    build_evidence,
    load_ruleset,
    prejudge,
)
from wpzf.domain.rules.evidence import resolve
from wpzf.domain.units import M2_PER_MU

KINDS = ("NYDZY", "TDGY", "BDCDJ", "LSYD", "SSNYD", "ZJGG")


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(RULES_FOLDER / "2022-chongqing.toml")


def patch(jcbh="T1", tbmj=6666.67, gdmj=0.0, jbntmj=0.0, classes=None, jbntgdmj=0.0, **covered) -> PatchEvidence:
    """Every overlay kind supplied (uncovered unless given in ``covered`` as CoverEvidence)."""
    cover = {k: covered.get(k, CoverEvidence()) for k in KINDS}
    return PatchEvidence(jcbh=jcbh, tbmj=tbmj, gdmj=gdmj, jbntmj=jbntmj, jbntgdmj=jbntgdmj,
                         zgbl=gdmj / tbmj if tbmj else 0.0, classes=classes or {"0602": tbmj}, cover=cover)


def full(share=1.0, keys=("渝府地〔2021〕88号",), area=6666.67) -> CoverEvidence:
    return CoverEvidence(share=share, area=area * share, count=len(keys), keys=tuple(keys))


@pytest.mark.parametrize("kind, rule, pdlx, jtqx", [
    ("NYDZY", "P01", "合法", "农用地转用"),
    ("TDGY", "P02", "合法", "土地供应"),
    ("ZJGG", "P03", "合法", "增减挂钩"),
    ("BDCDJ", "P04", "合法", "不动产登记"),
    ("LSYD", "P05", "合法", "临时用地"),
    ("SSNYD", "P06", "其他", "设施农用地"),
])
def test_cover_of_95_percent_gives_the_kind_and_cites_its_document(rs, kind, rule, pdlx, jtqx):
    doc = f"{kind}-2021-007"
    [s] = prejudge(rs, [patch(**{kind: full(0.96, keys=(doc, doc + "b"))}, gdmj=3000.0)])
    assert (s.jcbh, s.rule_id, s.PDLX, s.JTQX) == ("T1", rule, pdlx, jtqx)
    assert s.evidence["documents"] == [doc, doc + "b"]
    assert s.evidence["values"][f"cover.{kind}.share"] == pytest.approx(0.96)
    assert s.evidence["layers"] == {kind: rs.cover_kinds[kind].name}
    assert s.evidence["checked"] == sorted(KINDS)
    assert isinstance(s.reason, Message) and rule in str(s.reason) and "96.0%" in str(s.reason) and doc in str(s.reason)
    json.loads(s.evidence_json())


def test_cover_just_below_95_percent_does_not_make_it_legal(rs):
    [s] = prejudge(rs, [patch(NYDZY=full(0.9499), gdmj=300.0)])
    assert s.rule_id == "P99" and (s.PDLX, s.JTQX) == ("其他", "待核查")
    assert s.evidence["values"]["cover.ANY.share"] == pytest.approx(0.9499)


def test_rural_road_from_main_land_class(rs):
    [s] = prejudge(rs, [patch(classes={"1006": 5000.0, "0103": 1666.67}, gdmj=1500.0)])
    assert (s.rule_id, s.PDLX, s.JTQX) == ("P07", "其他", "农村道路")
    assert s.evidence["values"]["main_class"] == "1006"
    assert s.evidence["values"]["class_share.1006"] == pytest.approx(0.75, abs=1e-4)
    [minor] = prejudge(rs, [patch(classes={"1006": 3000.0, "0103": 2000.0, "0602": 1666.67}, gdmj=1800.0)])
    assert minor.rule_id == "P08"  # 1006 largest but < 50 %: not a road candidate


def test_no_cover_and_farmland_is_suspected_illegal_with_areas(rs):
    # 永农 covers 1 800 m² gross (2.70 亩), of which 耕地 net of 田坎 is 666.67 m²: 其中永久基本农田 is the
    # farmland figure's own part (domain.md §9), never the gross cover, which may exceed the farmland
    [s] = prejudge(rs, [patch(gdmj=2000.0, jbntmj=1800.0, jbntgdmj=666.67)])
    assert (s.rule_id, s.PDLX, s.JTQX) == ("P08", "违法", "疑似违法")
    values = s.evidence["values"]
    assert values["gdmj"] == 2000.0 and values["gdmj_mu"] == pytest.approx(3.0)
    assert values["jbntgdmj_mu"] == pytest.approx(1.0, abs=1e-5) and values["jbntgdmj"] == 666.67
    assert values["jbntmj_mu"] == pytest.approx(2.7)
    assert "占用耕地 3.00 亩（其中永久基本农田 1.00 亩）" in str(s.reason) and "2.70" not in str(s.reason)
    assert s.evidence["documents"] == []


def test_no_cover_and_no_farmland_needs_a_field_visit(rs):
    [s] = prejudge(rs, [patch(gdmj=5.0)])  # < 0.01 亩 of farmland: a sliver
    assert (s.rule_id, s.PDLX, s.JTQX) == ("P09", "其他", "待核查")


def test_missing_layers_never_give_a_suspected_illegal(rs):
    evidence = PatchEvidence(jcbh="T9", tbmj=6666.67, gdmj=6000.0, jbntmj=0.0, zgbl=0.9,
                             classes={"0103": 6666.67}, cover={"NYDZY": CoverEvidence()})  # TDGY not overlaid
    [s] = prejudge(rs, [evidence])
    assert s.rule_id == "P99"
    assert s.evidence["checked"] == ["NYDZY"]


def test_first_matching_rule_wins(rs):
    both = patch(NYDZY=full(1.0, keys=("A",)), TDGY=full(1.0, keys=("B",)), classes={"1006": 6666.67})
    [s] = prejudge(rs, [both])
    assert s.rule_id == "P01" and s.evidence["documents"] == ["A"]
    [t] = prejudge(rs, [patch(TDGY=full(1.0, keys=("B",)), SSNYD=full(1.0, keys=("C",)))])
    assert t.rule_id == "P02"


def test_one_suggestion_per_patch_in_input_order(rs):
    result = prejudge(rs, [patch("A", gdmj=2000.0), patch("B", NYDZY=full()), patch("C")])
    assert [(s.jcbh, s.rule_id) for s in result] == [("A", "P08"), ("B", "P01"), ("C", "P09")]
    row = result[1].to_row("2022-chongqing")
    assert row["ruleset"] == "2022-chongqing" and row["PDLX"] == "合法" and "渝府地" in row["evidence"]


def test_field_resolution():
    e = PatchEvidence(jcbh="X", tbmj=M2_PER_MU * 10, gdmj=None, classes={"0101": 100.0},
                      cover={"NYDZY": CoverEvidence(0.5, 50.0, 2, ("a", "b")), "TDGY": CoverEvidence(0.7, 70.0, 1, ("c",))},
                      attrs={"TBLX": "新增", "BZ": ""})
    assert resolve(e, "tbmj_mu") == pytest.approx(10)
    assert resolve(e, "gdmj") is MISSING and resolve(e, "jbntmj_mu") is MISSING
    assert resolve(e, "jbntgdmj") is MISSING and resolve(e, "jbntgdmj_mu") is MISSING
    assert resolve(e, "classes.0102") == 0.0 and resolve(e, "class_share.0101") == pytest.approx(100 / (M2_PER_MU * 10))
    assert resolve(e, "cover.ANY.share") == 0.7 and resolve(e, "cover.ANY.count") == 3
    assert resolve(e, "cover.ANY.keys") == ["a", "b", "c"] and resolve(e, "cover.LSYD.share") is MISSING
    assert resolve(e, "attr.TBLX") == "新增" and resolve(e, "attr.JCLB") is MISSING


@pytest.mark.parametrize("op, value, actual, expected", [
    (">=", 0.95, 0.95, True), (">=", 0.95, 0.9499, False), ("<", 1, 0.5, True), ("==", 0, 0, True),
    ("==", "1006", "1006", True), ("!=", "新增", None, True), ("==", "新增", None, False),
    ("in", ["a", "z"], ["x", "a"], True), ("not_in", ["a"], ["x"], True), ("in", ["a"], [], False),
    ("exists", None, [], False), ("empty", None, [], True), ("exists", None, 0.0, True),
    ("empty", None, "", True), ("==", 3, "3", True), (">", 1, "abc", False),
    ("exists", None, MISSING, False), ("empty", None, MISSING, False), ("!=", 1, MISSING, False),
])
def test_operators(op, value, actual, expected):
    assert Condition("f", op, value).holds(actual) is expected


def test_build_evidence_from_overlay_results(rs):
    ids = np.array(["P1", "P2"], dtype=object)
    occupation = SimpleNamespace(
        ids=ids, tbmj=np.array([1000.0, 2000.0]), gdmj=np.array([0.0, 1500.0]), jbntmj=np.array([0.0, 100.0]),
        jbntgdmj=np.array([0.0, 90.0]),
        zgbl=np.array([0.0, 0.8]),
        breakdown=SimpleNamespace(patch_id=np.array(["P1", "P2", "P2"], dtype=object),
                                  dlbm=np.array(["1006", "0103", "0602"], dtype=object),
                                  gross=np.array([1000.0, 1600.0, 400.0])))
    approvals = SimpleNamespace(ids=np.array(["P2", "P1"], dtype=object), share=np.array([0.0, 0.97]),
                                covered=np.array([0.0, 970.0]), count=np.array([0, 2]),
                                keys=np.array(["", "渝府地〔2020〕1号；渝府地〔2020〕2号"], dtype=object))
    supply = SimpleNamespace(ids=ids, share=np.zeros(2), covered=np.zeros(2), count=np.zeros(2, dtype=int),
                             keys=np.array(["", ""], dtype=object))
    evidence = build_evidence(ids, occupation, {"NYDZY": approvals, "TDGY": supply}, [{"TBLX": "新增"}, {}])
    assert evidence[0].cover["NYDZY"].keys == ("渝府地〔2020〕1号", "渝府地〔2020〕2号")
    assert evidence[1].classes == {"0103": 1600.0, "0602": 400.0} and evidence[0].attrs == {"TBLX": "新增"}
    assert (evidence[1].jbntmj, evidence[1].jbntgdmj) == (100.0, 90.0)
    result = prejudge(rs, evidence)
    assert [(s.jcbh, s.rule_id) for s in result] == [("P1", "P01"), ("P2", "P08")]
    assert result[0].evidence["documents"] == ["渝府地〔2020〕1号", "渝府地〔2020〕2号"]


def test_key_separator_is_the_overlay_summary_separator():
    pytest.importorskip("shapely")
    from wpzf.domain.overlay import SEPARATOR
    from wpzf.domain.rules.evidence import KEY_SEPARATOR

    assert KEY_SEPARATOR == SEPARATOR
