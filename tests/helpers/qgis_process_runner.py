"""Run ``qgis_process`` with this checkout installed as the plugin ``wpzf``."""
from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def executable() -> str | None:
    """qgis_process itself: Debian's wrapper adds --noversioncheck, which 3.22's binary refuses."""
    return shutil.which("qgis_process.bin") or shutil.which("qgis_process")


def environment(home: Path) -> dict[str, str]:
    """A private QGIS profile whose plugin path holds this checkout as ``wpzf``."""
    plugins = home / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "wpzf"
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_PLUGINPATH=str(plugins),
        QGIS_CUSTOM_CONFIG_PATH=str(home / "profile"),
        # the venv's packages (shapely 2 …) for QGIS's embedded Python
        PYTHONPATH=os.pathsep.join(site.getsitepackages() + [env.get("PYTHONPATH", "")]).strip(os.pathsep),
    )
    return env


def run(home: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    exe = executable()
    assert exe, "qgis_process not installed (Debian package qgis)"
    env = environment(home)
    subprocess.run([exe, "plugins", "enable", "wpzf"], env=env, capture_output=True, text=True, timeout=timeout)
    return subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=timeout)


def run_json(home: Path, algorithm: str, **params: str) -> dict:
    """Run an algorithm with --json and return its parsed output (raises with stderr on failure)."""
    args = ["--json", "run", algorithm, "--", *(f"{k}={v}" for k, v in params.items())]
    proc = run(home, *args)
    if proc.returncode != 0:
        raise RuntimeError(f"qgis_process failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout[proc.stdout.index("{"):])


if __name__ == "__main__":  # manual use: python tests/helpers/qgis_process_runner.py list
    print(run(Path("/tmp/wpzf-qgis-process"), *sys.argv[1:]).stdout)
