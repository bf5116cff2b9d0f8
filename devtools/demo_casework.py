"""`make demo` stand-in for the technicians' month: decisions, referrals and rectification plans.

In the office these come from the decision forms; the demo fills them from the
pre-judgement suggestions and the farmland-occupation figures so that the
reporting steps (submission, the city's feedback, statistics) run on a batch
that looks worked.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

M2_PER_MU = 10000 / 15
#: Fields of the farmland-occupation output the decisions take (all m²).
OCCUPATION_FIELDS = ("TBMJ", "GDMJ", "JBNTMJ", "JBNTGDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ")
#: Workspace columns kept in 亩 (domain/workspace/columns.py): the 地块面积 split besides GDMJ.
SPLIT_IN_MU = ("FGNYDMJ", "JSYDMJ", "WLYDMJ")
FINAL = {("违法", "疑似违法"): ("违法", "非农违法"), ("其他", "待核查"): ("其他", "实地未变化")}


def fill_decisions(workspace: Path, batch: str, occupation: dict[str, dict[str, float]],
                   decided_on: str) -> dict[str, int]:
    """Accept each suggestion as the decision; illegal patches get a referral and a rectification plan.

    ``occupation``: JCBH → the :data:`OCCUPATION_FIELDS` of the farmland-occupation output (m²).
    违法永久基本农田 is the farmland inside basic farmland (JBNTGDMJ), on the farmland's basis
    (domain.md §9), not the gross basic-farmland cover JBNTMJ.
    """
    counts: dict[str, int] = {}
    with sqlite3.connect(workspace) as conn:
        rows = conn.execute(
            "SELECT p.fid, p.JCBH, s.PDLX, s.JTQX, s.evidence FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id "
            "JOIN wpzf_prejudgement s ON s.patch_fid = p.fid WHERE b.PCMC = ? ORDER BY p.fid", (batch,)).fetchall()
        for i, (fid, jcbh, pdlx, jtqx, evidence) in enumerate(rows):
            pdlx, jtqx = FINAL.get((pdlx, jtqx), (pdlx, jtqx))
            figures = occupation.get(jcbh, {})
            tbmj, gdmj, jbntgd = figures.get("TBMJ"), figures.get("GDMJ"), figures.get("JBNTGDMJ")
            documents = json.loads(evidence or "{}").get("documents") or []
            values = {"PDLX": pdlx, "JTQX": jtqx, "TBMJ": tbmj, "GDMJ": gdmj, "JBNTMJ": figures.get("JBNTMJ"),
                      "JBNTGDMJ": jbntgd, **{c: None if figures.get(c) is None else figures[c] / M2_PER_MU
                                              for c in SPLIT_IN_MU},
                      "PDR": "demo", "PDSJ": decided_on, "PDYJ": "依据内业比对和预判结果"}
            if pdlx == "合法":
                values["PZWH"] = "；".join(documents) or f"永规资〔2022〕{i + 1}号"
            if pdlx == "违法":
                wfmj = (tbmj or 0) / M2_PER_MU
                done = i % 3 == 0
                values.update(WFLX="非农违法", WFMJ=wfmj, WFGDMJ=(gdmj or 0) / M2_PER_MU,
                              WFJBNTMJ=(jbntgd or 0) / M2_PER_MU, SFLA=1, AJBH=f"永规资罚〔2022〕{i + 1}号",
                              LASJ=decided_on, WFSD="新增",  # filed on the decision day; built since the image
                              ZGFS="拆除复耕", CCMJ=wfmj if done else 0.0, BBMJ=0.0,
                              SYWZGMJ=0.0 if done else wfmj, YZGMJ=wfmj if done else 0.0,
                              ZGWCSJ="2022-06-15" if done else None)
                conn.execute("INSERT INTO wpzf_referral (patch_fid, YJBM, YJRQ, YJWH, ZT, XGR, XGSJ) "
                             "VALUES (?, '镇街', ?, ?, '已移交', 'demo', ?)", (fid, decided_on, f"永卫片移〔2022〕{i + 1}号",
                                                                           decided_on))
            sets = ", ".join(f"{k} = ?" for k in values)
            conn.execute(f"UPDATE jctb SET {sets}, XGR = 'demo', XGSJ = ? WHERE fid = ?",
                         (*values.values(), decided_on, fid))
            counts[pdlx] = counts.get(pdlx, 0) + 1
    return counts


def city_problem_list(workspace: Path, batch: str, target: Path, n: int = 5) -> Path:
    """The city's 一下 list as it arrives: a title row, a header with full-width brackets, one unknown ID."""
    with sqlite3.connect(workspace) as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT JCBH FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id WHERE b.PCMC = ? AND p.PDLX = '合法' "
            "ORDER BY p.fid LIMIT ?", (batch, n))]
    with target.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([f"永川区 {batch} 批次卫片执法一下问题图斑"])
        writer.writerow(["序号", "监测编号（JCBH）", "存在问题（市级审核）"])
        for k, jcbh in enumerate(ids, start=1):
            writer.writerow([k, jcbh, "佐证资料不足，请补充批准文件扫描件"])
        writer.writerow([len(ids) + 1, "500118202205999999", "图斑编号有误"])
    return target
