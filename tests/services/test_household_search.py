"""The household search index (migration 0004): same answers as LIKE, whichever plan
runs, kept in step with every writer, surviving backups, upgrades and VACUUM."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import event, text, update
from tests.sync.conftest import Node, Tree, backend, make_node, pg_template, tree  # noqa: F401

from nhao.config import resolve_database
from nhao.domain.enums import Category, Role, Sex
from nhao.domain.household_code import derived_household_code
from nhao.domain.text import fold
from nhao.models import Household
from nhao.models.database import Database
from nhao.services import household_search, units, users
from nhao.services import households as hh
from nhao.services.actor import Actor
from nhao.services.bulk_writer import BulkInserter
from nhao.services.unit_of_work import unit_of_work
from nhao.services.verify import verify

FIXTURES = Path(__file__).parents[1] / "fixtures" / "db"
NAMES = (
    "Nguyễn Văn Ấn", "Nguyễn Văn An", "Nguyễn Thị Hoa", "Hoàng Văn Páo", "Hoàng Thị Hoa",
    "Lý Thị Mẩy", "Triệu Văn Sành", "Nông Thị Hoa", "Đặng Văn Dình", "Vừ A_Dính",
    "Vừ Axdính", "Giàng Seo Vàng", "Lò Văn Ấn", "Ma Thị Thu Hoà", "Hà Văn Đức",
)  # fmt: skip


def form(hamlet_code: str, name: str, **fields) -> hh.HouseholdInput:  # type: ignore[no-untyped-def]
    return hh.HouseholdInput(hamlet_code=hamlet_code, head_name=name, **fields)


def names(views: list[hh.HouseholdView]) -> list[str]:
    return [v.head_name for v in views]


def found(db: Database, actor: Actor, search: str, **query) -> list[str]:  # type: ignore[no-untyped-def]
    return names(hh.list_households(db, actor, hh.HouseholdQuery(search=search, **query)))


class SentSql:
    """The statements SQLAlchemy sends, to tell which plan answered."""

    def __init__(self, db: Database) -> None:
        self.statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        self.statements.append(statement)

    def used_index(self) -> bool:
        used = any("MATCH" in s for s in self.statements)
        self.statements.clear()
        return used


def raw(db: Database) -> sqlite3.Connection:
    """Another connection to the file, as another program would open it."""
    assert db.location.path is not None
    return sqlite3.connect(db.location.path, isolation_level=None)


def index_entries(db: Database) -> dict[str, tuple[str, str | None]]:
    """household id → (name key, citizen ID) as the index holds them, after the
    queue is folded in; checks the id map and the index agree on the way."""
    with db.engine.begin() as conn:
        household_search.refresh_search_index(conn)
        rows = conn.exec_driver_sql(
            "SELECT r.household_id, s.household_id, s.head_name_key, s.citizen_id "
            "FROM household_search s JOIN household_search_row r ON r.fts_rowid = s.rowid"
        ).all()
        assert conn.exec_driver_sql("SELECT count(*) FROM household_search").scalar() == len(rows)
    assert all(mapped == held for mapped, held, _, _ in rows)
    return {mapped: (key, cid) for mapped, _, key, cid in rows}


def table_entries(db: Database) -> dict[str, tuple[str, str | None]]:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, head_name_key, citizen_id FROM household").all()
    return {hid: (key, cid) for hid, key, cid in rows}


def assert_index_in_step(db: Database) -> None:
    assert index_entries(db) == table_entries(db)
    with db.engine.connect() as conn:
        raw_conn = conn.connection.driver_connection
        raw_conn.execute(
            "INSERT INTO household_search(household_search) VALUES ('integrity-check')"
        )
        assert raw_conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


@pytest.fixture
def commune(db: Database, admin: Actor, hamlet: units.UnitView) -> list[str]:
    """NAMES spread over two hamlets with categories; some soft deleted. Returns ids."""
    other = units.add_hamlets(db, admin, ["Bản Khuổi Hẩu"])[0]
    ids = []
    for i, name in enumerate(NAMES * 3):
        view = hh.create_household(
            db,
            admin,
            form(
                (hamlet.code, other.code)[i % 2],
                name,
                birth_year=1940 + i,
                ethnicity=("Kinh", "Tày", "Mông")[i % 3],
                members=1 + i % 5,
                categories=frozenset({Category.poor}) if i % 3 == 0 else frozenset(),
                citizen_id=f"001{i % 2}{(1940 + i) % 100:02d}{i:06d}",
                sex=Sex.male if i % 2 == 0 else Sex.female,
            ),
        )
        ids.append(view.id)
    for hid in ids[::7]:
        hh.delete_household(db, admin, hid, "Chuyển đi")
    return ids


# -- same answers --------------------------------------------------------------


@pytest.mark.parametrize(
    "search", ["nguyen van an", "Nguyễn Văn Ấn", "VĂN ẤN", "van an", "an", "  ấn  "]
)
def test_with_or_without_diacritics(db, admin, hamlet, search) -> None:  # type: ignore[no-untyped-def]
    hh.create_household(db, admin, form(hamlet.code, "Nguyễn Văn Ấn"))
    hh.create_household(db, admin, form(hamlet.code, "Lý Thị Mẩy"))
    sent = SentSql(db)
    assert found(db, admin, search) == ["Nguyễn Văn Ấn"]
    # Three characters or more go through the trigram index; fewer use LIKE.
    assert sent.used_index() == (len(search.strip()) >= 3)


@pytest.mark.parametrize("search", ["0010900", "001 090 012", "001.090.012.345", "12345", "090"])
def test_part_of_a_citizen_id_with_spaces_or_dots(db, admin, hamlet, search) -> None:  # type: ignore[no-untyped-def]
    hh.create_household(
        db, admin,
        form(hamlet.code, "Hà Văn Đức", citizen_id="001090012345", birth_year=1990, sex=Sex.male),
    )  # fmt: skip
    hh.create_household(db, admin, form(hamlet.code, "Lò Văn Ấn"))
    assert found(db, admin, search) == ["Hà Văn Đức"]
    assert found(db, admin, "99999") == []
    assert found(db, admin, "00") == ["Hà Văn Đức"]  # two digits: LIKE


def test_wildcards_and_quotes_are_plain_characters(db, admin, hamlet) -> None:  # type: ignore[no-untyped-def]
    for name in ("Vừ A_Dính", "Vừ Axdính", 'Lò "Văn" Ấn', "Ma 100% Hoa"):
        hh.create_household(db, admin, form(hamlet.code, name))
    assert found(db, admin, "a_d") == ["Vừ A_Dính"]
    assert found(db, admin, "_d") == ["Vừ A_Dính"]
    assert found(db, admin, '"van"') == ['Lò "Văn" Ấn']
    assert found(db, admin, "0% h") == ["Ma 100% Hoa"]
    assert found(db, admin, "%%%") == []
    assert found(db, admin, 'a" OR "b') == []  # not FTS5 syntax: a phrase like any other


QUERIES = [
    dict(search="hoa"),
    dict(search="hoa", descending=True),
    dict(search="van", order_by="hamlet"),
    dict(search="van", order_by="birth_year", descending=True),
    dict(search="thi", order_by="ethnicity"),
    dict(search="thi", order_by="members"),
    dict(search="thi", order_by="citizen_id", descending=True),
    dict(search="nguyen", category=Category.poor),
    dict(search="van a", include_deleted=True),
    dict(search="001"),
    dict(search="0010 9"),
    dict(search="xyz"),
    dict(search="an"),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "-".join(map(str, q.values())))
def test_both_plans_give_the_answer_of_like(db, admin, commune, monkeypatch, query) -> None:  # type: ignore[no-untyped-def]
    q = hh.HouseholdQuery(**query)

    def answer() -> tuple:  # type: ignore[type-arg]
        pages = [
            [v.id for v in hh.list_households(db, admin, q, offset=offset, limit=4)]
            for offset in (0, 4, 8)
        ]
        everything = hh.list_households(db, admin, q, limit=1000)
        counts = [hh.count_households(db, admin, q, cap=cap) for cap in (None, 3, 1000)]
        return pages, everything, counts

    monkeypatch.setattr(household_search, "index_ready", lambda _session: False)
    like = answer()
    monkeypatch.undo()
    for limit in (10**6, 0):  # always through the index, then always walking
        monkeypatch.setattr(household_search, "INDEX_PLAN_LIMIT", limit)
        monkeypatch.setattr(household_search, "ID_INDEX_PLAN_LIMIT", limit)
        assert answer() == like
    pages, everything, counts = like
    assert sum(pages, []) == [v.id for v in everything][:12]
    assert counts == [len(everything), min(len(everything), 4), len(everything)]


def test_the_plan_follows_the_number_of_candidates(db, admin, commune, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    found(db, admin, "xyz")  # folds the queue of new households into the index
    sent = SentSql(db)
    monkeypatch.setattr(household_search, "INDEX_PLAN_LIMIT", 5)
    monkeypatch.setattr(household_search, "ID_INDEX_PLAN_LIMIT", 10)

    def through_index(search: str) -> bool:
        sent.statements.clear()
        found(db, admin, search)
        return any("household_search_row" in s for s in sent.statements)

    assert not through_index("nguyen van a")  # 6 candidates: walk the names, test LIKE
    assert through_index("dang van")  # 3: fetch them through the index
    assert through_index("00104")  # 5 citizen IDs
    assert not through_index("001")  # 45


def test_count_can_stop_early(db, admin, commune) -> None:  # type: ignore[no-untyped-def]
    q = hh.HouseholdQuery(search="hoa")
    total = hh.count_households(db, admin, q)
    assert total > 5
    assert hh.count_households(db, admin, q, cap=5) == 6  # "more than 5"
    assert hh.count_households(db, admin, q, cap=total) == total
    assert hh.count_households(db, admin, hh.HouseholdQuery(), cap=10) == 11


def test_a_team_leader_searches_their_hamlet_only(db, admin, hamlet, commune) -> None:  # type: ignore[no-untyped-def]
    users.create_user(
        db, admin, username="totruong", password="demo", role=Role.team_leader,
        hamlet_code=hamlet.code,
    )  # fmt: skip
    leader = users.authenticate(db, "totruong", "demo")
    views = hh.list_households(db, leader, hh.HouseholdQuery(search="hoa"))
    assert views and {v.hamlet_code for v in views} == {hamlet.code}
    assert hh.count_households(db, leader, hh.HouseholdQuery(search="hoa")) == len(views)


# -- the household code ("Mã hộ") ------------------------------------------------


def plan_answers(db, actor, monkeypatch, search: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What LIKE alone, the index's fetch and the walk find for a search, with the
    counts (whole, and stopped early: streamed through the index), all the same."""
    q = hh.HouseholdQuery(search=search)

    def answer() -> tuple:  # type: ignore[type-arg]
        listed = names(hh.list_households(db, actor, q))
        counts = [hh.count_households(db, actor, q, cap=cap) for cap in (None, 1, 1000)]
        assert counts == [len(listed), min(len(listed), 2), len(listed)]
        return listed, counts

    with monkeypatch.context() as m:
        m.setattr(household_search, "index_ready", lambda _session: False)
        like = answer()
    for limit in (10**6, 0):  # always through the index, then always walking
        with monkeypatch.context() as m:
            m.setattr(household_search, "INDEX_PLAN_LIMIT", limit)
            m.setattr(household_search, "ID_INDEX_PLAN_LIMIT", limit)
            assert answer() == like
    return like[0]


def without_code(db: Database, household_id: str) -> None:
    """The household as made before codes were stored (migration 0011): none."""
    with db.transaction() as session:
        session.execute(
            update(Household)
            .where(Household.id == uuid.UUID(household_id))
            .values(household_code=None)
        )


def stored_code(db: Database, household_id: str) -> str | None:
    with db.session() as session:
        return session.get(Household, uuid.UUID(household_id)).household_code  # type: ignore[union-attr]


def commune_station(make_node) -> tuple[Node, Callable[..., str]]:  # type: ignore[no-untyped-def]  # noqa: F811
    """A commune's office (SQLite, or PostgreSQL where a server is configured) with
    two hamlets, and how to add a household to the first."""
    node = make_node("commune", "06112")
    hamlet = units.add_hamlets(node.db, node.actor, ["Thôn Nà Pàn", "Bản Khuổi Hẩu"])[0]
    return node, partial(node.add_household, hamlet=hamlet.code)


def test_a_household_is_found_by_its_code(make_node, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A clerk types the code printed in the register's second column: a list's own
    in any case, or the derived one with or without its dash, as household_code_key
    compares codes; with whatever the name and citizen ID search finds."""
    node, add = commune_station(make_node)
    db, actor = node.db, node.actor
    add("Lò Văn Ấn", household_code="BG-0012")
    add("Hà Thị Lan", household_code="001")
    add("Triệu Văn Sành", household_code="0412")
    add("Đàm Văn Sáng", citizen_id="001090012345", birth_year=1990, sex=Sex.male)
    code = node.household(add("Nông Thị Hoa")).household_code
    assert len(code) == 11 and code[5] == "-"  # derived from its id, and stored
    for typed in ("bg-0012", " BG-0012 ", "Bg-0012", "bG-0012"):
        assert plan_answers(db, actor, monkeypatch, typed) == ["Lò Văn Ấn"]
    assert plan_answers(db, actor, monkeypatch, "bg-001") == []  # part of a code: no code
    assert plan_answers(db, actor, monkeypatch, "bg0012") == []  # a list's dash is its own
    # "001" is a code and a part of a citizen ID: both households.
    assert plan_answers(db, actor, monkeypatch, "001") == ["Đàm Văn Sáng", "Hà Thị Lan"]
    assert plan_answers(db, actor, monkeypatch, "0412") == ["Triệu Văn Sành"]
    for typed in (code, code.lower(), code.replace("-", "").lower(), f" {code.lower()} "):
        assert plan_answers(db, actor, monkeypatch, typed) == ["Nông Thị Hoa"]
    assert plan_answers(db, actor, monkeypatch, code[:8]) == []
    # A team leader of another hamlet does not see the household by its code either.
    other = next(h for h in units.list_hamlets(db) if h.name == "Bản Khuổi Hẩu")
    users.create_user(
        db, actor, username="totruong", password="demo", role=Role.team_leader,
        hamlet_code=other.code,
    )  # fmt: skip
    leader = users.authenticate(db, "totruong", "demo")
    assert found(db, leader, "bg-0012") == []
    assert hh.count_households(db, leader, hh.HouseholdQuery(search="bg-0012"), cap=5) == 0


def test_a_code_is_found_as_typed_in_any_case(make_node, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Before, a list's own code of more than ten letters stored in mixed case
    ("NaPan-KhauBon-0012") was found only typed as lower case, capitals or capitalised;
    one of ten characters with an O, I or L ("ThonNaPan1") not even typed as stored, as
    its key reads those as figures (a derived code typed back); and a derived code with
    spaces around its dash not at all."""
    node, add = commune_station(make_node)
    db, actor = node.db, node.actor
    add("Lò Văn Ấn", household_code="NaPan-KhauBon-0012")
    add("Hà Thị Lan", household_code="ThonNaPan1")
    code = node.household(add("Nông Thị Hoa")).household_code
    for typed in ("NaPan-KhauBon-0012", "napan-khaubon-0012", " NAPAN-KHAUBON-0012 "):
        assert plan_answers(db, actor, monkeypatch, typed) == ["Lò Văn Ấn"]
    assert plan_answers(db, actor, monkeypatch, "napan-khaubon") == []  # part of a code
    for typed in ("ThonNaPan1", "thonnapan1", "THONNAPAN1"):
        assert plan_answers(db, actor, monkeypatch, typed) == ["Hà Thị Lan"]
    mixed = "".join(c.lower() if i % 2 else c for i, c in enumerate(code))  # "7k2Mq-9qX3p"
    spaced = (f" {code[:5]} - {code[6:]} ", f"{mixed[:5]} {mixed[6:]}")
    for typed in (mixed, mixed.replace("-", ""), *spaced):
        assert plan_answers(db, actor, monkeypatch, typed) == ["Nông Thị Hoa"]


def test_households_made_before_codes_are_found_by_their_derived_code(  # type: ignore[no-untyped-def]
    make_node, monkeypatch  # noqa: F811
) -> None:
    """Their code is derived from their id, never written to their row: searched only
    for text shaped as a derived code, through the codes kept per database while
    the households without a code stay the same."""
    node, add = commune_station(make_node)
    db, actor = node.db, node.actor
    first = add("Lý Thị Mẩy")
    second = add("Hoàng Văn Páo")
    add("Giàng Seo Vàng")
    for hid in (first, second):
        without_code(db, hid)
    code = node.household(first).household_code  # households.household_code_of
    assert code == derived_household_code(uuid.UUID(first))
    made = []
    real_derived_codes = household_search.derived_codes

    def counted(ids):  # type: ignore[no-untyped-def]
        made.append(1)
        return real_derived_codes(ids)

    monkeypatch.setattr(household_search, "derived_codes", counted)
    for typed in (code, code.lower(), code.replace("-", "").lower()):
        assert plan_answers(db, actor, monkeypatch, typed) == ["Lý Thị Mẩy"]
    assert len(made) == 1  # derived once, then kept
    assert found(db, actor, "giang seo") == ["Giàng Seo Vàng"]  # not shaped as a code
    assert len(made) == 1
    assert stored_code(db, first) is None  # nothing written

    # A household without a code comes (merged from a station of before the codes).
    third = add("Vi Văn Sáng")
    without_code(db, third)
    third_code = node.household(third).household_code
    assert found(db, actor, third_code.lower()) == ["Vi Văn Sáng"]
    assert len(made) == 2
    # One is given a list's own code: found by it, no longer by the derived one.
    with db.transaction() as session:
        session.execute(
            update(Household).where(Household.id == uuid.UUID(second)).values(household_code="BG-7")
        )
    second_code = derived_household_code(uuid.UUID(second))
    assert found(db, actor, second_code) == []
    assert found(db, actor, "bg-7") == ["Hoàng Văn Páo"]
    # An edit stores the code the household showed: it is found by it all the same.
    node.edit_household(first, notes="Đã sửa")
    assert stored_code(db, first) == code
    assert found(db, actor, code.replace("-", "")) == ["Lý Thị Mẩy"]
    assert found(db, actor, third_code) == ["Vi Văn Sáng"]


# -- kept in step ------------------------------------------------------------------


def test_follows_renames_new_ids_and_soft_deletes(db, admin, hamlet) -> None:  # type: ignore[no-untyped-def]
    view = hh.create_household(db, admin, form(hamlet.code, "Nguyễn Văn Ấn"))
    assert found(db, admin, "nguyen van") == ["Nguyễn Văn Ấn"]
    renamed = replace(
        view.as_input(), head_name="Triệu Văn Sành", citizen_id="020085001234",
        birth_year=1985, sex=Sex.male,
    )  # fmt: skip
    hh.update_household(db, admin, view.id, renamed)
    assert found(db, admin, "nguyen van") == []
    assert found(db, admin, "trieu van") == ["Triệu Văn Sành"]
    assert found(db, admin, "0850012") == ["Triệu Văn Sành"]
    hh.delete_household(db, admin, view.id, "Chuyển đi")
    assert found(db, admin, "trieu van") == []
    assert found(db, admin, "trieu van", include_deleted=True) == ["Triệu Văn Sành"]
    assert_index_in_step(db)  # the soft-deleted household keeps its entry


def test_list_then_count_sees_every_change_in_between(db, admin, hamlet) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        hh.create_household(db, admin, form(hamlet.code, "Nguyễn Thị Hoa"))
    q = hh.HouseholdQuery(search="thi hoa")
    assert len(hh.list_households(db, admin, q)) == 3
    assert hh.count_households(db, admin, q) == 3
    hh.list_households(db, admin, q)
    hh.create_household(db, admin, form(hamlet.code, "Nông Thị Hoa"))  # this connection
    assert hh.count_households(db, admin, q) == 4
    hh.list_households(db, admin, q)
    other = raw(db)  # another program
    other.execute(
        "UPDATE household SET head_name_key = 'nong van hai' WHERE head_name = 'Nông Thị Hoa'"
    )
    other.close()
    assert hh.count_households(db, admin, q) == 3


def test_writes_from_other_programs_and_plain_sql_are_caught(db, admin, hamlet) -> None:  # type: ignore[no-untyped-def]
    first = hh.create_household(db, admin, form(hamlet.code, "Lý Thị Mẩy"))
    second = hh.create_household(db, admin, form(hamlet.code, "Lò Văn Ấn"))
    other = raw(db)
    other.execute(
        "UPDATE household SET head_name = 'Lý Thị Nhung', head_name_key = 'ly thi nhung' "
        "WHERE id = ?", (first.id.replace("-", ""),),
    )  # fmt: skip
    other.execute("DELETE FROM household WHERE id = ?", (second.id.replace("-", ""),))
    other.close()
    with db.transaction() as session:  # an ORM bulk update, as a merge may write
        session.execute(update(Household).values(citizen_id="001090012345"))
    assert found(db, admin, "thi may") == []
    assert found(db, admin, "thi nhung") == ["Lý Thị Nhung"]
    assert found(db, admin, "van an") == []
    assert found(db, admin, "0900123") == ["Lý Thị Nhung"]
    assert_index_in_step(db)


def _copy_of_last_household(other: sqlite3.Connection, name: str, key: str) -> None:
    """Another program inserts a household: the last one's row under a new id and name."""
    other.execute("DROP TABLE IF EXISTS temp.spare")
    other.execute("CREATE TEMP TABLE spare AS SELECT * FROM household ORDER BY rowid DESC LIMIT 1")
    other.execute(
        "UPDATE spare SET id = ?, head_name = ?, head_name_key = ?", (uuid.uuid4().hex, name, key)
    )
    other.execute("INSERT INTO household SELECT * FROM spare")


def test_new_rows_are_found_when_the_mark_goes_stale(db, admin, hamlet) -> None:  # type: ignore[no-untyped-def]
    """New households are found past a mark (rowid, id). When the marked row was
    deleted for good and its rowid reused, or rows were renumbered as VACUUM may
    renumber them, every household the index lacks is found all the same."""
    for name in ("Lý Thị Mẩy", "Lò Văn Ấn", "Vi Văn Sáng"):
        hh.create_household(db, admin, form(hamlet.code, name))
    assert found(db, admin, "van sang") == ["Vi Văn Sáng"]  # the mark is on Vi Văn Sáng
    other = raw(db)
    last = other.execute("SELECT max(rowid) FROM household").fetchone()[0]
    _copy_of_last_household(other, "Hà Thị Lan", "ha thi lan")
    other.execute("DELETE FROM household WHERE rowid = ?", (last,))
    other.execute("UPDATE household SET rowid = ? WHERE head_name = 'Hà Thị Lan'", (last,))
    assert found(db, admin, "thi lan") == ["Hà Thị Lan"]  # the same rowid, another id
    assert found(db, admin, "van sang") == []
    # Renumbered: the first row goes, the marked one moves down into its place, and
    # the next household takes a rowid the mark already covered.
    first, last = other.execute("SELECT min(rowid), max(rowid) FROM household").fetchone()
    other.execute("DELETE FROM household WHERE rowid = ?", (first,))
    other.execute("UPDATE household SET rowid = ? WHERE rowid = ?", (first, last))
    _copy_of_last_household(other, "Nông Văn Dũng", "nong van dung")
    assert (
        other.execute("SELECT rowid FROM household WHERE head_name = 'Nông Văn Dũng'").fetchone()[0]
        <= last
    )
    other.close()
    assert found(db, admin, "van dung") == ["Nông Văn Dũng"]
    assert_index_in_step(db)


def test_bulk_inserted_households_are_found(db, admin, hamlet) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db, admin) as uow:
        writer = BulkInserter(uow, Household, batch_size=7)
        for i in range(30):
            name = f"{NAMES[i % len(NAMES)]} {i}"
            writer.add(hh.household_columns(form(hamlet.code, name)), f"Thêm hộ {name}")
        writer.flush()
    assert found(db, admin, "hoang van pao") == ["Hoàng Văn Páo 18", "Hoàng Văn Páo 3"]
    with_van = sum("van" in fold(NAMES[i % len(NAMES)]) for i in range(30))
    assert hh.count_households(db, admin, hh.HouseholdQuery(search="van")) == with_van
    assert_index_in_step(db)
    assert verify(db) == []  # the index's tables are no records


def test_households_merged_by_sync_are_found(tree: Tree) -> None:  # noqa: F811
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.a.edit_household(hid, head_name="Nguyễn Văn Ánh")
    tree.commune.take(tree.a.export())
    commune = tree.commune
    assert found(commune.db, commune.actor, "nguyen van anh") == ["Nguyễn Văn Ánh"]
    assert found(commune.db, commune.actor, "nguyen van an") == ["Nguyễn Văn Ánh"]
    assert found(commune.db, commune.actor, "van anh") == ["Nguyễn Văn Ánh"]
    assert found(tree.a.db, tree.a.actor, "van anh") == ["Nguyễn Văn Ánh"]
    if commune.db.location.is_sqlite:
        assert_index_in_step(commune.db)
    commune.verify_clean()


def test_postgresql_gets_trigram_indexes_when_it_can(backend, make_node) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    if backend != "postgresql":
        pytest.skip("PostgreSQL only")
    node = make_node("server", "06112", "Thôn Nà Pàn")
    node.add_household("Nguyễn Văn Ấn")
    assert found(node.db, node.actor, "nguyen van") == ["Nguyễn Văn Ấn"]
    with node.db.engine.connect() as conn:
        has_trgm = conn.execute(
            text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        ).first()
        indexes = set(
            conn.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'household'")
            ).scalars()
        )
    wanted = {"household_search_head_name_key", "household_search_citizen_id"}
    assert (wanted <= indexes) if has_trgm else not (wanted & indexes)


# -- files: backups, VACUUM, upgrades, the index missing ---------------------------


def test_a_backup_copy_searches_and_keeps_in_step(db, admin, commune, tmp_path) -> None:  # type: ignore[no-untyped-def]
    expected = found(db, admin, "thi hoa")
    copy_path = db.backup(reason="test", folder=tmp_path / "copies")
    copy = Database(resolve_database(copy_path))
    copy.open()
    actor = users.authenticate(copy, "admin", "demo")
    assert found(copy, actor, "thi hoa") == expected
    # A copy may hold the household rows in another order, with other rowids: the
    # index never relied on them.
    other = raw(copy)
    other.execute("UPDATE household SET rowid = 1000000 - rowid")
    other.close()
    assert found(copy, actor, "thi hoa") == expected
    view = hh.list_households(copy, actor, hh.HouseholdQuery(search="thi hoa"))[0]
    hh.update_household(copy, actor, view.id, replace(view.as_input(), head_name="Ma Văn Tỉnh"))
    assert found(copy, actor, "thi hoa") == expected[1:]
    assert found(copy, actor, "ma van tinh") == ["Ma Văn Tỉnh"]
    assert_index_in_step(copy)
    assert verify(copy) == []
    copy.dispose()


def test_vacuum_keeps_the_index_in_step(db, admin, commune) -> None:  # type: ignore[no-untyped-def]
    expected = found(db, admin, "van")
    with db.engine.connect() as conn:
        conn.connection.driver_connection.execute("VACUUM")
    assert found(db, admin, "van") == expected
    assert_index_in_step(db)
    assert db.integrity_problems() == []


def test_an_old_file_is_indexed_when_upgraded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "nhao-0001.sqlite", path)
    db = Database(resolve_database(path))
    db.open()
    assert_index_in_step(db)
    actor = users.authenticate(db, "admin", "demo")
    assert found(db, actor, "hoang van pao") == ["Hoàng Văn Páo"]
    assert found(db, actor, "HOÀNG") == ["Hoàng Văn Páo"]
    db.dispose()


def test_the_triggers_are_there(db) -> None:  # type: ignore[no-untyped-def]
    """A later migration that rebuilds `household` must make them again. No insert
    trigger: it would make bulk inserts keep a statement journal per row (0005)."""
    with db.engine.connect() as conn:
        triggers = set(
            conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'household'"
            ).scalars()
        )
    assert {"household_search_update", "household_search_delete"} <= triggers
    assert not any("insert" in name for name in triggers)


def test_without_the_index_search_uses_like(db, admin, commune) -> None:  # type: ignore[no-untyped-def]
    expected = found(db, admin, "thi hoa", order_by="hamlet")
    db.downgrade("0003")
    with db.engine.connect() as conn:
        assert not conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name LIKE 'household_search%'"
        ).all()
    sent = SentSql(db)
    assert found(db, admin, "thi hoa", order_by="hamlet") == expected
    assert not sent.used_index()
    # A household written meanwhile by the code of that schema (today's adds columns that
    # 0003 lacks, "Mã hộ" of 0011): a copy of a household under another name and id.
    with db.engine.begin() as conn:
        columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(household)")]
        new = {"id": uuid.uuid4().hex, "head_name": "Đinh Thị Hoa",
               "head_name_key": fold("Đinh Thị Hoa"), "citizen_id": None}  # fmt: skip
        values = ", ".join(f":{c}" if c in new else c for c in columns)
        conn.execute(
            text(f"INSERT INTO household ({', '.join(columns)}) SELECT {values} FROM household "
                 "WHERE deleted_at IS NULL LIMIT 1"),
            new,
        )  # fmt: skip
    db.upgrade("head")  # the backfill takes in what came meanwhile
    assert_index_in_step(db)
    assert "Đinh Thị Hoa" in found(db, admin, "thi hoa")
    assert sent.used_index()
