"""Python packages the plugin needs beyond QGIS, checked before anything imports them.

QGIS's Python on Windows (OSGeo4W) and Debian does not ship shapely 2, and
Debian's QGIS brings neither openpyxl nor always pyproj: a missing package must
give the technician an instruction at start-up, not a traceback in the middle
of an Excel export. :data:`REQUIREMENTS` is the one list (grep the imports of
domain/, processing/, ui/, printing/ when adding a third-party module); the
install command is written for the platform QGIS runs on, because the
generic ``pip install`` fails on Debian 12+ ("externally-managed-environment").
"""
from __future__ import annotations

import importlib
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Requirement:
    """One third-party module: how to import it, which version, how to install it."""

    modules: tuple[str, ...]  # import names, any one will do (tomllib or its back-ports)
    pip: str  # pip requirement
    apt: str  # Debian/Ubuntu package ('' = install with pip there too)
    minimum: tuple[int, ...] = ()
    optional: bool = False  # only one feature stops working without it
    python_below: tuple[int, int] | None = None  # needed only on older Pythons


# shapely < 2.1 for pip: the 2.1 wheels bundle GEOS 3.13, and inside a QGIS built on GEOS 3.11 (Debian 12)
# the already-loaded system GEOS takes over part of it — qgis_process failed on WKB output and overlay
# areas came out hundreds of m² wrong in our tests. The 2.0 wheels bundle GEOS 3.11.
SHAPELY = Requirement(("shapely",), "shapely>=2,<2.1", "python3-shapely", (2,))
REQUIREMENTS: tuple[Requirement, ...] = (
    SHAPELY,  # every geometry computation (domain/overlay, intake, printing)
    Requirement(("pyproj",), "pyproj>=3", "python3-pyproj", (3,)),  # CRS, zones, photo GPS
    Requirement(("numpy",), "numpy", "python3-numpy", (1, 14)),  # overlay arrays
    Requirement(("openpyxl",), "openpyxl>=3", "python3-openpyxl", (3,)),  # Excel export and 一下 import
    Requirement(("tomllib", "tomli", "pip._vendor.tomli"), "tomli", "python3-tomli",
                python_below=(3, 11)),  # the rule set (rules/*.toml)
    Requirement(("PIL",), "pillow", "python3-pil", optional=True),  # photo EXIF (importphotos)
    Requirement(("psycopg2",), "psycopg2-binary", "python3-psycopg2", optional=True),  # shared PostGIS workspace
    Requirement(("matplotlib",), "matplotlib>=3.3", "python3-matplotlib", (3, 3), optional=True),  # bulletin charts
    Requirement(("docx",), "python-docx", "python3-docx", optional=True),  # annual summary draft (.docx)
)
WHEEL_GEOS = (3, 11)  # GEOS bundled in the shapely 2.0 wheels SHAPELY.pip installs


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text.split("+")[0])[:3])


def _satisfied(requirement: Requirement) -> bool:
    if requirement.python_below and sys.version_info[:2] >= requirement.python_below:
        return True
    for module in requirement.modules:
        try:
            imported = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - any import failure means unusable
            continue
        version = getattr(imported, "__version__", "")
        if not requirement.minimum or (version and _version(version) >= requirement.minimum):
            return True
    return False


def missing(optional: bool = False) -> list[Requirement]:
    """The required (or, with ``optional``, the optional) packages that are absent or too old."""
    return [r for r in REQUIREMENTS if r.optional == optional and not _satisfied(r)]


@dataclass(frozen=True)
class Platform:
    """What decides the install command: OS family, PEP 668 marker, QGIS's GEOS."""

    kind: str  # "windows" (OSGeo4W), "debian" (Debian/Ubuntu system QGIS) or "other"
    externally_managed: bool = False
    qgis_geos: tuple[int, int] | None = None


def detect_platform() -> Platform:
    """The platform this QGIS runs on."""
    geos = None
    try:
        from qgis.core import Qgis

        geos = (Qgis.geosVersionMajor(), Qgis.geosVersionMinor())
    except Exception:  # noqa: BLE001 - outside QGIS
        pass
    if sys.platform.startswith("win"):
        return Platform("windows", qgis_geos=geos)  # OSGeo4W network and standalone installers alike
    managed = Path(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED").is_file()
    kind = "debian" if Path("/etc/debian_version").is_file() else "other"
    return Platform(kind, managed, geos)


def _quoted(requirements: list[Requirement]) -> str:
    return " ".join(f'"{r.pip}"' if re.search(r"[<>=,]", r.pip) else r.pip for r in requirements)


def install_hint(requirements: list[Requirement], platform: Platform | None = None) -> str:
    """One command line that installs ``requirements`` on ``platform`` (detected by default).

    Windows: in the OSGeo4W Shell, QGIS's own Python. Debian/Ubuntu: Debian's
    packages with apt, except shapely where Debian's is older than 2 (Debian 12,
    GEOS 3.11): the 2.0 wheel, installed for the user only (``--user``) so no
    file of the system Python changes — which is why ``--break-system-packages``
    is safe there. Elsewhere: pip for the user.
    """
    platform = platform or detect_platform()
    if not requirements:
        return ""
    if platform.kind == "windows":
        return "python -m pip install " + _quoted(requirements)
    user_pip = "python3 -m pip install --user " + (
        "--break-system-packages " if platform.externally_managed else "")
    if platform.kind != "debian":
        return user_pip + _quoted(requirements)
    wheel = [r for r in requirements if not r.apt or (r is SHAPELY and platform.qgis_geos == WHEEL_GEOS)]
    apt = [r.apt for r in requirements if r not in wheel]
    commands = (["sudo apt install " + " ".join(apt)] if apt else []) + (
        [user_pip + _quoted(wheel)] if wheel else [])
    return " && ".join(commands)


def geos_mismatch(shapely_geos: tuple[int, ...], qgis_geos: tuple[int, ...]) -> bool:
    """True when shapely runs on another GEOS (major, minor) than QGIS does.

    pip wheels of shapely bundle their own GEOS; inside a QGIS process the
    system GEOS is loaded first and can take over part of a different
    version (see SHAPELY): results then cannot be trusted.
    """
    return tuple(shapely_geos[:2]) != tuple(qgis_geos[:2])
