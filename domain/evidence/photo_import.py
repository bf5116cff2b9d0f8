"""Import a folder of field photos: read EXIF, match each photo to a patch, copy it in.

Every photo found gets one :class:`PhotoRow`, matched or not, readable or
not, so the caller can list them all: a photo is never silently dropped.
Each matched photo is copied and recorded in its own transaction, so a run
stopped half-way keeps what it finished, and running again on the same folder
adds only what is missing (copies are recognised by their SHA-256).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, Message, WpzfError
from ..workspace.store import Workspace
from .exif import PHOTO_SUFFIXES, PhotoInfo, read_photo_info, require_pillow
from .matching import UNMATCHED, PhotoMatch, load_patch_shapes, match_photos
from .store import PHOTO, add_file

ADDED, ALREADY, NOT_IMPORTED, FAILED, CANCELED = "added", "already", "not_imported", "failed", "canceled"
"""What happened to a photo (the adapter shows these in the user's language)."""

READ_SHARE = 0.3  # share of the progress bar spent reading EXIF; copying takes the rest


@dataclass
class PhotoRow:
    """One photo of the folder and what became of it."""

    path: Path
    info: PhotoInfo
    match: PhotoMatch
    status: str = NOT_IMPORTED
    evidence_id: int | None = None
    error: Message | None = None

    @property
    def reason(self) -> Message | None:
        """Why the photo is not in a patch's evidence (None when it is)."""
        return self.error or self.match.reason


def find_photos(folder: Path, recursive: bool, exclude: Path | None = None) -> list[Path]:
    """Photo files under ``folder`` in a stable order, never those inside ``exclude``."""
    folder = Path(folder)
    candidates = folder.rglob("*") if recursive else folder.glob("*")
    excluded = exclude.resolve() if exclude is not None else None
    photos = []
    for path in candidates:
        if path.suffix.lower() not in PHOTO_SUFFIXES or not path.is_file():
            continue
        if excluded is not None and (excluded == path.resolve() or excluded in path.resolve().parents):
            continue  # the workspace's own evidence copies
        photos.append(path)
    return sorted(photos, key=lambda p: p.relative_to(folder).as_posix())


def import_photos(
    ws: Workspace,
    folder: Path | str,
    *,
    recursive: bool = True,
    max_distance: float = 50.0,
    batch: str | None = None,
    progress: Callable[[float], None] | None = None,
    is_canceled: Callable[[], bool] | None = None,
) -> list[PhotoRow]:
    """Match and copy every photo under ``folder``; one row per photo, in file order.

    After a cancel the remaining photos are listed with status ``canceled``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PhotoImportError(QT_TRANSLATE_NOOP("domain", "Photo folder not found: {path}"), path=str(folder))
    require_pillow()
    shapes = load_patch_shapes(ws, batch)
    photos = find_photos(folder, recursive, exclude=ws.evidence_dir)
    infos, errors, canceled = _read_infos(photos, progress, is_canceled)
    matches = match_photos(shapes, [(i.lon, i.lat) for i in infos], max_distance)
    rows = [PhotoRow(path, info, match, error=error) for path, info, match, error in zip(photos, infos, matches, errors)]
    for row in rows:
        if row.error is not None:
            row.status = FAILED
    for path in photos[len(rows):]:
        rows.append(PhotoRow(path, PhotoInfo(), PhotoMatch(None, None, UNMATCHED, None), CANCELED))
    _copy_matched(ws, rows, canceled, progress, is_canceled)
    return rows


def _read_infos(photos: list[Path], progress: Callable[[float], None] | None,
                is_canceled: Callable[[], bool] | None) -> tuple[list[PhotoInfo], list[Message | None], bool]:
    """EXIF of each photo until a cancel (an unreadable one gets an empty info and its error); canceled?"""
    infos: list[PhotoInfo] = []
    errors: list[Message | None] = []
    for n, path in enumerate(photos, 1):
        if is_canceled is not None and is_canceled():
            return infos, errors, True
        try:
            infos.append(read_photo_info(path))
            errors.append(None)
        except WpzfError as exc:
            infos.append(PhotoInfo())
            errors.append(exc.message)
        if progress is not None:
            progress(READ_SHARE * n / len(photos))
    return infos, errors, False


def _copy_matched(ws: Workspace, rows: list[PhotoRow], canceled: bool, progress: Callable[[float], None] | None,
                  is_canceled: Callable[[], bool] | None) -> None:
    """Add each matched, not yet imported photo to its patch's evidence; after a cancel the rest are canceled."""
    to_copy = [row for row in rows if row.match.matched and row.status == NOT_IMPORTED]
    for n, row in enumerate(to_copy, 1):
        if canceled or (is_canceled is not None and is_canceled()):
            canceled = True
            row.status = CANCELED
            continue
        fid = row.match.patch_fid
        assert fid is not None  # a matched photo always names its patch
        try:
            result = add_file(ws, fid, row.path, PHOTO, photo=row.info)
        except WpzfError as exc:
            row.status, row.error = FAILED, exc.message
        else:
            row.status = ADDED if result.created else ALREADY
            row.evidence_id = result.record.id
        if progress is not None:
            progress(READ_SHARE + (1 - READ_SHARE) * n / len(to_copy))


class PhotoImportError(WpzfError, RuntimeError):
    """The photo import cannot start (folder or batch missing)."""
