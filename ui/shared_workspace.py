"""「Open shared workspace…」: pick a QGIS PostgreSQL connection and a workspace schema, add its patch layer.

The connections are the ones saved in QGIS (Data Source Manager → PostgreSQL);
the schemas listed are those holding a WPZF workspace. The patch layer is a
postgres-provider layer that authenticates through the connection's
authentication configuration: its source never holds a password.
"""
from __future__ import annotations

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

from ..adapters.pg_connection import connection_names
from ..adapters.workspaces import (
    open_workspace,
    shared_workspace_schemas,
    workspace_patch_layer,
    workspace_text,
)
from ..i18n import error_text
from .errors import log_exception


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)  # pylupdate files module-level tr() here


class SharedWorkspaceDialog(QDialog):
    """Connection and schema choosers; :meth:`workspace` is the chosen ``postgres:<connection>/<schema>``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Open shared workspace"))
        self.connections = QComboBox()
        self.connections.setObjectName("connections")
        self.connections.addItems(connection_names())
        self.schemas = QComboBox()
        self.schemas.setObjectName("schemas")
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("PostgreSQL connection"), self.connections)
        form.addRow(tr("Workspace schema"), self.schemas)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.connections.currentTextChanged.connect(self.list_schemas)
        if not self.connections.count():
            self.status.setText(tr("No PostgreSQL connection is saved in QGIS. Add one in Data Source Manager → "
                                   "PostgreSQL, with an authentication configuration for the credentials."))
        self.list_schemas(self.connections.currentText())

    def list_schemas(self, connection: str) -> None:
        """Fill the schema chooser with the workspaces of ``connection`` (errors shown, no password)."""
        self.schemas.clear()
        if connection:
            try:
                found = shared_workspace_schemas(connection)
            except Exception as exc:  # noqa: BLE001 - shown in the dialog, nothing changed
                log_exception(exc, f"Listing the workspace schemas of connection {connection!r}")
                self.status.setText(error_text(exc))
                found = []
            else:
                self.status.setText("" if found else tr("No WPZF workspace in this database."))
            self.schemas.addItems(found)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.schemas.count() > 0)

    def workspace(self) -> str:
        """The WORKSPACE text of the choice: ``postgres:<connection>/<schema>``."""
        return workspace_text(self.connections.currentText(), self.schemas.currentText())


def add_shared_workspace(workspace: str, project: QgsProject | None = None) -> QgsVectorLayer:
    """Open the shared workspace (checks it and its version) and add its patch layer to ``project``."""
    with open_workspace(workspace) as ws:
        epsg = ws.epsg
    layer = workspace_patch_layer(workspace, epsg)
    if not layer.isValid():
        raise RuntimeError(tr("The patch layer of {workspace} cannot be loaded: {error}").format(
            workspace=workspace, error=layer.error().summary() or "-"))
    (project or QgsProject.instance()).addMapLayer(layer)
    return layer


def open_shared_workspace(iface, workbench=None) -> QgsVectorLayer | None:
    """The menu action: dialog, then the patch layer; the workbench docks follow the shared workspace."""
    dialog = SharedWorkspaceDialog(iface.mainWindow())
    if dialog.exec_() != QDialog.Accepted:
        return None
    workspace = dialog.workspace()
    try:
        layer = add_shared_workspace(workspace)
    except Exception as exc:  # noqa: BLE001 - shown to the user, nothing changed
        log_exception(exc, f"Opening shared workspace {workspace}")
        iface.messageBar().pushMessage(tr("WPZF"), error_text(exc), Qgis.Critical, 15)
        return None
    if workbench is not None:
        workbench.set_workspace(workspace)
    iface.messageBar().pushMessage(tr("WPZF"), tr(
        "Shared workspace {workspace} opened; use it as WORKSPACE in the WPZF algorithms.").format(
        workspace=workspace), Qgis.Info, 8)
    return layer
