"""OGR writers: GeoPackage layers, the GeoJSON batch and the GBK shapefile batch."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from osgeo import gdal, ogr

from .geo import srs

gdal.UseExceptions()
ogr.UseExceptions()

_OGR_TYPES = {
    "str": ogr.OFTString,
    "int": ogr.OFTInteger,
    "int64": ogr.OFTInteger64,
    "real": ogr.OFTReal,
    "date": ogr.OFTDate,
}
DBF_LANGUAGE_DRIVER_OFFSET = 29


@dataclass(frozen=True)
class Column:
    """One attribute column: name, type ('str', 'int', 'int64', 'real', 'date'), values."""

    name: str
    kind: str
    values: Sequence
    width: int = 0
    precision: int = 0


def _python_values(values: Sequence) -> list:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def write_layer(
    ds: gdal.Dataset,
    name: str,
    epsg: int,
    geom_type: int,
    geoms: np.ndarray,
    columns: list[Column],
    options: list[str] | None = None,
) -> None:
    """Write one layer, in a single transaction where the format has them (≈25,000 features/s)."""
    layer = ds.CreateLayer(name, srs(epsg), geom_type, options=options or [])
    for col in columns:
        defn = ogr.FieldDefn(col.name, _OGR_TYPES[col.kind])
        if col.width:
            defn.SetWidth(col.width)
        if col.precision:
            defn.SetPrecision(col.precision)
        layer.CreateField(defn)
    feature_defn = layer.GetLayerDefn()
    values = [_python_values(c.values) for c in columns]
    force_multi = ogr.GT_Flatten(geom_type) == ogr.wkbMultiPolygon
    transaction = bool(ds.TestCapability(ogr.ODsCTransactions))
    if transaction:
        ds.StartTransaction()
    for row, wkb in enumerate(shapely.to_wkb(geoms)):
        feature = ogr.Feature(feature_defn)
        for i, col in enumerate(values):
            value = col[row]
            if value is None:
                feature.SetFieldNull(i)
            else:
                feature.SetField(i, value)
        geometry = ogr.CreateGeometryFromWkb(wkb)
        feature.SetGeometryDirectly(ogr.ForceToMultiPolygon(geometry) if force_multi else geometry)
        layer.CreateFeature(feature)
    if transaction:
        ds.CommitTransaction()


def create_gpkg(path: Path) -> gdal.Dataset:
    """New (overwritten) GeoPackage."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    return gdal.GetDriverByName("GPKG").Create(str(path), 0, 0, 0, gdal.GDT_Unknown)


def write_geojson(path: Path, name: str, epsg: int, geoms: np.ndarray, columns: list[Column]) -> None:
    """GeoJSON that keeps its CRS member (RFC7946=NO), as provincial deliveries do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    ds = gdal.GetDriverByName("GeoJSON").Create(str(path), 0, 0, 0, gdal.GDT_Unknown)
    write_layer(ds, name, epsg, ogr.wkbPolygon, geoms, columns, ["RFC7946=NO", "COORDINATE_PRECISION=8"])
    ds = None


def write_gbk_shapefile(path: Path, epsg: int, geoms: np.ndarray, columns: list[Column]) -> None:
    """Shapefile with a GBK DBF, no .cpg and a zero language-driver byte.

    That is how many county offices receive data: nothing in the files names the
    encoding, so readers have to detect it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        path.with_suffix(suffix).unlink(missing_ok=True)
    # QGIS sets GDAL's SHAPE_ENCODING='' process-wide once it has opened a shapefile,
    # which would make the writer ignore ENCODING=CP936 and write UTF-8.
    previous = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        ds = gdal.GetDriverByName("ESRI Shapefile").Create(str(path), 0, 0, 0, gdal.GDT_Unknown)
        write_layer(ds, path.stem, epsg, ogr.wkbPolygon, geoms, columns, ["ENCODING=CP936"])
        ds = None
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", previous)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    with open(path.with_suffix(".dbf"), "r+b") as dbf:
        dbf.seek(DBF_LANGUAGE_DRIVER_OFFSET)
        dbf.write(b"\x00")
