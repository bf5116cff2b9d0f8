"""Give pyproj the PROJ data QGIS itself uses, when pyproj finds none of its own.

Why: Debian's pyproj looks for ``proj.db`` under ``sys.prefix/share/proj``; in a
virtual environment ``sys.prefix`` is the venv, so pyproj finds no data — on
Debian 12 it warns "Valid PROJ data directory not found" on every import, on
Debian 13 (QGIS 3.40) every transformation raises ``DataDirError``. QGIS links
the same system PROJ and knows where its data is (``QgsProjUtils.searchPaths``).

Only pyproj's own setting is changed (``pyproj.datadir.set_data_dir``), never
the ``PROJ_DATA`` environment variable: pip wheels (pyproj, fiona) bundle their
own PROJ with its own data, which a global variable would override with a
``proj.db`` of another PROJ version. A pyproj that already has data (a wheel,
conda, OSGeo4W) is left alone.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

_NOT_FOUND = "Valid PROJ data directory not found"


def _candidate_dirs() -> list[str]:
    """QGIS's PROJ search paths first, then the Python installation's own share/proj."""
    paths: list[str] = []
    try:
        from qgis.core import QgsProjUtils

        paths.extend(QgsProjUtils.searchPaths())
    except Exception:  # noqa: BLE001 - no QGIS (plain Python) or a QGIS without the API
        pass
    # A venv's base interpreter: /usr for Debian's python3, where proj-data installs.
    paths.append(str(Path(sys.base_prefix, "share", "proj")))
    return paths


def use_qgis_proj_data() -> str | None:
    """Make pyproj find PROJ data; return the directory it uses (None: no pyproj or no data).

    Safe to call more than once and before anything else imports pyproj (the
    import-time warning for the missing directory is silenced here because it
    is exactly what this function repairs).
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_NOT_FOUND, category=UserWarning)
            import pyproj.datadir
            from pyproj.exceptions import DataDirError
    except ImportError:  # reported by dependencies.missing()
        return None
    try:
        return pyproj.datadir.get_data_dir()
    except DataDirError:
        pass
    for path in _candidate_dirs():
        if path and Path(path, "proj.db").is_file():
            pyproj.datadir.set_data_dir(path)
            return path
    return None
