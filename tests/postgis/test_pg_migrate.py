"""wpzf:migrateworkspace: a real imported GeoPackage workspace → PostGIS → a new GeoPackage, nothing lost."""
from __future__ import annotations

import hashlib
import sqlite3

import psycopg2
import pytest

from wpzf.domain.workspace.postgis import migrate
from wpzf.domain.workspace.postgis.store import PgWorkspace
from wpzf.domain.workspace.store import Workspace


@pytest.fixture()
def source(district, tmp_path, wpzf_processing):
    """Two imported batches, decisions, evidence files, a field visit, 2022-05 locked, a deleted patch."""
    from qgis import processing

    from wpzf.domain.evidence.store import add_file

    path = tmp_path / "src" / "ws.gpkg"
    for batch, received in (("2022-05", "2022-05-06"), ("2022-06", "2022-06-06")):
        processing.run("wpzf:importpatches", {"INPUT": str(district.batches[batch]), "WORKSPACE": str(path),
                                              "BATCH": batch, "RECEIVED": received})
    with Workspace.open(path, user="张三") as ws:
        fids = [r[0] for r in ws.conn.execute("SELECT fid FROM jctb ORDER BY fid")]
        with ws.transaction() as conn:
            conn.execute("""UPDATE jctb SET "PDLX" = '合法', "PZWH" = '渝府地〔2022〕7号', "WFMJ" = 0.5, "XGR" = '张三',
                            "XGSJ" = '2022-05-20T08:00:00.000Z' WHERE fid IN (?, ?, ?)""", fids[:3])
            conn.execute("""INSERT INTO wpzf_field_visit (patch_fid, "KCRQ", "KCRY", "KCQK") VALUES (?, '2022-05-11', '李四', """
                         "'已硬化')", (fids[0],))
            conn.execute("""INSERT INTO wpzf_referral (patch_fid, "YJBM", "YJRQ") VALUES (?, '林业局', '2022-05-12')""",
                         (fids[1],))
        for k, fid in enumerate(fids[:3]):
            doc = tmp_path / f"批文{k}.pdf"
            doc.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * (k + 1))
            add_file(ws, fid, doc, "批文", doc_number=f"渝{k}号")
        same = tmp_path / "photo.jpg"  # the same content on two patches: one stored file on the server
        same.write_bytes(b"\xff\xd8\xff" + b"x" * 5000)
        add_file(ws, fids[3], same, "照片")
        add_file(ws, fids[4], same, "照片")
        with ws.transaction() as conn:
            conn.execute("DELETE FROM jctb WHERE fid = ?", (fids[-1],))
        ws.lock_batch("2022-05")
    return path


def evidence_hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_gpkg_to_postgis_and_back_loses_nothing(source, tmp_path, pg_cluster, pg_db):
    params = pg_cluster.params(pg_db)
    steps = []
    there = migrate.gpkg_to_postgis(source, params, progress=steps.append)
    assert there.ok and steps[-1] == 1.0, there.failures()
    counts = {t.table: t.target_rows for t in there.tables}
    assert counts["jctb"] == 119 and counts["wpzf_evidence"] == 5 and counts[migrate.EVIDENCE_TABLE] == 5
    stored = pg_cluster.connect(pg_db)
    with stored.cursor() as cur:  # five files, four distinct contents: stored once each
        cur.execute("SELECT count(*) FROM wpzf.wpzf_evidence_file")
        assert cur.fetchone() == (4,)
    stored.close()
    assert counts["wpzf_audit"] > 119 and counts["wpzf_stage_history"] == 1

    back_path = tmp_path / "back" / "ws.gpkg"
    back = migrate.postgis_to_gpkg(params, back_path)
    assert back.ok, back.failures()
    # both reports carry the same per-table checksums: source GeoPackage == PostGIS == new GeoPackage
    assert [(t.table, t.source_rows, t.source_sha256) for t in there.tables] == \
        [(t.table, t.target_rows, t.target_sha256) for t in back.tables]
    assert evidence_hashes(back_path.parent / "evidence") == evidence_hashes(source.parent / "evidence")
    src, dst = sqlite3.connect(source), sqlite3.connect(back_path)
    for table, key in migrate.TABLES:  # typed values too, not only the canonical form
        cols = ", ".join(f'"{c}"' for c in migrate.gpkg_columns(src, table) if c != "geom")
        assert src.execute(f"SELECT {cols} FROM {table} ORDER BY {key}").fetchall() == \
            dst.execute(f"SELECT {cols} FROM {table} ORDER BY {key}").fetchall(), table
    assert src.execute("SELECT fid, geom FROM jctb ORDER BY fid").fetchall() == \
        dst.execute("SELECT fid, geom FROM jctb ORDER BY fid").fetchall()
    src.close()
    dst.close()

    # locks are still enforced on both sides
    with Workspace.open(back_path) as ws:
        assert ws.batch("2022-05").locked and not ws.batch("2022-06").locked
        with pytest.raises(sqlite3.IntegrityError, match="已锁定"):
            ws.conn.execute("""UPDATE jctb SET "PDLX" = '违法' WHERE batch_id = 1""")
        audit_before = ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone()[0]
        with ws.transaction() as conn:
            conn.execute("""UPDATE jctb SET "BZ" = 'x' WHERE fid = (SELECT min(fid) FROM jctb WHERE batch_id = 2)""")
        assert ws.conn.execute("SELECT count(*) FROM wpzf_audit").fetchone()[0] == audit_before + 1
    with PgWorkspace.open(params) as pg:
        with pytest.raises(psycopg2.Error, match="已锁定"):
            with pg.transaction() as cur:
                cur.execute("UPDATE jctb SET \"PDLX\" = '违法' WHERE batch_id = 1")
        with pg.transaction() as cur:  # identities continue after the copied keys
            cur.execute("""INSERT INTO jctb ("JCBH", batch_id) VALUES ('NEW1', 2) RETURNING fid""")
            assert cur.fetchone()[0] > 120


def test_a_copy_never_overwrites_and_a_failed_copy_leaves_nothing(source, tmp_path, pg_cluster, pg_db):
    from wpzf.domain.workspace.store import WorkspaceError

    params = pg_cluster.params(pg_db)
    migrate.gpkg_to_postgis(source, params)
    with pytest.raises(WorkspaceError, match="already exists"):
        migrate.gpkg_to_postgis(source, params)
    # a tampered evidence file is refused and the half-made schema is dropped
    tampered = next(p for p in (source.parent / "evidence").rglob("*.pdf"))
    tampered.write_bytes(b"changed")
    with pytest.raises(migrate.MigrationError, match="SHA-256"):
        migrate.gpkg_to_postgis(source, params, schema="second")
    conn = pg_cluster.connect(pg_db)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'second'")
        assert cur.fetchone() == (0,)
    conn.close()
    from wpzf.domain.progress import Canceled

    with pytest.raises(Canceled):
        migrate.postgis_to_gpkg(params, tmp_path / "c" / "ws.gpkg", is_canceled=lambda: True)
    assert not (tmp_path / "c" / "ws.gpkg").exists()


class RecordingFeedback:
    """A QgsProcessingFeedback that keeps every message, to prove no password is ever shown."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.texts = []

            def pushInfo(self, info):  # noqa: N802
                self.texts.append(info)
                super().pushInfo(info)

            def reportError(self, error, fatalError=False):  # noqa: N802, N803
                self.texts.append(error)
                super().reportError(error, fatalError)

        return _Feedback()


def test_algorithm_migrates_through_a_qgis_connection_with_an_auth_config(source, tmp_path, pg_cluster, pg_db):
    from qgis import processing
    from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

    from wpzf.adapters.pg_connection import connect_kwargs

    params = pg_cluster.params(pg_db)
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("wpzf-master", True)
    config = QgsAuthMethodConfig()
    config.setMethod("Basic")
    config.setName("wpzf office")
    config.setConfig("username", params["user"])
    config.setConfig("password", params["password"])
    stored = manager.storeAuthenticationConfig(config)
    assert stored if isinstance(stored, bool) else stored[0]
    authcfg = config.id() if isinstance(stored, bool) else stored[1].id()
    settings = QgsSettings()
    key = "PostgreSQL/connections/wpzf office"
    for name, value in (("host", params["host"]), ("port", str(params["port"])), ("database", pg_db),
                        ("authcfg", authcfg), ("saveUsername", False), ("savePassword", False)):
        settings.setValue(f"{key}/{name}", value)
    try:
        assert connect_kwargs("wpzf office")["password"] == params["password"]  # resolved, in memory only
        feedback = RecordingFeedback()
        result = processing.run("wpzf:migrateworkspace", {
            "DIRECTION": 0, "GPKG": str(source), "CONNECTION": "wpzf office", "SCHEMA": "office",
            "OUTPUT": "memory:"}, feedback=feedback)
        report = {f["BM"]: f for f in result["OUTPUT"].getFeatures()}
        assert report["jctb"]["YHS"] == report["jctb"]["MBHS"] == 119 and all(f["YZ"] == 1 for f in report.values())
        assert result["ROWS"] > 119
        back = tmp_path / "back" / "ws.gpkg"
        result = processing.run("wpzf:migrateworkspace", {
            "DIRECTION": 1, "GPKG": str(back), "CONNECTION": "wpzf office", "SCHEMA": "office",
            "OUTPUT": "memory:"}, feedback=feedback)
        assert back.is_file() and all(f["YZ"] == 1 for f in result["OUTPUT"].getFeatures())
        assert not any(params["password"] in text for text in feedback.texts), feedback.texts
        assert params["password"].encode() not in back.read_bytes()
    finally:
        settings.remove(key)
        manager.removeAuthenticationConfig(authcfg)
