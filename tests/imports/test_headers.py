"""Header spellings and where the header is (imports/headers.py)."""

from __future__ import annotations

import pytest

from nhao.imports.headers import FIELD_LABELS, column_letter, detect_layout, match_header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ tên chủ hộ", "head_name"),
        ("HỌ VÀ TÊN CHỦ HỘ", "head_name"),
        ("Ho va ten", "head_name"),
        ("Ho\u0323 te\u0302n", "head_name"),  # NFD
        ("CCCD/CMND", "citizen_id"),
        ("Số CCCD", "citizen_id"),
        ("Số định danh cá nhân", "citizen_id"),
        ("Ngày cấp CCCD", ""),  # known, not kept
        ("Số NK", "members"),
        ("Nhân khẩu", "members"),
        ("Thôn/xóm", "hamlet"),
        ("Thôn, bản", "hamlet"),
        ("Năm sinh", "birth_year"),
        ("Ngày tháng năm sinh", "birth_year"),
        ("Ngày sinh (ngày/tháng/năm)", "birth_year"),  # "năm" is the year, not men's
        ("Năm sinh (Nam)", "birth_year:male"),
        ("Dân tộc", "ethnicity"),
        ("Giới tính", "sex"),
        ("Nam/Nữ", "sex"),
        ("SĐT", "phone"),
        ("Điện thoại", "phone"),
        ("Địa chỉ", "address"),
        ("Diện", "categories"),
        ("Đối tượng", "categories"),
        ("Diện hộ", "categories"),
        ("HN", "cat:poor"),
        ("Hộ nghèo", "cat:poor"),
        ("HCN", "cat:near_poor"),
        ("Người có công", "cat:revolutionary_merit"),
        ("Năm thoát nghèo", ""),  # the year it left the list: not the list's year
        ("Hộ thoát nghèo", ""),
        ("Hộ mới thoát nghèo", ""),
        # A column that names "thoát nghèo" among what it holds still holds it.
        ("Diện hộ (nghèo, cận nghèo, thoát nghèo)", "categories"),
        ("Ghi chú (thoát nghèo, chuyển đi)", "notes"),
        ("Năm công nhận hộ nghèo", "poverty_list_year"),
        ("Hộ nghèo (x)", "cat:poor"),
        ("Thuộc hộ nghèo", "cat:poor"),
        ("Hộ cận nghèo (đánh dấu x)", "cat:near_poor"),
        ("Ghi chú", "notes"),
        ("STT", "row_no"),
        ("TT", "row_no"),
        ("Diện tích nhà (m2)", ""),
        ("Mã số thuế", None),
        # A list with a row per family member: "chủ hộ" here is no name column.
        ("Quan hệ với chủ hộ", "relation"),
        ("Mối quan hệ với CH", "relation"),
        ("QH với chủ hộ", "relation"),
        ("Quan hệ", "relation"),
    ],
)
def test_spellings(header: str, field: str | None) -> None:
    assert match_header(header) == field


def test_the_registers_own_headers_map_back() -> None:
    for field, label in FIELD_LABELS.items():
        assert match_header(label) == field, label


def test_a_saved_spelling_wins() -> None:
    assert match_header("Tên người đại diện", {"ten nguoi dai dien": "head_name"}) == "head_name"
    assert match_header("Diện", {"dien": ""}) == ""


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA",
    ]


def test_header_below_title_lines() -> None:
    rows = [
        (1, ["UBND XÃ BÌNH GIA", "", ""]),
        (2, ["DANH SÁCH CHỦ HỘ NGHÈO", "", ""]),
        (4, ["STT", "Họ và tên", "Năm sinh", "Thôn"]),
        (5, [1, "Nguyễn Văn An", 1960, "Nà Pàn"]),
    ]
    layout = detect_layout(rows)
    assert layout is not None
    assert (layout.header_row, layout.header_rows, layout.first_data_row) == (4, 1, 5)
    assert layout.mapping == {0: "row_no", 1: "head_name", 2: "birth_year", 3: "hamlet"}


def test_two_row_header_under_a_merged_group() -> None:
    rows = [
        (3, ["STT", "Chủ hộ", "", "", "Diện hộ", "", "Thôn"]),
        (4, ["", "Họ tên", "Năm sinh", "Giới tính", "Nghèo", "Cận nghèo", ""]),
        (5, [1, "Nguyễn Văn An", 1960, "Nam", "x", "", "Nà Pàn"]),
    ]
    layout = detect_layout(rows, merged={3: [(1, 3), (4, 5)]})
    assert layout is not None
    assert (layout.header_row, layout.header_rows, layout.first_data_row) == (3, 2, 5)
    assert layout.mapping == {
        0: "row_no", 1: "head_name", 2: "birth_year", 3: "sex",
        4: "cat:poor", 5: "cat:near_poor", 6: "hamlet",
    }
    assert layout.headers[1] == "Chủ hộ / Họ tên"


def test_a_birth_year_over_columns_for_men_and_women() -> None:
    # "Năm sinh" over "Nam" | "Nữ": the year is written in the column of the head's sex.
    rows = [
        (2, ["STT", "Họ và tên chủ hộ", "Năm sinh", "", "Thôn"]),
        (3, ["", "", "Nam", "Nữ", ""]),
        (4, [1, "Nguyễn Văn An", 1960, "", "Nà Pàn"]),
    ]
    layout = detect_layout(rows, merged={2: [(2, 3)]})
    assert layout is not None
    assert (layout.header_row, layout.header_rows) == (2, 2)
    assert layout.mapping == {
        0: "row_no", 1: "head_name", 2: "birth_year:male", 3: "birth_year:female", 4: "hamlet",
    }


def test_a_plain_birth_year_beside_the_men_women_pair_is_left_out_and_said() -> None:
    # Two places for one year: the pair, which also says the sex, is taken, whichever
    # column comes first, and the plain column is named in a note.
    for plain_first in (True, False):
        top = ["Họ và tên chủ hộ", "Năm sinh", "", "Năm sinh"]
        under = ["", "Nam", "Nữ", ""]
        if plain_first:
            top, under = [top[0], top[3], *top[1:3]], [under[0], under[3], *under[1:3]]
        pair = (2, 3) if plain_first else (1, 2)
        layout = detect_layout([(2, top), (3, under)], merged={2: [pair]})
        assert layout is not None
        plain = 1 if plain_first else 3
        assert layout.mapping == {
            0: "head_name", pair[0]: "birth_year:male", pair[1]: "birth_year:female"
        }
        assert layout.shadowed == {plain: "birth_year"}
        letter = "B" if plain_first else "D"
        pair_letters = "C, D" if plain_first else "B, C"
        (note,) = layout.shadowed_notes()
        assert note.startswith(f"Cột {letter} “Năm sinh” cũng là năm sinh; năm sinh lấy ở cột ")
        assert f"cột {pair_letters} (theo nam, nữ)" in note


def test_no_header_is_none() -> None:
    assert detect_layout([(1, ["a", "b"]), (2, [1, 2])]) is None


def test_a_chosen_header_row_is_read_as_is() -> None:
    rows = [(1, ["Tên", "Thôn"]), (2, ["Họ tên", "Năm sinh"])]
    layout = detect_layout(rows, header_row=1)
    assert layout is not None and layout.header_row == 1
