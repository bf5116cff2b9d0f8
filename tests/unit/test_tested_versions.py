"""metadata.txt and the README state the QGIS versions the plugin is tested on and how to install its packages.

Issue 15 ("Newer QGIS"): users in 2026 run QGIS 3.34/3.40 LTR; the suite runs on 3.22 (Debian 12) and in a
Debian 13 chroot on 3.40 — say so where a user looks. Item 5: the README's one pip command failed on Debian.
"""
from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _meta():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_metadata_states_supported_and_tested_versions():
    meta = _meta()
    assert (meta["qgisMinimumVersion"], meta["qgisMaximumVersion"]) == ("3.22", "3.99")
    for key in ("about", "changelog"):
        assert "QGIS 3.22 (Debian 12)" in meta[key] and "QGIS 3.40 LTR (Debian 13)" in meta[key], key


def _install_sections() -> tuple[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    zh = text[text.index("## 安装到 QGIS"):text.index("## 处理算法")]
    en = text[text.index("**Install into QGIS**"):text.index("**Algorithms**")]
    return zh, en


def test_readme_gives_the_verified_command_per_platform_in_both_languages():
    from wpzf.dependencies import REQUIREMENTS, Platform, install_hint

    required = [r for r in REQUIREMENTS if r.modules[0] in ("shapely", "pyproj", "openpyxl")]
    debian12 = install_hint(required, Platform("debian", externally_managed=True, qgis_geos=(3, 11)))
    debian13 = install_hint(required, Platform("debian", externally_managed=True, qgis_geos=(3, 13)))
    apt12, pip12 = debian12.split(" && ")
    for section in _install_sections():
        assert "QGIS 3.22" in section and "QGIS 3.40" in section
        assert 'python -m pip install "shapely>=2,<2.1" pyproj openpyxl' in section  # OSGeo4W Shell
        assert apt12 in section and pip12 in section  # what the stand-in prints on Debian 12
        assert debian13 in section
        assert "shapely.geos_version" in section and "Qgis.geosVersion()" in section  # 3.34/3.40 console check
        assert "pip install shapely pyproj" not in section  # the old command that fails on Debian
