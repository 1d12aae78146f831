"""The hamlet an address names, as a list's "Địa chỉ" column writes it."""

from __future__ import annotations

import pytest

from nhao.domain.hamlet_names import HamletIndex

HAMLETS = HamletIndex(
    [("np", "Thôn Nà Pàn"), ("cl", "Xóm Cốc Lùng"), ("kb", "Bản Khau Bon"), ("bg", "Thôn Bình Gia")]
)


@pytest.mark.parametrize(
    ("address", "hamlet"),
    [
        ("Thôn Nà Pàn, xã Bình Gia", "np"),
        ("Số 12, thôn Nà Pàn", "np"),
        ("Số 3 - Thôn Nà Pàn", "np"),
        ("Nà Pàn - Bình Gia - Lạng Sơn", "np"),
        ("Nà Pàn, Bình Gia", "np"),
        # A part of the hamlet before its name, or the name at the part's end.
        ("Khu 3, Nà Pàn", "np"),
        ("Đội 5 Nà Pàn", "np"),
        ("số nhà 12 Cốc Lùng", "cl"),
        ("Cốc Lùng/Bình Gia", "cl"),
        # Two hamlets, a place the commune has not, the commune alone: none.
        ("Nà Pàn - Cốc Lùng", None),
        ("Thôn Nà Pàn và Xóm Cốc Lùng", None),
        ("Thôn Nà Lèng, Bình Gia", None),
        ("Thôn Nà Pàn Nam", None),
        ("Bình Gia, Lạng Sơn", None),
        ("Bình Gia", None),
        ("Thôn Bình Gia, xã Bình Gia", "bg"),
    ],
)
def test_the_hamlet_an_address_names(address: str, hamlet: str | None) -> None:
    assert HAMLETS.in_address(address, "Xã Bình Gia") == hamlet
