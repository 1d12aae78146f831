"""A province office's possible duplicates: thousands of pairs from many communes,
where every commune has its "Thôn Nà Pàn" and common names repeat. The person works
through them: the strong pairs (same citizen ID) first, one commune at a time, and
keeps their place in the list after each decision."""

from __future__ import annotations

from nhao.services import households as hh
from nhao.services import sync, units
from nhao.tasks import CancelToken, Progress
from nhao.ui.context import AppContext
from nhao.ui.prompts import ScriptedPrompts
from nhao.ui.sync_page.page import SyncPage
from nhao.ui.sync_page.review_tabs import DuplicatesTab
from nhao.ui.task_runner import InlineTaskRunner, TaskRunner

from .conftest import Node, Tree, trust

CID = "020070001234"  # Lạng Sơn, a man born in 1970


def _second_commune(make_node, tree: Tree) -> tuple[Node, list[str]]:  # type: ignore[no-untyped-def]
    other = make_node("commune-2", "06040")
    hamlets = units.add_hamlets(other.db, other.actor, ["Thôn Nà Pàn", "Thôn Bản Chu"])
    trust(tree.province, other, "child")
    trust(other, tree.province, "parent")
    return other, [hamlet.code for hamlet in hamlets]


def _send(tree: Tree, commune: Node) -> None:
    [report] = tree.province.take(commune.export())
    assert report["status"] == "applied", report.get("reason")


def _pairs(make_node, tree: Tree) -> Node:  # type: ignore[no-untyped-def]
    """Three pairs at the province, found in this order: a weak one within the first
    commune, a weak one within the second, then a strong one across the two."""
    tree.a.add_household("Lò Văn Sình", birth_year=1970)
    tree.a.add_household("Hoàng Văn Páo", citizen_id=CID, birth_year=1970)
    tree.a.add_household("Vi Thị Hoa", birth_year=1980)
    tree.b.add_household("Vi Thị Hoa", birth_year=1980)
    for hamlet in (tree.a, tree.b):
        tree.commune.take(hamlet.export())
    _send(tree, tree.commune)
    other, (na_pan, ban_chu) = _second_commune(make_node, tree)
    # Listed in two hamlets of the second commune. The first commune's Lò Văn Sình,
    # born the same year, is not asked about: names are compared within a commune.
    other.add_household("Lò Văn Sình", hamlet=na_pan, birth_year=1970)
    other.add_household("Lò Văn Sình", hamlet=ban_chu, birth_year=1970)
    _send(tree, other)
    # The same card, its holder's name written otherwise and no birth year given.
    other.add_household("Hoàng Văn Pao", hamlet=na_pan, citizen_id=CID)
    _send(tree, other)
    return other


def _tab(node: Node, qtbot, runner: TaskRunner | None = None) -> DuplicatesTab:  # type: ignore[no-untyped-def]
    """The Possible duplicates tab of the Sync page, as the window shows it at `node`
    (the page refreshes it when a review announces itself)."""
    ctx = AppContext(
        db=node.db, actor=node.actor, station=units.station_info(node.db),
        runner=runner or InlineTaskRunner(), prompts=ScriptedPrompts(),
    )
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366 - 190, 768 - 90)  # the window's room beside the navigation
    page.show()
    page.tabs.setCurrentWidget(page.duplicates_tab)
    return page.duplicates_tab


def _shown(tab: DuplicatesTab) -> list[tuple[str, str, str]]:
    model = tab.model
    return [
        tuple(model.index(r, c).data() for c in (model.FIRST, model.SECOND, model.REASON))
        for r in range(model.rowCount())
    ]


def test_the_pairs_with_the_same_citizen_id_come_first(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Listed in the order found, the one pair that shares a card came after the
    thousands of common names that share a birth year."""
    _pairs(make_node, tree)
    assert [v.reason for v in sync.list_duplicates(tree.province.db)] == [
        "citizen_id", "name_birth_year", "name_birth_year",
    ]
    tab = _tab(tree.province, qtbot)
    first = _shown(tab)[0]
    assert first[2] == tab.model.tr("Same citizen ID")
    assert {first[0].split(" — ")[0], first[1].split(" — ")[0]} == {
        "Hoàng Văn Páo", "Hoàng Văn Pao",
    }


def test_each_household_of_a_pair_comes_with_its_commune(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Every commune has its "Thôn Nà Pàn": at the province both halves of a pair read
    "Hoàng Văn Páo — Thôn Nà Pàn", and nothing said where each one lives."""
    other = _pairs(make_node, tree)
    names = {node.unit: units.station_info(node.db).unit.name for node in (tree.commune, other)}
    tab = _tab(tree.province, qtbot)
    card = [row for row in _shown(tab) if row[0].startswith("Hoàng Văn Pá")]
    assert card and set(card[0][:2]) == {
        f"Hoàng Văn Páo — Thôn Nà Pàn, {names[tree.commune.unit]}",
        f"Hoàng Văn Pao — Thôn Nà Pàn, {names[other.unit]}",
    }


def test_the_pairs_narrow_to_one_commune(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Thousands of pairs from every commune in one list, with no way to take one
    commune's at a time: the officer who goes over a commune's list with its team
    could not find theirs."""
    other = _pairs(make_node, tree)
    names = {node.unit: units.station_info(node.db).unit.name for node in (tree.commune, other)}
    tab = _tab(tree.province, qtbot)
    combo = tab.commune
    assert combo.isVisible()
    assert [combo.itemData(i) for i in range(combo.count())] == [None, *sorted(
        names, key=lambda code: names[code]
    )]
    assert combo.itemText(combo.findData(other.unit)) == f"{names[other.unit]} (2)"
    combo.setCurrentIndex(combo.findData(other.unit))
    shown = _shown(tab)
    assert len(shown) == 2 and all(names[other.unit] in row[0] + row[1] for row in shown)
    assert tab.count() == 3  # the tab's title still counts every pair left to review
    combo.setCurrentIndex(combo.findData(tree.commune.unit))
    assert len(_shown(tab)) == 2  # the first commune's own pair and the card reaching out
    # A pair marked keeps the commune chosen; its count goes down.
    tab.table.selectRow(0)
    tab.same_button.click()
    assert combo.currentData() == tree.commune.unit and len(_shown(tab)) == 1

    # At the commune the commune goes without saying: nothing to choose.
    assert _tab(tree.commune, qtbot).commune.isHidden()


def test_after_a_pair_is_marked_the_next_one_is_chosen(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Each decision read the list again and chose nothing: in thousands of pairs the
    officer went back to the top and looked for where they were, pair after pair."""
    _pairs(make_node, tree)
    tab = _tab(tree.province, qtbot)
    before = _shown(tab)
    tab.table.selectRow(1)
    tab.different_button.click()
    assert _shown(tab) == [before[0], before[2]]
    assert [i.row() for i in tab.table.selectionModel().selectedRows()] == [1]
    assert tab.same_button.isEnabled()
    # With the reviewed pairs shown, the pair just marked stays chosen.
    tab.show_decided.setChecked(True)
    tab.table.selectRow(0)
    tab.same_button.click()
    chosen = tab.table.selectionModel().selectedRows()
    assert [i.row() for i in chosen] == [0]
    assert tab.model.index(0, tab.model.DECISION).data() == tab.model.tr("Same household")


def test_marking_a_pair_does_not_read_the_whole_page_again(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Each decision re-read every tab (the pending bundles, the conflicts, the keys,
    every pair and its two households): 0.6 s after each of thousands of pairs at the
    bench's province, and longer the bigger it is. Only the pair marked changes."""
    from sqlalchemy import event

    other = _pairs(make_node, tree)
    tab = _tab(tree.province, qtbot)
    page = tab.parent().parent().parent()  # the page, through the tab widget's stack
    combo = tab.commune
    combo.setCurrentIndex(combo.findData(other.unit))
    assert combo.itemText(0).endswith("(3)") and combo.currentText().endswith("(2)")
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(tree.province.db.engine, "before_cursor_execute", seen)
    try:
        tab.table.selectRow(0)
        tab.same_button.click()
    finally:
        event.remove(tree.province.db.engine, "before_cursor_execute", seen)
    for table in ("sync_pending", "sync_conflict", "sync_trusted_key"):
        assert not [s for s in statements if f"FROM {table}" in s], table
    listing = [s for s in statements if "FROM sync_duplicate" in s and "ORDER BY" in s]
    assert listing == []
    # What the person sees is as after a reload: the pair gone, every count one less.
    assert len(_shown(tab)) == 1 and tab.count() == 2
    assert combo.itemText(0).endswith("(2)") and combo.currentText().endswith("(1)")
    assert page.tabs.tabText(4).endswith("(2)"), page.tabs.tabText(4)
    assert [v.decision for v in sync.list_duplicates(tree.province.db, undecided_only=False)
            ].count("same") == 1


def test_the_pairs_are_listed_without_building_a_record_for_each(  # type: ignore[no-untyped-def]
    make_node, tree: Tree, qtbot
) -> None:
    """The list is read on the GUI thread each time the page is shown. Reading each
    pair and each of its households as a full record was most of the 0.3-0.6 s the
    window stood still at the bench's province (3,484 pairs, 6,600 households)."""
    from sqlalchemy import event

    from nhao.models import Household
    from nhao.models.sync import DuplicateCandidate

    _pairs(make_node, tree)
    tab = _tab(tree.province, qtbot)
    built: list[object] = []

    def loaded(target, _context) -> None:  # type: ignore[no-untyped-def]
        built.append(target)

    for model in (Household, DuplicateCandidate):
        event.listen(model, "load", loaded)
    try:
        tab.refresh()
    finally:
        for model in (Household, DuplicateCandidate):
            event.remove(model, "load", loaded)
    assert built == [] and len(_shown(tab)) == 3


def test_an_edit_of_a_listed_pairs_household_brings_no_new_pair(make_node, tree: Tree) -> None:  # type: ignore[no-untyped-def]
    """A commune's later bundle edits households of pairs the province listed long
    ago: its report counted those pairs again as if they had come in (the bench's
    province: an edit bundle of 300 phone numbers \"brought\" 64 pairs, and the
    summary said 3,548 pairs to review while the tab listed 3,484)."""
    other = _pairs(make_node, tree)
    listed = sync.list_duplicates(tree.province.db)
    lo = next(h for h in hh.list_households(other.db, other.actor, hh.HouseholdQuery())
              if h.head_name == "Lò Văn Sình")
    other.edit_household(lo.id, phone="0912345678")
    [report] = tree.province.take(other.export())
    assert report["status"] == "applied" and report["entities"]["household"]["updated"] == 1
    assert report["possible_duplicates"] == 0
    assert sync.list_duplicates(tree.province.db) == listed


def test_the_pairs_of_one_name_and_year_stand_together(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A common name born the same year in many hamlets is many pairs, found bundle
    by bundle: listed as found, they came scattered among the others, and the officer
    met the same person again and again."""
    other = _pairs(make_node, tree)
    other.add_household("Lò Văn Sình", hamlet=units.list_hamlets(other.db)[0].code,
                        birth_year=1970)  # fmt: skip
    _send(tree, other)
    tree.a.add_household("Vi Thị Hoa", birth_year=1980)
    tree.commune.take(tree.a.export())
    _send(tree, tree.commune)
    tab = _tab(tree.province, qtbot)
    names = [row[0].split(" — ")[0] for row in _shown(tab)]
    assert names[0] in ("Hoàng Văn Páo", "Hoàng Văn Pao")  # the card's pair, either way round
    assert names[1:] == [*["Lò Văn Sình"] * 3, *["Vi Thị Hoa"] * 3], names


class HeldRunner(InlineTaskRunner):
    """Does the work at once, as a worker thread would, and hands the result over only
    when told: what a person may do in between is done between the two."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list = []  # type: ignore[type-arg]

    def run(self, work, *, parent, title, on_success=None, on_failure=None):  # type: ignore[no-untyped-def,override]
        self.ran.append(title)
        result = work(Progress(), CancelToken())  # as the real runner gives them
        self.held.append(lambda: on_success(result) if on_success else None)

    def deliver(self) -> None:
        while self.held:
            self.held.pop(0)()


def test_the_pairs_are_read_off_the_gui_thread(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """At 22,000 pairs the reading took about a second on the GUI thread each time the
    page was shown, and after each import or resolved conflict: the window stood still."""
    other = _pairs(make_node, tree)
    runner = HeldRunner()
    tab = _tab(tree.province, qtbot, runner)
    page = tab.parent().parent().parent()
    title = tab.tr("Reading the possible duplicates")
    assert runner.ran.count(title) >= 1 and tab.model.rowCount() == 0
    runner.deliver()
    assert len(_shown(tab)) == 3 and page.tabs.tabText(4).endswith("(3)")
    # A pair marked while a reading is under way does not come back with it.
    tab.commune.setCurrentIndex(tab.commune.findData(other.unit))
    page.refresh()  # read before the mark below…
    tab.table.selectRow(0)
    marked = tab.model.item(0).view.id
    tab.different_button.click()
    runner.deliver()  # …and handed over after it
    assert marked not in {row.view.id for row in tab.model.items()}
    assert len(_shown(tab)) == 1 and page.tabs.tabText(4).endswith("(2)")
    assert tab.commune.currentData() == other.unit
    # With a real worker thread the rows come in the same.
    real = _tab(tree.province, qtbot, TaskRunner())
    qtbot.waitUntil(lambda: real.model.rowCount() == 2, timeout=10000)


def test_a_communes_pairs_are_marked_different_at_once(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Twenty communes' "Nguyễn Văn Hùng, 1962" are hundreds of pairs of different men:
    marked one at a time, an officer's week. The commune's pairs, chosen with Ctrl+A,
    are marked in one go, after a question."""
    other = _pairs(make_node, tree)
    tab = _tab(tree.province, qtbot)
    prompts = tab.ctx.prompts
    page = tab.parent().parent().parent()
    tab.commune.setCurrentIndex(tab.commune.findData(other.unit))
    assert len(_shown(tab)) == 2
    tab.table.selectAll()  # Ctrl+A
    assert tab.different_button.isEnabled()
    prompts.confirm_answers.append(True)
    tab.different_button.click()
    assert prompts.shown[-1][2] == tab.tr(
        "Mark the %n chosen pair(s) as different households?", "", 2
    )
    assert _shown(tab) == [] and tab.count() == 1
    assert tab.done_label.text() == tab.tr("%n pair(s) marked as different households.", "", 2)
    assert tab.commune.currentText().endswith("(0)") and page.tabs.tabText(4).endswith("(1)")
    decided = sync.list_duplicates(tree.province.db, undecided_only=False)
    assert sorted(str(v.decision) for v in decided) == ["None", "different", "different"]
    # Shown again with the reviewed pairs, they say what was decided.
    tab.show_decided.setChecked(True)
    assert len(_shown(tab)) == 2
    said = {tab.model.index(r, tab.model.DECISION).data() for r in range(tab.model.rowCount())}
    assert said == {tab.model.tr("Different households")}


def test_a_name_and_birth_year_are_compared_within_a_commune_a_card_everywhere(
    make_node, tree: Tree
) -> None:  # type: ignore[no-untyped-def]
    """DESIGN.md §5: same name and birth year "in neighbouring units". Compared across a
    province of two million households, "Nguyễn Văn Hùng, 1962" of every commune made
    millions of pairs of different men (the bench's names alone: 3.3 million), more
    than anyone could review; a household listed in two communes shares its card."""
    other = _pairs(make_node, tree)
    at_province = sync.list_duplicates(tree.province.db)
    households = [
        h for node in (tree.commune, other)
        for h in hh.list_households(node.db, node.actor, hh.HouseholdQuery())
    ]  # fmt: skip
    commune = {h.id: h.hamlet_code.split("-")[0] for h in households}
    across = {view.reason for view in at_province
              if commune[view.household_a] != commune[view.household_b]}  # fmt: skip
    assert across == {"citizen_id"} and len(at_province) == 3
    # The first commune's Lò Văn Sình, born 1970 as the second commune's two are: no pair.
    (first_lo,) = (
        h.id for h in households
        if h.head_name == "Lò Văn Sình" and commune[h.id] == tree.commune.unit
    )  # fmt: skip
    assert not [v for v in at_province if first_lo in (v.household_a, v.household_b)]


def test_a_cancelled_marking_writes_nothing_and_leaves_the_buttons_alive(
    make_node, tree: Tree, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.test_sync_page import CancellingRunner

    _pairs(make_node, tree)
    tab = _tab(tree.province, qtbot)
    tab.ctx.runner = CancellingRunner()
    tab.table.selectAll()
    tab.ctx.prompts.confirm_answers.append(True)
    tab.different_button.click()
    assert len(sync.list_duplicates(tree.province.db)) == 3 and len(_shown(tab)) == 3
    assert tab.same_button.isEnabled() and tab.different_button.isEnabled()


def test_a_double_click_marks_one_pair_not_the_next_one_too(make_node, tree: Tree, qtbot) -> None:  # type: ignore[no-untyped-def]
    _pairs(make_node, tree)
    tab = _tab(tree.province, qtbot)
    tab.table.selectRow(0)
    tab.same_button.click()
    tab.same_button.click()  # the second press of a double-click, on the row chosen next
    assert [v.decision for v in sync.list_duplicates(tree.province.db, undecided_only=False)
            ].count("same") == 1  # fmt: skip
    assert len(_shown(tab)) == 2
