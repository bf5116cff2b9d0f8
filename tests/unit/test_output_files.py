"""Output files are whole or not there, in folders made as needed, with errors in words (domain/output_files.py)."""
from __future__ import annotations

import pytest

from wpzf.domain.output_files import OutputFileError, replaced_whole
from wpzf.domain.progress import Canceled


def test_a_missing_folder_is_made_and_the_file_appears_whole(tmp_path):
    target = tmp_path / "新建文件夹" / "2022" / "报表.xlsx"
    with replaced_whole(target) as partial:
        assert partial.parent == target.parent and not target.exists()
        partial.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    assert sorted(p.name for p in target.parent.iterdir()) == ["报表.xlsx"]


@pytest.mark.parametrize("error", [Canceled(), ValueError("bad value"), OSError(28, "No space left on device")])
def test_a_failure_midway_leaves_the_old_file_and_no_part(tmp_path, error):
    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"last month")
    with pytest.raises(type(error) if not isinstance(error, OSError) else OutputFileError) as raised:
        with replaced_whole(target) as partial:
            partial.write_bytes(b"half")
            raise error
    assert target.read_bytes() == b"last month"
    assert [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"]
    if isinstance(error, OSError):  # said in words: which file, and the system's reason
        assert str(raised.value) == f"Could not write {target}: No space left on device"
    else:
        assert raised.value is error  # a cancel or an input error goes on as it was


def test_a_folder_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "报表"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OutputFileError) as raised:
        with replaced_whole(blocker / "r.xlsx") as partial:
            partial.write_bytes(b"never")
    assert str(raised.value) == f"Could not write {blocker}: a file is in the way where a folder is needed"
    assert blocker.read_text() == "a file where the folder should be"
