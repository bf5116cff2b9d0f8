"""违法采矿 sheet of the report workbook: the statistics' ``mining_*`` block per town and the 合计 row.

Issue 20 (工作方案: "违法用地和违法采矿图斑") asks the workbook to count illegal
mining apart from the land figures. Every value is read from
:class:`~.statistics.TownFigures` (``mining_count``, ``mining_mu`` …,
``mining_methods``), never recomputed here, so the sheet and
``wpzf:townstatistics`` cannot disagree. The sheet is written only when the
period has an illegal mining patch, so a land-only workbook keeps its sheets.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .excel_cells import COUNT_FORMAT, MU_FORMAT, Col
from .excel_statistics import write_town_table
from .statistics import Statistics, TownFigures

SHEET = "违法采矿"
MINING_METHODS = ("停产", "关闭", "恢复治理")
"""The mining 整改方式 always shown (rule set [rectification] methods); others found are appended."""


def _method(name: str) -> Callable[[TownFigures], Any]:
    """A town's count of mining patches rectified by ``name`` (one column per 整改方式)."""
    return lambda t: t.mining_methods[name]


def mining_columns(stats: Statistics) -> list[tuple[Col, Callable[[TownFigures], Any]]]:
    """Header, format and getter of each column; methods: the three of the plan, then any other recorded."""
    mu, n = MU_FORMAT, COUNT_FORMAT
    cols: list[tuple[Col, Callable[[TownFigures], Any]]] = [
        (Col("镇街代码"), lambda t: t.code), (Col("镇街名称"), lambda t: t.name),
        (Col("违法采矿图斑数", n), lambda t: t.mining_count),
        (Col("违法采矿面积(亩)", mu), lambda t: t.mining_mu),
        (Col("其中占用耕地(亩)", mu), lambda t: t.mining_farmland_mu),
        (Col("已整改(个)", n), lambda t: t.mining_rectified_count),
        (Col("已整改面积(亩)", mu), lambda t: t.mining_rectified_mu),
        (Col("未整改面积(亩)", mu), lambda t: t.mining_unrectified_mu),
    ]
    others = sorted(set(stats.total.mining_methods) - set(MINING_METHODS))
    cols += [(Col(f"{name}(个)", n), _method(name)) for name in (*MINING_METHODS, *others)]
    return cols


def write_mining(book, stats: Statistics, heading: str) -> bool:
    """Towns in code order, then 合计 (the district total); nothing written (False) without mining patches."""
    if stats.total.mining_count == 0:
        return False
    write_town_table(book, SHEET, heading, stats, mining_columns(stats))
    return True
