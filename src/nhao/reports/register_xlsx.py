"""The household register as an xlsx file people can print, edit and import back.

Streams rows (openpyxl write-only), so a province's 100,000 households need no
more memory than a hamlet's. Citizen IDs and phone numbers are text cells (Excel
would drop their leading zero otherwise), dates are real dates, the header row is
frozen and repeated on every printed page, A4 landscape, fitted to the page width,
with the grid printed and rows as tall as their wrapped text.
The file is written next to its destination and renamed into place, so a failed
export never leaves half a file under the final name.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from nhao.files import put_in_place

from .xlsx_safety import text_cell

A4 = 9  # openpyxl's paperSize code for A4
MIN_WIDTH, MAX_WIDTH = 5, 45
DATE_WIDTH = 11  # dd/mm/yyyy; Excel shows a date in a narrower column as "#####"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True)  # text longer than its column, or of several lines
_CENTRE = Alignment(horizontal="center")
# Named: a font without a name is drawn in the program's fallback (a serif in LibreOffice).
FONT = "Calibri"
LINE_HEIGHT = 15  # points: one line of Calibri 11, the rows' default height


@dataclass(frozen=True)
class Column:
    header: str
    # text · digits (text that must keep its zeros) · mark ("x", centred) · number · date
    kind: str = "text"
    width: int = 10  # characters: the longest value, the caller knows it


def fit(header: str, longest: int) -> int:
    """A width that shows the longest value, bounded; headers wrap instead."""
    return max(MIN_WIDTH, min(MAX_WIDTH, max(longest, len(header) // 2) + 2))


def lines(text: str, width: int, *, bold: bool = False) -> int:
    """How many lines wrapped text takes in a column `width` characters wide, word by
    word as the spreadsheet breaks them. A width counts the digit "0"; letters are
    narrower on average, bold ones about as wide."""
    room = max(int(width * (1 if bold else 1.2)) - 1, 1)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > room:
                count += 1
                used = 0
            used += (1 if used else 0) + len(word)
            while used > room:  # a word longer than the column breaks inside
                count += 1
                used -= room
    return count


def _height(cells: Sequence[object], widths: Sequence[int]) -> float | None:
    """The height wrapped cells need: LibreOffice does not measure rows when it opens
    an xlsx file, and draws a row without a height one line high, its wrapped text
    over the next row."""
    most = 1
    for cell, width in zip(cells, widths, strict=False):
        alignment = getattr(cell, "alignment", None)
        if alignment is not None and alignment.wrap_text:
            bold = bool(cell.font.b)  # type: ignore[attr-defined]
            most = max(most, lines(str(cell.value), width, bold=bold))  # type: ignore[attr-defined]
    return most * LINE_HEIGHT if most > 1 else None


def append_row(sheet, number: int, cells: list[object], widths: Sequence[int]) -> None:  # type: ignore[no-untyped-def]
    """Append row `number` (as Excel numbers it) of a write-only sheet, as tall as its
    wrapped cells need."""
    height = _height(cells, widths)
    if height:
        sheet.row_dimensions[number].height = height
    sheet.append(cells)
    if height:  # written with the row; kept, 100,000 rows would keep as many objects
        del sheet.row_dimensions[number]


def _cell(sheet, column: Column, value: object) -> object:  # type: ignore[no-untyped-def]
    if value is None or value == "":
        return None
    if column.kind in ("text", "digits"):
        text = str(value)
        cell = text_cell(sheet, text)
        if column.kind == "digits":
            cell.number_format = "@"
        elif len(text) > column.width or "\n" in text:  # cut by the next cell otherwise
            cell.alignment = _WRAP
        return cell
    if column.kind == "mark":  # left-aligned, an "x" ran into the number beside it
        cell = text_cell(sheet, str(value))
        cell.alignment = _CENTRE
        return cell
    if column.kind == "date" and isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return value


def write_register(
    path: Path,
    *,
    title: str,
    sheet_name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    exported_on: date,
) -> int:
    """Write the register; returns the number of data rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31])
    for index, column in enumerate(columns, 1):
        width = column.width
        if index == len(columns):  # the export date stands in the last column
            width = max(width, DATE_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    print_across(sheet, header_row=2)

    heading = text_cell(sheet, title)
    heading.font = Font(name=FONT, bold=True, size=13)
    stamp = WriteOnlyCell(sheet, value=exported_on)
    stamp.number_format = "DD/MM/YYYY"
    label = text_cell(sheet, "Ngày xuất:")
    sheet.append([heading] + [None] * max(0, len(columns) - 3) + [label, stamp])

    header_cells = []
    for column in columns:
        cell = text_cell(sheet, column.header)
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BORDER
        header_cells.append(cell)
    widths = [c.width for c in columns]
    append_row(sheet, 2, header_cells, widths)

    count = 0
    for values in rows:
        cells = [_cell(sheet, c, v) for c, v in zip(columns, values, strict=True)]
        append_row(sheet, count + 3, cells, widths)
        count += 1
    save_atomically(book, path)
    return count


def print_across(sheet, *, header_row: int) -> None:  # type: ignore[no-untyped-def]
    """A4 landscape, as wide as the page, the header row repeated on every page, with
    the grid printed: the data cells have no borders, and a wide row without lines is
    hard to follow across the page."""
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.print_options.gridLines = True


def heading_and_header(
    sheet, heading: Sequence[str], headers: Sequence[str], widths: Sequence[int]
) -> int:  # type: ignore[no-untyped-def]
    """A report's first rows on a write-only sheet: its bold heading lines, an empty row,
    then the bold header row, wrapped in its cells. Returns the header row's number."""
    for line in heading:
        cell = text_cell(sheet, line)
        cell.font = Font(name=FONT, bold=True)
        sheet.append([cell])
    sheet.append([])
    header = []
    for text in headers:
        cell = text_cell(sheet, text)
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    number = len(heading) + 2
    append_row(sheet, number, header, widths)
    return number


def save_atomically(book: Workbook, path: Path) -> None:
    # Made in memory first: a drive that fills up fails the write below, cleanly, not
    # openpyxl's zip, which is then left open and complains again when Python exits.
    made = io.BytesIO()
    book.save(made)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as handle:
            handle.write(made.getbuffer())
            handle.flush()
            os.fsync(handle.fileno())
        put_in_place(partial, path)
    finally:
        partial.unlink(missing_ok=True)
