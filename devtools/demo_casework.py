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
    from wpzf.domain.workspace.gpkg import connect  # the ST_* functions the R-tree triggers call

    counts: dict[str, int] = {}
    with connect(workspace) as conn:
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
                              FGMJ=(gdmj or 0) / M2_PER_MU if done else 0.0,  # 复耕到位: the farmland is back
                              SYWZGMJ=0.0 if done else wfmj, YZGMJ=wfmj if done else 0.0,
                              YZGGDMJ=(gdmj or 0) / M2_PER_MU if done else 0.0,
                              ZGWCSJ="2022-06-15" if done else None)
                if done:  # the progress as a dated record, as the rectification form stores it
                    conn.execute(
                        "INSERT INTO wpzf_rectification (patch_fid, JLRQ, ZGFS, CCMJ, FGMJ, BBMJ, SYWZGMJ, ZGWCSJ, "
                        "XGR, XGSJ) VALUES (?, '2022-06-15', '拆除复耕', ?, ?, 0, 0, '2022-06-15', 'demo', ?)",
                        (fid, wfmj, (gdmj or 0) / M2_PER_MU, "2022-06-15T02:00:00.000Z"))
                conn.execute("INSERT INTO wpzf_referral (patch_fid, YJBM, YJRQ, YJWH, ZT, XGR, XGSJ) "
                             "VALUES (?, '镇街', ?, ?, '已移交', 'demo', ?)", (fid, decided_on, f"永卫片移〔2022〕{i + 1}号",
                                                                           decided_on))
            sets = ", ".join(f"{k} = ?" for k in values)
            conn.execute(f"UPDATE jctb SET {sets}, XGR = 'demo', XGSJ = ? WHERE fid = ?",
                         (*values.values(), decided_on, fid))
            counts[pdlx] = counts.get(pdlx, 0) + 1
    return counts


def progress_after_lock(workspace: Path, batch: str) -> dict[str, int]:
    """The towns keep rectifying after the city locked the stage (工作方案 四(二)): dated records appended.

    Of the illegal patches not yet rectified, every second one is demolished and
    re-cultivated by 2022-10-31 (counted in 2022), every other one only on
    2023-02-28 (after 统计截止 2022-12-31: not counted in 2022's figures), and a
    third of the rest are only demolished by 2022-11-30 (no farmland back yet).
    The cases of the patches rectified in 2022 are closed on 2022-11-15 (罚款 2 万元/亩).
    Saved through the casework API, as the rectification and case forms do.
    """
    from wpzf.domain.casework.records import CaseInfo, RectificationInput
    from wpzf.domain.casework.save import save_case_record, save_rectification
    from wpzf.domain.workspace.store import Workspace

    counts = {"rectified_2022": 0, "rectified_2023": 0, "demolished_only": 0, "cases_closed": 0}
    with Workspace.open(workspace, user="镇街整改专班") as ws:
        rows = ws.conn.execute(
            "SELECT p.fid, p.WFMJ, p.WFGDMJ, p.LASJ, p.AJBH FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id WHERE b.PCMC = ? "
            "AND p.PDLX = '违法' AND COALESCE(p.SYWZGMJ, p.WFMJ) > 0 ORDER BY p.fid", (batch,)).fetchall()
        for i, (fid, wfmj, wfgdmj, lasj, ajbh) in enumerate(rows):
            if i % 3 == 2:
                rect = RectificationInput(JLRQ="2022-11-30", ZGFS="拆除复耕", CCMJ=wfmj, FGMJ=0.0, BBMJ=0.0,
                                          SM="已拆除，待复耕")
                key = "demolished_only"
            else:
                day = "2022-10-31" if i % 3 == 0 else "2023-02-28"
                rect = RectificationInput(JLRQ=day, ZGFS="拆除复耕", CCMJ=wfmj, FGMJ=wfgdmj, BBMJ=0.0, ZGWCSJ=day,
                                          SM="拆除复耕到位，农业农村委验收")
                key = "rectified_2022" if day.startswith("2022") else "rectified_2023"
            save_rectification(ws, fid, rect)
            counts[key] += 1
            if key == "rectified_2022":  # 处罚决定执行到位, the case is closed (a dated 立案查处 record)
                save_case_record(ws, fid, CaseInfo(SFLA=True, LASJ=lasj, AJBH=ajbh, CFJDSWH=f"{ajbh}决",
                                                   FMK=round(wfmj * 20000, 2), JASJ="2022-11-15", JLRQ="2022-11-15"))
                counts["cases_closed"] += 1
    return counts


def city_problem_list(workspace: Path, batch: str, target: Path, n: int = 5) -> Path:
    """The city's 一下 list as it arrives: a title row, a header with full-width brackets, one unknown ID."""
    with sqlite3.connect(workspace) as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT JCBH FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id WHERE b.PCMC = ? AND p.PDLX = '合法' "
            "ORDER BY p.fid LIMIT ?", (batch, n))]
    rows = [[f"永川区 {batch} 批次卫片执法一下问题图斑"], ["序号", "监测编号（JCBH）", "存在问题（市级审核）"]]
    rows += [[k, jcbh, "佐证资料不足，请补充批准文件扫描件"] for k, jcbh in enumerate(ids, start=1)]
    rows.append([len(ids) + 1, "500118202205999999", "图斑编号有误"])
    return write_csv_rows(target, rows)


def write_csv_rows(target: Path, rows: list[list]) -> Path:
    """A CSV as Excel opens it (UTF-8 with BOM), formula-like text neutralised (domain/reporting/cell_text.py)."""
    from wpzf.domain.reporting.cell_text import csv_text

    with target.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow([csv_text(v) for v in row])
    return target
