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

_HTML_RENDERS: bool | None = None


def layout_html_renders() -> bool:
    """True when this QGIS lays out HTML in print layouts (``QgsLayoutItemHtml``).

    QGIS builds without QtWebKit — Debian 13's QGIS 3.40, and QGIS 4 — keep
    HTML frames empty: their content measures no height. Probed once with a
    three-line snippet (needs a running QgsApplication).
    """
    global _HTML_RENDERS
    if _HTML_RENDERS is None:
        from qgis.core import QgsLayoutFrame, QgsLayoutItemHtml, QgsPrintLayout, QgsProject

        layout = QgsPrintLayout(QgsProject.instance())
        html = QgsLayoutItemHtml(layout)
        html.setContentMode(QgsLayoutItemHtml.ManualHtml)
        html.addFrame(QgsLayoutFrame(layout, html))
        layout.addMultiFrame(html)
        html.setHtml("<p>1<br>2<br>3</p>")
        html.loadHtml()
        _HTML_RENDERS = html.totalSize().height() > 1.0
    return _HTML_RENDERS
