"""XGR/XGSJ on every patch QGIS's own attribute table or form changes, stamped right before the commit.

The workspace style stamps them with apply-on-update default values, but QGIS
applies those only when it can re-read the feature from the provider at the
moment of the edit; when that read fails (seen intermittently on GeoPackage
files in a long session) the change is written unsigned and the audit records
"(未署名客户端)". This hook sets both stamps on every changed patch from the
edit buffer just before QGIS writes it, so the audit always names the editor.
"""
from __future__ import annotations

from qgis.core import QgsExpressionContextUtils, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, QObject

from ..qt_children import keep_alive

HOOK_PROPERTY = "wpzf_edit_stamps"
STAMP_FORMAT = "yyyy-MM-ddTHH:mm:ss.zzz"
"""The format of the style's XGSJ default expression (format_date(now(), …))."""


def stamp_changed_features(layer: QgsVectorLayer) -> int:
    """Set XGR (the OS account QGIS reports) and XGSJ (now) on every changed existing feature; returns how many."""
    buffer = layer.editBuffer()
    fields = layer.fields()
    xgr, xgsj = fields.lookupField("XGR"), fields.lookupField("XGSJ")
    if buffer is None or xgr < 0 or xgsj < 0:
        return 0
    fids = {fid for fid in buffer.changedAttributeValues() if fid >= 0}
    fids |= {fid for fid in buffer.changedGeometries() if fid >= 0}
    user = QgsExpressionContextUtils.globalScope().variable("user_account_name")
    stamp = QDateTime.currentDateTime().toString(STAMP_FORMAT)
    for fid in fids:
        layer.changeAttributeValue(fid, xgr, user, skipDefaultValues=True)
        layer.changeAttributeValue(fid, xgsj, stamp, skipDefaultValues=True)
    return len(fids)


class _CommitStamper(QObject):
    """Child of the layer (deleted with it), so the connection holds no Python reference to the layer."""

    def stamp(self, *_args) -> None:
        layer = self.parent()
        if isinstance(layer, QgsVectorLayer):
            stamp_changed_features(layer)


def install_edit_stamps(layer: QgsVectorLayer) -> None:
    """Connect the stamping to the layer's commit, once per layer."""
    if layer.property(HOOK_PROPERTY):
        return
    layer.setProperty(HOOK_PROPERTY, True)
    stamper = keep_alive(_CommitStamper(layer))  # a layer read from a project has a temporary wrapper
    layer.beforeCommitChanges.connect(stamper.stamp)
