"""Farmland occupation per patch (耕地占用): gross, net, by class, basic farmland.

Areas are recomputed from geometry, never read from attributes (domain.md §3:
DLTB TBMJ often disagrees with the shape). Net area of a land-use piece is
piece area × (1 − KCXS). All areas are m² in the chosen method; conversion to
亩 is the caller's business.

Never double-counted: where land-use polygons overlap inside a patch, the
overlap goes to the polygon that comes FIRST in input order (lower index);
basic farmland is measured as patch ∩ union(basic-farmland polygons).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import shapely

from ..geodesy import CrsLike
from ..messages import QT_TRANSLATE_NOOP, WpzfError
from ..progress import CancelCheck, ProgressCallback, run_chunks
from .clip import ChunkRows, OverlayIndex, Pieces, gather, prepared_patches, resolve_overlaps, union_per_patch
from .geometry import ELLIPSOIDAL, PLANAR, AreaFunction, Geometries, area_function, patch_ids
from .landclass import DRY, FARMLAND_CODES, IRRIGATED, PADDY, broad_class, normalize_code


@dataclass(frozen=True)
class ClassBreakdown:
    """One row per patch × land class present, sorted by patch then code.

    Per patch, Σ gross = TBMJ − uncovered (area no land-use polygon covers,
    clipped at 0). Planar: exact to float noise. Ellipsoidal: to a few 0.01 m²,
    because the official formula runs on each piece's own vertices, and patch
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
    """Per-patch arrays in input order (m²; ``zgbl`` is a 0–1 ratio)."""

    ids: np.ndarray
    tbmj: np.ndarray
    gdtbmj: np.ndarray
    gdmj: np.ndarray
    sdmj: np.ndarray
    sjdmj: np.ndarray
    hdmj: np.ndarray
    jbntmj: np.ndarray
    zgbl: np.ndarray
    uncovered: np.ndarray
    patch_repaired: np.ndarray
    landuse_repaired: np.ndarray
    basic_farmland_repaired: Optional[np.ndarray]
    breakdown: ClassBreakdown


class LandUseInputError(WpzfError, ValueError):
    """A land-use attribute the statistics cannot use; names the polygon and value."""


def _coefficients(kcxs: Iterable[Any], size: int) -> np.ndarray:
    """KCXS as floats with missing → 0; out-of-range or non-numeric values are refused, not guessed."""
    values = list(kcxs)
    if len(values) != size:
        raise ValueError(f"{len(values)} KCXS values for {size} land-use polygons")
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
    kc = np.nan_to_num(kc, nan=0.0)
    bad = np.flatnonzero((kc < 0) | (kc > 1))
    if bad.size:
        raise LandUseInputError(
            QT_TRANSLATE_NOOP("domain", "Land-use feature {number}: deduction coefficient {value} is outside 0–1."),
            number=int(bad[0]) + 1, value=float(kc[bad[0]]))
    return kc


def _piece_areas(pieces: Pieces, area: AreaFunction, method: str,
                 patch_planar: np.ndarray, offset: int) -> np.ndarray:
    """Areas after overlap resolution; planar areas are reused, not recomputed."""
    planar = shapely.area(pieces.geoms)
    changed = resolve_overlaps(pieces, planar, patch_planar, offset)
    if method == PLANAR:
        planar[changed] = shapely.area(pieces.geoms[changed])
        return planar
    return area(pieces.geoms)


def _breakdown(ids: np.ndarray, codes: np.ndarray, patch: np.ndarray,
               cls: np.ndarray, gross: np.ndarray, net: np.ndarray) -> ClassBreakdown:
    key = patch.astype(np.int64) * codes.size + cls
    rows, inverse = np.unique(key, return_inverse=True)
    row_patch, row_cls = rows // codes.size, rows % codes.size
    return ClassBreakdown(
        patch=row_patch, patch_id=ids[row_patch], dlbm=codes[row_cls],
        broad_class=np.array([broad_class(c) for c in codes], dtype=object)[row_cls],
        gross=np.bincount(inverse, gross, minlength=rows.size),
        net=np.bincount(inverse, net, minlength=rows.size))


def farmland_occupation(
    patches: Geometries,
    landuse: Geometries,
    dlbm: Sequence[Any],
    kcxs: Iterable[Any],
    basic_farmland: Optional[Geometries] = None,
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
) -> FarmlandOccupation:
    """Measure how much of each patch is farmland, net of 田坎, and basic farmland.

    All geometries share one projected CRS (x = easting); ``crs`` is needed for
    the official 'ellipsoidal' method. ``dlbm``/``kcxs`` align with ``landuse``.
    Pieces of ≤ ``min_area`` m² (touching edges, float slivers) are ignored.
    ``workers`` threads process chunks in parallel (2 on a two-core machine).
    Raises :class:`~.progress.Canceled` when ``is_canceled()`` turns true.
    """
    area = area_function(area_method, crs)
    patch_geoms, patch_repaired = prepared_patches(patches)
    n = patch_geoms.size
    ids_arr = patch_ids(ids, n)
    landuse_index = OverlayIndex(landuse)
    codes, cls_of = np.unique(np.array([normalize_code(c) for c in dlbm], dtype=str),
                              return_inverse=True)
    if cls_of.size != landuse_index.geoms.size:
        raise ValueError(f"{cls_of.size} DLBM values for {landuse_index.geoms.size} polygons")
    kc = _coefficients(kcxs, cls_of.size)
    basic_index = None if basic_farmland is None else OverlayIndex(basic_farmland)

    tbmj, jbntmj = np.zeros(n), np.zeros(n)

    def work(part: slice) -> ChunkRows:
        # each chunk writes only its own patches' slots, so threads never collide
        tbmj[part] = area(patch_geoms[part])
        if basic_index is not None:
            patch, unions = union_per_patch(basic_index.clip(patch_geoms[part], part.start))
            covered = area(unions)
            jbntmj[patch] = np.where(covered > min_area, covered, 0.0)
        pieces = landuse_index.clip(patch_geoms[part], part.start)
        piece_area = _piece_areas(pieces, area, area_method, shapely.area(patch_geoms[part]), part.start)
        keep = piece_area > min_area
        return pieces.patch[keep], pieces.overlay[keep], piece_area[keep]

    found = run_chunks(n, chunk_size, work, progress, is_canceled, workers)
    patch, lu, gross = gather(found)
    net = gross * (1.0 - kc[lu])
    cls = cls_of[lu]
    codes = codes.astype(object)

    def net_of(selected: np.ndarray) -> np.ndarray:
        mask = np.isin(cls, np.flatnonzero(selected))
        return np.bincount(patch[mask], net[mask], minlength=n)

    farm = np.isin(codes, [normalize_code(c) for c in farmland_codes])
    in_farm = np.isin(cls, np.flatnonzero(farm))
    gdtbmj = np.bincount(patch[in_farm], gross[in_farm], minlength=n)
    covered_gross = np.bincount(patch, gross, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        zgbl = np.where(tbmj > 0, gdtbmj / tbmj, 0.0)
    return FarmlandOccupation(
        ids=ids_arr, tbmj=tbmj, gdtbmj=gdtbmj, gdmj=net_of(farm),
        sdmj=net_of(codes == PADDY), sjdmj=net_of(codes == IRRIGATED), hdmj=net_of(codes == DRY),
        jbntmj=jbntmj, zgbl=zgbl, uncovered=np.maximum(tbmj - covered_gross, 0.0),
        patch_repaired=patch_repaired, landuse_repaired=landuse_index.repaired,
        basic_farmland_repaired=None if basic_index is None else basic_index.repaired,
        breakdown=_breakdown(ids_arr, codes, patch, cls, gross, net))
