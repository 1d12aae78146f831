"""Lists as commune clerks keep them, in the shapes the corpus does not have yet: a row
per family member, a signature block with the signers' names under it, a template
numbered down in advance, hamlets as group titles beside a Roman numeral, a header over
three rows, categories with their year."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nhao.domain.enums import Category, Sex
from nhao.models.database import Database
from nhao.services import households, units
from nhao.services.actor import Actor
from nhao.services.household_import import (
    DuplicateAction,
    ImportOptions,
    ImportRejected,
    import_file,
)

from .conftest import make_csv, make_xlsx, messages, statuses

TITLE = [["UBND XÃ BÌNH GIA"], ["DANH SÁCH HỘ NGHÈO CẦN HỖ TRỢ NHÀ Ở"], []]


def _stored(db: Database, admin: Actor) -> dict[str, households.HouseholdView]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return {h.head_name: h for h in found}


def test_family_members_on_their_own_rows_are_not_households(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = make_xlsx(
        tmp_path / "nhan-khau.xlsx",
        TITLE
        + [
            ["STT", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Diện hộ"],
            [1, "Nguyễn Văn An", "Chủ hộ", 1960, "020060000123", "Nà Pàn", "Hộ nghèo"],
            ["", "Lò Thị Bình", "Vợ", 1962, "020162000124", "Nà Pàn", ""],
            ["", "Nguyễn Văn Cường", "Con", 1990, "", "Nà Pàn", ""],
            [2, "Hoàng Thị Dung", "CH", 1970, "", "Cốc Lùng", "Cận nghèo"],
            ["", "Hoàng Văn Em", "con trai", 1995, "", "Cốc Lùng", ""],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert report.mapping[1] == "head_name" and report.mapping[2] == "relation"
    assert statuses(report) == [
        (5, "ok"),
        (6, "skipped"),
        (7, "skipped"),
        (8, "ok"),
        (9, "skipped"),
    ]
    assert messages(report, 6) == (
        "Cột C “Quan hệ với chủ hộ”: “Vợ” là người trong hộ, không phải chủ hộ: bỏ qua."
    )
    assert "“con trai” là người trong hộ" in messages(report, 9)
    assert sorted(_stored(db, admin)) == ["Hoàng Thị Dung", "Nguyễn Văn An"]


def test_the_signers_names_under_the_signature_block_are_not_households(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # No total row: the list ends with the place and date, the signature lines and,
    # a few rows below, the signers' names, one of them in the name column.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện hộ", ""],
        [1, "Nguyễn Văn An", 1960, "HN", ""],
        [2, "Lò Văn Bình", 1961, "CN", ""],
        [],
        ["", "", "", "Bình Gia, ngày 10 tháng 3 năm 2025"],
        ["", "Người lập biểu", "", "TM. UBND XÃ"],
        ["", "(Ký, ghi rõ họ tên)", "", "CHỦ TỊCH"],
        [],
        [],
        ["", "Nông Văn Tuấn", "", "Hoàng Văn Quang"],
    ]
    path = make_xlsx(tmp_path / "ky-ten.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Thôn Nà Pàn"))
    assert statuses(report) == [
        (5, "ok"), (6, "ok"), (8, "skipped"), (9, "skipped"), (10, "skipped"), (13, "skipped"),
    ]  # fmt: skip
    assert messages(report, 13) == "Phần cuối bảng (ngày tháng, ký tên): bỏ qua."
    assert sorted(_stored(db, admin)) == ["Lò Văn Bình", "Nguyễn Văn An"]


def test_hamlet_titles_in_the_name_column_beside_a_roman_numeral(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # The usual layout of a commune-wide list: "I", "II" in the STT column, the hamlet in
    # the name column, a subtotal under each hamlet; no hamlet column at all.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Hộ nghèo", "Hộ cận nghèo"],
        ["I", "Thôn Nà Pàn"],
        [1, "Nguyễn Văn An", 1960, "020060000123", "x", ""],
        [2, "Lò Văn Bình", 1961, "020061000124", "", "x"],
        ["", "Cộng", "", "", 1, 1],
        ["II.", "Xóm Cốc Lùng", "", "", "", ""],
        [1, "Hoàng Văn Cường", 1962, "020062000125", "x", ""],
        ["", "Tổng cộng", "", "", 2, 1],
    ]
    path = make_xlsx(tmp_path / "theo-thon.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (5, "skipped"), (6, "ok"), (7, "ok"), (8, "skipped"), (9, "skipped"), (10, "ok"),
        (11, "skipped"),
    ]  # fmt: skip
    assert messages(report, 9) == "Tiêu đề nhóm: các dòng dưới thuộc Xóm Cốc Lùng."
    stored = _stored(db, admin)
    assert stored["Lò Văn Bình"].hamlet_name == "Thôn Nà Pàn"
    assert stored["Hoàng Văn Cường"].hamlet_name == "Xóm Cốc Lùng"


def test_rows_numbered_in_advance_and_left_blank_are_skipped(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A template numbered down to 6 before the households were known; 7 is text.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "HN"],
        [2, "Lò Văn Bình", 1961, "Nà Pàn", "HN"],
        [3],
        [4, "", None, "", ""],
        ["5"],
        [6, "", "", "Nà Pàn", ""],  # a hamlet but no one: still a row to fill in
    ]
    path = make_xlsx(tmp_path / "mau.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (5, "ok"), (6, "ok"), (7, "skipped"), (8, "skipped"), (9, "skipped"), (10, "error"),
    ]  # fmt: skip
    assert messages(report, 7) == "Dòng chỉ có số thứ tự, chưa ghi hộ nào: bỏ qua."
    assert "Hãy nhập họ tên chủ hộ." in messages(report, 10)


def test_a_header_over_three_rows(db: Database, admin: Actor, tmp_path: Path) -> None:
    # "Thông tin chủ hộ" over the person's columns, "Ngày tháng năm sinh" over the "Nam"
    # and "Nữ" columns below it, "Giấy tờ tùy thân" over the ID and its date of issue.
    rows = [
        ["STT", "Thông tin chủ hộ", "", "", "", "", "Thôn", "Diện hộ", "", "Ghi chú"],
        ["", "Họ và tên", "Ngày tháng năm sinh", "", "Giấy tờ tùy thân", "", "", "Hộ nghèo",
         "Hộ cận nghèo", ""],
        ["", "", "Nam", "Nữ", "Số CCCD", "Ngày cấp", "", "", "", ""],
        [1, "Nguyễn Văn An", 1960, "", "020060000123", "12/05/2021", "Nà Pàn", "x", "", ""],
        [2, "Lò Thị Bé", "", 1975, "020175000456", "01/01/2022", "Cốc Lùng", "", "x", ""],
    ]  # fmt: skip
    merges = ["A4:A6", "B4:F4", "G4:G6", "H4:I4", "J4:J6", "B5:B6", "C5:D5", "E5:F5"]
    path = make_xlsx(tmp_path / "ba-dong.xlsx", TITLE + rows, merges=merges)
    report = import_file(db, admin, path, ImportOptions())
    assert report.header_row == 4
    assert report.mapping == {
        0: "row_no", 1: "head_name", 2: "birth_year:male", 3: "birth_year:female",
        4: "citizen_id", 6: "hamlet", 7: "cat:poor", 8: "cat:near_poor", 9: "notes",
    }  # fmt: skip
    assert statuses(report) == [(7, "ok"), (8, "ok")]
    stored = _stored(db, admin)
    be = stored["Lò Thị Bé"]
    assert (be.birth_year, be.citizen_id, be.categories) == (
        1975, "020175000456", {Category.near_poor},
    )  # fmt: skip
    assert stored["Nguyễn Văn An"].birth_year == 1960


def test_categories_written_with_their_year(db: Database, admin: Actor, tmp_path: Path) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "HN-2024"],
        [2, "Lò Văn Bình", 1961, "Nà Pàn", "HN2024"],
        [3, "Hoàng Văn Cường", 1962, "Nà Pàn", "HCN (2023)"],
        [4, "Vi Văn Dũng", 1963, "Nà Pàn", "Hộ nghèo (NĐ 07)"],
        [5, "Lý Văn Em", 1964, "Nà Pàn", "CN - 2024; NCC"],
        [6, "Hà Văn Giang", 1965, "Nà Pàn", "2024"],  # a year alone says no category
    ]
    path = make_xlsx(tmp_path / "dien-ho.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (5, "ok"), (6, "ok"), (7, "ok"), (8, "ok"), (9, "ok"), (10, "warning"),
    ]  # fmt: skip
    assert "Hộ chưa thuộc diện nào" in messages(report, 10)
    stored = _stored(db, admin)
    assert stored["Lò Văn Bình"].categories == {Category.poor}
    assert stored["Hoàng Văn Cường"].categories == {Category.near_poor}
    assert stored["Lý Văn Em"].categories == {Category.near_poor, Category.revolutionary_merit}


def test_ditto_marks_take_the_cell_above(db: Database, admin: Actor, tmp_path: Path) -> None:
    # "nt" (như trên, "as above") and its spellings, as hand-typed lists write them.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Dân tộc", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "Tày", "Nà Pàn", "HN"],
        [2, "Lò Văn Bình", 1961, "nt", "nt", "nt"],
        [3, "Hoàng Văn Cường", 1962, "-nt-", "-nt-", "CN"],
        [4, "Vi Văn Dũng", 1963, '"', "“", '"'],
        [5, "Lý Văn Em", 1964, "Như trên", "Cốc Lùng", "n.t"],
        [6, "Hà Văn Giang", 1965, "Nùng", "nt", "HN"],
    ]
    path = make_xlsx(tmp_path / "nhu-tren.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "ok"), (6, "ok"), (7, "ok"), (8, "ok"), (9, "ok"), (10, "ok")]
    stored = _stored(db, admin)
    assert [
        (stored[n].ethnicity, stored[n].hamlet_name, stored[n].categories)
        for n in ("Lò Văn Bình", "Hoàng Văn Cường", "Vi Văn Dũng", "Lý Văn Em", "Hà Văn Giang")
    ] == [
        ("Tày", "Thôn Nà Pàn", {Category.poor}),
        ("Tày", "Thôn Nà Pàn", {Category.near_poor}),
        ("Tày", "Thôn Nà Pàn", {Category.near_poor}),
        ("Tày", "Xóm Cốc Lùng", {Category.near_poor}),
        ("Nùng", "Xóm Cốc Lùng", {Category.poor}),
    ]


def test_a_ditto_mark_with_nothing_above_it_is_an_error(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "nt", "HN"],
    ]
    path = make_xlsx(tmp_path / "nhu-tren.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "error")]
    assert messages(report, 5) == (
        "Cột D “Thôn”: “nt” (như trên) nhưng không có hộ nào ở trên; hãy ghi rõ."
    )


def test_no_id_and_no_phone_written_in_words_are_empty(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "SĐT", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "Chưa có", "Không có", "Nà Pàn", "HN"],
        [2, "Lò Văn Bình", 1961, "chưa cấp", "không", "Nà Pàn", "HN"],
        [3, "Hoàng Văn Cường", 1962, "Không", "-", "Nà Pàn", "HN"],
        [4, "Vi Văn Dũng", 1963, "Không rõ số", "Ko có", "Nà Pàn", "HN"],
    ]
    path = make_xlsx(tmp_path / "chua-co.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    # Other words, no digit: no ID either, the words said (test_id_columns.py::
    # test_words_in_the_id_column_leave_the_household_without_one).
    assert statuses(report) == [(5, "ok"), (6, "ok"), (7, "ok"), (8, "warning")]
    assert messages(report, 8).startswith("Cột D “Số CCCD”: Ô ghi “Không rõ số”, không có số")
    stored = _stored(db, admin)
    assert (stored["Nguyễn Văn An"].citizen_id, stored["Nguyễn Văn An"].phone) == ("", "")


def test_the_list_on_the_second_sheet_behind_an_empty_first_one(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # WPS and Excel start a workbook with empty sheets; the list went on "Sheet2".
    path = tmp_path / "sheet2.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    listed = book.create_sheet("Sheet2")
    for row in TITLE + [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "HN"],
    ]:
        listed.append(row)
    book.create_sheet("Sheet3")
    book.save(path)
    report = import_file(db, admin, path, ImportOptions())
    assert (report.sheet, statuses(report)) == ("Sheet2", [(5, "ok")])


def test_a_sheet_per_hamlet_gives_the_hamlet(db: Database, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "theo-thon.xlsx"
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, head in [("Nà Pàn", "Nguyễn Văn An"), ("Cốc Lùng", "Lò Văn Bình"), ("Tổng hợp", "")]:
        sheet = book.create_sheet(name)
        sheet.append([f"DANH SÁCH HỘ NGHÈO {name.upper()}"])
        sheet.append(["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện hộ"])
        sheet.append([1, head or "Hà Văn Giang", 1960, "HN"])
    book.save(path)
    report = import_file(db, admin, path, ImportOptions(sheet="Cốc Lùng"))
    assert statuses(report) == [(3, "ok")]
    assert report.notes == [
        "Tệp không có cột thôn, xóm: các hộ được ghi vào Xóm Cốc Lùng theo tên trang tính "
        "“Cốc Lùng”.",
        "Các trang tính “Nà Pàn”, “Tổng hợp” của tệp cũng có danh sách hộ; lần nhập này chỉ "
        "đọc trang “Cốc Lùng”, hãy nhập tiếp từng trang đó.",
    ]
    assert _stored(db, admin)["Lò Văn Bình"].hamlet_name == "Xóm Cốc Lùng"
    with pytest.raises(ImportRejected, match="thiếu cột bắt buộc: Thôn, xóm"):
        import_file(db, admin, path, ImportOptions(sheet="Tổng hợp"))


def test_a_phone_number_with_a_word_about_whose_it_is(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "SĐT", "Thôn", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "0912345678 (con trai)", "Nà Pàn", "HN"],
        [2, "Lò Văn Bình", 1961, "0912 345 679 - con gái", "Nà Pàn", "HN"],
        [3, "Hoàng Văn Cường", 1962, "0912345680 / 0987654321", "Nà Pàn", "HN"],
    ]
    path = make_xlsx(tmp_path / "sdt.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "warning"), (6, "warning"), (7, "warning")]
    assert messages(report, 5) == (
        "Cột D “SĐT”: Số điện thoại có kèm lời ghi “con trai”; chỉ lấy số 0912345678, "
        "hãy kiểm tra lại."
    )
    # Two numbers: the first taken, the other said (test_a_cell_with_two_phone_numbers_…).
    assert "chỉ lấy số đầu 0912345680" in messages(report, 7)
    stored = _stored(db, admin)
    assert (stored["Nguyễn Văn An"].phone, stored["Lò Văn Bình"].phone) == (
        "0912345678", "0912 345 679",
    )  # fmt: skip


def test_a_head_written_with_a_mark_or_a_note_is_still_the_head(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Chủ hộ." typed with a full stop, "Chủ hộ (nữ)", a dash: the head's row all the
    # same; skipping it would drop the household with only a line among the skipped.
    rows = [
        ["STT", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", "Diện hộ"],
        [1, "Nguyễn Văn An", "Chủ hộ.", 1960, "Hộ nghèo"],
        ["", "Lò Thị Bình", "Vợ", 1962, ""],
        [2, "Hoàng Thị Dung", "Chủ hộ (nữ)", 1970, "Hộ nghèo"],
        [3, "Vi Văn Ba", "-", 1971, "Hộ nghèo"],
    ]
    path = make_xlsx(tmp_path / "chu-ho.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Thôn Nà Pàn"))
    assert statuses(report) == [(5, "ok"), (6, "skipped"), (7, "ok"), (8, "ok")]
    assert sorted(_stored(db, admin)) == ["Hoàng Thị Dung", "Nguyễn Văn An", "Vi Văn Ba"]


def test_a_relation_neither_head_nor_member_is_an_error_not_a_skipped_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "C.Hộ" is the head, "Chú" an uncle (it folds to "chu", as "Chủ" does), and a word
    # that is no relation is an error: skipped among the members, a head would be lost.
    rows = [
        ["STT", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", "Diện hộ"],
        [1, "Nguyễn Văn An", "C.Hộ", 1960, "Hộ nghèo"],
        ["", "Nguyễn Văn Tư", "Chú", 1940, ""],
        [2, "Hoàng Thị Dung", "Chủ", 1970, "Hộ nghèo"],
        [3, "Vi Văn Ba", "HGĐ", 1971, "Hộ nghèo"],
        ["", "Vi Thị Hoa", "Mẹ vợ", 1950, ""],
    ]
    path = make_xlsx(tmp_path / "quan-he.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Thôn Nà Pàn"))
    assert statuses(report) == [(5, "ok"), (6, "skipped"), (7, "ok"), (8, "error"), (9, "skipped")]
    assert messages(report, 8) == (
        "Cột C “Quan hệ với chủ hộ”: không rõ “HGĐ” là chủ hộ hay người trong hộ; ghi “Chủ hộ” "
        "ở dòng của chủ hộ, quan hệ (Vợ, Con…) ở dòng người trong hộ."
    )
    assert "“Chú” là người trong hộ" in messages(report, 6)
    assert sorted(_stored(db, admin)) == ["Hoàng Thị Dung", "Nguyễn Văn An"]


def test_households_below_a_signature_block_in_mid_list_are_said_not_lost_in_the_footer(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Each hamlet's block signed by its head before the next block begins: the list
    # ends at the first signer's title. What follows may be another list (households
    # taken off it), so it is not imported, but its households' rows say what they are.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện hộ"],
        ["I", "Thôn Nà Pàn"],
        [1, "Nguyễn Văn An", 1960, "HN"],
        ["", "Xác nhận của trưởng thôn"],
        ["", "Hoàng Văn Quang"],
        ["II", "Thôn Cốc Lùng"],
        [2, "Lò Văn Bình", 1961, "CN"],
        [3, "Vi Thị Dung", "", "HN"],
    ]
    path = make_xlsx(tmp_path / "tung-thon.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [
        (5, "skipped"), (6, "ok"), (7, "skipped"), (8, "skipped"), (9, "skipped"),
        (10, "skipped"), (11, "skipped"),
    ]  # fmt: skip
    assert messages(report, 8) == "Phần cuối bảng (ngày tháng, ký tên): bỏ qua."
    assert messages(report, 10) == (
        "Dòng có vẻ là một hộ nhưng nằm dưới phần cuối bảng (dòng 7): bỏ qua. Nếu dòng này vẫn "
        "thuộc danh sách, hãy xóa phần tổng cộng, ký tên ở giữa danh sách rồi nhập lại."
    )
    assert messages(report, 11) == messages(report, 10)  # its STT is the number beside it
    assert [n for n in report.notes if "dưới phần cuối bảng" in n] == [
        "2 dòng dưới phần cuối bảng có vẻ là hộ (dòng 10, 11) mà không được nhập: nếu chúng "
        "vẫn thuộc danh sách, hãy xóa phần tổng cộng, ký tên ở giữa danh sách rồi nhập lại."
    ]


def test_a_total_or_a_signature_in_the_name_column_after_the_hamlet_is_no_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # The hamlet column comes first, so the row's first text is the hamlet's name. Read
    # as households, "Tổng cộng" and "Người lập biểu" went into the register, whose
    # name column comes first, and did not come back from it (found by test_messy_fuzz).
    rows = [
        ["Thôn", "Họ và tên chủ hộ", "Năm sinh", "STT"],
        ["Nà Pàn", "Nguyễn Văn An", 1960, 1],
        ["Nà Pàn", "Cộng thôn", "", ""],
        ["Cốc Lùng", "Lò Văn Bình", 1961, 2],
        ["Cốc Lùng", "Tổng cộng", "", 2],
    ]
    path = make_xlsx(tmp_path / "thon-truoc.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "ok"), (6, "skipped"), (7, "ok"), (8, "skipped")]
    assert messages(report, 6) == messages(report, 8) == "Dòng tổng cộng: bỏ qua."
    assert sorted(_stored(db, admin)) == ["Lò Văn Bình", "Nguyễn Văn An"]

    signed = [rows[0], ["Nà Pàn", "Hoàng Văn Cường", 1970, 1], ["Nà Pàn", "Người lập biểu", "", 2]]
    report = import_file(db, admin, make_xlsx(tmp_path / "ky.xlsx", signed), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "skipped")]
    assert messages(report, 3) == "Phần cuối bảng (ngày tháng, ký tên): bỏ qua."


def test_a_title_with_a_date_inside_the_list_does_not_end_it(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A group of households added at a later review, under a title giving its date: the
    # list goes on below it. Only the signature block ends the list.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện hộ"],
        [1, "Nguyễn Văn An", 1960, "HN"],
        ["II. Danh sách bổ sung sau rà soát ngày 15 tháng 8 năm 2024"],
        [2, "Lò Văn Bình", 1961, "CN"],
        [],
        ["", "", "", "Bình Gia, ngày 10 tháng 3 năm 2025"],
        ["", "", "", "KT. CHỦ TỊCH"],  # the only title: it ends the list too
        ["", "", "", "PHÓ CHỦ TỊCH"],
        ["", "Nông Văn Tuấn", "", "Hoàng Văn Quang"],
    ]
    path = make_xlsx(tmp_path / "bo-sung.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions(hamlet="Thôn Nà Pàn"))
    assert statuses(report) == [
        (5, "ok"), (6, "skipped"), (7, "ok"), (9, "skipped"), (10, "skipped"), (11, "skipped"),
        (12, "skipped"),
    ]  # fmt: skip
    assert sorted(_stored(db, admin)) == ["Lò Văn Bình", "Nguyễn Văn An"]


def test_a_title_before_the_head_of_households_name(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Lists copied from approval decisions write "Hộ ông Lò Văn Sình": the title is not
    the name (a duplicate of "Lò Văn Sình" went unnoticed), though it says the sex."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ", "Giới tính"],
        [1, "Hộ ông Lò Văn Sình", 1960, "Nà Pàn", "HN", None],
        [2, "Bà Hà Thị Sáu", 1961, "Nà Pàn", "HN", None],
        [3, "Ông Vi Văn Nhất", 1962, "Nà Pàn", "HN", "Nữ"],  # the column stands
        [4, "Ông Tùng", 1963, "Nà Pàn", "HN", "Nam"],  # a family name "Ông": no title
    ]
    path = make_xlsx(tmp_path / "quyet-dinh.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "warning"), (6, "warning"), (7, "warning"), (8, "ok")]
    assert "Bỏ danh xưng “Hộ ông” ở đầu họ tên, giữ “Lò Văn Sình”" in messages(report, 5)
    assert "khác với cột Giới tính" in messages(report, 7)
    stored = _stored(db, admin)
    assert {name: h.sex for name, h in stored.items()} == {
        "Lò Văn Sình": Sex.male, "Hà Thị Sáu": Sex.female, "Vi Văn Nhất": Sex.female,
        "Ông Tùng": Sex.male,
    }


def test_a_hamlet_written_once_for_its_group_is_taken_by_the_rows_below(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The hamlet written on the first household of its group and left blank below, as a
    list whose merged hamlet cells were saved to CSV, or typed so: each blank row was an
    error ("Hãy chọn thôn, xóm"), the whole list to fix by hand. A blank with no hamlet
    above stays one."""
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "Hà Văn Giang", 1959, "", "HN"],
        [2, "Nguyễn Văn An", 1960, "Nà Pàn", "HN"],
        [3, "Lò Văn Bình", 1961, "", "HN"],
        [4, "Hoàng Văn Cường", 1962, "Cốc Lùng", "HN"],
        [5, "Vi Văn Dũng", 1963, None, "CN"],
    ]
    path = make_xlsx(tmp_path / "thon-mot-lan.xlsx", TITLE + rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "error"), (6, "ok"), (7, "warning"), (8, "ok"), (9, "warning")]
    assert messages(report, 7) == (
        "Cột D “Thôn”: Ô để trống: lấy thôn “Nà Pàn” của dòng trên (tên thôn ghi một lần cho "
        "cả nhóm?). Hãy kiểm tra lại."
    )
    stored = _stored(db, admin)
    assert stored["Lò Văn Bình"].hamlet_name == stored["Nguyễn Văn An"].hamlet_name
    assert stored["Vi Văn Dũng"].hamlet_name == "Xóm Cốc Lùng"


def test_a_blank_hamlet_moves_no_household_already_entered(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A household already entered, found by its citizen ID and updated from a row whose
    hamlet cell is blank, was moved to the hamlet of the row above (a guess, for lists
    whose merged hamlet cells were saved to CSV), its support cases with it. A blank cell
    of a row updating a household keeps what the household has, the hamlet as the rest."""
    khau_bon = next(h.code for h in units.list_hamlets(db) if h.name == "Bản Khau Bon")
    households.create_household(db, admin, households.HouseholdInput(
        hamlet_code=khau_bon, head_name="Lò Văn Bé", birth_year=1970,
        citizen_id="020070000125", members=3,
    ))  # fmt: skip
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Số NK"],
        [1, "Nguyễn Văn An", 1960, "", "Nà Pàn", 4],
        [2, "Lò Văn Bé", 1970, "020070000125", "", 5],
    ]
    path = make_xlsx(tmp_path / "cap-nhat.xlsx", rows)
    options = ImportOptions(on_duplicate=DuplicateAction.update)
    report = import_file(db, admin, path, options)
    assert statuses(report) == [(2, "ok"), (3, "duplicate")]
    assert "Đã cập nhật hộ đã có: Số nhân khẩu 3 → 5." in messages(report, 3)
    assert "lấy thôn" not in messages(report, 3)
    stored = _stored(db, admin)
    assert stored["Lò Văn Bé"].hamlet_name == "Bản Khau Bon" and stored["Lò Văn Bé"].members == 5


@pytest.mark.parametrize(
    ("action", "status", "hamlets"),
    [
        (DuplicateAction.skip, "skipped", ["Bản Khau Bon"]),
        # Updated, it stays in its hamlet: the row's is a guess.
        (DuplicateAction.update, "duplicate", ["Bản Khau Bon"]),
        (DuplicateAction.new, "duplicate", ["Bản Khau Bon", "Thôn Nà Pàn"]),
    ],
)
def test_a_blank_hamlet_looks_for_the_household_in_the_whole_commune(
    db: Database,
    admin: Actor,
    tmp_path: Path,
    action: DuplicateAction,
    status: str,
    hamlets: list[str],
) -> None:
    """A row without a citizen ID whose hamlet cell is blank takes the hamlet above, a
    guess: the same household on the register in another hamlet was not found (name,
    birth year and hamlet differ by the hamlet), and a second household was made. The
    hamlet being a guess, name and birth year are looked for in the whole commune."""
    khau_bon = next(h.code for h in units.list_hamlets(db) if h.name == "Bản Khau Bon")
    households.create_household(db, admin, households.HouseholdInput(
        hamlet_code=khau_bon, head_name="Lò Văn Bé", birth_year=1970, members=3,
    ))  # fmt: skip
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số NK"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", 4],
        [2, "Lò Văn Bé", 1970, "", 5],
        [3, "Hoàng Thị Mai", 1981, "Cốc Lùng", 2],
        [4, "Nguyễn Văn An", 1960, "", 4],  # the row 2 household again, a hamlet lower
    ]
    path = make_xlsx(tmp_path / "thon-trong.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions(on_duplicate=action))
    assert statuses(report) == [(2, "ok"), (3, status), (4, "ok"), (5, status)]
    said = messages(report, 3)
    assert "Cùng họ tên và năm sinh với hộ đã có ở thôn khác: Lò Văn Bé (Bản Khau Bon)" in said
    assert "Trùng" not in messages(report, 2)
    assert "Cùng họ tên và năm sinh với dòng 2 của tệp, ở thôn khác" in messages(report, 5)
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert sorted(h.hamlet_name for h in found if h.head_name == "Lò Văn Bé") == hamlets
    ans = sorted(h.hamlet_name for h in found if h.head_name == "Nguyễn Văn An")
    assert ans == ["Thôn Nà Pàn", "Xóm Cốc Lùng"][: len(hamlets)]


def test_a_blank_hamlet_looks_for_a_deleted_household_in_the_whole_commune(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The household taken off the list in another hamlet was not looked for by a row
    whose hamlet is the row above's, as one on the register was: it came back, unsaid,
    in the hamlet above. Found, it is said as one deleted in its own hamlet is."""
    khau_bon = next(h.code for h in units.list_hamlets(db) if h.name == "Bản Khau Bon")
    gone = households.create_household(db, admin, households.HouseholdInput(
        hamlet_code=khau_bon, head_name="Lò Văn Bé", birth_year=1970, members=3,
    ))  # fmt: skip
    households.delete_household(db, admin, str(gone.id), "Đã chuyển đi nơi khác")
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số NK"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", 4],
        [2, "Lò Văn Bé", 1970, "", 5],
    ]
    path = make_xlsx(tmp_path / "da-xoa.xlsx", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "skipped")]
    assert messages(report, 3).startswith(
        "Cùng họ tên và năm sinh với hộ đã xóa khỏi danh sách ở thôn khác: Lò Văn Bé (Bản "
        "Khau Bon), lý do xóa: “Đã chuyển đi nơi khác”; thôn của dòng này lấy theo dòng trên"
    )
    updating = ImportOptions(on_duplicate=DuplicateAction.update)
    report = import_file(db, admin, path, updating, dry_run=True)
    assert (3, "error") in statuses(report)
    assert "Hộ đã bị xóa nên không cập nhật được" in messages(report, 3)
    assert set(_stored(db, admin)) == {"Nguyễn Văn An"}


def test_a_birth_date_of_unknown_day_and_month_gives_its_year(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"00/00/1968": how lists write the birth of a head who knows only the year (the
    card says the year alone); nhao keeps the year, which is there."""
    path = make_xlsx(
        tmp_path / "ngay-sinh.xlsx",
        TITLE
        + [
            ["STT", "Họ tên chủ hộ", "Ngày sinh", "Thôn"],
            [1, "Mông Văn Dũng", "00/00/1968", "Cốc Lùng"],
            [2, "Lò Thị Nhàn", "00/03/1971", "Nà Pàn"],
            [3, "Hà Văn Cao", "31/02/1950", "Nà Pàn"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "ok"), (6, "ok"), (7, "error")]
    assert messages(report, 7) == (
        "Cột C “Ngày sinh”: Ngày “31/02/1950” không có trên lịch (dd/mm/yyyy)."
    )
    stored = _stored(db, admin)
    assert (stored["Mông Văn Dũng"].birth_year, stored["Lò Thị Nhàn"].birth_year) == (1968, 1971)


def test_a_second_header_row_naming_only_a_groups_parts_is_no_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Hiện trạng nhà ở" merged over "Nhà tạm" | "Nhà dột nát", "Nhu cầu hỗ trợ" over
    "Xây mới" | "Sửa chữa": columns nhao does not keep, under a one-row header it knows
    otherwise. Their row was read as a household's with no name and no hamlet (an error
    for the clerk to puzzle over); it is the header's second row."""
    path = make_xlsx(
        tmp_path / "nhu-cau.xlsx",
        TITLE
        + [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Hiện trạng nhà ở", "",
             "Nhu cầu hỗ trợ", "", "Ghi chú"],
            ["", "", "", "", "Nhà tạm", "Nhà dột nát", "Xây mới", "Sửa chữa", ""],
            [1, "Nguyễn Văn An", 1960, "Nà Pàn", "x", "", "x", "", ""],
            [2, "Lò Thị Bình", 1972, "Cốc Lùng", "", "x", "", "x", "ở nhờ"],
        ],
        merges=["E4:F4", "G4:H4"],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert report.header_row == 4 and statuses(report) == [(6, "ok"), (7, "ok")]
    assert report.headers[5] == "Hiện trạng nhà ở / Nhà dột nát"
    assert set(report.mapping.values()) == {"row_no", "head_name", "birth_year", "hamlet", "notes"}
    assert _stored(db, admin)["Lò Thị Bình"].notes == "ở nhờ"


def test_a_groups_parts_row_is_the_headers_in_a_csv_too(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The same list saved as CSV, which keeps no merges: each group's title in its first
    column, the next one empty above its part."""
    path = make_csv(
        tmp_path / "nhu-cau.csv",
        [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Hiện trạng nhà ở", "",
             "Nhu cầu hỗ trợ", "", "Ghi chú"],
            ["", "", "", "", "Nhà tạm", "Nhà dột nát", "Xây mới", "Sửa chữa", ""],
            [1, "Nguyễn Văn An", 1960, "Nà Pàn", "x", "", "x", "", ""],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert report.header_row == 1 and statuses(report) == [(3, "ok")]
    assert report.headers[7] == "Nhu cầu hỗ trợ / Sửa chữa"


def test_a_groups_title_with_its_count_of_households_names_its_hamlet(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"A" | "THÔN NÀ PÀN (2 hộ)", "Xóm Cốc Lùng - 1 hộ": the count written after the
    hamlet's name made it a hamlet the commune has not got, every row below an error. The
    title's row says the hamlet by the commune's name for it."""
    path = make_xlsx(
        tmp_path / "nhom-co-so-ho.xlsx",
        TITLE
        + [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Diện hộ"],
            ["A", "THÔN NÀ PÀN (2 hộ)"],
            [1, "Hoàng Văn Phúc", 1959, "HN"],
            [2, "Nông Thị Sen", 1966, "HCN"],
            ["B", "Xóm Cốc Lùng - 1 hộ"],
            [1, "Vy Thị Nhâm", 1977, "HCN"],
            ["", "Cộng: 3 hộ"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (5, "skipped"), (6, "ok"), (7, "ok"), (8, "skipped"), (9, "ok"), (10, "skipped")
    ]
    assert messages(report, 5) == "Tiêu đề nhóm: các dòng dưới thuộc Thôn Nà Pàn."
    stored = _stored(db, admin)
    assert stored["Nông Thị Sen"].hamlet_name == "Thôn Nà Pàn"
    assert stored["Vy Thị Nhâm"].hamlet_name == "Xóm Cốc Lùng"


@pytest.mark.parametrize("header", ["Hộ nghèo/cận nghèo", "HN, HCN", "Nghèo - Cận nghèo"])
def test_a_column_headed_by_both_categories_is_the_category(
    db: Database, admin: Actor, tmp_path: Path, header: str
) -> None:
    """One column says which of the two each household is, its header naming both: it was
    left out as no header nhao knows, every household imported with no category."""
    path = make_xlsx(
        tmp_path / "hai-dien.xlsx",
        TITLE
        + [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", header],
            [1, "Hoàng Văn Phúc", 1959, "Nà Pàn", "Hộ nghèo"],
            [2, "Nông Thị Sen", 1966, "Nà Pàn", "cận nghèo"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert report.mapping[4] == "categories"
    assert statuses(report) == [(5, "ok"), (6, "ok")] and report.notes == []
    stored = _stored(db, admin)
    assert stored["Hoàng Văn Phúc"].categories == frozenset({Category.poor})
    assert stored["Nông Thị Sen"].categories == frozenset({Category.near_poor})


def test_a_household_marked_both_poor_and_near_poor_is_said(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """An x in both the "Hộ nghèo" and "Hộ cận nghèo" columns: a slip, as a household is on
    one of the two lists. It went in on both without a word, counted twice in the
    lists by category."""
    path = make_xlsx(
        tmp_path / "hai-dau-x.xlsx",
        TITLE
        + [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Hộ nghèo", "Hộ cận nghèo"],
            [1, "Hà Thị Phượng", 1990, "Cốc Lùng", "x", "x"],
            [2, "Vi Văn Khánh", 1980, "Cốc Lùng", "x", ""],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(5, "warning"), (6, "ok")]
    assert messages(report, 5) == (
        "Cột E “Hộ nghèo”, F “Hộ cận nghèo”: Hộ được ghi cả hộ nghèo và hộ cận nghèo, mà mỗi "
        "hộ chỉ thuộc một trong hai danh sách: đã ghi cả hai, hãy kiểm tra lại."
    )
    assert _stored(db, admin)["Hà Thị Phượng"].categories == frozenset(
        {Category.poor, Category.near_poor}
    )


def test_a_numbered_hamlet_written_with_a_leading_zero_is_found(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Thôn 01", "Xóm 03": how lists number hamlets to keep them in order; the commune's
    are "Thôn 1" and "Xóm 3". Each such row was a hamlet the commune has not got."""
    units.add_hamlets(db, admin, ["Thôn 1", "Thôn 10", "Xóm 3"])
    path = make_xlsx(
        tmp_path / "thon-so.xlsx",
        [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
            [1, "Nguyễn Văn An", 1960, "Thôn 01", "HN"],
            [2, "Nguyễn Văn Bình", 1961, "thôn 10", "HN"],
            [3, "Nguyễn Văn Cường", 1962, "Xóm 03", "HN"],
            [4, "Nguyễn Văn Dũng", 1963, "Thôn 010", "HN"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok"), (5, "ok")]
    stored = _stored(db, admin)
    assert [stored[n].hamlet_name for n in ("Nguyễn Văn An", "Nguyễn Văn Cường")] == [
        "Thôn 1", "Xóm 3"
    ]
    assert stored["Nguyễn Văn Dũng"].hamlet_name == "Thôn 10"


def test_a_numbered_hamlet_in_roman_numerals_or_written_short_is_found(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Thôn IV", "Xóm VII", "T.2", "Thôn2", "TDP 5", "KP3": the commune's "Thôn 4", "Xóm 7",
    "Thôn 2", "Tổ dân phố 5", "Khu phố 3" as lists write them. Each was a hamlet the
    commune has not got. "T.7" may be "Thôn 7" or "Tổ 7", both the commune's: no guess."""
    units.add_hamlets(
        db, admin, ["Thôn 2", "Thôn 4", "Thôn 7", "Xóm 7", "Tổ 7", "Tổ dân phố 5", "Khu phố 3"]
    )
    path = make_xlsx(
        tmp_path / "thon-la-ma.xlsx",
        [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
            [1, "Nguyễn Văn An", 1960, "Thôn IV", "HN"],
            [2, "Nguyễn Văn Bình", 1961, "XÓM VII", "HN"],
            [3, "Nguyễn Văn Cường", 1962, "T.2", "HN"],
            [4, "Nguyễn Văn Dũng", 1963, "Thôn2", "HN"],
            [5, "Nguyễn Văn Giang", 1964, "TDP 5", "HN"],
            [6, "Nguyễn Văn Hùng", 1965, "KP3", "HN"],
            [7, "Nguyễn Văn Khánh", 1966, "T.7", "HN"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert statuses(report) == [
        (2, "ok"), (3, "ok"), (4, "ok"), (5, "ok"), (6, "ok"), (7, "ok"), (8, "error")
    ]  # fmt: skip
    assert messages(report, 8).startswith("Cột D “Thôn”: Thôn “T.7” chưa có trong xã"), messages(
        report, 8
    )
    report = import_file(db, admin, path, ImportOptions(), dry_run=False)
    stored = _stored(db, admin)
    assert [stored[f"Nguyễn Văn {n}"].hamlet_name for n in ("An", "Bình", "Cường", "Dũng")] == [
        "Thôn 4", "Xóm 7", "Thôn 2", "Thôn 2"
    ]
    assert [stored[f"Nguyễn Văn {n}"].hamlet_name for n in ("Giang", "Hùng")] == [
        "Tổ dân phố 5", "Khu phố 3"
    ]


def test_a_cell_with_two_phone_numbers_keeps_the_first(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"0912345678 - 0987654321": the head's number and a son's, in one cell. The row was
    an error ("phải có 10 chữ số"), the household left out for its phone."""
    path = make_xlsx(
        tmp_path / "hai-so.xlsx",
        [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ", "Số điện thoại"],
            [1, "Hoàng Văn Một", 1962, "Nà Pàn", "HN", "0912345678 - 0987654321"],
            [2, "Hoàng Văn Hai", 1963, "Nà Pàn", "HN", "0912 345 679; 0987 654 322"],
            [3, "Hoàng Văn Ba", 1964, "Nà Pàn", "HN", "0912-345-680"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "warning"), (3, "warning"), (4, "ok")]
    assert messages(report, 2) == (
        "Cột F “Số điện thoại”: Ô ghi hai số điện thoại; chỉ lấy số đầu 0912345678, số "
        "0987654321 không được nhập."
    )
    stored = _stored(db, admin)
    assert [stored[n].phone for n in ("Hoàng Văn Một", "Hoàng Văn Hai", "Hoàng Văn Ba")] == [
        "0912345678", "0912 345 679", "0912-345-680"  # as written, as one number is
    ]


def test_a_count_of_members_with_its_breakdown_is_the_count(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"5 (2 nam, 3 nữ)", "4 (trong đó 2 trẻ em)": the count, and who they are in brackets.
    The row was an error ("không phải là một con số")."""
    path = make_xlsx(
        tmp_path / "nhan-khau.xlsx",
        [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ", "Số nhân khẩu"],
            [1, "Hoàng Văn Một", 1962, "Nà Pàn", "HN", "5 (2 nam, 3 nữ)"],
            [2, "Hoàng Văn Hai", 1963, "Nà Pàn", "HN", "4 (trong đó 2 trẻ em)"],
            [3, "Hoàng Văn Ba", 1964, "Nà Pàn", "HN", "5-6"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "error")]
    stored = _stored(db, admin)
    assert (stored["Hoàng Văn Một"].members, stored["Hoàng Văn Hai"].members) == (5, 4)


def test_a_closing_sentence_under_the_list_is_no_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Danh sách gồm 02 hộ./.", "Ghi chú: …" typed in the name column under the last
    household, before the signatures: each went in as a household of that name."""
    path = make_xlsx(
        tmp_path / "loi-ket.xlsx",
        [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
            [1, "Hoàng Văn Một", 1962, "Nà Pàn", "HN"],
            [2, "Hoàng Văn Hai", 1963, "Nà Pàn", "HN"],
            [None, "Danh sách gồm 02 hộ./."],
            [None, "Ghi chú: các hộ trên đã được thôn bình xét."],
            [None, "Lưu ý: hộ số 2 ở nhờ nhà anh trai"],
            [None, "Các hộ trên đã được thôn họp bình xét công khai"],
            [None, "(Danh sách có 2 hộ)"],
            [None, "Trưởng thôn"],
            [None, "Nông Văn Thắng"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (2, "ok"), (3, "ok"), (4, "skipped"), (5, "skipped"), (6, "skipped"), (7, "skipped"),
        (8, "skipped"), (9, "skipped"), (10, "skipped"),
    ]
    assert messages(report, 7) == messages(report, 8) == messages(report, 5)
    assert messages(report, 5) == "Lời ghi dưới danh sách, không phải một hộ: bỏ qua."
    assert set(_stored(db, admin)) == {"Hoàng Văn Một", "Hoàng Văn Hai"}


def test_words_in_the_phone_column_leave_the_household_without_one(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Nhờ hàng xóm", "không dùng": no phone of the household's own, said in words. The
    row was an error ("phải có 10 chữ số") and the household left out for its phone."""
    path = make_xlsx(
        tmp_path / "sdt-chu.xlsx",
        [
            ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ", "SĐT"],
            [1, "Hoàng Văn Một", 1962, "Nà Pàn", "HN", "nhờ hàng xóm"],
            [2, "Hoàng Văn Hai", 1963, "Nà Pàn", "HN", "không dùng"],
        ],
    )
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "warning"), (3, "warning")]
    assert messages(report, 2) == (
        "Cột F “SĐT”: Ô ghi “nhờ hàng xóm”, không có số nào: để trống số điện thoại."
    )
    assert _stored(db, admin)["Hoàng Văn Một"].phone == ""


def test_names_typed_all_in_capitals_or_in_small_letters_are_written_as_names(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Lists type heads' names in capitals ("HOÀNG VĂN SÌNH") as often as not, and some
    all in small letters: stored as typed, the register mixed the three. A name typed
    in one case throughout is written with each word's first letter capital; one typed
    in mixed case is the clerk's own and kept ("Lò Văn PÁo" aside, names like "H'Mông
    A Dơ" are not guessed at)."""
    path = make_xlsx(tmp_path / "hoa.xlsx", [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "HOÀNG VĂN SÌNH", 1960, "Nà Pàn", "Hộ nghèo"],
        [2, "  lý   thị mằn ", 1971, "Nà Pàn", "Hộ nghèo"],
        [3, "ĐỖ THỊ ÚT", 1980, "Nà Pàn", "Hộ nghèo"],
        [4, "Giàng A Dơ", 1975, "Nà Pàn", "Hộ nghèo"],
        [5, "Lò Văn PÁo", 1950, "Nà Pàn", "Hộ nghèo"],
    ])  # fmt: skip
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(row, "ok") for row in range(2, 7)]
    assert sorted(_stored(db, admin)) == sorted(
        ["Hoàng Văn Sình", "Lý Thị Mằn", "Đỗ Thị Út", "Giàng A Dơ", "Lò Văn PÁo"]
    )
    again = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert {o.status.value for o in again.rows} == {"skipped"}  # unchanged by the case


def test_an_ethnic_groups_other_spellings_give_its_name(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"H'Mông", "Hmông", "Mèo" are one group, "Mông" in the list of the 54; "Ê-đê", "Ê
    đê" are "Ê Đê"; stored as typed, a count by ethnic group split one into several. A
    spelling of one of the 54 gives its name; a word that names none is kept as typed."""
    path = make_xlsx(tmp_path / "dan-toc.xlsx", [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Dân tộc", "Thôn", "Diện hộ"],
        [1, "Giàng A Dơ", 1960, "H'Mông", "Nà Pàn", "Hộ nghèo"],
        [2, "Giàng A Páo", 1961, "Hmông", "Nà Pàn", "Hộ nghèo"],
        [3, "Sùng A Chư", 1962, "Mèo", "Nà Pàn", "Hộ nghèo"],
        [4, "Y Bhim Niê", 1963, "Ê-đê", "Nà Pàn", "Hộ nghèo"],
        [5, "Lò Văn Páo", 1964, "TÀY", "Nà Pàn", "Hộ nghèo"],
        [6, "Hoàng Thị Dung", 1965, "kinh", "Nà Pàn", "Hộ nghèo"],
        [7, "Bàn Văn Tòn", 1966, "Dao đỏ", "Nà Pàn", "Hộ nghèo"],
    ])  # fmt: skip
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(row, "ok") for row in range(2, 9)]
    assert {name: h.ethnicity for name, h in _stored(db, admin).items()} == {
        "Giàng A Dơ": "Mông", "Giàng A Páo": "Mông", "Sùng A Chư": "Mông",
        "Y Bhim Niê": "Ê Đê", "Lò Văn Páo": "Tày", "Hoàng Thị Dung": "Kinh",
        "Bàn Văn Tòn": "Dao đỏ",
    }  # fmt: skip


def test_the_hamlets_a_refusal_lists_are_in_their_numbers_order(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """"Thôn 1, Thôn 10, Thôn 2": the hamlets known, listed in a refusal, were sorted as
    text. A clerk reads them in their numbers' order."""
    units.add_hamlets(db, admin, [f"Thôn {n}" for n in (1, 2, 10)])
    path = make_xlsx(tmp_path / "thon.xlsx", [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "Lò Văn Páo", 1950, "Thôn 11", "Hộ nghèo"],
    ])  # fmt: skip
    report = import_file(db, admin, path, ImportOptions())
    said = messages(report, 2)
    assert "Thôn 1, Thôn 2, Thôn 10" in said, said
