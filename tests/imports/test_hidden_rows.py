"""Rows hidden in the file, by hand or by an autofilter: imported like the others, as
the preview shows every row, but each is pointed out and the file's notes say how many.
A list filtered down to one hamlet, or with the households taken off it hidden rather
than deleted, would otherwise go in whole with nothing said."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from nhao.imports.sniff import Limits
from nhao.imports.source import open_source
from nhao.models.database import Database
from nhao.services.actor import Actor
from nhao.services.household_import import ImportOptions, import_file
from nhao.services.household_import_pass import HIDDEN_ROW

from .conftest import messages, statuses
from .ods_writer import HiddenRow, write_ods
from .xls_writer import write_xls

HEADER = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"]
HOUSEHOLDS = [
    [1, "Nguyễn Văn An", 1960, "Nà Pàn", "Hộ nghèo"],
    [2, "Lò Thị Bình", 1962, "Cốc Lùng", "Hộ nghèo"],
    [3, "Hoàng Văn Cường", 1970, "Nà Pàn", "Cận nghèo"],
    [4, "Vi Thị Dung", 1975, "Cốc Lùng", "Hộ nghèo"],
]


def _hidden_note(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [n for n in report.notes if "đang bị ẩn" in n]


def test_rows_hidden_by_a_filter_in_xlsx_are_imported_and_pointed_out(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "DS"
    sheet.append(["DANH SÁCH HỘ NGHÈO"])
    for row in [HEADER, *HOUSEHOLDS]:
        sheet.append(row)
    # Filtered to Nà Pàn to print: Excel keeps the filter and hides the other rows.
    sheet.auto_filter.ref = "A2:E6"
    sheet.auto_filter.add_filter_column(3, ["Nà Pàn"])
    for number in (4, 6):
        sheet.row_dimensions[number].hidden = True
    sheet.column_dimensions["A"].hidden = True  # a hidden column is no hidden row
    path = tmp_path / "loc-theo-thon.xlsx"
    book.save(path)

    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(3, "ok"), (4, "warning"), (5, "ok"), (6, "warning")]
    assert messages(report, 4) == HIDDEN_ROW
    assert report.imported == 4
    assert _hidden_note(report) == [
        "2 dòng hộ đang bị ẩn trong trang “DS” (ẩn dòng hoặc bộ lọc) mà vẫn được nhập như các "
        "dòng khác: hãy xem lại các dòng đó; dòng nào không thuộc danh sách thì xóa trong tệp "
        "rồi nhập lại."
    ]


def test_a_list_with_nothing_hidden_says_nothing(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, *HOUSEHOLDS]:
        sheet.append(row)
    sheet.row_dimensions[3].hidden = False  # written as a row, but shown
    path = tmp_path / "ds.xlsx"
    book.save(path)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert [s for _, s in statuses(report)] == ["ok"] * 4
    assert _hidden_note(report) == []


def test_a_hidden_header_or_title_row_is_not_counted(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["UBND XÃ BÌNH GIA"], HEADER, *HOUSEHOLDS, ["", "Tổng cộng", "", "", ""]]:
        sheet.append(row)
    for number in (1, 7):  # the title and the totals row: no household there
        sheet.row_dimensions[number].hidden = True
    path = tmp_path / "tieu-de-an.xlsx"
    book.save(path)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report)[:4] == [(3, "ok"), (4, "ok"), (5, "ok"), (6, "ok")]
    assert _hidden_note(report) == []


def test_rows_hidden_in_ods_by_hand_and_by_a_filter(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        HOUSEHOLDS[0],
        HiddenRow(HOUSEHOLDS[1], "filter"),
        HOUSEHOLDS[2],
        HiddenRow(HOUSEHOLDS[3], "collapse"),
        HiddenRow([], "collapse", times=1_048_000),  # LibreOffice hides the rest so
    ]
    path = write_ods(tmp_path / "libre.ods", [("Trang trước", [["x"]]), ("DS", rows)])
    report = import_file(db, admin, path, ImportOptions(sheet="DS"), dry_run=True)
    assert statuses(report) == [(2, "ok"), (3, "warning"), (4, "ok"), (5, "warning")]
    assert messages(report, 5) == HIDDEN_ROW
    assert len(_hidden_note(report)) == 1
    source = open_source(path, Limits())
    assert source.hidden_rows("DS") == frozenset({3, 5})  # not the million empty rows
    assert source.hidden_rows("Trang trước") == frozenset()
    source.close()


def test_rows_hidden_in_xls(db: Database, admin: Actor, tmp_path: Path) -> None:
    path = write_xls(tmp_path / "cu.xls", [("DS", False, [HEADER, *HOUSEHOLDS])], hidden_rows=[2])
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [(2, "ok"), (3, "warning"), (4, "ok"), (5, "ok")]
    assert messages(report, 3) == HIDDEN_ROW
