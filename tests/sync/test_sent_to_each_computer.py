"""What went down to a unit of two computers (a hamlet's team leader's laptop and the
deputy's): the commune keeps, per computer, what it sent and what each acknowledged.
A receipt from one laptop says nothing of the other: the next bundle down starts from
what the laptop furthest behind has."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from nhao.models import Target
from nhao.services import sync
from nhao.services.unit_of_work import unit_of_work

from .conftest import COMMUNE, PASSWORD, Node, Tree, trust


def _set_target(commune: Node, hamlet: str, year: int) -> None:
    with unit_of_work(commune.db, commune.actor) as uow:
        uow.insert(Target(unit_code=hamlet, year=year, new_builds=3, repairs=2))


def _target_years(node: Node) -> list[int]:
    with node.db.session() as session:
        return sorted(session.scalars(select(Target.year)))


def _receipt(at: Node, bundle: Path, name: str) -> Path:
    out = at.folder / name
    sync.write_ack(at.db, at.actor, PASSWORD, bundle, out)
    return out


def _second_laptop(tree: Tree, make_node) -> Node:  # type: ignore[no-untyped-def]
    second = make_node("hamlet-a2", COMMUNE, "Thôn Nà Pàn")
    assert second.unit == tree.a.unit
    trust(tree.commune, second, "child")
    trust(second, tree.commune, "parent")
    return second


def test_a_late_receipt_of_the_first_laptop_does_not_skip_the_second(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """The commune sent two targets down to the hamlet; its first laptop took them and
    wrote receipts. The second laptop came (trusted, its first bundle up taken): the
    next bundle down went from the start again. The first laptop's receipt, read at the
    commune only then, moved the hamlet's position past both targets, and the bundle
    down after it brought the second laptop the third target alone, held for ever for
    the two it never got (until someone made a full bundle)."""
    this_year = date.today().year
    a, commune = tree.a, tree.commune
    a.add_household("Hộ Một")
    assert commune.take(a.export())[0]["status"] == "applied"
    receipts = []
    for number, year in enumerate((this_year, this_year + 1), start=1):
        _set_target(commune, a.unit, year)
        down = commune.export(to=a.unit)
        assert a.take(down)[0]["status"] == "applied"
        receipts.append(_receipt(a, down, f"a-{number}.nhaoack"))
    second = _second_laptop(tree, make_node)
    second.add_household("Hộ Hai")
    assert commune.take(second.export())[0]["status"] == "applied"
    for receipt in receipts:  # through the chat, late
        sync.import_ack(commune.db, commune.actor, receipt)
    _set_target(commune, a.unit, this_year + 2)
    down = commune.export(to=a.unit)
    report = second.take(down)[0]
    assert report["status"] == "applied", report.get("reason")
    assert _target_years(second) == [this_year, this_year + 1, this_year + 2]
    assert a.take(down)[0]["status"] == "applied"
    assert _target_years(a) == [this_year, this_year + 1, this_year + 2]
    for laptop in (a, second):
        laptop.verify_clean()


def test_the_receipts_of_two_laptops_each_count_for_their_own(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """Both laptops trusted before anything went down, but the bundles down reached the
    first alone (the second was away). The second, given the third, waits for the two
    before it and says so in its receipt: the commune sends them again. But the first
    laptop's receipt, read after it, set the hamlet's position past them again, and the
    bundle down after that brought the second laptop the fourth target alone."""
    this_year = date.today().year
    a, commune = tree.a, tree.commune
    second = _second_laptop(tree, make_node)
    for laptop in (a, second):
        laptop.add_household(f"Hộ của {laptop.name}")
        assert commune.take(laptop.export())[0]["status"] == "applied"
    for number, year in enumerate((this_year, this_year + 1), start=1):
        _set_target(commune, a.unit, year)
        down = commune.export(to=a.unit)
        assert a.take(down)[0]["status"] == "applied"
        sync.import_ack(commune.db, commune.actor, _receipt(a, down, f"a-{number}.nhaoack"))
    _set_target(commune, a.unit, this_year + 2)
    down = commune.export(to=a.unit)
    assert second.take(down)[0]["status"] == "pending"
    assert a.take(down)[0]["status"] == "applied"
    for laptop, name in ((second, "b-3.nhaoack"), (a, "a-3.nhaoack")):
        sync.import_ack(commune.db, commune.actor, _receipt(laptop, down, name))
    _set_target(commune, a.unit, this_year + 3)
    down = commune.export(to=a.unit)
    for laptop in (second, a):
        report = laptop.take(down)[0]
        assert report["status"] == "applied", report.get("reason")
        assert _target_years(laptop) == [this_year + n for n in range(4)]
        laptop.verify_clean()
