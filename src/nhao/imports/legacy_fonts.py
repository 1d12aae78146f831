"""Lists typed in the old Vietnamese font encodings, TCVN3 (ABC: .VnTime, .VnArial…)
and VNI Windows (VNI-Times…), turned into Unicode.

Many communes' files were begun before Unicode fonts were usual and are still kept in
them: Excel stores each letter as the Western character at the same code, and only
the font makes "NguyÔn V¨n" (TCVN3) or "Nguyeãn Vaên" (VNI) show as "Nguyễn Văn". Read
as they are stored, the header row is not found and every name would be imported
garbled. Which encoding a sheet's columns are in is judged from their text: a cell
that is not Vietnamese as stored and is Vietnamese once converted votes for that
encoding (Tally); each column is judged on its own where it says enough (SheetFonts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class LegacyCode(StrEnum):
    tcvn3 = "tcvn3"
    vni = "vni"

    @property
    def title(self) -> str:
        return {LegacyCode.tcvn3: "TCVN3 (ABC)", LegacyCode.vni: "VNI Windows"}[self]

    @property
    def fonts(self) -> str:
        return {LegacyCode.tcvn3: ".VnTime, .VnArial", LegacyCode.vni: "VNI-Times"}[self]

    @property
    def label_vi(self) -> str:
        return f"{self.title}, phông {self.fonts}…"


# TCVN 5712 (VN3 and the uppercase VN1 adds) for the codes 0xA1..0xFF, one letter each;
# 0xB0..0xB4 are the tone marks alone.
_TCVN3_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉ"
    "ỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
_TCVN3 = {0xA1 + i: letter for i, letter in enumerate(_TCVN3_HIGH)}

# VNI writes a vowel's marks as a second character after it: one for each tone, for
# the circumflex and the breve, and one for each pair of them. Lower- and uppercase
# marks are both found after either case of letter.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
_VNI_MARKS = {
    "ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRCUMFLEX, "à": _CIRCUMFLEX + _GRAVE, "á": _CIRCUMFLEX + _ACUTE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    "ê": _BREVE, "è": _BREVE + _GRAVE, "é": _BREVE + _ACUTE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
# …and a few letters whole: đ, ơ, ư and the i and y that take no second character.
_VNI_LETTERS = {
    "ñ": "đ", "ô": "ơ", "ö": "ư", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
    "î": "ỵ",
}  # fmt: skip
_VNI = {
    **{ord(k): v for k, v in _VNI_MARKS.items()},
    **{ord(k.upper()): v for k, v in _VNI_MARKS.items()},
    **{ord(k): v for k, v in _VNI_LETTERS.items()},
    **{ord(k.upper()): v.upper() for k, v in _VNI_LETTERS.items()},
}

_TABLES = {LegacyCode.tcvn3: _TCVN3, LegacyCode.vni: _VNI}

# What only Unicode Vietnamese holds: a legacy font's text never has these.
_UNICODE_VIETNAMESE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u0300-\u036f\u1ea0-\u1ef9]")
# A character Unicode Vietnamese has no letter for: the cell is not Unicode Vietnamese.
_NOT_VIETNAMESE_LETTER = re.compile(
    "[^\x00-\x7fÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư\u0300-\u036f\u1ea0-\u1ef9]"
)
_WORD_BREAK = re.compile(r"[\s!-/:-@\[-`{-~]+")  # blanks and ASCII punctuation
_NON_BLANK = re.compile(r"\S+")
# A word with two capitals: one of capitals? ("§éI" is "ĐỘI" in .VnTimeH)
_TWO_CAPITALS = re.compile(r"[A-ZĂÂÊÔƠƯĐ]\S*[A-ZĂÂÊÔƠƯĐ]")
_ASCII_LOWERCASE = re.compile("[a-z]")
_TONES = {_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT}
# A syllable without its tone: initial consonant, then a vowel group ending in a glide
# (no final consonant after it) or one that may take a final consonant.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:(?:iêu|yêu|oai|oao|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu"
    r"|oi|ôi|ơi|ua|ui|ưa|ưi|ưu|uơ)"
    r"|(?:uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uê|uy|[aăâeêioôơuưy])(?:ch|ng|nh|[cmnpt])?)"
)
SAMPLE_ROWS = 200  # rows a sheet is judged on
_MEMO_LIMIT = 10_000
_VOTES_NEEDED = 3
_UNICODE_COLUMN_CELLS = 5  # cells beyond ASCII, none garbled, that make a column Unicode
_PLAIN_NEEDED = 3  # …different ones, when none has a letter only Unicode has
_PLAIN_KEPT = 50


def convert(text: str, code: LegacyCode) -> str:
    """The text as the legacy font shows it, in Unicode (NFC). A word of capitals with
    a converted letter is in capitals: fonts such as .VnTimeH draw the lowercase codes
    as capitals, since TCVN3 has no capital letters with tone marks, and VNI is typed
    with lowercase codes after capitals too ("THò"). So is a cell holding such a word
    and no lowercase ASCII letter: "Hµ THÞ BÐ" is "HÀ THỊ BÉ"."""
    converted = unicodedata.normalize("NFC", text.translate(_TABLES[code]))
    if _TWO_CAPITALS.search(converted):
        words = _NON_BLANK.findall(converted)
        if any(_of_capitals(word) for word in words):
            if not _ASCII_LOWERCASE.search(converted):
                return converted.upper()
            converted = _NON_BLANK.sub(_capitals, converted)
    return converted


def _of_capitals(word: str) -> bool:
    """Two capitals, no lowercase ASCII letter and a lowercase converted one."""
    return (
        sum(c.isupper() for c in word) >= 2
        and not _ASCII_LOWERCASE.search(word)
        and any(c.islower() for c in word)
    )


def _capitals(match: re.Match[str]) -> str:
    word = match.group()
    return word.upper() if _of_capitals(word) else word


def is_vietnamese(text: str) -> bool:
    """Every word holding a letter beyond ASCII is a Vietnamese syllable, written in
    lowercase, capitals, or with a capital first ("NguyÔn" is not)."""
    return all(_is_vietnamese_word(word) for word in _non_ascii_words(text))


def _vietnamese_words(text: str) -> int:
    return sum(_is_vietnamese_word(word) for word in _non_ascii_words(text))


def _non_ascii_words(text: str) -> list[str]:
    words = _WORD_BREAK.split(unicodedata.normalize("NFC", text))
    return [word for word in words if word and not word.isascii()]


def _is_vietnamese_word(word: str) -> bool:
    if not word.isupper() and any(c.isupper() for c in word[1:]):
        return False
    if any(unicodedata.combining(c) for c in word):  # a mark on no vowel
        return False
    return _is_syllable(word.lower())


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word)
    if sum(c in _TONES for c in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(bare) is not None


@dataclass
class Tally:
    """What a sheet's (or a column's) text says about its encoding."""

    votes: dict[LegacyCode, int] = field(default_factory=lambda: dict.fromkeys(LegacyCode, 0))
    # Cells converted to more Vietnamese words, not all: names of the Ê Đê or the Gia
    # Rai ("Y Bhiªr Niª": "Y Bhiêr Niê") are not Vietnamese syllables either way.
    near: dict[LegacyCode, int] = field(default_factory=lambda: dict.fromkeys(LegacyCode, 0))
    unicode_cells: int = 0  # Unicode Vietnamese: "Hồ", no legacy text holds "ồ"
    garbled_cells: int = 0  # not Vietnamese as stored
    plain_cells: int = 0  # Vietnamese as stored, either way: "Hà"
    plain: set[str] = field(default_factory=set)  # (some of) their texts

    def add(self, text: str, as_stored: Callable[[str], str] = str) -> None:
        if text.isascii():
            return
        if is_vietnamese(text):
            # Read as Windows-1258, a legacy cell may hold "Unicode" letters too ("Xãm"
            # as "Xăm"): those that convert to Vietnamese are not counted as Unicode.
            if _UNICODE_VIETNAMESE.search(text) and (
                (stored := as_stored(text)) == text
                or not any(is_vietnamese(convert(stored, code)) for code in LegacyCode)
            ):
                self.unicode_cells += 1
            else:
                self.plain_cells += 1
                if len(self.plain) < _PLAIN_KEPT:
                    self.plain.add(text)
            return
        self.garbled_cells += 1
        stored = as_stored(text)
        before = _vietnamese_words(text)
        for code in LegacyCode:
            converted = convert(stored, code)
            if is_vietnamese(converted):
                self.votes[code] += 1
            elif _vietnamese_words(converted) > before:
                self.near[code] += 1

    def __iadd__(self, other: Tally) -> Tally:
        for code in LegacyCode:
            self.votes[code] += other.votes[code]
            self.near[code] += other.near[code]
        self.unicode_cells += other.unicode_cells
        self.garbled_cells += other.garbled_cells
        self.plain_cells += other.plain_cells
        self.plain |= other.plain
        return self

    def verdict(self) -> LegacyCode | None:
        """Legacy when enough cells vote; more Unicode Vietnamese cells than votes say
        Unicode (a legacy list with a title typed again in Unicode is still legacy), and
        so do cells that are not Vietnamese but mostly do not vote either."""
        votes = self.votes
        best = max(votes, key=lambda code: votes[code])
        other = votes[LegacyCode.vni if best is LegacyCode.tcvn3 else LegacyCode.tcvn3]
        # Nearly every cell of a legacy list that is not Vietnamese as stored is made
        # (more) Vietnamese by converting it; a few votes among cells of foreign words
        # or symbols that no conversion helps ("µm" among "Müller", "façade") are chance.
        if (
            votes[best] >= _VOTES_NEEDED
            and votes[best] > 2 * other
            and votes[best] > self.unicode_cells
            and 2 * (votes[best] + self.near[best]) >= self.garbled_cells
        ):
            return best
        return None

    def unicode_alone(self) -> bool:
        """Text beyond ASCII down the column, every piece Vietnamese as it is: a column
        added later and typed in Unicode ("Nùng", "Tày", "Mông"), which converted would
        read "Nựng". A few such cells say nothing: column A's title lines above a legacy
        table, and its "Céng" (Cộng) below."""
        return (
            self.garbled_cells == 0
            and self.unicode_cells + self.plain_cells >= _UNICODE_COLUMN_CELLS
            and (self.unicode_cells > 0 or len(self.plain) >= _PLAIN_NEEDED)
        )


@dataclass(frozen=True)
class SheetFonts:
    """The encoding of each column of a sheet: the sheet's own where a column says too
    little (a title, a few marks), its own where it says enough: a list begun in .VnTime
    gets columns typed later in Unicode, and a Unicode list gets a column pasted from an
    old one."""

    said: LegacyCode | None  # what to tell the person: the encoding converted from
    default: LegacyCode | None  # for a column not in the first rows
    columns: dict[int, LegacyCode | None]

    def code(self, column: int) -> LegacyCode | None:
        return self.columns.get(column, self.default)


def judge_columns(
    columns: dict[int, list[str]], as_stored: Callable[[str], str] = str
) -> SheetFonts:
    tallies: dict[int, Tally] = {}
    whole = Tally()
    for index, texts in columns.items():
        tally = tallies[index] = Tally()
        for text in texts:
            tally.add(text, as_stored)
        whole += tally
    default = whole.verdict()
    codes: dict[int, LegacyCode | None] = {}
    for index, tally in tallies.items():
        own = tally.verdict()
        codes[index] = own if own is not None else None if tally.unicode_alone() else default
    used = [code for code in codes.values() if code is not None]
    said = max(set(used), key=used.count) if used else None
    return SheetFonts(said, default, codes)


def judge(texts: Iterable[str], as_stored: Callable[[str], str] = str) -> LegacyCode | None:
    """The legacy encoding a body of text is in, or None for Unicode (Tally.verdict).
    as_stored gives a cell's characters as the font codes them, when the file's
    reading changed them (a CSV decoded as Windows-1258)."""
    tally = Tally()
    for text in texts:
        tally.add(text, as_stored)
    return tally.verdict()


def if_garbled(text: str, code: LegacyCode) -> str:
    """A name typed outside the sheet's cells (a sheet's tab, shown in the system's
    Unicode font): converted only when it is not Vietnamese as it is and is converted."""
    if is_vietnamese(text):
        return text
    converted = convert(text, code)
    return converted if is_vietnamese(converted) else text


def _typed_again(text: str, stored: str, converted: str) -> bool:
    """Unicode Vietnamese in a legacy sheet: with letters no legacy text holds ("Hồ"; a
    CSV read as Windows-1258 makes some of the codes such letters, "Xãm" into "Xăm"), or
    with ones it does that do not convert to Vietnamese ("Thôn Nà Pàn")."""
    if _NOT_VIETNAMESE_LETTER.search(text) or not is_vietnamese(text):
        return False
    return (stored == text and _UNICODE_VIETNAMESE.search(text) is not None) or not (
        is_vietnamese(converted)
    )


def converter(code: LegacyCode, as_stored: Callable[[str], str] = str) -> Callable[[str], str]:
    """Turns a cell of a sheet judged to be in code into Unicode; a cell already in
    Unicode Vietnamese (a title typed again) is left as it is."""

    seen: dict[str, str] = {}  # hamlets, ethnicities, marks: the same few down a sheet

    def one(text: str) -> str:
        if text.isascii():
            return text
        if (done := seen.get(text)) is not None:
            return done
        stored = as_stored(text)
        done = convert(stored, code)
        if _typed_again(text, stored, done):
            done = text
        if len(seen) < _MEMO_LIMIT:
            seen[text] = done
        return done

    return one
