"""The workspace algorithms on a shared PostGIS workspace (WORKSPACE=postgres:<connection>/<schema>).

Each workspace is built as a GeoPackage, copied to PostGIS with the verified
migration, and the algorithms run on both: the outputs must be the same.
The QGIS connection authenticates through an auth configuration, so no
password appears in a parameter, a layer source or a message.
"""
from __future__ import annotations

import hashlib
import itertools

import psycopg2
import pytest
from judged_district import judged_rows
from pg_sql import fetch
from qgis.core import QgsProcessingException
from reporting_district import build

from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call
from wpzf.domain.workspace.postgis import migrate

CONNECTION = "wpzf algorithms"
_schemas = itertools.count()
_PROVIDERS: list = []


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture(scope="module")
def office(pg_cluster, tmp_path_factory):
    """A database and a QGIS PostgreSQL connection to it with an authcfg (no stored password)."""
    from qgis.core import QgsApplication, QgsSettings

    dbname = pg_cluster.create_database("wpzf_algorithms")
    params = pg_cluster.params(dbname)
    from pg_auth import basic_authcfg

    authcfg = basic_authcfg("wpzf algorithms", params["user"], params["password"])
    settings = QgsSettings()
    key = f"PostgreSQL/connections/{CONNECTION}"
    for name, value in (("host", params["host"]), ("port", str(params["port"])), ("database", dbname),
                        ("authcfg", authcfg), ("saveUsername", False), ("savePassword", False)):
        settings.setValue(f"{key}/{name}", value)
    yield params
    settings.remove(key)
    QgsApplication.authManager().removeAuthenticationConfig(authcfg)


def to_postgis(gpkg, params) -> str:
    """Copy the GeoPackage workspace into a new schema; its WORKSPACE text."""
    schema = f"ws{next(_schemas)}"
    report = migrate.gpkg_to_postgis(gpkg, params, schema=schema)
    assert report.ok, report.failures()
    return f"postgres:{CONNECTION}/{schema}"


def run(name: str, feedback=None, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params, feedback=feedback)


def recording_feedback():
    """A QgsProcessingFeedback that keeps every message, to prove no password is ever shown."""
    from qgis.core import QgsProcessingFeedback

    class Recording(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.texts = []

        def pushInfo(self, info):  # noqa: N802
            self.texts.append(info)
            super().pushInfo(info)

        def reportError(self, error, fatalError=False):  # noqa: N802, N803
            self.texts.append(error)
            super().reportError(error, fatalError)

    return Recording()


def rows_of(layer, key="JCBH"):
    return {f[key]: f.attributes() for f in layer.getFeatures()}


@pytest.fixture()
def hand(tmp_path, office):
    """The hand-built reporting workspace as a .gpkg and as a PostGIS schema."""
    path = build(tmp_path / "ws.gpkg")
    with gpkg_connect(path) as conn:
        conn.execute("""UPDATE jctb SET "BZ" = '=HYPERLINK("http://x")', "XGR" = 't', "XGSJ" = 't1' WHERE "JCBH" = 'P1'""")
        conn.execute('INSERT INTO wpzf_evidence (patch_fid, "ZLLX", "WJLJ", "YSWJM", "SHA256", "WJDX", "WH", "XGR", "XGSJ") '
                     "VALUES (1, '批文', 'P1/a.pdf', '农转用批复.pdf', ?, 10, '渝府地〔2022〕1号', 't', 't1')",
                     (hashlib.sha256(b"0123456789").hexdigest(),))
    evidence = tmp_path / "evidence" / "P1"
    evidence.mkdir(parents=True, exist_ok=True)
    (evidence / "a.pdf").write_bytes(b"0123456789")
    return path, to_postgis(path, office)


def test_workspace_text_is_parsed_and_accepted_by_the_parameter():
    from qgis.core import QgsProcessingContext

    from wpzf.adapters.workspaces import parse_workspace, workspace_parameter

    ref = parse_workspace("postgres:office")
    assert (ref.connection, ref.schema, ref.shared) == ("office", "wpzf", True)
    assert parse_workspace("postgres:区局 office/ws2").schema == "ws2"
    assert parse_workspace("/data/永川.gpkg").path.name == "永川.gpkg"
    parameter = workspace_parameter()
    context = QgsProcessingContext()
    assert parameter.checkValueIsAcceptable("postgres:office/wpzf", context)
    assert parameter.checkValueIsAcceptable("/no/such/ws.gpkg", context)


def test_statistics_report_and_quality_check_match_the_geopackage(hand, tmp_path, office):
    from openpyxl import load_workbook

    gpkg, shared = hand
    stats = {w: run("townstatistics", WORKSPACE=w, PERIOD="2022", OUTPUT="memory:") for w in (str(gpkg), shared)}
    assert rows_of(stats[shared]["OUTPUT"], "ZJDM") == rows_of(stats[str(gpkg)]["OUTPUT"], "ZJDM")
    assert len(rows_of(stats[shared]["OUTPUT"], "ZJDM")) == 3
    for key in ("RATIO", "ILLEGAL_FARMLAND_MU", "RATIO_EXCEEDED", "FINDINGS", "INTERVIEW"):
        assert stats[shared][key] == stats[str(gpkg)][key], key
    assert stats[shared]["RATIO"] == pytest.approx(22 / 27)

    books = {}
    for name, w in (("gpkg", str(gpkg)), ("pg", shared)):
        target = tmp_path / f"{name}.xlsx"
        run("exportreport", WORKSPACE=w, PERIOD="2022-Q2", OUTPUT=str(target))
        books[name] = load_workbook(target)
    assert books["pg"].sheetnames == books["gpkg"].sheetnames
    for sheet in books["gpkg"].sheetnames:
        cells = [[c.value for c in row] for row in books["pg"][sheet].iter_rows()]
        assert cells == [[c.value for c in row] for row in books["gpkg"][sheet].iter_rows()], sheet
    sheet = books["pg"]["图斑清单"]
    headers = [c.value for c in sheet[2]]
    p1 = next(r for r in sheet.iter_rows(min_row=3) if r[headers.index("监测编号")].value == "P1")
    assert p1[headers.index("佐证资料")].value == "批文：农转用批复.pdf（渝府地〔2022〕1号）"

    checks = {w: run("qualitycheck", WORKSPACE=w, TODAY="2022-05-20", OUTPUT="memory:") for w in (str(gpkg), shared)}
    found = {w: sorted(tuple(f.attributes()) for f in r["OUTPUT"].getFeatures()) for w, r in checks.items()}
    assert found[shared] == found[str(gpkg)] and found[shared]
    assert (checks[shared]["ERRORS"], checks[shared]["CAN_SUBMIT"]) == (checks[str(gpkg)]["ERRORS"], False)
    schema = shared.rsplit("/", 1)[1]
    assert fetch(office, schema, "SELECT count(*) FROM wpzf_check_result") == [(len(found[shared]),)]


def test_stage_cycle_on_postgis_stores_the_snapshot_in_the_database(tmp_path, office):
    from wpzf.adapters.workspaces import open_workspace
    from wpzf.domain.reporting.snapshot import IN_DATABASE, export_batch, sha256, verify_snapshot

    rows = judged_rows()  # judged patches: undecided ones cannot be submitted
    gpkg = build(tmp_path / "ws.gpkg", patches=rows)
    shared = to_postgis(gpkg, office)
    schema = shared.rsplit("/", 1)[1]
    feedback = recording_feedback()
    outputs = {}
    for w in (str(gpkg), shared):
        with pytest.raises(QgsProcessingException, match="核查中"):
            run("setstage", WORKSPACE=w, BATCH="2022-05", ACTION=0)
        first = run("submitstage", feedback, WORKSPACE=w, BATCH="2022-05", TODAY="2022-05-20")
        problems = tmp_path / "一下.csv"
        problems.write_text("监测编号,问题描述\nP1,缺少佐证\nZZZ,不存在\n", encoding="utf-8")
        fed = run("importfeedback", feedback, WORKSPACE=w, BATCH="2022-05", INPUT=str(problems), OUTPUT="memory:")
        second = run("submitstage", feedback, WORKSPACE=w, BATCH="2022-05", TODAY="2022-05-21")
        locked = run("setstage", feedback, WORKSPACE=w, BATCH="2022-05", ACTION=0)
        outputs[w] = (first, fed, second, locked)
    (first, fed, second, locked), gp = outputs[shared], outputs[str(gpkg)]
    assert (first["STAGE"], second["STAGE"], locked["STAGE"]) == ("一上", "二上", "锁定")
    assert (gp[0]["STAGE"], gp[2]["STAGE"], gp[3]["STAGE"]) == ("一上", "二上", "锁定")
    assert (fed["MARKED"], fed["UNKNOWN"], fed["ROUND"]) == (gp[1]["MARKED"], gp[1]["UNKNOWN"], gp[1]["ROUND"]) \
        == (1, 1, 1)
    assert first["SNAPSHOT"] == IN_DATABASE  # no file: a shared workspace has no folder
    params = office
    stored = fetch(params, schema, "SELECT stage, sha256, content, file_path, n_patches, id FROM wpzf_snapshot "
                                   "ORDER BY id")
    assert [(s[0], s[1], s[3], s[4]) for s in stored] == [("一上", first["SHA256"], IN_DATABASE, len(rows)),
                                                         ("二上", second["SHA256"], IN_DATABASE, len(rows))]
    assert sha256(bytes(stored[0][2])) == first["SHA256"]
    with open_workspace(shared) as ws:
        again = export_batch(ws, "2022-05", "二上")  # nothing changed since 二上: the same bytes
        assert sha256(again) == second["SHA256"] == hashlib.sha256(bytes(stored[1][2])).hexdigest()
        check = verify_snapshot(ws, stored[1][5])
        assert check.content_intact and check.file_intact and check.matches_current
        assert not verify_snapshot(ws, stored[0][5]).matches_current  # 一下 marked P1 after 一上
    assert fetch(params, schema, 'SELECT "SHYJ", "THCS" FROM jctb WHERE "JCBH" = \'P1\'') == [("缺少佐证", 1)]
    with pytest.raises(psycopg2.Error, match="已锁定"):
        fetch(params, schema, """UPDATE jctb SET "PDLX" = '合法' WHERE "JCBH" = 'P1'""")
    with pytest.raises(QgsProcessingException, match="reason"):
        run("setstage", WORKSPACE=shared, BATCH="2022-05", ACTION=2)
    assert run("setstage", WORKSPACE=shared, BATCH="2022-05", ACTION=2, REASON="市局要求更正P3")["STAGE"] == "二上"
    history = fetch(params, schema, "SELECT to_stage, locked, reason, who FROM wpzf_stage_history ORDER BY id")
    assert [h[:3] for h in history] == [("一上", 0, None), ("一下", 0, None), ("二上", 0, None), ("锁定", 1, None),
                                        ("二上", 0, "市局要求更正P3")]
    assert {h[3] for h in history} == {params["user"]}  # the database login stamps the stage changes
    assert feedback.texts and not any(params["password"] in t for t in feedback.texts)


@pytest.fixture(scope="module")
def district_pair(office, tmp_path_factory, qgis_processing):
    """The generated small district's 2022-05 batch as a .gpkg and as a PostGIS schema."""
    from qgis import processing
    from qgis.core import QgsApplication

    from wpzf.processing.provider import WpzfProvider
    from wpzf.sampledata import generate

    if QgsApplication.processingRegistry().providerById("wpzf") is None:  # module scope: before wpzf_processing
        _PROVIDERS.append(WpzfProvider())  # PyQGIS drops a provider whose Python object is collected
        QgsApplication.processingRegistry().addProvider(_PROVIDERS[-1])

    root = tmp_path_factory.mktemp("pg_district")
    district = generate(root / "district", size="small", seed=20220513)
    gpkg = root / "ws.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.batches["2022-05"]), "WORKSPACE": str(gpkg),
                                          "BATCH": "2022-05", "RECEIVED": "2022-05-06"})
    with gpkg_connect(gpkg) as conn:  # decisions, so that the sample has strata
        conn.execute("""UPDATE jctb SET "PDLX" = CASE fid % 3 WHEN 0 THEN '违法' WHEN 1 THEN '合法' ELSE '其他' END, """
                     "XGR = 't', XGSJ = 't1'")
    return district, gpkg, to_postgis(gpkg, office)


def test_prejudge_and_sample_on_postgis_match_the_geopackage(district_pair, tmp_path, office):
    district, gpkg, shared = district_pair
    covers = [f"{district.approvals}|layername={name}" for name in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    results = {w: run("prejudge", WORKSPACE=w, LANDUSE=f"{district.landuse}|layername=DLTB",
                      BASIC_FARMLAND=f"{district.landuse}|layername=YJJBNTTB", COVERS=covers, OUTPUT="memory:")
               for w in (str(gpkg), shared)}
    suggested = {w: {f["JCBH"]: (f["YPLX"], f["YPQX"], f["GZ"], f["YJ"]) for f in r["OUTPUT"].getFeatures()}
                 for w, r in results.items()}
    assert len(suggested[shared]) == 60 and suggested[shared] == suggested[str(gpkg)]
    assert results[shared]["SUGGESTED"] == 60
    schema = shared.rsplit("/", 1)[1]
    assert fetch(office, schema, "SELECT count(*), count(DISTINCT patch_fid) FROM wpzf_prejudgement") == [(60, 60)]

    samples = {w: run("sample", WORKSPACE=w, SIZE=12, SEED=7, OUTPUT="memory:", PLAN=str(tmp_path / f"{n}.json"))
               for n, w in enumerate((str(gpkg), shared))}
    chosen = {w: [(f["JCBH"], f.geometry().asWkt(3)) for f in r["OUTPUT"].getFeatures()] for w, r in samples.items()}
    assert len(chosen[shared]) == 12 and chosen[shared] == chosen[str(gpkg)]
    assert all(f.hasGeometry() for f in samples[shared]["OUTPUT"].getFeatures())


def test_patch_list_rows_are_the_same_on_postgis(district_pair):
    import datetime as dt

    from wpzf.adapters.workspaces import open_workspace
    from wpzf.domain.workbench.patch_rows import load_rows
    from wpzf.domain.workspace.store import Workspace

    _, gpkg, shared = district_pair
    today = dt.date(2022, 5, 20)
    with Workspace.open(gpkg) as ws:
        expected = load_rows(ws.conn, today)
    with open_workspace(shared) as ws:
        assert ws.path is None and ws.epsg == 4523
        assert load_rows(ws.conn, today) == expected and len(expected) == 60


def test_open_shared_workspace_dialog_adds_a_postgres_layer_without_password(district_pair, office):
    from qgis.core import QgsProject, QgsProviderRegistry

    from wpzf.ui.shared_workspace import SharedWorkspaceDialog, add_shared_workspace

    _, _, shared = district_pair
    schema = shared.rsplit("/", 1)[1]
    dialog = SharedWorkspaceDialog()
    dialog.connections.setCurrentText(CONNECTION)
    listed = [dialog.schemas.itemText(i) for i in range(dialog.schemas.count())]
    assert schema in listed and all(s.startswith("ws") for s in listed)
    dialog.schemas.setCurrentText(schema)
    assert dialog.workspace() == shared
    project = QgsProject()
    layer = add_shared_workspace(dialog.workspace(), project)
    assert layer.isValid() and layer.providerType() == "postgres" and layer.featureCount() == 60
    assert project.mapLayer(layer.id()) is layer
    parts = QgsProviderRegistry.instance().decodeUri("postgres", layer.source())
    assert parts["schema"] == schema and parts["table"] == "jctb" and parts.get("authcfg")
    assert office["password"] not in layer.source() and "password" not in layer.source()
    assert layer.attributeDisplayName(layer.fields().lookupField("JCBH")) == "监测编号"
    assert layer.crs().authid() == "EPSG:4523"
    dialog.connections.setCurrentText("")
    dialog.deleteLater()


def test_a_missing_connection_is_a_clear_error():
    with pytest.raises(QgsProcessingException, match="no-such-connection"):
        run("townstatistics", WORKSPACE="postgres:no-such-connection/wpzf", OUTPUT="memory:")


def test_patch_list_dock_works_on_the_shared_workspace(district_pair, iface, qtbot):
    from qgis.core import QgsProject

    from wpzf.ui.workbench import Workbench

    _, _, shared = district_pair
    bench = Workbench(iface)
    try:
        bench.set_workspace(shared)
        assert bench.workspace == shared  # kept as text, never as a file path
        dock = bench.show_patch_list()
        assert dock.proxy.rowCount() == 60
        first = dock.model.rows[0].fid
        dock.select_fid(first)
        layer = dock.patch_layer()
        assert layer.providerType() == "postgres" and layer.isValid()
        assert QgsProject.instance().mapLayer(layer.id()) is layer
        assert layer.selectedFeatureIds() == [first]
        geometry, crs = dock.geometry_of(first)
        assert not geometry.isEmpty() and crs.authid() == "EPSG:4523"
    finally:
        bench.remove()
        for layer in list(QgsProject.instance().mapLayers().values()):
            if layer.providerType() == "postgres":
                QgsProject.instance().removeMapLayer(layer.id())
