"""Colour the workspace's patch layer by decision or by stage, and back to its default style.

A thin adapter: the classes come from :mod:`...domain.workbench.map_classes`
(the rule set's categories, the workspace's batches); this builds QGIS's own
categorized renderer from them, so the legend, the layer styling panel and a
saved project show it like any style the technician made.
"""
from __future__ import annotations

from collections.abc import Sequence

from qgis.core import QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from ...adapters.workspaces import open_workspace
from ...domain.rules.parse import load_named_ruleset
from ...domain.workbench.map_classes import MapClass, decision_classes, stage_classes
from ...domain.workspace.judgement import workspace_ruleset

DECISION_FIELD, STAGE_FIELD = "PDLX", "batch_id"


def _rgb(colour: str, alpha: int = 255) -> str:
    """'#d7301f' → '215,48,31,<alpha>' (QGIS's symbol colour text; '#rrggbbaa' would be read as #aarrggbb)."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"{red},{green},{blue},{alpha}"


def _symbol(colour: str) -> QgsFillSymbol:
    """A fill at 60 % opacity (the imagery stays visible) with a full-colour outline."""
    return QgsFillSymbol.createSimple({"color": _rgb(colour, 153), "outline_color": _rgb(colour),
                                       "outline_width": "0.5"})


def apply_classes(layer: QgsVectorLayer, field: str, classes: Sequence[MapClass]) -> None:
    """Give ``layer`` a categorized renderer on ``field`` with these classes (labels translated)."""
    categories = [QgsRendererCategory(c.value, _symbol(c.colour), QCoreApplication.translate("domain", c.label))
                  for c in classes]
    layer.setRenderer(QgsCategorizedSymbolRenderer(field, categories))
    layer.triggerRepaint()
    layer.emitStyleChanged()


def colour_by_decision(layer: QgsVectorLayer, workspace) -> None:
    """PDLX classes from the workspace's rule set."""
    with open_workspace(str(workspace)) as ws:
        ruleset = load_named_ruleset(workspace_ruleset(ws))
    apply_classes(layer, DECISION_FIELD, decision_classes(ruleset.categories))


def colour_by_stage(layer: QgsVectorLayer, workspace) -> None:
    """batch_id classes, one per batch of the workspace, coloured by the batch's stage."""
    with open_workspace(str(workspace)) as ws:
        batches = [(b.id, b.name, b.stage, b.locked) for b in ws.batches()]
    apply_classes(layer, STAGE_FIELD, stage_classes(batches))


def default_style(layer: QgsVectorLayer) -> bool:
    """The style saved in the workspace (its default style); True when it was found and applied."""
    _message, ok = layer.loadDefaultStyle()
    layer.triggerRepaint()
    layer.emitStyleChanged()
    return bool(ok)
