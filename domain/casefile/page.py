"""What a case-file map page says: the facts table, the coordinate table and its pages.

The page is an official Chinese document (domain.md §5), so its labels are
Chinese whatever the user's interface language, like the columns' aliases.
Areas are shown in m² and 亩 to two decimals, both from the unrounded m²
figure; a value the workspace does not hold yet prints as "—".
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..units import M2_PER_MU
from ..workspace.patch_fields import ID_ALIAS
from .boundary import BoundaryPoint

MISSING = "—"
TITLE = "卫片执法图斑核查图"
TABLE_TITLE = "界址点坐标表"
CONTINUED = "续表"
TABLE_HEADER = ("点号", "X (m)", "Y (m)", "边长 (m)")
BEFORE_CAPTION = "前时相影像"
AFTER_CAPTION = "后时相影像"
SIGN_OFF = ("制图", "审核", "批准")


@dataclass(frozen=True)
class PatchFacts:
    """Everything printed about one patch besides the maps and the point table."""

    jcbh: str
    batch: str | None = None
    town: str | None = None
    village: str | None = None
    before_date: str | None = None
    after_date: str | None = None
    area_m2: float | None = None
    farmland_m2: float | None = None
    basic_farmland_m2: float | None = None
    decision: str | None = None
    situation: str | None = None
    basis: str | None = None
    centre_x: float | None = None  # northing
    centre_y: float | None = None  # easting
    longitude: float | None = None
    latitude: float | None = None


def _text(value: object) -> str:
    if value is None:
        return MISSING
    text = str(value).strip()
    return text if text and text.upper() != "NULL" else MISSING


def area_text(area_m2: float | None) -> str:
    """"1234.57 m² (1.85 亩)"; both figures rounded from the same unrounded m²."""
    if area_m2 is None:
        return MISSING
    return f"{area_m2:.2f} m²（{area_m2 / M2_PER_MU:.2f} 亩）"


def _centre(facts: PatchFacts) -> str:
    if facts.centre_x is None or facts.centre_y is None:
        return MISSING
    return f"X={facts.centre_x:.3f}  Y={facts.centre_y:.3f}"


def _lonlat(facts: PatchFacts) -> str:
    if facts.longitude is None or facts.latitude is None:
        return MISSING
    return f"{facts.longitude:.6f}°E  {facts.latitude:.6f}°N"


def info_rows(facts: PatchFacts) -> list[tuple[str, str]]:
    """(label, value) rows of the facts table, in print order."""
    decision = _text(facts.decision)
    if facts.situation and _text(facts.situation) != MISSING:
        decision = f"{decision}（{_text(facts.situation)}）"
    return [
        (ID_ALIAS, _text(facts.jcbh)),
        ("监测批次", _text(facts.batch)),
        ("所在乡镇（街道）", _text(facts.town)),
        ("所在村（社区）", _text(facts.village)),
        ("前时相", _text(facts.before_date)),
        ("后时相", _text(facts.after_date)),
        ("图斑面积", area_text(facts.area_m2)),
        ("占用耕地面积", area_text(facts.farmland_m2)),
        ("其中永久基本农田", area_text(facts.basic_farmland_m2)),
        ("判定结果", decision),
        ("判定依据", _text(facts.basis)),
        ("中心点坐标", _centre(facts)),
        ("中心点经纬度", _lonlat(facts)),
    ]


def coordinate_rows(points: Sequence[BoundaryPoint]) -> list[tuple[str, str, str, str]]:
    """Table rows: point number, X (northing), Y (easting) to the millimetre, edge length to the cm."""
    return [(p.label, f"{p.x:.3f}", f"{p.y:.3f}", f"{p.edge:.2f}") for p in points]


@dataclass(frozen=True)
class TablePage:
    """The slice of the coordinate table printed on one page."""

    number: int  # 1-based page of this patch
    rows: list
    continued: bool  # a 续表 page

    @property
    def title(self) -> str:
        return f"{TABLE_TITLE}（{CONTINUED}）" if self.continued else TABLE_TITLE


def paginate(rows: Sequence, first_page_rows: int, later_page_rows: int) -> list[TablePage]:
    """Rows split into the first page's table and full 续表 pages after it; always one page."""
    if first_page_rows < 1 or later_page_rows < 1:
        raise ValueError("a table page holds at least one row")
    rows = list(rows)
    pages = [TablePage(1, rows[:first_page_rows], False)]
    rest = rows[first_page_rows:]
    while rest:
        pages.append(TablePage(len(pages) + 1, rest[:later_page_rows], True))
        rest = rest[later_page_rows:]
    return pages


def crs_note(epsg: int, description: str = "") -> str:
    """The map's CRS in words, with the table's axis convention (X north, Y east)."""
    axes = "X 为纵坐标（北），Y 为横坐标（东），单位：米"
    for first, prefixed in ((4513, True), (4534, False)):
        if first <= epsg <= first + 20:
            zone = epsg - first + 25
            prefix = "，横坐标含带号" if prefixed else ""
            return (f"坐标系：2000国家大地坐标系（CGCS2000）3度带高斯-克吕格投影，第{zone}带，"
                    f"中央经线{zone * 3}°E{prefix}（EPSG:{epsg}）。{axes}。")
    return f"坐标系：{description or 'EPSG:' + str(epsg)}（EPSG:{epsg}）。{axes}。"
