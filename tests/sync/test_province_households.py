"""A province office's households: every commune has its "Thôn Nà Pàn", so each
household is shown with its commune, and the list can be narrowed to one commune."""

from __future__ import annotations

from dataclasses import replace

from nhao.services import households as hh
from nhao.services import units
from nhao.ui.context import AppContext
from nhao.ui.households.page import HouseholdsPage
from nhao.ui.households.table_model import COL_HAMLET, COL_NAME
from nhao.ui.prompts import ScriptedPrompts
from nhao.ui.task_runner import InlineTaskRunner

from .conftest import Node, Tree, trust


def _second_commune(make_node, tree: Tree) -> tuple[Node, str]:  # type: ignore[no-untyped-def]
    other = make_node("commune-2", "06040")
    [hamlet] = units.add_hamlets(other.db, other.actor, ["Thôn Nà Pàn"])
    other.add_household("Lò Văn Sình", hamlet=hamlet.code)
    trust(tree.province, other, "child")
    trust(other, tree.province, "parent")
    return other, hamlet.code


def _province_page(tree: Tree, qtbot) -> HouseholdsPage:  # type: ignore[no-untyped-def]
    ctx = AppContext(
        db=tree.province.db, actor=tree.province.actor,
        station=units.station_info(tree.province.db), runner=InlineTaskRunner(),
        prompts=ScriptedPrompts(),
    )
    page = HouseholdsPage(ctx)
    qtbot.addWidget(page)
    return page


def _gathered(make_node, tree: Tree) -> Node:  # type: ignore[no-untyped-def]
    tree.a.add_household("Hoàng Văn Páo")
    tree.commune.take(tree.a.export())
    other, _ = _second_commune(make_node, tree)
    for commune in (tree.commune, other):
        [report] = tree.province.take(commune.export())
        assert report["status"] == "applied", report.get("reason")
    return other


def test_each_household_comes_with_its_commune_at_the_province(make_node, tree: Tree) -> None:  # type: ignore[no-untyped-def]
    other = _gathered(make_node, tree)
    at_province = tree.province
    listed = hh.list_households(at_province.db, at_province.actor, hh.HouseholdQuery())
    communes = {v.head_name: (v.hamlet_name, v.commune_name) for v in listed}
    names = {node.unit: units.station_info(node.db).unit.name for node in (tree.commune, other)}
    assert communes == {
        "Hoàng Văn Páo": ("Thôn Nà Pàn", names[tree.commune.unit]),
        "Lò Văn Sình": ("Thôn Nà Pàn", names[other.unit]),
    }
    only = hh.HouseholdQuery(commune_code=other.unit)
    assert [v.head_name for v in hh.list_households(at_province.db, at_province.actor, only)] == [
        "Lò Văn Sình"
    ]
    assert hh.count_households(at_province.db, at_province.actor, only) == 1
    assert {c.code: c.name for c in units.list_communes(at_province.db)} == names
    # At the commune and on the hamlet's laptop the commune goes without saying.
    for node in (tree.commune, tree.a):
        assert {v.commune_name for v in hh.list_households(node.db, node.actor,
                                                           hh.HouseholdQuery())} == {""}
        assert units.list_communes(node.db) == []


def test_the_province_narrows_its_list_to_a_commune_in_the_window(  # type: ignore[no-untyped-def]
    make_node, tree: Tree, qtbot
) -> None:
    other = _gathered(make_node, tree)
    page = _province_page(tree, qtbot)
    page.resize(1176, 700)
    page.show()
    filters, model = page.filters, page.model

    def shown() -> list[tuple[str, str]]:
        return sorted(
            (model.index(r, COL_NAME).data(), model.index(r, COL_HAMLET).data())
            for r in range(model.rowCount())
        )

    other_name = units.station_info(other.db).unit.name
    assert filters.commune.isVisible() and filters.commune.count() == 3  # all, and two
    assert ("Lò Văn Sình", f"Thôn Nà Pàn, {other_name}") in shown()
    assert filters.hamlet.count() == 1  # no commune chosen: no hamlet to offer
    filters.commune.setCurrentIndex(filters.commune.findData(other.unit))
    assert shown() == [("Lò Văn Sình", f"Thôn Nà Pàn, {other_name}")]
    assert [filters.hamlet.itemText(i) for i in range(1, filters.hamlet.count())] == [
        "Thôn Nà Pàn"
    ]
    filters.clear_action.trigger()
    assert len(shown()) == 2 and filters.hamlet.count() == 1
    # One more choice in the row, and the page still fits beside the navigation at 1366.
    assert page.minimumSizeHint().width() <= 1176, page.minimumSizeHint()


def test_communes_whose_bundles_come_in_are_offered_at_once(  # type: ignore[no-untyped-def]
    make_node, tree: Tree, qtbot
) -> None:
    """The office's page was made before its first import: it offered no commune until
    the window was opened again."""
    page = _province_page(tree, qtbot)
    page.show()
    assert page.filters.commune.isHidden()
    narrow = page.table.columnWidth(COL_HAMLET)
    _gathered(make_node, tree)
    page.on_data_changed(frozenset({"household", "unit"}))  # as the Import tab says
    assert page.filters.commune.isVisible() and page.filters.commune.count() == 3
    assert page.table.columnWidth(COL_HAMLET) > narrow  # room for "Thôn …, Xã …"
    assert page.model.rowCount() == 2


def test_sorted_by_hamlet_the_province_keeps_each_communes_hamlets_together(  # type: ignore[no-untyped-def]
    make_node, tree: Tree
) -> None:
    """By hamlet name alone the two communes' "Thôn Nà Pàn" came out mixed together."""
    tree.a.add_household("Hoàng Văn Páo")
    tree.b.add_household("Vi Thị Hoa")
    for hamlet in (tree.a, tree.b):
        tree.commune.take(hamlet.export())
    other, _ = _second_commune(make_node, tree)
    [ban_chu] = units.add_hamlets(other.db, other.actor, ["Thôn Bản Chu"])
    other.add_household("Nông Văn Sáu", hamlet=ban_chu.code)
    for commune in (tree.commune, other):
        assert tree.province.take(commune.export())[0]["status"] == "applied"
    by_hamlet = hh.HouseholdQuery(order_by="hamlet")
    listed = hh.list_households(tree.province.db, tree.province.actor, by_hamlet)
    communes = sorted(
        (units.station_info(node.db).unit.name, node.unit) for node in (tree.commune, other)
    )
    expected = {
        tree.commune.unit: [("Thôn Khuổi Hẩu", "Vi Thị Hoa"), ("Thôn Nà Pàn", "Hoàng Văn Páo")],
        other.unit: [("Thôn Bản Chu", "Nông Văn Sáu"), ("Thôn Nà Pàn", "Lò Văn Sình")],
    }
    assert [(v.hamlet_name, v.head_name) for v in listed] == [
        row for _name, code in communes for row in expected[code]
    ]
    # A search goes through the index, and keeps the same order.
    searched = hh.list_households(
        tree.province.db, tree.province.actor, replace(by_hamlet, search="van")
    )
    assert [v.head_name for v in searched] == [
        v.head_name for v in listed if "Văn" in v.head_name
    ]
