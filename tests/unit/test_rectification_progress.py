"""整改 records as dated, cumulative statements: validation and the latest record "as at" a date (no database).

domain.md §2: 已整改 = 拆除 + 补办; §9: "Rectified farmland needs 复耕 … or 补办 approval; demolition
alone ends the illegal construction, not the loss of farmland" and "As at a date … progress counts
only if dated on or before it".
"""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.casework import RectificationInput, has_errors
from wpzf.domain.casework.progress import RectificationRecord, latest_by_patch, latest_rectification
from wpzf.domain.casework.validate import validate_rectification
from wpzf.domain.rules import available_rulesets, load_ruleset
from wpzf.domain.workspace.store import WorkspaceError

TODAY = dt.date(2022, 12, 1)
PATCH = {"PDLX": "违法", "WFMJ": 4.0, "WFGDMJ": 3.0}  # 违法 4 亩, 其中耕地 3 亩


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])


def errors(problems):
    return {p.field: str(p) for p in problems if p.blocks_save}


def check(ruleset, rect, patch=PATCH, previous=None):
    return validate_rectification(ruleset, rect, patch, TODAY, previous)


def test_a_consistent_record_passes(ruleset):
    # 拆除 2 (复耕 1.5 of it) + 补办 1 (其中耕地 0.8): 复耕 + 补办耕地 = 2.3 ≤ 违法耕地 3
    rect = RectificationInput("2022-09-30", "拆补组合", CCMJ=2.0, FGMJ=1.5, BBMJ=1.0, BBPZWH="渝府地〔2022〕9号",
                              BBGDMJ=0.8)
    assert check(ruleset, rect) == []
    assert (rect.rectified, rect.rectified_farmland) == (3.0, pytest.approx(2.3))


def test_recultivated_land_must_have_been_demolished_first(ruleset):
    found = errors(check(ruleset, RectificationInput("2022-09-30", "拆除复耕", CCMJ=1.0, FGMJ=1.5)))
    assert set(found) == {"FGMJ"}
    assert "复耕到位面积 (FGMJ) 1.50 mu" in found["FGMJ"] and "拆除面积 (CCMJ) 1.00 mu" in found["FGMJ"], found


def test_recultivated_farmland_is_at_most_the_illegal_farmland(ruleset):
    found = errors(check(ruleset, RectificationInput("2022-09-30", "拆除复耕", CCMJ=4.0, FGMJ=3.5,
                                                     ZGWCSJ="2022-09-30")))
    assert set(found) == {"FGMJ"}
    assert "3.50" in found["FGMJ"] and "违法耕地面积 (WFGDMJ) 3.00 mu" in found["FGMJ"], found


def test_approved_farmland_is_part_of_the_approved_area_and_of_the_illegal_farmland(ruleset):
    found = errors(check(ruleset, RectificationInput("2022-09-30", "补办手续", BBMJ=1.0, BBPZWH="x", BBGDMJ=1.2)))
    assert set(found) == {"BBGDMJ"}
    assert "补办耕地面积 (BBGDMJ) 1.20 mu" in found["BBGDMJ"] and "补办面积 (BBMJ) 1.00 mu" in found["BBGDMJ"]
    small = {"PDLX": "违法", "WFMJ": 4.0, "WFGDMJ": 0.5}
    found = errors(check(ruleset, RectificationInput("2022-09-30", "补办手续", BBMJ=1.0, BBPZWH="x", BBGDMJ=0.8),
                         small))
    assert set(found) == {"BBGDMJ"} and "违法耕地面积 (WFGDMJ) 0.50 mu" in found["BBGDMJ"], found
    negative = errors(check(ruleset, RectificationInput("2022-09-30", "补办手续", BBMJ=1.0, BBPZWH="x", BBGDMJ=-1)))
    assert "BBGDMJ" in negative


def test_recultivated_plus_approved_farmland_is_at_most_the_illegal_farmland(ruleset):
    # each part fits (复耕 2 ≤ 拆除 2, 补办耕地 1.5 ≤ 补办 2, each ≤ 3) but 2 + 1.5 = 3.5 > 3
    rect = RectificationInput("2022-09-30", "拆补组合", CCMJ=2.0, FGMJ=2.0, BBMJ=2.0, BBPZWH="x", BBGDMJ=1.5,
                              ZGWCSJ="2022-09-30")
    found = errors(check(ruleset, rect))
    assert set(found) == {"BBGDMJ"}
    text = found["BBGDMJ"]
    assert "FGMJ" in text and "2.00" in text and "1.50" in text and "3.50" in text and "3.00" in text, text


def test_approved_area_without_its_farmland_is_a_warning(ruleset):
    problems = check(ruleset, RectificationInput("2022-09-30", "补办手续", BBMJ=1.0, BBPZWH="x"))
    assert not has_errors(problems) and [p.field for p in problems] == ["BBGDMJ"]


def test_record_date_is_not_in_the_future_nor_before_the_previous_record(ruleset):
    future = errors(check(ruleset, RectificationInput("2022-12-02", "拆除复耕", CCMJ=1.0)))
    assert set(future) == {"JLRQ"} and "2022-12-02" in future["JLRQ"]
    june = RectificationRecord(7, 1, "2022-06-01", "拆除复耕", CCMJ=1.0, FGMJ=0.5)
    earlier = errors(check(ruleset, RectificationInput("2022-05-31", "拆除复耕", CCMJ=1.0, FGMJ=0.5), previous=june))
    assert set(earlier) == {"JLRQ"} and "2022-05-31" in earlier["JLRQ"] and "2022-06-01" in earlier["JLRQ"]
    same_day = check(ruleset, RectificationInput("2022-06-01", "拆除复耕", CCMJ=1.0, FGMJ=0.5), previous=june)
    assert not has_errors(same_day)
    # cumulative: less demolished than already recorded is worth a warning, not a refusal (a correction)
    less = check(ruleset, RectificationInput("2022-07-01", "拆除复耕", CCMJ=0.5, FGMJ=0.5), previous=june)
    assert not has_errors(less) and [p.field for p in less] == ["CCMJ"]


def _r(id_, jlrq, ccmj, fid=1):
    return RectificationRecord(id_, fid, jlrq, "拆除复耕", CCMJ=ccmj)


def test_latest_record_as_at_a_date():
    records = [_r(3, "2022-09-30", 2.0), _r(1, "2022-06-01", 1.0), _r(2, "2022-06-01", 1.2), _r(4, "2023-01-15", 4.0),
               _r(5, "2022-13-40", 9.0)]
    assert latest_rectification(records, "2022-05-31") is None  # nothing rectified by then
    assert latest_rectification(records, "2022-06-01").id == 2  # same day: the one stored last
    assert latest_rectification(records, dt.date(2022, 8, 31)).CCMJ == 1.2
    assert latest_rectification(records, "2022-12-31").CCMJ == 2.0  # 2022's figures stop at 31 Dec
    assert latest_rectification(records, dt.datetime(2023, 1, 15, 8)).id == 4
    assert latest_rectification(records).id == 4  # no cut-off; the undated (bad JLRQ) record never counts
    assert latest_rectification([], "2022-12-31") is None
    with pytest.raises(WorkspaceError, match="2022/12/31"):
        latest_rectification(records, "2022/12/31")


def test_latest_by_patch_and_record_from_a_row():
    row = {"id": 9, "patch_fid": 4, "JLRQ": "2022-10-01", "ZGFS": "拆补组合", "CCMJ": 2, "FGMJ": "1.5", "BBMJ": 1.0,
           "BBGDMJ": None, "BBPZWH": None, "SYWZGMJ": 1.0, "ZGWCSJ": None, "SM": None, "XGR": "张三", "XGSJ": "t"}
    record = RectificationRecord.from_row(row)
    assert (record.CCMJ, record.FGMJ, record.BBGDMJ, record.BBPZWH) == (2.0, 1.5, None, "")
    assert (record.rectified, record.rectified_farmland) == (3.0, 1.5)  # 拆除 + 补办; 复耕 + 补办耕地
    older = RectificationRecord.from_row({"id": 1, "patch_fid": 5, "JLRQ": "2023-02-01", "CCMJ": 1})  # no BBGDMJ column
    latest = latest_by_patch({4: [record], 5: [older]}, "2022-12-31")
    assert list(latest) == [4] and latest[4] is record
