"""Python packages the plugin needs beyond QGIS, checked before anything imports them.

QGIS's Python on Windows (OSGeo4W) and Debian does not ship shapely 2; a
missing package must give the technician an instruction, not a traceback.
"""
from __future__ import annotations

import importlib

REQUIRED: tuple[tuple[str, str, int], ...] = (
    # (module, pip requirement, minimum major version)
    # shapely < 2.1: the 2.1 wheels bundle GEOS 3.13, and inside a QGIS built on GEOS 3.11 (Debian 12)
    # the already-loaded system GEOS takes over part of it — qgis_process failed on WKB output and
    # overlay areas came out hundreds of m² wrong in our tests. The 2.0 wheels bundle GEOS 3.11.
    ("shapely", "shapely>=2,<2.1", 2),
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


def geos_mismatch(shapely_geos: tuple[int, ...], qgis_geos: tuple[int, ...]) -> bool:
    """True when shapely runs on another GEOS (major, minor) than QGIS does.

    pip wheels of shapely bundle their own GEOS; inside a QGIS process the
    system GEOS is loaded first and can take over part of a different
    version (see REQUIRED): results then cannot be trusted.
    """
    return tuple(shapely_geos[:2]) != tuple(qgis_geos[:2])

