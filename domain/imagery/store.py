"""The screening's results in the workspace (``wpzf_imagery_change``), on either backend.

One row per patch, the latest run's: a rerun replaces the rows of the
patches it measured (and only those), in one transaction, so a canceled or
failed run leaves the earlier results whole. The patch list sorts and filters
on BHDF; :mod:`.screening` reads them for pre-judgement.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Optional

from ..workspace.batches import now_iso
from ..workspace.interface import WorkspaceStore
from .measures import ChangeMeasures

TABLE = "wpzf_imagery_change"
COLUMNS = ("XSS", "LDBH", "LDBH90", "ZBZS", "ZBBH", "BHZB", "LTZB", "BHDF", "BZ")
_CHUNK = 500


def store_changes(ws: WorkspaceStore, rows: Iterable[tuple[int, ChangeMeasures]], before: str, after: str,
                  computed_at: Optional[str] = None) -> int:
    """Replace the stored measures of these patches; ``before``/``after`` name the images. Rows written."""
    rows = list(rows)
    stamp = computed_at or now_iso()
    fids = [fid for fid, _ in rows]
    quoted = ", ".join(f'"{c}"' for c in COLUMNS)
    with ws.transaction() as conn:
        for start in range(0, len(fids), _CHUNK):
            chunk = fids[start:start + _CHUNK]
            conn.execute(f"DELETE FROM {TABLE} WHERE patch_fid IN ({', '.join('?' * len(chunk))})", chunk)
        conn.executemany(
            f'INSERT INTO {TABLE} (patch_fid, {quoted}, "YXQ", "YXH", "JSSJ") '
            f"VALUES ({', '.join('?' * (len(COLUMNS) + 4))})",
            [(fid, *(getattr(m, c) for c in COLUMNS[:-1]), m.BZ or None, before, after, stamp) for fid, m in rows])
    return len(rows)


def load_changes(ws: WorkspaceStore, fids: Optional[Sequence[int]] = None) -> dict[int, ChangeMeasures]:
    """Stored measures by patch fid (of ``fids`` only, when given); empty when none were stored."""
    quoted = ", ".join(f'"{c}"' for c in COLUMNS)
    found: dict[int, ChangeMeasures] = {}
    wanted = None if fids is None else {int(f) for f in fids}
    for row in ws.conn.execute(f"SELECT patch_fid, {quoted} FROM {TABLE}"):
        fid = int(row[0])
        if wanted is not None and fid not in wanted:
            continue
        values = dict(zip(COLUMNS, row[1:]))
        found[fid] = ChangeMeasures(
            XSS=int(values["XSS"] or 0), **{c: _float(values[c]) for c in ("LDBH", "LDBH90", "ZBBH", "BHZB", "LTZB",
                                                                         "BHDF")},
            ZBZS=values["ZBZS"], BZ=values["BZ"] or "")
    return found


def _float(value: object) -> Optional[float]:
    return None if value is None else float(value)  # type: ignore[arg-type]


def rectified_patches(ws: WorkspaceStore) -> set[int]:
    """Patches whose latest rectification record (by 记录日期, then entry) leaves 剩余未整改面积 = 0.

    domain.md: a patch counts as rectified only when 剩余未整改面积 = 0; a
    patch without a record, or whose latest record leaves some area, is not.
    """
    latest: dict[int, tuple[str, int, Optional[float]]] = {}
    for fid, day, key, left in ws.conn.execute('SELECT patch_fid, "JLRQ", id, "SYWZGMJ" FROM wpzf_rectification'):
        entry = (str(day or ""), int(key), None if left is None else float(left))
        if int(fid) not in latest or entry[:2] > latest[int(fid)][:2]:
            latest[int(fid)] = entry
    return {fid for fid, (_, _, left) in latest.items() if left is not None and abs(left) < 1e-9}
