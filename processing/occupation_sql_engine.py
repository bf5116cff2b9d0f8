"""ENGINE = SQL of wpzf:farmlandoccupation: the overlay in the PostGIS database, written by :class:`ResultWriter`."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingFeatureSource,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..adapters.layer_io import to_python
from ..domain.messages import WpzfError
from ..domain.overlay import Canceled, LayerQuality
from ..domain.overlay.farmland import ClassBreakdown, FarmlandOccupation
from ..domain.overlay.landclass import broad_class
from ..domain.workspace.postgis import overlay_sql
from ..i18n import error_text
from .occupation_output import HandedFeatures, ResultWriter, SinkFactory

#: A layer the SQL engine reads: (parameter name, the layer, the parameter's value).
LayerInput = tuple[str, Any, Any]


class SqlEngine:
    """ENGINE = SQL: the overlay runs in the PostGIS database holding every layer.

    All figures are computed first, chunk by chunk (progress, cancel); only
    then are the outputs created and written in the input order of the patch
    source, joined to the figures by the patch table's key. A cancel or an
    error therefore leaves no output behind.
    """

    WRITE_BATCH = 1000

    def __init__(self, make_sink: SinkFactory, feedback, report: Callable[[list[LayerQuality]], dict], *,
                 chunk_size: int = overlay_sql.CHUNK_SIZE, workers: int = 2, output: str = "OUTPUT",
                 breakdown: str = "BREAKDOWN") -> None:
        """``make_sink`` and the output names go to :class:`ResultWriter`; ``report`` warns about the
        overlay layers' quality and returns its counts as outputs; ``workers``: database connections
        measuring chunks side by side."""
        self.make_sink, self.feedback, self.report = make_sink, feedback, report
        self.chunk_size, self.workers, self.output, self.breakdown = chunk_size, workers, output, breakdown
        self.counts: dict = {}  # 'landuse'/'basic' → LayerCounts, from the database

    @staticmethod
    def _layers(inputs: list[LayerInput]) -> list:
        from .pg_layers import pg_layer, require_one_database

        layers = [pg_layer(layer, name, value) for name, layer, value in inputs]
        require_one_database(layers)
        return layers

    def _measure(self, layers: list, class_field: str, deduction: str, codes, method: str,
                 srid: int) -> tuple[list, str]:
        """(the SQL figures of every chunk, the patch table's key column); raises Canceled on a cancel."""
        import psycopg2

        from ..adapters.pg_connection import describe
        from .pg_layers import connect_kwargs, with_primary_key

        kwargs = connect_kwargs(layers[0])
        self.feedback.pushInfo(QCoreApplication.translate(
            "FarmlandOccupationAlgorithm", "SQL engine in database {database}").format(database=describe(kwargs)))
        try:
            conn = psycopg2.connect(**kwargs, connect_timeout=30)
        except psycopg2.Error as exc:
            raise QgsProcessingException(QCoreApplication.translate(
                "FarmlandOccupationAlgorithm", "Cannot connect to database {database}: {reason}").format(
                database=describe(kwargs), reason=str(exc).strip())) from None
        try:
            tables = [with_primary_key(conn, layer).table for layer in layers]
            overlay = overlay_sql.SqlFarmlandOverlay(
                conn, tables[0], tables[1], tables[2] if len(tables) > 2 else None, id_column=None,
                class_column=class_field, deduction_column=deduction or None, farmland_codes=codes,
                area=method, srid=srid)
            for table in overlay.unindexed_tables():
                self.feedback.pushWarning(QCoreApplication.translate(
                    "FarmlandOccupationAlgorithm",
                    "Table {table} has no spatial index on its geometry column; the SQL engine will be slow. "
                    "Create one: CREATE INDEX ON {table} USING gist ({column})").format(
                    table=table.sql(), column=table.geom))
            chunks = overlay.run(self.chunk_size, progress=lambda f: self.feedback.setProgress(5 + 85 * f),
                                 is_canceled=self.feedback.isCanceled, workers=self.workers,
                                 connect=lambda: psycopg2.connect(**kwargs, connect_timeout=30))
            self.counts = overlay.layer_counts()
            return chunks, tables[0].key
        finally:
            conn.close()

    def run(self, patches, inputs: list[LayerInput], id_field: str, class_field: str, deduction: str, codes,
            method: str, crs) -> dict:
        """Measure and write; ``inputs``: PATCHES, LANDUSE and (if given) BASIC_FARMLAND, in that order."""
        feedback = self.feedback
        layers = self._layers(inputs)
        srid = crs.postgisSrid()
        if srid <= 0:
            raise QgsProcessingException(QCoreApplication.translate(
                "FarmlandOccupationAlgorithm",
                "The working CRS {crs} has no PostGIS SRID; use the Python engine.").format(crs=crs.authid()))
        try:
            chunks, key = self._measure(layers, class_field, deduction, codes, method, srid)
        except Canceled:
            return {}
        except WpzfError as exc:
            raise QgsProcessingException(error_text(exc)) from exc
        figures = {p.key: p for chunk in chunks for p in chunk.patches}
        classes: dict = defaultdict(list)
        for chunk in chunks:
            for row in chunk.breakdown:
                classes[row.key].append(row)
        counts = self.report(self._qualities(layers, chunks, figures, classes))
        key_index = patches.fields().lookupField(key)
        if key_index < 0:
            raise QgsProcessingException(QCoreApplication.translate(
                "FarmlandOccupationAlgorithm", "Layer {layer} has no field {field} (its primary key).").format(
                layer=layers[0].name, field=key))
        self._check_keys(patches, key_index, figures)
        feedback.pushInfo(QCoreApplication.translate(
            "FarmlandOccupationAlgorithm", "{patches} patches measured in the database").format(patches=len(figures)))
        return {**self._write(patches, key_index, id_field, figures, classes, codes), **counts}

    def _qualities(self, layers: list, chunks: list, figures: dict, classes: dict) -> list[LayerQuality]:
        """The same per-layer report as the Python engine: repairs, drops (keys), class-less area, emptiness."""
        def union(name: str) -> set:
            return set().union(*(getattr(chunk, name) for chunk in chunks))

        no_code_area = sum(row.gross for rows in classes.values() for row in rows if row.dlbm == "")
        land = self.counts["landuse"]
        dropped = sorted(set(land.no_geometry) | {str(k) for k in union("landuse_dropped")})
        found = [LayerQuality(layers[1].name, land.features, land.in_extent,
                              len(union("landuse_repaired") - union("landuse_dropped")), _ids(dropped),
                              len(union("no_code")), no_code_area, sum(f.tbmj for f in figures.values()))]
        if len(layers) > 2:
            basic = self.counts["basic"]
            dropped = sorted(set(basic.no_geometry) | {str(k) for k in union("basic_dropped")})
            found.append(LayerQuality(layers[2].name, basic.features, basic.in_extent,
                                      len(union("basic_repaired") - union("basic_dropped")), _ids(dropped)))
        return found

    def _check_keys(self, patches, key_index: int, figures: dict) -> None:
        """Every feature the source yields was measured, once: checked before any output exists."""
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([key_index])
        keys = [to_python(f.attribute(key_index)) for f in
                patches.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)]
        if len(keys) != len(figures) or set(keys) != figures.keys():
            raise self._changed(len(keys), len(figures))

    @staticmethod
    def _changed(features: int, rows: int) -> QgsProcessingException:
        return QgsProcessingException(QCoreApplication.translate(
            "FarmlandOccupationAlgorithm",
            "The patch layer and its table in the database disagree ({features} features, {rows} measured "
            "patches); was the layer changed while it was read?").format(features=features, rows=rows))

    def _write(self, patches, key_index: int, id_field: str, figures: dict, classes: dict, codes) -> dict:
        handed = HandedFeatures()
        writer = ResultWriter(self.make_sink, patches, handed, len(figures), id_field, self.feedback, codes,
                              output=self.output, breakdown=self.breakdown)
        features = patches.getFeatures(QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
        start = 0
        while True:
            batch = [f for _, f in zip(range(self.WRITE_BATCH), features)]
            if not batch:
                break
            handed.batch = batch
            try:
                rows = [figures[to_python(f.attribute(key_index))] for f in batch]
            except KeyError:
                raise self._changed(start + len(batch), len(figures)) from None
            writer.write_chunk(start, _part(start, rows, classes))
            start += len(batch)
            self.feedback.setProgress(90 + 10 * start / max(len(figures), 1))
        return writer.finish()


def _part(start: int, rows: list, classes: dict) -> FarmlandOccupation:
    """One batch of SQL figures shaped as the engine's chunk result (what ResultWriter writes)."""
    def column(name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in rows], dtype=float)

    patch, codes, gross, net = [], [], [], []
    for k, row in enumerate(rows, start):
        for area in sorted(classes.get(row.key, ()), key=lambda a: a.dlbm):  # by code, as the engine
            patch.append(k)
            codes.append(area.dlbm)
            gross.append(area.gross)
            net.append(area.net)
    dlbm = np.array(codes, dtype=object)
    breakdown = ClassBreakdown(
        patch=np.array(patch, dtype=np.intp), patch_id=np.array([rows[k - start].key for k in patch], dtype=object),
        dlbm=dlbm, broad_class=np.array([broad_class(c) for c in codes], dtype=object),
        gross=np.array(gross, dtype=float), net=np.array(net, dtype=float))
    return FarmlandOccupation(
        ids=np.array([r.key for r in rows], dtype=object), tbmj=column("tbmj"), gdtbmj=column("gdtbmj"),
        gdmj=column("gdmj"), sdmj=column("sdmj"), sjdmj=column("sjdmj"), hdmj=column("hdmj"),
        jbntmj=column("jbntmj"), jbntgdmj=column("jbntgdmj"), fgnydmj=column("fgnydmj"), jsydmj=column("jsydmj"),
        wlydmj=column("wlydmj"), unclassified=column("unclassified"), zgbl=column("zgbl"), uncovered=column("wfgmj"),
        patch_repaired=np.array([r.repaired for r in rows], dtype=bool), landuse_repaired=np.zeros(0, dtype=bool),
        basic_farmland_repaired=None, breakdown=breakdown)


def _ids(keys: list) -> tuple:
    """Keys as numbers where they are (sorted so), else as text."""
    try:
        return tuple(sorted(int(k) for k in keys))
    except ValueError:
        return tuple(keys)
