"""What statistics and exports read per patch, loaded from a workspace in one pass.

A :class:`PatchFact` is plain data (no database handle), so statistics can be
computed and tested on hand-built patches. Split 地块 keep their parent's
JCBH in ``parent``; :func:`leaves` and :func:`originals` pick the "核实后" and
"原始下发" views so a split patch is never counted twice.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from ..casework.progress import CaseRecord, RectificationRecord, case_records, rectification_records
from ..rules.records import as_date
from ..workspace.divisions import patch_towns, town_names
from ..workspace.interface import WorkspaceStore
from ..workspace.judgement import StoredPatch, load_patches


def number(value: Any) -> Optional[float]:
    """A float from a stored value; None when empty or not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class PatchFact:
    """One patch or 地块 with the values reporting needs (areas: m² columns as stored, 亩 columns in 亩)."""

    fid: int
    jcbh: str
    batch: str
    received: Optional[dt.date]
    town: str
    """镇街 code: the stored assignment (wpzf_patch_division, by the boundaries) or XZQDM's 9-digit prefix."""
    values: Mapping[str, Any] = field(default_factory=dict)
    parent: str = ""
    stage: str = ""
    locked: bool = False
    departments: tuple[str, ...] = ()
    n_rectification: int = 0
    n_evidence: int = 0
    records: Mapping[str, str] = field(default_factory=dict)
    """Related records as text for exports: 佐证资料, 外业踏勘, 移交, 一下问题."""
    referral_dates: tuple[Optional[dt.date], ...] = ()
    """移交日期 (YJRQ) of each entry of ``departments``, in the same order."""
    rectifications: tuple[RectificationRecord, ...] = ()
    """整改 progress records (wpzf_rectification), oldest first by JLRQ then id."""
    cases: tuple[CaseRecord, ...] = ()
    """立案查处 progress records (wpzf_case_progress), oldest first by JLRQ then id."""
    locked_at: str = ""
    """When the batch was last locked (UTC stamp of wpzf_stage_history); '' when not locked."""
    village: str = ""
    """村 code from the village boundaries ('' when none is stored)."""
    town_name: str = ""
    village_name: str = ""

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def num(self, name: str) -> Optional[float]:
        return number(self.values.get(name))

    def txt(self, name: str) -> str:
        return text(self.values.get(name))


def town_of(values: Mapping[str, Any]) -> str:
    """Town (镇街) code of a patch: the 9-digit prefix of XZQDM (a 12-digit village code is cut)."""
    code = text(values.get("XZQDM"))
    return code[:9] if len(code) > 9 and code.isdigit() else code


def _fact(p: StoredPatch, departments: dict[int, list[str]], n_rect: dict[int, int],
          n_evid: dict[int, int], stages: dict[str, str], records: dict[int, dict[str, str]],
          places: Mapping[int, tuple[str, str, str, str]], names: Mapping[str, str]) -> PatchFact:
    parent = text(p.values.get("FJCBH"))
    town, town_name, village, village_name = places.get(p.fid) or ("", "", "", "")
    if not town:
        town = town_of(p.values)
        town_name = names.get(town, "")
    return PatchFact(
        fid=p.fid, jcbh=p.jcbh, batch=p.batch, received=as_date(p.received), town=town,
        values=p.values, parent="" if parent == p.jcbh else parent, stage=stages.get(p.batch, ""),
        locked=p.locked, departments=tuple(departments.get(p.fid, ())), n_rectification=n_rect.get(p.fid, 0),
        n_evidence=n_evid.get(p.fid, 0), records=records.get(p.fid, {}), village=village, town_name=town_name,
        village_name=village_name)


def load_facts(ws: WorkspaceStore, batch: str | None = None,
               places: Mapping[int, tuple[str, str, str, str]] | None = None) -> list[PatchFact]:
    """Every patch of ``batch`` (all batches when None) with its referrals, record counts, town and village.

    The town and village are the stored assignment by the boundaries
    (``places``: fid → (XZDM, XZMC, CJDM, CJMC), read from the workspace when
    None); a patch without one falls back to its XZQDM's 9-digit prefix.
    """
    departments: dict[int, list[str]] = {}
    for fid, dept in ws.conn.execute('SELECT patch_fid, "YJBM" FROM wpzf_referral ORDER BY id'):
        departments.setdefault(fid, []).append(text(dept))
    n_rect = dict(ws.conn.execute("SELECT patch_fid, count(*) FROM wpzf_rectification GROUP BY patch_fid"))
    n_evid = dict(ws.conn.execute("SELECT patch_fid, count(*) FROM wpzf_evidence GROUP BY patch_fid"))
    stages = dict(ws.conn.execute('SELECT "PCMC", "JD" FROM wpzf_batch'))
    records = related_texts(ws)
    if places is None:
        places = patch_towns(ws)
    names = town_names(ws)
    facts = [_fact(p, departments, n_rect, n_evid, stages, records, places, names) for p in load_patches(ws, batch)]
    return with_progress(ws, facts)


def with_progress(ws: WorkspaceStore, facts: list[PatchFact]) -> list[PatchFact]:
    """The facts with their dated progress: referral dates, rectification records, the batch's lock time.

    Figures "as at" a date read these (工作方案 四(二): 全区查处整改情况统计时间截至
    2022年12月31日), never the patch's summary alone.
    """
    from dataclasses import replace

    referral_dates: dict[int, list[Optional[dt.date]]] = {}
    for fid, day in ws.conn.execute('SELECT patch_fid, "YJRQ" FROM wpzf_referral ORDER BY id'):
        referral_dates.setdefault(fid, []).append(as_date(day))
    rectifications = rectification_records(ws)
    cases = case_records(ws)
    locked_at = dict(ws.conn.execute(
        'SELECT b."PCMC", max(h.at) FROM wpzf_batch b JOIN wpzf_stage_history h ON h.batch_id = b.id '
        'WHERE b."SDZT" = 1 AND h.locked = 1 GROUP BY b."PCMC"'))
    return [replace(f, referral_dates=tuple(referral_dates.get(f.fid, ())),
                    rectifications=tuple(rectifications.get(f.fid, ())), cases=tuple(cases.get(f.fid, ())),
                    locked_at=text(locked_at.get(f.batch))) for f in facts]


RELATED_TEXTS: dict[str, str] = {
    "evidence": """SELECT patch_fid, "ZLLX" || '：' || "YSWJM" || COALESCE('（' || "WH" || '）', '') FROM wpzf_evidence ORDER BY id""",
    "visits": """SELECT patch_fid, "KCRQ" || ' ' || "KCRY" || COALESCE(' ' || NULLIF("KCJG", ''), '') """
              """|| COALESCE('：' || "KCQK", '') FROM wpzf_field_visit ORDER BY id""",
    "referrals": """SELECT patch_fid, "YJBM" || ' ' || "YJRQ" || COALESCE(' ' || "YJWH", '') || COALESCE('（' || "ZT" || '）', '') """
                 "FROM wpzf_referral ORDER BY id",
    "feedback": """SELECT patch_fid, '第' || round || '轮：' || "WTMS" FROM wpzf_feedback WHERE patch_fid IS NOT NULL """
                "ORDER BY id",
}
"""Related records written out as text per patch (the evidence columns of exports)."""


def related_texts(ws: WorkspaceStore) -> dict[int, dict[str, str]]:
    """fid → {'evidence': '照片：a.jpg；批文：b.pdf（渝府地〔2022〕1号）', 'visits': …, …}.

    A visit reads 踏勘日期 人员 结果：情况 ('2022-05-20 李四 实地未变化：现场为耕地'); the
    result (KCJG, a field package's 调查结果) is left out when none was recorded.
    """
    texts: dict[int, dict[str, list[str]]] = {}
    for key, sql in RELATED_TEXTS.items():
        for fid, line in ws.conn.execute(sql):
            texts.setdefault(fid, {}).setdefault(key, []).append(text(line))
    return {fid: {k: "；".join(v) for k, v in kinds.items()} for fid, kinds in texts.items()}


def originals(facts: Iterable[PatchFact]) -> list[PatchFact]:
    """原始下发: the patches as delivered (split 地块 are not counted)."""
    return [f for f in facts if not f.parent]


def leaves(facts: Iterable[PatchFact]) -> list[PatchFact]:
    """核实后: split 地块 in place of their parent, every unsplit patch as itself."""
    facts = list(facts)
    split = {f.parent for f in facts if f.parent}
    return [f for f in facts if f.parent or f.jcbh not in split]
