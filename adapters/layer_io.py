"""Reading QGIS layers into the domain's plain records (no GUI).

Everything QGIS-specific about a delivery lives here: which files back a
layer, how its DBF is decoded, how features become WKB in the workspace CRS.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QVariant

from ..domain.crs import CGCS2000_GEOGRAPHIC, gk_epsg_for_longitude
from ..domain.intake.encoding import detect_shapefile_encoding
from ..domain.intake.loader import sha256_of_files
from ..domain.intake.patches import IncomingPatch
from ..domain.messages import QT_TRANSLATE_NOOP
from ..domain.progress import Canceled

SHAPEFILE_DATA_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")  # not the rebuildable indexes


def layer_path(layer: QgsVectorLayer) -> Path | None:
    """The file or folder behind an OGR layer, else None (memory, PostGIS…)."""
    if layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    return Path(path) if path else None


def source_files(layer: QgsVectorLayer) -> list[Path]:
    """Files whose bytes define the delivery (all parts of a shapefile, a GDB's files)."""
    path = layer_path(layer)
    if path is None:
        return []
    if path.is_dir():  # FileGDB
        return sorted(p for p in path.rglob("*") if p.is_file())
    if path.suffix.lower() == ".shp":
        return sorted(p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() in SHAPEFILE_DATA_PARTS)
    return [path]


def delivery_fingerprint(layer: QgsVectorLayer) -> tuple[str, str]:
    """(source name, SHA-256): of the files when there are some, else of the features."""
    path, files = layer_path(layer), source_files(layer)
    if path is not None and files:  # files come from a path
        table = QgsProviderRegistry.instance().decodeUri("ogr", layer.source()).get("layerName")
        if not table:
            return path.name, sha256_of_files(files)
        # one file may hold several deliveries (GeoPackage, FileGDB): the layer is part of the identity
        return f"{path.name}|{table}", hashlib.sha256(f"{sha256_of_files(files)}|{table}".encode()).hexdigest()
    digest = hashlib.sha256()
    for feature in layer.getFeatures():
        digest.update(repr([to_python(v) for v in feature.attributes()]).encode())
        digest.update(bytes(feature.geometry().asWkb()))
    return layer.name(), digest.hexdigest()


def with_encoding(layer: QgsVectorLayer, encoding: str) -> tuple[QgsVectorLayer, str | None]:
    """Re-open a shapefile layer with the right DBF encoding ('auto' detects it).

    Returns the layer to read and the encoding used (None for non-shapefiles).
    """
    path = layer_path(layer)
    if path is None or path.suffix.lower() != ".shp":
        return layer, None
    chosen = detect_shapefile_encoding(path) if encoding.lower() == "auto" else encoding
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    parts["openOptions"] = [f"ENCODING={chosen}"]
    uri = QgsProviderRegistry.instance().encodeUri("ogr", parts)
    reopened = QgsVectorLayer(uri, layer.name(), "ogr")
    if not reopened.isValid():
        reopened = QgsVectorLayer(f"{path}|option:ENCODING={chosen}", layer.name(), "ogr")
    if layer.crs().isValid() and not reopened.crs().isValid():
        reopened.setCrs(layer.crs())
    return reopened, chosen


def to_python(value: object) -> object:
    """A QVariant-ish attribute value as a plain JSON-able Python value."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd") if value.isValid() else None
    if isinstance(value, QDateTime):
        return value.toString("yyyy-MM-ddTHH:mm:ss") if value.isValid() else None
    if isinstance(value, QTime):
        return value.toString("HH:mm:ss") if value.isValid() else None
    if isinstance(value, QVariant):
        return value.value()
    return value


def zone_epsg_of_extent(extent, crs: QgsCoordinateReferenceSystem) -> int:
    """CGCS2000 3° zone (prefixed EPSG) of an extent's centre (永川 → EPSG:4523)."""
    geographic = QgsCoordinateReferenceSystem(f"EPSG:{CGCS2000_GEOGRAPHIC}")
    transform = QgsCoordinateTransform(crs, geographic, QgsProject.instance())
    return gk_epsg_for_longitude(transform.transformBoundingBox(extent).center().x())


def incoming_patches(
    layer: QgsVectorLayer, source_crs: QgsCoordinateReferenceSystem, epsg: int, feedback=None
) -> Iterator[IncomingPatch]:
    """Every feature as an :class:`IncomingPatch`, geometry transformed to ``epsg``, Z/M dropped."""
    target = QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
    transform = QgsCoordinateTransform(source_crs, target, QgsProject.instance())
    names = layer.fields().names()
    total = max(layer.featureCount(), 1)
    request = QgsFeatureRequest()
    for i, feature in enumerate(layer.getFeatures(request), start=1):
        if feedback is not None:
            if feedback.isCanceled():
                raise Canceled(QT_TRANSLATE_NOOP("domain", "Import canceled; the workspace is unchanged."))
            feedback.setProgress(40.0 * i / total)
        attributes = {name: to_python(v) for name, v in zip(names, feature.attributes())}
        geometry = feature.geometry()
        wkb = None
        if geometry is not None and not geometry.isNull():
            geometry = QgsGeometry(geometry)  # detach before editing
            abstract = geometry.constGet()
            if abstract is not None and abstract.hasCurvedSegments():
                geometry = QgsGeometry(abstract.segmentize())
            geometry.get().dropZValue()
            geometry.get().dropMValue()
            if not geometry.isEmpty():
                geometry.transform(transform)
            wkb = bytes(geometry.asWkb())
        yield IncomingPatch(i, attributes, wkb)
