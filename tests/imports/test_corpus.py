"""A hand-made commune list with everything hand-made lists have, and the exact
outcome of every row."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from nhao.domain.enums import Category, Sex
from nhao.models.database import Database
from nhao.reports.import_report_xlsx import write_import_report
from nhao.services import households
from nhao.services.actor import Actor
from nhao.services.household_import import (
    ImportOptions,
    ImportRejected,
    import_file,
    write_report,
)
from nhao.services.verify import verify

from .conftest import make_xlsx, messages, statuses

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Văn Ấn")
MESSY = [
    ["UBND XÃ BÌNH GIA"],
    ["DANH SÁCH HỘ NGHÈO, CẬN NGHÈO CÓ NHU CẦU HỖ TRỢ NHÀ Ở NĂM 2025"],
    [],
    ["STT", "Chủ hộ", "", "", "CCCD/CMND", "SĐT", "Thôn/xóm", "Diện hộ", "", "Số NK", "Ghi chú"],
    ["", "Họ tên", "Năm sinh", "Giới tính", "", "", "", "Nghèo", "Cận nghèo", "", ""],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)"],
    [1, NFD_NAME, 1960, "Nam", "020060000123", "0912 345 678", "Nà Pàn", "x", "", 4, ""],
    [2, "Lò Thị Bé", "05/02/1975", "Nữ", 20175000456, 912345678, "Thôn Nà Pàn", "", "x", "3"],
    [],
    [3, "Hoàng Văn Cường", 1980, "Nam", 1.23457e11, "", "Cốc Lùng", "x", "", 2],
    [4, "Nguyễn Văn Ấn", 1960, "Nam", "020 060 000 123", "", "Nà Pàn", "x", "", 4],
    [5, "Vi Văn Dũng", 1990, "Nam", "", "", "Khau Pì", "x", "", 5],
    [6, "Lý Văn Em", 1955, "nam", "001055000789", "", "Bản Khau Bon", "", "x", "5 người"],
    [7, "Triệu Thị Phượng", 2040, "Nữ", "", "", "Cốc Lùng", "", "x", 3],
    [8, "", 1970, "", "", "", "Nà Pàn", "x", "", 2],
    ["Cộng thôn Nà Pàn", "", "", "", "", "", "", 3, 1, 9],
    [9, "Hà Văn Giang", 1965, "Nam", "020065000111", "", "Cốc Lùng", "x", "", 3, "=1+1"],
    [10, "Hà Thị Hoa", 1968, "Nữ", "", "", None, "", "x", 2],
    ["Tổng cộng", "", "", "", "", "", "", 6, 4, 25],
    [],
    ["", "Bình Gia, ngày 05 tháng 02 năm 2025"],
    ["", "NGƯỜI LẬP BIỂU", "", "", "CHỦ TỊCH UBND XÃ"],
]
MERGES = ["A2:K2", "B4:D4", "H4:I4", "G17:G18"]
EXPECTED = [
    (6, "skipped"),  # "(1) (2) …" under the header
    (7, "ok"),
    (8, "warning"),  # CCCD and phone lost their leading zero: restored
    (10, "error"),  # CCCD in scientific notation
    (11, "skipped"),  # same CCCD as row 7 (spaces inside): skipped by default
    (12, "error"),  # unknown hamlet
    (13, "ok"),
    (14, "error"),  # born in 2040
    (15, "error"),  # no name
    (16, "skipped"),  # sub-total
    (17, "ok"),  # text "=1+1" in the notes stays text
    (18, "ok"),  # hamlet from the cell merged down from row 17
    (19, "skipped"),  # grand total: the table ends here
    (21, "skipped"),  # place and date
    (22, "skipped"),  # signatures
]


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = make_xlsx(tmp_path / "ho-ngheo-2025.xlsx", MESSY, merges=MERGES)
    book = openpyxl.load_workbook(path)
    book.active["K17"].data_type = "s"  # typed as text, as Excel keeps '=1+1
    book.save(path)
    return path


def test_every_row_of_a_messy_list(db: Database, admin: Actor, messy: Path) -> None:
    report = import_file(db, admin, messy, ImportOptions())
    assert report.header_row == 4
    assert statuses(report) == EXPECTED
    assert "Excel đã bỏ số 0 ở đầu" in messages(report, 8)
    assert "Cột E “CCCD/CMND”: Excel đã làm hỏng số CCCD, nhập lại" in messages(report, 10)
    assert "Trùng số CCCD với dòng 7 của tệp." in messages(report, 11)
    assert (
        "Cột G “Thôn/xóm”: Thôn “Khau Pì” chưa có trong xã (các thôn hiện có: Bản Khau Bon, "
        "Thôn Nà Pàn, Xóm Cốc Lùng)" in messages(report, 12)
    )
    assert "Cột C “Chủ hộ / Năm sinh”: Năm sinh phải từ 1900" in messages(report, 14)
    assert "Hãy nhập họ tên chủ hộ." in messages(report, 15)
    assert report.summary() == {
        "ok": 4, "warning": 1, "error": 4, "duplicate": 0, "skipped": 6, "imported": 5,
        "unchanged": 0,
    }
    assert verify(db) == []

    stored = {
        h.head_name: h
        for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    assert sorted(stored) == [
        "Hà Thị Hoa", "Hà Văn Giang", "Lò Thị Bé", "Lý Văn Em", "Nguyễn Văn Ấn",
    ]
    an = stored["Nguyễn Văn Ấn"]  # typed decomposed, stored composed
    assert (an.citizen_id, an.phone, an.birth_year, an.sex) == (
        "020060000123", "0912 345 678", 1960, Sex.male,
    )
    assert an.categories == {Category.poor} and an.members == 4
    be = stored["Lò Thị Bé"]
    assert (be.citizen_id, be.phone, be.birth_year, be.members) == (
        "020175000456", "0912345678", 1975, 3,
    )
    assert be.categories == {Category.near_poor}
    assert stored["Lý Văn Em"].members == 5 and stored["Lý Văn Em"].hamlet_name == "Bản Khau Bon"
    assert stored["Hà Thị Hoa"].hamlet_name == "Xóm Cốc Lùng"
    assert stored["Hà Văn Giang"].notes == "=1+1"


def test_the_json_report(db: Database, admin: Actor, messy: Path, tmp_path: Path) -> None:
    report = import_file(db, admin, messy, ImportOptions(), dry_run=True)
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert list(data)[:6] == ["file", "sheet", "header_row", "mapping", "summary", "rows"]
    assert data["sheet"] == "Danh sách" and data["header_row"] == 4
    assert data["mapping"] == {
        "A": "row_no", "B": "head_name", "C": "birth_year", "D": "sex", "E": "citizen_id",
        "F": "phone", "G": "hamlet", "H": "cat:poor", "I": "cat:near_poor", "J": "members",
        "K": "notes",
    }
    assert data["summary"]["imported"] == 0
    assert [(r["row"], r["status"]) for r in data["rows"]] == EXPECTED
    assert all(set(r) == {"row", "status", "messages"} for r in data["rows"])
    assert households.count_households(db, admin, households.HouseholdQuery()) == 0

    out = tmp_path / "ket-qua.xlsx"
    write_report(report, out)
    sheet = openpyxl.load_workbook(out).active
    table = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [(r[0], r[1]) for r in table][:3] == [(6, "Bỏ qua"), (7, "Hợp lệ"), (8, "Cần xem lại")]
    assert "Excel đã làm hỏng số CCCD" in next(r[3] for r in table if r[0] == 10)


def test_group_titles_give_the_hamlet(db: Database, admin: Actor, tmp_path: Path) -> None:
    rows = [
        ["STT", "Họ và tên", "Năm sinh", "Diện"],
        ["I. Thôn Nà Pàn"],
        [1, "Bàn Văn Sử", 1970, "HN"],
        ["II. Xóm Cốc Lùng"],
        [1, "Bàn Thị Sáu", 1972, "CN"],
    ]
    path = make_xlsx(tmp_path / "theo-thon.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "skipped"), (3, "ok"), (4, "skipped"), (5, "ok")]
    hamlets = {
        h.head_name: h.hamlet_name
        for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    assert hamlets == {"Bàn Văn Sử": "Thôn Nà Pàn", "Bàn Thị Sáu": "Xóm Cốc Lùng"}


@pytest.mark.parametrize(
    "total", ["Tổng:", "Tổng số hộ", "Tổng số hộ: 2", "Tổng toàn xã", "TỔNG HỘ NGHÈO", "Cộng: 2 hộ"]
)
def test_a_total_however_worded_is_not_a_household(
    db: Database, admin: Actor, tmp_path: Path, total: str
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số nhân khẩu", "Hộ nghèo"],
        [1, "Tống Văn Sơn", 1960, 4, "x"],  # Tống folds to "tong", as Tổng does
        [2, "Lò Thị Bé", 1970, 3, "x"],
        ["", total, "", 7, 2],
        ["", "Người lập biểu"],
    ]
    path = make_xlsx(tmp_path / "tong.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Nà Pàn"))
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "skipped"), (5, "skipped")]
    assert "Dòng tổng cộng" in messages(report, 4)


def test_a_hamlet_total_worded_tong_does_not_end_the_table(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
        [1, "Lò Văn An", 1960, "Nà Pàn", "HN"],
        ["", "Tổng thôn Nà Pàn"],
        [2, "Lò Thị Bé", 1970, "Cốc Lùng", "HN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "tong-thon.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "skipped"), (4, "ok")]


def test_birth_years_in_columns_for_men_and_women(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", None, "Thôn", "Diện"],
        [None, None, "Nam", "Nữ", None, None],
        [1, "Nguyễn Văn Ấn", 1960, "\xa0", "Nà Pàn", "HN"],  # a space says nothing
        [2, "Lò Thị Bé", None, "05/02/1970", "Cốc Lùng", "HN"],
        [3, "Lò Thị Cúc", None, 2040, "Cốc Lùng", "HN"],
    ]
    merges = ["C1:D1", "A1:A2", "B1:B2", "E1:E2", "F1:F2"]
    path = make_xlsx(tmp_path / "nam-nu.xlsx", rows, merges=merges)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(3, "ok"), (4, "ok"), (5, "error")]
    assert "Cột C, D “Năm sinh”: Năm sinh phải từ 1900" in messages(report, 5)
    stored = {
        h.head_name: (h.birth_year, h.sex)
        for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    assert stored == {"Nguyễn Văn Ấn": (1960, Sex.male), "Lò Thị Bé": (1970, Sex.female)}


def test_a_mapping_with_the_birth_year_twice_is_refused(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["Họ và tên chủ hộ", "Năm sinh", None, "Ngày sinh", "Diện"],
        [None, "Nam", "Nữ", None, None],
        ["Lò Văn Cả", 1965, None, "1965", "HN"],
    ]
    merges = ["B1:C1", "A1:A2", "D1:D2", "E1:E2"]
    path = make_xlsx(tmp_path / "hai-nam-sinh.xlsx", rows, merges=merges)
    mapping = {
        0: "head_name", 1: "birth_year:male", 2: "birth_year:female", 3: "birth_year",
        4: "categories",
    }
    with pytest.raises(ImportRejected) as refused:
        import_file(db, admin, path, ImportOptions(hamlet="Nà Pàn", mapping=mapping))
    assert str(refused.value) == (
        "Tệp hai-nam-sinh.xlsx: năm sinh được chọn ở cả cột D và các cột theo nam, nữ "
        "(B, C); hãy chỉ chọn một cách ghi năm sinh."
    )
    assert households.list_households(db, admin, households.HouseholdQuery()) == []
    # Found by itself, the file imports from the pair, and says the other column is left.
    report = import_file(db, admin, path, ImportOptions(hamlet="Nà Pàn"))
    assert statuses(report) == [(3, "ok")], messages(report, 3)
    assert any("cột D không được nhập" in n for n in report.notes)


@pytest.mark.parametrize("sex_first", [True, False])
def test_a_sex_column_beside_the_split_birth_year_stands(
    db: Database, admin: Actor, tmp_path: Path, sex_first: bool
) -> None:
    """The year written in the "Nam" column of a woman: the "Giới tính" column, wherever
    it stands, is kept, and the row says the two disagree."""
    header = [
        ["Họ và tên chủ hộ", "Giới tính", "Năm sinh", None, "Diện"],
        [None, None, "Nam", "Nữ", None],
    ]
    rows = [["Lò Thị Bé", "Nữ", 1970, None, "HN"], ["Lò Văn Cả", "Nam", 1965, None, "HN"]]
    merges = ["C1:D1", "A1:A2", "B1:B2", "E1:E2"]
    if not sex_first:  # "Giới tính" to the right of the years
        header = [[r[0], r[2], r[3], r[1], r[4]] for r in header]
        rows = [[r[0], r[2], r[3], r[1], r[4]] for r in rows]
        merges = ["B1:C1", "A1:A2", "D1:D2", "E1:E2"]
    path = make_xlsx(tmp_path / "gioi-tinh.xlsx", header + rows, merges=merges)
    report = import_file(db, admin, path, ImportOptions(hamlet="Nà Pàn"))
    assert statuses(report) == [(3, "warning"), (4, "ok")]
    column = "C" if sex_first else "B"
    assert (
        f"Cột {column} “Năm sinh / Nam”: năm sinh ghi ở cột Nam, khác với cột Giới tính; giữ "
        "giới tính theo cột Giới tính, hãy kiểm tra lại."
    ) in messages(report, 3)
    stored = {
        h.head_name: (h.birth_year, h.sex)
        for h in households.list_households(db, admin, households.HouseholdQuery())
    }
    assert stored == {"Lò Thị Bé": (1970, Sex.female), "Lò Văn Cả": (1965, Sex.male)}


def test_a_hamlet_named_cong_hoa_is_no_total(db: Database, admin: Actor, tmp_path: Path) -> None:
    # With STT a number, the first text is the hamlet, or the name: "Cộng Hòa" is a place,
    # "Tổng Văn Cộng" a name, not "Cộng: 3 hộ" or "Tổng:".
    rows = [
        ["STT", "Thôn", "Họ và tên chủ hộ", "Năm sinh", "Diện"],
        [1, "Cộng Hòa", "Lò Văn An", 1960, "HN"],
        [2, "Nà Pàn", "Lò Thị Bé", 1970, "HN"],
        ["", "", "Tổng Văn Cộng", 1965, "HN"],  # the hamlet of the file
        [3, "Nà Pàn", "Lò Văn Cường", 1975, "HN"],
    ]
    path = make_xlsx(tmp_path / "cong-hoa.xlsx", rows)
    options = ImportOptions(hamlet="Nà Pàn", create_hamlets=True)
    report = import_file(db, admin, path, options, dry_run=True)
    assert statuses(report) == [(2, "warning"), (3, "ok"), (4, "ok"), (5, "ok")]
    assert "Cộng Hòa" in messages(report, 2)  # the hamlet it makes


def test_names_that_fold_like_a_signature_line_are_households(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Without their marks "Tô Trường Giang" is "Tổ trưởng …", "Trương Thông" is
    # "Trưởng thôn", "Cấn Bội Lan" is "Cán bộ …": all people, none a signature.
    names = ["Tô Trường Giang", "Trương Thông", "Trương Bằng", "Cấn Bội Lan", "Chu Tích"]
    rows = [["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"]]
    rows += [[i, name, 1960 + i, "Nà Pàn", "HN"] for i, name in enumerate(names, 1)]
    rows += [
        ["", "Bình Gia, ngày 05 tháng 02 năm 2025"],
        ["", "TỔ TRƯỞNG TỔ CÔNG TÁC"],
        ["", "Trưởng thôn"],
        ["", "nguoi lap bieu"],  # typed without marks: still a signature
        # With punctuation between their words, "kí" for "ký", "và".
        ["", "(Ký, ghi rõ họ tên)"],
        ["", "TM. UBND XÃ"],
        ["", "T/M UBND xã"],
        ["", "(Kí và ghi rõ họ tên)"],
        ["", "Kí tên"],
    ]
    path = make_xlsx(tmp_path / "ten.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(n, "ok") for n in range(2, 7)] + [
        (n, "skipped") for n in range(7, 16)
    ]
    assert report.imported == len(names)


def test_the_report_prints_on_a4_across_under_a_frozen_header(
    db: Database, admin: Actor, messy: Path, tmp_path: Path
) -> None:
    """Its columns are 150 characters wide: printed upright, what to fix in each row went
    on a page of its own, away from the row numbers and names. Scrolling, the header
    stays."""
    report = import_file(db, admin, messy, ImportOptions(), dry_run=True)
    out = tmp_path / "ket-qua.xlsx"
    write_report(report, out)
    sheet = openpyxl.load_workbook(out).active
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (fitToWidth is left out when it is 1, its default), as tall as it takes.
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    header = next(r for r in sheet.iter_rows() if r[0].value == "Dòng")[0].row
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.freeze_panes == f"A{header + 1}"


def test_a_row_of_the_report_is_as_tall_as_its_messages(
    db: Database, admin: Actor, messy: Path, tmp_path: Path
) -> None:
    """Row 8 has two messages, one a line: without a height, LibreOffice printed the
    second over the next row's."""
    report = import_file(db, admin, messy, ImportOptions(), dry_run=True)
    out = tmp_path / "ket-qua.xlsx"
    write_report(report, out)
    sheet = openpyxl.load_workbook(out).active
    row = next(r for r in sheet.iter_rows() if r[0].value == 8)[0].row
    assert (sheet.row_dimensions[row].height or 0) >= 2 * 15
    alone = next(r for r in sheet.iter_rows() if r[0].value == 7)[0].row
    assert sheet.row_dimensions[alone].height is None


def test_names_typed_without_marks_that_read_like_a_signature_line_are_households(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A list typed without marks: "To Truong Giang" reads "Tổ trưởng …" and "Chu Tich"
    # "Chủ tịch" as much as a signature line does; the year and the number beside them
    # say they are households. A signature line typed so holds no number.
    names = ["To Truong Giang", "Chu Tich", "Truong Thon", "Can Bo Lan"]
    rows = [["STT", "Ho va ten chu ho", "Nam sinh", "Thon", "Dien"]]
    rows += [[i, name, 1960 + i, "Na Pan", "HN"] for i, name in enumerate(names, 1)]
    rows += [
        ["", "Binh Gia, ngay 05 thang 02 nam 2025"],
        ["", "To truong to cong tac", "", "Chu tich UBND xa"],
        ["", "Nguoi lap bieu"],
    ]
    path = make_xlsx(tmp_path / "khong-dau.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(n, "ok") for n in range(2, 6)] + [
        (n, "skipped") for n in range(6, 9)
    ]
    assert report.imported == len(names)


def test_a_long_heading_line_is_printed_whole(tmp_path: Path) -> None:
    """The mapping of a wide list is longer than the page: it wraps within columns A to
    D, where printing stops, instead of being cut at column D."""
    mapping = "Các cột: " + ", ".join(f"{chr(65 + n)} → Cột số {n} của tệp" for n in range(26))
    out = tmp_path / "ket-qua.xlsx"
    write_import_report(out, heading=["KẾT QUẢ", mapping], rows=[(3, "ok", "Hợp lệ", "A", [])])
    sheet = openpyxl.load_workbook(out).active
    lines = [row[0] for row in sheet.iter_rows(values_only=True)]
    heading = lines[: lines.index(None)]
    assert heading == ["KẾT QUẢ", mapping] and "A2:D2" in sheet.merged_cells
    assert sheet["A2"].alignment.wrap_text and (sheet.row_dimensions[2].height or 0) > 2 * 15
    assert lines[len(heading) + 1] == "Dòng"  # the table's header follows the heading
    assert sheet.print_title_rows == f"${len(heading) + 2}:${len(heading) + 2}"
    assert sheet.freeze_panes == f"A{len(heading) + 3}"


@pytest.mark.parametrize(
    "title", ["TM. ỦY BAN NHÂN DÂN", "T/M UỶ BAN MTTQ XÃ", "TM. BAN CHỈ ĐẠO", "TM BCĐ XÃ"]
)
def test_a_signature_block_on_behalf_of_a_body_ends_the_list(
    db: Database, admin: Actor, tmp_path: Path, title: str
) -> None:
    # Only "TM. UBND" was known: "TM. ỦY BAN NHÂN DÂN" was read as a household's row
    # and refused for want of a name, one more "error" the clerk could not fix.
    rows = [["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"]]
    rows += [[1, "Lò Văn An", 1960, "Nà Pàn", "HN"], [2, "Lò Thị Bé", 1970, "Nà Pàn", "HN"]]
    rows += [["", "", "", "Bình Gia, ngày 15 tháng 3 năm 2025"], ["", "", "", title],
             ["", "", "", "Chủ tịch"], ["", "Nguyễn Văn Hùng"]]
    path = make_xlsx(tmp_path / "tm.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(create_hamlets=True))
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "skipped"), (5, "skipped"),
                                (6, "skipped"), (7, "skipped")]
    assert report.imported == 2
