"""wpzf:farmlandoccupation — 图斑占用耕地分析: per-patch farmland, net of 田坎, and basic farmland."""
from __future__ import annotations

import threading
from collections import defaultdict

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ...domain.messages import WpzfError
from ...domain.overlay import PLANAR, Canceled, farmland_occupation
from ...domain.overlay.farmland import ClassBreakdown, FarmlandOccupation
from ...domain.overlay.landclass import broad_class
from ...domain.units import M2_PER_MU
from ...domain.workspace.postgis import overlay_sql
from ..gpkg_bulk import BulkWriteError, PatchCopier, TableAppender, find_table, gpkg_destination
from ..layer_arrays import pyproj_crs, read_arrays
from ..layer_io import to_python
from ..overlay_io import (
    AREA_METHODS,
    WORKERS,
    PatchList,
    area_method_labels,
    output_schema,
    read_patches,
    require_field,
    stream_patches,
    working_crs,
)
from .base import WpzfAlgorithm

RESULT_FIELDS = [
    ("TBMJ", QVariant.Double, "图斑面积(平方米)"),
    ("GDTBMJ", QVariant.Double, "耕地图斑面积(平方米)"),
    ("GDMJ", QVariant.Double, "耕地面积(平方米)"),
    ("GDMJ_MU", QVariant.Double, "耕地面积(亩)"),
    ("SDMJ", QVariant.Double, "水田面积(平方米)"),
    ("SJDMJ", QVariant.Double, "水浇地面积(平方米)"),
    ("HDMJ", QVariant.Double, "旱地面积(平方米)"),
    ("JBNTMJ", QVariant.Double, "永久基本农田面积(平方米)"),
    ("ZGBL", QVariant.Double, "占耕比例"),
    ("WFGMJ", QVariant.Double, "未覆盖面积(平方米)"),
    ("XFBZ", QVariant.Int, "几何已修复"),
]


class FarmlandOccupationAlgorithm(WpzfAlgorithm):
    """One row per patch with gross/net farmland by class and basic farmland, exact areas."""

    NAME = "farmlandoccupation"
    GROUP = "comparison"

    PATCHES, ID_FIELD, LANDUSE, CLASS_FIELD = "PATCHES", "ID_FIELD", "LANDUSE", "CLASS_FIELD"
    FARMLAND_CODES, DEDUCTION_FIELD, BASIC_FARMLAND = "FARMLAND_CODES", "DEDUCTION_FIELD", "BASIC_FARMLAND"
    AREA_METHOD, OUTPUT, BREAKDOWN, ENGINE = "AREA_METHOD", "OUTPUT", "BREAKDOWN", "ENGINE"
    PYTHON_ENGINE, SQL_ENGINE = 0, 1
    SQL_CHUNK_SIZE = overlay_sql.CHUNK_SIZE
    SQL_WORKERS = 2  # database connections measuring chunks side by side

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Farmland occupation of patches")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "For every patch: its area, the farmland it covers (gross and net of the deduction "
            "coefficient KCXS, by paddy, irrigated and dry land), the permanent basic farmland it "
            "covers, and the share of farmland. Exactly one output row per input patch, in input order; "
            "invalid geometry is repaired and flagged, never dropped; overlapping land-use polygons are "
            "never counted twice. Ellipsoidal areas use the official CGCS2000 formula in a Gauss-Kruger "
            "zone. BREAKDOWN lists every land class in each patch with its broad class. "
            "Engine (advanced): when all layers are PostGIS tables of one database, the SQL engine runs the "
            "overlay in the database with the same definitions and numbers.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_patch_parameters()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LANDUSE, self.tr("Land use (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            self.CLASS_FIELD, self.tr("Land class code field"), "DLBM", self.LANDUSE, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.FARMLAND_CODES, self.tr("Farmland class codes"), "0101,0102,0103"))
        self.addParameter(QgsProcessingParameterField(
            self.DEDUCTION_FIELD, self.tr("Deduction coefficient field (empty: no deduction)"), "KCXS",
            self.LANDUSE, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BASIC_FARMLAND, self.tr("Permanent basic farmland"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.AREA_METHOD, self.tr("Area method"), area_method_labels(), defaultValue=0))
        engine = QgsProcessingParameterEnum(
            self.ENGINE, self.tr("Engine"),
            [self.tr("Python (any layers)"), self.tr("SQL in the database (PostGIS layers of one database)")],
            defaultValue=self.PYTHON_ENGINE)
        engine.setFlags(engine.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        engine.setHelp(self.tr(
            "SQL: PATCHES, LANDUSE and BASIC_FARMLAND must be PostGIS tables of one database (subset strings "
            "are honoured, selected features are not); the overlay runs there and only the figures come back."))
        self.addParameter(engine)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Farmland occupation"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.BREAKDOWN, self.tr("Land-class breakdown"), QgsProcessing.TypeVector, optional=True,
            createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        patches = self.parameterAsSource(parameters, self.PATCHES, context)
        landuse_layer = self.parameterAsVectorLayer(parameters, self.LANDUSE, context)
        if patches is None or landuse_layer is None:
            raise QgsProcessingException(self.tr("PATCHES and LANDUSE must be polygon layers."))
        id_field = self.parameterAsString(parameters, self.ID_FIELD, context) or "JCBH"
        class_field = self.parameterAsString(parameters, self.CLASS_FIELD, context) or "DLBM"
        deduction = self.parameterAsString(parameters, self.DEDUCTION_FIELD, context)
        require_field(patches, id_field, self.ID_FIELD)
        require_field(landuse_layer, class_field, self.CLASS_FIELD)
        require_field(landuse_layer, deduction, self.DEDUCTION_FIELD)
        codes = [c.strip() for c in self.parameterAsString(parameters, self.FARMLAND_CODES, context).split(",") if c.strip()]
        method = AREA_METHODS[self.parameterAsEnum(parameters, self.AREA_METHOD, context)]
        crs = working_crs(method, patches.sourceCrs(), landuse_layer.crs(), patches.sourceExtent())
        feedback.pushInfo(self.tr("Working CRS {crs}, area method {method}").format(crs=crs.authid(), method=method))
        if self.parameterAsEnum(parameters, self.ENGINE, context) == self.SQL_ENGINE:
            return _SqlEngine(self, parameters, context, feedback).run(
                patches, id_field, class_field, deduction, codes, method, crs)

        streamed = stream_patches(patches, self.parameterAsVectorLayer(parameters, self.PATCHES, context),
                                  parameters[self.PATCHES], crs)
        if streamed is not None:  # features are read while the overlay runs
            patch_geoms, patch_features = streamed
        else:
            patch_data = read_patches(patches, id_field, crs, feedback)
            patch_geoms, patch_features = patch_data.take_geoms(), PatchList(patch_data.features)
        feedback.setProgress(5)
        fields = [class_field] + ([deduction] if deduction else [])
        landuse = read_arrays(landuse_layer, parameters[self.LANDUSE], fields, crs, feedback)
        feedback.setProgress(20)
        basic = None
        basic_layer = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        if basic_layer is not None:
            basic = read_arrays(basic_layer, parameters[self.BASIC_FARMLAND], [], crs, feedback)
        if feedback.isCanceled():
            return {}
        feedback.pushInfo(self.tr("{patches} patches, {landuse} land-use polygons").format(
            patches=patch_geoms.size, landuse=landuse.geoms.size))
        writer = _ResultWriter(self, parameters, context, patches, patch_features, patch_geoms.size, id_field,
                               feedback)
        class_values = landuse.columns[class_field]
        deductions = landuse.columns[deduction] if deduction else np.zeros(landuse.geoms.size)
        try:
            # the land-use geometries are handed over, not kept here: the overlay engine frees
            # them when done, while the output files are being closed
            result = farmland_occupation(
                patch_geoms, landuse.take_geoms(), class_values, deductions,
                None if basic is None else basic.take_geoms(), farmland_codes=codes, area_method=method,
                crs=pyproj_crs(crs),
                progress=lambda f: feedback.setProgress(20 + 78 * f), is_canceled=feedback.isCanceled,
                workers=WORKERS, on_chunk=writer.write_chunk)
        except Canceled:
            return {}
        except WpzfError as exc:
            raise self.fail(exc) from exc
        self.warn_repaired(feedback, int(np.count_nonzero(result.landuse_repaired)))
        outputs = writer.finish()
        feedback.setProgress(100)
        return outputs


    def warn_repaired(self, feedback, repaired: int) -> None:
        if repaired:
            feedback.pushWarning(self.tr("{n} invalid land-use polygons were repaired and used.").format(n=repaired))


def breakdown_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind, alias in (("ID", QVariant.String, "图斑编号"), ("DLBM", QVariant.String, "地类编码"),
                              ("SDL", QVariant.String, "三大类"), ("MJ", QVariant.Double, "面积(平方米)"),
                              ("JMJ", QVariant.Double, "扣除田坎后面积(平方米)"),
                              ("JMJ_MU", QVariant.Double, "扣除田坎后面积(亩)")):
        field = QgsField(name, kind)
        field.setAlias(alias)
        fields.append(field)
    return fields


class _ResultWriter:
    """Writes OUTPUT and BREAKDOWN chunk by chunk, while the overlay workers compute the next chunks.

    The sinks are created with the first chunk, so an input error found
    before any result leaves no output behind.
    """

    def __init__(self, alg: FarmlandOccupationAlgorithm, parameters, context, patches, features, total: int,
                 id_field: str, feedback) -> None:
        self.alg, self.parameters, self.context, self.patches = alg, parameters, context, patches
        self.features, self.feedback = features, feedback
        self.id_index = patches.fields().lookupField(id_field)
        self.id_field = id_field
        self.total = total  # patches the overlay measures
        self.written = 0
        self._closing: threading.Thread | None = None
        self._close_error: Exception | None = None
        self.schema = None
        self.sink = self.breakdown_sink = None
        self.copier: PatchCopier | None = None  # OUTPUT filled with SQL (GeoPackage to GeoPackage)
        self.breakdown_rows: TableAppender | None = None  # BREAKDOWN filled with SQL
        self.outputs: dict = {}
        self.not_covered = QCoreApplication.translate("FarmlandOccupationAlgorithm", "not covered by land use")

    def _open(self) -> None:
        alg, parameters, context = self.alg, self.parameters, self.context
        self.schema = output_schema(self.patches.fields(), RESULT_FIELDS, self.feedback)
        self.sink, self.outputs[alg.OUTPUT] = alg.parameterAsSink(
            parameters, alg.OUTPUT, context, self.schema.fields,
            QgsWkbTypes.multiType(self.patches.wkbType()), self.patches.sourceCrs())
        self.breakdown_sink, dest = alg.parameterAsSink(parameters, alg.BREAKDOWN, context, breakdown_fields(),
                                                        QgsWkbTypes.NoGeometry)
        if self.breakdown_sink is not None:
            self.outputs[alg.BREAKDOWN] = dest
        self._fill_geopackages_with_sql()

    def _fill_geopackages_with_sql(self) -> None:
        """GeoPackage outputs: close the empty sinks QGIS created and insert the rows with SQLite.

        OUTPUT qualifies when the patches were read whole from a GeoPackage
        (their rows are copied file to file); BREAKDOWN whenever it is a
        GeoPackage. A table that cannot be filled this way gets its sink back.
        """
        alg = self.alg
        self.copier = self.breakdown_rows = None
        origin = getattr(self.features, "origin", None)
        target = gpkg_destination(self.outputs.get(alg.OUTPUT))
        source = find_table(*origin) if origin else None
        if target is not None and source is not None:
            self.sink = None  # closes the empty table
            table = find_table(*target)
            try:
                if table is None:
                    raise BulkWriteError("output table not found")
                self.copier = PatchCopier(table, source, self.schema.kept, [name for name, _, _ in RESULT_FIELDS])
            except BulkWriteError:
                self.sink, _ = alg.parameterAsSink(
                    self.parameters, alg.OUTPUT, self.context, self.schema.fields,
                    QgsWkbTypes.multiType(self.patches.wkbType()), self.patches.sourceCrs())
        target = gpkg_destination(self.outputs.get(alg.BREAKDOWN)) if self.breakdown_sink is not None else None
        if target is not None:
            self.breakdown_sink = None
            table = find_table(*target)
            try:
                if table is None:
                    raise BulkWriteError("breakdown table not found")
                self.breakdown_rows = TableAppender(table, breakdown_fields().names())
            except BulkWriteError:
                self.breakdown_sink, _ = alg.parameterAsSink(self.parameters, alg.BREAKDOWN, self.context,
                                                             breakdown_fields(), QgsWkbTypes.NoGeometry)

    def write_chunk(self, start: int, part) -> None:
        if self.schema is None:
            self._open()
        computed = [part.tbmj, part.gdtbmj, part.gdmj, part.gdmj / M2_PER_MU, part.sdmj, part.sjdmj,
                    part.hdmj, part.jbntmj, part.zgbl, part.uncovered, part.patch_repaired.astype(int)]
        count = part.ids.size
        if self.copier is not None:
            rows = list(zip(*(np.asarray(c).tolist() for c in computed)))
            values = self.copier.copy(self.features.fids(start, count), rows,
                                      self.id_field if self.wants_breakdown else None)
            ids = ["" if v is None else str(v) for v in values]
        else:
            features = self.features.take(count)
            ids = ["" if v is None else str(v) for v in (to_python(f.attribute(self.id_index)) for f in features)]
            self.schema.write(self.sink, features, computed, self.feedback, None)
        if self.wants_breakdown:
            self._write_breakdown(part, start, ids)
        self.written += count
        if self.written == self.total:
            # the last rows: close the files (GDAL builds the spatial index, GIL released) while the
            # overlay engine frees its geometries on this thread
            sinks, self.sink, self.breakdown_sink = [self.sink, self.breakdown_sink], None, None
            self._closing = threading.Thread(target=self._close_all, args=(sinks,), name="wpzf-close-sinks")
            self._closing.start()

    def _close_all(self, sinks: list) -> None:
        """Close the sinks and commit the GeoPackages filled with SQL (SQLite releases the GIL)."""
        sinks.clear()
        try:
            for appender in (self.copier, self.breakdown_rows):
                if appender is not None:
                    appender.close()
        except Exception as exc:  # noqa: BLE001 - raised again by finish() on the algorithm's thread
            self._close_error = exc

    @property
    def wants_breakdown(self) -> bool:
        return self.breakdown_sink is not None or self.breakdown_rows is not None

    def _write_breakdown(self, part, start: int, ids: list[str]) -> None:
        table = part.breakdown
        # area no land-use polygon covers gets its own row after the patch's classes, so the rows
        # of a patch add up to TBMJ; assembled column-wise (10^5 rows per run at district scale)
        bare = np.flatnonzero(part.uncovered > 1e-6)
        patch = np.concatenate([table.patch - start, bare])
        order = np.argsort(patch, kind="stable")
        id_array = np.array(ids, dtype=object)
        columns = [
            id_array[patch[order]],
            np.concatenate([table.dlbm.astype(object), np.full(bare.size, "", dtype=object)])[order],
            np.concatenate([table.broad_class.astype(object), np.full(bare.size, self.not_covered, dtype=object)])[order],
            np.concatenate([table.gross, part.uncovered[bare]])[order],
            np.concatenate([table.net, part.uncovered[bare]])[order]]
        columns.append(columns[4] / M2_PER_MU)
        rows = list(zip(*(c.tolist() for c in columns)))
        if self.breakdown_rows is not None:
            self.breakdown_rows.append(rows)
            return
        # one feature refilled per row: sinks copy what they are given, and building a
        # QgsFeature per row cost as much as writing it
        feature = QgsFeature(breakdown_fields())
        for row in rows:
            feature.setAttributes(list(row))
            self.breakdown_sink.addFeature(feature, QgsFeatureSink.FastInsert)

    def finish(self) -> dict:
        """Outputs of the run (sinks created even when there was no patch); closes the sinks."""
        if self.schema is None:
            self._open()
        self.sink = self.breakdown_sink = None
        if self._closing is not None:
            self._closing.join()
        else:
            self._close_all([])
        if self._close_error is not None:
            raise QgsProcessingException(QCoreApplication.translate(
                "FarmlandOccupationAlgorithm", "Could not finish writing the output GeoPackage: {error}").format(
                error=self._close_error))
        return self.outputs


class _HandedFeatures:
    """The features of the batch being written, handed to :class:`_ResultWriter` (its ``take``)."""

    def __init__(self) -> None:
        self.batch: list[QgsFeature] = []

    def take(self, count: int) -> list[QgsFeature]:
        batch, self.batch = self.batch, []
        assert len(batch) == count
        return batch


class _SqlEngine:
    """ENGINE = SQL: the overlay runs in the PostGIS database holding every layer.

    All figures are computed first, chunk by chunk (progress, cancel); only
    then are the outputs created and written in the input order of the patch
    source, joined to the figures by the patch table's key. A cancel or an
    error therefore leaves no output behind.
    """

    WRITE_BATCH = 1000

    def __init__(self, alg: FarmlandOccupationAlgorithm, parameters, context, feedback) -> None:
        self.alg, self.parameters, self.context, self.feedback = alg, parameters, context, feedback

    def _layers(self) -> list:
        from ..pg_layers import pg_layer, require_one_database

        alg = self.alg
        names = [alg.PATCHES, alg.LANDUSE]
        if self.parameters.get(alg.BASIC_FARMLAND) and \
                alg.parameterAsVectorLayer(self.parameters, alg.BASIC_FARMLAND, self.context) is not None:
            names.append(alg.BASIC_FARMLAND)
        layers = [pg_layer(alg.parameterAsVectorLayer(self.parameters, name, self.context), name,
                           self.parameters.get(name)) for name in names]
        require_one_database(layers)
        return layers

    def _measure(self, layers: list, class_field: str, deduction: str, codes, method: str,
                 srid: int) -> tuple[list, str]:
        """(the SQL figures of every chunk, the patch table's key column); raises Canceled on a cancel."""
        import psycopg2

        from ..pg_connection import describe
        from ..pg_layers import connect_kwargs, with_primary_key

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
                area=overlay_sql.PLANAR if method == PLANAR else overlay_sql.OFFICIAL, srid=srid)
            for table in overlay.unindexed_tables():
                self.feedback.pushWarning(QCoreApplication.translate(
                    "FarmlandOccupationAlgorithm",
                    "Table {table} has no spatial index on its geometry column; the SQL engine will be slow. "
                    "Create one: CREATE INDEX ON {table} USING gist ({column})").format(
                    table=table.sql(), column=table.geom))
            chunks = overlay.run(self.alg.SQL_CHUNK_SIZE, progress=lambda f: self.feedback.setProgress(5 + 85 * f),
                                 is_canceled=self.feedback.isCanceled, workers=self.alg.SQL_WORKERS,
                                 connect=lambda: psycopg2.connect(**kwargs, connect_timeout=30))
            return chunks, tables[0].key
        finally:
            conn.close()

    def run(self, patches, id_field: str, class_field: str, deduction: str, codes, method: str, crs) -> dict:
        alg, feedback = self.alg, self.feedback
        layers = self._layers()
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
            raise alg.fail(exc) from exc
        figures = {p.key: p for chunk in chunks for p in chunk.patches}
        classes: dict = defaultdict(list)
        for chunk in chunks:
            for row in chunk.breakdown:
                classes[row.key].append(row)
        alg.warn_repaired(feedback, len(set().union(*(chunk.landuse_repaired for chunk in chunks))))
        key_index = patches.fields().lookupField(key)
        if key_index < 0:
            raise QgsProcessingException(QCoreApplication.translate(
                "FarmlandOccupationAlgorithm", "Layer {layer} has no field {field} (its primary key).").format(
                layer=layers[0].name, field=key))
        self._check_keys(patches, key_index, figures)
        feedback.pushInfo(QCoreApplication.translate(
            "FarmlandOccupationAlgorithm", "{patches} patches measured in the database").format(patches=len(figures)))
        return self._write(patches, key_index, id_field, figures, classes)

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

    def _write(self, patches, key_index: int, id_field: str, figures: dict, classes: dict) -> dict:
        handed = _HandedFeatures()
        writer = _ResultWriter(self.alg, self.parameters, self.context, patches, handed, len(figures), id_field,
                               self.feedback)
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
    """One batch of SQL figures shaped as the engine's chunk result (what _ResultWriter writes)."""
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
        jbntmj=column("jbntmj"), zgbl=column("zgbl"), uncovered=column("wfgmj"),
        patch_repaired=np.array([r.repaired for r in rows], dtype=bool), landuse_repaired=np.zeros(0, dtype=bool),
        basic_farmland_repaired=None, breakdown=breakdown)
