"""Hamlets by name: "Thôn Nà Pàn", "thon na pan" and "Nà Pàn" are one hamlet of a commune
unless it has two of those names. Shared by the imported lists, the setup of a hamlet's
laptop and the merge of its bundles at the commune."""

from __future__ import annotations

import re
from collections.abc import Iterable

from nhao.domain.text import fold, natural_key, nfc

# The word before a hamlet's name that says what kind of place it is: thôn, xóm, bản,
# ấp, tổ (dân phố), khu (phố), khóm, làng; buôn, bon, plei in the Central Highlands,
# sóc, phum in the Khmer south. Folded, longest first.
_HAMLET_WORD = re.compile(
    r"^(thon|xom|ban|ap|to dan pho|khu pho|khu|khom|lang|to|buon|bon|plei|soc|phum)\s+"
)


# A hamlet known by its number ("Xóm 3", "Tổ 12", "Ấp 5A", "Thôn IV"): the word before it
# is what tells "Xóm 3" from "Tổ 3", which a merged commune can both have. The word may be
# written short or joined to the number ("T.2", "Th.2", "Thôn2", "TDP 5", "KP3"), with or
# without "số" ("Tổ dân phố số 5"). Folded.
_NUMBERED = re.compile(
    r"(thon|xom|ban|ap|to dan pho|khu pho|khu|khom|lang|to|buon|bon|plei|soc|phum"
    r"|th|t|x|tdp|to dp|kp)(\s*\.\s*|\s*)(?:so\s*)?([0-9]+[a-z]?|[ivx]+)"
)
# The kinds of place a short word may say: "T.2" is "Thôn 2" or "Tổ 2", whichever the
# commune has; "Tổ 3" is the ward's "Tổ dân phố 3".
_SHORT_KINDS = {
    "th": ("thon",),
    "t": ("thon", "to"),
    "x": ("xom",),
    "tdp": ("to",),
    "to dp": ("to",),
    "to dan pho": ("to",),
    "kp": ("khu",),
    "khu pho": ("khu",),
}
# Roman numerals up to 39, as lists number hamlets ("Thôn IV", "Xóm XII"). Folded, they
# are names too ("Bản Vì" is "ban vi"): read as a number only in capitals, apart from
# the word before it.
_ROMAN = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
# The word before a commune's name: "Xã Bình Gia" is "Bình Gia". Folded.
_COMMUNE_WORD = re.compile(r"^(xa|phuong|thi tran|dac khu)\s+")
# Where an address's parts end: "Nà Pàn - Bình Gia - Lạng Sơn", "Cốc Lùng/Bình Gia".
_ADDRESS_PARTS = re.compile(r"\s*[,;/]\s*|\s+[-–—]\s+")


def _numbered(name: str) -> tuple[tuple[str, ...], str, bool] | None:
    """The kinds of place and the number of a name such as "Xóm 3", "TDP 5" or "Thôn IV"
    (("xom",), "3"), and whether the number is a Roman numeral; else None."""
    found = _NUMBERED.fullmatch(fold(name))
    if found is None:
        return None
    word, apart, number = found.groups()
    if number.isalpha():  # "Thôn IV": a name, unless in capitals and apart ("Bản Vi")
        if not apart or not _ROMAN.fullmatch(number) or not name.strip().endswith(number.upper()):
            return None
        values = [_ROMAN_VALUES[c] for c in number]
        # A numeral before a greater one is taken away from it: "iv" is 4.
        after = [*values[1:], 0]
        total = sum(-v if v < next_ else v for v, next_ in zip(values, after, strict=True))
        return _SHORT_KINDS.get(word, (word,)), str(total), True
    # "Thôn 01" is "Thôn 1": a list pads the numbers to keep its hamlets in order.
    return _SHORT_KINDS.get(word, (word,)), number.lstrip("0") or "0", False


def hamlet_keys(name: str) -> list[str]:
    """"Thôn Nà Pàn" is found as "thon na pan" and as "na pan"."""
    key = fold(name)
    bare = _HAMLET_WORD.sub("", key)
    return [key, bare] if bare and bare != key else [key]


# The word before a hamlet's name in a list's title, with its marks, and the colon of a
# form's line filled in ("Thôn: Nà Pàn"): "Lạng Sơn" and "Ban chỉ đạo" name no hamlet.
# Lower case NFC text; a title typed without marks, folded.
_TITLE_PLACE = re.compile(
    r"(?<!\w)(thôn|xóm|bản|ấp|tổ dân phố|khu phố|khu|khóm|làng|tổ|buôn|bon|plei|sóc|phum)"
    r"(?:\s*:\s*|\s+)(?=\w)"
)
_TITLE_PLACE_FOLDED = re.compile(
    r"(?<![a-z])(thon|xom|ban|ap|to dan pho|khu pho|khu|khom|lang|to|buon|bon|plei|soc|phum)"
    r"(?:\s*:\s*|\s+)(?=\w)"
)
# After "tổ", the words of a group of people, not of a place: "TỔ TRƯỞNG" (its head),
# "TỔ PHÓ", "TỔ CÔNG TÁC", "TỔ TK&VV" (a savings and loans group), "TỔ CHỨC". In capitals
# they read as a place's name does. Folded.
_TEAM_WORDS = re.compile(r"(?:truong|pho|cong tac|tiet kiem|tk|vay von|chuc)(?![a-z])")
# What may follow a hamlet's name in a title: nothing, punctuation, the year, the commune
# or the district. "Thôn Nà Pàn 2", "Thôn Nà Pàn Trên" and "Thôn Nà Pàn và Khuổi Hẩu"
# name some other place, or two; so does "Thôn Nà Pàn Nam", folded as "năm" is, which
# is the year only with its figures. Folded.
_TITLE_NAME_ENDS = re.compile(
    r"\s*(?:$|[,;:()/.]|[-–—]\s)|\s+nam\s+\d|\s+(?:xa|phuong|thi tran|thi xa|huyen|quan|tinh"
    r"|thanh pho|tp|giai doan|dot)(?![a-z0-9])"
)
# A number after a place's word in a title or an address: "THÔN II", "thôn số 02".
_NUMBER_AFTER = re.compile(r"(?:số\s*|so\s*)?([0-9]+[a-z]?|[ivx]+)(?![a-z0-9])")
# Before a name that is the commune's or the district's, not a hamlet's: "xã Bình Gia"
# beside "Thôn Bình Gia". Folded, as lookbehinds (each of one length).
_ADMIN_BEFORE = "".join(
    f"(?<!{word} )" for word in ("xa", "phuong", "thi tran", "huyen", "quan", "tinh", "tp")
)


class HamletIndex:
    """The commune's hamlets by folded name. A hamlet's own full name is looked up
    first, so "Nà Pàn" and "Thôn Nà Pàn" stay two hamlets when a commune has both; the
    name without "Thôn" finds a hamlet only when no other hamlet shares it.

    A hamlet the import creates is added like the others, so the rows further down find
    it the same way: a list that writes "Nà Pàn" on some rows and "Thôn Nà Pàn" on
    others makes one hamlet, as it would have found one the commune had. (A commune
    whose "Nà Pàn" and "Thôn Nà Pàn" are two hamlets adds both before importing.)"""

    def __init__(self, hamlets: Iterable[tuple[str, str]]):  # (code, name)
        self.names: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._by_bare: dict[str, str | None] = {}  # None: two hamlets share it
        self._by_number: dict[tuple[str, str], str | None] = {}  # (kind, number); None: two
        self._memo: dict[str, str] = {}  # as written in the file → code
        self._words: set[str] = set()  # the names of hamlets not numbered ("vi" of "Bản Vi")
        for code, name in hamlets:
            self.add(code, name)

    def add(self, code: str, name: str) -> None:
        self.names[code] = name
        exact, *others = hamlet_keys(name)
        self._by_name[exact] = code
        for key in others:
            self._by_bare[key] = code if self._by_bare.get(key, code) == code else None
        if (numbered := _numbered(name)) is None:
            self._words.update(others or [exact])
            return
        kinds, number, _ = numbered
        for kind in kinds:
            same = self._by_number.get((kind, number), code) == code
            self._by_number[kind, number] = code if same else None

    def find(self, name: str) -> str | None:
        if name in self._memo:
            return self._memo[name]
        keys = hamlet_keys(name)
        code = next((c for key in keys if (c := self._by_name.get(key))), None)
        numbered = _numbered(name)
        if numbered is not None and numbered[2] and any(key in self._words for key in keys):
            numbered = None  # "Thôn VI" where the commune has "Bản Vi": that name
        if code is None and numbered is not None:
            # "Tổ 3" does not find "Xóm 3", but finds the ward's "Tổ dân phố 3"; "T.3"
            # finds "Thôn 3" or "Tổ 3", not either when the commune has both.
            kinds, number, _ = numbered
            numbers = self._by_number
            found = {numbers[kind, number] for kind in kinds if (kind, number) in numbers}
            code = found.pop() if len(found) == 1 else None
        elif code is None:  # "3" alone finds the one hamlet numbered 3
            code = next((c for key in keys if (c := self._by_bare.get(key))), None)
        if code is not None:
            self._memo[name] = code
        return code

    def named_in(self, lines: Iterable[str]) -> str | None:
        """The one hamlet a list's title lines name ("DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN",
        "Thôn Nà Pàn, xã Bình Gia"), or None: none named, two, or a place this index does
        not have ("các thôn trong xã", "Thôn Nà Pàn 2" where only Nà Pàn is known)."""
        named, keys, folded_lines = self._places_named(lines)
        if len(named) != 1 or None in named:
            return None
        # Another hamlet written without its "Thôn" ("Thôn Nà Pàn, Khuổi Hẩu"): two. A
        # name of one word is not looked for: "Bản Chu" is "chu", and so is "chủ hộ".
        for name_key, code in [*self._by_name.items(), *self._by_bare.items()]:
            if code in named or " " not in name_key or any(name_key in k for k in keys):
                continue
            pattern = re.compile(rf"(?<![a-z0-9]){_ADMIN_BEFORE}{re.escape(name_key)}(?![a-z0-9])")
            if any(pattern.search(line) for line in folded_lines):
                return None
        return named.pop()

    def names_a_place(self, lines: Iterable[str]) -> bool:
        """Whether the lines name a place as a title names its hamlet: "Thôn Nà Pàn", and
        "Thôn Nà Lèng" that this index does not have; not "các thôn", "Tổ 3"."""
        return bool(self._places_named(lines)[0])

    def _places_named(self, lines: Iterable[str]) -> tuple[set[str | None], set[str], list[str]]:
        """The hamlets the lines name after a place's word (None for a place named as a
        name is but not one of these), the names matched, and the lines folded."""
        named: set[str | None] = set()
        keys: set[str] = set()  # the names matched, as the other hamlets are looked for
        folded_lines = []
        for line in lines:
            written = nfc(line)
            lowered = written.lower()
            places = _TITLE_PLACE_FOLDED if lowered.isascii() else _TITLE_PLACE
            named_to = 0  # where the last name found ends: "Thôn Pác Làng" holds "làng"
            for place in places.finditer(lowered):
                if place.start() < named_to:
                    continue
                word, rest = fold(place.group(1)), fold(lowered[place.end() :])
                key, length = self._named_after(word, rest)
                if key:
                    named.add(self._by_name.get(key) or self._by_bare.get(key))
                    keys.add(key)
                    named_to = place.end() + length  # folded NFC: a letter for a letter
                elif numbered := self._number_after(written, place.start(), place.end()):
                    code, named_to = numbered  # "THÔN II" names "Thôn 2"
                    named.add(code)
                    keys.add(fold(self.names[code]))
                elif written[place.end() : place.end() + 1].isupper() and not (
                    word == "to" and _TEAM_WORDS.match(rest)
                ):
                    named.add(None)  # a place named as a name is, not one of these
            folded_lines.append(fold(lowered))
        return named, keys, folded_lines

    def _number_after(self, written: str, start: int, end: int) -> tuple[str, int] | None:
        """The numbered hamlet a place's word at ``start`` names by the number after it
        (at ``end``), when nothing after the number goes on the name, and where the number
        ends; else None."""
        number = _NUMBER_AFTER.match(written.lower(), end)
        rest = fold(written[end:])  # folded NFC: a letter for a letter
        if number is None or not _TITLE_NAME_ENDS.match(rest, number.end() - end):
            return None
        said = written[start : number.end()]
        code = self.find(said) if _numbered(said) is not None else None
        return (code, number.end()) if code else None

    def _named_after(self, word: str, rest: str) -> tuple[str, int]:
        """The longest known hamlet name ``rest`` begins with (folded; ``word`` the place
        word before it), when nothing after it goes on the name, and its length there;
        else ("", 0)."""
        found, length = "", 0
        for key in (*self._by_name, *(k for k, code in self._by_bare.items() if code)):
            bare = key.removeprefix(word + " ")
            if (
                len(bare) > length
                and rest.startswith(bare)
                and _TITLE_NAME_ENDS.match(rest, len(bare))
            ):
                found, length = key, len(bare)
        return found, length

    def in_address(self, address: str, commune: str = "") -> str | None:
        """The hamlet an address names: "Thôn Nà Pàn, xã Bình Gia", "Số 12, thôn Nà Pàn",
        "Nà Pàn - Bình Gia", "Khu 3, Nà Pàn", "số nhà 12 Cốc Lùng", "Nà Pàn"; None when it
        names none of these, or two ("Nà Pàn - Cốc Lùng"). The ``commune``'s own name
        ("Xã Bình Gia") names the commune, not a hamlet of its name: "Bình Gia, Lạng
        Sơn" names none, "Thôn Bình Gia" names that hamlet."""
        if self.names_a_place([address]):  # said with its place's word: that decides
            return self.named_in([address])
        commune_key = _COMMUNE_WORD.sub("", fold(commune)) if commune else None
        found = {
            code
            for part in _ADDRESS_PARTS.split(address.strip())
            if part and fold(part) != commune_key and (code := self._in_address_part(part))
        }
        return found.pop() if len(found) == 1 else None

    def _in_address_part(self, part: str) -> str | None:
        """The hamlet one part of an address names: the whole part, or its last words
        ("Đội 5 Nà Pàn"), a name of two words or more as titles are read."""
        if (code := self.find(part)) is not None:
            return code
        folded = fold(part)
        ending = [
            code
            for key, code in [*self._by_name.items(), *self._by_bare.items()]
            if code and " " in key and folded.endswith(" " + key)
        ]
        return ending[0] if len(set(ending)) == 1 else None

    def known(self) -> str:
        return ", ".join(sorted(self.names.values(), key=natural_key)) or "chưa có thôn nào"
