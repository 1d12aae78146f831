"""The demo commune: deterministic, complete, pinned by the audit trail, and quick."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from nhao.config import resolve_database
from nhao.domain.enums import CaseStatus, Role
from nhao.domain.errors import ValidationError
from nhao.models.database import Database
from nhao.services import cases, demo, fund, households, units, users
from nhao.services.verify import verify

TODAY = date(2025, 11, 30)


def snapshot(db: Database) -> dict[str, object]:
    """Everything that must not depend on anything but the seed (ids and hamlet codes do)."""
    admin = users.authenticate(db, "admin", "demo")
    rows = households.list_households(db, admin, households.HouseholdQuery(), limit=10_000)
    return {
        "households": sorted(
            (h.hamlet_name, h.head_name, h.citizen_id, h.birth_year, h.ethnicity, h.phone,
             h.members, h.house_class, h.case_status) for h in rows),
        "cases": sorted((c.household_name, c.kind, c.status, tuple(sorted(c.support.items())))
                        for c in cases.list_cases(db, admin)),
        "receipts": [(r.voucher_no, r.received_on, r.amount, r.method)
                     for r in fund.list_receipts(db, admin)],
        "payments": [(p.voucher_no, p.paid_on, p.amount, p.payee)
                     for p in fund.list_payments(db, admin)],
    }


def fresh(path: Path) -> Database:
    database = Database(resolve_database(path))
    database.open()
    return database


def test_same_seed_same_commune(db: Database, tmp_path: Path) -> None:
    first = demo.build_demo(db, households=80, seed=7, today=TODAY)
    other = fresh(tmp_path / "again.sqlite")
    try:
        second = demo.build_demo(other, households=80, seed=7, today=TODAY)
        assert snapshot(db) == snapshot(other)
        assert first.cases_by_status == second.cases_by_status
    finally:
        other.dispose()
    different = fresh(tmp_path / "different.sqlite")
    try:
        demo.build_demo(different, households=80, seed=8, today=TODAY)
        assert snapshot(different)["households"] != snapshot(db)["households"]
    finally:
        different.dispose()


def test_demo_refuses_a_database_in_use(db: Database) -> None:
    demo.build_demo(db, households=5, today=TODAY)
    with pytest.raises(ValidationError):
        demo.build_demo(db, households=5, today=TODAY)


@pytest.mark.slow
def test_full_demo_is_complete_consistent_and_quick(db: Database) -> None:
    started = time.perf_counter()
    summary = demo.build_demo(db, today=TODAY)
    assert time.perf_counter() - started < 15

    assert summary.households == 400 and summary.hamlets == 10
    assert set(summary.cases_by_status) == set(CaseStatus)
    admin = users.authenticate(db, "admin", "demo")
    assert {u.username: u.role for u in users.list_users(db)} == {
        "admin": Role.admin, "totruong": Role.team_leader, "ketoan": Role.accountant,
        "xem": Role.viewer}
    leader = users.authenticate(db, "totruong", "demo")
    hamlet_names = {h.code: h.name for h in units.list_hamlets(db)}
    assert hamlet_names[leader.hamlet_code] == "Thôn Nà Pàn"  # type: ignore[index]
    assert Counter(c.status for c in cases.list_cases(db, admin)) == summary.cases_by_status
    assert all(c.hamlet_code == leader.hamlet_code for c in cases.list_cases(db, leader))

    rows = households.list_households(db, admin, households.HouseholdQuery(), limit=1000)
    assert len(rows) == 400
    kinds = Counter(h.citizen_id_kind for h in rows)
    assert kinds["cccd"] > 350 and 1 <= kinds["cmnd"] <= 2 and kinds[None] > 0
    assert {h.ethnicity for h in rows} == {"Tày", "Nùng", "Dao", "Kinh", "Mông"}
    assert all(h.citizen_id.startswith("020") for h in rows if h.citizen_id_kind == "cccd")

    accountant = users.authenticate(db, "ketoan", "demo")
    balance = fund.fund_balance(db, accountant)
    assert balance.money_balance >= 0 and balance.paid > 0
    assert fund.outstanding_pledges(db, accountant)
    receipts = fund.list_receipts(db, accountant)
    assert len(receipts) == summary.receipts
    assert sum(r.voided_at is not None for r in receipts) == 1
    for year in {r.received_on.year for r in receipts}:  # gapless, numbered in date order
        book = [r for r in receipts if r.received_on.year == year]
        assert [r.voucher_no for r in book] == [f"PT-{year}-{n:04d}"
                                                for n in range(1, len(book) + 1)]
        assert [r.received_on for r in book] == sorted(r.received_on for r in book)
    # Every record the demo wrote is pinned by the audit trail and in the change log.
    assert verify(db) == []
