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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, and_, func, literal_column, or_, select, table
from sqlalchemy import column as sql_column
from sqlalchemy.orm import Session

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
    """The search box: folded name text, and the digits of a citizen ID when the
    text is one (digits, spaces and dots only)."""

    key: str
    digits: str | None

    @classmethod
    def of(cls, text: str) -> Search | None:
        text = text.strip()
        if not text:
            return None
        digits = "".join(ch for ch in text if ch.isdigit())
        is_id = bool(digits) and len(digits) == len(text.replace(" ", "").replace(".", ""))
        return cls(fold(text), digits if is_id else None)

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


def search_plan(session: Session, search: Search | None) -> Plan:
    if search is None:
        return Plan(None, False, False)
    if not search.indexable() or not index_ready(session):
        return Plan(search.like(), False, False)
    limit = ID_INDEX_PLAN_LIMIT if search.digits else INDEX_PLAN_LIMIT
    capped = search.index_rowids().limit(limit + 1).subquery()
    if session.scalar(select(func.count()).select_from(capped)) > limit:
        return Plan(search.like(), False, True)
    return Plan(and_(Household.id.in_(search.candidates()), search.like()), True, True)
