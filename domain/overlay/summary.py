"""Generic overlay summary per patch: how much of it an overlay layer covers.

Used for approvals, supply, cadastre, temporary land… Each overlay feature
carries one label (``keys``, e.g. its 批准文号); the adapter builds that label
from whatever attributes it wants and can attach every attribute to the detail
rows through their ``overlay`` index.

Covered area is the area of patch ∩ union(overlay features), so overlapping
features (two approvals over the same ground) are never counted twice, while
each detail row still shows that feature's own area in the patch. Labels are
joined with ``separator`` (default '；', the full-width semicolon, which does
not clash with commas in CSV or inside document numbers) in overlay input
order, each distinct non-empty label once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..geodesy import CrsLike
from ..progress import CancelCheck, ProgressCallback, run_chunks
from .clip import ChunkRows, OverlayIndex, gather, prepared_patches, runs
from .geometry import ELLIPSOIDAL, Geometries, area_function, patch_ids
from .overlaps import union_per_patch

SEPARATOR = "；"


@dataclass(frozen=True)
class OverlayDetail:
    """One row per patch × overlay feature meeting it with more than ``min_area``."""

    patch: np.ndarray
    patch_id: np.ndarray
    overlay: np.ndarray
    key: np.ndarray
    area: np.ndarray
    share: np.ndarray


@dataclass(frozen=True)
class OverlaySummary:
    """Per-patch arrays in input order; areas in m², shares 0–1."""

    ids: np.ndarray
    patch_area: np.ndarray
    covered: np.ndarray
    share: np.ndarray
    count: np.ndarray
    keys: np.ndarray
    patch_repaired: np.ndarray
    overlay_repaired: np.ndarray
    details: OverlayDetail
    #: Overlay features with no area (no geometry, or none left after repair): they cover nothing.
    overlay_dropped: Optional[np.ndarray] = None


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), 0.0)


def overlay_summary(
    patches: Geometries,
    overlays: Geometries,
    keys: Optional[Sequence[Any]] = None,
    *,
    ids: Optional[Sequence[Any]] = None,
    area_method: str = ELLIPSOIDAL,
    crs: Optional[CrsLike] = None,
    separator: str = SEPARATOR,
    min_area: float = 1e-6,
    chunk_size: int = 1000,
    progress: Optional[ProgressCallback] = None,
    is_canceled: Optional[CancelCheck] = None,
    workers: int = 1,
) -> OverlaySummary:
    """Covered area, share, feature count and joined labels per patch.

    Geometries share one projected CRS (x = easting); ``crs`` is needed for
    the official 'ellipsoidal' method. Contacts of ≤ ``min_area`` m² (shared
    edges, float slivers) do not count. ``workers`` threads process chunks in
    parallel. Raises :class:`~.progress.Canceled` when ``is_canceled()`` turns true.
    """
    area = area_function(area_method, crs)
    patch_geoms, patch_repaired = prepared_patches(patches)
    n = patch_geoms.size
    ids_arr = patch_ids(ids, n)
    index = OverlayIndex(overlays)
    labels = np.array(["" if k is None else str(k) for k in
                       (keys if keys is not None else [""] * index.geoms.size)], dtype=object)
    if labels.size != index.geoms.size:
        raise ValueError(f"{labels.size} keys for {index.geoms.size} overlay features")

    patch_area, covered = np.zeros(n), np.zeros(n)

    def work(part: slice) -> ChunkRows:
        # each chunk writes only its own patches' slots, so threads never collide
        patch_area[part] = area(patch_geoms[part])
        pieces = index.clip(patch_geoms[part], part.start)
        piece_area = area(pieces.geoms)
        keep = piece_area > min_area
        patch, unions = union_per_patch(pieces.select(keep))
        covered[patch] = area(unions)
        return pieces.patch[keep], pieces.overlay[keep], piece_area[keep]

    found = run_chunks(n, chunk_size, work, progress, is_canceled, workers)
    patch, overlay, piece_area = gather(found)
    joined = np.full(n, "", dtype=object)
    for owner, start, end in zip(*runs(patch)):
        joined[owner] = separator.join(dict.fromkeys(k for k in labels[overlay[start:end]] if k))
    return OverlaySummary(
        ids=ids_arr, patch_area=patch_area, covered=covered, share=_ratio(covered, patch_area),
        count=np.bincount(patch, minlength=n), keys=joined,
        patch_repaired=patch_repaired, overlay_repaired=index.repaired,
        details=OverlayDetail(patch=patch, patch_id=ids_arr[patch], overlay=overlay,
                              key=labels[overlay], area=piece_area,
                              share=_ratio(piece_area, patch_area[patch])),
        overlay_dropped=index.dropped)
