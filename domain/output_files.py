"""Writing an output file so it is either whole or not there, with an error a technician can act on. No Qt.

Why: a workbook, report or index half-written when the disk filled up or the
user canceled would replace last month's good file with a broken one; and a
folder typed into the Processing dialog that does not exist yet, or one the
user may not write to, must be said in words, not as a Python traceback.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from .messages import QT_TRANSLATE_NOOP, Message, WpzfError


class OutputFileError(WpzfError, OSError):
    """An output file could not be written; names the file and the system's reason."""


@contextlib.contextmanager
def replaced_whole(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to, moved onto ``path`` once the block ends without error.

    The folder is created when missing. On any error (a cancel too) the
    temporary file is removed and ``path`` stays as it was; an ``OSError``
    becomes :class:`OutputFileError`.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    try:
        made_folder(path.parent)
        yield partial
        partial.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WpzfError):
            raise cannot_write(path, exc) from exc
        raise


def made_folder(folder: Path | str) -> Path:
    """``folder`` (and its parents) made as needed; :class:`OutputFileError` naming it when that fails."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(folder, exc) from exc
    return folder


def cannot_write(path: Path | str, exc: OSError) -> OutputFileError:
    """The error saying ``path`` could not be written, with the system's reason (or a plainer one)."""
    reason: object = exc.strerror or str(exc)
    if isinstance(exc, (FileExistsError, NotADirectoryError)):  # "File exists" says little to a technician
        reason = Message(QT_TRANSLATE_NOOP("domain", "a file is in the way where a folder is needed"))
    return OutputFileError(QT_TRANSLATE_NOOP("domain", "Could not write {path}: {reason}"), path=str(path),
                           reason=reason)
