import pytest

from nhao.domain.acceptance import check_acceptance
from nhao.domain.errors import ValidationError
from nhao.domain.settings import ProgrammeSettings


def test_a_good_house_passes() -> None:
    result = check_acceptance(30.0, True, True, True, 20)
    assert result.passed and result.failures == ()


def test_29_5_m2_fails() -> None:
    result = check_acceptance(29.5, True, True, True, 25)
    assert not result.passed
    assert result.failures == ("Diện tích sử dụng 29,5 m² nhỏ hơn mức tối thiểu 30 m².",)


def test_every_failure_is_listed() -> None:
    result = check_acceptance(20.0, False, True, False, 15)
    assert not result.passed
    assert len(result.failures) == 4
    assert any("Nền – móng" in f and "3 cứng" in f for f in result.failures)
    assert any(f.startswith("Mái") for f in result.failures)
    assert any("15 năm" in f and "20 năm" in f for f in result.failures)
    assert all(f.endswith(".") for f in result.failures)


def test_thresholds_are_settings() -> None:
    s = ProgrammeSettings(acceptance_min_area_m2=24.0, acceptance_min_lifespan_years=15)
    assert check_acceptance(24.0, True, True, True, 15, s).passed


def test_negative_area_refused() -> None:
    with pytest.raises(ValidationError):
        check_acceptance(-1.0, True, True, True, 20)
