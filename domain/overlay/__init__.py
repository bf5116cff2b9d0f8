"""Pure overlay engine (numpy, shapely, pyproj; no Qt): per-patch statistics."""
from __future__ import annotations

from ..progress import Canceled
from .farmland import ClassBreakdown, FarmlandOccupation, farmland_occupation
from .geometry import AREA_METHODS, ELLIPSOIDAL, GEODESIC, PLANAR, area_function, repair
from .landclass import (
    AREA_CLASSES,
    CLASS_FIELD,
    DEDUCTION_FIELD,
    FARMLAND_CODES,
    FARMLAND_CODES_TEXT,
    area_class,
    broad_class,
    codes_from_text,
    normalize_code,
)
from .quality import LayerQuality, features_in_extent, layer_quality
from .summary import SEPARATOR, OverlayDetail, OverlaySummary, overlay_summary

__all__ = [
    "AREA_CLASSES",
    "AREA_METHODS",
    "CLASS_FIELD",
    "Canceled",
    "DEDUCTION_FIELD",
    "ClassBreakdown",
    "ELLIPSOIDAL",
    "FARMLAND_CODES",
    "FARMLAND_CODES_TEXT",
    "GEODESIC",
    "FarmlandOccupation",
    "LayerQuality",
    "OverlayDetail",
    "OverlaySummary",
    "PLANAR",
    "SEPARATOR",
    "area_class",
    "area_function",
    "broad_class",
    "codes_from_text",
    "farmland_occupation",
    "features_in_extent",
    "layer_quality",
    "normalize_code",
    "overlay_summary",
    "repair",
]
