from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.eligibility import (
    EligibilityFacts,
    check_eligibility,
    is_ethnic_minority,
    priority_key,
)
from nhao.domain.enums import Category, HouseClass
from nhao.domain.settings import ProgrammeSettings

OK = EligibilityFacts(
    categories=frozenset({Category.poor}),
    lawful_land_use=True,
    land_dispute=False,
    hazard_zone=False,
    certified_able_to_build=True,
    house_class=HouseClass.temporary,
)


def test_eligible_household() -> None:
    result = check_eligibility(OK)
    assert result.eligible
    assert "Hộ nghèo" in result.reasons[0]


def test_each_house_class_needing_support_is_eligible() -> None:
    for hc in (HouseClass.no_house, HouseClass.temporary, HouseClass.dilapidated,
               HouseClass.deficient_area):
        assert check_eligibility(replace(OK, house_class=hc)).eligible


def test_every_failing_condition_is_listed() -> None:
    facts = EligibilityFacts(frozenset(), False, True, True, False, HouseClass.adequate)
    result = check_eligibility(facts)
    assert not result.eligible
    assert len(result.reasons) == 6
    text = " ".join(result.reasons)
    for word in ("đối tượng", "Nhà ở bảo đảm", "hợp pháp", "tranh chấp", "sạt lở", "UBND xã"):
        assert word in text


def test_uninspected_house_is_not_eligible_yet() -> None:
    result = check_eligibility(replace(OK, house_class=None))
    assert not result.eligible
    assert result.reasons == ("Chưa khảo sát hiện trạng nhà ở. Hãy nhập kết quả khảo sát.",)


def test_single_failure() -> None:
    result = check_eligibility(replace(OK, land_dispute=True))
    assert result.reasons == ("Đất ở đang có tranh chấp.",)


def _order(settings: ProgrammeSettings) -> list[str]:
    households = {
        "kinh_poor": ({Category.poor}, False),
        "minority_poor": ({Category.poor}, True),
        "merit": ({Category.revolutionary_merit}, False),
        "policy": ({Category.policy_family}, False),
        "near_poor": ({Category.near_poor}, False),
        "disaster": ({Category.disaster_hit}, False),
        "none": (set(), False),
    }
    return sorted(households, key=lambda h: (priority_key(*households[h], settings), h))


def test_priority_ethnic_minority_poor_first() -> None:
    assert _order(ProgrammeSettings()) == [
        "minority_poor", "kinh_poor", "merit", "policy", "near_poor", "disaster", "none",
    ]


def test_priority_setting_off() -> None:
    order = _order(ProgrammeSettings(priority_ethnic_minority_first=False))
    assert order[:2] == ["kinh_poor", "minority_poor"]  # same rank, name breaks the tie
    assert priority_key({Category.poor}, True, ProgrammeSettings(
        priority_ethnic_minority_first=False)) == priority_key({Category.poor}, False)


def test_best_category_counts() -> None:
    both = priority_key({Category.near_poor, Category.poor}, False)
    assert both == priority_key({Category.poor}, False)


@given(st.frozensets(st.sampled_from(list(Category))), st.booleans())
def test_poor_always_before_non_poor(cats: frozenset[Category], minority: bool) -> None:
    if Category.poor not in cats:
        assert priority_key({Category.poor}, False) < priority_key(cats, minority)


def test_is_ethnic_minority() -> None:
    assert not is_ethnic_minority("Kinh")
    assert not is_ethnic_minority(" kinh ")
    assert not is_ethnic_minority("Dân tộc Kinh")
    assert not is_ethnic_minority("")
    assert is_ethnic_minority("Tày")
    assert is_ethnic_minority("H'Mông")
    assert is_ethnic_minority("Dao")
