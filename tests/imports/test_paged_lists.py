"""Lists as clerks join them up: printed over several pages with the header typed again
at the top of each, or two lists pasted one under the other."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhao.models.database import Database
from nhao.services import households
from nhao.services.actor import Actor
from nhao.services.household_import import (
    ImportOptions,
    detect_layout,
    import_file,
    open_import,
    save_mapping,
)

from .conftest import make_csv, make_xlsx, messages, statuses

HEADER = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Diện"]


def _names(db: Database, admin: Actor) -> list[str]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return sorted(h.head_name for h in found)


def test_the_header_typed_again_at_the_top_of_each_page_is_no_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["DANH SÁCH HỘ NGHÈO NĂM 2024"],
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        [1, "Nguyễn Văn An", 1960, "001060000123", "Nà Pàn", "HN"],
        [2, "Lò Thị Bé", 1975, "001175000124", "Nà Pàn", "HN"],
        HEADER,  # page 2
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        [3, "Hoàng Văn Cường", 1980, "001080000125", "Cốc Lùng", "HN"],
        ["STT", "Họ tên chủ hộ", "Năm sinh", "CCCD", "Thôn/xóm", "Diện hộ"],  # spelt anew
        [4, "Lý Văn Em", 1990, "001090000127", "Khau Bon", "HCN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "nhieu-trang.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (3, "skipped"), (4, "ok"), (5, "ok"), (6, "skipped"), (7, "skipped"), (8, "ok"),
        (9, "skipped"), (10, "ok"),
    ]  # fmt: skip
    assert messages(report, 6) == (
        "Dòng tiêu đề cột lặp lại (bảng in sang trang mới, hoặc danh sách khác dán nối "
        "bên dưới): bỏ qua."
    )
    assert messages(report, 7) == "Dòng đánh số cột: bỏ qua."
    assert "lặp lại" in messages(report, 9)
    assert _names(db, admin) == ["Hoàng Văn Cường", "Lò Thị Bé", "Lý Văn Em", "Nguyễn Văn An"]


def test_a_household_whose_cells_read_like_headers_is_still_a_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A name ending in "Tên", a hamlet written "Thôn …", nothing else filled: the words of
    # a header, but a household all the same.
    rows = [
        HEADER,
        [1, "Nguyễn Văn An", 1960, "", "Nà Pàn", "HN"],
        ["", "Lò Văn Tên", "", "", "Thôn Nà Pàn", "Diện hộ nghèo"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "ten.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok")]


def test_a_second_list_pasted_below_with_its_title_and_header(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["DANH SÁCH HỘ NGHÈO NĂM 2024"],
        HEADER,
        [1, "Nguyễn Văn An", 1960, "001060000123", "Nà Pàn", "HN"],
        [],
        ["DANH SÁCH HỘ CẬN NGHÈO NĂM 2024"],  # in the STT column, as the first title
        HEADER,
        [1, "Hoàng Văn Cường", 1980, "001080000125", "Cốc Lùng", "HCN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "hai-ds.xlsx", rows), ImportOptions())
    assert statuses(report) == [(3, "ok"), (5, "skipped"), (6, "skipped"), (7, "ok")]
    # A title, not a row numbered in advance and left blank.
    assert messages(report, 5) == (
        "Dòng chỉ có “DANH SÁCH HỘ CẬN NGHÈO NĂM 2024” ở Cột A “STT”, không ghi hộ nào "
        "(tiêu đề giữa danh sách?): bỏ qua."
    )
    assert _names(db, admin) == ["Hoàng Văn Cường", "Nguyễn Văn An"]


def test_the_totals_at_the_foot_of_each_page_are_no_households(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # A list of the support paid, printed over pages: each page's sum, carried over.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện", "Số tiền hỗ trợ"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "HN", 40000000],
        [2, "Lò Thị Bé", 1975, "Nà Pàn", "HN", 40000000],
        ["", "Cộng trang 1", "", "", "", 80000000],
        ["", "Cộng chuyển sang trang sau", "", "", "", 80000000],
        ["", "Trang trước chuyển sang", "", "", "", 80000000],
        [3, "Hoàng Văn Cường", 1980, "Cốc Lùng", "HN", 40000000],
        ["Cộng trang 2", "", "", "", "", 40000000],
        ["Lũy kế", "", "", "", "", 120000000],
        ["", "Mang sang", "", "", "", 120000000],
        [4, "Lý Văn Em", 1990, "Khau Bon", "HN", 40000000],
        ["Tổng cộng", "", "", "", "", 160000000],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "cong-trang.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "ok"), (3, "ok"), (4, "skipped"), (5, "skipped"), (6, "skipped"), (7, "ok"),
        (8, "skipped"), (9, "skipped"), (10, "skipped"), (11, "ok"), (12, "skipped"),
    ]  # fmt: skip
    assert messages(report, 4) == "Dòng tổng cộng: bỏ qua."
    assert len(_names(db, admin)) == 4


def test_hamlet_titles_numbered_1_2_over_households_numbered_1_1_1_2(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Diện"],
        [1, "Thôn Nà Pàn"],
        ["1.1", "Nguyễn Văn An", 1960, "", "HN"],
        ["1.2", "Lò Thị Bé", 1975, "", "HN"],
        ["2.", "Xóm Cốc Lùng", "", "", ""],
        ["2.1", "Hoàng Văn Cường", 1980, "", "HN"],
        [3, "Bàn Văn Sử"],  # a household with little written, not a hamlet's title
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "1-1.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "ok"), (5, "skipped"), (6, "ok"), (7, "warning"),
    ]  # fmt: skip
    assert messages(report, 5) == "Tiêu đề nhóm: các dòng dưới thuộc Xóm Cốc Lùng."
    found = households.list_households(db, admin, households.HouseholdQuery())
    assert {h.head_name: h.hamlet_name for h in found} == {
        "Nguyễn Văn An": "Thôn Nà Pàn",
        "Lò Thị Bé": "Thôn Nà Pàn",
        "Hoàng Văn Cường": "Xóm Cốc Lùng",
        "Bàn Văn Sử": "Xóm Cốc Lùng",
    }


def test_a_header_of_two_rows_typed_again_is_skipped_whole(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    top = ["STT", "Họ và tên chủ hộ", "Năm sinh", "", "Thôn", "Diện"]
    under = ["", "", "Nam", "Nữ", "", ""]
    rows = [
        top,
        under,
        [1, "Nguyễn Văn An", 1960, "", "Nà Pàn", "HN"],
        top,  # page 2
        under,
        [2, "Lò Thị Bé", "", 1975, "Nà Pàn", "HN"],
    ]
    path = make_xlsx(tmp_path / "hai-dong.xlsx", rows, merges=["C1:D1", "C4:D4"])
    report = import_file(db, admin, path, ImportOptions())
    assert report.header_row == 1 and report.to_dict()["mapping"]["D"] == "birth_year:female"
    assert statuses(report) == [(3, "ok"), (4, "skipped"), (5, "skipped"), (6, "ok")]
    assert messages(report, 5) == messages(report, 4)


def test_the_column_numbers_row_copied_at_the_top_of_a_page_is_no_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # The header printed on each page by Excel's print titles, the "(1) (2) (3)" row under
    # it copied by hand at each page's top.
    numbers = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    rows = [
        HEADER,
        numbers,
        [1, "Nguyễn Văn An", 1960, "001060000123", "Nà Pàn", "HN"],
        numbers,
        [2, "Lò Thị Bé", 1975, "001175000124", "Nà Pàn", "HN"],
        [1, 2, 3, 4, 5, 6],
        [3, "Hoàng Văn Cường", 1980, "001080000125", "Cốc Lùng", "HN"],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "so-cot.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "skipped"), (3, "ok"), (4, "skipped"), (5, "ok"), (6, "skipped"), (7, "ok"),
    ]  # fmt: skip
    assert messages(report, 4) == messages(report, 6) == "Dòng đánh số cột: bỏ qua."


def _read(db: Database, admin: Actor) -> dict[str, tuple[str, int | None, str | None]]:
    found = households.list_households(db, admin, households.HouseholdQuery())
    return {h.head_name: (h.hamlet_name, h.birth_year, h.citizen_id) for h in found}


# A poor households' list, and the near-poor list pasted under it as the clerk keeps it:
# its own title and header, the columns in another order.
TWO_ORDERS = [
    ["DANH SÁCH HỘ NGHÈO NĂM 2024"],
    ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
    [1, "Nguyễn Văn An", 1960, "Nà Pàn", "001060000123"],
    [2, "Lò Thị Bé", 1975, "Cốc Lùng", ""],
    [],
    ["DANH SÁCH HỘ CẬN NGHÈO"],
    ["STT", "Họ và tên", "Thôn/xóm", "Số CCCD", "Năm sinh"],
    [1, "Hoàng Văn Cường", "Khau Bon", "001080000125", 1980],
    [2, "Lý Văn Em", "Nà Pàn", "", 1990],
]


def test_a_second_list_pasted_below_with_its_columns_in_another_order(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The second header was not known for one (its name, hamlet, ID and year in other
    columns than the first's), and its rows were read with the first list's columns:
    "Khau Bon" as a birth year, 1980 as a hamlet, every row an error."""
    path = make_xlsx(tmp_path / "hai-ds-khac-cot.xlsx", TWO_ORDERS)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (3, "ok"), (4, "ok"), (6, "skipped"), (7, "skipped"), (8, "ok"), (9, "ok"),
    ]  # fmt: skip
    assert messages(report, 7) == (
        "Dòng tiêu đề cột của một danh sách khác dán nối bên dưới, các cột xếp khác dòng "
        "tiêu đề 2: các dòng dưới được đọc theo dòng này (A “STT” → STT, B “Họ và tên” → "
        "Họ và tên chủ hộ, C “Thôn/xóm” → Thôn, xóm, D “Số CCCD” → Số CCCD, E “Năm sinh” → "
        "Năm sinh)."
    )
    assert (
        "Dòng 7 là tiêu đề cột của một danh sách khác, các cột xếp khác: các dòng dưới nó "
        "được đọc theo tiêu đề đó, không theo các cột của dòng tiêu đề 2."
    ) in report.notes
    assert _read(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", 1960, "001060000123"),
        "Lò Thị Bé": ("Xóm Cốc Lùng", 1975, ""),
        "Hoàng Văn Cường": ("Bản Khau Bon", 1980, "001080000125"),
        "Lý Văn Em": ("Thôn Nà Pàn", 1990, ""),
    }


def test_a_second_list_in_another_column_order_in_a_csv_file(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Every cell of a CSV file is text: the years and IDs too.
    path = make_csv(tmp_path / "hai-ds-khac-cot.csv", TWO_ORDERS)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [
        (3, "ok"), (4, "ok"), (6, "skipped"), (7, "skipped"), (8, "ok"), (9, "ok"),
    ]  # fmt: skip
    assert _read(db, admin)["Hoàng Văn Cường"] == ("Bản Khau Bon", 1980, "001080000125")


def test_the_columns_chosen_by_hand_are_the_first_lists(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # The window sends the columns as the person chose them for the header it found (the
    # first): the ID column left out there. The list below is read by its own header.
    path = make_xlsx(tmp_path / "hai-ds-khac-cot.xlsx", TWO_ORDERS)
    chosen = {0: "row_no", 1: "head_name", 2: "birth_year", 3: "hamlet"}
    report = import_file(db, admin, path, ImportOptions(mapping=chosen))
    assert [s for _, s in statuses(report)] == ["ok", "ok", "skipped", "skipped", "ok", "ok"]
    assert _read(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", 1960, ""),
        "Lò Thị Bé": ("Xóm Cốc Lùng", 1975, ""),
        "Hoàng Văn Cường": ("Bản Khau Bon", 1980, "001080000125"),
        "Lý Văn Em": ("Thôn Nà Pàn", 1990, ""),
    }


def test_a_second_header_is_read_with_the_spellings_remembered(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # "Người đại diện" names the head only as the person said it does, for a list of
    # theirs: the header of the list pasted below, so spelt, is known by it too.
    first = [["Người đại diện", "Năm sinh", "Thôn"], ["Bàn Văn Tâm", 1960, "Nà Pàn"]]
    path = make_xlsx(tmp_path / "dai-dien.xlsx", first)
    with open_import(db, path) as file:
        layout = detect_layout(db, file, header_row=1)
    save_mapping(db, admin, layout, {0: "head_name", 1: "birth_year", 2: "hamlet"})
    rows = [*first, ["Thôn", "Người đại diện", "Năm sinh"], ["Cốc Lùng", "Lò Thị Bé", 1975]]
    report = import_file(db, admin, make_xlsx(tmp_path / "hai-ds.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "skipped"), (4, "ok")]
    assert _read(db, admin) == {
        "Bàn Văn Tâm": ("Thôn Nà Pàn", 1960, ""),
        "Lò Thị Bé": ("Xóm Cốc Lùng", 1975, ""),
    }


def test_a_household_with_a_note_on_its_head_and_no_number_is_no_second_header(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A household of no known birth year, its note saying "Chủ hộ …", holds no number
    and a cell that begins as a name's header does: it was read as the header of a list
    pasted below, the note's column as the name, and the household was lost and every
    row below it an error."""
    rows = [
        ["Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện", "Ghi chú"],
        ["Nguyễn Văn An", 1960, "Thôn Nà Pàn", "Hộ nghèo", ""],
        ["Lò Thị Bé", "", "Thôn Nà Pàn", "Hộ nghèo", "Chủ hộ đi làm ăn xa"],
        ["Hoàng Văn Cường", 1980, "Xóm Cốc Lùng", "Hộ cận nghèo", ""],
    ]
    for path in (make_xlsx(tmp_path / "ghi-chu.xlsx", rows), tmp_path / "ghi-chu.csv"):
        if path.suffix == ".csv":  # every cell text, as a CSV file has them
            make_csv(path, rows)
        report = import_file(db, admin, path, ImportOptions(), dry_run=True)
        assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "ok")], path.name
        assert not report.notes
    report = import_file(db, admin, tmp_path / "ghi-chu.xlsx", ImportOptions())
    assert _read(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", 1960, ""),
        "Lò Thị Bé": ("Thôn Nà Pàn", None, ""),
        "Hoàng Văn Cường": ("Xóm Cốc Lùng", 1980, ""),
    }


def test_a_second_list_pasted_below_with_a_header_of_two_rows(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The near-poor list's header, "Năm sinh" over "Nam" | "Nữ", was read by its top row
    alone: the row under it was a household in error, and the women's years, in a
    column the top row does not name, were lost."""
    rows: list[list[object]] = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "001060000123"],
        [],
        ["DANH SÁCH HỘ CẬN NGHÈO"],
        ["STT", "Họ và tên", "Thôn/xóm", "Năm sinh", ""],
        ["", "", "", "Nam", "Nữ"],
        [1, "Hoàng Văn Cường", "Khau Bon", 1980, ""],
        [2, "Lò Thị Em", "Nà Pàn", "", 1990],
    ]
    for path in (make_xlsx(tmp_path / "hai-dong.xlsx", rows, merges=["D5:E5"]),
                 tmp_path / "hai-dong.csv"):  # fmt: skip
        if path.suffix == ".csv":
            make_csv(path, rows)
        report = import_file(db, admin, path, ImportOptions(), dry_run=True)
        assert statuses(report) == [
            (2, "ok"), (4, "skipped"), (5, "skipped"), (6, "skipped"), (7, "ok"), (8, "ok"),
        ], path.name  # fmt: skip
        assert "E “Năm sinh / Nữ” → Năm sinh (nữ)" in messages(report, 5)
    import_file(db, admin, tmp_path / "hai-dong.xlsx", ImportOptions())
    assert _read(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", 1960, "001060000123"),
        "Hoàng Văn Cường": ("Bản Khau Bon", 1980, ""),
        "Lò Thị Em": ("Thôn Nà Pàn", 1990, ""),
    }


def test_the_first_household_under_a_second_lists_header_is_no_second_header_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Its category under the header's empty cell would name one more column: read with
    # the header, it would be a header's second row, and the household lost.
    rows = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "HN"],
        ["STT", "Họ và tên", "Thôn/xóm", "Năm sinh", ""],
        [1, "Hoàng Văn Cường", "Khau Bon", 1980, "Hộ nghèo"],
        [2, "Lò Thị Em", "Nà Pàn", 1990, "Hộ nghèo"],
    ]
    path = make_csv(tmp_path / "hai-ds.csv", rows)
    report = import_file(db, admin, path, ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "skipped"), (4, "ok"), (5, "ok")]
    assert set(_read(db, admin)) == {"Nguyễn Văn An", "Hoàng Văn Cường", "Lò Thị Em"}


def test_a_second_list_whose_header_of_two_rows_has_a_group_on_top(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The near-poor list's header has "Thông tin chủ hộ" merged over the name, the year
    and the ID, its bottom row naming them, "STT" and "Thôn" merged down the two rows. Its
    top row says no name alone, so it was not known for a header: it was a household in
    error, the bottom row the first header typed again, and the rows below were read by
    the first list's columns (the ID as the hamlet), every household lost."""
    rows: list[list[object]] = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "001060000123"],
        [],
        ["STT", "Thông tin chủ hộ", "", "", "Thôn"],
        ["", "Họ và tên", "Năm sinh", "Số CCCD", ""],
        [1, "Hoàng Văn Cường", 1980, "001080000125", "Khau Bon"],
        [2, "Lò Thị Em", 1990, "", "Cốc Lùng"],
    ]
    merges = ["B4:D4", "A4:A5", "E4:E5"]
    for path in (make_xlsx(tmp_path / "nhom.xlsx", rows, merges=merges),
                 make_csv(tmp_path / "nhom.csv", rows)):  # fmt: skip
        report = import_file(db, admin, path, ImportOptions(), dry_run=True)
        assert statuses(report) == [
            (2, "ok"), (4, "skipped"), (5, "skipped"), (6, "ok"), (7, "ok"),
        ], path.name  # fmt: skip
        assert (
            "B “Thông tin chủ hộ / Họ và tên” → Họ và tên chủ hộ, C “Thông tin chủ hộ / Năm "
            "sinh” → Năm sinh, D “Thông tin chủ hộ / Số CCCD” → Số CCCD, E “Thôn” → Thôn, xóm"
        ) in messages(report, 4), path.name
    import_file(db, admin, tmp_path / "nhom.xlsx", ImportOptions())
    assert _read(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", 1960, "001060000123"),
        "Hoàng Văn Cường": ("Bản Khau Bon", 1980, "001080000125"),
        "Lò Thị Em": ("Xóm Cốc Lùng", 1990, ""),
    }


def test_a_household_with_no_number_above_a_second_header_is_no_header_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A household of no year nor ID right above a header typed again has the shape of a
    header's top row (its name over "Họ và tên chủ hộ" and the empty year beside it, its
    hamlet over "Thôn"): it was skipped as one, the household lost. A header's top row
    says a name's header words over the name ("Thông tin chủ hộ"); a name does not."""
    rows: list[list[object]] = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "001060000123"],
        ["", "Lò Văn Tên", "", "Nà Pàn", ""],
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
        [2, "Lò Thị Em", 1990, "Cốc Lùng", ""],
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "ten.xlsx", rows), ImportOptions())
    assert statuses(report) == [(2, "ok"), (3, "ok"), (4, "skipped"), (5, "ok")]
    assert set(_read(db, admin)) == {"Nguyễn Văn An", "Lò Văn Tên", "Lò Thị Em"}


@pytest.mark.parametrize("name", ["Tên người đại diện hộ", "Người đại diện", "Đại diện hộ"])
def test_a_second_list_whose_name_header_no_rule_knows_is_read_by_its_other_headers(
    db: Database, admin: Actor, tmp_path: Path, name: str
) -> None:
    """The list pasted below names its head's column in words no rule knows for a name's
    header: the row was not known for a header (no cell says "Họ và tên", "Chủ hộ"), and
    the rows below were read by the first list's columns, every household lost. Its other
    headers say it is one ("STT", "Năm sinh", "Số CCCD": no household's row has these
    words there), and the one column left holds people's names on the households' rows
    (the signers' names below are on none): that is the name."""
    rows: list[list[object]] = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "001060000123"],
        [],
        ["STT", "Thôn", name, "Năm sinh", "Số CCCD"],
        [1, "Khau Bon", "Hoàng Văn Cường", 1980, "001080000125"],
        [2, "Cốc Lùng", "Lò Thị Em", 1990, ""],
        ["", "Người lập biểu"],
        ["", "", "", "", "", "Nguyễn Văn Bình"],  # a name, in a column of no header
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "dai-dien.xlsx", rows), ImportOptions())
    assert statuses(report) == [
        (2, "ok"), (4, "skipped"), (5, "ok"), (6, "ok"), (7, "skipped"), (8, "skipped"),
    ]  # fmt: skip
    assert f"C “{name}” → Họ và tên chủ hộ" in messages(report, 4)
    assert (
        f"Danh sách có tiêu đề cột ở dòng 4: Cột C “{name}” không phải tiêu đề họ tên chủ hộ "
        "nhao biết, nhưng ghi tên người (Hoàng Văn Cường, Lò Thị Em): nhập là họ và tên chủ "
        "hộ. Nếu không đúng, hãy sửa tiêu đề cột C trong tệp rồi nhập lại."
    ) in report.notes
    assert _read(db, admin) == {
        "Nguyễn Văn An": ("Thôn Nà Pàn", 1960, "001060000123"),
        "Hoàng Văn Cường": ("Bản Khau Bon", 1980, "001080000125"),
        "Lò Thị Em": ("Xóm Cốc Lùng", 1990, ""),
    }


def test_a_second_list_whose_name_column_is_not_plain_is_refused_row_by_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Two columns of the list pasted below hold people's names under headers no rule
    knows: which is the head's, nhao cannot tell. Its rows were read by the first list's
    columns (the hamlet as the name, the name as the year); they are now refused, each
    saying why, and the notes say which header and which rows."""
    rows: list[list[object]] = [
        ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Số CCCD"],
        [1, "Nguyễn Văn An", 1960, "Nà Pàn", "001060000123"],
        [],
        ["STT", "Thôn", "Người đại diện", "Người liên hệ", "Năm sinh"],
        [1, "Khau Bon", "Hoàng Văn Cường", "Hoàng Văn Dũng", 1980],
        [2, "Cốc Lùng", "Lò Thị Em", "Lò Văn Giang", 1990],
        ["Tổng cộng", "", "", "", ""],
    ]
    for path in (make_xlsx(tmp_path / "hai-ten.xlsx", rows),
                 make_csv(tmp_path / "hai-ten.csv", rows)):  # fmt: skip
        report = import_file(db, admin, path, ImportOptions(), dry_run=True)
        assert statuses(report) == [
            (2, "ok"), (4, "skipped"), (5, "error"), (6, "error"), (7, "skipped"),
        ], path.name  # fmt: skip
        said = (
            "không rõ cột nào là họ tên chủ hộ (cột C “Người đại diện”, D “Người liên hệ” "
            "không phải tiêu đề họ tên nhao biết)"
        )
        assert messages(report, 4) == (
            f"Dòng tiêu đề cột của một danh sách khác dán nối bên dưới, nhưng {said}: các "
            "hộ dưới dòng này không được nhập. Hãy sửa tiêu đề cột họ tên thành “Họ và tên "
            "chủ hộ” rồi nhập lại."
        )
        assert messages(report, 5) == messages(report, 6) == (
            f"Dòng thuộc danh sách có tiêu đề cột ở dòng 4, nhưng {said}: không nhập. Hãy "
            "sửa tiêu đề cột họ tên thành “Họ và tên chủ hộ” rồi nhập lại."
        )
        assert (
            f"Dòng 4 là tiêu đề cột của một danh sách khác, nhưng {said}: 2 dòng hộ dưới nó "
            "(dòng 5, 6) không được nhập. Hãy sửa tiêu đề cột họ tên thành “Họ và tên chủ "
            "hộ” rồi nhập lại."
        ) in report.notes
    import_file(db, admin, tmp_path / "hai-ten.xlsx", ImportOptions())
    assert set(_read(db, admin)) == {"Nguyễn Văn An"}


def test_a_file_of_many_short_lists_in_two_column_orders_is_read_whole(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    # Each list below was read in a call within the one above's: the 1,000th list went
    # deeper than Python lets calls go, and the import ended in "lỗi không mong đợi".
    one = ["STT", "Họ và tên chủ hộ", "Năm sinh", "Thôn"]
    other = ["STT", "Thôn", "Năm sinh", "Họ và tên chủ hộ"]
    rows: list[list[object]] = []
    for n in range(1200):
        if n % 2:
            rows += [other, [1, "Thôn Nà Pàn", 1960 + n % 40, f"Lò Văn Số {n}"]]
        else:
            rows += [one, [1, f"Lò Văn Số {n}", 1960 + n % 40, "Thôn Nà Pàn"]]
    report = import_file(db, admin, make_csv(tmp_path / "nhieu.csv", rows), ImportOptions())
    assert statuses(report) == [
        (row, "ok" if row % 2 == 0 else "skipped") for row in range(2, 2401)
    ]
    found = households.list_households(db, admin, households.HouseholdQuery(), limit=2000)
    names = {h.head_name for h in found}
    assert report.imported == 1200 and names == {f"Lò Văn Số {n}" for n in range(1200)}
