"""The unit's other computer (the accountant's laptop beside the commune office, each
trusting the other) sends up to the province too; what of it the province sends back
down (a target it set for a hamlet) may reach the office before the laptop's own
bundle does. The laptop's earlier changes still come in with that bundle, once each."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from nhao.models import ChangeLogEntry, Donor, Station, Target
from nhao.models.sync import SyncOrigin
from nhao.services import fund, sync
from nhao.services.unit_of_work import unit_of_work
from nhao.sync.bundle import peek_manifest

from .conftest import COMMUNE, PASSWORD, Node, Tree, trust


def _accountant(tree: Tree, make_node) -> Node:  # type: ignore[no-untyped-def]
    """The commune's second computer: the office and it trust each other, and the
    province trusts it as it trusts the office."""
    laptop = make_node("accountant", COMMUNE)
    trust(tree.commune, laptop, "child")
    trust(laptop, tree.commune, "child")
    trust(tree.province, laptop, "child")
    trust(laptop, tree.province, "parent")
    return laptop


def _set_target(node: Node, hamlet: str, builds: int) -> None:
    with unit_of_work(node.db, node.actor) as uow:
        uow.insert(Target(unit_code=hamlet, year=2026, new_builds=builds, repairs=1))


def _station_of(node: Node) -> str:
    with node.db.session() as s:
        return str(s.scalar(select(Station.id).where(Station.is_self.is_(True))))


def _numbers_of(node: Node, station: Node) -> list[int]:
    station_id = _station_of(station)
    with node.db.session() as s:
        return list(
            s.scalars(
                select(ChangeLogEntry.seq)
                .where(ChangeLogEntry.station_id == station_id)
                .order_by(ChangeLogEntry.seq)
            )
        )


def _count(node: Node, model) -> int:  # type: ignore[no-untyped-def]
    with node.db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_the_laptops_changes_come_to_the_office_after_its_target_came_down(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """The office, given the laptop's target back down from the province, counted the
    laptop's numbers as seen up to it: the laptop's donors, in its bundle that came
    after, were skipped as seen, lost at the office."""
    office, province = tree.commune, tree.province
    laptop = _accountant(tree, make_node)
    fund.add_donor(laptop.db, laptop.actor, "Công ty Xi măng Lạng Sơn")
    fund.add_donor(laptop.db, laptop.actor, "Bà Hoàng Thị Mai")
    _set_target(laptop, tree.a.unit, 3)
    assert province.take(laptop.export())[0]["status"] == "applied"
    first_down = province.export(to=COMMUNE)
    report = office.take(first_down)[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["target"]["new"] == 1
    # The office's receipt does not say it has the laptop's changes up to the target.
    receipt = office.folder / "bien-nhan.json"
    ack = sync.write_ack(office.db, office.actor, PASSWORD, first_down, receipt)
    assert ack["seen"][_station_of(laptop)] == 0
    sync.import_ack(province.db, province.actor, receipt)

    # A second target comes down too before the laptop's bundle: it is not held for
    # the laptop's numbers the province did not send down (they come from the laptop).
    _set_target(laptop, tree.b.unit, 2)
    assert province.take(laptop.export())[0]["status"] == "applied"
    second_down = province.export(to=COMMUNE)
    # The first target goes again (the receipt asked for it) with the second.
    assert (peek_manifest(second_down) or {})["counts"] == {"target": 2}
    report = office.take(second_down)[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["target"]["new"] == 1  # the first: here already, skipped

    sideways = laptop.export(to=COMMUNE)
    report = office.take(sideways)[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["donor"]["new"] == 2
    assert "target" not in report["entities"]  # here already: skipped as seen
    assert _count(office, Donor) == 2
    assert _count(office, Target) == 2
    made = _numbers_of(laptop, laptop)
    assert _numbers_of(office, laptop) == made  # each change, once
    office.verify_clean()

    # Taken again, nothing changes; the province's first bundle again neither.
    assert office.take(sideways)[0]["status"] == "skipped"
    assert office.take(first_down)[0]["status"] == "skipped"
    assert _numbers_of(office, laptop) == made

    receipt = office.folder / "bien-nhan-2.json"
    ack = sync.write_ack(office.db, office.actor, PASSWORD, sideways, receipt)
    assert ack["seen"][_station_of(laptop)] == made[-1]

    # The office's next bundle up goes in at the province, nothing in it twice.
    up = province.take(office.export())[0]
    assert up["status"] in ("applied", "skipped"), up.get("reason")
    assert _numbers_of(province, laptop) == made
    assert _count(province, Donor) == 2 and _count(province, Target) == 2
    province.verify_clean()


def test_the_laptops_full_bundle_brings_what_an_earlier_nhao_skipped(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """An office that took, with nhao before this, the laptop's numbers as seen up to
    the target the province sent down has not the laptop's changes before it; those
    the laptop sent since were skipped as seen. Its full bundle now brings them."""
    office, province = tree.commune, tree.province
    laptop = _accountant(tree, make_node)
    fund.add_donor(laptop.db, laptop.actor, "Công ty Xi măng Lạng Sơn")
    _set_target(laptop, tree.a.unit, 3)
    assert province.take(laptop.export())[0]["status"] == "applied"
    assert office.take(province.export(to=COMMUNE))[0]["status"] == "applied"
    made = _numbers_of(laptop, laptop)
    with office.db.transaction() as s:  # what nhao before this noted of the laptop
        s.execute(
            update(SyncOrigin)
            .where(SyncOrigin.station_id == _station_of(laptop))
            .values(seen_upto=made[-1])
        )

    report = office.take(laptop.export(to=COMMUNE, full=True))[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["donor"]["new"] == 1
    assert _numbers_of(office, laptop) == made
    office.verify_clean()


def test_a_number_come_down_from_above_is_checked_as_one_seen(
    tree: Tree, make_node, backend: str
) -> None:  # type: ignore[no-untyped-def]
    """The laptop's data folder put back whole from a copy made before its target: it
    numbers its next change as the target, which the office has from the province. That
    change is not skipped as the target: the bundle is refused until a new epoch."""
    if backend != "sqlite":
        pytest.skip("a data folder copied back is a laptop's; a server does not")
    from .test_merge import _copy_of_data_folder, _put_back

    office, province = tree.commune, tree.province
    laptop = _accountant(tree, make_node)
    fund.add_donor(laptop.db, laptop.actor, "Công ty Xi măng Lạng Sơn")
    copy = _copy_of_data_folder(laptop)
    _set_target(laptop, tree.a.unit, 3)
    assert province.take(laptop.export())[0]["status"] == "applied"
    assert office.take(province.export(to=COMMUNE))[0]["status"] == "applied"

    _put_back(laptop, copy)
    fund.add_donor(laptop.db, laptop.actor, "Bà Hoàng Thị Mai")  # the target's number
    report = office.take(laptop.export(to=COMMUNE))[0]
    assert report["status"] == "refused", report
    assert "khác với thay đổi cùng số đã nhận" in report["reason"]
    report = office.take(laptop.export(to=COMMUNE, new_epoch=True))[0]
    assert report["status"] == "applied", report.get("reason")
    assert _count(office, Donor) == 2 and _count(office, Target) == 1
    office.verify_clean()
