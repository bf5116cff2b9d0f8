"""A hand-built two-town workspace whose statistics are computed by hand in the tests.

Areas: m² columns (TBMJ, GDMJ, JBNTMJ) hold whole 亩 × 666.666…; 亩 columns hold 亩.
"""
from __future__ import annotations

from pathlib import Path

import shapely

from wpzf.domain.units import M2_PER_MU
from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.store import Workspace

T1, T2 = "500118001", "500118002"


def blob(i: int) -> bytes:
    x, y = 35580000 + 200 * i, 3250000
    g = shapely.MultiPolygon([shapely.box(x, y, x + 100, y + 100)])
    return gpkg.encode(shapely.to_wkb(g), 4523, g.bounds)


def mu(n: float) -> float:
    return n * M2_PER_MU


PATCHES: list[dict] = [
    dict(JCBH="P1", XZQDM=T1, TBMJ=mu(10), GDMJ=mu(5), PDLX="合法", JTQX="农用地转用", PZWH="渝府地〔2022〕1号"),
    dict(JCBH="P2", XZQDM=T1, TBMJ=mu(8), GDMJ=mu(6), PDLX="违法", WFLX="非农违法", WFMJ=8, WFGDMJ=6, WFJBNTMJ=2,
         SFLA=1, AJBH="永规资罚〔2022〕7号", ZGFS="拆除复耕", CCMJ=8, FGMJ=6, BBMJ=0, SYWZGMJ=0, YZGMJ=8,
         ZGWCSJ="2022-06-30"),
    dict(JCBH="P3", XZQDM=T1, TBMJ=mu(4), GDMJ=mu(4), PDLX="违法", WFLX="非农违法", WFMJ=4, WFGDMJ=4, WFJBNTMJ=0,
         SFLA=1, ZGFS="拆补组合", CCMJ=1, FGMJ=1, BBMJ=1, BBGDMJ=1, SYWZGMJ=2, YZGMJ=2,
         KJLX="市级重点工程临时用地"),
    dict(JCBH="P4", XZQDM=T2, TBMJ=mu(10), GDMJ=mu(9), PDLX="违法", WFLX="非农违法", WFMJ=10, WFGDMJ=9,
         WFJBNTMJ=0),
    dict(JCBH="P5", XZQDM=T2, TBMJ=mu(3), GDMJ=mu(0), PDLX="其他", JTQX="实地未变化"),
    dict(JCBH="P6", XZQDM=T2, TBMJ=mu(2), GDMJ=mu(1)),
    dict(JCBH="P7", XZQDM=T2, TBMJ=mu(5), GDMJ=mu(5)),
    dict(JCBH="P7_1", XZQDM=T2, FJCBH="P7", DKBH="1", TBMJ=mu(3), GDMJ=mu(3), PDLX="违法", WFLX="非农违法", WFMJ=3,
         WFGDMJ=3, WFJBNTMJ=0),
    dict(JCBH="P7_2", XZQDM=T2, FJCBH="P7", DKBH="2", TBMJ=mu(2), GDMJ=mu(2), PDLX="合法", JTQX="临时用地",
         PZWH="渝规资临〔2022〕3号"),
]
REFERRALS = [("P2", "区规划自然资源局"), ("P4", "镇街"), ("P4", "区农业农村委")]


def build(path: Path, received: str = "2022-05-06", patches: list[dict] | None = None) -> Path:
    """Create the workspace file with batch 2022-05 and the patches above."""
    ws = Workspace.create(path, 4523, user="tester")
    with ws.transaction() as conn:
        conn.execute("""INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('2022-05', ?, date(?, '+20 days'))""",
                     (received, received))
        fids = {}
        for i, row in enumerate(patches if patches is not None else PATCHES):
            names = ["geom", "batch_id", "XGR", "XGSJ", *row]
            cur = conn.execute(
                f"INSERT INTO jctb ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [blob(i), 1, "tester", "t0", *row.values()])
            fids[row["JCBH"]] = cur.lastrowid
            if row.get("PDR"):  # judged (judged_district): 审核 signed too, as the 2022 rule set's [review] needs
                conn.execute("""INSERT INTO wpzf_review (patch_fid, "BZ", "JG", "SHR", "SHSJ", "PDLX", "XGR", "XGSJ") """
                             "VALUES (?, '审核', '通过', '李四', ?, ?, 'tester', 't0')",
                             (cur.lastrowid, row.get("PDSJ") or "2022-05-18", row.get("PDLX")))
        if patches is None:
            for jcbh, dept in REFERRALS:
                conn.execute("""INSERT INTO wpzf_referral (patch_fid, "YJBM", "YJRQ", "XGR", "XGSJ") VALUES (?, ?, '2022-05-20', """
                             "'tester', 't0')", (fids[jcbh], dept))
    ws.close()
    return path
