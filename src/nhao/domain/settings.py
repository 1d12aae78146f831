"""Thresholds of the programme; every one is a setting (DESIGN.md §2)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import ValidationError


@dataclass(frozen=True)
class ProgrammeSettings:
    single_person_min_area_m2: float = 18.0
    family_min_area_m2: float = 30.0
    family_min_area_per_person_m2: float = 8.0
    non_durable_structures_for_temporary: int = 2
    acceptance_min_area_m2: float = 30.0
    acceptance_min_lifespan_years: int = 20
    priority_ethnic_minority_first: bool = True

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            _check_type(f.name, _TYPES[f.name], value)
            if _TYPES[f.name] in (int, float) and not (math.isfinite(value) and value > 0):
                raise ValidationError(
                    f"Cài đặt “{f.name}” phải lớn hơn 0 (đang là {value}).", field=f.name
                )
        if not 1 <= self.non_durable_structures_for_temporary <= 3:
            raise ValidationError(
                "Số kết cấu không bền chắc để coi là nhà tạm phải từ 1 đến 3.",
                field="non_durable_structures_for_temporary",
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProgrammeSettings:
        """Build from stored settings; missing keys take their defaults."""
        unknown = sorted(set(data) - set(_TYPES))
        if unknown:
            raise ValidationError(
                f"Không có cài đặt tên “{', '.join(unknown)}”. Hãy kiểm tra lại tệp cài đặt.",
                field=unknown[0],
            )
        values = {}
        for key, value in data.items():
            _check_type(key, _TYPES[key], value)
            # Whole numbers are fine where a decimal is expected (18 → 18.0).
            values[key] = float(value) if _TYPES[key] is float else value
        return cls(**values)


_TYPES: dict[str, type] = {
    "single_person_min_area_m2": float,
    "family_min_area_m2": float,
    "family_min_area_per_person_m2": float,
    "non_durable_structures_for_temporary": int,
    "acceptance_min_area_m2": float,
    "acceptance_min_lifespan_years": int,
    "priority_ethnic_minority_first": bool,
}
_TYPE_NAMES = {float: "một số", int: "một số nguyên", bool: "có hoặc không (true/false)"}


def _check_type(key: str, expected: type, value: object) -> None:
    # bool is a subclass of int in Python, so it must be ruled out explicitly.
    if expected is bool:
        ok = isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok:
        raise ValidationError(
            f"Cài đặt “{key}” phải là {_TYPE_NAMES[expected]} (đang là “{value!r}”).",
            field=key,
        )
