"""wpzf:exportdossier and wpzf:acceptancecheck on a hand-built workspace (tests/helpers/dossier_district.py).

The work plan: 合法 patches "充分收集相关审批、备案和现场照片等佐证资料，组卷归档"; 市级验收
"确保核查文件资料、图片影像等真实准确，档案卷宗资料规范齐全". The dossier must list every document
with its page numbers on the 卷内目录, print each photo's SHA-256, and list a missing item rather
than hide it; each export is recorded in wpzf_dossier; the self-check names every missing item.
"""
from __future__ import annotations

import re
import sqlite3
import subprocess
import unicodedata

import pytest


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


@pytest.fixture()
def built(tmp_path):
    import dossier_district

    return dossier_district.build(tmp_path)


RADICALS = str.maketrans({"\u2ec5": "见", "\u2eda": "页", "\u2ec6": "角", "\u2ed3": "长", "\u2ed4": "门"})
"""CJK Radicals Supplement code points Noto Sans CJK's glyphs map back to (NFKC leaves these alone)."""


def page_text(path, page: int | None = None) -> str:
    """pdftotext's layout text of one page (all when None), NFKC-normalised (Noto CJK's Kangxi radicals)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return unicodedata.normalize("NFKC", out).translate(RADICALS)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def export(workspace, folder, **extra):
    from qgis import processing

    return processing.run("wpzf:exportdossier", {"WORKSPACE": str(workspace), "OUTPUT_FOLDER": str(folder), **extra})


def catalogue(path) -> dict[str, tuple[str, str]]:
    """卷内目录 (page 2): document title → (页号, 备注 text that follows on the line)."""
    rows = {}
    for line in page_text(path, 2).splitlines():
        m = re.match(r"\s*(\d)\s+(\S+)\s+(\d+(?:-\d+)?|—)\s+(\d+)\s*(.*)$", line)
        if m:
            rows[m.group(2)] = (m.group(3), m.group(5).strip())
    return rows


def test_legal_patch_dossier_pages_catalogue_and_photo_hashes(built, tmp_path):
    path, fids, added = built
    out = tmp_path / "out"
    result = export(path, out, EXPRESSION="\"JCBH\" = 'D1'")
    pdf = out / "D1_卷宗.pdf"
    assert result["EXPORTED"] == 1 and result["FAILED"] == [] and pdf.is_file()
    # hand count: 封面 1, 卷内目录 2, 合法性判定表 3, 图斑核查图 4 (a 4-vertex square: one page),
    # 审批、备案资料 5, 外业踏勘记录 6 + two photos on one page 7, 备考表 8
    assert pdf_pages(pdf) == 8 == result["PAGES"]
    rows = catalogue(pdf)
    assert rows["合法性判定表(含审查意见)"][0] == "3"
    assert rows["图斑核查图"][0] == "4"
    assert rows["审批、备案资料"][0] == "5"
    assert rows["外业踏勘记录及现场照片"][0] == "6-7"
    assert rows["移交记录"] == ("—", "不适用")
    assert rows["备考表"][0] == "8"
    # the page each entry names is that document
    assert "合法性判定" in page_text(pdf, 3) and "陈审核" in page_text(pdf, 3)
    assert "卫片执法图斑核查图" in page_text(pdf, 4)
    assert "渝府地〔2022〕11号" in page_text(pdf, 5)
    photos = flat(page_text(pdf, 7))
    for record in added["D1"][:2]:
        assert record.sha256 in photos  # 确保…图片影像等真实准确: the recorded hash, checked against the file
    assert photos.count("(文件校验:一致)") == 2
    # the first photo was taken inside D1, the second 50 m east of its east edge (hand placed)
    assert "距图斑:在图斑内" in photos and "距图斑:50.0米" in photos
    for page in range(1, 9):  # JCBH and the page number the 卷内目录 cites, on every page
        assert "监测编号:D1" in flat(page_text(pdf, page)) and f"第{page}页共8页" in flat(page_text(pdf, page))


def test_missing_items_are_listed_not_hidden(built, tmp_path):
    path, fids, added = built
    out = tmp_path / "out"
    export(path, out, EXPRESSION="\"JCBH\" = 'D2'")
    pdf = out / "D2_卷宗.pdf"
    rows = catalogue(pdf)
    # D2: no photo → the visits entry has no page and says what is missing
    assert rows["外业踏勘记录及现场照片"][0] == "—"
    assert "缺:无现场照片" in rows["外业踏勘记录及现场照片"][1]
    assert "已立案但无案件阶段记录" in page_text(pdf, 2)
    assert "审查链不完整" in page_text(pdf, 2)
    # 封面 1, 目录 2, 判定表 3, 图 4, 案件 5, 整改 6, 备考表 7
    assert pdf_pages(pdf) == 7
    assert "退回" in page_text(pdf, 3) and "范围不清" in page_text(pdf, 3)
    assert "无现场照片" in page_text(pdf, 7)  # 备考表 repeats the missing items


def test_export_is_recorded_and_indexed(built, tmp_path):
    from openpyxl import load_workbook

    from wpzf.domain.evidence.store import file_sha256
    from wpzf.domain.workspace.store import current_user

    path, fids, _ = built
    out = tmp_path / "out"
    result = export(path, out, BATCH="2022-05")
    assert result["EXPORTED"] == 4
    with sqlite3.connect(path) as conn:
        rows = conn.execute('SELECT patch_fid, "WJLJ", "SHA256", "YS", "LJR", "DCSJ" FROM wpzf_dossier '
                            "ORDER BY patch_fid").fetchall()
    assert [r[0] for r in rows] == sorted(fids.values())
    d1 = next(r for r in rows if r[0] == fids["D1"])
    assert d1[1].endswith("D1_卷宗.pdf") and d1[2] == file_sha256(out / "D1_卷宗.pdf")[0]
    assert d1[3] == pdf_pages(out / "D1_卷宗.pdf") == 8 and d1[4] == current_user()  # 立卷人: who exported
    sheet = load_workbook(out / "卷宗目录.xlsx").active
    table = [[c.value for c in r] for r in sheet.iter_rows()]
    assert table[0][:3] == ["序号", "监测编号", "批次"]
    assert [r[1] for r in table[1:]] == ["D1", "D2", "D3", "D4"]
    by_jcbh = {r[1]: r for r in table[1:]}
    assert by_jcbh["D1"][7] == 8 and by_jcbh["D1"][8] == "无" and by_jcbh["D1"][9] == "最新"
    assert "未作合法性判定" in by_jcbh["D3"][8]


def layer(context, value):
    """A Processing output: the layer itself or its id in the context."""
    return value if not isinstance(value, str) else context.getMapLayer(value)


def test_acceptance_rows_towns_and_can_accept(built, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    path, fids, _ = built
    context = QgsProcessingContext()
    result = processing.run("wpzf:acceptancecheck", {"WORKSPACE": str(path), "PERIOD": "2022",
                                                     "OUTPUT": "TEMPORARY_OUTPUT", "TOWNS": "TEMPORARY_OUTPUT"},
                            context=context, feedback=QgsProcessingFeedback())
    rows = {(f["JCBH"], f["QXDM"]) for f in layer(context, result["OUTPUT"]).getFeatures()}
    # hand-derived from dossier_district's docstring (no dossier exported yet: every patch lacks it)
    expected = {
        ("D1", "DOSSIER_MISSING"),
        ("D2", "NO_PHOTO"), ("D2", "CASE_NO_STAGES"), ("D2", "RECTIFIED_NO_EVIDENCE"), ("D2", "REVIEW_INCOMPLETE"),
        ("D2", "DOSSIER_MISSING"),
        ("D3", "NO_DECISION"), ("D3", "NO_PHOTO"), ("D3", "DOSSIER_MISSING"),
        ("D4", "DOSSIER_MISSING"),
        # D4 is 违法 and 立案: a 重大违法图斑 by the rule set's [review], which needs 审定 with the 分管负责人's
        # part ("分管负责人要参与重大违法图斑的现场核查和合法性判定"); it has only 审核
        ("D4", "REVIEW_INCOMPLETE"),
    }
    assert rows == expected
    assert result["CAN_ACCEPT"] is False and result["PATCHES"] == 4 and result["ITEMS"] == 11
    towns = {f["XZDM"]: (f["TBS"], f["QXTBS"], f["QXS"]) for f in layer(context, result["TOWNS"]).getFeatures()}
    # T1 = D1, D2 (1 + 5 items), T2 = D3, D4 (3 + 2), 合计 4 patches, 11 items
    assert towns == {"500118001": (2, 2, 6), "500118002": (2, 2, 5), "合计": (4, 4, 11)}
    d4 = next(f for f in layer(context, result["OUTPUT"]).getFeatures()
              if (f["JCBH"], f["QXDM"]) == ("D4", "REVIEW_INCOMPLETE"))
    # in the rule set's language, as its rules' own messages (the test runs QGIS in English)
    assert "审查链：提交前须完成审定" in str(d4.attributes()), d4.attributes()
    # a period without batches checks nothing and cannot be accepted
    empty = processing.run("wpzf:acceptancecheck", {"WORKSPACE": str(path), "PERIOD": "2021",
                                                    "OUTPUT": "TEMPORARY_OUTPUT"}, context=context)
    assert empty["PATCHES"] == 0 and empty["CAN_ACCEPT"] is False


def test_dossier_goes_stale_when_the_patch_changes(built, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingContext

    path, fids, _ = built
    export(path, tmp_path / "out", EXPRESSION="\"JCBH\" = 'D1'")
    context = QgsProcessingContext()

    def d1_items():
        result = processing.run("wpzf:acceptancecheck", {"WORKSPACE": str(path), "OUTPUT": "TEMPORARY_OUTPUT"},
                                context=context)
        return {f["QXDM"] for f in layer(context, result["OUTPUT"]).getFeatures() if f["JCBH"] == "D1"}

    assert d1_items() == set()  # D1 is complete once its dossier is exported
    from wpzf.domain.workspace.gpkg import connect as gpkg_connect  # with the ST_* functions the R-tree triggers call

    with gpkg_connect(path) as conn:  # an edit after the export (XGSJ later than DCSJ)
        conn.execute("""UPDATE jctb SET "PDYJ" = '补充说明', "XGR" = 'tester', "XGSJ" = '2999-01-01T00:00:00.00Z' """
                     "WHERE fid = ?", (fids["D1"],))
    assert d1_items() == {"DOSSIER_STALE"}


def test_referral_and_case_stages_are_filed_and_a_changed_photo_is_flagged(built, tmp_path):
    path, fids, added = built
    stored = path.parent / "evidence" / added["D4"][0].relative_path
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"edited")  # the photo on disk is no longer the one recorded
    out = tmp_path / "out"
    export(path, out, EXPRESSION="\"JCBH\" = 'D4'")
    pdf = out / "D4_卷宗.pdf"
    rows = catalogue(pdf)
    # 封面 1, 目录 2, 判定表 3, 图 4, 照片 5 (no visit record: the photo page only), 移交 6, 案件 7, 备考表 8
    assert rows["外业踏勘记录及现场照片"][0] == "5" and rows["移交记录"][0] == "6"
    assert rows["立案查处记录(案件阶段)"][0] == "7" and rows["备考表"][0] == "8"
    assert "区农业农村委" in page_text(pdf, 6) and "永规资移〔2022〕3号" in page_text(pdf, 6)
    assert "永规资立〔2022〕12号" in page_text(pdf, 7) and "立案" in page_text(pdf, 7)
    assert "(文件校验:不符)" in flat(page_text(pdf, 5))  # 真实准确: the file no longer matches its SHA-256
    assert "d4.jpg:不符" in flat(page_text(pdf, 8))


def test_locked_batch_still_files_its_dossiers_and_bad_input_is_refused(built, tmp_path):
    from qgis.core import QgsProcessingException

    from wpzf.domain.workspace.store import Workspace

    path, fids, _ = built
    with Workspace.open(path) as ws:
        ws.lock_batch("2022-05")
    result = export(path, tmp_path / "out", EXPRESSION="\"JCBH\" = 'D3'")
    assert result["EXPORTED"] == 1  # a dossier is a dated record: appended after the lock like evidence
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM wpzf_dossier WHERE patch_fid = ?", (fids["D3"],)).fetchone()[0] == 1
    with pytest.raises(QgsProcessingException, match="2021-01"):
        export(path, tmp_path / "out2", BATCH="2021-01")
    with pytest.raises(QgsProcessingException, match="EXPRESSION"):
        export(path, tmp_path / "out3", EXPRESSION="\"JCBH\" = ")
