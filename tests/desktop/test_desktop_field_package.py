"""The exported field package opens in QGIS desktop as it is (issue 17): every layer valid, the forms configured.

Issue 17: "the exported project opens in QGIS desktop with every layer valid and the forms configured
(screenshot in the README)". QField opens a project the way QGIS desktop does, so a package QGIS opens
on its own — no WPZF plugin in the profile, a Chinese (zh-Hans) QGIS, the folder moved elsewhere — with
the layers, the relation and the 外业调查记录 form as exported is one a tablet opens too. The package is
exported here (Processing), one visit is recorded in it as QField writes it, then ``qgis`` runs
``field_package_script.py`` under Xvfb; the script records, these tests judge its report.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from exif_photos import write_photo
from field_package import centres, qfield_edits, visit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "output" / "desktop_field"
SCRIPT = Path(__file__).with_name("field_package_script.py")
TIMEOUT_S = 150
HARD_LIMIT_S = 90


def _profile(base: Path) -> Path:
    """A fresh profiles folder, Chinese as QGIS's Options dialog writes it, and no plugin at all."""
    ini = base / "profiles" / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[locale]\noverrideFlag=true\nuserLocale=zh-Hans\n", encoding="utf-8")
    return base / "profiles"


@pytest.fixture(scope="module")
def opened(district, tmp_path_factory, qgis_processing, qgis_iface):
    """Export three patches with the after imagery, record one visit with a photo, open the package in QGIS."""
    from qgis import processing
    from qgis.core import QgsApplication, QgsRasterLayer

    from wpzf.processing.provider import WpzfProvider

    if not all(shutil.which(t) for t in ("qgis", "xvfb-run", "xauth")):
        pytest.fail("QGIS desktop, xvfb-run and xauth are needed (make test installs qgis, xvfb and xauth)")
    registry = QgsApplication.processingRegistry()
    provider = None
    if registry.providerById("wpzf") is None:
        provider = WpzfProvider()
        registry.addProvider(provider)
    base = tmp_path_factory.mktemp("desktop_field")
    workspace = base / "永川2022.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(workspace),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    imagery = QgsRasterLayer(str(district.imagery_after), "后时相影像", "gdal")
    exported = base / "exported"
    processing.run("wpzf:exportfieldpackage", {"WORKSPACE": str(workspace), "BATCH": "2022-05",
                                               "EXPRESSION": '"fid" <= 3', "IMAGERY": [imagery], "MARGIN": 60.0,
                                               "OUTPUT_FOLDER": str(exported)})
    if provider is not None:
        registry.removeProvider(provider)
    jcbh = sorted(centres(exported))[0]
    write_photo(exported / "DCIM" / "a1.jpg", *centres(exported)[jcbh])
    qfield_edits(exported, [visit(jcbh, "DCIM/a1.jpg", result="非农违法", note="新建厂房，约 300 平方米")])
    folder = base / "tablet" / "wpzf_field"  # the folder as the device keeps it: relative paths must still hold
    shutil.copytree(exported, folder)
    out = base / "out"
    config = {"project": str(folder / "wpzf_field.qgs"), "out": str(out), "hard_limit_s": HARD_LIMIT_S,
              "patch_layer": "外业核查图斑", "visit_layer": "外业调查记录"}
    (base / "config.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    env["WPZF_DESKTOP_CONFIG"] = str(base / "config.json")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", "qgis", "--profiles-path", str(_profile(base)),
               "--nologo", "--noversioncheck", "--noplugins", "--code", str(SCRIPT)]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=base)
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        output, code = f"timed out after {TIMEOUT_S} s: {exc.stdout or ''}{exc.stderr or ''}", None
    out.mkdir(exist_ok=True)
    (out / "qgis-output.txt").write_text(str(output), encoding="utf-8")
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.copytree(out, OUT)
    if os.environ.get("WPZF_UPDATE_SCREENSHOTS") == "1" and (out / "field_package.png").is_file():
        shutil.copyfile(out / "field_package.png", ROOT / "docs" / "images" / "field_package.png")
    report_path = out / "report.json"
    assert report_path.is_file(), f"QGIS wrote no report (exit {code}):\n{output[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report.update(exit_code=code, output=output, folder=str(folder), jcbh=jcbh)
    return report


def test_qgis_opened_the_package_in_chinese_without_errors_and_exited(opened):
    assert opened["locale"] == "zh-Hans"
    assert opened["opened"] and opened["finished"], opened["output"][-2000:]
    assert not opened["python_errors"], opened["python_errors"]
    assert opened["exit_code"] == 0, opened["output"][-2000:]


def test_every_layer_is_valid_and_read_from_the_moved_package(opened):
    layers = {layer["name"]: layer for layer in opened["layers"]}
    assert set(layers) == {"外业核查图斑", "外业调查记录", "后时相影像"}
    assert all(layer["valid"] for layer in layers.values()), layers
    assert all(opened["folder"] in layer["source"] for layer in layers.values())  # relative paths resolved
    assert layers["外业核查图斑"]["features"] == 3  # fid 1, 2, 3 exported
    assert layers["外业调查记录"]["features"] == 1  # the one visit recorded on the "tablet"
    assert opened["relations"] == [{"valid": True, "pairs": {"JCBH": "JCBH"}, "referenced": "外业核查图斑",
                                    "referencing": "外业调查记录"}]


def test_visit_form_shows_date_time_result_list_and_photo_widgets(opened):
    form = opened["form"]
    types = {name: field["type"] for name, field in form["fields"].items()}
    assert types["DCSJ"] == "DateTime" and types["DCJG"] == "ValueMap"
    assert all(types[f"PHOTO{n}"] == "ExternalResource" for n in range(1, 5))
    assert form["date_widgets"] == ["2022-05-20 10:31:00"]  # the recorded 调查时间, in the form's own widget
    assert "非农违法" in form["combo_texts"] and "实地未变化" in form["combo_items"]  # the rule set's 具体情形
    assert any(path.endswith("DCIM/a1.jpg") for path in form["photo_widgets"])
    assert {"调查时间", "调查人员", "调查结果", "现场情况"} <= set(form["labels"])  # Chinese aliases as labels
    assert opened["screenshot_saved"] and Path(OUT / "field_package.png").stat().st_size > 10_000
