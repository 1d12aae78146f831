"""Cells a list should not hold, and files cut oddly: each gets a sentence naming the
row and column (or the file), and none is stored as something it is not."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from nhao.imports.errors import ImportRejected
from nhao.models import Household, Unit
from nhao.models.database import Database
from nhao.services.actor import Actor
from nhao.services.household_import import ImportOptions, import_file
from nhao.services.verify import verify

from .conftest import make_xlsx, messages, statuses
from .ods_writer import OdsError, Repeated, write_ods
from .xls_writer import XlsError, compound_file, workbook_stream, write_xls

HEADER = ["Họ và tên chủ hộ", "Năm sinh", "Dân tộc", "Địa chỉ", "Thôn", "Diện"]


def households(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Household)) or 0


def hamlet_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Unit)) or 0


def test_text_longer_than_its_column_is_an_error_of_its_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # SQLite would keep it all; PostgreSQL at the province would refuse the bundle.
    rows = [HEADER,
            ["A" * 200, 1960, "Tày", "Số 1", "Nà Pàn", "HN"],
            ["B" * 201, 1960, "Tày", "Số 1", "Nà Pàn", "HN"],
            ["Lò Văn C", 1960, "T" * 61, "S" * 301, "Nà Pàn", "HN"]]
    report = import_file(db, admin, make_xlsx(tmp_path / "dai.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "error"), (4, "error")]
    assert "Cột A “Họ và tên chủ hộ”: Họ tên chủ hộ dài quá 200 ký tự (đang có 201)" in (
        messages(report, 3)
    )
    assert "Dân tộc dài quá 60 ký tự" in messages(report, 4)
    assert "Địa chỉ dài quá 300 ký tự" in messages(report, 4)
    assert households(db) == 1 and verify(db) == []


def test_a_hamlet_name_too_long_is_not_created(db: Database, admin: Actor, tmp_path: Path) -> None:
    before = hamlet_count(db)
    rows = [HEADER, ["Lò Văn A", 1960, "Tày", "", "Thôn " + "X" * 200, "HN"]]
    path = make_xlsx(tmp_path / "thon.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(create_hamlets=True))
    assert statuses(report) == [(2, "error")]
    assert "Tên thôn, xóm dài quá 200 ký tự" in messages(report, 2)
    assert report.created_hamlets == [] and hamlet_count(db) == before


def test_a_cell_of_another_kind_is_not_taken_as_a_name_or_a_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [HEADER,
            [True, 1960, "", "", "Nà Pàn", "HN"],
            [date(2020, 5, 17), 1960, "", "", "Nà Pàn", "HN"],
            [0, 1960, "", "", "Nà Pàn", "HN"],
            ["Lò Văn D", 1960, "", "", True, "HN"],
            ["Lò Văn E", 65, "", "", "Nà Pàn", "HN"]]
    report = import_file(
        db, admin, make_xlsx(tmp_path / "lan.xlsx", rows), ImportOptions(create_hamlets=True)
    )
    assert [s for _, s in statuses(report)] == ["error"] * 5
    # The cell says what it holds; the form's "enter a name" would only repeat it.
    assert messages(report, 2) == (
        "Cột A “Họ và tên chủ hộ”: Ô chứa giá trị đúng/sai “TRUE”, không phải họ tên người."
    )
    assert "ngày tháng “17/05/2020”" in messages(report, 3)
    assert "một con số “0”" in messages(report, 4)
    assert "không phải tên thôn, xóm" in messages(report, 5)
    assert "“65” không phải là năm" in messages(report, 6)
    assert report.created_hamlets == [] and households(db) == 0


def test_a_second_name_column_is_not_the_head(db: Database, admin: Actor, tmp_path: Path) -> None:
    rows = [["STT", "Họ và tên vợ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Họ và tên"],
            [1, "Lò Thị Vợ", "Lò Văn Chồng", 1960, "Nà Pàn", "Lò Văn Khác"]]
    report = import_file(db, admin, make_xlsx(tmp_path / "vo.xlsx", rows), ImportOptions())
    assert report.mapping[2] == "head_name" and 1 not in report.mapping
    assert [o.head_name for o in report.rows] == ["Lò Văn Chồng"]
    # The column F that also names a head is left out, and the person is told.
    assert report.notes[0] == (
        "Cột F “Họ và tên” cũng là “Họ và tên chủ hộ” như cột C; chỉ lấy cột C, "
        "cột F không được nhập."
    )


def test_a_sheet_with_only_its_header_is_refused(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = make_xlsx(tmp_path / "trong.xlsx", [HEADER])
    with pytest.raises(ImportRejected, match="không có dòng nào dưới dòng tiêu đề .dòng 1."):
        import_file(db, admin, path, ImportOptions())


def test_a_csv_cell_past_the_field_limit_names_its_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "ngoac.csv"
    lines = ["Họ và tên chủ hộ,Năm sinh,Thôn,Diện"]
    lines += [f"Người {i},1960,Nà Pàn,HN" for i in range(5)]
    lines += ['"Người mở ngoặc,1960,Nà Pàn,HN'] + ["x" * 1000] * 200  # never closed
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"ngoac\.csv không đọc được ở dòng 7: .*ngoặc kép"):
        import_file(db, admin, path, ImportOptions())
    assert households(db) == 0 and verify(db) == []


def test_semicolons_win_over_the_commas_of_addresses(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "cham-phay.csv"
    rows = ["Họ và tên chủ hộ;Năm sinh;Địa chỉ;Thôn;Diện"] + [
        f"Người {i};1960;Số {i}, ngõ 2, ngách 3, đường 4, phố 5, tổ 6, phường 7;Nà Pàn;HN"
        for i in range(8)
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert {s for _, s in statuses(report)} == {"ok"} and len(report.rows) == 8


def test_a_csv_mixing_two_encodings_is_refused(db: Database, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "tron.csv"
    head = "Họ và tên chủ hộ,Năm sinh,Thôn,Diện\n"
    path.write_bytes(
        head.encode() + "Nguyễn Văn Một,1960,Nà Pàn,HN\n".encode()
        + "Lo\u0300 Văn Hai,1961,Na Pan,HN\n".encode("cp1258")  # as Windows-1258 spells it
    )
    with pytest.raises(ImportRejected, match="trộn hai kiểu mã chữ: dòng 1, 2 .*dòng 3"):
        import_file(db, admin, path, ImportOptions())


def _with_cell_xml(path: Path, cell: str, xml: bytes) -> None:
    """Put a cell written as Excel writes it (a formula with its cached value) into the
    first sheet of an xlsx openpyxl made: openpyxl itself keeps no cached values."""
    import re
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as book:
        for info in book.infolist():
            parts[info.filename] = book.read(info)
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet], count = re.subn(
        rb'<c r="%s"[^>]*?(/>|>.*?</c>)' % cell.encode(), xml, parts[sheet]
    )
    assert count == 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_cell_holding_an_excel_error_is_an_error_of_its_row_not_an_empty_cell(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A VLOOKUP that found nothing leaves #N/A where the citizen ID should be; read as
    # an empty cell, the household would go in with no ID and nobody told.
    rows = [
        ["Họ và tên chủ hộ", "Số CCCD", "Năm sinh", "Thôn", "Diện"],
        ["Lò Văn Cả", "#N/A", 1965, "Nà Pàn", "HN"],
        ["Lò Thị Bé", None, "#REF!", "Nà Pàn", "HN"],
        ["Hoàng Văn Páo", None, 0, "Nà Pàn", "HN"],
        ["Vi Văn Dũng", None, 0, "Nà Pàn", "HN"],
    ]
    path = make_xlsx(tmp_path / "loi-excel.xlsx", rows)
    _with_cell_xml(path, "C4", b'<c r="C4"><f>1900+70</f><v>1970</v></c>')
    _with_cell_xml(path, "C5", b'<c r="C5" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "error"), (3, "error"), (4, "ok"), (5, "error")]
    assert messages(report, 2) == (
        "Cột B “Số CCCD”: Ô có lỗi #N/A của Excel thay cho giá trị (công thức không tính "
        "ra); hãy sửa ô này trong Excel rồi nhập lại."
    )
    assert "Cột C “Năm sinh”: Ô có lỗi #REF! của Excel" in messages(report, 3)
    assert "Cột C “Năm sinh”: Ô có lỗi #DIV/0! của Excel" in messages(report, 5)
    with db.session() as session:
        assert session.scalars(select(Household.head_name)).all() == ["Hoàng Văn Páo"]
        assert session.scalar(select(Household.birth_year)) == 1970


def test_a_column_of_excel_errors_down_the_sheet_is_an_error_on_every_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A VLOOKUP filled down the whole list leaves #N/A on every row it found nothing
    # for. (Each error row once looked through every error of the sheet: a quarter of
    # an hour for 100,000 rows; bench/import_bench.py prints the scan's time.)
    rows = [["Họ và tên chủ hộ", "Số CCCD", "Năm sinh", "Thôn", "Diện"]]
    rows += [[f"Lò Văn Số {i}", "#N/A", 1960, "Nà Pàn", "HN"] for i in range(3_000)]
    path = make_xlsx(tmp_path / "tra-cuu.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert report.summary()["error"] == 3_000
    assert "Cột B “Số CCCD”: Ô có lỗi #N/A của Excel" in messages(report, 3_001)


def test_an_excel_error_cell_in_an_xls_file_is_an_error_of_its_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Excel 97–2003 lists: calamine reads a typed error cell and a formula's cached
    # error as empty, as it does in .xlsx. xlrd finds them.
    rows: list[list[object]] = [
        ["Họ và tên chủ hộ", "Số CCCD", "Năm sinh", "Thôn", "Diện", "Tra cứu"],
        ["Lò Văn Cả", XlsError("#N/A", formula=True), 1965, "Nà Pàn", "HN", 1],
        ["Lò Thị Bé", None, XlsError("#REF!"), "Nà Pàn", "HN", 2],
        ["Hoàng Văn Páo", None, 1970, "Nà Pàn", "HN", 3],
        [None, None, None, None, None, XlsError("#N/A", formula=True)],  # filled down
    ]
    path = write_xls(tmp_path / "loi-excel.xls", [("DS", False, rows)])
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "error"), (3, "error"), (4, "ok")]
    assert messages(report, 2) == (
        "Cột B “Số CCCD”: Ô có lỗi #N/A của Excel thay cho giá trị (công thức không tính "
        "ra); hãy sửa ô này trong Excel rồi nhập lại."
    )
    assert "Cột C “Năm sinh”: Ô có lỗi #REF! của Excel" in messages(report, 3)
    assert households(db) == 1


def test_a_formula_error_in_an_ods_file_is_an_error_of_its_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # LibreOffice's error cells read as empty through calamine. Runs of equal cells are
    # written once (number-columns-repeated): the error is still found under its column.
    rows: list[list[object]] = [
        ["Họ và tên chủ hộ", "Số CCCD", "Năm sinh", "Thôn", "Diện", "Tra cứu"],
        ["Lò Văn Cả", OdsError("#N/A"), 1965, "Nà Pàn", "HN", 1],
        ["Lò Thị Bé", Repeated("", 1), OdsError("Err:502"), "Nà Pàn", "HN", 2],
        ["Hoàng Văn Páo", None, 1970, "Nà Pàn", "HN", 3],
        [Repeated(None, 5), OdsError("#N/A")],  # a lookup filled down past the list
    ]
    path = write_ods(tmp_path / "loi.ods", [("DS", rows)])
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "error"), (3, "error"), (4, "ok")]
    assert "Cột B “Số CCCD”: Ô có lỗi #N/A của Excel" in messages(report, 2)
    assert "Cột C “Năm sinh”: Ô có lỗi Err:502 của LibreOffice" in messages(report, 3)
    assert households(db) == 1


def test_an_xls_file_without_error_cells_is_not_parsed_a_second_time() -> None:
    from nhao.imports import xls_errors

    plain = compound_file(workbook_stream([("DS", False, [["Lò Văn Cả", 1965, "HN"]] * 50)]))
    assert not xls_errors._has_error_records(plain)
    marked = compound_file(workbook_stream([("DS", False, [["Lò Văn Cả", XlsError("#N/A")]])]))
    assert xls_errors._has_error_records(marked)
    assert xls_errors.error_cells(marked, "DS") == {(1, 1): "#N/A"}
    assert xls_errors.error_cells(b"not an xls file", "DS") == {}


# A list saved from Excel as CSV, or pasted as values into .ods or .xls, holds the
# error as its text: "#N/A" is no citizen ID, and a row of nothing else is no household.
ERRORS_AS_TEXT = [
    ["Họ và tên chủ hộ", "Số CCCD", "Năm sinh", "Thôn", "Địa chỉ", "Diện", "Tra cứu"],
    ["Lò Văn Cả", "#N/A", 1965, "Nà Pàn", "Số #12, ngõ 3", "HN", "#N/A"],
    ["Lò Thị Bé", "", " #REF! ", "Nà Pàn", "", "HN", "#N/A"],
    ["#Lò Văn Thêm", "", 1970, "Nà Pàn", "#N/A cũ", "HN", "#VALUE!"],
    ["", "", "", "", "", "", "#N/A"],
    ["#DIV/0!", "#N/A", "", "#NAME?", "", "#N/A", "#N/A"],
    ["#GETTING_DATA", "", "", "", "", "", ""],
]


def _errors_as_text(kind: str, path: Path) -> Path:
    if kind == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(ERRORS_AS_TEXT)
    elif kind == "ods":
        write_ods(path, [("DS", ERRORS_AS_TEXT)])
    elif kind == "xls":
        write_xls(path, [("DS", False, ERRORS_AS_TEXT)])
    else:  # xlsx text cells, as another program writes them (openpyxl makes error cells)
        book = openpyxl.Workbook()
        for row in ERRORS_AS_TEXT:
            book.active.append(row)
        for row in book.active.iter_rows():
            for cell in row:
                if cell.data_type == "e":
                    cell.data_type = "s"
        book.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "ods", "xls", "xlsx"])
def test_an_excel_error_written_as_text_is_an_error_cell_in_every_format(
    db: Database, admin: Actor, tmp_path: Path, kind: str
) -> None:
    path = _errors_as_text(kind, tmp_path / f"loi-chu.{kind}")
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "error"), (3, "error"), (4, "ok")]
    assert messages(report, 2) == (
        "Cột B “Số CCCD”: Ô có lỗi #N/A của Excel thay cho giá trị (công thức không tính "
        "ra); hãy sửa ô này trong Excel rồi nhập lại."
    )
    assert "Cột C “Năm sinh”: Ô có lỗi #REF! của Excel" in messages(report, 3)
    with db.session() as session:  # text that merely holds a # is text
        assert session.execute(select(Household.head_name, Household.address)).all() == [
            ("#Lò Văn Thêm", "#N/A cũ")
        ]


def test_a_row_holding_nothing_but_excel_errors_is_an_empty_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Formulas filled down past the end of the list show #N/A on the empty rows below
    # it: those rows were empty rows before error cells were read, and stay so; a
    # household's row with an error cell is still an error of its row.
    rows = [
        ["Họ và tên chủ hộ", "Số CCCD", "Năm sinh", "Thôn", "Diện", "Tra cứu"],
        ["Lò Văn Cả", None, 1965, "Nà Pàn", "HN", 1],
        ["Lò Thị Bé", "#N/A", 1970, "Nà Pàn", "HN", "#N/A"],
        [None, None, None, None, None, "#N/A"],
        [None, "#N/A", None, None, None, "#N/A"],
        ["#REF!", None, None, None, None, None],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "cuoi.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "error")]
    assert "Cột B “Số CCCD”: Ô có lỗi #N/A của Excel" in messages(report, 3)
    assert households(db) == 1


def test_an_ods_error_after_a_long_run_of_empty_rows_is_found_on_its_row(tmp_path: Path) -> None:
    # Found in review: a run of rows written once was counted as at most 100,000 rows,
    # so every error cell below a longer run was looked for 50,000 rows too high up.
    from nhao.imports.ods_errors import error_cells

    from .ods_writer import RepeatedRow

    rows = [["Họ tên", "CCCD"], RepeatedRow([""], 150_000), ["Lò Văn Sáng", OdsError("#N/A")]]
    path = write_ods(tmp_path / "dai.ods", [("DS", rows)])
    assert error_cells(path.read_bytes(), "DS") == {(150_002, 1): "#N/A"}


def test_ods_error_cells_are_not_spread_past_the_sheet_the_import_reads(tmp_path: Path) -> None:
    # A row of errors written once for many rows and columns: a few hundred bytes of
    # content.xml spread into a dictionary entry per cell (2,000 x 1,000 here, and up to
    # 100,000 x 100,000), past what the sheet itself holds.
    from nhao.imports.ods_errors import error_cells

    from .ods_writer import RepeatedRow

    block = RepeatedRow(["x", Repeated(OdsError("#N/A"), 1000)], 2000)
    path = write_ods(tmp_path / "khoi.ods", [("DS", [["Họ tên", "CCCD"], block])])
    found = error_cells(path.read_bytes(), "DS", size=(3, 2))
    assert found == {(2, 1): "#N/A", (3, 1): "#N/A"}


def test_years_typed_in_a_column_formatted_as_dates(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên chủ hộ", "Ngày sinh", "Thôn", "Diện"])
    sheet.append(["Nguyễn Văn An", 1960, "Nà Pàn", "HN"])  # Excel shows 13/05/1905
    sheet.append(["Lò Thị Bé", date(1975, 3, 12), "Nà Pàn", "HN"])
    for row in (2, 3):
        sheet.cell(row, 2).number_format = "dd/mm/yyyy"
    path = tmp_path / "ngay-sinh.xlsx"
    book.save(path)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "warning"), (3, "ok")]
    assert "hiểu là năm 1960" in messages(report, 2)
    with db.session() as session:
        years = session.execute(select(Household.head_name, Household.birth_year)).all()
    assert sorted(years) == [("Lò Thị Bé", 1975), ("Nguyễn Văn An", 1960)]
