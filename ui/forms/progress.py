"""外业踏勘, 移交, 立案 and 整改 forms: each shows the patch's earlier records and appends one.

Every one of them appends a dated record and stays writable on a locked batch
(the record is the progress; the locked patch row is not touched); on an
unlocked batch the case and rectification forms also update the patch's
case columns and rectification summary.
"""
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
from ...domain.casework.progress import CaseRecord, RectificationRecord, latest_case, latest_rectification
from ...domain.casework.records import REFERRAL_STATUSES
from ...domain.casework.save import (
    PatchState,
    add_field_visit,
    add_referral,
    child_rows,
    rectification_summary,
    save_case_record,
    save_rectification,
)
from ...domain.casework.validate import (
    CASE_STAGES,
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
from ...domain.workspace.interface import WorkspaceStore
from .base import CaseworkForm, DateField, fill_combo, history_table, line_number, show_number, today_text


def _line(form: CaseworkForm, parent: QWidget, column: str, text: str = "") -> QLineEdit:
    edit = form.watch(QLineEdit(parent))
    edit.setObjectName(column)
    edit.setText(text)
    return edit


def _date(form: CaseworkForm, parent: QWidget, column: str, text: str = "") -> DateField:
    """A date input with a calendar that may stay empty (JSSJ, which may be a year, is not one of these)."""
    edit = form.watch(DateField(parent))
    edit.setObjectName(column)
    edit.setText(text)
    return edit


class _HistoryForm(CaseworkForm):
    """A form that appends a per-patch record under a table of the earlier ones."""

    TABLE = ""
    HISTORY_COLUMNS: tuple[str, ...] = ()
    APPENDS_WHEN_LOCKED = True

    def build(self, body: QWidget) -> None:
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        with self.open_workspace() as ws:
            self.rows = child_rows(ws, self.TABLE, self.fid)
        self.history = history_table(body, self.rows, list(self.HISTORY_COLUMNS) + ["XGR"])
        outer.addWidget(self.history)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        self.build_inputs(body)

    def build_inputs(self, body: QWidget) -> None:
        raise NotImplementedError


class FieldVisitForm(_HistoryForm):
    """外业踏勘 record: date, staff, findings."""

    TABLE = "wpzf_field_visit"
    HISTORY_COLUMNS = ("KCRQ", "KCRY", "KCJG", "KCQK")

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("FieldVisitForm", text)

    def window_title(self) -> str:
        return self.tr("Field visit")

    def locked_note(self) -> str:
        lock = self.shown_lock  # lock time in local time
        return self.tr("Batch {batch} is locked (stage {stage}, locked {at} by {who}): the field visit is appended "
                       "as a new record and does not change the locked reported data.").format(
            batch=lock.batch, stage=lock.stage, at=lock.locked_at or "—", who=lock.locked_by or "—")

    def build_inputs(self, body: QWidget) -> None:
        self.kcrq = _date(self, body, "KCRQ", today_text())
        self.kcry = _line(self, body, "KCRY")
        self.kcry.setPlaceholderText(self.tr("Names of the staff, separated by 、"))
        self.kcqk = self.watch(QPlainTextEdit(body))
        self.kcqk.setObjectName("KCQK")
        self.kcqk.setMaximumHeight(90)
        self.kcjg = self.watch(QComboBox(body))  # 踏勘结果: the rule set's situations, as the QField form offers
        self.kcjg.setObjectName("KCJG")
        self.kcjg.setEditable(True)
        fill_combo(self.kcjg, [x for c in self.ruleset.categories for x in c.situations])
        for column, widget in (("KCRQ", self.kcrq), ("KCRY", self.kcry), ("KCJG", self.kcjg), ("KCQK", self.kcqk)):
            self.form.addRow(label(column), widget)

    def collect(self) -> tuple[FieldVisit, list[Problem]]:
        return FieldVisit(self.kcrq.text().strip(), self.kcry.text().strip(), self.kcqk.toPlainText().strip(),
                          KCJG=self.kcjg.currentText().strip()), []

    def validate(self, record: FieldVisit) -> list[Problem]:
        return validate_field_visit(record, dt.date.today())

    def store(self, ws: WorkspaceStore, record: FieldVisit) -> None:
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
        self.remit = QLabel(body)
        self.remit.setObjectName("remit")
        self.remit.setWordWrap(True)
        self._offer_departments(body)
        self.yjbm.currentTextChanged.connect(lambda name: self.remit.setText(self.ruleset.departments.get(name, "")))
        self.yjrq = _date(self, body, "YJRQ", today_text())
        self.yjwh = _line(self, body, "YJWH")
        self.zt = self.watch(QComboBox(body))
        self.zt.setObjectName("ZT")
        self.zt.setEditable(True)
        self.zt.editTextChanged.connect(self._changed)
        fill_combo(self.zt, list(REFERRAL_STATUSES), REFERRAL_STATUSES[0], blank=False)
        self.sm = _line(self, body, "SM")
        for column, widget in (("", self.suggested_note), ("YJBM", self.yjbm), ("", self.remit), ("YJRQ", self.yjrq),
                               ("YJWH", self.yjwh), ("ZT", self.zt), ("SM", self.sm)):
            self.form.addRow(label(column) if column else "", widget)

    def suggested_departments(self) -> tuple[str, ...]:
        """The rule set's [referral] departments for the patch (违法采矿 → 区应急局, 区水利局…; issue 20).

        A decided patch is read by its 具体情形/违法类型; an undecided one by its stored
        suggestion (the departments pre-judgement recorded, else its 具体情形).
        """
        values, suggestion = self.state.values, self.state.suggestion
        if values.get("PDLX") or suggestion is None:
            return self.ruleset.referral_departments(values.get("JTQX"), values.get("WFLX"))
        stored = tuple(d for d in suggestion.evidence.get("referrals") or () if d in self.ruleset.departments)
        return stored or self.ruleset.referral_departments(suggestion.JTQX)

    def _offer_departments(self, body: QWidget) -> None:
        """Suggested departments first, the first not yet referred preselected; a note lists them all."""
        suggested = self.suggested_departments()
        done = {str(row.get("YJBM") or "") for row in self.rows}
        first = next((d for d in suggested if d not in done), "")
        fill_combo(self.yjbm, [*suggested, *(d for d in self.ruleset.departments if d not in suggested)], first)
        self.remit.setText(self.ruleset.departments.get(first, ""))
        self.suggested_note = QLabel(body)
        self.suggested_note.setObjectName("suggestedDepartments")
        self.suggested_note.setWordWrap(True)
        names = [d + (self.tr(" (referred)") if d in done else "") for d in suggested]
        self.suggested_note.setText(self.tr("Referral suggested by the rule set: {departments}").format(
            departments="、".join(names)) if names else "")
        self.suggested_note.setVisible(bool(names))

    def collect(self) -> tuple[Referral, list[Problem]]:
        return Referral(self.yjbm.currentText().strip(), self.yjrq.text().strip(), self.yjwh.text().strip(),
                        self.zt.currentText().strip(), self.sm.text().strip()), []

    def validate(self, record: Referral) -> list[Problem]:
        return validate_referral(self.ruleset, record, dt.date.today())

    def store(self, ws: WorkspaceStore, record: Referral) -> None:
        add_referral(ws, self.fid, record, self.ruleset)


class CaseForm(_HistoryForm):
    """立案查处 as at a date: filed?, filing date, case number, decision number, fine, confiscated area, 结案.

    Each save appends a dated record of the whole case (``wpzf_case_progress``)
    under the table of the earlier ones; on an unlocked batch it also updates
    the patch's case columns. On a locked batch it stays writable: the record
    is appended and the locked patch row does not change, so a case filed
    before the lock can be closed (结案) after it (work plan 四(二)). The
    inputs start from the latest record (else the patch), so only what
    changed is typed.
    """

    TABLE = "wpzf_case_progress"
    HISTORY_COLUMNS = ("JLRQ", "AJJD", "WSWH", "SFLA", "LASJ", "AJBH", "CFJDSWH", "FMK", "MSMJ", "JASJ", "SM")

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CaseForm", text)

    def window_title(self) -> str:
        return self.tr("Case")

    def locked_note(self) -> str:
        lock = self.shown_lock  # lock time in local time
        return self.tr("Batch {batch} is locked (stage {stage}, locked {at} by {who}): case progress is appended "
                       "as a new record and does not change the locked reported data.").format(
            batch=lock.batch, stage=lock.stage, at=lock.locked_at or "—", who=lock.locked_by or "—")

    def build_inputs(self, body: QWidget) -> None:
        self.jlrq = _date(self, body, "JLRQ", today_text())
        self.sfla = self.watch(QCheckBox(body))
        self.sfla.setObjectName("SFLA")
        self.lasj = _date(self, body, "LASJ")
        self.ajbh = _line(self, body, "AJBH")
        self.cfjdswh = _line(self, body, "CFJDSWH")
        self.fmk = _line(self, body, "FMK")
        self.fmk.setPlaceholderText(self.tr("yuan"))
        self.msmj = _line(self, body, "MSMJ")
        self.msmj.setPlaceholderText(self.tr("mu"))
        self.jasj = _date(self, body, "JASJ")
        self.sm = _line(self, body, "SM")
        self._stage_inputs(body)  # 《国土资源违法行为查处工作规程》's stage, its document number and file
        for column, widget in (("JLRQ", self.jlrq), ("AJJD", self.ajjd), ("WSWH", self.wswh),
                               ("evidence_id", self.attachment), ("SFLA", self.sfla), ("LASJ", self.lasj),
                               ("AJBH", self.ajbh),
                               ("CFJDSWH", self.cfjdswh), ("FMK", self.fmk), ("MSMJ", self.msmj),
                               ("JASJ", self.jasj), ("SM", self.sm)):
            self.form.addRow(label(column), widget)

    def _stage_inputs(self, body: QWidget) -> None:
        """案件阶段 (the 工作规程's stages), 文书文号, and 文书附件 chosen among the patch's evidence files."""
        self.ajjd = self.watch(QComboBox(body))
        self.ajjd.setObjectName("AJJD")
        fill_combo(self.ajjd, list(CASE_STAGES))
        self.wswh = _line(self, body, "WSWH")
        self.attachment = self.watch(QComboBox(body))
        self.attachment.setObjectName("evidence_id")
        self.attachment.addItem("", None)
        with self.open_workspace() as ws:
            files = ws.conn.execute('SELECT id, "ZLLX", "YSWJM", "WH" FROM wpzf_evidence WHERE patch_fid = ? '
                                    "ORDER BY id", (self.fid,)).fetchall()
        for row_id, kind, name, number in files:
            self.attachment.addItem(" ".join(str(v) for v in (kind, name, number) if v), int(row_id))
        self.evidence_ids = [int(r[0]) for r in files]

    @property
    def previous(self) -> CaseRecord | None:
        """The patch's latest stored case record, which a new one must not predate."""
        return latest_case(CaseRecord.from_row(r) for r in self.rows)

    def load(self, state: PatchState) -> None:
        """Start from the latest case record, else the patch (frozen at the lock on a locked batch)."""
        latest = self.previous
        case = CaseInfo.from_values(latest.__dict__ if latest else state.values)
        self.sfla.setChecked(bool(case.SFLA))
        self.lasj.setText(case.LASJ)
        self.ajbh.setText(case.AJBH)
        self.cfjdswh.setText(case.CFJDSWH)
        self.fmk.setText(show_number(case.FMK))
        self.msmj.setText(show_number(case.MSMJ))
        self.jasj.setText(case.JASJ)

    def collect(self) -> tuple[CaseInfo, list[Problem]]:
        problems: list[Problem] = []
        case = CaseInfo(self.sfla.isChecked(), self.lasj.text().strip(), self.ajbh.text().strip(),
                        self.cfjdswh.text().strip(), line_number(self.fmk, "FMK", problems),
                        line_number(self.msmj, "MSMJ", problems), self.jasj.text().strip(),
                        self.jlrq.text().strip(), self.sm.text().strip(), self.ajjd.currentText().strip(),
                        self.wswh.text().strip(), self.attachment.currentData())
        return case, problems

    def validate(self, record: CaseInfo) -> list[Problem]:
        problems = validate_case(record, dt.date.today(), self.previous, self.rows, self.evidence_ids)
        if any(p.blocks_save for p in problems) or self.state.lock.locked:
            return problems  # locked: the patch row the quality checks read does not change
        return problems + quality_problems(self.ruleset, self.state.record(record.patch_columns()), dt.date.today())

    def store(self, ws: WorkspaceStore, record: CaseInfo) -> PatchState | None:
        """Append the record; the patch as saved when its case columns were updated, None when only appended."""
        _row_id, state = save_case_record(ws, self.fid, record, loaded=self.state)
        return None if state.lock.locked else state


class RectificationForm(_HistoryForm):
    """整改 progress as of a date (cumulative); remaining and rectified farmland follow live.

    剩余未整改 = 违法面积 − 拆除 − 补办; 已整改耕地 = 复耕 + 补办耕地 (demolition
    alone does not give the farmland back, domain.md §9). The inputs start
    from the latest record (else the patch's summary), so only what changed
    is typed; the history table lists every earlier record with its date.
    """

    TABLE = "wpzf_rectification"
    HISTORY_COLUMNS = ("JLRQ", "ZGFS", "CCMJ", "FGMJ", "BBMJ", "BBGDMJ", "BBPZWH", "SYWZGMJ", "ZGWCSJ")

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
        self.bbgdmj = _line(self, body, "BBGDMJ")
        self.bbgdmj.setPlaceholderText(self.tr("of the approved area, farmland (mu)"))
        self.bbpzwh = _line(self, body, "BBPZWH")
        self.sywzgmj = QLabel(body)
        self.sywzgmj.setObjectName("SYWZGMJ")
        self.yzggdmj = QLabel(body)
        self.yzggdmj.setObjectName("YZGGDMJ")
        self.yzggdmj.setToolTip(self.tr("Re-cultivated + approved farmland; demolition alone does not count"))
        self.zgwcsj = _date(self, body, "ZGWCSJ")
        self.sm = _line(self, body, "SM")
        for column, widget in (("WFMJ", self.total), ("JLRQ", self.jlrq), ("ZGFS", self.zgfs), ("CCMJ", self.ccmj),
                               ("FGMJ", self.fgmj), ("BBMJ", self.bbmj), ("BBGDMJ", self.bbgdmj),
                               ("BBPZWH", self.bbpzwh), ("SYWZGMJ", self.sywzgmj), ("YZGGDMJ", self.yzggdmj),
                               ("ZGWCSJ", self.zgwcsj), ("SM", self.sm)):
            self.form.addRow(label(column), widget)

    @property
    def previous(self) -> RectificationRecord | None:
        """The patch's latest stored record (by JLRQ, then as stored), which a new one must not predate."""
        return latest_rectification(RectificationRecord.from_row(r) for r in self.rows)

    def load(self, state: PatchState) -> None:
        """Start from the latest record (else the patch's summary), so only what changed is typed.

        On a locked batch the patch's summary is frozen at the lock; the
        records appended since carry the progress, so the latest record wins.
        """
        values = state.values
        total = rectification_total(values)
        self.total.setText(self.tr("{area} mu").format(area=f"{total:.2f}") if total is not None
                           else self.tr("not recorded: enter the illegal area in the decision first"))
        latest = self.previous
        start: dict[str, Any] = {c: getattr(latest, c) for c in ("ZGFS", "CCMJ", "FGMJ", "BBMJ", "BBGDMJ", "BBPZWH",
                                                                 "ZGWCSJ")} if latest else dict(values)
        fill_combo(self.zgfs, list(self.ruleset.rectification_methods), start.get("ZGFS") or "")
        for column, edit in (("CCMJ", self.ccmj), ("FGMJ", self.fgmj), ("BBMJ", self.bbmj), ("BBGDMJ", self.bbgdmj)):
            edit.setText(show_number(start.get(column)))
        self.bbpzwh.setText(start.get("BBPZWH") or "")
        self.zgwcsj.setText(start.get("ZGWCSJ") or "")

    def collect(self) -> tuple[RectificationInput, list[Problem]]:
        problems: list[Problem] = []
        rect = RectificationInput(
            JLRQ=self.jlrq.text().strip(), ZGFS=self.zgfs.currentText().strip(),
            CCMJ=line_number(self.ccmj, "CCMJ", problems), FGMJ=line_number(self.fgmj, "FGMJ", problems),
            BBMJ=line_number(self.bbmj, "BBMJ", problems), BBPZWH=self.bbpzwh.text().strip(),
            ZGWCSJ=self.zgwcsj.text().strip(), SM=self.sm.text().strip(),
            BBGDMJ=line_number(self.bbgdmj, "BBGDMJ", problems))
        total = rectification_total(self.state.values)
        self.sywzgmj.setText(self.tr("{area} mu").format(area=f"{remaining_area(rect, total):.2f}")
                             if total is not None else "—")
        self.yzggdmj.setText(self.tr("{area} mu").format(area=f"{rect.rectified_farmland:.2f}"))
        return rect, problems

    def validate(self, record: RectificationInput) -> list[Problem]:
        problems = validate_rectification(self.ruleset, record, self.state.values, dt.date.today(), self.previous)
        if any(p.blocks_save for p in problems):
            return problems
        total = rectification_total(self.state.values) or 0.0
        values = {**record.columns(), "SYWZGMJ": remaining_area(record, total)}
        after = replace(self.state.record(rectification_summary(record, values)),
                        n_rectification=self.state.counts.get("n_rectification", 0) + 1)
        return problems + quality_problems(self.ruleset, after, dt.date.today())

    def store(self, ws: WorkspaceStore, record: RectificationInput) -> PatchState | None:
        """Append the record; the patch as saved when its summary was updated, None when only appended (locked)."""
        _row_id, state = save_rectification(ws, self.fid, record, self.ruleset, loaded=self.state)
        return None if state.lock.locked else state
