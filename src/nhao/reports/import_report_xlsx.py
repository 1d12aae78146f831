"""The import report people read: every source row, its status and what to fix."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from .register_xlsx import append_row, heading_and_header, print_across, save_atomically
from .xlsx_safety import text_cell

HEADERS = ("Dòng", "Trạng thái", "Họ và tên chủ hộ", "Nội dung")
WIDTHS = (8, 14, 28, 100)
# A heading line runs on over the empty cells beside it, but printing stops at column D:
# longer lines (the mapping of a wide list) go on over several rows.
HEADING_WIDTH = sum(WIDTHS) - 20  # bold letters are wider than a column's unit
FILLS = {  # status value → background, so errors stand out when printed in colour too
    "error": "FFC7CE",
    "warning": "FFEB9C",
    "duplicate": "DDEBF7",
    "skipped": "EDEDED",
}


def write_import_report(
    path: Path,
    *,
    heading: Sequence[str],
    rows: Iterable[tuple[int, str, str, str, Sequence[str]]],
) -> None:
    """``rows``: (row number, status value, status label, head name, messages)."""
    book = Workbook(write_only=True)
    heading = [part for line in heading for part in _within_the_page(line)]
    sheet = book.create_sheet("Kết quả nhập")
    for letter, width in zip("ABCD", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    # Before the first row: a write-only sheet writes its views and page set-up then.
    sheet.freeze_panes = f"A{len(heading) + 3}"
    print_across(sheet, header_row=len(heading) + 2)
    heading_and_header(sheet, heading, HEADERS, WIDTHS)
    for at, (number, status, label, name, messages) in enumerate(rows, len(heading) + 3):
        status_cell = text_cell(sheet, label)
        if status in FILLS:
            status_cell.fill = PatternFill("solid", fgColor=FILLS[status])
        note = text_cell(sheet, "\n".join(messages))
        note.alignment = Alignment(wrap_text=True, vertical="top")
        append_row(sheet, at, [number, status_cell, text_cell(sheet, name), note], WIDTHS)
    save_atomically(book, path)


def _within_the_page(line: str) -> list[str]:
    return textwrap.wrap(line, HEADING_WIDTH, break_on_hyphens=False) or [line]
