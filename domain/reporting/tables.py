"""Reading the tables offices exchange (Excel .xlsx or CSV) with a header row found by its wording.

City lists come with title rows above the header, full- or half-width
brackets, spaces inside headers and GBK-encoded CSV; a column is recognised
by keywords after NFKC folding, not by position.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, WpzfError

HEADER_SEARCH_ROWS = 20


class TableError(WpzfError, ValueError):
    """A table file that cannot be read or has no recognisable header."""


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


def read_rows(path: Path) -> list[list[str]]:
    """Every row of the first sheet (xlsx) or of the CSV file, as text."""
    path = Path(path)
    if not path.is_file():
        raise TableError(QT_TRANSLATE_NOOP("domain", "File not found: {path}"), path=path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if suffix == ".xls":
        raise TableError(QT_TRANSLATE_NOOP(
            "domain", "{path} is an old Excel 97–2003 file; open it in Excel or WPS and save it as .xlsx."), path=path)
    return _csv_rows(path)


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise TableError(QT_TRANSLATE_NOOP("domain", "{path} is not a readable .xlsx workbook: {error}"),
                         path=path, error=exc) from exc
    try:
        sheet = book.worksheets[0]
        return [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


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
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]


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
