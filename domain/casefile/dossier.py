"""A patch's 卷宗 as pages: 封面, 卷内目录, the documents in order with their page numbers, 备考表. No Qt.

Why here: the 卷内目录 must give each document's page numbers before any page
is printed, so the pagination is decided in plain Python (and tested with
hand-counted pages); ``printing/dossier_layout.py`` only lays the pages out.
The work plan asks legal patches to be filed with their evidence ("充分收集
相关审批、备案和现场照片等佐证资料，组卷归档"), illegal ones to get a case
dossier ("参照《国土资源违法行为查处工作规程》建立案件卷宗") and 市级验收 to
find "档案卷宗资料规范齐全": a missing item is therefore listed on the 卷内目录
with what is missing, never left out.

Page numbers are the PDF's own page numbers (封面 = 1), so a reader jumping to
"第 7 页" in any PDF viewer lands on the document the 目录 names. Text is
Chinese whatever the interface language: the dossier is an official document.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Optional

from ..units import M2_PER_MU
from .completeness import (
    CASE_NO_STAGES,
    ILLEGAL,
    ILLEGAL_NO_CASE_OR_REFERRAL,
    LEGAL,
    LEGAL_NO_APPROVAL,
    LEGAL_NO_APPROVAL_FILE,
    NO_DECISION,
    NO_PHOTO,
    RECTIFIED_NO_EVIDENCE,
    REVIEW_INCOMPLETE,
    Missing,
    content_missing,
    latest_record,
)
from .content import HANDLED, RECTIFICATION_WORDS, REVIEW_STEPS, DossierContent, EvidenceFile, stamp
from .text_fit import row_height, wrap

MISSING_TEXT = "—"
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 25.0, 15.0, 15.0, 18.0
"""Margins (mm); the wider left margin is the binding edge of an archived volume."""
BODY_WIDTH = PAGE_WIDTH - LEFT - RIGHT
TITLE_MM = 14.0
BODY_TOP = TOP + TITLE_MM
BODY_HEIGHT = PAGE_HEIGHT - BODY_TOP - BOTTOM
CAPTION_MM = 7.0
GAP_MM = 4.0
PHOTOS_PER_PAGE = 2

COVER, CATALOGUE, DECISION, MAP = "cover", "catalogue", "decision", "map"
APPROVALS, VISITS, REFERRALS, CASES, RECTIFICATION, NOTES = (
    "approvals", "visits", "referrals", "cases", "rectification", "notes")
SECTION_TITLES = {
    DECISION: "合法性判定表（含审查意见）", MAP: "图斑核查图", APPROVALS: "审批、备案资料",
    VISITS: "外业踏勘记录及现场照片", REFERRALS: "移交记录", CASES: "立案查处记录（案件阶段）",
    RECTIFICATION: "整改情况（整改前后）", NOTES: "备考表",
}
CATALOGUED = (DECISION, MAP, APPROVALS, VISITS, REFERRALS, CASES, RECTIFICATION, NOTES)
"""The documents of the 卷内目录, in filing order."""
ITEM_SECTION = {
    NO_DECISION: DECISION, REVIEW_INCOMPLETE: DECISION, LEGAL_NO_APPROVAL: APPROVALS,
    LEGAL_NO_APPROVAL_FILE: APPROVALS, NO_PHOTO: VISITS, ILLEGAL_NO_CASE_OR_REFERRAL: REFERRALS,
    CASE_NO_STAGES: CASES, RECTIFIED_NO_EVIDENCE: RECTIFICATION,
}
"""Where each missing item is noted on the 卷内目录."""
CATALOGUE_HEADER = ("序号", "文件材料名称", "页号", "页数", "备注")
CATALOGUE_WIDTHS = (14.0, 62.0, 24.0, 14.0, 56.0)
PRESENT, ABSENT, NOT_APPLICABLE = "present", "absent", "not applicable"


@dataclass(frozen=True)
class Table:
    """A table on a page: optional caption and header, rows, column widths and row heights (mm)."""

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    header: tuple[str, ...] = ()
    caption: str = ""
    key_value: bool = False
    """A form (bold first column, no header) rather than a list."""

    @property
    def heights(self) -> tuple[float, ...]:
        """Height of the header (if any) and of each row."""
        return tuple(row_height(r, self.widths) for r in ((self.header,) if self.header else ()) + self.rows)

    @property
    def height(self) -> float:
        return (CAPTION_MM if self.caption else 0.0) + sum(self.heights)


@dataclass(frozen=True)
class PhotoSlot:
    """A photo on a photo page and the lines printed under it."""

    evidence: EvidenceFile
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One printed page: its section, title, tables or photos, and its number in the PDF."""

    section: str
    title: str
    tables: tuple[Table, ...] = ()
    photos: tuple[PhotoSlot, ...] = ()
    number: int = 0


@dataclass(frozen=True)
class Section:
    """One document of the 卷内目录: its pages (none when absent) and what is missing from it."""

    key: str
    state: str
    pages: tuple[Page, ...] = ()
    missing: tuple[Missing, ...] = ()
    note: str = ""

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.key]

    @property
    def first(self) -> int:
        return self.pages[0].number if self.pages else 0

    @property
    def last(self) -> int:
        return self.pages[-1].number if self.pages else 0

    def page_text(self) -> str:
        """页号 as printed: "5", "6-8", or "—" for an absent document."""
        if not self.pages:
            return MISSING_TEXT
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def remark(self) -> str:
        """备注: what is missing ("缺：…"), "不适用", or the section's own note."""
        parts = [f"缺：{m.text}" for m in self.missing]
        if self.state == NOT_APPLICABLE and not parts:
            parts.append("不适用")
        if self.note:
            parts.append(self.note)
        return "；".join(parts)


@dataclass(frozen=True)
class DossierPlan:
    """The whole dossier: cover, catalogue and sections with numbered pages."""

    content: DossierContent
    cover: Page
    catalogue: Page
    sections: tuple[Section, ...]
    missing: tuple[Missing, ...]
    keeper: str
    filed_on: str

    @property
    def pages(self) -> list[Page]:
        """Every page in print order (the map pages are placeholders: the map layout prints them)."""
        return [self.cover, self.catalogue] + [p for s in self.sections for p in s.pages]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def catalogue_rows(self) -> list[tuple[str, ...]]:
        """序号, 文件材料名称, 页号, 页数, 备注 of each document."""
        return [(str(i), s.title, s.page_text(), str(len(s.pages)) if s.pages else "0", s.remark())
                for i, s in enumerate(self.sections, 1)]


@dataclass
class PrintContext:
    """What the printing side measured: photo checks and distances, the map's pages, who files."""

    map_pages: int = 1
    keeper: str = ""
    filed_on: str = ""
    checks: Mapping[int, str] = field(default_factory=dict)
    """Evidence id → result of re-hashing its file (一致 / 不符 / 文件缺失)."""
    distances: Mapping[int, float] = field(default_factory=dict)
    """Evidence id → metres from the photo's position to the patch, where the record has no JL."""


# ---- text helpers -------------------------------------------------------------------
def _t(value: object) -> str:
    if value is None:
        return MISSING_TEXT
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value).strip()
    return text or MISSING_TEXT


def _mu(value: Optional[float]) -> str:
    return MISSING_TEXT if value is None else f"{value:.2f} 亩"


def _m2(value: Optional[float]) -> str:
    return MISSING_TEXT if value is None else f"{value:.2f} 平方米（{value / M2_PER_MU:.2f} 亩）"


def wrapped(row: Sequence[str], widths: Sequence[float]) -> tuple[str, ...]:
    """Each cell of ``row`` wrapped to its column."""
    return tuple(wrap(v, w) for v, w in zip(row, widths))


def table(rows: Sequence[Sequence[str]], widths: Sequence[float], header: Sequence[str] = (), caption: str = "",
          key_value: bool = False) -> Table:
    """A :class:`Table` with every cell wrapped to its column (so its heights are what prints)."""
    widths = tuple(widths)
    return Table(rows=tuple(wrapped(r, widths) for r in rows), widths=widths,
                 header=wrapped(header, widths) if header else (), caption=caption, key_value=key_value)


def _form(pairs: Sequence[tuple[str, str]], caption: str = "", first: float = 44.0) -> Table:
    return table(pairs, (first, BODY_WIDTH - first), caption=caption, key_value=True)


def _list(header: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float], caption: str = "") -> Table:
    widths = tuple(round(BODY_WIDTH * s / sum(shares), 2) for s in shares)
    return table(rows, widths, header, caption)


def _when(value: str) -> str:
    """An edit stamp as printed: "2022-05-21 09:00 UTC" (stored stamps are UTC); a plain date as it is."""
    when = stamp(value) if "T" in value or ":" in value else None
    return when.strftime("%Y-%m-%d %H:%M UTC") if when is not None else (value or MISSING_TEXT)


def _split_sha(sha: str) -> str:
    return f"{sha[:32]}\n{sha[32:]}" if len(sha) > 32 else sha


# ---- pagination ---------------------------------------------------------------------
def _fit_rows(table: Table, room: float) -> int:
    """How many of ``table``'s rows fit in ``room`` mm (with its caption and header)."""
    heights = table.heights
    used = (CAPTION_MM if table.caption else 0.0) + (heights[0] if table.header else 0.0)
    rows = heights[1:] if table.header else heights
    count = 0
    for h in rows:
        if used + h > room:
            break
        used += h
        count += 1
    return count


def paginate_tables(section: str, title: str, tables: Sequence[Table],
                    height: float = BODY_HEIGHT) -> tuple[Page, ...]:
    """Tables flowed onto pages of ``height`` mm; a table that does not fit continues (续) on the next page."""
    pages: list[list[Table]] = [[]]
    room = height
    queue = list(tables)
    while queue:
        table = queue.pop(0)
        fit = _fit_rows(table, room)
        if fit >= len(table.rows):
            pages[-1].append(table)
            room -= table.height + GAP_MM
            continue
        if fit == 0 and not pages[-1]:
            fit = 1  # one row taller than a page: it prints clipped rather than never
        if fit > 0:
            pages[-1].append(replace(table, rows=table.rows[:fit]))
        queue.insert(0, replace(table, rows=table.rows[fit:], caption=f"{table.caption}（续）" if table.caption else ""))
        pages.append([])
        room = height
    return tuple(Page(section, title if i == 0 else f"{title}（续）", tuple(p)) for i, p in enumerate(pages))


# ---- the documents ------------------------------------------------------------------
def _decision_table(c: DossierContent) -> Table:
    f = c.fact
    return _form([
        ("监测编号", f.jcbh), ("批次", _t(f.batch)), ("所在镇街", _t(f.town_name or f.town)),
        ("所在村", _t(f.village_name)), ("图斑面积", _m2(f.num("TBMJ"))), ("耕地面积", _m2(f.num("GDMJ"))),
        ("判定类型", _t(f.txt("PDLX"))), ("具体情形", _t(f.txt("JTQX"))), ("违法类型", _t(f.txt("WFLX"))),
        ("违法面积", _mu(f.num("WFMJ"))), ("违法耕地面积", _mu(f.num("WFGDMJ"))),
        ("批准文号", _t(f.txt("PZWH"))), ("判定依据", _t(f.txt("PDYJ"))),
        ("判定人", _t(f.txt("PDR"))), ("判定时间", _t(f.txt("PDSJ")))], "合法性判定")


def review_rows(c: DossierContent) -> list[tuple[str, ...]]:
    """The chain as signed (经办 → 审核 → 审定, 退回 included), a "未签" row for each step not yet signed."""
    rows: list[tuple[str, ...]] = [(s.step, s.result, s.person, _when(s.time), s.opinion or MISSING_TEXT, s.decision or MISSING_TEXT,
             "是" if s.lead else "否") for s in c.reviews]
    signed = {s.step for s in c.reviews if s.decision == c.decision}
    if HANDLED not in signed and c.fact.txt("PDR"):
        rows.insert(0, (HANDLED, "（判定人）", c.fact.txt("PDR"), c.fact.txt("PDSJ") or MISSING_TEXT, MISSING_TEXT,
                        c.decision or MISSING_TEXT, MISSING_TEXT))
        signed.add(HANDLED)
    rows += [(step, "未签", "", "", "", c.decision or MISSING_TEXT, "") for step in REVIEW_STEPS if step not in signed]
    return rows


def _review_table(c: DossierContent) -> Table:
    return _list(("步骤", "结果", "签名", "时间", "意见", "所审判定", "分管负责人参与"), review_rows(c),
                 (9, 9, 13, 30, 29, 12, 14), "审查意见（经办 → 审核 → 审定）")


def _approval_rows(c: DossierContent) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for i, a in enumerate(c.approvals, 1):
        share = MISSING_TEXT if a.share is None else f"{a.share:.1f}%"
        document = f"{a.file_name}\nSHA-256：{_split_sha(a.sha256)}" if a.file_name else MISSING_TEXT
        rows.append((str(i), a.kind, a.number, share, document))
    return rows


def _visit_rows(c: DossierContent) -> list[tuple[str, ...]]:
    photos = c.photos
    return [(v.date, v.people, v.situation or MISSING_TEXT, v.result or MISSING_TEXT,
             str(sum(p.visit_id == v.id for p in photos))) for v in c.visits]


def photo_lines(photo: EvidenceFile, index: int, total: int, ctx: PrintContext) -> tuple[str, ...]:
    """What is printed under a photo: time, position and bearing, distance to the patch, SHA-256 and its check."""
    position = MISSING_TEXT if photo.lon is None or photo.lat is None else \
        f"E {photo.lon:.6f}°，N {photo.lat:.6f}°"
    bearing = MISSING_TEXT if photo.bearing is None else f"{photo.bearing:.0f}°"
    distance = photo.distance_m if photo.distance_m is not None else ctx.distances.get(photo.id)
    metres = MISSING_TEXT if distance is None else ("在图斑内" if distance <= 0.005 else f"{distance:.1f} 米")
    return (f"照片 {index}/{total}：{photo.name}",
            f"拍摄时间：{photo.taken_at or MISSING_TEXT}　　位置：{position}　　方位角：{bearing}",
            f"距图斑：{metres}　　{photo.note or ''}".rstrip(),
            f"SHA-256：{photo.sha256}（文件校验：{ctx.checks.get(photo.id, '未校验')}）")


def _photo_pages(c: DossierContent, ctx: PrintContext, title: str) -> list[Page]:
    photos = sorted(c.photos, key=lambda p: (p.visit_id is None, p.visit_id or 0, p.taken_at, p.id))
    slots = [PhotoSlot(p, photo_lines(p, i, len(photos), ctx)) for i, p in enumerate(photos, 1)]
    return [Page(VISITS, f"{title}（现场照片）", photos=tuple(slots[i:i + PHOTOS_PER_PAGE]))
            for i in range(0, len(slots), PHOTOS_PER_PAGE)]


def _case_rows(c: DossierContent) -> list[tuple[str, ...]]:
    return [(s.date, s.stage or MISSING_TEXT, s.number or MISSING_TEXT,
             f"{s.case_number or MISSING_TEXT}\n{s.decision_number or MISSING_TEXT}",
             f"立案 {s.filed_at or MISSING_TEXT}\n结案 {s.closed_at or MISSING_TEXT}",
             ("附文书；" if s.has_document else "") + (s.note or "")) for s in c.cases]


def _before_after(c: DossierContent) -> Table:
    f, r = c.fact, latest_record(c)
    after = f"整改后（{r.JLRQ}）" if r else "整改后（无记录）"
    rows = [("整改方式", MISSING_TEXT, _t(r.ZGFS if r else f.txt("ZGFS"))),
            ("违法面积", _mu(f.num("WFMJ")), _mu(r.SYWZGMJ if r else None) + "（剩余未整改）"),
            ("违法耕地面积", _mu(f.num("WFGDMJ")), _mu(r.rectified_farmland if r else None) + "（已整改耕地）"),
            ("拆除面积", MISSING_TEXT, _mu(r.CCMJ if r else None)), ("复耕面积", MISSING_TEXT, _mu(r.FGMJ if r else None)),
            ("补办面积", MISSING_TEXT, _mu(r.BBMJ if r else None)),
            ("补办批准文号", MISSING_TEXT, _t(r.BBPZWH if r else None)),
            ("整改完成时间", MISSING_TEXT, _t(r.ZGWCSJ if r else None))]
    return _list(("项目", "整改前（判定时）", after), rows, (24, 30, 46), "整改前后对照")


def _rectification_tables(c: DossierContent) -> list[Table]:
    tables = [_before_after(c)]
    history = [(r.JLRQ, _t(r.ZGFS), _mu(r.CCMJ), _mu(r.FGMJ), _mu(r.BBMJ), _mu(r.SYWZGMJ), _t(r.SM))
               for r in c.rectifications]
    tables.append(_list(("记录日期", "整改方式", "拆除", "复耕", "补办", "剩余未整改", "说明"), history,
                        (16, 14, 12, 12, 12, 14, 20), "整改记录"))
    files = [(e.kind, e.name, e.number or MISSING_TEXT, _split_sha(e.sha256)) for e in c.evidence
             if e.mentions(RECTIFICATION_WORDS) or (e.number and e.number in {r.BBPZWH for r in c.rectifications})]
    if files:
        tables.append(_list(("类型", "文件", "文号", "SHA-256"), files, (10, 30, 22, 38), "整改佐证（复耕/补办）"))
    return tables


def _notes_table(plan_pages: int, c: DossierContent, missing: Sequence[Missing], ctx: PrintContext) -> Table:
    bad = [f"{e.name}：{ctx.checks[e.id]}" for e in c.evidence if ctx.checks.get(e.id) not in (None, "一致")]
    return _form([
        ("本卷情况说明", f"本卷共 {plan_pages} 页；现场照片 {len(c.photos)} 张，审批、备案文件 {len(c.documents)} 件，"
                   f"外业踏勘 {len(c.visits)} 次，移交 {len(c.referrals)} 次，案件记录 {len(c.cases)} 条，"
                   f"整改记录 {len(c.rectifications)} 条。"),
        ("缺项", "；".join(m.text for m in missing) or "无"),
        ("文件校验", "；".join(bad) or (f"{len(ctx.checks)} 个文件 SHA-256 与登记一致" if ctx.checks else "无佐证文件")),
        ("立卷人", ctx.keeper or MISSING_TEXT), ("立卷时间", ctx.filed_on or MISSING_TEXT),
        ("检查人", ""), ("检查时间", "")], "备考表", first=36.0)


# ---- the plan -----------------------------------------------------------------------
def _state(has: bool, required: bool) -> str:
    return PRESENT if has else (ABSENT if required else NOT_APPLICABLE)


def _sections(c: DossierContent, ctx: PrintContext, missing: Sequence[Missing]) -> list[Section]:
    def noted(key: str) -> tuple[Missing, ...]:
        return tuple(m for m in missing if ITEM_SECTION.get(m.code) == key)

    def text_section(key: str, tables: Sequence[Table], has: bool, required: bool, note: str = "") -> Section:
        pages = paginate_tables(key, SECTION_TITLES[key], tables) if has else ()
        return Section(key, _state(has, required), pages, noted(key), note)

    decision = c.decision
    illegal = decision == ILLEGAL
    visits = list(paginate_tables(VISITS, SECTION_TITLES[VISITS], [_list(
        ("踏勘日期", "踏勘人员", "踏勘情况", "踏勘结果", "照片数"), _visit_rows(c), (16, 18, 40, 14, 10),
        "外业踏勘记录")])) if c.visits else []
    visits += _photo_pages(c, ctx, SECTION_TITLES[VISITS])
    map_pages = tuple(Page(MAP, SECTION_TITLES[MAP]) for _ in range(max(ctx.map_pages, 1)))
    no_rectification = "尚未整改（无整改记录）" if illegal and not c.rectifications else ""
    return [
        text_section(DECISION, [_decision_table(c), _review_table(c)], True, True),
        Section(MAP, PRESENT, map_pages),
        text_section(APPROVALS, [_list(("序号", "类别", "批准文号/备案编号", "覆盖比例", "文件及 SHA-256"),
                                       _approval_rows(c), (7, 20, 30, 11, 42), "引用的审批、备案")],
                     bool(c.approvals), decision == LEGAL),
        Section(VISITS, _state(bool(visits), True), tuple(visits), noted(VISITS)),
        text_section(REFERRALS, [_list(("移交部门", "移交日期", "移交文号", "状态", "说明"),
                                       [(r.department, r.date, r.number or MISSING_TEXT, r.status or MISSING_TEXT,
                                         r.note or MISSING_TEXT) for r in c.referrals], (24, 16, 24, 12, 24))],
                     bool(c.referrals), illegal and not c.filed),
        text_section(CASES, [_list(("记录日期", "案件阶段", "文书文号", "案件编号\n处罚决定书文号", "立案/结案",
                                    "说明"), _case_rows(c), (24, 16, 40, 40, 32, 18))],
                     bool(c.cases), c.filed),
        text_section(RECTIFICATION, _rectification_tables(c), bool(c.rectifications), illegal, no_rectification),
    ]


def _number(sections: Sequence[Section], first: int) -> tuple[list[Section], int]:
    numbered, n = [], first
    for s in sections:
        pages = []
        for p in s.pages:
            pages.append(replace(p, number=n))
            n += 1
        numbered.append(replace(s, pages=tuple(pages)))
    return numbered, n


def cover_page(c: DossierContent, ctx: PrintContext, total: int) -> Page:
    """封面: title, JCBH, town and village, category, dates, 立卷人, the volume's page count."""
    f = c.fact
    case = next((s for s in reversed(c.cases) if s.case_number), None)
    rows = [("监测编号", f.jcbh), ("批次", _t(f.batch)), ("所在镇街", _t(f.town_name or f.town)),
            ("所在村", _t(f.village_name)), ("判定类型", _t(" ".join(x for x in (f.txt("PDLX"), f.txt("JTQX")) if x))),
            ("接收日期", _t(f.received.isoformat() if f.received else None)), ("判定时间", _t(f.txt("PDSJ"))),
            ("案件编号", _t(case.case_number if case else f.txt("AJBH"))),
            ("立卷人", _t(ctx.keeper)), ("立卷日期", _t(ctx.filed_on)), ("本卷页数", f"{total} 页")]
    return Page(COVER, dossier_title(c), (_form(rows, first=40.0),), number=1)


def dossier_title(c: DossierContent) -> str:
    """卷宗 title by the decision: 合法 → 组卷归档, 立案 → 案件卷宗, else 核查卷宗."""
    if c.filed:
        return "卫片执法违法案件卷宗"
    if c.decision == LEGAL:
        return "卫片执法图斑合法性佐证卷宗"
    return "卫片执法图斑核查卷宗"


def plan_dossier(content: DossierContent, ctx: PrintContext) -> DossierPlan:
    """Every page of the patch's dossier, numbered, with the 卷内目录 filled in; missing items listed there."""
    missing = content_missing(content)
    sections = _sections(content, ctx, missing)
    numbered, next_page = _number(sections, 3)  # 封面 = 1, 卷内目录 = 2
    total = next_page  # the 备考表 is one page (next_page), so the volume has next_page pages
    notes = Section(NOTES, PRESENT, (Page(NOTES, SECTION_TITLES[NOTES], (_notes_table(total, content, missing, ctx),),
                                          number=next_page),))
    numbered.append(notes)
    catalogue = Page(CATALOGUE, "卷内目录", number=2)
    plan = DossierPlan(content, cover_page(content, ctx, total), catalogue, tuple(numbered), tuple(missing),
                       ctx.keeper, ctx.filed_on)
    rows = plan.catalogue_rows()
    contents = table(rows, CATALOGUE_WIDTHS, CATALOGUE_HEADER)
    return replace(plan, catalogue=replace(catalogue, tables=(contents,)))
