"""Excel error cells are found by their mark and reference, without parsing a long
sheet cell by cell, and the scan finds what a full parse finds (its time on a
100,000-row sheet is printed by bench/import_bench.py)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nhao.imports import xlsx_errors
from nhao.imports.xlsx_errors import error_cells

ROWS = 40_000
SHEET = "Danh sách"


@pytest.fixture(scope="module")
def long_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("loi") / "dai.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(["STT", "Họ và tên chủ hộ", "Số CCCD", "Năm sinh", "Thôn", "Diện", "Ghi chú"])
    for i in range(ROWS):
        row: list[object] = [i + 1, f"Lò Văn Số {i}", f"0012345{i:05d}", 1960, "Nà Pàn", "HN", ""]
        if i % 997 == 0:  # errors all down the sheet, so some lie across 1 MiB chunks
            row[2 + i % 5] = ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?")[i % 5]
        sheet.append(row)
    book.save(path)
    return path


def test_the_scan_finds_what_parsing_the_sheet_finds(long_sheet: Path) -> None:
    with zipfile.ZipFile(long_sheet) as book:
        parsed = xlsx_errors._errors(book, "xl/worksheets/sheet1.xml")
    assert error_cells(long_sheet, SHEET) == parsed
    assert parsed[(2, 2)] == "#N/A" and parsed[(999, 4)] == "#VALUE!"


def test_error_cells_that_do_not_say_where_they_are_are_found_by_parsing(
    tmp_path: Path,
) -> None:
    # Some programs leave out a cell's reference (r="C2"): its place is its order.
    path = tmp_path / "khong-r.xlsx"
    book = openpyxl.Workbook()
    book.active.title = SHEET
    book.active.append(["Họ và tên chủ hộ", "Số CCCD", "Năm sinh"])
    book.active.append(["Lò Văn Cả", "#N/A", 1965])
    book.save(path)
    with zipfile.ZipFile(path) as zipped:
        parts = {info.filename: zipped.read(info) for info in zipped.infolist()}
    part = "xl/worksheets/sheet1.xml"
    parts[part], count = re.subn(rb'<c r="B2" t="e"', b'<c t="e"', parts[part])
    assert count == 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in parts.items():
            zipped.writestr(name, data)
    assert error_cells(path, SHEET) == {(2, 1): "#N/A"}
