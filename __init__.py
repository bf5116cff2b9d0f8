"""WPZF 卫片执法 — QGIS plugin for satellite-patch land enforcement.

QGIS imports this package and calls :func:`classFactory`. Nothing here may
touch the GUI at import time: ``qgis_process`` loads the plugin without one.
"""
from __future__ import annotations


def classFactory(iface):  # noqa: N802 (QGIS API name)
    """Create the plugin instance for QGIS, or a stand-in that explains missing packages."""
    from .dependencies import missing
    from .proj_data import use_qgis_proj_data

    use_qgis_proj_data()  # before anything imports pyproj: a venv's pyproj finds no PROJ data
    absent = missing()
    if absent:
        from .missing_dependencies import MissingDependenciesPlugin

        return MissingDependenciesPlugin(iface, absent)
    from .plugin import WpzfPlugin

    return WpzfPlugin(iface)
