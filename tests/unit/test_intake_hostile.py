"""Issue 14 items 2, 5, 6, 7 without QGIS: zones, ID spelling, DBF code pages, degenerate geometry.

Every refusal must name the file/feature/field, and nothing may be stored half-way.
"""
from __future__ import annotations

import hashlib
import json
import math

import pyproj
import pytest
import shapely
from deliveries import shapefile_encoding_honoured
from osgeo import ogr, osr

from wpzf.domain.intake.encoding import EncodingError, detect_shapefile_encoding
from wpzf.domain.intake.patches import IncomingPatch, IntakeError
from wpzf.domain.intake.service import import_delivery
from wpzf.domain.intake.zones import REFUSE_DEGREES, WARN_DEGREES, unplaced_extent_reason
from wpzf.domain.workspace.store import Workspace

X0, Y0 = 35_580_000.0, 3_250_000.0
FIELDS = ["JCBH", "BZ"]
ID = "5001182022050001"
FULL_WIDTH_ID = "５００１１８２０２２０５０００１"  # the same ID typed with full-width digits (U+FF10…)


def square(x: float = X0, y: float = Y0, size: float = 100.0) -> bytes:
    return shapely.to_wkb(shapely.box(x, y, x + size, y + size))


def wkt(text: str) -> bytes:
    return shapely.to_wkb(shapely.from_wkt(text))


def rec(i: int, jcbh: str, wkb: bytes | None = None) -> IncomingPatch:
    return IncomingPatch(i, {"JCBH": jcbh, "BZ": "位于某村东侧"}, square(X0 + 200 * i) if wkb is None else wkb)


def run(tmp_path, records, batch="2022-05", sha="s1", epsg=4523):
    return import_delivery(records, FIELDS, tmp_path / "ws.gpkg", batch, "2022-05-06", "deliver.shp", sha, epsg,
                           user="tester")


def rows(tmp_path, sql):
    with Workspace.open(tmp_path / "ws.gpkg") as ws:
        return ws.conn.execute(sql).fetchall()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def at_longitude(lon: float, lat: float = 29.36) -> bytes:
    """A 100 m square centred at (lon, lat), in EPSG:4523."""
    x, y = pyproj.Transformer.from_crs(4490, 4523, always_xy=True).transform(lon, lat)
    return square(x - 50, y - 50)


# -- item 2: patches outside the workspace's zone ------------------------------------------------

def test_zone_limits_are_the_documented_ones():
    # issue 14 item 2: warn beyond ±1.5° plus 0.5° tolerance, refuse from 3° (the neighbouring zone's CM)
    assert (WARN_DEGREES, REFUSE_DEGREES) == (2.0, 3.0)


def test_patch_beyond_the_zone_is_imported_with_a_warning_naming_it_and_its_distance(tmp_path):
    result = run(tmp_path, [rec(1, "IN", at_longitude(105.5)), rec(2, "EDGE", at_longitude(107.2))])
    assert (result.imported, result.warned) == (2, 1)
    warning = next(p for p in result.problems if p.kind == "warning")
    assert warning.jcbh == "EDGE"
    # 2.2° east of zone 35's CM (105°E) at 29.36°N: N·cosφ·Δλ = 6 383 276 m · 0.87155 · 0.038397 rad
    # = 213.6 km along the parallel (CGCS2000 ellipsoid; the geodesic is 4 m shorter)
    assert warning.message.values["km"] == pytest.approx(213.6, abs=0.2)
    assert "213.6 km" in warning.reason and "EPSG:4523" in warning.reason
    summary = json.loads(rows(tmp_path, "SELECT summary FROM wpzf_batch_source")[0][0])
    assert summary["warned"] == 1


def test_patch_three_degrees_out_refuses_the_delivery_naming_it_and_stores_nothing(tmp_path):
    run(tmp_path, [rec(1, "FIRST")])
    before = digest(tmp_path / "ws.gpkg")
    with pytest.raises(IntakeError) as caught:
        run(tmp_path, [rec(1, "NEAR"), rec(2, "FAR108", at_longitude(108.3))], batch="2022-06", sha="s2")
    # 108.3°E is 3.3° from 105°E: past zone 36's CM, beyond REFUSE_DEGREES
    assert "FAR108" in str(caught.value) and "108.3" in str(caught.value) and "NEAR" not in str(caught.value)
    assert digest(tmp_path / "ws.gpkg") == before


def test_new_workspace_is_not_created_when_a_patch_is_too_far(tmp_path):
    with pytest.raises(IntakeError, match="FAR"):
        run(tmp_path, [rec(1, "FAR", at_longitude(101.5))])  # 3.5° west of 105°E
    assert not (tmp_path / "ws.gpkg").exists()
    assert not list(tmp_path.glob(".ws.gpkg*"))


def test_records_in_another_zone_are_transformed_into_the_workspace_crs(tmp_path):
    # issue 14 item 1, domain side: an existing EPSG:4523 workspace receives records in EPSG:4524
    run(tmp_path, [rec(1, "Z35")])
    x36, y36 = pyproj.Transformer.from_crs(4490, 4524, always_xy=True).transform(106.8, 29.36)
    result = run(tmp_path, [IncomingPatch(1, {"JCBH": "Z36", "BZ": ""}, square(x36, y36))], batch="2022-06",
                 sha="s2", epsg=4524)
    assert result.imported == 1 and result.warned == 0  # 1.8° from the CM: inside the tolerance
    from wpzf.domain.workspace.gpkg import wkb_of

    blob = rows(tmp_path, "SELECT geom FROM jctb WHERE JCBH = 'Z36'")[0][0]
    stored = shapely.get_coordinates(shapely.from_wkb(wkb_of(blob)))
    ex, ey = pyproj.Transformer.from_crs(4524, 4523, always_xy=True).transform(x36, y36)  # the corner (x36, y36)
    x, y = min(stored, key=lambda v: math.hypot(v[0] - ex, v[1] - ey))
    assert math.hypot(x - ex, y - ey) < 0.01  # to the centimetre
    assert 35_670_000 < x < 35_680_000  # ≈ 174.8 km east of zone 35's 35 500 000 m, not 36 383 476


def test_unplaced_coordinates_are_checked_against_the_zone_prefix():
    # domain.crs: prefixed zone 35 puts 35 500 000 m on the CM; 36 xxx xxx is zone 36
    assert unplaced_extent_reason(35_580_000, 35_590_000, 3_249_000, 3_250_000, 4523) is None
    reason = unplaced_extent_reason(36_383_000, 36_384_000, 3_249_000, 3_250_000, 4523)
    assert "zone 36" in str(reason) and "zone 35" in str(reason)
    assert unplaced_extent_reason(580_000, 590_000, 3_249_000, 3_250_000, 4523) is not None


# -- item 5: IDs compared after NFKC --------------------------------------------------------------

def test_full_width_and_ascii_spellings_in_one_file_are_one_id(tmp_path):
    with pytest.raises(IntakeError) as caught:
        run(tmp_path, [rec(1, FULL_WIDTH_ID), rec(2, ID), rec(3, "OTHER")])
    assert ID in str(caught.value) and FULL_WIDTH_ID in str(caught.value)  # both spellings shown
    assert not (tmp_path / "ws.gpkg").exists()


def test_full_width_reissue_in_a_later_batch_is_detected_and_kept_verbatim(tmp_path):
    run(tmp_path, [rec(1, ID)])
    result = run(tmp_path, [rec(1, f"\u3000{FULL_WIDTH_ID}\u200b ")], batch="2022-06", sha="s2")
    assert (result.imported, result.reissued, result.duplicate) == (1, 1, 0)
    stored = rows(tmp_path, "SELECT b.PCMC, p.JCBH, p.CXXF, json_extract(p.YSSX, '$.JCBH') FROM jctb p "
                            "JOIN wpzf_batch b ON b.id = p.batch_id ORDER BY b.PCMC")
    assert stored == [("2022-05", ID, 0, ID), ("2022-06", ID, 1, f"\u3000{FULL_WIDTH_ID}\u200b ")]


def test_full_width_spelling_in_the_same_batch_is_a_duplicate_not_a_second_patch(tmp_path):
    run(tmp_path, [rec(1, ID)])
    result = run(tmp_path, [rec(1, FULL_WIDTH_ID), rec(2, "NEW")], sha="s2")
    assert (result.imported, result.duplicate) == (1, 1)
    assert rows(tmp_path, "SELECT COUNT(*) FROM jctb") == [(2,)]


def test_stored_full_width_ids_from_older_imports_still_match(tmp_path):
    run(tmp_path, [rec(1, "P1")])
    with Workspace.open(tmp_path / "ws.gpkg") as ws, ws.transaction() as conn:  # as an older version stored it
        conn.execute("UPDATE jctb SET JCBH = ?", (FULL_WIDTH_ID,))
    result = run(tmp_path, [rec(1, ID)], batch="2022-06", sha="s2")
    assert result.reissued == 1


# -- item 7: degenerate patches -----------------------------------------------------------------

def test_zero_area_sliver_and_line_only_collection_are_rejected_by_id(tmp_path):
    sliver = wkt(f"POLYGON(({X0} {Y0}, {X0 + 100} {Y0}, {X0 + 100} {Y0 + 0.00005}, {X0} {Y0}))")  # 0.0025 m²
    collapsed = wkt(f"POLYGON(({X0} {Y0}, {X0 + 100} {Y0}, {X0 + 50} {Y0}, {X0} {Y0}))")  # a doubled edge
    lines = wkt(f"GEOMETRYCOLLECTION(LINESTRING({X0} {Y0}, {X0 + 10} {Y0}), POINT({X0} {Y0}))")
    result = run(tmp_path, [rec(1, "SLIVER", sliver), rec(2, "FLAT", collapsed), rec(3, "LINES", lines),
                            rec(4, "GOOD")])
    assert (result.imported, result.rejected) == (1, 3)
    reasons = {p.jcbh: p.reason for p in result.problems if p.kind == "rejected"}
    assert reasons["SLIVER"].startswith("Zero-area sliver: 0.0025 m²")  # ½ · 100 m · 0.00005 m
    assert reasons["FLAT"].startswith("Zero-area sliver: 0.0000 m² after repairing")
    assert reasons["LINES"] == "GeometryCollection without any polygon (1 LineString, 1 Point): not a patch."
    assert rows(tmp_path, "SELECT JCBH FROM jctb") == [("GOOD",)]


def test_collection_keeps_its_polygons_and_names_the_dropped_parts(tmp_path):
    mixed = wkt(f"GEOMETRYCOLLECTION(POLYGON(({X0} {Y0}, {X0 + 100} {Y0}, {X0 + 100} {Y0 + 100}, {X0} {Y0 + 100}, "
                f"{X0} {Y0})), LINESTRING({X0} {Y0}, {X0 - 50} {Y0 - 50}), LINESTRING({X0} {Y0}, {X0} {Y0 - 9}))")
    result = run(tmp_path, [rec(1, "MIXED", mixed)])
    assert (result.imported, result.repaired, result.rejected) == (1, 1, 0)
    flag, note = rows(tmp_path, "SELECT XFBZ, XFSM FROM jctb")[0]
    assert flag == 1
    assert note == ("Dropped the non-polygon parts of the GeometryCollection (2 LineString); "
                    "kept 1 polygon(s), 10000.00 m².")
    assert "Valid Geometry" not in note


def test_invalid_polygon_note_is_geos_reason_never_valid_geometry(tmp_path):
    bowtie = wkt(f"POLYGON(({X0} {Y0}, {X0 + 100} {Y0 + 100}, {X0 + 100} {Y0}, {X0} {Y0 + 100}, {X0} {Y0}))")
    run(tmp_path, [rec(1, "BOW", bowtie)])
    (note,) = rows(tmp_path, "SELECT XFSM FROM jctb")[0]
    assert note.startswith("Repaired invalid geometry (Self-intersection[") and "5000.00 m²" in note


# -- item 6: DBF code pages ---------------------------------------------------------------------

TRADITIONAL = [("臺北市", "違章建築佔用農業用地"), ("新竹縣竹北市", "臨時用地變更編定"),
               ("彰化縣員林鎮", "國土保安用地違規使用")]


def _dbf(folder, encoding: str, names=TRADITIONAL):
    folder.mkdir(parents=True, exist_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4523)
    with shapefile_encoding_honoured():
        ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(folder / "taiwan.shp"))
        lyr = ds.CreateLayer("taiwan", srs, ogr.wkbPolygon, options=[f"ENCODING={encoding}"])
        for name in ("JCBH", "XMC", "BZ"):
            lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
        for i, (xmc, bz) in enumerate(names, start=1):
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("JCBH", f"TW{i}")
            f.SetField("XMC", xmc)
            f.SetField("BZ", bz)
            lyr.CreateFeature(f)
        ds = None
    (folder / "taiwan.cpg").unlink(missing_ok=True)
    dbf = folder / "taiwan.dbf"
    data = bytearray(dbf.read_bytes())
    data[29] = 0  # no language-driver byte: the detector must decide
    dbf.write_bytes(bytes(data))
    return folder / "taiwan.shp"


def test_big5_dbf_is_refused_naming_file_field_and_feature(tmp_path):
    shp = _dbf(tmp_path / "big5", "CP950")
    assert "臺北市".encode("big5") in (tmp_path / "big5" / "taiwan.dbf").read_bytes()  # really Big5 bytes
    with pytest.raises(EncodingError) as caught:
        detect_shapefile_encoding(shp)
    text = str(caught.value)
    assert "taiwan.dbf" in text and "ENCODING" in text and "CP950" in text
    assert "field BZ" in text or "field XMC" in text
    assert "(TW1)" in text or "(TW2)" in text or "(TW3)" in text
    assert "Fields affected: " in text and "XMC" in text and "BZ" in text


def test_same_traditional_names_in_gbk_are_read_as_gbk(tmp_path):
    assert detect_shapefile_encoding(_dbf(tmp_path / "gbk", "CP936")) == "CP936"


def test_big5_declared_as_gbk_by_cpg_is_refused_too(tmp_path):
    shp = _dbf(tmp_path / "big5", "CP950")
    (tmp_path / "big5" / "taiwan.cpg").write_text("936")
    with pytest.raises(EncodingError, match="taiwan.dbf"):
        detect_shapefile_encoding(shp)


def test_one_rare_character_in_real_gbk_text_is_tolerated(tmp_path):
    names = [("永川区", "朱镕基路东侧"), ("临江镇", "新增建设用地"), ("双石镇", "设施农用地")]  # 镕 is GBK, not GB2312
    assert detect_shapefile_encoding(_dbf(tmp_path / "gbk", "CP936", names)) == "CP936"


def test_declared_crs_the_numbers_cannot_lie_in():
    """A wrong .prj: zone-35 metres (35 580 000 m east) are fine in EPSG:4523, impossible as degrees or at the origin."""
    from wpzf.domain.intake.zones import cannot_lie_in

    assert not cannot_lie_in(35_580_000, 35_590_000, 3_249_000, 3_250_000, 4523, geographic=False)
    assert cannot_lie_in(0, 100, 0, 100, 4523, geographic=False)  # no zone-35 prefix
    assert cannot_lie_in(35_580_000, 35_590_000, 3_249_000, 3_250_000, 4490, geographic=True)
    assert not cannot_lie_in(105.8, 106.1, 29.1, 29.5, 4490, geographic=True)
    assert not cannot_lie_in(0, 100, 0, 100, 3857, geographic=False)  # not decidable here: the transformation decides
