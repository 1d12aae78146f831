"""Matching rows to what the commune already has: households that look like the same
people (same citizen ID, or same name, birth year and hamlet). Hamlets by name:
nhao.domain.hamlet_names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import NamedTuple

from .folding import cached_fold


@dataclass(frozen=True, slots=True)
class Match:
    """Another household this row looks like: an earlier row of the file, or one in the
    database. ``target`` is the household id an update would change (None when the
    earlier row was not written, and for a household deleted here: it is not updated)."""

    message: str
    target: str | None
    in_file: bool
    deleted: bool = False
    by_code: bool = False  # found by its household code ("Mã hộ")
    # By code, a household whose head's name is another's: a code pasted on the wrong row,
    # or a new head; not updated unless chosen for the row.
    other_name: bool = False
    # By a list's own code, a household of another hamlet and birth year: a list that
    # numbers its households within each hamlet, or one that moved; not updated unless
    # chosen for the row, and kept apart with its code when not.
    other_hamlet: bool = False
    by_id: bool = False  # a household on the register of the row's citizen ID
    label: str = ""  # of other_name's household: "Lò Văn Páo (Thôn Nà Pàn)"


class CodeHolder(NamedTuple):
    """The household on the register a code names (DuplicateIndex.add_code)."""

    household_id: str
    label: str
    name: str = ""
    hamlet: str = ""
    birth_year: int | None = None
    derived: bool = False  # the code derived from its id, one household's anywhere


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


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether b is a with at most one letter changed, added or left out."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def same_head(name: str, other: str) -> bool:
    """Whether two names may be one person's, one a corrected spelling of the other: the
    given names (the last word) alike, marks aside, but for a letter, and so the surnames
    (the first). Surnames and middle names are shared by half a hamlet ("Nguyễn Văn"),
    the given name is not; nor is the pair: "Lò Văn An" and "Vi Văn An" are two heads
    (codes swapped between their rows), a middle name added or left out is not. Words
    between of as many are alike too: "Lò Thị An" is a woman, and Ê Đê names end with
    the family's, "Y Bhim Niê" and "Y Khuê Niê" two men of one family."""
    words, other_words = cached_fold(name).split(), cached_fold(other).split()
    if not (words and other_words):
        return False
    middle = len(words) != len(other_words) or all(
        map(_one_edit_apart, words[1:-1], other_words[1:-1])
    )
    return (
        middle
        and _one_edit_apart(words[-1], other_words[-1])
        and _one_edit_apart(words[0], other_words[0])
    )


def given_names_differ(name: str, other: str) -> bool:
    """Whether two names' given names (the last word) differ in a letter, marks aside:
    "Lò Văn An" and "Lò Văn Anh" may be a father and his son, "Lò Văn Án" is a spelling."""
    words, other_words = cached_fold(name).split(), cached_fold(other).split()
    return words[-1:] != other_words[-1:]


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
        # Household codes (domain.household_code_key): the household's id, label and head's
        # name; of households deleted, the label; the file's rows.
        self._db_codes: dict[str, CodeHolder] = {}
        # A code two share, by code and hamlet: lists numbering their households within
        # each hamlet give "001" to one of each, and within its hamlet it is one's.
        self._shared_codes: dict[tuple[str, str], CodeHolder] = {}
        self._gone_codes: dict[str, str] = {}
        # The file's rows by code and hamlet: a list numbering its households within each
        # hamlet ("001" in every one) gives one code to a household of each. The first row,
        # its head; and by code alone, the first row, its head and hamlet.
        self._file_codes: dict[tuple[str, str], tuple[int, str]] = {}
        self._file_code_rows: dict[str, tuple[int, str, str]] = {}

    def add_code(self, code: str, household_id: str, label: str, holder: CodeHolder) -> None:
        """A household on the register by its code (a code two share matches neither: it
        cannot tell which one the row is; but one of them in the row's hamlet alone)."""
        holder = holder._replace(household_id=household_id, label=label)
        if (known := self._db_codes.get(code)) is None:
            self._db_codes[code] = holder
            return
        if known.household_id:  # the first of the households that share it
            self._shared_codes[(code, known.hamlet)] = known
        self._db_codes[code] = CodeHolder("", label)
        here = (code, holder.hamlet)
        self._shared_codes[here] = CodeHolder("", label) if here in self._shared_codes else holder

    def add_deleted_code(self, code: str, label: str) -> None:
        self._gone_codes.setdefault(code, label)

    def add_row_code(self, row: int, code: str, name: str, hamlet: str) -> None:
        if code:
            self._file_codes.setdefault((code, hamlet), (row, name))
            self._file_code_rows.setdefault(code, (row, name, hamlet))

    def code_in_other_hamlet(self, code: str, name: str, hamlet: str) -> int | None:
        """The earlier row of the file with a row's code and a head who may be its own,
        in another hamlet (find_code did not take it for the row's household)."""
        row, head, other = self._file_code_rows.get(code, (0, "", hamlet))
        return row if row and other != hamlet and same_head(name, head) else None

    def find_code(
        self, code: str, shown_code: str, name: str, hamlet: str, birth_year: int | None = None
    ) -> list[Match]:
        """The households a row's code names: an earlier row of the file, a household on
        the register (or deleted from it). ``code`` is compared, ``shown_code`` said."""
        if not code:
            return []
        found: list[Match] = []
        # A list numbering its households within each hamlet ("001" in every hamlet) gives
        # one code to two heads: rows of one code are one household only when they are of
        # one hamlet and the heads may be one person.
        hit, head = self._file_codes.get((code, hamlet), (0, ""))
        if hit and same_head(name, head):
            said = f"Trùng mã hộ {shown_code} với dòng {hit} của tệp."
            found.append(Match(said, self._target(hit), True, by_code=True))
        if (known := self._db_codes.get(code)) and not known.household_id:
            known = self._shared_codes.get((code, hamlet), known)  # the row's hamlet's own
        if known:
            household_id, label, head = known.household_id, known.label, known.name
            if not household_id:
                return found  # two households share it: found by the other rules
            # A list's own codes may be numbered within each hamlet, lists imported one
            # hamlet at a time: "001" of the next hamlet is not the first one's household
            # unless its head may be that one's. A derived code is one household's anywhere.
            elsewhere = not known.derived and known.hamlet != hamlet
            years = (known.birth_year, birth_year)
            if same_head(name, head) and elsewhere and None not in years and len(set(years)) > 1:
                said = (
                    f"Mã hộ {shown_code} là của hộ đã có {label}, sinh năm {known.birth_year}, "
                    f"ở thôn khác; dòng này ghi năm sinh {birth_year}: có thể danh sách đánh "
                    "số hộ theo từng thôn."
                )
                found.append(Match(said, household_id, False, by_code=True, other_hamlet=True))
            elif same_head(name, head):
                said = f"Cùng mã hộ {shown_code} với hộ đã có: {label}."
                found.append(Match(said, household_id, False, by_code=True))
            elif elsewhere:
                return found  # another household of another hamlet: the other rules
            else:
                said = (
                    f"Mã hộ {shown_code} là của hộ đã có {label}, nhưng dòng này ghi chủ hộ "
                    f"“{name}”: có thể mã hộ bị ghi nhầm dòng."
                )
                found.append(
                    Match(said, household_id, False, by_code=True, other_name=True, label=label)
                )
        elif label := self._gone_codes.get(code):
            said = f"Trùng mã hộ {shown_code} với hộ đã xóa khỏi danh sách: {label}."
            found.append(Match(said, None, False, True, by_code=True))
        return found

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
            said = f"Trùng số {card} với hộ đã có: {known[1]}."
            found.append(Match(said, known[0], False, by_id=True))
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
        may be with its hamlet or its birth year corrected (a list without the household's
        code, "Mã hộ", has nothing else to find it by), said."""
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
