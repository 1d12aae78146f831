"""What an update changes, as the import's preview names it."""

from __future__ import annotations

from dataclasses import replace

from nhao.domain.enums import Category, Sex
from nhao.services.household_changes import household_changes
from nhao.services.households import HouseholdInput

HAMLETS = {"T01": "Thôn Nà Pàn", "T02": "Bản Chu"}
BEFORE = HouseholdInput(
    hamlet_code="T01",
    head_name="Hoàng Thị Mai",
    citizen_id="020160000123",
    birth_year=1960,
    sex=Sex.female,
    categories=frozenset({Category.poor}),
    members=4,
    notes="Nhà vách đất",
)


def test_each_changed_column_is_named_with_both_values_in_the_registers_order() -> None:
    after = replace(
        BEFORE,
        hamlet_code="T02",
        sex=Sex.male,
        categories=frozenset({Category.near_poor, Category.revolutionary_merit}),
        poverty_list_year=2025,
        land_certificate=True,
        notes="",
        head_name="Hoàng Thị Mai",
    )
    assert household_changes(BEFORE, after, HAMLETS) == [
        "Giới tính Nữ → Nam",
        "Thôn, xóm “Thôn Nà Pàn” → “Bản Chu”",
        "Diện hộ “Hộ nghèo” → “Hộ cận nghèo; Người có công với cách mạng”",
        "Năm danh sách hộ nghèo (trống) → 2025",
        "Có GCN QSDĐ không → có",
        "Ghi chú “Nhà vách đất” → (trống)",
    ]


def test_a_value_written_differently_but_stored_alike_is_no_change() -> None:
    decomposed = "Hoa\u0300ng Thi\u0323 Mai"  # NFD, as some keyboard tools type it
    after = replace(BEFORE, head_name=decomposed, citizen_id="020 160 000 123")
    assert household_changes(BEFORE, after, HAMLETS) == []


def test_a_citizen_id_is_shown_masked_and_a_hamlet_to_create_by_its_name() -> None:
    after = replace(BEFORE, citizen_id="020160000999", hamlet_code="new:Khau Pì")
    assert household_changes(BEFORE, after, HAMLETS) == [
        "Số CCCD ********0123 → ********0999",
        "Thôn, xóm “Thôn Nà Pàn” → “Khau Pì”",
    ]
