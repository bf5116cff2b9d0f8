"""Typed access to the plugin's user settings (QgsSettings under ``wpzf/``).

One module for every key, so the dock, the forms, printing and the options a
user sets agree on names and defaults. Values live in the QGIS profile, not in
projects or workspaces.
"""
from __future__ import annotations

from qgis.core import QgsSettings

PREFIX = "wpzf/"


def _get(key: str, default, kind=str):
    return QgsSettings().value(PREFIX + key, default, type=kind)


def _set(key: str, value) -> None:
    QgsSettings().setValue(PREFIX + key, value)


def office_name() -> str:
    """Producing office printed on maps and reports (制图单位)."""
    return _get("office_name", "")


def before_imagery_layer() -> str:
    """Layer id of the 前时相 (before) imagery chosen for the compare view; '' if none."""
    return _get("before_imagery_layer", "")


def set_before_imagery_layer(layer_id: str) -> None:
    _set("before_imagery_layer", layer_id)


def after_imagery_layer() -> str:
    """Layer id of the 后时相 (after) imagery chosen for the compare view; '' if none."""
    return _get("after_imagery_layer", "")


def set_after_imagery_layer(layer_id: str) -> None:
    _set("after_imagery_layer", layer_id)


def before_imagery_source() -> str:
    """Data source of the before imagery, to find it again in another project (layer ids differ)."""
    return _get("before_imagery_source", "")


def set_before_imagery_source(source: str) -> None:
    _set("before_imagery_source", source)


def after_imagery_source() -> str:
    """Data source of the after imagery, to find it again in another project (layer ids differ)."""
    return _get("after_imagery_source", "")


def set_after_imagery_source(source: str) -> None:
    _set("after_imagery_source", source)


def photo_match_distance() -> float:
    """Metres within which a field photo outside every patch is assigned to the nearest one."""
    return _get("photo_match_distance", 50.0, float)


def last_workspace() -> str:
    """Path of the workspace opened last, reopened by the workbench on request."""
    return _get("last_workspace", "")


def set_last_workspace(path: str) -> None:
    _set("last_workspace", path)
