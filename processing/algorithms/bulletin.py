"""wpzf:bulletin — 生成工作通报: the period's figures, map, trends, ranking and progress on A4 pages (PDF).

工作方案: "分析各镇街违法形势和趋势，适时通报工作进展情况". The headline figures
are ``wpzf:townstatistics`` for the same PERIOD and AS_OF (one computation,
:func:`~...domain.reporting.statistics.compute_statistics`); the trend and the
progress since the previous bulletin come from :mod:`...domain.reporting.trends`;
the sentences are rendered in the rule set's language, like the workbook's.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsLayoutExporter,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
)
from qgis.PyQt.QtCore import QSize

from ...domain.messages import QT_TRANSLATE_NOOP, WpzfError
from ...domain.reporting.periods import PeriodError
from ...domain.reporting.statistics import Statistics, compute_statistics
from ...domain.reporting.trends import (
    compute_progress,
    compute_trend,
    previous_bulletin,
    progress_finding,
    top_towns,
    town_findings,
    trend_finding,
)
from ..report_language import report_render
from .reporting_base import ReportingAlgorithm, ReportInputs

TOP_TOWNS = 3
"""Towns drawn beside the district in the trend chart: those with the most counted illegal farmland."""
SENTENCE_TOWNS = 5
"""Towns of the ranking described in sentences (every town proposed for 约谈 too)."""


class BulletinAlgorithm(ReportingAlgorithm):
    """One PDF bulletin for a month, quarter or year; the charts and map as images on request."""

    NAME = "bulletin"
    NEEDS: tuple[str, ...] = ("matplotlib",)
    BUILDS_LAYOUTS = True  # the bulletin's pages and map (the annual summary's images too)
    """Optional packages (import names) this algorithm cannot run without (dependencies.py)."""

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Work bulletin (PDF)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "A print-ready A4 bulletin (工作通报) for a month (2022-05), quarter (2022-Q2) or year (2022), as at the "
            "period's end or AS_OF: the three penalty lines (initial illegal farmland ≥ 100 mu, after rectification "
            "> 50 mu, ratio > 15 %, from the rule set) with the figures of wpzf:townstatistics for the same period; "
            "a district map with the towns shaded by counted illegal farmland, the patches by decision category, "
            "town names, legend, north arrow and scale bar; the year month by month (delivered, decided, illegal, "
            "rectified: district and the towns with the most illegal farmland) and rectification by town as "
            "charts; the towns ranked for 约谈 with the rule set's weights and described in sentences; and what "
            "changed since the previous bulletin (the end of the previous month or quarter; for a year, 30 "
            "September). Towns come from the workspace's boundaries (or TOWNS). OUTPUT_IMAGES, when given, "
            "receives the charts (PNG and SVG), the map and every page as PNG. Needs matplotlib.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_reporting_parameters()
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Bulletin"), self.tr("PDF files (*.pdf)")))
        self.addParameter(QgsProcessingParameterFolderDestination(
            "OUTPUT_IMAGES", self.tr("Folder for the charts, map and page images"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Pages")))
        self.addOutput(QgsProcessingOutputString("AS_OF", self.tr("Figures as at")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        target = Path(self.parameterAsFileOutput(parameters, "OUTPUT", context))
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        images = self.parameterAsString(parameters, "OUTPUT_IMAGES", context).strip()
        self.require_packages()
        try:
            if not self.parameterAsString(parameters, "PERIOD", context).strip():
                raise PeriodError(QT_TRANSLATE_NOOP(
                    "domain", "A bulletin needs a period: a month (2022-05), a quarter (2022-Q2) or a year (2022)."))
            inputs = self.read_inputs(parameters, context)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.setProgress(10)
        with tempfile.TemporaryDirectory(prefix="wpzf-bulletin-") as scratch:
            folder = Path(images) if images else Path(scratch)
            pages, stats = self._write(parameters, context, feedback, inputs, target, folder, bool(images))
        if feedback.isCanceled():
            return {}
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("{pages} pages written to {path}, figures as at {as_of}.").format(
            pages=pages, path=target, as_of=stats.as_of))
        return {"OUTPUT": str(target), "OUTPUT_IMAGES": images or None, "PAGES": pages,
                "AS_OF": stats.as_of.isoformat() if stats.as_of else ""}

    def require_packages(self) -> None:
        """Stop with the install command when a package of :attr:`NEEDS` is missing (no traceback)."""
        from ...dependencies import install_hint, missing

        absent = [r for r in missing(optional=True) if r.modules[0] in self.NEEDS]
        if absent:
            raise QgsProcessingException(self.tr("{packages} is not installed; install it with: {command}").format(
                packages=", ".join(r.pip for r in absent), command=install_hint(absent)))

    def _write(self, parameters, context, feedback, inputs: ReportInputs, target: Path, folder: Path,
               keep_images: bool) -> tuple[int, Statistics]:
        from ...printing.bulletin_charts import write_charts
        from ...printing.bulletin_layout import build_bulletin, save_map_image
        from ...printing.export import PrintFailed, export_pdf

        assert inputs.period is not None
        stats = compute_statistics(inputs.facts, inputs.ruleset, inputs.period, inputs.names, inputs.as_of)
        trend = compute_trend(inputs.facts, inputs.ruleset, inputs.period.end.year, stats.as_of, inputs.names)
        feedback.setProgress(35)
        progress = compute_progress(inputs.facts, inputs.ruleset, previous_bulletin(inputs.period),
                                    stats.as_of or inputs.period.end, inputs.names)
        if feedback.isCanceled():
            return 0, stats
        charts = write_charts(trend, stats, [t.code for t in top_towns(stats, TOP_TOWNS)], folder,
                              ("png", "svg") if keep_images else ("png",))
        feedback.setProgress(55)
        bulletin = self._bulletin(parameters, context, inputs, stats, trend, progress, charts)
        layout, map_item = build_bulletin(bulletin, context.project())
        feedback.setProgress(75)
        try:
            export_pdf(layout, target, dpi=200)
        except PrintFailed as exc:
            raise self.fail(exc) from exc
        if keep_images:
            save_map_image(layout, map_item, folder / "分布图.png")
            exporter = QgsLayoutExporter(layout)
            for page in range(layout.pageCollection().pageCount()):  # not exportToImage: it georeferences via GDAL
                exporter.renderPageToImage(page, QSize(), 110).save(str(folder / f"通报_第{page + 1}页.png"), "PNG")
        return layout.pageCollection().pageCount(), stats

    def _bulletin(self, parameters, context, inputs: ReportInputs, stats, trend, progress, charts):
        from ...printing.bulletin_layout import Bulletin
        from ...printing.bulletin_text import (
            TITLE,
            as_of_text,
            headline_rows,
            period_title,
            progress_rows,
            ranking_rows,
        )

        render = report_render(inputs.ruleset.language)
        district = inputs.ruleset.district or ""
        rows = town_findings(stats)
        described = [r for i, r in enumerate(rows) if i < SENTENCE_TOWNS or r[2]]
        towns, points, crs = self._map_data(parameters, context, stats)
        assert inputs.period is not None
        return Bulletin(
            title=f"{district}{TITLE}", crs=crs, towns=towns, points=points,
            subtitle=f"{period_title(inputs.period)}（数据截至{as_of_text(stats.as_of)}）",
            headline=headline_rows(stats),
            summary=[render(trend_finding(trend)), *(render(f.message) for f in stats.findings)],
            ranking=ranking_rows(stats), town_sentences=[render(r[3]) for r in described],
            progress_sentence=render(progress_finding(progress)), progress=progress_rows(progress),
            trend_chart=charts["trend"][0], rectification_chart=charts["rectification"][0],
            footer=f"统计口径：规则集 {inputs.ruleset.name}；下发按批次接收日期计入期间，整改、立案、移交按记录日期截至"
                   f"{as_of_text(stats.as_of)}。")

    def _map_data(self, parameters, context, stats: Statistics):
        """Town polygons with their counted illegal farmland, and the patches' centres by category."""
        import shapely

        from ...adapters.workspaces import open_workspace, patch_geometries, workspace_patch_layer
        from ...domain.workspace.divisions import stored_divisions
        from ...printing.bulletin_layout import TownArea

        text = self.parameterAsFile(parameters, "WORKSPACE", context)
        with open_workspace(text) as ws:
            epsg = ws.epsg
            divisions, _ = stored_divisions(ws)
        farmland = {t.code: t.counted_farmland_mu for t in stats.towns}
        names = {t.code: t.name for t in stats.towns}
        towns = [TownArea(d.code, d.name or names.get(d.code, d.code),
                          QgsGeometry.fromWkt(shapely.to_wkt(d.geometry)), farmland.get(d.code, 0.0))
                 for d in divisions if d.geometry is not None]
        category = {p.fact.fid: p.category for p in stats.patches}
        geometries = patch_geometries(workspace_patch_layer(text, epsg), category)
        points = [(g.pointOnSurface().asPoint(), category[fid]) for fid, g in geometries.items()
                  if g is not None and not g.isEmpty()]
        return towns, points, QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
