"""Sample-district generator: a seed-reproducible 永川区 with 三调 land use, approvals,
cadastre, imagery and two monthly patch batches, for tests, demos and benchmarks.

Pure Python on numpy, shapely 2 and GDAL/OGR: no QGIS needed.
"""
from __future__ import annotations

from .generator import DistrictFiles, generate

__all__ = ["DistrictFiles", "generate"]
