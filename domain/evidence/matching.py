"""Which patch a field photo belongs to, from the position its camera recorded.

Photo positions are longitude/latitude (WGS84 from the receiver, taken as
CGCS2000 EPSG:4490: the two agree to a few centimetres, far below GPS error).
They are projected into the workspace's Gauss–Krüger CRS, where distances are
metres. A photo inside (or on the edge of) a patch belongs to it; otherwise
to the nearest patch within ``max_distance`` metres; otherwise it stays
unmatched with the reason and, when it has a position, the distance to the
nearest patch — so the technician can widen the distance or assign it by hand.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from ..crs import CGCS2000_GEOGRAPHIC
from ..messages import QT_TRANSLATE_NOOP, Message
from ..workspace import gpkg
from ..workspace.interface import WorkspaceError, WorkspaceStore
from ..workspace.schema import PATCH_TABLE

INSIDE, NEAREST, UNMATCHED = "内部", "最近", "未匹配"
"""How a photo was matched (stored and shown as data values, like 照片/批文)."""


@dataclass(frozen=True)
class PatchShapes:
    """Patch geometries of a workspace (or one batch) with a spatial index."""

    fids: np.ndarray
    jcbh: list[str]
    geometries: np.ndarray  # shapely geometries in the workspace CRS
    areas: np.ndarray
    epsg: int
    tree: shapely.STRtree

    def __len__(self) -> int:
        return len(self.jcbh)


@dataclass(frozen=True)
class PhotoMatch:
    """Where one photo went; ``reason`` says why when it went nowhere."""

    patch_fid: int | None
    jcbh: str | None
    how: str
    distance: float | None  # metres to the patch (0 inside); for too-far photos, to the nearest one
    reason: Message | None = None
    candidates: int = 0  # patches containing the photo (>1 where patches overlap)

    @property
    def matched(self) -> bool:
        return self.patch_fid is not None


def patch_shape(value: bytes | str | None) -> shapely.Geometry | None:
    """A stored patch geometry as shapely: a GeoPackage blob or PostGIS's hex EWKB text; None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        geometry = shapely.from_wkb(value)
    elif gpkg.envelope(value) is None:
        return None
    else:
        geometry = shapely.from_wkb(gpkg.wkb_of(value))
    return None if geometry is None or geometry.is_empty else geometry


def load_patch_shapes(ws: WorkspaceStore, batch: str | None = None,
                      fids: Collection[int] | None = None) -> PatchShapes:
    """Every patch geometry of ``batch`` (all batches when None; only ``fids`` when given), either workspace kind."""
    params: tuple = ()
    where = "WHERE p.geom IS NOT NULL"
    if batch:
        if ws.batch(batch) is None:
            raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch)
        where += ' AND b."PCMC" = ?'
        params = (batch,)
    rows = ws.conn.execute(
        f'SELECT p.fid, p."JCBH", p.geom FROM {PATCH_TABLE} p JOIN wpzf_batch b ON b.id = p.batch_id {where} '
        "ORDER BY p.fid", params).fetchall()
    wanted = None if fids is None else {int(f) for f in fids}
    shaped = [(r[0], r[1], patch_shape(r[2])) for r in rows if wanted is None or int(r[0]) in wanted]
    rows = [r for r in shaped if r[2] is not None]  # empty geometries match nothing
    geometries = np.array([r[2] for r in rows], dtype=object) if rows else np.empty(0, dtype=object)
    return PatchShapes(
        fids=np.array([r[0] for r in rows], dtype=np.int64),
        jcbh=[r[1] for r in rows],
        geometries=geometries,
        areas=shapely.area(geometries) if rows else np.empty(0),
        epsg=ws.epsg,
        tree=shapely.STRtree(geometries),
    )


def project_points(lonlat: Sequence[tuple[float | None, float | None]], epsg: int) -> np.ndarray:
    """(lon, lat) pairs → shapely points in EPSG ``epsg`` (None where a position is missing)."""
    from pyproj import Transformer

    out = np.full(len(lonlat), None, dtype=object)
    known = [i for i, (lon, lat) in enumerate(lonlat) if lon is not None and lat is not None]
    if not known:
        return out
    transformer = Transformer.from_crs(CGCS2000_GEOGRAPHIC, epsg, always_xy=True)
    xs, ys = transformer.transform([lonlat[i][0] for i in known], [lonlat[i][1] for i in known])
    for i, x, y in zip(known, np.atleast_1d(xs), np.atleast_1d(ys)):
        if math.isfinite(x) and math.isfinite(y):
            out[i] = shapely.Point(x, y)
    return out


def _no_position() -> PhotoMatch:
    return PhotoMatch(None, None, UNMATCHED, None,
                      Message(QT_TRANSLATE_NOOP("domain", "The photo records no GPS position.")))


def match_photos(
    shapes: PatchShapes,
    lonlat: Sequence[tuple[float | None, float | None]],
    max_distance: float,
) -> list[PhotoMatch]:
    """One :class:`PhotoMatch` per (lon, lat), in input order."""
    points = project_points(lonlat, shapes.epsg)
    results: list[PhotoMatch | None] = [None] * len(points)
    have = np.array([p is not None for p in points], dtype=bool)
    for i in np.flatnonzero(~have):
        results[i] = _no_position()
    index = np.flatnonzero(have)
    if index.size and not len(shapes):
        for i in index:
            results[i] = PhotoMatch(None, None, UNMATCHED, None,
                                    Message(QT_TRANSLATE_NOOP("domain", "The workspace has no patches to match.")))
        return _every(results)
    if index.size:
        geoms = points[index]
        pairs = shapes.tree.query(geoms, predicate="covered_by")
        inside: dict[int, list[int]] = {}
        for k, patch in zip(pairs[0], pairs[1]):
            inside.setdefault(int(index[k]), []).append(int(patch))
        for i, patches in inside.items():
            best = min(patches, key=lambda p: (shapes.areas[p], -shapes.fids[p]))  # smallest: a 地块 inside its parent
            results[i] = PhotoMatch(int(shapes.fids[best]), shapes.jcbh[best], INSIDE, 0.0, None, len(patches))
        rest = np.array([i for i in index if results[i] is None], dtype=np.int64)
        if rest.size:
            near, dist = shapes.tree.query_nearest(points[rest], return_distance=True, all_matches=False)
            for k, patch, d in zip(near[0], near[1], dist):
                i, d = int(rest[k]), float(d)
                if d <= max_distance:
                    results[i] = PhotoMatch(int(shapes.fids[patch]), shapes.jcbh[patch], NEAREST, d)
                else:
                    results[i] = PhotoMatch(None, None, UNMATCHED, d, Message(
                        QT_TRANSLATE_NOOP("domain", "Nearest patch {jcbh} is {distance:.1f} m away, beyond {limit:g} m."),
                        jcbh=shapes.jcbh[patch], distance=d, limit=max_distance))
    return _every(results)


def _every(results: list[PhotoMatch | None]) -> list[PhotoMatch]:
    """The results once every photo has one (no position, inside, nearest or too far; the tree holds no
    empty geometry, so query_nearest answers every point): a gap would be a bug here, not bad input."""
    done = [match for match in results if match is not None]
    if len(done) != len(results):  # pragma: no cover - see above
        raise AssertionError("a photo was left without a match result")
    return done
