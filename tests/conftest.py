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


@pytest.fixture(scope="session", autouse=True)
def _release_layers_before_qgis_exits(qgis_app):
    """Free, while QGIS is still up, the layers that would otherwise die after ``exitQgis`` and crash.

    pytest-qgis calls ``exitQgis`` when ``qgis_app`` is torn down (this fixture
    depends on it, so its teardown runs first). A Python-owned QgsVectorLayer
    deleted after that crashes in ``~QgsVectorLayer`` → ``GDALClose`` (exit 139,
    seen with gdb), so nothing may keep one alive to interpreter shutdown:

    - an exception raised in a Python ``processAlgorithm`` crosses QGIS's C++
      and keeps one reference too many there (refcount 4 with three Python
      holders), so its traceback keeps the calling test's frames, their locals
      (layers) and the closures they ran (``SqlEngine`` with its parameters)
      alive: their frames are cleared and the tracebacks dropped;
    - widgets pytest-qt closed with ``deleteLater`` are deleted now, not never.

    (The third cause was the plugin's: ``CompareDock`` lambdas connected to the
    main canvas' map tool kept every dock, and its outline layer, alive.)
    """
    yield
    import gc
    import types

    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()
    for obj in gc.get_objects():
        if isinstance(obj, BaseException) and obj.__traceback__ is not None:
            _clear_finished_frames(obj.__traceback__)
            obj.__traceback__ = None  # the frames themselves (and the closures they run) go too
        elif isinstance(obj, types.TracebackType):
            _clear_finished_frames(obj)
            obj.tb_next = None
    gc.collect()


def _clear_finished_frames(tb):
    """Drop the locals of every finished frame a traceback reaches: its own and their callers."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    if frames:
        caller = frames[0].f_back  # the test and pytest frames that called the algorithm
        while caller is not None:
            frames.append(caller)
            caller = caller.f_back
    for frame in frames:
        try:
            frame.clear()
        except RuntimeError:  # still executing (pytest's own session frames)
            pass


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
