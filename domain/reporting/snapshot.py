"""The snapshot frozen at each submission (一上/二上): exactly what was reported.

The content is a canonical JSON document of the batch's patches (every column,
the geometry blob) and their field visits, referrals, rectification, case and
evidence records, ordered by id and serialised with sorted keys, so the same
data always gives the same bytes and the same SHA-256. It is stored inside the
workspace (``wpzf_snapshot.content``, append-only) and written beside it under
``snapshots/`` for hand-over. A shared (PostGIS) workspace has no folder: its
snapshots live in the database only and their ``file_path`` is ``db:``.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP
from ..output_files import replaced_whole
from ..workspace.interface import WorkspaceStore, insert_row
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import WorkspaceError

FORMAT = "wpzf-snapshot/1"
SNAPSHOT_DIR = "snapshots"
IN_DATABASE = "db:"
"""file_path of a snapshot kept only in the database (a workspace without a folder)."""
_CHILDREN = ("wpzf_field_visit", "wpzf_referral", "wpzf_rectification", "wpzf_evidence", "wpzf_case_progress")
"""Per-patch record tables in a snapshot; after a lock they may still grow (appended progress records)."""


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot: where its file is, its hash and how many patches it holds."""

    id: int
    batch: str
    stage: str
    file_path: str
    sha256: str
    created_at: str
    created_by: str
    n_patches: int


def _rows(ws: WorkspaceStore, sql: str, params: tuple) -> list[dict]:
    cur = ws.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [{n: (v.hex() if isinstance(v, bytes) else v) for n, v in zip(names, row)} for row in cur]


def export_document(ws: WorkspaceStore, batch: str, stage: str) -> dict:
    """Everything reported for ``batch`` at ``stage``, as the snapshot's JSON document."""
    found = ws.conn.execute('SELECT id, "PCMC", "JSRQ", "PDQX" FROM wpzf_batch WHERE "PCMC" = ?', (batch,)).fetchone()
    if found is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch)
    batch_id = found[0]
    document = {
        "format": FORMAT, "stage": stage,
        "batch": {"PCMC": found[1], "JSRQ": found[2], "PDQX": found[3]},
        "patches": _rows(ws, f"SELECT * FROM {PATCH_TABLE} WHERE batch_id = ? ORDER BY fid", (batch_id,)),
    }
    for table in _CHILDREN:
        document[table] = _rows(
            ws, f"SELECT c.* FROM {table} c JOIN {PATCH_TABLE} p ON p.fid = c.patch_fid "
                f"WHERE p.batch_id = ? ORDER BY c.id", (batch_id,))
    return document


def canonical(document: dict) -> bytes:
    """The one byte form of a snapshot document (sorted keys, no spaces, UTF-8)."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def export_batch(ws: WorkspaceStore, batch: str, stage: str) -> bytes:
    """Canonical bytes of everything reported for ``batch`` at ``stage``."""
    return canonical(export_document(ws, batch, stage))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def safe_name(text: str) -> str:
    """A file-name part from a batch or stage name (no separators or reserved characters)."""
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text).strip("._") or "batch"


def write_snapshot(ws: WorkspaceStore, batch: str, stage: str, content: bytes) -> Snapshot:
    """Store ``content`` for ``batch``/``stage`` (caller's transaction) and write its file; return it."""
    digest = sha256(content)
    relative = IN_DATABASE
    if ws.path is not None:
        relative = f"{SNAPSHOT_DIR}/{safe_name(ws.path.stem)}_{safe_name(batch)}_{safe_name(stage)}_{digest[:12]}.json"
        target = ws.path.parent / relative
        if not target.exists():
            with replaced_whole(target) as partial:
                partial.write_bytes(content)
    from ..workspace.store import now_iso

    created = now_iso()
    n_patches = len(json.loads(content)["patches"])
    snapshot_id = insert_row(
        ws.conn,
        "INSERT INTO wpzf_snapshot (batch_id, stage, file_path, sha256, created_at, created_by, content, format, "
        'n_patches) SELECT id, ?, ?, ?, ?, ?, ?, ?, ? FROM wpzf_batch WHERE "PCMC" = ?',
        (stage, relative, digest, created, ws.user, content, FORMAT, n_patches, batch))
    if snapshot_id is None:  # no such batch: the SELECT gave no row to insert
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch)
    return Snapshot(snapshot_id, batch, stage, relative, digest, created, ws.user, n_patches)


def snapshots(ws: WorkspaceStore, batch: str | None = None) -> list[Snapshot]:
    sql = ('SELECT s.id, b."PCMC", s.stage, s.file_path, s.sha256, s.created_at, s.created_by, s.n_patches '
           "FROM wpzf_snapshot s JOIN wpzf_batch b ON b.id = s.batch_id")
    rows = ws.conn.execute(sql + (' WHERE b."PCMC" = ? ORDER BY s.id' if batch else " ORDER BY s.id"),
                           (batch,) if batch else ())
    return [Snapshot(*r) for r in rows]


@dataclass(frozen=True)
class AddedRecord:
    """A per-patch record stored after the snapshot was taken (e.g. progress appended after the lock)."""

    table: str
    id: int
    patch_fid: int
    inserted_at: str = ""
    """When the audit log saw it inserted ('' when the audit log has no INSERT for it)."""
    inserted_by: str = ""


@dataclass(frozen=True)
class SnapshotCheck:
    """Whether a snapshot is intact and whether the batch still holds exactly what it says.

    ``matches_current`` compares what the snapshot holds with the same rows
    now: the batch, every patch row and every record the snapshot contains.
    Records stored after it (``added``) are not part of what was reported and
    do not count as a change — after a lock, progress is appended as new
    records (work plan 四(二); domain.md §9).
    """

    snapshot: Snapshot
    content_intact: bool
    file_intact: bool
    matches_current: bool
    added: tuple[AddedRecord, ...] = ()

    @property
    def n_added(self) -> int:
        """How many records were added since the snapshot (the reviewer's "N records added since")."""
        return len(self.added)

    def added_by_table(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self.added:
            counts[record.table] = counts.get(record.table, 0) + 1
        return counts


def _without_added(stored: dict, current: dict) -> tuple[dict, list[tuple[str, int, int]]]:
    """``current`` reduced to the records the snapshot holds, and the records added since (table, id, patch).

    What existed when the snapshot was taken is exactly what it lists: a
    snapshot is a full export of the batch at that moment, its hash proves it
    unaltered, and record ids are never reused (AUTOINCREMENT / identity). So
    a record whose id the snapshot does not list was stored after it — no
    clock comparison is needed (a PostGIS client's and server's clocks may
    differ). A record the snapshot lists that changed or went, or any change
    of a patch row, still makes the documents differ. A table the snapshot
    has no list of (taken before the table was exported) holds only added records.
    """
    kept = dict(current)
    added: list[tuple[str, int, int]] = []
    for table in _CHILDREN:
        rows = current.get(table, [])
        listed = {row.get("id") for row in stored.get(table, [])}
        added += [(table, int(row["id"]), int(row["patch_fid"])) for row in rows if row.get("id") not in listed]
        if table in stored:
            kept[table] = [row for row in rows if row.get("id") in listed]
        else:
            kept.pop(table, None)
    return kept, added


def _audited_inserts(ws: WorkspaceStore, added: list[tuple[str, int, int]]) -> tuple[AddedRecord, ...]:
    """The added records with their INSERT time and author from the audit log (for the reviewer)."""
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for table in sorted({t for t, _, _ in added}):
        ids = [i for t, i, _ in added if t == table]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row_id, at, who in ws.conn.execute(
                    "SELECT row_id, at, who FROM wpzf_audit WHERE table_name = ? AND action = 'INSERT' "
                    f"AND row_id IN ({', '.join('?' for _ in chunk)}) ORDER BY id", (table, *chunk)):
                found.setdefault((table, int(row_id)), (str(at or ""), str(who or "")))
    return tuple(AddedRecord(t, i, f, *found.get((t, i), ("", ""))) for t, i, f in added)


def verify_snapshot(ws: WorkspaceStore, snapshot_id: int) -> SnapshotCheck:
    """Re-hash the stored content and its file, and compare it with the same rows of the batch now.

    Records added since the snapshot (progress appended after the lock) are
    left out of the comparison and listed in the result's ``added``.
    """
    row = ws.conn.execute("SELECT content, stage FROM wpzf_snapshot WHERE id = ?", (snapshot_id,)).fetchone()
    if row is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no snapshot {id}."), id=snapshot_id)
    snap = next(s for s in snapshots(ws) if s.id == snapshot_id)
    content = bytes(row[0] or b"")
    if snap.file_path == IN_DATABASE or ws.path is None:  # no file to be damaged: only the stored content
        file_ok = snap.file_path == IN_DATABASE
    else:
        path = Path(ws.path.parent / snap.file_path)
        file_ok = path.is_file() and sha256(path.read_bytes()) == snap.sha256
    try:
        stored = json.loads(content)
    except ValueError:
        stored = None
    current = export_document(ws, snap.batch, row[1])
    if not isinstance(stored, dict):  # unreadable content: nothing to compare with
        return SnapshotCheck(snap, sha256(content) == snap.sha256, file_ok, False)
    kept, added = _without_added(stored, current)
    return SnapshotCheck(snap, sha256(content) == snap.sha256, file_ok, canonical(kept) == content,
                         _audited_inserts(ws, added))
