"""File names from patch numbers (JCBH) that every file system accepts.

JCBH usually is digits, but delivered files carry anything: slashes,
colons, trailing dots, names Windows reserves (CON, NUL, COM1 …). A map must
never land outside the chosen folder or overwrite another patch's map.
"""
from __future__ import annotations

import re

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 120


def _stem(name: str, fallback: str) -> str:
    stem = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    stem = stem.lstrip(".") or fallback  # no hidden files, no "." or ".."
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem[:MAX_STEM].rstrip(". ") or fallback


def safe_file_name(name: object, taken: set[str] | None = None, extension: str = "pdf",
                   fallback: str = "patch") -> str:
    """``name`` made safe as a file name with ``extension``; unique within ``taken`` (updated).

    Uniqueness is case-insensitive, as on Windows and macOS: a second "A1"
    or "a1" becomes "A1_2".
    """
    stem = _stem("" if name is None else str(name), fallback)
    suffix = f".{extension}" if extension else ""
    candidate, n = stem + suffix, 1
    if taken is not None:
        lowered = {t.lower() for t in taken}
        while candidate.lower() in lowered:
            n += 1
            candidate = f"{stem}_{n}{suffix}"
        taken.add(candidate)
    return candidate
