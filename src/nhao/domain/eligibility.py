"""Who may be supported, and in which order (DESIGN.md §2, Circular 01/2022/TT-BXD)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .enums import Category, HouseClass
from .settings import ProgrammeSettings
from .text import fold

# House classes that call for support; an adequate house does not.
SUPPORTED_HOUSE_CLASSES = frozenset(
    {
        HouseClass.no_house,
        HouseClass.temporary,
        HouseClass.dilapidated,
        HouseClass.deficient_area,
    }
)


@dataclass(frozen=True)
class EligibilityFacts:
    categories: frozenset[Category]
    lawful_land_use: bool
    land_dispute: bool
    hazard_zone: bool
    certified_able_to_build: bool
    house_class: HouseClass | None  # None: the house has not been inspected yet


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]  # every failing condition, or why it is eligible


def check_eligibility(facts: EligibilityFacts) -> Eligibility:
    """List every condition the household fails, so the team can fix them at once."""
    failures: list[str] = []
    if not facts.categories:
        failures.append(
            "Hộ chưa thuộc đối tượng nào (hộ nghèo, hộ cận nghèo, người có công, "
            "gia đình chính sách, hộ bị thiên tai…). Hãy chọn ít nhất một đối tượng."
        )
    if facts.house_class is None:
        failures.append("Chưa khảo sát hiện trạng nhà ở. Hãy nhập kết quả khảo sát.")
    elif facts.house_class not in SUPPORTED_HOUSE_CLASSES:
        failures.append(
            f"Hiện trạng nhà là “{HouseClass(facts.house_class).label_vi}”, không thuộc diện "
            "nhà tạm, nhà dột nát, thiếu diện tích hoặc chưa có nhà ở."
        )
    if not facts.lawful_land_use:
        failures.append("Hộ chưa sử dụng đất ở hợp pháp.")
    if facts.land_dispute:
        failures.append("Đất ở đang có tranh chấp.")
    if facts.hazard_zone:
        failures.append("Nhà ở nằm trong vùng nguy cơ sạt lở.")
    if not facts.certified_able_to_build:
        failures.append("Chưa có xác nhận của UBND xã về khả năng xây dựng, sửa chữa nhà.")
    if failures:
        return Eligibility(False, tuple(failures))
    labels = ", ".join(Category(c).label_vi for c in _sorted(facts.categories))
    assert facts.house_class is not None  # checked above; narrows the type
    return Eligibility(
        True, (f"Đủ điều kiện: {labels}; {HouseClass(facts.house_class).label_vi.lower()}.",)
    )


def _sorted(categories: Iterable[Category]) -> list[Category]:
    order = list(Category)
    return sorted(categories, key=order.index)


# Lower tier = supported earlier.
_TIER_POOR = 1
_TIER_MERIT_POLICY = 2
_TIER_NEAR_POOR = 3
_TIER_OTHER = 4
_TIER_NONE = 5


def priority_key(
    categories: Iterable[Category],
    ethnic_minority: bool,
    settings: ProgrammeSettings | None = None,
) -> tuple[int, int]:
    """Sort key, lower first: ethnic-minority poor (if the setting is on), poor,
    merit and policy families, near-poor, others.

    Within a tier, ethnic-minority households come first when the setting is on.
    """
    st = settings or ProgrammeSettings()
    cats = set(categories)
    minority_first = st.priority_ethnic_minority_first and ethnic_minority
    if Category.poor in cats:
        tier = 0 if minority_first else _TIER_POOR
    elif cats & {Category.revolutionary_merit, Category.policy_family}:
        tier = _TIER_MERIT_POLICY
    elif Category.near_poor in cats:
        tier = _TIER_NEAR_POOR
    elif cats:
        tier = _TIER_OTHER
    else:
        tier = _TIER_NONE
    return (tier, 0 if minority_first else 1)


def is_ethnic_minority(ethnicity: str) -> bool:
    """Anything but Kinh counts as an ethnic minority; unknown (empty) does not."""
    key = fold(ethnicity)
    if key.startswith("dan toc "):
        key = key.removeprefix("dan toc ")
    return bool(key) and key != "kinh"
