"""The district's towns and villages in the workspace, and each patch's town and village.

Deliveries carry the county code (XZQDM = 500118), so statistics by 镇街 need
the boundaries (domain.md §9). They are stored once in ``wpzf_division``
(replaced as a whole, in one transaction: a failed or canceled import leaves
the previous boundaries and assignments), and every patch's town and village
by the largest share goes into ``wpzf_patch_division``. That table is a
derived location, not stage data: it has no lock trigger, so patches of
locked batches are placed too. Works on a GeoPackage :class:`~.store.Workspace`
and on a PostGIS :class:`~.postgis.store.PgWorkspace` (whose ``conn`` speaks the
same sqlite-style SQL; only the geometry functions differ).
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPolygon

from ..messages import QT_TRANSLATE_NOOP
from ..progress import Canceled
from . import gpkg
from .division_shares import Division, Placement, place, village_parents
from .schema import DIVISION_TABLE, PATCH_DIVISION_TABLE, PATCH_TABLE, TOWN_LEVEL, VILLAGE_LEVEL
from .store import WorkspaceError, now_iso

CHUNK = 2000
"""Patches placed per step between progress reports and cancel checks."""


class DivisionError(WorkspaceError):
    """Boundaries that cannot be stored; nothing was changed."""


@dataclass
class DivisionResult:
    """What an import or an assignment did."""

    towns: int = 0
    villages: int = 0
    assigned: int = 0
    by_code: int = 0
    """Patches whose own XZQDM named the town."""
    unassigned: list[str] = field(default_factory=list)
    """JCBH of the patches outside every town (they get no row)."""


def _is_gpkg(ws) -> bool:
    return isinstance(ws.conn, sqlite3.Connection)


def _geometry_column(ws) -> str:
    return "geom" if _is_gpkg(ws) else "ST_AsBinary(geom, 'NDR')"


def _shape(ws, value) -> object:
    if value is None:
        return None
    wkb = gpkg.wkb_of(value) if _is_gpkg(ws) else bytes(value)
    return shapely.from_wkb(wkb)


def has_divisions(ws) -> bool:
    """True when the workspace holds imported towns."""
    return ws.conn.execute(f'SELECT 1 FROM {DIVISION_TABLE} WHERE "JB" = ? LIMIT 1', (TOWN_LEVEL,)).fetchone() \
        is not None


def town_names(ws) -> dict[str, str]:
    """镇街代码 → 名称 of the stored towns."""
    return {code: name or "" for code, name in ws.conn.execute(
        f'SELECT "DM", "MC" FROM {DIVISION_TABLE} WHERE "JB" = ? ORDER BY "DM"', (TOWN_LEVEL,))}


def village_names(ws) -> dict[str, str]:
    """村代码 → 名称 of the stored villages."""
    return {code: name or "" for code, name in ws.conn.execute(
        f'SELECT "DM", "MC" FROM {DIVISION_TABLE} WHERE "JB" = ? ORDER BY "DM"', (VILLAGE_LEVEL,))}


def patch_towns(ws) -> dict[int, tuple[str, str, str, str]]:
    """fid → (XZDM, XZMC, CJDM, CJMC) of every placed patch (empty texts for missing values)."""
    return {fid: (xzdm or "", xzmc or "", cjdm or "", cjmc or "") for fid, xzdm, xzmc, cjdm, cjmc in ws.conn.execute(
        f'SELECT patch_fid, "XZDM", "XZMC", "CJDM", "CJMC" FROM {PATCH_DIVISION_TABLE}')}


def stored_divisions(ws) -> tuple[list[Division], list[Division]]:
    """(towns, villages) as stored, sorted by code."""
    towns: list[Division] = []
    villages: list[Division] = []
    for code, name, level, parent, geom in ws.conn.execute(
            f'SELECT "DM", "MC", "JB", "SJDM", {_geometry_column(ws)} FROM {DIVISION_TABLE} ORDER BY "DM"'):
        division = Division(code, name or "", _shape(ws, geom), parent or "")
        (towns if level == TOWN_LEVEL else villages).append(division)
    return towns, villages


def merge_by_code(divisions: Iterable[Division]) -> list[Division]:
    """One division per code (a town drawn as several features is one town), sorted by code.

    Refuses an empty code or an empty geometry, naming the code or position.
    """
    geoms: dict[str, list] = {}
    first: dict[str, Division] = {}
    for k, d in enumerate(divisions):
        code = (d.code or "").strip()
        if not code:
            raise DivisionError(QT_TRANSLATE_NOOP("domain", "Boundary number {index} has no code."), index=k + 1)
        if d.geometry is None or d.geometry.is_empty:
            raise DivisionError(QT_TRANSLATE_NOOP("domain", "Boundary {code} has no geometry."), code=code)
        first.setdefault(code, d)
        geoms.setdefault(code, []).append(d.geometry)
    out = []
    for code in sorted(geoms):
        parts = geoms[code]
        geometry = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        out.append(Division(code, (first[code].name or "").strip(), geometry, (first[code].parent or "").strip()))
    return out


def _multi(geometry) -> MultiPolygon:
    if isinstance(geometry, MultiPolygon):
        return geometry
    if geometry.geom_type == "Polygon":
        return MultiPolygon([geometry])
    return MultiPolygon([p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"])


def import_divisions(ws, towns: Iterable[Division], villages: Iterable[Division] = (),
                     progress: Callable[[float], None] = lambda f: None,
                     is_canceled: Callable[[], bool] = lambda: False) -> DivisionResult:
    """Replace the stored towns and villages and place every patch, all in one transaction.

    Geometries must already be valid and in the workspace CRS. A village's
    town (SJDM) is its code's 9-digit prefix when that is a town, else the
    town holding most of it.
    """
    towns = merge_by_code(towns)
    villages = merge_by_code(villages)
    if not towns:
        raise DivisionError(QT_TRANSLATE_NOOP("domain", "No town boundaries were given; nothing was changed."))
    parents = village_parents(villages, towns)
    villages = [Division(v.code, v.name, v.geometry, p) for v, p in zip(villages, parents)]
    when = now_iso()
    gpkg_ws = _is_gpkg(ws)
    srs_id = ws.epsg
    geom_sql = "?" if gpkg_ws else f"ST_GeomFromWKB(?, {int(srs_id)})"
    rows = []
    for level, divisions in ((TOWN_LEVEL, towns), (VILLAGE_LEVEL, villages)):
        for d in divisions:
            multi = _multi(d.geometry)
            wkb = shapely.to_wkb(multi)
            rows.append((gpkg.encode(wkb, srs_id, multi.bounds) if gpkg_ws else wkb,
                         d.code, d.name, level, d.parent or None, when))
    with ws.transaction():
        conn = ws.conn
        conn.execute(f"DELETE FROM {PATCH_DIVISION_TABLE}")
        conn.execute(f"DELETE FROM {DIVISION_TABLE}")
        conn.executemany(f'INSERT INTO {DIVISION_TABLE} (geom, "DM", "MC", "JB", "SJDM", "DRSJ") '
                         f"VALUES ({geom_sql}, ?, ?, ?, ?, ?)", rows)
        if gpkg_ws:
            gpkg.update_extent(conn, DIVISION_TABLE)
        progress(0.1)
        result = _place(ws, towns, villages, None, lambda f: progress(0.1 + 0.9 * f), is_canceled)
    result.towns, result.villages = len(towns), len(villages)
    return result


def assign_patches(ws, fids: Sequence[int] | None = None, progress: Callable[[float], None] = lambda f: None,
                   is_canceled: Callable[[], bool] = lambda: False) -> DivisionResult:
    """(Re)place the patches ``fids`` (all when None) in the stored towns and villages, in one transaction."""
    towns, villages = stored_divisions(ws)
    if not towns:
        raise DivisionError(QT_TRANSLATE_NOOP(
            "domain", "The workspace holds no town boundaries; import them first (wpzf:importdivisions)."))
    with ws.transaction():
        result = _place(ws, towns, villages, fids, progress, is_canceled)
    result.towns, result.villages = len(towns), len(villages)
    return result


def _load_patches(ws, fids: Sequence[int] | None) -> list[tuple]:
    sql = f'SELECT fid, "JCBH", "XZQDM", {_geometry_column(ws)} FROM {PATCH_TABLE}'
    if fids is None:
        return ws.conn.execute(sql + " ORDER BY fid").fetchall()
    rows: list[tuple] = []
    wanted = sorted({int(f) for f in fids})
    for start in range(0, len(wanted), 500):  # SQLite's bound-parameter cap
        part = wanted[start:start + 500]
        rows += ws.conn.execute(f"{sql} WHERE fid IN ({', '.join('?' * len(part))}) ORDER BY fid", part).fetchall()
    return rows


def placements(ws, towns: Sequence[Division], villages: Sequence[Division] = (),
               fids: Sequence[int] | None = None) -> tuple[dict[int, tuple[str, str, str, str]], DivisionResult]:
    """(fid → (XZDM, XZMC, CJDM, CJMC), result) by the given boundaries, without storing anything.

    For a run that may not write (a shared workspace opened by a technician).
    """
    towns, villages = merge_by_code(towns), merge_by_code(villages)
    parents = village_parents(villages, towns)
    villages = [Division(v.code, v.name, v.geometry, p) for v, p in zip(villages, parents)]
    rows, result = _compute(ws, towns, villages, _load_patches(ws, fids))
    result.towns, result.villages = len(towns), len(villages)
    return {r[0]: (r[1], r[2] or "", r[3] or "", r[4] or "") for r in rows}, result


def _compute(ws, towns: list[Division], villages: list[Division], patches: list[tuple],
             is_canceled: Callable[[], bool] = lambda: False, written: Callable[[list[tuple], float], None] | None = None
             ) -> tuple[list[tuple], DivisionResult]:
    """The wpzf_patch_division rows of ``patches`` (fid, JCBH, XZQDM, geometry), chunk by chunk."""
    town_name = {t.code: t.name for t in towns}
    village_name = {v.code: v.name for v in villages}
    result = DivisionResult()
    when = now_iso()
    out: list[tuple] = []
    for start in range(0, len(patches), CHUNK):
        if is_canceled():
            raise Canceled(QT_TRANSLATE_NOOP("domain", "Canceled; the town boundaries and assignments are unchanged."))
        chunk = patches[start:start + CHUNK]
        geoms = np.array([_shape(ws, p[3]) for p in chunk], dtype=object)
        found: list[Placement | None] = [None] * len(chunk)
        idx = np.flatnonzero(~shapely.is_missing(geoms))
        for k, placement in zip(idx, place(geoms[idx], [chunk[k][2] for k in idx], towns, villages)):
            found[k] = placement
        rows = []
        for (fid, jcbh, _, _), placement in zip(chunk, found):
            if placement is None:
                result.unassigned.append(jcbh or f"fid {fid}")
                continue
            rows.append((fid, placement.town, town_name.get(placement.town) or None, placement.village or None,
                         village_name.get(placement.village) or None, round(placement.share, 6), when))
            result.by_code += placement.by_code
        result.assigned += len(rows)
        if written is not None:
            written(rows, min(1.0, (start + CHUNK) / max(len(patches), 1)))
        else:
            out += rows
    return out, result


def _place(ws, towns: list[Division], villages: list[Division], fids: Sequence[int] | None,
           progress: Callable[[float], None], is_canceled: Callable[[], bool]) -> DivisionResult:
    """Compute and write the placements inside the caller's transaction."""
    conn = ws.conn
    patches = _load_patches(ws, fids)
    if fids is None:
        conn.execute(f"DELETE FROM {PATCH_DIVISION_TABLE}")
    else:
        for start in range(0, len(patches), 500):
            part = [p[0] for p in patches[start:start + 500]]
            conn.execute(f"DELETE FROM {PATCH_DIVISION_TABLE} WHERE patch_fid IN ({', '.join('?' * len(part))})",
                         part)
    sql = (f'INSERT INTO {PATCH_DIVISION_TABLE} (patch_fid, "XZDM", "XZMC", "CJDM", "CJMC", "XZBL", "FPSJ") '
           "VALUES (?, ?, ?, ?, ?, ?, ?)")

    def write(rows: list[tuple], done: float) -> None:
        conn.executemany(sql, rows)
        progress(done)

    return _compute(ws, towns, villages, patches, is_canceled, write)[1]
