"""Classify a house from its inspection and suggest the need (DESIGN.md §2)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .enums import HouseClass, Need
from .errors import ValidationError
from .numfmt import format_decimal, format_threshold
from .settings import ProgrammeSettings


@dataclass(frozen=True)
class Structure:
    """One of the three main structures as the inspector saw it."""

    durable: bool
    damaged: bool = False
    material: str = ""


@dataclass(frozen=True)
class HouseFacts:
    has_house: bool
    foundation: Structure | None
    frame_walls: Structure | None
    roof: Structure | None
    usable_area_m2: float | None
    members: int


@dataclass(frozen=True)
class Classification:
    house_class: HouseClass
    need: Need
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class NeedOverride:
    """The team leader's own judgement of the need, which must be explained."""

    need: Need
    reason: str


# Field name, Vietnamese name, in the order documents list them.
_STRUCTURES = (
    ("foundation", "nền – móng"),
    ("frame_walls", "khung – tường"),
    ("roof", "mái"),
)


def _structures(facts: HouseFacts) -> list[tuple[str, Structure]]:
    found = []
    for field, name in _STRUCTURES:
        s = getattr(facts, field)
        if s is None:
            raise ValidationError(
                f"Chưa đánh giá {name}. Hãy ghi {name} bền chắc hay không bền chắc.",
                field=field,
            )
        found.append((name, s))
    return found


def _area(facts: HouseFacts) -> float:
    area = facts.usable_area_m2
    if area is None:
        raise ValidationError("Chưa nhập diện tích sử dụng (m²).", field="usable_area_m2")
    if not math.isfinite(area) or area < 0:
        raise ValidationError(
            "Diện tích sử dụng phải là số không âm, ví dụ 25,5.", field="usable_area_m2"
        )
    return area


def _deficiency(area: float, members: int, st: ProgrammeSettings) -> str | None:
    """The reason the area is deficient, or None when it is enough."""
    shown = f"{format_decimal(area)} m² cho {members} người"
    if members == 1:
        if area < st.single_person_min_area_m2:
            return (
                f"Thiếu diện tích: {shown} "
                f"(dưới {format_threshold(st.single_person_min_area_m2)} m²)"
            )
        return None
    if area < st.family_min_area_m2 and area / members < st.family_min_area_per_person_m2:
        return (
            f"Thiếu diện tích: {shown} (dưới {format_threshold(st.family_min_area_m2)} m² "
            f"và dưới {format_threshold(st.family_min_area_per_person_m2)} m²/người)"
        )
    return None


def classify(facts: HouseFacts, settings: ProgrammeSettings | None = None) -> Classification:
    """House class, suggested need and the reasons, in that order of the rules."""
    st = settings or ProgrammeSettings()
    if facts.members < 1:
        raise ValidationError("Số nhân khẩu phải từ 1 trở lên.", field="members")
    if not facts.has_house:
        return Classification(HouseClass.no_house, Need.new_build, ("Chưa có nhà ở",))

    structures = _structures(facts)
    non_durable = [name for name, s in structures if not s.durable]
    if len(non_durable) >= st.non_durable_structures_for_temporary:
        reason = f"Nhà tạm: {len(non_durable)}/3 kết cấu không bền chắc ({', '.join(non_durable)})"
        return Classification(HouseClass.temporary, Need.new_build, (reason,))

    deficient = _deficiency(_area(facts), facts.members, st)
    if deficient:
        return Classification(HouseClass.deficient_area, Need.new_build, (deficient,))

    faults = []
    for name, s in structures:
        problems = [
            p for p, bad in (("không bền chắc", not s.durable), ("hư hỏng", s.damaged)) if bad
        ]
        if problems:
            faults.append(f"{name} {' và '.join(problems)}")
    if faults:
        return Classification(
            HouseClass.dilapidated, Need.repair, (f"Nhà dột nát: {', '.join(faults)}",)
        )
    return Classification(HouseClass.adequate, Need.none, ("Nhà ở bảo đảm",))


def apply_override(classification: Classification, override: NeedOverride | None) -> Need:
    """The final need: the suggestion, unless the team leader overrode it with a reason."""
    if override is None:
        return classification.need
    if not override.reason or not override.reason.strip():
        raise ValidationError(
            "Hãy ghi lý do khi thay đổi nhu cầu so với đề xuất.", field="override_reason"
        )
    return Need(override.need)
