"""The patch layer's default QGIS style, stored in the workspace itself.

GDAL 3.6 (QGIS 3.22 on Debian) does not read GeoPackage column titles, so
the Chinese aliases reach QGIS through a default style in ``layer_styles``,
which QGIS applies whenever the layer is loaded, from any project.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsVectorLayer

from ..domain.workspace.columns import aliases
from ..domain.workspace.schema import LATEST_VERSION, PATCH_LAYER_NAME, PATCH_TABLE

STYLE_NAME = "wpzf-default"


def patch_layer(workspace: Path | str) -> QgsVectorLayer:
    """The workspace's patch layer (监测图斑) as a QGIS layer, its edits stamped with XGR/XGSJ on commit."""
    from .edit_stamps import install_edit_stamps

    layer = QgsVectorLayer(f"{workspace}|layername={PATCH_TABLE}", PATCH_LAYER_NAME, "ogr")
    install_edit_stamps(layer)
    return layer


def install_default_style(workspace: Path | str) -> str:
    """Save aliases and the attribute-form configuration as the layer's default style; '' on success."""
    layer = patch_layer(workspace)
    if not layer.isValid():
        return f"cannot open {workspace}"
    for name, alias in aliases(LATEST_VERSION).items():
        index = layer.fields().lookupField(name)
        if index >= 0:
            layer.setFieldAlias(index, alias)
    from ..domain.casework.save import ruleset_for
    from ..domain.messages import WpzfError
    from ..domain.workspace.store import Workspace
    from .form_config import apply_form_config, store_relation_ids

    problem = ""
    try:
        with Workspace.open(workspace, upgrade=False) as ws:
            apply_form_config(layer, ruleset_for(ws))
    except WpzfError as exc:  # aliases are still worth saving; the caller shows why the form is missing
        problem = str(exc)
    saved = layer.saveStyleToDatabase(STYLE_NAME, "WPZF 默认样式 (default style)", True, "")
    if not saved and not problem:
        store_relation_ids(workspace, STYLE_NAME)
    return saved or problem


def ensure_form_config(layer: QgsVectorLayer, workspace: Path | str) -> bool:
    """Give a patch layer whose stored style predates the current attribute form its configuration, in memory.

    Workspaces styled by earlier versions carry aliases only: without the
    XGR/XGSJ stamps QGIS edits would be audited as unsigned and escape the
    lost-update check. A style saved before schema 6 (no form version, or an
    older one) has no 违法时段 value map, date widgets or read-only computed
    columns for the new columns. Returns True when the configuration was applied.
    """
    from .edit_stamps import install_edit_stamps
    from .form_config import FORM_VERSION, FORM_VERSION_PROPERTY, apply_form_config

    install_edit_stamps(layer)

    index = layer.fields().lookupField("XGR")
    if index < 0:
        return False
    try:
        version = int(layer.customProperty(FORM_VERSION_PROPERTY, 0) or 0)
    except (TypeError, ValueError):
        version = 0
    if layer.defaultValueDefinition(index).expression() and version >= FORM_VERSION:
        return False
    from ..domain.casework.save import ruleset_for
    from ..domain.messages import WpzfError
    from ..domain.workspace.store import Workspace

    try:
        with Workspace.open(workspace, upgrade=False) as ws:
            ruleset = ruleset_for(ws)
    except WpzfError:
        return False
    apply_form_config(layer, ruleset)
    return True
