"""Change patches (图斑) of two monthly batches: realistic sites placed where the office's
decisions get interesting — farmland, inside or across approvals, on facility land, on
village roads, in forest — plus multipart, holed, invalid and re-issued ones."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .approvals import Approvals
from .codes import FARMLAND, FOREST, INDEX, indices
from .geo import rng_for
from .landuse import LandUse
from .shapes import clip_to, drop_overlaps, fit_upper, largest_part, log_uniform, points_in, repair, sites
from .towns import Admin

# placement kind → share of patches
PLACEMENTS: dict[str, float] = {
    "farmland": 0.42, "approval_full": 0.12, "approval_partial": 0.07, "facility": 0.07,
    "road": 0.07, "forest": 0.08, "temporary": 0.05, "builtup": 0.06, "mixed": 0.06,
}
FREE_KINDS = ("farmland", "forest", "mixed")  # may become multipart / holed / invalid
N_INVALID = 3
N_REISSUED = 2
OVERSAMPLE = 1.35
MIN_AREA, MAX_AREA = 200.0, 20000.0  # m², construction sites as the ministry delineates them
PATCH_SHARE = 0.08  # dense scale-series runs shrink sites to keep within this share of the district
BUILT = frozenset({"0601", "0701", "0702", "05H1"})


@dataclass
class Candidates:
    """Patch geometries with their placement and, if any, the approval they sit in."""

    geoms: np.ndarray
    kind: np.ndarray
    layer: np.ndarray  # approval layer name or ""
    doc: np.ndarray  # approval document number or ""
    approval: np.ndarray  # approval geometry or None


def _in_class(rng: np.random.Generator, lu: LandUse, codes: frozenset[str], n: int) -> np.ndarray:
    """Anchor points in polygons of ``codes``, larger polygons more likely."""
    pool = np.flatnonzero(np.isin(lu.code, indices(codes)))
    w = shapely.area(lu.geoms[pool])
    return points_in(rng, lu.geoms[rng.choice(pool, n, p=w / w.sum())])


def _inside(rng: np.random.Generator, layers: list[Approvals], n: int, high: float, partial: bool) -> Candidates:
    """Sites fully inside (clipped to a 3 m inset of) approvals, or straddling their edge."""
    geoms = np.concatenate([a.geoms for a in layers])
    names = np.concatenate([[a.name] * len(a.geoms) for a in layers])
    docs = np.concatenate([a.doc for a in layers])
    pick = rng.choice(len(geoms), n)
    target = geoms[pick]
    area = np.minimum(log_uniform(rng, n, MIN_AREA, high), 0.6 * shapely.area(target))
    if partial:
        edge = shapely.line_interpolate_point(shapely.get_exterior_ring(target), rng.uniform(size=n), normalized=True)
        out = sites(rng, shapely.get_coordinates(edge), np.maximum(area, 300.0))
    else:
        inset = shapely.buffer(target, -3.0)
        ok = ~shapely.is_empty(inset)
        centre = points_in(rng, np.where(ok, inset, target))
        out = largest_part(shapely.intersection(sites(rng, centre, area), np.where(ok, inset, target)))
    return Candidates(out, np.full(n, "", dtype=object), names[pick], docs[pick], target)


def _on_roads(rng: np.random.Generator, lu: LandUse, n: int) -> np.ndarray:
    """Road widening / hardening: a village road piece grown by a few metres, cut to length."""
    pool = np.flatnonzero(lu.code == INDEX["1006"])
    roads = lu.geoms[rng.choice(pool, n)]
    centre = shapely.point_on_surface(roads)
    grown = repair(shapely.buffer(roads, rng.uniform(2.0, 5.0, n), join_style="mitre"))
    reach = shapely.buffer(centre, rng.uniform(40.0, 250.0, n))
    return largest_part(shapely.intersection(grown, reach))


def _candidates(rng: np.random.Generator, admin: Admin, lu: LandUse, approvals: dict[str, Approvals], total: int) -> Candidates:
    counts = {k: int(np.ceil(p * total * OVERSAMPLE)) for k, p in PLACEMENTS.items()}
    counts["farmland"] += int(0.3 * total)  # spares for kinds that lose candidates to overlaps
    parts: list[Candidates] = []

    def free(kind: str, geoms: np.ndarray) -> None:
        n = len(geoms)
        parts.append(Candidates(geoms, np.full(n, kind, dtype=object), np.full(n, "", dtype=object), np.full(n, "", dtype=object), np.full(n, None)))

    high = fit_upper(total, MIN_AREA, MAX_AREA, PATCH_SHARE * admin.district.area)
    for kind, codes in (("farmland", FARMLAND), ("forest", FOREST), ("builtup", BUILT)):
        top = min(high, 3000.0) if kind == "builtup" else high
        free(kind, sites(rng, _in_class(rng, lu, codes, counts[kind]), log_uniform(rng, counts[kind], MIN_AREA, top)))
    minx, miny, maxx, maxy = admin.district.bounds
    anywhere = rng.uniform([minx, miny], [maxx, maxy], (counts["mixed"] * 3, 2))
    anywhere = anywhere[shapely.contains_xy(admin.district, anywhere[:, 0], anywhere[:, 1])][: counts["mixed"]]
    free("mixed", sites(rng, anywhere, log_uniform(rng, len(anywhere), MIN_AREA, high)))
    free("road", _on_roads(rng, lu, counts["road"]))
    for kind, layers, partial in (
        ("approval_full", [approvals["NYDZY"], approvals["TDGY"]], False),
        ("approval_partial", [approvals["NYDZY"], approvals["TDGY"]], True),
        ("facility", [approvals["SSNYD"]], False),
        ("temporary", [approvals["LSYD"]], False),
    ):
        c = _inside(rng, layers, counts[kind], high, partial)
        c.kind[:] = kind
        parts.append(c)
    merged = Candidates(*(np.concatenate([getattr(c, f) for c in parts]) for f in Candidates.__dataclass_fields__))
    merged.geoms = clip_to(merged.geoms, admin.district)
    ok = np.array([g is not None and 150.0 <= g.area and g.is_valid for g in merged.geoms])
    order = rng.permutation(np.flatnonzero(ok))
    return _take(merged, order[drop_overlaps(merged.geoms[order])])


def _take(c: Candidates, idx: np.ndarray) -> Candidates:
    return Candidates(c.geoms[idx], c.kind[idx], c.layer[idx], c.doc[idx], c.approval[idx])


def _jitter(geoms: np.ndarray) -> np.ndarray:
    """Hand-digitised look: densify and nudge vertices by a fixed function of position
    (so ring closure survives); any shape this would break is left as it was."""
    dense = shapely.segmentize(geoms, 25.0)

    def nudge(c: np.ndarray) -> np.ndarray:
        return c + 0.35 * np.column_stack([np.sin(c[:, 0] * 1.7 + c[:, 1] * 0.9), np.cos(c[:, 0] * 0.8 - c[:, 1] * 1.3)])

    out = shapely.transform(dense, nudge)
    bad = ~shapely.is_valid(out)
    out[bad] = geoms[bad]
    return out


def split_batches(
    admin: Admin, lu: LandUse, approvals: dict[str, Approvals], n_per_batch: int, seed: int
) -> list[Candidates]:
    """Two batches of ``n_per_batch`` non-overlapping patches with the placement mix."""
    rng = rng_for(seed, "patches")
    pool = _candidates(rng, admin, lu, approvals, 2 * n_per_batch)
    batches: list[list[int]] = [[], []]
    for kind, share in PLACEMENTS.items():
        idx = np.flatnonzero(pool.kind == kind)
        want = int(round(share * n_per_batch))
        batches[0].extend(idx[:want])
        batches[1].extend(idx[want: 2 * want])
    used = np.concatenate([batches[0], batches[1]])
    farm_first = np.argsort(pool.kind != "farmland", kind="stable")
    spare = farm_first[~np.isin(farm_first, used)]
    for b in batches:
        short = n_per_batch - len(b)
        if short > len(spare):
            raise RuntimeError("district too small for the requested patch count")
        b.extend(spare[:max(short, 0)])
        spare = spare[max(short, 0):]
        del b[n_per_batch:]
    out = []
    for b in batches:
        c = _take(pool, np.array(b))
        c.geoms = _jitter(c.geoms)
        out.append(c)
    return out


def add_parts_and_holes(rng: np.random.Generator, c: Candidates, share: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Make ≈5 % of free-standing patches multipart and ≈5 % holed; returns their indices."""
    free = np.flatnonzero(np.isin(c.kind, FREE_KINDS))
    k = max(1, int(round(share * len(c.geoms))))
    pick = rng.permutation(free)
    multi, holed = [], []
    others = shapely.STRtree(c.geoms)
    for i in pick:
        g = c.geoms[i]
        if len(multi) < k:
            step = np.sqrt(g.area) * 1.4 + 15.0
            a = rng.uniform(0, 2 * np.pi)
            centre = np.array(g.centroid.coords[0]) + step * np.array([np.cos(a), np.sin(a)])
            extra = sites(rng, centre[None], np.array([g.area * rng.uniform(0.2, 0.6)]))[0]
            if len(others.query(extra, predicate="intersects")) == 0:
                c.geoms[i] = shapely.MultiPolygon([g, extra])
                multi.append(i)
                continue
        if len(holed) < k:
            side = 0.25 * np.sqrt(g.area)
            p = g.point_on_surface()
            hole = shapely.box(p.x - side / 2, p.y - side / 2, p.x + side / 2, p.y + side / 2)
            if g.buffer(-2.0).contains(hole):
                c.geoms[i] = g.difference(hole)
                holed.append(i)
        if len(multi) >= k and len(holed) >= k:
            break
    return np.array(multi, dtype=int), np.array(holed, dtype=int)
