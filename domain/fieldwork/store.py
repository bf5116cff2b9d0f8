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
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..casework.records import FieldVisit
from ..casework.save import add_field_visit
from ..evidence.exif import PhotoInfo, read_photo_info
from ..evidence.matching import project_points
from ..evidence.store import PHOTO, StagedFile, discard_staged, record_staged, stage_file
from ..messages import QT_TRANSLATE_NOOP, Message, WpzfError
from ..progress import Canceled
from ..workspace import gpkg
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
    STORED,
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


def imported_keys(ws: Workspace) -> set[str]:
    """WYBS of every visit the workspace holds (a visit typed in the office has none)."""
    return {str(r[0]) for r in ws.conn.execute('SELECT "WYBS" FROM wpzf_field_visit WHERE "WYBS" IS NOT NULL')}


def _patch_geometry(ws: Workspace, fid: int):
    import shapely

    row = ws.conn.execute(f"SELECT geom FROM {PATCH_TABLE} WHERE fid = ?", (fid,)).fetchone()
    return shapely.from_wkb(gpkg.wkb_of(row[0])) if row and row[0] is not None else None


def distance_to_patch(ws: Workspace, fid: int, info: PhotoInfo) -> Optional[float]:
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


def _read_photos(ws: Workspace, root: Path, visit: PlannedVisit) -> list[tuple[str, PhotoInfo, Optional[float]]]:
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


def _store_visit(ws: Workspace, root: Path, visit: PlannedVisit) -> tuple[int, list[PlanItem]]:
    """One visit and its photos in one transaction; (visit id, a report item per photo)."""
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
        items.append(PlanItem(visit.jcbh, PHOTO_ITEM, STORED if created else ALREADY, Message(QT_TRANSLATE_NOOP(
            "domain", "Evidence {id}: taken {taken}, {distance} m from the patch."), id=evidence_id,
            taken=item.info.taken_at or "—", distance="—" if item.distance is None else f"{item.distance:.1f}"),
            item.path))
    return visit_id, items


def _record_package(ws: Workspace, manifest_text: str, package_id: str, batch: Optional[str],
                    exported_at: str) -> None:
    with ws.transaction() as conn:
        if conn.execute(f'SELECT 1 FROM {FIELD_PACKAGE_TABLE} WHERE "WYB" = ?', (package_id,)).fetchone():
            return
        conn.execute(f'INSERT INTO {FIELD_PACKAGE_TABLE} ("WYB", "PCMC", "DCSJ", "DRSJ", "MANIFEST", "XGR", "XGSJ") '
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (package_id, batch, exported_at, now_iso(), manifest_text, ws.user, now_iso()))


def _failed(item: PlanItem, exc: BaseException) -> PlanItem:
    message = exc.message if isinstance(exc, WpzfError) else Message(
        QT_TRANSLATE_NOOP("domain", "The visit was not stored: {reason}"), reason=str(exc))
    status = DAMAGED if isinstance(exc, OSError) else FAILED
    if isinstance(exc, sqlite3.IntegrityError):
        status, message = ALREADY, Message(QT_TRANSLATE_NOOP("domain", "Visit {key} was imported before; nothing "
                                                                       "added."), key=item.visit.key if item.visit else "")
    return PlanItem(item.jcbh, item.item, status, message, item.path, item.visit)


def _carry_out(ws: Workspace, root: Path, result: ImportResult, progress: Optional[Callable[[float], None]],
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
        except (WpzfError, OSError, sqlite3.Error) as exc:
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


def import_package(ws: Workspace, path: Path | str, *, progress: Optional[Callable[[float], None]] = None,
                   is_canceled: Optional[Callable[[], bool]] = None) -> ImportResult:
    """Read, plan and store the returned package ``path`` (folder or .zip); every item in the result.

    A package that cannot be read at all (no manifest, damaged data.gpkg) or
    that belongs to another workspace stores nothing and says why.
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
    return result


def report_rows(result: ImportResult) -> Sequence[PlanItem]:
    """The report's rows: by patch (package-wide items first), in plan order within a patch."""
    return sorted(result.items, key=lambda i: (i.jcbh != "", i.jcbh))
