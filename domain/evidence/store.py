"""Evidence files (佐证资料) of a patch: copied into ``evidence/``, recorded in wpzf_evidence.

A file handed in is never moved and nothing in ``evidence/`` is ever
overwritten. The copy lands as ``evidence/<JCBH>/<sha256[:12]>_<name>``,
written to a temporary file first and then linked into place, and its row is
inserted in one transaction; if the insert fails the copy is removed again,
so the folder and the table never disagree. Rows hold the path relative to
``evidence/`` with ``/`` separators, so a workspace folder can be moved or
copied to another machine. The same content offered twice for the same patch
is recognised by its SHA-256 and recorded once.

Locked batches: the database refuses UPDATE/DELETE of a locked batch's
evidence but lets new evidence be appended (rectification goes on after the
stage is locked), so :func:`add_file` works on locked batches too.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, WpzfError
from ..progress import Canceled
from ..workspace.interface import WorkspaceStore, insert_row
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import Workspace, now_iso
from .exif import PhotoInfo
from .paths import (
    EvidencePathError,
    check_relative,
    open_stored,
    resolve_inside,
    safe_component,
    safe_file_name,
    safe_relative_path,
)

__all__ = [
    "KINDS", "PHOTO", "EvidenceError", "EvidencePathError", "EvidenceRecord", "AddResult", "VerifyReport",
    "add_file", "list_evidence", "resolve", "verify", "file_sha256", "safe_relative_path",
    "StagedFile", "stage_file", "record_staged", "discard_staged",
]

PHOTO, APPROVAL, FILING, OTHER = "照片", "批文", "备案", "其他"
KINDS: tuple[str, ...] = (PHOTO, APPROVAL, FILING, OTHER)
"""资料类型 values of wpzf_evidence.ZLLX."""

_CHUNK = 1 << 20
_COLUMNS = 'id, patch_fid, "ZLLX", "WJLJ", "YSWJM", "SHA256", "WJDX", "PSSJ", "JD", "WD", "FWJ", "WH", "SM", "XGR", "XGSJ"'


class EvidenceError(WpzfError, RuntimeError):
    """Evidence cannot be added or found; the message names the file and the reason."""


@dataclass(frozen=True)
class EvidenceRecord:
    """One row of wpzf_evidence."""

    id: int
    patch_fid: int
    kind: str
    relative_path: str
    original_name: str
    sha256: str
    size: int
    taken_at: str | None = None
    lon: float | None = None
    lat: float | None = None
    bearing: float | None = None
    doc_number: str | None = None
    note: str | None = None
    recorded_by: str | None = None
    recorded_at: str | None = None

    @property
    def is_photo(self) -> bool:
        return self.kind == PHOTO


@dataclass(frozen=True)
class AddResult:
    """The stored record and whether this call created it (False: already recorded)."""

    record: EvidenceRecord
    created: bool


@dataclass
class VerifyReport:
    """Outcome of re-hashing every evidence file against its recorded SHA-256."""

    checked: int = 0
    missing: list[EvidenceRecord] = field(default_factory=list)
    changed: list[EvidenceRecord] = field(default_factory=list)
    unsafe: list[EvidenceRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.unsafe)


def file_sha256(path: Path, *, stored: bool = False) -> tuple[str, int]:
    """(hex SHA-256, size in bytes) of a file, read in chunks.

    ``stored``: a file inside ``evidence/``, opened without following a
    symbolic link (a file handed in from outside may well be one).
    """
    digest = hashlib.sha256()
    size = 0
    with (open_stored(path) if stored else open(path, "rb")) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _row(values: tuple) -> EvidenceRecord:
    return EvidenceRecord(*values)


def list_evidence(ws: WorkspaceStore, patch_fid: int | None = None) -> list[EvidenceRecord]:
    """Evidence of one patch (every patch when None), oldest first."""
    where, params = ("WHERE patch_fid = ?", (patch_fid,)) if patch_fid is not None else ("", ())
    rows = ws.conn.execute(f"SELECT {_COLUMNS} FROM wpzf_evidence {where} ORDER BY id", params)
    return [_row(r) for r in rows]


def resolve(ws: Workspace, relative: str) -> Path:
    """Absolute path of a stored evidence path, refused unless inside ``evidence/``."""
    return resolve_inside(ws.evidence_dir, relative)


def _patch_folder(ws: Workspace, patch_fid: int) -> str:
    row = ws.conn.execute(f'SELECT "JCBH" FROM {PATCH_TABLE} WHERE fid = ?', (patch_fid,)).fetchone()
    if row is None:
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "The workspace has no patch with fid {fid}."), fid=patch_fid)
    return safe_component(row[0] or f"fid{patch_fid}")


def _existing(ws: Workspace, patch_fid: int, sha256: str) -> EvidenceRecord | None:
    row = ws.conn.execute(
        f"SELECT {_COLUMNS} FROM wpzf_evidence WHERE patch_fid = ? AND \"SHA256\" = ? ORDER BY id LIMIT 1",
        (patch_fid, sha256),
    ).fetchone()
    return _row(row) if row else None


def _copy_to_temp(source: Path, folder: Path) -> tuple[Path, str, int]:
    """Copy ``source`` to a new hidden temp file in ``folder``, hashing what was written."""
    digest = hashlib.sha256()
    size = 0
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".incoming-", suffix=".part", delete=False)
    temp = Path(handle.name)
    try:
        with handle, open(source, "rb") as src:
            while chunk := src.read(_CHUNK):
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, digest.hexdigest(), size


def _place(temp: Path, target: Path) -> bool:
    """Give ``temp`` the name ``target`` unless that name exists; True when placed.

    A hard link fails atomically when the name is taken, so a concurrent
    writer can never be overwritten; where links are unsupported (FAT, some
    network shares) a checked rename is the fallback.
    """
    try:
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError:
        if target.exists():
            return False
        os.rename(temp, target)
        return True
    temp.unlink()
    return True


def _store_copy(temp: Path, folder: Path, relative_folder: str, name: str, sha256: str) -> tuple[str, Path, bool]:
    """Put the copy under a free name (or find identical content already there).

    Returns (relative path, absolute path, whether this call created the file).
    """
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    for counter in range(1, 1000):
        extra = "" if counter == 1 else f"_{counter}"
        candidate = safe_component(f"{sha256[:12]}_{stem}{extra}{dot}{ext}")
        target = folder / candidate
        if _place(temp, target):
            return f"{relative_folder}/{candidate}", target, True
        if target.is_symlink():  # a link planted under the name: never trusted, never followed
            temp.unlink(missing_ok=True)
            resolve_inside(folder.parent, f"{relative_folder}/{candidate}")
        if target.is_file() and file_sha256(target, stored=True)[0] == sha256:
            temp.unlink(missing_ok=True)  # identical bytes already stored (e.g. same JCBH in another batch)
            return f"{relative_folder}/{candidate}", target, False
    temp.unlink(missing_ok=True)
    raise EvidenceError(QT_TRANSLATE_NOOP("domain", "No free file name for {name} in {folder}."),
                        name=name, folder=str(folder))


def _check_source(source: Path, kind: str) -> None:
    """An existing evidence file of a known kind; EvidenceError naming the file otherwise."""
    if kind not in KINDS:
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "Evidence kind ZLLX must be one of {kinds}, got {kind!r}."),
                            kinds=" / ".join(KINDS), kind=kind)
    if not source.is_file():
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "Evidence file not found: {path}"), path=str(source))


def _source_sha256(source: Path) -> str:
    try:
        return file_sha256(source)[0]
    except OSError as exc:
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "Cannot read evidence file {path}: {reason}"),
                            path=str(source), reason=str(exc)) from exc


def _undo_partial_add(temp: Path | None, created: Path | None, folder: Path | None) -> None:
    """Remove what a failed add left behind: the temporary copy, a file it created, an emptied folder."""
    if temp is not None:
        temp.unlink(missing_ok=True)
    if created is not None:
        created.unlink(missing_ok=True)
    if folder is not None:
        _remove_if_empty(folder)


def _raise_as_evidence_error(exc: BaseException, source: Path, relative_folder: str) -> None:
    """Re-raise a path, file or database failure as an EvidenceError naming the file; return for the rest."""
    if isinstance(exc, EvidencePathError):
        raise EvidenceError(QT_TRANSLATE_NOOP(
            "domain", "Evidence file {path} was not added to patch {jcbh} (field WJLJ): {reason}"),
            path=str(source), jcbh=relative_folder, reason=exc.message) from exc
    if isinstance(exc, (WpzfError, KeyboardInterrupt, SystemExit)):
        return
    if isinstance(exc, (OSError, sqlite3.Error)):
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "Evidence file {path} was not added: {reason}"),
                            path=str(source), reason=str(exc)) from exc


@dataclass(frozen=True)
class StagedFile:
    """A file copied into ``evidence/`` but not yet recorded (:func:`stage_file`): where, what, whether new."""

    source: Path
    relative_path: str
    target: Path
    created: bool
    sha256: str
    size: int
    original_name: str


def stage_file(ws: Workspace, patch_fid: int, source: Path | str, original_name: str | None = None) -> StagedFile:
    """Copy ``source`` into the patch's evidence folder without recording it.

    The caller records it with :func:`record_staged` inside its own
    transaction (so a record and its files are stored together) and calls
    :func:`discard_staged` if that transaction fails. Raises
    :class:`EvidenceError` naming the file; then nothing is left behind.
    """
    source = Path(source)
    _check_source(source, OTHER)
    name = safe_file_name(original_name or source.name)
    relative_folder = _patch_folder(ws, patch_fid)
    sha256 = _source_sha256(source)
    folder: Path | None = None
    temp: Path | None = None
    target: Path | None = None
    created_file = False
    try:
        resolve_inside(ws.evidence_dir, relative_folder)  # refuses a planted link before anything is made
        (ws.evidence_dir / relative_folder).mkdir(parents=True, exist_ok=True)
        folder = resolve_inside(ws.evidence_dir, relative_folder)  # and once more after mkdir
        temp, copied_sha, size = _copy_to_temp(source, folder)
        if copied_sha != sha256:
            raise EvidenceError(QT_TRANSLATE_NOOP("domain", "Evidence file {path} changed while it was copied; try again."),
                                path=str(source))
        relative, target, created_file = _store_copy(temp, folder, relative_folder, name, sha256)
    except BaseException as exc:
        _undo_partial_add(temp, target if created_file else None, folder)
        _raise_as_evidence_error(exc, source, relative_folder)
        raise
    return StagedFile(source, relative, target, created_file, sha256, size,
                      (original_name or source.name).replace("\x00", ""))


def discard_staged(staged: StagedFile) -> None:
    """Remove what :func:`stage_file` created (nothing when the content was already stored)."""
    if staged.created:
        staged.target.unlink(missing_ok=True)
        _remove_if_empty(staged.target.parent)


def record_staged(ws: Workspace, conn, patch_fid: int, staged: StagedFile, kind: str, *,
                  photo: PhotoInfo | None = None, note: str | None = None, doc_number: str | None = None,
                  visit_id: int | None = None, distance: float | None = None) -> tuple[int, bool]:
    """Record a staged file in the caller's transaction ``conn``: (evidence id, whether this call created it).

    ``visit_id`` links the file to its field visit and ``distance`` is the
    photo's distance to the patch in metres (schema 7); both are written only
    when given. Content already recorded for the patch is not recorded twice.
    """
    known = _existing(ws, patch_fid, staged.sha256)
    if known is not None:
        return known.id, False
    photo = photo or PhotoInfo()
    values = {"patch_fid": patch_fid, "ZLLX": kind, "WJLJ": staged.relative_path, "YSWJM": staged.original_name,
              "SHA256": staged.sha256, "WJDX": staged.size, "PSSJ": photo.taken_at, "JD": photo.lon, "WD": photo.lat,
              "FWJ": photo.bearing, "WH": doc_number or None, "SM": note or None, "XGR": ws.user, "XGSJ": now_iso()}
    if visit_id is not None:
        values["visit_id"] = visit_id
    if distance is not None:
        values["JL"] = distance
    names = ", ".join(f'"{n}"' for n in values)
    marks = ", ".join("?" for _ in values)
    row_id = insert_row(conn, f"INSERT INTO wpzf_evidence ({names}) VALUES ({marks})", tuple(values.values()))
    assert row_id is not None  # an INSERT … VALUES adds its row or raises
    return row_id, True


def add_file(
    ws: Workspace,
    patch_fid: int,
    source: Path | str,
    kind: str,
    *,
    note: str | None = None,
    doc_number: str | None = None,
    photo: PhotoInfo | None = None,
    original_name: str | None = None,
    is_canceled: Callable[[], bool] | None = None,
    distance: float | None = None,
) -> AddResult:
    """Copy ``source`` into the patch's evidence folder and record it.

    ``kind`` is one of :data:`KINDS`; ``photo`` carries EXIF position, bearing
    and time. Identical content already recorded for this patch is returned
    with ``created=False`` and nothing is copied. ``distance``: the photo's
    distance to the patch in metres (JL), when known. Raises :class:`EvidenceError`
    with the file name and the reason when anything goes wrong; then neither a
    file nor a row is left behind.
    """
    source = Path(source)
    _check_source(source, kind)
    known = _existing(ws, patch_fid, _source_sha256(source))
    if known is not None:
        return AddResult(known, False)
    staged = stage_file(ws, patch_fid, source, original_name)
    try:
        if is_canceled is not None and is_canceled():
            raise Canceled()
        with ws.transaction() as conn:
            row_id, created = record_staged(ws, conn, patch_fid, staged, kind, photo=photo, note=note,
                                            doc_number=doc_number, distance=distance)
    except BaseException as exc:
        discard_staged(staged)
        _raise_as_evidence_error(exc, source, staged.relative_path.rsplit("/", 1)[0])
        raise
    record = _row(ws.conn.execute(f"SELECT {_COLUMNS} FROM wpzf_evidence WHERE id = ?", (row_id,)).fetchone())
    if not created and staged.created and record.relative_path != staged.relative_path:
        staged.target.unlink(missing_ok=True)  # another client recorded the same content meanwhile
    return AddResult(record, created)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (other evidence) or already gone


def verify(ws: Workspace, progress: Callable[[float], None] | None = None) -> VerifyReport:
    """Re-hash every recorded file: which are missing, changed, or stored under an unsafe path."""
    report = VerifyReport()
    records = list_evidence(ws)
    for n, record in enumerate(records, 1):
        report.checked += 1
        try:
            check_relative(record.relative_path)
            path = resolve(ws, record.relative_path)
        except EvidencePathError:
            report.unsafe.append(record)
            continue
        try:
            if not path.is_file():
                report.missing.append(record)
            elif file_sha256(path, stored=True)[0] != record.sha256:
                report.changed.append(record)
        except EvidencePathError:  # replaced by a link after resolve()
            report.unsafe.append(record)
        if progress is not None:
            progress(n / len(records))
    return report
