"""A hand-built two-town year (three batches, dated rectification records) whose trend is computed by hand.

Towns 500118001 甲镇 (x 35 580 000–35 581 000) and 500118002 乙镇 (x 35 581 000–35 582 000), stored as the
workspace's town boundaries. 亩 columns hold 亩; m² columns whole 亩 × 666.666….

| patch | batch (JSRQ)        | town | decision           | 违法 / 其中耕地 | rectification records (JLRQ)                          |
|-------|---------------------|------|--------------------|---------------|-------------------------------------------------------|
| A1    | 2022-01 (01-10)     | 甲   | 违法 非农违法        | 6 / 4 亩       | 02-15 拆除 3, 复耕 2, 剩 3; 04-20 拆除 6, 复耕 4, 剩 0 完成 |
| A2    | 2022-01             | 乙   | 合法 农用地转用 (耕地 5 亩) | —        | —                                                     |
| B1    | 2022-03 (03-08)     | 甲   | 违法 非农违法        | 3 / 3 亩       | —                                                     |
| B2    | 2022-03             | 乙   | 违法 非农违法        | 10 / 8 亩      | 07-10 补办 10 (耕地 8), 剩 0 完成                         |
| B3    | 2022-03             | 乙   | 未判定              | —             | —                                                     |
| C1    | 2022-06 (06-05)     | 甲   | 违法 非农违法        | 2 / 1 亩       | —                                                     |
"""
from __future__ import annotations

from pathlib import Path

import shapely

from wpzf.domain.units import M2_PER_MU
from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.division_shares import Division
from wpzf.domain.workspace.divisions import import_divisions
from wpzf.domain.workspace.store import Workspace

T1, T2 = "500118001", "500118002"
NAMES = {T1: "甲镇", T2: "乙镇"}
X0, Y0 = 35580000.0, 3250000.0


def _mu(n: float) -> float:
    return n * M2_PER_MU


def _blob(x: float, y: float) -> bytes:
    g = shapely.MultiPolygon([shapely.box(x, y, x + 100, y + 100)])
    return gpkg.encode(shapely.to_wkb(g), 4523, g.bounds)


BATCHES = {"2022-01": "2022-01-10", "2022-03": "2022-03-08", "2022-06": "2022-06-05"}
ILLEGAL = dict(PDLX="违法", WFLX="非农违法", WFJBNTMJ=0)
PATCHES: list[tuple[str, str, float, dict]] = [
    ("2022-01", T1, 100, dict(JCBH="A1", TBMJ=_mu(6), GDMJ=_mu(4), WFMJ=6, WFGDMJ=4, **ILLEGAL)),
    ("2022-01", T2, 1100, dict(JCBH="A2", TBMJ=_mu(7), GDMJ=_mu(5), PDLX="合法", JTQX="农用地转用",
                               PZWH="渝府地〔2022〕1号")),
    ("2022-03", T1, 300, dict(JCBH="B1", TBMJ=_mu(3), GDMJ=_mu(3), WFMJ=3, WFGDMJ=3, **ILLEGAL)),
    ("2022-03", T2, 1300, dict(JCBH="B2", TBMJ=_mu(10), GDMJ=_mu(8), WFMJ=10, WFGDMJ=8, **ILLEGAL)),
    ("2022-03", T2, 1500, dict(JCBH="B3", TBMJ=_mu(2), GDMJ=_mu(1))),
    ("2022-06", T1, 500, dict(JCBH="C1", TBMJ=_mu(2), GDMJ=_mu(1), WFMJ=2, WFGDMJ=1, **ILLEGAL)),
]
RECTIFICATIONS = [
    ("A1", dict(JLRQ="2022-02-15", ZGFS="拆除复耕", CCMJ=3, FGMJ=2, BBMJ=0, SYWZGMJ=3)),
    ("A1", dict(JLRQ="2022-04-20", ZGFS="拆除复耕", CCMJ=6, FGMJ=4, BBMJ=0, SYWZGMJ=0, ZGWCSJ="2022-04-20")),
    ("B2", dict(JLRQ="2022-07-10", ZGFS="补办手续", CCMJ=0, BBMJ=10, BBGDMJ=8, BBPZWH="渝府地〔2022〕9号",
                SYWZGMJ=0, ZGWCSJ="2022-07-10")),
]


def build(path: Path) -> Path:
    """Create the workspace file: batches, patches, town boundaries (patches placed by them), rectification records."""
    ws = Workspace.create(path, 4523, user="tester")
    with ws.transaction() as conn:
        ids = {}
        for name, received in BATCHES.items():
            cur = conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES (?, ?, date(?, '+20 days'))",
                               (name, received, received))
            ids[name] = cur.lastrowid
        fids = {}
        for batch, _town, x, row in PATCHES:  # the town follows from x (the boundaries)
            values = {**row, "XZQDM": "500118"}
            names = ["geom", "batch_id", "XGR", "XGSJ", *values]
            cur = conn.execute(f"INSERT INTO jctb ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                               [_blob(X0 + x, Y0 + 100), ids[batch], "tester", "t0", *values.values()])
            fids[row["JCBH"]] = cur.lastrowid
        for jcbh, record in RECTIFICATIONS:
            names = ["patch_fid", "XGR", "XGSJ", *record]
            conn.execute(f"INSERT INTO wpzf_rectification ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                         [fids[jcbh], "tester", "t0", *record.values()])
    towns = [Division(T1, NAMES[T1], shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)),
             Division(T2, NAMES[T2], shapely.box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000))]
    import_divisions(ws, towns)
    ws.close()
    return path
