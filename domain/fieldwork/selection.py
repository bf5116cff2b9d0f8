"""The workspace side of a package: its identity, the chosen patches as exported, and as they are now.

Why one reader for both directions: the export records each patch's row
version and office fingerprint, the import compares them with the patch as
it is then; reading both with the same query keeps "changed in the office
since export" meaning exactly "a patch column or the geometry changed".
Works on a GeoPackage and a shared PostGIS workspace (sqlite-style SQL).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP
from ..workspace.columns import PATCH_COLUMNS
from ..workspace.interface import WorkspaceError, WorkspaceStore
from ..workspace.postgis.store import PgWorkspace
from ..workspace.schema import PATCH_TABLE
from ..workspace.tables import WORKSPACE_ID_KEY
from .layout import OFFICE_COLUMNS, TOWN_FIELD, VILLAGE_FIELD
from .manifest import PatchAtExport, fingerprint


def workspace_identity(ws: WorkspaceStore) -> str:
    """The workspace's own id (wpzf_meta ``workspace_id``, schema 7); an error when it has none."""
    row = ws.conn.execute("SELECT value FROM wpzf_meta WHERE key = ?", (WORKSPACE_ID_KEY,)).fetchone()
    if row is None or not row[0]:
        raise WorkspaceError(QT_TRANSLATE_NOOP(
            "domain", "The workspace has no identity (wpzf_meta.workspace_id): open it with this plugin version "
            "to upgrade it, then export the field package again."))
    return str(row[0])


@dataclass(frozen=True)
class PatchNow:
    """A patch as the workspace holds it: fid, JCBH, batch, version, fingerprint, shipped values, town, village."""

    fid: int
    jcbh: str
    batch: str
    version: Optional[str]
    fingerprint: str
    values: dict[str, Any]

    def at_export(self) -> PatchAtExport:
        return PatchAtExport(self.fid, self.jcbh, self.batch, self.version, self.fingerprint, self.values)


def _version(ws: WorkspaceStore, values: dict[str, Any], row_version: Any) -> Optional[str]:
    version = row_version if isinstance(ws, PgWorkspace) else values.get("XGSJ")
    return None if version is None else str(version)


def read_patches(ws: WorkspaceStore, fids: Iterable[int]) -> dict[int, PatchNow]:
    """fid → :class:`PatchNow` for each of ``fids`` the workspace holds (a deleted one is simply absent)."""
    wanted = sorted({int(f) for f in fids})
    names = [c.name for c in PATCH_COLUMNS]
    shared = isinstance(ws, PgWorkspace)
    out: dict[int, PatchNow] = {}
    listed = ", ".join(f'p."{n}"' for n in names)  # quoted: PostgreSQL folds unquoted names to lower case
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = ws.conn.execute(
            f'SELECT p.fid, b."PCMC", d."XZMC", d."CJMC", p.geom, {listed}'
            f"{', p.row_version' if shared else ', NULL'} FROM {PATCH_TABLE} p "
            "JOIN wpzf_batch b ON b.id = p.batch_id LEFT JOIN wpzf_patch_division d ON d.patch_fid = p.fid "
            f"WHERE p.fid IN ({', '.join('?' for _ in chunk)})", tuple(chunk)).fetchall()
        for row in rows:
            values = dict(zip(names, row[5:5 + len(names)]))
            geometry = row[4]
            raw = bytes(geometry) if isinstance(geometry, (bytes, bytearray, memoryview)) else \
                str(geometry or "").encode()
            shipped = {n: values.get(n) for n in OFFICE_COLUMNS}
            shipped.update({TOWN_FIELD: row[2], VILLAGE_FIELD: row[3]})
            out[int(row[0])] = PatchNow(int(row[0]), str(values["JCBH"]), str(row[1]),
                                        _version(ws, values, row[-1]), fingerprint(values, raw), shipped)
    return out


def batch_fids(ws: WorkspaceStore, batch: Optional[str]) -> list[int]:
    """fids of every patch of ``batch`` (all batches when None), in fid order."""
    if batch:
        rows = ws.conn.execute(f"SELECT p.fid FROM {PATCH_TABLE} p JOIN wpzf_batch b ON b.id = p.batch_id "
                               'WHERE b."PCMC" = ? ORDER BY p.fid', (batch,)).fetchall()
    else:
        rows = ws.conn.execute(f"SELECT fid FROM {PATCH_TABLE} ORDER BY fid").fetchall()
    return [int(r[0]) for r in rows]


def duplicate_numbers(patches: Iterable[PatchNow]) -> list[str]:
    """JCBH values chosen more than once (the same number delivered in two batches): a package needs them unique."""
    seen: dict[str, int] = {}
    for patch in patches:
        seen[patch.jcbh] = seen.get(patch.jcbh, 0) + 1
    return sorted(j for j, n in seen.items() if n > 1)
