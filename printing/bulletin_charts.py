"""The bulletin's charts drawn by matplotlib: the year month by month, and rectification by town.

Leaders read pictures (issue 19): a trend line per month and a stacked bar per
town say at a glance what the tables say in numbers. matplotlib is Debian's
python3-matplotlib / OSGeo4W's, checked at start-up (dependencies.py); the
figures use the object API and the Agg canvas, never pyplot, so drawing
touches no global state of the QGIS process. Chinese needs a CJK font that
matplotlib itself can load: Debian's fonts-noto-cjk (its .ttc shows as
"Noto Sans CJK JP", which holds every simplified character), Windows'
Microsoft YaHei or SimHei, macOS' PingFang. The figures' numbers are the
domain's (:mod:`..domain.reporting.trends`); nothing is counted here.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..domain.reporting.statistics import DISTRICT_CODE, Statistics
from ..domain.reporting.trends import Trend

#: First family matplotlib knows wins; DejaVu last for Latin text if no CJK font exists at all.
CHART_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
                  "Noto Sans CJK JP", "Source Han Sans", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                  "Droid Sans Fallback", "DejaVu Sans")

SERIES_TITLES = {"delivered": "下发图斑（个）", "decided": "已判定（个）", "illegal": "违法图斑（个）",
                 "rectified": "已整改（个）"}
STATUS_LABELS = (("rectified_count", "已整改", "#2e8b57"), ("in_progress_count", "整改中", "#f0a202"),
                 ("not_started_count", "未整改", "#c0392b"))
TOWN_COLOURS = ("#1f5fd6", "#d2691e", "#8a2be2", "#00a0c8", "#c71585")
DPI = 200

_families: list[str] | None = None


def chart_families() -> list[str]:
    """The installed families of :data:`CHART_FAMILIES` matplotlib can load, best first."""
    global _families
    if _families is None:
        from matplotlib import font_manager

        known = {f.name for f in font_manager.fontManager.ttflist}
        _families = [f for f in CHART_FAMILIES if f in known] or ["sans-serif"]
    return _families


def has_cjk_font() -> bool:
    return any(f not in ("DejaVu Sans", "sans-serif") for f in chart_families())


def _figure(width_mm: float, height_mm: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _style(axes, title: str) -> None:
    axes.set_title(title, fontsize=8, family=chart_families())
    axes.tick_params(labelsize=6.5)
    axes.grid(True, linewidth=0.3, alpha=0.6)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_family(chart_families())


def save(figure, stem: Path, formats: Sequence[str] = ("png",)) -> list[Path]:
    """Write ``stem``.png (and .svg …); the paths written."""
    written = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        figure.savefig(str(path), format=fmt, dpi=DPI, bbox_inches="tight", facecolor="white")
        written.append(path)
    return written


def trend_figure(trend: Trend, towns: Sequence[str], width_mm: float = 180.0, height_mm: float = 95.0):
    """Four panels (下发, 已判定, 违法, 已整改): the district's year-to-date line per month, thick, and
    one thin line per town of ``towns`` (those with the most illegal farmland)."""
    figure = _figure(width_mm, height_mm)
    months = trend.months
    ticks = [f"{m}月" for m in months]
    for index, series in enumerate(SERIES_TITLES):
        axes = figure.add_subplot(2, 2, index + 1)
        axes.plot(months, trend.cumulative(series), color="#222222", linewidth=1.8, marker="o", markersize=2.5,
                  label=f"全区（{trend.name(DISTRICT_CODE)}）" if trend.points else "全区")
        for colour, code in zip(TOWN_COLOURS, towns):
            axes.plot(months, trend.cumulative(series, code), color=colour, linewidth=1.0, marker=".",
                      markersize=3, label=trend.name(code))
        axes.set_xticks(months, ticks)
        axes.set_ylim(bottom=0)
        axes.yaxis.get_major_locator().set_params(integer=True)
        _style(axes, SERIES_TITLES[series])
    handles, labels = figure.axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=7, frameon=False,
                  prop={"family": chart_families(), "size": 7})
    figure.suptitle(f"{trend.year}年各月累计（截至各月末，末月截至 {trend.as_of.isoformat()}）", fontsize=9,
                    family=chart_families())
    figure.subplots_adjust(left=0.06, right=0.99, top=0.88, bottom=0.16, hspace=0.55, wspace=0.15)
    return figure


def rectification_figure(stats: Statistics, width_mm: float = 180.0, height_mm: float = 80.0):
    """Illegal patches per town stacked by rectification state (已整改, 整改中, 未整改), as at the statistics' date."""
    figure = _figure(width_mm, height_mm)
    axes = figure.add_subplot(1, 1, 1)
    towns = [t for t in stats.towns if t.illegal_count]
    names = [t.name or t.code for t in towns]
    bottom = [0] * len(towns)
    for attribute, label, colour in STATUS_LABELS:
        values = [getattr(t, attribute) for t in towns]
        axes.bar(names, values, bottom=bottom, color=colour, label=label, width=0.6)
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylabel("违法图斑（个）", fontsize=7, family=chart_families())
    as_of = stats.as_of.isoformat() if stats.as_of else ""
    _style(axes, f"各镇街违法图斑整改进度（截至 {as_of}）")
    if len(names) > 6:
        for label in axes.get_xticklabels():
            label.set_rotation(30)
            label.set_ha("right")
    axes.legend(fontsize=7, frameon=False, prop={"family": chart_families(), "size": 7})
    figure.subplots_adjust(left=0.07, right=0.99, top=0.88, bottom=0.22)
    return figure


def write_charts(trend: Trend, stats: Statistics, towns: Sequence[str], folder: Path,
                 formats: Sequence[str] = ("png",)) -> dict[str, list[Path]]:
    """Both charts into ``folder`` as 趋势图 and 整改进度图 in each of ``formats``."""
    folder.mkdir(parents=True, exist_ok=True)
    return {"trend": save(trend_figure(trend, towns), folder / "趋势图", formats),
            "rectification": save(rectification_figure(stats), folder / "整改进度图", formats)}
