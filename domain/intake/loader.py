"""Store a prepared delivery in a workspace: one transaction, all or nothing."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shapely

from ..messages import QT_TRANSLATE_NOOP, Message
from ..progress import Canceled
from ..workspace import gpkg
from ..workspace.columns import MINISTRY_FIELD_NAMES
from ..workspace.interface import insert_row
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import Workspace, WorkspaceError, deadline_for, now_iso
from .patches import Preparation, Problem, normalise_id

CHUNK = 500


@dataclass
class ImportResult:
    """What an import did, for the algorithm's outputs and the report table."""

    batch: str
    imported: int = 0
    repaired: int = 0
    rejected: int = 0
    duplicate: int = 0
    reissued: int = 0
    warned: int = 0
    """Imported patches that carry at least one warning (outside the zone, a non-numeric area…)."""
    unchanged: bool = False
    problems: list[Problem] = field(default_factory=list)
    placed: int | None = None
    """New patches given a town from the stored boundaries (None: the workspace holds none)."""
    unplaced: list[str] = field(default_factory=list)
    """JCBH of new patches outside every stored town."""
    placement_error: str = ""

    def summary(self) -> dict[str, int]:
        return {
            "imported": self.imported, "repaired": self.repaired, "rejected": self.rejected,
            "duplicate": self.duplicate, "reissued": self.reissued, "warned": self.warned,
        }


def sha256_of_files(paths: list[Path]) -> str:
    """SHA-256 over the named files in sorted order (a shapefile is several files)."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name.lower()):
        digest.update(path.name.lower().encode())
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def already_imported(ws: Workspace, batch: str, sha256: str) -> bool:
    """True when this exact source was already imported into ``batch``."""
    row = ws.conn.execute(
        "SELECT 1 FROM wpzf_batch_source s JOIN wpzf_batch b ON b.id = s.batch_id "
        'WHERE b."PCMC" = ? AND s.sha256 = ?',
        (batch, sha256),
    ).fetchone()
    return row is not None


def store(
    ws: Workspace,
    prep: Preparation,
    batch: str,
    received: str,
    source_name: str,
    sha256: str,
    progress: Callable[[float], None] = lambda f: None,
    is_canceled: Callable[[], bool] = lambda: False,
    source_crs: str | None = None,
) -> ImportResult:
    """Write the prepared patches into ``batch`` (created if new) in one transaction."""
    result = ImportResult(batch, problems=list(prep.problems))
    if already_imported(ws, batch, sha256):
        result.unchanged = True
        return result
    deadline = deadline_for(received)
    srs_id = ws.epsg
    with ws.transaction() as conn:
        batch_id = _ensure_batch(conn, batch, received, deadline)
        # stored IDs are compared in their normalised form too: a workspace filled before IDs were
        # normalised may hold full-width spellings, which must still match (and never hide a re-issue)
        in_batch = {normalise_id(r[0]) for r in conn.execute(
            f'SELECT "JCBH" FROM {PATCH_TABLE} WHERE batch_id = ?', (batch_id,))}
        elsewhere = {
            normalise_id(jcbh): pcmc for jcbh, pcmc in conn.execute(
                f'SELECT p."JCBH", b."PCMC" FROM {PATCH_TABLE} p JOIN wpzf_batch b ON b.id = p.batch_id '
                "WHERE p.batch_id != ? ORDER BY p.fid",
                (batch_id,),
            )
        }
        rows = []
        stored_ids: set[str] = set()
        for p in prep.patches:
            if p.jcbh in in_batch:
                result.problems.append(Problem(p.jcbh, p.index, "duplicate", Message(
                    QT_TRANSLATE_NOOP("domain", "Already in batch {batch}; the stored patch was not overwritten."),
                    batch=batch)))
                continue
            reissued = p.jcbh in elsewhere
            if reissued:
                result.problems.append(Problem(p.jcbh, p.index, "reissued", Message(
                    QT_TRANSLATE_NOOP("domain", "Re-issued: already delivered in batch {other}; imported as a new record, the earlier one is unchanged."),
                    other=elsewhere[p.jcbh])))
            rows.append(_row(p, batch_id, deadline, srs_id, reissued, ws.user, source_crs))
            stored_ids.add(p.jcbh)
        columns = ["geom", *MINISTRY_FIELD_NAMES, "batch_id", "YSSX", "YSZB", "XFBZ", "XFSM",
                   "CXXF", "PDQX", "XGR", "XGSJ"]
        names = ", ".join(f'"{c}"' for c in columns)
        sql = (
            f"INSERT INTO {PATCH_TABLE} ({names}) "
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        for start in range(0, len(rows), CHUNK):
            if is_canceled():
                raise Canceled(QT_TRANSLATE_NOOP("domain", "Import canceled; the workspace is unchanged."))
            conn.executemany(sql, rows[start : start + CHUNK])
            progress((start + CHUNK) / max(len(rows), 1))
        gpkg.update_extent(conn, PATCH_TABLE)
        kinds = [p.kind for p in result.problems]
        result.imported = len(rows)
        result.repaired = kinds.count("repaired")
        result.rejected = kinds.count("rejected")
        result.duplicate = kinds.count("duplicate")
        result.reissued = kinds.count("reissued")
        result.warned = len({p.jcbh for p in result.problems if p.kind == "warning"} & stored_ids)
        conn.execute(
            "INSERT INTO wpzf_batch_source (batch_id, file_name, sha256, imported_at, imported_by, summary) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (batch_id, source_name, sha256, now_iso(), ws.user, json.dumps(result.summary())),
        )
    return result


def _ensure_batch(conn, batch: str, received: str, deadline: str) -> int:
    row = conn.execute('SELECT id, "JSRQ", "SDZT" FROM wpzf_batch WHERE "PCMC" = ?', (batch,)).fetchone()
    if row is None:
        new_id = insert_row(conn, 'INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX", "XGSJ") VALUES (?, ?, ?, ?)',
                            (batch, received, deadline, now_iso()))
        assert new_id is not None  # an INSERT … VALUES adds its row or raises
        return new_id
    batch_id, known_received, locked = row
    if locked:
        raise WorkspaceError(
            QT_TRANSLATE_NOOP("domain", "Batch {batch} is locked; no patches can be imported into it."), batch=batch
        )
    if known_received != received:
        raise WorkspaceError(
            QT_TRANSLATE_NOOP("domain", "Batch {batch} was received on {known}, not on RECEIVED={received}."),
            batch=batch, known=known_received, received=received,
        )
    return batch_id


def _row(p, batch_id: int, deadline: str, srs_id: int, reissued: bool, user: str, source_crs: str | None) -> tuple:
    geom = p.geometry
    blob = gpkg.encode(shapely.to_wkb(geom), srs_id, geom.bounds)
    return (
        blob,
        *(p.ministry[name] for name in MINISTRY_FIELD_NAMES),
        batch_id,
        p.verbatim_json,
        source_crs,
        int(p.repaired),
        p.repair_note,
        int(reissued),
        deadline,
        user,
        now_iso(),
    )
