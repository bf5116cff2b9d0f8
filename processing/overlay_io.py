"""What the overlay algorithms share: CRS choice, patch reading, output fields."""
from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingFeatureSource,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ..adapters.layer_io import to_python, zone_epsg_of_extent
from ..domain.overlay import AREA_METHODS, ELLIPSOIDAL, PLANAR
from .layer_arrays import TableRows, read_gpkg_geometries, read_gpkg_rows, to_crs

#: Alias of the ID column of the tables by patch (BREAKDOWN, DETAIL): it holds any ID_FIELD, not only 监测编号.
PATCH_ID_ALIAS = "图斑编号"
#: GEOS and PROJ release the GIL: one overlay worker thread per core, up to 4.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)  # pylupdate files module-level tr() here


def area_method_labels() -> list[str]:
    """Labels of the AREA_METHOD choice, in the order of :data:`AREA_METHODS` (the enum index picks the method)."""
    labels = {ELLIPSOIDAL: tr("Ellipsoidal on CGCS2000 (official)"), PLANAR: tr("Planar in the patches' projected CRS")}
    return [labels[method] for method in AREA_METHODS]


@dataclass
class Patches:
    """Patch features as read (for the output) and as shapely geometries in the working CRS."""

    features: list[QgsFeature]
    geoms: np.ndarray
    ids: list

    def take_geoms(self) -> np.ndarray:
        """The geometries, handed over: this object no longer keeps them alive (it holds an empty array)."""
        geoms, self.geoms = self.geoms, np.empty(0, dtype=object)
        return geoms


def working_crs(method: str, patches_crs: QgsCoordinateReferenceSystem, overlay_crs: QgsCoordinateReferenceSystem,
                patches_extent) -> QgsCoordinateReferenceSystem:
    """The CRS geometry operations run in.

    Planar: the patches' own projected CRS (that is what "planar area" means).
    Ellipsoidal: the overlay's (三调's) projected CRS, as 三调 computes; when the
    overlay is geographic, the CGCS2000 3° zone of the patches' centre.
    """
    if method == PLANAR:
        if patches_crs.isGeographic():
            raise QgsProcessingException(tr(
                "Planar areas need a projected PATCHES layer; {crs} is geographic. "
                "Use the ellipsoidal method or reproject the patches.").format(crs=patches_crs.authid()))
        return patches_crs
    if not overlay_crs.isGeographic() and overlay_crs.isValid():
        return overlay_crs
    return QgsCoordinateReferenceSystem(f"EPSG:{zone_epsg_of_extent(patches_extent, patches_crs)}")


def read_patches(source, id_field: str, target: QgsCoordinateReferenceSystem, feedback) -> Patches:
    """Every patch feature in input order; geometries transformed to ``target``."""
    features: list[QgsFeature] = []
    wkb: list[bytes | None] = []
    ids: list = []
    total = max(source.featureCount(), 1)
    id_index = source.fields().lookupField(id_field)
    # We repair invalid patches ourselves; Processing's own check would stop or drop them.
    features_iter = source.getFeatures(QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    for i, feature in enumerate(features_iter):  # each iteration yields a new QgsFeature: kept as is
        if i % 1000 == 0:
            if feedback.isCanceled():
                break
            feedback.setProgress(5.0 * i / total)
        features.append(feature)
        geometry = feature.geometry()
        wkb.append(None if geometry.isNull() else geometry.asWkb().data())
        ids.append(to_python(feature.attribute(id_index)))
    geoms = shapely.from_wkb(np.array(wkb, dtype=object), on_invalid="ignore") if wkb else np.array([], dtype=object)
    return Patches(features, to_crs(np.asarray(geoms, dtype=object), source.sourceCrs(), target), ids)


class PatchList:
    """Patch features already read, handed out in input order like a :class:`PatchStream`."""

    def __init__(self, features: list[QgsFeature]) -> None:
        self._features = features
        self._read = 0

    def take(self, count: int) -> list[QgsFeature]:
        """The next ``count`` features (this list lets go of them)."""
        features = self._features[self._read:self._read + count]
        self._features[self._read:self._read + count] = [None] * len(features)
        self._read += count
        return features


class PatchStream:
    """Patch features in input order, built by QGIS only when the writer asks for them.

    The overlay needs just the geometries, read beforehand straight from the
    GeoPackage, so it starts before QGIS has built a single feature and the
    features are read while the overlay workers compute. Each feature's id is
    checked against the FID its geometry was read with.
    """

    def __init__(self, source, fids: np.ndarray, origin: Optional[tuple[str, Optional[str]]] = None) -> None:
        self._source = source
        #: opened on the first take: the bulk writer may never need them
        self._features: Optional[Iterator[QgsFeature]] = None
        self._fids = fids
        self._read = 0
        #: (GeoPackage path, layer name or None) the patches were read from.
        self.origin = origin
        self._rows: Optional[TableRows] = None  # None after the first call: not readable in bulk
        self._rows_read = False

    def fids(self, start: int, count: int) -> list[int]:
        """File FIDs of patches ``start`` … ``start + count − 1`` (input order)."""
        return self._fids[start:start + count].tolist()

    def rows(self, start: int, count: int) -> Optional[tuple[list, list[list]]]:
        """(WKB, attribute values per field) of patches ``start`` … ``start + count − 1``, read in bulk.

        The whole layer is read once with Arrow on the first call (while the
        overlay workers compute); None when that is not possible (a field
        type it does not give exactly), and the caller takes features instead.
        """
        if not self._rows_read:
            found = read_gpkg_rows(*self.origin, self._source.fields()) if self.origin else None
            if found is not None and not np.array_equal(found.fids, self._fids):
                raise QgsProcessingException(tr("The patch layer changed while it was being read."))
            self._rows, self._rows_read = found, True
        if self._rows is None:
            return None
        stop = start + count
        return self._rows.wkb[start:stop], [column[start:stop] for column in self._rows.columns]

    def take(self, count: int) -> list[QgsFeature]:
        """The next ``count`` features."""
        stream = self._features
        if stream is None:
            stream = self._features = self._source.getFeatures(
                QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
        features = list(itertools.islice(stream, count))
        expected = self._fids[self._read:self._read + count].tolist()
        if [f.id() for f in features] != expected:
            raise QgsProcessingException(tr("The patch layer changed while it was being read."))
        self._read += count
        return features


def stream_patches(source, layer, parameter_value,
                   target: QgsCoordinateReferenceSystem) -> tuple[np.ndarray, PatchStream] | None:
    """(geometries in ``target``, feature stream) for a whole GeoPackage patch layer, else None."""
    arrays = read_gpkg_geometries(layer, parameter_value, target)
    if arrays is None or arrays.fids is None or arrays.geoms.size != source.featureCount():
        return None
    return arrays.take_geoms(), PatchStream(source, arrays.fids, arrays.origin)


def layer_label(layer) -> str:
    """A layer as the user knows it: its name, with the table when that differs (data.gpkg's DLTB: 'data (DLTB)')."""
    from qgis.core import QgsProviderRegistry

    name = layer.name()
    table = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("layerName") or ""
    return f"{name} ({table})" if table and table != name else name


def report_quality(feedback, quality) -> None:
    """Push the warnings of a :class:`~..domain.overlay.LayerQuality` (repairs, drops, no codes, empty layer)."""
    from ..i18n import render

    for message in quality.warnings():
        feedback.pushWarning(render(message))


def require_field(layer_or_source, field: str, parameter: str) -> None:
    """A clear error when a named field is missing from a layer."""
    if field and layer_or_source.fields().lookupField(field) < 0:
        raise QgsProcessingException(tr("Layer {layer} has no field {field} (parameter {parameter}).").format(
            layer=layer_or_source.sourceName(), field=field, parameter=parameter))


@dataclass
class OutputSchema:
    """Output fields: the kept input fields first, then the computed ones."""

    fields: QgsFields
    kept: list[str]

    def write(self, sink, features: list[QgsFeature], computed_columns: list, feedback,
              progress: Optional[tuple[float, float]] = (90.0, 100.0)) -> None:
        """Write each input feature's geometry and kept values plus its row of ``computed_columns``.

        Columns are numpy arrays in feature order; they are turned into Python
        lists once and features are added in batches: per-value conversions and
        per-feature sink calls used to cost more than the overlay itself. The
        features are consumed: when every input field is kept, the results are
        appended to them in place. ``progress`` None: leave the progress bar alone.
        """
        if not features:
            return
        input_names = features[0].fields().names()
        indices = [input_names.index(name) for name in self.kept]
        # every input field kept in place: append the results to the features as read, which
        # skips converting each input value to Python and back (the costliest part of writing)
        append_only = indices == list(range(len(input_names)))
        first = len(indices)
        rows = list(zip(*(np.asarray(c).tolist() for c in computed_columns)))
        batch: list[QgsFeature] = []
        for i, feature in enumerate(features):
            if append_only and feature.attributeCount() == first:
                out = feature
                out.setFields(self.fields, False)
                out.padAttributes(len(rows[i]))
                for k, value in enumerate(rows[i], first):
                    out.setAttribute(k, value)
            else:
                values = feature.attributes()
                out = QgsFeature(self.fields)
                out.setGeometry(feature.geometry())
                out.setAttributes([values[k] for k in indices] + list(rows[i]))
            batch.append(out)
            if len(batch) == 1000:
                sink.addFeatures(batch, QgsFeatureSink.FastInsert)
                batch = []
                if progress is not None:
                    feedback.setProgress(progress[0] + progress[1] * i / len(features))
        sink.addFeatures(batch, QgsFeatureSink.FastInsert)


def write_rows(schema: OutputSchema, sink, input_names: list[str], wkb: list, columns: list[list],
               computed_columns: list) -> None:
    """Features built from plain values (see :meth:`PatchStream.rows`) written to ``sink``.

    Each patch's attributes are set as one list: reading each patch through
    QGIS and setting the results one attribute at a time cost the main
    process about as much as the overlay workers needed for the chunk.
    """
    kept = [columns[input_names.index(name)] for name in schema.kept]
    computed = [np.asarray(c).tolist() for c in computed_columns]
    rows = zip(*kept, *computed) if kept or computed else iter(())
    # one feature refilled per patch and added as filled (sinks copy what they are given):
    # measured cheaper than a list of new features added in one call
    feature = QgsFeature(schema.fields)
    add = sink.addFeature
    for blob, row in zip(wkb, rows):
        if blob is None:
            feature.clearGeometry()
        else:
            geometry = QgsGeometry()
            geometry.fromWkb(blob)
            feature.setGeometry(geometry)
        feature.setAttributes(list(row))
        add(feature, QgsFeatureSink.FastInsert)  # a Processing sink reports a feature it could not write


def output_schema(input_fields: QgsFields, added: list[tuple[str, QVariant.Type, str]], feedback) -> OutputSchema:
    """Input fields (minus any we recompute, with a warning) followed by ``added`` (name, type, alias)."""
    fields = QgsFields()
    ours = {name.upper() for name, _, _ in added}
    kept = []
    for field in input_fields:
        if field.name().upper() in ours:
            feedback.pushWarning(tr("Input field {field} is replaced by the computed value.").format(field=field.name()))
            continue
        fields.append(field)
        kept.append(field.name())
    for name, kind, alias in added:
        field = QgsField(name, kind, "double", 20, 6) if kind == QVariant.Double else QgsField(name, kind)
        field.setAlias(alias)
        fields.append(field)
    return OutputSchema(fields, kept)
