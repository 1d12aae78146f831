"""The report of a bundle import that people keep and print: per file, what each kind of
record came to; then the changes refused, held and the vouchers numbered twice."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from .register_xlsx import append_row, heading_and_header, print_across, save_atomically
from .xlsx_safety import text_cell

COUNTS = ("Mới", "Cập nhật", "Không đổi", "Xung đột", "Từ chối", "Hộ nghi trùng")
HEADERS = ("Tệp", "Trạng thái", "Đơn vị gửi", "Loại dữ liệu", *COUNTS, "Lý do")
WIDTHS = (24, 15, 24, 17, 8, 9, 9, 9, 8, 9, 48)
LIST_HEADERS = ("Tệp", "Lý do")
LIST_WIDTHS = (28, 110)
FILLS = {  # status value → background, as in the household import's report
    "refused": "FFC7CE",
    "pending": "FFEB9C",
    "skipped": "EDEDED",
}
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class FileRow:
    file: str
    status: str  # applied, skipped, pending, refused, dry-run
    status_label: str
    sender: str  # the sending unit, named
    reason: str
    possible_duplicates: int
    entities: Sequence[tuple[str, Sequence[int]]]  # label, (new … refused)


def write_bundle_report(
    path: Path,
    *,
    heading: Sequence[str],
    files: Sequence[FileRow],
    lists: Sequence[tuple[str, Sequence[tuple[str, str]]]],  # sheet title, (file, reason)
) -> None:
    book = Workbook(write_only=True)
    sheet, at = _sheet(book, "Nhập gói", heading, HEADERS, WIDTHS)
    for row in files:
        # The file's own cells on each of its rows, so a filter on one column keeps
        # them; its reason and its pairs to review once, or they would sum twice.
        for index, (label, counts) in enumerate(row.entities or [("", ())]):
            status = _text(sheet, row.status_label)
            if row.status in FILLS:
                status.fill = PatternFill("solid", fgColor=FILLS[row.status])
            first = index == 0
            cells = [
                _text(sheet, row.file),
                status,
                _text(sheet, row.sender),
                _text(sheet, label),
                *(list(counts) or [None] * 5),
                row.possible_duplicates if first and row.entities else None,
                _text(sheet, row.reason, wrap=True) if first and row.reason else None,
            ]
            append_row(sheet, at, cells, WIDTHS)
            at += 1
    for title, reasons in lists:
        sheet, at = _sheet(book, title, heading, LIST_HEADERS, LIST_WIDTHS)
        for file, reason in reasons or [("", "Không có.")]:  # said, when printed
            append_row(
                sheet, at, [_text(sheet, file), _text(sheet, reason, wrap=True)], LIST_WIDTHS
            )
            at += 1
    save_atomically(book, path)


def _sheet(book, title: str, heading, headers, widths):  # type: ignore[no-untyped-def]
    """A sheet with the heading, an empty row and the header row written; returns it and
    the number of its first data row."""
    sheet = book.create_sheet(title)
    room = sum(widths) - 20  # bold letters are wider than a column's unit
    lines = [part for line in heading for part in _within(line, room)]
    header_row = len(lines) + 2
    for index, width in enumerate(widths):
        sheet.column_dimensions[_letter(index)].width = width
    # Before the first row: a write-only sheet writes its views and page set-up then.
    sheet.freeze_panes = f"B{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{_letter(len(headers) - 1)}{header_row}"
    print_across(sheet, header_row=header_row)
    heading_and_header(sheet, lines, headers, widths)
    return sheet, header_row + 1


def _within(line: str, room: int) -> list[str]:
    return textwrap.wrap(line, room, break_on_hyphens=False) or [line]


def _text(sheet, text: str, *, wrap: bool = False):  # type: ignore[no-untyped-def]
    cell = text_cell(sheet, text)
    cell.alignment = _WRAP if wrap else _TOP
    return cell


def _letter(index: int) -> str:
    return chr(ord("A") + index)
