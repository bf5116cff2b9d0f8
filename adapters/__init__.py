"""QGIS adapters the Processing algorithms, the print layouts and the desktop UI all use.

Opening a workspace (a ``.gpkg`` or ``postgres:<connection>/<schema>``) and its
patch layer, the workspace's default style, attribute form and edit stamps, a
saved PostgreSQL connection, layers read into plain Python values. They sit
below ``processing/``, ``printing/`` and ``ui/`` so none of those imports
another for them (issue 21 item 5); they use qgis.core only, never qgis.gui,
so they run in ``qgis_process`` too.
"""
