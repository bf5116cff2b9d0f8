"""File names that can never leave the workspace's ``evidence/`` folder.

Evidence arrives with names chosen elsewhere (cameras, scanners, e-mail
attachments, other operating systems). Every name is reduced to one plain
path component before it touches the disk, and every stored relative path is
checked again when it is turned back into an absolute one, so a crafted or
corrupt row (``../../x``, ``/etc/passwd``, ``C:\\x``, ``\\\\server\\share``,
NUL bytes, ``CON``) can neither write nor open anything outside ``evidence/``.
"""
from __future__ import annotations

import errno
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from ..messages import QT_TRANSLATE_NOOP, WpzfError

MAX_COMPONENT_BYTES = 180
"""Room under the usual 255-byte name limit for the hash prefix and a counter."""

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in range(10)] + [f"LPT{i}" for i in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
FALLBACK_NAME = "file"


class EvidencePathError(WpzfError, ValueError):
    """A stored evidence path points outside ``evidence/`` or is malformed."""


def _fit(text: str, limit: int = MAX_COMPONENT_BYTES) -> str:
    """Shorten ``text`` to ``limit`` UTF-8 bytes, keeping its extension."""
    if len(text.encode("utf-8")) <= limit:
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = text, ""
    suffix = f".{ext}" if ext else ""
    budget = limit - len(suffix.encode("utf-8"))
    out = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return out.rstrip(" .") + suffix


def safe_component(text: str) -> str:
    """``text`` as ONE harmless path component (separators become ``_``).

    Used for folder names such as a patch's JCBH: nothing is cut away, every
    character a file system could read as structure is replaced.
    """
    text = unicodedata.normalize("NFC", str(text))
    text = _FORBIDDEN.sub("_", text).strip(" ")
    text = text.lstrip(".").rstrip(" .")  # no '.', '..', hidden files, Windows trailing dots
    if not text:
        return FALLBACK_NAME
    base = text.split(".", 1)[0].rstrip(" ")
    if base.upper() in _RESERVED:
        text = "_" + text
    return _fit(text)


def safe_file_name(name: str) -> str:
    """The last component of ``name`` (any of ``/`` or ``\\``), made harmless.

    ``C:\\photos\\x.jpg`` → ``x.jpg``, ``../../x.jpg`` → ``x.jpg``, ``/etc/passwd``
    → ``passwd``: a path from another system keeps only its file name.
    """
    last = re.split(r"[\\/]", str(name).replace("\x00", ""))[-1]
    return safe_component(last)


def safe_relative_path(folder: str, file_name: str) -> str:
    """``folder/file_name`` as a POSIX relative path that stays inside ``evidence/``.

    Stored with ``/`` on every platform so a workspace moves between machines.
    """
    return f"{safe_component(folder)}/{safe_file_name(file_name)}"


def _bad_path(relative: str) -> EvidencePathError:
    return EvidencePathError(
        QT_TRANSLATE_NOOP("domain", "Evidence path {path!r} is not a plain path inside the evidence folder."),
        path=relative,
    )


def check_relative(relative: str) -> PurePosixPath:
    """A stored relative path, refused unless it is plain and relative."""
    if not isinstance(relative, str) or not relative or "\x00" in relative or "\\" in relative:
        raise _bad_path(str(relative))
    path = PurePosixPath(relative)
    if path.is_absolute() or re.match(r"^[A-Za-z]:", relative):
        raise _bad_path(relative)
    if any(part in ("", ".", "..") for part in relative.split("/")):
        raise _bad_path(relative)
    if any(safe_component(part) != part for part in path.parts):
        raise _bad_path(relative)
    return path


def _link_error(relative: str, link: Path) -> EvidencePathError:
    return EvidencePathError(QT_TRANSLATE_NOOP(
        "domain", "Evidence path {path!r} goes through the symbolic link {link}; evidence files must stay "
                  "inside the evidence folder, so it is neither read nor written."), path=relative, link=str(link))


def _is_link(path: Path) -> bool:
    """A symbolic link, or on Windows a junction (``os.path.isjunction`` from Python 3.12)."""
    is_junction = getattr(os.path, "isjunction", None)
    return path.is_symlink() or bool(is_junction and is_junction(path))


def resolve_inside(evidence_dir: Path, relative: str) -> Path:
    """Absolute path of ``relative`` under ``evidence_dir``, proved to stay inside it.

    The evidence folder itself may be a link the office set up (resolved once
    and trusted); below it no component may be a symbolic link or junction,
    even one pointing back inside, and the resolved path must stay inside the
    resolved folder — a planted ``evidence/<JCBH>`` link is refused.
    """
    path = check_relative(relative)
    root = Path(evidence_dir).resolve()
    current = root
    for part in path.parts:
        current = current / part
        if _is_link(current):
            raise _link_error(relative, current)
    target = current.resolve()
    if target == root or root not in target.parents:
        raise _bad_path(relative)
    return target


O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
"""0 on Windows: :func:`open_stored` then checks the link and the file's identity itself."""


def open_stored(path: Path):
    """Open a stored evidence file for reading, never through a symbolic link.

    With ``O_NOFOLLOW`` the kernel refuses a link at the last component; where
    it is missing (Windows) the path is refused when it is a link, and the
    opened file must be the very file ``lstat`` saw (same device and inode), so
    a link swapped in between is caught as well.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    if O_NOFOLLOW:
        try:
            fd = os.open(path, flags | O_NOFOLLOW)
        except OSError as exc:
            if exc.errno == errno.ELOOP or path.is_symlink():
                raise _link_error(path.name, path) from exc
            raise
        return os.fdopen(fd, "rb")
    if _is_link(path):
        raise _link_error(path.name, path)
    before = os.lstat(path)
    fd = os.open(path, flags)
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino) or _is_link(path):
        os.close(fd)
        raise _link_error(path.name, path)
    return os.fdopen(fd, "rb")
