"""Start-up dependency check: one list, every missing package named, a command that works where it runs.

Issue 15 item 4: an Excel export crashed with ModuleNotFoundError openpyxl after a README install —
every third-party module the plugin imports at run time must be in dependencies.REQUIREMENTS.
Item 5: `pip install` fails on Debian 12 ("externally-managed-environment"); the hint is per platform.
"""
from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

from wpzf import dependencies
from wpzf.dependencies import SHAPELY, Platform, install_hint, missing

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_DIRS = ("domain", "processing", "ui", "printing")
SHIPPED_WITH_QGIS = {"qgis", "osgeo", "PyQt5", "sip"}  # part of every QGIS install


def _third_party_imports() -> dict[str, str]:
    """Top-level module -> first file importing it, over the plugin's run-time packages."""
    found: dict[str, str] = {}
    files = [p for d in RUNTIME_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    files += sorted(ROOT.glob("*.py"))
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in SHIPPED_WITH_QGIS and top != "__future__":
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_a_checked_requirement():
    covered = {m.split(".")[0] for r in dependencies.REQUIREMENTS for m in r.modules}
    imports = _third_party_imports()
    assert {"shapely", "pyproj", "openpyxl", "numpy"} <= set(imports), imports  # the scan sees them
    unchecked = {m: f for m, f in imports.items() if m not in covered}
    assert not unchecked, f"add these to dependencies.REQUIREMENTS: {unchecked}"
    required = {r.modules[0] for r in dependencies.REQUIREMENTS if not r.optional}
    assert {"shapely", "pyproj", "openpyxl"} <= required  # item 4: the Excel export needs openpyxl


def _fake_import(monkeypatch, absent=(), versions=None):
    real = dependencies.importlib.import_module
    versions = versions or {}

    def fake(name, *args):
        if name in absent:
            raise ImportError(f"No module named {name!r}")
        if name in versions:
            return types.SimpleNamespace(__version__=versions[name])
        return real(name, *args)

    monkeypatch.setattr(dependencies.importlib, "import_module", fake)


def test_all_missing_required_packages_are_named(monkeypatch):
    assert missing() == []  # this test environment has everything
    _fake_import(monkeypatch, absent={"openpyxl"}, versions={"shapely": "1.8.5"})  # Debian 12's shapely
    assert [r.pip for r in missing()] == ["shapely>=2,<2.1", "openpyxl>=3"]


def test_versions_are_compared_numerically(monkeypatch):
    _fake_import(monkeypatch, versions={"shapely": "2.0.6", "pyproj": "3.4.1", "numpy": "1.9.3"})
    assert [r.pip for r in missing()] == ["numpy"]  # 1.9 < 1.14 although "1.9" > "1.14" as text


def test_optional_packages_do_not_stop_the_plugin(monkeypatch):
    _fake_import(monkeypatch, absent={"PIL", "psycopg2"})
    assert missing() == []
    assert [r.pip for r in missing(optional=True)] == ["pillow", "psycopg2-binary"]


REQUIRED = [r for r in dependencies.REQUIREMENTS if r.modules[0] in ("shapely", "pyproj", "openpyxl")]


def test_windows_hint_is_the_osgeo4w_shell_pip_command():
    assert install_hint(REQUIRED, Platform("windows", qgis_geos=(3, 10))) == \
        'python -m pip install "shapely>=2,<2.1" "pyproj>=3" "openpyxl>=3"'


def test_debian12_hint_uses_apt_and_the_shapely_2_0_wheel_for_the_user_only():
    # Debian 12: python3-shapely is 1.8, QGIS 3.22 runs on GEOS 3.11 = the GEOS in the 2.0 wheels.
    hint = install_hint(REQUIRED, Platform("debian", externally_managed=True, qgis_geos=(3, 11)))
    assert hint == ('sudo apt install python3-pyproj python3-openpyxl && '
                    'python3 -m pip install --user --break-system-packages "shapely>=2,<2.1"')


def test_debian13_hint_uses_debians_shapely_built_on_qgis_geos():
    # Debian 13: QGIS 3.40 on GEOS 3.13, python3-shapely 2.1 on the same GEOS; the 2.0 wheel would mix GEOS.
    hint = install_hint(REQUIRED, Platform("debian", externally_managed=True, qgis_geos=(3, 13)))
    assert hint == "sudo apt install python3-shapely python3-pyproj python3-openpyxl"


def test_other_unix_gets_a_user_pip_install_without_the_pep668_flag_when_not_needed():
    assert install_hint([SHAPELY], Platform("other", externally_managed=False)) == \
        'python3 -m pip install --user "shapely>=2,<2.1"'


@pytest.mark.skipif(not Path("/etc/debian_version").is_file(), reason="this machine is not Debian")
def test_detected_platform_here_is_debian_with_pep668():
    platform = dependencies.detect_platform()
    assert platform.kind == "debian"
    assert platform.externally_managed == Path(
        dependencies.sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED").is_file()
