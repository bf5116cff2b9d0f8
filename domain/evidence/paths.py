"""File names that can never leave the workspace's ``evidence/`` folder.

Evidence arrives with names chosen elsewhere (cameras, scanners, e-mail
attachments, other operating systems). Every name is reduced to one plain
path component before it touches the disk, and every stored relative path is
checked again when it is turned back into an absolute one, so a crafted or
corrupt row (``../../x``, ``/etc/passwd``, ``C:\\x``, ``\\\\server\\share``,
NUL bytes, ``CON``) can neither write nor open anything outside ``evidence/``.
"""
from __future__ import annotations

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


def resolve_inside(evidence_dir: Path, relative: str) -> Path:
    """Absolute path of ``relative`` under ``evidence_dir``, proved to stay inside it.

    The check runs on the resolved path, so a symbolic link planted inside
    ``evidence/`` that points elsewhere is refused too.
    """
    path = check_relative(relative)
    root = Path(evidence_dir).resolve()
    target = (root / Path(*path.parts)).resolve()
    if target == root or root not in target.parents:
        raise _bad_path(relative)
    return target
