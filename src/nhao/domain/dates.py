"""Dates as Vietnamese people write them: 05/02/2025, "ngày 05 tháng 02 năm 2025"."""

from __future__ import annotations

import re
from datetime import date, timedelta, timezone

from .errors import ValidationError

VIETNAM_TIME = timezone(timedelta(hours=7))  # no daylight saving since 1975
# The earliest years nhao takes: of a head of household's birth, of a poverty list (the
# programme's lists start in 2000), of a support case's plan.
OLDEST_BIRTH_YEAR = 1900
FIRST_POVERTY_LIST_YEAR = 2000
FIRST_PLANNED_YEAR = 2000
# How many years after the proposal's a support case may be planned for.
PLANNED_YEARS_AHEAD = 5

_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def format_date(d: date) -> str:
    """05/02/2025 (day first, always two digits)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_date_long_vi(d: date) -> str:
    """The form used in documents: "ngày 05 tháng 02 năm 2025"."""
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year:04d}"


def parse_date(text: str, field: str = "date") -> date:
    """Read dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd."""
    s = text.strip() if isinstance(text, str) else ""
    if m := _DMY.fullmatch(s):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.fullmatch(s):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValidationError(
            f"Ngày “{text}” không đúng dạng. Hãy nhập theo dạng dd/mm/yyyy, ví dụ 05/02/2025.",
            field=field,
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"Ngày “{text}” không có trên lịch. Hãy kiểm tra lại ngày và tháng (dd/mm/yyyy).",
            field=field,
        ) from None
