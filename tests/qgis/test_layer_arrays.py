"""Layers read as arrays (GDAL Arrow): text decoded right, FIDs kept, geometries in order."""
from __future__ import annotations

import shapely
from deliveries import gbk_shapefile_without_cpg, patch_row, square_4523, write
from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

from wpzf.processing.layer_arrays import read_arrays, read_gpkg_geometries


def test_gbk_shapefile_text_is_decoded_once_per_value(tmp_path):
    rows = [patch_row(i, square_4523(i), XMC=name, BZ=None if i == 2 else "东侧")
            for i, name in enumerate(["永川区", "永川区", "临江镇", "永川区"])]
    shp = gbk_shapefile_without_cpg(tmp_path / "in", rows)
    layer = QgsVectorLayer(str(shp), "p", "ogr")
    arrays = read_arrays(layer, str(shp), ["XMC", "JCMJ"], QgsCoordinateReferenceSystem("EPSG:4523"))
    assert arrays.columns["XMC"] == ["永川区", "永川区", "临江镇", "永川区"]
    assert arrays.columns["JCMJ"] == [10000.0] * 4
    assert [round(g.area) for g in arrays.geoms] == [10000] * 4


def test_gpkg_geometries_come_with_their_fids(tmp_path):
    gpkg = write(tmp_path / "p.gpkg", "GPKG", [patch_row(i, square_4523(i, size=10 + i)) for i in range(3)])
    layer = QgsVectorLayer(str(gpkg), "p", "ogr")
    arrays = read_gpkg_geometries(layer, str(gpkg), QgsCoordinateReferenceSystem("EPSG:4523"))
    assert arrays is not None
    assert arrays.fids.tolist() == [f.id() for f in layer.getFeatures()]
    assert shapely.area(arrays.geoms).round().tolist() == [100, 121, 144]
    shp = gbk_shapefile_without_cpg(tmp_path / "shp", [patch_row(0, square_4523(0))])
    assert read_gpkg_geometries(QgsVectorLayer(str(shp), "s", "ogr"), str(shp),
                                QgsCoordinateReferenceSystem("EPSG:4523")) is None  # only GeoPackages
