"""The stored pre-judgement overlay (domain/workspace/overlay_cache.py) on a real GeoPackage workspace."""
from __future__ import annotations

import pytest
from gpkg_blobs import wkt_blob

from wpzf.domain.rules.evidence import CoverEvidence, PatchEvidence
from wpzf.domain.workspace import overlay_cache
from wpzf.domain.workspace.store import Workspace

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"
MOVED = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250101, 35580000 3250100, 35580000 3250000)))"




@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws.gpkg", 4523, user="tester")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-06', '2022-06-03', '2022-06-23')")
        for jcbh, batch in (("A1", 1), ("A2", 1), ("B1", 2)):
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XGR, XGSJ) VALUES (?, ?, ?, 'tester', 't0')",
                         (wkt_blob(SQUARE), jcbh, batch))
    yield w
    w.close()


def test_figures_read_back_to_the_same_doubles_with_current_attributes(ws):
    # 0.1 + 0.2 and 2/3 have no short decimal form: JSON's repr text must still give the same double
    evidence = PatchEvidence(jcbh="1", tbmj=10000 / 3, gdmj=0.1 + 0.2, jbntmj=0.0, zgbl=(0.1 + 0.2) / (10000 / 3),
                             jbntgdmj=None, classes={"0103": 0.1 + 0.2, "0702": 10000 / 3 - 0.3},
                             cover={"NYDZY": CoverEvidence(share=2 / 3, area=10000 / 9, count=2,
                                                           keys=("渝府地〔2021〕1号", "渝府地〔2021〕2号"))},
                             attrs={"PDLX": "old"})
    overlay_cache.save(ws, "2022-05", {"patches": "x"}, {1: overlay_cache.figures_of(evidence)},
                       [("warning", "DLTB: 2 features repaired")])
    stored = overlay_cache.load(ws, "2022-05")
    back = overlay_cache.evidence_of("1", stored.figures[1], {"PDLX": "违法"})
    assert back == PatchEvidence(**{**evidence.__dict__, "attrs": {"PDLX": "违法"}})  # attributes always afresh
    assert stored.messages == [("warning", "DLTB: 2 features repaired")]
    assert overlay_cache.load(ws, "2022-06") is None and overlay_cache.load(ws, None) is None


def test_geometry_digest_follows_the_batch_geometries_not_the_attributes(ws):
    before = overlay_cache.patch_geometry_digest(ws, "2022-05")
    other = overlay_cache.patch_geometry_digest(ws, "2022-06")
    assert before != other  # other fids
    with ws.transaction() as conn:
        conn.execute("UPDATE jctb SET PDLX = '违法', XGR = 'tester', XGSJ = 't1' WHERE JCBH = 'A1'")
    assert overlay_cache.patch_geometry_digest(ws, "2022-05") == before
    with ws.transaction() as conn:
        conn.execute("UPDATE jctb SET geom = ?, XGR = 'tester', XGSJ = 't2' WHERE JCBH = 'B1'", (wkt_blob(MOVED),))
    assert overlay_cache.patch_geometry_digest(ws, "2022-05") == before  # another batch's patch
    with ws.transaction() as conn:
        conn.execute("UPDATE jctb SET geom = ?, XGR = 'tester', XGSJ = 't3' WHERE JCBH = 'A2'", (wkt_blob(MOVED),))
    assert overlay_cache.patch_geometry_digest(ws, "2022-05") != before


def test_changed_names_each_differing_part_and_a_damaged_entry_reads_as_none(ws):
    parts = {"version": "1", "patches": "p", "landuse": "l", "basic": "b", "covers": "c", "ruleset": "r", "area": "a"}
    overlay_cache.save(ws, "2022-05", parts, {})
    stored = overlay_cache.load(ws, "2022-05")
    assert stored.changed(parts) == []
    assert stored.changed({**parts, "ruleset": "r2", "patches": "p2"}) == ["patches", "ruleset"]
    with ws.transaction() as conn:
        conn.execute("UPDATE wpzf_meta SET value = 'zlib:not base64!' WHERE key = 'overlay:2022-05'")
    assert overlay_cache.load(ws, "2022-05") is None
    overlay_cache.forget(ws, "2022-05")
    assert ws.conn.execute("SELECT count(*) FROM wpzf_meta WHERE key LIKE 'overlay:%'").fetchone() == (0,)
