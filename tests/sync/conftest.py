"""Stations on real databases: hamlet laptops, a commune office, a province office.

Every sync test runs on SQLite, and again on PostgreSQL when NHAO_TEST_PG_URL
names a server (`.ci/start-postgres` starts one); each PostgreSQL station gets a
database of its own on that server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nhao.config import DatabaseLocation
from nhao.domain.enums import Category
from nhao.models import PeriodClose
from nhao.models.database import Database
from nhao.services import households as hh
from nhao.services import setup, sync, users
from nhao.services.actor import Actor
from nhao.services.sync import keys
from nhao.services.unit_of_work import unit_of_work
from nhao.services.verify import verify

COMMUNE = "06112"  # Xã Bình Gia, Lạng Sơn
PROVINCE = "20"
PASSWORD = "demo-pass"
PG_URL = os.environ.get("NHAO_TEST_PG_URL")


@dataclass
class Node:
    name: str
    db: Database
    actor: Actor
    folder: Path
    unit: str

    def export(  # type: ignore[no-untyped-def]
        self, to: str | None = None, *, full: bool = False, name: str = "", **options
    ) -> Path:
        out = self.folder / (name or f"{self.name}-{uuid.uuid4().hex[:6]}.nhao")
        sync.export_bundle(self.db, self.actor, PASSWORD, out, to=to, full=full, **options)
        return out

    def take(self, *paths: Path, dry_run: bool = False) -> list[dict]:
        return sync.import_bundles(
            self.db, self.actor, list(paths), password=PASSWORD, dry_run=dry_run
        )

    def add_household(self, name: str, *, hamlet: str | None = None, **extra) -> str:  # type: ignore[no-untyped-def]
        view = hh.create_household(
            self.db,
            self.actor,
            hh.HouseholdInput(
                hamlet_code=hamlet or self.unit,
                head_name=name,
                categories=frozenset({Category.poor}),
                **extra,
            ),
        )
        return view.id

    def edit_household(self, household_id: str, **changes) -> None:  # type: ignore[no-untyped-def]
        view = hh.get_household(self.db, self.actor, household_id)
        hh.update_household(self.db, self.actor, household_id, replace(view.as_input(), **changes))

    def household(self, household_id: str) -> hh.HouseholdView:
        return hh.get_household(self.db, self.actor, household_id)

    def verify_clean(self) -> None:
        assert [p.message for p in verify(self.db)] == []


def close_period(node: Node, period_key: str) -> None:
    """The cash book's period closed on `node`, straight in its database (nhao has no
    closing form yet; an edited laptop needs none)."""
    with unit_of_work(node.db, node.actor) as uow:
        uow.insert(
            PeriodClose(
                unit_code=node.unit,
                account="cash",
                period_key=period_key,
                statement_balance=0,
                book_balance=0,
                closed_by=node.name,
            )
        )


def trust(at: Node, other: Node, role: str) -> None:
    key_file = other.folder / f"{other.name}.nhaokey"
    keys.export_public_key(other.db, key_file)
    fingerprint = keys.show_key(other.db).fingerprint
    keys.trust_key(at.db, at.actor, key_file, fingerprint.lower().replace(" ", ""), role)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL: NHAO_TEST_PG_URL is not set (run .ci/start-postgres)")
    return str(request.param)


@pytest.fixture
def make_node(tmp_path: Path, backend: str, fresh_sqlite, pg_template) -> Iterator:  # type: ignore[no-untyped-def, type-arg]
    made: list[tuple[Database, str | None]] = []

    def make(name: str, unit_code: str, hamlet_name: str | None = None) -> Node:
        folder = tmp_path / name
        folder.mkdir()
        dbname = None
        if backend == "postgresql":
            assert PG_URL is not None
            dbname = f"nhao_t_{uuid.uuid4().hex[:12]}"
            _pg(f'CREATE DATABASE "{dbname}" TEMPLATE "{pg_template()}"')
            url = PG_URL.rsplit("/", 1)[0] + "/" + dbname
            location = DatabaseLocation(url=url, path=None)
            db = Database(location)
            db.location = _PgLocation(url, folder)  # type: ignore[assignment]
            db.open()
        else:
            db = fresh_sqlite(folder / "nhao.sqlite")
        made.append((db, dbname))
        setup.initialize(
            db,
            unit_code=unit_code,
            admin_username="admin",
            admin_password=PASSWORD,
            hamlet_name=hamlet_name,
        )
        actor = users.authenticate(db, "admin", PASSWORD)
        keys.ensure_station_key(db, actor, PASSWORD)
        unit = keys.show_key(db).unit_code
        return Node(name, db, actor, folder, unit)

    yield make
    for db, dbname in made:
        db.dispose()
        if dbname is not None:
            _pg(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _pg(statement: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_template() -> Iterator:  # type: ignore[type-arg]
    """An empty PostgreSQL database at the current schema, made on first use and copied
    (CREATE DATABASE … TEMPLATE) for each station: migrating each took seconds."""
    made: list[str] = []

    def name() -> str:
        if not made:
            made.append(f"nhao_tpl_{uuid.uuid4().hex[:12]}")
            _pg(f'CREATE DATABASE "{made[0]}"')
            url = str(PG_URL).rsplit("/", 1)[0] + "/" + made[0]
            template = Database(DatabaseLocation(url=url, path=None))
            template.open()
            template.dispose()
        return made[0]

    yield name
    for template in made:
        _pg(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


@dataclass(frozen=True)
class _PgLocation(DatabaseLocation):
    """A server database whose side files (attachments, station note) live in `side`."""

    side: Path = Path(".")

    def __init__(self, url: str, side: Path) -> None:
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "path", None)
        object.__setattr__(self, "side", side)

    @property
    def folder(self) -> Path:
        return self.side


@dataclass
class Tree:
    a: Node
    b: Node
    commune: Node
    province: Node


@pytest.fixture
def tree(make_node) -> Tree:  # type: ignore[no-untyped-def]
    """Hamlet laptops A and B → commune office → province office, keys enrolled."""
    commune = make_node("commune", COMMUNE)
    a = make_node("hamlet-a", COMMUNE, "Thôn Nà Pàn")
    b = make_node("hamlet-b", COMMUNE, "Thôn Khuổi Hẩu")
    province = make_node("province", PROVINCE)
    for child in (a, b):
        trust(commune, child, "child")
        trust(child, commune, "parent")
    trust(province, commune, "child")
    trust(commune, province, "parent")
    return Tree(a, b, commune, province)
