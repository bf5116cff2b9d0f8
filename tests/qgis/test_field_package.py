"""The 外业踏勘 round trip (issue 17): export a QField package, edit it as QField does, import it back.

Work plan: "收到下发图斑后，立即组织开展内业比对和外业踏勘" — the visits recorded on the
tablets must reach the workspace without retyping, without losing anything and
without field edits overwriting office decisions. domain.md §9: locking
freezes stage data, yet progress is still recorded afterwards as dated records.
"""
from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from exif_photos import write_photo
from field_package import centres as _centres
from field_package import qfield_edits as _qfield_edits
from field_package import visit as _visit


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def workspace(district, tmp_path, wpzf_processing):
    from qgis import processing

    path = tmp_path / "ws" / "永川2022.gpkg"
    path.parent.mkdir()
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    return path


def _export(workspace: Path, folder: Path, expression: str = '"fid" <= 3') -> dict:
    from qgis import processing

    return processing.run("wpzf:exportfieldpackage", {"WORKSPACE": str(workspace), "BATCH": "2022-05",
                                                      "EXPRESSION": expression, "OUTPUT_FOLDER": str(folder)})


def _import(workspace: Path, package: Path) -> tuple[dict, list[dict]]:
    from qgis import processing

    result = processing.run("wpzf:importfieldpackage", {"WORKSPACE": str(workspace), "PACKAGE": str(package),
                                                        "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    rows = [dict(zip(layer.fields().names(), f.attributes())) for f in layer.getFeatures()]
    return result, rows


def _manifest(folder: Path):
    from wpzf.domain.fieldwork.manifest import read_manifest

    return read_manifest(folder)


def _count(path: Path, sql: str, *params) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchone()[0]


def test_exported_project_opens_with_valid_layers_forms_and_relation(workspace, tmp_path):
    from qgis.core import QgsProject

    folder = tmp_path / "pkg"
    result = _export(workspace, folder)
    assert result["PATCH_COUNT"] == 3  # fid 1, 2, 3 of batch 2022-05
    assert {p.name for p in folder.iterdir()} >= {"wpzf_field.qgs", "data.gpkg", "navigation.kml",
                                                   "navigation.gpx", "manifest.json", "DCIM"}
    moved = tmp_path / "elsewhere" / "pkg"  # relative paths: the folder opens wherever the device puts it
    shutil.copytree(folder, moved)
    project = QgsProject()
    assert project.read(str(moved / "wpzf_field.qgs"))
    layers = list(project.mapLayers().values())
    assert layers and all(layer.isValid() for layer in layers)
    assert all(str(moved) in layer.source() for layer in layers)
    jctb = project.mapLayersByName("外业核查图斑")[0]
    wydc = project.mapLayersByName("外业调查记录")[0]
    assert jctb.featureCount() == 3 and wydc.featureCount() == 0
    form = jctb.editFormConfig()
    assert all(form.readOnly(jctb.fields().lookupField(n)) for n in ("JCBH", "PDLX", "JTQX", "JCMJ"))
    assert jctb.fields().field("PDLX").alias() == "判定类型" and jctb.labelsEnabled()
    widgets = {f.name(): f.editorWidgetSetup() for f in wydc.fields()}
    assert widgets["DCSJ"].type() == "DateTime"
    assert widgets["DCJG"].type() == "ValueMap"
    assert {"实地未变化", "非农违法"} <= {k for entry in widgets["DCJG"].config()["map"] for k in entry}
    assert "待核查" not in {k for entry in widgets["DCJG"].config()["map"] for k in entry}  # provisional: office only
    for n in range(1, 5):
        assert widgets[f"PHOTO{n}"].type() == "ExternalResource"
        assert widgets[f"PHOTO{n}"].config()["RelativeStorage"] == 1  # relative to the project
    assert widgets["JCBH"].type() == "RelationReference"
    assert wydc.defaultValueDefinition(wydc.fields().lookupField("WYBS")).expression() == "uuid()"
    assert wydc.fields().field("DCRY").alias() == "调查人员"
    relations = project.relationManager().relations()
    assert len(relations) == 1
    relation = next(iter(relations.values()))
    assert relation.isValid()
    assert (relation.referencedLayer().id(), relation.referencingLayer().id()) == (jctb.id(), wydc.id())
    assert relation.fieldPairs() == {"JCBH": "JCBH"}


def test_manifest_and_navigation_describe_the_exported_patches(workspace, tmp_path):
    from wpzf.domain.fieldwork.manifest import SAME, file_sha256, verify_files

    folder = tmp_path / "pkg"
    _export(workspace, folder)
    manifest = _manifest(folder)
    with sqlite3.connect(workspace) as conn:
        expected = conn.execute("SELECT fid, JCBH, XGSJ FROM jctb WHERE fid <= 3 ORDER BY fid").fetchall()
        identity = conn.execute("SELECT value FROM wpzf_meta WHERE key = 'workspace_id'").fetchone()[0]
    assert [(p.fid, p.jcbh, p.version) for p in manifest.patches] == expected
    assert manifest.workspace_id == identity and manifest.batch == "2022-05"
    # every file of the folder, QGIS's own by-products too (3.40 writes wpzf_field_attachments.zip beside the .qgs)
    on_disk = {f.name for f in folder.iterdir() if f.is_file() and f.name != "manifest.json"}
    assert set(manifest.files) == on_disk >= {"wpzf_field.qgs", "data.gpkg", "navigation.kml", "navigation.gpx"}
    assert manifest.files["data.gpkg"] == file_sha256(folder / "data.gpkg")
    assert {c.status for c in verify_files(folder, manifest)} == {SAME}
    centres = _centres(folder)
    assert set(centres) == {p.jcbh for p in manifest.patches}
    assert all(105.6 < lon < 106.1 and 29.2 < lat < 29.6 for lon, lat in centres.values())  # 永川 (domain.md §4)
    kml = (folder / "navigation.kml").read_text(encoding="utf-8")
    assert all(kml.count(f"<name>{jcbh}</name>") == 2 for jcbh in centres)  # an outline and a centre each


def test_round_trip_stores_visits_and_photos_and_reports_every_rule(workspace, tmp_path):
    from wpzf.domain.casework.records import DecisionInput
    from wpzf.domain.casework.save import save_decision
    from wpzf.domain.workspace.store import Workspace

    folder = tmp_path / "pkg"
    _export(workspace, folder)
    a, b, c = (p.jcbh for p in _manifest(folder).patches)
    centres = _centres(folder)
    write_photo(folder / "DCIM" / "a1.jpg", *centres[a], bearing=90.0, taken="2022:05:20 10:31:05")
    write_photo(folder / "DCIM" / "a2.jpg", *centres[a], taken="2022:05:20 10:32:00", color=(10, 20, 30))
    write_photo(folder / "DCIM" / "b1.jpg", *centres[b], taken="2022:05:21 09:00:00", color=(200, 20, 30))
    write_photo(folder / "DCIM" / "c1.jpg", *centres[c], color=(1, 2, 3))
    write_photo(folder / "DCIM" / "stray.jpg", *centres[c], color=(9, 9, 9))  # taken, never attached
    _qfield_edits(folder, [
        _visit(a, "DCIM/a1.jpg", "DCIM/a2.jpg"),
        _visit(b, "DCIM/b1.jpg", when="2022-05-21 09:00:00", result="非农违法", note="新建厂房"),
        _visit(c, "DCIM/c1.jpg", "DCIM/c_missing.jpg"),  # one photo never reached the package
    ], {a: {"PDLX": "合法"}})  # an office field edited on the tablet
    with Workspace.open(workspace) as ws:  # the office decides patch B meanwhile, then the batch is locked
        fid_b = ws.conn.execute("SELECT fid FROM jctb WHERE JCBH = ?", (b,)).fetchone()[0]
        save_decision(ws, fid_b, DecisionInput(PDLX="其他", JTQX="实地未变化", PDYJ="内业比对无变化"))
        ws.lock_batch("2022-05")
    evidence_before = sorted(p.name for p in (workspace.parent / "evidence").rglob("*") if p.is_file())

    result, rows = _import(workspace, folder)

    assert (result["VISITS"], result["PHOTOS"], result["REFUSED"]) == (2, 3, 0)  # A (2 photos), B (1); C damaged
    visits = {(r["JCBH"], r["XM"]): r for r in rows}
    assert visits[(a, "visit")]["ZT"] == "stored" and visits[(b, "visit")]["ZT"] == "stored"
    assert visits[(c, "visit")]["ZT"] == "damaged" and "DCIM/c_missing.jpg" in visits[(c, "visit")]["SM"]
    assert visits[(b, "office change")]["ZT"] == "reported"  # changed since export: visit still imported
    edit = visits[(a, "field edit")]
    assert edit["ZT"] == "not applied" and "PDLX" in edit["SM"] and "合法" in edit["SM"]
    stray = [r for r in rows if r["WJ"] == "DCIM/stray.jpg"]
    assert len(stray) == 1 and stray[0]["ZT"] == "not referenced"
    with sqlite3.connect(workspace) as conn:
        stored = conn.execute(
            "SELECT j.JCBH, v.KCRQ, v.KCRY, v.KCJG, v.KCQK, v.KCSJ, v.WYB, v.WYBS, v.id FROM wpzf_field_visit v "
            "JOIN jctb j ON j.fid = v.patch_fid ORDER BY v.id").fetchall()
        assert conn.execute("SELECT PDLX FROM jctb WHERE JCBH = ?", (a,)).fetchone()[0] is None  # never applied
        photos = conn.execute("SELECT e.visit_id, e.YSWJM, e.PSSJ, e.JL, e.FWJ, e.ZLLX FROM wpzf_evidence e "
                              "ORDER BY e.id").fetchall()
        package_rows = conn.execute("SELECT WYB, PCMC FROM wpzf_field_package").fetchall()
    package_id = _manifest(folder).package_id
    assert [s[:7] for s in stored] == [(a, "2022-05-20", "李四", "实地未变化", "现场为耕地，未见建设",
                                        "2022-05-20T10:31:00", package_id),
                                       (b, "2022-05-21", "李四", "非农违法", "新建厂房", "2022-05-21T09:00:00",
                                        package_id)]
    assert all(len(s[7]) == 36 and "{" not in s[7] for s in stored)  # the record's uuid, braces dropped
    visit_a, visit_b = stored[0][8], stored[1][8]
    # photos inside their patch (the GPX centre is a point on the surface): distance 0 m; EXIF time and bearing kept
    assert photos == [(visit_a, "a1.jpg", "2022-05-20T10:31:05", 0.0, 90.0, "照片"),
                      (visit_a, "a2.jpg", "2022-05-20T10:32:00", 0.0, None, "照片"),
                      (visit_b, "b1.jpg", "2022-05-21T09:00:00", 0.0, None, "照片")]
    assert package_rows == [(package_id, "2022-05")]
    evidence_after = sorted(p.name for p in (workspace.parent / "evidence").rglob("*") if p.is_file())
    assert len(evidence_after) == len(evidence_before) + 3 and not any("c1" in n for n in evidence_after)

    again, rows_again = _import(workspace, folder)  # the same package once more: nothing added
    assert (again["VISITS"], again["PHOTOS"]) == (0, 0)
    assert {r["ZT"] for r in rows_again if r["XM"] == "visit" and r["JCBH"] in (a, b)} == {"already imported"}
    assert _count(workspace, "SELECT count(*) FROM wpzf_field_visit") == 2
    assert _count(workspace, "SELECT count(*) FROM wpzf_evidence") == 3


def test_zip_from_the_device_is_imported_and_other_workspace_refused(workspace, district, tmp_path):
    from qgis import processing

    folder = tmp_path / "pkg"
    _export(workspace, folder, '"fid" = 5')
    jcbh = _manifest(folder).patches[0].jcbh
    write_photo(folder / "DCIM" / "p.jpg", *_centres(folder)[jcbh])
    _qfield_edits(folder, [_visit(jcbh, "DCIM/p.jpg")])
    archive = tmp_path / "返回.zip"
    with zipfile.ZipFile(archive, "w") as z:  # zipped with its project folder, as a device shares it
        for path in folder.rglob("*"):
            z.write(path, f"wpzf_field/{path.relative_to(folder).as_posix()}")

    other = tmp_path / "other" / "other.gpkg"
    other.parent.mkdir()
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(other),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    refused, rows = _import(other, archive)
    assert (refused["REFUSED"], refused["VISITS"]) == (1, 0)
    assert [r["ZT"] for r in rows] == ["refused"] and "another workspace" in rows[0]["SM"]
    assert _count(other, "SELECT count(*) FROM wpzf_field_visit") == 0

    done, _ = _import(workspace, archive)
    assert (done["REFUSED"], done["VISITS"], done["PHOTOS"]) == (0, 1, 1)


def test_damaged_package_reports_item_by_item_and_stores_nothing_half(workspace, tmp_path):
    folder = tmp_path / "pkg"
    _export(workspace, folder)
    a, b, _ = (p.jcbh for p in _manifest(folder).patches)
    centres = _centres(folder)
    write_photo(folder / "DCIM" / "a1.jpg", *centres[a])
    (folder / "DCIM" / "b1.jpg").write_bytes(b"not a jpeg")  # the copy broke on the way back
    _qfield_edits(folder, [_visit(a, "DCIM/a1.jpg"), _visit(b, "DCIM/b1.jpg"), _visit(b, who="")])
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    (broken / "data.gpkg").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)

    result, rows = _import(workspace, broken)
    assert (result["REFUSED"], result["VISITS"]) == (1, 0)
    assert rows[0]["ZT"] == "damaged" and "data.gpkg" in rows[0]["SM"]

    result, rows = _import(workspace, folder)
    assert (result["VISITS"], result["PHOTOS"]) == (1, 1)
    by_patch = sorted((r["JCBH"], r["XM"], r["ZT"]) for r in rows if r["XM"] in ("visit", "photo"))
    assert by_patch == sorted([(a, "photo", "stored"), (a, "visit", "stored"),
                               (b, "visit", "damaged"), (b, "visit", "invalid")])  # unreadable photo; no surveyor
    with sqlite3.connect(workspace) as conn:
        assert conn.execute("SELECT count(*) FROM wpzf_field_visit v JOIN jctb j ON j.fid = v.patch_fid "
                            "WHERE j.JCBH = ?", (b,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM wpzf_evidence e JOIN jctb j ON j.fid = e.patch_fid "
                            "WHERE j.JCBH = ?", (b,)).fetchone()[0] == 0
    assert not (workspace.parent / "evidence" / b).exists() or not any((workspace.parent / "evidence" / b).iterdir())


def test_export_refuses_a_non_empty_folder_and_an_empty_choice(workspace, tmp_path):
    from qgis.core import QgsProcessingException

    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "keep.txt").write_text("office notes", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="not empty"):
        _export(workspace, folder)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    with pytest.raises(QgsProcessingException, match="No patch"):
        _export(workspace, tmp_path / "none", '"fid" < 0')
    assert not (tmp_path / "none").exists() or not any((tmp_path / "none").iterdir())
    blocker = tmp_path / "外业"
    blocker.write_text("a file where the package's folder should go", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as raised:
        _export(workspace, blocker / "包")
    assert str(raised.value).strip() == f"Could not write {blocker}: a file is in the way where a folder is needed"


def test_a_zip_that_is_no_package_is_named_as_the_user_chose_it(workspace, tmp_path):
    """Not the temporary folder it was unpacked to (/tmp/wpzf-package-…), which the user never saw."""
    archive = tmp_path / "平板导出.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "no manifest here")
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as raised:
        _import(workspace, archive)
    assert str(raised.value).strip() == f"{archive} is not a WPZF field package: no manifest.json found."


def test_imagery_and_overlays_are_clipped_around_the_patches_with_the_margin(workspace, district, tmp_path):
    from osgeo import gdal
    from qgis import processing
    from qgis.core import QgsProject, QgsRasterLayer, QgsRectangle, QgsVectorLayer

    imagery = QgsRasterLayer(str(district.imagery_after), "后时相影像", "gdal")
    landuse = QgsVectorLayer(f"{district.landuse}|layername=DLTB", "三调地类图斑", "ogr")
    assert imagery.isValid() and landuse.isValid()
    folder = tmp_path / "pkg"
    processing.run("wpzf:exportfieldpackage", {"WORKSPACE": str(workspace), "BATCH": "2022-05",
                                               "EXPRESSION": '"fid" = 7', "IMAGERY": [imagery],
                                               "OVERLAYS": [landuse], "MARGIN": 100.0, "OUTPUT_FOLDER": str(folder)})
    with sqlite3.connect(workspace) as conn:
        minx, maxx, miny, maxy = conn.execute(
            "SELECT minx, maxx, miny, maxy FROM rtree_jctb_geom WHERE id = 7").fetchone()
    wanted = QgsRectangle(minx - 100, miny - 100, maxx + 100, maxy + 100)  # the patch's extent and 100 m margin
    clipped = gdal.Open(str(folder / "imagery" / "后时相影像.tif"))
    x0, dx, _, y0, _, dy = clipped.GetGeoTransform()
    pixel = abs(dx)
    assert abs(x0 - wanted.xMinimum()) <= pixel and abs(y0 - wanted.yMaximum()) <= pixel
    assert abs(clipped.RasterXSize * dx - wanted.width()) <= 2 * pixel
    clipped = None
    project = QgsProject()
    assert project.read(str(folder / "wpzf_field.qgs"))
    layers = {layer.name(): layer for layer in project.mapLayers().values()}
    assert all(layer.isValid() for layer in layers.values())
    assert {"后时相影像", "三调地类图斑", "外业核查图斑", "外业调查记录"} <= set(layers)
    overlay = layers["三调地类图斑"]
    assert 0 < overlay.featureCount() < landuse.featureCount()
    outer = QgsRectangle(wanted)
    outer.grow(0.01)
    assert outer.contains(overlay.extent())  # clipped to the margin, not just filtered
    assert "DLBM" in overlay.fields().names()


def test_a_failure_while_recording_the_photos_leaves_neither_visit_nor_files(workspace, tmp_path, monkeypatch):
    from wpzf.domain.fieldwork import store
    from wpzf.domain.fieldwork.plan import FAILED, VISIT
    from wpzf.domain.workspace.store import Workspace

    folder = tmp_path / "pkg"
    _export(workspace, folder, '"fid" = 4')
    jcbh = _manifest(folder).patches[0].jcbh
    centre = _centres(folder)[jcbh]
    write_photo(folder / "DCIM" / "1.jpg", *centre)
    write_photo(folder / "DCIM" / "2.jpg", *centre, color=(1, 1, 1))
    _qfield_edits(folder, [_visit(jcbh, "DCIM/1.jpg", "DCIM/2.jpg")])
    real, calls = store.record_staged, []

    def second_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")  # the disk gives up after the first photo's row
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "record_staged", second_fails)
    with Workspace.open(workspace) as ws:
        result = store.import_package(ws, folder)
    assert [(i.item, i.status) for i in result.items if i.item == VISIT] == [(VISIT, FAILED)]
    assert "disk I/O error" in str(next(i for i in result.items if i.item == VISIT).message)
    assert _count(workspace, "SELECT count(*) FROM wpzf_field_visit") == 0
    assert _count(workspace, "SELECT count(*) FROM wpzf_evidence") == 0
    assert not any(p.is_file() for p in (workspace.parent / "evidence").rglob("*"))
    monkeypatch.setattr(store, "record_staged", real)
    with Workspace.open(workspace) as ws:  # once the disk is back, the same package stores the visit whole
        again = store.import_package(ws, folder)
    assert (again.visits, again.photos) == (1, 2)


def test_patches_parameter_chooses_by_jcbh_and_duplicates_across_batches_are_refused(workspace, district, tmp_path):
    from qgis import processing
    from qgis.core import QgsFeature, QgsProcessingException, QgsVectorLayer

    with sqlite3.connect(workspace) as conn:
        chosen = [r[0] for r in conn.execute("SELECT JCBH FROM jctb ORDER BY fid DESC LIMIT 2")]
    layer = QgsVectorLayer("Polygon?crs=EPSG:4523&field=JCBH:string", "selected", "memory")
    for jcbh in chosen:
        feature = QgsFeature(layer.fields())
        feature.setAttribute("JCBH", jcbh)
        layer.dataProvider().addFeature(feature)
    result = processing.run("wpzf:exportfieldpackage", {"WORKSPACE": str(workspace), "PATCHES": layer,
                                                        "OUTPUT_FOLDER": str(tmp_path / "pkg")})
    assert result["PATCH_COUNT"] == 2
    assert sorted(p.jcbh for p in _manifest(tmp_path / "pkg").patches) == sorted(chosen)
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(workspace) as ws, ws.transaction() as conn:  # the number delivered again (重复下发)
        conn.execute("INSERT INTO wpzf_batch (PCMC, JSRQ, PDQX) VALUES ('2022-06', '2022-06-03', '2022-06-23')")
        conn.execute("INSERT INTO jctb (batch_id, JCBH) SELECT id, ? FROM wpzf_batch WHERE PCMC = '2022-06'",
                     (chosen[0],))
    with pytest.raises(QgsProcessingException, match=chosen[0]):
        processing.run("wpzf:exportfieldpackage", {"WORKSPACE": str(workspace), "PATCHES": layer,
                                                   "OUTPUT_FOLDER": str(tmp_path / "pkg2")})


def test_photos_no_record_names_are_stored_as_evidence_of_their_patch_when_asked(workspace, tmp_path):
    """Issue 17: "photos in DCIM/ that no record references are reported (and can be imported as unmatched
    evidence)" — matched as wpzf:importphotos matches: inside a patch, else the nearest within 50 m."""
    from field_package import lonlat

    from wpzf.domain.workspace import gpkg

    folder = tmp_path / "pkg"
    _export(workspace, folder)
    a, b, _ = (p.jcbh for p in _manifest(folder).patches)
    centres = _centres(folder)
    with sqlite3.connect(workspace) as conn:
        blob = conn.execute("SELECT geom FROM jctb WHERE JCBH = ?", (a,)).fetchone()[0]
    import shapely

    ring = shapely.get_coordinates(shapely.from_wkb(gpkg.wkb_of(blob)))
    top = ring[ring[:, 1].argmax()]  # the northernmost vertex: every point of the patch lies at or below it
    write_photo(folder / "DCIM" / "a1.jpg", *centres[a])
    write_photo(folder / "DCIM" / "in_b.jpg", *centres[b], color=(5, 5, 5))  # inside B: 0 m
    write_photo(folder / "DCIM" / "near_a.jpg", *lonlat(top[0], top[1] + 30.0), color=(6, 6, 6))  # 30 m north of A
    write_photo(folder / "DCIM" / "far.jpg", *lonlat(top[0], top[1] + 5000.0), color=(7, 7, 7))  # 5 km: too far
    write_photo(folder / "DCIM" / "nogps.jpg", color=(8, 8, 8))
    _qfield_edits(folder, [_visit(a, "DCIM/a1.jpg")])

    first, rows = _import(workspace, folder)  # the option off: reported only
    assert (first["VISITS"], first["PHOTOS"], first["UNREFERENCED"]) == (1, 1, 0)
    assert sorted(r["WJ"] for r in rows if r["ZT"] == "not referenced") == [
        "DCIM/far.jpg", "DCIM/in_b.jpg", "DCIM/near_a.jpg", "DCIM/nogps.jpg"]

    from qgis import processing

    def import_loose():
        result = processing.run("wpzf:importfieldpackage", {"WORKSPACE": str(workspace), "PACKAGE": str(folder),
                                                            "IMPORT_UNREFERENCED": True, "OUTPUT": "memory:"})
        layer = result["OUTPUT"]
        return result, {f["WJ"]: dict(zip(layer.fields().names(), f.attributes())) for f in layer.getFeatures()
                        if f["XM"] == "photo"}

    second, photos = import_loose()
    assert (second["VISITS"], second["PHOTOS"], second["UNREFERENCED"]) == (0, 2, 2)
    assert (photos["DCIM/in_b.jpg"]["JCBH"], photos["DCIM/in_b.jpg"]["ZT"]) == (b, "stored")
    assert (photos["DCIM/near_a.jpg"]["JCBH"], photos["DCIM/near_a.jpg"]["ZT"]) == (a, "stored")
    assert photos["DCIM/far.jpg"]["ZT"] == "not referenced" and "beyond 50 m" in photos["DCIM/far.jpg"]["SM"]
    assert photos["DCIM/nogps.jpg"]["ZT"] == "not referenced" and "no GPS" in photos["DCIM/nogps.jpg"]["SM"]
    with sqlite3.connect(workspace) as conn:
        loose = conn.execute("SELECT j.JCBH, e.YSWJM, e.visit_id, e.JL FROM wpzf_evidence e "
                             "JOIN jctb j ON j.fid = e.patch_fid WHERE e.visit_id IS NULL ORDER BY e.id").fetchall()
    assert [row[:3] for row in loose] == [(b, "in_b.jpg", None), (a, "near_a.jpg", None)]
    assert loose[0][3] == 0.0 and abs(loose[1][3] - 30.0) < 0.05  # EXIF keeps 1/10000″ (≈3 mm)

    third, photos = import_loose()  # once more: nothing added
    assert (third["PHOTOS"], third["UNREFERENCED"]) == (0, 0)
    assert {photos[p]["ZT"] for p in ("DCIM/in_b.jpg", "DCIM/near_a.jpg")} == {"already imported"}
    assert _count(workspace, "SELECT count(*) FROM wpzf_evidence") == 3
