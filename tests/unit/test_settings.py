import pytest

from nhao.domain.errors import ValidationError
from nhao.domain.settings import ProgrammeSettings


def test_defaults_from_design() -> None:
    s = ProgrammeSettings()
    assert s.single_person_min_area_m2 == 18.0
    assert s.family_min_area_m2 == 30.0
    assert s.family_min_area_per_person_m2 == 8.0
    assert s.non_durable_structures_for_temporary == 2
    assert s.acceptance_min_area_m2 == 30.0
    assert s.acceptance_min_lifespan_years == 20
    assert s.priority_ethnic_minority_first is True


def test_round_trip_through_dict() -> None:
    s = ProgrammeSettings(family_min_area_m2=32.5, priority_ethnic_minority_first=False)
    assert ProgrammeSettings.from_dict(s.to_dict()) == s


def test_missing_keys_take_defaults_and_ints_become_floats() -> None:
    s = ProgrammeSettings.from_dict({"single_person_min_area_m2": 20})
    assert s.single_person_min_area_m2 == 20.0
    assert isinstance(s.single_person_min_area_m2, float)
    assert s.family_min_area_m2 == 30.0


def test_unknown_key_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        ProgrammeSettings.from_dict({"min_area": 10})
    assert exc.value.field == "min_area"
    assert "min_area" in exc.value.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("family_min_area_m2", "30"),
        ("family_min_area_m2", True),
        ("non_durable_structures_for_temporary", 2.0),
        ("acceptance_min_lifespan_years", True),
        ("priority_ethnic_minority_first", 1),
        ("priority_ethnic_minority_first", "yes"),
    ],
)
def test_wrong_types_refused(key: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        ProgrammeSettings.from_dict({key: value})
    assert exc.value.field == key


@pytest.mark.parametrize(
    "kwargs",
    [
        {"family_min_area_m2": 0.0},
        {"acceptance_min_lifespan_years": -1},
        {"single_person_min_area_m2": float("nan")},
        {"non_durable_structures_for_temporary": 4},
    ],
)
def test_out_of_range_values_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ProgrammeSettings(**kwargs)  # type: ignore[arg-type]
