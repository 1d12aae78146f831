from nhao.domain.numfmt import format_decimal, format_threshold


def test_decimal_comma() -> None:
    assert format_decimal(20) == "20,0"
    assert format_decimal(25.55, 2) == "25,55"
    assert format_threshold(30.0) == "30"
    assert format_threshold(25.5) == "25,5"
