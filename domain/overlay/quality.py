"""What an overlay layer did to the figures, told to the user instead of hidden in them (issue 14).

An overlay can go silently wrong in three ways: invalid polygons (repaired
with ``make_valid``; a polygon with no area left after repair, or with no
geometry at all, counts nowhere), land-use polygons without a class code
(their area lands in no class), and a layer that is empty or lies wholly
outside the patches (every coverage by it reads 0, which is not the same as
"compared and found nothing"). :class:`LayerQuality` counts each and words
the warnings; the adapters print them and pre-judgement treats an empty
layer as not compared.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import shapely

from ..messages import QT_TRANSLATE_NOOP, Message

#: Dropped feature ids named in a warning (the rest are counted).
LISTED_IDS = 20


def patches_box(patches: Any) -> Optional[tuple[float, float, float, float]]:
    """(xmin, ymin, xmax, ymax) of all the patches, None when there is none (or no bounds)."""
    patches = np.asarray(patches, dtype=object).reshape(-1)
    if patches.size == 0:
        return None
    with np.errstate(invalid="ignore"):
        p = shapely.bounds(patches)
        if np.isnan(p).all():
            return None
        box = (float(np.nanmin(p[:, 0])), float(np.nanmin(p[:, 1])), float(np.nanmax(p[:, 2])),
               float(np.nanmax(p[:, 3])))
    return None if any(np.isnan(v) for v in box) else box


def features_in_extent(patches: Any, overlays: Any) -> int:
    """Overlay features whose bounding box meets the bounding box of all the patches (missing ones never)."""
    overlays = np.asarray(overlays, dtype=object).reshape(-1)
    box = patches_box(patches)
    if overlays.size == 0 or box is None:
        return 0
    with np.errstate(invalid="ignore"):
        o = shapely.bounds(overlays)
        meets = (o[:, 0] <= box[2]) & (o[:, 2] >= box[0]) & (o[:, 1] <= box[3]) & (o[:, 3] >= box[1])
    return int(np.count_nonzero(meets))


@dataclass(frozen=True)
class LayerQuality:
    """Counts for one overlay layer; ``dropped`` are feature ids (the file's FIDs, else 1-based numbers)."""

    layer: str
    features: int
    in_extent: int
    repaired: int
    dropped: tuple = ()
    no_code_features: int = 0
    no_code_area: float = 0.0
    patch_area: float = 0.0

    @property
    def empty(self) -> bool:
        """True when the layer cannot have covered any patch: no feature, or none near the patches."""
        return self.features == 0 or self.in_extent == 0

    def warnings(self) -> list[Message]:
        """The user-facing warnings, most serious first (none for a clean layer)."""
        found = []
        if self.features == 0:
            found.append(Message(QT_TRANSLATE_NOOP(
                "domain", "Layer {layer} has no features: every coverage by it is 0 because of that, "
                          "not because the patches are uncovered."), layer=self.layer))
        elif self.in_extent == 0:
            found.append(Message(QT_TRANSLATE_NOOP(
                "domain", "Layer {layer} has {count} features but none inside the patches' extent (another "
                          "area or CRS?): every coverage by it is 0 because of that."),
                layer=self.layer, count=self.features))
        if self.repaired:
            found.append(Message(QT_TRANSLATE_NOOP(
                "domain", "Layer {layer}: {count} invalid polygons were repaired (make_valid) and used."),
                layer=self.layer, count=self.repaired))
        if self.dropped:
            ids = ", ".join(str(i) for i in self.dropped[:LISTED_IDS]) + (" …" if len(self.dropped) > LISTED_IDS
                                                                          else "")
            found.append(Message(QT_TRANSLATE_NOOP(
                "domain", "Layer {layer}: {count} features have no area (no geometry, or none left after repair) "
                          "and count nowhere: feature ids {ids}."),
                layer=self.layer, count=len(self.dropped), ids=ids))
        if self.no_code_features:
            share = 100.0 * self.no_code_area / self.patch_area if self.patch_area > 0 else 0.0
            found.append(Message(QT_TRANSLATE_NOOP(
                "domain", "{count} land-use features without a class code cover {area:.2f} m² ({share:.2f} % of "
                          "the patches' area); that area is in no land class."),
                count=self.no_code_features, area=self.no_code_area, share=share))
        return found


def layer_quality(layer: str, patches: Any, overlays: Any, repaired: Optional[np.ndarray],
                  dropped: Optional[np.ndarray], fids: Optional[Sequence[int] | np.ndarray] = None, *,
                  no_code_features: int = 0, no_code_area: float = 0.0, patch_area: float = 0.0,
                  in_extent: Optional[int] = None) -> LayerQuality:
    """:class:`LayerQuality` from an overlay run's masks (``repaired``/``dropped`` per overlay feature).

    ``in_extent`` may be counted beforehand (:func:`features_in_extent`) when
    the geometries are handed to the engine.
    """
    overlays = np.asarray(overlays, dtype=object).reshape(-1) if overlays is not None else None
    size = overlays.size if overlays is not None else (0 if repaired is None else repaired.size)
    if in_extent is None:
        in_extent = features_in_extent(patches, overlays) if overlays is not None else size
    dropped_ids: tuple = ()
    if dropped is not None and dropped.any():
        positions = np.flatnonzero(dropped)
        dropped_ids = tuple(int(fids[k]) for k in positions) if fids is not None else tuple(int(k) + 1
                                                                                          for k in positions)
    return LayerQuality(layer, int(size), int(in_extent),
                        0 if repaired is None else int(np.count_nonzero(repaired & ~(dropped if dropped is not None
                                                                                     else False))),
                        dropped_ids, int(no_code_features), float(no_code_area), float(patch_area))
