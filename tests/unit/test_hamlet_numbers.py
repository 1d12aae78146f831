"""Hamlets known by their number, as lists write it: in Roman numerals, the word before it
short or joined to it."""

from __future__ import annotations

import pytest

from nhao.domain.hamlet_names import HamletIndex

NUMBERED = HamletIndex(
    [(f"t{n}", f"Thôn {n}") for n in range(1, 11)]
    + [("x7", "Xóm 7"), ("tdp5", "Tổ dân phố 5"), ("kp3", "Khu phố 3")]
)


@pytest.mark.parametrize(
    ("written", "hamlet"),
    [
        ("Thôn I", "t1"),
        ("Thôn II", "t2"),
        ("THÔN IV", "t4"),
        ("Thôn IX", "t9"),
        ("Xóm VII", "x7"),
        ("Thôn VII", "t7"),
        ("Thôn 01", "t1"),
        ("Thôn2", "t2"),
        ("T.2", "t2"),
        ("Th.2", "t2"),
        ("Th 2", "t2"),
        ("Thôn số 2", "t2"),
        ("X.7", "x7"),
        ("Xóm7", "x7"),
        ("TDP 5", "tdp5"),
        ("TDP5", "tdp5"),
        ("Tổ 5", "tdp5"),
        ("Tổ DP 5", "tdp5"),
        ("Tổ dân phố số 5", "tdp5"),
        ("Khu 3", "kp3"),
        ("KP.3", "kp3"),
        # A kind the number is not of, a number the commune has not, a word: none.
        ("Xóm 2", None),
        ("Thôn 11", None),
        ("Thôn XI", None),
        ("X.2", None),
        ("Thôn Vi", None),  # a name, in a name's letters
        ("ThônII", None),
    ],
)
def test_a_numbered_hamlet_as_lists_write_it(written: str, hamlet: str | None) -> None:
    assert NUMBERED.find(written) == hamlet


def test_a_hamlet_named_in_roman_numerals_is_found_by_its_figures() -> None:
    hamlets = HamletIndex([("t2", "Thôn II"), ("t4", "Thôn IV"), ("x12", "Xóm XII")])
    assert [hamlets.find(n) for n in ("Thôn 2", "Thôn 02", "Thôn IV", "Xóm 12", "Thôn 12")] == [
        "t2", "t2", "t4", "x12", None
    ]


def test_a_name_of_roman_letters_is_that_name() -> None:
    """"Thôn Vi", "Bản Vi", "Bản Xi": names of a place, whose letters fold as Roman
    numerals do. The commune's own name wins over the number, in any case."""
    hamlets = HamletIndex(
        [("vi", "Thôn Vi"), ("t6", "Thôn 6"), ("bx", "Bản Xi"), ("b11", "Bản 11")]
    )
    assert [hamlets.find(n) for n in ("Thôn Vi", "THÔN VI", "thôn vi", "Thôn 6")] == [
        "vi", "vi", "vi", "t6"
    ]
    assert [hamlets.find(n) for n in ("BẢN XI", "Xi", "Bản 11")] == ["bx", "bx", "b11"]
    # "Thôn Vi" is the hamlet's name, not its number: "Thôn 6" is another hamlet.
    assert HamletIndex([("vi", "Thôn Vi")]).find("Thôn 6") is None
    # "Xóm VI" where the commune's "Vi" is a "Bản": that hamlet, as "Xóm Vi" finds it.
    assert HamletIndex([("bv", "Bản Vi"), ("t6", "Xóm 6")]).find("Xóm VI") == "bv"
    # A Roman numeral of another kind of place is a number still: "Xóm VI" is "Xóm 6".
    numbered = HamletIndex([("t6", "Thôn VI"), ("x6", "Xóm 6")])
    assert [numbered.find(n) for n in ("Xóm VI", "Thôn 6", "VI")] == ["x6", "t6", "t6"]


def test_two_hamlets_a_short_word_may_say_find_neither() -> None:
    """"T.2": "Thôn 2" or "Tổ 2", which a merged commune can both have. No guess."""
    hamlets = HamletIndex([("t2", "Thôn 2"), ("to2", "Tổ 2"), ("x3", "Xóm 3")])
    assert [hamlets.find(n) for n in ("T.2", "T2", "Th.2", "Tổ 2", "X3")] == [
        None, None, "t2", "to2", "x3"
    ]
    # Two hamlets of one number and kind ("Thôn 2" and "Thôn II"): the exact name only.
    twice = HamletIndex([("a", "Thôn 2"), ("b", "Thôn II")])
    assert [twice.find(n) for n in ("Thôn 2", "Thôn II", "Thôn 02", "T.2")] == [
        "a", "b", None, None
    ]


@pytest.mark.parametrize(
    ("line", "hamlet"),
    [
        ("DANH SÁCH HỘ NGHÈO THÔN II", "t2"),
        ("Danh sách hộ nghèo thôn 02 năm 2025", "t2"),
        ("Thôn số 2, xã Bình Gia", "t2"),
        ("XÓM VII", "x7"),
        ("DANH SÁCH HỘ NGHÈO THÔN II VÀ THÔN III", None),  # two
        ("DANH SÁCH HỘ NGHÈO THÔN XI", None),  # one the commune has not
        ("DANH SÁCH HỘ NGHÈO THÔN 2A", None),
        ("Danh sách hộ nghèo thôn Vi", None),  # a name
    ],
)
def test_a_numbered_hamlet_a_title_names(line: str, hamlet: str | None) -> None:
    assert NUMBERED.named_in([line]) == hamlet


@pytest.mark.parametrize(
    ("address", "hamlet"),
    [
        ("Thôn II, xã Bình Gia", "t2"),
        ("Số 5, Thôn IV", "t4"),
        ("Thôn 02 - Bình Gia", "t2"),
        ("T.2, xã Bình Gia", "t2"),
        ("Thôn II, Xóm VII", None),
    ],
)
def test_a_numbered_hamlet_an_address_names(address: str, hamlet: str | None) -> None:
    assert NUMBERED.in_address(address, "Xã Bình Gia") == hamlet
