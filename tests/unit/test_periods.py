from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.errors import ValidationError
from nhao.domain.periods import Period, PeriodKind

K = PeriodKind


def test_bounds_and_labels() -> None:
    feb = Period(K.month, 2025, 2)
    assert (feb.start, feb.end) == (date(2025, 2, 1), date(2025, 2, 28))
    assert Period(K.month, 2024, 2).end == date(2024, 2, 29)
    assert feb.label_vi == "Tháng 02/2025"
    q1 = Period(K.quarter, 2025, 1)
    assert (q1.start, q1.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert q1.label_vi == "Quý I/2025"
    assert Period(K.quarter, 2025, 4).label_vi == "Quý IV/2025"
    h2 = Period(K.half_year, 2025, 2)
    assert (h2.start, h2.end) == (date(2025, 7, 1), date(2025, 12, 31))
    assert Period(K.half_year, 2025, 1).label_vi == "6 tháng đầu năm 2025"
    assert h2.label_vi == "6 tháng cuối năm 2025"
    y = Period(K.year, 2025)
    assert (y.start, y.end, y.label_vi) == (date(2025, 1, 1), date(2025, 12, 31), "Năm 2025")


def test_keys_and_parse() -> None:
    for text, period in [
        ("2025-02", Period(K.month, 2025, 2)),
        ("2025-Q1", Period(K.quarter, 2025, 1)),
        ("2025-H1", Period(K.half_year, 2025, 1)),
        ("2025", Period(K.year, 2025, 1)),
    ]:
        assert Period.parse(text) == period
        assert period.key == text
        assert str(period) == text
    assert Period.parse(" 2025-q3 ") == Period(K.quarter, 2025, 3)


@pytest.mark.parametrize(
    "bad", ["", "2025-13", "2025-00", "2025-Q5", "2025-Q0", "2025-H3", "25", "2025-2",
            "2025/02", "Q1-2025"],
)
def test_parse_refuses(bad: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Period.parse(bad)
    assert exc.value.field == "period"


@pytest.mark.parametrize(
    ("kind", "index"), [(K.month, 0), (K.month, 13), (K.quarter, 5), (K.half_year, 3),
                        (K.year, 2)],
)
def test_index_ranges(kind: PeriodKind, index: int) -> None:
    with pytest.raises(ValidationError):
        Period(kind, 2025, index)


def test_of_next_previous_across_years() -> None:
    assert Period.of(K.quarter, date(2025, 5, 31)) == Period(K.quarter, 2025, 2)
    assert Period(K.month, 2025, 12).next() == Period(K.month, 2026, 1)
    assert Period(K.quarter, 2025, 1).previous() == Period(K.quarter, 2024, 4)
    assert Period(K.half_year, 2025, 2).next() == Period(K.half_year, 2026, 1)
    assert Period(K.year, 2025).next() == Period(K.year, 2026)


def test_ordering_within_a_kind() -> None:
    periods = [Period(K.month, 2025, 3), Period(K.month, 2024, 12), Period(K.month, 2025, 1)]
    assert [p.key for p in sorted(periods)] == ["2024-12", "2025-01", "2025-03"]


days = st.dates(min_value=date(1900, 1, 2), max_value=date(2199, 12, 30))
kinds = st.sampled_from(list(PeriodKind))


@given(kinds, days)
def test_period_of_contains_the_day(kind: PeriodKind, d: date) -> None:
    p = Period.of(kind, d)
    assert p.contains(d)
    assert p.start <= d <= p.end
    assert not p.contains(p.start - timedelta(days=1))
    assert not p.contains(p.end + timedelta(days=1))


@given(kinds, days)
def test_next_and_previous_are_adjacent_and_inverse(kind: PeriodKind, d: date) -> None:
    p = Period.of(kind, d)
    assert p.next().start == p.end + timedelta(days=1)
    assert p.previous().end == p.start - timedelta(days=1)
    assert p.next().previous() == p == p.previous().next()
    assert p.previous() < p < p.next()
    assert Period.parse(p.key) == p


def test_stepping_off_the_calendar_is_refused() -> None:
    with pytest.raises(ValidationError):
        Period(K.year, 9999).next()
    with pytest.raises(ValidationError):
        Period(K.month, 1, 1).previous()
