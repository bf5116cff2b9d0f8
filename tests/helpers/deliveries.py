"""Write small real delivery files with GDAL for the intake tests."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from osgeo import gdal, ogr, osr

# A 100 m × 100 m square near 永川 in EPSG:4523 (x = easting with zone prefix).
E0, N0 = 35_581_000.0, 3_249_000.0
LON0, LAT0 = 105.8437, 29.3563  # roughly the same place in EPSG:4490


def square_4523(i: int, size: float = 100.0) -> str:
    x, y = E0 + 300 * i, N0
    return f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"


def square_4490(i: int, size: float = 0.001) -> str:
    x, y = LON0 + 0.003 * i, LAT0
    return f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"


BOWTIE_4523 = f"POLYGON(({E0} {N0},{E0 + 100} {N0 + 100},{E0 + 100} {N0},{E0} {N0 + 100},{E0} {N0}))"


def _srs(epsg: int | None):
    if epsg is None:
        return None
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def write(path: Path, driver: str, rows: list[dict], epsg: int | None = 4523,
          geom_type=ogr.wkbPolygon, layer: str = "patches", options: list[str] | None = None) -> Path:
    """Write ``rows`` (attribute dicts with a 'wkt' key, None for null geometry)."""
    ds = ogr.GetDriverByName(driver).CreateDataSource(str(path))
    lyr = ds.CreateLayer(layer, _srs(epsg), geom_type, options=options or [])
    names = [k for k in rows[0] if k != "wkt"]
    for name in names:
        kind = ogr.OFTReal if isinstance(rows[0][name], float) else ogr.OFTString
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for row in rows:
        feature = ogr.Feature(lyr.GetLayerDefn())
        for name in names:
            if row[name] is not None:
                feature.SetField(name, row[name])
        if row.get("wkt"):
            feature.SetGeometry(ogr.CreateGeometryFromWkt(row["wkt"]))
        lyr.CreateFeature(feature)
    ds = None
    return path


@contextmanager
def shapefile_encoding_honoured():
    """QGIS sets GDAL's SHAPE_ENCODING='' process-wide once it opens a shapefile, which
    makes the writer ignore ENCODING=…; clear it while a test writes a shapefile."""
    previous = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        yield
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", previous)


def gbk_shapefile_without_cpg(folder: Path, rows: list[dict]) -> Path:
    """A GBK shapefile with no .cpg and no language-driver byte: encoding must be detected."""
    folder.mkdir(parents=True, exist_ok=True)
    with shapefile_encoding_honoured():
        shp = write(folder / "delivery.shp", "ESRI Shapefile", rows, options=["ENCODING=CP936"])
    for cpg in folder.glob("*.cpg"):
        cpg.unlink()
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = 0
    dbf.write_bytes(bytes(data))
    return shp


def patch_row(i: int, wkt: str | None, jcbh: str | None = None, **extra) -> dict:
    return {"JCBH": jcbh or f"5001182022050{i:03d}", "XZQDM": "500118108", "XMC": "永川区",
            "TBLX": "新增建设", "JCMJ": 10000.0, "BZ": "位于临江镇某村委会东侧", **extra, "wkt": wkt}
