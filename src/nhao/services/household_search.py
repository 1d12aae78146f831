"""The households' search index on SQLite, and how a search uses it.

On SQLite, migration 0004 adds `household_search`: an FTS5 trigram index of
(head_name_key, citizen_id), and `household_search_row`, which maps each household
id to its entry in the index (household rowids are never used: VACUUM may renumber
them). Triggers on `household` queue every household renamed or deleted in
`household_search_pending` (nhao runs SQLite with trusted_schema OFF, under which
a trigger in the file may not write a virtual table). New households are not
queued by a trigger (migration 0005 says why): `household_search_mark` holds the
rowid and id of the last household taken in, and rows past it are queued when
the index is next read; a mark whose row moved or went sends the service looking
for every household the index lacks. The queue is folded into the index before
the index is read.

A search of 3 characters or more counts the index's candidates, up to a limit
(INDEX_PLAN_LIMIT, ID_INDEX_PLAN_LIMIT), and takes one of two plans:
  - few candidates: fetch them through the index, then sort them;
  - many: walk the sort order and stop once the page is full (the matches are
    dense, so that comes soon), testing LIKE on each row.
Both plans test the same LIKE on the household row, so they find the same rows.
Counting streams the index's candidates and stops at the cap (count_households).
Shorter searches, PostgreSQL, and a file without the index use LIKE alone.

A search text that is a household's code ("Mã hộ", as household_code_key compares
codes) finds that household too, whatever the name and citizen ID search finds: a
clerk types it from the printed register. Stored codes are found through the code's
index (long ones with a figure, in any case, by their lower case); households made
before codes were stored (migration 0011) by the code derived from their id, looked
up only for text shaped as one (households_by_code).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Select,
    String,
    and_,
    cast,
    func,
    literal_column,
    or_,
    select,
    table,
    type_coerce,
)
from sqlalchemy import column as sql_column
from sqlalchemy.orm import Session

from nhao.domain.household_code import (
    MAX_LENGTH,
    clean_household_code,
    code_spellings,
    derived_code_forms,
    derived_codes,
    household_code_key,
    spelled_every_way,
)
from nhao.domain.text import fold
from nhao.models import Household

SEARCH_INDEX = "household_search"
SEARCH_ROWS = "household_search_row"
SEARCH_QUEUE = "household_search_pending"
SEARCH_MARK = "household_search_mark"
TRIGRAM = 3
# Candidates fetched through the index and sorted, at most; with more, the sort order
# is walked. Walking tests a name on the name index alone, but must read every row to
# test a citizen ID, so ID searches go through the index further.
INDEX_PLAN_LIMIT = 2000
ID_INDEX_PLAN_LIMIT = 5000

_fts = table(SEARCH_INDEX, sql_column("rowid"))
_fts_rows = table(SEARCH_ROWS, sql_column("fts_rowid"), sql_column("household_id"))

# Fold the queue into the index: drop the entries of the queued households, then
# index them afresh from the table (a household deleted for good is just dropped).
_REFRESH_INDEX = (
    f"DELETE FROM {SEARCH_INDEX} WHERE rowid IN (SELECT fts_rowid FROM {SEARCH_ROWS} "
    f"WHERE household_id IN (SELECT household_id FROM {SEARCH_QUEUE}))",
    f"DELETE FROM {SEARCH_ROWS} WHERE household_id IN (SELECT household_id FROM {SEARCH_QUEUE})",
    f"INSERT INTO {SEARCH_ROWS} (household_id) "
    f"SELECT h.id FROM {SEARCH_QUEUE} q JOIN household h ON h.id = q.household_id",
    f"INSERT INTO {SEARCH_INDEX} (rowid, household_id, head_name_key, citizen_id) "
    f"SELECT r.fts_rowid, h.id, h.head_name_key, h.citizen_id FROM {SEARCH_QUEUE} q "
    f"JOIN household h ON h.id = q.household_id "
    f"JOIN {SEARCH_ROWS} r ON r.household_id = q.household_id",
    f"DELETE FROM {SEARCH_QUEUE}",
)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Search:
    """The search box: folded name text, the digits of a citizen ID when the text is
    one (digits, spaces and dots only), and the text as a household code compares."""

    key: str
    digits: str | None
    code: str = ""  # household_code_key; "" when longer than any code
    # The text as a code is stored, in lower case: a list's own code whose key is not
    # its letters ("ThonNaPan1" keys as "th0nn-apan1") is found by them.
    typed_code: str = ""

    @classmethod
    def of(cls, text: str) -> Search | None:
        text = text.strip()
        if not text:
            return None
        digits = "".join(ch for ch in text if ch.isdigit())
        is_id = bool(digits) and len(digits) == len(text.replace(" ", "").replace(".", ""))
        code = household_code_key(text)
        if len(code) > MAX_LENGTH:
            return cls(fold(text), digits if is_id else None)
        typed = clean_household_code(text).lower()
        return cls(fold(text), digits if is_id else None, code, typed)

    def like(self):  # type: ignore[no-untyped-def]
        """What a match is, tested on the household row."""
        conditions = [Household.head_name_key.contains(self.key, autoescape=True)]
        if self.digits:
            conditions.append(Household.citizen_id.contains(self.digits, autoescape=True))
        return or_(*conditions)

    def indexable(self) -> bool:
        """The trigram index finds substrings of 3 characters or more."""
        return len(self.key) >= TRIGRAM and (self.digits is None or len(self.digits) >= TRIGRAM)

    def match(self) -> str:
        """The FTS5 query: a phrase of trigrams is a substring. The OR is FTS5's own,
        answered from the index (an SQL OR of two MATCHes would scan it)."""
        query = f"head_name_key : {_phrase(self.key)}"
        if self.digits:
            query = f"({query}) OR (citizen_id : {_phrase(self.digits)})"
        return query

    def index_rowids(self) -> Select:  # type: ignore[type-arg]
        return select(_fts.c.rowid).where(literal_column(SEARCH_INDEX).match(self.match()))

    def candidates(self) -> Select:  # type: ignore[type-arg]
        """The ids of the households the index finds."""
        return select(_fts_rows.c.household_id).where(
            _fts_rows.c.fts_rowid.in_(self.index_rowids())
        )

    def streamed_ids(self) -> Select:  # type: ignore[type-arg]
        """The ids of matching households read through the index, in its order: a
        count can stop at a cap without sorting anything."""
        return (
            select(Household.id)
            .select_from(_fts)
            .join(_fts_rows, _fts_rows.c.fts_rowid == _fts.c.rowid)
            .join(Household, Household.id == _fts_rows.c.household_id)
            .where(literal_column(SEARCH_INDEX).match(self.match()), self.like())
        )


def refresh_search_index(conn: Connection) -> None:
    """Fold the households added or changed since the index was last read into it.

    Searches do this themselves when they need the index; a long import may call
    it in its own transaction so the next search has nothing to catch up on.
    Nothing happens on PostgreSQL or in a file without the index."""
    if conn.dialect.name != "sqlite" or not _has_search_index(conn):
        return
    if not _search_index_behind(conn):
        return
    _queue_new_households(conn)
    for statement in _REFRESH_INDEX:
        conn.exec_driver_sql(statement)


def _has_search_index(conn: Connection) -> bool:
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?, ?)",
        (SEARCH_INDEX, SEARCH_ROWS, SEARCH_QUEUE, SEARCH_MARK),
    ).scalar_one()
    return bool(found == 4)


def _last_household(conn: Connection) -> tuple[int, str | None]:
    last = conn.exec_driver_sql(
        "SELECT rowid, id FROM household ORDER BY rowid DESC LIMIT 1"
    ).first()
    return (last[0], last[1]) if last else (0, None)


def _search_index_behind(conn: Connection) -> bool:
    """Something queued, or the last household is not the marked one."""
    if conn.exec_driver_sql(f"SELECT 1 FROM {SEARCH_QUEUE} LIMIT 1").first() is not None:
        return True
    mark = conn.exec_driver_sql(f"SELECT upto, household_id FROM {SEARCH_MARK}").first()
    return mark is None or tuple(mark) != _last_household(conn)


def _queue_new_households(conn: Connection) -> None:
    """Queue the households past the mark, then move the mark to the last one."""
    mark = conn.exec_driver_sql(f"SELECT upto, household_id FROM {SEARCH_MARK}").first()
    upto, marked = (mark[0], mark[1]) if mark else (0, None)
    still_there = (
        not upto
        or conn.exec_driver_sql("SELECT id FROM household WHERE rowid = ?", (upto,)).scalar()
        == marked
    )
    if still_there:
        conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO {SEARCH_QUEUE} (household_id) "
            "SELECT id FROM household WHERE rowid > ?",
            (upto,),
        )
    else:  # rowids renumbered (VACUUM) or the marked household deleted for good
        conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO {SEARCH_QUEUE} (household_id) SELECT id FROM household "
            f"WHERE id NOT IN (SELECT household_id FROM {SEARCH_ROWS})"
        )
    conn.exec_driver_sql(
        f"INSERT OR REPLACE INTO {SEARCH_MARK} (id, upto, household_id) VALUES (1, ?, ?)",
        _last_household(conn),
    )


def index_ready(session: Session) -> bool:
    """The index can answer: the file has it, and the queue is folded in (committed
    at once, so the work is not redone by the next search)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite" or not _has_search_index(conn):
        return False
    if _search_index_behind(conn):
        refresh_search_index(conn)
        session.commit()
    return True


class Plan(NamedTuple):
    condition: Any  # the WHERE term of the search; None without a search
    by_index: bool  # few candidates: fetched through the index, then sorted
    indexed: bool  # the index can answer this search
    coded: tuple[uuid.UUID, ...] = ()  # the households whose code is the text


def search_plan(session: Session, search: Search | None) -> Plan:
    if search is None:
        return Plan(None, False, False)
    coded = households_by_code(session, search)
    if not search.indexable() or not index_ready(session):
        return _with_coded(Plan(search.like(), False, False, coded))
    limit = ID_INDEX_PLAN_LIMIT if search.digits else INDEX_PLAN_LIMIT
    capped = search.index_rowids().limit(limit + 1).subquery()
    if session.scalar(select(func.count()).select_from(capped)) > limit:
        return _with_coded(Plan(search.like(), False, True, coded))
    found = and_(Household.id.in_(search.candidates()), search.like())
    return _with_coded(Plan(found, True, True, coded))


def _with_coded(plan: Plan) -> Plan:
    if not plan.coded:
        return plan
    return plan._replace(condition=or_(plan.condition, Household.id.in_(plan.coded)))


# -- the household code ----------------------------------------------------------------


def households_by_code(session: Session, search: Search) -> tuple[uuid.UUID, ...]:
    """The households whose code is the search text. Stored codes are found by
    equality on the code's index, in every spelling of the text's letters; the
    households without one (made before migration 0011) by their derived code, only
    when the text is shaped as one (a sha256 each: too slow for every keystroke)."""
    if not search.code or not _has_codes(session.connection()):
        return ()
    forms = derived_code_forms(search.code)
    typed = search.typed_code
    spellings = {spelling for form in (*forms, typed) for spelling in code_spellings(form)}
    wanted = Household.household_code.in_(spellings)
    if not spelled_every_way(typed) and any(char.isdigit() for char in typed):
        # A list's own long code, its letters in any case ("NaPan-KhauBon-0012"): too
        # many spellings to look up, so compared in lower case (SQLite's lower() lowers
        # A to Z alone). Only text with a figure, as codes have and names do not.
        wanted = or_(wanted, func.lower(Household.household_code) == typed)
    stored = session.execute(select(Household.id, Household.household_code).where(wanted))
    found = [hid for hid, code in stored if household_code_key(code) in forms]
    if len(forms) > 1:  # shaped as a derived code
        derived = _derived_codes(session).find(forms[-1].upper())
        if derived:  # those that still have no code of their own
            found += session.scalars(
                select(Household.id).where(
                    Household.id.in_(derived), Household.household_code.is_(None)
                )
            )
    return tuple(dict.fromkeys(found))


def _has_codes(conn: Connection) -> bool:
    """A file taken back to a schema before migration 0011 has no codes (on SQLite:
    a server database is always at the current schema)."""
    if conn.dialect.name != "sqlite":
        return True
    found = conn.exec_driver_sql(
        "SELECT 1 FROM pragma_table_info('household') WHERE name = 'household_code'"
    ).first()
    return found is not None


class _DerivedCodes(NamedTuple):
    """The derived codes of the households without a stored one, as two strings
    rather than 100,000 objects: each one's dashless code, and its id in hex."""

    mark: tuple  # type: ignore[type-arg]  # _without_code_mark when they were read
    codes: str  # _CODE_LENGTH characters each
    ids: str  # 32 hex digits each, in the same order

    def find(self, code: str) -> list[uuid.UUID]:
        found, at = [], self.codes.find(code)
        while at >= 0:
            if at % _CODE_LENGTH == 0:
                n = at // _CODE_LENGTH
                found.append(uuid.UUID(self.ids[32 * n : 32 * (n + 1)]))
            at = self.codes.find(code, at + 1)
        return found


_CODE_LENGTH = 10
# Per database, while the households without a code look the same (_without_code_mark);
# one that got its code since is passed over by households_by_code. Few are open.
_derived: dict[str, _DerivedCodes] = {}
_DERIVED_KEPT = 4


def _without_code_mark(session: Session) -> tuple:  # type: ignore[type-arg]
    """The households without a stored code, in numbers that move when one comes or
    goes: on SQLite their rowids, read from the code's index alone (a new household
    takes a rowid above every other)."""
    if session.get_bind().dialect.name == "sqlite":
        rowid = literal_column("household.rowid")
        numbers = (func.count(), func.max(rowid), func.total(rowid))
    else:
        text_id = cast(Household.id, String)
        numbers = (func.count(), func.min(text_id), func.max(text_id))
    return tuple(
        session.execute(select(*numbers).where(Household.household_code.is_(None))).one()
    )


def _derived_codes(session: Session) -> _DerivedCodes:
    database = str(session.get_bind().url)
    mark = _without_code_mark(session)
    kept = _derived.get(database)
    if kept is not None and kept.mark == mark:
        return kept
    # The ids as stored (hex on SQLite), not parsed into UUIDs one by one.
    stored = session.scalars(
        select(type_coerce(Household.id, String)).where(Household.household_code.is_(None))
    )
    ids = "".join(v.hex if isinstance(v, uuid.UUID) else v.replace("-", "") for v in stored)
    raw = (bytes.fromhex(ids[at : at + 32]) for at in range(0, len(ids), 32))
    made = _DerivedCodes(mark, "".join(derived_codes(raw)), ids)
    _derived.pop(database, None)
    _derived[database] = made
    for stale in list(_derived)[:-_DERIVED_KEPT]:
        _derived.pop(stale, None)
    return made
