"""Recording exported dossiers (wpzf_dossier) and the index workbook of all of them (卷宗目录.xlsx). No Qt.

Every export is a row of ``wpzf_dossier`` (file, SHA-256, pages, 立卷人, 导出时间),
so 市级验收 can see what was filed and when, and the self-check can tell a
dossier exported before the patch last changed. The index workbook lists each
patch's latest dossier with its state now, for the 档案 hand-over.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..output_files import replaced_whole
from ..workspace.batches import now_iso
from ..workspace.interface import WorkspaceStore, insert_row
from .completeness import content_missing, dossier_missing
from .content import DossierContent, stamp
from .dossier import dossier_title

INDEX_NAME = "卷宗目录.xlsx"
INDEX_HEADER = ("序号", "监测编号", "批次", "镇街", "村", "判定类型", "卷宗题名", "页数", "缺项", "状态", "文件",
                "SHA-256", "立卷人", "导出时间")
INDEX_WIDTHS = (6, 16, 10, 14, 14, 10, 26, 6, 40, 22, 36, 66, 10, 22)


@dataclass(frozen=True)
class DossierRecord:
    """One row of wpzf_dossier."""

    patch_fid: int
    path: str
    sha256: str
    pages: int
    keeper: str
    exported_at: str


def record_export(ws: WorkspaceStore, patch_fid: int, path: Path, sha256: str, pages: int,
                  keeper: str) -> DossierRecord:
    """Append the export of ``path`` to wpzf_dossier (allowed after a lock: a dated record, like evidence)."""
    at = now_iso()
    with ws.transaction() as conn:
        insert_row(conn, 'INSERT INTO wpzf_dossier (patch_fid, "WJLJ", "SHA256", "YS", "LJR", "DCSJ", "XGR", "XGSJ") '
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (patch_fid, path.as_posix(), sha256, pages, keeper, at, ws.user, at))
    return DossierRecord(patch_fid, path.as_posix(), sha256, pages, keeper, at)


def _when(value: str) -> dt.datetime:
    return stamp(value) or dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def latest_dossiers(ws: WorkspaceStore) -> dict[int, DossierRecord]:
    """Each patch's latest exported dossier (by DCSJ, then id)."""
    found: dict[int, DossierRecord] = {}
    rows = ws.conn.execute('SELECT patch_fid, "WJLJ", "SHA256", "YS", "LJR", "DCSJ" FROM wpzf_dossier ORDER BY id')
    for fid, path, sha, pages, keeper, at in rows:
        record = DossierRecord(int(fid), str(path), str(sha), int(pages or 0), str(keeper or ""), str(at))
        known = found.get(record.patch_fid)
        if known is None or _when(record.exported_at) >= _when(known.exported_at):
            found[record.patch_fid] = record
    return found


def index_rows(contents: Iterable[DossierContent], records: Mapping[int, DossierRecord]) -> list[tuple]:
    """One row per patch with a dossier: the patch, its latest dossier and what it still lacks now."""
    rows: list[tuple] = []
    for content in contents:
        record = records.get(content.fid)
        if record is None:
            continue
        f = content.fact
        lacking = "；".join(m.text for m in content_missing(content)) or "无"
        stale = dossier_missing(content)
        state = stale[0].title if stale else "最新"
        rows.append((len(rows) + 1, f.jcbh, f.batch, f.town_name or f.town, f.village_name, content.decision,
                     dossier_title(content), record.pages, lacking, state, record.path, record.sha256, record.keeper,
                     record.exported_at))
    return rows


def write_index(path: Path, rows: Sequence[tuple]) -> Path:
    """The index workbook at ``path`` (written beside it first, then moved into place: never half-written)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "卷宗目录"
    sheet.append(list(INDEX_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(list(row))
    for i, width in enumerate(INDEX_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    with replaced_whole(path) as partial:
        book.save(partial)
    return path
