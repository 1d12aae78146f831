"""Two office computers open the same server database: what one writes while the
other is writing waits for it, then goes in after it, instead of failing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from nhao.models import ChangeLogEntry, Target
from nhao.models.database import Database
from nhao.services.unit_of_work import unit_of_work

from .conftest import COMMUNE, PROVINCE

OTHER_COMMUNE = "06040"  # Xã Thất Khê, Lạng Sơn


def _someone_waits_for_a_lock(db: Database) -> bool:
    with db.engine.connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        return bool(waiting.scalar())


def test_a_second_computer_writes_after_the_first_not_over_it(make_node, backend) -> None:  # type: ignore[no-untyped-def]
    """The second computer's change used to take the change number the first had just
    taken, and fail at commit on it: an unexpected error, its work lost."""
    if backend != "postgresql":
        pytest.skip("a database file is opened by one laptop; a server by several computers")
    province = make_node("province", PROVINCE)
    second = Database(province.db.location)
    failed: list[BaseException] = []

    def set_a_target() -> None:
        try:
            with unit_of_work(second, province.actor) as uow:
                uow.insert(Target(unit_code=OTHER_COMMUNE, year=2026, new_builds=5, repairs=1))
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failed.append(error)

    worker = threading.Thread(target=set_a_target)
    try:
        with unit_of_work(province.db, province.actor) as uow:  # a long import, say
            uow.insert(Target(unit_code=COMMUNE, year=2026, new_builds=3, repairs=2))
            worker.start()
            while worker.is_alive() and not _someone_waits_for_a_lock(province.db):
                worker.join(0.05)
        worker.join()
        assert failed == []
        with province.db.session() as session:
            assert sorted(session.scalars(select(Target.unit_code))) == [OTHER_COMMUNE, COMMUNE]
            seqs = session.scalars(select(ChangeLogEntry.seq)).all()
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
        province.verify_clean()
    finally:
        second.dispose()
