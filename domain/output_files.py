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

from .messages import QT_TRANSLATE_NOOP, WpzfError


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
        path.parent.mkdir(parents=True, exist_ok=True)
        yield partial
        partial.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WpzfError):
            raise OutputFileError(QT_TRANSLATE_NOOP("domain", "Could not write {path}: {reason}"),
                                  path=str(path), reason=exc.strerror or str(exc)) from exc
        raise
