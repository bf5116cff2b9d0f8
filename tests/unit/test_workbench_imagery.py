"""The imagery pre-screening in the patch list: 变化得分 per row, the bands and their faceted counts (issue 22).

Issue 22: "Results are stored per patch in the workspace (so the patch list can sort and filter by
change score and the forms show it)". The bands use the rule set's ``[imagery]`` thresholds
(rules/2022-chongqing.toml: "得分 ≤ 0.10：两期影像几乎无差别" → unchanged_score = 0.10;
"得分 ≥ 0.50：变化明显" → changed_score = 0.50), and a missing score is never "unchanged"
(the toml: "得分缺失要有“标志”说明，绝不能当作“未变化”（0 分）处理").
"""
from __future__ import annotations

import datetime as dt

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.rules.source import RuleSetError
from wpzf.domain.workbench import filters as fl
from wpzf.domain.workbench import imagery as im
from wpzf.domain.workbench.patch_rows import load_rows
from wpzf.domain.workspace.judgement import set_workspace_ruleset
from wpzf.domain.workspace.store import Workspace

TODAY = dt.date(2022, 5, 24)
# JCBH → (PDLX, BHDF, BZ); None for BHDF: no score; a JCBH missing here was never screened
SCREENED = {
    "P1": ("合法", 0.05, None),            # ≤ 0.10, whole patch: unchanged
    "P2": (None, 0.10, None),              # exactly unchanged_score: still unchanged (≤)
    "P3": (None, 0.30, None),              # between
    "P4": ("违法", 0.50, None),            # exactly changed_score: changed (≥)
    "P5": ("违法", 0.93, "部分未覆盖"),     # strong change on the covered part: changed, flag shown
    "P6": (None, 0.08, "部分云/无数据"),    # low score on part of the patch only: not "unchanged"
    "P7": (None, None, "未覆盖"),           # no score: the flag is the cell
    "P9": ("违法", None, "云/无数据"),
}
JCBHS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9")  # P8: never screened


@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        for jcbh in JCBHS:
            pdlx = SCREENED.get(jcbh, (None,))[0]
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XZQDM, PDLX, XGR, XGSJ) "
                         "VALUES (?, ?, 1, '500118001', ?, 'tester', 't0')", (wkt_blob(), jcbh, pdlx))
        fids = dict(conn.execute("SELECT JCBH, fid FROM jctb"))
        conn.executemany(
            'INSERT INTO wpzf_imagery_change (patch_fid, "XSS", "BHDF", "BZ", "YXQ", "YXH", "JSSJ") '
            "VALUES (?, 400, ?, ?, 'before.tif', 'after.tif', '2022-05-20T08:00:00Z')",
            [(fids[j], score, flag) for j, (_, score, flag) in SCREENED.items()])
    yield w
    w.close()


def _rows(ws):
    return {r.jcbh: r for r in load_rows(ws.conn, TODAY, im.ruleset_bands(ws.conn))}


def test_the_workspace_rule_set_gives_the_thresholds(ws, tmp_path):
    assert im.ruleset_bands(ws.conn) == im.ChangeBands(0.10, 0.50)  # the default rule set, 2022-chongqing
    bare = tmp_path / "no-imagery.toml"
    bare.write_text('[ruleset]\ntitle = "x"\n', encoding="utf-8")
    set_workspace_ruleset(ws, str(bare))
    assert im.ruleset_bands(ws.conn) is None  # no [imagery]: scores show, bands cannot be told
    rows = _rows(ws)
    assert (rows["P3"].change_band, rows["P7"].change_band) == (im.SCORED, im.NO_SCORE)
    set_workspace_ruleset(ws, "no-such-set")
    with pytest.raises(RuleSetError, match="no-such-set"):
        im.ruleset_bands(ws.conn)


def test_rows_carry_the_score_its_text_and_band(ws):
    rows = _rows(ws)
    assert [rows[j].change_text for j in JCBHS] == [
        "0.05", "0.10", "0.30", "0.50", "0.93 (部分未覆盖)", "0.08 (部分云/无数据)", "未覆盖", "", "云/无数据"]
    assert rows["P5"].change_score == pytest.approx(0.93) and rows["P8"].change_score is None
    assert {j: rows[j].change_band for j in JCBHS} == {
        "P1": im.UNCHANGED, "P2": im.UNCHANGED, "P3": im.BETWEEN, "P4": im.CHANGED, "P5": im.CHANGED,
        "P6": im.NO_SCORE, "P7": im.NO_SCORE, "P8": im.NO_SCORE, "P9": im.NO_SCORE}
    assert load_rows(ws.conn, TODAY)[0].change_band == im.SCORED  # no thresholds given: P1 is only "scored"


def test_imagery_filter_and_faceted_counts(ws):
    rows = list(_rows(ws).values())
    counts = fl.facet_counts(rows, fl.PatchFilter())
    # hand count of SCREENED: unchanged P1 P2, between P3, changed P4 P5, none P6 P7 P8 P9
    assert counts[fl.IMAGERY] == {im.UNCHANGED: 2, im.BETWEEN: 1, im.CHANGED: 2, im.NO_SCORE: 4}
    flt = fl.PatchFilter().with_choice(fl.IMAGERY, im.CHANGED)
    assert [r.jcbh for r in rows if flt.matches(r)] == ["P4", "P5"]
    assert fl.facet_counts(rows, flt)[fl.DECISION] == {"违法": 2}
    assert fl.facet_counts(rows, flt)[fl.IMAGERY][im.NO_SCORE] == 4  # its own dimension ignores the choice
    flt = fl.PatchFilter().with_choice(fl.DECISION, "违法")  # P4 P5 P9
    assert fl.facet_counts(rows, flt)[fl.IMAGERY] == {im.CHANGED: 2, im.NO_SCORE: 1}
    assert fl.PatchFilter().with_choice(fl.IMAGERY, im.UNCHANGED).accepted(rows) == [
        True, True, False, False, False, False, False, False, False]
    assert fl.IMAGERY_CHOICES == (im.UNCHANGED, im.BETWEEN, im.CHANGED, im.NO_SCORE)


def test_the_form_reads_one_patch_by_its_key(ws):
    fids = dict(ws.conn.execute("SELECT JCBH, fid FROM jctb"))
    stored = im.patch_imagery(ws.conn, fids["P5"])
    assert stored is not None and (stored.score, stored.flag, stored.pixels) == (pytest.approx(0.93), "部分未覆盖", 400)
    assert (stored.before, stored.after, stored.computed_at) == ("before.tif", "after.tif", "2022-05-20T08:00:00Z")
    assert stored.brightness is None and stored.index_name is None  # not written above: None, not 0
    assert im.patch_imagery(ws.conn, fids["P8"]) is None


def test_sort_key_is_numeric_with_empty_after():
    keys = sorted([im.score_key(0.5), im.score_key(None), im.score_key(0.05), im.score_key(0.3)])
    assert keys == [(0, 0.05), (0, 0.3), (0, 0.5), (1, 0.0)]


def test_twenty_thousand_screened_rows_load_quickly(tmp_path, capsys):
    """The score joins wpzf_imagery_change by its primary key: no query per row, no ``IN (SELECT …)``.

    Not a timed assert: prints the time for the report (pytest -s); the counts are checked by hand:
    score (i % 100) / 100 → ≤ 0.10 for i % 100 in 0..10 (11 of 100), ≥ 0.50 for 50..99 (50 of 100).
    """
    import time

    w = Workspace.create(tmp_path / "big.gpkg", 4523, user="tester")
    blob = wkt_blob()
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.executemany("INSERT INTO jctb (geom, JCBH, batch_id, XZQDM, XGR, XGSJ) VALUES (?, ?, 1, ?, 'tester', 't0')",
                         [(blob, f"500118202205{i:05d}", f"5001180{i % 20:02d}") for i in range(20000)])
        conn.execute('INSERT INTO wpzf_imagery_change (patch_fid, "BHDF") SELECT fid, ((fid - 1) % 100) / 100.0 '
                     "FROM jctb")
    started = time.perf_counter()
    rows = load_rows(w.conn, TODAY, im.ruleset_bands(w.conn))
    loaded = time.perf_counter()
    counts = fl.facet_counts(rows, fl.PatchFilter())[fl.IMAGERY]
    w.close()
    assert counts == {im.UNCHANGED: 200 * 11, im.BETWEEN: 200 * 39, im.CHANGED: 200 * 50}
    with capsys.disabled():
        print(f"\n20,000 screened patch rows (with thresholds): load {1000 * (loaded - started):.0f} ms")
