"""nhao's one way of writing an xlsx file: xlsxwriter in constant-memory mode.

Rows are written one after the other and each leaves memory when the next begins, so
a province's 100,000 households need no more memory than a hamlet's. A cell is a value
and a Style; each distinct style becomes one xlsxwriter format, made once. Every str
is written as a string cell through xlsx_safety, never through xlsxwriter's write(),
which would take "=…" for a formula. A row whose wrapped cells need more than one line
gets that height written with it: LibreOffice does not measure rows when it opens an
xlsx file, and draws a row without a height one line high, its wrapped text over the
next row. The file is made in memory, written next to its destination and renamed
into place, so a failed export never leaves half a file under the final name.
"""

from __future__ import annotations

import io
import os
import tempfile
import traceback
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from nhao.files import put_in_place

from .xlsx_safety import text_cell

A4 = 9  # the paperSize code for A4
DATE_FORMAT = "DD/MM/YYYY"
# Named: a font without a name is drawn in the program's fallback (a serif in LibreOffice).
FONT = "Calibri"
LINE_HEIGHT = 15  # points: one line of Calibri 11, the rows' default height
# A width in characters as Excel stores it, the 5-pixel padding included: Calibri 11's
# digit is 7 pixels. xlsxwriter's set_column() adds the padding to the width given.
_PIXELS_PER_CHARACTER = 7
_KNOWN_BY_ID = 256


@dataclass(frozen=True)
class Style:
    bold: bool = False
    size: float | None = None  # points; None: the workbook's 11
    wrap: bool = False  # text longer than its column, or of several lines
    horizontal: str | None = None  # "center"
    vertical: str | None = None  # "center", "top"
    border: bool = False  # thin, all round
    fill: str | None = None  # background, "FFC7CE"
    number_format: str | None = None
    quote_prefix: bool = False  # set by xlsx_safety.text_cell, not by callers

    def properties(self) -> dict[str, Any]:
        """The style as xlsxwriter's format properties."""
        made: dict[str, Any] = {"font_name": FONT}
        if self.bold:
            made["bold"] = True
        if self.size:
            made["font_size"] = self.size
        if self.wrap:
            made["text_wrap"] = True
        if self.horizontal:
            made["align"] = self.horizontal
        if self.vertical:
            made["valign"] = "vcenter" if self.vertical == "center" else self.vertical
        if self.border:
            made["border"] = 1
        if self.fill:
            made |= {"pattern": 1, "bg_color": f"#{self.fill}"}
        if self.number_format:
            made["num_format"] = self.number_format
        if self.quote_prefix:
            made["quote_prefix"] = True
        return made


PLAIN = Style()


class Cell(NamedTuple):
    value: object
    style: Style = PLAIN


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


def height(cells: Sequence[object], widths: Sequence[int]) -> float | None:
    """The height a row's wrapped cells need, None for one line (the default)."""
    most = 1
    for cell, width in zip(cells, widths, strict=False):
        if isinstance(cell, Cell) and cell.style.wrap and cell.value is not None:
            most = max(most, lines(str(cell.value), width, bold=cell.style.bold))
    return most * LINE_HEIGHT if most > 1 else None


class Sheet:
    """A worksheet written top to bottom, a row at a time."""

    def __init__(self, book: Book, sheet: Any, widths: Sequence[int]) -> None:
        self.book = book
        self.sheet = sheet  # xlsxwriter's Worksheet
        self.widths = widths
        self.row = 0  # the next row to write, counted from 0
        self._tall: deque[int] = deque()  # rows given a height, perhaps not on disk yet

    def freeze(self, cell: str) -> None:
        """Freeze the rows above `cell` and the columns left of it ("A3": two rows)."""
        self.sheet.freeze_panes(cell)

    def print_across(self, *, header_row: int) -> None:
        """A4 landscape, as wide as the page, the header row repeated on every page, the
        pages numbered, with the grid printed: the data cells have no borders, and a wide
        row without lines is hard to follow across the page."""
        sheet = self.sheet
        sheet.repeat_rows(header_row - 1)
        sheet.set_landscape()
        sheet.set_paper(A4)
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.hide_gridlines(0)  # 0: none hidden, and the grid printed
        # Narrow margins, as Excel's own "Narrow": fitted to the page's width, a sheet
        # printed smaller by all the room the wide ones (Excel 2003's) took.
        sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
        sheet.set_header("", margin=0.3)
        # "Trang 2/6" at the foot: a stack of printed pages can be put back in order.
        sheet.set_footer("&CTrang &P/&N", margin=0.3)

    def filter(self, cells: str) -> None:
        """Filter buttons on these cells ("A4:K4")."""
        self.sheet.autofilter(cells)

    def skip(self) -> None:
        """An empty row."""
        self.row += 1

    def paragraph(self, text: str, style: Style, columns: int) -> int:
        """Write the next row as one cell merged over the first `columns` columns, its
        text wrapped within them and the row as tall as its lines: a heading line longer
        than a column, that the printed page would cut where the last column ends.
        Returns its number as Excel numbers it."""
        style = replace(style, wrap=True, vertical="top")
        count = lines(text, sum(self.widths[:columns]), bold=style.bold)
        if count > 1:
            self.sheet.set_row(self.row, count * LINE_HEIGHT)
            self._tall.append(self.row)
        # Merged blank, then the text written as any other (_write): merge_range() would
        # write text beginning with "=" as a formula.
        self.sheet.merge_range(self.row, 0, self.row, columns - 1, None, self.book.format(style))
        self._write(0, text, style)
        if self._tall:
            self._forget_heights()
        self.row += 1
        return self.row

    def append(self, cells: Sequence[object]) -> int:
        """Write the next row, as tall as its wrapped cells need; returns its number as
        Excel numbers it. A cell is a Cell or a bare value; None and "" leave it empty."""
        tall = height(cells, self.widths)
        if tall:
            self.sheet.set_row(self.row, tall)
            self._tall.append(self.row)
        for column, cell in enumerate(cells):
            if cell is None:
                continue
            value, style = cell if isinstance(cell, Cell) else (cell, PLAIN)
            self._write(column, value, style)
        if self._tall:
            self._forget_heights()
        self.row += 1
        return self.row

    def _forget_heights(self) -> None:
        """Drop the heights of rows already on disk. xlsxwriter keeps every row's height
        for the life of the sheet, in constant-memory mode too: 300 bytes a tall row,
        a register of long addresses would grow with its rows."""
        sheet = self.sheet
        written = getattr(sheet, "previous_row", 0)  # the rows before it are on disk
        while self._tall and self._tall[0] < written:
            row = self._tall.popleft()
            for kept in (getattr(sheet, "set_rows", {}), getattr(sheet, "row_sizes", {})):
                kept.pop(row, None)

    def _write(self, column: int, value: object, style: Style) -> None:
        sheet, row, book = self.sheet, self.row, self.book
        if isinstance(value, str) and value:
            text, style = text_cell(value, style)
            if text.startswith("<r>") and text.endswith("</r>"):
                # xlsxwriter takes a string so framed for rich-text XML of its own and
                # writes it unescaped; split in runs it is escaped like any other text.
                run = book.run_format(style)
                sheet.write_rich_string(row, column, text[:1], run, text[1:], run)
            else:
                sheet.write_string(row, column, text, book.format(style))
        elif value is None or value == "":
            form = book.format(style)
            if form is not None:  # a blank cell keeps its border, fill or alignment
                sheet.write_blank(row, column, None, form)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, book.format(style))
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value, book.format(style))
        elif isinstance(value, date):
            if style.number_format is None:
                style = replace(style, number_format=DATE_FORMAT)
            sheet.write_datetime(row, column, value, book.format(style))
        else:
            raise TypeError(f"an xlsx cell cannot hold {type(value).__name__}: {value!r}")


class Book:
    """A workbook of sheets written row by row; save() puts it in place whole. Used as a
    context manager: its temporary files go when it ends, written or not (a cancelled
    export of a province left megabytes in the temporary folder otherwise)."""

    def __init__(self) -> None:
        self._made = io.BytesIO()
        self._temporary = tempfile.TemporaryDirectory(
            prefix="nhao-xlsx-", ignore_cleanup_errors=True
        )
        # constant_memory: each row goes to a temporary file when the next one starts.
        options = {"constant_memory": True, "tmpdir": self._temporary.name}
        self._book = xlsxwriter.Workbook(self._made, options)
        self._formats: dict[Style, Any] = {PLAIN: None}
        # The same few Style objects come back for every row: looked up by identity
        # first, as hashing a style for each cell cost more than writing the cell. Kept
        # here, they keep their ids; a few hundred, or a caller that made a style per
        # row would make this grow with the rows.
        self._by_id: dict[int, tuple[Style, Any]] = {}
        self._plain_run: Any = None

    def sheet(self, name: str, widths: Sequence[int]) -> Sheet:
        """A new sheet (its name cut to Excel's 31 characters) with these column widths,
        in characters."""
        sheet = self._book.add_worksheet(name[:31])
        for index, width in enumerate(widths):
            sheet.set_column_pixels(index, index, width * _PIXELS_PER_CHARACTER)
        return Sheet(self, sheet, widths)

    def format(self, style: Style) -> Any:
        """The xlsxwriter format of a style, one per distinct style; None for the plain
        style: the workbook's default, which a cell without a format has."""
        known = self._by_id.get(id(style))
        if known is not None:
            return known[1]
        made = self._formats.get(style, self)
        if made is self:
            made = self._formats[style] = self._book.add_format(style.properties())
        if len(self._by_id) < _KNOWN_BY_ID:
            self._by_id[id(style)] = (style, made)
        return made

    def run_format(self, style: Style) -> Any:
        """The format of a style as a run of rich text needs it, the plain one too."""
        made = self.format(style)
        if made is None:
            if self._plain_run is None:
                self._plain_run = self._book.add_format(PLAIN.properties())
            made = self._plain_run
        return made

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for sheet in self._book.worksheets():
            # A sheet's row file stays open until the workbook is closed, and Windows
            # removes no open file.
            close_rows = getattr(sheet, "_opt_close", None)
            if close_rows is not None:
                close_rows()
        self._temporary.cleanup()

    def save(self, path: Path) -> None:
        """Finish the workbook and put it at `path`, whole or not at all."""
        # Made in memory first: a drive that fills up fails the write below, cleanly,
        # not the zip writer half-way through its parts.
        try:
            self._book.close()
        except Exception as error:
            # The zip writer, half-way, is held by a frame of the traceback: let go of it
            # now, while the memory it writes to is open. Left to the end of the program
            # it was closed after that memory, with two tracebacks after the one sentence.
            traceback.clear_frames(error.__traceback__)
            cause = error.args[0] if isinstance(error, FileCreateError) else None
            if isinstance(cause, OSError):  # xlsxwriter's wrapping of a full disk
                traceback.clear_frames(cause.__traceback__)
                raise cause from None
            raise
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as handle:
                handle.write(self._made.getbuffer())
                handle.flush()
                os.fsync(handle.fileno())
            put_in_place(partial, path)
        finally:
            partial.unlink(missing_ok=True)
