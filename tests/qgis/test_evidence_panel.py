"""EvidencePanel: thumbnails of a patch's photos, generic icons for documents, add/open/folder."""
from __future__ import annotations

import pytest
from exif_photos import write_photo

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"


@pytest.fixture()
def workspace(tmp_path):
    import shapely

    from wpzf.domain.evidence.exif import read_photo_info
    from wpzf.domain.evidence.store import add_file
    from wpzf.domain.workspace import gpkg
    from wpzf.domain.workspace.store import Workspace

    g = shapely.from_wkt(SQUARE)
    blob = gpkg.encode(shapely.to_wkb(g), 4523, g.bounds)
    with Workspace.create(tmp_path / "ws.gpkg", 4523, user="王工") as ws:
        with ws.transaction() as conn:
            conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-05', '2022-05-06', '2022-05-26')")
            for jcbh in ("P-001", "P-002"):
                conn.execute("INSERT INTO jctb (geom, JCBH, batch_id, XGR, XGSJ) VALUES (?, ?, 1, 'x', 't')",
                             (blob, jcbh))
        red = write_photo(tmp_path / "in" / "red.jpg", 105.9, 29.3, bearing=45, size=(640, 480), color=(220, 20, 20))
        blue = write_photo(tmp_path / "in" / "blue.jpg", size=(300, 400), color=(20, 20, 220))
        doc = tmp_path / "in" / "批文.pdf"
        doc.write_bytes(b"%PDF-1.4 approval")
        for path in (red, blue):
            add_file(ws, 1, path, "照片", photo=read_photo_info(path))
        add_file(ws, 1, doc, "批文", doc_number="渝府地〔2021〕12号")
    return tmp_path / "ws.gpkg"


def _centre_colour(item):
    icon = item.icon()
    size = icon.availableSizes()[0]
    image = icon.pixmap(size).toImage()
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    return size, (colour.red(), colour.green(), colour.blue())


def test_panel_shows_thumbnails_for_photos_and_icons_for_documents(qtbot, workspace):
    from wpzf.ui.evidence_panel import THUMBNAIL, EvidencePanel

    panel = EvidencePanel(workspace, 1)
    qtbot.addWidget(panel)
    panel.show()
    items = {panel.list.item(i).text(): panel.list.item(i) for i in range(panel.list.count())}
    assert set(items) == {"照片 · red.jpg", "照片 · blue.jpg", "批文 · 批文.pdf"}
    photo_ids = {r.id for r in panel.records if r.kind == "照片"}
    assert panel.thumbnail_ids() == photo_ids
    size, colour = _centre_colour(items["照片 · red.jpg"])
    assert size.width() == THUMBNAIL.width() and size.height() <= THUMBNAIL.height()  # 4:3 scaled into the box
    assert colour[0] > 180 and colour[1] < 60 and colour[2] < 60
    size, colour = _centre_colour(items["照片 · blue.jpg"])
    assert size.height() == THUMBNAIL.height() and size.width() < THUMBNAIL.width()  # portrait
    assert colour[2] > 180 and colour[0] < 60
    assert "渝府地〔2021〕12号" in items["批文 · 批文.pdf"].toolTip()
    assert "45°" in items["照片 · red.jpg"].toolTip()
    panel.set_patch(2)
    assert panel.list.count() == 0 and panel.add_button.isEnabled()


def test_adding_opening_and_the_folder(qtbot, workspace, tmp_path, monkeypatch):
    from wpzf.ui import evidence_panel
    from wpzf.ui.evidence_panel import EvidencePanel

    opened = []
    monkeypatch.setattr(evidence_panel.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    panel = EvidencePanel(workspace, 2)
    qtbot.addWidget(panel)
    photo = write_photo(tmp_path / "in" / "green.jpg", color=(20, 200, 20))
    with qtbot.waitSignal(panel.evidence_changed, timeout=2000):
        results, errors = panel.add_files([str(photo), str(tmp_path / "in" / "missing.jpg")], "照片")
    assert len(results) == 1 and results[0].created and len(errors) == 1 and "missing.jpg" in errors[0]
    assert panel.list.count() == 1 and panel.thumbnail_ids() == {results[0].record.id}
    panel.list.item(0).setSelected(True)
    panel.open_selected()
    stored = (workspace.parent / "evidence" / results[0].record.relative_path).resolve()
    assert opened == [str(stored)]
    panel.show_folder()
    assert opened[-1] == str(workspace.parent / "evidence" / "P-002")


def test_read_only_panel_offers_no_adding(qtbot, workspace, tmp_path):
    from wpzf.ui.evidence_panel import EvidencePanel

    panel = EvidencePanel(workspace, 1, read_only=True)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.add_button.isVisible() and not panel.add_button.isEnabled()
    assert panel.folder_button.isEnabled() and panel.list.count() == 3
    assert panel.add_files([str(write_photo(tmp_path / "x.jpg"))]) == ([], [])
    assert panel.list.count() == 3
    panel.set_read_only(False)
    assert panel.add_button.isVisible() and panel.add_button.isEnabled()
