import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.errors import ValidationError
from nhao.domain.vouchers import (
    VoucherBook,
    check_gapless,
    format_voucher_number,
    next_voucher_seq,
    parse_voucher_number,
)


def test_format() -> None:
    assert format_voucher_number(VoucherBook.receipt, 2025, 1) == "PT-2025-0001"
    assert format_voucher_number(VoucherBook.payment, 2025, 42) == "PC-2025-0042"
    assert format_voucher_number(VoucherBook.payment, 2025, 12345) == "PC-2025-12345"


def test_book_labels() -> None:
    assert VoucherBook.receipt.prefix == "PT" and VoucherBook.receipt.label_vi == "Phiếu thu"
    assert VoucherBook.payment.prefix == "PC" and VoucherBook.payment.label_vi == "Phiếu chi"


@pytest.mark.parametrize(("year", "seq"), [(2025, 0), (2025, -1), (25, 1), (2025, True)])
def test_format_refuses_bad_parts(year: int, seq: int) -> None:
    with pytest.raises(ValidationError):
        format_voucher_number(VoucherBook.receipt, year, seq)


def test_parse() -> None:
    assert parse_voucher_number("PT-2025-0001") == (VoucherBook.receipt, 2025, 1)
    assert parse_voucher_number(" pc-2024-10000 ") == (VoucherBook.payment, 2024, 10000)


@pytest.mark.parametrize(
    "bad", ["", "PT-2025-1", "PT-2025-0000", "PX-2025-0001", "PT2025-0001", "PT-25-0001",
            "PT-2025-00001", "PT-2025-0001-1"],
)
def test_parse_refuses(bad: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_voucher_number(bad)
    assert "PT-2025-0001" in exc.value.message


@given(st.sampled_from(list(VoucherBook)), st.integers(1000, 9999), st.integers(1, 10**7))
def test_round_trip(book: VoucherBook, year: int, seq: int) -> None:
    assert parse_voucher_number(format_voucher_number(book, year, seq)) == (book, year, seq)


def test_next_seq_and_gaps() -> None:
    assert next_voucher_seq([]) == 1
    assert next_voucher_seq([1, 2, 3]) == 4
    assert next_voucher_seq([3, 1]) == 4
    assert check_gapless([]) == []
    assert check_gapless([1, 2, 3]) == []
    assert check_gapless([1, 4, 2, 7]) == [3, 5, 6]
    assert check_gapless([3]) == [1, 2]
    with pytest.raises(ValidationError):
        check_gapless([0, 1])


@given(st.sets(st.integers(1, 300)))
def test_gaps_complete_the_range(used: set[int]) -> None:
    missing = check_gapless(used)
    assert not set(missing) & used
    assert set(missing) | used == set(range(1, next_voucher_seq(used)))
