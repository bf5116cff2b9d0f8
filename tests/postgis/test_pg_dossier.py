"""Dossiers and the 验收自查 on a shared PostGIS workspace: the same pages, the photos' bytes from the server.

Work plan: "确保核查文件资料、图片影像等真实准确，档案卷宗资料规范齐全". A shared workspace keeps
evidence files in the database (wpzf_evidence_file, by SHA-256); the dossier prints them and checks
each against its recorded hash, and the export is recorded in the server's wpzf_dossier.
"""
from __future__ import annotations

import itertools
import re
import subprocess
import unicodedata

import psycopg2
import pytest
from pg_auth import saved_connection

from wpzf.domain.workspace.postgis import migrate

pytestmark = pytest.mark.slow

CONNECTION = "wpzf dossier owner"
_schemas = itertools.count()


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture(scope="module")
def office(pg_cluster):
    params = pg_cluster.params(pg_cluster.create_database("wpzf_dossier"))
    with saved_connection(CONNECTION, params):
        yield params


def test_dossier_and_readiness_on_a_shared_workspace(office, tmp_path):
    import dossier_district
    from qgis import processing

    path, fids, added = dossier_district.build(tmp_path / "src")
    schema = f"dossier{next(_schemas)}"
    report = migrate.gpkg_to_postgis(path, office, schema=schema)
    assert report.ok, report.failures()
    workspace = f"postgres:{CONNECTION}/{schema}"
    out = tmp_path / "out"
    result = processing.run("wpzf:exportdossier", {"WORKSPACE": workspace, "OUTPUT_FOLDER": str(out),
                                                   "EXPRESSION": "\"JCBH\" = 'D1'"})
    pdf = out / "D1_卷宗.pdf"
    assert result["EXPORTED"] == 1 and result["FAILED"] == []
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == 8  # as on the GeoPackage (test_export_dossier)
    text = unicodedata.normalize("NFKC", subprocess.run(
        ["pdftotext", "-f", "7", "-l", "7", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    for record in added["D1"][:2]:
        assert record.sha256 in text  # the bytes came from the server and match their recorded hash
    assert text.count("文件校验:一致") == 2
    conn = psycopg2.connect(**office)
    try:
        with conn.cursor() as cur:
            cur.execute(f'SELECT count(*), max("YS") FROM {schema}.wpzf_dossier WHERE patch_fid = %s', (fids["D1"],))
            assert cur.fetchone() == (1, 8)
    finally:
        conn.close()
    check = processing.run("wpzf:acceptancecheck", {"WORKSPACE": workspace, "PERIOD": "2022",
                                                    "OUTPUT": "TEMPORARY_OUTPUT"})
    layer = check["OUTPUT"]
    rows = {(f["JCBH"], f["QXDM"]) for f in layer.getFeatures()}
    assert ("D1", "DOSSIER_MISSING") not in rows and ("D2", "CASE_NO_STAGES") in rows
    # as on the GeoPackage: D1's dossier exported here, D4 (违法, 立案: 重大) lacks 审定
    assert ("D4", "REVIEW_INCOMPLETE") in rows
    assert check["PATCHES"] == 4 and check["ITEMS"] == 10 and check["CAN_ACCEPT"] is False
