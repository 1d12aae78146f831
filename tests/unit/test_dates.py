from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.dates import format_date, format_date_long_vi, parse_date
from nhao.domain.errors import ValidationError


def test_format() -> None:
    assert format_date(date(2025, 2, 5)) == "05/02/2025"
    assert format_date_long_vi(date(2025, 2, 5)) == "ngày 05 tháng 02 năm 2025"


@pytest.mark.parametrize("text", ["05/02/2025", "5/2/2025", "2025-02-05", " 05/2/2025 "])
def test_parse_accepted_forms(text: str) -> None:
    assert parse_date(text) == date(2025, 2, 5)


@pytest.mark.parametrize("text", ["", "5-2-2025", "05/02/25", "2025/02/05", "hôm nay",
                                  "05.02.2025"])
def test_parse_refuses_other_forms(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_date(text)
    assert "dd/mm/yyyy" in exc.value.message
    assert exc.value.field == "date"


def test_parse_refuses_days_not_on_the_calendar() -> None:
    with pytest.raises(ValidationError, match="không có trên lịch"):
        parse_date("31/02/2025")
    with pytest.raises(ValidationError):
        parse_date("2025-13-01")


def test_field_name_can_be_given() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_date("x", field="handover_date")
    assert exc.value.field == "handover_date"


@given(st.dates(min_value=date(1000, 1, 1)))
def test_round_trip(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d
