"""Pure overlay engine (numpy, shapely, pyproj; no Qt): per-patch statistics."""
from __future__ import annotations

from ..progress import Canceled
from .farmland import ClassBreakdown, FarmlandOccupation, farmland_occupation
from .geometry import ELLIPSOIDAL, PLANAR, area_function, repair
from .landclass import AREA_CLASSES, FARMLAND_CODES, area_class, broad_class, normalize_code
from .quality import LayerQuality, features_in_extent, layer_quality
from .summary import SEPARATOR, OverlayDetail, OverlaySummary, overlay_summary

__all__ = [
    "AREA_CLASSES",
    "Canceled",
    "ClassBreakdown",
    "ELLIPSOIDAL",
    "FARMLAND_CODES",
    "FarmlandOccupation",
    "LayerQuality",
    "OverlayDetail",
    "OverlaySummary",
    "PLANAR",
    "SEPARATOR",
    "area_class",
    "area_function",
    "broad_class",
    "farmland_occupation",
    "features_in_extent",
    "layer_quality",
    "normalize_code",
    "overlay_summary",
    "repair",
]
