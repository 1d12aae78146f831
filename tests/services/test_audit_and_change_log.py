"""The audit chain pins every record; the change log is gapless and transactional."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy import func, select

from nhao.domain.enums import Category
from nhao.domain.errors import ValidationError
from nhao.models import AuditEvent, ChangeLogEntry, Household, Station
from nhao.models.database import Database
from nhao.services import households as hh
from nhao.services.actor import Actor
from nhao.services.unit_of_work import GENESIS_HASH, unit_of_work
from nhao.services.verify import verify


def add(db: Database, actor: Actor, hamlet_code: str, name: str) -> hh.HouseholdView:
    return hh.create_household(
        db,
        actor,
        hh.HouseholdInput(
            hamlet_code=hamlet_code, head_name=name, categories=frozenset({Category.poor})
        ),
    )


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Household)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
            s.scalar(select(func.count()).select_from(ChangeLogEntry)),
        )


def raw(db: Database) -> sqlite3.Connection:
    db.dispose()  # nhao's connection closed: we are now "behind its back"
    assert db.location.path is not None
    return sqlite3.connect(db.location.path)


def test_every_write_is_chained_and_pinned(db, admin, hamlet) -> None:
    first = add(db, admin, hamlet.code, "Hoàng Văn Páo")
    hh.update_household(
        db, admin, first.id, hh.HouseholdInput(hamlet_code=hamlet.code, head_name="Hoàng Văn Pảo")
    )
    hh.delete_household(db, admin, first.id, "Trùng với hộ khác")
    with db.session() as s:
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    mine = [e for e in events if e.record_id == first.id]
    assert [e.action for e in mine] == ["insert", "update", "delete"]
    assert mine[1].before["head_name"] == "Hoàng Văn Páo"
    assert mine[1].after["head_name"] == "Hoàng Văn Pảo"
    assert mine[1].user_name == "admin"
    assert verify(db) == []


def test_password_hashes_never_enter_the_audit_trail(db, admin) -> None:
    with db.session() as s:
        user_events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "app_user")).all()
    assert user_events
    assert all(e.after["password_hash"] == "***" for e in user_events)
    assert all("argon2" not in str(e.after) for e in user_events)


def test_change_log_is_gapless_and_matches_the_station(db, admin, hamlet) -> None:
    for name in ("A Páo", "B Mẩy", "C Sành"):
        add(db, admin, hamlet.code, name)
    with db.session() as s:
        station = s.scalar(select(Station).where(Station.is_self.is_(True)))
        seqs = s.scalars(select(ChangeLogEntry.seq).order_by(ChangeLogEntry.seq)).all()
        entry = s.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.entity == "household")
        ).first()
        hlcs = s.scalars(select(ChangeLogEntry.hlc).order_by(ChangeLogEntry.seq)).all()
    assert seqs == list(range(1, station.last_seq + 1))
    assert entry.op == "insert" and entry.changes["head_name"] == [None, "A Páo"]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)


def test_a_failed_write_leaves_neither_record_nor_log(db, admin, hamlet) -> None:
    add(db, admin, hamlet.code, "Có trước")
    before = counts(db)
    with pytest.raises(RuntimeError), unit_of_work(db, admin) as uow:
        uow.insert(
            Household(unit_code=hamlet.code, head_name="Ghi dở", head_name_key="ghi do")
        )
        raise RuntimeError("power cut in the middle")
    assert counts(db) == before
    with pytest.raises(ValidationError):
        hh.create_household(db, admin, hh.HouseholdInput(hamlet_code=hamlet.code, head_name=""))
    assert counts(db) == before
    add(db, admin, hamlet.code, "Sau đó")
    with db.session() as s:
        seqs = s.scalars(select(ChangeLogEntry.seq).order_by(ChangeLogEntry.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))
    assert verify(db) == []


def test_editing_a_record_behind_nhaos_back_is_found(db, admin, hamlet) -> None:
    household = add(db, admin, hamlet.code, "Lý Thị Mẩy")
    conn = raw(db)
    conn.execute("UPDATE household SET members = 9 WHERE head_name = 'Lý Thị Mẩy'")
    conn.commit()
    conn.close()
    problems = verify(db)
    assert len(problems) == 1
    assert problems[0].entity == "household"
    assert problems[0].record_id == household.id
    assert "Lý Thị Mẩy" in problems[0].message and "sửa ngoài nhao" in problems[0].message


def test_rows_added_or_removed_behind_nhaos_back_are_found(db, admin, hamlet) -> None:
    gone = add(db, admin, hamlet.code, "Sẽ bị xóa")
    conn = raw(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM household WHERE id = ?", (gone.id.replace("-", ""),))
    conn.execute(
        "INSERT INTO target (id, unit_code, year, new_builds, repairs, created_at, updated_at,"
        " origin_station, changed_by, hlc) VALUES ('ab'||hex(randomblob(15)), ?, 2025, 99, 0,"
        " '2025-01-01', '2025-01-01', 'x', 'x', 'x')",
        (hamlet.code,),
    )
    conn.commit()
    conn.close()
    messages = [p.message for p in verify(db)]
    assert any("xóa ngoài nhao" in m and gone.id in m for m in messages)
    assert any("target" in m and "thêm ngoài nhao" in m for m in messages)


def test_editing_an_audit_event_breaks_the_chain(db, admin, hamlet) -> None:
    add(db, admin, hamlet.code, "Giàng A Dình")
    conn = raw(db)
    conn.execute("DROP TRIGGER audit_event_no_update")  # a determined editor does this
    conn.execute("UPDATE audit_event SET user_name = 'someone' WHERE seq = 3")
    conn.commit()
    conn.close()
    problems = verify(db)
    assert [p.kind for p in problems] == ["audit_chain"]
    assert "#3" in problems[0].message


def test_deleting_an_audit_event_is_found(db, admin, hamlet) -> None:
    add(db, admin, hamlet.code, "Vừ Thị Mỷ")
    conn = raw(db)
    conn.execute("DROP TRIGGER audit_event_no_delete")
    conn.execute("DELETE FROM audit_event WHERE seq = 2")
    conn.commit()
    conn.close()
    problems = verify(db)
    assert any(p.kind == "audit_chain" and "#2" in p.message for p in problems)


def test_text_is_stored_nfc_whatever_service_wrote_it(db: Database, admin: Actor) -> None:
    """A decomposed name (pasted from a web form) would hash, sort and compare as
    another name at the commune and province; the unit of work composes it."""
    from unicodedata import is_normalized, normalize

    from nhao.models import Donor

    decomposed = normalize("NFD", "Nguyễn Thị Ấn")
    with unit_of_work(db, admin) as uow:
        donor = uow.insert(
            Donor(unit_code=uow.station.unit_code, name=decomposed, name_key="", kind="person")
        )
        uow.update(donor, {"address": normalize("NFD", "Thôn Nà Pàn")})
        donor_id = donor.id
    with db.session() as s:
        stored = s.get(Donor, donor_id)
        assert stored is not None and stored.name == normalize("NFC", decomposed)
        assert stored.address == "Thôn Nà Pàn" and is_normalized("NFC", stored.address)
        logged = [line.changes for line in s.scalars(select(ChangeLogEntry)).all()]
        assert all(is_normalized("NFC", str(changes)) for changes in logged)
    assert verify(db) == []


def test_every_text_is_stored_nfc_whichever_way_it_is_written(
    db: Database, admin: Actor, hamlet
) -> None:  # type: ignore[no-untyped-def]
    """Decomposed text (a keyboard tool set to "Unicode tổ hợp", a name pasted from a
    web page) through each service that takes free text, through the unit of work
    itself and through the bulk writer of imports: every text column is stored
    NFC, and the audit trail's hashes are those of what is stored."""
    from datetime import date
    from unicodedata import is_normalized, normalize

    from nhao.domain.enums import CaseStatus, PaymentMethod, SupportKind
    from nhao.models import Donor
    from nhao.services import cases, fund, inspections
    from nhao.services.bulk_writer import BulkInserter

    def nfd(text: str) -> str:
        return normalize("NFD", text)

    home = hh.create_household(db, admin, hh.HouseholdInput(
        hamlet_code=hamlet.code, head_name=nfd("Lò Thị Mỷ"), categories=frozenset({Category.poor}),
        address=nfd("Thôn Nà Pàn"), ethnicity=nfd("Tày"), notes=nfd("Nhà tạm\nmái dột"),
    ))  # fmt: skip
    gone = add(db, admin, hamlet.code, "Hoàng Văn Đức")
    hh.delete_household(db, admin, gone.id, nfd("Chuyển đi nơi khác"))
    inspections.add_inspection(db, admin, home.id, inspections.InspectionInput(
        inspected_on=date.today(), inspector=nfd("Lò Văn Tư"), has_house=False,
        notes=nfd("Vách nứa mục"),
    ))  # fmt: skip
    case = cases.propose_case(
        db, admin, home.id, SupportKind.new_build, date.today().year, nfd("Mẫu nhà số 1")
    )
    cases.transition(db, admin, case.id, CaseStatus.cancelled, on=date.today(),
                     reason=nfd("Hộ xin rút"))  # fmt: skip
    donor = fund.add_donor(db, admin, nfd("Công ty Phú Thành"), address=nfd("Lạng Sơn"))
    fund.add_pledge(db, admin, donor.id, 1_000_000, date.today(), note=nfd("Ủng hộ Tết"))
    receipt = fund.record_receipt(db, admin, donor.id, 500_000, date.today(),
                                  PaymentMethod.cash, in_kind_description=nfd("Gạo"))  # fmt: skip
    fund.void_receipt(db, admin, receipt.id, nfd("Ghi nhầm số tiền"))
    with unit_of_work(db, admin) as uow:  # as a service without a form would
        uow.soft_delete(uow.session.get(Donor, uuid.UUID(donor.id)), nfd("Trùng tên"))
        writer = BulkInserter(uow, Donor)  # as an import writes many
        writer.add({"unit_code": uow.station.unit_code, "name": nfd("Bà Nông Thị Ấn"),
                    "name_key": "ba nong thi an", "kind": "person", "phone": "",
                    "address": ""})  # fmt: skip
        writer.flush()
    conn = raw(db)
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    stored = [
        (table, value)
        for table in tables
        for row in conn.execute(f'SELECT * FROM "{table}"')
        for value in row
        if isinstance(value, str)
    ]
    conn.close()
    assert ("household", "Chuyển đi nơi khác") in stored and ("donor", "Trùng tên") in stored
    assert ("donor", "Bà Nông Thị Ấn") in stored
    assert [(t, v) for t, v in stored if not is_normalized("NFC", v)] == []
    assert verify(db) == []
