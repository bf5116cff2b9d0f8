"""Reading a field package as it comes back: a folder, or a .zip from the device or QFieldCloud.

Why careful: the package comes from outside the office. A zip member named
``../../x`` or ``C:/x`` (zip-slip) or a symbolic link would write outside
the folder it is unpacked into, so such a package is refused, naming the
member, before anything is unpacked; so is a zip that would not fit on the
disk, or a member that inflates beyond any photo or GeoPackage (a zip bomb
would otherwise fill the office's disk). The manifest may sit at the top or one
folder down (a zipped project folder). ``data.gpkg`` is read from a copy
(with its ``-wal`` journal when the device left one), so the returned folder
is never changed by reading it, and a damaged file is reported by name.
"""
from __future__ import annotations

import shutil
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, WpzfError
from .layout import DATA_FILE, DCIM_DIR, MANIFEST_FILE

#: A member inflating more than this many times its packed size, and to more than :data:`BOMB_MIN_BYTES`,
#: is no photo (JPEG does not shrink) nor a GeoPackage (≈ 3–20×): the package is refused.
BOMB_RATIO = 200
BOMB_MIN_BYTES = 256 * 1024 * 1024
#: Room left on the disk after unpacking (the office's other work needs it too).
DISK_RESERVE_BYTES = 512 * 1024 * 1024


class PackageError(WpzfError, ValueError):
    """The package cannot be read (or is refused); the message names the file or zip member."""


def unsafe_member(name: str) -> bool:
    """A zip member name that would land outside the folder it is unpacked into."""
    text = name.replace("\\", "/")
    if not text or text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return True
    return any(part == ".." for part in PurePosixPath(text).parts)


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_sizes(path: Path, members: list[zipfile.ZipInfo], target: Path) -> None:
    """Refuse a zip bomb and a package the disk holding ``target`` has no room for, naming sizes.

    The declared sizes are what unpacking can write: :mod:`zipfile` stops
    reading a member at its declared size.
    """
    for info in members:
        if info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
            raise PackageError(QT_TRANSLATE_NOOP(
                "domain", "Package {path} was refused: its member {member} would inflate from {packed} to {size} MB, "
                "which no photo or GeoPackage does."), path=str(path), member=info.filename,
                packed=f"{info.compress_size / 2**20:.1f}", size=f"{info.file_size / 2**20:.0f}")
    needed = sum(info.file_size for info in members)
    free = shutil.disk_usage(target).free
    if needed + DISK_RESERVE_BYTES > free:
        raise PackageError(QT_TRANSLATE_NOOP(
            "domain", "Package {path} needs {needed} MB unpacked, but the disk of {folder} has {free} MB free: "
            "free some space or import the unzipped folder."), path=str(path), needed=f"{needed / 2**20:.0f}",
            folder=str(target), free=f"{free / 2**20:.0f}")


def extract_zip(path: Path, target: Path) -> None:
    """Unpack ``path`` into ``target`` after checking every member (zip-slip, links, bombs and room refused)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            for info in members:
                if unsafe_member(info.filename) or _is_link(info):
                    raise PackageError(QT_TRANSLATE_NOOP(
                        "domain", "Package {path} was refused: its member {member} would be written outside "
                        "the package folder."), path=str(path), member=info.filename)
            _check_sizes(path, members, target)
            for info in members:
                destination = target.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, open(destination, "wb") as out:
                    shutil.copyfileobj(source, out)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PackageError(QT_TRANSLATE_NOOP("domain", "Package {path} cannot be read: {reason}"),
                           path=str(path), reason=str(exc)) from exc


def find_root(folder: Path, shown: Optional[Path] = None) -> Path:
    """The folder holding manifest.json: ``folder`` itself or its one subfolder that does.

    ``shown``: the path the user chose, named in the error (a .zip, not the temporary folder it was unpacked to).
    """
    if (folder / MANIFEST_FILE).is_file():
        return folder
    found = [p.parent for p in folder.glob(f"*/{MANIFEST_FILE}") if p.is_file()]
    if len(found) == 1:
        return found[0]
    raise PackageError(QT_TRANSLATE_NOOP("domain", "{path} is not a WPZF field package: no {name} found."),
                       path=str(shown or folder), name=MANIFEST_FILE)


@contextmanager
def opened_package(path: Path | str) -> Iterator[Path]:
    """The package's root folder while the block runs (a .zip is unpacked into a temporary folder)."""
    path = Path(path)
    if path.is_dir():
        yield find_root(path)
        return
    if not path.is_file():
        raise PackageError(QT_TRANSLATE_NOOP("domain", "Package not found: {path}"), path=str(path))
    with tempfile.TemporaryDirectory(prefix="wpzf-package-") as temp:
        extract_zip(path, Path(temp))
        yield find_root(Path(temp), path)


def dcim_files(root: Path) -> set[str]:
    """Files under DCIM/ as '/'-separated paths relative to the package root."""
    folder = root / DCIM_DIR
    if not folder.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}


def _rows(conn: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    if not columns:
        raise sqlite3.DatabaseError(f"no table {table}")
    wanted = [c for c in columns if c.lower() != "geom"]
    cursor = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in wanted)} FROM "{table}" ORDER BY 1')
    return [dict(zip(wanted, row)) for row in cursor]


def read_tables(root: Path, tables: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """The rows (without geometry) of each table of the package's data.gpkg, read from a copy.

    :class:`PackageError` naming data.gpkg and the reason when the file is
    missing, not a database, damaged, or lacks one of ``tables``.
    """
    source = root / DATA_FILE
    if not source.is_file():
        raise PackageError(QT_TRANSLATE_NOOP("domain", "The package has no {name}."), name=DATA_FILE)
    with tempfile.TemporaryDirectory(prefix="wpzf-gpkg-") as temp:
        copy = Path(temp) / DATA_FILE
        shutil.copyfile(source, copy)
        journal = source.with_name(DATA_FILE + "-wal")
        if journal.is_file():
            shutil.copyfile(journal, copy.with_name(DATA_FILE + "-wal"))
        conn = sqlite3.connect(copy)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            return {table: _rows(conn, table) for table in tables}
        except sqlite3.Error as exc:
            raise PackageError(QT_TRANSLATE_NOOP("domain", "{name} of the package is damaged: {reason}"),
                               name=DATA_FILE, reason=str(exc)) from exc
        finally:
            conn.close()
