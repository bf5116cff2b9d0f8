"""The real QGIS desktop in Chinese as its Options dialog sets it: the plugin's menu and Qt's buttons are Chinese.

Issue 15 item 1: in a QGIS whose profile says ``[locale] overrideFlag=true, userLocale=zh-Hans`` the plugin
showed "WPZF Land Enforcement" and its forms "Save"/"Cancel". Offscreen tests cannot see what QGIS itself
reports, so this runs QGIS desktop under Xvfb with the plugin (this working tree, symlinked into a fresh
profile) and judges the JSON desktop_language_script.py writes. Screenshots: tests/output/desktop_language/.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "output" / "desktop_language"
SCRIPT = Path(__file__).with_name("desktop_language_script.py")
TIMEOUT_S = 150
CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.skipif(not (shutil.which("qgis") and shutil.which("xvfb-run")),
                                reason="needs QGIS desktop (`qgis`) and `xvfb-run` (make test installs both)")


def _site_packages() -> str:
    """The venv's site-packages first: QGIS desktop runs the system Python (Debian 12: shapely 1.8)."""
    import shapely

    return str(Path(shapely.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    base = tmp_path_factory.mktemp("desktop_language")
    plugins = base / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "wpzf").symlink_to(ROOT, target_is_directory=True)
    ini = base / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    # exactly what QGIS 3.22's Options → General → "Override system locale" + 简体中文 writes
    ini.write_text("[PythonPlugins]\nwpzf=true\n\n[locale]\noverrideFlag=true\nuserLocale=zh-Hans\n", encoding="utf-8")
    out = base / "out"  # private to this run; copied to tests/output/ for a person to look at
    out.mkdir()
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # xvfb-run's X server, not offscreen
    env.update(WPZF_LANGUAGE_OUT=str(out), WPZF_TEST_HELPERS=str(ROOT / "tests" / "helpers"),
               PYTHONPATH=os.pathsep.join(p for p in (_site_packages(), env.get("PYTHONPATH", "")) if p),
               PYTHONDONTWRITEBYTECODE="1")
    command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--profiles-path", str(base), "--nologo",
               "--noversioncheck", "--code", str(SCRIPT)]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=base)
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        output, code = f"timed out after {TIMEOUT_S} s: {exc.stdout or ''}{exc.stderr or ''}", None
    (out / "qgis-output.txt").write_text(str(output), encoding="utf-8")
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.copytree(out, OUT, ignore=shutil.ignore_patterns("*.gpkg*", "evidence"))
    report_path = out / "language.json"
    assert report_path.is_file(), f"QGIS wrote no report (exit {code}):\n{output[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report.update(exit_code=code, output=output)
    return report


def test_qgis_reports_zh_hans_and_loads_the_real_plugin(session):
    assert session["locale"] == "zh-Hans"  # QgsApplication.locale() in QGIS desktop with this profile
    assert session["plugin"] == "WpzfPlugin", session["output"][-2000:]  # not the missing-dependency stand-in
    assert session["finished"] and session["exit_code"] == 0, session["output"][-2000:]


def test_plugin_menu_is_chinese(session):
    assert session["menu_title"] == "卫片执法"
    actions = session["menu_actions"]
    assert len(actions) >= 8, actions
    english = [a for a in actions if not CJK.search(a)]
    assert not english, english


def test_decision_form_buttons_follow_qgis_language(session):
    assert session["buttons"] == {"save": "保存", "cancel": "取消"}
    assert CJK.search(session["form_title"]) and "P2" in session["form_title"]
    assert len(session["screenshots"]) == 2 and all(Path(p).stat().st_size > 10_000 for p in session["screenshots"])


def test_no_python_error_in_qgis_log(session):
    assert not session["python_errors"], session["python_errors"]
    errors = [e for e in session["log"] if "Traceback" in e["message"] or
              ("python" in e["tag"].lower() and e["level"] >= 2)]
    assert not errors, errors
    assert "log panel check" in session["log_panel"].get("WPZF tests", ""), session["log_panel"].keys()
    panel_errors = {tab: text for tab, text in session["log_panel"].items()
                    if "Traceback" in text or re.search(r"python", tab, re.I) and re.search(r"错误|error", tab, re.I)}
    assert not panel_errors, panel_errors
