"""Cell values as communes type them (imports/values.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from nhao.domain.enums import Category, Sex
from nhao.imports import values as v
from nhao.imports.values import EXCEL_BROKE_ID, BadValue


def cid(raw: object) -> tuple[str, list[str]]:
    warnings: list[str] = []
    return v.citizen_id(raw, warnings), warnings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("001234567890", "001234567890"),
        ("001 234 567 890", "001234567890"),
        ("001.234.567.890", "001234567890"),
        ("001-234-567-890", "001234567890"),
        ("'001234567890", "001234567890"),  # Excel's text apostrophe, kept by a CSV
        (3234567890.0, "3234567890"),  # ten digits, 003 no province: the check says so
        # 001 or 008 in front would make a card of someone born in 2034 or in 1812: ten
        # digits typed wrong, not two zeros lost. The check says so.
        (1234567890.0, "1234567890"),
        ("8912345678", "8912345678"),
        (123456789, "123456789"),  # an old 9-digit CMND
        ("００１２３４５６７８９０", "001234567890"),  # full-width, copied from a PDF
        ("", ""),
    ],
)
def test_citizen_ids_are_cleaned_not_invented(raw: object, expected: str) -> None:
    assert cid(raw) == (expected, [])


@pytest.mark.parametrize("raw", [20123456789, 20123456789.0, "20123456789", "20 123 456 789"])
def test_an_id_that_lost_its_leading_zero_is_restored_with_a_warning(raw: object) -> None:
    value, warnings = cid(raw)
    assert value == "020123456789"
    assert len(warnings) == 1 and "Excel đã bỏ số 0 ở đầu" in warnings[0]
    assert "020123456789" in warnings[0]


@pytest.mark.parametrize("raw", [6190001234, 6190001234.0, "6190001234", "61 9000 1234"])
def test_an_id_of_a_province_coded_00x_gets_both_zeros_back(raw: object) -> None:
    """Hà Nội 001, Hà Giang 002, Cao Bằng 004, Bắc Kạn 006, Tuyên Quang 008: typed as
    a number, every card of theirs loses two zeros, not one."""
    value, warnings = cid(raw)
    assert value == "006190001234"
    assert warnings == [
        "Số CCCD chỉ có 10 chữ số (Excel đã bỏ hai số 0 ở đầu); đã thêm lại thành "
        "006190001234, hãy đối chiếu lại."
    ]


@pytest.mark.parametrize(
    ("raw", "expected", "repaired"),
    [
        ("20123456789.0", "020123456789", True),  # a float written out by a program
        ("6060000123.0", "006060000123", True),  # Bắc Kạn's 006: two zeros lost
        ("123456789,0", "123456789", False),
    ],
)
def test_an_id_written_as_a_float_loses_its_point_zero(
    raw: str, expected: str, repaired: bool
) -> None:
    value, warnings = cid(raw)
    assert value == expected
    assert bool(warnings) is repaired


@pytest.mark.parametrize(
    "raw",
    # "123457000000": the number LibreOffice writes to a CSV for a cell Excel had turned
    # into 1,23457E+11 (its "General" format shows all twelve digits).
    ["1,23457E+11", "1.23457E+11", "1.23457e+11", 1.23457e11, 123457000000, 1234567.5,
     "123457000000", "12345600000"],
)
def test_an_id_excel_destroyed_is_refused(raw: object) -> None:
    with pytest.raises(BadValue) as refused:
        cid(raw)
    assert refused.value.message == EXCEL_BROKE_ID
    assert refused.value.message.startswith("Excel đã làm hỏng số CCCD, nhập lại")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1960, 1960),
        (1960.0, 1960),
        ("1960", 1960),
        ("05/02/1960", 1960),
        ("5/2/1960", 1960),
        ("05-02-1960", 1960),
        ("05.02.1960", 1960),
        ("1960-02-05", 1960),
        ("02/1960", 1960),
        (date(1960, 2, 5), 1960),
        (datetime(1960, 2, 5, 0, 0), 1960),
        (21951, 1960),  # Excel serial number of 05/02/1960, date format lost
        ("21951", 1960),
        ("1960,0", 1960),
        ("05/02/1960 00:00:00", 1960),  # a date cell a program wrote out as text
        ("5/2/1960 12:00 AM", 1960),
        ("Năm 1960", 1960),  # as a list types a year it is not sure of the day of
        ("năm 1960", 1960),
        ("Sinh năm 1960", 1960),
        ("", None),
    ],
)
def test_years_and_dates(raw: object, expected: int | None) -> None:
    assert v.year(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "1.960",  # a year column formatted with thousands separators, saved as CSV
        "1,960",
        "1 960",
        "'1960",  # typed with the apostrophe that keeps a cell text, written out with it
        "T2/1960",  # "tháng 2 năm 1960", as lists write a month of birth
        "t02/1960",
        "Th2/1960",
        "tháng 2/1960",
        "Tháng 02-1960",
    ],
)
def test_years_as_clerks_type_them(raw: str) -> None:
    warnings: list[str] = []
    assert v.year(raw, warnings) == 1960 and not warnings


@pytest.mark.parametrize("raw", [19700, "19700", 19700.0])
def test_a_serial_number_read_as_a_date_says_so(raw: object) -> None:
    """19700 is 07/12/1953 to Excel, and 1970 typed with one 0 too many to a person."""
    warnings: list[str] = []
    assert v.year(raw, warnings) == 1953
    assert warnings == [
        "Số 19700 được hiểu là ngày 07/12/1953 (Excel lưu ngày dưới dạng số), tức năm 1953; "
        "hãy kiểm tra lại."
    ]
    plain: list[str] = []
    assert v.year(1970, plain) == 1970 and v.year("05/02/1960", plain) == 1960 and not plain


@pytest.mark.parametrize("raw", ["Không rõ", "không nhớ", "K.rõ", "chưa rõ", "?"])
def test_a_year_said_unknown_is_left_empty_and_said(raw: str) -> None:
    """An old head of household who does not know the year: no year, not a bad row."""
    warnings: list[str] = []
    assert v.year(raw, warnings) is None
    assert warnings == [f"“{raw}”: không rõ năm, để trống."]


@pytest.mark.parametrize("cell", [date(1905, 5, 13), datetime(1905, 5, 13)])
def test_a_year_typed_in_a_cell_formatted_as_a_date_is_the_year(cell: date) -> None:
    """1960 typed in a column formatted as dates: Excel shows 13/05/1905, and the file
    holds that date. A head of household born in 1905 is no one alive."""
    warnings: list[str] = []
    assert v.year(cell, warnings) == 1960
    assert warnings == [
        "Ô định dạng ngày tháng nhưng gõ số 1960 (Excel hiện 13/05/1905): hiểu là năm 1960; "
        "hãy kiểm tra lại."
    ]
    assert v.year(date(1906, 1, 9), []) == 1906  # serial 2201: past every year number


@pytest.mark.parametrize(
    "raw", ["60", "5/2/60", "31/02/1960", "năm sáu mươi", "nan", "inf", "-Infinity"]
)
def test_unusable_years_are_refused(raw: object) -> None:
    with pytest.raises(BadValue):
        v.year(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25,5", 25.5),
        ("25.5", 25.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.000", 1000.0),
        (" 4 ", 4.0),
        (3, 3.0),
    ],
)
def test_numbers_with_decimal_commas(raw: object, expected: float) -> None:
    assert v.number(raw) == expected


@pytest.mark.parametrize("raw", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_words_float_reads_as_numbers_are_not_numbers(raw: str) -> None:
    with pytest.raises(BadValue, match="không phải là một con số"):
        v.number(raw)
    with pytest.raises(BadValue):
        v.integer(raw)
    with pytest.raises(BadValue):
        v.number("1e999")  # past the largest float: infinity


@pytest.mark.parametrize(("raw", "expected"), [("4", 4), ("4,0", 4), (4.0, 4), ("5 người", 5)])
def test_whole_numbers(raw: object, expected: int) -> None:
    assert v.integer(raw) == expected


def test_a_fraction_of_a_person_is_refused() -> None:
    with pytest.raises(BadValue):
        v.integer("4,5")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hộ nghèo", {Category.poor}),
        ("HN", {Category.poor}),
        ("nghèo", {Category.poor}),
        ("ho ngheo", {Category.poor}),
        ("Cận nghèo", {Category.near_poor}),
        ("CN", {Category.near_poor}),
        ("HCN", {Category.near_poor}),
        ("Người có công", {Category.revolutionary_merit}),
        ("NCC", {Category.revolutionary_merit}),
        ("Gia đình chính sách", {Category.policy_family}),
        ("thiên tai", {Category.disaster_hit}),
        ("HN; NCC", {Category.poor, Category.revolutionary_merit}),
        ("Cận nghèo + thiên tai", {Category.near_poor, Category.disaster_hit}),
        ("Hộ bị ảnh hưởng bởi thiên tai, biến đổi khí hậu", {Category.disaster_hit}),
        ("Hộ có hoàn cảnh khó khăn khác", {Category.other_hardship}),
        ("Ho\u0302\u0323 nghe\u0300o", {Category.poor}),  # decomposed (NFD)
    ],
)
def test_category_words(raw: str, expected: set[Category]) -> None:
    warnings: list[str] = []
    assert v.categories(raw, warnings) == expected
    assert warnings == []


def test_an_unknown_category_word_is_a_warning() -> None:
    warnings: list[str] = []
    assert v.categories("HN, tàn tật", warnings) == {Category.poor}
    assert warnings == ["Không hiểu diện “tàn tật”; bỏ qua."]


@pytest.mark.parametrize(
    "raw",
    ["Thoát nghèo", "Hộ mới thoát nghèo", "Hộ thoát cận nghèo", "Không nghèo",
     "Hộ nghèo đã thoát nghèo", "Hộ không nghèo", "Ngoài hộ nghèo", "Không thuộc diện cận nghèo",
     "Hộ không phải hộ nghèo"],
)
def test_a_household_out_of_poverty_is_not_poor(raw: str) -> None:
    warnings: list[str] = []
    assert v.categories(raw, warnings) == set()
    assert warnings == [f"Không hiểu diện “{raw}”; bỏ qua."]


@pytest.mark.parametrize(
    "raw", ["Cận nghèo (mới thoát nghèo)", "Hộ thoát nghèo nhưng vẫn cận nghèo"]
)
def test_out_of_poverty_into_near_poverty_is_near_poor(raw: str) -> None:
    warnings: list[str] = []
    assert v.categories(raw, warnings) == {Category.near_poor}
    assert warnings == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hộ cận nghèo chuyển lên hộ nghèo", Category.poor),
        ("Cận nghèo chuyển thành hộ nghèo", Category.poor),
        ("HCN lên HN", Category.poor),
        ("Hộ nghèo chuyển sang hộ cận nghèo", Category.near_poor),
        ("Hộ nghèo xuống cận nghèo", Category.near_poor),
        ("HN → HCN", Category.near_poor),
    ],
)
def test_a_household_moved_to_another_category_is_in_the_one_it_moved_to(
    raw: str, expected: Category
) -> None:
    """"Hộ cận nghèo chuyển lên hộ nghèo": the household is poor now. Before, the first
    category named was taken, near-poor, nothing said (the other way round came out right
    only because "cận nghèo" is looked for first)."""
    warnings: list[str] = []
    assert v.categories(raw, warnings) == {expected}
    assert warnings == []


@pytest.mark.parametrize(
    "raw",
    ["Hộ nghèo (chủ hộ mới: Lò Thị Mai)", "HN (chủ hộ mới)", "Hộ nghèo, vợ đứng tên chủ hộ"],
)
def test_words_saying_the_head_changed_keep_the_category_and_are_said(raw: str) -> None:
    warnings: list[str] = []
    assert v.categories(raw, warnings) == {Category.poor}
    assert warnings == [
        f"Diện “{raw}” ghi hộ đổi chủ hộ: hộ vẫn thuộc diện Hộ nghèo; hãy kiểm tra họ tên chủ "
        "hộ ở dòng này là của chủ hộ mới."
    ]


def test_a_household_just_split_off_is_no_change_of_head() -> None:
    """"Chủ hộ mới tách hộ" is a head who just split off (mới: just), not a new head."""
    warnings: list[str] = []
    assert v.categories("HN, chủ hộ mới tách hộ", warnings) == {Category.poor}
    assert warnings == ["Không hiểu diện “chủ hộ mới tách hộ”; bỏ qua."]


@pytest.mark.parametrize(
    ("raw", "expected", "unknown"),
    [
        ("Hộ cận nghèo, thoát cận nghèo (đổi chủ hộ)", {Category.near_poor},
         "thoát cận nghèo (đổi chủ hộ)"),
        ("Hộ nghèo - đã xóa (đổi chủ hộ)", {Category.poor}, "đã xóa (đổi chủ hộ)"),
        ("Hộ nghèo (thoát nghèo 2024) (đổi chủ hộ)", set(),
         "Hộ nghèo (thoát nghèo 2024) (đổi chủ hộ)"),
    ],
)  # fmt: skip
def test_words_beside_a_change_of_head_are_still_read(
    raw: str, expected: set[Category], unknown: str
) -> None:
    """A part of the cell naming no category was left out unsaid whenever it held "chủ
    hộ": "thoát cận nghèo (đổi chủ hộ)" went without a word, the household said to stay
    near-poor. What the part says beside the head is read as it is without it."""
    warnings: list[str] = []
    assert v.categories(raw, warnings) == expected
    assert warnings[0] == f"Không hiểu diện “{unknown}”; bỏ qua."


@pytest.mark.parametrize(
    "raw",
    ["Hộ nghèo; chủ hộ đã chết; vợ làm chủ hộ", "Hộ nghèo, chủ hộ mới: Lò Thị Mai",
     "Hộ nghèo, con trai làm chủ hộ từ 2024"],
)  # fmt: skip
def test_parts_saying_only_what_became_of_the_head_are_no_category(raw: str) -> None:
    warnings: list[str] = []
    assert v.categories(raw, warnings) == {Category.poor}
    assert len(warnings) == 1 and "ghi hộ đổi chủ hộ" in warnings[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hộ nghèo - Thiên tai", {Category.poor, Category.disaster_hit}),
        ("Cận nghèo & NCC", {Category.near_poor, Category.revolutionary_merit}),
        ("HN – gia đình chính sách", {Category.poor, Category.policy_family}),
        ("HN-thiên tai", {Category.poor, Category.disaster_hit}),
        # A dash between digits is a span of years, no separator.
        ("Hộ nghèo giai đoạn 2022-2025", {Category.poor}),
        ("Cận nghèo (2021–2025)", {Category.near_poor}),
    ],
)
def test_categories_separated_by_a_dash_or_ampersand(raw: str, expected: set[Category]) -> None:
    warnings: list[str] = []
    assert v.categories(raw, warnings) == expected
    assert warnings == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Nam", Sex.male), ("nữ", Sex.female), ("NU", Sex.female), ("Nữ giới", Sex.female),
     ("Nam giới", Sex.male), ("", None)],
)
def test_sex(raw: str, expected: Sex | None) -> None:
    assert v.sex(raw, []) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("x", True),
        ("X", True),
        ("có", True),
        ("1", True),
        ("✓", True),
        (True, True),
        ("", False),
        ("không", False),
        ("0", False),
        ("-", False),
    ],
)
def test_marks(raw: object, expected: bool) -> None:
    assert v.flag(raw) is expected


@pytest.mark.parametrize(
    "raw",
    ["Không có", "Chưa có", "Ko có", "không tranh chấp", "Chưa có sổ đỏ", "K.", "Không.",
     "K.có", "K.có tranh chấp", "Ko.có sổ"],  # "K.có" is "K có", written short
)
def test_a_mark_that_begins_with_no_says_no(raw: str) -> None:
    # "Không có" in the "Có GCN QSDĐ" column, "Không tranh chấp" in "Đất tranh chấp".
    assert v.flag(raw) is False


@pytest.mark.parametrize(
    ("raw", "asked"),
    [("Không có", False), ("Chưa có sổ đỏ", False), ("K.có tranh chấp", False),
     ("Không", False), ("K.", False), ("không tranh chấp", True),
     ("Không an toàn", True), ("Chưa giải quyết", True)],
)
def test_a_no_that_may_mean_yes_in_its_column_is_pointed_out(raw: str, asked: bool) -> None:
    """"Không an toàn" in the landslide column, "Chưa giải quyết" in the dispute column
    mean yes there; "Không có …" never does."""
    warnings: list[str] = []
    assert v.flag(raw, warnings) is False
    expected = [f"“{raw}” được hiểu là không; hãy kiểm tra lại."] if asked else []
    assert warnings == expected


@pytest.mark.parametrize("raw", ["Có", "Đã có", "Có (sổ hồng)", "x (2023)", "1.0", "(x)"])
def test_a_mark_that_begins_with_yes_says_yes(raw: str) -> None:
    assert v.flag(raw) is True


def test_text_is_nfc_single_spaced_and_free_of_invisible_characters() -> None:
    decomposed = "Nguye\u0302\u0303n  Va\u0306n\u200b A\u0302\u0301n\x07"
    assert v.text(decomposed) == "Nguyễn Văn Ấn"


def test_phone_numbers_get_their_zero_back() -> None:
    warnings: list[str] = []
    assert v.phone(912345678, warnings) == "0912345678"
    assert warnings and "0912345678" in warnings[0]
    assert v.phone("0912.345.678", []) == "0912.345.678"


@pytest.mark.parametrize("raw", [84912345678, 84912345678.0, "84912345678", "84 912 345 678"])
def test_a_phone_number_excel_took_the_plus_from_gets_it_back(raw: object) -> None:
    # Typed +84912345678, Excel keeps the number 84912345678.
    warnings: list[str] = []
    assert v.phone(raw, warnings) == "+84912345678"
    assert len(warnings) == 1 and "+84912345678" in warnings[0]


def test_the_fast_fold_agrees_with_the_domain_fold() -> None:
    import unicodedata

    from nhao.domain.text import fold
    from nhao.imports.folding import fast_fold

    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    for letter in letters + letters.upper():
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
            for form in ("NFC", "NFD"):
                word = unicodedata.normalize(form, f"  {letter}{tone}x  Y ")
                assert fast_fold(word) == fold(word), word


@pytest.mark.parametrize(
    "raw", [65, 5, 965, 1799, 1965.5, float("inf"), float("nan"), True, False, 1e300]
)
def test_a_number_that_is_no_year_is_refused_not_read_as_a_date_in_1900(raw: object) -> None:
    # 65 as an Excel serial number is 05/03/1900: a year written short, not that day.
    with pytest.raises(BadValue, match="năm"):
        v.year(raw)


def test_a_true_or_false_cell_is_named_as_such() -> None:
    with pytest.raises(BadValue, match="“FALSE”"):
        v.year(False)


@pytest.mark.parametrize("raw", ["5-6 người", "2/3", "1e300", "1E3", 1e300, float("inf")])
def test_a_count_is_not_read_by_its_first_digits(raw: object) -> None:
    with pytest.raises(BadValue):
        v.integer(raw)


@pytest.mark.parametrize("raw", [True, date(2020, 5, 17), datetime(2020, 5, 17, 13, 45), 0, 1.5,
                                 "12:30:00", "'001070012345"])
def test_a_name_cell_must_hold_a_name(raw: object) -> None:
    with pytest.raises(BadValue, match="không phải họ tên người"):
        v.person_name(raw, [])


def test_names_as_people_write_them() -> None:
    assert v.person_name("Lò Văn\xa0D", []) == "Lò Văn D"
    assert v.person_name("", []) == ""


def test_a_name_cell_of_several_lines_is_joined_and_two_names_pointed_out() -> None:
    wrapped: list[str] = []  # broken by hand to fit a narrow column (Alt+Enter)
    assert v.person_name("Nguyễn Văn\nAn", wrapped) == "Nguyễn Văn An" and not wrapped
    warnings: list[str] = []  # the husband and the wife, one under the other
    assert v.person_name("Nguyễn Văn An\r\nLò Thị Bé", warnings) == "Nguyễn Văn An Lò Thị Bé"
    assert warnings == [
        "Ô họ tên viết trên 2 dòng (“Nguyễn Văn An”, “Lò Thị Bé”), đã nối thành một tên; "
        "nếu ô ghi tên nhiều người, hãy chỉ để tên chủ hộ."
    ]
    noted: list[str] = []
    assert v.person_name("Lò Văn Sình\n(chủ hộ)", noted) == "Lò Văn Sình"
    assert noted == [
        "Bỏ ghi chú “(chủ hộ)” khỏi họ tên, giữ “Lò Văn Sình” (người này là chủ hộ)."
    ]


@pytest.mark.parametrize(
    ("raw", "name", "sex"),
    [
        ("Ông Nguyễn Văn An", "Nguyễn Văn An", Sex.male),
        ("bà Lò Thị Bé", "Lò Thị Bé", Sex.female),
        ("Hộ ông Lò Văn Sình", "Lò Văn Sình", Sex.male),
        ("CỤ BÀ HÀ THỊ SÁU", "Hà Thị Sáu", Sex.female),
        ("Chị Hà Thị Mai", "Hà Thị Mai", Sex.female),
    ],
)
def test_a_title_before_the_name_is_left_out_and_said(raw: str, name: str, sex: Sex) -> None:
    warnings: list[str] = []
    got = v.person_name(raw, warnings)
    assert (got, got.sex) == (name, sex)  # type: ignore[attr-defined]
    assert len(warnings) == 1 and f"giữ “{name}”" in warnings[0]


@pytest.mark.parametrize("raw", ["Ông Tùng", "Anh Thư", "Nguyễn Văn Ông", "Bàn Văn Sơn",
                                 "Chí Văn Lộc", "ÔNg Văn An"])
def test_a_name_that_only_starts_like_a_title_is_kept(raw: str) -> None:
    warnings: list[str] = []
    got = v.person_name(raw, warnings)
    assert got == raw and type(got) is str and warnings == []


def test_hamlet_cells() -> None:
    assert v.place_name(3, []) == "3"  # "Xóm 3" written as a bare number
    assert v.place_name("'Thôn Nà Pàn", []) == "Thôn Nà Pàn"
    for raw in (True, date(2020, 5, 17)):
        with pytest.raises(BadValue, match="không phải tên thôn"):
            v.place_name(raw, [])


def test_a_long_value_is_cut_short_in_messages() -> None:
    with pytest.raises(BadValue) as error:
        v.year("x" * 32_767)
    assert len(error.value.message) < 120 and "…" in error.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hộ nghèo", {Category.poor}),
        ("II. HỘ CẬN NGHÈO NĂM 2024:", {Category.near_poor}),
        ("Hộ gia đình chính sách", {Category.policy_family}),
        ("Hồ Văn Nghèo", set()),  # a name
        ("Hộ thoát nghèo", set()),  # out of it
        ("Hộ nghèo có nhà dột nát", {Category.poor}),  # which of them the list is of
    ],
)
def test_a_category_as_a_groups_title(raw: str, expected: set[Category]) -> None:
    assert v.category_title(raw) == expected


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Lò Văn Tổng (chủ hộ)", "Lò Văn Tổng"),
        ("Ma Văn Lũy - chủ hộ", "Ma Văn Lũy"),
        ("Chủ hộ: Nông Thị Kế", "Nông Thị Kế"),
        ("HOÀNG VĂN PÁO (CHỦ HỘ)", "Hoàng Văn Páo"),
    ],
)
def test_the_head_said_in_the_name_cell_is_left_out_of_the_name(raw: str, name: str) -> None:
    # Kept, "Lò Văn Tổng (chủ hộ)" matched no household named "Lò Văn Tổng" as a
    # possible duplicate, in the file or on the register.
    warnings: list[str] = []
    assert v.person_name(raw, warnings) == name
    assert len(warnings) == 1 and "chủ hộ" in warnings[0].lower()


def test_a_name_that_only_reads_like_the_note_is_kept() -> None:
    warnings: list[str] = []
    assert v.person_name("Chủ hộ", warnings) == "Chủ hộ"  # nothing else: not a note beside
    assert v.person_name("Triệu Hộ (chủ hộ)", warnings) == "Triệu Hộ"
    assert v.person_name("Vàng A Hộ", warnings) == "Vàng A Hộ"


def test_a_head_note_in_capitals_is_quoted_in_the_names_case() -> None:
    """"LÒ VĂN TỔNG (CHỦ HỘ)" is kept as "Lò Văn Tổng"; the note left out was quoted
    "(chủ Hộ)", neither as typed nor as a name is written."""
    warnings: list[str] = []
    assert v.person_name("LÒ VĂN TỔNG (CHỦ HỘ)", warnings) == "Lò Văn Tổng"
    assert warnings == [
        "Bỏ ghi chú “(Chủ Hộ)” khỏi họ tên, giữ “Lò Văn Tổng” (người này là chủ hộ)."
    ]
