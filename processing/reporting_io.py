"""QGIS side of reporting: town names from a layer, statistics rows into a sink."""
from __future__ import annotations

from qgis.core import QgsFeature, QgsFeatureSink, QgsField, QgsFields
from qgis.PyQt.QtCore import QVariant

from ..domain.reporting.excel import COUNT_FORMAT, town_columns
from ..domain.reporting.statistics import Statistics


def town_names(source, code_field: str, name_field: str) -> dict[str, str]:
    """镇街代码 → 名称 from a feature source (e.g. 三调 XZQ); {} when no source is given."""
    if source is None:
        return {}
    fields = source.fields()
    code_i, name_i = fields.lookupField(code_field), fields.lookupField(name_field)
    if code_i < 0 or name_i < 0:
        return {}
    names = {}
    for feature in source.getFeatures():
        code = feature.attribute(code_i)
        if code not in (None, "") and str(code).strip():
            names[str(code).strip()] = "" if feature.attribute(name_i) is None else str(feature.attribute(name_i))
    return names


def statistics_fields(stats: Statistics) -> tuple[QgsFields, list]:
    """Sink fields (pinyin initials, the workbook's Chinese headers as aliases) and their getters."""
    fields = QgsFields()
    getters = []
    for col, get in town_columns(stats):
        kind = QVariant.Int if col.fmt == COUNT_FORMAT else QVariant.Double if col.fmt else QVariant.String
        field = QgsField(col.name, kind)
        field.setAlias(col.header)
        fields.append(field)
        getters.append(get)
    return fields, getters


def write_statistics(sink, stats: Statistics, fields: QgsFields, getters: list) -> None:
    features = []
    for town in [*stats.towns, stats.total]:
        feature = QgsFeature(fields)
        feature.setAttributes([get(town) for get in getters])
        features.append(feature)
    sink.addFeatures(features, QgsFeatureSink.FastInsert)
