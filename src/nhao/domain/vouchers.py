"""Voucher numbers of the fund's books: PT-2025-0001 (receipt), PC-2025-0001 (payment).

Numbers are gapless per book and year; the database layer enforces it, these
functions only compute and check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from .errors import ValidationError

_FIELD = "voucher_number"


class VoucherBook(StrEnum):
    receipt = "receipt"
    payment = "payment"

    @property
    def prefix(self) -> str:
        return "PT" if self is VoucherBook.receipt else "PC"

    @property
    def label_vi(self) -> str:
        return "Phiếu thu" if self is VoucherBook.receipt else "Phiếu chi"


_BY_PREFIX = {book.prefix: book for book in VoucherBook}
# Four digits at least; longer numbers must not start with 0 so each number has
# one spelling only.
_PATTERN = re.compile(r"(PT|PC)-([0-9]{4})-([0-9]{4}|[1-9][0-9]{4,})")


def _check_seq(seq: int) -> int:
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValidationError(f"Số thứ tự phiếu phải từ 1 trở lên (đang là {seq}).", field="seq")
    return seq


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValidationError(f"Năm của phiếu phải có 4 chữ số (đang là {year}).", field="year")
    return year


def format_voucher_number(book: VoucherBook, year: int, seq: int) -> str:
    """PT-2025-0001: prefix, year, sequence padded to 4 digits (more if needed)."""
    return f"{VoucherBook(book).prefix}-{_check_year(year)}-{_check_seq(seq):04d}"


def parse_voucher_number(text: str) -> tuple[VoucherBook, int, int]:
    """ "PT-2025-0001" → (VoucherBook.receipt, 2025, 1)."""
    m = _PATTERN.fullmatch(text.strip().upper()) if isinstance(text, str) else None
    if m is None or int(m.group(3)) == 0:
        raise ValidationError(
            f"Số phiếu “{text}” không đúng dạng. Hãy nhập theo mẫu PT-2025-0001 (phiếu thu) "
            "hoặc PC-2025-0001 (phiếu chi).",
            field=_FIELD,
        )
    return _BY_PREFIX[m.group(1)], int(m.group(2)), int(m.group(3))


def next_voucher_seq(used: Iterable[int]) -> int:
    """The number after the highest one used; 1 for an empty book."""
    return max((_check_seq(s) for s in used), default=0) + 1


def check_gapless(seqs: Iterable[int]) -> list[int]:
    """Numbers missing between 1 and the highest one used, in order."""
    present = {_check_seq(s) for s in seqs}
    if not present:
        return []
    return [n for n in range(1, max(present) + 1) if n not in present]
