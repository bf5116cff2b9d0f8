"""Carrying out an import plan: each new visit and its photos stored together, through the casework API.

Why per visit, all or nothing: a visit record without the photos it names
(or photos without their visit) would be evidence no one can defend. So a
visit's photos are read (EXIF time, position) and copied into ``evidence/``
first; then one transaction appends the visit (:func:`..casework.save.add_field_visit`,
which accepts progress records on a locked batch) and records the photos
linked to it (``visit_id``) with their distance to the patch (``JL``). When
anything fails the transaction rolls back and the copies are removed; the
report names the visit and why. The package itself is recorded once in
``wpzf_field_package`` (WYB), with its manifest.

On a shared PostGIS workspace there is no ``evidence/`` folder: each photo's
bytes go into ``wpzf_evidence_file`` by SHA-256 (:func:`..casework.shared_evidence.add_shared_file`)
inside the visit's own transaction, and the database's row security decides
whose patches a technician may add visits to; a refusal is reported for
that patch, the other patches' visits are stored.

Photos no record names are reported; with ``unreferenced=True`` they are
stored as evidence (no visit) of the package's patch they were taken in, or
the nearest one within ``max_distance`` metres, matched as wpzf:importphotos
matches (:mod:`..evidence.matching`).
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..casework.records import FieldVisit
from ..casework.refusals import database_refusal
from ..casework.save import add_field_visit
from ..casework.shared_evidence import add_shared_file
from ..evidence.exif import PhotoInfo, read_photo_info
from ..evidence.matching import PhotoMatch, load_patch_shapes, match_photos, patch_shape, project_points
from ..evidence.store import PHOTO, AddResult, StagedFile, add_file, discard_staged, record_staged, stage_file
from ..messages import QT_TRANSLATE_NOOP, Message, WpzfError
from ..progress import Canceled
from ..workspace.interface import WorkspaceStore
from ..workspace.postgis.roles import OTHER_TOWN_SQLSTATE
from ..workspace.postgis.store import PgWorkspace
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import Workspace, now_iso
from ..workspace.tables import FIELD_PACKAGE_TABLE
from .layout import PATCH_LAYER, VISIT_LAYER
from .manifest import ManifestError, read_manifest, verify_files
from .package import PackageError, dcim_files, opened_package, read_tables
from .plan import (
    ALREADY,
    DAMAGED,
    FAILED,
    PACKAGE,
    REFUSED,
    STORED,
    UNREFERENCED,
    VISIT,
    ImportPlan,
    PlanItem,
    PlannedVisit,
    plan_import,
)
from .plan import (
    PHOTO as PHOTO_ITEM,
)
from .selection import read_patches, workspace_identity


@dataclass
class ImportResult:
    """The plan with what became of each item, and the counts the algorithm reports."""

    plan: ImportPlan
    package_id: str = ""
    visits: int = 0
    photos: int = 0
    items: list[PlanItem] = field(default_factory=list)
    unreferenced: int = 0
    """Photos no record names that were stored as evidence (counted in ``photos`` too)."""


def database_errors() -> tuple[type[BaseException], ...]:
    """The errors a workspace's database raises: sqlite3's, and psycopg2's where it is installed."""
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - psycopg2 ships with QGIS on Debian and Windows
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg2.Error)


_RECOVERABLE: tuple[type[BaseException], ...] = (WpzfError, OSError, *database_errors())
"""What fails one visit or photo (reported for it) without stopping the import."""


def imported_keys(ws: WorkspaceStore) -> set[str]:
    """WYBS of every visit the workspace holds (a visit typed in the office has none)."""
    return {str(r[0]) for r in ws.conn.execute('SELECT "WYBS" FROM wpzf_field_visit WHERE "WYBS" IS NOT NULL')}


def _patch_geometry(ws: WorkspaceStore, fid: int):
    row = ws.conn.execute(f"SELECT geom FROM {PATCH_TABLE} WHERE fid = ?", (fid,)).fetchone()
    return patch_shape(row[0]) if row else None


def distance_to_patch(ws: WorkspaceStore, fid: int, info: PhotoInfo) -> Optional[float]:
    """Metres from where the photo was taken to the patch (0 inside); None without a position."""
    import shapely

    if not info.has_position:
        return None
    point = project_points([(info.lon, info.lat)], ws.epsg)[0]
    geometry = _patch_geometry(ws, fid)
    if point is None or geometry is None:
        return None
    return round(float(shapely.distance(geometry, point)), 2)


@dataclass
class _Staged:
    path: str
    staged: StagedFile
    info: PhotoInfo
    distance: Optional[float]


def _read_photos(ws: WorkspaceStore, root: Path, visit: PlannedVisit) -> list[tuple[str, PhotoInfo, Optional[float]]]:
    """(package path, EXIF, distance) of every photo of the visit; PhotoReadError on the first unreadable one."""
    out = []
    for path in visit.photos:
        info = read_photo_info(root / path)
        out.append((path, info, distance_to_patch(ws, visit.fid, info)))
    return out


def _stage(ws: Workspace, root: Path, visit: PlannedVisit, photos) -> list[_Staged]:
    staged: list[_Staged] = []
    try:
        for path, info, distance in photos:
            staged.append(_Staged(path, stage_file(ws, visit.fid, root / path), info, distance))
    except BaseException:
        for item in staged:
            discard_staged(item.staged)
        raise
    return staged


def _photo_item(jcbh: str, path: str, info: PhotoInfo, distance: Optional[float], evidence_id: int,
                created: bool) -> PlanItem:
    return PlanItem(jcbh, PHOTO_ITEM, STORED if created else ALREADY, Message(QT_TRANSLATE_NOOP(
        "domain", "Evidence {id}: taken {taken}, {distance} m from the patch."), id=evidence_id,
        taken=info.taken_at or "—", distance="—" if distance is None else f"{distance:.1f}"), path)


def _store_shared_visit(ws: PgWorkspace, root: Path, visit: PlannedVisit) -> tuple[int, list[PlanItem]]:
    """One visit and its photos' rows and bytes (wpzf_evidence_file) in one transaction on the server."""
    photos = _read_photos(ws, root, visit)
    items: list[PlanItem] = []

    def record(_conn: Any, visit_id: int) -> None:
        for path, info, distance in photos:
            added = add_shared_file(ws, visit.fid, root / path, PHOTO, photo=info,
                                    note=visit.columns.get("KCQK") or None, visit_id=visit_id, distance=distance)
            items.append(_photo_item(visit.jcbh, path, info, distance, added.record.id, added.created))

    visit_id = add_field_visit(ws, visit.fid, FieldVisit.from_values(visit.columns), then=record)
    return visit_id, items


def _store_visit(ws: WorkspaceStore, root: Path, visit: PlannedVisit) -> tuple[int, list[PlanItem]]:
    """One visit and its photos in one transaction; (visit id, a report item per photo)."""
    if isinstance(ws, PgWorkspace):
        return _store_shared_visit(ws, root, visit)
    assert isinstance(ws, Workspace)  # the two kinds of workspace
    photos = _read_photos(ws, root, visit)
    staged = _stage(ws, root, visit, photos)
    outcomes: list[tuple[_Staged, int, bool]] = []

    def record(conn: Any, visit_id: int) -> None:
        for item in staged:
            evidence_id, created = record_staged(ws, conn, visit.fid, item.staged, PHOTO, photo=item.info,
                                                 note=visit.columns.get("KCQK") or None, visit_id=visit_id,
                                                 distance=item.distance)
            outcomes.append((item, evidence_id, created))

    try:
        visit_id = add_field_visit(ws, visit.fid, FieldVisit.from_values(visit.columns), then=record)
    except BaseException:
        for item in staged:
            discard_staged(item.staged)
        raise
    items = []
    for item, evidence_id, created in outcomes:
        if not created:
            discard_staged(item.staged)
        items.append(_photo_item(visit.jcbh, item.path, item.info, item.distance, evidence_id, created))
    return visit_id, items


def _record_package(ws: WorkspaceStore, manifest_text: str, package_id: str, batch: Optional[str],
                    exported_at: str) -> None:
    with ws.transaction() as conn:
        if conn.execute(f'SELECT 1 FROM {FIELD_PACKAGE_TABLE} WHERE "WYB" = ?', (package_id,)).fetchone():
            return
        conn.execute(f'INSERT INTO {FIELD_PACKAGE_TABLE} ("WYB", "PCMC", "DCSJ", "DRSJ", "MANIFEST", "XGR", "XGSJ") '
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (package_id, batch, exported_at, now_iso(), manifest_text, ws.user, now_iso()))


def _sqlstate(exc: Optional[BaseException]) -> str:
    return str(getattr(exc, "pgcode", "") or "")


def refused_by_roles(exc: BaseException) -> bool:
    """The database's row security refused the write (a technician and another town's patch)."""
    return OTHER_TOWN_SQLSTATE in (_sqlstate(exc), _sqlstate(exc.__cause__))


def _failed(item: PlanItem, exc: BaseException) -> PlanItem:
    message = exc.message if isinstance(exc, WpzfError) else Message(
        QT_TRANSLATE_NOOP("domain", "The visit was not stored: {reason}"), reason=str(exc))
    status = DAMAGED if isinstance(exc, OSError) else REFUSED if refused_by_roles(exc) else FAILED
    if isinstance(exc, sqlite3.IntegrityError) or _sqlstate(exc) == "23505":  # unique_violation: WYBS stored
        status, message = ALREADY, Message(QT_TRANSLATE_NOOP("domain", "Visit {key} was imported before; nothing "
                                                                       "added."), key=item.visit.key if item.visit else "")
    return PlanItem(item.jcbh, item.item, status, message, item.path, item.visit)


def _carry_out(ws: WorkspaceStore, root: Path, result: ImportResult, progress: Optional[Callable[[float], None]],
               is_canceled: Optional[Callable[[], bool]]) -> None:
    to_store = [i for i in result.plan.items if i.status == "to_store"]
    done = 0
    for item in result.plan.items:
        if item.status != "to_store" or item.visit is None:
            result.items.append(item)
            continue
        if is_canceled is not None and is_canceled():
            raise Canceled(QT_TRANSLATE_NOOP("domain", "Canceled; the visits stored so far are kept, running again "
                                                       "adds only the missing ones."))
        try:
            visit_id, photo_items = _store_visit(ws, root, item.visit)
        except _RECOVERABLE as exc:
            result.items.append(_failed(item, exc))
        else:
            result.items.append(PlanItem(item.jcbh, VISIT, STORED, item.message or Message(
                QT_TRANSLATE_NOOP("domain", "Stored as field visit {id}."), id=visit_id), item.path, item.visit))
            result.items += photo_items
            result.visits += 1
            result.photos += sum(p.status == STORED for p in photo_items)
        done += 1
        if progress is not None:
            progress(done / len(to_store))


def _add_evidence(ws: WorkspaceStore, fid: int, source: Path, info: PhotoInfo,
                  distance: Optional[float]) -> AddResult:
    """One photo as evidence of patch ``fid`` in its own transaction, on either kind of workspace."""
    if isinstance(ws, PgWorkspace):
        return add_shared_file(ws, fid, source, PHOTO, photo=info, distance=distance)
    assert isinstance(ws, Workspace)  # the two kinds of workspace
    return add_file(ws, fid, source, PHOTO, photo=info, distance=distance)


def _loose_refused(ws: WorkspaceStore, fid: int, exc: BaseException) -> Message:
    mapped = database_refusal(ws, fid, exc, None, {}) if refused_by_roles(exc) else None
    if mapped is not None:
        return mapped.message
    return exc.message if isinstance(exc, WpzfError) else Message(
        QT_TRANSLATE_NOOP("domain", "The photo was not stored: {reason}"), reason=str(exc))


def _store_loose(ws: WorkspaceStore, root: Path, item: PlanItem, info: PhotoInfo, match: PhotoMatch) -> PlanItem:
    """An unreferenced photo matched to ``match``'s patch, stored as its evidence (no visit); the report item."""
    assert match.patch_fid is not None and match.jcbh is not None  # only matched photos come here
    try:
        added = _add_evidence(ws, match.patch_fid, root / item.path, info, match.distance)
    except _RECOVERABLE as exc:
        status = REFUSED if refused_by_roles(exc) else FAILED
        return PlanItem(match.jcbh, PHOTO_ITEM, status, _loose_refused(ws, match.patch_fid, exc), item.path)
    return PlanItem(match.jcbh, PHOTO_ITEM, STORED if added.created else ALREADY, Message(QT_TRANSLATE_NOOP(
        "domain", "No visit record names this photo; stored as evidence {id} of the patch ({how}, {distance} m)."),
        id=added.record.id, how=match.how, distance=f"{match.distance or 0.0:.1f}"), item.path)


def _read_loose(root: Path, item: PlanItem) -> tuple[PhotoInfo, Optional[PlanItem]]:
    """EXIF of an unreferenced photo; a damaged item instead when it cannot be read."""
    try:
        return read_photo_info(root / item.path), None
    except (WpzfError, OSError) as exc:
        message = exc.message if isinstance(exc, WpzfError) else Message(
            QT_TRANSLATE_NOOP("domain", "The photo was not stored: {reason}"), reason=str(exc))
        return PhotoInfo(), PlanItem(item.jcbh, item.item, DAMAGED, message, item.path)


def store_unreferenced(ws: WorkspaceStore, root: Path, result: ImportResult, fids: Sequence[int],
                       max_distance: float, is_canceled: Optional[Callable[[], bool]] = None) -> None:
    """Store the photos no record names as evidence of the package's patch they fall in or nearest one.

    Matched as wpzf:importphotos matches (inside, else nearest within
    ``max_distance`` m); a photo without a position or too far stays
    reported, with the reason. Each photo is stored in its own transaction;
    after a cancel the rest stay reported as not imported.
    """
    loose = [i for i in result.items if i.item == PHOTO_ITEM and i.status == UNREFERENCED]
    if not loose:
        return
    read = [_read_loose(root, item) for item in loose]
    matches = match_photos(load_patch_shapes(ws, fids=fids), [(i.lon, i.lat) for i, _ in read], max_distance)
    outcome: dict[int, PlanItem] = {}
    for item, (info, damaged), match in zip(loose, read, matches):
        if is_canceled is not None and is_canceled():
            break
        if damaged is not None:
            outcome[id(item)] = damaged
        elif not match.matched:
            outcome[id(item)] = PlanItem(item.jcbh, item.item, UNREFERENCED, Message(QT_TRANSLATE_NOOP(
                "domain", "No visit record names this photo and it was not stored: {reason}"),
                reason=match.reason or "—"), item.path)
        else:
            outcome[id(item)] = stored = _store_loose(ws, root, item, info, match)
            result.unreferenced += stored.status == STORED
    result.photos += sum(i.status == STORED for i in outcome.values())
    result.items = [outcome.get(id(i), i) for i in result.items]


def import_package(ws: WorkspaceStore, path: Path | str, *, progress: Optional[Callable[[float], None]] = None,
                   is_canceled: Optional[Callable[[], bool]] = None, unreferenced: bool = False,
                   max_distance: float = 50.0) -> ImportResult:
    """Read, plan and store the returned package ``path`` (folder or .zip); every item in the result.

    A package that cannot be read at all (no manifest, damaged data.gpkg) or
    that belongs to another workspace stores nothing and says why.
    ``unreferenced``: also store the DCIM photos no record names
    (:func:`store_unreferenced`, within ``max_distance`` metres).
    """
    identity = workspace_identity(ws)
    with opened_package(path) as root:
        try:
            manifest = read_manifest(root)
            tables = read_tables(root, (PATCH_LAYER, VISIT_LAYER))
        except (ManifestError, PackageError) as exc:
            item = PlanItem("", PACKAGE, DAMAGED, exc.message)
            return ImportResult(ImportPlan([item], refused=True), items=[item])
        now = read_patches(ws, [p.fid for p in manifest.patches])
        plan = plan_import(manifest, identity, now, tables[PATCH_LAYER], tables[VISIT_LAYER], dcim_files(root),
                           imported_keys(ws), verify_files(root, manifest))
        result = ImportResult(plan, manifest.package_id)
        if plan.refused:
            result.items = list(plan.items)
            return result
        if plan.visits():
            _record_package(ws, manifest.to_text(), manifest.package_id, manifest.batch, manifest.exported_at)
        _carry_out(ws, root, result, progress, is_canceled)
        if unreferenced:
            store_unreferenced(ws, root, result, sorted(now), max_distance, is_canceled)
    return result


def report_rows(result: ImportResult) -> Sequence[PlanItem]:
    """The report's rows: by patch (package-wide items first), in plan order within a patch."""
    return sorted(result.items, key=lambda i: (i.jcbh != "", i.jcbh))
