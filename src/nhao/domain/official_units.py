"""Names of communes and provinces from the official list (vietnam-provinces)."""

from __future__ import annotations

from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward, WardCode


def province_name(province: Province) -> str:
    """The package names cities "Thành phố …" but provinces bare; say "Tỉnh …" as documents do."""
    if province.division_type is VietNamDivisionType.TINH:
        return f"Tỉnh {province.name}"
    return province.name


def official_name(code: str) -> str | None:
    """The name of a commune (five digits) or a province (two), None for any other code
    or one not on the list."""
    try:
        if len(code) == 5 and code.isdigit():
            return str(Ward.from_code(WardCode(int(code))).name)
        if len(code) == 2 and code.isdigit():
            return province_name(Province.from_code(ProvinceCode(int(code))))
    except ValueError:
        return None
    return None
