"""Matching rows to what the commune already has: hamlets by name, households
that look like the same people (same citizen ID, or same name, birth year and hamlet)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from nhao.domain.text import fold, nfc

from .folding import cached_fold

# The word before a hamlet's name that says what kind of place it is: thôn, xóm, bản,
# ấp, tổ (dân phố), khu (phố), khóm, làng; buôn, bon, plei in the Central Highlands,
# sóc, phum in the Khmer south. Folded, longest first.
_HAMLET_WORD = re.compile(
    r"^(thon|xom|ban|ap|to dan pho|khu pho|khu|khom|lang|to|buon|bon|plei|soc|phum)\s+"
)


# A hamlet known by its number ("Xóm 3", "Tổ 12", "Ấp 5A"): the word before it is
# what tells "Xóm 3" from "Tổ 3", which a merged commune can both have. Roman numerals
# are left out: folded, they are names too ("Bản Vì" is "ban vi").
_NUMBERED = re.compile(r"[0-9]+[a-z]?")
# The same kind of place written short: "Tổ 3" is the ward's "Tổ dân phố 3".
_SAME_KIND = {"to dan pho": "to", "khu pho": "khu"}


def _numbered(name_key: str) -> tuple[str, str] | None:
    """(kind, number) of a folded name such as "xom 3" or "to dan pho 3", else None."""
    word = _HAMLET_WORD.match(name_key)
    if word is None:
        return None
    number = name_key[word.end() :]
    if not _NUMBERED.fullmatch(number):
        return None
    kind = word.group(1)
    return _SAME_KIND.get(kind, kind), number


def hamlet_keys(name: str) -> list[str]:
    """"Thôn Nà Pàn" is found as "thon na pan" and as "na pan"."""
    key = fold(name)
    bare = _HAMLET_WORD.sub("", key)
    return [key, bare] if bare and bare != key else [key]


# The word before a hamlet's name in a list's title, with its marks: "Lạng Sơn" and "Ban
# chỉ đạo" name no hamlet. Lower case NFC text; a title typed without marks, folded.
_TITLE_PLACE = re.compile(
    r"(?<!\w)(thôn|xóm|bản|ấp|tổ dân phố|khu phố|khu|khóm|làng|tổ|buôn|bon|plei|sóc|phum)"
    r"\s+(?=\w)"
)
_TITLE_PLACE_FOLDED = re.compile(
    r"(?<![a-z])(thon|xom|ban|ap|to dan pho|khu pho|khu|khom|lang|to|buon|bon|plei|soc|phum)"
    r"\s+(?=\w)"
)
# What may follow a hamlet's name in a title: nothing, punctuation, the year, the commune
# or the district. "Thôn Nà Pàn 2", "Thôn Nà Pàn Trên" and "Thôn Nà Pàn và Khuổi Hẩu"
# name some other place, or two. Folded.
_TITLE_NAME_ENDS = re.compile(
    r"\s*(?:$|[,;:()/.]|[-–—]\s)|\s+(?:nam|xa|phuong|thi tran|thi xa|huyen|quan|tinh"
    r"|thanh pho|tp|giai doan|dot)(?![a-z0-9])"
)
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
        for code, name in hamlets:
            self.add(code, name)

    def add(self, code: str, name: str) -> None:
        self.names[code] = name
        exact, *others = hamlet_keys(name)
        self._by_name[exact] = code
        for key in others:
            self._by_bare[key] = code if self._by_bare.get(key, code) == code else None
        if (numbered := _numbered(exact)) is not None:
            same = self._by_number.get(numbered, code) == code
            self._by_number[numbered] = code if same else None

    def find(self, name: str) -> str | None:
        if name in self._memo:
            return self._memo[name]
        keys = hamlet_keys(name)
        code = next((c for key in keys if (c := self._by_name.get(key))), None)
        if code is None and (numbered := _numbered(keys[0])) is not None:
            # "Tổ 3" does not find "Xóm 3", but finds the ward's "Tổ dân phố 3".
            code = self._by_number.get(numbered)
        elif code is None:  # "3" alone finds the one hamlet numbered 3
            code = next((c for key in keys if (c := self._by_bare.get(key))), None)
        if code is not None:
            self._memo[name] = code
        return code

    def named_in(self, lines: Iterable[str]) -> str | None:
        """The one hamlet a list's title lines name ("DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN",
        "Thôn Nà Pàn, xã Bình Gia"), or None: none named, two, or a place this index does
        not have ("các thôn trong xã", "Thôn Nà Pàn 2" where only Nà Pàn is known)."""
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
                key, length = self._named_after(fold(place.group(1)), fold(lowered[place.end() :]))
                if key:
                    named.add(self._by_name.get(key) or self._by_bare.get(key))
                    keys.add(key)
                    named_to = place.end() + length  # folded NFC: a letter for a letter
                elif written[place.end() : place.end() + 1].isupper():
                    named.add(None)  # a place named as a name is, not one of these
            folded_lines.append(fold(lowered))
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

    def known(self) -> str:
        return ", ".join(sorted(self.names.values(), key=fold)) or "chưa có thôn nào"


@dataclass(frozen=True, slots=True)
class Match:
    """Another household this row looks like: an earlier row of the file, or one in the
    database. ``target`` is the household id an update would change (None when the
    earlier row was not written, and for a household deleted here: it is not updated)."""

    message: str
    target: str | None
    in_file: bool
    deleted: bool = False


PersonKey = tuple[str, int, str]  # folded name, birth year, hamlet code
PlaceKey = tuple[str, str]  # folded name, hamlet code


def person_key(name: str, birth_year: int | None, hamlet_code: str) -> PersonKey | None:
    if birth_year is None or not name:
        return None
    # Cached: on an import the row reader has just folded the same name (fast_fold).
    return (cached_fold(name), birth_year, hamlet_code)


def place_key(name: str, hamlet_code: str) -> PlaceKey | None:
    return (cached_fold(name), hamlet_code) if name else None


def _id_key(citizen_id: str) -> int:
    # An int takes a third of the memory of the 12-character string; the leading "1"
    # keeps the leading zeros apart ("012…" and "12…" stay different).
    return int("1" + citizen_id) if citizen_id.isdigit() else hash(citizen_id)


_GUESSED = (
    "; thôn của dòng này lấy theo dòng trên (ô thôn để trống) nên có thể là cùng một hộ."
)


class DuplicateIndex:
    """Citizen IDs and (name, birth year, hamlet) seen so far, in the file and in the database.

    Name, birth year and hamlet make a match only when one of the two has no citizen ID:
    two different IDs are two different people, however alike their names. Such a
    namesake is still pointed out (`namesake`), since a corrected ID looks the same.

    The file's side grows with every row, so it keeps small keys: the ID as an int and
    the hash of the person key (two different people sharing a 64-bit hash would only
    show as a possible duplicate for a person to look at, never as a silent merge).

    A household without a birth year (nobody knows it) is matched by name and hamlet,
    to a row with or without one, when one of the two has no citizen ID: without it,
    a household with neither came back from its own register as a second household.

    Households deleted here are matched too, when no household on the register is: a
    list imported again would otherwise bring back, unsaid, a household the commune
    took off it."""

    def __init__(self) -> None:
        self._db_ids: dict[str, tuple[str, str]] = {}  # citizen id → (household id, label)
        self._db_people: dict[PersonKey, tuple[str, str, bool]] = {}  # …, has an ID
        self._gone_ids: dict[str, str] = {}  # citizen id → label, of households deleted
        self._gone_people: dict[PersonKey, tuple[str, bool]] = {}  # → label, has an ID
        # Households without a birth year, by name and hamlet: few, so a dict of their own.
        self._db_yearless: dict[PlaceKey, tuple[str, str, bool]] = {}  # as _db_people
        self._gone_yearless: dict[PlaceKey, tuple[str, bool]] = {}  # as _gone_people
        # Every household by name and hamlet: its label and birth year (look_alike).
        self._db_placed: dict[PlaceKey, tuple[str, int | None]] = {}
        # Households without an ID that share a name, birth year (or none) and hamlet: a row
        # matched to one of them may be any (twins_of).
        self._twins: dict[PersonKey | PlaceKey, list[str]] = {}
        self._file_ids: dict[int, int] = {}  # → row
        self._file_people: dict[int, int] = {}  # → row, negative when that row has an ID
        # Name and birth year alone, in any hamlet (find_in_commune): the household's
        # id and label, and the file's rows by the hash of the pair.
        self._db_named: dict[tuple[str, int], tuple[str, str]] = {}
        self._gone_named: dict[tuple[str, int], str] = {}  # → label, of households deleted
        self._file_named: dict[int, int] = {}
        # row → the household it wrote, as the UUID's int: half the memory of its text,
        # and no text to make for each of 100,000 rows when few are ever matched.
        self._targets: dict[int, int] = {}

    def add_existing(
        self,
        household_id: str,
        label: str,
        citizen_id: str | None,
        key: PersonKey | None,
        place: PlaceKey | None = None,
    ) -> None:
        if citizen_id:
            self._db_ids.setdefault(citizen_id, (household_id, label))
        if place:
            self._db_placed.setdefault(place, (label, key[1] if key else None))
        if place and not key:  # no birth year
            yearless = self._db_yearless.get(place)
            if yearless is None or (yearless[2] and not citizen_id):
                self._db_yearless[place] = (household_id, label, bool(citizen_id))
            elif not (yearless[2] or citizen_id):
                self._twins.setdefault(place, [yearless[0]]).append(household_id)
        if key:
            # One without an ID first: it is the one a row with an ID can match.
            known = self._db_people.get(key)
            if known is None or (known[2] and not citizen_id):
                self._db_people[key] = (household_id, label, bool(citizen_id))
            elif not (known[2] or citizen_id):
                self._twins.setdefault(key, [known[0]]).append(household_id)
            self._db_named.setdefault(key[:2], (household_id, label))

    def add_deleted(
        self,
        label: str,
        citizen_id: str | None,
        key: PersonKey | None,
        place: PlaceKey | None = None,
    ) -> None:
        if citizen_id:
            self._gone_ids.setdefault(citizen_id, label)
        if place and not key:  # no birth year
            gone = self._gone_yearless.get(place)
            if gone is None or (gone[1] and not citizen_id):
                self._gone_yearless[place] = (label, bool(citizen_id))
        if key:
            known = self._gone_people.get(key)
            if known is None or (known[1] and not citizen_id):
                self._gone_people[key] = (label, bool(citizen_id))
            self._gone_named.setdefault(key[:2], label)

    def add_row(
        self, row: int, target: uuid.UUID | None, citizen_id: str, key: PersonKey | None
    ) -> None:
        if citizen_id:
            self._file_ids.setdefault(_id_key(citizen_id), row)
        if key:
            kept = self._file_people.get(hash(key))
            if kept is None or (kept < 0 and not citizen_id):
                self._file_people[hash(key)] = -row if citizen_id else row
            self._file_named.setdefault(hash(key[:2]), row)
        if target is not None:
            self._targets[row] = target.int

    def _target(self, row: int) -> str | None:
        target = self._targets.get(row)
        return None if target is None else str(uuid.UUID(int=target))

    def find(
        self,
        citizen_id: str,
        key: PersonKey | None,
        card: str = "CCCD",
        place: PlaceKey | None = None,
    ) -> list[Match]:
        """The households a row matches; ``card`` names the card its ID is the number of
        ("CMND" when read from the old card's column); ``place`` is its name and hamlet."""
        found: list[Match] = []
        if citizen_id and (hit := self._file_ids.get(_id_key(citizen_id))):
            message = f"Trùng số {card} với dòng {hit} của tệp."
            found.append(Match(message, self._target(hit), True))
        elif key and (hit := self._file_people.get(hash(key))) and not (citizen_id and hit < 0):
            found.append(
                Match(
                    f"Trùng họ tên, năm sinh và thôn với dòng {abs(hit)} của tệp.",
                    self._target(abs(hit)),
                    True,
                )
            )
        if citizen_id and (known := self._db_ids.get(citizen_id)):
            found.append(Match(f"Trùng số {card} với hộ đã có: {known[1]}.", known[0], False))
        elif key and (person := self._db_people.get(key)) and not (citizen_id and person[2]):
            found.append(
                Match(
                    f"Trùng họ tên, năm sinh và thôn với hộ đã có: {person[1]}.", person[0], False
                )
            )
        elif place and (person := self._db_yearless.get(place)) and not (citizen_id and person[2]):
            said = f"Trùng họ tên và thôn với hộ đã có, chưa ghi năm sinh: {person[1]}."
            found.append(Match(said, person[0], False))
        elif citizen_id and (label := self._gone_ids.get(citizen_id)):
            found.append(
                Match(f"Trùng số {card} với hộ đã xóa khỏi danh sách: {label}.", None, False, True)
            )
        elif key and (gone := self._gone_people.get(key)) and not (citizen_id and gone[1]):
            said = f"Trùng họ tên, năm sinh và thôn với hộ đã xóa khỏi danh sách: {gone[0]}."
            found.append(Match(said, None, False, True))
        elif place and (gone := self._gone_yearless.get(place)) and not (citizen_id and gone[1]):
            said = (
                f"Trùng họ tên và thôn với hộ đã xóa khỏi danh sách, chưa ghi năm sinh: {gone[0]}."
            )
            found.append(Match(said, None, False, True))
        return found

    def find_in_commune(self, key: PersonKey | None) -> list[Match]:
        """Households of the row's name and birth year in another hamlet, for a row whose
        hamlet is a guess (the row above's, its own cell blank) and which has no citizen
        ID: the hamlet may be the one thing that differs. To be looked at, as any match; a
        household deleted here too, as `find` has it, when none on the register is."""
        if key is None:
            return []
        found: list[Match] = []
        if hit := self._file_named.get(hash(key[:2])):
            said = f"Cùng họ tên và năm sinh với dòng {hit} của tệp, ở thôn khác"
            found.append(Match(said + _GUESSED, self._target(hit), True))
        if known := self._db_named.get(key[:2]):
            said = f"Cùng họ tên và năm sinh với hộ đã có ở thôn khác: {known[1]}"
            found.append(Match(said + _GUESSED, known[0], False))
        elif gone := self._gone_named.get(key[:2]):  # as `find`: when none on the register
            said = f"Cùng họ tên và năm sinh với hộ đã xóa khỏi danh sách ở thôn khác: {gone}"
            found.append(Match(said + _GUESSED, None, False, True))
        return found

    def twins_of(
        self, household_id: str, key: PersonKey | None, place: PlaceKey | None
    ) -> list[str] | None:
        """The households on the register a row matched to ``household_id`` may be: it and
        the others without an ID of its name, birth year (or none) and hamlet; None when
        it has no such twin."""
        for shared in key, place:
            twins = self._twins.get(shared) if shared else None
            if twins and household_id in twins:
                return twins
        return None

    def look_alike(self, key: PersonKey | None, place: PlaceKey | None) -> str | None:
        """For a row without an ID that matched nothing: the household on the register it
        may be with its hamlet or its birth year corrected (the register has no number of
        the household's own to find it by), said."""
        if key and (known := self._db_named.get(key[:2])):  # in its hamlet, it would match
            return f"Cùng họ tên và năm sinh với hộ đã có {known[1]} ở thôn khác"
        if place and (placed := self._db_placed.get(place)):
            label, year = placed
            return f"Cùng họ tên và thôn với hộ đã có {label}, năm sinh {year or 'chưa ghi'}"
        return None

    def namesake(self, citizen_id: str, key: PersonKey | None) -> str | None:
        """Who has the name, birth year and hamlet of a row with an ID that `find` did not
        match, under another ID: 'dòng 7 của tệp', or an existing household's label."""
        if not (citizen_id and key):
            return None
        if (hit := self._file_people.get(hash(key))) and hit < 0:
            return f"dòng {-hit} của tệp"
        if (person := self._db_people.get(key)) and person[2]:
            return f"hộ đã có {person[1]}"
        return None
