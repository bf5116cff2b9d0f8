"""Clip patches by an overlay layer, vectorised, and keep area single-counted.

One STRtree bulk query yields all (patch, overlay) candidate pairs of a chunk
and a single vectorised ``shapely.intersection`` cuts all pieces; Python loops
run only per patch for unions, and per piece only where overlaps must be
resolved. Overlay features are validated lazily — only those a patch's
envelope touches — because a district layer holds far more polygons than the
patches ever meet, and checking them all would dominate the run time. For the
same reason a layer may come as a :class:`FeatureSource` (a GeoPackage table,
:mod:`.gpkg_features`): its spatial index finds the candidates and only those
are parsed, by the worker that needs them.
"""
from __future__ import annotations

import contextlib
import itertools
import threading
from dataclasses import dataclass
from typing import Optional, Protocol, runtime_checkable

import numpy as np
import shapely

from .geometry import Geometries, repair, robust

#: Overlay features with more vertices than this are prepared (indexed) once: a town boundary or an
#: ecological red line of 10^4–10^6 vertices meets hundreds of patches, and a predicate with the patch
#: prepared walks every vertex of the big polygon each time (5,000 patches × 23 town boundaries of
#: 22,000 vertices: 4.7 s, prepared 1.2 s).
BIG_FEATURE_VERTICES = 1000


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
    #: True where the piece is the whole patch (the patch lies inside the overlay feature).
    whole_patch: np.ndarray = None  # type: ignore[assignment]
    #: Every overlay feature whose envelope met one of the patches (sorted, distinct).
    candidates: np.ndarray = None  # type: ignore[assignment]
    #: Position of the reused piece in the :class:`KnownPieces` it came from; −1 where cut here.
    source: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.whole_patch is None:
            self.whole_patch = np.zeros(self.patch.size, dtype=bool)
        if self.candidates is None:
            self.candidates = np.unique(self.overlay)
        if self.source is None:
            self.source = np.full(self.patch.size, -1, dtype=np.intp)

    def groups(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(patch index, start, end) of each patch's consecutive run of pieces."""
        return runs(self.patch)

    def select(self, mask: np.ndarray) -> Pieces:
        """The pieces where ``mask`` is true (order kept)."""
        return Pieces(self.patch[mask], self.overlay[mask], self.geoms[mask], self.whole_patch[mask],
                      self.candidates, self.source[mask])


@runtime_checkable
class FeatureSource(Protocol):
    """An overlay layer whose features are read only where patches ask (see :mod:`.gpkg_features`).

    Positions 0…size−1 are the layer's features in input order; ``absent``
    marks those with no geometry (missing or empty).
    """

    absent: np.ndarray

    @property
    def size(self) -> int: ...

    def pairs(self, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row of ``boxes``, position) of features whose boxes may meet each (n, 4) box: a superset."""

    def load(self, positions: np.ndarray) -> np.ndarray:
        """Geometries at ``positions`` (None where missing or unreadable)."""

    def count_in(self, box: Optional[tuple[float, float, float, float]]) -> int:
        """As :meth:`OverlayIndex.count_in` over every feature."""


class OverlayIndex:
    """Spatial index over one overlay layer, repairing features on first use.

    Safe to share between worker threads: queries are read-only and the lazy
    repair runs under a lock.
    """

    def __init__(self, geoms: Geometries | FeatureSource) -> None:
        """``geoms``: every feature's geometry, or a source read only where patches ask (in a worker
        process, each worker reads what its chunks need; ``geoms`` then holds None until read)."""
        self.source = geoms if isinstance(geoms, FeatureSource) else None
        if self.source is not None:
            self.geoms = np.full(self.source.size, None, dtype=object)
            self.tree: Optional[shapely.STRtree] = None
            #: True for features of the source read already (in this process), and their envelopes
            self._loaded = np.zeros(self.geoms.size, dtype=bool)
            self._bounds = np.empty((0, 4))  # (n, 4) once something is read: only read rows are ever looked at
        else:
            self.geoms = np.array(geoms, dtype=object).reshape(-1)
            self.tree = shapely.STRtree(self.geoms)
        self._checked = np.zeros(self.geoms.size, dtype=bool)
        #: True for features that were invalid (or not polygonal) and got repaired.
        self.repaired = np.zeros(self.geoms.size, dtype=bool)
        #: True for features with no area to give: no geometry, an empty one, or nothing left after repair
        #: (the last known only for features checked, i.e. whose envelope met a patch).
        self.dropped = self.source.absent.copy() if self.source is not None else \
            shapely.is_missing(self.geoms) | shapely.is_empty(self.geoms)
        self._lock = threading.Lock()
        self._twin: Optional[np.ndarray] = None

    def count_in(self, box: Optional[tuple[float, float, float, float]]) -> int:
        """Features whose bounding box meets ``box`` (edges touching count; missing and empty ones never).

        The same count as :func:`~.quality.features_in_extent`, from the index
        already built instead of every feature's bounds again.
        """
        if box is None:
            return 0
        if self.source is not None:
            return self.source.count_in(box)
        assert self.tree is not None
        return int(self.tree.query(shapely.box(*box)).size)

    def _candidates(self, patches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(patch, feature) pairs whose envelopes meet: the tree's query, or the source's pairs, read and checked."""
        if self.source is None:
            assert self.tree is not None
            patch_i, overlay_i = self.tree.query(patches)
            return patch_i, overlay_i
        with np.errstate(invalid="ignore"):
            boxes = np.asarray(shapely.bounds(patches), dtype=float).reshape(-1, 4)
            patch_i, overlay_i = self.source.pairs(boxes)
            self._load(np.unique(overlay_i))
            # the source's boxes may be larger (R-tree boxes are rounded outward): the real envelopes decide,
            # so these are the pairs a tree over every feature gives (none for missing or empty ones)
            p, o = boxes[patch_i], self._bounds[overlay_i]
            meet = (o[:, 0] <= p[:, 2]) & (o[:, 2] >= p[:, 0]) & (o[:, 1] <= p[:, 3]) & (o[:, 3] >= p[:, 1])
        return patch_i[meet], overlay_i[meet]

    def _load(self, index: np.ndarray) -> None:
        """Read the source's features at ``index`` not read yet in this process."""
        assert self.source is not None
        todo = index[~self._loaded[index]]
        if todo.size == 0:
            return
        geoms = self.source.load(todo)
        with np.errstate(invalid="ignore"):
            bounds = np.asarray(shapely.bounds(geoms), dtype=float).reshape(-1, 4)  # NaN: missing or empty
        with self._lock:
            if self._bounds.shape[0] != self.geoms.size:
                self._bounds = np.empty((self.geoms.size, 4))
            new = ~self._loaded[todo]
            todo, geoms = todo[new], geoms[new]
            self.geoms[todo] = geoms
            self._bounds[todo] = bounds[new]
            self.dropped[todo] |= shapely.is_missing(geoms) | shapely.is_empty(geoms)
            self._loaded[todo] = True

    def _ensure_valid(self, index: np.ndarray) -> None:
        todo = index[~self._checked[index]]
        if todo.size == 0:
            return
        # the validity check runs outside the lock so worker threads check in parallel; a
        # feature two threads both checked is stored once, by whichever takes the lock first
        fixed, changed = repair(self.geoms[todo])
        with self._lock:
            new = ~self._checked[todo]
            todo, fixed, changed = todo[new], fixed[new], changed[new]
            # under the lock: a valid feature is the same object in every thread, prepared once
            shapely.prepare(fixed[shapely.get_num_coordinates(fixed) > BIG_FEATURE_VERTICES])
            self.geoms[todo], self.repaired[todo] = fixed, changed
            self.dropped[todo] |= changed & shapely.is_empty(fixed)
            self._checked[todo] = True

    def clip(self, patches: np.ndarray, offset: int = 0, known: Optional[KnownPieces] = None) -> Pieces:
        """Pieces of ``patches`` (from :func:`prepared_patches`) cut by every feature they meet.

        Patch indices in the result are ``offset`` + position in ``patches``.
        ``known``: pieces of the same patches cut by another layer, reused for
        this layer's features that are exact copies of that layer's features
        (see :func:`twins`) instead of cutting them again.
        """
        patch_i, overlay_i = self._candidates(patches)
        candidates = np.unique(overlay_i)
        reused = None
        if known is not None:
            twin = self._twins_in(overlay_i, known)
            has = twin >= 0
            reused = known.lookup(patch_i[has], overlay_i[has], twin[has], offset)
            self.repaired[overlay_i[has]] = known.repaired[twin[has]]
            self._checked[overlay_i[has]] = True
            patch_i, overlay_i = patch_i[~has], overlay_i[~has]
        self._ensure_valid(candidates if known is None else np.unique(overlay_i))
        hit = intersecting(patches[patch_i], self.geoms[overlay_i], self._lock)
        patch_i, overlay_i = patch_i[hit], overlay_i[hit]
        mine, theirs = patches[patch_i], self.geoms[overlay_i]
        whole_patch, whole_overlay = contained(mine, theirs, self._lock)
        geoms = np.empty(patch_i.size, dtype=object)
        geoms[whole_patch] = mine[whole_patch]
        geoms[whole_overlay] = theirs[whole_overlay]
        cut = ~(whole_patch | whole_overlay)
        geoms[cut] = robust(shapely.intersection, mine[cut], theirs[cut])
        source = np.full(patch_i.size, -1, dtype=np.intp)
        if reused is not None:
            patch_i = np.concatenate([patch_i, reused.patch])
            overlay_i = np.concatenate([overlay_i, reused.overlay])
            geoms = np.concatenate([geoms, reused.geoms])
            whole_patch = np.concatenate([whole_patch, reused.whole_patch])
            source = np.concatenate([source, reused.source])
        order = np.lexsort((overlay_i, patch_i))
        return Pieces(patch_i[order] + offset, overlay_i[order], geoms[order], whole_patch[order], candidates,
                      source[order])

    def _twins_in(self, index: np.ndarray, known: KnownPieces) -> np.ndarray:
        """Layer-A twin of each of these features (−1: none), found once per feature and cached.

        An exact copy has the same envelope, so it is among the layer-A
        candidates of the same patches.
        """
        if self._twin is None:
            self._twin = np.full(self.geoms.size, -2, dtype=np.intp)  # −2: not looked for yet
        todo = np.unique(index[self._twin[index] == -2])
        if todo.size:
            candidates = known.candidates
            found = twins(self.geoms[todo], known.geoms[candidates])
            self._twin[todo] = -1
            self._twin[todo[found >= 0]] = candidates[found[found >= 0]]
        return self._twin[index]


@dataclass
class KnownPieces:
    """Pieces already cut from a chunk's patches by layer A, for reuse by layer B.

    ``pieces`` must be as cut (before overlap resolution changed any), with
    their ``candidates``; ``geoms`` and ``repaired`` are layer A's features and
    repair mask.
    """

    pieces: Pieces
    geoms: np.ndarray
    repaired: np.ndarray

    @property
    def candidates(self) -> np.ndarray:
        return self.pieces.candidates

    @property
    def size(self) -> int:
        return self.geoms.size

    def lookup(self, patch: np.ndarray, overlay: np.ndarray, twin: np.ndarray, offset: int) -> Pieces:
        """The pieces of (patch, twin) pairs that met, labelled with this layer's ``overlay``.

        A pair whose twin piece does not exist did not meet: identical features meet the same patches.
        """
        keys = self.pieces.patch.astype(np.int64) * self.size + self.pieces.overlay
        wanted = (patch.astype(np.int64) + offset) * self.size + twin
        pos = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
        found = keys[pos] == wanted if keys.size else np.zeros(wanted.size, dtype=bool)
        pos = pos[found]
        return Pieces(patch[found], overlay[found], self.pieces.geoms[pos], self.pieces.whole_patch[pos],
                      source=pos)


def twins(geoms: Geometries, of: Geometries) -> np.ndarray:
    """Per geometry in ``geoms``, the index of an exact copy in ``of`` (same vertices in the same order), or −1.

    Permanent basic farmland is usually drawn from the 三调 land-use polygons
    themselves: such a copy meets each patch in exactly the piece its original
    does, so that piece is cut once. Candidates are matched by envelope, then
    confirmed with ``equals_exact`` at tolerance 0.
    """
    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    of = np.asarray(of, dtype=object).reshape(-1)
    result = np.full(geoms.size, -1, dtype=np.intp)
    if geoms.size == 0 or of.size == 0:
        return result

    def envelope_keys(values: np.ndarray) -> list:
        return np.ascontiguousarray(shapely.bounds(values)).view(np.dtype((np.void, 32))).reshape(-1).tolist()

    by_envelope = dict(zip(envelope_keys(of), range(of.size)))  # any exact copy serves
    candidate = np.fromiter(map(by_envelope.get, envelope_keys(geoms), itertools.repeat(-1)), dtype=np.intp,
                            count=geoms.size)
    ok = np.flatnonzero(candidate >= 0)
    present = ~shapely.is_missing(geoms[ok]) & ~shapely.is_missing(of[candidate[ok]])
    ok = ok[present]
    same = shapely.equals_exact(geoms[ok], of[candidate[ok]], tolerance=0.0)
    result[ok[same]] = candidate[ok[same]]
    return result


def intersecting(patches: np.ndarray, overlays: np.ndarray, lock: Optional[threading.Lock] = None) -> np.ndarray:
    """``shapely.intersects`` pair by pair, on whichever side is prepared: the patch, or a big overlay feature.

    A prepared feature builds its indexes on first use, which two worker threads must not do at
    once (GEOS crashes; shapely releases the GIL): the big features' tests run under ``lock``.
    """
    big = shapely.is_prepared(overlays)
    if not big.any():
        return shapely.intersects(patches, overlays)
    hit = np.empty(patches.size, dtype=bool)
    hit[~big] = shapely.intersects(patches[~big], overlays[~big])
    with lock or contextlib.nullcontext():
        hit[big] = shapely.intersects(overlays[big], patches[big])
    return hit


def contained(patches: np.ndarray, overlays: np.ndarray,
              lock: Optional[threading.Lock] = None) -> tuple[np.ndarray, np.ndarray]:
    """Masks of intersecting (prepared patch, overlay) pairs whose intersection needs no overlay.

    ``whole_patch``: a single-polygon patch that meets no point of the overlay's
    boundary lies in its interior (a connected set cannot cross a boundary it
    does not meet), so the piece is the patch itself. ``whole_overlay``: the
    overlay lies in the patch's interior (``contains_properly`` on the
    prepared patch), so the piece is the overlay feature. (A big overlay feature, prepared, answers
    the first question itself: ``contains_properly``.) Either way the piece
    has exactly the vertices GEOS's intersection would return, at a fraction
    of an overlay's cost; envelopes pick the few pairs worth testing.
    """
    whole_patch = np.zeros(patches.size, dtype=bool)
    whole_overlay = np.zeros(patches.size, dtype=bool)
    if patches.size == 0:
        return whole_patch, whole_overlay
    p, o = shapely.bounds(patches), shapely.bounds(overlays)
    patch_in_box = (p[:, 0] >= o[:, 0]) & (p[:, 1] >= o[:, 1]) & (p[:, 2] <= o[:, 2]) & (p[:, 3] <= o[:, 3])
    patch_in_box &= shapely.get_type_id(patches) == 3  # Polygon: connected
    big = shapely.is_prepared(overlays)
    k = np.flatnonzero(patch_in_box & ~big)
    if k.size:
        whole_patch[k] = ~shapely.intersects(patches[k], shapely.boundary(overlays[k]))
    k = np.flatnonzero(patch_in_box & big)  # the same question without copying a big feature's boundary
    if k.size:
        with lock or contextlib.nullcontext():  # see :func:`intersecting`
            whole_patch[k] = shapely.contains_properly(overlays[k], patches[k])
    overlay_in_box = (o[:, 0] >= p[:, 0]) & (o[:, 1] >= p[:, 1]) & (o[:, 2] <= p[:, 2]) & (o[:, 3] <= p[:, 3])
    k = np.flatnonzero(overlay_in_box & ~whole_patch)
    if k.size:
        whole_overlay[k] = shapely.contains_properly(patches[k], overlays[k])
    return whole_patch, whole_overlay


def prepared_patches(patches: Geometries) -> tuple[np.ndarray, np.ndarray]:
    """:func:`repair` the patches and prepare them for fast predicates.

    Called once on the calling thread, before any worker touches the patches,
    so no two threads ever prepare the same geometry.
    """
    geoms, repaired = repair(patches)
    shapely.prepare(geoms)
    return geoms, repaired
