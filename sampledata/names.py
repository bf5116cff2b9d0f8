"""Real town codes of 永川区 and generators for plausible Chinese names and numbers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COUNTY_CODE = "500118"
COUNTY_NAME = "永川区"


@dataclass(frozen=True)
class Town:
    """One 镇/街道: real code and name, approximate seat location, kind of urban core."""

    code: str
    name: str
    lon: float
    lat: float
    kind: str  # "seat" (district city), "street" (街道) or "town" (镇)


# The three "seat" streets share the district city; the first six are the "small" sample.
TOWNS: tuple[Town, ...] = (
    Town("500118001", "中山路街道", 105.927, 29.356, "seat"),
    Town("500118002", "胜利路街道", 105.902, 29.364, "seat"),
    Town("500118003", "南大街街道", 105.935, 29.333, "seat"),
    Town("500118004", "茶山竹海街道", 105.862, 29.408, "street"),
    Town("500118005", "大安街道", 105.988, 29.392, "street"),
    Town("500118006", "陈食街道", 106.035, 29.425, "street"),
    Town("500118007", "卫星湖街道", 105.975, 29.300, "street"),
    Town("500118100", "青峰镇", 105.738, 29.450, "town"),
    Town("500118102", "金龙镇", 105.800, 29.445, "town"),
    Town("500118103", "临江镇", 105.960, 29.215, "town"),
    Town("500118104", "何埂镇", 106.010, 29.150, "town"),
    Town("500118105", "松溉镇", 105.905, 29.075, "town"),
    Town("500118106", "仙龙镇", 105.860, 29.240, "town"),
    Town("500118107", "吉安镇", 105.790, 29.180, "town"),
    Town("500118108", "五间镇", 105.745, 29.265, "town"),
    Town("500118109", "来苏镇", 105.975, 29.480, "town"),
    Town("500118110", "宝峰镇", 105.890, 29.500, "town"),
    Town("500118111", "双石镇", 105.800, 29.360, "town"),
    Town("500118112", "红炉镇", 105.870, 29.300, "town"),
    Town("500118113", "永荣镇", 105.690, 29.385, "town"),
    Town("500118114", "三教镇", 106.040, 29.510, "town"),
    Town("500118115", "板桥镇", 106.060, 29.330, "town"),
    Town("500118116", "朱沱镇", 105.830, 29.040, "town"),
)

_PLACE_FIRST = list("黄石龙凤双新高白茶竹松马杨观兴太金红青花水李张陈胡何朱卫大小三五和平安永宝")
_PLACE_SECOND = list("坝湾山桥沟塘坪岭林田溪庙堰岩河湖井坡寺垭冲")
_SURNAMES = list("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余")
_GIVEN = list("建国明华平强军伟芳秀英兰勇杰涛斌超辉刚春玉珍凤云洪德成福贵海燕桂琼林")
_FIRM_WORDS = ["永兴", "渝川", "茶竹", "锦程", "鑫源", "宏达", "川南", "瑞丰", "恒通", "昌盛", "兴旺", "嘉禾"]
_FIRM_TRADES = ["实业", "建材", "机械制造", "农业开发", "物流", "置业", "食品", "电子科技", "茶业", "汽车零部件"]


def place_names(rng: np.random.Generator, n: int, suffix: str) -> list[str]:
    """``n`` distinct two-character place names + suffix (村 or 社区)."""
    pairs = [a + b for a in _PLACE_FIRST for b in _PLACE_SECOND if a != b]
    picks = rng.choice(len(pairs), size=n, replace=False)
    return [pairs[i] + suffix for i in picks]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """Plausible personal names (权利人, 经营主体)."""
    s = rng.integers(0, len(_SURNAMES), n)
    g1 = rng.integers(0, len(_GIVEN), n)
    g2 = rng.integers(-len(_GIVEN) // 2, len(_GIVEN), n)  # negative: single-character given name
    return [_SURNAMES[a] + _GIVEN[b] + (_GIVEN[c] if c >= 0 else "") for a, b, c in zip(s, g1, g2)]


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    """Plausible company names (受让人, 权利人)."""
    w = rng.integers(0, len(_FIRM_WORDS), n)
    t = rng.integers(0, len(_FIRM_TRADES), n)
    return [f"重庆{_FIRM_WORDS[a]}{_FIRM_TRADES[b]}有限公司" for a, b in zip(w, t)]


def document_numbers(rng: np.random.Generator, prefix: str, years: list[str] | np.ndarray, width: int = 0) -> list[str]:
    """Document numbers like 渝府地〔2021〕123号, unique within each year."""
    years = np.asarray([str(y)[:4] for y in years])
    serial = np.empty(len(years), dtype=np.int64)
    for y in np.unique(years):
        idx = np.flatnonzero(years == y)
        serial[idx] = np.sort(rng.choice(max(999, 3 * len(idx)), size=len(idx), replace=False)) + 1
    return [f"{prefix}〔{y}〕{s:0{width}d}号" for y, s in zip(years, serial)]


def direction_word(dx: np.ndarray, dy: np.ndarray) -> list[str]:
    """Compass word (东, 东北…) for offsets, as remarks (BZ) use them."""
    octant = np.round(np.arctan2(dy, dx) / (np.pi / 4)).astype(int) % 8
    words = ["东", "东北", "北", "西北", "西", "西南", "南", "东南"]
    return [words[i] for i in octant]
