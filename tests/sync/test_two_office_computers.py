"""Two office computers open the same server database: what one writes while the
other is writing waits for it, then goes in after it, instead of failing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from nhao.models import ChangeLogEntry, Station, Target
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


def _while_the_first_writes(province, work) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """`work` on a second computer, started while the first holds a write open (a long
    import, say); what it raised."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            failed.append(error)

    worker = threading.Thread(target=run)
    with unit_of_work(province.db, province.actor) as uow:
        uow.insert(Target(unit_code=COMMUNE, year=2026, new_builds=3, repairs=2))
        worker.start()
        while worker.is_alive() and not _someone_waits_for_a_lock(province.db):
            worker.join(0.05)
    worker.join()
    return failed


def test_a_second_computer_writes_after_the_first_not_over_it(make_node, backend) -> None:  # type: ignore[no-untyped-def]
    """The second computer's change used to take the change number the first had just
    taken, and fail at commit on it: an unexpected error, its work lost."""
    if backend != "postgresql":
        pytest.skip("a database file is opened by one laptop; a server by several computers")
    province = make_node("province", PROVINCE)
    second = Database(province.db.location)

    def set_a_target() -> None:
        with unit_of_work(second, province.actor) as uow:
            uow.insert(Target(unit_code=OTHER_COMMUNE, year=2026, new_builds=5, repairs=1))

    try:
        assert _while_the_first_writes(province, set_a_target) == []
        with province.db.session() as session:
            assert sorted(session.scalars(select(Target.unit_code))) == [OTHER_COMMUNE, COMMUNE]
            seqs = session.scalars(select(ChangeLogEntry.seq)).all()
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
        province.verify_clean()
    finally:
        second.dispose()


def test_a_new_epoch_waits_for_a_write_under_way_on_another_computer(make_node, backend) -> None:  # type: ignore[no-untyped-def]
    """Starting afresh renumbers this station's changes from its last number: read
    while another computer was writing, the number was stale, and the next change took
    one already used."""
    from nhao.services.sync import epoch

    if backend != "postgresql":
        pytest.skip("a database file is opened by one laptop; a server by several computers")
    province = make_node("province", PROVINCE)
    second = Database(province.db.location)
    try:
        assert _while_the_first_writes(province, lambda: epoch.start_epoch_after_copy(second)) == []
        with unit_of_work(province.db, province.actor) as uow:  # numbered after the rest
            uow.insert(Target(unit_code=OTHER_COMMUNE, year=2026, new_builds=1, repairs=1))
        with province.db.session() as session:
            numbers = session.execute(select(ChangeLogEntry.station_id, ChangeLogEntry.seq))
            by_station: dict[str, list[int]] = {}
            for station, seq in numbers:
                by_station.setdefault(station, []).append(seq)
            last = dict(session.execute(select(Station.id, Station.last_seq)).all())
        for seqs in by_station.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1))
        # Each station's counter stands at its last change (the old one's, all moved: 0).
        assert last == {station: max(by_station.get(station, [0])) for station in last}
        province.verify_clean()
    finally:
        second.dispose()
