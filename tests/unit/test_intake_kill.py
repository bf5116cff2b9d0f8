"""A killed import leaves the workspace byte-for-byte as it was (SQLite hot-journal rollback)."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {devtools!r})
    from wpzf_bootstrap import register_plugin_package
    register_plugin_package()
    import shapely
    from wpzf.domain.intake.patches import IncomingPatch
    from wpzf.domain.intake.service import import_delivery

    def records():
        for i in range(1, 3001):
            x = 35_580_000 + (i % 50) * 200
            y = 3_250_000 + (i // 50) * 200
            yield IncomingPatch(i, {{"JCBH": f"K{{i}}", "BZ": "备注" * 1000}}, shapely.to_wkb(shapely.box(x, y, x + 100, y + 100)))

    def progress(fraction):
        if fraction > 0.5:
            print("IN-TRANSACTION", flush=True)
            time.sleep(60)

    import_delivery(records(), ["JCBH"], {ws!r}, "2022-06", "2022-06-03", "big.shp", "sha-big", 4523,
                    progress=progress)
    """
)


def test_killed_import_leaves_workspace_unchanged(tmp_path):
    sys.path.insert(0, str(ROOT / "devtools"))
    import shapely

    from wpzf.domain.intake.patches import IncomingPatch
    from wpzf.domain.intake.service import import_delivery

    ws = tmp_path / "ws.gpkg"
    import_delivery([IncomingPatch(1, {"JCBH": "A"}, shapely.to_wkb(shapely.box(35_580_000, 3_250_000, 35_580_100, 3_250_100)))],
                    ["JCBH"], ws, "2022-05", "2022-05-06", "a.shp", "sha-a", 4523)
    before = hashlib.sha256(ws.read_bytes()).hexdigest()

    script = CHILD.format(devtools=str(ROOT / "devtools"), ws=str(ws))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "IN-TRANSACTION"
        assert Path(str(ws) + "-journal").exists()  # the transaction really is open
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    conn = sqlite3.connect(ws)  # the next reader rolls a hot journal back
    try:
        assert conn.execute("SELECT count(*) FROM jctb").fetchone() == (1,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert hashlib.sha256(ws.read_bytes()).hexdigest() == before
