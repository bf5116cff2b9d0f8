"""Evidence (佐证资料) of a patch on a shared PostGIS workspace: the files live in the database.

A server has no ``evidence/`` folder beside it, so each file's bytes are kept
once per content in ``wpzf_evidence_file`` (by SHA-256) and the patch's
``wpzf_evidence`` row names it as on a GeoPackage
(``<JCBH>/<sha256[:12]>_<name>``), so a copy back to a GeoPackage restores
the same layout. The same content offered twice for the same patch is
recorded once. Row and file go in one transaction: neither is left alone.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..evidence.exif import PhotoInfo
from ..evidence.paths import safe_component, safe_file_name
from ..evidence.store import KINDS, AddResult, EvidenceError, EvidenceRecord, list_evidence
from ..messages import QT_TRANSLATE_NOOP
from ..workspace.interface import insert_row
from ..workspace.postgis.ddl import EVIDENCE_FILE_TABLE
from ..workspace.postgis.store import PgWorkspace
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import now_iso

__all__ = ["add_shared_file", "evidence_content", "list_evidence"]


def _record(ws: PgWorkspace, patch_fid: int, **match: object) -> EvidenceRecord | None:
    """The patch's first evidence record whose attributes equal ``match`` (e.g. sha256=…)."""
    return next((r for r in list_evidence(ws, patch_fid)
                 if all(getattr(r, k) == v for k, v in match.items())), None)


def add_shared_file(ws: PgWorkspace, patch_fid: int, source: Path | str, kind: str, *,
                    doc_number: str | None = None, note: str | None = None,
                    photo: PhotoInfo | None = None, visit_id: int | None = None,
                    distance: float | None = None) -> AddResult:
    """Store ``source`` in the database as evidence of patch ``patch_fid`` (``created`` False: already there).

    ``visit_id`` links the file to its field visit and ``distance`` is the
    photo's distance to the patch in metres (schema 7), written only when
    given. Called inside the caller's transaction (a field package's visit),
    the row and the file join it: stored with the visit or not at all.
    """
    source = Path(source)
    if kind not in KINDS:
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "Evidence kind ZLLX must be one of {kinds}, got {kind!r}."),
                            kinds=" / ".join(KINDS), kind=kind)
    try:
        content = source.read_bytes()
    except OSError as exc:
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "Cannot read evidence file {path}: {reason}"),
                            path=str(source), reason=str(exc)) from exc
    sha256 = hashlib.sha256(content).hexdigest()
    photo = photo or PhotoInfo()
    with ws.transaction() as cur:
        found = ws.conn.execute(f'SELECT "JCBH" FROM {PATCH_TABLE} WHERE fid = ?', (patch_fid,)).fetchone()
        if found is None:
            raise EvidenceError(QT_TRANSLATE_NOOP("domain", "The workspace has no patch with fid {fid}."),
                                fid=patch_fid)
        known = _record(ws, patch_fid, sha256=sha256)
        if known is not None:
            return AddResult(known, False)
        cur.execute(f"INSERT INTO {EVIDENCE_FILE_TABLE} (sha256, size, content) VALUES (?, ?, ?) "
                    "ON CONFLICT (sha256) DO NOTHING", (sha256, len(content), content))
        name = safe_file_name(source.name)
        relative = f"{safe_component(found[0] or f'fid{patch_fid}')}/{safe_component(f'{sha256[:12]}_{name}')}"
        values = {"patch_fid": patch_fid, "ZLLX": kind, "WJLJ": relative, "YSWJM": source.name.replace("\x00", ""),
                  "SHA256": sha256, "WJDX": len(content), "PSSJ": photo.taken_at, "JD": photo.lon, "WD": photo.lat,
                  "FWJ": photo.bearing, "WH": doc_number or None, "SM": note or None, "XGR": ws.user,
                  "XGSJ": now_iso()}
        if visit_id is not None:
            values["visit_id"] = visit_id
        if distance is not None:
            values["JL"] = distance
        names = ", ".join(f'"{n}"' for n in values)
        row_id = insert_row(cur, f"INSERT INTO wpzf_evidence ({names}) VALUES ({', '.join('?' for _ in values)})",
                            tuple(values.values()))
        added = _record(ws, patch_fid, id=row_id)
        assert added is not None  # the row just inserted, in this transaction
        return AddResult(added, True)


def evidence_content(ws: PgWorkspace, sha256: str) -> bytes:
    """The bytes of an evidence file kept on the server."""
    row = ws.conn.execute(f"SELECT content FROM {EVIDENCE_FILE_TABLE} WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        raise EvidenceError(QT_TRANSLATE_NOOP("domain", "The evidence file {sha} is not stored on the server."),
                            sha=sha256)
    return bytes(row[0])
