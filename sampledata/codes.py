"""三调 land-use codes used by the generator: name, image colour group, built-up flag."""
from __future__ import annotations

# (DLBM, DLMC, colour group, built-up). Colour groups index imagery.PALETTE.
LAND_CLASSES: tuple[tuple[str, str, int, bool], ...] = (
    ("0101", "水田", 1, False),
    ("0102", "水浇地", 2, False),
    ("0103", "旱地", 2, False),
    ("0201", "果园", 3, False),
    ("0201K", "可调整果园", 3, False),
    ("0202", "茶园", 3, False),
    ("0204", "其他园地", 3, False),
    ("0301", "乔木林地", 4, False),
    ("0301K", "可调整乔木林地", 4, False),
    ("0302", "竹林地", 4, False),
    ("0305", "灌木林地", 5, False),
    ("0307", "其他林地", 5, False),
    ("0404", "其他草地", 5, False),
    ("05H1", "商业服务业设施用地", 6, True),
    ("0508", "物流仓储用地", 7, True),
    ("0601", "工业用地", 7, True),
    ("0602", "采矿用地", 13, True),
    ("0701", "城镇住宅用地", 6, True),
    ("0702", "农村宅基地", 8, True),
    ("08H1", "机关团体新闻出版用地", 6, True),
    ("08H2", "科教文卫用地", 6, True),
    ("0809", "公用设施用地", 7, True),
    ("0810", "公园与绿地", 14, True),
    ("1001", "铁路用地", 15, False),
    ("1003", "公路用地", 9, False),
    ("1004", "城镇村道路用地", 9, True),
    ("1006", "农村道路", 10, False),
    ("1101", "河流水面", 11, False),
    ("1103", "水库水面", 11, False),
    ("1104", "坑塘水面", 11, False),
    ("1104K", "可调整养殖坑塘", 11, False),
    ("1107", "沟渠", 11, False),
    ("1201", "空闲地", 13, True),
    ("1202", "设施农用地", 12, False),
    ("1203", "田坎", 5, False),
    ("1206", "裸土地", 13, False),
)

DLBM: tuple[str, ...] = tuple(c[0] for c in LAND_CLASSES)
DLMC: dict[str, str] = {c[0]: c[1] for c in LAND_CLASSES}
COLOUR_GROUP: dict[str, int] = {c[0]: c[2] for c in LAND_CLASSES}
BUILT_UP: frozenset[str] = frozenset(c[0] for c in LAND_CLASSES if c[3])
FARMLAND: frozenset[str] = frozenset({"0101", "0102", "0103"})
FOREST: frozenset[str] = frozenset({"0301", "0301K", "0302", "0305", "0307"})
INDEX: dict[str, int] = {code: i for i, code in enumerate(DLBM)}


def indices(codes: frozenset[str] | tuple[str, ...]) -> list[int]:
    """Positions of ``codes`` in :data:`DLBM`, for vectorised class tests."""
    return sorted(INDEX[c] for c in codes)
