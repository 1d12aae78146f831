"""Cell values as communes type them, turned into what a household form holds.

A cell arrives as python-calamine gives it (str, int, float, bool, date, datetime)
or as CSV text. Each converter returns the clean value, or raises BadValue with a
Vietnamese sentence; warnings (the value was repaired) go into a list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from nhao.domain.citizen_id import PROVINCE_CODES, normalize_citizen_id
from nhao.domain.dates import format_date
from nhao.domain.enums import Category, Sex
from nhao.domain.ethnicities import ethnicity_named
from nhao.domain.text import fold, nfc, nfc_lines, single_spaced, visible

from .folding import cached_fold

EXCEL_BROKE_ID = (
    "Excel đã làm hỏng số CCCD, nhập lại: đặt định dạng ô là Văn bản (Text) "
    "rồi gõ đủ 12 chữ số."
)
# Excel's "General" format shows 6 significant digits (1,23457E+11); a number read
# back from that text keeps only those, the rest are zeros.
_SHOWN_DIGITS = 6
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_POINT_ZERO = re.compile(r"[0-9]{8,12}[.,]0")
_DECIMAL_ZERO = re.compile(r"[0-9]{3,}\.0")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's 29/02/1900
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script
_LOWEST_SERIAL = 2201  # past every year number read as a year: 01/01/1906
_DATE_TEXT = re.compile(r"(?:([0-9]{1,2})[/.\-])?(?:([0-9]{1,2})[/.\-])?([0-9]{2,4})")
# "05/02/1960 00:00:00": a date cell a program wrote out as text, with its time.
_TIME_TAIL = re.compile(r"\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:\s*[AaPp][Mm])?$")
# "Năm 1965", "sinh năm 1965": the year said in words before it. NFC, as text() gives.
_YEAR_WORDS = re.compile(r"(?:sinh\s+)?n(?:ă|a)m\s+", re.IGNORECASE)
# "T2/1960", "Tháng 02-1960": the month of birth, said before it. NFC, as text() gives.
_MONTH_WORDS = re.compile(r"(?:tháng|thang|th|t)\.?\s*(?=[0-9]{1,2}[/.\-][0-9]{4}$)", re.IGNORECASE)
# "1.960": a year in a column formatted with thousands separators, saved as text (CSV).
_GROUPED_YEAR = re.compile(r"[12][.,][0-9]{3}")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T].*)?")
# A count and the word it counts ("5 người"): after the digits, words only; "5-6",
# "2/3" or "1e3" say something else and are refused, not read as their first digits.
# Who they are may follow in brackets: "5 (2 nam, 3 nữ)", "4 người (2 trẻ em)".
_LEADING_INT = re.compile(r"([0-9]+)(?:\s*[^\W\d_][^\d(]*)?(?:\s*\([^()]*\))?")


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell that holds an Excel error instead of a value (xlsx_errors)."""

    code: str  # as Excel shows it: "#N/A", "#REF!"

    def __str__(self) -> str:
        return self.code


# Excel's error values, spelt as Excel shows them. A list saved as CSV holds them as
# text, and so do .ods and .xls files whose formulas were pasted as values.
EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
    | {"#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)


def excel_error(raw: object) -> CellError | None:
    """The Excel error a cell holds: an error cell of an .xlsx, or the error's text alone
    in the cell, whatever the format ("#N/A", " #REF! "). Text with more in it ("Số #12")
    is text."""
    if raw.__class__ is CellError:
        return raw  # type: ignore[return-value]
    if raw.__class__ is str and "#" in raw:  # type: ignore[operator]
        code = text(raw)
        if code in EXCEL_ERRORS:
            return CellError(code)
    return None


class BadValue(ValueError):
    """The cell cannot be used; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def note_text(raw: object) -> str:
    """text(), keeping the line breaks of a cell written on several lines (Alt+Enter)."""
    if not isinstance(raw, str) or ("\n" not in raw and "\r" not in raw):
        return text(raw)
    return nfc_lines(visible(raw))


# "Như trên" (as above) as hand-typed lists write it under a value they will not repeat:
# "nt", "-nt-", "n.t", "như trên", or a ditto mark.
_DITTO_MARKS = frozenset({'"', "''", "“", "”", "〃", "//", "-//-", "-\"-"})
_DITTO_WORDS = frozenset({"nt", "nhu tren"})
_NOT_LETTERS = re.compile(r"[^a-z ]+")


def is_ditto(raw: object) -> bool:
    if not isinstance(raw, str) or len(raw) > 12:
        return False
    s = raw.strip()
    return s in _DITTO_MARKS or _NOT_LETTERS.sub("", fold(s)).strip() in _DITTO_WORDS


# "Chưa có", "Không": a household with no ID card or no phone, said in words. Folded.
_NONE_WORDS = frozenset(
    {"-", "--", "khong", "khong co", "ko", "ko co", "k co", "chua", "chua co", "chua cap"}
)


def says_none(raw: object) -> bool:
    return isinstance(raw, str) and len(raw) < 20 and cached_fold(text(raw)) in _NONE_WORDS


def is_empty(raw: object) -> bool:
    return raw is None or raw == "" or (isinstance(raw, str) and not raw.strip())


def text(raw: object) -> str:
    """Any cell as NFC text, single-spaced, without invisible characters."""
    if isinstance(raw, str):  # first: nearly every cell
        s = raw
    elif raw is None or raw == "":
        return ""
    elif isinstance(raw, bool):
        s = "x" if raw else ""
    elif isinstance(raw, float):
        # Whole numbers without ",0"; a huge one as Excel shows it, not 300 digits.
        whole = raw.is_integer() and abs(raw) < 1e15
        s = str(int(raw)) if whole else str(raw).replace(".", ",").upper()
    elif isinstance(raw, datetime):
        s = format_date(raw.date())
    elif isinstance(raw, date):
        s = format_date(raw)
    else:
        s = str(raw)
    if s.isprintable():  # no control or format character, so nothing invisible
        return single_spaced(s) if s.isascii() else nfc(s)  # ASCII is NFC already
    return nfc(visible(s))


def shown(value: str, limit: int = 40) -> str:
    """A cell's text as a message quotes it: a long one cut, so the message stays short."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _kind_of(raw: object) -> str:
    """What a cell holds and shows, for a message: giá trị đúng/sai “TRUE”."""
    if isinstance(raw, bool):
        return f"giá trị đúng/sai “{'TRUE' if raw else 'FALSE'}”"
    if isinstance(raw, date):  # a datetime too
        return f"ngày tháng “{shown(text(raw))}”"
    return f"một con số “{shown(text(raw))}”"


class TitledName(str):
    """A name that came after a title ("Ông", "Bà"), which says the person's sex."""

    sex: Sex


# Titles written before a head of household's name, folded, longest first; they say
# the sex. "Hộ ông …" is how approval decisions list households.
_TITLES = (
    ("ho cu ong", Sex.male), ("ho cu ba", Sex.female), ("cu ong", Sex.male),
    ("cu ba", Sex.female), ("ho ong", Sex.male), ("ho ba", Sex.female),
    ("ong", Sex.male), ("ba", Sex.female), ("anh", Sex.male), ("chi", Sex.female),
)  # fmt: skip
_TITLE_FOLDS = {"ông": "ong", "bà": "ba", "cụ": "cu", "anh": "anh", "chị": "chi", "hộ": "ho"}


def person_name(raw: object, warnings: list[str]) -> str:
    """A head of household's name: text with letters in it. TRUE, a date or a number
    is a cell of another column slipped under the name, not a name. A title before
    the name ("Ông Nguyễn Văn An") is left out, and said."""
    if type(raw) is not str and isinstance(raw, bool | int | float | date):
        raise BadValue(f"Ô chứa {_kind_of(raw)}, không phải họ tên người.")
    s = text(raw)
    if s and not _LETTER.search(s):
        raise BadValue(f"“{shown(s)}” không phải họ tên người (không có chữ cái nào).")
    if isinstance(raw, str) and ("\n" in raw or "\r" in raw):
        _several_lines(raw, warnings)
    s = _in_names_case(s)  # first: what is said of it quotes the name as it is kept
    if "ộ" in s or "Ộ" in s:  # a row in a hundred at most: "hộ" is in few names
        s = _without_head_note(s, warnings)
    return _without_title(s, warnings)


# Where a word of a name starts: after a space, a dash, an apostrophe ("H'Hen Niê") or a
# bracket ("(Chủ Hộ)", a note the name's cell carries, quoted as the name is kept).
_WORD_START = re.compile(r"(^|[ '’(-])(\w)")


def _in_names_case(name: str) -> str:
    """A name typed all in capitals ("HOÀNG VĂN SÌNH") or all in small letters, with each
    word's first letter a capital; one in mixed case as the clerk typed it."""
    if name.isupper() or name.islower():
        return _WORD_START.sub(lambda m: m[1] + m[2].upper(), name.lower())
    return name


def ethnicity(raw: object, _warnings: list[str]) -> str:
    """An ethnic group, by its name among the 54 when the spelling gives one."""
    return ethnicity_named(text(raw))


# "Lò Văn Tổng (chủ hộ)", "Ma Văn Lũy - chủ hộ", "Chủ hộ: Lò Văn Tổng": the head said in
# the name's cell, which kept in the name would hide the household from the duplicates.
_HEAD_NOTE_AFTER = re.compile(r"\s*(?:\(\s*chủ hộ\s*\)|[-–:,]\s*chủ hộ\.?)\s*$", re.IGNORECASE)
_HEAD_NOTE_BEFORE = re.compile(r"^chủ hộ\s*[:\-–]\s*", re.IGNORECASE)


def _without_head_note(name: str, warnings: list[str]) -> str:
    for note in (_HEAD_NOTE_AFTER, _HEAD_NOTE_BEFORE):
        found = note.search(name)
        if found is None:
            continue
        rest = (name[: found.start()] + name[found.end() :]).strip()
        if " " not in rest:  # no family and given name left: not a note beside a name
            return name
        warnings.append(
            f"Bỏ ghi chú “{found.group().strip()}” khỏi họ tên, giữ “{rest}” (người này là "
            "chủ hộ)."
        )
        return rest
    return name


def _several_lines(raw: str, warnings: list[str]) -> None:
    """A name cell of several lines is joined into one name. Lines of two words and more
    each are names of their own, as a husband's above his wife's: said."""
    lines = [
        line
        for line in (text(part) for part in raw.splitlines())
        if line and line.strip("()-–:,. ").lower() != "chủ hộ"  # a note, not a name
    ]
    if len(lines) > 1 and all(" " in line for line in lines):
        quoted = ", ".join(f"“{shown(line)}”" for line in lines)
        warnings.append(
            f"Ô họ tên viết trên {len(lines)} dòng ({quoted}), đã nối thành một tên; nếu ô ghi "
            "tên nhiều người, hãy chỉ để tên chủ hộ."
        )


def _without_title(name: str, warnings: list[str]) -> str:
    if name.partition(" ")[0].lower() not in _TITLE_FOLDS:
        return name  # nearly every name: one look at its first word
    words = name.split(" ")
    # Only the exact words, in lowercase or capitalised: "Ông" may also be a family
    # name, so at least a family and a given name must follow, and it is said.
    folded = [_TITLE_FOLDS.get(w.lower()) if w.islower() or w.isupper() or w.istitle() else None
              for w in words[:3]]  # fmt: skip
    for title, sex in _TITLES:
        size = title.count(" ") + 1
        if len(words) >= size + 2 and " ".join(str(f) for f in folded[:size]) == title:
            said, rest = " ".join(words[:size]), " ".join(words[size:])
            warnings.append(
                f"Bỏ danh xưng “{said}” ở đầu họ tên, giữ “{rest}”; nếu đó là một phần của "
                "họ tên, hãy sửa lại."
            )
            titled = TitledName(rest)
            titled.sex = sex
            return titled
    return name


def place_name(raw: object, warnings: list[str]) -> str:
    """A hamlet's name; a bare number stays ("Xóm 3" written as 3), a mark or a date
    is refused rather than matched, or made into a hamlet."""
    if isinstance(raw, bool | date):
        raise BadValue(f"Ô chứa {_kind_of(raw)}, không phải tên thôn, xóm.")
    return text(raw).lstrip("'").strip()


def _restore_zero(digits: str, what: str, full: int, warnings: list[str]) -> str:
    """A number one digit short lost its leading zero in Excel: put it back, say so."""
    if len(digits) == full - 1 and digits.isdigit():
        fixed = "0" + digits
        warnings.append(
            f"{what} chỉ có {full - 1} chữ số (Excel đã bỏ số 0 ở đầu); "
            f"đã thêm lại thành {fixed}, hãy đối chiếu lại."
        )
        return fixed
    return digits


def _restore_cccd(digits: str, warnings: list[str]) -> str:
    """A CCCD typed as a number: one leading zero lost (provinces 010–096; an old card
    of 9 digits left with 8), or two for the provinces whose code begins 00 (Hà Nội, Hà
    Giang, Cao Bằng, Bắc Kạn, Tuyên Quang), put back when what they make begins with a
    province's code and tells of a birth from 1900 to this year: half of all ten digits
    typed wrong begin 1, 2, 4, 6 or 8, and 1234567890 is such a slip, not the card of a
    man born in 2034."""
    if (
        len(digits) == 10
        and digits.isdigit()
        and "00" + digits[:1] in PROVINCE_CODES
        and digits[1] in "0123"  # the century and sex: 1900s, 2000s
        and (1900 if digits[1] < "2" else 2000) + int(digits[2:4]) <= date.today().year
    ):
        fixed = "00" + digits
        warnings.append(
            f"Số CCCD chỉ có 10 chữ số (Excel đã bỏ hai số 0 ở đầu); "
            f"đã thêm lại thành {fixed}, hãy đối chiếu lại."
        )
        return fixed
    # An old card (CMND) of a province numbered 01–09, Lạng Sơn's 08: 8 digits and no zero
    # first ("08012345" kept its zero and lost another digit).
    if len(digits) == 8 and digits[0] != "0":
        return _restore_zero(digits, "Số CMND", 9, warnings)
    return _restore_zero(digits, "Số CCCD", 12, warnings)


def _destroyed(digits: str) -> bool:
    """The digits of a number Excel showed as 1,23457E+11, written out in full (as
    LibreOffice saves it to CSV): six digits, then zeros. A number never begins with 0,
    so an ID typed as text ("001060000000") is not taken for one."""
    return len(digits) >= 11 and digits[0] != "0" and len(digits.rstrip("0")) <= _SHOWN_DIGITS


def _words_only(value: str, left_empty: str, warnings: list[str]) -> bool:
    """Whether a cell where a number goes holds words and no digit ("Đang làm", "nhờ hàng
    xóm"): the household has none, said. ``left_empty``: what is left empty."""
    if not _LETTER.search(value) or any(c.isdigit() for c in value):
        return False
    warnings.append(f"Ô ghi “{shown(value)}”, không có số nào: để trống {left_empty}.")
    return True


def citizen_id(raw: object, warnings: list[str]) -> str:
    """CCCD/CMND as digits; repairs lost leading zeros, refuses digits Excel destroyed."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():  # the usual cell
        if _destroyed(raw):
            raise BadValue(EXCEL_BROKE_ID)
        return _restore_cccd(raw, warnings) if len(raw) in (8, 10, 11) else raw
    if is_empty(raw) or says_none(raw):
        return ""
    if isinstance(raw, bool):
        raise BadValue("Ô số CCCD chứa giá trị đúng/sai, không phải một số CCCD.")
    if isinstance(raw, float):
        if not raw.is_integer() or raw >= 1e15:
            raise BadValue(EXCEL_BROKE_ID)
        raw = int(raw)
    if isinstance(raw, int):
        digits = str(raw)
        if len(digits) >= 11 and len(digits.rstrip("0")) <= _SHOWN_DIGITS:
            raise BadValue(EXCEL_BROKE_ID)
        return _restore_cccd(digits, warnings)
    value = text(raw)
    if _words_only(value, "số CCCD, hãy ghi số khi hộ có thẻ", warnings):
        return ""  # "Đang làm", "Mất", "Chưa làm": no card yet, or none to hand
    # "20123456789.0": the number as a float, written out by a program; the point is
    # no separator between digits of the ID, and the zero after it no digit of it.
    if _POINT_ZERO.fullmatch(value):
        value = value[:-2]
    compact = normalize_citizen_id(value).lstrip("'")
    if _SCIENTIFIC.fullmatch(compact):
        raise BadValue(EXCEL_BROKE_ID)
    return _restore_cccd(compact, warnings)


EXCEL_BROKE_CODE = (
    "Excel đã làm hỏng mã hộ (mất các chữ số), nhập lại: đặt định dạng ô là Văn bản (Text) "
    "rồi gõ đủ mã hộ."
)


def household_code(raw: object, _warnings: list[str]) -> str:
    """A household's code ("Mã hộ") as text; refuses one of digits that Excel showed as a
    power of ten (6,1120E+11) and so saved, as citizen_id does: a code made of what is
    left would be another household's, or shared by several."""
    if isinstance(raw, float) and raw >= 1e15:  # past Excel's 15 digits
        raise BadValue(EXCEL_BROKE_CODE)
    value = text(raw)
    # "412.0": a number written out as a decimal by a program; the zero is no part of it.
    if _DECIMAL_ZERO.fullmatch(value):
        value = value[:-2]
    # Excel writes the sign ("E+11"): a code of its own such as "12E3" is kept.
    if ("+" in value and _SCIENTIFIC.fullmatch(value.replace(" ", ""))) or (
        value.isascii() and value.isdigit() and _destroyed(value)
    ):
        raise BadValue(EXCEL_BROKE_CODE)
    return value


# An ID masked for a list that leaves the commune (domain.citizen_id.mask_citizen_id).
_MASKED_ID = re.compile(r"\*+[0-9]{0,4}")


def is_masked_id(value: str) -> bool:
    """"********0123": the last digits of a number the register did not show."""
    return _MASKED_ID.fullmatch(value) is not None


def _repaired_phone(digits: str, warnings: list[str]) -> str | None:
    """The number Excel changed, put back: 9 digits lost their leading zero, and
    +84912345678 typed in a cell became the number 84912345678. None: nothing to do."""
    if len(digits) == 9 and digits[0] != "0":
        return _restore_zero(digits, "Số điện thoại", 10, warnings)
    if len(digits) == 11 and digits.startswith("84") and digits.isdigit():
        warnings.append(
            f"Số điện thoại {digits} thiếu dấu + ở đầu (Excel đã bỏ); "
            f"đã thêm lại thành +{digits}, hãy đối chiếu lại."
        )
        return "+" + digits
    return None


# A number, then words after a bracket, a dash or a colon: "0912345678 (con trai)".
_NOTED_PHONE = re.compile(r"(\+?[0-9][0-9 .]{7,14}[0-9])\s*[(\-–:,]\s*([^\W\d_][^()]*?)\)?\s*")


# Two numbers in one cell, the head's and a child's: "0912345678 - 0987654321",
# "0912 345 678; 0987 654 321", "0912345678 hoặc 0987654321".
_TWO_PHONES = re.compile(
    r"(\+?[0-9][0-9 .]{7,14}[0-9])\s*(?:[-–/;,]|\s(?:hoặc|và)\s)\s*(\+?[0-9][0-9 .]{7,14}[0-9])"
)


def phone(raw: object, warnings: list[str]) -> str:
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():  # the usual cell
        return _repaired_phone(raw, warnings) or raw
    if is_empty(raw) or says_none(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return _repaired_phone(str(raw), warnings) or str(raw)
    s = text(raw).lstrip("'")
    if _words_only(s, "số điện thoại", warnings):
        return ""
    if (two := _TWO_PHONES.fullmatch(s)) is not None:
        s = two.group(1)
        warnings.append(
            f"Ô ghi hai số điện thoại; chỉ lấy số đầu {s}, số {two.group(2)} không được nhập."
        )
    compact = s.replace(" ", "").replace(".", "").replace("-", "")
    if not compact.isdigit() and (noted := _NOTED_PHONE.fullmatch(s)) is not None:
        # "0912345678 (con trai)": whose number it is, a note for the person, not a digit.
        s = noted.group(1)
        warnings.append(
            f"Số điện thoại có kèm lời ghi “{shown(noted.group(2))}”; chỉ lấy số {s}, "
            "hãy kiểm tra lại."
        )
        compact = s.replace(" ", "").replace(".", "")
    return (_repaired_phone(compact, warnings) if compact.isdigit() else None) or s


def number(raw: object) -> float:
    """A number written either way: 25,5 · 25.5 · 1.234,5 · 1.000 (Vietnamese thousands)."""
    if isinstance(raw, bool):
        raise BadValue("Cần một con số.")
    if isinstance(raw, int | float):
        return float(raw)
    s = text(raw).replace(" ", "")
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in s:
        s = s.replace(",", ".")
    elif re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", s):
        s = s.replace(".", "")
    try:
        value = float(s)
    except ValueError:
        raise BadValue(f"“{shown(text(raw))}” không phải là một con số.") from None
    if not math.isfinite(value):  # "nan", "inf" in a CSV: words, not numbers
        raise BadValue(f"“{shown(text(raw))}” không phải là một con số.")
    return value


def integer(raw: object) -> int | None:
    if is_empty(raw):
        return None
    if isinstance(raw, str):
        s = text(raw)
        if m := _LEADING_INT.fullmatch(s):
            return int(m.group(1))  # "5", "5 người", "5 khẩu"
        if _SCIENTIFIC.fullmatch(s.replace(" ", "")):
            raise BadValue(f"Cần một số nguyên (đang là {shown(s)}).")
    value = number(raw)
    if not value.is_integer() or abs(value) > 2**31:
        raise BadValue(f"Cần một số nguyên (đang là {shown(text(raw))}).")
    return int(value)


def _from_serial(serial: float) -> date:
    return _EXCEL_EPOCH + timedelta(days=int(serial))


# "Không rõ", "K.rõ", "?": a year nobody knows (an old head of household's). Folded,
# punctuation as spaces.
_UNKNOWN = frozenset({"khong ro", "k ro", "ko ro", "chua ro", "khong nho", "khong biet"})
_PUNCT = re.compile(r"[^a-z0-9]+")


def _said_unknown(s: str) -> bool:
    if len(s) > 20 or any(c.isdigit() for c in s):
        return False
    return not s.strip("? ") or _PUNCT.sub(" ", cached_fold(s)).strip() in _UNKNOWN


def year(raw: object, warnings: list[str] | None = None) -> int | None:
    """A year from a year, a date, an Excel serial number or text dd/mm/yyyy."""
    if is_empty(raw):
        return None
    if isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        serial = (day - _EXCEL_EPOCH).days
        if 1800 <= serial < _LOWEST_SERIAL:
            # A year typed in a cell formatted as a date: 1960 is 13/05/1905 to Excel.
            if warnings is not None:
                warnings.append(
                    f"Ô định dạng ngày tháng nhưng gõ số {serial} (Excel hiện {day:%d/%m/%Y}): "
                    f"hiểu là năm {serial}; hãy kiểm tra lại."
                )
            return serial
        return raw.year
    if isinstance(raw, bool):
        raise BadValue(f"Ô chứa {_kind_of(raw)}, không phải là năm.")
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or (not float(raw).is_integer() and raw < _LOWEST_SERIAL):
            raise BadValue(f"“{shown(text(raw))}” không phải là năm.")
        value = int(raw)
        if 1800 <= value <= 2200 and value == raw:
            return value
        # A date whose cell lost its date format: its serial number, which for any
        # date a household would write (from 1905 on) is past _LOWEST_SERIAL. A
        # smaller number is a year written short (65 for 1965), not a date in 1900.
        if _LOWEST_SERIAL <= value < 80000:
            day = _from_serial(value)
            if warnings is not None:  # 19700 may as well be 1970 typed with a 0 too many
                warnings.append(
                    f"Số {value} được hiểu là ngày {day:%d/%m/%Y} (Excel lưu ngày dưới dạng "
                    f"số), tức năm {day.year}; hãy kiểm tra lại."
                )
            return day.year
        raise BadValue(f"“{shown(text(raw))}” không phải là năm (cần đủ 4 chữ số, ví dụ 1965).")
    s = text(raw).lstrip("'")  # the apostrophe that kept the cell text, written out
    if _said_unknown(s):
        if warnings is not None:
            warnings.append(f"“{shown(s)}”: không rõ năm, để trống.")
        return None
    if (said := _YEAR_WORDS.match(s)) and s[said.end() :].isdigit():
        s = s[said.end() :]
    s = _MONTH_WORDS.sub("", s, count=1)
    if _GROUPED_YEAR.fullmatch(s) and 1800 <= (grouped := int(s[0] + s[2:])) <= 2200:
        return grouped
    if m := _ISO_DATE.fullmatch(s):
        return int(m.group(1))
    m = _DATE_TEXT.fullmatch(_TIME_TAIL.sub("", s).replace(" ", ""))
    if m is None:
        try:
            return year(number(s), warnings)
        except BadValue:
            raise BadValue(f"“{shown(s)}” không phải là năm hay ngày tháng (dd/mm/yyyy).") from None
    digits = m.group(3)
    if len(digits) != 4:
        raise BadValue(f"Năm “{shown(s)}” phải ghi đủ 4 chữ số, ví dụ 1965 hoặc 05/02/1965.")
    if m.group(1) and m.group(2):
        # "00/00/1968", "00/03/1971": a day or month not known, written 0; the year is.
        day, month = int(m.group(1)) or 1, int(m.group(2)) or 1
        try:
            date(int(digits), month, day)
        except ValueError:
            raise BadValue(f"Ngày “{shown(s)}” không có trên lịch (dd/mm/yyyy).") from None
    return int(digits)


_SEX_WORDS = {
    "nam": Sex.male,
    "m": Sex.male,
    "male": Sex.male,
    "trai": Sex.male,
    "nu": Sex.female,
    "f": Sex.female,
    "female": Sex.female,
    "gai": Sex.female,
    "nam gioi": Sex.male,
    "nu gioi": Sex.female,
}


def sex(raw: object, warnings: list[str]) -> Sex | None:
    if is_empty(raw):
        return None
    value = _SEX_WORDS.get(cached_fold(text(raw)))
    if value is None:
        warnings.append(f"Giới tính “{shown(text(raw))}” không rõ (Nam hay Nữ); để trống.")
    return value


# Longest first, so "cận nghèo" is not read as "nghèo". Matched on folded words.
_CATEGORY_WORDS: tuple[tuple[str, Category], ...] = (
    ("ho can ngheo", Category.near_poor),
    ("can ngheo", Category.near_poor),
    ("hcn", Category.near_poor),
    ("cn", Category.near_poor),
    ("ho ngheo", Category.poor),
    ("ngheo", Category.poor),
    ("hn", Category.poor),
    ("co cong", Category.revolutionary_merit),
    ("ncc", Category.revolutionary_merit),
    ("chinh sach", Category.policy_family),
    ("gdcs", Category.policy_family),
    ("thien tai", Category.disaster_hit),
    ("bien doi khi hau", Category.disaster_hit),
    ("bao lu", Category.disaster_hit),
    ("kho khan", Category.other_hardship),
)
_LEFT_CATEGORY = re.compile(r"\bthoat (?:ho )?(can )?ngheo\b")  # the one a household left
# "Hộ cận nghèo chuyển lên hộ nghèo", "HN → HCN": the category after the move is the
# household's. Folded, spaced as _categories has it.
_MOVED_TO = re.compile(r" (?:chuyen (?:len|xuong|sang|thanh|ve)|len|xuong|→) ")
# "Hộ không nghèo", "Ngoài hộ nghèo", "Không thuộc diện cận nghèo": out of it. Folded.
_NOT_POOR = re.compile(
    r" (?:khong|ko|ngoai)(?: (?:phai|thuoc|la))?(?: (?:ho|dien))* (?:can )?ngheo "
)
# "Hộ nghèo - Thiên tai" too, but a dash between digits is years: "2022-2025".
_CATEGORY_SPLIT = re.compile(r"[;,/+&\n]|(?<![0-9])[–-]|[–-](?![0-9])| va | và ")


# The year of the list written with its category: "HN-2024", "HN2024", "HCN (2023)".
_LIST_YEAR = re.compile(r"(?:\bnam )?(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
_LETTERS = re.compile(r"[a-z]")


# Households no longer on a category's list, whatever category it names: their head
# died ("Hộ nghèo đã chết", "chủ hộ qua đời"), they moved away or split ("đã chuyển đi",
# "đã tách hộ"), their time on it ran out ("HẾT HẠN") or they were taken off it ("đưa ra
# khỏi danh sách"). Folded.
_GONE = re.compile(r"\b(?:chet|qua doi|tu tran|het han|da tach|chuyen di|ra khoi)\b")
GONE = "hộ không còn trong danh sách (chết, chuyển đi, tách hộ, hết hạn, ...)"
# The households gone said taken out of a list, which is of those left: "(ĐÃ LOẠI HỘ
# CHẾT, CHUYỂN ĐI)", "không bao gồm hộ đã chuyển đi", "trừ hộ đã chết". Folded.
_GONE_WORD = r"(?:chet|qua doi|tu tran|het han|tach(?: ho)?|chuyen di)"
_LEFT_OUT = re.compile(
    r"\b(?:loai(?: bo)?|tru|khong (?:bao )?gom|khong tinh)(?: (?:cac|nhung|so|ho|da))* "
    rf"{_GONE_WORD}(?:(?:,| va| hoac)?(?: (?:ho|da))* {_GONE_WORD})*"
)


# The head changed, the household stays on its list: "(chủ hộ đã chết, vợ làm chủ hộ)",
# "con trai đứng tên chủ hộ", "đổi chủ hộ", "chủ hộ mới". Folded.
_HEAD_CHANGED = re.compile(
    r"\b(?:(?:vo|chong|con(?: trai| gai| dau| re)?|chau|me|bo|cha|em|anh|chi)"
    r"(?: (?:da|duoc))? (?:lam|la|thay|thay lam|dung ten|dung ten lam) chu ho"
    # "chủ hộ mới: Lò Thị Mai", not "chủ hộ mới tách hộ" (a household just split off).
    r"|(?:doi|thay|chuyen|sang ten)(?: ten)? chu ho|chu ho moi\b(?! [a-z]))"
)
# What a category cell says of its head, no category: the change, since when, the new
# head's name ("chủ hộ mới: Lò Thị Mai"), the old head's death. Folded, years taken out.
_HEAD_NOTE = re.compile(
    _HEAD_CHANGED.pattern + r"(?::[^()]*)?(?: tu| nam| thang| ngay)*"
    r"|\bchu ho (?:da )?(?:chet|qua doi|tu tran|mat)\b"
)


def _of_the_head(part: str) -> bool:
    """Whether a part of a category cell says only what became of its head ("chủ hộ đã
    chết", "vợ làm chủ hộ)"); words beside it ("thoát cận nghèo (đổi chủ hộ)") are read."""
    return not _LETTERS.search(_HEAD_NOTE.sub(" ", _LIST_YEAR.sub(" ", fold(part))))


# What says a household left its list even when its head changed: the rest ("chết",
# "chuyển đi", "tách hộ") is said of the old head. Folded.
_GONE_HOUSEHOLD = re.compile(r"\b(?:het han|ra khoi)\b")


def _says_gone(key: str) -> bool:
    key = _LEFT_OUT.sub(" ", key)
    return (_GONE_HOUSEHOLD if _HEAD_CHANGED.search(key) else _GONE).search(key) is not None


def leaves_the_list(raw: str) -> bool:
    """Whether words say their households are no longer on the list (_GONE): "Hộ nghèo
    đã chết", "DANH SÁCH HỘ NGHÈO HẾT HẠN", "đã chuyển đi"."""
    return _says_gone(fold(text(raw)))


def categories(raw: object, warnings: list[str]) -> frozenset[Category]:
    """"Hộ nghèo", "HN", "nghèo; NCC", "Cận nghèo + thiên tai", or the labels nhao writes.
    None for a cell saying the household is no longer on the list ("Hộ nghèo đã chết")."""
    value = text(raw)
    found, unknown = _categories(value)
    if unknown and leaves_the_list(value):  # the whole cell unknown (_categories)
        warnings.append(f"Diện “{shown(value)}” là {GONE}: không xếp vào diện nào.")
        return found
    warnings.extend(f"Không hiểu diện “{shown(part)}”; bỏ qua." for part in unknown)
    if found and _HEAD_CHANGED.search(fold(value)):
        named = ", ".join(c.label_vi for c in Category if c in found)
        warnings.append(
            f"Diện “{shown(value)}” ghi hộ đổi chủ hộ: hộ vẫn thuộc diện {named}; hãy kiểm tra "
            "họ tên chủ hộ ở dòng này là của chủ hộ mới."
        )
        return HeadChangedCategories(found)
    return found


class HeadChangedCategories(frozenset[Category]):
    """The categories of a cell that says the household's head changed ("Hộ nghèo (chủ
    hộ đã chết, vợ làm chủ hộ)"): its row's new head is no code pasted on a wrong row."""


@lru_cache(maxsize=1024)  # a column holds the same few words all the way down
def _categories(value: str) -> tuple[frozenset[Category], tuple[str, ...]]:
    if _says_gone(fold(value)):  # "Hộ nghèo - đã chết": in no category, not poor
        return frozenset(), (nfc(value),)
    found: set[Category] = set()
    unknown: list[str] = []
    head_changed = _HEAD_CHANGED.search(fold(value)) is not None
    for part in _CATEGORY_SPLIT.split(value):
        key = f" {_LIST_YEAR.sub(' ', fold(part))} "
        if moved := _MOVED_TO.search(key):
            key = key[moved.end() - 1 :]
        if not _LETTERS.search(key):  # empty, or a year alone: no category to read
            continue
        # "Thoát nghèo", "Hộ mới thoát cận nghèo", "Không nghèo": out of the category
        # the word names, not in it; maybe in another: "Cận nghèo (mới thoát nghèo)".
        if left := _LEFT_CATEGORY.search(key):
            key = _LEFT_CATEGORY.sub(" ", key)
        out = " thoat " in key or key.startswith((" khong ", " ko ")) or _NOT_POOR.search(key)
        match = None if out else next((c for w, c in _CATEGORY_WORDS if f" {w} " in key), None)
        if left and match is (Category.near_poor if left.group(1) else Category.poor):
            match = None
        if match is None and head_changed and _of_the_head(part):
            continue
        if match is None:
            unknown.append(nfc(part))
        else:
            found.add(match)
    return frozenset(found), tuple(unknown)


# A group's title naming a category: "I. Hộ nghèo", "B. HỘ CẬN NGHÈO NĂM 2024:", "Hộ gia
# đình chính sách". Folded. The category's words come right after the word for
# households or categories: "Hồ Văn Nghèo" is a name.
_GROUP_LEAD = re.compile(r"(?:[ivxlc]+|[a-z]|[0-9]+)[.)]\s*")
_TITLE_LEAD = re.compile(r"(?:(?:ho|dien|nhom|doi tuong|thuoc|nguoi|gia dinh) )+")
_TITLE_CATEGORY = re.compile("(?:" + "|".join(w for w, _ in _CATEGORY_WORDS) + r")\b")


def category_title(raw: str) -> frozenset[Category]:
    """The categories a group's title names, or none when it is no such title."""
    key = _GROUP_LEAD.sub("", fold(text(raw)), count=1).rstrip(" :.")
    lead = _TITLE_LEAD.match(key)
    if lead is None or not _TITLE_CATEGORY.match(key, lead.end()):
        return frozenset()
    found, unknown = _categories(key)
    return frozenset() if unknown else found


_CATEGORY_WORD = re.compile(r"(?<![a-z])" + _TITLE_CATEGORY.pattern)


def names_a_category(raw: str) -> bool:
    """Whether words name a category anywhere, taken or not: "ngoài hộ nghèo", "hộ thoát
    nghèo", "không nghèo"."""
    return _CATEGORY_WORD.search(fold(text(raw))) is not None


# A list's title: "DANH SÁCH HỘ CẬN NGHÈO NĂM 2025 THÔN NÀ PÀN", "Danh sách các hộ nghèo
# (kèm theo ...)". Its categories come first, before the place or the parenthesis. Folded.
_LIST_LEAD = re.compile(r"(?:danh sach|ds)\s+(?:cac\s+)?")
_LIST_TITLE_ENDS = re.compile(
    r"\s*\(|\s(?:thon|xom|ban|ap|lang|to dan pho|khu pho|khu|xa|phuong|thi tran|huyen|tinh"
    r"|thanh pho|giai doan|dot)(?![a-z0-9])"
)
_CATEGORY_NAMES = dict(_CATEGORY_WORDS)
# A review's list holds the households found in the category and those found out of it;
# the one after the review ("sau rà soát") only the first. Folded.
_REVIEW = re.compile(r"(?<!sau )\b(?:ra soat|phuc tra|dieu tra)\b")
# Households leaving a category or moving to another: "hộ nghèo đưa ra khỏi danh sách",
# "hộ nghèo giảm", "hộ nghèo không còn nghèo", "hộ cận nghèo chuyển thành hộ nghèo". Folded.
_CHANGE = re.compile(r"\b(?:ra khoi|khong con|giam|chuyen)\b")


def list_title_categories(raw: str) -> frozenset[Category]:
    """The categories a list's title or a sheet's name says its households are of:
    "DANH SÁCH HỘ CẬN NGHÈO NĂM 2025", "Hộ nghèo", "HCN". None for a title that names
    households out of a category ("hộ thoát nghèo", "ngoài hộ nghèo", "hộ không nghèo"),
    leaving one or moving to another ("hộ nghèo đưa ra khỏi danh sách") or a review of
    one ("Rà soát hộ nghèo": those found poor and those not)."""
    key = _LEFT_OUT.sub(" ", fold(text(raw)))
    if _says_gone(key):  # anywhere: "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN ĐÃ CHUYỂN ĐI"
        return frozenset()
    if lead := _LIST_LEAD.match(key):
        key = key[lead.end() :]
    if end := _LIST_TITLE_ENDS.search(key):
        key = key[: end.start()]
    if _REVIEW.search(key) or _CHANGE.search(key):
        return frozenset()
    if found := category_title(key):
        return found
    # A sheet's name: the category's words alone, as a category cell has them.
    parts = [_LIST_YEAR.sub(" ", part).strip() for part in _CATEGORY_SPLIT.split(key)]
    named = {_CATEGORY_NAMES.get(part) for part in parts if part}
    return frozenset() if not named or None in named else frozenset(named)  # type: ignore[arg-type]


# A mark's first word: "K.có" is "K có" written short, as "1.0" is one number.
_MARK_WORD = re.compile(r"[^\W\d_]+\.|[^\s,;:()]*")
_FALSE_MARKS = frozenset({"", "0", "k", "ko", "khong", "no", "n", "false", "sai", "-", "chua"})


def flag(raw: object, warnings: list[str] | None = None) -> bool:
    """A mark column: "x", "có", "1", "✓", even "HN" mean yes; empty, "không", "0" mean no,
    and so does a cell that begins with no ("Không có", "Chưa có sổ", "Không tranh chấp")."""
    if isinstance(raw, bool):
        return raw
    if is_empty(raw):
        return False
    folded = fold(text(raw)).lstrip(".,;:() ")
    word = _MARK_WORD.match(folded).group()  # type: ignore[union-attr]
    if word.rstrip(".") not in _FALSE_MARKS:
        return True
    rest = folded[len(word) :].strip(" .,;:()")
    # "Không có …", "Chưa có …" say no; "Không an toàn", "Chưa giải quyết" may say yes
    # in the very column they stand in: read as no, but ask a person to look.
    if rest and not (rest == "co" or rest.startswith("co ")) and warnings is not None:
        warnings.append(f"“{shown(text(raw))}” được hiểu là không; hãy kiểm tra lại.")
    return False
