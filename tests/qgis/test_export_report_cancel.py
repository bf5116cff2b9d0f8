"""wpzf:exportreport in the toolbox: the bar moves while the workbook is written, Cancel stops it cleanly."""
from __future__ import annotations

import pytest
from reporting_district import build


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def test_cancel_while_the_workbook_is_written_keeps_the_old_one(tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    workspace = build(tmp_path / "ws.gpkg")
    target = tmp_path / "报表.xlsx"
    seen: list[float] = []
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(seen.append)
    processing.run("wpzf:exportreport", {"WORKSPACE": str(workspace), "PERIOD": "2022", "OUTPUT": str(target)},
                   feedback=feedback)
    assert seen[-1] == 100 and any(60 < p < 100 for p in seen)  # the writing itself reports progress
    written = target.read_bytes()

    canceling = QgsProcessingFeedback()
    canceling.progressChanged.connect(lambda p: p > 60 and canceling.cancel())  # the user clicks Cancel
    with pytest.raises(QgsProcessingException, match="no workbook was written"):
        processing.run("wpzf:exportreport", {"WORKSPACE": str(workspace), "PERIOD": "2022", "OUTPUT": str(target)},
                       feedback=canceling)
    assert target.read_bytes() == written
    assert not list(tmp_path.glob("*.part"))


def test_a_new_folder_is_made_and_an_impossible_one_is_named(tmp_path):
    """A folder typed into the dialog that does not exist yet is made; one that cannot be is said in words."""
    from qgis import processing
    from qgis.core import QgsProcessingException

    workspace = build(tmp_path / "ws.gpkg")
    target = tmp_path / "报送" / "2022年12月" / "报表.xlsx"
    result = processing.run("wpzf:exportreport", {"WORKSPACE": str(workspace), "PERIOD": "2022", "OUTPUT": str(target)})
    assert result["OUTPUT"] == str(target) and target.stat().st_size > 10_000
    blocker = tmp_path / "报送2"
    blocker.write_text("a file where the folder should be")
    for alg, name in (("wpzf:exportreport", "报表.xlsx"), ("wpzf:annualsummary", "总结.docx")):
        with pytest.raises(QgsProcessingException) as raised:
            processing.run(alg, {"WORKSPACE": str(workspace), "PERIOD": "2022", "OUTPUT": str(blocker / name)})
        assert f"Could not write {blocker}: a file is in the way where a folder is needed" in str(raised.value)
        assert "Traceback" not in str(raised.value)
