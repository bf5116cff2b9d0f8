"""metadata.txt passes the plugin repository's checks; the zip holds the plugin and nothing else."""
from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository")
RECOMMENDED = ("tracker", "homepage", "changelog", "tags", "category", "icon", "experimental", "deprecated",
               "hasProcessingProvider")
CJK = re.compile(r"[\u4e00-\u9fff]")


def metadata() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_metadata_has_required_and_recommended_keys():
    meta = metadata()
    missing = [k for k in REQUIRED + RECOMMENDED if not meta.get(k, "").strip()]
    assert not missing, missing
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["hasProcessingProvider"] == "yes"
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert (ROOT / meta["icon"]).is_file()
    assert meta["category"] in ("Raster", "Vector", "Database", "Mesh", "Web", "Plugins")
    for key in ("description", "about"):
        assert CJK.search(meta[key]) and re.search(r"[A-Za-z]{4,}", meta[key]), f"{key} needs English and Chinese"
    for key in ("tracker", "repository", "homepage"):
        assert meta[key].startswith("https://")
    assert len(meta["about"]) > len(meta["description"])


def test_license_is_shipped():
    assert "GNU GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.skipif(not shutil.which("zip") or not (ROOT / "i18n" / "wpzf_zh_CN.qm").exists(),
                    reason="zip or compiled translation missing (make translations)")
def test_package_zip_contains_the_plugin_only(tmp_path):
    out = subprocess.run(["bash", "devtools/package.sh"], cwd=ROOT, capture_output=True, text=True, check=True)
    zip_path = ROOT / out.stdout.strip().splitlines()[-1]
    names = zipfile.ZipFile(zip_path).namelist()
    assert all(n.startswith("wpzf/") for n in names)
    for needed in ("wpzf/metadata.txt", "wpzf/__init__.py", "wpzf/plugin.py", "wpzf/LICENSE",
                   "wpzf/i18n/wpzf_zh_CN.qm", "wpzf/icons/wpzf.svg", "wpzf/processing/provider.py"):
        assert needed in names, needed
    forbidden = [n for n in names if re.search(r"(__pycache__|\.pyc$|/tests/|/devtools/|/\.git|/\.venv)", n)]
    assert not forbidden, forbidden
