"""wpzf:createworkspace: an empty workspace that QGIS opens with Chinese aliases."""
from __future__ import annotations

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def test_creates_workspace_with_aliases_and_refuses_overwrite(tmp_path):
    from qgis import processing

    path = tmp_path / "永川2022.gpkg"
    processing.run("wpzf:createworkspace", {"WORKSPACE": str(path), "CRS": "EPSG:4523"})
    assert (tmp_path / "evidence").is_dir()
    import sqlite3

    with sqlite3.connect(path) as conn:  # the rule set is chosen per workspace
        assert conn.execute("SELECT value FROM wpzf_meta WHERE key = 'ruleset'").fetchone() == ("2022-chongqing",)
    layer = QgsVectorLayer(f"{path}|layername=jctb", "jctb", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:4523"
    fields = layer.fields()
    assert fields.field(fields.lookupField("JCBH")).alias() == "监测编号"
    assert fields.field(fields.lookupField("GDMJ")).alias() == "耕地面积(平方米)"
    before = path.read_bytes()
    with pytest.raises(QgsProcessingException, match="never overwritten|不会覆盖"):
        processing.run("wpzf:createworkspace", {"WORKSPACE": str(path), "CRS": "EPSG:4523"})
    assert path.read_bytes() == before


def test_geographic_crs_is_refused_with_a_suggestion(tmp_path):
    from qgis import processing

    with pytest.raises(QgsProcessingException, match="4490.*EPSG:45"):
        processing.run("wpzf:createworkspace", {"WORKSPACE": str(tmp_path / "w.gpkg"), "CRS": "EPSG:4490"})
    assert not (tmp_path / "w.gpkg").exists()


def test_run_without_crs_uses_the_declared_default_and_logs_no_duplicate_output(tmp_path):
    """Issue 15 item 7: the CRS parameter declares EPSG:4523 (Yongchuan's GK zone 35), so a run without CRS
    must create the workspace there; and the file destination registers WORKSPACE once (no duplicate output)."""
    from qgis import processing
    from qgis.core import QgsApplication

    logged: list[str] = []
    log = QgsApplication.messageLog()
    log.messageReceived.connect(lambda message, *_: logged.append(message))
    alg = QgsApplication.processingRegistry().createAlgorithmById("wpzf:createworkspace")  # runs initAlgorithm
    assert [o.name() for o in alg.outputDefinitions()] == ["WORKSPACE"]
    path = tmp_path / "无坐标系.gpkg"
    result = processing.run("wpzf:createworkspace", {"WORKSPACE": str(path)})
    assert result["WORKSPACE"] == str(path)
    layer = QgsVectorLayer(f"{path}|layername=jctb", "jctb", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:4523"
    assert not [m for m in logged if "Duplicate output" in m], logged
