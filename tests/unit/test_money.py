import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.errors import ValidationError
from nhao.domain.money import amount_in_words_vi, format_vnd, parse_vnd


@pytest.mark.parametrize(
    "text",
    ["1.000.000", "1000000", "1 000 000", "1.000.000 ₫", "1.000.000đ", "1.000.000 VND",
     " 1.000.000 vnđ ", "1\u00a0000\u00a0000", "1.000.000 đồng"],
)
def test_parse_accepts_common_spellings(text: str) -> None:
    assert parse_vnd(text) == 1_000_000


def test_parse_small_and_int_values() -> None:
    assert parse_vnd("0") == 0
    assert parse_vnd("1.000") == 1000
    assert parse_vnd("999") == 999
    assert parse_vnd(60_000_000) == 60_000_000


@pytest.mark.parametrize(
    "bad",
    ["1.000,5", "1000.5", "1.00", "10.0000", "1,000,000", "1.5", "", "   ", "₫", "abc",
     "12a", "1 00", "--5", "1..000"],
)
def test_parse_refuses_ambiguous_or_malformed_text(bad: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_vnd(bad)
    assert exc.value.field == "amount"
    assert exc.value.message


@pytest.mark.parametrize("bad", [1.5, 1000.0, True, False, None, [1]])
def test_parse_refuses_non_integers(bad: object) -> None:
    with pytest.raises(ValidationError):
        parse_vnd(bad)  # type: ignore[arg-type]


def test_negative_only_when_allowed() -> None:
    with pytest.raises(ValidationError, match="âm"):
        parse_vnd("-1.000")
    with pytest.raises(ValidationError):
        parse_vnd(-5)
    assert parse_vnd("-1.000", allow_negative=True) == -1000
    assert parse_vnd("-1.000.000 ₫", allow_negative=True) == -1_000_000
    assert parse_vnd(-5, allow_negative=True) == -5


def test_decimal_message_explains_the_dot() -> None:
    with pytest.raises(ValidationError, match="dấu chấm"):
        parse_vnd("1000.5")


def test_format() -> None:
    assert format_vnd(1_000_000) == "1.000.000 ₫"
    assert format_vnd(0) == "0 ₫"
    assert format_vnd(999) == "999 ₫"
    assert format_vnd(-1_000_000) == "-1.000.000 ₫"
    assert "\u00a0" not in format_vnd(1_234_567)


@pytest.mark.parametrize("bad", [1.0, True, "1000", None])
def test_format_refuses_non_int(bad: object) -> None:
    with pytest.raises(ValidationError):
        format_vnd(bad)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip(n: int) -> None:
    assert parse_vnd(format_vnd(n)) == n
    assert parse_vnd(str(n)) == n


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_round_trip_negative(n: int) -> None:
    assert parse_vnd(format_vnd(n), allow_negative=True) == n


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (1, "Một đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi bốn đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_001, "Một nghìn không trăm linh một đồng"),
        (101_000, "Một trăm linh một nghìn đồng"),
        (1_200_000, "Một triệu hai trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (15_750_000, "Mười lăm triệu bảy trăm năm mươi nghìn đồng"),
        (60_000_000, "Sáu mươi triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_000_000_001, "Một tỷ không trăm linh một đồng"),
        (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (-5, "Âm năm đồng"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words_vi(amount) == words


@given(st.integers(min_value=1, max_value=10**15))
def test_words_shape(n: int) -> None:
    words = amount_in_words_vi(n)
    assert words[0].isupper() and words.endswith(" đồng")
    assert "  " not in words
    assert "mươi một" not in words and "mười năm" not in words


def test_words_refuse_float() -> None:
    with pytest.raises(ValidationError):
        amount_in_words_vi(1.0)  # type: ignore[arg-type]
