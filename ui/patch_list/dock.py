"""The 图斑列表 dock: filter combos with counts, JCBH search, the table, previous/next.

Selecting a row selects the patch on the workspace's patch layer, zooms the
main map to it with a margin, highlights it and emits :attr:`patch_activated`
(the decision forms and the compare view listen to it).
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsCoordinateReferenceSystem, QgsGeometry, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication, QModelIndex, Qt, pyqtSignal
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QAction,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...adapters.workspaces import open_workspace, workspace_ref
from ...domain.workbench import filters as fl
from ...domain.workbench import imagery as im
from ...domain.workbench import status as st
from ...domain.workbench.patch_rows import PatchRow, load_rows
from ...i18n import error_text
from ..errors import log_exception
from . import map_style
from .model import FID_ROLE, STATUS_COLUMN, PatchFilterProxy, PatchTableModel
from .navigation import PatchHighlighter, ensure_patch_layer, patch_geometry, zoom_to_patch

NEXT_SHORTCUTS = ("Ctrl+.",)
PREVIOUS_SHORTCUTS = ("Ctrl+,",)


class PatchListDock(QgsDockWidget):
    """Every patch of one workspace; one row per patch, coloured by its most urgent status."""

    patch_activated = pyqtSignal(int)
    """fid of the patch the technician moved to (row selected, next or previous)."""

    OBJECT_NAME = "wpzfPatchListDock"

    def __init__(self, iface, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Patch list"), parent or iface.mainWindow())
        self.setObjectName(self.OBJECT_NAME)
        self.iface = iface
        self.workspace: Path | str | None = None
        self.layer: QgsVectorLayer | None = None
        self.highlighter = PatchHighlighter(iface.mapCanvas())
        self.model = PatchTableModel(self)
        self.proxy = PatchFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.combos: dict[str, QComboBox] = {}
        self._town_labels: dict[str, str] = {}
        self.change_bands: im.ChangeBands | None = None
        """The workspace rule set's imagery thresholds (None: it has none), read on every reload."""
        self._build()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("PatchListDock", text)

    # -- construction ------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        grid = QGridLayout()
        labels = {fl.BATCH: self.tr("Batch"), fl.TOWN: self.tr("Town"), fl.STAGE: self.tr("Stage"),
                  fl.DECISION: self.tr("Decision"), fl.SUGGESTION: self.tr("Suggestion"),
                  fl.DEADLINE: self.tr("Deadline"), fl.VISITED: self.tr("Field visit"),
                  fl.IMAGERY: self.tr("Imagery change")}
        for i, dimension in enumerate(fl.DIMENSIONS):
            combo = QComboBox(body)
            combo.setObjectName(f"wpzfFilter_{dimension}")
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(lambda _i, d=dimension: self._choice_changed(d))
            self.combos[dimension] = combo
            grid.addWidget(QLabel(labels[dimension], body), i // 3, (i % 3) * 2)
            grid.addWidget(combo, i // 3, (i % 3) * 2 + 1)
        layout.addLayout(grid)

        row = QHBoxLayout()
        self.search = QLineEdit(body)
        self.search.setObjectName("wpzfPatchSearch")
        self.search.setPlaceholderText(self.tr("Search JCBH…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        row.addWidget(self.search, 1)
        self.previous_action = self._action(self.tr("Previous patch"), PREVIOUS_SHORTCUTS, self.previous, "◀")
        self.next_action = self._action(self.tr("Next patch"), NEXT_SHORTCUTS, self.next, "▶")
        self.reload_action = self._action(self.tr("Reload"), ("F5",), self.reload, "⟳")
        for action in (self.previous_action, self.next_action, self.reload_action):
            button = QToolButton(body)
            button.setDefaultAction(action)
            row.addWidget(button)
        row.addWidget(self._colour_button(body))
        layout.addLayout(row)

        self.counts = QLabel(body)
        self.counts.setObjectName("wpzfPatchCounts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)

        self.table = QTableView(body)
        self.table.setObjectName("wpzfPatchTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(80)
        self.table.setColumnWidth(0, 150)
        self._fit_status_column()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        layout.addWidget(self.table, 1)
        self.setWidget(body)
        self._refresh_filters()

    def status_column_width(self) -> int:
        """Width that shows the longest status label (e.g. 3 日内到期, 一下退回) whole, padding included."""
        metrics = self.table.fontMetrics()
        texts = [QCoreApplication.translate("domain", st.LABELS[status]) for status in st.LABELS]
        texts.append(self.model.headerData(STATUS_COLUMN, Qt.Horizontal))
        return max(metrics.horizontalAdvance(t) for t in texts) + 4 * metrics.averageCharWidth()

    def _fit_status_column(self) -> None:
        """The 状态 column was cut off at the default 80 px: never narrower than its longest label."""
        wanted = self.status_column_width()
        if self.table.columnWidth(STATUS_COLUMN) < wanted:
            self.table.setColumnWidth(STATUS_COLUMN, wanted)

    def _colour_button(self, parent: QWidget) -> QToolButton:
        """One click colours the map: by decision (the rule set's categories), by stage, or the default style."""
        button = QToolButton(parent)
        button.setObjectName("wpzfColourMap")
        button.setText(self.tr("Colour"))  # an emoji glyph shows as a box where no emoji font is installed
        button.setIcon(QgsApplication.getThemeIcon("/propertyicons/symbology.svg"))
        button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        button.setToolTip(self.tr("Colour the map by decision or stage"))
        button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(button)
        self.colour_actions = {
            "decision": menu.addAction(self.tr("Colour by decision (判定类型)"), lambda: self.colour_map("decision")),
            "stage": menu.addAction(self.tr("Colour by stage (阶段)"), lambda: self.colour_map("stage")),
            "default": menu.addAction(self.tr("Default style"), lambda: self.colour_map("default")),
        }
        button.setMenu(menu)
        return button

    def colour_map(self, how: str) -> bool:
        """Colour the workspace's patch layer ``how`` ("decision", "stage", "default"); False without a layer."""
        layer = self.patch_layer()
        if layer is None or self.workspace is None:
            return False
        try:
            if how == "decision":
                map_style.colour_by_decision(layer, self.workspace)
            elif how == "stage":
                map_style.colour_by_stage(layer, self.workspace)
            else:
                map_style.default_style(layer)
        except Exception as exc:  # noqa: BLE001 - shown and logged, the map keeps its style
            log_exception(exc)
            self.iface.messageBar().pushMessage(self.tr("Patch list"), error_text(exc), Qgis.Warning, 8)
            return False
        return True

    def _action(self, text: str, shortcuts: tuple[str, ...], slot, glyph: str) -> QAction:
        action = QAction(glyph, self)
        action.setToolTip(f"{text} ({', '.join(shortcuts)})")
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.WindowShortcut)  # from the map canvas too
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # -- data ----------------------------------------------------------------
    def set_workspace(self, path: Path | str | None) -> None:
        """Show the patches of the workspace at ``path`` (None: empty list).

        Another workspace starts with every filter and the search cleared: its
        batches and towns differ, and a kept choice would hide its patches.
        """
        new = workspace_ref(path)
        if new != self.workspace:
            self.proxy.set_patch_filter(fl.PatchFilter())
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.model.set_rows([])  # no current row of the old workspace carried over
        self.workspace = new
        self.layer = None
        self.highlighter.clear()
        self.reload()

    def reload(self) -> None:
        """Re-read the rows after edits, keeping filters and the current patch."""
        current = self.current_fid()
        rows: list[PatchRow] = []
        if self.workspace is not None:
            try:
                with open_workspace(str(self.workspace)) as ws:
                    self.change_bands = self._read_bands(ws.conn)
                    rows = load_rows(ws.conn, bands=self.change_bands)
            except Exception as exc:  # noqa: BLE001 - shown to the user, the list stays empty
                log_exception(exc, f"Listing the patches of {self.workspace}")
                self.iface.messageBar().pushMessage(self.tr("WPZF"), error_text(exc), Qgis.Critical, 10)
        first_load = not self.model.rows
        self.model.set_rows(rows)
        self.proxy.refilter()
        self._refresh_filters()
        if first_load and rows:
            self.table.resizeColumnsToContents()  # sizes to the rows in view only: cheap at any count
        self._fit_status_column()
        if current is not None:
            self.select_fid(current, activate=False)

    def _read_bands(self, conn) -> im.ChangeBands | None:
        """The rule set's change-score thresholds; a broken rule file is shown, the list still loads (no bands)."""
        try:
            return im.ruleset_bands(conn)
        except Exception as exc:  # noqa: BLE001 - shown and logged; scores still show, bands do not
            log_exception(exc, f"Reading the imagery thresholds of {self.workspace}")
            self.iface.messageBar().pushMessage(self.tr("Patch list"), error_text(exc), Qgis.Warning, 8)
            return None

    # -- filters -------------------------------------------------------------
    def _imagery_label(self, value: str) -> str:
        """无明显变化 (≤ 0.10), 变化明显 (≥ 0.50) …: the band with the rule set's threshold."""
        bands = self.change_bands
        if value == im.UNCHANGED and bands is not None:
            return self.tr("No clear change (≤ {score})").format(score=f"{bands.unchanged:.2f}")
        if value == im.CHANGED and bands is not None:
            return self.tr("Clear change (≥ {score})").format(score=f"{bands.changed:.2f}")
        labels = {im.BETWEEN: self.tr("In between"), im.NO_SCORE: self.tr("No score or flagged"),
                  im.SCORED: self.tr("Scored (the rule set has no [imagery] thresholds)")}
        return labels.get(value, value)

    def _value_label(self, dimension: str, value: str) -> str:
        if dimension == fl.IMAGERY:
            return self._imagery_label(value)
        if dimension == fl.DECISION and value == fl.NONE:
            return self.tr("Undecided")
        if dimension == fl.SUGGESTION and value == fl.NONE:
            return self.tr("No suggestion")
        if dimension == fl.DEADLINE:
            if value == fl.LATER:
                return self.tr("Later or no deadline")
            return QCoreApplication.translate("domain", st.LABELS[value])
        if dimension == fl.TOWN and value:
            return self._town_labels.get(value) or value
        if dimension == fl.VISITED:
            return self.tr("Visited") if value == fl.WITH_VISIT else self.tr("Not visited")
        return value or self.tr("(empty)")

    def _refresh_filters(self) -> None:
        """Rebuild every combo's items with faceted counts, keeping the choices."""
        rows = self.model.rows
        self._town_labels = {r.town: r.town_name for r in rows}  # 名称 from the stored towns; code in the tooltip
        flt = self.proxy.patch_filter
        counts = fl.facet_counts(rows, flt)
        for dimension, combo in self.combos.items():
            chosen = flt.choices.get(dimension)
            values = self._choices(dimension, rows, chosen)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("All ({count})").format(count=sum(counts[dimension].values())), None)
            for value in values:
                combo.addItem(f"{self._value_label(dimension, value)} ({counts[dimension].get(value, 0)})", value)
                if dimension == fl.TOWN and value:
                    combo.setItemData(combo.count() - 1, value, Qt.ToolTipRole)  # the code behind the name
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
            combo.blockSignals(False)
        self._refresh_counts()

    def _choices(self, dimension: str, rows: list[PatchRow], chosen: str | None) -> list[str]:
        """The values a combo offers: fixed lists for deadline, visit and imagery band; else those present."""
        if dimension == fl.DEADLINE:
            return list(fl.DEADLINE_CHOICES)
        if dimension == fl.VISITED:
            return list(fl.VISITED_CHOICES)
        if dimension == fl.IMAGERY:  # a kept choice stays listed when the rule set's thresholds came or went
            values = list(fl.IMAGERY_CHOICES) if self.change_bands is not None else [im.SCORED, im.NO_SCORE]
            return values + ([chosen] if chosen is not None and chosen not in values else [])
        return sorted({fl.value(r, dimension) for r in rows} | ({chosen} if chosen is not None else set()))

    def _refresh_counts(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        flt = self.proxy.patch_filter
        by_status = fl.status_counts(r for r in self.model.rows if flt.matches(r))
        parts = [self.tr("{shown} of {total} patches").format(shown=shown, total=total)]
        parts += [f"{QCoreApplication.translate('domain', st.LABELS[s])} {by_status[s]}"
                  for s in st.PRIORITY if by_status.get(s)]
        self.counts.setText(" · ".join(parts))

    def _choice_changed(self, dimension: str) -> None:
        combo = self.combos[dimension]
        self.set_filter(self.proxy.patch_filter.with_choice(dimension, combo.currentData()))

    def _search_changed(self, text: str) -> None:
        self.set_filter(self.proxy.patch_filter.with_search(text))

    def set_filter(self, flt: fl.PatchFilter) -> None:
        """Apply ``flt`` (also what the combos and the search box do)."""
        self.proxy.set_patch_filter(flt)
        self._refresh_filters()
        if self.search.text().strip() != flt.search:
            self.search.blockSignals(True)
            self.search.setText(flt.search)
            self.search.blockSignals(False)

    def choose(self, dimension: str, value: str | None) -> None:
        """Pick ``value`` (None: all) in the combo of ``dimension``."""
        combo = self.combos[dimension]
        index = combo.findData(value) if value is not None else 0
        if index < 0:
            raise ValueError(f"{dimension} has no choice {value!r}")
        combo.setCurrentIndex(index)

    # -- navigation ----------------------------------------------------------
    def current_fid(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(FID_ROLE) if index.isValid() else None

    def visible_fids(self) -> list[int]:
        """fids of the rows shown, in display order."""
        return [self.proxy.index(i, 0).data(FID_ROLE) for i in range(self.proxy.rowCount())]

    def select_fid(self, fid: int, activate: bool = True) -> bool:
        """Make the row of ``fid`` current (if shown); True when found."""
        source_row = self.model.row_of_fid(fid)
        index = self.proxy.mapFromSource(self.model.index(source_row, 0)) if source_row >= 0 else QModelIndex()
        if not index.isValid():
            return False
        self._move_to(index.row(), activate)
        return True

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        count = self.proxy.rowCount()
        if not count:
            return
        current = self.table.selectionModel().currentIndex()
        row = 0 if not current.isValid() else min(max(current.row() + delta, 0), count - 1)
        self._move_to(row)

    def _move_to(self, row: int, activate: bool = True) -> None:
        index = self.proxy.index(row, 0)
        selection = self.table.selectionModel()
        self._activate_on_change = activate
        try:
            selection.setCurrentIndex(index, selection.ClearAndSelect | selection.Rows)
        finally:
            self._activate_on_change = True
        self.table.scrollTo(index)

    _activate_on_change = True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self._activate_on_change:
            self.activate(current.data(FID_ROLE))

    def patch_layer(self) -> QgsVectorLayer | None:
        """The project's patch layer of the workspace (loaded when the project has none)."""
        if self.workspace is None:
            return None
        if self.layer is None or not _alive(self.layer):
            self.layer = ensure_patch_layer(self.workspace)
        return self.layer

    def geometry_of(self, fid: int) -> tuple[QgsGeometry, QgsCoordinateReferenceSystem] | None:
        """The patch's geometry and its CRS, None when the feature is gone."""
        layer = self.patch_layer()
        geometry = patch_geometry(layer, fid) if layer is not None else None
        return (geometry, layer.crs()) if geometry is not None else None

    def activate(self, fid: int) -> None:
        """Select the patch on the map, zoom to it with a margin, highlight it; emit :attr:`patch_activated`."""
        layer = self.patch_layer()
        if layer is not None:
            layer.selectByIds([fid])
            geometry = patch_geometry(layer, fid)
            if geometry is not None:
                canvas = self.iface.mapCanvas()
                zoom_to_patch(canvas, geometry, layer.crs())
                self.highlighter.show(geometry, layer)
        self.patch_activated.emit(fid)

    def cleanup(self) -> None:
        """Remove the highlight and the shortcuts (plugin unload)."""
        self.highlighter.clear()
        for action in (self.previous_action, self.next_action, self.reload_action):
            self.removeAction(action)


def _alive(layer: QgsVectorLayer) -> bool:
    from qgis.PyQt import sip

    return not sip.isdeleted(layer)
