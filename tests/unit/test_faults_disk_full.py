"""Issue 14 item 13: a full disk gives a clear message naming the workspace, rolls back and
leaves no journal; a killed workspace creation leaves no hidden ``.importing-<pid>`` file behind
(the next run removes it)."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import shapely

from wpzf.domain.intake.leftovers import STALE_AFTER_SECONDS, clean_stale, pid_alive, temp_path
from wpzf.domain.intake.patches import IncomingPatch
from wpzf.domain.intake.service import import_delivery
from wpzf.domain.workspace.faults import DiskFullError
from wpzf.domain.workspace.store import Workspace, WorkspaceError

ROOT = Path(__file__).resolve().parents[2]
X0, Y0 = 35_580_000.0, 3_250_000.0


def patch(i: int, note: str = "位于某村东侧") -> IncomingPatch:
    x = X0 + (i % 50) * 200
    y = Y0 + (i // 50) * 200
    return IncomingPatch(i, {"JCBH": f"K{i}", "BZ": note}, shapely.to_wkb(shapely.box(x, y, x + 100, y + 100)))


def deliver(ws: Path, records, batch: str, sha: str):
    return import_delivery(records, ["JCBH", "BZ"], ws, batch, "2022-05-06", f"{batch}.shp", sha, 4523,
                           user="tester")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(("-journal", "-wal", "-shm"))
                  or ".importing-" in p.name)


def assert_disk_full_message(exc: DiskFullError, ws: Path) -> None:
    text = str(exc)
    assert "disk" in text and "full" in text, text
    assert str(ws) in text, text  # names the workspace
    assert "cannot rollback" not in text
    assert isinstance(exc, WorkspaceError)


def test_full_database_rolls_back_with_a_clear_message_and_no_journal(tmp_path):
    """SQLite's SQLITE_FULL (here from max_page_count) ends in DiskFullError, not 'cannot rollback'."""
    ws_path = tmp_path / "ws.gpkg"
    deliver(ws_path, [patch(1)], "2022-05", "sha-1")
    before = digest(ws_path)
    with Workspace.open(ws_path) as ws:
        pages = ws.conn.execute("PRAGMA page_count").fetchone()[0]
        ws.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # room for two more 4 KiB pages only
        with pytest.raises(DiskFullError) as caught:
            with ws.transaction() as conn:
                for i in range(200):
                    conn.execute("INSERT INTO wpzf_meta VALUES (?, ?)", (f"filler{i}", "x" * 2000))
        assert_disk_full_message(caught.value, ws_path)
        assert not ws.conn.in_transaction
        assert ws.conn.execute("SELECT count(*) FROM wpzf_meta WHERE key LIKE 'filler%'").fetchone() == (0,)
    assert leftovers(tmp_path) == []
    assert digest(ws_path) == before
    with Workspace.open(ws_path) as ws:  # still opens with its previous content: the one patch
        assert ws.conn.execute("SELECT JCBH FROM jctb").fetchall() == [("K1",)]


@pytest.fixture()
def small_disk(tmp_path):
    """A 3 MiB tmpfs (root only: skipped elsewhere; the max_page_count test covers the logic)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_import_on_a_really_full_disk_is_refused_cleanly(small_disk):
    ws_path = small_disk / "ws.gpkg"
    deliver(ws_path, [patch(1)], "2022-05", "sha-1")
    before = digest(ws_path)
    filler = small_disk / "filler.bin"
    with open(filler, "wb") as f:  # leave ~200 KiB free
        stat = os.statvfs(small_disk)
        f.write(b"\0" * max(stat.f_bavail * stat.f_frsize - 200 * 1024, 0))
    big = [patch(i, "备注" * 2000) for i in range(2, 202)]  # 200 patches × 12 kB of notes ≈ 2.4 MB
    with pytest.raises(DiskFullError) as caught:
        deliver(ws_path, big, "2022-06", "sha-2")
    assert_disk_full_message(caught.value, ws_path)
    filler.unlink()
    assert leftovers(small_disk) == []  # no -journal
    assert digest(ws_path) == before
    with Workspace.open(ws_path) as ws:
        assert [b.name for b in ws.batches()] == ["2022-05"]
        assert ws.conn.execute("SELECT count(*) FROM jctb").fetchone() == (1,)


def test_new_workspace_on_a_full_disk_leaves_no_hidden_files(small_disk):
    filler = small_disk / "filler.bin"
    with open(filler, "wb") as f:
        stat = os.statvfs(small_disk)
        f.write(b"\0" * max(stat.f_bavail * stat.f_frsize - 400 * 1024, 0))
    with pytest.raises((DiskFullError, sqlite3.Error, OSError)):
        deliver(small_disk / "new.gpkg", [patch(i, "备注" * 2000) for i in range(1, 201)], "2022-05", "sha-1")
    assert leftovers(small_disk) == []
    assert not (small_disk / "new.gpkg").exists()


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
        for i in range(1, 1001):
            yield IncomingPatch(i, {{"JCBH": f"K{{i}}"}}, shapely.to_wkb(shapely.box(35_580_000 + i * 200, 3_250_000,
                                                                                 35_580_100 + i * 200, 3_250_100)))

    def progress(fraction):
        if fraction > 0.5:
            print("IN-TRANSACTION", flush=True)
            time.sleep(60)

    import_delivery(records(), ["JCBH"], {ws!r}, "2022-05", "2022-05-06", "a.shp", "sha-a", 4523, progress=progress)
    """
)


def test_killed_creation_leaves_files_that_the_next_run_removes(tmp_path):
    ws_path = tmp_path / "ws.gpkg"
    script = CHILD.format(devtools=str(ROOT / "devtools"), ws=str(ws_path))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "IN-TRANSACTION"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    hidden = temp_path(ws_path, child.pid)
    assert hidden.exists() and Path(f"{hidden}-journal").exists()  # what kill -9 leaves behind
    assert not ws_path.exists()
    result = deliver(ws_path, [patch(1)], "2022-05", "sha-1")
    assert result.imported == 1
    assert leftovers(tmp_path) == []
    with Workspace.open(ws_path) as ws:
        assert ws.conn.execute("SELECT JCBH FROM jctb").fetchall() == [("K1",)]


def test_only_leftovers_of_dead_processes_are_removed(tmp_path):
    ws_path = tmp_path / "ws.gpkg"
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(done.stdout)
    assert not pid_alive(dead_pid)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert pid_alive(live.pid)
        dead, alive = temp_path(ws_path, dead_pid), temp_path(ws_path, live.pid)
        for path in (dead, Path(f"{dead}-journal"), alive):
            path.write_bytes(b"x")
        other = tmp_path / f".other.gpkg.importing-{dead_pid}"  # another workspace's leftover: not ours
        other.write_bytes(b"x")
        assert clean_stale(ws_path) == [dead]
        assert not dead.exists() and not Path(f"{dead}-journal").exists()
        assert alive.exists() and other.exists()  # a live import is never disturbed
        old = time.time() - STALE_AFTER_SECONDS - 60  # …unless its pid was reused long after (a day)
        os.utime(alive, (old, old))
        assert clean_stale(ws_path) == [alive]
    finally:
        live.kill()
        live.wait()


def test_pid_check_sees_this_process_and_no_process_zero():
    assert pid_alive(os.getpid())
    assert not pid_alive(0)  # (the Windows branch uses OpenProcess, never os.kill, which would terminate)
