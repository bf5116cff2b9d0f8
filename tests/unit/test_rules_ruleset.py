"""The shipped rule set loads, says what the 2022 work plan says, and references only what exists."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from wpzf.domain.rules import CHECK_KINDS, RULES_FOLDER, available_rulesets, load_ruleset
from wpzf.domain.rules.evidence import field_type
from wpzf.domain.rules.records import record_fields

SHIPPED = RULES_FOLDER / "2022-chongqing.toml"


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(SHIPPED)


def test_shipped_rule_set_is_listed_and_named_by_file():
    sets = available_rulesets()
    assert sets["2022-chongqing"] == SHIPPED
    assert load_ruleset(SHIPPED).name == "2022-chongqing"


def test_available_rulesets_lists_toml_files_only(tmp_path):
    shutil.copy(SHIPPED, tmp_path / "2023-chongqing.toml")
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    assert list(available_rulesets(tmp_path)) == ["2023-chongqing"]
    assert available_rulesets(tmp_path / "absent") == {}


def test_deadlines_and_thresholds_follow_the_work_plan(rs):
    assert rs.deadlines.decision_days == 20 and rs.deadlines.report_day == 20
    assert rs.deadlines.decision_deadline(dt.date(2022, 5, 6)) == dt.date(2022, 5, 26)
    t = rs.thresholds
    assert (t.initial_mu, t.after_rectification_mu, t.ratio) == (100, 50, 0.15)
    assert t.initial_exceeded(100) and not t.initial_exceeded(99.99)  # 100 亩以上（含）
    assert not t.after_rectification_exceeded(50) and t.after_rectification_exceeded(50.01)  # 仍超过 50 亩
    assert not t.ratio_exceeded(0.15) and t.ratio_exceeded(0.1501)  # 超过 15%


def test_ratio_rules_are_data(rs):
    names = {r.name: r.effect for r in rs.ratio.rules}
    assert set(names) == {"市级重点工程临时用地", "一户一宅农村宅基地", "保障性安居工程"}
    assert rs.ratio.effect(rs.canonical("一户一宅")) == "count"
    assert rs.ratio.effect("") == "count"


def test_categories_situations_and_violation_types(rs):
    assert [c.name for c in rs.categories] == ["合法", "违法", "其他"]
    assert (rs.legal, rs.illegal) == ("合法", "违法")
    assert {"农用地转用", "土地供应", "不动产登记", "临时用地", "增减挂钩"} <= set(rs.situations("合法"))
    assert {"实地未变化", "农村道路", "设施农用地", "203范围及开天窗", "灾毁地块"} <= set(rs.other_situations)
    assert "疑似违法" in rs.category("违法").provisional
    assert {"新增", "存量", "非农违法", "工矿商服", "光伏", "圈占/堆放压占", "非粮违法", "违法采矿"} \
        <= rs.violation_type_names


def test_departments_of_the_work_plan(rs):
    for name in ("区规划自然资源局", "镇街", "区新城建管委", "产业促进中心", "区农业农村委", "区林业局",
                 "区交通局", "区水利局", "区经济信息委", "区文化旅游委", "区生态环境局", "区应急局",
                 "区公安局", "区纪委监委", "区市场监管局", "区国资管理中心", "区财政局", "区政府督查办"):
        assert name in rs.departments, name


@pytest.mark.parametrize("spelling, canonical", [
    ("伪变化", "实地未变化"),
    ("实地未变化(伪变化)", "实地未变化"),  # half-width brackets of a listed alias
    ("设施农业用地", "设施农用地"),
    ("田间道路", "农村道路"),
    (" 农村道路 ", "农村道路"),
    ("203范围内及开天窗", "203范围及开天窗"),
    ("合法", "合法"),
    ("未知写法", "未知写法"),
])
def test_aliases_and_spelling(rs, spelling, canonical):
    assert rs.canonical(spelling) == canonical


def test_every_rule_references_existing_fields_and_categories(rs):
    kinds = set(rs.cover_kinds)
    assert {"NYDZY", "TDGY", "BDCDJ", "LSYD", "SSNYD", "ZJGG"} <= kinds
    for rule in rs.prejudge_rules:
        category = rs.category(rule.then["PDLX"])
        assert category is not None, rule.id
        jtqx = rule.then.get("JTQX")
        assert not jtqx or jtqx in category.situations + category.provisional, rule.id
        for name in list(rule.cite) + [c.field for c in rule.when + rule.when_any]:
            assert field_type(name, kinds) is not None, (rule.id, name)
    assert rs.prejudge_rules[-1].is_default and not any(r.is_default for r in rs.prejudge_rules[:-1])
    fields = record_fields(rs.record_fields)
    for rule in rs.check_rules:
        assert rule.kind in CHECK_KINDS and rule.severity in ("error", "warning") and rule.message
        for key, spec in CHECK_KINDS[rule.kind].params.items():
            if spec.type in ("fields", "field"):
                names = [rule.params[key]] if spec.type == "field" else rule.params[key]
                names = [n for name in names for n in name.split("|")]  # "TBMJ|JCMJ": fallbacks
                assert all(n in fields for n in names), (rule.id, names)
        assert all(rs.category(p) for p in rule.pdlx)
    assert {r.kind for r in rs.check_rules} == set(CHECK_KINDS)


def test_rules_remember_the_line_they_start_on(rs):
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    for rule in rs.prejudge_rules + rs.check_rules:
        assert lines[rule.line - 1].strip() in ("[[prejudge.rule]]", "[[check.rule]]")
        assert f'id = "{rule.id}"' in lines[rule.line]


def test_order_key_sorts_prejudge_rules(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    numbered, n = [], 0
    for line in text.splitlines():
        numbered.append(line)
        if line.startswith('id = "P'):
            n += 1
            order = 1000 if line == 'id = "P99"' else 100 - n
            numbered.append(f"order = {order}")
    path = tmp_path / "ordered.toml"
    path.write_text("\n".join(numbered), encoding="utf-8")
    ids = [r.id for r in load_ruleset(path).prejudge_rules]
    assert ids == ["P09", "P08", "P07", "P06", "P05", "P04", "P03", "P02", "P01", "P99"]
