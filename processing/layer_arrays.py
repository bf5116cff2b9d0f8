"""Layers as numpy/shapely arrays for the overlay engine (no GUI).

Land-use layers hold 10^5–10^6 polygons: a Python loop over QgsFeatures is the
bottleneck, so plain OGR files are read through GDAL's Arrow stream (several
times faster) and everything else — memory layers, PostGIS, selections,
subset filters — through QGIS features. Geometries come back as shapely
arrays in a requested projected CRS, transformed with pyproj in bulk.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsFeatureRequest,
    QgsProcessingFeatureSourceDefinition,
    QgsProviderRegistry,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QVariant

from ..adapters.layer_io import to_python
from ..domain.intake.encoding import detect_shapefile_encoding
from ..domain.overlay.gpkg_features import GpkgFeatures, NotIndexed, PackedWkb


@dataclass
class LayerArrays:
    """Geometries (shapely, in the CRS asked for) and the requested attribute columns."""

    geoms: np.ndarray
    columns: dict[str, list]
    #: Feature ids (the file's FIDs on Arrow reads, QGIS feature ids otherwise; None when unknown),
    #: so a dropped overlay feature can be named.
    fids: Optional[np.ndarray] = None
    #: (file path, layer name or None) of a whole-file read.
    origin: Optional[tuple[str, Optional[str]]] = None
    #: The layer's features, read by the overlay where patches ask (see :func:`read_arrays`); ``geoms`` is then
    #: an array of None.
    source: Optional[GpkgFeatures] = None
    #: The WKB read but not parsed (a ``packed`` Arrow read).
    wkb: Optional[PackedWkb] = None

    def take_geoms(self) -> np.ndarray:
        """The geometries, handed over: this object no longer keeps them alive (it holds an empty array)."""
        geoms, self.geoms = self.geoms, np.empty(0, dtype=object)
        return geoms

    @property
    def size(self) -> int:
        """Features read."""
        return int(self.geoms.size)

    def take_overlay(self) -> np.ndarray | GpkgFeatures:
        """What the overlay engine takes: the features' source where it reads them itself, else the geometries."""
        source, self.source = self.source, None
        geoms = self.take_geoms()
        return geoms if source is None else source


def pyproj_crs(crs: QgsCoordinateReferenceSystem):
    """The pyproj CRS of a QGIS CRS (EPSG code when it has one)."""
    from pyproj import CRS

    authid = crs.authid()
    return CRS.from_user_input(authid) if authid.upper().startswith("EPSG:") else CRS.from_wkt(crs.toWkt())


def to_crs(geoms: np.ndarray, source: QgsCoordinateReferenceSystem, target: QgsCoordinateReferenceSystem) -> np.ndarray:
    """Transform shapely geometries between two CRSs in one vectorised call (x = easting/longitude)."""
    if source == target:
        return geoms
    from pyproj import Transformer

    transformer = Transformer.from_crs(pyproj_crs(source), pyproj_crs(target), always_xy=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _plain_ogr_file(layer: QgsVectorLayer, parameter_value) -> tuple[str, str | None] | None:
    """(path, layer name) when the whole layer can be read straight from its file."""
    if isinstance(parameter_value, QgsProcessingFeatureSourceDefinition):
        return None  # selected-only / feature limit / invalid-geometry handling asked for
    if layer.providerType() != "ogr" or layer.subsetString():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    if not parts.get("path") or parts.get("openOptions"):
        return None
    return parts["path"], parts.get("layerName") or None


def _text_decoder(encoding: str):
    """bytes → str in ``encoding``, each distinct value decoded once (class codes repeat a lot)."""
    cache: dict[bytes, str] = {}

    def decode(value):
        if not isinstance(value, bytes):
            return value
        text = cache.get(value)
        if text is None:
            text = cache[value] = value.decode(encoding)
        return text

    return decode


def _append_values(column: list, values: np.ndarray, decode) -> None:
    """One Arrow batch's values of a field appended to ``column``, text decoded."""
    if values.dtype.kind == "S":  # fixed-width text: decode each distinct value once
        distinct, inverse = np.unique(values, return_inverse=True)
        texts = np.empty(distinct.size, dtype=object)
        texts[:] = [decode(v) for v in distinct.tolist()]
        column.extend(texts[inverse.reshape(-1)].tolist())
    elif values.dtype.kind in "OV":  # variable-width text or nulls: decode; numbers pass as they are
        column.extend(map(decode, values.tolist()))
    else:
        column.extend(values.tolist())


def _read_arrow(path: str, layer_name: str | None, fields: Sequence[str], packed: bool = False) -> LayerArrays | None:
    """The layer's geometries, FIDs and ``fields`` through GDAL's Arrow stream.

    ``packed``: the WKB is not parsed but kept in ``wkb`` (geometries None each), ``origin`` naming the table.
    """
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    ds = ogr.Open(path)
    lyr = None if ds is None else (ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0))
    if lyr is None or not hasattr(lyr, "GetArrowStreamAsNumPy"):
        return None
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    lyr.SetIgnoredFields([n for n in names if n not in fields])
    stream = lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"])
    geom_col = lyr.GetGeometryColumn() or "wkb_geometry"
    wkb: list[np.ndarray] = []
    packs: list[PackedWkb] = []
    fids: list[np.ndarray] = []
    columns: dict[str, list] = {f: [] for f in fields}
    decode = _text_decoder(_text_encoding(path))
    fid_col = lyr.GetFIDColumn() or "OGC_FID"
    for batch in stream:
        if fid_col in batch:
            fids.append(np.asarray(batch[fid_col], dtype=np.int64))
        if packed:  # batch by batch: the batch's bytes objects are freed as soon as packed
            packs.append(PackedWkb.of(_wkb_column(batch[geom_col])))
        else:
            wkb.append(_wkb_column(batch[geom_col]))
        for f in fields:
            _append_values(columns[f], batch[f], decode)
    fid_array = np.concatenate(fids) if fids else None
    if packed:
        joined = PackedWkb.join(packs)
        if fid_array is None or fid_array.size != joined.size:
            return None
        return LayerArrays(np.full(joined.size, None, dtype=object), columns, fid_array, origin=(path, lyr.GetName()),
                           wkb=joined)
    blobs = np.concatenate(wkb) if wkb else np.array([], dtype=object)
    if fid_array is not None and fid_array.size != blobs.size:
        fid_array = None
    return LayerArrays(_parsed(blobs), columns, fid_array)


def _text_encoding(path: str) -> str:
    """GDAL 3.6 hands shapefile text over undecoded: the DBF's real encoding (utf-8 elsewhere)."""
    encoding = detect_shapefile_encoding(path) if path.lower().endswith(".shp") else "utf-8"
    return "gbk" if encoding.upper() == "CP936" else encoding


def _wkb_column(blobs: np.ndarray) -> np.ndarray:
    """One Arrow batch's WKB as an object array of bytes."""
    if blobs.dtype != object:  # equal-length WKB arrives as a fixed-width column (|V93)
        blobs = np.array([bytes(b) for b in blobs], dtype=object)
    return blobs


def _parsed(blobs: np.ndarray) -> np.ndarray:
    """WKB → shapely; unreadable WKB becomes None (the overlay counts it as dropped and names its feature)."""
    geoms = shapely.from_wkb(blobs, on_invalid="ignore") if blobs.size else np.array([], dtype=object)
    return np.asarray(geoms, dtype=object)


def _read_features(layer, fields: Sequence[str], feedback=None) -> LayerArrays:
    request = QgsFeatureRequest()
    names = layer.fields().names()
    request.setSubsetOfAttributes([names.index(f) for f in fields])
    _key_order(layer, request)
    wkb: list[bytes | None] = []
    fids: list[int] = []
    columns: dict[str, list] = {f: [] for f in fields}
    for feature in layer.getFeatures(request):
        if feedback is not None and feedback.isCanceled():
            break
        fids.append(feature.id())
        geometry = feature.geometry()
        wkb.append(None if geometry.isNull() else bytes(geometry.asWkb()))
        for f in fields:
            columns[f].append(to_python(feature[f]))
    blobs = np.empty(len(wkb), dtype=object)
    blobs[:] = wkb
    return LayerArrays(_parsed(blobs), columns, np.array(fids, dtype=np.int64))


def _key_order(layer, request: QgsFeatureRequest) -> None:
    """PostGIS tables in primary-key order.

    "First polygon wins" where land-use polygons overlap follows input order;
    a database returns rows in whatever physical order updates left them, so
    the key order makes the result repeatable (and the SQL engine's).
    """
    if getattr(layer, "providerType", lambda: "")() != "postgres":
        return
    keys = [layer.fields().at(i).name() for i in layer.primaryKeyAttributes()]
    if len(keys) == 1:
        request.addOrderBy(QgsExpression.quotedColumnRef(keys[0]), True)


def read_arrays(layer: QgsVectorLayer, parameter_value, fields: Sequence[str],
                target: QgsCoordinateReferenceSystem, feedback=None, lazy: bool = False) -> LayerArrays:
    """Geometries in ``target`` CRS plus ``fields`` of every feature, fastest way available.

    ``lazy``: a whole GeoPackage table with a spatial index, in ``target``
    already, is read without parsing a geometry: ``source`` of the result
    parses them where the overlay asks, in the workers
    (:class:`~..domain.overlay.gpkg_features.GpkgFeatures`).
    """
    arrays = _read_lazily(layer, parameter_value, fields, target) if lazy else None
    if arrays is not None:
        return arrays
    plain = _plain_ogr_file(layer, parameter_value)
    arrays = _read_arrow(plain[0], plain[1], fields) if plain else None
    if arrays is None:
        source = layer
        if isinstance(parameter_value, QgsProcessingFeatureSourceDefinition) and parameter_value.selectedFeaturesOnly:
            source = layer.materialize(QgsFeatureRequest().setFilterFids(layer.selectedFeatureIds()))
        arrays = _read_features(source, fields, feedback)
    arrays.geoms = to_crs(arrays.geoms, layer.crs(), target)
    return arrays


def _read_lazily(layer: QgsVectorLayer, parameter_value, fields: Sequence[str],
                 target: QgsCoordinateReferenceSystem) -> LayerArrays | None:
    """Attributes, FIDs and unparsed WKB of a whole indexed GeoPackage table in ``target``."""
    plain = _plain_ogr_file(layer, parameter_value)
    if plain is None or not plain[0].lower().endswith(".gpkg") or layer.crs() != target:
        return None
    arrays = _read_arrow(plain[0], plain[1], fields, packed=True)
    if arrays is None or arrays.fids is None or arrays.origin is None:
        return None
    try:
        arrays.source = GpkgFeatures(arrays.origin[0], str(arrays.origin[1]), arrays.fids, arrays.wkb)
    except (NotIndexed, sqlite3.Error):
        return None
    arrays.wkb = None  # the source holds it
    return arrays


@dataclass
class TableRows:
    """A whole GeoPackage layer as Python values: each feature's WKB and its attributes, in FID order."""

    fids: np.ndarray
    wkb: list
    #: one list per field, in the order of the QGIS fields asked for (None for NULL)
    columns: list[list]


#: QGIS field types whose Arrow values become exactly the value QGIS reads (NULL → None).
_ROW_TYPES = (QVariant.String, QVariant.Int, QVariant.LongLong, QVariant.Double, QVariant.Date, QVariant.Bool)


def read_gpkg_rows(path: str, layer_name: str | None, fields) -> TableRows | None:
    """Geometry and every field of a GeoPackage layer in bulk (Arrow), or None when a field type is not handled.

    ``fields`` (QgsFields of the QGIS layer) gives names and order; the FID column is one of them as QGIS
    shows it. Text is decoded once per distinct value and dates become one QDate per distinct day, so a
    feature built from these values holds what a feature read through QGIS holds.
    """
    from osgeo import gdal, ogr

    kinds = [fields.at(i).type() for i in range(fields.count())]
    if any(kind not in _ROW_TYPES for kind in kinds):
        return None
    gdal.UseExceptions()
    ds = ogr.Open(path)
    lyr = None if ds is None else (ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0))
    if lyr is None or not hasattr(lyr, "GetArrowStreamAsNumPy"):
        return None
    fid_col = lyr.GetFIDColumn() or "fid"
    geom_col = lyr.GetGeometryColumn() or "wkb_geometry"
    names = [fields.at(i).name() for i in range(fields.count())]
    batches = list(lyr.GetArrowStreamAsNumPy())
    if not batches:
        return TableRows(np.zeros(0, dtype=np.int64), [], [[] for _ in names])
    if fid_col not in batches[0] or any(n != fid_col and n not in batches[0] for n in names):
        return None
    fids = np.concatenate([np.asarray(b[fid_col], dtype=np.int64) for b in batches])
    wkb: list[bytes | None] = []
    for b in batches:
        blobs = b[geom_col]
        mask = np.ma.getmaskarray(blobs)
        wkb.extend(None if m else bytes(v) for v, m in zip(np.ma.getdata(blobs).tolist(), mask.tolist()))
    columns = [_python_values(np.ma.concatenate([b[name] for b in batches]) if name != fid_col else fids, kind)
               for name, kind in zip(names, kinds)]
    return TableRows(fids, wkb, columns)


def _python_values(values, kind) -> list:
    """One Arrow column as the Python values QGIS would give (None where NULL)."""
    mask = np.ma.getmaskarray(values)
    data = np.ma.getdata(values)
    if kind == QVariant.String:  # each distinct text decoded once (codes and names repeat a lot)
        values = data.tolist()
        texts = {v: v.decode("utf-8") if isinstance(v, bytes) else v for v in dict.fromkeys(values)}
        found = [texts[v] for v in values]
    elif kind == QVariant.Date:
        days = data.astype("datetime64[D]")
        mask = mask | np.isnat(days)
        distinct, inverse = np.unique(np.where(mask, np.datetime64("1970-01-01"), days), return_inverse=True)
        dates = [QDate(d.year, d.month, d.day) for d in distinct.tolist()]
        found = [dates[k] for k in inverse.reshape(-1).tolist()]
    elif kind == QVariant.Bool:
        found = [bool(v) for v in data.tolist()]
    else:
        found = data.tolist()
    if mask.any():
        for k in np.flatnonzero(mask).tolist():
            found[k] = None
    return found


def read_gpkg_geometries(layer: QgsVectorLayer, parameter_value,
                         target: QgsCoordinateReferenceSystem) -> LayerArrays | None:
    """Geometries and FIDs straight from a whole GeoPackage layer (Arrow), else None.

    Only GeoPackage: there QGIS feature ids are the file's FIDs, so features
    read later through QGIS can be matched to these geometries one by one.
    """
    plain = _plain_ogr_file(layer, parameter_value) if layer is not None else None
    if plain is None or not plain[0].lower().endswith(".gpkg"):
        return None
    arrays = _read_arrow(plain[0], plain[1], [])
    if arrays is None or arrays.fids is None:
        return None
    arrays.geoms = to_crs(arrays.geoms, layer.crs(), target)
    arrays.origin = plain
    return arrays
