"""Cells, styles and print set-up shared by every sheet of the report workbook (openpyxl, no Qt).

Why a module of its own: every sheet must write dates as real Excel dates (so
they sort and filter), text as text (a remark starting with ``=`` never becomes
a formula), numbers unrounded with a display format, and print the same way
(landscape, one page wide — a long list such as 图斑清单 as many pages across as keep it legible —,
header rows repeated, title and page x of y).
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

from ..rules.records import as_date
from .cell_text import FORMULA_START, clean_control  # noqa: F401 - FORMULA_START: one rule for Excel and CSV

MU_FORMAT, M2_FORMAT, RATIO_FORMAT, COUNT_FORMAT, MONEY_FORMAT = "0.00", "0.00", "0.00%", "0", "#,##0.00"
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
_FULL_DATE = re.compile(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*$|^\s*\d{8}\s*$")
_STAMP = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*Z?\s*$")


@dataclass(frozen=True)
class Col:
    """One output column: header, width hint, number format ('' = text)."""

    header: str
    fmt: str = ""
    width: Optional[float] = None
    name: str = ""
    """Field name (pinyin initials) when the column is also written as a QGIS field."""


def date_value(value: Any) -> Any:
    """A date when ``value`` is a whole date ('2022-05-06', '2022/5/6', '2022年5月6日', '20220506'); else unchanged.

    A partial date ('2021', '2022-05') or a date followed by other words stays
    text: converting it would invent a day or drop what was written.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or not isinstance(value, str) or not _FULL_DATE.match(value):
        return value
    return as_date(value) or value


def datetime_value(value: Any) -> Any:
    """A datetime from an edit stamp 'YYYY-MM-DDTHH:MM:SS.sssZ' (kept in UTC, as stored); else unchanged."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    found = _STAMP.match(value) if isinstance(value, str) else None
    if not found:
        return value
    try:
        year, month, day, hour, minute, second = (int(g or 0) for g in found.groups())  # _STAMP's six groups
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return value


def safe_value(value: Any) -> Any:
    """Values as cells take them: bytes dropped, aware datetimes made naive (Excel has no time zones),
    control characters XML cannot hold replaced (openpyxl would raise IllegalCharacterError)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return None
    if isinstance(value, str):
        return clean_control(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _style_id(cell, attribute: str, value: Any) -> None:
    """Set ``cell.<attribute> = value`` through an id cached per workbook.

    Why: openpyxl hashes the style object on every assignment (a recursive
    hash of a Border costs ~50 µs); a 20,000-patch list has 1.5 million
    cells, which made styling take most of a 50-second export. The first
    assignment of a value goes through openpyxl's public setter; the id it
    registered is then copied into the cell's style array (``StyleArray``,
    openpyxl's own representation since 2.4). An openpyxl without ``_style``
    falls back to the public setter.
    """
    book = cell.parent.parent
    cache = getattr(book, "_wpzf_style_ids", None)
    if cache is None:
        cache = {}
        book._wpzf_style_ids = cache
    key = (attribute, value if isinstance(value, str) else id(value))
    field = _STYLE_FIELDS[attribute]
    found = cache.get(key)
    if found is None or not hasattr(cell, "_style"):
        setattr(cell, attribute, value)
        if getattr(cell, "_style", None) is not None:  # kept with its value: an id is not reused while it lives
            cache[key] = (getattr(cell._style, field), value)
        return
    if not cell._style:  # as openpyxl's own setters do for a cell without a style yet (every new cell)
        cell._style = _new_style_array()
    setattr(cell._style, field, found[0])


@functools.cache
def _style_array_class() -> Any:
    """openpyxl's ``StyleArray``, imported once: an import statement per cell cost 2 µs under QGIS's
    import hook, 1.4 million times for a 20,000-patch list."""
    from openpyxl.styles.cell_style import StyleArray

    return StyleArray


def _new_style_array() -> Any:
    return _style_array_class()()


_STYLE_FIELDS = {"number_format": "numFmtId", "border": "borderId"}


def write_cell(sheet, row: int, column: int, value: Any, fmt: str = "", border: Any = None):
    """Write one cell; text is always text (never a formula), numbers get ``fmt``, dates a date format.

    ``border`` (:func:`grid_border`): set in the same pass, so a long sheet is not walked a second time
    (:func:`style_sheet` with ``bordered=True``).
    """
    cell = sheet.cell(row=row, column=column)
    value = safe_value(value)
    number_format = None
    quoted = False
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        quoted = value.startswith(FORMULA_START)
        if quoted:
            cell.quotePrefix = True
    elif isinstance(value, dt.datetime):
        number_format = fmt if fmt in (DATE_FORMAT, DATETIME_FORMAT) else DATETIME_FORMAT
    elif isinstance(value, dt.date):
        number_format = DATE_FORMAT
    elif fmt and isinstance(value, (int, float)):
        number_format = fmt
    if border is not None and not quoted:
        _whole_style(cell, number_format, border)
        return cell
    if number_format is not None:
        _style_id(cell, "number_format", number_format)
    if border is not None:
        _style_id(cell, "border", border)
    return cell


def _whole_style(cell, number_format: Optional[str], border: Any) -> None:
    """A fresh cell's number format and border in one step: a copy of the style array the first such
    cell got through :func:`_style_id` (1.46 million cells in a 20,000-patch list)."""
    book = cell.parent.parent
    cache = getattr(book, "_wpzf_whole_styles", None)
    if cache is None:
        cache = book._wpzf_whole_styles = {}
    key = (number_format, id(border))
    found = cache.get(key)
    if found is not None and hasattr(cell, "_style"):
        cell._style = found[0].__copy__()
        return
    if number_format is not None:
        _style_id(cell, "number_format", number_format)
    _style_id(cell, "border", border)
    if getattr(cell, "_style", None) is not None:  # the border kept with it: an id is not reused while it lives
        cache[key] = (cell._style.__copy__(), border)


@functools.cache
def grid_border() -> Any:
    """The thin grey grid every data cell gets: one object, so its style id is looked up once per workbook."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="999999")
    return Border(top=thin, bottom=thin, left=thin, right=thin)


def display_width(text: Any) -> float:
    """Width of a text in Excel character units (CJK characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def shown_width(cell) -> float:
    """Width of a cell as displayed (a number by its format, not its unrounded digits)."""
    value, fmt = cell.value, cell.number_format or ""
    if value is None:
        return 0.0
    if isinstance(value, (dt.date, dt.datetime)):
        return 16 if fmt == DATETIME_FORMAT else 10
    if isinstance(value, float) and not isinstance(value, bool):
        decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
        return len(f"{value * 100 if fmt.endswith('%') else value:,.{decimals}f}") + fmt.endswith("%")
    return display_width(value)


def style_sheet(sheet, columns: Sequence[Col], header_row: int, freeze_col: int, data_rows: int,
                filter_rows: Optional[int] = None, bordered: bool = False) -> None:
    """Header look, column widths, borders, frozen panes and the auto filter.

    ``filter_rows`` (default ``data_rows``) lets a trailing 合计 row stay out of
    the filter range, so sorting the towns never moves the total. ``bordered``:
    the data cells got :func:`grid_border` as they were written.
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    border = grid_border()
    fill = PatternFill("solid", fgColor="DDEBF7")
    header_lines: float = 1
    for j, col in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=j)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        longest = max([min(display_width(col.header), 8.0), display_width(col.header) / 3] + [
            shown_width(sheet.cell(row=r, column=j))
            for r in range(header_row + 1, min(header_row + 1 + data_rows, header_row + 200))])
        width = col.width or min(max(6.0, longest + 1.5), 40.0)
        sheet.column_dimensions[get_column_letter(j)].width = width
        header_lines = max(header_lines, -(-display_width(col.header) // max(int(width) - 1, 1)))
    sheet.row_dimensions[header_row].height = 15 * min(header_lines, 6)
    if not bordered:
        for row in sheet.iter_rows(min_row=header_row + 1, max_row=header_row + data_rows, max_col=len(columns)):
            for cell in row:
                _style_id(cell, "border", border)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=freeze_col + 1)
    rows = data_rows if filter_rows is None else filter_rows
    if rows:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + rows}"


def title(sheet, text: str, width: int, row: int = 1, size: int = 14) -> None:
    """A bold title line merged over the first columns."""
    from openpyxl.styles import Alignment, Font

    write_cell(sheet, row, 1, text)
    sheet.cell(row=row, column=1).font = Font(bold=True, size=size)
    sheet.cell(row=row, column=1).alignment = Alignment(horizontal="left")
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=min(width, 12))


def as_of_line(sheet, as_of: Optional[dt.date], width: int, row: int = 2) -> None:
    """统计截止日期: the date the figures are "as at" (工作方案: 统计时间截至 12 月 31 日).

    Progress (整改, 复耕, 补办, 立案, 结案, 移交) dated later is not counted; the
    findings' explanations say so with their numbers.
    """
    title(sheet, f"统计截止日期：{as_of.isoformat() if as_of else '—'}", width, row, 11)


WIDE_SHEET_COLUMNS = 30
"""Sheets wider than this print on A3 (镇街统计 has 40+ columns: on A4 its digits come out ~5 pt)."""


#: Printed millimetres of one Excel width unit (a character of the default 11 pt font) at 100 %.
MM_PER_WIDTH_UNIT = 1.9
#: Paper width (mm) of A3 and A4 landscape less the side margins set below (0.4 in each).
PRINTABLE_MM = {"A3": 420.0 - 2 * 0.4 * 25.4, "A4": 297.0 - 2 * 0.4 * 25.4}
#: The smallest print scale of a list too wide for one page: 11 pt text still prints at 6.6 pt.
LIST_MIN_SCALE = 0.6


def pages_wide(widths: Sequence[float], repeated: int, printable_mm: float, min_scale: float) -> int:
    """Pages across that print columns ``widths`` (Excel units) at ``min_scale`` or larger.

    The first ``repeated`` columns print on every page (print titles), so each
    page has that much less room for the others.
    """
    title_mm = sum(widths[:repeated]) * MM_PER_WIDTH_UNIT * min_scale
    rest_mm = sum(widths[repeated:]) * MM_PER_WIDTH_UNIT * min_scale
    room = printable_mm - title_mm
    if rest_mm <= 0 or room <= 0:
        return 1
    return max(1, math.ceil(rest_mm / room))


def print_setup(sheet, heading: str, header_row: int, as_of: Optional[dt.date] = None,
                columns: Optional[int] = None, repeat_columns: int = 0) -> None:
    """Landscape (A4; A3 for wide sheets), header rows repeated, title on top, page x of y below.

    One page wide, unless ``repeat_columns`` is given: a list such as 图斑清单
    (70+ columns) printed one page wide comes out at a quarter of its size, so
    it prints as many pages across as keep it at :data:`LIST_MIN_SCALE` or
    more, with its first ``repeat_columns`` columns (the patch's identity) on
    every page, each band of rows across before the next band.
    """
    from openpyxl.utils import get_column_letter

    sheet.page_setup.orientation = "landscape"
    count = columns or sheet.max_column
    wide = count > WIDE_SHEET_COLUMNS
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if wide else sheet.PAPERSIZE_A4
    across = 1
    if repeat_columns:
        widths = [sheet.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, count + 1)]
        across = pages_wide(widths, repeat_columns, PRINTABLE_MM["A3" if wide else "A4"], LIST_MIN_SCALE)
    sheet.page_setup.fitToWidth = across
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{header_row}"
    if across > 1:
        sheet.print_title_cols = f"A:{get_column_letter(repeat_columns)}"
        sheet.page_setup.pageOrder = "overThenDown"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.center.text = heading.replace("&", "&&")
    sheet.oddHeader.center.size = 11
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    if as_of is not None:
        sheet.oddFooter.right.text = f"统计截止日期 {as_of.isoformat()}"
