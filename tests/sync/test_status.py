"""The status bar's count of changes not yet exported, at each level."""

from __future__ import annotations

from nhao.services.status import station_status

from .conftest import Tree


def test_a_commune_counts_what_it_has_not_sent_to_the_unit_above(tree: Tree) -> None:
    assert station_status(tree.commune.db).unexported_changes > 0
    tree.commune.export(to=tree.a.unit)  # down to a hamlet: the province has none of it
    assert station_status(tree.commune.db).unexported_changes > 0
    tree.province.take(tree.commune.export())
    assert station_status(tree.commune.db).unexported_changes == 0


def test_the_province_counts_down_once_it_has_exported(tree: Tree) -> None:
    # A province has no unit above: its bundles go down, to the units it trusts. The
    # count compared its changes with the bundles to nobody in particular, which the
    # window never offers once a unit below is trusted: it only ever grew.
    assert station_status(tree.province.db).unexported_changes > 0
    assert tree.commune.take(tree.province.export(to=tree.commune.unit))[0]["status"] in {
        "applied", "skipped",
    }
    assert station_status(tree.province.db).unexported_changes == 0


def test_a_commune_counts_its_hamlets_changes_it_has_not_sent_up(tree: Tree) -> None:
    """A hamlet's bundle imported at the commune goes on to the province with the next
    bundle up; the status bar said 0 changes not yet exported, and the commune's
    officer had no reason to send it."""
    tree.province.take(tree.commune.export())
    assert station_status(tree.commune.db).unexported_changes == 0
    tree.a.add_household("Lò Văn Sình")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    assert station_status(tree.commune.db).unexported_changes > 0
    tree.province.take(tree.commune.export())
    assert station_status(tree.commune.db).unexported_changes == 0
    # What came down from the province does not go back up: the hamlet counts none of it.
    tree.a.take(tree.commune.export(to=tree.a.unit))
    assert station_status(tree.a.db).unexported_changes == 0
