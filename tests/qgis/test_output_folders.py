"""Every algorithm writing into a folder says which path is in the way instead of a Python traceback.

Found by trying each output with a file where its folder should go: wpzf:printpatchmaps,
wpzf:exportdossier and wpzf:createworkspace stopped with NotADirectoryError /
FileExistsError tracebacks. (The workbook, summary, plan and field package: see their own tests.)
"""
from __future__ import annotations

import pytest
from reporting_district import build

IN_THE_WAY = "a file is in the way where a folder is needed"


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.mark.parametrize("alg,params", [
    ("wpzf:printpatchmaps", lambda ws, bad: {"WORKSPACE": ws, "BATCH": "2022-05", "OUTPUT_FOLDER": bad / "核查图"}),
    ("wpzf:exportdossier", lambda ws, bad: {"WORKSPACE": ws, "BATCH": "2022-05", "OUTPUT_FOLDER": bad / "卷宗"}),
    ("wpzf:createworkspace", lambda ws, bad: {"WORKSPACE": bad / "新建.gpkg"}),
])
def test_a_file_where_the_folder_should_go_is_named(tmp_path, alg, params):
    from qgis import processing
    from qgis.core import QgsProcessingException

    workspace = str(build(tmp_path / "ws.gpkg"))
    blocker = tmp_path / "成果"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    values = {k: str(v) for k, v in params(workspace, blocker).items()}
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(alg, values)
    text = str(raised.value).strip()
    assert text.startswith("Could not write ") and text.endswith(IN_THE_WAY) and str(blocker) in text
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"
