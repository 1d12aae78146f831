"""The household register as an xlsx file people can print, edit and import back.

Written row by row (xlsx_book), so a province's 100,000 households need no more
memory than a hamlet's. Citizen IDs and phone numbers are text cells (Excel would
drop their leading zero otherwise), dates are real dates, the header row is frozen
and repeated on every printed page, A4 landscape, fitted to the page width, with the
grid printed and rows as tall as their wrapped text.
The file is written next to its destination and renamed into place, so a failed
export never leaves half a file under the final name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .xlsx_book import DATE_FORMAT, Book, Cell, Sheet, Style

MIN_WIDTH, MAX_WIDTH = 5, 45
HEADER_LINES = 3  # a long header wraps over as many lines rather than widen its column
DATE_WIDTH = 11  # dd/mm/yyyy; Excel shows a date in a narrower column as "#####"
# At the top of the row, where a wrapped cell beside them begins: at the foot, a row's
# name and year stood lines below the first of its categories.
_TEXT = Style(vertical="top")
_WRAP = Style(wrap=True, vertical="top")  # text longer than its column, or of several lines
_DIGITS = Style(number_format="@", vertical="top")
_CENTRE = Style(horizontal="center", vertical="top")
_NUMBER = Style(vertical="top")
_DATE = Style(number_format=DATE_FORMAT, vertical="top")
_TITLE = Style(bold=True, size=13)
_HEADER = Style(bold=True, wrap=True, horizontal="center", vertical="center", border=True)
_REPORT_HEADING = Style(bold=True)
_REPORT_HEADER = Style(bold=True, wrap=True, vertical="center")


@dataclass(frozen=True)
class Column:
    header: str
    # text · digits (text that must keep its zeros) · mark ("x", centred) · number · date
    kind: str = "text"
    width: int = 10  # characters: the longest value, the caller knows it


def fit(header: str, longest: int) -> int:
    """A width that shows the longest value, bounded; headers wrap instead, over a few
    lines, never inside a word. The register fits its columns to the page's width: a
    column as wide as half its header ("UBND xã xác nhận đủ điều kiện" over a column of
    "x") shrank the whole print."""
    words = max((len(word) for word in header.split()), default=0)
    needs = max(longest + 1, words + 2, -(-len(header) // HEADER_LINES) + 2)
    return max(MIN_WIDTH, min(MAX_WIDTH, needs))


def _cell(column: Column, value: object) -> object:
    if value is None or value == "":
        return None
    if column.kind in ("text", "digits"):
        text = str(value)
        if column.kind == "digits":
            return Cell(text, _DIGITS)
        if len(text) > column.width or "\n" in text:  # cut by the next cell otherwise
            return Cell(text, _WRAP)
        return Cell(text, _TEXT)
    if column.kind == "mark":  # left-aligned, an "x" ran into the number beside it
        return Cell(str(value), _CENTRE)
    if column.kind == "date" and isinstance(value, date):
        return Cell(value, _DATE)
    return Cell(value, _NUMBER)


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
    widths = [c.width for c in columns]
    # The export date stands in the last column: as wide as a date, whatever its values.
    shown = [*widths[:-1], max(widths[-1], DATE_WIDTH)] if widths else widths
    with Book() as book:
        sheet = book.sheet(sheet_name, shown)
        sheet.widths = widths  # wrapped text is measured in the columns' own widths
        sheet.freeze("A3")
        sheet.print_across(header_row=2)

        stamp = [Cell("Ngày xuất:"), Cell(exported_on, _DATE)]
        sheet.append([Cell(title, _TITLE)] + [None] * max(0, len(columns) - 3) + stamp)
        sheet.append([Cell(column.header, _HEADER) for column in columns])
        count = 0
        for values in rows:
            sheet.append([_cell(c, v) for c, v in zip(columns, values, strict=True)])
            count += 1
        book.save(path)
    return count


def heading_and_header(sheet: Sheet, heading: Sequence[str], headers: Sequence[str]) -> int:
    """A report's first rows: its bold heading lines, each wrapped within the header's
    columns (the printed width), an empty row, then the bold header row, wrapped in its
    cells. Returns the header row's number."""
    for line in heading:
        sheet.paragraph(line, _REPORT_HEADING, len(headers))
    sheet.skip()
    return sheet.append([Cell(text, _REPORT_HEADER) for text in headers])
