"""Clip patches by an overlay layer, vectorised, and keep area single-counted.

One STRtree bulk query yields all (patch, overlay) candidate pairs of a chunk
and a single vectorised ``shapely.intersection`` cuts all pieces; Python loops
run only per patch for unions, and per piece only where overlaps must be
resolved. Overlay features are validated lazily — only those a patch's
envelope touches — because a district layer holds far more polygons than the
patches ever meet, and checking them all would dominate the run time.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely

from .geometry import Geometries, repair, robust, robust_union_all

#: Overlap below this (m², plus 1e-9 of the pieces' total) is floating-point noise.
OVERLAP_TOLERANCE = 1e-6


def runs(patch: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, start, end) of each run of equal values in a sorted index array."""
    if patch.size == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, empty
    starts = np.flatnonzero(np.r_[True, patch[1:] != patch[:-1]])
    return patch[starts], starts, np.r_[starts[1:], patch.size]


ChunkRows = tuple[np.ndarray, np.ndarray, np.ndarray]


def gather(found: list[ChunkRows]) -> ChunkRows:
    """Concatenate per-chunk (patch index, overlay index, area) rows, in chunk order."""
    return (np.concatenate([np.zeros(0, dtype=np.intp)] + [f[0] for f in found]),
            np.concatenate([np.zeros(0, dtype=np.intp)] + [f[1] for f in found]),
            np.concatenate([np.zeros(0)] + [f[2] for f in found]))


@dataclass
class Pieces:
    """Intersections patch ∩ overlay feature, sorted by (patch, overlay index)."""

    patch: np.ndarray
    overlay: np.ndarray
    geoms: np.ndarray

    def groups(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(patch index, start, end) of each patch's consecutive run of pieces."""
        return runs(self.patch)

    def select(self, mask: np.ndarray) -> Pieces:
        """The pieces where ``mask`` is true (order kept)."""
        return Pieces(self.patch[mask], self.overlay[mask], self.geoms[mask])


class OverlayIndex:
    """Spatial index over one overlay layer, repairing features on first use.

    Safe to share between worker threads: queries are read-only and the lazy
    repair runs under a lock.
    """

    def __init__(self, geoms: Geometries) -> None:
        self.geoms = np.array(geoms, dtype=object).reshape(-1)
        self.tree = shapely.STRtree(self.geoms)
        self._checked = np.zeros(self.geoms.size, dtype=bool)
        #: True for features that were invalid (or not polygonal) and got repaired.
        self.repaired = np.zeros(self.geoms.size, dtype=bool)
        self._lock = threading.Lock()

    def _ensure_valid(self, index: np.ndarray) -> None:
        with self._lock:
            todo = index[~self._checked[index]]
            if todo.size:
                self.geoms[todo], self.repaired[todo] = repair(self.geoms[todo])
                self._checked[todo] = True

    def clip(self, patches: np.ndarray, offset: int = 0) -> Pieces:
        """Pieces of ``patches`` (from :func:`prepared_patches`) cut by every feature they meet.

        Patch indices in the result are ``offset`` + position in ``patches``.
        """
        patch_i, overlay_i = self.tree.query(patches)
        self._ensure_valid(np.unique(overlay_i))
        hit = shapely.intersects(patches[patch_i], self.geoms[overlay_i])
        patch_i, overlay_i = patch_i[hit], overlay_i[hit]
        order = np.lexsort((overlay_i, patch_i))
        patch_i, overlay_i = patch_i[order], overlay_i[order]
        geoms = robust(shapely.intersection, patches[patch_i], self.geoms[overlay_i])
        return Pieces(patch_i + offset, overlay_i, geoms)


def prepared_patches(patches: Geometries) -> tuple[np.ndarray, np.ndarray]:
    """:func:`repair` the patches and prepare them for fast predicates.

    Called once on the calling thread, before any worker touches the patches,
    so no two threads ever prepare the same geometry.
    """
    geoms, repaired = repair(patches)
    shapely.prepare(geoms)
    return geoms, repaired


def union_per_patch(pieces: Pieces) -> tuple[np.ndarray, np.ndarray]:
    """(patch index, union of that patch's pieces) for every patch with pieces."""
    patch, starts, ends = pieces.groups()
    unions = pieces.geoms[starts].copy()
    for k in np.flatnonzero(ends - starts > 1):
        unions[k] = robust_union_all(pieces.geoms[starts[k]:ends[k]])
    return patch, unions


def resolve_overlaps(pieces: Pieces, planar_areas: np.ndarray,
                     patch_planar_areas: np.ndarray | None = None, offset: int = 0) -> np.ndarray:
    """Remove double-counted area; return the mask of pieces that changed.

    Where a patch's pieces overlap (Σ areas exceeds the area of their union),
    a piece keeps only what no earlier overlay feature (lower input index)
    already took: first in input order wins. Pieces are modified in place.

    Shortcut for coverages such as 三调 DLTB, which tile the district without
    gaps: when a patch's pieces add up to exactly its own area (given in
    ``patch_planar_areas``, indexed by patch − ``offset``), any overlap would
    have to be matched by a gap of the very same area, so the costly union is
    skipped. Patches with gaps or surplus area still get the exact check.
    """
    _, starts, ends = pieces.groups()
    changed = np.zeros(pieces.geoms.size, dtype=bool)
    multi = np.flatnonzero(ends - starts > 1)
    if multi.size == 0:
        return changed
    totals = np.add.reduceat(planar_areas, starts)
    if patch_planar_areas is not None:
        patch_of_group = pieces.patch[starts[multi]] - offset
        tight = np.abs(totals[multi] - patch_planar_areas[patch_of_group]) <= \
            OVERLAP_TOLERANCE + 1e-9 * totals[multi]
        multi = multi[~tight]
        if multi.size == 0:
            return changed
    unions = np.array([robust_union_all(pieces.geoms[starts[k]:ends[k]]) for k in multi], dtype=object)
    excess = totals[multi] - shapely.area(unions)
    for k in multi[excess > OVERLAP_TOLERANCE + 1e-9 * totals[multi]]:
        taken = pieces.geoms[starts[k]]
        for i in range(starts[k] + 1, ends[k]):
            piece = pieces.geoms[i]
            pieces.geoms[i] = robust(shapely.difference, piece, taken)
            taken = robust(shapely.union, taken, piece)
            changed[i] = True
    return changed
