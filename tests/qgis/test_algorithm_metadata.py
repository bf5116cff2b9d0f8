"""Processing metadata and errors like QGIS's own algorithms (issue 21 item 6).

Every registered wpzf algorithm links to its README section and carries search
tags; unreadable inputs get QGIS's own invalid-source text; the workspace
algorithms offer QGIS's connection/schema choosers next to the WORKSPACE text;
and a caught UI exception leaves its traceback in the QGIS message log.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from qgis.core import QgsProcessingException

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def algorithms():
    from qgis.core import QgsApplication

    return QgsApplication.processingRegistry().providerById("wpzf").algorithms()


def readme_anchors() -> set[str]:
    """GitHub's anchor of every README heading, computed here by hand-rule, not with the plugin's function:
    lower case, drop everything but letters, digits, marks, spaces, '-' and '_', spaces → '-'."""
    import unicodedata

    anchors = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if match:
            text = "".join(c for c in match.group(1).strip().lower()
                           if c in " -_" or unicodedata.category(c)[0] in "LNM")
            anchors.add(text.replace(" ", "-"))
    return anchors


def test_every_algorithm_links_to_an_existing_readme_section_and_has_tags():
    anchors = readme_anchors()
    found = algorithms()
    assert len(found) >= 16
    for algorithm in found:
        url = algorithm.helpUrl()
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == "github.com", (algorithm.id(), url)
        assert unquote(parts.fragment) in anchors, (algorithm.id(), url)
        tags = algorithm.tags()
        assert tags and all(t.strip() for t in tags), algorithm.id()
        assert any(re.search(r"[\u4e00-\u9fff]", t) for t in tags), (algorithm.id(), tags)  # Chinese keywords
        assert any(re.fullmatch(r"[a-z0-9 ]+", t) for t in tags), (algorithm.id(), tags)  # English keywords


def test_help_links_by_hand():
    """Two links written out: the homepage of metadata.txt + GitHub's anchor of the section's heading."""
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    # "## 图斑核查图 / Patch maps": '/' dropped, each of the two spaces around it a '-'
    assert registry.algorithmById("wpzf:printpatchmaps").helpUrl() == \
        "https://github.com/wpzf/wpzf-qgis#图斑核查图--patch-maps"
    # "## 多人共用工作空间（PostgreSQL/PostGIS）/ Shared office workspace": full-width brackets dropped too
    assert registry.algorithmById("wpzf:migrateworkspace").helpUrl() == \
        "https://github.com/wpzf/wpzf-qgis#多人共用工作空间postgresqlpostgis-shared-office-workspace"
    assert "耕地" in registry.algorithmById("wpzf:farmlandoccupation").tags()


def test_without_homepage_the_link_is_the_shipped_readme(monkeypatch):
    from wpzf.processing.algorithms import help as algorithm_help

    monkeypatch.setattr(algorithm_help, "homepage", lambda: "")
    url = algorithm_help.help_url("importphotos")
    assert url.startswith("file://") and url.endswith("README.md#佐证资料")
    assert Path(unquote(urlsplit(url).path)) == README


def test_unreadable_boundaries_get_qgis_invalid_source_error(tmp_path):
    """An unreadable TOWNS is named by QGIS's own message (parameter and value), not a crash later."""
    from qgis import processing
    from reporting_district import build

    workspace = build(tmp_path / "ws.gpkg")
    missing = str(tmp_path / "no-such-towns.shp")
    with pytest.raises(QgsProcessingException) as caught:
        processing.run("wpzf:importdivisions", {"WORKSPACE": str(workspace), "TOWNS": missing})
    # QGIS's invalidSourceError: "Could not load source layer for TOWNS: <path> not found"
    assert "TOWNS" in str(caught.value) and "no-such-towns.shp" in str(caught.value), str(caught.value)


def test_workspace_algorithms_offer_connection_and_schema():
    from qgis.core import QgsApplication, QgsProcessingParameterDefinition

    registry = QgsApplication.processingRegistry()
    for name in ("qualitycheck", "townstatistics", "exportreport", "sample", "setstage", "submitstage",
                 "importfeedback", "importdivisions", "prejudge"):
        algorithm = registry.algorithmById(f"wpzf:{name}")
        connection, schema = (algorithm.parameterDefinition(n) for n in ("CONNECTION", "SCHEMA"))
        assert connection.type() == "providerconnection" and connection.providerId() == "postgres", name
        assert schema.type() == "databaseschema" and schema.parentConnectionParameterName() == "CONNECTION", name
        assert schema.defaultValue() == "wpzf", name
        workspace = algorithm.parameterDefinition("WORKSPACE")
        for definition in (workspace, connection, schema):
            assert definition.flags() & QgsProcessingParameterDefinition.FlagOptional, (name, definition.name())


def test_workspace_must_be_named_one_way(tmp_path):
    from qgis import processing
    from reporting_district import build

    workspace = build(tmp_path / "ws.gpkg")
    with pytest.raises(QgsProcessingException, match="not both"):
        processing.run("wpzf:qualitycheck", {"WORKSPACE": str(workspace), "CONNECTION": "office",
                                             "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="CONNECTION"):
        processing.run("wpzf:qualitycheck", {"OUTPUT": "memory:"})
    # the WORKSPACE text alone still runs as before
    result = processing.run("wpzf:qualitycheck", {"WORKSPACE": str(workspace), "OUTPUT": "memory:"})
    assert result["OUTPUT"].featureCount() == result["ERRORS"] + result["WARNINGS"]


class LogRecorder:
    """Keeps the (message, tag, level) QGIS's message log receives."""

    def __init__(self):
        from qgis.core import QgsApplication

        self.entries = []
        self.log = QgsApplication.messageLog()
        self.log.messageReceived.connect(self.receive)

    def receive(self, message, tag, level):
        self.entries.append((message, tag, level))

    def close(self):
        self.log.messageReceived.disconnect(self.receive)

    def wpzf(self):
        return [m for m, tag, _ in self.entries if tag == "WPZF"]


def test_form_that_cannot_open_logs_the_traceback(tmp_path, iface, qgis_iface):
    """open_patch_forms on a missing workspace: the message bar as before, the traceback in the log."""
    from wpzf.ui.forms import open_patch_forms

    recorder = LogRecorder()
    try:
        assert open_patch_forms(qgis_iface, tmp_path / "missing.gpkg", 1) is None
    finally:
        recorder.close()
    logged = recorder.wpzf()
    assert len(logged) == 1, recorder.entries
    assert "Opening the decision form of patch 1" in logged[0]
    assert "Traceback (most recent call last)" in logged[0] and "missing.gpkg" in logged[0]


def test_failed_save_logs_the_traceback_and_keeps_the_form_message(tmp_path, qtbot):
    """The form's save error line stays what it was; the traceback goes to the WPZF log."""
    from reporting_district import build

    from wpzf.domain.workspace.store import Workspace
    from wpzf.ui.forms import DecisionForm

    path = build(tmp_path / "ws.gpkg")
    form = DecisionForm(path, 1, confirm=lambda *args: True, user="张三")
    qtbot.addWidget(form)
    form.show()
    form.pdyj.setPlainText("硬化道路")
    with Workspace.open(path, user="审核员") as ws:
        ws.lock_batch("2022-05")  # another user locks the batch while the form is open
    recorder = LogRecorder()
    try:
        assert not form.save()
    finally:
        recorder.close()
    assert form.isVisible() and "2022-05" in form.save_error.text()
    logged = recorder.wpzf()
    assert len(logged) == 1 and "Saving DecisionForm of patch 1" in logged[0], recorder.entries
    assert "Traceback (most recent call last)" in logged[0]


def test_algorithms_that_build_layouts_run_on_the_main_thread():
    """A layout is a QGraphicsScene: QGIS's own layout exports run with FlagNoThreading, and so must every
    algorithm that builds one (the bulletin and the annual summary did not: the toolbox ran them in a task)."""
    from qgis.core import QgsProcessingAlgorithm

    on_main = {a.name() for a in algorithms() if a.flags() & QgsProcessingAlgorithm.FlagNoThreading}
    assert on_main == {"printpatchmaps", "exportdossier", "bulletin", "annualsummary"}
