"""Checks of the citizen ID number (CCCD, 12 digits; old CMND, 9 digits).

The number is always a string: leading zeros are part of it (001 is Hà Nội).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .enums import Sex

IdKind = Literal["cccd", "cmnd"]

# Province codes that open a CCCD number (Circular 07/2016/TT-BCA and its
# successor): the 63 provinces before the 2025 merger. Cards keep their numbers
# after the merger, so these stay valid.
PROVINCE_CODES: frozenset[str] = frozenset(
    (
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    )
)

# Fourth digit → first year of the century; even digits are men, odd digits women.
_CENTURY_START = {
    0: 1900,
    1: 1900,
    2: 2000,
    3: 2000,
    4: 2100,
    5: 2100,
    6: 2200,
    7: 2200,
    8: 1800,
    9: 1800,
}
_SEX_BY_PARITY = (Sex.male, Sex.female)
_SEPARATORS = re.compile(r"[\s.\-–]")
_EXCEL_HINT = " Nếu Excel đã bỏ số 0 ở đầu, hãy thêm lại."


@dataclass(frozen=True)
class CitizenIdCheck:
    normalized: str
    kind: IdKind | None  # None when the text is neither a CCCD nor a CMND
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    province_code: str | None = None
    birth_year: int | None = None  # decoded from a CCCD
    sex: Sex | None = None  # decoded from a CCCD

    @property
    def ok(self) -> bool:
        return not self.errors


# Full-width digits ("０１２"), as text copied from a PDF or typed with an East Asian input
# method has them: the digits they show.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_citizen_id(raw: str) -> str:
    """Remove the spaces, dots and dashes people type inside the number."""
    if raw.isascii() and raw.isdigit():
        return raw  # the usual number: nothing to remove
    return _SEPARATORS.sub("", raw.translate(_FULL_WIDTH_DIGITS))


def check_citizen_id(
    raw: str, birth_year: int | None = None, sex: Sex | None = None
) -> CitizenIdCheck:
    """Check a CCCD/CMND number, comparing it with the birth year and sex if given."""
    s = normalize_citizen_id(raw)
    if not s:
        return CitizenIdCheck(s, None, errors=("Chưa nhập số CCCD.",))
    # str.isdigit alone would take other scripts' digits; in ASCII only 0-9 are digits.
    if not (s.isascii() and s.isdigit()):
        n_digits = sum(c in "0123456789" for c in s)
        others = ", ".join(f"“{c}”" for c in dict.fromkeys(s) if c not in "0123456789")
        if n_digits in (9, 12):  # the number is there, with something else beside it
            then = f"Hãy bỏ các ký tự đó, chỉ ghi {n_digits} chữ số."
        else:
            then = f"Hãy nhập đủ 12 chữ số (đang có {n_digits} chữ số)."
        return CitizenIdCheck(
            s, None, errors=(f"Số CCCD chỉ gồm chữ số, không có {others}. {then}",)
        )
    if len(s) == 9:
        return CitizenIdCheck(
            s,
            "cmnd",
            warnings=(
                "Đây là số CMND cũ (9 chữ số). Khi hộ đã có thẻ CCCD, hãy cập nhật số 12 chữ số.",
            ),
        )
    if len(s) != 12:
        hint = _EXCEL_HINT if len(s) in (8, 11) else ""
        return CitizenIdCheck(
            s, None, errors=(f"Số CCCD phải có 12 chữ số (đang có {len(s)}).{hint}",)
        )
    return _check_cccd(s, birth_year, sex)


def _check_cccd(s: str, birth_year: int | None, sex: Sex | None) -> CitizenIdCheck:
    province = s[:3]
    if province not in PROVINCE_CODES:
        return CitizenIdCheck(
            s,
            "cccd",
            errors=(
                f"Ba chữ số đầu “{province}” không phải mã tỉnh của số CCCD. "
                "Hãy đối chiếu lại với thẻ.",
            ),
            province_code=province,
        )
    code = int(s[3])
    decoded_year = _CENTURY_START[code] + int(s[4:6])
    decoded_sex = _SEX_BY_PARITY[code % 2]
    warnings: list[str] = []
    if birth_year is not None and birth_year != decoded_year:
        warnings.append(
            f"Năm sinh theo số CCCD là {decoded_year}, khác năm sinh đã nhập "
            f"({birth_year}). Hãy kiểm tra lại."
        )
    if sex is not None and Sex(sex) != decoded_sex:
        warnings.append(
            f"Giới tính theo số CCCD là {decoded_sex.label_vi}, khác giới tính đã nhập "
            f"({Sex(sex).label_vi}). Hãy kiểm tra lại."
        )
    return CitizenIdCheck(
        s,
        "cccd",
        warnings=tuple(warnings),
        province_code=province,
        birth_year=decoded_year,
        sex=decoded_sex,
    )


def mask_citizen_id(s: str) -> str:
    """Hide all but the last 4 digits for public lists: "********1234"."""
    digits = normalize_citizen_id(s)
    if len(digits) <= 4:
        # Too short to show a part of it without showing all of it.
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]
