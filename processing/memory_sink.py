"""Temporary (memory) outputs keep their Chinese aliases, without QGIS 3.40's warnings.

Why: the memory provider stores no field alias or comment. QGIS 3.40 says so
for every field of a sink created with one ("Aliases are not compatible with
scratch layers", 30+ lines per farmland-occupation run), and on every version
the temporary layer the user gets shows bare pinyin names (GDMJ, JBNTMJ). So
a memory destination is created with plain fields and the aliases are set on
the resulting layer, where QGIS keeps them (attribute table, forms, styles).
"""
from __future__ import annotations

from qgis.core import (
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingUtils,
)


def is_memory_destination(value, context: QgsProcessingContext) -> bool:
    """Whether a sink parameter's value asks for a temporary layer ("[Create temporary layer]", memory:…)."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink.valueAsString(context.expressionContext())[0]
    text = str(value or "").strip()
    return text in ("", QgsProcessing.TEMPORARY_OUTPUT) or text.startswith("memory:")


def plain_fields(fields: QgsFields) -> tuple[QgsFields, dict[str, str]]:
    """``fields`` without alias and comment, and the aliases taken off (name → alias)."""
    plain, aliases = QgsFields(), {}
    for field in fields:
        copy = QgsField(field)
        if field.alias():
            aliases[field.name()] = field.alias()
        copy.setAlias("")
        copy.setComment("")
        plain.append(copy)
    return plain, aliases


def restore_aliases(destination: str, aliases: dict[str, str], context: QgsProcessingContext) -> None:
    """Set ``aliases`` on the temporary layer behind ``destination`` (a layer id in the context's store)."""
    layer = QgsProcessingUtils.mapLayerFromString(destination, context) if destination else None
    if layer is None or not hasattr(layer, "setFieldAlias"):
        return
    for name, alias in aliases.items():
        index = layer.fields().lookupField(name)
        if index >= 0:
            layer.setFieldAlias(index, alias)
