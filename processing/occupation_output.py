"""OUTPUT and BREAKDOWN of wpzf:farmlandoccupation, written while the overlay computes (sink or SQLite)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Optional, TypeVar, Union

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessingException,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ..adapters.layer_io import to_python
from ..domain.overlay.landclass import FARMLAND_CODES, area_class, normalize_code
from ..domain.units import M2_PER_MU
from ..domain.workspace.patch_fields import alias_of
from .gpkg_bulk import BulkWriteError, GpkgTable, PatchCopier, TableAppender, find_table, gpkg_destination
from .overlay_io import PATCH_ID_ALIAS, OutputSchema, PatchList, PatchStream, output_schema, write_rows

#: Creates output ``name``'s sink: (name, fields, geometry type, CRS) → (sink, destination), both None when
#: the output is not asked for; an algorithm passes a lambda over its ``parameterAsSink``.
SinkFactory = Callable[[str, QgsFields, Any, QgsCoordinateReferenceSystem], tuple[Any, Optional[str]]]

_Appender = TypeVar("_Appender", bound=TableAppender)


#: OUTPUT's computed fields. Aliases come from the patch table's columns (domain/workspace/columns.py)
#: where the column means the same (same unit); the others are this output's own: in m², while the
#: patch table keeps FGNYDMJ, JSYDMJ, WLYDMJ in 亩.
RESULT_FIELDS = [
    ("TBMJ", QVariant.Double, alias_of("TBMJ")),
    ("GDTBMJ", QVariant.Double, "耕地图斑面积(平方米)"),
    ("GDMJ", QVariant.Double, alias_of("GDMJ")),
    ("GDMJ_MU", QVariant.Double, "耕地面积(亩)"),
    ("SDMJ", QVariant.Double, "水田面积(平方米)"),
    ("SJDMJ", QVariant.Double, "水浇地面积(平方米)"),
    ("HDMJ", QVariant.Double, "旱地面积(平方米)"),
    ("JBNTMJ", QVariant.Double, alias_of("JBNTMJ")),
    ("JBNTGDMJ", QVariant.Double, alias_of("JBNTGDMJ")),
    ("FGNYDMJ", QVariant.Double, "非耕农用地面积(平方米)"),
    ("JSYDMJ", QVariant.Double, "建设用地面积(平方米)"),
    ("WLYDMJ", QVariant.Double, "未利用地面积(平方米)"),
    ("ZGBL", QVariant.Double, "占耕比例"),
    ("WFGMJ", QVariant.Double, "未覆盖面积(平方米)"),
    ("XFBZ", QVariant.Int, alias_of("XFBZ")),
]


def breakdown_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind, alias in (("ID", QVariant.String, PATCH_ID_ALIAS), ("DLBM", QVariant.String, "地类编码"),
                              ("SDL", QVariant.String, "三大类"), ("MJ", QVariant.Double, "面积(平方米)"),
                              ("JMJ", QVariant.Double, "扣除田坎后面积(平方米)"),
                              ("JMJ_MU", QVariant.Double, "扣除田坎后面积(亩)")):
        field = QgsField(name, kind)
        field.setAlias(alias)
        fields.append(field)
    return fields


class ResultWriter:
    """Writes OUTPUT and BREAKDOWN chunk by chunk, while the overlay workers compute the next chunks.

    The sinks are created with the first chunk, so an input error found
    before any result leaves no output behind. Land of classes in none of
    the broad classes (in no field of the 地块面积 split) is counted and
    reported by :meth:`finish` (``farmland_codes``: the run's 耕地 codes).
    """

    def __init__(self, make_sink: SinkFactory, patches, features: PatchFeatures, total: int, id_field: str,
                 feedback, farmland_codes=FARMLAND_CODES, *, output: str = "OUTPUT",
                 breakdown: str = "BREAKDOWN") -> None:
        """``make_sink`` creates the sinks of outputs ``output`` and ``breakdown`` (the keys of :meth:`finish`);
        ``patches`` gives the input fields, geometry type and CRS; ``features`` the features to copy."""
        self.make_sink, self.patches, self.features, self.feedback = make_sink, patches, features, feedback
        self.output, self.breakdown = output, breakdown
        self.id_index = patches.fields().lookupField(id_field)
        self.id_field = id_field
        self.total = total  # patches the overlay measures
        self.written = 0
        self._closing: threading.Thread | None = None
        self._close_error: Exception | None = None
        self.schema: Optional[OutputSchema] = None
        self.sink: Any = None  # QgsFeatureSink while rows go through QGIS
        self.breakdown_sink: Any = None
        self.copier: PatchCopier | None = None  # OUTPUT filled with SQL (GeoPackage to GeoPackage)
        self.breakdown_rows: TableAppender | None = None  # BREAKDOWN filled with SQL
        self.outputs: dict[str, Optional[str]] = {}
        self.not_covered = QCoreApplication.translate("FarmlandOccupationAlgorithm", "not covered by land use")
        self.farmland_codes = frozenset(normalize_code(c) for c in farmland_codes)
        self.unclassified_patches, self.unclassified_m2 = 0, 0.0
        self.unclassified_codes: set[str] = set()

    def _open(self) -> OutputSchema:
        self.schema = schema = output_schema(self.patches.fields(), RESULT_FIELDS, self.feedback)
        self.sink, self.outputs[self.output] = self._sink(self.output)
        self.breakdown_sink, dest = self._sink(self.breakdown)
        if self.breakdown_sink is not None:
            self.outputs[self.breakdown] = dest
        self._fill_geopackages_with_sql(schema)
        return schema

    def _sink(self, name: str) -> tuple[Any, Optional[str]]:
        """(sink, destination) of OUTPUT or BREAKDOWN, as Processing creates it (None, None: not asked for)."""
        if name == self.output:
            assert self.schema is not None  # opened first
            return self.make_sink(name, self.schema.fields, QgsWkbTypes.multiType(self.patches.wkbType()),
                                  self.patches.sourceCrs())
        return self.make_sink(name, breakdown_fields(), QgsWkbTypes.NoGeometry, QgsCoordinateReferenceSystem())

    def _fill_geopackages_with_sql(self, schema: OutputSchema) -> None:
        """GeoPackage outputs: close the empty sinks QGIS created and insert the rows with SQLite.

        OUTPUT qualifies when the patches were read whole from a GeoPackage
        (their rows are copied file to file); BREAKDOWN whenever it is a
        GeoPackage. A table that cannot be filled this way gets its sink back.
        """
        origin = self.features.origin if isinstance(self.features, PatchStream) else None
        source = find_table(*origin) if origin else None
        if source is not None:
            self.copier = self._take_over(self.output, lambda table: PatchCopier(
                table, source, schema.kept, [name for name, _, _ in RESULT_FIELDS]))
        if self.breakdown_sink is not None:
            self.breakdown_rows = self._take_over(self.breakdown,
                                                  lambda table: TableAppender(table, breakdown_fields().names()))

    def _take_over(self, name: str, appender: Callable[[GpkgTable], _Appender]) -> Optional[_Appender]:
        """Close output ``name``'s empty sink and return an appender for its table; None (sink kept) otherwise."""
        destination = self.outputs.get(name)
        target = None if destination is None else gpkg_destination(destination)
        if target is None:
            return None
        attribute = "sink" if name == self.output else "breakdown_sink"
        setattr(self, attribute, None)  # closes the empty table
        table = find_table(*target)
        try:
            if table is None:
                raise BulkWriteError(f"table of {name} not found")
            return appender(table)
        except BulkWriteError:  # the sink back: Processing writes the file anew
            setattr(self, attribute, self._sink(name)[0])
            return None

    def write_chunk(self, start: int, part) -> None:
        """Write the rows of patches ``start`` … (``part``: the overlay's result for them, in patch order)."""
        schema = self.schema if self.schema is not None else self._open()
        computed = [part.tbmj, part.gdtbmj, part.gdmj, part.gdmj / M2_PER_MU, part.sdmj, part.sjdmj,
                    part.hdmj, part.jbntmj, part.jbntgdmj, part.fgnydmj, part.jsydmj, part.wlydmj, part.zgbl,
                    part.uncovered, part.patch_repaired.astype(int)]
        count = part.ids.size
        self._count_unclassified(part)
        if self.copier is not None and isinstance(self.features, PatchStream):  # (a copier: read from a GeoPackage)
            rows = list(zip(*(np.asarray(c).tolist() for c in computed)))
            values = self.copier.copy(self.features.fids(start, count), rows,
                                      self.id_field if self.wants_breakdown else None)
            ids = ["" if v is None else str(v) for v in values]
        elif (bulk := self._rows(start, count)) is not None:
            wkb, columns = bulk
            ids = [v if type(v) is str else "" if v is None else str(to_python(v)) for v in columns[self.id_index]]
            write_rows(schema, self.sink, self.patches.fields().names(), wkb, columns, computed)
        else:
            features = self.features.take(count)
            ids = ["" if v is None else str(v) for v in (to_python(f.attribute(self.id_index)) for f in features)]
            schema.write(self.sink, features, computed, self.feedback, None)
        if self.wants_breakdown:
            self._write_breakdown(part, start, ids)
        self.written += count
        if self.written == self.total:
            # the last rows: close the files (GDAL builds the spatial index, GIL released) while the
            # overlay engine frees its geometries on this thread
            sinks, self.sink, self.breakdown_sink = [self.sink, self.breakdown_sink], None, None
            self._closing = threading.Thread(target=self._close_all, args=(sinks,), name="wpzf-close-sinks")
            self._closing.start()

    def _rows(self, start: int, count: int):
        """(WKB, attribute columns) of the chunk's patches read in bulk, or None (features are taken instead)."""
        return self.features.rows(start, count) if isinstance(self.features, PatchStream) else None

    def _count_unclassified(self, part) -> None:
        found = part.unclassified > 1e-6
        if found.any():
            self.unclassified_patches += int(found.sum())
            self.unclassified_m2 += float(part.unclassified[found].sum())
            self.unclassified_codes.update(c for c in set(part.breakdown.dlbm.tolist())
                                           if not area_class(c, self.farmland_codes))

    def _warn_unclassified(self) -> None:
        if not self.unclassified_patches:
            return
        empty = QCoreApplication.translate("FarmlandOccupationAlgorithm", "(empty)")
        self.feedback.pushWarning(QCoreApplication.translate(
            "FarmlandOccupationAlgorithm",
            "{patches} patches hold {area:.2f} m² of land classes ({codes}) outside the three broad classes "
            "(agricultural, construction, unused land): that area is in none of GDMJ, FGNYDMJ, JSYDMJ, WLYDMJ; "
            "BREAKDOWN lists it.").format(
            patches=self.unclassified_patches, area=self.unclassified_m2,
            codes=", ".join(sorted(c or empty for c in self.unclassified_codes))))

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
        self._warn_unclassified()
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


class HandedFeatures:
    """The features of the batch being written, handed to :class:`ResultWriter` (its ``take``)."""

    def __init__(self) -> None:
        self.batch: list[QgsFeature] = []

    def take(self, count: int) -> list[QgsFeature]:
        batch, self.batch = self.batch, []
        assert len(batch) == count
        return batch


#: What :class:`ResultWriter` takes the patch features from: features read beforehand, read while the overlay
#: runs (GeoPackage: copied in bulk where possible), or handed over batch by batch (SQL engine).
PatchFeatures = Union[PatchList, PatchStream, HandedFeatures]
