"""QGIS API names that changed between 3.22 and 3.40, resolved once for both.

Why: the plugin supports QGIS 3.22–3.40. QGIS 3.26+ moved many enums into the
``Qgis`` namespace; on 3.40 (Debian 13, `make test-qgis340`) some old aliases
now name a *different* enum — ``QgsPalLayerSettings.OverPoint`` is
``Qgis.LabelPredefinedPointPosition.OverPoint`` there, and assigning it to
``QgsPalLayerSettings.placement`` raises ``TypeError``. Code uses the names
below instead of the ambiguous old aliases; 3.22 has no ``Qgis`` enums, so
each name falls back to the old spelling there.
"""
from __future__ import annotations

from qgis.core import Qgis, QgsPalLayerSettings

#: Label placement "over the centroid" for polygons and points.
LABEL_OVER_POINT = (Qgis.LabelPlacement.OverPoint if hasattr(Qgis, "LabelPlacement")
                    else QgsPalLayerSettings.OverPoint)
