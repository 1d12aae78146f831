"""The bulk writer of merges on PostgreSQL (nhao.sync.pg_copy): COPY text that it
formats itself must store what an INSERT of the same values stores, and its id
sets must find what IN lists find. Runs on SQLite too, where insert_rows and
in_batches keep their plain executemany and IN lists."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    create_engine,
    insert,
    select,
    text,
)

from nhao.config import DatabaseLocation, resolve_database
from nhao.models.database import Database
from nhao.sync import pg_copy
from nhao.sync.fresh import insert_rows
from nhao.sync.pg_copy import in_batches

from .conftest import PG_URL

TRICKY = [
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "back\\slash",
    "\\N",  # COPY's NULL marker, as text
    "\\.",  # COPY's old end-of-data marker
    "Tiếng Việt: Nguyễn Thị Ánh, Đắk Lắk",
    "emoji 🏠 and \x1f unit separator",
    "",
    None,
]
JSONS = [
    {"a": 'x\\y\t\n"quoted"', "b": [1, 2.5, None, True], "c": "Việt"},
    None,  # stored as JSON null, as SQLAlchemy binds it
    "plain string",
    [],
    0,
    {"float": 1e-05, "big": 10**20},
    {"nested": {"k": ["\\", "\r"]}},
    {"v": False},
    1.5,
    {"x": "\\N"},
]


def _numbered(*columns: Column) -> list[Column]:
    """A probe table's columns after its own integer id."""
    return [Column("id", Integer, primary_key=True, autoincrement=False), *columns]


def _columns() -> list[Column]:
    return _numbered(
        Column("s", String(200)),
        Column("t", Text),
        Column("b", Boolean),
        Column("n", BigInteger),
        Column("f", Float),
        Column("u", Uuid),
        Column("dt", DateTime),
        Column("d", Date),
        Column("j", JSON),
    )


def _rows() -> list[list]:
    rows = []
    for i, (s, j) in enumerate(zip(TRICKY, JSONS, strict=True)):
        rows.append(
            [
                i,
                s,
                None if s is None else s * 3,
                [True, False, None][i % 3],
                [0, -1, 2**62, None, 10**12][i % 5],
                [0.1, 1e-05, -0.0, 1e300, None, 2.5][i % 6],
                None if i == 3 else uuid.UUID(int=i * 7919 + 1),
                None if i == 4 else datetime(2025, 1, 2, 3, 4, 5, i * 1111),
                None if i == 5 else date(1999, 12, 31 - i),
                j,
            ]
        )
    return rows


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A database engine configured as nhao configures it (JSON codec and all),
    without nhao's tables: the probe tables are this test's own."""
    if request.param == "sqlite":
        db = Database(resolve_database(tmp_path / "probe.sqlite"))
        yield db
        db.dispose()
        return
    if not PG_URL:
        pytest.skip("PostgreSQL: NHAO_TEST_PG_URL is not set (run .ci/start-postgres)")
    name = f"nhao_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(DatabaseLocation(url=PG_URL.rsplit("/", 1)[0] + "/" + name, path=None))
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _tables(conn: Connection) -> tuple[Table, Table]:
    meta = MetaData()
    bulk = Table("probe_bulk", meta, *_columns())
    plain = Table("probe_plain", meta, *_columns())
    meta.create_all(conn)
    return bulk, plain


def test_bulk_rows_read_back_as_inserted_rows(
    engine_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("every value here is formatted by pg_copy itself")

    monkeypatch.setattr(pg_copy, "_write_rows", refuse)
    rows = _rows()
    with engine_db.engine.begin() as conn:
        bulk, plain = _tables(conn)
        names = [c.name for c in bulk.columns]
        insert_rows(conn, bulk, names, rows)
        conn.execute(insert(plain), [dict(zip(names, r, strict=True)) for r in rows])
        got = conn.execute(select(bulk).order_by(bulk.c.id)).all()
        want = conn.execute(select(plain).order_by(plain.c.id)).all()
        assert [tuple(r) for r in got] == [tuple(r) for r in want]
        assert [list(r) for r in got] == rows  # and both are what was given
        if conn.dialect.name == "postgresql":  # the very JSON text, not only its value
            as_text = "SELECT j::text FROM {} ORDER BY id"
            assert conn.exec_driver_sql(as_text.format("probe_bulk")).all() == (
                conn.exec_driver_sql(as_text.format("probe_plain")).all()
            )


class Kind(enum.IntEnum):
    one = 1


def test_values_it_does_not_format_go_through_psycopg(engine_db: Database) -> None:
    """An aware datetime, an int enum, bytes (psycopg's Binary once bound): the table
    is written by psycopg's own adapters, with the same result as an INSERT."""
    meta = MetaData()
    columns = _numbered(Column("n", Integer), Column("at", DateTime), Column("raw", LargeBinary))
    bulk, plain = Table("odd_bulk", meta, *columns), Table("odd_plain", meta, *_copy(columns))
    rows = [
        [1, Kind.one, datetime(2025, 1, 1, 12, tzinfo=UTC), b"\\x00\t"],
        [2, 5, None, bytes(range(256))],
        [3, None, datetime(2025, 1, 1, 12), None],
    ]
    with engine_db.engine.begin() as conn:
        meta.create_all(conn)
        names = ["id", "n", "at", "raw"]
        insert_rows(conn, bulk, names, rows)
        conn.execute(insert(plain), [dict(zip(names, r, strict=True)) for r in rows])
        got = conn.execute(select(bulk).order_by(bulk.c.id)).all()
        want = conn.execute(select(plain).order_by(plain.c.id)).all()
        assert [tuple(r) for r in got] == [tuple(r) for r in want]


def _copy(columns: list[Column]) -> list[Column]:
    return [c._copy() for c in columns]


def test_id_sets_find_what_in_lists_find(engine_db: Database) -> None:
    meta = MetaData()
    table = Table(
        "probe_ids",
        meta,
        Column("id", Uuid, primary_key=True),
        Column("label", String(40)),
    )
    ids = [uuid.uuid4() for _ in range(1200)]  # more than one IN list of 500
    labels = [f"l{i}" for i in range(1199)] + ["with \x1f separator"]
    with engine_db.engine.begin() as conn:
        meta.create_all(conn)
        conn.execute(
            insert(table), [{"id": i, "label": x} for i, x in zip(ids, labels, strict=True)]
        )
        wanted = [str(i) for i in ids[::2]] + [str(uuid.uuid4()) for _ in range(300)]
        found = {
            r
            for c in in_batches(conn, table.c.id, wanted)
            for r in conn.scalars(select(table.c.id).where(c))
        }
        assert found == set(ids[::2])
        as_uuids = {
            r
            for c in in_batches(conn, table.c.id, ids[:3])
            for r in conn.scalars(select(table.c.id).where(c))
        }
        assert as_uuids == set(ids[:3])
        for probe in (["l1", "l7", "nope"], ["with \x1f separator", "l2"], ["", "l3"]):
            got = {
                r
                for c in in_batches(conn, table.c.label, probe)
                for r in conn.scalars(select(table.c.label).where(c))
            }
            assert got == set(probe) & set(labels)
        assert list(in_batches(conn, table.c.label, [])) == []


def test_canonical_text_of_new_rows_reads_back_as_their_values(engine_db: Database) -> None:
    """fresh.storage hands COPY nhao's canonical UUID, time and date text as it
    is: the server must store what COPY of the values from_canonical makes stored
    before and what an INSERT stores, whatever the spelling. (A time with a zone is
    refused: see tests/sync/test_adversarial.)"""
    if engine_db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has its own storage (tests/sync/test_fresh_storage)")
    from nhao.sync.fresh import _date_text, _datetime_text, _uuid_text

    some = uuid.UUID("0192f6a0-7b3c-7d4e-8f90-a1b2c3d4e5f6")
    uuids = [str(some), str(some).upper(), some.hex, "{" + str(some) + "}", None]
    times = [
        "2026-11-22T09:05:07.123456",
        "2026-01-02T03:04:05.000000",
        "0005-01-02T03:04:05.000006",
        "2026-11-22 09:05:07",
        "2026-11-22T09:05",
    ]
    dates = ["2026-11-22", "0005-01-02", "20261122", None, "1999-12-31"]
    meta = MetaData()
    columns = _numbered(Column("u", Uuid), Column("dt", DateTime), Column("d", Date))
    tables = [Table(f"canon_{n}", meta, *_copy(columns)) for n in ("text", "objects", "insert")]
    texts = [[i, u, t, d] for i, (u, t, d) in enumerate(zip(uuids, times, dates, strict=True))]
    stores = [lambda v: v, _uuid_text, _datetime_text, _date_text]
    objects = [lambda v: v, uuid.UUID, datetime.fromisoformat, date.fromisoformat]

    def each(row: list, how: list) -> list:  # type: ignore[type-arg]
        return [None if v is None else f(v) for v, f in zip(row, how, strict=True)]

    assert [_uuid_text(str(some)), _date_text("2026-11-22")] == [str(some), "2026-11-22"]
    with engine_db.engine.begin() as conn:
        meta.create_all(conn)
        names = ["id", "u", "dt", "d"]
        as_text, as_objects, inserted = tables
        insert_rows(conn, as_text, names, [each(r, stores) for r in texts])
        insert_rows(conn, as_objects, names, [each(r, objects) for r in texts])
        conn.execute(
            insert(inserted), [dict(zip(names, each(r, objects), strict=True)) for r in texts]
        )
        got, before, want = (
            [tuple(r) for r in conn.execute(select(t).order_by(t.c.id))] for t in tables
        )
        assert got == before == want
        assert got[0][1:] == (some, datetime(2026, 11, 22, 9, 5, 7, 123456), date(2026, 11, 22))


def test_json_written_already_is_stored_as_it_is(engine_db: Database) -> None:
    """models.json_codec.JsonText: text that is JSON already (the canonical JSON a
    bulk writer made for a hash) reads back as its value, by COPY and by INSERT."""
    from nhao.models.json_codec import JsonText

    value = {"a": [1, "tab\there \\ và 😀"], "b": None, "c": {"d": 2.5}}
    written = JsonText('{"a":[1,"tab\\there \\\\ và 😀"],"b":null,"c":{"d":2.5}}')
    meta = MetaData()
    columns = _numbered(Column("j", JSON))
    bulk, plain = Table("jt_bulk", meta, *columns), Table("jt_plain", meta, *_copy(columns))
    with engine_db.engine.begin() as conn:
        meta.create_all(conn)
        insert_rows(conn, bulk, ["id", "j"], [[1, written], [2, JsonText("null")], [3, value]])
        conn.execute(insert(plain), [{"id": 1, "j": written}])
        assert [r.j for r in conn.execute(select(bulk).order_by(bulk.c.id))] == [value, None, value]
        assert conn.execute(select(plain.c.j)).scalar_one() == value
        if conn.dialect.name == "postgresql":
            assert conn.exec_driver_sql("SELECT j::text FROM jt_bulk WHERE id = 1").scalar() == (
                written
            )
