"""Import the repository root as the package ``wpzf`` whatever the checkout is called.

Used by tests/conftest.py and the demo and benchmark scripts; QGIS itself
imports the plugin by its folder name and needs none of this.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "wpzf"


def register_plugin_package():
    """Register ROOT as ``wpzf`` in ``sys.modules`` (idempotent), give pyproj PROJ data, return it.

    ROOT itself must not be on ``sys.path`` (``python -m`` puts the working
    directory there): its ``processing/`` folder would shadow QGIS's own
    ``processing`` package.
    """
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and Path(p).resolve() != ROOT]
    if PACKAGE in sys.modules:
        return sys.modules[PACKAGE]
    spec = importlib.util.spec_from_file_location(
        PACKAGE, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)]
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
    # As classFactory does in QGIS: a venv's pyproj finds no PROJ data of its own.
    importlib.import_module(f"{PACKAGE}.proj_data").use_qgis_proj_data()
    return module


def start_qgis():
    """A headless QgsApplication with Processing and the WPZF provider (for scripts)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    register_plugin_package()
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append(os.path.join(app.pkgDataPath(), "python", "plugins"))
    from processing.core.Processing import Processing

    Processing.initialize()
    from wpzf.processing.provider import WpzfProvider

    provider = WpzfProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    app.wpzf_provider = provider  # PyQGIS drops a provider whose Python object is collected
    return app
