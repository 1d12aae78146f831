"""Money: an ``int`` number of VND, parsed, written and read aloud in Vietnamese.

A float never holds money; amounts are whole đồng.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import ValidationError

_FIELD = "amount"
# Largest value a BigInteger column holds; beyond it the database would refuse.
_MAX = 2**63 - 1
_CURRENCY = re.compile(r"\s*(₫|đ|vnđ|vnd|đồng|dong)\.?\s*$", re.IGNORECASE)
_PLAIN = re.compile(r"[0-9]+")
# A dot or a space followed by exactly three digits separates thousands; any other
# dot (or any comma) could be a decimal mark, so it is refused rather than guessed.
_DOT_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_SPACE_GROUPED = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, field=_FIELD)


def _check_sign(amount: int, allow_negative: bool) -> int:
    if amount < 0 and not allow_negative:
        raise _refuse("Số tiền không được âm.")
    if abs(amount) > _MAX:
        raise _refuse("Số tiền quá lớn. Hãy kiểm tra lại số chữ số.")
    return amount


def parse_vnd(text: str | int, *, allow_negative: bool = False) -> int:
    """Read an amount typed or pasted by a person: "1.000.000 ₫" → 1000000."""
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise _refuse("Số tiền phải là một số nguyên đồng, ví dụ 1.500.000.")
    if isinstance(text, int):
        return _check_sign(text, allow_negative)

    raw = unicodedata.normalize("NFC", text)
    # Spreadsheets and web pages put NBSP or narrow NBSP between groups.
    s = " ".join(raw.split())
    if not s:
        raise _refuse("Chưa nhập số tiền.")
    s = _CURRENCY.sub("", s).strip()
    negative = s[:1] in ("-", "−")
    if negative:
        s = s[1:].strip()
    if not s:
        raise _refuse("Chưa nhập số tiền.")

    if _PLAIN.fullmatch(s):
        digits = s
    elif _DOT_GROUPED.fullmatch(s) or _SPACE_GROUPED.fullmatch(s):
        digits = s.replace(".", "").replace(" ", "")
    elif re.fullmatch(r"[0-9 .,]+", s):
        raise _refuse(
            f"Số tiền “{raw.strip()}” không hợp lệ: chỉ dùng dấu chấm để ngăn cách "
            "hàng nghìn (ví dụ 1.000.000) và không có phần lẻ."
        )
    else:
        raise _refuse(f"Số tiền “{raw.strip()}” không hợp lệ. Hãy nhập chữ số, ví dụ 1.500.000.")
    amount = int(digits)
    return _check_sign(-amount if negative else amount, allow_negative)


def _require_int(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise _refuse("Số tiền phải là một số nguyên đồng.")
    return amount


def format_vnd(amount: int) -> str:
    """1000000 → "1.000.000 ₫" (dot between thousands, a plain space before ₫)."""
    n = _require_int(amount)
    grouped = f"{abs(n):,}".replace(",", ".")
    return f"-{grouped} ₫" if n < 0 else f"{grouped} ₫"


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")


def _group_words(n: int, leading: bool) -> list[str]:
    """Words for a group of three digits; inner groups say "không trăm"."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _scale(index: int) -> list[str]:
    # Past a billion the names repeat with "tỷ": nghìn tỷ, triệu tỷ, tỷ tỷ.
    words = [_SCALES[index % 3]] if index % 3 else []
    return words + ["tỷ"] * (index // 3)


def amount_in_words_vi(amount: int) -> str:
    """The amount as written on vouchers: 1200000 → "Một triệu hai trăm nghìn đồng"."""
    n = _require_int(amount)
    if n == 0:
        return "Không đồng"
    groups: list[int] = []
    rest = abs(n)
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    words: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        if groups[index]:
            words += _group_words(groups[index], leading=index == top)
            words += _scale(index)
    if n < 0:
        words.insert(0, "âm")
    sentence = " ".join(words + ["đồng"])
    return sentence[0].upper() + sentence[1:]
