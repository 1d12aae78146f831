"""The bulk path writes what UnitOfWork.insert writes, byte for byte where it counts."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from nhao.domain.enums import Category, Sex
from nhao.domain.text import nfc
from nhao.models import AuditEvent, ChangeLogEntry, Household
from nhao.models.database import Database
from nhao.services import bulk_writer, units
from nhao.services.actor import Actor
from nhao.services.bulk_writer import BulkInserter
from nhao.services.households import HouseholdInput, household_columns
from nhao.services.unit_of_work import unit_of_work
from nhao.services.verify import verify

BOOKKEEPING = {"id", "created_at", "updated_at", "hlc", "origin_station", "changed_by"}
TRICKY = 'Lò "Văn" \\ A/B 😀 Ấn\ttab'


def _input(hamlet: str, name: str, cid: str) -> HouseholdInput:
    return HouseholdInput(
        hamlet_code=hamlet,
        head_name=name,
        citizen_id=cid,
        birth_year=1960,
        sex=Sex.male,
        categories=frozenset({Category.poor, Category.policy_family}),
        notes=TRICKY,
    )


def _trail(db: Database, record_id: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    with db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.record_id == record_id)).one()
        change = session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.record_id == record_id)
        ).one()
        return (
            {k: v for k, v in (event.after or {}).items() if k not in BOOKKEEPING},
            {k: v for k, v in change.changes.items() if k not in BOOKKEEPING},
        )


def test_same_audit_and_change_log_as_the_unit_of_work(db: Database, admin: Actor) -> None:
    hamlet = units.list_hamlets(db)[0].code
    with unit_of_work(db, admin) as uow:
        one = uow.insert(Household(**household_columns(_input(hamlet, "Một", "020060000123"))))
        one_id = str(one.id)
        writer = BulkInserter(uow, Household)
        two_id = str(
            writer.add(household_columns(_input(hamlet, "Một", "020060000123")), "Thêm hộ Một")
        )
        writer.flush()
        three = uow.insert(Household(**household_columns(_input(hamlet, "Ba", "020060000124"))))
        assert three.id
    assert _trail(db, one_id) == _trail(db, two_id)
    with db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.record_id == two_id)).one()
        assert (event.action, event.summary, event.before, event.user_name) == (
            "insert",
            "Thêm hộ Một",
            None,
            "admin",
        )
        stored = json.loads(
            session.connection()
            .exec_driver_sql("SELECT changes FROM change_log WHERE record_id = ?", (two_id,))
            .scalar_one()
        )
        assert stored["notes"] == [None, nfc(TRICKY)]  # the form collapses the tab too
        seqs = session.scalars(select(ChangeLogEntry.seq).order_by(ChangeLogEntry.seq)).all()
        assert seqs == list(range(1, len(seqs) + 1))
        stamps = session.scalars(select(Household.hlc).order_by(Household.created_at)).all()
        assert len(set(stamps)) == 3
    assert verify(db) == []


def test_batches_interleaved_with_other_writes(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_writer, "BATCH_SIZE", 3)
    hamlet = units.list_hamlets(db)[0].code
    with unit_of_work(db, admin) as uow:
        writer = BulkInserter(uow, Household)
        for i in range(10):
            writer.add(household_columns(_input(hamlet, f"Người {i}", "")), f"Thêm {i}")
            if i in (4, 7):
                writer.flush()
                units.add_hamlet(uow, "06112", f"Xóm {i}")
        writer.flush()
    assert verify(db) == []
    with db.session() as session:
        assert len(session.scalars(select(Household.id)).all()) == 10


def _households(db: Database) -> int:
    with db.session() as session:
        return len(session.scalars(select(Household.id)).all())


def test_batches_and_orm_writes_between_them_keep_one_trail(db: Database, admin: Actor) -> None:
    hamlet = units.list_hamlets(db)[0].code
    with unit_of_work(db, admin) as uow:
        writer = BulkInserter(uow, Household, batch_size=4)
        for i in range(30):
            writer.add(household_columns(_input(hamlet, f"Người {i}", "")), f"Thêm {i}")
            if i == 17:  # an ORM write between batches chains on the batch before it
                writer.flush()
                units.add_hamlet(uow, "06112", "Xóm Mới")
        writer.flush()
    assert _households(db) == 30
    assert verify(db) == []


def test_a_failed_batch_fails_the_whole_unit_of_work(db: Database, admin: Actor) -> None:
    hamlet = units.list_hamlets(db)[0].code
    before = _households(db)
    with pytest.raises(IntegrityError), unit_of_work(db, admin) as uow:
        writer = BulkInserter(uow, Household, batch_size=5)
        first = None
        for i in range(12):
            columns = household_columns(_input(hamlet, f"Người {i}", ""))
            if i == 7:
                columns["id"] = first  # a second row with one id: its batch fails
            added = writer.add(columns, f"Thêm {i}")
            first = first or added
        writer.flush()
    assert _households(db) == before
    assert verify(db) == []


def test_an_error_in_the_caller_after_a_batch_rolls_it_back(
    db: Database, admin: Actor
) -> None:
    hamlet = units.list_hamlets(db)[0].code
    before = _households(db)
    with pytest.raises(RuntimeError, match="cancelled"), unit_of_work(db, admin) as uow:
        writer = BulkInserter(uow, Household, batch_size=5)
        for i in range(5):  # a full batch: written
            writer.add(household_columns(_input(hamlet, f"Người {i}", "")), f"Thêm {i}")
        raise RuntimeError("cancelled")
    assert _households(db) == before
    assert verify(db) == []


def test_values_beyond_plain_json_are_written_and_pinned_alike(db: Database, admin: Actor) -> None:
    hamlet = units.list_hamlets(db)[0].code
    gone = datetime(2025, 1, 2, 3, 4, 5, 678901)
    with unit_of_work(db, admin) as uow:
        writer = BulkInserter(uow, Household)
        values = household_columns(_input(hamlet, "Đã chuyển", ""))
        record_id = writer.add({**values, "deleted_at": gone, "deleted_reason": "Chuyển đi"})
        writer.flush()
    with db.session() as session:
        row = session.get(Household, record_id)
        assert row is not None and (row.deleted_at, row.deleted_reason) == (gone, "Chuyển đi")
        event = session.scalars(select(AuditEvent).where(AuditEvent.record_id == str(record_id)))
        assert event.one().after["deleted_at"] == "2025-01-02T03:04:05.678901"
    assert verify(db) == []


def test_a_value_for_no_column_is_refused(db: Database, admin: Actor) -> None:
    hamlet = units.list_hamlets(db)[0].code
    with pytest.raises(TypeError, match="household has no column"), unit_of_work(db, admin) as uow:
        BulkInserter(uow, Household).add(
            {**household_columns(_input(hamlet, "Ai", "")), "favourite_colour": "đỏ"}
        )
    assert _households(db) == 0
