"""manifest.json of a field package: whose package it is, what it held, and every file's SHA-256.

Why: a package comes back days later, maybe through QFieldCloud, maybe as a
copy of a copy. The manifest lets the import refuse a package of another
workspace (``workspace_id``), recognise one imported before (``package_id``,
stored as WYB), see a patch the office changed meanwhile (each patch's row
version and the fingerprint of its office values at export), tell the
field's edits of office fields from the values shipped (``values``), and
name any file that is missing or was changed (``files``: SHA-256 of every
file but the manifest itself).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, WpzfError
from .layout import FORMAT_VERSION, MANIFEST_FILE, PACKAGE_FORMAT

_CHUNK = 1 << 20


class ManifestError(WpzfError, ValueError):
    """The manifest is missing or unreadable; the message names the file and the field."""


@dataclass(frozen=True)
class PatchAtExport:
    """One exported patch: workspace fid, JCBH, batch, row version, office fingerprint, values shipped."""

    fid: int
    jcbh: str
    batch: str
    version: Optional[str]
    fingerprint: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"fid": self.fid, "JCBH": self.jcbh, "batch": self.batch, "version": self.version,
                "fingerprint": self.fingerprint, "values": dict(self.values)}


@dataclass(frozen=True)
class Manifest:
    """What :func:`write_manifest` stores and :func:`read_manifest` returns."""

    package_id: str
    workspace_id: str
    workspace_name: str
    batch: Optional[str]
    exported_at: str
    exported_by: str
    patches: tuple[PatchAtExport, ...]
    results: tuple[str, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict)

    def patch(self, jcbh: str) -> Optional[PatchAtExport]:
        """The exported patch numbered ``jcbh`` (None: not in this package)."""
        return next((p for p in self.patches if p.jcbh == jcbh), None)

    def as_json(self) -> dict[str, Any]:
        return {"format": PACKAGE_FORMAT, "format_version": FORMAT_VERSION, "package_id": self.package_id,
                "workspace_id": self.workspace_id, "workspace_name": self.workspace_name, "batch": self.batch,
                "exported_at": self.exported_at, "exported_by": self.exported_by,
                "results": list(self.results), "patches": [p.as_json() for p in self.patches],
                "files": dict(sorted(self.files.items()))}

    def to_text(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=1, default=str)


def fingerprint(values: Mapping[str, Any], geometry: Optional[bytes] = None) -> str:
    """SHA-256 of a patch's office values (key order free) and geometry: changes when any of them does."""
    digest = hashlib.sha256(json.dumps({k: values[k] for k in sorted(values)}, ensure_ascii=False,
                                       default=str, sort_keys=True).encode("utf-8"))
    digest.update(b"\x00" + (geometry or b""))
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def package_files(folder: Path) -> list[str]:
    """Every regular file under ``folder`` but the manifest, as '/'-separated relative paths, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink() and p.relative_to(folder).as_posix() != MANIFEST_FILE)


def hash_files(folder: Path) -> dict[str, str]:
    """relative path → SHA-256 of every file of the package folder (the manifest excepted)."""
    return {name: file_sha256(folder / name) for name in package_files(folder)}


def write_manifest(folder: Path, manifest: Manifest) -> Manifest:
    """Hash every file in ``folder`` and write manifest.json; returns the manifest with its file list."""
    from dataclasses import replace

    done = replace(manifest, files=hash_files(folder))
    (folder / MANIFEST_FILE).write_text(done.to_text(), encoding="utf-8")
    return done


def _required(data: Mapping[str, Any], key: str, where: str) -> Any:
    value = data.get(key)
    if value is None or value == "":
        raise ManifestError(QT_TRANSLATE_NOOP("domain", "The package manifest {path} has no {field}."),
                            path=where, field=key)
    return value


def _patch(data: Any, where: str) -> PatchAtExport:
    if not isinstance(data, dict):
        raise ManifestError(QT_TRANSLATE_NOOP("domain", "The package manifest {path} has no {field}."),
                            path=where, field="patches")
    raw = data.get("values")
    values: dict[str, Any] = raw if isinstance(raw, dict) else {}
    version = data.get("version")
    return PatchAtExport(int(_required(data, "fid", where)), str(_required(data, "JCBH", where)),
                         str(data.get("batch") or ""), None if version is None else str(version),
                         str(_required(data, "fingerprint", where)), values)


def parse_manifest(text: str, where: str = MANIFEST_FILE) -> Manifest:
    """The manifest in ``text``; :class:`ManifestError` naming the field when it is not a WPZF package's."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(QT_TRANSLATE_NOOP("domain", "The package manifest {path} is not valid JSON: {reason}"),
                            path=where, reason=str(exc)) from exc
    if not isinstance(data, dict) or data.get("format") != PACKAGE_FORMAT:
        raise ManifestError(QT_TRANSLATE_NOOP("domain", "{path} is not the manifest of a WPZF field package."),
                            path=where)
    patches = data.get("patches")
    files = data.get("files")
    try:
        return Manifest(
            str(_required(data, "package_id", where)), str(_required(data, "workspace_id", where)),
            str(data.get("workspace_name") or ""), data.get("batch") or None,
            str(_required(data, "exported_at", where)), str(data.get("exported_by") or ""),
            tuple(_patch(p, where) for p in (patches if isinstance(patches, list) else [])),
            tuple(str(r) for r in data.get("results") or ()),
            {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {})
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ManifestError):
            raise
        raise ManifestError(QT_TRANSLATE_NOOP("domain", "The package manifest {path} is not valid JSON: {reason}"),
                            path=where, reason=str(exc)) from exc


def read_manifest(folder: Path) -> Manifest:
    """manifest.json of the package folder ``folder``."""
    path = folder / MANIFEST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(QT_TRANSLATE_NOOP("domain", "The package has no readable manifest {path}: {reason}"),
                            path=str(path), reason=str(exc)) from exc
    return parse_manifest(text, str(path))


SAME, CHANGED, MISSING, ADDED = "same", "changed", "missing", "added"


@dataclass(frozen=True)
class FileCheck:
    """One file of the package compared with the manifest: same, changed, missing or added."""

    path: str
    status: str


def verify_files(folder: Path, manifest: Manifest) -> list[FileCheck]:
    """Each file the manifest lists or the folder holds, with how it compares (sorted by path)."""
    present = set(package_files(folder))
    checks = []
    for name in sorted(present | set(manifest.files)):
        if name not in present:
            checks.append(FileCheck(name, MISSING))
        elif name not in manifest.files:
            checks.append(FileCheck(name, ADDED))
        else:
            checks.append(FileCheck(name, SAME if file_sha256(folder / name) == manifest.files[name] else CHANGED))
    return checks
