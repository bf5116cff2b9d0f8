"""Test bootstrap: the plugin as package ``wpzf``, and QGIS fixtures.

Tests under tests/unit need no QGIS objects; tests under tests/qgis use
pytest-qgis (QgsApplication, a mock iface, Processing).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "devtools"))
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # shared test-data writers
from wpzf_bootstrap import register_plugin_package  # noqa: E402

register_plugin_package()


_KEEP_ALIVE: list = []


@pytest.fixture()
def wpzf_processing(qgis_processing, qgis_iface):
    """Processing initialised with the WPZF provider registered, as QGIS would."""
    from qgis.core import QgsApplication

    from wpzf.processing.provider import WpzfProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("wpzf")
    if provider is None:
        provider = WpzfProvider()
        registry.addProvider(provider)
        _KEEP_ALIVE.append(provider)  # PyQGIS drops a provider whose Python object is collected
    yield provider


@pytest.fixture(scope="session")
def district(tmp_path_factory):
    """The generated small sample district (seed 20220513), built once and only read by the tests."""
    from wpzf.sampledata import generate

    return generate(tmp_path_factory.mktemp("district"), size="small", seed=20220513)


@pytest.fixture(scope="session")
def iface(qgis_iface):
    """pytest-qgis' iface completed with the QgisInterface methods the plugin calls."""
    from qgis.PyQt.QtWidgets import QMenu

    if not hasattr(qgis_iface, "firstRightStandardMenu"):
        help_menu = QMenu("Help", qgis_iface.mainWindow())
        qgis_iface.mainWindow().menuBar().addMenu(help_menu)
        qgis_iface.firstRightStandardMenu = lambda: help_menu
    if not hasattr(qgis_iface, "removeDockWidget"):
        qgis_iface.removeDockWidget = lambda dock: qgis_iface.mainWindow().removeDockWidget(dock)
    return qgis_iface


_EXIT_STATUS = 0


def pytest_sessionfinish(session, exitstatus):
    global _EXIT_STATUS
    _EXIT_STATUS = int(exitstatus)


def pytest_unconfigure(config):
    """Leave without Python's final teardown once pytest has reported.

    pytest-qgis shuts QGIS down at the end of the session; PyQGIS objects that
    tracebacks of caught exceptions still hold are destroyed only afterwards,
    during interpreter shutdown, and crash the process (exit 139) although
    every test passed. The exit status pytest computed is kept.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS)


@pytest.fixture(scope="session", autouse=True)
def screenshot_locale():
    """WPZF_UPDATE_SCREENSHOTS=1 (regenerating docs/images): the plugin's widgets in Chinese, as users see them.

    Run only the screenshot tests that way — other tests assert English source texts:
    ``WPZF_UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/qgis -k "screenshot or next_patch_keeps"``.
    """
    if os.environ.get("WPZF_UPDATE_SCREENSHOTS") != "1":
        yield
        return
    from wpzf.i18n import install_translator, remove_translator

    assert install_translator("zh_CN"), "i18n/wpzf_zh_CN.qm is missing: run make translations"
    yield
    remove_translator()
