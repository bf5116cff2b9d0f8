"""`make lint`'s type check: mypy over domain/, adapters/ and processing/, with the checkout named ``wpzf``.

mypy names modules after the folders that hold an ``__init__.py``; the
repository root is the plugin package, so a checkout called ``main`` or
``wpzf-plugin`` would be checked as ``main.domain…`` (or refused). The run
goes through a temporary folder where ``wpzf`` links to the root, so module
names — and the per-module settings in pyproject.toml — are the same in every
checkout. Exit status: mypy's.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("domain", "adapters", "processing")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="wpzf-mypy-") as tmp:
        (Path(tmp) / "wpzf").symlink_to(ROOT, target_is_directory=True)
        command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                   "--cache-dir", str(ROOT / ".mypy_cache"), *(f"wpzf/{folder}" for folder in CHECKED)]
        return subprocess.call(command, cwd=tmp)


if __name__ == "__main__":
    sys.exit(main())
