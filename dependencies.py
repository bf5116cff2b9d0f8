"""Python packages the plugin needs beyond QGIS, checked before anything imports them.

QGIS's Python on Windows (OSGeo4W) and Debian does not ship shapely 2; a
missing package must give the technician an instruction, not a traceback.
"""
from __future__ import annotations

import importlib

REQUIRED: tuple[tuple[str, str, int], ...] = (
    # (module, pip requirement, minimum major version)
    ("shapely", "shapely>=2", 2),
    ("pyproj", "pyproj>=3", 3),
)


def missing() -> list[str]:
    """pip requirements of the packages that are absent or too old."""
    absent = []
    for module, requirement, major in REQUIRED:
        try:
            version = importlib.import_module(module).__version__
        except Exception:  # noqa: BLE001 - any import failure means unusable
            absent.append(requirement)
            continue
        if int(version.split(".")[0]) < major:
            absent.append(requirement)
    return absent


def install_hint(requirements: list[str]) -> str:
    """The command a technician runs in the OSGeo4W shell or a terminal."""
    return "python -m pip install " + " ".join(f'"{r}"' for r in requirements)
