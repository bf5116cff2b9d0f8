"""Evidence files: copy into evidence/, hash, never overwrite, no path escapes, moves with the workspace."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

from wpzf.domain.evidence.paths import EvidencePathError, check_relative, safe_file_name
from wpzf.domain.evidence.store import (
    EvidenceError,
    add_file,
    list_evidence,
    resolve,
    safe_relative_path,
    verify,
)
from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.store import Workspace

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"


def _add_patch(conn, batch_id: int, jcbh: str) -> int:
    import shapely

    g = shapely.from_wkt(SQUARE)
    return conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XGR, XGSJ) VALUES (?, ?, ?, 'tester', 't0')",
                        (gpkg.encode(shapely.to_wkb(g), 4523, g.bounds), jcbh, batch_id)).lastrowid


@pytest.fixture()
def ws(tmp_path):
    w = Workspace.create(tmp_path / "office" / "ws.gpkg", 4523, user="李工")
    with w.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        _add_patch(conn, 1, "500118202205001")
        _add_patch(conn, 1, "5001/18:02?")  # a hostile JCBH still makes one safe folder
    yield w
    w.close()


def _file(tmp_path, name: str, content: bytes):
    path = tmp_path / "incoming" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _inside_evidence(ws) -> list:
    return sorted(p.relative_to(ws.evidence_dir).as_posix() for p in ws.evidence_dir.rglob("*") if p.is_file())


def test_copy_is_hashed_recorded_and_the_source_left_in_place(ws, tmp_path):
    content = b"\xff\xd8 photo bytes " * 1000
    source = _file(tmp_path, "现场照片1.jpg", content)
    result = add_file(ws, 1, source, "批文", doc_number="渝府地〔2021〕12号", note="农转用批文")
    record = result.record
    sha = hashlib.sha256(content).hexdigest()
    assert result.created and source.read_bytes() == content  # copied, never moved
    assert record.relative_path == f"500118202205001/{sha[:12]}_现场照片1.jpg"
    assert (record.sha256, record.size, record.original_name, record.kind) == (sha, len(content), "现场照片1.jpg", "批文")
    assert (record.doc_number, record.note, record.recorded_by) == ("渝府地〔2021〕12号", "农转用批文", "李工")
    assert record.recorded_at and record.recorded_at.endswith("Z")
    assert resolve(ws, record.relative_path).read_bytes() == content
    assert list_evidence(ws, 1) == [record] and list_evidence(ws, 2) == []
    audit = ws.conn.execute("SELECT who, action FROM wpzf_audit WHERE table_name = 'wpzf_evidence'").fetchall()
    assert audit == [("李工", "INSERT")]
    assert not [p for p in ws.evidence_dir.rglob(".incoming-*")]  # no temp file left


def test_identical_content_is_recorded_once_per_patch(ws, tmp_path):
    first = add_file(ws, 1, _file(tmp_path, "a.jpg", b"same"), "照片")
    again = add_file(ws, 1, _file(tmp_path, "renamed copy.jpg", b"same"), "照片")
    assert first.created and not again.created and again.record == first.record
    other_patch = add_file(ws, 2, _file(tmp_path, "a.jpg", b"same"), "照片")
    assert other_patch.created and other_patch.record.patch_fid == 2
    assert ws.conn.execute("SELECT count(*) FROM wpzf_evidence").fetchone() == (2,)
    assert len(_inside_evidence(ws)) == 2


def test_same_name_different_content_never_overwrites(ws, tmp_path):
    one = add_file(ws, 1, _file(tmp_path, "IMG_0001.jpg", b"first"), "照片").record
    two = add_file(ws, 1, _file(tmp_path, "IMG_0001.jpg", b"second"), "照片").record
    assert one.relative_path != two.relative_path
    assert resolve(ws, one.relative_path).read_bytes() == b"first"
    assert resolve(ws, two.relative_path).read_bytes() == b"second"


def test_a_foreign_file_already_at_the_target_name_is_kept(ws, tmp_path):
    content = b"new evidence"
    sha = hashlib.sha256(content).hexdigest()
    squatter = ws.evidence_dir / "500118202205001" / f"{sha[:12]}_x.pdf"
    squatter.parent.mkdir(parents=True)
    squatter.write_bytes(b"someone else's file")
    record = add_file(ws, 1, _file(tmp_path, "x.pdf", content), "其他").record
    assert squatter.read_bytes() == b"someone else's file"
    assert record.relative_path == f"500118202205001/{sha[:12]}_x_2.pdf"
    assert resolve(ws, record.relative_path).read_bytes() == content


@pytest.mark.parametrize("hostile, expected", [
    ("../../x.jpg", "x.jpg"),
    ("/etc/passwd", "passwd"),
    ("C:\\x", "x"),
    ("C:x.jpg", "C_x.jpg"),
    ("\\\\server\\share\\p.jpg", "p.jpg"),
    ("a\x00b.jpg", "ab.jpg"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("..", "file"),
    ("...jpg", "jpg"),
    ("photo. ", "photo"),
])
def test_hostile_original_names_stay_inside_evidence(ws, tmp_path, hostile, expected):
    assert safe_file_name(hostile) == expected
    source = _file(tmp_path, "plain.bin", hostile.encode("utf-8", "surrogatepass") + b"!")
    record = add_file(ws, 1, source, "其他", original_name=hostile).record
    stored = resolve(ws, record.relative_path)
    assert ws.evidence_dir.resolve() in stored.parents
    assert stored.name.endswith(expected)
    assert record.original_name == hostile.replace("\x00", "")
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and "evidence" not in p.parts and "incoming" not in p.parts]
    assert outside and all(p.name.startswith("ws.gpkg") for p in outside), outside


def test_hostile_jcbh_makes_one_safe_folder(ws, tmp_path):
    record = add_file(ws, 2, _file(tmp_path, "a.jpg", b"x"), "照片").record
    folder, _ = record.relative_path.split("/")
    assert folder == "5001_18_02_" and (ws.evidence_dir / folder).is_dir()


@pytest.mark.parametrize("stored", [
    "../ws.gpkg", "/etc/passwd", "C:/x.jpg", "C:\\x.jpg", "\\\\server\\share\\x", "a/../../ws.gpkg",
    "a/\x00.jpg", "", "./a.jpg", "a//b.jpg", "CON/x.jpg",
])
def test_resolve_refuses_paths_that_leave_evidence(ws, stored):
    with pytest.raises(EvidencePathError):
        resolve(ws, stored)


def test_resolve_refuses_a_symlink_pointing_outside(ws, tmp_path):
    (ws.evidence_dir / "P1").mkdir()
    (ws.evidence_dir / "P1" / "link.jpg").symlink_to(ws.path)
    with pytest.raises(EvidencePathError):
        resolve(ws, "P1/link.jpg")


def test_safe_relative_path_is_always_checkable(ws):
    for folder, name in (("../..", "../../x.jpg"), ("C:", "C:\\x"), ("a/b", "/etc/passwd"), ("LPT1", "x\x00y")):
        relative = safe_relative_path(folder, name)
        check_relative(relative)
        assert ws.evidence_dir.resolve() in resolve(ws, relative).parents


def test_relative_path_survives_moving_the_workspace_folder(ws, tmp_path):
    record = add_file(ws, 1, _file(tmp_path, "a.jpg", b"moved along"), "照片").record
    ws.close()
    moved = tmp_path / "archive" / "2022"
    shutil.move(str(tmp_path / "office"), str(moved))
    with Workspace.open(moved / "ws.gpkg") as again:
        [stored] = list_evidence(again, 1)
        assert stored.relative_path == record.relative_path
        assert resolve(again, stored.relative_path).read_bytes() == b"moved along"
        assert verify(again).ok


def test_failed_insert_leaves_no_file_and_no_row(ws, tmp_path):
    with ws.transaction() as conn:
        # a TEMP trigger: a fault of this connection only (a trigger added to the file is tampering, refused on write)
        conn.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.wpzf_evidence "
                     "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    with pytest.raises(EvidenceError, match="disk says no"):
        add_file(ws, 1, _file(tmp_path, "a.jpg", b"doomed"), "照片")
    assert _inside_evidence(ws) == []
    assert ws.conn.execute("SELECT count(*) FROM wpzf_evidence").fetchone() == (0,)


def test_bad_kind_missing_source_and_unknown_patch_are_refused(ws, tmp_path):
    source = _file(tmp_path, "a.jpg", b"x")
    with pytest.raises(EvidenceError, match="ZLLX"):
        add_file(ws, 1, source, "视频")
    with pytest.raises(EvidenceError, match="not found"):
        add_file(ws, 1, tmp_path / "missing.jpg", "照片")
    with pytest.raises(EvidenceError, match="fid 99"):
        add_file(ws, 99, source, "照片")
    assert _inside_evidence(ws) == []


def test_locked_batch_accepts_new_evidence_but_refuses_changes(ws, tmp_path):
    ws.lock_batch("2022-05")
    record = add_file(ws, 1, _file(tmp_path, "after-lock.jpg", b"rectification photo"), "照片").record
    with pytest.raises(sqlite3.IntegrityError, match="locked"):
        with ws.transaction() as conn:
            conn.execute("DELETE FROM wpzf_evidence WHERE id = ?", (record.id,))
    assert resolve(ws, record.relative_path).is_file()


def test_verify_reports_missing_and_changed_files(ws, tmp_path):
    keep = add_file(ws, 1, _file(tmp_path, "keep.jpg", b"keep"), "照片").record
    gone = add_file(ws, 1, _file(tmp_path, "gone.jpg", b"gone"), "照片").record
    edited = add_file(ws, 1, _file(tmp_path, "edit.jpg", b"edit"), "照片").record
    resolve(ws, gone.relative_path).unlink()
    resolve(ws, edited.relative_path).write_bytes(b"edited later")
    with sqlite3.connect(ws.path) as plain:  # a hand-edited row pointing outside
        plain.execute("DROP TRIGGER IF EXISTS wpzf_lock_wpzf_evidence_update")
        plain.execute("UPDATE wpzf_evidence SET WJLJ = '../ws.gpkg' WHERE id = ?", (keep.id,))
    report = verify(ws)
    assert report.checked == 3 and not report.ok
    assert [r.id for r in report.missing] == [gone.id]
    assert [r.id for r in report.changed] == [edited.id]
    assert [r.id for r in report.unsafe] == [keep.id]
