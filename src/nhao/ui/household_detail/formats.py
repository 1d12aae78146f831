"""How the detail dialog writes numbers and times: the Vietnamese way (GLOSSARY.md)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from nhao.domain.numfmt import format_decimal

AREA_DECIMALS = 1


def area_text(area_m2: float | None) -> str:
    """25.5 → "25,5 m²"; nothing when the area was not measured (no house)."""
    if area_m2 is None:
        return ""
    return f"{format_decimal(area_m2, AREA_DECIMALS)} m²"


def parse_area(text: str) -> float | None:
    """Read "25,5" or "25.5" (people type either); None when empty; ValueError otherwise."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise ValueError(text)
    value = float(cleaned.replace(",", "."))
    if value < 0 or not math.isfinite(value):
        raise ValueError(text)
    return value


def local_time_text(at: datetime) -> str:
    """Stored times are naive UTC; people read them in the laptop's own time zone."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%d/%m/%Y %H:%M")


def size_text(size_bytes: int) -> str:
    """File sizes with a decimal comma: "1,2 MB", "340 KB"."""
    if size_bytes >= 1024 * 1024:
        return f"{format_decimal(size_bytes / (1024 * 1024), 1)} MB"
    return f"{max(1, round(size_bytes / 1024))} KB"
