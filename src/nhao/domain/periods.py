"""Reporting and closing periods: month, quarter, half-year, year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .errors import ValidationError


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    year = "year"

    @property
    def months(self) -> int:
        return _MONTHS[self]

    @property
    def label_vi(self) -> str:
        return _KIND_LABELS[self]


_MONTHS = {PeriodKind.month: 1, PeriodKind.quarter: 3, PeriodKind.half_year: 6, PeriodKind.year: 12}
_KIND_LABELS = {
    PeriodKind.month: "Tháng",
    PeriodKind.quarter: "Quý",
    PeriodKind.half_year: "6 tháng",
    PeriodKind.year: "Năm",
}
_ROMAN = ("I", "II", "III", "IV")
_FIELD = "period"
_PARSE = (
    (re.compile(r"([0-9]{4})-([0-9]{2})"), PeriodKind.month),
    (re.compile(r"([0-9]{4})-Q([0-9])"), PeriodKind.quarter),
    (re.compile(r"([0-9]{4})-H([0-9])"), PeriodKind.half_year),
)


@dataclass(frozen=True, order=True)
class Period:
    """A period of a kind; ``index`` is the month (1–12), quarter (1–4),
    half (1–2) within ``year``, or 1 for a whole year."""

    kind: PeriodKind
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        kind = PeriodKind(self.kind)
        object.__setattr__(self, "kind", kind)
        count = 12 // kind.months
        if not 1 <= self.index <= count:
            raise ValidationError(
                f"{kind.label_vi} phải từ 1 đến {count} (đang là {self.index}).", field=_FIELD
            )
        if not 1 <= self.year <= 9999:
            raise ValidationError(f"Năm {self.year} không hợp lệ.", field=_FIELD)

    @property
    def _first_month(self) -> int:
        return (self.index - 1) * self.kind.months + 1

    @property
    def start(self) -> date:
        return date(self.year, self._first_month, 1)

    @property
    def end(self) -> date:
        """Last day, inclusive."""
        month = self._first_month + self.kind.months  # first month after the period
        if month > 12:
            if self.year == 9999:
                return date(9999, 12, 31)
            return date(self.year + 1, 1, 1) - timedelta(days=1)
        return date(self.year, month, 1) - timedelta(days=1)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def label_vi(self) -> str:
        match self.kind:
            case PeriodKind.month:
                return f"Tháng {self.index:02d}/{self.year}"
            case PeriodKind.quarter:
                return f"Quý {_ROMAN[self.index - 1]}/{self.year}"
            case PeriodKind.half_year:
                half = "đầu" if self.index == 1 else "cuối"
                return f"6 tháng {half} năm {self.year}"
            case _:
                return f"Năm {self.year}"

    @property
    def key(self) -> str:
        """Stable text form: 2025-02, 2025-Q1, 2025-H1, 2025."""
        match self.kind:
            case PeriodKind.month:
                return f"{self.year:04d}-{self.index:02d}"
            case PeriodKind.quarter:
                return f"{self.year:04d}-Q{self.index}"
            case PeriodKind.half_year:
                return f"{self.year:04d}-H{self.index}"
            case _:
                return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.key

    @classmethod
    def of(cls, kind: PeriodKind, d: date) -> Period:
        """The period of ``kind`` that contains day ``d``."""
        kind = PeriodKind(kind)
        return cls(kind, d.year, (d.month - 1) // kind.months + 1)

    def next(self) -> Period:
        return self._step(self.end, 1)

    def previous(self) -> Period:
        return self._step(self.start, -1)

    def _step(self, edge: date, days: int) -> Period:
        try:
            return Period.of(self.kind, edge + timedelta(days=days))
        except OverflowError:
            raise ValidationError("Kỳ nằm ngoài lịch (năm 1 đến 9999).", field=_FIELD) from None

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a key: "2025-02", "2025-Q1", "2025-H1" or "2025"."""
        s = text.strip().upper() if isinstance(text, str) else ""
        if re.fullmatch(r"[0-9]{4}", s):
            return cls(PeriodKind.year, int(s), 1)
        for pattern, kind in _PARSE:
            m = pattern.fullmatch(s)
            if m:
                year, index = int(m.group(1)), int(m.group(2))
                count = 12 // kind.months
                if 1 <= index <= count and year >= 1:
                    return cls(kind, year, index)
        raise ValidationError(
            f"Kỳ “{text}” không hợp lệ. Hãy nhập theo mẫu 2025-02 (tháng), 2025-Q1 (quý), "
            "2025-H1 (6 tháng) hoặc 2025 (năm).",
            field=_FIELD,
        )
