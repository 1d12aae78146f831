import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.citizen_id import (
    PROVINCE_CODES,
    check_citizen_id,
    mask_citizen_id,
    normalize_citizen_id,
)
from nhao.domain.enums import Sex

CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200,
           8: 1800, 9: 1800}


def test_known_good_cccd() -> None:
    # 001 Hà Nội, 0 = man born in the 1900s, 85 → 1985.
    result = check_citizen_id("001085012345", birth_year=1985, sex=Sex.male)
    assert result.ok
    assert result.kind == "cccd"
    assert result.normalized == "001085012345"
    assert result.warnings == ()
    assert (result.province_code, result.birth_year, result.sex) == ("001", 1985, Sex.male)


def test_separators_are_removed_and_leading_zero_kept() -> None:
    result = check_citizen_id(" 001 085-012.345 ")
    assert result.ok and result.normalized == "001085012345"


def test_woman_born_in_2000s() -> None:
    result = check_citizen_id("079305001234")
    assert result.ok and result.birth_year == 2005 and result.sex == Sex.female


def test_mismatch_is_a_warning_naming_what_differs() -> None:
    result = check_citizen_id("001085012345", birth_year=1986, sex=Sex.female)
    assert result.ok
    assert len(result.warnings) == 2
    assert "1985" in result.warnings[0] and "1986" in result.warnings[0]
    assert "Nam" in result.warnings[1] and "Nữ" in result.warnings[1]


def test_unknown_province_is_an_error() -> None:
    result = check_citizen_id("003085012345")
    assert not result.ok
    assert "003" in result.errors[0]


def test_eleven_digits_suggests_excel_lost_a_zero() -> None:
    result = check_citizen_id("1085012345" + "6")
    assert not result.ok
    assert result.errors == (
        "Số CCCD phải có 12 chữ số (đang có 11). Nếu Excel đã bỏ số 0 ở đầu, hãy thêm lại.",
    )


@pytest.mark.parametrize("raw", ["12345", "1234567890123", "0010850123"])
def test_wrong_length_says_how_many_digits(raw: str) -> None:
    result = check_citizen_id(raw)
    assert not result.ok and result.kind is None
    assert f"đang có {len(raw)}" in result.errors[0]


def test_non_digits_are_an_error() -> None:
    result = check_citizen_id("00108501234O")
    assert not result.ok
    assert "O" in result.errors[0] and "11 chữ số" in result.errors[0]


def test_empty_is_an_error() -> None:
    assert not check_citizen_id("  ").ok


def test_old_cmnd_is_accepted_with_a_warning() -> None:
    result = check_citizen_id("012345678")
    assert result.ok and result.kind == "cmnd"
    assert result.normalized == "012345678"
    assert "CMND" in result.warnings[0] and "9 chữ số" in result.warnings[0]


def test_province_codes_list() -> None:
    assert len(PROVINCE_CODES) == 63
    assert {"001", "079", "096"} <= PROVINCE_CODES


def test_mask() -> None:
    assert mask_citizen_id("001085011234") == "********1234"
    assert mask_citizen_id("001 085 011 234") == "********1234"
    assert mask_citizen_id("012345678") == "*****5678"
    assert mask_citizen_id("123") == "***"
    assert mask_citizen_id("") == ""


valid_parts = st.tuples(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9),
    st.integers(0, 99),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
)


def _build(parts: tuple[str, int, int, str]) -> tuple[str, int, Sex]:
    province, code, yy, serial = parts
    number = f"{province}{code}{yy:02d}{serial}"
    return number, CENTURY[code] + yy, Sex.female if code % 2 else Sex.male


@given(valid_parts)
def test_generated_valid_cccd_passes_cleanly(parts: tuple[str, int, int, str]) -> None:
    number, year, sex = _build(parts)
    result = check_citizen_id(number, birth_year=year, sex=sex)
    assert result.ok and result.warnings == ()
    assert (result.birth_year, result.sex) == (year, sex)


@given(valid_parts, st.integers(1, 150))
def test_generated_cccd_warns_on_wrong_year(parts: tuple[str, int, int, str], off: int) -> None:
    number, year, sex = _build(parts)
    result = check_citizen_id(number, birth_year=year + off, sex=sex)
    assert result.ok and len(result.warnings) == 1
    assert str(year) in result.warnings[0]


@given(valid_parts)
def test_generated_cccd_warns_on_wrong_sex(parts: tuple[str, int, int, str]) -> None:
    number, year, sex = _build(parts)
    other = Sex.male if sex is Sex.female else Sex.female
    result = check_citizen_id(number, birth_year=year, sex=other)
    assert result.ok and len(result.warnings) == 1
    assert "Giới tính" in result.warnings[0]


@given(st.text(alphabet="0123456789 .-", max_size=20))
def test_normalize_keeps_every_digit_in_order(raw: str) -> None:
    assert normalize_citizen_id(raw) == "".join(c for c in raw if c.isdigit())


def test_full_width_digits_are_the_digits_they_show() -> None:
    # Copied from a PDF or typed with an East Asian input method: "００１０８５０１２３４５".
    result = check_citizen_id("００１０８５０１２３４５", birth_year=1985)
    assert result.ok and result.normalized == "001085012345"
    assert normalize_citizen_id("０１２ ３４５ ６７８") == "012345678"


def test_other_characters_are_each_named_once() -> None:
    result = check_citizen_id("CCCD: 001085012345")
    assert result.errors == (
        "Số CCCD chỉ gồm chữ số, không có “C”, “D”, “:”. Hãy bỏ các ký tự đó, chỉ ghi 12 chữ "
        "số.",
    )
