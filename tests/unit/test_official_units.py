"""Communes and provinces are named from the official list, in messages too."""

from __future__ import annotations

from nhao.domain.official_units import official_name


def test_official_names() -> None:
    assert official_name("06112") == "Xã Bình Gia"
    assert official_name("38") == "Tỉnh Thanh Hóa"  # the list says "Thanh Hóa"
    assert official_name("01") == "Thành phố Hà Nội"
    # Hamlets are named by their communes' users; unknown and malformed codes by none.
    assert official_name("06112-a4dd5e6c") is None
    assert official_name("99999") is None
    assert official_name("9") is None and official_name("") is None
