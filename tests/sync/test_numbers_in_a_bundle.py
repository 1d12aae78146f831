"""A trusted hamlet laptop with a fault numbering its changes: a bundle whose change
lines are not each number of the range its manifest claims, once, is refused whole
with a sentence saying so. Applied, a range claimed wider than the lines made the
station's next changes look seen already: skipped, lost without a word, and a full
bundle could not bring them back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import COMMUNE, Tree
from .test_adversarial import refused
from .test_faulty_station import FaultyStation, _templates


def _signed(
    faulty: FaultyStation,
    lines: list[dict],
    numbers: list[int],
    claimed: int,
    edit: Callable[[dict], None] | None = None,
) -> Path:
    """`lines` numbered `numbers` (counted on from what the commune has of the station),
    in a bundle whose manifest claims the range up to the `claimed`-th, then `edit`ed."""
    return faulty.write(lines, numbers=numbers, claimed=claimed, edit=edit)


@pytest.mark.parametrize(
    ("numbers", "claimed", "words"),
    [
        ([1], 6, "thiếu số"),  # says it carries six, carries one
        ([1, 1], 2, "có số"),  # two changes numbered alike
        ([1, 3], 3, "thiếu số"),
    ],
)
def test_numbers_not_each_of_the_range_once_are_refused(
    tree: Tree, tmp_path: Path, numbers: list[int], claimed: int, words: str
) -> None:
    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    lines = faulty.entries([("update", "members", 5)] * (len(numbers) - 1), "household")
    refused(tree.commune, _signed(faulty, lines, numbers, claimed), words, "không có gì được ghi")
    # The station's changes that follow still come in.
    later = faulty.entries([], "household")
    report = tree.commune.take(faulty.write(later))[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["household"]["new"] == 1
    tree.commune.verify_clean()


def test_a_sibling_computers_targets_relayed_down_do_not_stop_the_next_bundle_up(
    tree: Tree, make_node
) -> None:  # type: ignore[no-untyped-def]
    """The commune's second computer (the accountant's laptop) sets two targets with a
    period closed between them and sends up; the province relays the targets down to the
    commune, whose office computer so holds two of that laptop's numbers and not the one
    between. The office's next bundle up relays them, as every change of its unit: the
    province has all three already, so nothing is skipped unseen, and the bundle goes in
    (it was refused for the missing number, and so was every later one)."""
    from nhao.models import Target
    from nhao.services.unit_of_work import unit_of_work

    from .conftest import PASSWORD, close_period, trust

    second = make_node("commune-2", COMMUNE)
    trust(tree.province, second, "child")
    trust(second, tree.province, "parent")
    assert tree.province.take(tree.commune.export())[0]["status"] == "applied"
    with unit_of_work(second.db, second.actor) as uow:
        uow.insert(Target(unit_code=tree.a.unit, year=2026, new_builds=3, repairs=1))
    close_period(second, "2026-01")  # stays at the commune's and the province's
    with unit_of_work(second.db, second.actor) as uow:
        uow.insert(Target(unit_code=tree.b.unit, year=2026, new_builds=2, repairs=0))
    up = tree.province.take(second.export())[0]
    assert up["status"] == "applied", up.get("reason")
    down = tree.province.folder / "xuong-xa.nhao"
    from nhao.services import sync

    sync.export_bundle(tree.province.db, tree.province.actor, PASSWORD, down, to=COMMUNE)
    assert tree.commune.take(down)[0]["status"] == "applied"

    close_period(tree.commune, "2026-02")
    [report] = tree.province.take(tree.commune.export())
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["period_close"]["new"] == 1
    tree.province.verify_clean()
