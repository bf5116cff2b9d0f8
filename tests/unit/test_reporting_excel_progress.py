"""The workbook export reports progress and can be canceled (brief: progress bars and cancel on long work).

20,000 patches take some 20 s to write; a technician sees the bar move and can
stop it, and a stopped export leaves the workbook already there untouched.
"""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.progress import Canceled
from wpzf.domain.reporting import excel
from wpzf.domain.reporting.excel import ROWS_PER_STEP, write_report
from wpzf.domain.reporting.facts import PatchFact
from wpzf.domain.reporting.periods import parse_period
from wpzf.domain.reporting.statistics import compute_statistics
from wpzf.domain.rules import RULES_FOLDER, load_ruleset

PATCHES = 3 * ROWS_PER_STEP + 7


@pytest.fixture(scope="module")
def facts_and_stats():
    ruleset = load_ruleset(RULES_FOLDER / "2022-chongqing.toml")
    facts = [PatchFact(fid=i, jcbh=f"P{i:05d}", batch="2022-05", received=dt.date(2022, 5, 6), town="500118101",
                       values={"JCBH": f"P{i:05d}", "TBMJ": 666.67, "GDMJ": 333.3, "PDLX": "违法"})
             for i in range(1, PATCHES + 1)]
    return facts, compute_statistics(facts, ruleset, parse_period("2022"), {})


def test_progress_follows_the_patch_rows_and_ends_at_one(facts_and_stats, tmp_path):
    from openpyxl import load_workbook

    facts, stats = facts_and_stats
    seen: list[float] = []
    path = write_report(tmp_path / "r.xlsx", facts, stats, {}, [], progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    # one report per ROWS_PER_STEP patch rows (0, 500, 1000, 1500 of 1507), scaled to the list's share
    rows = [f for f in seen if f < excel._LIST_SHARE]
    assert rows == pytest.approx([k * ROWS_PER_STEP / PATCHES * excel._LIST_SHARE for k in range(4)])
    assert load_workbook(path, read_only=True)["图斑清单"].max_row == PATCHES + 2  # title and header rows


@pytest.mark.parametrize("after", [2, 5, 6])  # during the patch rows; before the save; after it
def test_a_cancel_leaves_the_workbook_there_untouched(facts_and_stats, tmp_path, after):
    facts, stats = facts_and_stats
    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"last month's workbook")
    asked = []

    def is_canceled() -> bool:
        asked.append(1)
        return len(asked) >= after

    with pytest.raises(Canceled) as raised:
        write_report(target, facts, stats, {}, [], is_canceled=is_canceled)
    assert raised.value.message.render() == "Canceled; no workbook was written."
    assert target.read_bytes() == b"last month's workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报表.xlsx"]  # no .part left behind
