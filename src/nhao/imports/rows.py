"""Reading the rows under the header: households, and the other rows hand-made
lists have (totals, hamlet group titles, the "(1) (2) (3)" row, signatures)."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from itertools import islice

from nhao.domain.enums import Category, Sex

from . import values as v
from .folding import cached_fold
from .headers import (
    CATEGORY_FLAGS,
    IGNORED,
    NAME_HEADER_FIX,
    ROW_NUMBER_HEADER,
    SEXED_YEARS,
    Layout,
    column_letter,
    detect_layout,
    header_key,
    is_column_numbers,
    match_header,
    with_headerless_given,
)
from .source import Merge


def _repeats(family: str, given: str) -> bool:
    """Whether the first column's last words are the second column's."""
    words, tail = family.lower().split(), given.lower().split()
    return bool(tail) and words[-len(tail):] == tail


def _joined(family: str, given: str, full_names: bool = True) -> str:
    """The name over two columns, whole. In a list whose first column holds full names
    (``full_names``), a name of three words and more that ends with the given name holds
    it already, the given name beside it to sort by ("Nguyễn Văn An" | "An"); a shorter
    one is a name's first part ("Lò Văn" | "Văn"). In a list whose first column holds
    the family and middle names, "Nguyễn Thị Thu" | "Thu" is Nguyễn Thị Thu Thu."""
    words, tail = family.split(), given.split()
    if full_names and len(words) >= max(3, len(tail) + 2) and _repeats(family, given):
        return family
    return f"{family} {given}".strip()


class RowKind(StrEnum):
    data = "data"
    total = "total"  # "Tổng cộng", "Cộng thôn A": skipped
    section = "section"  # "Thôn Nà Pàn" alone on a row: the hamlet of the rows below
    numbers = "numbers"  # "(1) (2) (3) …" under the header
    footer = "footer"  # after the grand total: place and date, signatures
    member = "member"  # "Vợ", "Con" in a "Quan hệ với chủ hộ" column: not a household
    after_end = "after_end"  # a household's row below the end of the list: not imported
    unfilled = "unfilled"  # a template's row numbered in advance and left empty
    header = "header"  # the header typed again: the next printed page, a list pasted below
    # A household's row under the header of a list pasted below whose name column is not
    # known (Layout.name_unknown): not imported.
    unread = "unread"


@dataclass(slots=True)
class ParsedRow:
    row: int  # as Excel shows it
    kind: RowKind
    values: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    section: str = ""
    said: str = ""  # why the row is skipped, where its kind alone does not say it
    id_column: int | None = None  # the citizen ID read from Layout.id_fallback's column
    categories: frozenset[Category] = frozenset()  # a section's: "I. Hộ nghèo"
    # A hamlet's title's words naming its households out of a category, or of one nhao
    # does not take ("Thôn Nà Pàn (ngoài hộ nghèo)"): no category above is theirs.
    other_category: str = ""
    # The words alone of a title between two lists ("DANH SÁCH HỘ NGHÈO XÓM CỐC LÙNG").
    title: str = ""
    # A header's that names other columns than the one above (a list pasted below, its
    # columns in another order): the rows below it are read by this.
    layout: Layout | None = None
    # Its category cell says the household's head changed ("vợ làm chủ hộ").
    head_changed: bool = False


Converter = Callable[[object, list[str]], object]
CONVERTERS: dict[str, Converter] = {
    "head_name": v.person_name,
    "given_name": lambda raw, _: v.text(raw),
    "middle_name": lambda raw, _: v.text(raw),
    "citizen_id": v.citizen_id,
    "birth_year": v.year,
    "sex": v.sex,
    "ethnicity": v.ethnicity,
    "phone": v.phone,
    "hamlet": v.place_name,
    "address": lambda raw, _: v.text(raw),
    "categories": v.categories,
    "poverty_list_year": v.year,
    "members": lambda raw, _: v.integer(raw),
    "lawful_land_use": v.flag,
    "land_certificate": v.flag,
    "land_dispute": v.flag,
    "hazard_zone": v.flag,
    "certified_able_to_build": v.flag,
    "notes": lambda raw, _: v.note_text(raw),
    "relation": lambda raw, _: v.text(raw),
    "household_code": v.household_code,
}
for _flag in CATEGORY_FLAGS:
    CONVERTERS[_flag] = v.flag
for _sexed in SEXED_YEARS:
    CONVERTERS[_sexed] = CONVERTERS["birth_year"]
# Mark columns are definite: an empty cell says "no". Other empty cells say nothing.
DEFINITE = frozenset(
    {"lawful_land_use", "land_certificate", "land_dispute", "hazard_zone"}
    | {"certified_able_to_build"}
    | set(CATEGORY_FLAGS)
)
# Columns where "nt" (như trên) takes the cell above: what neighbours share. Not a name,
# an ID, a year or a phone number, which are each household's own.
DITTO_FIELDS = frozenset(
    {"hamlet", "address", "ethnicity", "categories", "poverty_list_year"} | DEFINITE
)

_TOTALS = re.compile(r"^(tong|tong so|tong cong.*|cong|cong (toan xa|thon|xom|ban|ap|to)\b.*)$")
# "Tổng:", "Tổng số hộ: 45", "Cộng: 3 hộ": any total, known by its first word with its
# marks, for folded "tong" is also the surname Tống, and by what follows it, for "Cộng
# Hòa" and "Cộng Hợp" are hamlets ("Tổng hợp" a summary) and "Tổng Văn Cộng" a name.
# Lower case NFC text.
_TOTAL_WORD = re.compile(
    r"(tổng|cộng)\s*(?:$|[^\w\s]|[0-9]"
    r"|(?:số|toàn|cộng|hộ|chung|thôn|xóm|bản|ấp|tổ|khu|làng|xã)(?![^\W\d_])"
    # A group's sum under its title ("I. Hộ nghèo", "B. Hộ cận nghèo"): "Cộng I", "Cộng
    # II:", "Cộng nhóm B (1 hộ)", "Cộng I+II"; the numeral alone, not "Cộng A Páo".
    r"|(?:(?:nhóm|phần|mục)\s+)?(?:[ivx]+|[a-d])\s*(?:$|[^\w\s]))"
    r"|tổng\s*hợp(?![^\W\d_])"
)
# A page's sum and the sum carried to the next page, in a list printed over pages:
# "Cộng trang 1", "Cộng chuyển sang trang sau", "Trang trước chuyển sang", "Lũy kế". Not
# the end of the list. Folded, and with the marks (as for a total's first word: the
# folded words may be a name), unless the list is typed without them.
_PAGE_TOTAL = re.compile(
    r"(cong trang|cong (chuyen|mang) sang|(trang truoc )?(chuyen|mang) sang|so trang truoc"
    r"|luy ke|cong don)\b"
)
_PAGE_TOTAL_MARKED = re.compile(
    r"(cộng trang|cộng (chuyển|mang) sang|(trang trước )?(chuyển|mang) sang|số trang trước"
    r"|lũy kế|luỹ kế|cộng dồn)(?!\w)"
)
# Not the end: a hamlet's subtotal ("Cộng thôn A", "Tổng cộng thôn A", "Tổng số hộ bản
# B"), a group's ("Tổng II", "Tổng (III)", "Tổng nhóm B"); "Tổng I+II" is the end.
_GROUP_TOTAL = re.compile(
    r"(tong|cong)( cong| so( ho)?)? "
    r"((thon|xom|ban|ap|to|khu|lang|nhom|phan|muc)\b|\(?([ivxlc]+|[a-z])\)?[.:]?$)"
)
_SIGNERS = (  # "KT. Chủ tịch", "TL. Chủ tịch": signing for another, a title still
    r"nguoi lap|lap bieu|((kt|tl|q) )?(pho )?chu tich|truong thon|truong ban|to truong|"
    r"xac nhan|k[yi] ten|k[yi] (va )?ghi ro|can bo|thu truong|"
    r"t ?m (ubnd|uy ban|ub mttq|ubmttq|mttq|ban chi dao|bcd)"
)
_FOOTER = re.compile(rf"^({_SIGNERS}|.{{0,40}}ngay .{{0,8}}thang)\b")
# What ends the list: a signer's title. A line with a date may be a title inside the
# list ("II. Bổ sung sau rà soát ngày 15 tháng 8"), households below it.
_SIGNER = re.compile(rf"^({_SIGNERS})\b")
# The same words with their marks: folded, "Tô Trường Giang" is "Tổ trưởng", "Trương
# Thông" "Trưởng thôn", "Cấn Bội" "Cán bộ", "Chu Tích" "Chủ tịch". Lower case NFC text.
_FOOTER_MARKED = re.compile(
    r"^(người lập|lập biểu|((kt|tl|q) )?(phó )?chủ tịch|trưởng thôn|trưởng ban|trưởng bản|"
    r"tổ trưởng|xác nhận|k[ýí] tên|k[ýí] (và )?ghi rõ|cán bộ|thủ trưởng|"
    r"t ?m (ubnd|ủy ban|uỷ ban|ub mttq|ubmttq|mttq|ban chỉ đạo|bcđ)|"
    r".{0,40}ngày .{0,8}tháng)(?!\w)"
)
# A sentence typed alone under the households, about the list or one of them: "Danh sách
# gồm 02 hộ./.", "Ghi chú: …", "Lưu ý: …", "Trong đó: …", "Nơi nhận:". Folded; or a
# line ending as documents end, "./.".
_NOTE_LINE = re.compile(
    r"^(ghi chu|luu y|trong do|noi nhan|danh sach (nay |tren )?(gom|co))\b"
)
_SENTENCE_WORDS = 7
_NOTE_SAID = "Lời ghi dưới danh sách, không phải một hộ: bỏ qua."
_PUNCTUATION = re.compile(r"[^\w]+")
# What a name column's header says, and no head of household's name does ("Lò Văn Tên"
# does not): "Họ và tên", "Họ tên chủ hộ", "Tên chủ hộ". Folded, punctuation as spaces.
_NAME_HEADER = re.compile(r"\b(ho (va )?ten|chu ho)\b")
_BEFORE_NAME_HEADER = frozenset({"", "ten", "stt"})  # what a name header may begin with


def _names_header(folded: str) -> bool:
    """Whether a name cell (folded) says what a name header says, and nothing before it
    but "Tên": "Họ và tên chủ hộ", "Tên chủ hộ", not "Lò Văn Tổng (chủ hộ)"."""
    found = _NAME_HEADER.search(folded)
    return found is not None and (
        _NOT_WORD.sub(" ", folded[: found.start()]).strip() in _BEFORE_NAME_HEADER
    )


_NOT_A_NAME = frozenset("(0123456789") | {""}  # how a row of column numbers' text begins
_NOT_WORD = re.compile(r"[^0-9a-z]+")  # as headers.header_key spaces a header's words
_LETTERS = re.compile(r"[^\W\d_]")  # a letter of any script
# A list's title, whatever column it is typed in: "DANH SÁCH HỘ CẬN NGHÈO", "Danh sách các
# hộ …", "DS chủ hộ …". No household is named so. Folded.
_LIST_TITLE = re.compile(
    r"(?:danh sach|ds) (?:cac |nhung )?(?:ho|chu ho|nguoi|gia dinh|doi tuong|de nghi)\b"
)
# What a "Quan hệ với chủ hộ" column says on the head's own row ("C.Hộ", "Chủ hộ").
# Folded, punctuation as spaces.
_HEAD = frozenset({"chu ho", "ch", "chu", "c ho", "c h", "chuho", "ban than", "la chu ho"})
# The first word of what it says on a family member's row: "Vợ", "Con trai", "Cháu nội",
# "Mẹ vợ", "Em gái", "Người ở cùng". Anything else is neither: the row is an error, as
# skipping a head written some other way would lose the household among the skipped.
_MEMBER = frozenset(
    {"vo", "chong", "con", "chau", "chat", "chut", "bo", "me", "cha", "ong", "ba", "cu", "anh"}
    | {"chi", "em", "dau", "re", "co", "di", "chu", "bac", "thim", "mo", "cau", "duong"}
    | {"nguoi", "khac"}
)


def _words(text: str) -> str:
    """Text with its punctuation as spaces: "(Ký, ghi rõ họ tên)", "TM. UBND", "T/M UBND"
    are matched by their words."""
    return _PUNCTUATION.sub(" ", text).strip()


_SECTION = re.compile(
    r"^(?:[ivxlc]+|[0-9]+|[a-z])?[.)]?\s*((thon|xom|ban|ap|to dan pho|khu pho|lang|to [0-9]+)\b.*)"
)


# "I", "II.", "A": a group's number in the STT column, the group's title beside it. Folded.
_GROUP_NUMBER = re.compile(r"[ivxlc]+[.)]?|[a-z][.)]?")


def _numbered_title(cells: list[object]) -> str:
    """The hamlet of a row holding a group's number and a hamlet's name, and nothing else:
    "II" | "Thôn Nà Pàn", the title in the name column, as commune-wide lists have it."""
    filled = _filled(cells)
    if len(filled) != 2:
        return ""
    title = v.text(cells[filled[1]])
    section = _SECTION.match(cached_fold(title))
    return title[section.start(1) :] if section else ""


# "I", "II.", "IV)": a group's number in Roman figures (up to 39), which no household is
# given; "c", "L" may be a household's letter. Folded.
_ROMAN_NUMBER = re.compile(r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})[.)]?")
# The middle names that say a person ("Hoàng Thị Trang", "Vàng A Páo"), not a hamlet.
_MIDDLE_NAMES = frozenset({"văn", "thị", "a"})
# What a title beside it begins with when it names no hamlet: "Hộ cận nghèo", "Các hộ phát
# sinh", "Danh sách bổ sung". Lower case NFC text.
_NOT_A_PLACE = re.compile(
    r"(hộ|diện|nhóm|đối tượng|thuộc|người|gia đình|các|danh sách|tổng|cộng)(?!\w)"
)


def _roman_title(cells: list[object]) -> str:
    """The title of a row holding a group's number in Roman figures and words, and nothing
    else: "II" | "Khau Bon", the hamlet as people say it (with "Thôn", "Bản" before it,
    _numbered_title reads it), or "III" | "Hộ khó khăn khác"."""
    filled = _filled(cells)
    if len(filled) != 2 or not isinstance(cells[filled[0]], str):
        return ""
    title = cells[filled[1]]
    if not isinstance(title, str) or not _LETTERS.search(title):
        return ""
    title = v.text(title)
    words = title.lower().split()
    return "" if len(words) > 2 and words[1] in _MIDDLE_NAMES else title


# "1", "2.", "3)": a group's number in the STT column, its households numbered 1.1, 1.2.
_ARABIC_NUMBER = re.compile(r"[0-9]{1,3}[.)]?")
# A hamlet's title with its marks: "Bàn Văn Sử" is a name, "Bản Khau Bon" a hamlet.
# Lower case NFC text.
_MARKED_PLACE = re.compile(r"(thôn|xóm|bản|ấp|làng|tổ dân phố|khu phố|tổ)\s+\w")


def _arabic_title(cells: list[object]) -> str:
    """The hamlet of a row holding a group's number in figures and a hamlet's name written
    with its marks, and nothing else: "1" | "Thôn Nà Pàn"."""
    filled = _filled(cells)
    if len(filled) != 2:
        return ""
    number, title = cells[filled[0]], cells[filled[1]]
    if number.__class__ in (int, float):
        if not float(number).is_integer():  # type: ignore[arg-type]
            return ""
    elif not (isinstance(number, str) and _ARABIC_NUMBER.fullmatch(number.strip())):
        return ""
    if not isinstance(title, str):
        return ""
    said = v.text(title)
    return said if _MARKED_PLACE.match(said.lower()) else ""


# Where a hamlet's title may go on to name its households' category: "Thôn Nà Pàn - hộ
# cận nghèo", "Thôn Nà Pàn – Hộ nghèo", "Xóm Cốc Lùng: hộ nghèo", "Bản Khau Bon (hộ
# nghèo)". NFC text.
_AFTER_PLACE = re.compile(r"\s*[-–—:,;(]\s*|\s+(?=(?:hộ|diện|nhóm)\s)", re.IGNORECASE)


# A group inside a hamlet's, after its name: "Thôn Nà Pàn - nhóm 1", "Xóm Cốc Lùng (đội
# 2)". Lower case NFC text.
_SUBGROUP = re.compile(r"(?:nhóm|đội|cụm)\s+\w{1,3}")
# The commune or district after a hamlet's name in its group's title: ", xã Bình Gia",
# " - huyện Bình Gia", " (xã Bình Gia)".
_ADMIN_PART = re.compile(
    r"\s*[-–—,;(]\s*(?:xã|phường|thị trấn|huyện|quận|thị xã|tỉnh)\s+[^-–—,;()]*\)?",
    re.IGNORECASE,
)
# The count of the group's households after the hamlet's name: "Thôn Nà Pàn (3 hộ)",
# "Xóm Cốc Lùng - 1 hộ", "Bản Khau Bon: gồm 12 hộ".
_COUNT_PART = re.compile(
    r"\s*[-–—:,;(]\s*(?:có|gồm)?\s*[0-9]+\s*hộ\s*\)?\s*$", re.IGNORECASE
)
# A place's word and nothing after it: "Thôn" of "Thôn Hộ Nghèo" names no hamlet.
_PLACE_WORD = re.compile(r"(?:thôn|xóm|bản|ấp|làng|tổ dân phố|khu phố|tổ)\W*")


def _hamlet_title(number: int, title: str) -> ParsedRow:
    """A group's title naming a hamlet, and maybe after it the category of the hamlet's
    households: both, for the rows below (as "Hộ nghèo bản Khau Bon" gives both). A
    group inside the hamlet's after its name ("- nhóm 1") is said, the hamlet is the
    name before it; words naming no category taken ("(ngoài hộ nghèo)", "- hộ thoát
    nghèo") give the rows below none. The commune or district written after the
    hamlet ("Thôn Nà Pàn, xã Bình Gia") is left out, as is the count of its households."""
    title = _COUNT_PART.sub("", title).strip() or title
    title = _ADMIN_PART.sub("", title).strip() or title
    places = [
        (hamlet, title[after.end() :].strip().rstrip(")").strip())
        for after in _AFTER_PLACE.finditer(title)
        # Not inside a parenthesis: "Thôn Nà Pàn (ngoài" is no hamlet.
        if (hamlet := title[: after.start()].strip()) and hamlet.count("(") <= hamlet.count(")")
    ]
    for hamlet, rest in places:
        if named := v.list_title_categories(rest):  # "hộ nghèo", or "HN" alone
            if _PLACE_WORD.fullmatch(hamlet.lower()):
                return ParsedRow(number, RowKind.section, categories=named)
            hamlet, group = _without_subgroup(hamlet)
            return ParsedRow(number, RowKind.section, section=hamlet, categories=named, said=group)
    if places:
        hamlet, rest = places[0]
        if _SUBGROUP.fullmatch(rest.lower()):
            return ParsedRow(number, RowKind.section, section=hamlet, said=rest)
        if v.names_a_category(rest):
            return ParsedRow(number, RowKind.section, section=hamlet, other_category=rest)
    return ParsedRow(number, RowKind.section, section=title)


def _without_subgroup(hamlet: str) -> tuple[str, str]:
    """"Thôn Nà Pàn - nhóm 1": the hamlet, and the group inside it."""
    after = _AFTER_PLACE.search(hamlet)
    if after and _SUBGROUP.fullmatch((group := hamlet[after.end() :].strip(" )")).lower()):
        return hamlet[: after.start()].strip(), group
    return hamlet, ""


# The first text of a row that may be a category's title (_category_title): a group's
# number, or words a title begins with. Folded.
_MAY_TITLE = re.compile(
    r"(?:[ivxlc]+|[a-z]|[0-9]+)[.)]?$|(?:(?:[ivxlc]+|[a-z]|[0-9]+)[.)]\s*)?"
    r"(?:ho|dien|nhom|doi tuong|thuoc|nguoi|gia dinh) "
)


def _category_title(cells: list[object]) -> frozenset[Category]:
    """The categories of a row holding a group's title that names them ("Hộ nghèo"), alone
    or after the group's number ("II" | "Hộ cận nghèo"), and nothing else."""
    filled = _filled(cells)
    if len(filled) == 2:
        number = cells[filled[0]]
        folded = cached_fold(v.text(number))
        if not (folded.isdigit() or (len(folded) < 6 and _GROUP_NUMBER.fullmatch(folded))):
            return EMPTY
    elif len(filled) != 1:
        return EMPTY
    title = cells[filled[-1]]
    return v.category_title(title) if isinstance(title, str) else EMPTY


# What a group's title gives the households below it (RowReader._titles).
_HAMLET_FIELDS = frozenset({"hamlet"})
_CATEGORY_FIELDS = frozenset({"categories", *CATEGORY_FLAGS})
_NO_FIELDS: frozenset[str] = frozenset()
_DATA = RowKind.data  # an Enum member read off its class costs more than a global
# What the top row of a header of two rows is read as before the row under it shows it
# (RowReader.read): "STT" | "Thông tin chủ hộ" | "Thôn" is a household by its cells.
_MAY_TOP_A_HEADER = frozenset({RowKind.data, RowKind.unfilled, RowKind.section})
MEMO_LIMIT = 2048  # distinct cells a column remembers; beyond, new ones are converted each time
NAME_SAMPLE_ROWS = 2000  # rows RowReader.weigh_name_parts reads
EMPTY: frozenset[Category] = frozenset()


@dataclass(frozen=True, slots=True)
class _Other:
    """What a cell gave when it is not simply a field and its value: messages for the
    row, categories to add to the row's, a field with a warning, or nothing at all."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    categories: frozenset[Category] = EMPTY
    field: str | None = None
    value: object = None
    sex: Sex | None = None  # a birth year in a "Nam" or "Nữ" column says this too
    sex_differs: str = ""  # what to say when the "Giới tính" column says otherwise

    def apply(self, row: ParsedRow) -> None:
        row.errors.extend(self.errors)
        row.warnings.extend(self.warnings)
        if self.categories:
            row.values["categories"] = row.values.get("categories", EMPTY) | self.categories  # type: ignore[operator]
            row.head_changed |= isinstance(self.categories, v.HeadChangedCategories)
        if self.field is not None:
            row.values[self.field] = self.value
        if self.sex is not None:
            # Such columns are read after the others (RowReader._plan): a "Giới tính"
            # column, written for the purpose, stands; a different word is pointed out.
            said = row.values.get("sex")
            if said is None:
                row.values["sex"] = self.sex
            elif said != self.sex:
                row.warnings.append(self.sex_differs)


_NOTHING = _Other()
_DITTO = _Other()  # "nt": the cell above, RowReader._take_above
Converted = tuple[str, object] | _Other  # a (field, value) pair, or the rest
_SELF_KEYED = frozenset({str, float})  # cells that are their own memo key (see _key)


def _key(raw: object) -> object:
    """A cell as a memo key. A str or a float stands for itself; other types keep their
    type beside the value, as 1, 1.0 and True are one key in a dict (and do not always
    convert alike: an int may be a 16-digit ID, such a float never is)."""
    return raw if raw.__class__ in _SELF_KEYED else (raw.__class__, raw)


class _Column:
    """One mapped column: its converter, and what each distinct cell gave. Most
    columns hold the same few values all the way down (years, sex, ethnicity, hamlet,
    categories, marks), so each is converted once."""

    __slots__ = (
        "index", "name", "label", "memo", "_convert", "_flag", "_categories", "_sex", "_ditto"
    )

    def __init__(self, index: int, name: str, label: str):
        self.index = index
        self.name = name
        self.label = label
        # An empty cell says nothing, except in a mark column, where it says "no".
        self.memo: dict[object, Converted] = {} if name in DEFINITE else {"": _NOTHING}
        self._convert = CONVERTERS[name]
        self._flag = frozenset({CATEGORY_FLAGS[name]}) if name in CATEGORY_FLAGS else None
        self._categories = name == "categories" or self._flag is not None
        self._sex = SEXED_YEARS.get(name)
        self._ditto = name in DITTO_FIELDS

    @property
    def tells_sex(self) -> bool:
        return self._sex is not None or self.name == "head_name"

    def convert(self, raw: object, key: object) -> Converted:
        """What the cell gives, remembered under ``key`` (None: unhashable) while there
        is room."""
        if self._ditto and v.is_ditto(raw):  # the value is the cell above's: not one to keep
            if key is not None and len(self.memo) < MEMO_LIMIT:
                self.memo[key] = _DITTO
            return _DITTO
        notes: list[str] = []
        try:
            if (error := v.excel_error(raw)) is not None:
                # LibreOffice writes its own errors as "Err:502": not Excel's words there.
                program = "LibreOffice" if str(error).startswith("Err:") else "Excel"
                raise v.BadValue(
                    f"Ô có lỗi {error} của {program} thay cho giá trị (công thức không tính "
                    f"ra); hãy sửa ô này trong {program} rồi nhập lại."
                )
            value = self._convert(raw, notes)
        except v.BadValue as error:
            converted: Converted = _Other(errors=(f"{self.label}: {error.message}",))
        else:
            if self._sex is not None and value is not None:
                warnings = tuple(f"{self.label}: {note}" for note in notes)
                differs = (
                    f"{self.label}: năm sinh ghi ở cột {self._sex.label_vi}, khác với cột "
                    "Giới tính; giữ giới tính theo cột Giới tính, hãy kiểm tra lại."
                )
                converted = _Other(
                    warnings=warnings,
                    field="birth_year",
                    value=value,
                    sex=self._sex,
                    sex_differs=differs,
                )
            elif isinstance(value, v.TitledName):  # "Bà Lò Thị Bé": the title says her sex
                converted = _Other(
                    warnings=tuple(f"{self.label}: {note}" for note in notes),
                    field=self.name,
                    value=str(value),
                    sex=value.sex,
                    sex_differs=f"{self.label}: danh xưng trước tên khác với cột Giới tính; giữ "
                    "giới tính theo cột Giới tính, hãy kiểm tra lại.",
                )
            elif notes or self._categories or value is None or value == "":
                converted = self._other(value, notes)
            else:
                converted = self.name, value
        if key is not None and len(self.memo) < MEMO_LIMIT:  # bounded, whatever the rows
            self.memo[key] = converted
        return converted

    def _other(self, value: object, notes: list[str]) -> Converted:
        warnings = tuple(f"{self.label}: {note}" for note in notes)
        if self._categories:
            if self._flag is not None:
                value = self._flag if value else EMPTY
            return _Other(warnings=warnings, categories=value) if value or warnings else _NOTHING  # type: ignore[arg-type]
        if value is None or value == "":
            return _Other(warnings=warnings) if warnings else _NOTHING
        return _Other(warnings=warnings, field=self.name, value=value)


def _first_text(cells: Iterable[object]) -> str:
    """The first cell holding text; an Excel error written as text is none (_filled)."""
    for cell in cells:
        if isinstance(cell, str) and cell.strip() and v.excel_error(cell) is None:
            return cell
    return ""


def _signs_off(first_text: str, cells: list[object]) -> bool:
    """Whether a row whose first text folds to a signature line's words is one: said
    with the marks of those words, or with none at all (typed without them) on a row
    holding no number: "To Truong Giang" beside a year is a household of a list typed
    without marks."""
    lowered = _words(v.text(first_text).lower())
    if lowered.isascii():
        return not any(c.__class__ in (int, float, date, datetime) for c in cells)
    return _FOOTER_MARKED.match(lowered) is not None


def _filled(cells: list[object]) -> list[int]:
    """The cells holding something. An Excel error is not something, an error cell or its
    text (v.excel_error): a row of nothing else is a formula filled down past the list's
    end, an empty row."""
    return [
        i
        for i, c in enumerate(cells)
        if c != "" and c is not None and not v.is_empty(c) and v.excel_error(c) is None
    ]


def _without_sums(cells: list[object], first_text: str) -> list[object] | None:
    """The row with the numbers after its first text left out, or None when it has none."""
    start = cells.index(first_text)
    bare = cells[: start + 1] + [
        "" if c.__class__ in (int, float) else c for c in cells[start + 1 :]
    ]
    return None if bare == cells else bare


_ROW_NUMBER_FIRST = frozenset("SsTt")  # what ROW_NUMBER_HEADER's words begin with
# The fields whose cells a household's row fills with figures: their headers' words are on
# no household's row (RowReader._header_by_its_other_columns).
_FIGURES = frozenset({"birth_year", "citizen_id", *SEXED_YEARS})


def _people_named(column: int, rows: Iterable[tuple[int, list[object]]]) -> tuple[str, ...]:
    """The names in a column that holds people's names: two to six words each, each
    begun with a capital, no figure ("Hoàng Văn Cường"), on most rows with it filled (a
    group's title or a total may stand there). Else ()."""
    names: list[str] = []
    filled = 0
    for _, cells in rows:
        cell = cells[column] if column < len(cells) else ""
        if v.is_empty(cell):
            continue
        filled += 1
        said = v.text(cell) if isinstance(cell, str) else ""
        words = said.split()
        if 2 <= len(words) <= 6 and all(
            w[0].isupper() and w.replace("'", "").replace("’", "").replace("-", "").isalpha()
            for w in words
        ):
            names.append(said)
    return tuple(names) if names and 5 * len(names) >= 4 * filled else ()


def _name_by_its_rows(layout: Layout, rows: list[tuple[int, list[object]]]) -> Layout:
    """``layout`` with its name in the one of the columns its header does not say
    (Layout.name_unknown) that holds people's names, when no other column left out
    does; else ``layout`` as it is, with no name. Read on the rows numbered in its STT
    column (such a header has one): a title's, a total's, the signers' names have none."""
    numbering = next(c for c, field in layout.mapping.items() if field == "row_no")
    rows = [row for row in rows if _holds_a_number(row[1][numbering : numbering + 1])]
    width = max((len(cells) for _, cells in rows), default=0)
    holding = {
        column: names
        for column in range(width)
        if column not in layout.mapping and (names := _people_named(column, rows))
    }
    if len(holding) != 1:
        return layout
    [(column, names)] = holding.items()
    if column not in layout.name_unknown:
        return layout
    mapping = dict(sorted({**layout.mapping, column: "head_name"}.items()))
    return replace(layout, mapping=mapping, name_examples=tuple(dict.fromkeys(names))[:3])


def _holds_a_number(cells: list[object]) -> bool:
    """Whether a cell holds a number, a date or, as a CSV file has them, figures."""
    for cell in cells:
        if cell.__class__ in (int, float, date, datetime) or (
            isinstance(cell, str) and cell.strip().isdigit()
        ):
            return True
    return False


class _ReadAhead:
    """Rows still to read, those read ahead put back in front: one of these however many
    lists are read ahead, where a chain of the rows read ahead and the rest would wrap
    the one before each time."""

    def __init__(self, rows: Iterator[tuple[int, list[object]]]):
        self._rows = rows
        self._back: deque[tuple[int, list[object]]] = deque()

    @classmethod
    def of(cls, rows: Iterator[tuple[int, list[object]]]) -> _ReadAhead:
        return rows if isinstance(rows, _ReadAhead) else cls(rows)

    def __iter__(self) -> _ReadAhead:
        return self

    def __next__(self) -> tuple[int, list[object]]:
        if self._back:
            return self._back.popleft()
        return next(self._rows)

    def put_back(self, rows: list[tuple[int, list[object]]]) -> None:
        self._back.extendleft(reversed(rows))


# What reading one list gives: its rows parsed, then the rows below it still to read.
_Rest = Generator[ParsedRow, None, "Iterator[tuple[int, list[object]]] | None"]


class RowReader:
    """Turns the rows below the header into ParsedRow, fast enough for 100,000 rows."""

    def __init__(
        self,
        layout: Layout,
        merged: Iterable[Merge] = (),
        saved: Mapping[str, str] | None = None,
    ):
        # A cell merged down over several rows (a hamlet written once for its group of
        # households) counts for every row it covers.
        merged = list(merged)
        self._down = [
            (top, bottom, column)
            for (top, column), (bottom, _) in merged
            if bottom > top and top + 1 >= layout.first_data_row
        ]
        # The merges across columns below the header, by Excel row: those of the header
        # of a list pasted below ("Năm sinh" over "Nam" | "Nữ"), as detect_layout has them.
        self._across: dict[int, list[tuple[int, int]]] = {}
        for (top, left), (bottom, right) in merged:
            if (top == bottom or right > left) and top + 1 >= layout.first_data_row:
                self._across.setdefault(top + 1, []).append((left, right))
        self._down_values: dict[int, object] = {}
        # The header spellings people corrected, as the first header was read with them:
        # a list pasted below is known by its header as the first list was.
        self._saved = saved or {}
        self._saved_names = {key for key, name in self._saved.items() if name == "head_name"}
        self._read_by(layout)
        # Whether the first of a name's two columns holds the full name (weigh_name_parts).
        self._full_names = True
        self._above: list[object] | None = None  # the last household's cells, for "nt"
        # The fields the group titles since the last household give ("hamlet",
        # "categories"): "nt" there is the title's, not the group above's (_take_above).
        self._titled = _NO_FIELDS
        self._ended = False
        self._end_row = 0  # the grand total or signer's title that ended the list
        self._numberless = 0  # the last row _other_header found no number in

    def _read_by(self, layout: Layout) -> None:
        """Read the rows from here on by ``layout``: the first header's, or the header of
        a list pasted below whose columns are in another order."""
        self.layout = layout
        self._columns = [
            _Column(index, name, self._label(index))
            for index, name in sorted(layout.mapping.items())
            if name in CONVERTERS
        ]
        self._width = max((c.index + 1 for c in self._columns), default=0)
        # Columns that also tell the sex last (sexed birth years, a name after a title):
        # see _Other.apply.
        columns = sorted(self._columns, key=lambda c: c.tells_sex)
        self._plan = [(c.index, c.memo.get, c) for c in columns]
        relation = [i for i, name in layout.mapping.items() if name == "relation"]
        self._relation = self._label(relation[0]) if relation else ""
        names = [i for i, name in layout.mapping.items() if name == "head_name"]
        self._name_column = names[0] if names else -1
        self._numbering = [i for i, name in layout.mapping.items() if name == "row_no"][:1]
        fallback = layout.id_fallback
        self._id_main = next((i for i, name in layout.mapping.items() if name == "citizen_id"), -1)
        self._id_fallback = (
            _Column(fallback, "citizen_id", self._label(fallback)) if fallback is not None else None
        )
        self._first_row = layout.first_data_row
        # Each mapped column's header, folded, a part per header row: the header typed
        # again further down is known by them (_repeats_header).
        self._header_keys = {
            index: {header_key(part) for part in layout.headers.get(index, "").split(" / ")}
            for index in layout.mapping
        }
        self._numbers_row = self._first_row  # where a "(1) (2) (3)" row may stand
        self._header_ends = 0  # the last row of a header of several rows typed again
        self._header_folds = {
            cached_fold(v.text(part))
            for header in layout.headers.values()
            for part in header.split(" / ")
        }
        given = [i for i, name in layout.mapping.items() if name == "given_name"]
        self._given_column = given[0] if given else -1
        # A header whose name column is not known: its households are not imported.
        self._unread = (
            f"Dòng thuộc danh sách có tiêu đề cột ở dòng {layout.header_row}, nhưng "
            f"{layout.no_name_said()}: không nhập. {NAME_HEADER_FIX}"
            if layout.name_unknown and self._name_column < 0
            else ""
        )

    def _label(self, index: int) -> str:
        header = self.layout.headers.get(index, "")
        return f"Cột {column_letter(index)} “{header}”" if header else f"Cột {column_letter(index)}"

    def weigh_name_parts(self, rows: Iterable[tuple[int, list[object]]]) -> None:
        """Decide, for the list, what the first of a name's two columns holds. Where it
        holds the full name, the second repeats its last word on every row; where it
        holds the family and middle names, seldom ("Nguyễn Thị Thu" | "Thu"). A row alone
        cannot tell the two apart: the list's other rows can, up to the header of a list
        pasted below, which has its own habit (_sample_below weighs it)."""
        family, given = self._name_column, self._given_column
        self._full_names = True
        if family < 0 or given < 0:
            return
        repeated = counted = 0
        # The first rows tell it: a pass over a province's list would cost as much again.
        for _, cells in self._own_rows(islice(rows, NAME_SAMPLE_ROWS)):
            if max(family, given) >= len(cells):
                continue
            first, second = cells[family], cells[given]
            if not (isinstance(first, str) and isinstance(second, str)):
                continue
            if first.strip() and second.strip():
                counted += 1
                repeated += _repeats(v.text(first), v.text(second))
        self._full_names = not counted or 2 * repeated > counted

    def _own_rows(
        self, rows: Iterable[tuple[int, list[object]]]
    ) -> Iterator[tuple[int, list[object]]]:
        """The rows under the header read by, up to the header of a list pasted below."""
        for number, cells in rows:
            if number < self._first_row:
                continue
            if self._other_header(number, cells) is not None:
                return
            yield number, cells

    def read(self, rows: Iterable[tuple[int, list[object]]]) -> Iterator[ParsedRow]:
        # Each list pasted below is read in turn, not in a call within the last one's: a
        # file of a thousand short lists would go deeper than Python lets a call go.
        rest: Iterator[tuple[int, list[object]]] | None = iter(rows)
        while rest is not None:
            rest = yield from self._read_list(rest)

    def _read_list(self, rows: Iterator[tuple[int, list[object]]]) -> _Rest:
        """The rows of one list, up to the header of a list pasted below; the rows from
        there, still to read (None at the end)."""
        first = self.layout.first_data_row
        # A row holding no number, kept back until the row under it is read: the top of a
        # header of two rows (_header_top).
        held: tuple[ParsedRow, list[object], list[object] | None] | None = None
        for number, cells in rows:
            if number < first:
                continue
            if self._down:
                self._fill_down(number - 1, cells)
            reading = self.layout
            parsed = self.parse(number, cells)
            if parsed is None:
                continue
            if held is not None:
                top, top_cells, above = held
                held = None
                if parsed.kind is RowKind.header and top.row == number - 1:
                    two = self._under_header_top(top_cells, number, cells, reading)
                    if two is not None:
                        self._above = None  # "nt" is not the list above's
                        top = ParsedRow(top.row, RowKind.header, layout=two)
                        return (yield from self._header_of_two_rows(top, number, rows))
                    if self._header_top(top_cells, cells, self._name_column):
                        self._above = above  # the header's top row is no household
                        top = ParsedRow(top.row, RowKind.header)
                yield top
            if parsed.layout is not None:
                # The rest is read from there, with a few rows read ahead (_sample_below).
                return (yield from self._other_header_below(parsed, cells, rows))
            if parsed.kind in _MAY_TOP_A_HEADER and self._numberless == number:
                held = parsed, cells, self._above
                continue
            yield parsed
        if held is not None:
            yield held[0]
        return None

    def _header_top(self, top: list[object], bottom: list[object], name: int) -> bool:
        """Whether a row is shaped as the top of a header of two rows over ``bottom``: each
        of its cells over an empty cell of the row below ("STT" merged down the two rows,
        which a merge fills down) or a group over the cells below it ("Thông tin chủ hộ"
        over "Họ và tên" | "Năm sinh"), one group at least, and over the name column
        (``name``) words a name's header has ("chủ hộ", "họ tên"). A household's cells
        stand over the header's own, and its name ("Lò Văn Tên") says no such words; a
        list's title stands alone on its row over the whole header."""
        over = top[name] if 0 <= name < len(top) else ""
        if not (isinstance(over, str) and over.strip()):
            return False
        if not (_NAME_HEADER.search(cached_fold(over)) or self._names_head(over)):
            return False
        width = max(len(top), len(bottom))
        top = [v.text(c) for c in top] + [""] * (width - len(top))
        below = [v.text(c) for c in bottom] + [""] * (width - len(bottom))
        if width - top.count("") < 2:
            return False
        groups = 0
        for index, cell in enumerate(top):
            if not cell or below[index] in ("", cell):
                continue
            if index + 1 < width and not top[index + 1] and below[index + 1]:
                groups += 1
                continue
            return False
        return groups > 0

    def _under_header_top(
        self, top: list[object], number: int, cells: list[object], reading: Layout
    ) -> Layout | None:
        """The header of a list pasted below over two rows whose top row says no name
        alone ("STT" | "Thông tin chủ hộ" | "Thôn"), known by the row under it, a header
        (``number``, ``cells``): None for another pair of rows, or for the header
        ``reading`` (the one the rows above were read by) over two rows."""
        # A cell merged down the two rows is the top one's: filled down, it would make the
        # bottom row a whole header alone.
        bottom = [
            "" if index < len(top) and v.text(cell) == v.text(top[index]) else cell
            for index, cell in enumerate(cells)
        ]
        two = detect_layout(
            [(number - 1, top), (number, bottom)], merged=self._across, saved=self._saved
        )
        if two is None or two.header_rows != 2 or two.mapping == reading.mapping:
            return None
        name = next((c for c, field in two.mapping.items() if field == "head_name"), -1)
        return two if self._header_top(top, cells, name) else None

    def _sample_below(
        self, parsed: ParsedRow, rows: Iterator[tuple[int, list[object]]]
    ) -> Iterator[tuple[int, list[object]]]:
        """What the first rows of a list pasted below tell of its header ``parsed``, as
        the first list's rows tell of the first header: a column with no header after
        the name's that holds given names (a name's header merged over two columns, in
        a CSV file), and what the first of a name's two columns holds. The rows, still
        to read."""
        rows = _ReadAhead.of(rows)
        ahead = list(islice(rows, NAME_SAMPLE_ROWS))
        own = list(self._own_rows(ahead))
        assert parsed.layout is not None
        found = parsed.layout
        if found.name_unknown and self._name_column < 0:
            found = _name_by_its_rows(found, own)
        found = with_headerless_given(found, own)
        if found is not parsed.layout:
            parsed.layout = found
            self._read_by(found)
        self.weigh_name_parts(own)
        rows.put_back(ahead)
        return rows

    def _other_header_below(
        self, parsed: ParsedRow, cells: list[object], rows: Iterator[tuple[int, list[object]]]
    ) -> _Rest:
        """The header of a list pasted below (``parsed``), with the row under it, which may
        be its second row, as the first header's may be ("Năm sinh" over "Nam" | "Nữ"):
        the rows below are then read by the two, that row no household."""
        below = next(rows, None)
        if below is None:
            yield parsed
            return None
        number, under = below
        if self._down:
            self._fill_down(number - 1, under)
        two = None
        # A household's row has its STT, year or ID, as a number or, in a CSV file, figures:
        # never a header's second row, whatever its cells add to the header's.
        if number == parsed.row + 1 and not _holds_a_number(under):
            two = detect_layout(
                [(parsed.row, cells), (number, under)], merged=self._across, saved=self._saved
            )
        if two is not None and two.header_rows == 2 and "head_name" in two.mapping.values():
            parsed.layout = two
            return (yield from self._header_of_two_rows(parsed, number, rows))
        rows = _ReadAhead.of(rows)
        rows.put_back([below])
        rest = self._sample_below(parsed, rows)
        yield parsed
        return rest

    def _header_of_two_rows(
        self, parsed: ParsedRow, bottom: int, rows: Iterator[tuple[int, list[object]]]
    ) -> _Rest:
        """The header of a list pasted below over two rows, ``parsed`` and the row
        ``bottom``, and the rows below it, read by it."""
        assert parsed.layout is not None
        self._read_by(parsed.layout)
        self._numbers_row = bottom + 1
        rest = self._sample_below(parsed, rows)
        yield parsed
        yield ParsedRow(bottom, RowKind.header)
        return rest

    def _fill_down(self, index: int, cells: list[object]) -> None:
        for top, bottom, column in self._down:
            if index == top and column < len(cells):
                self._down_values[column] = cells[column]
            elif top < index <= bottom and column < len(cells) and v.is_empty(cells[column]):
                cells[column] = self._down_values.get(column, "")

    def parse(self, number: int, cells: list[object]) -> ParsedRow | None:
        """One row; None for an empty row, which is not reported."""
        first_text = _first_text(cells)
        if not first_text and not _filled(cells):
            return None
        if self._ended:
            if self._looks_like_household(cells):
                return ParsedRow(number, RowKind.after_end, said=self._after_end())
            return ParsedRow(number, RowKind.footer)
        # Folded through the cache: on a household's row the first text is its head's
        # name, which the duplicate check folds again.
        key = cached_fold(first_text) if first_text else ""
        # "Tổng cộng" or "Người lập biểu" in the name column after a hamlet's name is a
        # total or a signature all the same: the register, with the name first, would
        # read it back as one, so a household of that name would not come back.
        name_text = self._name_text(cells, first_text)
        name_key = cached_fold(name_text) if name_text else ""
        total = self._total(first_text, key) or (name_text and self._total(name_text, name_key))
        if total:
            self._ended = total.startswith("tong") and not _GROUP_TOTAL.match(total)
            self._end_row = number
            return ParsedRow(number, RowKind.total)
        signs = key if key and _FOOTER.match(_words(key)) and _signs_off(first_text, cells) else ""
        if not signs and name_key and _FOOTER.match(_words(name_key)):
            signs = name_key if _signs_off(name_text, cells) else ""
        if signs:
            # The list is over even without a total row: the signers' names come a few
            # rows below their titles, in the name column as like as not.
            self._ended = _SIGNER.match(_words(signs)) is not None
            self._end_row = number
            return ParsedRow(number, RowKind.footer)
        if (_NOTE_LINE.match(key) or first_text.rstrip().endswith("./.")) and len(
            _filled(cells)
        ) == 1:
            return ParsedRow(number, RowKind.footer, said=_NOTE_SAID)
        if (
            number == self._numbers_row or (key[:1] in _NOT_A_NAME and self._nameless(cells))
        ) and is_column_numbers(cells):
            return ParsedRow(number, RowKind.numbers)
        # A header row's first text is a header too ("STT", or the name's): looked up
        # first, as the rest of the check folds the name cell, which is seldom the first.
        maybe_header = key in self._header_folds or _NAME_HEADER.search(key) is not None
        if (maybe_header and self._repeats_header(cells)) or (
            number <= self._header_ends and self._header_words_only(cells)
        ):
            # The header typed again at the top of a printed page, or over a list pasted
            # below: no household, and its "(1) (2) (3)" row may follow it as at the top,
            # and its other rows ("Nam" | "Nữ" under "Năm sinh") too.
            if number > self._header_ends:
                self._header_ends = number + self.layout.header_rows - 1
            self._numbers_row = number + 1
            return ParsedRow(number, RowKind.header)
        if (other := self._other_header(number, cells)) is not None:
            if other.mapping == self.layout.mapping:  # spelt otherwise, the same columns
                self._numbers_row = number + 1
                return ParsedRow(number, RowKind.header)
            self._read_by(other)
            # Another list pasted below, under a header of its own: "nt" there is not
            # the last household's of the list above, its columns elsewhere.
            self._above = None
            return ParsedRow(number, RowKind.header, layout=other)
        section = _SECTION.match(key) if key else None
        if titled := self._title(number, cells, first_text, key, section):
            return self._titles(titled)
        # A report puts each group's sums on its title's row ("I" | "Thôn Nà Pàn" | | 7):
        # a title still, read without them. Tried on the few rows whose first text could
        # begin a title.
        if (
            key
            and (section or len(key) < 6 or _MAY_TITLE.match(key))
            and (bare := _without_sums(cells, first_text))
            and (titled := self._title(number, bare, first_text, key, section))
        ):
            return self._titles(titled)
        if key[:2] in ("da", "ds") and _LIST_TITLE.match(key) and len(_filled(cells)) == 1:
            # Typed in the name column or another, not merged over the row from the first:
            # the title of a list pasted below all the same, not a household of that name.
            column = _filled(cells)[0]
            return ParsedRow(
                number,
                RowKind.unfilled,
                said=self._words_alone(first_text, column),
                title=v.text(first_text),
            )
        if (
            len(key.split()) >= _SENTENCE_WORDS or first_text.lstrip().startswith("(")
        ) and len(_filled(cells)) == 1:
            # A sentence or a bracketed line alone on its row, where no title was found:
            # "Các hộ trên đã được thôn họp bình xét công khai", "(Danh sách có 2 hộ)".
            # No one's name runs to seven words.
            return ParsedRow(number, RowKind.footer, said=_NOTE_SAID)
        row = self._data(number, cells)
        # With no STT column, a row of "nt" under blank cells is empty once read: not this.
        if "head_name" not in row.values and self._numbering and _filled(cells) == self._numbering:
            said = cells[self._numbering[0]]
            if isinstance(said, str) and _LETTERS.search(said):
                # No number but words: a title, as of a second list pasted below the first.
                return ParsedRow(
                    number, RowKind.unfilled, said=self._words_alone(said), title=v.text(said)
                )
            return ParsedRow(number, RowKind.unfilled)
        if self._unread:
            return ParsedRow(number, RowKind.unread, said=self._unread)
        if self._relation:
            return self._member(row)
        return row

    def _titles(self, row: ParsedRow) -> ParsedRow:
        """A group's title, remembered for the "nt" of the household under it."""
        if row.section:
            self._titled |= _HAMLET_FIELDS
        if row.categories:
            self._titled |= _CATEGORY_FIELDS
        return row

    def _title(
        self,
        number: int,
        cells: list[object],
        first_text: str,
        key: str,
        section: re.Match[str] | None,
    ) -> ParsedRow | None:
        """A group's title: its hamlet or its categories, or None for another row."""
        # A group title such as "II. Thôn Nà Pàn", alone on its row and outside the name
        # column (a head of household may well be called Bàn Văn Sử), or in it when its
        # marks say a place ("Thôn Nà Pàn", "Bản Khau Bon"): a clerk whose STT column is
        # narrow types the title there.
        if section and len(filled := _filled(cells)) == 1:
            title = v.text(first_text)[section.start(1) :]
            if filled[0] != self._name_column or _MARKED_PLACE.match(title.lower()):
                return _hamlet_title(number, title)
        if len(key) < 6 and _GROUP_NUMBER.fullmatch(key) and (title := _numbered_title(cells)):
            return _hamlet_title(number, title)
        # A title holds two cells at most: counted first, at C speed, for every row.
        if len(cells) - cells.count("") <= 2:
            if (section or _ARABIC_NUMBER.fullmatch(key)) and (title := _arabic_title(cells)):
                return _hamlet_title(number, title)
            if _MAY_TITLE.match(key) and (named := _category_title(cells)):
                # "Hộ nghèo bản Khau Bon": the hamlet of the rows below too.
                title = v.text(cells[_filled(cells)[-1]])
                place = _MARKED_PLACE.search(title.lower())
                hamlet = title[place.start() :] if place else ""
                return ParsedRow(number, RowKind.section, categories=named, section=hamlet)
            if _ROMAN_NUMBER.fullmatch(key) and (title := _roman_title(cells)):
                if not _NOT_A_PLACE.match(title.lower()):
                    return _hamlet_title(number, title)
                # A group of no category nhao knows: its own, not the category above.
                return ParsedRow(number, RowKind.section, said=title)
        return None

    def _repeats_header(self, cells: list[object]) -> bool:
        """Whether a row is the header again: its name cell says what a name header says,
        no cell holds a number or a date, and most filled mapped cells (two at least) are
        the header of their column, as written or as the rules read it."""
        column = self._name_column
        name = cells[column] if 0 <= column < len(cells) else None
        if not isinstance(name, str) or not name.strip():
            return False
        # Through the cache: on a household's row the name was folded already (parse).
        folded = cached_fold(name)
        # "Thông tin chủ hộ", the top of a header of two rows, is its column's header as
        # written: known so, as an odd one ("Người đại diện") is.
        if not _names_header(folded) and (
            _NOT_WORD.sub(" ", folded).strip() not in self._header_keys[column]
        ):
            return False
        if any(c.__class__ in (int, float, date, datetime) for c in cells):
            return False
        filled = agree = 0
        for index, name_of_field in self.layout.mapping.items():
            cell = cells[index] if index < len(cells) else None
            if not isinstance(cell, str) or not cell.strip():
                continue
            filled += 1
            if header_key(cell) in self._header_keys[index] or match_header(cell) == (
                name_of_field
            ):
                agree += 1
        return agree >= 2 and 2 * agree > filled

    def _other_header(self, number: int, cells: list[object]) -> Layout | None:
        """The layout of a row that is a header, as the first header was found
        (headers.detect_layout), and not the one the rows are read by: a list pasted
        below with its columns in another order. Its name cell says what a name header
        says; no cell holds a number ("Lò Văn Tên" | "Thôn Nà Pàn" | "Diện hộ nghèo" is
        a household, with a header's words)."""
        # Tried on the few rows with no number in them, at C speed for the rest: a
        # household's row has its STT, year or ID, as a number or, in a CSV file, figures.
        if _holds_a_number(cells):
            return None
        self._numberless = number  # such a row may top a header of two rows (read)
        if not any(isinstance(c, str) and self._names_head(c) for c in cells):
            return self._header_by_its_other_columns(number, cells)
        # Where the rows above have their name, a header has a header ("Thôn/xóm"), a
        # household its head's name, which no header rule knows: "Lò Thị Bé" beside a
        # note "Chủ hộ đi làm ăn xa" is no header.
        column = self._name_column
        name = cells[column] if 0 <= column < len(cells) else ""
        if not v.is_empty(name) and match_header(name, self._saved) is None:
            return None
        found = detect_layout([(number, cells)], saved=self._saved)
        if found is None:
            return None
        names = [i for i, name in found.mapping.items() if name == "head_name"]
        if not names or not self._names_head(cells[names[0]]):
            return None
        return found

    def _header_by_its_other_columns(self, number: int, cells: list[object]) -> Layout | None:
        """The header of a list pasted below whose name's header is in words no rule knows
        for one ("Người đại diện", "Tên người đại diện hộ"), known by its other headers:
        the row number's ("STT") and the year's or the ID's, words no household's row
        holds there (its STT, year and ID are figures), every other cell a header the
        rules know. The columns the name may be in are Layout.name_unknown, the rows
        below tell which (_sample_below)."""
        # Looked for first, through the fold's cache: a list whose households have no
        # number (no STT, year nor ID) brings every row here.
        if not any(
            isinstance(c, str)
            and len(c) <= 10  # "Số thứ tự." at most
            and c.lstrip()[:1] in _ROW_NUMBER_FIRST
            and ROW_NUMBER_HEADER.match(_NOT_WORD.sub(" ", cached_fold(c)).strip())
            for c in cells
        ):
            return None
        unknown: list[int] = []
        known: set[str] = set()
        for index, cell in enumerate(cells):
            if v.is_empty(cell):
                continue
            if not isinstance(cell, str):
                return None
            found = match_header(cell, self._saved)
            if found is None or found == "head_name":  # "Tên …", a name's by "tên" alone
                unknown.append(index)
            else:
                known.add(found)
        if not unknown or "row_no" not in known or not known & _FIGURES:
            return None
        unnamed = {header_key(cells[index]): IGNORED for index in unknown}
        layout = detect_layout(
            [(number, cells)], saved={**self._saved, **unnamed}, header_row=number
        )
        if layout is None or len(set(layout.mapping.values()) - {"row_no"}) < 2:
            return None
        return replace(layout, name_unknown=tuple(unknown))

    def _names_head(self, cell: object) -> bool:
        """Whether a cell is a name column's header: as the rules say one, or spelt as a
        person said one was."""
        if not isinstance(cell, str) or not cell.strip():
            return False
        folded = cached_fold(cell)
        return _names_header(folded) or (
            _NOT_WORD.sub(" ", folded).strip() in self._saved_names  # as header_key has it
        )

    def _nameless(self, cells: list[object]) -> bool:
        """Whether the name column holds no name (no letter first): the "(1) (2) (3)" row
        copied at a page's top has a figure there, a household's row its head's name."""
        column = self._name_column
        cell = cells[column] if 0 <= column < len(cells) else ""
        return not (isinstance(cell, str) and cell.lstrip()[:1].isalpha())

    def _header_words_only(self, cells: list[object]) -> bool:
        """Whether every filled mapped cell of a row is a part of its column's header."""
        said = False
        for index in self.layout.mapping:
            cell = cells[index] if index < len(cells) else ""
            if v.is_empty(cell):
                continue
            if not isinstance(cell, str) or header_key(cell) not in self._header_keys[index]:
                return False
            said = True
        return said

    def _words_alone(self, said: str, column: int | None = None) -> str:
        column = self._numbering[0] if column is None else column
        return (
            f"Dòng chỉ có “{v.shown(v.text(said))}” ở {self._label(column)}, "
            "không ghi hộ nào (tiêu đề giữa danh sách?): bỏ qua."
        )

    @staticmethod
    def _total(text: str, key: str) -> str | None:
        """The folded words of a totals line ("Tổng cộng", "Cộng thôn A"), or None."""
        if key.startswith(("tong", "cong")) and (
            _TOTALS.match(key) or _TOTAL_WORD.match(v.text(text).lower())
        ):
            return key
        if _PAGE_TOTAL.match(key) and (
            text.isascii() or _PAGE_TOTAL_MARKED.match(v.text(text).lower())
        ):
            return key
        return None

    def _name_text(self, cells: list[object], first_text: str) -> str:
        """The name column's text when another text stands before it, else ""."""
        column = self._name_column
        text = cells[column] if 0 <= column < len(cells) else None
        if not isinstance(text, str) or text == first_text or not text.strip():
            return ""
        return text

    def _looks_like_household(self, cells: list[object]) -> bool:
        """A row below the list's end with a name of two words or more in the name column
        and a number beside it (its STT, year or ID): the signers' names under their
        titles have none. Such a row is not imported, as it may be another list (the
        households taken off, say), but it is said: a signature block after each hamlet
        would otherwise hide the hamlets below it among the footer's lines."""
        column = self._name_column
        if not 0 <= column < len(cells):
            return False
        name = cells[column]
        if not isinstance(name, str) or len(name.split()) < 2 or any(c.isdigit() for c in name):
            return False
        mapped = [
            index
            for index in [*self._numbering, *(index for index, _, _ in self._plan)]
            if index != column and index < len(cells)
        ]
        numbers = [
            i
            for i in mapped
            if isinstance(cells[i], int | float) or str(cells[i]).strip().isdigit()
        ]
        return bool(numbers) and len([i for i in mapped if not v.is_empty(cells[i])]) >= 2

    def _after_end(self) -> str:
        return (
            f"Dòng có vẻ là một hộ nhưng nằm dưới phần cuối bảng (dòng {self._end_row}): bỏ "
            "qua. Nếu dòng này vẫn thuộc danh sách, hãy xóa phần tổng cộng, ký tên ở giữa "
            "danh sách rồi nhập lại."
        )

    def _member(self, row: ParsedRow) -> ParsedRow:
        """A family member's row of a list that writes each member on a row: skipped. An
        empty relation cell is the head's, as most lists leave it blank for the head."""
        relation = str(row.values.pop("relation", "") or "")
        # "Chủ hộ.", "Chủ hộ (nữ)", "-": the head still; a head skipped is a household lost.
        said = _words(cached_fold(relation))
        uncle = _words(relation.lower()).split(" ", 1)[0] == "chú"  # folds to "chu", as "Chủ"
        if not uncle and (not said or said in _HEAD or said.startswith("chu ho ")):
            return row
        if said.split(" ", 1)[0] not in _MEMBER:
            row.errors.append(
                f"{self._relation}: không rõ “{v.shown(relation)}” là chủ hộ hay người trong "
                "hộ; ghi “Chủ hộ” ở dòng của chủ hộ, quan hệ (Vợ, Con…) ở dòng người trong hộ."
            )
            return row
        said = f"{self._relation}: “{v.shown(relation)}” là người trong hộ, không phải chủ hộ"
        return ParsedRow(row.row, RowKind.member, said=said + ": bỏ qua.")

    def _data(self, number: int, cells: list[object]) -> ParsedRow:
        # Run for every cell of every row: each cell is looked up in its column's memo,
        # and only a cell not seen before is converted.
        row = ParsedRow(number, _DATA)
        values = row.values
        if len(cells) < self._width:
            cells = cells + [""] * (self._width - len(cells))
        for index, remembered, column in self._plan:
            raw = cells[index]
            key = raw if raw.__class__ in _SELF_KEYED else _key(raw)  # _key, mostly inlined
            try:
                found = remembered(key)
            except TypeError:  # an unhashable cell: never from calamine or csv
                found = key = None
            if found is None:
                found = column.convert(raw, key)
            if found.__class__ is tuple:  # most cells: a field and its value
                values[found[0]] = found[1]  # type: ignore[index]
            elif found is _DITTO:
                self._take_above(row, cells, index, column)
            elif found is not _NOTHING:
                found.apply(row)  # type: ignore[union-attr]
        if self._id_fallback is not None and "citizen_id" not in values:
            self._take_fallback(row, cells)
        if "middle_name" in values:  # "Họ" | "Đệm" | "Tên": the family name alone first
            family = f"{values.get('head_name') or ''} {values.pop('middle_name') or ''}"
            values["head_name"] = " ".join(family.split())
        if "given_name" in values:  # the given name written in a column of its own
            values["head_name"] = _joined(
                str(values.get("head_name") or ""), str(values.pop("given_name")),
                self._full_names,
            )
        self._above = cells
        self._titled = _NO_FIELDS
        return row

    def _take_fallback(self, row: ParsedRow, cells: list[object]) -> None:
        """The old card's number (Layout.id_fallback) of a row without the new one's."""
        column = self._id_fallback
        assert column is not None
        raw = cells[column.index] if column.index < len(cells) else ""
        new = cells[self._id_main] if self._id_main < len(cells) else ""
        if v.is_empty(raw) or not (v.is_empty(new) or v.says_none(new)):
            return  # nothing there, or the new card's number is there but wrong: said so
        key = _key(raw)
        found = column.memo.get(key) or column.convert(raw, key)
        row.id_column = column.index
        if found.__class__ is tuple:
            row.values[found[0]] = found[1]  # type: ignore[index]
        elif found is not _NOTHING and found is not _DITTO:
            found.apply(row)  # type: ignore[union-attr]

    def _take_above(self, row: ParsedRow, cells: list[object], index: int, column: _Column) -> None:
        """A "nt" (như trên) cell: the same column of the household above, as read there
        (itself maybe "nt" in the file), which the row below may take in turn. Under a
        group's title that gives the field, it is the title's (left empty, the title
        gives it): the household above is of another group."""
        if column.name in self._titled:
            cells[index] = ""  # and so for the rows below that say "nt" in turn
            return
        above = self._above
        if above is None:
            said = v.shown(v.text(cells[index]))
            row.errors.append(
                f"{column.label}: “{said}” (như trên) nhưng không có hộ nào ở trên; hãy ghi rõ."
            )
            return
        raw = cells[index] = above[index]
        key = _key(raw)
        found = column.memo.get(key) or column.convert(raw, key)
        if found.__class__ is tuple:
            row.values[found[0]] = found[1]  # type: ignore[index]
        elif found is not _NOTHING:
            found.apply(row)  # type: ignore[union-attr]
