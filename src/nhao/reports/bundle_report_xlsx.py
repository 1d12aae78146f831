"""The report of a bundle import that people keep and print: per file, what each kind of
record came to; the households that look like the same people; then the changes
refused, held and the vouchers numbered twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .register_xlsx import heading_and_header
from .xlsx_book import Book, Cell, Sheet, Style

COUNTS = ("Mới", "Cập nhật", "Không đổi", "Xung đột", "Từ chối", "Hộ nghi trùng")
HEADERS = ("Tệp", "Trạng thái", "Đơn vị gửi", "Loại dữ liệu", *COUNTS, "Lý do")
WIDTHS = (24, 15, 24, 17, 8, 9, 9, 9, 8, 9, 48)
LIST_HEADERS = ("Tệp", "Lý do")
LIST_WIDTHS = (28, 110)
DUPLICATES_TITLE = "Hộ nghi trùng"
_HOUSEHOLD = ("Chủ hộ", "Năm sinh", "Số CCCD", "Thuộc đơn vị")
DUPLICATE_HEADERS = (
    "Tệp", "Vì sao nghi trùng",
    *(f"{column} (hộ thứ nhất)" for column in _HOUSEHOLD),
    *(f"{column} (hộ thứ hai)" for column in _HOUSEHOLD),
)  # fmt: skip
DUPLICATE_WIDTHS = (24, 20, 22, 10, 15, 28, 22, 10, 15, 28)
FILLS = {  # status value → background, as in the household import's report
    "refused": "FFC7CE",
    "pending": "FFEB9C",
    "skipped": "EDEDED",
}
_WRAP = Style(wrap=True, vertical="top")
_TOP = Style(vertical="top")
_STATUS = {status: Style(vertical="top", fill=colour) for status, colour in FILLS.items()}


@dataclass(frozen=True)
class FileRow:
    file: str
    status: str  # applied, skipped, pending, refused, dry-run
    status_label: str
    sender: str  # the sending unit, named
    reason: str
    possible_duplicates: int
    entities: Sequence[tuple[str, Sequence[int]]]  # label, (new … refused)


@dataclass(frozen=True)
class DuplicateRow:
    """A pair of households a bundle brought that look like the same people."""

    file: str
    reason: str  # why, in words
    households: tuple[Sequence[object], Sequence[object]]  # head, birth year, ID, unit


def write_bundle_report(
    path: Path,
    *,
    heading: Sequence[str],
    files: Sequence[FileRow],
    lists: Sequence[tuple[str, Sequence[tuple[str, str]]]],  # sheet title, (file, reason)
    duplicates: Sequence[DuplicateRow] | None = None,  # None: no sheet of them
    duplicates_note: str = "",  # where they are reviewed
) -> None:
    with Book() as book:
        sheet = _sheet(book, "Nhập gói", heading, HEADERS, WIDTHS)
        for row in files:
            # The file's own cells on each of its rows, so a filter on one column keeps
            # them; its reason and its pairs to review once, or they would sum twice.
            status = Cell(row.status_label, _STATUS.get(row.status, _TOP))
            for index, (label, counts) in enumerate(row.entities or [("", ())]):
                first = index == 0
                sheet.append([
                    Cell(row.file, _TOP),
                    status,
                    Cell(row.sender, _TOP),
                    Cell(label, _TOP),
                    *(list(counts) or [None] * 5),
                    row.possible_duplicates if first and row.entities else None,
                    Cell(row.reason, _WRAP) if first and row.reason else None,
                ])  # fmt: skip
        if duplicates is not None:
            _duplicates_sheet(book, heading, duplicates, duplicates_note)
        for title, reasons in lists:
            sheet = _sheet(book, title, heading, LIST_HEADERS, LIST_WIDTHS)
            for file, reason in reasons or [("", "Không có.")]:  # said, when printed
                sheet.append([Cell(file, _TOP), Cell(reason, _WRAP)])
        book.save(path)


def _duplicates_sheet(
    book: Book, heading: Sequence[str], duplicates: Sequence[DuplicateRow], note: str
) -> None:
    """The pairs the main sheet counts, each named: the count alone told no one which."""
    noted = [*heading, note] if note else heading
    sheet = _sheet(book, DUPLICATES_TITLE, noted, DUPLICATE_HEADERS, DUPLICATE_WIDTHS)
    for pair in duplicates:
        sheet.append([
            Cell(pair.file, _TOP), Cell(pair.reason, _TOP),
            *(Cell(value, _WRAP) for household in pair.households for value in household),
        ])  # fmt: skip
    if not duplicates:  # said, when printed
        sheet.append([Cell("", _TOP), Cell("Không có.", _TOP)])


def _sheet(book: Book, title: str, heading, headers, widths) -> Sheet:  # type: ignore[no-untyped-def]
    """A sheet with the heading (each line wrapped within the printed width, in its own
    row), an empty row and the header row written."""
    header_row = len(heading) + 2
    sheet = book.sheet(title, widths)
    sheet.freeze(f"B{header_row + 1}")
    sheet.filter(f"A{header_row}:{_letter(len(headers) - 1)}{header_row}")
    sheet.print_across(header_row=header_row)
    heading_and_header(sheet, heading, headers)
    return sheet


def _letter(index: int) -> str:
    return chr(ord("A") + index)
