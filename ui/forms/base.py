"""What every casework form shares: lock banner, inline problems, save that keeps the form on failure.

A form edits a GeoPackage workspace (a path) or a shared PostGIS one (the
``postgres:<connection>[/<schema>]`` text); it opens a short-lived workspace
to read the patch when opened (``patch_state``, with its version) and again
for each save. It re-validates on every edit and shows the problems as a list
of labels (errors red, warnings amber) under the inputs. Save validates
again, writes through :mod:`...domain.casework.save` naming the version it
loaded, and closes only on success; a failure (lock taken meanwhile, another
technician's save, another town's patch, database error) stays in the form
with its message, so nothing typed is lost. Cancel with unsaved edits asks
first; the question is a callable the tests can replace.

A locked batch: the form that only changes the patch (decision) opens
read-only with the lock's reason; forms that append a dated progress record
(``APPENDS_WHEN_LOCKED``: rectification, case, referral, field visit) stay
writable under a note that the record is appended and the locked reported
data do not change (work plan 四(二): locked data "不能修改", progress still
"适时更新录入").
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

from qgis.gui import QgsDateEdit
from qgis.PyQt.QtCore import QCoreApplication, QDate, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...adapters.workspaces import open_workspace, workspace_ref
from ...domain.casework.save import PatchState, patch_state, ruleset_for
from ...domain.casework.state import LockInfo
from ...domain.casework.validate import ERROR, LABELS, Problem, label
from ...domain.messages import QT_TRANSLATE_NOOP, Message
from ...domain.rules import RuleSet
from ...domain.workspace.interface import WorkspaceStore
from ...domain.workspace.store import Workspace
from ...i18n import error_text, render
from ..errors import log_exception

ERROR_STYLE = "color: #c0392b;"
WARNING_STYLE = "color: #b9770e;"
BANNER_STYLE = "background: #fdebd0; color: #7e5109; padding: 6px; border: 1px solid #f5b041;"

Confirm = Callable[[QWidget, str, str], bool]


def ask_discard(parent: QWidget, title: str, text: str) -> bool:
    """Default confirmation: a Yes/No question; True means discard the edits."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes


def number_problem(column: str, text: str) -> Problem:
    return Problem(column, ERROR, Message(QT_TRANSLATE_NOOP("domain", "{label} ({field}) must be a number, got {value!r}."),
                                          label=label(column), field=column, value=text))


class CaseworkForm(QDialog):
    """Base of the casework dialogs; subclasses build inputs and say how to read, check and store them."""

    WINDOW_TITLE = ""
    APPENDS_WHEN_LOCKED = False
    """The form appends a progress record, which a locked batch accepts: it stays writable there."""

    def __init__(self, workspace: Path | str, fid: int, parent: Optional[QWidget] = None,
                 ruleset: Optional[RuleSet] = None, confirm: Optional[Confirm] = None,
                 user: Optional[str] = None) -> None:
        super().__init__(parent)
        self.workspace: Path | str = workspace_ref(workspace)
        """A GeoPackage path, or the ``postgres:<connection>/<schema>`` text of a shared workspace."""
        self.workspace_path: Optional[Path] = self.workspace if isinstance(self.workspace, Path) else None
        self.fid = int(fid)
        self.user = user
        self.confirm: Confirm = confirm or ask_discard
        self.dirty = False
        self.saved = False
        self.wrote_patch = False
        self._loading = False
        self.inputs: list[QWidget] = []
        self.problems: list[Problem] = []
        with self.open_workspace() as ws:
            self.ruleset = ruleset or ruleset_for(ws)
            self.state: PatchState = patch_state(ws, self.fid)
        self.loaded_version = self.state.version
        self.setObjectName(type(self).__name__)
        self.setWindowTitle(f"{self.window_title()} — {self.state.jcbh}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("lockBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        self.body = QWidget(self)
        layout.addWidget(self.body, 1)
        self.problem_box = QWidget(self)
        self.problem_box.setObjectName("problems")
        self.problem_layout = QVBoxLayout(self.problem_box)
        self.problem_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem_box)
        self.save_error = QLabel(self)
        self.save_error.setObjectName("saveError")
        self.save_error.setWordWrap(True)
        self.save_error.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.save_error.setVisible(False)
        layout.addWidget(self.save_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._loading = True
        try:
            self.build(self.body)
            self.load(self.state)
        finally:
            self._loading = False
        self.apply_lock()
        self.revalidate()

    # ---- for subclasses --------------------------------------------------------------
    def window_title(self) -> str:
        return self.WINDOW_TITLE

    def build(self, body: QWidget) -> None:
        raise NotImplementedError

    def load(self, state: PatchState) -> None:
        """Fill the inputs from the stored patch."""

    def collect(self) -> tuple[Any, list[Problem]]:
        """The input record and problems found while reading the widgets (e.g. a non-number)."""
        raise NotImplementedError

    def validate(self, record: Any) -> list[Problem]:
        raise NotImplementedError

    def store(self, ws: WorkspaceStore, record: Any) -> Optional[PatchState]:
        """Write the record; return the patch as the save's transaction left it when it updated the patch.

        Saves that update the patch row name the version in ``self.state``
        (``loaded=self.state``); appends (field visits, referrals) return None.
        """
        raise NotImplementedError

    # ---- shared machinery ----------------------------------------------------------------
    @property
    def shared(self) -> bool:
        """Whether the form edits a shared PostGIS workspace."""
        return self.workspace_path is None

    def open_workspace(self) -> WorkspaceStore:
        """A short-lived connection: QGIS may hold the same GeoPackage open; a server has other editors."""
        if self.workspace_path is not None:
            return Workspace.open(self.workspace_path, user=self.user, upgrade=False)
        return open_workspace(str(self.workspace), user=self.user, upgrade=False)

    def watch(self, widget: QWidget) -> QWidget:
        """Register an input: edits mark the form dirty and re-run validation; locked forms disable it."""
        self.inputs.append(widget)
        if isinstance(widget, QLineEdit):
            widget.textChanged.connect(self._changed)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._changed)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self._changed)
            if widget.isEditable():
                widget.editTextChanged.connect(self._changed)
        elif isinstance(widget, QCheckBox):
            widget.stateChanged.connect(self._changed)
        elif isinstance(widget, DateField):
            widget.textChanged.connect(self._changed)
        return widget

    def _changed(self, *_args) -> None:
        if self._loading:
            return
        self.dirty = True
        self.save_error.setVisible(False)
        self.revalidate()

    @property
    def read_only(self) -> bool:
        return self.state.read_only and not self.APPENDS_WHEN_LOCKED

    @property
    def appending_to_locked(self) -> bool:
        """The batch is locked and this form appends a new record to it (the patch row stays as locked)."""
        return self.state.lock.locked and self.APPENDS_WHEN_LOCKED

    @property
    def shown_lock(self) -> LockInfo:
        """The batch's lock as the banner shows it: the lock time in local time, "2022-06-30 08:30"."""
        lock = self.state.lock
        return replace(lock, locked_at=local_time_text(lock.locked_at))

    def locked_note(self) -> str:
        """The banner over a form that appends to a locked batch."""
        lock = self.shown_lock
        return QCoreApplication.translate(
            "CaseworkForm", "Batch {batch} is locked (stage {stage}, locked {at} by {who}): rectification and referral "
                            "progress is appended as a new record and does not change the locked reported data.").format(
            batch=lock.batch, stage=lock.stage, at=lock.locked_at or "—", who=lock.locked_by or "—")

    def apply_lock(self) -> None:
        """Locked batch: every input disabled, no Save, and the banner says why (appending forms: only the note)."""
        if self.appending_to_locked:
            self.banner.setText(self.locked_note())
            self.banner.setVisible(True)
            return
        if not self.read_only:
            return
        self.banner.setText(QCoreApplication.translate("CaseworkForm", "Read only: {reason}").format(
            reason=render(self.shown_lock.message())))
        self.banner.setVisible(True)
        for widget in self.inputs:
            if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                widget.setReadOnly(True)
            if isinstance(widget, QLineEdit):  # a number shown, not typed: 2 decimals and its unit
                widget.setText(show_quantity(widget.text(), widget.objectName()))
            widget.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_button.setVisible(False)

    def revalidate(self) -> list[Problem]:
        record, problems = self.collect()
        if record is not None:
            problems = problems + self.validate(record)
        self.show_problems(problems)
        return problems

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems = problems
        while self.problem_layout.count():
            item = self.problem_layout.takeAt(0)
            if item.widget() is not None:  # hidden now: deleteLater alone leaves it painted over the new lines
                item.widget().hide()
                item.widget().deleteLater()
        for problem in sorted(problems, key=lambda p: not p.is_error):
            text = render(problem.message)
            line = QLabel(("✖ " if problem.is_error else "⚠ ") + text, self.problem_box)
            line.setWordWrap(True)
            line.setProperty("severity", problem.severity)
            line.setProperty("field", problem.field)
            line.setStyleSheet(ERROR_STYLE if problem.is_error else WARNING_STYLE)
            line.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self.problem_layout.addWidget(line)
        if self.isVisible() and self.height() < self.sizeHint().height():  # grow so every line shows whole
            self.resize(self.width(), self.sizeHint().height())

    def problem_texts(self, severity: Optional[str] = None) -> list[str]:
        return [render(p.message) for p in self.problems if severity is None or p.severity == severity]

    def save(self) -> bool:
        """Validate and store; close only when stored. Returns whether it was stored."""
        if self.read_only:
            self.show_save_error(render(self.shown_lock.message()))
            return False
        problems = self.revalidate()
        if any(p.blocks_save for p in problems):
            self.show_save_error(QCoreApplication.translate(
                "CaseworkForm", "Not saved: correct the errors listed above first."))
            return False
        record, _ = self.collect()
        try:
            with self.open_workspace() as ws:
                stored = self.store(ws, record)
                self.wrote_patch = stored is not None
                self.state = stored if stored is not None else patch_state(ws, self.fid)
        except Exception as exc:  # noqa: BLE001 - shown in the form, which stays open with the input
            log_exception(exc, f"Saving {type(self).__name__} of patch {self.fid}")
            self.show_save_error(QCoreApplication.translate("CaseworkForm", "Not saved: {error}").format(
                error=error_text(exc)))
            return False
        self.dirty = False
        self.saved = True
        self.accept()
        return True

    def show_save_error(self, text: str) -> None:
        self.save_error.setText(text)
        self.save_error.setVisible(True)

    def reject(self) -> None:
        if self.dirty and not self.read_only:
            discard = self.confirm(self, QCoreApplication.translate("CaseworkForm", "Discard changes?"),
                                   QCoreApplication.translate(
                                       "CaseworkForm", "The form has unsaved changes. Close it and discard them?"))
            if not discard:
                return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.dirty and not self.read_only and self.result() != QDialog.Accepted:
            discard = self.confirm(self, QCoreApplication.translate("CaseworkForm", "Discard changes?"),
                                   QCoreApplication.translate(
                                       "CaseworkForm", "The form has unsaved changes. Close it and discard them?"))
            if not discard:
                event.ignore()
                return
        super().closeEvent(event)


# ---- small widget helpers --------------------------------------------------------------
def line_number(edit: QLineEdit, column: str, problems: list[Problem]) -> Optional[float]:
    """A number typed in ``edit`` (empty → None); a non-number adds a problem naming ``column``."""
    text = edit.text().strip().replace("，", ".").replace(",", ".")
    unit = unit_of(column)
    if unit and text.endswith(unit):  # a read-only form shows "6.05 亩"
        text = text[: -len(unit)].strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(number_problem(column, edit.text()))
        return None


def show_number(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:g}" if abs(number) < 1e15 else str(number)


def unit_of(column: str) -> str:
    """The unit in a column's Chinese alias ("违法面积(亩)" → "亩", "图斑面积(平方米)" → "平方米"), '' without one."""
    found = re.search(r"[(（]([^()（）]+)[)）]\s*$", LABELS.get(column, ""))
    return found.group(1) if found else ""


def show_quantity(value: Any, column: str) -> str:
    """A read-only number as the forms show it: 2 decimals and the column's unit ("6.05 亩"); text unchanged."""
    if value is None or value == "":
        return ""
    try:
        number = float(str(value).replace(",", "").replace("，", ""))
    except (TypeError, ValueError):
        return str(value)
    unit = unit_of(column)
    return f"{number:.2f} {unit}" if unit else f"{number:.2f}"


def local_time_text(stamp: str, tz: Optional[dt.tzinfo] = None) -> str:
    """A stored UTC stamp ("2022-06-30T00:30:20.720Z") as local time "2022-06-30 08:30"; other text unchanged.

    ``tz`` None: the computer's time zone (the technician's).
    """
    text = (stamp or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)  # the triggers and now_iso() store UTC
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


class DateField(QgsDateEdit):
    """A date input with a calendar pop-up that may stay empty; reads and writes ISO text like the line edits did.

    The casework records keep dates as ``yyyy-mm-dd`` text, so :meth:`text`
    and :meth:`setText` speak that text. A stored value that is not a date
    (typed by an older version) is kept as it is until a date is picked, so
    validation still names it instead of the form silently dropping it.
    """

    textChanged = pyqtSignal(str)
    """The ISO text ('' when empty) after every change."""

    FORMAT = "yyyy-MM-dd"

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._raw = ""
        self.setDisplayFormat(self.FORMAT)
        self.setCalendarPopup(True)
        self.setAllowNull(True)
        self.setNullRepresentation("—")
        self.clear()
        self.dateValueChanged.connect(self._date_changed)

    _setting = False

    def _date_changed(self, _date) -> None:
        if self._setting:
            return
        self._raw = ""
        self.textChanged.emit(self.text())

    def text(self) -> str:  # noqa: D102 - the ISO date, '' when empty
        if self._raw:
            return self._raw
        return "" if self.isNull() else self.date().toString(self.FORMAT)

    def setText(self, text: str) -> None:  # noqa: N802 - like QLineEdit.setText
        text = (text or "").strip()
        date = QDate.fromString(text, self.FORMAT) if text else QDate()
        self._setting = True
        try:
            if date.isValid():
                self.setDate(date)
            else:
                self.clear()
        finally:
            self._setting = False
        self._raw = text if text and not date.isValid() else ""
        self.setToolTip(self._raw)
        self.textChanged.emit(self.text())


def today_text() -> str:
    return dt.date.today().isoformat()


def fill_combo(combo: QComboBox, values: list[str], current: str = "", blank: bool = True) -> None:
    """Replace a combo's items, keeping ``current`` selectable even if the rule set does not list it."""
    combo.blockSignals(True)
    combo.clear()
    if blank:
        combo.addItem("")
    combo.addItems(values)
    if current and combo.findText(current) < 0:
        combo.addItem(current)
    combo.setCurrentIndex(max(0, combo.findText(current)) if current else 0)
    combo.blockSignals(False)


def history_table(parent: QWidget, rows: list[dict], columns: list[str]) -> QTableWidget:
    """Read-only table of a patch's earlier records (visits, referrals, rectification progress)."""
    table = QTableWidget(len(rows), len(columns), parent)
    table.setObjectName("history")
    table.setHorizontalHeaderLabels([label(c) for c in columns])
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, column in enumerate(columns):
            value = row.get(column)
            table.setItem(r, c, QTableWidgetItem("" if value is None else show_quantity(value, column)
                                                 if isinstance(value, float) else str(value)))
    table.resizeColumnsToContents()
    table.setMaximumHeight(140)
    return table
