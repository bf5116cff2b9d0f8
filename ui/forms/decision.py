"""合法性判定 form: cascading categories from the rule set, the pre-judgement suggestion, evidence tab.

The violation part carries 建设时间 (JSSJ) and 违法时段 (WFSD, 新增/存量):
the quality check Q21 wants the period or a construction date it follows
from, so the form derives WFSD from JSSJ against 前时相 QSX with the check's
own rule (:func:`...domain.rules.checks.period_from_dates`) and says so.
JSSJ is a text edit, not a date picker: offices often know only the year
('2021') or month, and a picker would turn that into a day.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Optional

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.casework import DecisionInput
from ...domain.casework.save import (
    DOCUMENT_SEPARATOR,
    DocumentShare,
    PatchState,
    decision_from_suggestion,
    patch_state,
    save_decision,
)
from ...domain.casework.validate import Problem, label, quality_problems, suggested_period, validate_decision
from ...domain.rules import RuleSet
from ...domain.rules.ruleset import ILLEGAL
from ...domain.units import M2_PER_MU
from ...domain.workbench.imagery import PatchImagery, patch_imagery
from ...domain.workspace.interface import WorkspaceStore
from ..errors import log_exception
from .base import CaseworkForm, fill_combo, line_number, show_number

VIOLATION_FIELDS = ("WFLX", "JSSJ", "WFSD", "WFMJ", "WFGDMJ", "WFJBNTMJ", "SFNRJS", "KJLX")


def violation_choices(ruleset: RuleSet, jtqx: str) -> list[str]:
    """违法类型 offered for 具体情形 ``jtqx``: that group's kinds and items.

    新增/存量 is not a type: it has its own field (违法时段 WFSD, schema 6).
    """
    group_name = ruleset.canonical(jtqx) if jtqx else ""
    group = ruleset.violation_types.get(group_name)
    if group is None:
        return sorted(ruleset.violation_type_names - set(ruleset.violation_periods))
    names = [group_name]
    for kind, items in group.items():
        names.append(kind)
        names += list(items)
    return names


def document_text(doc: DocumentShare) -> str:
    """A document number with the layer that holds it and that layer's coverage of the patch."""
    parts = [p for p in (doc.layer, f"{doc.share:.1%}" if doc.share is not None else "") if p]
    return f"{doc.number}（{'，'.join(parts)}）" if parts else doc.number


class DecisionForm(CaseworkForm):
    """判定类型 → 具体情形 → 违法类型 cascade, document numbers from the overlay, suggestion with one-click accept."""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("DecisionForm", text)

    def window_title(self) -> str:
        return self.tr("Legality decision")

    # ---- building --------------------------------------------------------------------
    def build(self, body: QWidget) -> None:
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._suggestion_box(body))
        self.tabs = QTabWidget(body)
        outer.addWidget(self.tabs, 1)
        page = QWidget(self.tabs)
        form = QFormLayout(page)
        self.pdlx = self.watch(QComboBox(page))
        self.pdlx.setObjectName("PDLX")
        fill_combo(self.pdlx, [c.name for c in self.ruleset.categories])
        self.jtqx = self.watch(QComboBox(page))
        self.jtqx.setObjectName("JTQX")
        self.wflx = self.watch(QComboBox(page))
        self.wflx.setObjectName("WFLX")
        self.pdlx.currentTextChanged.connect(self._category_changed)
        self.jtqx.currentTextChanged.connect(self._situation_changed)
        self.jssj = QLineEdit(page)
        self.jssj.setObjectName("JSSJ")
        self.jssj.setPlaceholderText(self.tr("yyyy-mm-dd, yyyy-mm or yyyy"))
        self.jssj.textChanged.connect(self._built_changed)  # before watch(): validation sees the derived period
        self.watch(self.jssj)
        self.wfsd = self.watch(QComboBox(page))
        self.wfsd.setObjectName("WFSD")
        fill_combo(self.wfsd, list(self.ruleset.violation_periods))
        self.period_hint = QLabel(page)
        self.period_hint.setObjectName("periodHint")
        self.period_hint.setWordWrap(True)
        self.period_hint.setVisible(False)
        self._auto_period = ""
        """The 违法时段 the form filled in itself (replaced when 建设时间 changes; a choice of the user is kept)."""
        self.pzwh = self.watch(QComboBox(page))
        self.pzwh.setObjectName("PZWH")
        self.pzwh.setEditable(True)
        self.pzwh.editTextChanged.connect(self._changed)
        self.pzwh.activated.connect(self._document_picked)
        self.pzwh.lineEdit().setPlaceholderText(self.tr("Pick from the overlay results or type"))
        self.wfmj = self._area(page, "WFMJ")
        self.wfgdmj = self._area(page, "WFGDMJ")
        self.wfjbntmj = self._area(page, "WFJBNTMJ")
        self.sfnrjs = self.watch(QCheckBox(page))
        self.sfnrjs.setObjectName("SFNRJS")
        self.kjlx = self.watch(QComboBox(page))
        self.kjlx.setObjectName("KJLX")
        fill_combo(self.kjlx, [r.name for r in self.ruleset.ratio.rules])
        self.pdyj = self.watch(QPlainTextEdit(page))
        self.pdyj.setObjectName("PDYJ")
        self.pdyj.setMaximumHeight(90)
        self.bz = self.watch(QLineEdit(page))
        self.bz.setObjectName("BZ")
        self.pdr = QLabel(page)
        self.pdr.setObjectName("PDR")
        self.pdsj = QLabel(page)
        self.pdsj.setObjectName("PDSJ")
        for column, widget in (("PDLX", self.pdlx), ("JTQX", self.jtqx), ("WFLX", self.wflx), ("JSSJ", self.jssj),
                               ("WFSD", self.wfsd), ("", self.period_hint), ("PZWH", self.pzwh),
                               ("WFMJ", self.wfmj), ("WFGDMJ", self.wfgdmj), ("WFJBNTMJ", self.wfjbntmj),
                               ("SFNRJS", self.sfnrjs), ("KJLX", self.kjlx), ("PDYJ", self.pdyj), ("BZ", self.bz),
                               ("PDR", self.pdr), ("PDSJ", self.pdsj)):
            form.addRow(label(column) if column else "", widget)
        self.tabs.addTab(page, self.tr("Decision"))
        self._evidence_tab()
        self._review_tab()

    def _review_tab(self) -> None:
        """层层审查 as a tab: the chain's steps, and sign or send back (:class:`.review_panel.ReviewPanel`)."""
        from .review_panel import ReviewPanel

        try:
            self.review_panel: Optional[ReviewPanel] = ReviewPanel(
                self.open_workspace, self.fid, self.ruleset, self.user or "", self.tabs)
        except Exception as exc:  # noqa: BLE001 - the decision can be made without the panel
            log_exception(exc, f"Opening the review chain of patch {self.fid}")
            self.review_panel = None
            return
        self.tabs.addTab(self.review_panel, self.tr("Review (审核)"))

    def _area(self, parent: QWidget, column: str) -> QLineEdit:
        edit = self.watch(QLineEdit(parent))
        edit.setObjectName(column)
        edit.setPlaceholderText(self.tr("mu"))
        return edit

    def _suggestion_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Pre-judgement suggestion"), parent)
        box.setObjectName("suggestion")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.suggestion_category = QLabel(box)
        self.suggestion_category.setObjectName("suggestionCategory")
        row.addWidget(self.suggestion_category, 1)
        self.accept_button = QPushButton(self.tr("Accept suggestion"), box)
        self.accept_button.setObjectName("acceptSuggestion")
        self.accept_button.clicked.connect(self.accept_suggestion)
        row.addWidget(self.accept_button)
        layout.addLayout(row)
        self.suggestion_reason = QLabel(box)
        self.suggestion_reason.setObjectName("suggestionReason")
        self.suggestion_reason.setWordWrap(True)
        layout.addWidget(self.suggestion_reason)
        self.imagery = QLabel(box)
        self.imagery.setObjectName("imageryChange")
        self.imagery.setWordWrap(True)
        self.imagery.setTextInteractionFlags(Qt.TextSelectableByMouse)  # read-only, but the figures can be copied
        layout.addWidget(self.imagery)
        return box

    def imagery_text(self, m: Optional[PatchImagery]) -> str:
        """The stored screening (影像变化预筛) in one line: score, shares, changes, flag, images, when."""
        if m is None:
            return self.tr("Imagery change: not screened (run the imagery pre-screening).")

        def num(value: Optional[float], spec: str) -> str:
            return "–" if value is None else format(value, spec)

        text = self.tr("Imagery change: score {score} · changed {changed} of {pixels} pixels · brightness change "
                       "{brightness} (90th percentile {p90}) · {index} change {vi} · bare or built-up after "
                       "{bare}").format(
            score=num(m.score, ".2f"), changed=num(m.changed_share, ".0%"), pixels=m.pixels or 0,
            brightness=num(m.brightness, ".1f"), p90=num(m.brightness90, ".1f"),
            index=m.index_name or self.tr("vegetation index"), vi=num(m.index_change, "+.2f"),
            bare=num(m.bare_share, ".0%"))
        if m.flag:
            text += " · " + self.tr("flag: {flag}").format(flag=m.flag)
        return text + " · " + self.tr("images {before} → {after}, computed {at}").format(
            before=m.before or "–", after=m.after or "–", at=m.computed_at[:16].replace("T", " ") or "–")

    def _show_imagery(self) -> None:
        try:
            with self.open_workspace() as ws:
                stored = patch_imagery(ws.conn, self.fid)
        except Exception as exc:  # noqa: BLE001 - the decision can be made without the figures
            log_exception(exc, f"Reading the imagery screening of patch {self.fid}", Qgis.Info)
            stored = None
        self.imagery.setText(self.imagery_text(stored))

    def _evidence_tab(self) -> None:
        """The evidence panel (佐证资料) as a tab: the evidence folder's, or the server's on a shared workspace."""
        try:
            if self.shared:
                from .shared_evidence import SharedEvidencePanel as EvidencePanel
            else:
                from ..evidence_panel import EvidencePanel
        except ImportError:
            self.evidence_panel = None
            return
        try:
            source = self.open_workspace if self.shared else str(self.workspace_path)
            self.evidence_panel = EvidencePanel(source, self.fid, read_only=self.read_only, parent=self.tabs)
        except Exception as exc:  # noqa: BLE001 - the decision can be made without the panel
            log_exception(exc, f"Opening the evidence panel of patch {self.fid}")
            self.evidence_panel = None
            self.tabs.addTab(QLabel(str(exc), self.tabs), self.tr("Evidence"))
            return
        self.evidence_panel.evidence_changed.connect(self._evidence_changed)
        self.tabs.addTab(self.evidence_panel, self.tr("Evidence"))

    def _evidence_changed(self) -> None:
        """New evidence counts in the quality checks (e.g. a legal patch's documents) at once."""
        try:
            with self.open_workspace() as ws:
                counts = patch_state(ws, self.fid).counts
        except Exception as exc:  # noqa: BLE001 - the counts only refine the inline checks
            log_exception(exc, f"Recounting the evidence of patch {self.fid}", Qgis.Info)
            return
        self.state = replace(self.state, counts=counts)
        self.revalidate()

    # ---- cascade ---------------------------------------------------------------------
    def _category_changed(self, pdlx: str) -> None:
        current = self.jtqx.currentText()
        fill_combo(self.jtqx, list(self.ruleset.situations(pdlx)), current if current in
                   self.ruleset.situations(pdlx) else "")
        category = self.ruleset.category(pdlx)
        illegal = category is not None and category.role == ILLEGAL
        for widget in (self.wflx, self.jssj, self.wfsd, self.wfmj, self.wfgdmj, self.wfjbntmj, self.sfnrjs, self.kjlx):
            widget.setEnabled(illegal and not self.read_only)
        self._built_changed()
        self._situation_changed(self.jtqx.currentText())

    def _situation_changed(self, jtqx: str) -> None:
        current = self.wflx.currentText()
        fill_combo(self.wflx, violation_choices(self.ruleset, jtqx), current)
        self._changed()

    def _illegal(self) -> bool:
        category = self.ruleset.category(self.pdlx.currentText())
        return category is not None and category.role == ILLEGAL

    def derived_period(self) -> str:
        """违法时段 that the typed 建设时间 gives against the patch's 前时相 ('' when they do not decide it)."""
        decision = DecisionInput(JSSJ=self.jssj.text().strip())
        return suggested_period(self.ruleset, decision, self.state.values) or ""

    def _built_changed(self, _text: str = "") -> None:
        """Fill 违法时段 from 建设时间 when it is empty or was filled by the form; a user's choice stays."""
        derived = self.derived_period()
        current = self.wfsd.currentText().strip()
        if self._illegal() and not self.read_only and current in ("", self._auto_period) and current != derived:
            fill_combo(self.wfsd, list(self.ruleset.violation_periods), derived)  # signals blocked: no second check
        if self.wfsd.currentText().strip() in ("", derived):
            self._auto_period = derived
        self._show_period_hint()

    def _show_period_hint(self) -> None:
        derived = self.derived_period() if self._illegal() else ""
        if derived:
            self.period_hint.setText(self.tr("Derived as {period} from the construction date {built} and the "
                                             "before-image date {image}").format(
                period=derived, built=self.jssj.text().strip(), image=self.state.values.get("QSX") or ""))
        self.period_hint.setVisible(bool(derived))

    def _document_picked(self, index: int) -> None:
        number = self.pzwh.itemData(index)
        if number:
            self.pzwh.setEditText(number)

    # ---- reading and writing ------------------------------------------------------------
    def load(self, state: PatchState) -> None:
        values = state.values
        self._show_suggestion(state)
        self._show_imagery()
        self.fill(DecisionInput.from_values(values))
        tbmj = values.get("TBMJ")
        if tbmj:
            self.wfmj.setPlaceholderText(self.tr("mu (patch: {area:.2f} mu)").format(area=float(tbmj) / M2_PER_MU))
        self.pdr.setText(values.get("PDR") or self.tr("(you, when saved)"))
        self.pdsj.setText(values.get("PDSJ") or self.tr("(now, when saved)"))

    def fill(self, decision: DecisionInput) -> None:
        """Put a decision into the widgets (the stored one, or the suggestion being accepted)."""
        was_loading, self._loading = self._loading, True
        try:
            fill_combo(self.pdlx, [c.name for c in self.ruleset.categories], decision.PDLX)
            self._category_changed(decision.PDLX)
            fill_combo(self.jtqx, list(self.ruleset.situations(decision.PDLX)), decision.JTQX)
            fill_combo(self.wflx, violation_choices(self.ruleset, decision.JTQX), decision.WFLX)
            self.pzwh.setEditText(decision.PZWH)
            self.wfmj.setText(show_number(decision.WFMJ))
            self.wfgdmj.setText(show_number(decision.WFGDMJ))
            self.wfjbntmj.setText(show_number(decision.WFJBNTMJ))
            self.sfnrjs.setChecked(bool(decision.SFNRJS))
            fill_combo(self.kjlx, [r.name for r in self.ruleset.ratio.rules], decision.KJLX)
            fill_combo(self.wfsd, list(self.ruleset.violation_periods), decision.WFSD)
            self._auto_period = ""
            self.jssj.setText(decision.JSSJ)  # fills an empty 违法时段 when the dates decide it
            self._built_changed()
            self.pdyj.setPlainText(decision.PDYJ)
            self.bz.setText(decision.BZ)
        finally:
            self._loading = was_loading

    def _show_suggestion(self, state: PatchState) -> None:
        suggestion = state.suggestion
        self.pzwh.blockSignals(True)
        self.pzwh.clear()
        self.pzwh.addItem("", "")
        if suggestion is None:
            self.suggestion_category.setText(self.tr("No suggestion stored: run the pre-judgement first."))
            self.suggestion_reason.setText("")
            self.accept_button.setEnabled(False)
        else:
            category = "/".join(v for v in (suggestion.PDLX, suggestion.JTQX) if v)
            self.suggestion_category.setText(f"<b>{category}</b> ({suggestion.rule_id})")
            self.suggestion_reason.setText(suggestion.reason(self.ruleset))
            documents = suggestion.documents()
            for doc in documents:
                self.pzwh.addItem(document_text(doc), doc.number)
            if len(documents) > 1:
                joined = DOCUMENT_SEPARATOR.join(d.number for d in documents)
                self.pzwh.addItem(joined, joined)
            self.accept_button.setEnabled(not self.read_only)
        self.pzwh.blockSignals(False)

    def _pzwh_value(self) -> str:
        text = self.pzwh.currentText().strip()
        index = self.pzwh.findText(text)
        data = self.pzwh.itemData(index) if index >= 0 else None
        return str(data) if data else text

    def collect(self) -> tuple[Optional[DecisionInput], list[Problem]]:
        problems: list[Problem] = []
        category = self.ruleset.category(self.pdlx.currentText())
        illegal = category is not None and category.role == ILLEGAL
        areas = {c: line_number(e, c, problems) for c, e in (("WFMJ", self.wfmj), ("WFGDMJ", self.wfgdmj),
                                                              ("WFJBNTMJ", self.wfjbntmj))}
        decision = DecisionInput(
            PDLX=self.pdlx.currentText().strip(), JTQX=self.jtqx.currentText().strip(),
            PZWH=self._pzwh_value(), PDYJ=self.pdyj.toPlainText().strip(), BZ=self.bz.text().strip(),
            PDR=self.state.values.get("PDR") or "")
        if illegal:
            decision = replace(decision, WFLX=self.wflx.currentText().strip(), SFNRJS=self.sfnrjs.isChecked(),
                               KJLX=self.kjlx.currentText().strip(), WFSD=self.wfsd.currentText().strip(),
                               JSSJ=self.jssj.text().strip(), **areas)
        return decision, problems

    def validate(self, record: DecisionInput) -> list[Problem]:
        problems = validate_decision(self.ruleset, record, self.state.values)
        if any(p.blocks_save for p in problems) or not record.PDLX:
            return problems
        changes: dict[str, Any] = {k: v for k, v in record.columns().items() if k != "PDR"}
        changes["PDSJ"] = self.state.values.get("PDSJ") or dt.date.today().isoformat()
        return problems + quality_problems(self.ruleset, self.state.record(changes), dt.date.today())

    def store(self, ws: WorkspaceStore, record: DecisionInput) -> PatchState:
        return save_decision(ws, self.fid, record, self.ruleset, loaded=self.state)

    # ---- suggestion ------------------------------------------------------------------
    def accept_suggestion(self) -> bool:
        """Put the suggestion in the form and save it when it is a complete decision; else show why not."""
        if self.state.suggestion is None or self.read_only:
            return False
        self.fill(decision_from_suggestion(self.state, self.ruleset))
        self.dirty = True
        problems = self.revalidate()
        if any(p.blocks_save for p in problems):
            self.show_save_error(self.tr("The suggestion is not a complete decision: choose the fields marked above."))
            return False
        return self.save()

    # ---- other forms of the same patch -------------------------------------------------------
    def add_form_buttons(self) -> dict[str, QPushButton]:
        """Buttons opening the field-visit, referral, case and rectification forms of this patch."""
        from .progress import CaseForm, FieldVisitForm, RectificationForm, ReferralForm

        row = QHBoxLayout()
        buttons = {}
        for name, cls, text in (("fieldVisit", FieldVisitForm, self.tr("Field visit…")),
                                ("referral", ReferralForm, self.tr("Referral…")),
                                ("case", CaseForm, self.tr("Case…")),
                                ("rectification", RectificationForm, self.tr("Rectification…"))):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _checked=False, c=cls: self.open_form(c))
            row.addWidget(button)
            buttons[name] = button
        self.layout().insertLayout(self.layout().count() - 1, row)
        return buttons

    def open_form(self, cls) -> CaseworkForm:
        form = cls(self.workspace, self.fid, self, ruleset=self.ruleset, confirm=self.confirm, user=self.user)
        form.finished.connect(lambda _result, child=form: self._child_finished(child))
        form.open()
        return form

    def _child_finished(self, child: CaseworkForm) -> None:
        """After a child form saved: its records count in the checks; its own patch update is no conflict.

        The child's save is adopted as this form's version only when it
        started from the version this form loaded (so nobody else wrote in
        between); otherwise this form's save still meets the other change.
        """
        if not child.saved:
            return
        if child.wrote_patch and child.loaded_version == self.state.version:
            self.state = child.state
        else:
            self.state = replace(self.state, counts=child.state.counts)
        self.revalidate()
