"""年度书面总结初稿: the plan's structure filled with the year's figures, placeholders where people write.

工作方案 四(二): "根据全年4个季度卫片执法成果和违法图斑查处整改最新进展情况，形成2022年卫片执法工作书面总结，
报送市规划自然资源局。全区查处整改情况统计时间截至2022年12月31日". A draft, not a finished text: every
number comes from the statistics (:func:`~.statistics.compute_statistics` for the year as at its
statistics end, :func:`~.quarters.quarterly_statistics` for the quarters) and every judgement a person
must make is a marked placeholder. The document is Chinese, as handed in (like the workbook's sheets);
the threshold explanations are the domain's messages rendered by the caller in the rule set's language.
No Qt and no Word here: :mod:`.annual_docx` writes the blocks.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import Message
from .quarters import QuarterFigures
from .statistics import UNDECIDED, Statistics

Render = Callable[[Message], str]
PLACEHOLDER = "【待填写：{}】"
SECTIONS = ("一、工作开展情况", "二、图斑核查判定", "三、查处整改", "四、违法占耕情况与考核线", "五、约谈建议",
            "六、存在问题", "七、下一步工作")


@dataclass
class Block:
    """One piece of the draft: heading, paragraph, placeholder, table (rows, header first) or image."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    path: Path | None = None


def placeholder(what: str) -> Block:
    return Block("placeholder", PLACEHOLDER.format(what))


def _mu(value: float) -> str:
    return f"{value:.2f}"


def quarter_rows(quarters: Sequence[QuarterFigures]) -> list[list[str]]:
    """季度 rows: each quarter alone and cumulated, as at its end (the workbook's 季度统计)."""
    rows = [["口径", "时段", "统计截止", "下发(个)", "已判定(个)", "违法(个)", "违法占耕(亩)", "整改后占耕(亩)",
             "已整改(个)"]]
    for q in quarters:
        t = q.stats.total
        rows.append([q.scope, q.label, q.stats.as_of.isoformat() if q.stats.as_of else "—", str(t.issued_count),
                     str(t.verified_count - t.decided.get(UNDECIDED, 0)), str(t.illegal_count),
                     _mu(t.counted_farmland_mu), _mu(t.counted_after_farmland_mu), str(t.rectified_count)])
    return rows


def town_rows(stats: Statistics) -> list[list[str]]:
    """Towns in code order and the district total (the workbook's 镇街统计, main figures)."""
    rows = [["镇街", "下发(个)", "违法(个)", "违法占耕(亩)", "整改后占耕(亩)", "已整改(个)", "整改中(个)",
             "未整改(个)"]]
    for t in [*stats.towns, stats.total]:
        rows.append([t.name or t.code, str(t.issued_count), str(t.illegal_count), _mu(t.counted_farmland_mu),
                     _mu(t.counted_after_farmland_mu), str(t.rectified_count), str(t.in_progress_count),
                     str(t.not_started_count)])
    return rows


def _judgement(stats: Statistics) -> list[Block]:
    t = stats.total
    decided = ", ".join(f"{name} {t.decided[name]} 个" for name in stats.categories if t.decided.get(name))
    return [Block("paragraph", f"全年下发监测图斑 {t.issued_count} 个（原始下发，面积 {_mu(t.issued_mu)} 亩），"
                               f"核实后 {t.verified_count} 个；判定结果：{decided or '无'}。"),
            placeholder("内业比对、外业踏勘和合法性判定的组织方式、按期完成情况")]


def _rectification(stats: Statistics) -> list[Block]:
    t = stats.total
    referrals = "、".join(f"{d} {n} 个" for d, n in sorted(t.referrals.items())) or "无"
    return [Block("paragraph", f"违法图斑 {t.illegal_count} 个、违法面积 {_mu(t.illegal_mu)} 亩，其中已整改 "
                               f"{t.rectified_count} 个、整改中 {t.in_progress_count} 个、未整改 {t.not_started_count} 个；"
                               f"已拆除 {_mu(t.demolished_mu)} 亩，已补办手续 {_mu(t.approved_mu)} 亩，复耕或补办恢复耕地 "
                               f"{_mu(t.rectified_farmland_mu)} 亩；立案 {t.case_count} 个、结案 {t.closed_count} 个；"
                               f"移交：{referrals}。"),
            placeholder("典型案件查处和拆除复耕情况")]


def _interview(stats: Statistics, criteria: str) -> list[Block]:
    proposed = [t.name or t.code for t, _, chosen in stats.ranking if chosen]
    text = (f"依据{stats.as_of.isoformat() if stats.as_of else '年末'}卫片执法系统数据，按{criteria}综合评估和统计排序，"
            f"建议约谈：{'、'.join(proposed) or '无'}。")
    rows = [["名次", "镇街", "得分", "约谈建议"]] + [
        [str(i), t.name or t.code, f"{score:.3f}", "建议约谈" if chosen else ""]
        for i, (t, score, chosen) in enumerate(stats.ranking, start=1)]
    return [Block("paragraph", text), Block("table", rows=rows)]


def summary_blocks(stats: Statistics, quarters: Sequence[QuarterFigures], render: Render, district: str, year: int,
                   criteria: str = "违法量大、整改进展缓慢、违法占耕比例大",
                   images: Sequence[tuple[str, Path]] = ()) -> list[Block]:
    """The whole draft in the plan's order; ``images`` (caption, PNG) go under 违法占耕情况."""
    blocks = [Block("title", f"{district}{year}年卫片执法工作书面总结（初稿）"),
              Block("paragraph", f"（统计截止日期：{stats.as_of.isoformat() if stats.as_of else '—'}；"
                                 "数据来源：卫片执法工作空间，全部数字与镇街统计一致）"),
              Block("heading", SECTIONS[0]), placeholder("组织领导、工作专班、部门协作和培训督导情况"),
              Block("paragraph", "全年各季度卫片执法成果（单季及累计，均截至季末）："),
              Block("table", rows=quarter_rows(quarters)),
              Block("heading", SECTIONS[1]), *_judgement(stats),
              Block("heading", SECTIONS[2]), *_rectification(stats), Block("table", rows=town_rows(stats)),
              Block("heading", SECTIONS[3]), *(Block("paragraph", render(f.message)) for f in stats.findings)]
    for caption, path in images:
        blocks += [Block("image", caption, path=path), Block("caption", caption)]
    blocks += [Block("heading", SECTIONS[4]), *_interview(stats, criteria),
               Block("heading", SECTIONS[5]), placeholder("违法用地和整改工作中存在的主要问题及原因"),
               Block("heading", SECTIONS[6]), placeholder("下一步工作打算和措施")]
    return blocks
