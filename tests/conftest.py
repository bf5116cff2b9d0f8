"""Test bootstrap: import the repository root as the package ``wpzf``.

The checkout folder may have any name (``main``, ``wpzf-plugin``...), so the
plugin package is registered under a fixed name before any test imports it.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "wpzf"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _register_plugin_package() -> None:
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        PACKAGE, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)]
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)


_register_plugin_package()
