"""Issue 14 item 10: evidence never leaves evidence/ — planted symbolic links are refused on every
write and read; the evidence folder itself may be a link the office set up."""
from __future__ import annotations

import os

import pytest

from wpzf.domain.evidence import paths
from wpzf.domain.evidence.paths import EvidencePathError, open_stored
from wpzf.domain.evidence.store import EvidenceError, add_file, list_evidence, resolve, verify
from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.store import Workspace

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"
JCBH = "500118202205001"

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


@pytest.fixture()
def ws(tmp_path):
    import shapely

    w = Workspace.create(tmp_path / "office" / "ws.gpkg", 4523, user="李工")
    g = shapely.from_wkt(SQUARE)
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XGR, XGSJ) VALUES (?, ?, 1, 'tester', 't0')",
                     (gpkg.encode(shapely.to_wkb(g), 4523, g.bounds), JCBH))
    yield w
    w.close()


@pytest.fixture()
def outside(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.txt").write_bytes(b"not evidence")
    return folder


def source(tmp_path, content: bytes = b"\xff\xd8 photo") -> os.PathLike:
    path = tmp_path / "incoming" / "现场照片.jpg"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def rows(ws) -> int:
    return ws.conn.execute("SELECT count(*) FROM wpzf_evidence").fetchone()[0]


def test_symlinked_patch_folder_is_refused_and_nothing_is_written_outside(ws, tmp_path, outside):
    (ws.evidence_dir / JCBH).symlink_to(outside, target_is_directory=True)
    with pytest.raises(EvidenceError) as caught:
        add_file(ws, 1, source(tmp_path), "照片")
    text = str(caught.value)
    assert "现场照片.jpg" in text and JCBH in text and "WJLJ" in text and "symbolic link" in text
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]  # nothing written through the link
    assert rows(ws) == 0
    assert (ws.evidence_dir / JCBH).is_symlink()  # the planted link is left for the user to inspect


def test_symlinked_file_under_the_target_name_is_never_trusted(ws, tmp_path, outside):
    import hashlib

    content = b"\xff\xd8 photo"
    sha = hashlib.sha256(content).hexdigest()
    (outside / "same.jpg").write_bytes(content)  # identical bytes outside: must not be "already stored"
    (ws.evidence_dir / JCBH).mkdir()
    (ws.evidence_dir / JCBH / f"{sha[:12]}_现场照片.jpg").symlink_to(outside / "same.jpg")
    # the hard link refuses the taken name, the planted link is seen and refused (not hashed through)
    with pytest.raises(EvidenceError) as caught:
        add_file(ws, 1, source(tmp_path, content), "照片")
    assert "symbolic link" in str(caught.value)
    assert rows(ws) == 0
    assert sorted(p.name for p in (ws.evidence_dir / JCBH).iterdir()) == [f"{sha[:12]}_现场照片.jpg"]  # no temp left


def test_symlinked_evidence_root_is_allowed(tmp_path):
    """The office may keep evidence on another disk and link the folder: resolved once and trusted."""
    import shapely

    store = tmp_path / "big-disk" / "evidence"
    store.mkdir(parents=True)
    (tmp_path / "office").mkdir()
    (tmp_path / "office" / "evidence").symlink_to(store, target_is_directory=True)
    with Workspace.create(tmp_path / "office" / "ws.gpkg", 4523) as w:
        g = shapely.from_wkt(SQUARE)
        with w.transaction() as conn:
            conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
            conn.execute("INSERT INTO jctb (geom, JCBH, batch_id) VALUES (?, ?, 1)",
                         (gpkg.encode(shapely.to_wkb(g), 4523, g.bounds), JCBH))
        record = add_file(w, 1, source(tmp_path), "照片").record
        assert resolve(w, record.relative_path) == store.resolve() / record.relative_path
        assert (store / record.relative_path).read_bytes() == b"\xff\xd8 photo"
        assert verify(w).ok


def test_stored_file_replaced_by_a_symlink_is_refused_on_read(ws, tmp_path, outside):
    record = add_file(ws, 1, source(tmp_path), "照片").record
    stored = ws.evidence_dir / record.relative_path
    stored.unlink()
    stored.symlink_to(outside / "secret.txt")
    with pytest.raises(EvidencePathError) as caught:
        resolve(ws, record.relative_path)
    assert record.relative_path in str(caught.value)
    report = verify(ws)
    assert [r.id for r in report.unsafe] == [record.id] and not report.missing and not report.changed
    with pytest.raises(EvidencePathError):
        open_stored(stored)  # O_NOFOLLOW refuses the link at the last component
    assert [r.id for r in list_evidence(ws)] == [record.id]  # the row is kept, not silently dropped


def test_link_pointing_back_inside_is_refused_too(ws, tmp_path):
    record = add_file(ws, 1, source(tmp_path), "照片").record
    (ws.evidence_dir / "alias").symlink_to(ws.evidence_dir / JCBH, target_is_directory=True)
    name = record.relative_path.split("/")[1]
    with pytest.raises(EvidencePathError):
        resolve(ws, f"alias/{name}")


def test_fallback_without_o_nofollow_refuses_links(ws, tmp_path, outside, monkeypatch):
    """Windows has no os.O_NOFOLLOW: the link check and the inode comparison must hold on their own."""
    monkeypatch.setattr(paths, "O_NOFOLLOW", 0)
    record = add_file(ws, 1, source(tmp_path), "照片").record
    stored = ws.evidence_dir / record.relative_path
    with open_stored(stored) as f:
        assert f.read() == b"\xff\xd8 photo"
    stored.unlink()
    stored.symlink_to(outside / "secret.txt")
    with pytest.raises(EvidencePathError):
        open_stored(stored)
    assert [r.id for r in verify(ws).unsafe] == [record.id]
