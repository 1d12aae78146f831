"""The import report people read: every source row, its status and what to fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from .register_xlsx import heading_and_header
from .xlsx_book import Book, Cell, Style

HEADERS = ("Dòng", "Trạng thái", "Họ và tên chủ hộ", "Nội dung")
WIDTHS = (8, 14, 28, 100)
FILLS = {  # status value → background, so errors stand out when printed in colour too
    "error": "FFC7CE",
    "warning": "FFEB9C",
    "duplicate": "DDEBF7",
    "skipped": "EDEDED",
}
# At the top of the row, level with the first line of what was found.
_TOP = Style(vertical="top")
_STATUS = {status: Style(fill=colour, vertical="top") for status, colour in FILLS.items()}
_NOTE = Style(wrap=True, vertical="top")


def write_import_report(
    path: Path,
    *,
    heading: Sequence[str],
    rows: Iterable[tuple[int, str, str, str, Sequence[str]]],
) -> None:
    """``rows``: (row number, status value, status label, head name, messages)."""
    with Book() as book:
        sheet = book.sheet("Kết quả nhập", WIDTHS)
        sheet.freeze(f"A{len(heading) + 3}")
        sheet.print_across(header_row=len(heading) + 2)
        heading_and_header(sheet, heading, HEADERS)
        for number, status, label, name, messages in rows:
            status_cell = Cell(label, _STATUS.get(status, _TOP))
            said = Cell("\n".join(messages), _NOTE)
            sheet.append([Cell(number, _TOP), status_cell, Cell(name, _TOP), said])
        book.save(path)
