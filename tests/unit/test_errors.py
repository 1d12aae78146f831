from nhao.domain.errors import DomainError, ValidationError


def test_validation_error_carries_field_and_message() -> None:
    err = ValidationError("Chưa nhập số tiền.", field="amount")
    assert isinstance(err, DomainError)
    assert err.field == "amount"
    assert err.message == "Chưa nhập số tiền."
    assert str(err) == "Chưa nhập số tiền."


def test_validation_error_field_is_optional() -> None:
    assert ValidationError("Sai.").field is None
