"""Farmland occupation in SQL (PostGIS) vs the Python engine, and the algorithm on PostGIS layers.

ENGINE=1 (SQL in the database) must give what ENGINE=0 (Python) gives on the
same PostGIS layers: every output field, every breakdown row, to 0.01 m².
"""
from __future__ import annotations

import threading
import time

import pytest

from wpzf.domain.progress import Canceled
from wpzf.domain.workspace.postgis import migrate
from wpzf.domain.workspace.postgis.overlay_sql import (
    SERIES,
    SqlFarmlandOverlay,
    Table,
    farmland_occupation_sql,
)

FIELDS = ("TBMJ", "GDTBMJ", "GDMJ", "SDMJ", "SJDMJ", "HDMJ", "JBNTMJ", "JBNTGDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ")
OUTPUT_FIELDS = ("TBMJ", "GDTBMJ", "GDMJ", "GDMJ_MU", "SDMJ", "SJDMJ", "HDMJ", "JBNTMJ", "JBNTGDMJ", "FGNYDMJ",
                 "JSYDMJ", "WLYDMJ", "ZGBL", "WFGMJ", "XFBZ")
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


def figures(row) -> list[float]:
    """A PatchOccupation's figures in the order of FIELDS."""
    return [getattr(row, name.lower()) for name in FIELDS]


def max_difference(a: dict, b: dict) -> float:
    assert a.keys() == b.keys()
    return max(abs(x - y) for k in a for x, y in zip(a[k], b[k]))


def test_sql_overlay_gives_the_python_engine_numbers(district, office_db):
    path, db, conn = office_db
    python = gpkg_numbers(district, path)
    started = time.monotonic()
    rows = farmland_occupation_sql(conn, Table("wpzf.jctb"), Table("public.dltb"), Table("public.yjjbnttb"))
    seconds = time.monotonic() - started
    sql = {r.id: figures(r) for r in rows}
    assert len(sql) == 60
    assert sum(v[2] for v in sql.values()) > 1000, "the district's patches cover farmland"
    assert sum(v[6] for v in sql.values()) > 0, "and basic farmland"
    assert sum(v[7] for v in sql.values()) > 0, "and farmland inside basic farmland"
    assert all(v[7] <= v[2] + 1e-9 for v in sql.values()), "JBNTGDMJ ≤ GDMJ"
    worst = max_difference(sql, python)
    print(f"SQL vs Python farmland occupation: max difference {worst:.2e} m² over {len(sql)} patches, "
          f"SQL {seconds:.2f} s")
    assert worst <= TOLERANCE_M2
    geodesic = farmland_occupation_sql(conn, Table("wpzf.jctb"), Table("public.dltb"), Table("public.yjjbnttb"),
                                       area="geodesic")
    geodesic = {r.id: figures(r) for r in geodesic}
    off = max_difference(geodesic, python)
    print(f"geodesic ST_Area(geography) vs official formula: max difference {off:.6f} m²")
    assert off < 0.05  # geodesic edges vs the rule's straight (B, L) edges: same ellipsoid, close but not equal
    series = farmland_occupation_sql(conn, Table("wpzf.jctb"), Table("public.dltb"), Table("public.yjjbnttb"),
                                     area=SERIES)
    series = {r.id: figures(r) for r in series}
    off = max_difference(series, sql)
    print(f"official area as equal-area ST_Area vs the series in PL/pgSQL: max difference {off:.2e} m²")
    assert off < 1e-4


def test_equal_area_projection_gives_the_official_series_on_every_polygon(office_db):
    _, _, conn = office_db
    SqlFarmlandOverlay(conn, Table("wpzf.jctb"), Table("public.dltb"), area=SERIES)._prepare()
    with conn.cursor() as cur:
        cur.execute("SELECT max(abs(pg_temp.wpzf_official_area(ST_Transform(geom, 4490)) - ST_Area(ST_Transform(geom, "
                    "6933)))), sum(ST_Area(geom)), count(*) FROM public.dltb")
        worst, total, count = cur.fetchone()
    conn.rollback()
    print(f"EPSG:6933 area vs official series over {count} DLTB polygons ({total / 1e6:.1f} km²): "
          f"max {worst:.2e} m²")
    assert count > 1000 and worst < 1e-4


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


# -- ENGINE=1 against ENGINE=0 on PostGIS layers -------------------------------------------------------

BOWTIE = """ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
    ST_MakePoint(ST_XMin(geom), ST_YMin(geom)), ST_MakePoint(ST_XMax(geom), ST_YMax(geom)),
    ST_MakePoint(ST_XMax(geom), ST_YMin(geom)), ST_MakePoint(ST_XMin(geom), ST_YMax(geom)),
    ST_MakePoint(ST_XMin(geom), ST_YMin(geom))])), ST_SRID(geom))"""
PASSWORD_FREE = "no password in a layer source or a message"


@pytest.fixture(scope="module")
def edge_tables(office_db):
    """public.jctb_x: the patches with 2 bow-ties and 1 missing geometry; public.dltb_x: DLTB with a bow-tie."""
    _, _, conn = office_db
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE public.jctb_x AS SELECT * FROM wpzf.jctb")
        cur.execute("ALTER TABLE public.jctb_x ADD PRIMARY KEY (fid)")
        cur.execute(f"UPDATE public.jctb_x SET geom = ST_Multi({BOWTIE}) WHERE fid IN (3, 7)")
        cur.execute("UPDATE public.jctb_x SET geom = NULL WHERE fid = 11")
        cur.execute("CREATE INDEX ON public.jctb_x USING gist (geom)")
        cur.execute("CREATE TABLE public.dltb_x AS SELECT * FROM public.dltb")
        cur.execute("ALTER TABLE public.dltb_x ADD PRIMARY KEY (fid)")
        cur.execute(f"""UPDATE public.dltb_x SET geom = {BOWTIE} WHERE fid = (
            SELECT d.fid FROM public.dltb d JOIN public.jctb_x p ON ST_Intersects(d.geom, p.geom)
            WHERE p.fid = 5 ORDER BY d.fid LIMIT 1)""")
        cur.execute("CREATE INDEX ON public.dltb_x USING gist (geom)")
        cur.execute("ANALYZE public.jctb_x; ANALYZE public.dltb_x")
    conn.commit()
    yield


@pytest.fixture(scope="module")
def authcfg(office_db, pg_cluster):
    """An auth configuration holding the database credentials: layers carry no password."""
    from qgis.core import QgsApplication

    p = pg_cluster.params(office_db[1])
    from pg_auth import basic_authcfg

    authcfg = basic_authcfg("wpzf overlay", p["user"], p["password"])
    yield authcfg
    QgsApplication.authManager().removeAuthenticationConfig(authcfg)


@pytest.fixture()
def pg_layer(office_db, pg_cluster, authcfg):
    def layer(schema: str, table: str, subset: str = "", name: str = ""):
        from qgis.core import QgsDataSourceUri, QgsVectorLayer

        p = pg_cluster.params(office_db[1])
        uri = QgsDataSourceUri()
        uri.setConnection(p["host"], str(p["port"]), p["dbname"], "", "", QgsDataSourceUri.SslDisable, authcfg)
        uri.setDataSource(schema, table, "geom", subset, "fid")
        lyr = QgsVectorLayer(uri.uri(False), name or table, "postgres")
        assert lyr.isValid(), table
        assert p["password"] not in lyr.source(), PASSWORD_FREE
        return lyr

    return layer


def recorder():
    """A Processing feedback keeping every message (to check that no password is shown)."""
    from qgis.core import QgsProcessingFeedback

    class Recorder(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.messages: list[str] = []

        def pushInfo(self, info):  # noqa: N802
            self.messages.append(info)
            super().pushInfo(info)

        def pushWarning(self, warning):  # noqa: N802
            self.messages.append(warning)
            super().pushWarning(warning)

        def reportError(self, error, fatal=False):  # noqa: N802
            self.messages.append(error)
            super().reportError(error, fatal)

    return Recorder()


def run_engine(engine: int, patches, landuse, basic, area_method: int = 0, feedback=None, **extra):
    from qgis import processing

    params = {"PATCHES": patches, "LANDUSE": landuse, "BASIC_FARMLAND": basic, "AREA_METHOD": area_method,
              "ENGINE": engine, "OUTPUT": "memory:", "BREAKDOWN": "memory:", **extra}
    started = time.monotonic()
    result = processing.run("wpzf:farmlandoccupation", params, feedback=feedback)
    return result, time.monotonic() - started


def invalid_polygons(conn, table: str) -> int:
    """Polygons of ``table`` PostGIS calls invalid (what both engines repair and report)."""
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table} WHERE NOT ST_IsValid(geom)")
        count = cur.fetchone()[0]
    conn.rollback()
    return int(count)


def output_rows(result) -> list[tuple[str, list]]:
    """(JCBH, every attribute) per output row, in output order."""
    return [(f["JCBH"], f.attributes()) for f in result["OUTPUT"].getFeatures()]


def breakdown_rows(result) -> dict:
    """(ID, DLBM) → (SDL, MJ, JMJ, JMJ_MU); the "not covered" row keyed with DLBM ''."""
    rows = {}
    for f in result["BREAKDOWN"].getFeatures():
        key = (f["ID"], f["DLBM"])
        assert key not in rows, key
        rows[key] = (f["SDL"], f["MJ"], f["JMJ"], f["JMJ_MU"])
    return rows


def compare_outputs(python, sql) -> float:
    """Max difference over every numeric output field; everything else must be equal."""
    layer = python["OUTPUT"]
    names = layer.fields().names()
    assert sql["OUTPUT"].fields().names() == names
    numeric = [names.index(n) for n in OUTPUT_FIELDS]
    a, b = output_rows(python), output_rows(sql)
    assert [k for k, _ in a] == [k for k, _ in b], "same patches in the same (input) order"
    worst = 0.0
    for (_, x), (_, y) in zip(a, b):
        assert [v for i, v in enumerate(x) if i not in numeric] == [v for i, v in enumerate(y) if i not in numeric]
        worst = max([worst] + [abs(x[i] - y[i]) for i in numeric])
    return worst


def compare_breakdowns(python, sql) -> float:
    a, b = breakdown_rows(python), breakdown_rows(sql)
    classes_a = {k: v for k, v in a.items() if k[1]}
    classes_b = {k: v for k, v in b.items() if k[1]}
    assert classes_a.keys() == classes_b.keys(), "the same patch × land-class rows"
    assert all(classes_a[k][0] == classes_b[k][0] for k in classes_a), "the same broad classes"
    worst = max(abs(x - y) for k in classes_a for x, y in zip(classes_a[k][1:], classes_b[k][1:]))
    # "not covered" rows exist above 1e-6 m²: around that threshold one engine may have one and the other not
    for key in a.keys() | b.keys():
        if not key[1]:
            worst = max(worst, abs(a.get(key, (None, 0.0))[1] - b.get(key, (None, 0.0))[1]))
    return worst


@pytest.mark.parametrize("area_method", [0, 1], ids=["ellipsoidal", "planar"])
def test_sql_engine_gives_the_python_engine_output_and_breakdown(office_db, edge_tables, pg_layer, pg_cluster,
                                                                 area_method, monkeypatch):
    from wpzf.processing.algorithms.farmland_occupation import FarmlandOccupationAlgorithm

    monkeypatch.setattr(FarmlandOccupationAlgorithm, "SQL_CHUNK_SIZE", 25)  # 3 chunks on 2 connections
    patches, landuse, basic = pg_layer("public", "jctb_x"), pg_layer("public", "dltb_x"), \
        pg_layer("public", "yjjbnttb")
    python_feedback = recorder()
    python, python_s = run_engine(0, patches, landuse, basic, area_method, python_feedback)
    feedback = recorder()
    sql, sql_s = run_engine(1, patches, landuse, basic, area_method, feedback)
    worst = compare_outputs(python, sql)
    worst_breakdown = compare_breakdowns(python, sql)
    rows = output_rows(python)
    xfbz = [r[1][python["OUTPUT"].fields().indexOf("XFBZ")] for r in rows]
    print(f"\n{['ellipsoidal', 'planar'][area_method]}: ENGINE=1 (SQL) vs ENGINE=0 (Python) on PostGIS layers, "
          f"{len(rows)} patches: max difference {worst:.2e} m² (output), {worst_breakdown:.2e} m² (breakdown, "
          f"{len(breakdown_rows(sql))} rows); SQL {sql_s:.2f} s, Python {python_s:.2f} s")
    assert len(rows) == 60 and sum(xfbz) == 2, "both bow-tie patches repaired and flagged"
    assert sum(r[1][python["OUTPUT"].fields().indexOf("GDMJ")] for r in rows) > 1000
    assert worst <= TOLERANCE_M2 and worst_breakdown <= TOLERANCE_M2
    # the bow-tie of dltb_x, and any other invalid polygon near the patches (GEOS 3.13 generates one more)
    invalid = python["REPAIRED_OVERLAY"]
    assert invalid == sql["REPAIRED_OVERLAY"] >= 1 and invalid <= invalid_polygons(office_db[2], "public.dltb_x")
    for messages in (python_feedback.messages, feedback.messages):  # both engines repair and count them
        assert any(f"Layer dltb_x: {invalid} invalid polygons were repaired" in m for m in messages), \
            "\n".join(messages)
    assert not any(pg_cluster.params()["password"] in m for m in feedback.messages), PASSWORD_FREE


def test_subset_string_of_the_patch_layer_is_honoured(office_db, pg_layer):
    _, _, conn = office_db
    with conn.cursor() as cur:
        cur.execute('SELECT "JCBH" FROM wpzf.jctb WHERE fid % 3 = 0 ORDER BY fid')
        wanted = [r[0] for r in cur.fetchall()]
    conn.rollback()
    patches = pg_layer("wpzf", "jctb", subset='"fid" % 3 = 0')
    landuse, basic = pg_layer("public", "dltb"), pg_layer("public", "yjjbnttb")
    sql, _ = run_engine(1, patches, landuse, basic)
    got = [k for k, _ in output_rows(sql)]
    assert sorted(got) == sorted(wanted) and len(wanted) == 20, (got, wanted)
    assert got == [f["JCBH"] for f in patches.getFeatures()], "outputs follow the patch layer's own order"
    assert {k for k, _ in breakdown_rows(sql)} <= set(wanted)
    python, _ = run_engine(0, patches, landuse, basic)
    assert compare_outputs(python, sql) <= TOLERANCE_M2


def test_land_use_outside_the_database_is_refused_by_name(district, pg_layer):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    landuse = QgsVectorLayer(f"{district.landuse}|layername=DLTB", "dltb-geopackage", "ogr")
    with pytest.raises(QgsProcessingException, match="dltb-geopackage.*LANDUSE.*not a PostGIS layer"):
        run_engine(1, pg_layer("wpzf", "jctb"), landuse, pg_layer("public", "yjjbnttb"))


def test_selected_features_only_is_refused(pg_layer):
    from qgis.core import QgsProcessingException, QgsProcessingFeatureSourceDefinition, QgsProject

    patches = pg_layer("wpzf", "jctb", name="patches-selected")
    QgsProject.instance().addMapLayer(patches)
    try:
        patches.selectByIds(patches.allFeatureIds()[:5])
        selected = QgsProcessingFeatureSourceDefinition(patches.id(), True)
        with pytest.raises(QgsProcessingException, match="selected features only"):
            run_engine(1, selected, pg_layer("public", "dltb"), None)
        result, _ = run_engine(0, selected, pg_layer("public", "dltb"), None)  # the Python engine takes them
        assert result["OUTPUT"].featureCount() == 5
    finally:
        QgsProject.instance().removeMapLayer(patches.id())


@pytest.mark.parametrize("srid", [4523, 4545], ids=["same-srid", "transformed"])
def test_candidates_come_from_the_gist_index(office_db, srid):
    _, _, conn = office_db
    overlay = SqlFarmlandOverlay(conn, Table("wpzf.jctb"), Table("public.dltb"), Table("public.yjjbnttb"), srid=srid)
    plan = overlay.explain(overlay.keys())
    print(f"\nEXPLAIN (working SRID {srid}):\n{plan}")
    assert "Index Scan using dltb_geom_idx on dltb" in plan
    assert "Index Scan using yjjbnttb_geom_idx on yjjbnttb" in plan
    assert "Seq Scan on dltb" not in plan and "Seq Scan on yjjbnttb" not in plan


def test_a_table_without_spatial_index_is_named(office_db, edge_tables):
    _, _, conn = office_db
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE public.basic_noindex AS SELECT * FROM public.yjjbnttb LIMIT 5")
    conn.commit()
    indexed = SqlFarmlandOverlay(conn, Table("wpzf.jctb"), Table("public.dltb_x"), Table("public.yjjbnttb"))
    assert indexed.unindexed_tables() == []
    bare = SqlFarmlandOverlay(conn, Table("wpzf.jctb"), Table("public.dltb_x"), Table("public.basic_noindex"))
    assert bare.unindexed_tables() == [Table("public.basic_noindex")]


def test_cancel_after_the_first_chunk_leaves_no_output(office_db, pg_layer, tmp_path, monkeypatch):
    from qgis.core import QgsProcessingFeedback

    from wpzf.processing.algorithms.farmland_occupation import FarmlandOccupationAlgorithm

    monkeypatch.setattr(FarmlandOccupationAlgorithm, "SQL_CHUNK_SIZE", 10)
    monkeypatch.setattr(FarmlandOccupationAlgorithm, "SQL_WORKERS", 1)  # one chunk at a time: a clear "first"
    feedback = QgsProcessingFeedback()
    seen = []

    def on_progress(value):
        seen.append(value)
        if value > 5:  # the first chunk is measured
            feedback.cancel()

    feedback.progressChanged.connect(on_progress)
    out, breakdown = tmp_path / "out.gpkg", tmp_path / "breakdown.gpkg"
    result, _ = run_engine(1, pg_layer("wpzf", "jctb"), pg_layer("public", "dltb"), pg_layer("public", "yjjbnttb"),
                           feedback=feedback, OUTPUT=str(out), BREAKDOWN=str(breakdown))
    assert feedback.isCanceled()
    assert [v for v in seen if v > 5] == [pytest.approx(5 + 85 * 10 / 60)], "stopped after the first chunk"
    assert result.get("OUTPUT") is None and result.get("BREAKDOWN") is None
    assert not out.exists() and not breakdown.exists(), "nothing half-written"


def test_two_connections_measure_the_same_chunks(office_db, pg_cluster):
    path, db, conn = office_db
    tables = Table("wpzf.jctb"), Table("public.dltb"), Table("public.yjjbnttb")
    alone = SqlFarmlandOverlay(conn, *tables).run(chunk_size=7)
    opened, seen = [], []

    def connect():
        opened.append(pg_cluster.connect(db))
        return opened[-1]

    shared = SqlFarmlandOverlay(conn, *tables).run(chunk_size=7, workers=2, connect=connect, progress=seen.append)
    assert len(opened) == 1 and opened[0].closed, "one more connection, closed afterwards"
    assert len(shared) == len(alone) == 9 and seen[-1] == 1.0 and seen == sorted(seen)
    assert [p for c in shared for p in c.patches] == [p for c in alone for p in c.patches]
    assert [r for c in shared for r in c.breakdown] == [r for c in alone for r in c.breakdown]


def test_a_long_statement_is_canceled_while_it_runs(office_db):
    _, _, conn = office_db
    slow = Table("wpzf.jctb", where="(SELECT true FROM pg_sleep(0.5 + 0 * fid))")  # 60 patches: 30 s asleep
    overlay = SqlFarmlandOverlay(conn, slow, Table("public.dltb"))
    asked = threading.Event()
    threading.Timer(0.5, asked.set).start()
    started = time.monotonic()
    with pytest.raises(Canceled):
        overlay.run(is_canceled=asked.is_set)
    seconds = time.monotonic() - started
    print(f"\ncanceled a running statement after {seconds:.2f} s")
    assert seconds < 5
    with conn.cursor() as cur:  # rolled back, the connection still works
        cur.execute("SELECT count(*) FROM wpzf.jctb")
        assert cur.fetchone()[0] == 60
    conn.rollback()


def test_overlapping_land_use_stored_out_of_key_order_gives_both_engines_the_same_winner(office_db, pg_layer):
    """First polygon wins by primary key in both engines, whatever physical order updates left the rows in."""
    _, _, conn = office_db
    with conn.cursor() as cur:
        cur.execute('CREATE TABLE public.dltb_overlap (fid bigint PRIMARY KEY, "DLBM" text, "KCXS" double precision, '
                    "geom geometry(Polygon, 4523))")
        cur.execute("""CREATE TABLE public.jctb_overlap AS SELECT fid, "JCBH", geom FROM wpzf.jctb
                       ORDER BY fid LIMIT 1""")
        cur.execute("ALTER TABLE public.jctb_overlap ADD PRIMARY KEY (fid)")
        # both cover the whole patch; key 1 (paddy) is written after key 2 (dry land)
        cur.execute("""INSERT INTO public.dltb_overlap SELECT 2, '0103', 0, ST_Expand(ST_Envelope(geom), 5)
                       FROM public.jctb_overlap""")
        cur.execute("""INSERT INTO public.dltb_overlap SELECT 1, '0101', 0, ST_Expand(ST_Envelope(geom), 5)
                       FROM public.jctb_overlap""")
        cur.execute("CREATE INDEX ON public.dltb_overlap USING gist (geom)")
        cur.execute("SELECT fid FROM public.dltb_overlap")
        assert [r[0] for r in cur.fetchall()] == [2, 1], "rows are stored out of key order"
    conn.commit()
    patches, landuse = pg_layer("public", "jctb_overlap"), pg_layer("public", "dltb_overlap")
    results = [run_engine(engine, patches, landuse, None)[0] for engine in (0, 1)]
    for result in results:
        (row,) = list(result["OUTPUT"].getFeatures())
        assert row["SDMJ"] == pytest.approx(row["TBMJ"], abs=1e-6) and row["HDMJ"] == pytest.approx(0, abs=1e-6)


def hand_tables(conn, suffix: str, patches: list[str], landuse: list[tuple[str, float, str]],
                basic: list[str] = ()) -> None:
    """public.jctb_<suffix> (JCBH P1, P2…), dltb_<suffix> (DLBM, KCXS) and, given ``basic``, jbnt_<suffix>:
    rows in key order from SQL geometry expressions in EPSG:4523, each table with its GiST index."""
    tables = {f"jctb_{suffix}": ('"JCBH" text, ', [f"'P{k}', {g}" for k, g in enumerate(patches, 1)]),
              f"dltb_{suffix}": ('"DLBM" text, "KCXS" double precision, ',
                                 [f"'{code}', {kcxs}, {g}" for code, kcxs, g in landuse])}
    if basic:
        tables[f"jbnt_{suffix}"] = ("", list(basic))
    with conn.cursor() as cur:
        for table, (columns, rows) in tables.items():
            cur.execute(f"CREATE TABLE public.{table} (fid bigint PRIMARY KEY, {columns}geom geometry(Polygon, 4523))")
            cur.execute(f"INSERT INTO public.{table} VALUES " + ", ".join(f"({k}, {row})" for k, row in enumerate(rows, 1)))
            cur.execute(f"CREATE INDEX ON public.{table} USING gist (geom)")
    conn.commit()


def test_farmland_inside_basic_farmland_and_the_class_split_by_hand(office_db, pg_layer):
    """domain.md §9: 其中永久基本农田 = net 耕地 inside 永农 (≤ 耕地); §2: 地块面积 = 耕地 + 非耕农用地 + 未利用地
    + 建设用地, 田坎 (1203) being 农用地. Both engines, on squares whose answers are known.

    Patch 1: 300 m × 100 m over 水田 (KCXS 0.1) | 旱地 (KCXS 0.2) | 宅基地, 永农 over its middle 200 m drawn
    apart from DLTB. Patch 2: 100 m × 100 m, 永农 an exact copy of its 水田 polygon (the engine reuses the
    piece) plus a second copy (overlapping basic farmland: united), 1302 光伏板区 (unclassified) beside it.
    """
    _, _, conn = office_db
    x, y = 35_581_000.0, 3_249_000.0

    def square(x0, y0, x1, y1):
        return f"ST_MakeEnvelope({x + x0}, {y + y0}, {x + x1}, {y + y1}, 4523)"

    hand_tables(conn, "hand", [square(0, 0, 300, 100), square(1000, 0, 1100, 100)],
                [("0101", 0.1, square(0, 0, 100, 100)), ("0103", 0.2, square(100, 0, 200, 100)),
                 ("0702", 0, square(200, 0, 300, 100)), ("0102", 0.05, square(1000, 0, 1060, 100)),
                 ("1302", 0, square(1060, 0, 1100, 100))],
                [square(50, 0, 250, 100), square(1000, 0, 1060, 100), square(1000, 0, 1060, 100)])
    patches, landuse, basic = pg_layer("public", "jctb_hand"), pg_layer("public", "dltb_hand"), \
        pg_layer("public", "jbnt_hand")
    expected = {  # planar m²: GDMJ, JBNTMJ, JBNTGDMJ, FGNYDMJ, JSYDMJ, WLYDMJ
        "P1": (17_000, 20_000, 0.5e4 * 0.9 + 1e4 * 0.8, 3_000, 10_000, 0),
        "P2": (6_000 * 0.95, 6_000, 6_000 * 0.95, 300, 0, 0),
    }
    names = ("GDMJ", "JBNTMJ", "JBNTGDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ")
    feedbacks = [recorder(), recorder()]
    results = [run_engine(engine, patches, landuse, basic, area_method=1, feedback=feedbacks[engine])[0]
               for engine in (0, 1)]
    for feedback in feedbacks:  # the 1302 光伏板区 4 000 m² (40 m × 100 m) is in no class field: said, not dropped
        assert any("1 patches hold 4000.00 m²" in m and "1302" in m for m in feedback.messages), feedback.messages
    for result in results:
        out = {f["JCBH"]: f for f in result["OUTPUT"].getFeatures()}
        for jcbh, values in expected.items():
            assert tuple(out[jcbh][n] for n in names) == pytest.approx(values, abs=1e-6), jcbh
            assert out[jcbh]["JBNTGDMJ"] <= out[jcbh]["GDMJ"]
        p1 = out["P1"]
        assert sum(p1[n] for n in ("GDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ")) == pytest.approx(p1["TBMJ"], abs=1e-6)
    assert compare_outputs(*results) <= 1e-6
    ellipsoidal = [run_engine(engine, patches, landuse, basic)[0] for engine in (0, 1)]
    assert compare_outputs(*ellipsoidal) <= TOLERANCE_M2


def test_invalid_and_class_less_land_use_is_repaired_and_counted_by_both_engines(office_db, pg_layer):
    """Issue 14 item 3: a bow-tie DLTB polygon is repaired (ST_MakeValid / make_valid) and its farmland counted,
    a NULL DLBM is reported with its share, a polygon with no area left or no geometry is named by key.

    Patch 1: 100 m × 200 m (20 000 m²). DLTB 1: bow-tie over the lower half → triangles (0,0)(50,50)(0,100) and
    (100,0)(50,50)(100,100), 2 × ½ × 100 × 50 = 5 000 m² of 0101. DLTB 2: the upper half, DLBM NULL, 10 000 m²
    = 50 % of the patch. DLTB 3: a zero-area sliver (nothing left after repair). DLTB 4: no geometry.
    """
    _, _, conn = office_db
    x, y = 35_590_000.0, 3_249_000.0

    def pt(a, b):
        return f"{x + a} {y + b}"

    with conn.cursor() as cur:
        cur.execute('CREATE TABLE public.jctb_bad (fid bigint PRIMARY KEY, "JCBH" text, geom geometry(Polygon, 4523))')
        cur.execute(f"INSERT INTO public.jctb_bad VALUES (1, 'P1', ST_MakeEnvelope({x}, {y}, {x + 100}, {y + 200}, 4523))")
        cur.execute('CREATE TABLE public.dltb_bad (fid bigint PRIMARY KEY, "DLBM" text, "KCXS" double precision, '
                    "geom geometry(Polygon, 4523))")
        bow = f"POLYGON(({pt(0, 0)}, {pt(100, 100)}, {pt(100, 0)}, {pt(0, 100)}, {pt(0, 0)}))"
        sliver = f"POLYGON(({pt(10, 10)}, {pt(20, 10)}, {pt(30, 10)}, {pt(10, 10)}))"
        cur.execute(f"INSERT INTO public.dltb_bad VALUES (1, '0101', 0, ST_GeomFromText('{bow}', 4523)), "
                    f"(2, NULL, 0, ST_MakeEnvelope({x}, {y + 100}, {x + 100}, {y + 200}, 4523)), "
                    f"(3, '0103', 0, ST_GeomFromText('{sliver}', 4523)), (4, '0102', 0, NULL)")
        for table in ("jctb_bad", "dltb_bad"):
            cur.execute(f"CREATE INDEX ON public.{table} USING gist (geom)")
    conn.commit()
    patches, landuse = pg_layer("public", "jctb_bad"), pg_layer("public", "dltb_bad")
    for engine in (0, 1):
        log = recorder()
        result, _ = run_engine(engine, patches, landuse, None, area_method=1, feedback=log)
        (row,) = result["OUTPUT"].getFeatures()
        assert row["GDMJ"] == pytest.approx(5000.0, abs=1e-6), engine  # not the bow-tie's shoelace 0
        assert (result["REPAIRED_OVERLAY"], result["DROPPED_OVERLAY"], result["NO_CODE_FEATURES"]) == (1, 2, 1), engine
        assert result["NO_CODE_AREA"] == pytest.approx(10000.0, abs=1e-6)
        text = "\n".join(log.messages)
        assert "1 land-use features without a class code cover 10000.00 m² (50.00 % of the patches' area)" in text
        assert "1 invalid polygons were repaired" in text and "feature ids 3, 4" in text, (engine, text)


def test_both_engines_report_uncovered_land_only_where_the_land_use_leaves_a_gap(office_db, pg_layer):
    """WFGMJ: P1 is tiled by two polygons along a slanted edge (the official areas of its pieces add up to its
    own only to float noise: that is no uncovered land, nor a 'not covered' BREAKDOWN row); P2 has a 2 m × 1 m
    gap between its polygons (WFGMJ its area, planar 2 m² exactly)."""
    _, _, conn = office_db
    x, y = 35_583_000.0, 3_249_500.0

    def polygon(*points):
        ring = ", ".join(f"{x + px} {y + py}" for px, py in points + points[:1])
        return f"ST_GeomFromText('POLYGON(({ring}))', 4523)"

    notched = polygon((1000, 0), (1100, 0), (1100, 10), (1099, 10), (1099, 12), (1100, 12), (1100, 100),
                      (1000, 100))  # its 1 m × 2 m notch beside polygon 4 is the gap
    hand_tables(conn, "gap", [polygon((0, 0), (300, 0), (300, 200), (0, 200)),
                              polygon((1000, 0), (1200, 0), (1200, 100), (1000, 100))],
                [("0101", 0, polygon((-100, -100), (130, -100), (190, 300), (-100, 300))),
                 ("0301", 0, polygon((130, -100), (400, -100), (400, 300), (190, 300))),
                 ("0101", 0, notched), ("0301", 0, polygon((1100, 0), (1200, 0), (1200, 100), (1100, 100)))])
    patches, landuse = pg_layer("public", "jctb_gap"), pg_layer("public", "dltb_gap")
    for area_method, gap in ((1, 2.0), (0, None)):
        for engine in (0, 1):
            result = run_engine(engine, patches, landuse, None, area_method=area_method)[0]
            out = {f["JCBH"]: f for f in result["OUTPUT"].getFeatures()}
            bare = [f for f in result["BREAKDOWN"].getFeatures() if not f["DLBM"]]
            assert out["P1"]["WFGMJ"] == 0.0, (engine, area_method)
            assert out["P2"]["WFGMJ"] == pytest.approx(gap or 2.0, abs=1e-6 if gap else 0.01), (engine, area_method)
            assert [f["ID"] for f in bare] == ["P2"], (engine, area_method)
