import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.classification import (
    Classification,
    HouseFacts,
    NeedOverride,
    Structure,
    apply_override,
    classify,
)
from nhao.domain.enums import HouseClass, Need
from nhao.domain.errors import ValidationError
from nhao.domain.settings import ProgrammeSettings

GOOD = Structure(durable=True)
WEAK = Structure(durable=False, material="tre, nứa")
DAMAGED = Structure(durable=True, damaged=True)


def house(foundation: Structure = GOOD, frame: Structure = GOOD, roof: Structure = GOOD,
          area: float | None = 40.0, members: int = 3) -> HouseFacts:
    return HouseFacts(True, foundation, frame, roof, area, members)


def test_no_house_needs_new_build() -> None:
    result = classify(HouseFacts(False, None, None, None, None, 2))
    assert (result.house_class, result.need) == (HouseClass.no_house, Need.new_build)
    assert result.reasons


def test_two_non_durable_structures_make_a_temporary_house() -> None:
    result = classify(house(foundation=WEAK, roof=WEAK))
    assert (result.house_class, result.need) == (HouseClass.temporary, Need.new_build)
    assert result.reasons == ("Nhà tạm: 2/3 kết cấu không bền chắc (nền – móng, mái)",)


def test_three_non_durable_structures() -> None:
    result = classify(house(WEAK, WEAK, WEAK, area=None))
    assert result.house_class is HouseClass.temporary
    assert "3/3" in result.reasons[0] and "khung – tường" in result.reasons[0]


def test_temporary_threshold_is_a_setting() -> None:
    strict = ProgrammeSettings(non_durable_structures_for_temporary=3)
    result = classify(house(foundation=WEAK, roof=WEAK), strict)
    assert (result.house_class, result.need) == (HouseClass.dilapidated, Need.repair)


def test_one_person_17_m2_is_deficient() -> None:
    result = classify(house(area=17.0, members=1))
    assert (result.house_class, result.need) == (HouseClass.deficient_area, Need.new_build)
    assert result.reasons == ("Thiếu diện tích: 17,0 m² cho 1 người (dưới 18 m²)",)


def test_one_person_18_m2_is_enough() -> None:
    assert classify(house(area=18.0, members=1)).house_class is HouseClass.adequate


def test_family_of_4_in_28_m2_is_deficient() -> None:
    # 28 / 4 = 7 m² per person: under 30 m² and under 8 m²/person.
    result = classify(house(area=28.0, members=4))
    assert (result.house_class, result.need) == (HouseClass.deficient_area, Need.new_build)
    assert result.reasons == (
        "Thiếu diện tích: 28,0 m² cho 4 người (dưới 30 m² và dưới 8 m²/người)",
    )


def test_reason_example_from_brief() -> None:
    assert classify(house(area=20.0, members=4)).reasons == (
        "Thiếu diện tích: 20,0 m² cho 4 người (dưới 30 m² và dưới 8 m²/người)",
    )


def test_family_of_3_in_28_m2_is_not_deficient() -> None:
    # 28 / 3 ≈ 9.3 m² per person: under 30 m² but not under 8 m²/person.
    assert classify(house(area=28.0, members=3)).house_class is HouseClass.adequate


def test_family_in_30_m2_is_not_deficient_however_many() -> None:
    assert classify(house(area=30.0, members=10)).house_class is HouseClass.adequate


def test_damaged_roof_only_is_dilapidated() -> None:
    result = classify(house(roof=DAMAGED))
    assert (result.house_class, result.need) == (HouseClass.dilapidated, Need.repair)
    assert result.reasons == ("Nhà dột nát: mái hư hỏng",)


def test_one_non_durable_structure_is_dilapidated() -> None:
    result = classify(house(frame=Structure(durable=False, damaged=True)))
    assert result.house_class is HouseClass.dilapidated
    assert result.reasons == ("Nhà dột nát: khung – tường không bền chắc và hư hỏng",)


def test_sound_house_is_adequate() -> None:
    result = classify(house())
    assert result == Classification(HouseClass.adequate, Need.none, ("Nhà ở bảo đảm",))


def test_temporary_takes_precedence_over_deficient_area() -> None:
    result = classify(house(WEAK, WEAK, GOOD, area=10.0, members=4))
    assert result.house_class is HouseClass.temporary


def test_deficient_takes_precedence_over_dilapidated() -> None:
    result = classify(house(roof=DAMAGED, area=10.0, members=1))
    assert result.house_class is HouseClass.deficient_area


def test_area_thresholds_are_settings() -> None:
    s = ProgrammeSettings(single_person_min_area_m2=20.0)
    result = classify(house(area=19.5, members=1), s)
    assert result.reasons == ("Thiếu diện tích: 19,5 m² cho 1 người (dưới 20 m²)",)


def test_missing_inputs_are_named() -> None:
    with pytest.raises(ValidationError) as exc:
        classify(HouseFacts(True, GOOD, None, GOOD, 30.0, 2))
    assert exc.value.field == "frame_walls"
    with pytest.raises(ValidationError) as exc:
        classify(house(area=None))
    assert exc.value.field == "usable_area_m2"
    with pytest.raises(ValidationError) as exc:
        classify(house(members=0))
    assert exc.value.field == "members"
    with pytest.raises(ValidationError):
        classify(house(area=-1.0))


structures = st.builds(Structure, durable=st.booleans(), damaged=st.booleans())


@given(structures, structures, structures, st.floats(0, 200), st.integers(1, 15))
def test_need_follows_house_class(
    f: Structure, w: Structure, r: Structure, area: float, members: int
) -> None:
    result = classify(HouseFacts(True, f, w, r, area, members))
    expected = {
        HouseClass.temporary: Need.new_build,
        HouseClass.deficient_area: Need.new_build,
        HouseClass.dilapidated: Need.repair,
        HouseClass.adequate: Need.none,
    }
    assert result.need is expected[result.house_class]
    assert len(result.reasons) == 1
    weak = sum(not s.durable for s in (f, w, r))
    assert (result.house_class is HouseClass.temporary) == (weak >= 2)
    if result.house_class is HouseClass.adequate:
        assert weak == 0 and not any(s.damaged for s in (f, w, r))


def test_override_needs_a_reason() -> None:
    suggested = classify(house(roof=DAMAGED))
    assert apply_override(suggested, None) is Need.repair
    assert apply_override(
        suggested, NeedOverride(Need.new_build, "Khung nhà mục, sửa không an toàn")
    ) is Need.new_build
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            apply_override(suggested, NeedOverride(Need.new_build, blank))
        assert exc.value.field == "override_reason"
