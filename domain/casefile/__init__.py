"""Case-file patch maps (组卷归档 图斑核查图): what a printed page says, without Qt.

Boundary-point tables, round map scales, safe file names and the page's text
are decided here so they are tested fast; ``printing/`` only lays them out.
"""
from __future__ import annotations

from .boundary import BoundaryPoint, boundary_points, polygons_of
from .filenames import safe_file_name
from .page import (
    MISSING,
    PatchFacts,
    TablePage,
    area_text,
    coordinate_rows,
    crs_note,
    info_rows,
    paginate,
)
from .scale import choose_scale, map_extent, round_denominators, scale_bar_segment

__all__ = [
    "MISSING", "BoundaryPoint", "PatchFacts", "TablePage", "area_text", "boundary_points", "choose_scale",
    "coordinate_rows", "crs_note", "info_rows", "map_extent", "paginate", "polygons_of", "round_denominators",
    "safe_file_name", "scale_bar_segment",
]
