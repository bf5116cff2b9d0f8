"""The review chain (层层审查) of one patch as a tab of the decision form: the steps, sign or send back.

Work plan 五(三): "建立图斑核查、图斑数据层层审查、纠错机制". The panel shows each
stored step (经办 / 审核 / 审定, result, person, time, opinion) and lets the
person using the form sign the next step or send the patch back with a
reason; the rules (who may sign what, 重大违法图斑) are the domain's
(:mod:`...domain.casework.review`), which refuses with the reason shown here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Optional

from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.casework import review
from ...domain.messages import WpzfError
from ...domain.rules import RuleSet
from ...domain.workspace.interface import WorkspaceStore
from ...i18n import error_text

COLUMNS = ("BZ", "JG", "SHR", "SHSJ", "SHYJ", "PDLX")


class ReviewPanel(QWidget):
    """The chain's rows, the step to sign, an opinion, 分管负责人参与, and Sign / Send back."""

    chain_changed = pyqtSignal()

    def __init__(self, open_workspace: Callable[[], WorkspaceStore], fid: int, ruleset: RuleSet,
                 signer: str = "", parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.open_workspace, self.fid, self.ruleset, self.signer = open_workspace, fid, ruleset, signer
        self.chain: Optional[review.Chain] = None
        layout = QVBoxLayout(self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("reviewState")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("reviewRows")
        self.table.setHorizontalHeaderLabels(["审核步骤", "审核结果", "审核人", "审核时间", "审核意见", "所审判定类型"])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.step = QComboBox(self)
        self.step.setObjectName("reviewStep")
        self.step.addItems(list(review.SIGNED_STEPS))
        self.opinion = QLineEdit(self)
        self.opinion.setObjectName("reviewOpinion")
        self.opinion.setPlaceholderText(self.tr("Opinion (the reason when sending back)"))
        self.lead = QCheckBox(self.tr("The 分管负责人 took part"), self)
        self.lead.setObjectName("reviewLead")
        for widget in (self.step, self.opinion, self.lead):
            row.addWidget(widget)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.sign_button = QPushButton(self.tr("Sign"), self)
        self.sign_button.setObjectName("reviewSign")
        self.back_button = QPushButton(self.tr("Send back (退回)"), self)
        self.back_button.setObjectName("reviewSendBack")
        self.sign_button.clicked.connect(lambda: self.sign(False))
        self.back_button.clicked.connect(lambda: self.sign(True))
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.back_button)
        layout.addLayout(buttons)
        self.message = QLabel(self)
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.reload()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ReviewPanel", text)

    def reload(self) -> None:
        """Read the chain again and show it; the step offered is the next one to sign."""
        with self.open_workspace() as ws:
            self.chain = review.patch_chain(ws, self.fid, self.ruleset)
        chain = self.chain
        steps = list(chain.history)
        if chain.handled is not None and not chain.handled.stored:
            steps.insert(0, chain.handled)
        self.table.setRowCount(len(steps))
        for r, step in enumerate(steps):
            for c, value in enumerate((step.BZ, step.JG, step.SHR, step.SHSJ, step.SHYJ, step.PDLX)):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.state_label.setText(self.tr("Review state: {state}").format(state=chain.state))
        self.step.setCurrentText(review.APPROVED if chain.reviewed is not None else review.REVIEWED)
        open_for_signing = chain.state in (review.AWAITING_REVIEW, review.AWAITING_APPROVAL)
        self.sign_button.setEnabled(open_for_signing)
        self.back_button.setEnabled(open_for_signing)

    def sign(self, send_back: bool) -> bool:
        """Sign (or send back) the chosen step; the refusal's reason is shown, nothing is written then."""
        signature = review.Signature(self.step.currentText(), self.signer, self.opinion.text().strip(), send_back,
                                     self.lead.isChecked())
        try:
            with self.open_workspace() as ws:
                review.sign(ws, self.fid, signature, self.ruleset)
        except WpzfError as exc:
            self.message.setText(error_text(exc))
            return False
        self.message.setText("")
        self.opinion.clear()
        self.reload()
        self.chain_changed.emit()
        return True
