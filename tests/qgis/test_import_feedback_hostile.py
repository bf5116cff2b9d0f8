"""Issue 14 item 4: the city's problem list (一下) read defensively, through wpzf:importfeedback.

Every refusal names the file (and sheet, row or cell where there is one) and
leaves the workspace as it was: the batch's stage, the wpzf_feedback rows and
the patches' 退回次数 THCS. The work plan: 市级 returns the problem patches
(一下), the county corrects them (二上) — a list read from the wrong sheet or
with blank IDs would mark the wrong patches.
"""
from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from judged_district import judged_rows
from qgis.core import QgsProcessingException
from reporting_district import build

from wpzf.domain.reporting import tables
from wpzf.domain.reporting.feedback import read_feedback_list
from wpzf.domain.reporting.tables import TableError


@pytest.fixture(autouse=True)
def _processing(wpzf_processing):
    yield


def run(name: str, **params):
    from qgis import processing

    return processing.run(f"wpzf:{name}", params)


@pytest.fixture()
def submitted(tmp_path) -> Path:
    """A workspace whose batch 2022-05 was submitted (一上): ready to receive the city's list."""
    ws = build(tmp_path / "ws.gpkg", patches=judged_rows())
    assert run("submitstage", WORKSPACE=str(ws), BATCH="2022-05", TODAY="2022-05-20")["STAGE"] == "一上"
    return ws


def state(ws: Path) -> tuple:
    """What a refused import must leave alone: stage, feedback rows, every patch's THCS and SHYJ."""
    with sqlite3.connect(ws) as conn:
        return (conn.execute("SELECT JD FROM wpzf_batch WHERE PCMC = '2022-05'").fetchone(),
                conn.execute("SELECT count(*) FROM wpzf_feedback").fetchone(),
                conn.execute("SELECT JCBH, THCS, SHYJ FROM jctb ORDER BY fid").fetchall())


def book_with_hidden_first_sheet(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    hidden = book.active
    hidden.title = "旧清单"
    hidden.append(["监测编号", "问题描述"])
    hidden.append(["P2", "上月的问题"])
    hidden.append(["P3", "上月的问题"])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("本次清单")
    shown.append(["监测编号", "问题描述"])
    shown.append(["P1", "缺少佐证"])
    book.active = 1
    book.save(path)
    return path


def test_hidden_first_sheet_is_never_read(submitted, tmp_path):
    path = book_with_hidden_first_sheet(tmp_path / "一下.xlsx")
    read = read_feedback_list(path)
    assert (read.sheet, read.hidden_sheets) == ("本次清单", ("旧清单",))
    assert [r.jcbh for r in read.rows] == ["P1"]
    fed = run("importfeedback", WORKSPACE=str(submitted), BATCH="2022-05", INPUT=str(path), OUTPUT="memory:")
    assert (fed["MARKED"], fed["UNKNOWN"]) == (1, 0)
    with sqlite3.connect(submitted) as conn:
        assert conn.execute("SELECT JCBH FROM jctb WHERE THCS > 0").fetchall() == [("P1",)]


def test_active_tab_pointing_at_a_hidden_sheet_falls_back_to_the_first_visible(tmp_path):
    # Excel never saves that, a script may: the activeTab of workbook.xml names the hidden sheet
    path = book_with_hidden_first_sheet(tmp_path / "a.xlsx")
    patched = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                assert b'activeTab="1"' in data
                data = data.replace(b'activeTab="1"', b'activeTab="0"')
            dst.writestr(info, data)
    read = read_feedback_list(patched)
    assert read.sheet == "本次清单" and [r.jcbh for r in read.rows] == ["P1"]


def uncalculated_book(path: Path) -> Path:
    """openpyxl writes formulas without cached values, as scripts and some exporters do."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "清单"
    sheet.append(["监测编号", "问题描述"])
    sheet.append(["P1", "缺少佐证"])
    sheet.append(['="P"&2', "面积不符"])  # row 3: the ID is a formula, never calculated
    sheet.append(["P4", '="判定"&"有误"'])  # row 4
    book.save(path)
    return path


def test_formula_cells_without_values_are_refused_by_row(submitted, tmp_path):
    path = uncalculated_book(tmp_path / "公式.xlsx")
    before = state(submitted)
    with pytest.raises(TableError) as caught:
        read_feedback_list(path)
    text = str(caught.value)
    assert "公式.xlsx" in text and "清单" in text and "A3, B4" in text and "2 formula cells" in text
    with pytest.raises(QgsProcessingException, match="A3, B4"):
        run("importfeedback", WORKSPACE=str(submitted), BATCH="2022-05", INPUT=str(path))
    assert state(submitted) == before


def test_a_lone_uncalculated_problem_text_is_refused(tmp_path):
    # the only formula is the last cell of its row: no empty cell in the values read marks it
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["监测编号", "问题描述"])
    book.active.append(["P1", '="缺少"&"佐证"'])
    path = tmp_path / "f.xlsx"
    book.save(path)
    with pytest.raises(TableError, match=r"f.xlsx, sheet Sheet: 1 formula cells have no calculated value \(B2\)"):
        read_feedback_list(path)


def zip_bomb(path: Path, sheet_bytes: int) -> Path:
    """A valid .xlsx whose sheet XML is ``sheet_bytes`` of repeated rows: deflate packs it ~1000:1."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["监测编号", "问题描述"])
    plain = path.with_name("plain.xlsx")
    book.save(plain)
    row = b'<row><c t="inlineStr"><is><t>P1</t></is></c></row>'
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
                continue
            with dst.open(info.filename, "w", force_zip64=True) as out:
                out.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                          b'spreadsheetml/2006/main"><sheetData>')
                block = row * 20000
                for _ in range(sheet_bytes // len(block) + 1):
                    out.write(block)
                out.write(b"</sheetData></worksheet>")
    return path


def test_zip_bomb_is_refused_from_the_zip_directory_before_openpyxl(submitted, tmp_path, monkeypatch):
    # real limit: the sheet unpacks to just over MAX_UNCOMPRESSED_BYTES (100 MB) from ~100 KB on disk
    path = zip_bomb(tmp_path / "炸弹.xlsx", tables.MAX_UNCOMPRESSED_BYTES)
    assert path.stat().st_size < 500_000
    before = state(submitted)

    def no_openpyxl(*args, **kwargs):
        raise AssertionError("openpyxl was handed the zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", no_openpyxl)
    with pytest.raises(TableError, match="炸弹.xlsx unpacks to") as caught:
        read_feedback_list(path)
    assert "at most 104857600 bytes" in str(caught.value)
    with pytest.raises(QgsProcessingException, match="unpacks to"):
        run("importfeedback", WORKSPACE=str(submitted), BATCH="2022-05", INPUT=str(path))
    assert state(submitted) == before


def test_small_bomb_against_a_lowered_limit(tmp_path, monkeypatch):
    # "a few KB compressed, more than the limit uncompressed": 1 MB of sheet XML packs to a few KB
    path = zip_bomb(tmp_path / "小.xlsx", 1_000_000)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.compress_size < 10_000 and sheet.file_size > 1_000_000
    monkeypatch.setattr(tables, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    with pytest.raises(TableError, match="unpacks to"):
        read_feedback_list(path)


def test_file_and_row_limits_refuse_and_leave_the_workspace_alone(submitted, tmp_path, monkeypatch):
    before = state(submitted)
    csv_path = tmp_path / "长.csv"
    csv_path.write_text("监测编号,问题描述\n" + "P1,缺少佐证\n" * 30, encoding="utf-8")
    monkeypatch.setattr(tables, "MAX_ROWS", 20)  # 31 rows (header + 30) > 20
    with pytest.raises(QgsProcessingException, match="长.csv: more than 20 rows"):
        run("importfeedback", WORKSPACE=str(submitted), BATCH="2022-05", INPUT=str(csv_path))
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "清单"
    for _ in range(25):
        book.active.append(["P1", "缺少佐证"])
    xlsx = tmp_path / "长.xlsx"
    book.save(xlsx)
    with pytest.raises(QgsProcessingException, match="长.xlsx, sheet 清单: more than 20 rows"):
        run("importfeedback", WORKSPACE=str(submitted), BATCH="2022-05", INPUT=str(xlsx))
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100)
    with pytest.raises(QgsProcessingException, match="长.xlsx is .* bytes; a table file may hold at most 100"):
        run("importfeedback", WORKSPACE=str(submitted), BATCH="2022-05", INPUT=str(xlsx))
    assert state(submitted) == before
    # the same list within the limits goes through: the refusals above were the limits, not the list
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(tables, "MAX_ROWS", 100)
    fed = run("importfeedback", WORKSPACE=str(submitted), BATCH="2022-05", INPUT=str(csv_path))
    assert fed["MARKED"] == 1 and state(submitted)[0] == ("一下",)
