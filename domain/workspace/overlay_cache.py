"""A batch's pre-judgement overlay, remembered so that an unchanged rerun reuses it.

Why: ``wpzf:prejudge`` overlays every patch with the land use, the basic
farmland and the approval-type layers — most of its time at district size —
yet technicians rerun it after changing nothing but a decision or an
attribute. The overlay's figures (TBMJ, GDMJ, JBNTMJ, JBNTGDMJ, the 地类 split,
what covers a patch) depend only on the patch geometries, the layers, the rule
set's overlay kinds, the land class fields and farmland codes, and the area method. A run whose fingerprint of those
inputs equals the stored one takes the stored figures instead of overlaying;
patch attributes are always read afresh.

The results are identical to a fresh overlay: figures travel as JSON, whose
float text (``repr``) reads back to the same double. The quality findings the
overlay logged are stored with them and repeated on reuse.

Where: one row of ``wpzf_meta`` per batch (key ``overlay:<batch>``, ``*`` for
all batches), value zlib-compressed JSON — the workspace schema is unchanged.
Pure Python over the workspace connection (GeoPackage or PostGIS).
"""
from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from ..rules.evidence import CoverEvidence, PatchEvidence
from .schema import PATCH_TABLE
from .store import now_iso

OVERLAY_VERSION = 1
"""Bump when the overlay's arithmetic changes: every stored overlay then counts as changed."""
KEY_PREFIX = "overlay:"
_ZLIB = "zlib:"

#: Fingerprint parts, in the order a reason names them.
PARTS = ("version", "patches", "landuse", "basic", "covers", "ruleset", "landclass", "area")


def meta_key(batch: Optional[str]) -> str:
    """The ``wpzf_meta`` key of a batch's stored overlay (``None``/empty: all batches)."""
    return KEY_PREFIX + (batch or "*")


def digest(value: Any) -> str:
    """SHA-256 of a JSON-able value (keys sorted: the same inputs give the same digest)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def patch_geometry_digest(ws, batch: Optional[str]) -> str:
    """SHA-256 over (fid, stored geometry) of the batch's patches in fid order.

    Reads the geometry column as stored (GeoPackage blob, PostGIS EWKB),
    so any vertex moved, patch added or removed changes it; attribute edits
    do not (they never change the overlay).
    """
    where, params = ('WHERE b."PCMC" = ?', (batch,)) if batch else ("", ())
    h = hashlib.sha256()
    rows = ws.conn.execute(f"SELECT p.fid, p.geom FROM {PATCH_TABLE} p JOIN wpzf_batch b ON b.id = p.batch_id "
                           f"{where} ORDER BY p.fid", params)
    for fid, geom in rows:
        h.update(f"{fid}:".encode())
        if geom is None:
            h.update(b"-")
        elif isinstance(geom, (bytes, bytearray, memoryview)):
            h.update(bytes(geom))
        else:
            h.update(str(geom).encode())
        h.update(b";")
    return h.hexdigest()


@dataclass(frozen=True)
class StoredOverlay:
    """What a previous run stored: its fingerprint parts, when, its log lines and figures per patch fid."""

    parts: Mapping[str, str]
    created_at: str
    messages: Sequence[tuple[str, str]]
    figures: Mapping[int, Mapping[str, Any]]

    def changed(self, parts: Mapping[str, str]) -> list[str]:
        """Fingerprint parts that differ from ``parts`` (in :data:`PARTS` order)."""
        names = [p for p in PARTS if p in parts or p in self.parts]
        names += sorted((set(parts) | set(self.parts)) - set(names))
        return [p for p in names if self.parts.get(p) != parts.get(p)]

    def covers(self, fids: Iterable[int]) -> bool:
        return all(int(f) in self.figures for f in fids)


def figures_of(evidence: PatchEvidence) -> dict[str, Any]:
    """The overlay part of one patch's evidence as JSON-able values (attributes left out)."""
    return {"tbmj": evidence.tbmj, "gdmj": evidence.gdmj, "jbntmj": evidence.jbntmj, "zgbl": evidence.zgbl,
            "jbntgdmj": evidence.jbntgdmj,
            "classes": None if evidence.classes is None else dict(evidence.classes),
            "cover": {kind: [c.share, c.area, c.count, list(c.keys)] for kind, c in evidence.cover.items()}}


def evidence_of(jcbh: str, figures: Mapping[str, Any], attrs: Mapping[str, Any]) -> PatchEvidence:
    """PatchEvidence from stored figures plus the patch's current attributes."""
    classes = figures.get("classes")
    cover = {kind: CoverEvidence(share=c[0], area=c[1], count=int(c[2]), keys=tuple(c[3]))
             for kind, c in (figures.get("cover") or {}).items()}
    return PatchEvidence(jcbh=jcbh, tbmj=figures.get("tbmj"), gdmj=figures.get("gdmj"),
                         jbntmj=figures.get("jbntmj"), zgbl=figures.get("zgbl"), jbntgdmj=figures.get("jbntgdmj"),
                         classes=None if classes is None else dict(classes), cover=cover, attrs=dict(attrs))


def load(ws, batch: Optional[str]) -> Optional[StoredOverlay]:
    """The batch's stored overlay, or None (none stored, or stored by an unreadable/other format)."""
    row = ws.conn.execute("SELECT value FROM wpzf_meta WHERE key = ?", (meta_key(batch),)).fetchone()
    if not row or not row[0]:
        return None
    try:
        text = row[0]
        if text.startswith(_ZLIB):
            text = zlib.decompress(base64.b64decode(text[len(_ZLIB):])).decode("utf-8")
        data = json.loads(text)
        return StoredOverlay(parts=dict(data["parts"]), created_at=str(data["created_at"]),
                             messages=[(str(level), str(line)) for level, line in data.get("messages", [])],
                             figures={int(fid): f for fid, f in data["figures"].items()})
    except (ValueError, KeyError, TypeError, zlib.error):
        return None  # a damaged entry is no reason to fail: the run overlays again and replaces it


def save(ws, batch: Optional[str], parts: Mapping[str, str], figures: Mapping[int, Mapping[str, Any]],
         messages: Sequence[tuple[str, str]] = ()) -> str:
    """Store (replace) the batch's overlay; return its timestamp."""
    created = now_iso()
    text = json.dumps({"parts": dict(parts), "created_at": created, "messages": [list(m) for m in messages],
                       "figures": {str(fid): f for fid, f in figures.items()}}, ensure_ascii=False)
    value = _ZLIB + base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")
    with ws.transaction() as conn:
        conn.execute("DELETE FROM wpzf_meta WHERE key = ?", (meta_key(batch),))
        conn.execute("INSERT INTO wpzf_meta (key, value) VALUES (?, ?)", (meta_key(batch), value))
    return created


def forget(ws, batch: Optional[str]) -> None:
    """Drop the batch's stored overlay (e.g. when it can no longer be trusted)."""
    with ws.transaction() as conn:
        conn.execute("DELETE FROM wpzf_meta WHERE key = ?", (meta_key(batch),))
