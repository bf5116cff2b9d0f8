"""In-memory QGIS layers built from WKT, for algorithm tests."""
from __future__ import annotations

from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer


def memory_layer(name: str, epsg: int, fields: str, rows: list[tuple], geometry: str = "MultiPolygon") -> QgsVectorLayer:
    """``fields`` like 'JCBH:string&KCXS:double'; each row is (wkt, value, value, …)."""
    layer = QgsVectorLayer(f"{geometry}?crs=EPSG:{epsg}&" + "&".join(f"field={f}" for f in fields.split("&")),
                           name, "memory")
    features = []
    for wkt, *values in rows:
        feature = QgsFeature(layer.fields())
        if wkt is not None:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes(list(values))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


def box(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
