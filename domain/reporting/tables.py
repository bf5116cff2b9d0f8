"""Reading the tables offices exchange (Excel .xlsx or CSV) with a header row found by its wording.

City lists come with title rows above the header, full- or half-width
brackets, spaces inside headers and GBK-encoded CSV; a column is recognised
by keywords after NFKC folding, not by position.

A list comes from outside, so it is read defensively (issue 14): the sheet
read is the one the user sees (the active sheet, never a hidden one), a
formula whose value was never calculated is refused by row instead of read as
an empty cell, and a file beyond the size limits below is refused before
openpyxl inflates anything — a few KB of zip can hold gigabytes of sheet XML.
"""
from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, WpzfError

HEADER_SEARCH_ROWS = 20

#: Largest table file accepted, bytes on disk (a city list of a few thousand rows is well under 1 MB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest sum of the uncompressed sizes of an .xlsx's zip members, read from the zip's central
#: directory before anything is inflated. Python's zipfile never inflates a member past its declared
#: size (it stops there and fails the CRC check), so the declared sum bounds what openpyxl can unpack.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
#: Most rows read from one sheet or CSV file (a month's list holds hundreds).
MAX_ROWS = 100_000
#: Most cells in one row (trailing empty cells not counted).
MAX_COLUMNS = 500
#: Uncalculated formula cells named in a refusal (the rest are counted).
LISTED_CELLS = 10


class TableError(WpzfError, ValueError):
    """A table file that cannot be read or has no recognisable header."""


@dataclass(frozen=True)
class TableRows:
    """The rows read, where they came from: ``sheet`` None for CSV; hidden sheets left unread."""

    rows: list[list[str]]
    sheet: str | None = None
    hidden_sheets: tuple[str, ...] = field(default=())


def fold(text: object) -> str:
    """Spelling-insensitive form: NFKC (full-width → half-width), no whitespace, upper case."""
    return "".join(unicodedata.normalize("NFKC", "" if text is None else str(text)).split()).upper()


def cell_text(value: object) -> str:
    """A cell as text: integers written as floats by Excel lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path) -> TableRows:
    """The rows of the sheet the user sees (xlsx) or of the CSV file, as text, within the size limits."""
    path = Path(path)
    if not path.is_file():
        raise TableError(QT_TRANSLATE_NOOP("domain", "File not found: {path}"), path=path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TableError(QT_TRANSLATE_NOOP(
            "domain", "{path} is {size} bytes; a table file may hold at most {limit} bytes."),
            path=path, size=size, limit=MAX_FILE_BYTES)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if suffix == ".xls":
        raise TableError(QT_TRANSLATE_NOOP(
            "domain", "{path} is an old Excel 97–2003 file; open it in Excel or WPS and save it as .xlsx."), path=path)
    return TableRows(_csv_rows(path))


def check_zip_size(path: Path) -> int:
    """Sum of the declared uncompressed member sizes of a zip file; refused above :data:`MAX_UNCOMPRESSED_BYTES`."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableError(QT_TRANSLATE_NOOP("domain", "{path} is not a readable .xlsx workbook: {error}"),
                         path=path, error=exc) from exc
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TableError(QT_TRANSLATE_NOOP(
            "domain", "{path} unpacks to {size} bytes; a workbook may unpack to at most {limit} bytes "
                      "(refused before reading it)."), path=path, size=total, limit=MAX_UNCOMPRESSED_BYTES)
    return total


def _open_book(path: Path, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise TableError(QT_TRANSLATE_NOOP("domain", "{path} is not a readable .xlsx workbook: {error}"),
                         path=path, error=exc) from exc


def _visible_sheet(book, path: Path):
    """(the active sheet if visible, else the first visible one; names of the hidden sheets)."""
    hidden = tuple(s.title for s in book.worksheets if s.sheet_state != "visible")
    active = book.active
    if active in book.worksheets and active.sheet_state == "visible":
        return active, hidden
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    if not visible:
        raise TableError(QT_TRANSLATE_NOOP("domain", "{path}: the workbook has no visible worksheet."), path=path)
    return visible[0], hidden


def _sheet_values(sheet, path: Path) -> list[tuple]:
    """Raw cell values row by row, trailing empty cells cut, within :data:`MAX_ROWS` × :data:`MAX_COLUMNS`."""
    sheet.reset_dimensions()  # the file's own <dimension> may be wrong (too small truncates, too large pads)
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise TableError(QT_TRANSLATE_NOOP(
                "domain", "{path}, sheet {sheet}: more than {limit} rows; split the list."),
                path=path, sheet=sheet.title, limit=MAX_ROWS)
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise TableError(QT_TRANSLATE_NOOP(
                "domain", "{path}, sheet {sheet}, row {row}: more than {limit} columns."),
                path=path, sheet=sheet.title, row=number, limit=MAX_COLUMNS)
        rows.append(tuple(values))
    return rows


def _xlsx_rows(path: Path) -> TableRows:
    check_zip_size(path)
    book = _open_book(path, data_only=True)
    try:
        sheet, hidden = _visible_sheet(book, path)
        name = sheet.title
        values = _sheet_values(sheet, path)
    finally:
        book.close()
    _refuse_uncalculated(path, name, values)  # always: a trailing uncalculated cell leaves no None behind
    return TableRows([[cell_text(v) for v in row] for row in values], name, hidden)


def _refuse_uncalculated(path: Path, name: str, values: list[tuple]) -> None:
    """Refuse formula cells saved without their value: data_only gives None there, the formula read '=…'.

    Such a file was written by a program that does not calculate (a script,
    some exporters): the ID or problem text would silently read as empty.
    """
    book = _open_book(path, data_only=False)
    try:
        formulas = _sheet_values(book[name], path)
    finally:
        book.close()
    found = []
    for r, (row, formula_row) in enumerate(zip(values, formulas), start=1):
        for c, formula in enumerate(formula_row):
            if (row[c] if c < len(row) else None) is None and isinstance(formula, str) and formula.startswith("="):
                found.append(f"{_column_letter(c + 1)}{r}")
    if found:
        raise TableError(QT_TRANSLATE_NOOP(
            "domain", "{path}, sheet {sheet}: {count} formula cells have no calculated value ({cells}); "
                      "open the file in Excel or WPS, let it calculate and save it, then import it again."),
            path=path, sheet=name, count=len(found),
            cells=", ".join(found[:LISTED_CELLS]) + (" …" if len(found) > LISTED_CELLS else ""))


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise TableError(QT_TRANSLATE_NOOP("domain", "{path}: unknown text encoding."), path=path)
    dialect: type[csv.Dialect] = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise TableError(QT_TRANSLATE_NOOP("domain", "{path}: more than {limit} rows; split the list."),
                                 path=path, limit=MAX_ROWS)
            rows.append([cell_text(v) for v in row])
    except csv.Error as exc:
        raise TableError(QT_TRANSLATE_NOOP("domain", "{path}, row {row}: {error}"),
                         path=path, row=reader.line_num, error=exc) from exc
    return rows


@dataclass(frozen=True)
class Header:
    """Where the header row is and which column holds each wanted field."""

    row: int
    columns: dict[str, int]
    names: list[str]


def find_header(rows: Sequence[Sequence[str]], wanted: dict[str, Sequence[str]], required: Sequence[str],
                path: Path | str = "") -> Header:
    """The first row (of the first 20) naming every ``required`` field by one of its keywords.

    ``wanted`` maps a field to keywords, most specific first; a keyword matches
    a header that equals it or contains it (after :func:`fold`).
    """
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        folded = [fold(c) for c in row]
        columns: dict[str, int] = {}
        for name, keywords in wanted.items():
            index = _match(folded, keywords, set(columns.values()))
            if index is not None:
                columns[name] = index
        if all(r in columns for r in required):
            return Header(i, columns, [str(c) for c in row])
    raise TableError(QT_TRANSLATE_NOOP(
        "domain", "{path}: no header row names the columns {columns} within the first {rows} rows."),
        path=path, columns=", ".join(f"{r} ({'/'.join(wanted[r][:3])})" for r in required), rows=HEADER_SEARCH_ROWS)


def _match(folded: list[str], keywords: Sequence[str], taken: set[int]) -> int | None:
    for keyword in (fold(k) for k in keywords):
        for exact in (True, False):
            for j, header in enumerate(folded):
                if j in taken or not header:
                    continue
                if (header == keyword) if exact else (keyword in header):
                    return j
    return None
