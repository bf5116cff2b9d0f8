"""移交 form on a 违法采矿 patch offers the rule set's [referral] departments (issue 20).

Issue 20: "the referral list includes 区应急局 (非煤矿山), 区水利局 and 区经济信息委 (no water or power to
illegal mines) and 区市场监管局"; rules/2022-chongqing.toml: [referral] "违法采矿" = ["区应急局", "区水利局",
"区经济信息委", "区市场监管局"].
"""
from __future__ import annotations

import json

import pytest

from wpzf.domain.workspace.gpkg import connect as gpkg_connect

MINING_DEPARTMENTS = ["区应急局", "区水利局", "区经济信息委", "区市场监管局"]


def _decide(path, fid, **values):
    with gpkg_connect(path) as conn:
        conn.execute(f"UPDATE jctb SET {', '.join(f'{k} = ?' for k in values)} WHERE fid = ?", (*values.values(), fid))


def _form(path, fid, qtbot):
    from wpzf.ui.forms import ReferralForm

    form = ReferralForm(path, fid, confirm=lambda *args: True, user="张三")
    qtbot.addWidget(form)
    form.show()
    return form


def _items(form):
    return [form.yjbm.itemText(i) for i in range(form.yjbm.count())]


@pytest.fixture()
def referred(workspace):
    """Patch 1 decided 违法/违法采矿/无证开采, already referred to 区应急局."""
    from wpzf.domain.casework.records import Referral
    from wpzf.domain.casework.save import add_referral
    from wpzf.domain.workspace.store import Workspace

    _decide(workspace, 1, PDLX="违法", JTQX="违法采矿", WFLX="无证开采")
    with Workspace.open(workspace, user="张三") as ws:
        add_referral(ws, 1, Referral("区应急局", "2022-06-01", "永规资移〔2022〕1号", "已移交"))
    return workspace


def test_mining_patch_preselects_the_next_department_not_yet_referred(referred, qtbot):
    form = _form(referred, 1, qtbot)
    assert _items(form)[1:5] == MINING_DEPARTMENTS  # blank first, then the rule set's mining departments
    assert form.yjbm.currentText() == "区水利局"  # 区应急局 is already referred
    assert form.remit.text().startswith("违法用地、非法采矿项目未取得合法手续前不得供水")  # its remit, from [departments]
    note = form.suggested_note.text()
    assert form.suggested_note.isVisible() and "区应急局 (referred)" in note and "区市场监管局" in note
    assert not form.dirty  # a preselection is not an edit


def test_undecided_patch_takes_the_departments_of_its_stored_mining_suggestion(workspace, qtbot):
    with gpkg_connect(workspace) as conn:
        conn.execute('INSERT INTO wpzf_prejudgement (patch_fid, ruleset, rule_id, "PDLX", "JTQX", evidence, '
                     'created_at, "SFSK", "KQXX") VALUES (2, ?, ?, ?, ?, ?, ?, 1, ?)',
                     ("2022-chongqing", "M05", "违法", "违法采矿",
                      json.dumps({"referrals": MINING_DEPARTMENTS}, ensure_ascii=False), "2022-06-01T00:00:00Z", ""))
    form = _form(workspace, 2, qtbot)
    assert form.state.values.get("PDLX") in (None, "")
    assert form.yjbm.currentText() == "区应急局" and _items(form)[1:5] == MINING_DEPARTMENTS


def test_land_patch_offers_no_mining_suggestion(workspace, qtbot):
    _decide(workspace, 3, PDLX="违法", JTQX="非农违法", WFLX="厂房")
    form = _form(workspace, 3, qtbot)
    assert form.yjbm.currentText() == "" and not form.suggested_note.isVisible()
    assert _items(form)[1] == "区规划自然资源局"  # the [departments] order, nothing moved ahead
