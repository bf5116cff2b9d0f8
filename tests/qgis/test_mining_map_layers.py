"""Patch maps draw 采矿权/探矿权 boundaries labelled with their 许可证号 (issue 20).

Issue 20: "patch maps show licence boundaries with their numbers". wpzf:printpatchmaps styles each overlay
layer with printing.map_layers.cover_style; a CKQ/TKQ layer gets its legend name and XKZH labels.
"""
from __future__ import annotations

import pytest


@pytest.fixture()
def licences(tmp_path, qgis_app):
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4524)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp_path / "mining.gpkg"))
    for name in ("CKQ", "NYDZY"):
        layer = ds.CreateLayer(name, srs, ogr.wkbPolygon)
        layer.CreateField(ogr.FieldDefn("XKZH" if name == "CKQ" else "PZWH", ogr.OFTString))
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField(0, "C5000002011031120110000")
        feature.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON((0 0,100 0,100 100,0 100,0 0))"))
        layer.CreateFeature(feature)
    ds = None
    return tmp_path / "mining.gpkg"


def _layer(path, name):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert layer.isValid()
    return layer


def test_mining_right_boundaries_are_labelled_with_their_licence_number(licences):
    from wpzf.printing.map_layers import cover_style

    styled = cover_style(_layer(licences, "CKQ"), 0)
    assert styled.name() == "采矿权范围" and styled.labelsEnabled()
    settings = styled.labeling().settings()
    assert settings.isExpression and settings.fieldName == '"XKZH"'


def test_approval_boundaries_stay_unlabelled(licences):
    from wpzf.printing.map_layers import cover_style

    styled = cover_style(_layer(licences, "NYDZY"), 1)
    assert styled.name() == "农用地转用审批范围" and not styled.labelsEnabled()
