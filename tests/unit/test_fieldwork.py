"""The pure rules of the 外业踏勘 round trip (issue 17): manifest, navigation files, package reading, import plan.

Work plan: "收到下发图斑后，立即组织开展内业比对和外业踏勘". What comes back from the
field must be recognised (same workspace, same package, same record), never
overwrite the office's decision, and lose nothing: these tests state each rule
on hand-built inputs.
"""
from __future__ import annotations

import json
import stat
import zipfile

import pytest

from wpzf.domain.fieldwork import plan as p
from wpzf.domain.fieldwork.manifest import (
    ADDED,
    CHANGED,
    MISSING,
    SAME,
    Manifest,
    ManifestError,
    PatchAtExport,
    fingerprint,
    parse_manifest,
    read_manifest,
    verify_files,
    write_manifest,
)
from wpzf.domain.fieldwork.navigation import gpx_text, kml_text, nav_patches
from wpzf.domain.fieldwork.package import PackageError, extract_zip, opened_package, read_tables
from wpzf.domain.fieldwork.selection import PatchNow

WS = "0123456789abcdef0123456789abcdef"
PKG = "feedfacefeedfacefeedfacefeedface"
VALUES_A = {"JCBH": "A", "PDLX": None, "JCMJ": 200.64}
VALUES_B = {"JCBH": "B", "PDLX": "其他", "JCMJ": 31.5}


def _manifest(**changes) -> Manifest:
    values = dict(package_id=PKG, workspace_id=WS, workspace_name="永川2022", batch="2022-05",
                  exported_at="2022-05-19T08:00:00+08:00", exported_by="张三",
                  patches=(PatchAtExport(1, "A", "2022-05", "v1", "fa", VALUES_A),
                           PatchAtExport(2, "B", "2022-05", "v1", "fb", VALUES_B)),
                  results=("实地未变化", "非农违法"))
    values.update(changes)
    return Manifest(**values)


def _now(**changed) -> dict[int, PatchNow]:
    now = {1: PatchNow(1, "A", "2022-05", "v1", "fa", dict(VALUES_A)),
           2: PatchNow(2, "B", "2022-05", "v1", "fb", dict(VALUES_B))}
    for fid, patch in changed.items():
        now[int(fid[1:])] = patch
    return now


def _visit(jcbh="A", key="{6F1C2B1E-0000-4000-8000-000000000001}", **values) -> dict:
    row = {"JCBH": jcbh, "DCSJ": "2022-05-20T10:31:00.000", "DCRY": "李四", "DCJG": "实地未变化",
           "XCQK": "未见建设", "PHOTO1": "DCIM/a1.jpg", "PHOTO2": None, "PHOTO3": None, "PHOTO4": None, "WYBS": key}
    row.update(values)
    return row


def _plan(visits, dcim=frozenset({"DCIM/a1.jpg"}), patches=(), imported=(), now=None, workspace=WS):
    return p.plan_import(_manifest(), workspace, now or _now(), list(patches), list(visits), set(dcim), set(imported))


def _statuses(plan):
    return [(i.jcbh, i.item, i.status) for i in plan.items]


# ---- the import plan -------------------------------------------------------------------------------------
def test_a_new_record_becomes_a_visit_with_its_photos_and_the_package_id():
    plan = _plan([_visit()])
    assert _statuses(plan) == [("A", p.VISIT, p.TO_STORE)]
    visit = plan.visits()[0]
    assert (visit.fid, visit.photos) == (1, ("DCIM/a1.jpg",))
    assert dict(visit.columns) == {"KCRQ": "2022-05-20", "KCRY": "李四", "KCQK": "未见建设", "KCJG": "实地未变化",
                                   "KCSJ": "2022-05-20T10:31:00", "WYBS": "6f1c2b1e-0000-4000-8000-000000000001",
                                   "WYB": PKG}


def test_a_record_imported_before_adds_nothing():
    plan = _plan([_visit()], imported={"6f1c2b1e-0000-4000-8000-000000000001"})
    assert _statuses(plan) == [("A", p.VISIT, p.ALREADY)] and plan.visits() == []


def test_a_package_of_another_workspace_is_refused_whole():
    plan = _plan([_visit()], workspace="ffffffffffffffffffffffffffffffff")
    assert plan.refused and _statuses(plan) == [("", p.PACKAGE, p.REFUSED)]
    assert WS in str(plan.items[0].message)


def test_a_missing_photo_makes_the_visit_damaged_and_unnamed_photos_are_reported():
    plan = _plan([_visit(PHOTO2="DCIM/a2.jpg")], dcim={"DCIM/a1.jpg", "DCIM/stray.jpg"})
    assert _statuses(plan) == [("A", p.VISIT, p.DAMAGED), ("", p.PHOTO, p.UNREFERENCED)]
    assert "DCIM/a2.jpg" in str(plan.items[0].message) and plan.items[1].path == "DCIM/stray.jpg"
    assert plan.visits() == []


def test_office_field_edits_are_reported_not_applied_and_a_real_round_trip_is_no_edit():
    rows = [{"fid": 1, "JCBH": "A", "PDLX": "合法", "JCMJ": 200.64000000000001},  # REAL round trip: same value
            {"fid": 2, "JCBH": "B", "PDLX": "其他", "JCMJ": 31.5},
            {"fid": 3, "JCBH": "X", "PDLX": None, "JCMJ": 1.0}]  # digitised on the tablet
    plan = _plan([], dcim=set(), patches=rows)
    assert _statuses(plan) == [("A", p.FIELD_EDIT, p.NOT_APPLIED), ("X", p.FIELD_EDIT, p.NOT_APPLIED)]
    assert "PDLX" in str(plan.items[0].message) and "合法" in str(plan.items[0].message)


def test_a_patch_changed_in_the_office_since_export_still_gets_its_visit():
    changed = PatchNow(1, "A", "2022-05", "v2", "fa2", dict(VALUES_A))
    plan = _plan([_visit()], now=_now(f1=changed))
    assert _statuses(plan) == [("A", p.OFFICE_CHANGE, p.REPORTED), ("A", p.VISIT, p.TO_STORE)]
    assert "v1 → v2" in str(plan.items[0].message)


def test_records_without_patch_surveyor_or_date_are_invalid_and_duplicates_count_once():
    plan = _plan([_visit(jcbh="Z"), _visit(key="k2", DCRY=" "), _visit(key="k3", DCSJ="昨天"),
                  _visit(key="k4"), _visit(key="k4")])
    assert _statuses(plan) == [("Z", p.VISIT, p.INVALID), ("A", p.VISIT, p.INVALID), ("A", p.VISIT, p.INVALID),
                               ("A", p.VISIT, p.TO_STORE), ("A", p.VISIT, p.ALREADY)]
    assert "DCRY" in str(plan.items[1].message) and "DCSJ" in str(plan.items[2].message)


def test_a_result_outside_the_rule_set_is_stored_as_recorded_with_a_note():
    plan = _plan([_visit(DCJG="看不清")])
    assert _statuses(plan) == [("A", p.VISIT, p.TO_STORE)]
    assert "DCJG" in str(plan.items[0].message) and plan.visits()[0].columns["KCJG"] == "看不清"


@pytest.mark.parametrize("value, expected", [
    ("DCIM/a.jpg", "DCIM/a.jpg"),
    ("/storage/emulated/0/Android/data/ch.opengis.qfield/files/proj/DCIM/a.jpg", "DCIM/a.jpg"),
    ("DCIM\\sub\\a.jpg", "DCIM/sub/a.jpg"),
    ("DCIM/../../etc/passwd", ""),
    ("photos/a.jpg", ""),
    ("", None),
    (None, None),
])
def test_photo_paths_are_read_under_dcim_only(value, expected):
    assert p.photo_path(value) == expected


def test_a_record_that_lost_its_uuid_gets_a_stable_key_of_its_content():
    row = _visit(key=None)
    assert p.visit_key(row, PKG) == p.visit_key(dict(row), PKG)
    assert p.visit_key(row, PKG).startswith("h-") and p.visit_key(row, PKG) != p.visit_key(row, "other")
    assert p.visit_key(_visit(key="{ABC}"), PKG) == "abc"


@pytest.mark.parametrize("value, date, time", [
    ("2022-05-20T10:31:00.000", "2022-05-20", "2022-05-20T10:31:00"),
    ("2022-05-20 10:31:00", "2022-05-20", "2022-05-20T10:31:00"),
    # GeoPackage DATETIME is UTC ('Z', as QGIS 3.40 writes it): the office's clock is Beijing time (UTC+8)
    ("2022-05-20T02:31:00.250Z", "2022-05-20", "2022-05-20T10:31:00"),
    ("2022-05-19T20:00:00Z", "2022-05-20", "2022-05-20T04:00:00"),
    ("2022-05-20T10:31:00+08:00", "2022-05-20", "2022-05-20T10:31:00"),
    ("2022-05-20", "2022-05-20", "2022-05-20"),
])
def test_visit_date_and_time_on_the_offices_clock(value, date, time, monkeypatch):
    import time as clock

    if not hasattr(clock, "tzset"):
        pytest.skip("time.tzset (POSIX) sets the process's time zone for this test")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    clock.tzset()
    try:
        assert (p.visit_date(value), p.visit_time(value)) == (date, time)
    finally:
        monkeypatch.undo()
        clock.tzset()


def test_same_value_compares_as_a_form_shows_values():
    assert p.same_value(None, "") and p.same_value(200.64, 200.64 + 1e-12) and not p.same_value(1.0, 1.01)
    assert p.same_value(" 其他", "其他") and not p.same_value("其他", "合法")


def test_changed_and_missing_files_are_reported_but_data_and_photos_are_expected_to_change():
    from wpzf.domain.fieldwork.manifest import FileCheck

    checks = [FileCheck("data.gpkg", CHANGED), FileCheck("DCIM/a.jpg", ADDED), FileCheck("wpzf_field.qgs", CHANGED),
              FileCheck("navigation.kml", MISSING), FileCheck("navigation.gpx", SAME)]
    assert [(i.path, i.status) for i in p.file_items(checks)] == [("wpzf_field.qgs", p.REPORTED),
                                                                   ("navigation.kml", p.REPORTED)]


# ---- manifest --------------------------------------------------------------------------------------------
def test_manifest_round_trip_and_file_checks(tmp_path):
    (tmp_path / "data.gpkg").write_bytes(b"abc")
    (tmp_path / "DCIM").mkdir()
    written = write_manifest(tmp_path, _manifest())
    # SHA-256("abc") is the FIPS 180-2 test vector
    assert written.files == {"data.gpkg": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}
    again = read_manifest(tmp_path)
    assert again == written
    (tmp_path / "data.gpkg").write_bytes(b"abd")
    (tmp_path / "DCIM" / "x.jpg").write_bytes(b"x")
    assert [(c.path, c.status) for c in verify_files(tmp_path, again)] == [("DCIM/x.jpg", ADDED),
                                                                          ("data.gpkg", CHANGED)]
    (tmp_path / "data.gpkg").unlink()
    assert ("data.gpkg", MISSING) in [(c.path, c.status) for c in verify_files(tmp_path, again)]


def test_a_manifest_without_its_workspace_names_the_field():
    data = _manifest().as_json()
    data["workspace_id"] = ""
    with pytest.raises(ManifestError, match="workspace_id"):
        parse_manifest(json.dumps(data))
    with pytest.raises(ManifestError, match="not the manifest"):
        parse_manifest(json.dumps({"format": "something else"}))


def test_fingerprint_changes_with_any_value_or_the_geometry_but_not_key_order():
    assert fingerprint({"a": 1, "b": "x"}, b"g") == fingerprint({"b": "x", "a": 1}, b"g")
    assert fingerprint({"a": 1, "b": "x"}, b"g") != fingerprint({"a": 2, "b": "x"}, b"g")
    assert fingerprint({"a": 1}, b"g") != fingerprint({"a": 1}, b"h")


# ---- reading a returned package -------------------------------------------------------------------------
@pytest.mark.parametrize("member", ["../evil.txt", "/tmp/evil.txt", "C:/evil.txt", "ok/../../evil.txt",
                                    "..\\evil.txt"])
def test_zip_slip_members_are_refused_before_anything_is_unpacked(tmp_path, member):
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("manifest.json", "{}")
        z.writestr(member, "x")
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(PackageError, match="outside"):
        extract_zip(archive, target)
    assert list(target.iterdir()) == [] and not (tmp_path / "evil.txt").exists()


def test_a_symbolic_link_member_is_refused(tmp_path):
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        info = zipfile.ZipInfo("DCIM/link.jpg")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, "/etc/passwd")
    with pytest.raises(PackageError, match="DCIM/link.jpg"):
        extract_zip(archive, tmp_path)


def test_a_zip_bomb_is_refused_and_photos_pass(tmp_path, monkeypatch):
    """A member inflating 200× to more than the limit is no photo nor GeoPackage (limit lowered to 1 MB here:
    4 MB of zeros deflate to ~4 KB); incompressible photo bytes of the same size unpack."""
    import os

    from wpzf.domain.fieldwork import package

    monkeypatch.setattr(package, "BOMB_MIN_BYTES", 2**20)
    bomb, photo = tmp_path / "bomb.zip", tmp_path / "photo.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", "{}")
        z.writestr("DCIM/a.jpg", bytes(4 * 2**20))
    with zipfile.ZipFile(photo, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("DCIM/a.jpg", os.urandom(4 * 2**20))
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(PackageError, match=r"DCIM/a.jpg would inflate from 0\.0 to 4 MB"):
        extract_zip(bomb, target)
    assert list(target.iterdir()) == []
    extract_zip(photo, target)
    assert (target / "DCIM" / "a.jpg").stat().st_size == 4 * 2**20


def test_a_package_the_disk_has_no_room_for_is_refused_before_unpacking(tmp_path, monkeypatch):
    from collections import namedtuple

    from wpzf.domain.fieldwork import package

    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", "{}")
        z.writestr("data.gpkg", bytes(3 * 2**20))
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(package.shutil, "disk_usage", lambda _: usage(10 * 2**30, 0, 400 * 2**20))
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(PackageError, match="needs 3 MB unpacked, but the disk of .* has 400 MB free"):
        extract_zip(archive, target)  # 3 MB + the 512 MB kept free > 400 MB
    assert list(target.iterdir()) == []


def test_a_package_zipped_with_its_folder_is_found_and_a_non_package_named(tmp_path):
    archive = tmp_path / "back.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("proj/manifest.json", _manifest().to_text())
    with opened_package(archive) as root:
        assert root.name == "proj" and read_manifest(root).package_id == PKG
    with pytest.raises(PackageError, match="no manifest.json"):
        with opened_package(tmp_path):
            pass


def test_a_damaged_data_gpkg_is_named(tmp_path):
    (tmp_path / "data.gpkg").write_bytes(b"SQLite format 3\x00" + b"\x01" * 300)
    with pytest.raises(PackageError, match="data.gpkg"):
        read_tables(tmp_path, ("jctb", "wydc"))
    (tmp_path / "data.gpkg").unlink()
    with pytest.raises(PackageError, match="data.gpkg"):
        read_tables(tmp_path, ("jctb",))


# ---- navigation files -----------------------------------------------------------------------------------
def test_navigation_centre_on_the_central_meridian_is_105_degrees_east():
    """A 100 m square centred on easting 35 500 000 (zone 35 false easting, EPSG:4523) lies on CM 105°E."""
    import shapely

    square = shapely.box(35_499_950, 3_249_950, 35_500_050, 3_250_050)
    (patch,) = nav_patches([("5001182022050001", shapely.to_wkb(square), "其他")], 4523)
    lon, lat = patch.centre
    assert lon == pytest.approx(105.0, abs=1e-9) and 29.3 < lat < 29.4
    ring = patch.polygons[0][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    # 100 m east-west at 29.36°N is about 100 / (111 320 cos 29.36°) ≈ 0.00103°
    assert max(x for x, _ in ring) - min(x for x, _ in ring) == pytest.approx(0.00103, abs=0.00001)
    kml, gpx = kml_text([patch], "测试"), gpx_text([patch], "测试")
    assert kml.count("<name>5001182022050001</name>") == 2 and "<Point><coordinates>105.00000000," in kml
    assert '<wpt lat="' in gpx and 'lon="105.00000000"' in gpx and "<trkseg>" in gpx
