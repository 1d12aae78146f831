"""Acceptance (nghiệm thu) of a supported house: area, "3 cứng", lifespan."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import ValidationError
from .numfmt import format_decimal, format_threshold
from .settings import ProgrammeSettings


@dataclass(frozen=True)
class AcceptanceCheck:
    passed: bool
    failures: tuple[str, ...]


def check_acceptance(
    usable_area_m2: float,
    foundation_durable: bool,
    frame_walls_durable: bool,
    roof_durable: bool,
    expected_lifespan_years: int,
    settings: ProgrammeSettings | None = None,
) -> AcceptanceCheck:
    """Every reason the house cannot be accepted yet; none means it passes."""
    st = settings or ProgrammeSettings()
    if not math.isfinite(usable_area_m2) or usable_area_m2 < 0:
        raise ValidationError(
            "Diện tích sử dụng phải là số không âm, ví dụ 30,5.", field="usable_area_m2"
        )
    failures: list[str] = []
    if usable_area_m2 < st.acceptance_min_area_m2:
        failures.append(
            f"Diện tích sử dụng {format_decimal(usable_area_m2)} m² nhỏ hơn mức tối thiểu "
            f"{format_threshold(st.acceptance_min_area_m2)} m²."
        )
    for durable, name in (
        (foundation_durable, "Nền – móng"),
        (frame_walls_durable, "Khung – tường"),
        (roof_durable, "Mái"),
    ):
        if not durable:
            failures.append(f"{name} chưa bền chắc, nhà chưa đạt “3 cứng”.")
    if expected_lifespan_years < st.acceptance_min_lifespan_years:
        failures.append(
            f"Niên hạn sử dụng dự kiến {expected_lifespan_years} năm, dưới mức tối thiểu "
            f"{st.acceptance_min_lifespan_years} năm."
        )
    return AcceptanceCheck(passed=not failures, failures=tuple(failures))
