"""The city's returned problem list (一下): read it, mark the patches, move the batch to 一下.

The list is kept whole in ``wpzf_feedback`` (unknown IDs included, with no
patch); matched patches get the problem text in 审核意见 SHYJ and their 退回次数
THCS counted up, all in one transaction with the stage change.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP
from ..workspace.interface import WorkspaceStore
from ..workspace.patch_fields import ID_ALIAS, ID_FIELD
from ..workspace.schema import PATCH_TABLE
from ..workspace.store import WorkspaceError, now_iso
from .stages import RETURNED, check_transition
from .tables import find_header, fold, read_table

ID_KEYWORDS = (ID_ALIAS, "图斑编号", ID_FIELD, "监测图斑编号", "图斑号", "编号")
PROBLEM_KEYWORDS = ("问题描述", "存在问题", "问题说明", "问题类型", "退回原因", "审核意见", "反馈意见", "问题",
                    "意见", "原因")


@dataclass(frozen=True)
class FeedbackRow:
    """One line of the city's list: the patch ID, the problem and any other columns."""

    line: int
    jcbh: str
    problem: str
    extra: dict


@dataclass(frozen=True)
class FeedbackList:
    """The rows of a problem list and where they were read: the sheet (None: CSV) and the hidden sheets skipped."""

    rows: list[FeedbackRow]
    sheet: str | None
    hidden_sheets: tuple[str, ...]


def read_feedback(path: Path) -> list[FeedbackRow]:
    """Rows of a problem list (.xlsx or .csv); header wording and bracket widths may vary."""
    return read_feedback_list(path).rows


def read_feedback_list(path: Path) -> FeedbackList:
    """The problem list of the sheet the user sees (never a hidden one), with the sheet's name.

    Refusals (:class:`~.tables.TableError`) name the file, the sheet and the
    row; they come before anything is stored.
    """
    table = read_table(path)
    rows = table.rows
    where = str(path) if table.sheet is None else f"{path}, sheet {table.sheet}"
    header = find_header(rows, {ID_FIELD: ID_KEYWORDS, "WTMS": PROBLEM_KEYWORDS}, (ID_FIELD, "WTMS"), where)
    id_col, text_col = header.columns[ID_FIELD], header.columns["WTMS"]
    result = []
    for number, row in enumerate(rows[header.row + 1:], start=header.row + 2):
        cells = list(row) + [""] * (len(header.names) - len(row))
        jcbh = cells[id_col].strip() if id_col < len(cells) else ""
        if not jcbh:
            continue
        extra = {header.names[j] or f"列{j + 1}": cells[j] for j in range(len(header.names))
                 if j not in (id_col, text_col) and cells[j]}
        result.append(FeedbackRow(number, jcbh, cells[text_col].strip() if text_col < len(cells) else "", extra))
    return FeedbackList(result, table.sheet, table.hidden_sheets)


@dataclass(frozen=True)
class FeedbackResult:
    """What an import did: round number, patches marked, IDs not in the batch."""

    batch: str
    round: int
    rows: int
    marked: list[str]
    unknown: list[str]
    previous_stage: str


def apply_feedback(ws: WorkspaceStore, batch: str, rows: list[FeedbackRow]) -> FeedbackResult:
    """Store the list, mark its patches and move the batch to 一下 — all or nothing."""
    if not rows:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The problem list holds no patch IDs."))
    found = ws.batch(batch)
    if found is None:
        raise WorkspaceError(QT_TRANSLATE_NOOP("domain", "The workspace has no batch {batch!r}."), batch=batch)
    patches = {fold(j): (fid, j) for fid, j in ws.conn.execute(
        f'SELECT fid, "JCBH" FROM {PATCH_TABLE} WHERE batch_id = (SELECT id FROM wpzf_batch WHERE "PCMC" = ?)', (batch,))}
    problems: OrderedDict[int, list[str]] = OrderedDict()
    unknown: list[str] = []
    for row in rows:
        hit = patches.get(fold(row.jcbh))
        if hit is None:
            unknown.append(row.jcbh)
        else:
            problems.setdefault(hit[0], []).append(row.problem)
    now = now_iso()
    with ws.transaction() as conn:
        previous = check_transition(ws, batch, RETURNED)
        round_no = conn.execute("SELECT COALESCE(MAX(round), 0) + 1 FROM wpzf_feedback WHERE batch_id = ?",
                                (found.id,)).fetchone()[0]
        conn.executemany(
            'INSERT INTO wpzf_feedback (batch_id, patch_fid, "JCBH", "WTMS", extra, round, imported_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(found.id, (patches.get(fold(r.jcbh)) or (None,))[0], r.jcbh, r.problem,
              json.dumps(r.extra, ensure_ascii=False, sort_keys=True) if r.extra else None, round_no, now)
             for r in rows])
        conn.executemany(
            f'UPDATE {PATCH_TABLE} SET "SHYJ" = ?, "THCS" = COALESCE("THCS", 0) + 1, "XGR" = ?, "XGSJ" = ? WHERE fid = ?',
            [("；".join(p for p in texts if p), ws.user, now, fid) for fid, texts in problems.items()])
        conn.execute('UPDATE wpzf_batch SET "JD" = ?, "XGR" = ?, "XGSJ" = ? WHERE id = ?', (RETURNED, ws.user, now, found.id))
    by_fid = {fid: j for fid, j in patches.values()}
    return FeedbackResult(batch, round_no, len(rows), [by_fid[f] for f in problems], unknown, previous)


def open_feedback(ws: WorkspaceStore, batch: str) -> list[tuple[str, str, int]]:
    """Problems of the latest round not yet resolved: (JCBH, problem, round)."""
    return list(ws.conn.execute(
        'SELECT f."JCBH", f."WTMS", f.round FROM wpzf_feedback f JOIN wpzf_batch b ON b.id = f.batch_id '
        'WHERE b."PCMC" = ? AND f.resolved_at IS NULL AND f.round = (SELECT MAX(round) FROM wpzf_feedback '
        "WHERE batch_id = b.id) ORDER BY f.id", (batch,)))
