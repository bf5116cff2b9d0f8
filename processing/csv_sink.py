"""Processing outputs saved as .csv: text attributes neutralised against CSV injection.

Why: QGIS writes a feature sink whose destination ends in ``.csv`` with OGR's
CSV driver, which writes text verbatim — a patch remark ``=HYPERLINK(...)``
would become a live formula when the office opens the file in Excel. Every
WPZF algorithm gets its sinks through :meth:`WpzfAlgorithm.parameterAsSink`,
which wraps a .csv destination in :class:`CsvSafeSink`: a proxy that passes
each feature on with its text attributes run through the one rule of
domain/reporting/cell_text.py (the same rule the Excel export uses).
"""
from __future__ import annotations

from qgis.core import QgsFeature, QgsFeatureSink, QgsProxyFeatureSink

from ..domain.reporting.cell_text import csv_text


def is_csv_destination(destination: str | None) -> bool:
    """True for a file destination ``….csv`` (a ``|layername=`` suffix or options ignored)."""
    if not destination:
        return False
    path = str(destination).split("|", 1)[0].strip().lower()
    return path.endswith(".csv")


def neutralised(feature: QgsFeature) -> QgsFeature:
    """A copy of ``feature`` whose formula-like text attributes carry a leading apostrophe."""
    attributes = feature.attributes()
    safe = [csv_text(v) for v in attributes]
    if safe == attributes:
        return feature
    copy = QgsFeature(feature)
    copy.setAttributes(safe)
    return copy


class CsvSafeSink(QgsProxyFeatureSink):
    """A sink that neutralises text cells before they reach the CSV writer."""

    def __init__(self, destination: QgsFeatureSink) -> None:
        super().__init__(destination)
        self._destination = destination  # keep the writer alive as long as the proxy: it closes the file

    def addFeature(self, feature, flags=None):  # noqa: N802
        args = () if flags is None else (flags,)
        return self._destination.addFeature(neutralised(feature), *args)

    def addFeatures(self, features, flags=None):  # noqa: N802
        args = () if flags is None else (flags,)
        if not isinstance(features, list):  # a QgsFeatureIterator
            features = list(features)
        return self._destination.addFeatures([neutralised(f) for f in features], *args)

    def flushBuffer(self) -> bool:  # noqa: N802
        return self._destination.flushBuffer()

    def finalize(self):
        """QGIS ≥ 3.36 lets an algorithm close its sink explicitly; pass that on."""
        done = getattr(self._destination, "finalize", None)
        return done() if done is not None else None

    def lastError(self) -> str:  # noqa: N802
        return self._destination.lastError()


def wrap(sink, destination):
    """``sink`` wrapped in :class:`CsvSafeSink` when ``destination`` is a .csv file, else unchanged."""
    if sink is None or not is_csv_destination(destination):
        return sink
    return CsvSafeSink(sink)
