"""Hidden ``.<name>.importing-<pid>`` files left by a killed workspace creation.

A new workspace is built under a hidden temporary name and renamed on
success (see :mod:`.service`); a process killed half-way (kill -9, power cut,
QGIS crash) cannot clean up after itself. The next import beside it removes
every such file whose process is gone — never one a live process is still
writing — together with SQLite's ``-journal``/``-wal``/``-shm`` companions.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

STALE_AFTER_SECONDS = 24 * 3600
"""A file this old is stale even when its pid is alive again (pids are reused)."""
COMPANIONS = ("", "-journal", "-wal", "-shm")
_PATTERN = re.compile(r"^\.(?P<name>.+)\.(?P<tag>importing|migrating)-(?P<pid>\d+)$")


def temp_path(workspace_path: Path, pid: int | None = None, tag: str = "importing") -> Path:
    """The hidden name a new workspace is built under by process ``pid`` (default: this one).

    ``tag``: ``importing`` (wpzf:importpatches) or ``migrating`` (wpzf:migrateworkspace).
    """
    return workspace_path.with_name(f".{workspace_path.name}.{tag}-{os.getpid() if pid is None else pid}")


def remove_with_companions(path: Path) -> None:
    """Remove ``path`` and SQLite's journal files beside it (missing ones are fine)."""
    for suffix in COMPANIONS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (no psutil): OpenProcess on Windows, signal 0 elsewhere."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) would TerminateProcess on Windows: ask the kernel instead
    if sys.platform != "win32":  # called on Windows only; this also tells the type checker WinDLL exists
        raise OSError("OpenProcess exists on Windows only")
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: exists
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def clean_stale(workspace_path: Path, now: float | None = None) -> list[Path]:
    """Remove leftovers of killed creations of ``workspace_path``; returns the files removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    folder = workspace_path.parent
    if not folder.is_dir():
        return removed
    for path in folder.glob(f".{workspace_path.name}.*ing-*"):
        found = _PATTERN.match(path.name)
        if not found or found["name"] != workspace_path.name:
            continue  # a companion (-journal …) goes with its main file
        pid = int(found["pid"])
        try:
            age = now - path.stat().st_mtime
        except OSError:
            continue
        if pid == os.getpid() or (pid_alive(pid) and age < STALE_AFTER_SECONDS):
            continue
        remove_with_companions(path)
        removed.append(path)
    return removed
