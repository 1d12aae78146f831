"""The import report people read: every source row, its status and what to fix."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from .register_xlsx import heading_and_header
from .xlsx_book import PLAIN, Book, Cell, Style

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
_STATUS = {status: Style(fill=colour) for status, colour in FILLS.items()}
_NOTE = Style(wrap=True, vertical="top")


def write_import_report(
    path: Path,
    *,
    heading: Sequence[str],
    rows: Iterable[tuple[int, str, str, str, Sequence[str]]],
) -> None:
    """``rows``: (row number, status value, status label, head name, messages)."""
    heading = [part for line in heading for part in _within_the_page(line)]
    with Book() as book:
        sheet = book.sheet("Kết quả nhập", WIDTHS)
        sheet.freeze(f"A{len(heading) + 3}")
        sheet.print_across(header_row=len(heading) + 2)
        heading_and_header(sheet, heading, HEADERS)
        for number, status, label, name, messages in rows:
            status_cell = Cell(label, _STATUS.get(status, PLAIN))
            sheet.append([number, status_cell, name, Cell("\n".join(messages), _NOTE)])
        book.save(path)


def _within_the_page(line: str) -> list[str]:
    return textwrap.wrap(line, HEADING_WIDTH, break_on_hyphens=False) or [line]
