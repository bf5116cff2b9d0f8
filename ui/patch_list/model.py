"""Table model over the patch-list rows and the proxy that filters and sorts them.

A model/view pair, not a widget per row: 20,000 patches cost one Python list.
The display role gives formatted text, ``SORT_ROLE`` the column's sort key
(one type per column), ``FID_ROLE`` the patch's fid. Sorting happens in the
source model with Python's list sort; the proxy only filters.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from qgis.PyQt.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QBrush, QColor

from ...domain.messages import QT_TRANSLATE_NOOP
from ...domain.units import m2_to_mu
from ...domain.workbench import imagery as im
from ...domain.workbench import status as st
from ...domain.workbench.filters import PatchFilter
from ...domain.workbench.patch_rows import PatchRow

FID_ROLE = Qt.UserRole + 1
SORT_ROLE = Qt.UserRole + 2
STATUS_ROLE = Qt.UserRole + 3

STATUS_COLOURS: dict[str, QColor] = {
    st.LOCKED: QColor(215, 215, 215),
    st.RETURNED: QColor(255, 205, 150),
    st.CHECK_ERRORS: QColor(255, 180, 180),
    st.OVERDUE: QColor(245, 140, 140),
    st.DUE_SOON: QColor(255, 240, 150),
    st.DECIDED: QColor(200, 235, 200),
    st.PENDING: QColor(255, 255, 255),
}
"""Row background per most urgent status (light, so black text stays readable)."""


def _mu(value: float | None) -> str:
    return "" if value is None else f"{m2_to_mu(value):.2f}"


def _num(value: float | None) -> float:
    return float("-inf") if value is None else float(value)


@dataclass(frozen=True)
class ListColumn:
    """A column: English header (context "PatchTableModel"), display text and sort key of a row.

    ``missing``: rows without a value, kept after the others in either sort order.
    """

    header: str
    text: Callable[[PatchRow], str]
    key: Callable[[PatchRow], object]
    missing: Optional[Callable[[PatchRow], bool]] = None


def _status_text(row: PatchRow) -> str:
    return QCoreApplication.translate("domain", st.LABELS[row.status])


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "JCBH"), lambda r: r.jcbh, lambda r: r.jcbh),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Status"), _status_text, lambda r: st.PRIORITY.index(r.status)),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Batch"), lambda r: r.batch, lambda r: r.batch),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Stage"), lambda r: r.stage, lambda r: r.stage),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Town"), lambda r: r.town_name or r.town,
               lambda r: r.town_name or r.town),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Decision"), lambda r: r.decision, lambda r: r.decision),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Situation"), lambda r: r.situation, lambda r: r.situation),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Suggestion"),
               lambda r: r.suggestion + (f" / {r.suggested_situation}" if r.suggested_situation else ""),
               lambda r: r.suggestion),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Deadline"), lambda r: r.deadline, lambda r: r.deadline),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Days left"),
               lambda r: "" if r.days_left is None else str(r.days_left),
               lambda r: float("inf") if r.days_left is None else float(r.days_left)),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Change score"), lambda r: r.change_text,
               lambda r: im.score_key(r.change_score), lambda r: r.change_score is None),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Errors"), lambda r: str(r.errors) if r.errors else "",
               lambda r: r.errors),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Returned"), lambda r: str(r.feedback) if r.feedback else "",
               lambda r: r.feedback),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Area (mu)"), lambda r: _mu(r.jcmj), lambda r: _num(r.jcmj)),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Farmland (mu)"), lambda r: _mu(r.gdmj), lambda r: _num(r.gdmj)),
    ListColumn(QT_TRANSLATE_NOOP("PatchTableModel", "Basic farmland (mu)"), lambda r: _mu(r.jbntmj),
               lambda r: _num(r.jbntmj)),
)
JCBH_COLUMN = 0
STATUS_COLUMN = 1
TOWN_COLUMN = 4
CHANGE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.header == "Change score")


class PatchTableModel(QAbstractTableModel):
    """The rows of :func:`load_rows`, one per patch, read-only."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PatchRow] = []
        self._brushes = {k: QBrush(c) for k, c in STATUS_COLOURS.items()}
        self._headers = [QCoreApplication.translate("PatchTableModel", c.header) for c in COLUMNS]

    @property
    def rows(self) -> list[PatchRow]:
        return self._rows

    def set_rows(self, rows: list[PatchRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sort the rows in Python (one key per row), keeping selections through persistent indexes."""
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_fids = [self._rows[i.row()].fid for i in old]
        self._rows = _sorted(self._rows, COLUMNS[column], order == Qt.DescendingOrder)
        position = {r.fid: i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(position[f], i.column()) for f, i in zip(old_fids, old)])
        self.layoutChanged.emit()

    def row_of_fid(self, fid: int) -> int:
        """Source row of the patch ``fid``; -1 when absent."""
        return next((i for i, r in enumerate(self._rows) if r.fid == fid), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return COLUMNS[index.column()].text(row)
        if role == SORT_ROLE:
            return COLUMNS[index.column()].key(row)
        if role == Qt.BackgroundRole:
            return self._brushes[row.status]
        if role == FID_ROLE:
            return row.fid
        if role == STATUS_ROLE:
            return row.status
        if role == Qt.ToolTipRole and index.column() == TOWN_COLUMN:
            return row.town_label  # 名称 (code)
        if role == Qt.ToolTipRole:
            return "\n".join(QCoreApplication.translate("domain", st.LABELS[s]) for s in row.statuses)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return super().headerData(section, orientation, role)


def _sorted(rows: list[PatchRow], column: ListColumn, descending: bool) -> list[PatchRow]:
    """``rows`` by the column's key; rows the column has no value for last in either order."""
    if column.missing is None:
        return sorted(rows, key=column.key, reverse=descending)
    absent = [r for r in rows if column.missing(r)]
    present = [r for r in rows if not column.missing(r)]
    return sorted(present, key=column.key, reverse=descending) + sorted(absent, key=column.key)


class PatchFilterProxy(QSortFilterProxyModel):
    """Applies a :class:`PatchFilter`; sorting is delegated to the source model.

    Qt's proxy sort would call Python ``data()`` for every comparison (seconds
    on 20,000 rows); the source sorts its list with one key per row instead and
    the proxy keeps source order.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._filter = PatchFilter()
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    @property
    def patch_filter(self) -> PatchFilter:
        return self._filter

    def set_patch_filter(self, flt: PatchFilter) -> None:
        self._filter = flt
        self.refilter()

    def refilter(self) -> None:
        """Re-run the filter (after a filter change)."""
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        rows = self.sourceModel().rows
        return source_row < len(rows) and self._filter.matches(rows[source_row])
