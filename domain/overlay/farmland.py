"""Farmland occupation per patch (耕地占用): gross, net, by class, basic farmland.

Areas are recomputed from geometry, never read from attributes (domain.md §3:
DLTB TBMJ often disagrees with the shape). Net area of a land-use piece is
piece area × (1 − KCXS). All areas are m² in the chosen method; conversion to
亩 is the caller's business.

Two bases for basic farmland (domain.md §9): ``jbntmj`` is the gross 永农
coverage of the patch; ``jbntgdmj`` is the farmland figure's own part inside
永农 (net 耕地 ∩ 永农, so never above ``gdmj``), the one "其中永久基本农田" means.
The patch also splits for the 地块面积 identity (domain.md §2): ``gdmj`` +
``fgnydmj`` + ``jsydmj`` + ``wlydmj`` = the area land use covers, less
``unclassified`` (classes §3 does not name, reported by the caller).

Never double-counted: where land-use polygons overlap inside a patch, the
overlap goes to the polygon that comes FIRST in input order (lower index);
basic farmland is measured as patch ∩ union(basic-farmland polygons).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import shapely

from ..geodesy import CrsLike
from ..messages import QT_TRANSLATE_NOOP, WpzfError
from ..progress import CancelCheck, ProgressCallback
from .clip import (
    ChunkRows,
    FeatureSource,
    KnownPieces,
    OverlayIndex,
    Pieces,
    prepared_patches,
)
from .geometry import ELLIPSOIDAL, PLANAR, AreaFunction, Geometries, area_function, patch_ids, robust
from .landclass import (
    AREA_CLASSES,
    DRY,
    FARMLAND_CODES,
    FGNYDMJ,
    IRRIGATED,
    PADDY,
    area_class,
    broad_class,
    normalize_code,
)
from .overlaps import OVERLAP_TOLERANCE, resolve_overlaps, union_cover
from .parallel import run_chunks_parallel
from .quality import patches_box


@dataclass(frozen=True)
class ClassBreakdown:
    """One row per patch × land class present, sorted by patch then code.

    Per patch, Σ gross = TBMJ − uncovered (area no land-use polygon covers,
    0 unless the land use leaves a gap, see :func:`uncovered_area`). Planar:
    exact to float noise. Ellipsoidal: to a few 0.01 m², because the
    official formula runs on each piece's own vertices, and patch
    edges split at crossing points change the sum by ~(edge length)³ (0.008 m²
    for a 100 m edge) — far below the 0.01 亩 reporting step.
    """

    patch: np.ndarray
    patch_id: np.ndarray
    dlbm: np.ndarray
    broad_class: np.ndarray
    gross: np.ndarray
    net: np.ndarray


@dataclass(frozen=True)
class FarmlandOccupation:
    """Per-patch arrays in input order (m²; ``zgbl`` is a 0–1 ratio).

    ``jbntgdmj``: net farmland inside basic farmland (≤ ``gdmj``);
    ``fgnydmj``/``jsydmj``/``wlydmj``: net 非耕农用地 (with every 田坎
    deduction), 建设用地, 未利用地; ``unclassified``: gross area of classes in
    none of the three broad classes (in no field above).
    """

    ids: np.ndarray
    tbmj: np.ndarray
    gdtbmj: np.ndarray
    gdmj: np.ndarray
    sdmj: np.ndarray
    sjdmj: np.ndarray
    hdmj: np.ndarray
    jbntmj: np.ndarray
    jbntgdmj: np.ndarray
    fgnydmj: np.ndarray
    jsydmj: np.ndarray
    wlydmj: np.ndarray
    unclassified: np.ndarray
    zgbl: np.ndarray
    uncovered: np.ndarray
    patch_repaired: np.ndarray
    landuse_repaired: np.ndarray
    basic_farmland_repaired: Optional[np.ndarray]
    breakdown: ClassBreakdown
    #: Land-use / basic-farmland features with no area (no geometry, or none left after repair).
    landuse_dropped: Optional[np.ndarray] = None
    basic_farmland_dropped: Optional[np.ndarray] = None
    #: Indices of the land-use features without a class code (empty DLBM) that gave a patch area.
    no_code_landuse: Optional[np.ndarray] = None
    #: Land-use / basic-farmland features whose bounding box meets that of all the patches
    #: (:func:`~.quality.features_in_extent`, counted with the layers' spatial indexes).
    landuse_in_extent: Optional[int] = None
    basic_farmland_in_extent: Optional[int] = None


class LandUseInputError(WpzfError, ValueError):
    """A land-use attribute the statistics cannot use; names the polygon and value."""


def _coefficients(kcxs: Iterable[Any], size: int) -> np.ndarray:
    """KCXS as floats with missing → 0; out-of-range or non-numeric values are refused, not guessed."""
    values = kcxs if isinstance(kcxs, np.ndarray) else list(kcxs)
    if len(values) != size:
        raise ValueError(f"{len(values)} KCXS values for {size} land-use polygons")
    try:  # one numpy conversion when every value is a number or None (None → NaN → 0)
        kc = np.array(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        kc = _coefficients_one_by_one(values, size)
    kc = np.nan_to_num(kc, nan=0.0)
    bad = np.flatnonzero((kc < 0) | (kc > 1))
    if bad.size:
        raise LandUseInputError(
            QT_TRANSLATE_NOOP("domain", "Land-use feature {number}: deduction coefficient {value} is outside 0–1."),
            number=int(bad[0]) + 1, value=float(kc[bad[0]]))
    return kc


def _coefficients_one_by_one(values: Iterable[Any], size: int) -> np.ndarray:
    """Slow path naming the first value that is not a number (empty text counts as missing)."""
    kc = np.zeros(size)
    for i, value in enumerate(values):
        if value is None or value == "":
            continue
        try:
            kc[i] = float(value)
        except (TypeError, ValueError):
            raise LandUseInputError(
                QT_TRANSLATE_NOOP("domain", "Land-use feature {number}: deduction coefficient {value!r} is not a number."),
                number=i + 1, value=value) from None
    return kc


def _class_codes(dlbm: Iterable[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct normalised codes, code index per polygon).

    A district holds a few dozen distinct DLBM values among 10^5–10^6 polygons,
    so each distinct raw value is normalised once.
    """
    values = dlbm if isinstance(dlbm, (list, tuple)) else list(dlbm)
    if set(map(type, values)) <= {str, type(None)}:  # text column: values are their own keys
        first = {v: k for k, v in enumerate(dict.fromkeys(values))}
        raw_index = np.fromiter(map(first.__getitem__, values), dtype=np.intp, count=len(values))
        distinct = list(first)
    else:  # numbers too: keyed by type as well, so True and 1 or 1 and 1.0 stay apart
        typed: dict[tuple[type, Any], int] = {}
        raw_index = np.fromiter((typed.setdefault((type(v), v), len(typed)) for v in values), dtype=np.intp,
                                count=len(values))
        distinct = [v for _, v in typed]
    normalized = np.array([normalize_code(v) for v in distinct], dtype=str)
    codes, code_of_raw = np.unique(normalized, return_inverse=True)
    return codes, code_of_raw.reshape(-1)[raw_index] if raw_index.size else raw_index


def _piece_areas(pieces: Pieces, area: AreaFunction, method: str, patch_planar: np.ndarray, patch_area: np.ndarray,
                 offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(areas after overlap resolution, mask of pieces the resolution changed, their planar areas).

    Planar areas are reused, not recomputed.

    A piece that is a whole patch (untouched by overlap resolution) takes the
    patch's own area (``patch_area``, indexed by patch − ``offset``): same
    geometry, same formula, same number.
    """
    planar = shapely.area(pieces.geoms)
    changed = resolve_overlaps(pieces, planar, patch_planar, offset)
    planar[changed] = shapely.area(pieces.geoms[changed])
    if method == PLANAR:
        return planar, changed, planar
    whole = pieces.whole_patch & ~changed
    result = np.empty(planar.size)
    result[whole] = patch_area[pieces.patch[whole] - offset]
    result[~whole] = area(pieces.geoms[~whole])
    return result, changed, planar


def uncovered_area(area: np.ndarray, covered: np.ndarray, planar: np.ndarray, covered_planar: np.ndarray) -> np.ndarray:
    """Area of each patch no land-use polygon covers (WFGMJ): ``area`` − ``covered``, where there is a gap.

    Whether the land use leaves a gap is decided on planar areas, which
    add up exactly: there the patch's area exceeds its pieces' by more than
    float noise (the overlap check's tolerance). The official ellipsoidal
    formula runs on each piece's own vertices, so a patch its land use
    covers whole still measures a few 10⁻⁵ m² more than its pieces: that is
    no uncovered land, and was reported as such on a third of the patches.
    """
    gap = planar - covered_planar > OVERLAP_TOLERANCE + 1e-9 * planar
    return np.where(gap, np.maximum(area - covered, 0.0), 0.0)


def _breakdown(ids: np.ndarray, codes: np.ndarray, broad: np.ndarray, patch: np.ndarray,
               cls: np.ndarray, gross: np.ndarray, net: np.ndarray) -> ClassBreakdown:
    key = patch.astype(np.int64) * codes.size + cls
    rows, inverse = np.unique(key, return_inverse=True)
    row_patch, row_cls = rows // codes.size, rows % codes.size
    return ClassBreakdown(
        patch=row_patch, patch_id=ids[row_patch], dlbm=codes[row_cls], broad_class=broad[row_cls],
        gross=np.bincount(inverse, gross, minlength=rows.size),
        net=np.bincount(inverse, net, minlength=rows.size))


@dataclass(frozen=True)
class _Chunk:
    """What one chunk of patches yields (rows of patch × land-use piece, areas, repairs)."""

    start: int
    stop: int
    rows: ChunkRows
    #: Gross area of each row's piece inside basic farmland (farmland pieces only; 0 elsewhere).
    in_basic: np.ndarray
    patch_area: np.ndarray
    #: Area of each patch no land-use piece covers (:func:`uncovered_area`).
    uncovered: np.ndarray
    basic_patch: np.ndarray
    basic_area: np.ndarray
    landuse_repaired: np.ndarray
    basic_repaired: Optional[np.ndarray]
    landuse_dropped: np.ndarray
    basic_dropped: Optional[np.ndarray]
    #: Land-use features without a class code among this chunk's kept pieces.
    no_code: np.ndarray


def farmland_occupation(
    patches: Geometries,
    landuse: Geometries | FeatureSource,
    dlbm: Sequence[Any],
    kcxs: Iterable[Any],
    basic_farmland: Optional[Geometries | FeatureSource] = None,
    *,
    ids: Optional[Sequence[Any]] = None,
    farmland_codes: Iterable[str] = FARMLAND_CODES,
    area_method: str = ELLIPSOIDAL,
    crs: Optional[CrsLike] = None,
    min_area: float = 1e-6,
    chunk_size: int = 1000,
    progress: Optional[ProgressCallback] = None,
    is_canceled: Optional[CancelCheck] = None,
    workers: int = 1,
    on_chunk: Optional[Callable[[int, FarmlandOccupation], None]] = None,
) -> FarmlandOccupation:
    """Measure how much of each patch is farmland, net of 田坎, and basic farmland.

    ``landuse``/``basic_farmland`` may be sources the workers read only near
    their patches (:class:`~.clip.FeatureSource`), so the calling process
    never parses a whole district.
    All geometries share one projected CRS (x = easting); ``crs`` is needed for
    the official 'ellipsoidal' method. ``dlbm``/``kcxs`` align with ``landuse``.
    Pieces of ≤ ``min_area`` m² (touching edges, float slivers) are ignored.
    ``workers`` processes (threads where fork is unavailable) handle chunks in
    parallel (2 on a two-core machine).
    ``on_chunk(start, part)`` receives each chunk's statistics (patches
    ``start`` … ``start + len(part.ids) − 1``, with their breakdown rows) in
    patch order as soon as they are known, so results can be written while
    later chunks are computed.
    Raises :class:`~.progress.Canceled` when ``is_canceled()`` turns true.
    """
    area = area_function(area_method, crs)
    patch_geoms, patch_repaired = prepared_patches(patches)
    n = patch_geoms.size
    ids_arr = patch_ids(ids, n)
    landuse_index = OverlayIndex(landuse)
    codes, cls_of = _class_codes(dlbm)
    if cls_of.size != landuse_index.geoms.size:
        raise ValueError(f"{cls_of.size} DLBM values for {landuse_index.geoms.size} polygons")
    kc = _coefficients(kcxs, cls_of.size)
    basic_index = None if basic_farmland is None else OverlayIndex(basic_farmland)
    box = patches_box(patches)  # of the patches as given, before any repair
    in_extent = [None if index is None else index.count_in(box) for index in (landuse_index, basic_index)]
    del patches, landuse, basic_farmland  # the indexes hold what is needed
    codes = codes.astype(object)
    farm_codes = frozenset(normalize_code(c) for c in farmland_codes)
    farm = np.isin(codes, list(farm_codes))
    broad = np.array([broad_class(c) for c in codes], dtype=object)
    # identity field of each class: 0 GDMJ … 3 WLYDMJ, −1 none
    field_of = np.array([AREA_CLASSES.index(f) if f else -1 for f in (area_class(c, farm_codes) for c in codes)],
                        dtype=np.intp)
    no_code_class = np.flatnonzero(codes == "")  # NULL / blank DLBM: reported, never guessed

    def work(part: slice) -> _Chunk:
        # may run in a forked worker process: everything it finds travels back in the result
        patch_area, patch_planar = area(patch_geoms[part]), shapely.area(patch_geoms[part])
        pieces = landuse_index.clip(patch_geoms[part], part.start)
        as_cut = Pieces(pieces.patch, pieces.overlay, pieces.geoms.copy(), pieces.whole_patch, pieces.candidates)
        piece_area, changed, piece_planar = _piece_areas(pieces, area, area_method, patch_planar, patch_area,
                                                         part.start)
        keep = piece_area > min_area
        local, m = pieces.patch[keep] - part.start, part.stop - part.start
        uncovered = uncovered_area(patch_area, np.bincount(local, piece_area[keep], minlength=m), patch_planar,
                                   np.bincount(local, piece_planar[keep], minlength=m))
        basic_patch, basic_area = np.zeros(0, dtype=np.intp), np.zeros(0)
        in_basic = np.zeros(piece_area.size)
        if basic_index is not None:
            known = KnownPieces(as_cut, landuse_index.geoms, landuse_index.repaired)
            # a land-use piece keeps its as-cut area unless overlap resolution changed its patch
            overlapped = np.zeros(part.stop - part.start, dtype=bool)
            overlapped[pieces.patch[changed] - part.start] = True
            disjoint = ~overlapped[pieces.patch - part.start]
            basic_pieces = basic_index.clip(patch_geoms[part], part.start, known)
            basic_patch, covered, unions = union_cover(basic_pieces, area, piece_area, disjoint)
            basic_area = np.where(covered > min_area, covered, 0.0)
            in_basic = _farmland_in_basic(pieces, piece_area, farm[cls_of[pieces.overlay]] & keep, basic_pieces,
                                          basic_patch, unions, area, part)
        kept = pieces.overlay[keep]
        return _Chunk(part.start, part.stop, (pieces.patch[keep], kept, piece_area[keep]),
                      in_basic[keep], patch_area, uncovered, basic_patch, basic_area, np.flatnonzero(landuse_index.repaired),
                      None if basic_index is None else np.flatnonzero(basic_index.repaired),
                      np.flatnonzero(landuse_index.dropped),
                      None if basic_index is None else np.flatnonzero(basic_index.dropped),
                      np.unique(kept[np.isin(cls_of[kept], no_code_class)]))

    parts: list[FarmlandOccupation] = []
    no_code: set[int] = set()

    def summarize(k: int, chunk: _Chunk) -> None:
        # chunks may come from forked workers: what they found is merged here
        landuse_index.repaired[chunk.landuse_repaired] = True
        landuse_index.dropped[chunk.landuse_dropped] = True
        no_code.update(chunk.no_code.tolist())
        if basic_index is not None:
            basic_index.repaired[chunk.basic_repaired] = True
            basic_index.dropped[chunk.basic_dropped] = True
        part = _summary(chunk, ids_arr, patch_repaired, kc, cls_of, codes, farm, broad, field_of)
        parts.append(part)
        if on_chunk is not None:
            on_chunk(chunk.start, part)

    run_chunks_parallel(n, chunk_size, work, progress, is_canceled, workers, on_result=summarize)
    result = _concatenate(parts, ids_arr, patch_repaired, landuse_index.repaired,
                          None if basic_index is None else basic_index.repaired)
    return dataclasses.replace(result, landuse_dropped=landuse_index.dropped,
                               basic_farmland_dropped=None if basic_index is None else basic_index.dropped,
                               no_code_landuse=np.array(sorted(no_code), dtype=np.intp),
                               landuse_in_extent=in_extent[0], basic_farmland_in_extent=in_extent[1])


def _farmland_in_basic(pieces: Pieces, piece_area: np.ndarray, farmland: np.ndarray, basic: Pieces,
                       basic_patch: np.ndarray, unions: np.ndarray, area: AreaFunction, part: slice) -> np.ndarray:
    """Gross area of each land-use piece inside its patch's basic farmland (only where ``farmland``).

    No second overlay of the district: where a patch's basic farmland is the
    union of land-use pieces reused as they were cut (``unions`` None, see
    :func:`~.overlaps.union_cover`), a piece is inside it whole or not at all,
    and keeps its measured area. Elsewhere each farmland piece is cut by the
    union the basic farmland's own figure measured already.
    """
    inside = np.zeros(piece_area.size)
    if basic_patch.size == 0 or not farmland.any():
        return inside
    cut = np.array([u is not None for u in unions], dtype=bool)
    reused = np.isin(basic.patch, basic_patch[~cut]) & (basic.source >= 0)
    whole = np.zeros(piece_area.size, dtype=bool)
    whole[basic.source[reused]] = True  # source: the reused piece's position among ``pieces`` as cut
    whole &= farmland
    inside[whole] = piece_area[whole]
    has_union = np.zeros(part.stop - part.start, dtype=bool)
    has_union[basic_patch[cut] - part.start] = True
    union_of = np.full(part.stop - part.start, None, dtype=object)
    union_of[basic_patch[cut] - part.start] = unions[cut]
    todo = np.flatnonzero(farmland & has_union[pieces.patch - part.start])
    if todo.size:
        inside[todo] = area(robust(shapely.intersection, pieces.geoms[todo], union_of[pieces.patch[todo] - part.start]))
    return inside


def _summary(chunk: _Chunk, ids: np.ndarray, patch_repaired: np.ndarray, kc: np.ndarray, cls_of: np.ndarray,
             codes: np.ndarray, farm: np.ndarray, broad: np.ndarray, field_of: np.ndarray) -> FarmlandOccupation:
    """Per-patch statistics of one chunk's patches (chunk.start … chunk.stop − 1)."""
    start, m = chunk.start, chunk.stop - chunk.start
    patch, lu, gross = chunk.rows
    local = patch - start
    deduction = gross * kc[lu]
    net = gross * (1.0 - kc[lu])
    cls = cls_of[lu]

    def net_of(selected: np.ndarray) -> np.ndarray:
        mask = np.isin(cls, np.flatnonzero(selected))
        return np.bincount(local[mask], net[mask], minlength=m)

    tbmj = chunk.patch_area
    jbntmj = np.zeros(m)
    jbntmj[chunk.basic_patch - start] = chunk.basic_area
    in_farm = np.isin(cls, np.flatnonzero(farm))
    gdtbmj = np.bincount(local[in_farm], gross[in_farm], minlength=m)
    with np.errstate(divide="ignore", invalid="ignore"):
        zgbl = np.where(tbmj > 0, gdtbmj / tbmj, 0.0)
    # the 地块面积 identity: each piece's net to its class's field, its 田坎 deduction (1203) to 非耕农用地
    of_piece = field_of[cls]
    split = {}
    for k, name in enumerate(AREA_CLASSES):
        mask = of_piece == k
        split[name] = np.bincount(local[mask], net[mask], minlength=m)
    classified = of_piece >= 0
    split[FGNYDMJ] = split[FGNYDMJ] + np.bincount(local[classified], deduction[classified], minlength=m)
    return FarmlandOccupation(
        ids=ids[start:chunk.stop], tbmj=tbmj, gdtbmj=gdtbmj, gdmj=split["GDMJ"],
        sdmj=net_of(codes == PADDY), sjdmj=net_of(codes == IRRIGATED), hdmj=net_of(codes == DRY),
        jbntmj=jbntmj, jbntgdmj=np.bincount(local, chunk.in_basic * (1.0 - kc[lu]), minlength=m),
        fgnydmj=split[FGNYDMJ], jsydmj=split["JSYDMJ"], wlydmj=split["WLYDMJ"],
        unclassified=np.bincount(local[~classified], gross[~classified], minlength=m),
        zgbl=zgbl, uncovered=chunk.uncovered,
        patch_repaired=patch_repaired[start:chunk.stop], landuse_repaired=np.zeros(0, dtype=bool),
        basic_farmland_repaired=None, breakdown=_breakdown(ids, codes, broad, patch, cls, gross, net))


_PER_ROW = ("patch", "patch_id", "dlbm", "broad_class", "gross", "net")


def _concatenate(parts: list[FarmlandOccupation], ids: np.ndarray, patch_repaired: np.ndarray,
                 landuse_repaired: np.ndarray, basic_repaired: Optional[np.ndarray]) -> FarmlandOccupation:
    """The chunks' statistics as one result over all patches (chunks are in patch order)."""
    def joined(values: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(values) if values else np.zeros(0, dtype=dtype)

    def per_patch(name: str) -> np.ndarray:
        return joined([getattr(p, name) for p in parts], float)

    empty = {"patch": np.intp, "patch_id": object, "dlbm": object, "broad_class": object,
             "gross": float, "net": float}
    rows = {name: joined([getattr(p.breakdown, name) for p in parts], empty[name]) for name in _PER_ROW}
    return FarmlandOccupation(ids=ids, tbmj=per_patch("tbmj"), gdtbmj=per_patch("gdtbmj"), gdmj=per_patch("gdmj"),
                              sdmj=per_patch("sdmj"), sjdmj=per_patch("sjdmj"), hdmj=per_patch("hdmj"),
                              jbntmj=per_patch("jbntmj"), jbntgdmj=per_patch("jbntgdmj"),
                              fgnydmj=per_patch("fgnydmj"), jsydmj=per_patch("jsydmj"), wlydmj=per_patch("wlydmj"),
                              unclassified=per_patch("unclassified"), zgbl=per_patch("zgbl"),
                              uncovered=per_patch("uncovered"), patch_repaired=patch_repaired,
                              landuse_repaired=landuse_repaired, basic_farmland_repaired=basic_repaired,
                              breakdown=ClassBreakdown(**rows))
