"""GeoPackage geometry blobs of hand-written WKT, for tests that insert patches with plain SQL."""
from __future__ import annotations

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"
"""A 100 m square in CGCS2000 GK zone 35 (EPSG:4523): 10,000 m² = 15 亩."""


def wkt_blob(wkt: str = SQUARE, epsg: int = 4523) -> bytes:
    """The GeoPackage blob (header with envelope + WKB) of ``wkt`` as the workspace stores it."""
    import shapely

    from wpzf.domain.workspace import gpkg

    g = shapely.from_wkt(wkt)
    return gpkg.encode(shapely.to_wkb(g), epsg, g.bounds)
