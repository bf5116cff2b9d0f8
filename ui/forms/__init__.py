"""Casework dialogs for one patch: 合法性判定, 外业踏勘, 移交, 立案, 整改.

:func:`open_patch_forms` is what the patch list dock (signal
``patch_activated(fid)``) and the menu call: it opens the decision form of a
patch, with buttons for the other forms of the same patch.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication, Qt

from ..errors import log_exception
from .base import CaseworkForm
from .decision import DecisionForm
from .progress import CaseForm, FieldVisitForm, RectificationForm, ReferralForm

__all__ = ["CaseForm", "CaseworkForm", "DecisionForm", "FieldVisitForm", "RectificationForm", "ReferralForm",
           "open_patch_forms"]


def open_patch_forms(iface, workspace: Path | str, fid: int, user: Optional[str] = None) -> Optional[DecisionForm]:
    """Open (non-modal) the decision form of patch ``fid``; problems opening it go to the message bar.

    ``workspace`` is a GeoPackage path or a shared workspace's ``postgres:<connection>[/<schema>]`` text.
    """
    from ...i18n import error_text

    parent = iface.mainWindow() if iface is not None else None
    try:
        form = DecisionForm(workspace, fid, parent, user=user)
    except Exception as exc:  # noqa: BLE001 - e.g. not a workspace, patch deleted: tell the user
        log_exception(exc, f"Opening the decision form of patch {fid}")
        if iface is not None:
            iface.messageBar().pushMessage(QCoreApplication.translate("DecisionForm", "WPZF"), error_text(exc),
                                           Qgis.Critical, 10)
        return None
    form.add_form_buttons()
    form.setAttribute(Qt.WA_DeleteOnClose, True)
    form.show()
    return form
