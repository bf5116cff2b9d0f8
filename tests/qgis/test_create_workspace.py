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
