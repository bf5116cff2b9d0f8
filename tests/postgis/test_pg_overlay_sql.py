"""Farmland occupation in SQL (PostGIS) vs the Python engine, and the algorithm on PostGIS layers."""
from __future__ import annotations

import time

import pytest

from wpzf.domain.workspace.postgis import migrate
from wpzf.domain.workspace.postgis.overlay_sql import Table, farmland_occupation_sql

FIELDS = ("TBMJ", "GDTBMJ", "GDMJ", "SDMJ", "SJDMJ", "HDMJ", "JBNTMJ")
TOLERANCE_M2 = 0.01


def load_layer(conn, gpkg, layer: str, table: str, columns: tuple[str, ...]) -> int:
    """Copy a GeoPackage layer into public.<table> keeping fid order and exact WKB (invalid ones too)."""
    from osgeo import ogr

    ds = ogr.Open(str(gpkg))
    lyr = ds.GetLayerByName(layer)
    srid = int(lyr.GetSpatialRef().GetAuthorityCode(None))
    rows = []
    for f in lyr:
        g = f.GetGeometryRef()
        rows.append((f.GetFID(), *[f.GetField(c) for c in columns], None if g is None else bytes(g.ExportToIsoWkb())))
    with conn.cursor() as cur:
        cols = "".join(f', "{c}" {"double precision" if c == "KCXS" else "text"}' for c in columns)
        cur.execute(f'CREATE TABLE public."{table}" (fid bigint PRIMARY KEY{cols}, geom geometry(Geometry, {srid}))')
        marks = ", ".join(["%s"] * (len(columns) + 1))
        cur.executemany(f'INSERT INTO public."{table}" VALUES ({marks}, ST_GeomFromWKB(%s, {srid}))', rows)
        cur.execute(f'CREATE INDEX ON public."{table}" USING gist (geom)')
        cur.execute(f'ANALYZE public."{table}"')
    conn.commit()
    return len(rows)


@pytest.fixture(scope="module")
def office_db(district, tmp_path_factory, pg_cluster, qgis_processing):
    """One database with the workspace (schema wpzf, 60 patches) and DLTB + YJJBNTTB in public."""
    from qgis import processing
    from qgis.core import QgsApplication

    from wpzf.processing.provider import WpzfProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("wpzf") is None:
        provider = WpzfProvider()
        registry.addProvider(provider)
        office_db.provider = provider  # keep the Python object alive
    path = tmp_path_factory.mktemp("ws") / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(path),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    db = pg_cluster.create_database("overlay")
    migrate.gpkg_to_postgis(path, pg_cluster.params(db))
    conn = pg_cluster.connect(db)
    load_layer(conn, district.landuse, "DLTB", "dltb", ("DLBM", "KCXS"))
    load_layer(conn, district.landuse, "YJJBNTTB", "yjjbnttb", ())
    yield path, db, conn
    conn.close()


def run_algorithm(patches, landuse, basic):
    from qgis import processing

    result = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": patches, "LANDUSE": landuse, "BASIC_FARMLAND": basic, "OUTPUT": "memory:"})
    return {f["JCBH"]: [f[name] for name in FIELDS] for f in result["OUTPUT"].getFeatures()}


def gpkg_numbers(district, path):
    return run_algorithm(f"{path}|layername=jctb", f"{district.landuse}|layername=DLTB",
                         f"{district.landuse}|layername=YJJBNTTB")


def max_difference(a: dict, b: dict) -> float:
    assert a.keys() == b.keys()
    return max(abs(x - y) for k in a for x, y in zip(a[k], b[k]))


def test_sql_overlay_gives_the_python_engine_numbers(district, office_db):
    path, db, conn = office_db
    python = gpkg_numbers(district, path)
    started = time.monotonic()
    rows = farmland_occupation_sql(conn, Table("wpzf.jctb"), Table("public.dltb"), Table("public.yjjbnttb"))
    seconds = time.monotonic() - started
    sql = {r.id: [r.tbmj, r.gdtbmj, r.gdmj, r.sdmj, r.sjdmj, r.hdmj, r.jbntmj] for r in rows}
    assert len(sql) == 60
    assert sum(v[2] for v in sql.values()) > 1000, "the district's patches cover farmland"
    assert sum(v[6] for v in sql.values()) > 0, "and basic farmland"
    worst = max_difference(sql, python)
    print(f"SQL vs Python farmland occupation: max difference {worst:.2e} m² over {len(sql)} patches, "
          f"SQL {seconds:.2f} s")
    assert worst <= TOLERANCE_M2
    geodesic = farmland_occupation_sql(conn, Table("wpzf.jctb"), Table("public.dltb"), Table("public.yjjbnttb"),
                                       area="geodesic")
    geodesic = {r.id: [r.tbmj, r.gdtbmj, r.gdmj, r.sdmj, r.sjdmj, r.hdmj, r.jbntmj] for r in geodesic}
    off = max_difference(geodesic, python)
    print(f"geodesic ST_Area(geography) vs official formula: max difference {off:.6f} m²")
    assert off < 0.05  # geodesic edges vs the rule's straight (B, L) edges: same ellipsoid, close but not equal


def test_algorithm_on_postgis_layers_equals_geopackage_layers(district, office_db, pg_cluster):
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    path, db, _ = office_db
    p = pg_cluster.params(db)

    def layer(schema, table, key):
        uri = QgsDataSourceUri()
        uri.setConnection(p["host"], str(p["port"]), db, p["user"], p["password"])
        uri.setDataSource(schema, table, "geom", "", key)
        lyr = QgsVectorLayer(uri.uri(False), table, "postgres")
        assert lyr.isValid(), table
        return lyr

    patches, dltb, basic = layer("wpzf", "jctb", "fid"), layer("public", "dltb", "fid"), \
        layer("public", "yjjbnttb", "fid")
    assert patches.featureCount() == 60
    on_postgis = run_algorithm(patches, dltb, basic)
    worst = max_difference(on_postgis, gpkg_numbers(district, path))
    print(f"algorithm on PostGIS layers vs GeoPackage layers: max difference {worst:.9f} m²")
    assert worst <= 1e-6
