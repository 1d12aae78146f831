"""Migrations: linear, matching the models, transactional, and upgrading old files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select

from nhao.config import resolve_database
from nhao.domain.household_code import derived_household_code
from nhao.models import Base, Household
from nhao.models.database import (
    Database,
    DatabaseError,
    alembic_config,
    include_in_model_comparison,
)
from nhao.services.households import household_code_of
from nhao.services.verify import verify

FIXTURES = Path(__file__).parents[1] / "fixtures" / "db"

FAILING_MIGRATION = '''
"""a migration that breaks half-way"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("household") as batch:
        batch.add_column(sa.Column("extra", sa.String(10), nullable=True))
    op.execute("UPDATE household SET extra = 'x'")
    raise RuntimeError("power cut")


def downgrade():
    pass
'''


def schema_and_data(path: Path) -> tuple[list[tuple], dict[str, list[tuple]]]:
    conn = sqlite3.connect(path)
    try:
        schema = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        data = {
            name: conn.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            for (kind, name, _, _) in schema
            if kind == "table" and not name.startswith("sqlite_")
        }
    finally:
        conn.close()
    return schema, data


def test_revision_chain_is_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert [r.revision for r in reversed(revisions)] == [f"{n:04d}" for n in range(1, 14)]
    for revision in revisions:
        assert not isinstance(revision.down_revision, tuple)


def test_models_match_migrations(tmp_path: Path) -> None:
    db = Database(resolve_database(tmp_path / "x.sqlite"))
    db.open()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": include_in_model_comparison},
        )
        assert compare_metadata(context, Base.metadata) == []
    db.dispose()


def test_failed_migration_leaves_database_exactly_as_before(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "nhao-0001.sqlite", path)
    db = Database(resolve_database(path))
    db.open()
    db.dispose()
    before = schema_and_data(path)

    extra = tmp_path / "extra_versions"
    extra.mkdir()
    (extra / "9999_breaks.py").write_text(
        FAILING_MIGRATION.format(head=db.head_revision()), encoding="utf-8"
    )
    broken = Database(resolve_database(path), extra_version_dir=extra)
    with pytest.raises(RuntimeError, match="power cut"):
        broken.open()
    broken.dispose()

    assert schema_and_data(path) == before
    conn = sqlite3.connect(path)
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == (db.head_revision(),)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_old_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "nhao-0001.sqlite", path)
    old_households = sqlite3.connect(path).execute("SELECT head_name FROM household").fetchall()
    db = Database(resolve_database(path))
    assert db.current_revision() == "0001"

    backup = db.open()

    assert backup is not None and backup.exists()
    assert "before-upgrade-0001" in backup.name
    saved = sqlite3.connect(backup)
    assert saved.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert saved.execute("SELECT head_name FROM household").fetchall() == old_households
    saved.close()
    assert db.current_revision() == db.head_revision()
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw.execute("SELECT head_name FROM household").fetchall() == [("Hoàng Văn Páo",)]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM audit_event")
    db.dispose()


def test_new_database_needs_no_backup(tmp_path: Path) -> None:
    db = Database(resolve_database(tmp_path / "new.sqlite"))
    assert db.open() is None
    assert not (tmp_path / "new-backups").exists()
    db.dispose()


def test_database_from_newer_nhao_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    db = Database(resolve_database(path))
    db.open()
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="cập nhật nhao"):
        Database(resolve_database(path)).open()


def test_downgrade_then_upgrade_round_trip(tmp_path: Path) -> None:
    db = Database(resolve_database(tmp_path / "x.sqlite"))
    db.open()
    db.downgrade("base")
    assert db.is_empty() or db.current_revision() is None
    db.upgrade("head")
    assert db.current_revision() == db.head_revision()
    db.dispose()


def test_voucher_numbers_keep_their_vouchers_across_0006(tmp_path: Path) -> None:
    """0006 trades the per-unit unique constraint for an index, both ways, keeping
    every voucher; going back is refused while two vouchers share a number."""
    from datetime import date

    from nhao.domain.enums import PaymentMethod
    from nhao.services import fund, setup, users

    db = Database(resolve_database(tmp_path / "x.sqlite"))
    db.open()
    setup.initialize(db, unit_code="06112", admin_username="admin", admin_password="demo")
    admin = users.authenticate(db, "admin", "demo")
    donor = fund.add_donor(db, admin, "Công ty Hoàng Long").id
    for day in (1, 2):
        fund.record_receipt(db, admin, donor, 1_000_000 * day, date(2026, 3, day),
                            PaymentMethod.cash)

    def voucher_keys() -> list[str]:
        """The receipt table's unique constraints and indexes on its voucher number."""
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            master = "SELECT {} FROM sqlite_master WHERE tbl_name = 'receipt' AND type = '{}'"
            (table,) = raw.execute(master.format("sql", "table")).fetchone()
            names = [n for (n,) in raw.execute(master.format("name", "index"))]
        unique = [w for w in table.split() if w.startswith("uq_receipt")]
        return sorted(unique + [n for n in names if "voucher" in n])

    def numbers() -> list[tuple]:
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            return raw.execute("SELECT voucher_no, amount FROM receipt ORDER BY 1").fetchall()

    assert voucher_keys() == ["ix_receipt_voucher_number"]
    db.downgrade("0005")
    assert voucher_keys() == ["uq_receipt_unit_code_voucher_year_voucher_seq"]
    db.upgrade("head")
    assert voucher_keys() == ["ix_receipt_voucher_number"]
    assert numbers() == [("PT-2026-0001", 1_000_000), ("PT-2026-0002", 2_000_000)]

    with db.engine.begin() as conn:  # what a merge from two stations leaves
        conn.exec_driver_sql("UPDATE receipt SET voucher_seq = 1, voucher_no = 'PT-2026-0001'")
    with pytest.raises(Exception, match="UNIQUE"):
        db.downgrade("0005")
    assert db.current_revision() == db.head_revision()
    assert numbers() == [("PT-2026-0001", 1_000_000), ("PT-2026-0001", 2_000_000)]
    db.dispose()


def test_a_province_server_database_from_an_older_nhao_is_upgraded(
    empty_server_url: str,
) -> None:
    """nhao backs up database files before an upgrade; a server database is the
    server's to back up, and its upgrade is one transaction: it goes ahead."""
    from nhao.services import setup

    db = Database(resolve_database(empty_server_url))
    db.upgrade("0006")
    setup.initialize(db, unit_code="20", admin_username="tinh", admin_password="demo")

    assert db.open() is None

    assert db.current_revision() == db.head_revision()
    assert setup.is_initialized(db)
    db.dispose()


def test_0008_takes_waiting_name_pairs_across_communes_off_the_list(tmp_path: Path) -> None:
    """Names and birth years are compared within a commune now: the pairs a province
    listed across its communes that nobody had decided leave the list; a pair within
    one commune, one decided, and one sharing a citizen ID stay."""
    import uuid
    from datetime import datetime

    import sqlalchemy as sa

    from nhao.services import households, setup, units, users

    db = Database(resolve_database(tmp_path / "x.sqlite"))
    db.open()
    setup.initialize(db, unit_code="06112", admin_username="admin", admin_password="demo")
    admin = users.authenticate(db, "admin", "demo")
    [hamlet] = units.add_hamlets(db, admin, ["Thôn Nà Pàn"])
    here = [
        households.create_household(db, admin, households.HouseholdInput(
            hamlet_code=hamlet.code, head_name="Lò Văn Sình", birth_year=1970,
        )).id
        for _ in range(2)
    ]  # fmt: skip
    # A household of another commune, as a province holds it (copied row, new id).
    there = str(uuid.uuid4())
    with db.engine.begin() as conn:
        columns = [c["name"] for c in sa.inspect(conn).get_columns("household")]
        rest = [c for c in columns if c not in ("id", "unit_code")]
        conn.exec_driver_sql(
            f"INSERT INTO household (id, unit_code, {', '.join(rest)}) "
            f"SELECT ?, ?, {', '.join(rest)} FROM household WHERE id = ?",
            (uuid.UUID(there).hex, "06040-7a7a7a7a", uuid.UUID(here[0]).hex),
        )
    db.downgrade("0007")
    pairs = sa.table(
        "sync_duplicate", sa.column("id", sa.Uuid()), sa.column("household_a"),
        sa.column("household_b"), sa.column("reason"), sa.column("found_at"),
        sa.column("decision"), sa.column("decided_by"),
    )  # fmt: skip
    listed = {
        "within": (here[0], here[1], "name_birth_year", None),
        "across": (here[0], there, "name_birth_year", None),
        "across, decided": (here[1], there, "name_birth_year", "different"),
        "card": (here[1], there, "citizen_id", None),
    }
    with db.engine.begin() as conn:
        for a, b, reason, decision in listed.values():
            conn.execute(sa.insert(pairs).values(
                id=uuid.uuid4(), household_a=min(a, b), household_b=max(a, b), reason=reason,
                found_at=datetime(2026, 11, 1), decision=decision, decided_by="",
            ))  # fmt: skip
    db.upgrade("head")
    with db.engine.connect() as conn:
        kept = {
            (a, b, reason, decision)
            for a, b, reason, decision in conn.execute(
                sa.select(pairs.c.household_a, pairs.c.household_b, pairs.c.reason,
                          pairs.c.decision)
            )
        }  # fmt: skip
    expected = {
        (min(a, b), max(a, b), reason, decision)
        for name, (a, b, reason, decision) in listed.items()
        if name != "across"
    }
    assert kept == expected
    db.dispose()


def test_households_from_before_0011_keep_their_pinned_content_and_get_the_derived_code(
    tmp_path: Path,
) -> None:
    """A code written into every household by the migration would be content the audit
    trail never pinned: `nhao verify` would call each household changed outside nhao.
    They keep none stored, and show (and export, and match) the code derived from their
    id; an edit stores it, through the audit trail."""
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "nhao-0001.sqlite", path)
    db = Database(resolve_database(path))
    db.open()
    try:
        assert [p.message for p in verify(db)] == []
        with db.session() as session:
            [row] = session.scalars(select(Household)).all()
            assert row.household_code is None
            assert household_code_of(row) == derived_household_code(row.id)
    finally:
        db.dispose()


def test_0012_gives_each_known_computer_of_a_unit_the_units_positions(tmp_path: Path) -> None:
    """Positions kept per unit become, for each computer of the unit known here, its own
    as they stood; a unit none of whose computers is known keeps them for the whole
    unit. Going back keeps the position of the computer furthest behind."""
    from datetime import datetime

    import sqlalchemy as sa

    from nhao.services import setup

    db = Database(resolve_database(tmp_path / "x.sqlite"))
    db.open()
    setup.initialize(db, unit_code="06112", admin_username="admin", admin_password="demo")
    db.downgrade("0011")
    laptops = ("01a20dd1-0000-7000-8000-00000000000a", "01a20dd1-0000-7000-8000-00000000000b")
    origin = "01a20dd1-0000-7000-8000-0000000000c0"
    at = datetime(2026, 11, 1)
    with db.engine.begin() as conn:
        for laptop in laptops:  # two laptops of one hamlet, heard of in their bundles
            conn.execute(
                sa.text("INSERT INTO sync_origin VALUES (:s, '06112-a', 3, :at)"),
                {"s": laptop, "at": at},
            )
        for unit, sent, acked in (("06112-a", 7, 5), ("06112-b", 4, None)):
            conn.execute(
                sa.text("INSERT INTO sync_cursor VALUES (:u, :o, :sent, :acked, :at)"),
                {"u": unit, "o": origin, "sent": sent, "acked": acked, "at": at},
            )
    db.upgrade("head")

    def positions() -> set[tuple]:
        with db.engine.connect() as conn:
            return set(conn.exec_driver_sql(
                "SELECT recipient_unit, recipient_station, sent_upto, acked_upto FROM sync_cursor"
            ).all())  # fmt: skip

    assert positions() == {
        ("06112-a", laptops[0], 7, 5), ("06112-a", laptops[1], 7, 5), ("06112-b", "", 4, None),
    }  # fmt: skip
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE sync_cursor SET sent_upto = 9 WHERE recipient_station = :s"),
            {"s": laptops[1]},
        )
    db.downgrade("0011")
    with db.engine.connect() as conn:
        assert set(conn.exec_driver_sql("SELECT * FROM sync_cursor").all()) == {
            ("06112-a", origin, 7, 5, str(at)), ("06112-b", origin, 4, None, str(at)),
        }  # fmt: skip
    db.dispose()
