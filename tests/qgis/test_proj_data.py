"""pyproj finds PROJ data in any Python QGIS runs (proj_data.use_qgis_proj_data).

Issue 15 "Newer QGIS": Debian's pyproj inside a venv finds no PROJ data —
Debian 12 warns "Valid PROJ data directory not found" on every run, Debian 13
(QGIS 3.40) raises DataDirError on every transformation. Each check runs in a
fresh interpreter, because this test session has already been repaired by the
bootstrap (devtools/wpzf_bootstrap.py).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_LOAD = f"""
import importlib.util, json, os, sys, warnings
warnings.simplefilter("always")
spec = importlib.util.spec_from_file_location("proj_data", {str(ROOT / "proj_data.py")!r})
proj_data = importlib.util.module_from_spec(spec); spec.loader.exec_module(proj_data)
"""


def _run(body: str) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, "-c", _LOAD + body], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_pyproj_gets_proj_data_and_transforms_cgcs2000_to_gauss_kruger_zone_35():
    result, stderr = _run("""
used = proj_data.use_qgis_proj_data()
import pyproj
x, y = pyproj.Transformer.from_crs(4490, 4523, always_xy=True).transform(105.0, 0.0)
print(json.dumps({"used": used, "datadir": pyproj.datadir.get_data_dir(), "x": x, "y": y,
                  "env": os.environ.get("PROJ_DATA")}))
""")
    assert Path(result["datadir"], "proj.db").is_file()
    assert result["used"] == result["datadir"]
    # EPSG:4523 = CGCS2000 3-degree Gauss-Kruger zone 35: central meridian 105°E, false easting
    # 35 500 000 m (zone number prefixed); a point on the central meridian at the equator maps
    # to (35 500 000, 0) exactly (domain.md: areas are computed in the district's CGCS2000 GK zone).
    assert abs(result["x"] - 35_500_000) < 1e-3
    assert abs(result["y"]) < 1e-3
    assert "Valid PROJ data directory not found" not in stderr
    assert result["env"] is None  # pyproj's own setting only: PROJ_DATA would override fiona's bundled PROJ


def test_a_pyproj_that_has_proj_data_is_left_alone(tmp_path):
    own = tmp_path / "own_proj"
    own.mkdir()
    result, _ = _run(f"""
import warnings, shutil
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pyproj.datadir
found = proj_data.use_qgis_proj_data()  # the real data dir, whichever it is
shutil.copy(os.path.join(found.split(os.pathsep)[0], "proj.db"), {str(own)!r})
pyproj.datadir.set_data_dir({str(own)!r})
print(json.dumps({{"used": proj_data.use_qgis_proj_data(), "datadir": pyproj.datadir.get_data_dir()}}))
""")
    assert result == {"used": str(own), "datadir": str(own)}
