"""Paths of files shipped with the plugin (icons, templates, rule sets)."""
from __future__ import annotations

from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent


def icon_path(name: str) -> Path:
    """An icon in ``icons/``."""
    return PLUGIN_DIR / "icons" / name
