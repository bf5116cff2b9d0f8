"""Issue 14, "a GeoPackage every GIS accepts": GDAL's validator and GDAL itself on workspaces the tests write.

The validator (``osgeo_utils/samples/validate_gpkg.py``, Debian's python3-gdal)
runs as a subprocess with the system Python, as a user would run it; ``-k``
makes it list every finding, and a clean file gives exit status 0 and no output.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from wpzf.domain.intake.patches import IncomingPatch
from wpzf.domain.intake.service import import_delivery
from wpzf.domain.workspace import gpkg, schema
from wpzf.domain.workspace.store import Workspace

ogr = pytest.importorskip("osgeo.ogr")
gdal = pytest.importorskip("osgeo.gdal")

X0, Y0 = 35_580_000.0, 3_250_000.0


def _validator() -> tuple[str, str]:
    import osgeo_utils.samples.validate_gpkg as module

    python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    return python, module.__file__


def validate(path: Path) -> list[str]:
    """The validator's findings (empty: valid)."""
    python, script = _validator()
    done = subprocess.run([python, script, "-k", str(path)], capture_output=True, text=True, timeout=120)
    findings = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 and not findings:  # the validator itself failed on the file
        findings = [f"validator crashed: {done.stderr.strip().splitlines()[-1]}"]
    return findings


def square(dx: float, size: float = 100.0) -> bytes:
    return shapely.to_wkb(shapely.box(X0 + dx, Y0, X0 + dx + size, Y0 + size))


def multi_blob(dx: float) -> bytes:
    g = shapely.MultiPolygon([shapely.box(X0 + dx, Y0, X0 + dx + 100, Y0 + 100)])
    return gpkg.encode(shapely.to_wkb(g), 4523, g.bounds)


def _import(path: Path, n: int = 5) -> None:
    records = [IncomingPatch(i, {"JCBH": f"P{i}", "XZQDM": "500118001", "JCMJ": "15"}, square(300 * i))
               for i in range(n)]
    result = import_delivery(records, ["JCBH", "XZQDM", "JCMJ"], path, "2022-05", "2022-05-06", "d.shp", "s1",
                             4523, user="tester")
    assert result.imported == n


@pytest.fixture()
def imported(tmp_path):
    path = tmp_path / "ws.gpkg"
    _import(path)
    return path


def test_a_new_workspace_validates(tmp_path):
    Workspace.create(tmp_path / "ws.gpkg", 4523).close()
    assert validate(tmp_path / "ws.gpkg") == []


def test_after_an_import_and_decisions_it_validates(imported):
    with Workspace.open(imported, user="tester") as ws, ws.transaction() as conn:
        conn.execute("UPDATE jctb SET PDLX = '违法', GDMJ = 12.5 WHERE JCBH = 'P1'")  # numbers in the audit
    assert validate(imported) == []
    with Workspace.open(imported) as ws:  # audit values keep their type (BLOB affinity converts nothing)
        assert ws.conn.execute("SELECT new_value, typeof(new_value) FROM wpzf_audit WHERE field = 'GDMJ'"
                               ).fetchall() == [(12.5, "real")]
        types = {r[1]: r[2] for r in ws.conn.execute("PRAGMA table_info(wpzf_audit)")}
        assert types["old_value"] == types["new_value"] == "BLOB"


def _rebuild_spatial_index_with_gdal(path: Path, table: str = "jctb") -> None:
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_UPDATE)
    ds.ExecuteSQL(f"SELECT DisableSpatialIndex('{table}', 'geom')")
    ds.ExecuteSQL(f"SELECT CreateSpatialIndex('{table}', 'geom')")
    ds = None


def test_after_gdal_rebuilds_the_spatial_index_everything_still_works(imported):
    _rebuild_spatial_index_with_gdal(imported)
    assert validate(imported) == []
    with Workspace.open(imported, user="tester") as ws:  # GDAL's triggers are ours word for word: no finding
        assert schema.geopackage_findings(ws.conn) == [] and schema.integrity_findings(ws.conn) == []
        with ws.transaction() as conn:  # an attribute update and a geometry update through the index
            conn.execute("UPDATE jctb SET PDLX = '合法' WHERE JCBH = 'P0'")
            conn.execute("UPDATE jctb SET geom = ? WHERE JCBH = 'P2'", (multi_blob(5000),))
        with ws.transaction() as conn:  # a delete of an unlocked patch
            conn.execute("DELETE FROM jctb WHERE JCBH = 'P4'")
        assert ws.conn.execute("SELECT count(*) FROM rtree_jctb_geom").fetchone() == (4,)
    ds = ogr.Open(str(imported))  # a spatial query through GDAL's R-tree: P2 moved 5 km east
    layer = ds.GetLayerByName("jctb")
    layer.SetSpatialFilterRect(X0 + 4900, Y0 - 10, X0 + 5200, Y0 + 110)
    assert [f.GetField("JCBH") for f in layer] == ["P2"]
    layer.SetSpatialFilterRect(X0 - 10, Y0 - 10, X0 + 1300, Y0 + 110)  # P0, P1, P3 (P2 moved, P4 deleted)
    assert sorted(f.GetField("JCBH") for f in layer) == ["P0", "P1", "P3"]
    ds = None
    assert validate(imported) == []


def test_ogrinfo_and_ogr2ogr_round_trip_keep_every_feature(imported, tmp_path):
    info = gdal.VectorInfo(str(imported), options="-so -al") if hasattr(gdal, "VectorInfo") else None
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo:
        out = subprocess.run([ogrinfo, "-so", str(imported), "jctb"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0 and "Feature Count: 5" in out.stdout, out.stdout + out.stderr
    elif info is not None:
        assert "Feature Count: 5" in info
    copy = tmp_path / "copy.gpkg"
    gdal.VectorTranslate(str(copy), str(imported), options="-f GPKG jctb")
    src, dst = ogr.Open(str(imported)), ogr.Open(str(copy))
    a, b = src.GetLayerByName("jctb"), dst.GetLayerByName("jctb")

    def features(layer):
        return sorted((f.GetField("JCBH"), f.GetField("batch_id"), f.GetGeometryRef().ExportToIsoWkt())
                      for f in layer)

    assert features(a) == features(b) and len(features(a)) == 5
    src = dst = None
    assert validate(copy) == []


def _make_legacy(path: Path) -> None:
    """Rewrite a workspace into the form schema 6 had before this fix (as files made earlier today are)."""
    conn = sqlite3.connect(path)
    conn.execute("BEGIN")
    for table in ("jctb", "wpzf_division"):
        rt = f"rtree_{table}_geom"
        for n, when in ((3, 'NOTNULL AND NOT ST_IsEmpty(NEW."geom")'), (4, 'ISNULL OR ST_IsEmpty(NEW."geom")')):
            conn.execute(f'DROP TRIGGER "{rt}_update{n}"')
            body = (f'DELETE FROM "{rt}" WHERE id = OLD."fid"; INSERT OR REPLACE INTO "{rt}" VALUES (NEW."fid", '
                    f'ST_MinX(NEW."geom"), ST_MaxX(NEW."geom"), ST_MinY(NEW."geom"), ST_MaxY(NEW."geom"));'
                    if n == 3 else f'DELETE FROM "{rt}" WHERE id IN (OLD."fid", NEW."fid");')
            conn.execute(f'CREATE TRIGGER "{rt}_update{n}_fid" AFTER UPDATE OF "fid" ON "{table}" WHEN OLD."fid" != '
                         f'NEW."fid" AND (NEW."geom" {when}) BEGIN {body} END')
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                "(name LIKE '%append_only_i' OR name LIKE 'wpzf_lock_%_replace')").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("DROP TABLE gpkg_data_column_constraints")
    conn.execute("DELETE FROM gpkg_extensions WHERE table_name = 'gpkg_data_column_constraints'")
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'wpzf_audit'").fetchone()[0]
    own = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'wpzf_audit' AND type != 'table'")]
    conn.execute("PRAGMA legacy_alter_table = ON")  # the other tables' audit triggers stay as they are
    conn.execute(sql.replace("wpzf_audit", "wpzf_audit_old", 1).replace("old_value BLOB, new_value BLOB",
                                                                        "old_value, new_value"))
    conn.execute("INSERT INTO wpzf_audit_old SELECT * FROM wpzf_audit")
    conn.execute("DROP TABLE wpzf_audit")
    conn.execute("ALTER TABLE wpzf_audit_old RENAME TO wpzf_audit")
    for statement in own:  # its index and append-only triggers
        conn.execute(statement)
    conn.execute("COMMIT")
    conn.close()


def test_a_workspace_written_before_the_fix_is_repaired_on_open(imported):
    with sqlite3.connect(imported) as conn:
        audit_before = conn.execute("SELECT * FROM wpzf_audit ORDER BY id").fetchall()
    _make_legacy(imported)
    assert validate(imported) != []  # it crashes on the missing gpkg_data_column_constraints
    with Workspace.open(imported, user="tester") as ws:
        assert schema.geopackage_findings(ws.conn) == [] and schema.integrity_findings(ws.conn) == []
        assert ws.conn.execute("SELECT * FROM wpzf_audit ORDER BY id").fetchall() == audit_before
        with ws.transaction() as conn:
            conn.execute("UPDATE jctb SET PDLX = '合法' WHERE JCBH = 'P0'")
    assert validate(imported) == []
