"""QGIS print-layout adapters for case-file patch maps (图斑核查图).

What a page says is decided in ``domain/casefile``; here it is laid out with
qgis.core layout items and exported with QgsLayoutExporter. Nothing here
imports qgis.gui, so Processing algorithms use it too.
"""
