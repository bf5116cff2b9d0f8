"""The hand-built district of :mod:`reporting_district`, every patch judged and complete: ready for 一上.

A batch is submitted once its patches are judged (工作方案 四(二) 月清: the
month's patches are reported after 核查、判定), so tests of the stage cycle
use these rows rather than undecided ones, which the submission check
refuses. P1 and P7_2 keep their approvals (合法 with 批准文号); every other
patch is judged 其他/实地未变化, which needs no further record; the split
parent P7 is judged through its 地块 P7_1 and P7_2 and stays empty itself.
"""
from __future__ import annotations

from reporting_district import PATCHES

KEEP = ("JCBH", "XZQDM", "TBMJ", "GDMJ", "FJCBH", "DKBH")
DECIDED_ON = "2022-05-18"  # before the batch's decision deadline 2022-05-26 (received 2022-05-06 + 20 days)


def judged_rows(keep: tuple[str, ...] = KEEP) -> list[dict]:
    """PATCHES reduced to ``keep`` plus a complete decision per patch (none for the split parent P7)."""
    parents = {p["FJCBH"] for p in PATCHES if p.get("FJCBH")}
    rows = []
    for p in PATCHES:
        row = {k: v for k, v in p.items() if k in keep}
        if p["JCBH"] in parents:
            rows.append(row)
            continue
        if p.get("PDLX") == "合法":
            row.update(PDLX="合法", JTQX=p["JTQX"], PZWH=p["PZWH"])
        else:
            row.update(PDLX="其他", JTQX="实地未变化")
        row.update(PDR="张三", PDSJ=DECIDED_ON)
        rows.append(row)
    return rows
