"""Issue 14: a commit QGIS is refused (locked batch) leaves the GeoPackage reopenable in the same session."""
from __future__ import annotations

import shapely
from qgis.core import QgsApplication, QgsProject, QgsVectorLayer

from wpzf.domain.workspace import gpkg
from wpzf.domain.workspace.store import Workspace

X0, Y0 = 35_580_000.0, 3_250_000.0


def _workspace(path):
    ws = Workspace.create(path, 4523, user="tester")
    g = shapely.MultiPolygon([shapely.box(X0, Y0, X0 + 100, Y0 + 100)])
    with ws.transaction() as conn:
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
        conn.execute("INSERT INTO jctb (geom, JCBH, batch_id) VALUES (?, 'A1', 1)",
                     (gpkg.encode(shapely.to_wkb(g), 4523, g.bounds),))
    ws.lock_batch("2022-05")
    return ws


def test_refused_commit_then_remove_and_readd_logs_no_open_error(tmp_path, qgis_iface):
    ws = _workspace(tmp_path / "ws.gpkg")
    messages = []

    def note(message, tag, level):
        messages.append(message)

    log = QgsApplication.messageLog()
    log.messageReceived.connect(note)
    try:
        uri = f"{ws.path}|layername=jctb"
        layer = QgsVectorLayer(uri, "jctb", "ogr")
        QgsProject.instance().addMapLayer(layer)
        assert layer.startEditing()
        fid = next(layer.getFeatures()).id()
        layer.changeAttributeValue(fid, layer.fields().indexOf("PDLX"), "违法")
        assert not layer.commitChanges()  # the lock trigger refuses (work plan: locked stage data)
        assert any("已锁定" in e or "locked" in e for e in layer.commitErrors()), layer.commitErrors()
        layer.rollBack()
        QgsProject.instance().removeMapLayer(layer.id())
        again = QgsVectorLayer(uri, "jctb", "ogr")
        QgsProject.instance().addMapLayer(again)
        assert again.isValid() and again.featureCount() == 1
        assert next(again.getFeatures())["PDLX"] in (None, "") or next(again.getFeatures())["PDLX"].isNull()
        QgsProject.instance().removeMapLayer(again.id())
    finally:
        log.messageReceived.disconnect(note)
        ws.close()
    assert not [m for m in messages if "unable to open database file" in m], messages
    with Workspace.open(tmp_path / "ws.gpkg") as w:  # nothing stored half-way, nothing tampered
        assert w.conn.execute("SELECT PDLX FROM jctb").fetchall() == [(None,)]
