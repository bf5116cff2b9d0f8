"""外业踏勘, 移交, 立案 and 整改 forms: each shows the patch's earlier records and adds or updates one."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.casework import CaseInfo, FieldVisit, RectificationInput, Referral
from ...domain.casework.records import REFERRAL_STATUSES
from ...domain.casework.save import (
    PatchState,
    add_field_visit,
    add_referral,
    child_rows,
    save_case,
    save_rectification,
)
from ...domain.casework.validate import (
    Problem,
    label,
    quality_problems,
    rectification_total,
    remaining_area,
    validate_case,
    validate_field_visit,
    validate_rectification,
    validate_referral,
)
from ...domain.workspace.store import Workspace
from .base import CaseworkForm, fill_combo, history_table, line_number, show_number, today_text


def _line(form: CaseworkForm, parent: QWidget, column: str, text: str = "") -> QLineEdit:
    edit = form.watch(QLineEdit(parent))
    edit.setObjectName(column)
    edit.setText(text)
    return edit


def _date(form: CaseworkForm, parent: QWidget, column: str, text: str = "") -> QLineEdit:
    edit = _line(form, parent, column, text)
    edit.setPlaceholderText("yyyy-mm-dd")
    return edit


class _HistoryForm(CaseworkForm):
    """A form that appends a per-patch record under a table of the earlier ones."""

    TABLE = ""
    HISTORY_COLUMNS: tuple[str, ...] = ()

    def build(self, body: QWidget) -> None:
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        with self.open_workspace() as ws:
            rows = child_rows(ws, self.TABLE, self.fid)
        self.history = history_table(body, rows, list(self.HISTORY_COLUMNS) + ["XGR"])
        outer.addWidget(self.history)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        self.build_inputs(body)

    def build_inputs(self, body: QWidget) -> None:
        raise NotImplementedError


class FieldVisitForm(_HistoryForm):
    """外业踏勘 record: date, staff, findings."""

    TABLE = "wpzf_field_visit"
    HISTORY_COLUMNS = ("KCRQ", "KCRY", "KCQK")

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("FieldVisitForm", text)

    def window_title(self) -> str:
        return self.tr("Field visit")

    def build_inputs(self, body: QWidget) -> None:
        self.kcrq = _date(self, body, "KCRQ", today_text())
        self.kcry = _line(self, body, "KCRY")
        self.kcry.setPlaceholderText(self.tr("Names of the staff, separated by 、"))
        self.kcqk = self.watch(QPlainTextEdit(body))
        self.kcqk.setObjectName("KCQK")
        self.kcqk.setMaximumHeight(90)
        for column, widget in (("KCRQ", self.kcrq), ("KCRY", self.kcry), ("KCQK", self.kcqk)):
            self.form.addRow(label(column), widget)

    def collect(self) -> tuple[FieldVisit, list[Problem]]:
        return FieldVisit(self.kcrq.text().strip(), self.kcry.text().strip(), self.kcqk.toPlainText().strip()), []

    def validate(self, record: FieldVisit) -> list[Problem]:
        return validate_field_visit(record, dt.date.today())

    def store(self, ws: Workspace, record: FieldVisit) -> None:
        add_field_visit(ws, self.fid, record)


class ReferralForm(_HistoryForm):
    """移交 record: department from the work plan, date, document, status."""

    TABLE = "wpzf_referral"
    HISTORY_COLUMNS = ("YJBM", "YJRQ", "YJWH", "ZT")

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ReferralForm", text)

    def window_title(self) -> str:
        return self.tr("Referral")

    def build_inputs(self, body: QWidget) -> None:
        self.yjbm = self.watch(QComboBox(body))
        self.yjbm.setObjectName("YJBM")
        fill_combo(self.yjbm, list(self.ruleset.departments))
        self.remit = QLabel(body)
        self.remit.setObjectName("remit")
        self.remit.setWordWrap(True)
        self.yjbm.currentTextChanged.connect(lambda name: self.remit.setText(self.ruleset.departments.get(name, "")))
        self.yjrq = _date(self, body, "YJRQ", today_text())
        self.yjwh = _line(self, body, "YJWH")
        self.zt = self.watch(QComboBox(body))
        self.zt.setObjectName("ZT")
        self.zt.setEditable(True)
        self.zt.editTextChanged.connect(self._changed)
        fill_combo(self.zt, list(REFERRAL_STATUSES), REFERRAL_STATUSES[0], blank=False)
        self.sm = _line(self, body, "SM")
        for column, widget in (("YJBM", self.yjbm), ("", self.remit), ("YJRQ", self.yjrq), ("YJWH", self.yjwh),
                               ("ZT", self.zt), ("SM", self.sm)):
            self.form.addRow(label(column) if column else "", widget)

    def collect(self) -> tuple[Referral, list[Problem]]:
        return Referral(self.yjbm.currentText().strip(), self.yjrq.text().strip(), self.yjwh.text().strip(),
                        self.zt.currentText().strip(), self.sm.text().strip()), []

    def validate(self, record: Referral) -> list[Problem]:
        return validate_referral(self.ruleset, record, dt.date.today())

    def store(self, ws: Workspace, record: Referral) -> None:
        add_referral(ws, self.fid, record, self.ruleset)


class CaseForm(CaseworkForm):
    """立案 details stored on the patch: filed?, date, case number, decision number, fine, confiscated area."""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CaseForm", text)

    def window_title(self) -> str:
        return self.tr("Case")

    def build(self, body: QWidget) -> None:
        form = QFormLayout(body)
        self.sfla = self.watch(QCheckBox(body))
        self.sfla.setObjectName("SFLA")
        self.lasj = _date(self, body, "LASJ")
        self.ajbh = _line(self, body, "AJBH")
        self.cfjdswh = _line(self, body, "CFJDSWH")
        self.fmk = _line(self, body, "FMK")
        self.fmk.setPlaceholderText(self.tr("yuan"))
        self.msmj = _line(self, body, "MSMJ")
        self.msmj.setPlaceholderText(self.tr("mu"))
        for column, widget in (("SFLA", self.sfla), ("LASJ", self.lasj), ("AJBH", self.ajbh),
                               ("CFJDSWH", self.cfjdswh), ("FMK", self.fmk), ("MSMJ", self.msmj)):
            form.addRow(label(column), widget)

    def load(self, state: PatchState) -> None:
        case = CaseInfo.from_values(state.values)
        self.sfla.setChecked(bool(case.SFLA))
        self.lasj.setText(case.LASJ)
        self.ajbh.setText(case.AJBH)
        self.cfjdswh.setText(case.CFJDSWH)
        self.fmk.setText(show_number(case.FMK))
        self.msmj.setText(show_number(case.MSMJ))

    def collect(self) -> tuple[CaseInfo, list[Problem]]:
        problems: list[Problem] = []
        case = CaseInfo(self.sfla.isChecked(), self.lasj.text().strip(), self.ajbh.text().strip(),
                        self.cfjdswh.text().strip(), line_number(self.fmk, "FMK", problems),
                        line_number(self.msmj, "MSMJ", problems))
        return case, problems

    def validate(self, record: CaseInfo) -> list[Problem]:
        problems = validate_case(record, dt.date.today())
        if any(p.blocks_save for p in problems):
            return problems
        return problems + quality_problems(self.ruleset, self.state.record(record.columns()), dt.date.today())

    def store(self, ws: Workspace, record: CaseInfo) -> PatchState:
        return save_case(ws, self.fid, record, loaded=self.state)


class RectificationForm(_HistoryForm):
    """整改 progress as of a date; the remaining area follows from the patch's illegal area."""

    TABLE = "wpzf_rectification"
    HISTORY_COLUMNS = ("JLRQ", "ZGFS", "CCMJ", "FGMJ", "BBMJ", "BBPZWH", "SYWZGMJ", "ZGWCSJ")

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("RectificationForm", text)

    def window_title(self) -> str:
        return self.tr("Rectification")

    def build_inputs(self, body: QWidget) -> None:
        self.total = QLabel(body)
        self.total.setObjectName("total")
        self.jlrq = _date(self, body, "JLRQ", today_text())
        self.zgfs = self.watch(QComboBox(body))
        self.zgfs.setObjectName("ZGFS")
        fill_combo(self.zgfs, list(self.ruleset.rectification_methods))
        self.ccmj = _line(self, body, "CCMJ")
        self.fgmj = _line(self, body, "FGMJ")
        self.bbmj = _line(self, body, "BBMJ")
        self.bbpzwh = _line(self, body, "BBPZWH")
        self.sywzgmj = QLabel(body)
        self.sywzgmj.setObjectName("SYWZGMJ")
        self.zgwcsj = _date(self, body, "ZGWCSJ")
        self.sm = _line(self, body, "SM")
        for column, widget in (("WFMJ", self.total), ("JLRQ", self.jlrq), ("ZGFS", self.zgfs), ("CCMJ", self.ccmj),
                               ("FGMJ", self.fgmj), ("BBMJ", self.bbmj), ("BBPZWH", self.bbpzwh),
                               ("SYWZGMJ", self.sywzgmj), ("ZGWCSJ", self.zgwcsj), ("SM", self.sm)):
            self.form.addRow(label(column), widget)

    def load(self, state: PatchState) -> None:
        """Start from the patch's summary (the latest progress), so only what changed is typed."""
        values = state.values
        total = rectification_total(values)
        self.total.setText(self.tr("{area} mu").format(area=f"{total:.2f}") if total is not None
                           else self.tr("not recorded: enter the illegal area in the decision first"))
        fill_combo(self.zgfs, list(self.ruleset.rectification_methods), values.get("ZGFS") or "")
        for column, edit in (("CCMJ", self.ccmj), ("FGMJ", self.fgmj), ("BBMJ", self.bbmj)):
            edit.setText(show_number(values.get(column)))
        self.bbpzwh.setText(values.get("BBPZWH") or "")
        self.zgwcsj.setText(values.get("ZGWCSJ") or "")

    def collect(self) -> tuple[RectificationInput, list[Problem]]:
        problems: list[Problem] = []
        rect = RectificationInput(
            JLRQ=self.jlrq.text().strip(), ZGFS=self.zgfs.currentText().strip(),
            CCMJ=line_number(self.ccmj, "CCMJ", problems), FGMJ=line_number(self.fgmj, "FGMJ", problems),
            BBMJ=line_number(self.bbmj, "BBMJ", problems), BBPZWH=self.bbpzwh.text().strip(),
            ZGWCSJ=self.zgwcsj.text().strip(), SM=self.sm.text().strip())
        total = rectification_total(self.state.values)
        self.sywzgmj.setText(self.tr("{area} mu").format(area=f"{remaining_area(rect, total):.2f}")
                             if total is not None else "—")
        return rect, problems

    def validate(self, record: RectificationInput) -> list[Problem]:
        problems = validate_rectification(self.ruleset, record, self.state.values, dt.date.today())
        if any(p.blocks_save for p in problems):
            return problems
        summary: dict[str, Any] = {k: v for k, v in record.columns().items() if k not in ("JLRQ", "SM")}
        total = rectification_total(self.state.values) or 0.0
        summary["SYWZGMJ"] = remaining_area(record, total)
        summary["YZGMJ"] = (record.CCMJ or 0.0) + (record.BBMJ or 0.0)
        after = replace(self.state.record(summary), n_rectification=self.state.counts.get("n_rectification", 0) + 1)
        return problems + quality_problems(self.ruleset, after, dt.date.today())

    def store(self, ws: Workspace, record: RectificationInput) -> PatchState:
        return save_rectification(ws, self.fid, record, self.ruleset, loaded=self.state)[1]
