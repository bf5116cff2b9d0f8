"""The whole intake of one delivery into a workspace, independent of QGIS.

The QGIS algorithm only turns features into :class:`IncomingPatch` records;
everything that decides what is stored happens here, and happens atomically:
a new workspace is built under a temporary name and renamed only on success,
an existing one is changed in a single SQLite transaction.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP
from ..workspace.divisions import assign_patches, has_divisions
from ..workspace.patch_fields import ID_FIELD
from ..workspace.schema import PATCH_DIVISION_TABLE, PATCH_TABLE
from ..workspace.store import EVIDENCE_DIR, Workspace
from .leftovers import clean_stale, remove_with_companions, temp_path
from .loader import ImportResult, store
from .patches import IncomingPatch, IntakeError, check_unique_ids, prepare, resolve_id_field
from .zones import check_zone, reproject


def import_delivery(
    records: Iterable[IncomingPatch],
    field_names: list[str],
    workspace_path: Path,
    batch: str,
    received: str,
    source_name: str,
    sha256: str,
    new_workspace_epsg: int,
    id_field: str = ID_FIELD,
    source_crs: str | None = None,
    progress: Callable[[float], None] = lambda f: None,
    is_canceled: Callable[[], bool] = lambda: False,
    user: str | None = None,
) -> ImportResult:
    """Validate, repair and store a delivery; raise before writing anything on fatal errors.

    ``new_workspace_epsg`` is the CRS the records' geometries are in, and the
    CRS of the workspace when it has to be created. An existing workspace
    keeps its own CRS: records in another one are transformed into it, never
    stored as foreign numbers under the workspace's label.
    """
    if not batch or not batch.strip():
        raise IntakeError(QT_TRANSLATE_NOOP("domain", "The batch name BATCH is empty."))
    actual_id = resolve_id_field(field_names, id_field)
    records = list(records)
    check_unique_ids(records, actual_id)
    workspace_path = Path(workspace_path)
    clean_stale(workspace_path)  # leftovers of a creation that was killed
    if workspace_path.exists():
        with Workspace.open(workspace_path, user=user) as ws:
            if ws.epsg != new_workspace_epsg:  # always store in the workspace's own CRS
                records = reproject(records, new_workspace_epsg, ws.epsg)
            prep = prepare(records, actual_id)
            check_zone(prep, ws.epsg)
            result = store(ws, prep, batch.strip(), received, source_name, sha256, progress,
                           is_canceled, source_crs)
            place_new_patches(ws, result)
            return result
    prep = prepare(records, actual_id)
    check_zone(prep, new_workspace_epsg)
    temp = temp_path(workspace_path)
    remove_with_companions(temp)
    try:
        with Workspace.create(temp, new_workspace_epsg, user=user) as ws:
            result = store(ws, prep, batch.strip(), received, source_name, sha256, progress,
                           is_canceled, source_crs)
        os.replace(temp, workspace_path)
    except BaseException:
        remove_with_companions(temp)
        raise
    (workspace_path.parent / EVIDENCE_DIR).mkdir(exist_ok=True)
    return result


def place_new_patches(ws: Workspace, result: ImportResult) -> None:
    """Give the batch's patches that have no town yet their town and village from the stored boundaries.

    Runs right after the import's own transaction (the import stays valid if
    this fails: the message is kept in ``result.placement_error`` and running
    wpzf:importdivisions again places every patch).
    """
    if result.unchanged or not result.imported or not has_divisions(ws):
        return
    try:
        fids = [r[0] for r in ws.conn.execute(
            f"SELECT p.fid FROM {PATCH_TABLE} p JOIN wpzf_batch b ON b.id = p.batch_id "
            f'LEFT JOIN {PATCH_DIVISION_TABLE} d ON d.patch_fid = p.fid WHERE b."PCMC" = ? AND d.patch_fid IS NULL',
            (result.batch,))]
        placed = assign_patches(ws, fids)
    except Exception as exc:  # noqa: BLE001 - the delivery is stored; the user is told and can place later
        result.placement_error = str(exc)
        return
    result.placed, result.unplaced = placed.assigned, placed.unassigned
