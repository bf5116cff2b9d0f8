"""A cheap stamp of an input layer's content, to tell whether a stored overlay still holds.

Why: reading 200,000 land-use polygons is a large part of an overlay, so
"has this layer changed?" must be answered without reading it. A file layer
(GeoPackage, shapefile, FileGDB …) is stamped by its source, filter, feature
count, fields and the size and modification time (ns) of the files that hold
its data (``adapters.layer_io.source_files``, as the delivery fingerprint) —
a GeoPackage also by its ``-wal`` file, where SQLite keeps recent writes. Anything that
rewrites the file changes the stamp; at worst a file touched without a change
is overlaid again. Layers without such a stamp (temporary/memory layers,
database layers, "selected features only") return None: the caller overlays.
"""
from __future__ import annotations

from typing import Any, Optional

from qgis.core import QgsProcessingFeatureSourceDefinition

from ..adapters.layer_io import layer_path, source_files


def layer_stamp(layer, parameter_value: Any = None) -> Optional[dict]:
    """JSON-able stamp of ``layer`` (None: no cheap stamp; an absent optional layer stamps as {"layer": None})."""
    if layer is None:
        return {"layer": None}
    if isinstance(parameter_value, QgsProcessingFeatureSourceDefinition):
        limit = getattr(parameter_value, "featureLimit", -1)
        expression = getattr(parameter_value, "filterExpression", "")
        if parameter_value.selectedFeaturesOnly or (limit is not None and limit >= 0) or expression:
            return None
    path = layer_path(layer)  # None for memory and database layers
    files = source_files(layer) if path is not None and path.exists() else []
    if path is None or not files:
        return None
    if path.suffix.lower() == ".gpkg":  # SQLite keeps recent writes in the -wal file beside it
        files.append(path.with_name(path.name + "-wal"))
    stats = []
    for file in files:
        if file.exists():
            st = file.stat()
            stats.append([file.name, st.st_size, st.st_mtime_ns])
    return {"source": layer.source(), "name": layer.name(), "subset": layer.subsetString(),
            "count": int(layer.featureCount()), "crs": layer.crs().authid() or layer.crs().toWkt(),
            "fields": layer.fields().names(), "files": stats}
