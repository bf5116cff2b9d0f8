"""wpzf:setstage — 阶段变更: the city's 锁定 or 一下 without a list, and unlocking with a reason."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)

from ...adapters.workspaces import open_workspace
from ...domain.messages import WpzfError
from ...domain.reporting.stages import current_stage, lock, mark_returned, unlock
from .base import WpzfAlgorithm


class SetStageAlgorithm(WpzfAlgorithm):
    """Lock a reported batch, mark it returned (一下), or unlock it with a recorded reason."""

    NAME = "setstage"
    GROUP = "reporting"
    LOCK, RETURNED, UNLOCK = 0, 1, 2

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Lock, return or unlock a batch")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Records what the city did with a reported batch. Lock (锁定): after 一上 or 二上 the stage data are "
            "frozen and the database refuses every change. Returned (一下): the city sent problems back (importing "
            "its problem list does this too). Unlock: only with a reason, which is kept in the stage history; the "
            "batch returns to 二上. Every change is recorded with who and when.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()
        self.addParameter(QgsProcessingParameterString("BATCH", self.tr("Batch")))
        self.addParameter(QgsProcessingParameterEnum(
            "ACTION", self.tr("Action"), [self.tr("Lock (锁定)"), self.tr("Returned by the city (一下)"),
                                          self.tr("Unlock (needs a reason)")], defaultValue=self.LOCK))
        self.addParameter(QgsProcessingParameterString("REASON", self.tr("Reason (for unlocking)"), optional=True))
        self.addOutput(QgsProcessingOutputString("STAGE", self.tr("New stage")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, "WORKSPACE", context)
        batch = self.parameterAsString(parameters, "BATCH", context).strip()
        action = self.parameterAsEnum(parameters, "ACTION", context)
        reason = self.parameterAsString(parameters, "REASON", context)
        try:
            with open_workspace(text) as ws:
                if action == self.LOCK:
                    lock(ws, batch)
                elif action == self.RETURNED:
                    mark_returned(ws, batch)
                else:
                    unlock(ws, batch, reason)
                stage = current_stage(ws, batch)
        except WpzfError as exc:
            raise self.fail(exc) from exc
        feedback.pushInfo(self.tr("Batch {batch} is now at stage {stage}.").format(batch=batch, stage=stage))
        return {"STAGE": stage}
