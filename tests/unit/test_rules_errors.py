"""Broken rule files raise RuleSetError naming the file, the line and the rule (or key)."""
from __future__ import annotations

import pytest

from wpzf.domain.rules import RULES_FOLDER, RuleSetError, load_ruleset

MINIMAL = """\
[ruleset]
title = "测试规则集"

[[category]]
name = "合法"
role = "legal"
situations = ["农用地转用"]

[[category]]
name = "违法"
role = "illegal"
situations = ["非农违法"]
provisional = ["疑似违法"]

[[category]]
name = "其他"
role = "other"
situations = ["农村道路", "其他"]
provisional = ["待核查"]

[aliases]
"田间道路" = "农村道路"

[cover.NYDZY]
name = "农用地转用审批"
key = "批准文号"

[[prejudge.rule]]
id = "A1"
when = [ { field = "cover.NYDZY.share", op = ">=", value = 0.95 } ]
then = { PDLX = "合法", JTQX = "农用地转用" }
cite = ["cover.NYDZY.keys"]

[[prejudge.rule]]
id = "A2"
then = { PDLX = "其他", JTQX = "待核查" }

[[check.rule]]
id = "C1"
kind = "area_order"
fields = ["WFGDMJ", "WFMJ"]
message = "{a} 大于 {b}"
"""


def write(tmp_path, text: str, name: str = "broken.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def fails(tmp_path, text: str) -> RuleSetError:
    path = write(tmp_path, text)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    error = info.value
    assert str(path) in str(error) and error.file == str(path)
    assert f"line {error.line}" in str(error)
    return error


def test_minimal_file_is_valid(tmp_path):
    rs = load_ruleset(write(tmp_path, MINIMAL, "ok.toml"))
    assert [r.id for r in rs.prejudge_rules] == ["A1", "A2"] and rs.check_rules[0].id == "C1"


def test_toml_syntax_error_names_file_line_and_column(tmp_path):
    text = MINIMAL.replace('title = "测试规则集"', 'title = "测试规则集')
    error = fails(tmp_path, text)
    assert error.line == 2
    assert "column" in str(error)


def test_syntax_error_in_the_shipped_file_points_at_the_edited_line(tmp_path):
    text = (RULES_FOLDER / "2022-chongqing.toml").read_text(encoding="utf-8")
    text = text.replace('value = 0.95 } ]\nthen = { PDLX = "合法", JTQX = "土地供应" }',
                        'value = 0.95 ]\nthen = { PDLX = "合法", JTQX = "土地供应" }')
    error = fails(tmp_path, text)
    assert error.line == line_of(text, 'value = 0.95 ]')


def test_unknown_operator(tmp_path):
    text = MINIMAL.replace('op = ">="', 'op = "=>"')
    error = fails(tmp_path, text)
    assert error.rule == "A1" and error.line == line_of(text, "[[prejudge.rule]]", 1)
    assert "'=>'" in str(error) and "rule A1" in str(error)


def test_unknown_category_in_result(tmp_path):
    text = MINIMAL.replace('then = { PDLX = "其他", JTQX = "待核查" }', 'then = { PDLX = "违规", JTQX = "待核查" }')
    error = fails(tmp_path, text)
    assert error.rule == "A2" and error.line == line_of(text, "[[prejudge.rule]]", 2)
    assert "违规" in str(error)


def test_situation_must_belong_to_its_category(tmp_path):
    text = MINIMAL.replace('JTQX = "农用地转用"', 'JTQX = "农村道路"')
    error = fails(tmp_path, text)
    assert error.rule == "A1" and "JTQX" in str(error)


def test_duplicate_id_names_both_lines(tmp_path):
    text = MINIMAL.replace('id = "C1"', 'id = "A1"')
    error = fails(tmp_path, text)
    assert error.rule == "A1" and error.line == line_of(text, "[[check.rule]]")
    assert f"line {line_of(text, '[[prejudge.rule]]')}" in str(error)


def test_unknown_field(tmp_path):
    text = MINIMAL.replace('cite = ["cover.NYDZY.keys"]', 'cite = ["cover.TDGY.keys"]')
    error = fails(tmp_path, text)
    assert error.rule == "A1" and "cover.TDGY.keys" in str(error)


def test_operator_value_mismatch(tmp_path):
    error = fails(tmp_path, MINIMAL.replace("value = 0.95", 'value = "多"'))
    assert error.rule == "A1"
    error = fails(tmp_path, MINIMAL.replace('op = ">=", value = 0.95', 'op = "exists", value = 1'))
    assert error.rule == "A1"


def test_missing_id_is_named_by_position(tmp_path):
    text = MINIMAL.replace('id = "A2"\n', "")
    error = fails(tmp_path, text)
    assert error.rule == "#2" and error.line == line_of(text, "[[prejudge.rule]]", 2)


def test_unknown_setting_in_a_rule(tmp_path):
    error = fails(tmp_path, MINIMAL.replace('cite = ["cover.NYDZY.keys"]', 'cite = ["cover.NYDZY.keys"]\nciet = []'))
    assert error.rule == "A1" and "ciet" in str(error)


def test_default_rule_must_be_last(tmp_path):
    text = MINIMAL + '\n[[prejudge.rule]]\nid = "A3"\nwhen = [ { field = "gdmj", op = ">", value = 0 } ]\n' \
                     'then = { PDLX = "违法", JTQX = "疑似违法" }\n'
    error = fails(tmp_path, text)
    assert error.rule == "A2"


def test_unknown_check_kind_and_severity(tmp_path):
    error = fails(tmp_path, MINIMAL.replace('kind = "area_order"', 'kind = "area_sum"'))
    assert error.rule == "C1" and "area_sum" in str(error)
    error = fails(tmp_path, MINIMAL.replace('kind = "area_order"', 'kind = "area_order"\nseverity = "fatal"'))
    assert error.rule == "C1" and "fatal" in str(error)


def test_check_fields_must_exist_and_be_areas(tmp_path):
    error = fails(tmp_path, MINIMAL.replace('fields = ["WFGDMJ", "WFMJ"]', 'fields = ["WFGDMJ", "WFMMJ"]'))
    assert error.rule == "C1" and "WFMMJ" in str(error)
    error = fails(tmp_path, MINIMAL.replace('fields = ["WFGDMJ", "WFMJ"]', 'fields = ["WFGDMJ", "PDLX"]'))
    assert error.rule == "C1" and "PDLX" in str(error)


def test_unknown_message_placeholder(tmp_path):
    error = fails(tmp_path, MINIMAL.replace('message = "{a} 大于 {b}"', 'message = "{a} 大于 {bb}"'))
    assert error.rule == "C1" and "{bb}" in str(error)


def test_alias_to_an_unknown_name_names_its_line(tmp_path):
    text = MINIMAL.replace('"田间道路" = "农村道路"', '"田间道路" = "乡村道路"')
    error = fails(tmp_path, text)
    assert error.line == line_of(text, '"田间道路"') and "乡村道路" in str(error)


def test_wrong_type_and_unknown_section(tmp_path):
    text = MINIMAL.replace('[ruleset]\ntitle = "测试规则集"', '[ruleset]\ntitle = "测试规则集"\n\n[deadlines]\ndecision_days = "20"')
    error = fails(tmp_path, text)
    assert error.line == line_of(text, "decision_days") and "decision_days" in str(error)
    error = fails(tmp_path, MINIMAL + "\n[thresholdz]\nratio = 0.15\n")
    assert "thresholdz" in str(error)


def test_exactly_one_legal_category(tmp_path):
    error = fails(tmp_path, MINIMAL.replace('role = "illegal"', 'role = "legal"'))
    assert "legal" in str(error)


def test_unreadable_file(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(MINIMAL.encode("gbk"))
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert str(path) in str(info.value)


def test_source_map_ignores_brackets_inside_values_and_strings():
    from wpzf.domain.rules.source import SourceMap

    text = '\n'.join([
        '[a]',                        # 1
        'x = [',                      # 2
        '  [1]',                      # 3  an array element, not a header
        ']',                          # 4
        'note = """',                 # 5
        '[[fake.rule]]',              # 6  inside a multi-line string
        'id = "F"',                   # 7
        '"""',                        # 8
        'y = "[b]"  # [c]',           # 9
        '[[r.rule]]',                 # 10
        'id = "R1"',                  # 11
        '[[r.rule]] # second',        # 12
        'id = "R2"',                  # 13
    ])
    source = SourceMap(text)
    assert source.key_line(("a",), "y") == 9 and source.key_line(("a",), "x") == 2
    assert source.element_line(("r", "rule"), 0, "R1") == 10
    assert source.element_line(("r", "rule"), 1, "R2") == 12
    assert source.element_line(("fake", "rule"), 0, None) == 1
