"""A bundle signed by a trusted station whose changes carry values nhao never writes
(a fault, another version): each is refused with a sentence naming the record and
the field, on SQLite and PostgreSQL alike, and nothing is written. Before these
checks SQLite stored "abc" in an integer column, a stamp of the wrong shape won
every conflict, and a hamlet's key could edit another hamlet's household."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from nhao.models import ChangeLogEntry, Station

from .conftest import Node, Tree
from .test_adversarial import refused


def _sent_with(node: Node, edit: Callable[[ChangeLogEntry], None]) -> Any:
    """A new household at `node`, its change-log line edited, exported (only it)."""
    node.add_household("Người Thử")
    with node.db.transaction() as s:
        line = s.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.entity == "household")
            .order_by(ChangeLogEntry.seq.desc())
            .limit(1)
        ).one()
        edit(line)
    return node.export()


def _field(name: str, value: Any) -> Callable[[ChangeLogEntry], None]:
    def edit(line: ChangeLogEntry) -> None:
        line.changes = {**line.changes, name: [None, value]}

    return edit


def _stamp(value: str) -> Callable[[ChangeLogEntry], None]:
    def edit(line: ChangeLogEntry) -> None:
        line.hlc = value

    return edit


BAD_VALUES = [
    ("birth_year", "1970", "birth_year không phải số nguyên"),
    ("birth_year", "abc", "birth_year không phải số nguyên"),
    ("members", 2.5, "members không phải số nguyên"),
    ("members", 2**40, "members vượt quá giới hạn"),
    ("members", -3, "members phải từ 1 trở lên"),
    ("is_poor", "true", "is_poor không phải giá trị đúng/sai"),
    ("head_name", ["Lương", "Bình"], "head_name không phải chữ"),
    ("head_name", "N" * 10_000, "head_name dài 10000 ký tự, quá 200"),
    ("address", "Số 1\x00", "address chứa ký tự điều khiển U+0000"),
    ("head_name", "Lò\x01Văn", "head_name chứa ký tự điều khiển U+0001"),
    ("notes", "Nguye\u0302\u0303n", "notes không ở dạng Unicode dựng sẵn (NFC)"),
    ("head_name", " \u3000 ", "head_name chỉ có khoảng trắng"),
    ("sex", "x", "“x” không có trong danh mục"),
    ("created_at", "2026-11-22", "created_at không phải thời điểm"),
    ("origin_station", "01A20481-0EFF-7D4E-8E1B-C74FB97DDA34", "không phải mã UUID"),
    ("no_such_field", 1, "không có trường “no_such_field”"),
]


def test_values_of_the_wrong_type_or_form_are_refused(tree: Tree) -> None:
    for name, value, words in BAD_VALUES:
        sent = _sent_with(tree.a, _field(name, value))
        reason = refused(tree.commune, sent, words, "không có gì được ghi")
        assert "household" in reason
    tree.commune.verify_clean()


def test_a_new_record_without_a_field_that_may_not_be_empty_is_refused(tree: Tree) -> None:
    """The merge writes a field a new record leaves out as null: a household with no
    name broke the import on PostgreSQL's NOT NULL as an unexpected error."""

    def without_name(line: ChangeLogEntry) -> None:
        line.changes = {k: v for k, v in line.changes.items() if k not in ("head_name", "members")}

    refused(
        tree.commune,
        _sent_with(tree.a, without_name),
        "bản ghi mới thiếu trường head_name, members",
        "không có gì được ghi",
    )


def test_other_records_text_is_held_only_to_what_postgresql_can_store(tree: Tree) -> None:
    """Only a household's text is held to the form's (no control character, NFC): other
    services normalise less, and a faithful station's bundle refused over a pasted
    character would stop its every later bundle. NUL is refused everywhere."""

    from nhao.domain.enums import SupportKind
    from nhao.services import cases

    for design, applied in (("Mẫu\x01 nhà", True), ("Mẫu\x00", False)):
        home = tree.a.add_household(f"Người Có Hồ Sơ {int(applied)}")
        cases.propose_case(tree.a.db, tree.a.actor, home, SupportKind.new_build, 2026,
                           on=date(2026, 2, 1))  # fmt: skip
        with tree.a.db.transaction() as s:
            line = s.scalars(
                select(ChangeLogEntry)
                .where(ChangeLogEntry.entity == "support_case")
                .order_by(ChangeLogEntry.seq.desc())
                .limit(1)
            ).one()
            line.changes = {**line.changes, "design_model": [None, design]}
        if applied:
            assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
        else:
            refused(tree.commune, tree.a.export(), "design_model chứa ký tự NUL")


def test_a_stamp_of_the_wrong_shape_is_refused(tree: Tree) -> None:
    with tree.a.db.session() as s:
        station = s.scalar(select(Station.id))
    # Unpadded, "5:0:…" sorts above every real stamp and would win every conflict.
    for stamp in ("garbage", "1795373391833:00000", f"5:0:{station}"):
        refused(tree.commune, _sent_with(tree.a, _stamp(stamp)), "dấu thời gian sai dạng")


def test_a_record_said_to_be_another_units_is_refused(tree: Tree) -> None:
    """Scope is checked on the change's unit: the record must say the same unit."""
    refused(
        tree.commune,
        _sent_with(tree.a, _field("unit_code", tree.b.unit)),
        f"thuộc đơn vị {tree.b.unit} mà dòng thay đổi ghi đơn vị {tree.a.unit}",
    )


@pytest.mark.parametrize("op", ["update", "delete"])
def test_a_hamlet_cannot_change_another_hamlets_household(tree: Tree, op: str) -> None:
    theirs = tree.b.add_household("Hộ Của Thôn B")
    tree.commune.take(tree.b.export())

    def aimed_at_b(line: ChangeLogEntry) -> None:
        line.op = op
        line.record_id = theirs
        changes: dict[str, list] = {"head_name": ["Hộ Của Thôn B", "Người Lạ"]}
        if op == "delete":
            changes = {"deleted_at": [None, "2026-11-22T09:05:07.000000"]}
        line.changes = changes

    report = tree.commune.take(_sent_with(tree.a, aimed_at_b))[0]
    # The change is refused and listed; the bundle is applied without it, so A's later
    # bundles are not stopped behind this one.
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["household"]["refused"] == 1
    assert any(
        theirs in line and f"nằm ngoài phạm vi của máy đơn vị {tree.a.unit}" in line
        for line in report["refused_changes"]
    ), report["refused_changes"]
    shown = tree.commune.household(theirs)
    assert shown.head_name == "Hộ Của Thôn B" and shown.deleted_at is None
    tree.commune.verify_clean()


def test_a_hamlets_edit_of_a_household_moved_away_is_refused_alone(tree: Tree) -> None:
    """The commune moves a household of hamlet A to hamlet B while A, offline, edits it:
    A's edit is refused and listed, and A's bundles before and after it still apply."""
    moved = tree.a.add_household("Hộ Chuyển Thôn")
    tree.b.add_household("Hộ Của Thôn B")
    tree.commune.take(tree.a.export(), tree.b.export())
    tree.commune.edit_household(moved, hamlet_code=tree.b.unit)
    tree.a.edit_household(moved, members=7)
    tree.a.add_household("Hộ Mới Của Thôn A")
    first = tree.commune.take(tree.a.export())[0]
    assert first["status"] == "applied", first.get("reason")
    assert first["entities"]["household"] == {
        "new": 1, "updated": 0, "unchanged": 0, "conflicts": 0, "refused": 1
    }
    assert tree.commune.household(moved).members != 7
    tree.a.add_household("Hộ Sau Nữa")
    later = tree.commune.take(tree.a.export())[0]
    assert later["status"] == "applied" and later["entities"]["household"]["new"] == 1
    tree.commune.verify_clean()
    # Relayed up, the edit is refused at the province too: judged by the hamlet that
    # made it, not by the commune that passed it on.
    up = tree.province.take(tree.commune.export())[0]
    assert up["status"] == "applied" and up["entities"]["household"]["refused"] == 1
    assert tree.province.household(moved).members == tree.commune.household(moved).members
    assert tree.province.household(moved).hamlet_code == tree.b.unit
    tree.province.verify_clean()


def test_every_change_a_demo_commune_writes_passes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The checks refuse nothing nhao itself writes: households, inspections, cases
    through every status, donors, pledges, receipts, payments, targets, units; dated up
    to today, the merge's ceilings refuse none of it either."""

    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import demo
    from nhao.sync.entry_values import beyond_the_forms, check_values

    db = Database(resolve_database(tmp_path / "demo.sqlite"))
    db.open()
    try:
        demo.build_demo(db, households=80, seed=7, today=date.today())
        with db.session() as s:
            lines = s.scalars(select(ChangeLogEntry)).all()
            entries = [
                {"station": x.station_id, "entity": x.entity, "id": x.record_id, "hlc": x.hlc,
                 "unit": x.unit_code, "op": x.op, "changes": x.changes}
                for x in lines
            ]
    finally:
        db.dispose()
    assert len({e["entity"] for e in entries}) >= 10
    check_values(entries, "demo.nhao")
    assert [(e["entity"], beyond_the_forms(e)) for e in entries if beyond_the_forms(e)] == []


def test_a_name_key_that_is_not_the_folded_name_is_refused(tree: Tree) -> None:
    """The folded name is what the name search and the possible duplicates (same folded
    name and birth year in two hamlets) read. Applied as it came, a household with the
    name of one in hamlet B was found by neither, and never listed for review."""
    from nhao.services import sync

    tree.b.add_household("Vi Thị Hoa", birth_year=1980)
    tree.commune.take(tree.b.export())

    def named(line: ChangeLogEntry) -> None:
        line.changes = {
            **line.changes,
            "head_name": [None, "Vi Thị Hoa"],
            "birth_year": [None, 1980],
            "head_name_key": [None, "nguoi thu"],
        }

    refused(tree.commune, _sent_with(tree.a, named), "trường head_name_key", "không có gì")
    assert sync.list_duplicates(tree.commune.db) == []


FLOORS = [
    ("household", "birth_year", 0, "birth_year phải từ 1900 trở lên"),
    ("household", "poverty_list_year", -3, "poverty_list_year phải từ 2000 trở lên"),
    ("household", "citizen_id", "abcdefghijkl", "citizen_id không phải 9 hay 12 chữ số"),
    ("household", "citizen_id", "12345", "citizen_id không phải 9 hay 12 chữ số"),
    ("household", "citizen_id_kind", "zzz", "“zzz” không có trong danh mục"),
    ("inspection", "members", -1, "members phải từ 1 trở lên"),
    ("inspection", "usable_area_m2", -5.0, "usable_area_m2 phải từ 0 trở lên"),
    ("support_case", "planned_year", 0, "planned_year phải từ 2000 trở lên"),
    ("support_case", "labour_days", -5, "labour_days phải từ 0 trở lên"),
]


def test_values_below_what_the_forms_take_are_refused(tree: Tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A year of birth 0, a household of -1 people, an ID of letters: the forms and the
    list import refuse each, and a faulty station's bundle brought them in as they
    came, into the lists, the counts and the province's reports."""
    from .test_faulty_station import FaultyStation, _templates

    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    for entity, name, value, words in FLOORS:
        sent = faulty.write(faulty.entries([("new", name, value)], entity))
        refused(tree.commune, sent, words, "không có gì được ghi")
    tree.commune.verify_clean()


def _ceilings() -> list[tuple[str, str, object, str]]:
    year, far = date.today().year, "3000-01-01"
    return [
        ("household", "birth_year", 9999, f"birth_year phải từ {year + 1} trở xuống"),
        ("household", "poverty_list_year", 2999, f"poverty_list_year phải từ {year + 2} trở"),
        ("support_case", "planned_year", year + 7, f"planned_year phải từ {year + 6} trở"),
        ("inspection", "inspected_on", far, "inspected_on không được sau ngày"),
        ("support_case", "started_on", far, "started_on không được sau ngày"),
        ("case_status_event", "happened_on", far, "đang là 01/01/3000"),
    ]


def test_values_beyond_what_the_forms_take_by_the_date_are_refused(tree: Tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A year of birth 9999, an inspection or a decision dated in the year 3000, a
    poverty list of 2999: no form takes them, and a faulty station's bundle brought them
    into the lists and the province's reports. Each is refused alone and listed (a form
    whose laptop's clock ran years ahead writes them: refused whole, its bundles were
    stuck for good). Held a year past the receiver's today, so a sender whose clock is a
    little ahead is still taken."""
    from .test_faulty_station import FaultyStation, _templates

    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    for entity, name, value, words in _ceilings():
        report = tree.commune.take(faulty.write(faulty.entries([("new", name, value)], entity)))
        assert report[0]["status"] == "applied", report[0].get("reason")
        assert report[0]["entities"][entity]["refused"] == 1, report[0]["entities"]
        [said] = report[0]["refused_changes"]
        assert words in said and "không được nhận" in said, said
    ahead = (date.today() + timedelta(days=300)).isoformat()
    year = date.today().year
    for entity, name, value in [
        ("household", "birth_year", year + 1), ("household", "poverty_list_year", year + 2),
        ("inspection", "inspected_on", ahead),
    ]:  # fmt: skip
        report = tree.commune.take(faulty.write(faulty.entries([("new", name, value)], entity)))
        assert report[0]["status"] == "applied", report[0].get("reason")
        assert not report[0].get("refused_changes"), report[0]["refused_changes"]
    tree.commune.verify_clean()


class _ClockAhead(date):
    """Today on a laptop whose clock ran years ahead: its form takes what it calls
    this year."""

    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return date(date.today().year + 9, 6, 1)


def _same_everywhere(tree: Tree, household: str) -> None:
    """The household as the laptop holds it, at the commune and, relayed up, at the
    province: nothing held back, no conflict opened."""
    from nhao.services import sync

    up = tree.province.take(tree.commune.export())[0]
    assert up["status"] == "applied", up.get("reason")
    for node in (tree.commune, tree.province):
        assert node.household(household).as_input() == tree.a.household(household).as_input()
        assert sync.list_conflicts(node.db) == []
        node.verify_clean()


def test_a_record_made_beyond_the_forms_comes_with_its_fix(tree: Tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A household typed with a year of birth beyond this year, on a laptop whose clock
    ran ahead, is refused alone at the commune. Its creation refused, every later change
    of it was refused as well (“đã bị từ chối khi đến”): fixed on the laptop, it
    never reached the commune or the province. It comes with the fix now, and each
    change before the fix waits with it."""
    import nhao.services.households as households

    monkeypatch.setattr(households, "date", _ClockAhead)
    home = tree.a.add_household("Lò Văn Típ", birth_year=date.today().year + 5)
    first = tree.commune.take(tree.a.export())[0]
    assert first["entities"]["household"] == {**first["entities"]["household"], "refused": 1}
    [said] = first["refused_changes"]
    assert "birth_year phải từ" in said and "cho đến khi máy ấy sửa lại" in said, said
    tree.a.edit_household(home, members=4)  # not the year: still refused, with the rest
    monkeypatch.undo()
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["refused"] == 1, report["entities"]
    assert "birth_year phải từ" in report["refused_changes"][0], report["refused_changes"]
    tree.a.edit_household(home, birth_year=1980)
    tree.a.export(name="lost.nhao")  # never reaches the commune: the full bundle heals
    report = tree.commune.take(tree.a.export(full=True))[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["household"]["new"] == 1, report["entities"]
    assert not report.get("refused_changes") and not report.get("held_changes"), report
    tree.a.edit_household(home, notes="Nhà dột")
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["updated"] == 1, report["entities"]
    assert tree.commune.household(home).birth_year == 1980
    _same_everywhere(tree, home)


def test_a_record_an_earlier_nhao_held_back_comes_with_the_next_change(
    tree: Tree, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The commune took the laptop's fix with an nhao before this one, which refused it as
    a change of a record refused: the record, fixed, is in the change log and nowhere
    else. The laptop's next change of it brings it, as it is on the laptop."""
    import nhao.services.households as households
    from nhao.sync.merge import Merger

    monkeypatch.setattr(households, "date", _ClockAhead)
    home = tree.a.add_household("Lò Văn Típ", birth_year=date.today().year + 5)
    monkeypatch.undo()
    tree.commune.take(tree.a.export())
    tree.a.edit_household(home, birth_year=1980)
    monkeypatch.setattr(Merger, "_load_pending", lambda self, wanted: None)  # as before
    report = tree.commune.take(tree.a.export())[0]
    assert "đã bị từ chối khi đến" in report["refused_changes"][0], report["refused_changes"]
    monkeypatch.undo()
    tree.a.edit_household(home, phone="0912345678")
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["new"] == 1, report["entities"]
    assert not report.get("refused_changes"), report["refused_changes"]
    _same_everywhere(tree, home)


def _an_edit_held_back(tree: Tree, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """A household of the laptop's, at the commune; its edit made while the laptop's clock
    ran ahead (a year of birth beyond this year, a note) refused alone there."""
    import nhao.services.households as households

    home = tree.a.add_household("Lò Văn Típ", birth_year=1970)
    tree.commune.take(tree.a.export())
    monkeypatch.setattr(households, "date", _ClockAhead)
    tree.a.edit_household(home, birth_year=date.today().year + 5, notes="Nhà dột")
    monkeypatch.undo()
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["refused"] == 1, report["entities"]
    return home


def test_an_edit_beyond_the_forms_is_taken_with_its_fix(tree: Tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An edit refused alone for a year of birth beyond this year, fixed on the laptop:
    the fix, whose old value is the refused year, opened a conflict with the commune's
    value, and the note typed with the refused year was lost, the commune's household
    quietly other than the laptop's. Both are taken with the fix, no conflict."""
    home = _an_edit_held_back(tree, monkeypatch)
    assert tree.commune.household(home).birth_year == 1970
    tree.a.edit_household(home, birth_year=1980)
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["updated"] == 1, report["entities"]
    assert report["entities"]["household"]["conflicts"] == 0, report["entities"]
    assert (tree.commune.household(home).birth_year, tree.commune.household(home).notes) == (
        1980, "Nhà dột"
    )
    _same_everywhere(tree, home)


def test_a_refused_edit_holds_back_no_other_stations_changes(tree: Tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Only the laptop that wrote a value beyond the forms waits for its fix. The
    commune's own edit of the household, relayed after the laptop's refused one, was
    folded into it and refused at the province until the laptop fixed its year: never,
    if it does not, the province's household for ever other than the commune's."""
    import nhao.services.households as households

    home = tree.a.add_household("Lò Văn Típ", birth_year=1970)
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    monkeypatch.setattr(households, "date", _ClockAhead)
    tree.a.edit_household(home, birth_year=date.today().year + 5)
    monkeypatch.undo()
    tree.commune.take(tree.a.export())
    tree.commune.edit_household(home, phone="0912345678")
    report = tree.province.take(tree.commune.export())[0]
    assert report["entities"]["household"]["refused"] == 1, report["entities"]
    assert report["entities"]["household"]["updated"] == 1, report["entities"]
    assert tree.province.household(home).phone == "0912345678"
    assert tree.province.household(home).birth_year == 1970
    # The laptop's fix still comes with what it refused, as one change.
    tree.a.edit_household(home, birth_year=1980)
    tree.commune.take(tree.a.export())
    report = tree.province.take(tree.commune.export())[0]
    assert report["entities"]["household"]["conflicts"] == 0, report["entities"]
    for node in (tree.commune, tree.province):
        assert (node.household(home).birth_year, node.household(home).phone) == (
            1980, "0912345678"
        )
        node.verify_clean()


class _YearsLater(date):
    """Today five years on, on the laptop and at the commune: the year the laptop's
    clock ran ahead to has come."""

    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return date(date.today().year + 5, 6, 1)


def test_an_edit_held_back_is_taken_once_its_date_comes_though_never_fixed(  # type: ignore[no-untyped-def]
    tree: Tree, monkeypatch
) -> None:
    """The laptop's clock ran ahead; its edit was refused alone and held back. Nobody fixed
    the value, and years passed: it is within the forms now. The laptop's next change of
    the household came alone, the held one was no longer seen as held (it was judged by
    today's date, not by the day it came): its note was lost, the commune's household
    quietly other than the laptop's, and a later change of the note a conflict. Now the
    held edit is taken with the next one, as one change, no conflict."""
    import nhao.services.households as households
    from nhao.sync import entry_values

    home = _an_edit_held_back(tree, monkeypatch)
    for module in (households, entry_values):
        monkeypatch.setattr(module, "date", _YearsLater)
    tree.a.edit_household(home, notes="Nhà dột nặng")
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"] == {
        **report["entities"]["household"], "updated": 1, "conflicts": 0, "refused": 0
    }, report["entities"]
    assert not report.get("refused_changes"), report["refused_changes"]
    assert tree.commune.household(home).as_input() == tree.a.household(home).as_input()
    _same_everywhere(tree, home)


def test_a_record_held_back_is_taken_once_its_date_comes_though_never_fixed(  # type: ignore[no-untyped-def]
    tree: Tree, monkeypatch
) -> None:
    """A household made with a year of birth beyond the forms, its creation held back;
    years later it is within them, never fixed. Its next change was refused as one of a
    record refused when it came, and every one after it, for ever. The creation is taken
    with it now."""
    import nhao.services.households as households
    from nhao.sync import entry_values

    monkeypatch.setattr(households, "date", _ClockAhead)
    home = tree.a.add_household("Lò Văn Típ", birth_year=date.today().year + 5)
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["refused"] == 1, report["entities"]
    tree.a.edit_household(home, members=4)  # still beyond the forms: held with it
    monkeypatch.undo()
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["refused"] == 1, report["entities"]
    for module in (households, entry_values):
        monkeypatch.setattr(module, "date", _YearsLater)
    tree.a.edit_household(home, phone="0912345678")
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["new"] == 1, report["entities"]
    assert not report.get("refused_changes"), report["refused_changes"]
    assert tree.commune.household(home).as_input() == tree.a.household(home).as_input()
    _same_everywhere(tree, home)


@pytest.mark.parametrize("full", [False, True])
def test_a_change_held_back_comes_with_the_stations_next_bundle_once_its_date_comes(  # type: ignore[no-untyped-def]
    tree: Tree, monkeypatch, full: bool
) -> None:
    """Held back, never fixed, the day it named has come; the laptop changed nothing more
    of that household. Its next bundle (another household's, or a full one with nothing
    new) left the held change out, as did every one after: the commune's household
    other than the laptop's for ever. The bundle takes it now."""
    import nhao.services.households as households
    from nhao.sync import entry_values

    home = _an_edit_held_back(tree, monkeypatch)
    for module in (households, entry_values):
        monkeypatch.setattr(module, "date", _YearsLater)
    if not full:
        tree.a.add_household("Hộ Khác")
    report = tree.commune.take(tree.a.export(full=full))[0]
    assert report["status"] == "applied", report
    assert report["entities"]["household"] == {
        **report["entities"]["household"], "updated": 1, "conflicts": 0, "refused": 0
    }, report["entities"]
    assert tree.commune.household(home).as_input() == tree.a.household(home).as_input()
    # Taken once: the laptop's next bundles bring nothing of it again.
    tree.a.edit_household(home, phone="0912345678")
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"] == {
        **report["entities"]["household"], "updated": 1, "conflicts": 0, "refused": 0
    }, report["entities"]
    assert tree.commune.take(tree.a.export(full=True))[0]["status"] == "skipped"
    _same_everywhere(tree, home)


def _stored_texts(node: Node, table: str) -> list[str]:
    """Every text value of `table` as the database holds it, read past nhao."""
    with node.db.engine.connect() as connection:
        cursor = connection.connection.cursor()  # the driver's own: nothing converts
        cursor.execute(f"SELECT * FROM {table}")
        return [v for row in cursor.fetchall() for v in row if isinstance(v, str)]


def test_decomposed_text_of_other_records_is_stored_composed(tree: Tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Text is stored NFC (DESIGN.md §4). A station that wrote an inspection's notes
    decomposed (an older nhao, a pasted line) had them stored so at the commune and the
    province, where they sorted, searched and hashed as other words. The bundle is not
    refused over it: the merge composes what it stores, and a later change whose old
    value is the decomposed text is an edit of the record, not a conflict."""
    from unicodedata import is_normalized, normalize

    from .test_faulty_station import FaultyStation, _templates

    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    notes, model = normalize("NFD", "Mái dột, vách nứa"), normalize("NFD", "Mẫu nhà Lạng Sơn")
    inspection = faulty.entries([("new", "notes", notes)], "inspection")
    case = faulty.entries([("new", "design_model", model)], "support_case")
    report = tree.commune.take(faulty.write(inspection + case))[0]
    assert report["status"] == "applied", report.get("reason")
    # Changed again as the sender holds it (old decomposed): an edit, not a conflict;
    # the same text sent again is no change, even of a record that is never edited.
    edit = faulty._later(case[0], case[0]["id"], {"design_model": [model, f"{model} 2"]})
    same = faulty._later(inspection[0], inspection[0]["id"], {"notes": [notes, notes]})
    report = tree.commune.take(faulty.write([edit, same]))[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["support_case"]["updated"] == 1, report["entities"]
    assert report["entities"]["inspection"]["unchanged"] == 1, report.get("refused_changes")
    assert report["entities"]["support_case"]["conflicts"] == 0, report["entities"]
    for node in (tree.commune, tree.province):
        if node is tree.province:
            up = tree.province.take(tree.commune.export())[0]
            assert up["status"] == "applied", up.get("reason")
        assert "Mái dột, vách nứa" in _stored_texts(node, "inspection")
        assert "Mẫu nhà Lạng Sơn 2" in _stored_texts(node, "support_case")
        for table in ("inspection", "support_case", "change_log", "audit_event"):
            assert all(is_normalized("NFC", t) for t in _stored_texts(node, table)), table
        node.verify_clean()


def test_a_record_created_twice_by_one_station_is_refused(tree: Tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """nhao creates a record once: a new record's id is new, and a pair's review made
    again is an edit of it. Two creations of one record by one station, of other values,
    merged as a conflict of the record with itself, kept for a person to resolve."""
    from .test_faulty_station import FaultyStation, _templates

    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    first = faulty.entries([("new", "notes", "Lần một")], "household")[0]
    again = faulty.entries([("new", "notes", "Lần hai")], "household")[0]
    again |= {"id": first["id"]}
    again["changes"]["id"] = [None, first["id"]]
    refused(tree.commune, faulty.write([first, again]), f"household {first['id']}",
            "hai lần", "không có gì được ghi")  # fmt: skip
    report = tree.commune.take(faulty.write([first]))[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["household"]["new"] == 1, report["entities"]
    tree.commune.verify_clean()


def test_a_change_stamped_otherwise_than_its_line_is_refused(tree: Tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every change nhao logs carries the record's new stamp as its line's. A record
    stored with a stamp of its own (one far ahead) sorted above every later change,
    which then no longer moved it, and conflicts were judged by the wrong time."""
    from .test_faulty_station import FaultyStation, _templates

    faulty = FaultyStation(tree.a, tree.commune, _templates(tree), tmp_path)
    ahead = f"999999999999999:00000:{faulty.station}"
    for lines in (
        faulty.entries([("new", "hlc", ahead)], "household"),
        faulty.entries([("update", "members", 3)], "household"),
    ):
        lines[-1]["changes"]["hlc"][1] = ahead
        refused(tree.commune, faulty.write(lines), "trường hlc", "không có gì được ghi")
    tree.commune.verify_clean()


def test_a_held_change_taken_once_its_date_came_is_not_taken_again(  # type: ignore[no-untyped-def]
    tree: Tree, monkeypatch
) -> None:
    """Held back, never fixed; the day it named came and the laptop's next bundle (another
    household's) took it. Nothing in the change log says so: the merge walking the log
    found it held still, and took it again with the laptop's next change of the
    household, its note over the one the commune wrote since, as a conflict. The list
    of held changes remembers it was taken."""
    import nhao.services.households as households
    from nhao.services import sync
    from nhao.sync import entry_values

    home = _an_edit_held_back(tree, monkeypatch)
    for module in (households, entry_values):
        monkeypatch.setattr(module, "date", _YearsLater)
    tree.a.add_household("Hộ Khác")
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"]["updated"] == 1, report["entities"]
    assert tree.commune.household(home).notes == "Nhà dột"
    tree.commune.edit_household(home, notes="Đã sửa mái")
    tree.a.edit_household(home, phone="0912345678")
    report = tree.commune.take(tree.a.export())[0]
    assert report["entities"]["household"] == {
        **report["entities"]["household"], "updated": 1, "conflicts": 0, "refused": 0
    }, report["entities"]
    assert tree.commune.household(home).notes == "Đã sửa mái"
    assert sync.list_conflicts(tree.commune.db) == []
    assert tree.commune.take(tree.a.export(full=True))[0]["status"] == "skipped"


def test_a_change_held_back_above_the_commune_comes_with_the_communes_next_bundle(  # type: ignore[no-untyped-def]
    tree: Tree, monkeypatch
) -> None:
    """The laptop's edit held back at the commune and, relayed, at the province. The day it
    named came; the laptop sent nothing more of that household (a full bundle with
    nothing new), and the commune took it. Nothing of it went up again: the province
    took it only with that laptop's next change the commune relayed, for ever other
    than the commune if none came (the commune's bundles up, its own changes, skipped
    it). A child's bundle takes what is held of its subtree's stations."""
    import nhao.services.households as households
    from nhao.sync import entry_values

    home = _an_edit_held_back(tree, monkeypatch)
    report = tree.province.take(tree.commune.export())[0]
    assert report["entities"]["household"]["refused"] == 1, report["entities"]
    for module in (households, entry_values):
        monkeypatch.setattr(module, "date", _YearsLater)
    report = tree.commune.take(tree.a.export(full=True))[0]
    assert report["status"] == "applied", report
    assert tree.commune.household(home).notes == "Nhà dột"
    _same_everywhere(tree, home)


@pytest.mark.parametrize("listed", [True, False])
def test_a_case_change_held_back_of_one_laptop_does_not_stop_the_others_bundle(  # type: ignore[no-untyped-def]
    tree: Tree, make_node, monkeypatch, listed: bool
) -> None:
    """A hamlet's first laptop planned its household's case too many years ahead: held
    back at the commune. Years later (the year within the forms now), the second laptop
    of the hamlet changed the case. Its bundle took the first laptop's held change with
    it, and nhao failed on it ("lỗi không mong đợi"), the bundle refused, and every later
    one of that laptop changing the case, when the held change was listed by an nhao
    before the list (or, from a bundle not of the hamlet, at all). The other laptop's
    bundle applies; the held change comes with its own laptop's next bundle."""
    import uuid

    from sqlalchemy import delete

    from nhao.domain.dates import PLANNED_YEARS_AHEAD
    from nhao.domain.enums import SupportKind
    from nhao.models import SupportCase
    from nhao.models.sync import SyncHeldBack
    from nhao.services import cases, sync
    from nhao.services.unit_of_work import unit_of_work
    from nhao.sync import entry_values

    from .conftest import trust
    from .test_sent_to_each_computer import _second_laptop

    a, commune, year = tree.a, tree.commune, date.today().year
    home = a.add_household("Nguyễn Văn Ấn")
    case = cases.propose_case(a.db, a.actor, home, SupportKind.new_build, year)
    second = _second_laptop(tree, make_node)
    trust(second, a, "child")
    assert second.take(a.export(to=a.unit, full=True))[0]["status"] == "applied"
    assert commune.take(second.export())[0]["status"] == "applied"

    def change(node: Node, **values: object) -> None:
        with unit_of_work(node.db, node.actor) as uow:
            uow.update(uow.session.get(SupportCase, uuid.UUID(case.id)), values)

    change(a, planned_year=year + PLANNED_YEARS_AHEAD + 3)  # as an edited laptop sends it
    report = commune.take(a.export())[0]
    assert report["entities"]["support_case"]["refused"] == 1, report["entities"]
    if not listed:  # held by an nhao before the list of held changes
        with commune.db.transaction() as session:
            session.execute(delete(SyncHeldBack))
    monkeypatch.setattr(entry_values, "date", _YearsLater)
    change(second, kind=SupportKind.repair.value)
    report = commune.take(second.export())[0]
    assert report["status"] == "applied", report.get("reason")
    assert report["entities"]["support_case"]["updated"] == 1, report["entities"]
    a.add_household("Hộ Khác")
    assert commune.take(a.export())[0]["status"] == "applied"
    with commune.db.session() as session:
        row = session.get(SupportCase, uuid.UUID(case.id))
        assert (row.planned_year, row.kind) == (year + PLANNED_YEARS_AHEAD + 3, "repair")
    assert sync.list_conflicts(commune.db) == []
    commune.verify_clean()
