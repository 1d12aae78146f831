"""The register exported, corrected in Excel and imported back into the same database:
unchanged rows write nothing and are said so, corrected rows change just what the clerk
corrected, rows added are new households, a row deleted deletes nothing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from nhao import cli
from nhao.domain.enums import Category
from nhao.imports.report import ImportReport
from nhao.models import AuditEvent, Household
from nhao.models.database import Database
from nhao.models.system import ChangeLogEntry
from nhao.services import demo, households, units, users
from nhao.services.actor import Actor
from nhao.services.household_export import export_register
from nhao.services.household_import import DuplicateAction, ImportOptions, import_file
from nhao.services.households import HouseholdInput

from .conftest import make_csv, make_xlsx, messages

UNCHANGED = "Hộ đã có sẵn các thông tin này."


@pytest.fixture
def commune(db: Database) -> Actor:
    demo.build_demo(db, households=80, seed=1, today=date(2025, 6, 1))
    return users.authenticate(db, "admin", "demo")


@pytest.fixture
def register(db: Database, commune: Actor, tmp_path: Path) -> Path:
    path = tmp_path / "so-ho.xlsx"
    assert export_register(db, commune, path).households == 80
    return path


def logged(db: Database) -> tuple[int, int]:
    """How many audit events and change-log lines (what the next bundle carries)."""
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0,
        )


def stored(db: Database) -> dict[str, dict[str, object]]:
    """Every household's columns that a row of the register sets, by id."""
    columns = [c.name for c in Household.__table__.columns if c.name not in SYSTEM_COLUMNS]
    with db.session() as session:
        return {
            str(h.id): {c: getattr(h, c) for c in columns}
            for h in session.scalars(select(Household))
        }


SYSTEM_COLUMNS = {"id", "created_at", "updated_at", "hlc", "station_id", "deleted_at"}
NAME, ID = 2, 6  # the columns of the name and the citizen ID, from 0 ("STT", "Mã hộ", …)


def without_codes(path: Path) -> Path:
    """The register with its "Mã hộ" column taken out: a list that names households by
    their name, birth year, hamlet and ID alone, as most lists do."""
    book = openpyxl.load_workbook(path)
    assert book.active.cell(2, 2).value == "Mã hộ"
    book.active.delete_cols(2)
    book.save(path)
    return path


def household_rows(report) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [o for o in report.rows if o.head_name]


def imported_back(db: Database, actor: Actor, path: Path) -> list[ImportReport]:
    """The register imported back with each choice for duplicates but "new": every row a
    household already entered just as the row has it."""
    reports = []
    for action in DuplicateAction.skip, DuplicateAction.update:
        report = import_file(db, actor, path, ImportOptions(on_duplicate=action))
        assert {(o.status.value, o.unchanged) for o in household_rows(report)} == {
            ("skipped", True)
        }
        reports.append(report)
    return reports


@pytest.mark.parametrize("action", [DuplicateAction.skip, DuplicateAction.update])
def test_the_register_imported_back_unchanged_is_said_unchanged_and_writes_nothing(
    db: Database, commune: Actor, register: Path, action: DuplicateAction
) -> None:
    """80 rows each said "duplicate", to decide on one by one, for a register nobody
    touched: each is a household the commune has just so, nothing to write or choose."""
    before, log = stored(db), logged(db)
    options = ImportOptions(on_duplicate=action)
    for dry_run in (True, False):
        report = import_file(db, commune, register, options, dry_run=dry_run)
        rows = household_rows(report)
        assert len(rows) == 80
        assert {(o.status.value, o.duplicate, o.unchanged) for o in rows} == {
            ("skipped", True, True)
        }
        assert {o.messages[-1] for o in rows} == {UNCHANGED}
        assert report.summary()["unchanged"] == 80 and report.imported == 0
        assert "80 hộ đã có sẵn đúng như trong tệp" in report.describe()
    assert stored(db) == before and logged(db) == log


def test_a_name_in_capitals_and_a_groups_other_spelling_come_back_unchanged(
    db: Database, commune: Actor, tmp_path: Path
) -> None:
    """The household form keeps a name typed in capitals and an ethnic group as typed
    ("H'Mông"); the import writes names in names' case and a group by its name. The
    register exported and imported back updated that household: "BÀN THỊ CHANG" →
    "Bàn Thị Chang", "H'Mông" → "Mông", against the register imported back changing
    nothing. A row differing from the household only so keeps the household's."""
    with db.session() as session:
        household = session.scalars(select(Household).order_by(Household.head_name)).first()
        assert household is not None
        household.head_name, household.ethnicity = household.head_name.upper(), "H'Mông"
        session.commit()
    path = tmp_path / "so-ho.xlsx"
    export_register(db, commune, path)
    before, log = stored(db), logged(db)
    imported_back(db, commune, path)
    assert stored(db) == before and logged(db) == log


def corrected_in_excel(register: Path, out: Path) -> dict[str, list[object]]:
    """The register as a clerk corrects it in Excel: a category changed, one added beside
    another, a name's spelling, a birth year, a phone number typed where there was none
    (a number to Excel: its 0 lost), a row deleted, the ID of another typed with the
    apostrophe that keeps a number text, the sheet sorted by hamlet (the numbers in
    "STT" left as they were), a note column of the clerk's own, two new households at
    the bottom. Returns the rows changed, by their original name."""
    book = openpyxl.load_workbook(register)
    sheet = book.active
    header = [c.value for c in sheet[2]]
    at = {name: header.index(name) for name in header}
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    with_id = [r for r in rows if r[at["Số CCCD"]] and len(r[at["Số CCCD"]]) == 12]
    poor = next(r for r in with_id if r[at["Diện hộ"]] == "Hộ nghèo")
    near = next(r for r in with_id if r[at["Diện hộ"]] == "Hộ cận nghèo" and r is not poor)
    no_phone = next(r for r in with_id if not r[at["Số điện thoại"]] and r not in (poor, near))
    spelt, born, deleted, quoted = [r for r in with_id if r not in (poor, near, no_phone)][:4]
    old = {r[at["Số CCCD"]]: list(r) for r in (poor, near, no_phone, spelt, born)}
    poor[at["Diện hộ"]] = "Hộ cận nghèo"
    near[at["Diện hộ"]] = "Hộ cận nghèo, Hộ có công"
    no_phone[at["Số điện thoại"]] = 912345678
    spelt[NAME] = spelt[NAME] + "h"  # "Lò Văn An" → "Lò Văn Anh"
    born[at["Năm sinh"]] += 1
    quoted[at["Số CCCD"]] = "'" + quoted[at["Số CCCD"]]
    rows.remove(deleted)
    rows.sort(key=lambda r: r[at["Thôn, xóm"]], reverse=True)
    hamlets = sorted({r[at["Thôn, xóm"]] for r in rows})
    new = [None] * len(header)
    rows.append([81, None, "Hà Văn Mới", 1990, "Nam", "Tày", "020090123456", "0987654321",
                 hamlets[0], "", "Hộ nghèo", 2025, 4, "x", *new[14:]])  # fmt: skip
    rows.append([82, None, "Lâm Thị Tươi", 1995, "Nữ", "Nùng", None, None, hamlets[-1], "",
                 "Hộ cận nghèo", 2025, 3, "x", *new[14:]])  # fmt: skip
    sheet.delete_rows(3, sheet.max_row)
    sheet.cell(2, len(header) + 1, "Ghi chú của xã")
    for number, row in enumerate(rows, 3):
        for column, value in enumerate([*row, "đã kiểm tra" if number % 7 == 0 else None], 1):
            sheet.cell(number, column, value)
    book.save(out)
    return old, deleted


CHANGED = {  # the household columns each correction changes, by the row's place in `old`
    0: {"is_poor": (True, False), "is_near_poor": (False, True)},
    1: {"is_revolutionary_merit": (False, True)},
    2: {"phone": ("", "0912345678")},
    3: {"head_name": "+h", "head_name_key": "+h"},
    4: {"birth_year": "+1"},
}


def test_the_clerks_corrections_change_just_what_was_corrected(
    db: Database, commune: Actor, register: Path, tmp_path: Path
) -> None:
    old, deleted = corrected_in_excel(register, tmp_path / "da-sua.xlsx")
    before, (events, lines) = stored(db), logged(db)
    options = ImportOptions(on_duplicate=DuplicateAction.update)
    preview = import_file(db, commune, tmp_path / "da-sua.xlsx", options, dry_run=True)
    report = import_file(db, commune, tmp_path / "da-sua.xlsx", options)
    for said in (preview, report):
        rows = household_rows(said)
        assert [o.status.value for o in rows].count("duplicate") == 5
        assert [o.status.value for o in rows].count("ok") == 2  # the new households
        assert [o.unchanged for o in rows].count(True) == 79 - 5
    assert (report.imported, report.updated) == (7, 5)
    after = stored(db)
    added = set(after) - set(before)
    assert sorted(after[h]["head_name"] for h in added) == ["Hà Văn Mới", "Lâm Thị Tươi"]
    changed = {
        h: {c: (before[h][c], after[h][c]) for c in before[h] if before[h][c] != after[h][c]}
        for h in before
    }
    by_id = {row[ID]: place for place, row in enumerate(old.values())}
    for household, columns in changed.items():
        place = by_id.get(before[household]["citizen_id"])
        expected = {} if place is None else dict(CHANGED[place])
        for column, how in expected.items():
            was = before[household][column]
            if how == "+h":
                expected[column] = (was, was + "h")
            elif how == "+1":
                expected[column] = (was, was + 1)
        assert columns == expected, before[household]["head_name"]
    assert deleted[ID] in {h["citizen_id"] for h in after.values()}  # a row deleted: kept
    # One audit event and one change-log line for each household written, none for the rest.
    assert logged(db) == (events + 7, lines + 7)


def test_a_corrected_row_skipped_as_a_duplicate_says_what_it_would_change(
    db: Database, commune: Actor, register: Path, tmp_path: Path
) -> None:
    """Skipped alike, a row the clerk corrected could not be told from the 74 left as
    they were: the correction was dropped unsaid, with no way to find the row to update."""
    old, _ = corrected_in_excel(register, tmp_path / "da-sua.xlsx")
    before = stored(db)
    report = import_file(db, commune, tmp_path / "da-sua.xlsx", ImportOptions(), dry_run=True)
    rows = household_rows(report)
    assert [(o.status.value, o.unchanged) for o in rows].count(("skipped", True)) == 74
    differing = [o for o in rows if o.status.value == "skipped" and not o.unchanged]
    assert len(differing) == 5
    poor = next(o for o in differing if o.head_name == next(iter(old.values()))[NAME])
    assert messages(report, poor.row).endswith(
        "Bỏ qua dòng trùng này. | Dòng này ghi khác hộ đã có: Diện hộ “Hộ nghèo” → “Hộ cận "
        "nghèo”; chọn “Cập nhật hộ đã có” cho dòng này để ghi các thay đổi đó."
    )
    assert stored(db) == before


def test_the_command_line_lists_the_rows_that_differ_not_the_unchanged_ones(
    db: Database, commune: Actor, register: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`nhao households import` printed a line for each of the 80 rows of the register
    imported back ("Hộ đã có sẵn các thông tin này"), and none for a corrected row
    skipped: the five a clerk needs to look at were lost among the rest, or unsaid."""
    corrected_in_excel(register, tmp_path / "da-sua.xlsx")
    monkeypatch.setenv("NHAO_PASSWORD", "demo")
    for action in ("skip", "update"):
        code = cli.main([
            "households", "import", str(tmp_path / "da-sua.xlsx"), "--db",
            str(db.location.path), "--dry-run", "--on-duplicate", action,
        ])
        out = capsys.readouterr().out
        assert code == 0
        assert "(có 74 hộ đã có sẵn đúng như trong tệp)" in out.splitlines()[0]
        listed = [line for line in out.splitlines() if line.startswith("  Dòng ")]
        assert len(listed) == 5 and UNCHANGED not in out, out


def test_a_register_with_masked_ids_imports_back_keeping_the_ids(
    db: Database, commune: Actor, tmp_path: Path
) -> None:
    """The register exported with the IDs masked ("********0123", for a list that leaves
    the commune), corrected and imported back: every row with an ID was refused ("Số
    CCCD chỉ gồm chữ số, không có “*”"). A masked ID is no number to write: the row is
    the household of its name, birth year and hamlet, whose ID stays as it is."""
    path = tmp_path / "cong-khai.xlsx"
    export_register(db, commune, path, mask_ids=True)
    book = openpyxl.load_workbook(without_codes(path))
    sheet = book.active
    first = [c.value for c in sheet[3]]
    assert str(first[5]).startswith("****")
    sheet.cell(3, 12, first[11] + 1)  # one more member
    sheet.append([81, "Hà Văn Mới", 1990, "Nam", "Tày", "********3456", None, first[7], None,
                  "Hộ nghèo", 2025, 4])  # fmt: skip
    book.save(path)
    before, log = stored(db), logged(db)
    options = ImportOptions(on_duplicate=DuplicateAction.update)
    preview = import_file(db, commune, path, options, dry_run=True)
    rows = household_rows(preview)
    assert [o.status.value for o in rows] == ["duplicate"] + ["skipped"] * 79 + ["warning"]
    assert all(o.unchanged for o in rows[1:80])
    assert messages(preview, 3).endswith("Sẽ cập nhật hộ đã có: Số nhân khẩu "
                                         f"{first[11]} → {first[11] + 1}.")
    assert messages(preview, 83) == (
        "Cột F “Số CCCD”: Số CCCD đã bị che (********3456) nên không được nhập; hãy ghi "
        "đủ số cho hộ này."
    )
    report = import_file(db, commune, path, options)
    assert (report.imported, report.updated) == (2, 1)
    after = stored(db)
    assert {h: after[h]["citizen_id"] for h in before} == {
        h: before[h]["citizen_id"] for h in before
    }
    [new] = set(after) - set(before)
    assert after[new]["citizen_id"] is None
    assert logged(db) == (log[0] + 2, log[1] + 2)


def test_a_household_without_id_or_birth_year_comes_back_as_itself(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """An old head of household with no card and a birth year nobody knows: matched by
    name, birth year and hamlet, or by ID, the row of the register matched nothing, and
    each import of the register back added the household once more. Matched now by name
    and hamlet; the birth year the clerk found and wrote in is an update, not a second
    household."""
    hamlet = units.list_hamlets(db)[0]
    households.create_household(db, admin, HouseholdInput(
        hamlet_code=hamlet.code, head_name="Lò Văn Páo", categories=frozenset({Category.poor}),
    ))
    path = tmp_path / "so-ho.xlsx"
    export_register(db, admin, path)
    without_codes(path)
    before = stored(db)
    for report in imported_back(db, admin, path):
        assert messages(report, 3) == (
            f"Trùng họ tên và thôn với hộ đã có, chưa ghi năm sinh: Lò Văn Páo ({hamlet.name})."
            f" | {UNCHANGED}"
        )
    book = openpyxl.load_workbook(path)
    book.active.cell(3, 3, 1941)
    book.save(path)
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert messages(report, 3).endswith("Đã cập nhật hộ đã có: Năm sinh (trống) → 1941.")
    [(household, was)] = before.items()
    assert stored(db) == {household: {**was, "birth_year": 1941}}


def test_a_corrected_row_without_id_that_matches_nothing_names_the_household_it_may_be(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Without a citizen ID, a household is found by name, birth year and hamlet: the
    clerk who corrected one of these on the register made, unsaid, a second household
    beside the first. The import cannot tell a correction from a namesake, and the
    register has no number of its own for the household: the row is said, naming the
    household it may be and where to correct it."""
    hamlets = units.list_hamlets(db)
    for name, year in ("Lò Văn Páo", 1950), ("Hoàng Thị Dung", 1962):
        households.create_household(db, admin, HouseholdInput(
            hamlet_code=hamlets[0].code, head_name=name, birth_year=year,
            categories=frozenset({Category.poor}),
        ))
    path = tmp_path / "so-ho.xlsx"
    export_register(db, admin, path)
    book = openpyxl.load_workbook(without_codes(path))  # with them: test_a_household_code…
    sheet = book.active
    rows = {sheet.cell(r, 2).value: r for r in (3, 4)}
    sheet.cell(rows["Lò Văn Páo"], 3, 1951)  # the birth year corrected
    sheet.cell(rows["Hoàng Thị Dung"], 8, hamlets[1].name)  # moved to another hamlet
    book.save(path)
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update),
                         dry_run=True)  # fmt: skip
    fix = (
        "sẽ nhập thành hộ mới. Nếu là cùng một hộ, hãy sửa năm sinh, thôn trong hồ sơ hộ "
        "đó (không qua tệp) rồi nhập lại."
    )
    assert messages(report, rows["Lò Văn Páo"]).endswith(
        f"Cùng họ tên và thôn với hộ đã có Lò Văn Páo ({hamlets[0].name}), năm sinh 1950: {fix}"
    )
    assert messages(report, rows["Hoàng Thị Dung"]).endswith(
        f"Cùng họ tên và năm sinh với hộ đã có Hoàng Thị Dung ({hamlets[0].name}) ở thôn "
        f"khác: {fix}"
    )
    assert {o.status.value for o in household_rows(report)} == {"warning"}


def test_a_row_skipped_is_read_against_the_household_before_a_later_row_updates_it(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Rows skipped are read against their households in batches, after the rows below:
    a row chosen to update the same household had changed it by then, and the row
    skipped above was said to differ from what the file itself had written."""
    hamlet = units.list_hamlets(db)[0]
    households.create_household(db, admin, HouseholdInput(
        hamlet_code=hamlet.code, head_name="Lò Văn Páo", citizen_id="020060000123",
        birth_year=1960, members=4, categories=frozenset({Category.poor}),
    ))
    header = ["Họ và tên chủ hộ", "Năm sinh", "Số CCCD", "Thôn", "Diện hộ", "Số nhân khẩu"]
    row = ["Lò Văn Páo", 1960, "020060000123", hamlet.name, "Hộ nghèo"]
    path = make_xlsx(tmp_path / "hai-lan.xlsx", [header, [*row, 5], [*row, 6]])
    options = ImportOptions(row_actions={3: DuplicateAction.update})
    report = import_file(db, admin, path, options)
    assert messages(report, 2).endswith(
        "Dòng này ghi khác hộ đã có: Số nhân khẩu 4 → 5; chọn “Cập nhật hộ đã có” cho dòng "
        "này để ghi các thay đổi đó."
    )


def test_namesakes_on_a_masked_register_are_told_apart_by_the_digits_shown(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Two heads of household of one name, birth year and hamlet, each with a card: on
    the register with the IDs masked, both rows were the first household's (by name,
    birth year and hamlet), and the second row's values were written over it."""
    hamlet = units.list_hamlets(db)[0]
    for cid, members in ("020080000123", 3), ("020080004567", 6):
        households.create_household(db, admin, HouseholdInput(
            hamlet_code=hamlet.code, head_name="Giàng A Páo", citizen_id=cid,
            birth_year=1980, members=members, categories=frozenset({Category.poor}),
        ))
    path = tmp_path / "cong-khai.xlsx"
    export_register(db, admin, path, mask_ids=True)
    book = openpyxl.load_workbook(without_codes(path))
    sheet = book.active
    for row in 3, 4:
        if sheet.cell(row, 6).value.endswith("4567"):
            sheet.cell(row, 12, 7)  # the second household: 7 members now
    book.save(path)
    before = stored(db)
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert sorted((o.status.value, o.unchanged) for o in household_rows(report)) == [
        ("duplicate", False), ("skipped", True)
    ]
    after = stored(db)
    assert sorted((h["citizen_id"], h["members"]) for h in after.values()) == [
        ("020080000123", 3), ("020080004567", 7)
    ]
    assert set(after) == set(before)


def test_namesakes_without_ids_are_not_written_over_each_other(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Two heads of household of one name, birth year and hamlet, neither with a card:
    the register imported back with "update" wrote the second row over the first
    household (3 members → 6), for the two rows matched the one household the name,
    birth year and hamlet found. Each row unchanged is its own household's; a row
    corrected cannot be told to be either's, and is not written."""
    hamlet = units.list_hamlets(db)[0]
    for members in 3, 6:
        households.create_household(db, admin, HouseholdInput(
            hamlet_code=hamlet.code, head_name="Giàng A Páo", birth_year=1980, members=members,
            categories=frozenset({Category.poor}),
        ))
    path = tmp_path / "so-ho.xlsx"
    export_register(db, admin, path)
    without_codes(path)  # with their codes, each row is its own household's
    before = stored(db)
    assert [len(household_rows(report)) for report in imported_back(db, admin, path)] == [2, 2]
    assert stored(db) == before
    book = openpyxl.load_workbook(path)
    book.active.cell(4, 12, 7)  # one of the two: 7 members now
    book.save(path)
    ambiguous = (
        "Có 2 hộ cùng họ tên, năm sinh và thôn này mà không có số CCCD: không rõ dòng này "
        "là hộ nào"
    )
    report = import_file(db, admin, path, ImportOptions())
    assert messages(report, 4).endswith(f"Bỏ qua dòng trùng này. | {ambiguous}.")
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in household_rows(report)] == ["skipped", "error"]
    assert messages(report, 4).endswith(
        f"{ambiguous} nên không cập nhật được: hãy sửa hộ đó trong hồ sơ hộ, hoặc chọn “Bỏ "
        "qua” cho dòng này."
    )
    assert stored(db) == before


def row_without_id(sheet) -> int:  # type: ignore[no-untyped-def]
    """The first row of the register whose household has no citizen ID but a birth year."""
    return next(
        r for r in range(3, sheet.max_row + 1)
        if not sheet.cell(r, ID + 1).value and sheet.cell(r, NAME + 2).value
    )


def test_a_household_code_brings_a_corrected_row_back_onto_its_household(
    db: Database, commune: Actor, register: Path
) -> None:
    """A household without a citizen ID was found again by its name, birth year and
    hamlet alone: the clerk who corrected its name and birth year in the register made a
    second household beside it. The row's "Mã hộ" is its household's, whatever the row
    corrects."""
    book = openpyxl.load_workbook(register)
    sheet = book.active
    row = row_without_id(sheet)
    code, name, year = (sheet.cell(row, c).value for c in (2, NAME + 1, NAME + 2))
    sheet.cell(row, NAME + 1, name + "h")  # "Lò Văn An" → "Lò Văn Anh"
    sheet.cell(row, NAME + 2, year - 1)
    book.save(register)
    with db.session() as session:
        household = session.scalar(select(Household).where(Household.household_code == code))
        assert household is not None and household.citizen_id is None
        household_id = household.id
    before, (events, lines) = stored(db), logged(db)
    report = import_file(db, commune, register, ImportOptions(on_duplicate=DuplicateAction.update))
    assert messages(report, row) == (
        f"Cùng mã hộ {code} với hộ đã có: {name} ({sheet.cell(row, 9).value}). | Đã cập nhật hộ "
        f"đã có: Họ và tên chủ hộ “{name}” → “{name}h”; Năm sinh {year} → {year - 1}. | "
        + head_changed(code, name, name + "h")
    )
    assert (report.imported, report.updated) == (1, 1)
    after = stored(db)
    assert set(after) == set(before)  # no second household
    assert after[str(household_id)] == {
        **before[str(household_id)], "head_name": name + "h", "birth_year": year - 1,
        "head_name_key": before[str(household_id)]["head_name_key"] + "h",
    }
    assert logged(db) == (events + 1, lines + 1)


def head_changed(code: str, old: str, new: str) -> str:
    return (
        f"Mã hộ {code}: chủ hộ đổi từ “{old}” thành “{new}” (tên gọi khác nhau). Đúng nếu hộ "
        "đã đổi chủ hộ (vợ, con, ...) hoặc tên cũ ghi sai; nếu không phải hộ này, hãy sửa mã "
        "hộ trong tệp rồi nhập lại."
    )


def test_a_code_on_a_row_of_another_head_is_not_written_over_its_household(
    db: Database, commune: Actor, register: Path
) -> None:
    """Codes pasted one row off: the row's code is a household's whose head is someone
    else entirely. Updated with the file's "update", another family's name would be
    written over it; it is asked about, naming the code and both names, and updated only
    when chosen for the row (a new head of the household)."""
    book = openpyxl.load_workbook(register)
    sheet = book.active
    row = row_without_id(sheet)
    code, name = sheet.cell(row, 2).value, sheet.cell(row, NAME + 1).value
    hamlet = sheet.cell(row, 9).value
    sheet.cell(row, NAME + 1, "Đinh Thị Xuân")
    book.save(register)
    before = stored(db)
    report = import_file(db, commune, register, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in report.rows if o.row == row] == ["error"]
    assert messages(report, row) == (
        f"Mã hộ {code} là của hộ đã có {name} ({hamlet}), nhưng dòng này ghi chủ hộ “Đinh Thị "
        "Xuân”: có thể mã hộ bị ghi nhầm dòng. | Chưa cập nhật: nếu đúng là hộ đó (đã đổi chủ "
        "hộ), hãy chọn “Cập nhật hộ đã có” riêng cho dòng này; nếu là hộ khác, hãy sửa mã hộ "
        "trong tệp, hoặc chọn “Nhập thành hộ mới” (hộ mới được cấp mã hộ khác)."
    )
    assert stored(db) == before
    # Chosen "new": another household, with a code of its own.
    new = ImportOptions(row_actions={row: DuplicateAction.new})
    report = import_file(db, commune, register, new, dry_run=True)
    assert messages(report, row).endswith(
        f"Mã hộ {code} đã là của hộ khác: hộ mới được cấp mã hộ riêng. | Sẽ nhập thành hộ mới."
    )
    # Chosen "update" for the row: the head has changed.
    chosen = ImportOptions(row_actions={row: DuplicateAction.update})
    report = import_file(db, commune, register, chosen)
    assert messages(report, row).endswith(f"Họ và tên chủ hộ “{name}” → “Đinh Thị Xuân”.")
    after = stored(db)
    assert set(after) == set(before)
    assert [h["head_name"] for h in after.values() if h["household_code"] == code] == [
        "Đinh Thị Xuân"
    ]


def test_household_codes_of_a_list(db: Database, admin: Actor, tmp_path: Path) -> None:
    """A list's own "Mã hộ", under any of its spellings: kept for a new household (a
    row without one gets the derived code), compared trimmed and in any case, and one
    code on two rows of the file is a duplicate within it."""
    hamlet = units.list_hamlets(db)[0].name
    for header in "Mã hộ", "Mã số hộ", "MÃ HỘ", "Ma ho", "Mã HGĐ":
        path = make_xlsx(tmp_path / "ma-ho.xlsx", [
            ["STT", header, "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
            [1, "BG-0012", "Lò Văn Páo", 1950, hamlet, "Hộ nghèo"],
        ])
        report = import_file(db, admin, path, ImportOptions(), dry_run=True)
        assert report.mapping[1] == "household_code", header
    path = make_xlsx(tmp_path / "ma-ho.xlsx", [
        ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "BG-0012", "Lò Văn Páo", 1950, hamlet, "Hộ nghèo"],
        [2, None, "Hoàng Thị Dung", 1962, hamlet, "Hộ nghèo"],
        [3, 412, "Vi Văn Tài", 1970, hamlet, "Hộ nghèo"],
        [4, "BG-0012", "Lò Văn Páo", 1951, hamlet, "Hộ nghèo"],
    ])
    report = import_file(db, admin, path, ImportOptions())
    assert [o.status.value for o in household_rows(report)] == ["ok", "ok", "ok", "skipped"]
    assert messages(report, 5) == "Trùng mã hộ BG-0012 với dòng 2 của tệp. | Bỏ qua dòng trùng này."
    codes = {h["head_name"]: h["household_code"] for h in stored(db).values()}
    assert codes["Lò Văn Páo"] == "BG-0012" and codes["Vi Văn Tài"] == "412"
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", codes["Hoàng Thị Dung"])
    # The code typed in another case, with spaces around it: the same household.
    path = make_xlsx(tmp_path / "sua.xlsx", [
        ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, " bg-0012 ", "Lò Văn Pào", 1949, hamlet, "Hộ nghèo"],
    ])
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert messages(report, 2).endswith(
        "Đã cập nhật hộ đã có: Họ và tên chủ hộ “Lò Văn Páo” → “Lò Văn Pào”; Năm sinh 1950 → "
        "1949."
    )
    assert codes == {h["head_name"].replace("Pào", "Páo"): h["household_code"]
                     for h in stored(db).values()}  # fmt: skip
    assert sorted(h["head_name"] for h in stored(db).values()) == [
        "Hoàng Thị Dung", "Lò Văn Pào", "Vi Văn Tài"
    ]


def test_codes_numbered_within_each_hamlet_are_no_duplicates(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A list numbering its households per hamlet ("001" in each) gives one code to two
    heads: before, the second row was a duplicate of the first, skipped by default, and
    its household lost. Rows of one code are one household only when the heads may be
    one person; the register taken back matches them by their other values."""
    first, second = (h.name for h in units.list_hamlets(db)[:2])
    rows = [
        ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "001", "Lò Văn Páo", 1950, first, "Hộ nghèo"],
        [2, "002", "Hoàng Thị Dung", 1962, first, "Hộ nghèo"],
        [3, "001", "Vi Văn Tài", 1970, second, "Hộ nghèo"],
        [4, "001", "Lò Văn Pảo", 1950, first, "Hộ nghèo"],  # the first row again, mistyped
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "theo-thon.xlsx", rows), ImportOptions())
    assert [o.status.value for o in household_rows(report)] == ["ok", "ok", "ok", "skipped"]
    assert messages(report, 5).startswith("Trùng mã hộ 001 với dòng 2 của tệp.")
    assert sorted((h["head_name"], h["household_code"]) for h in stored(db).values()) == [
        ("Hoàng Thị Dung", "002"), ("Lò Văn Páo", "001"), ("Vi Văn Tài", "001"),
    ]  # fmt: skip
    again = import_file(db, admin, make_xlsx(tmp_path / "lai.xlsx", rows[:4]), ImportOptions())
    assert [o.status.value for o in household_rows(again)] == ["skipped"] * 3
    assert len(stored(db)) == 3


def test_codes_numbered_within_each_hamlet_keep_namesakes_of_two_hamlets_apart(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Heads of one name, or names a letter apart, are common: "002" of one hamlet and
    "002" of the next, both "Vi Thị Hoa", were taken for one household, the second row
    skipped as a duplicate of the first and its household lost. Rows of one code are
    one household only within a hamlet; across two, the row is imported and said."""
    first, second = (h.name for h in units.list_hamlets(db)[:2])
    rows = [
        ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"],
        [1, "001", "Lò Văn An", 1950, first, "Hộ nghèo"],
        [2, "002", "Vi Thị Hoa", 1962, first, "Hộ nghèo"],
        [1, "001", "Lò Văn Anh", 1985, second, "Hộ nghèo"],
        [2, "002", "Vi Thị Hoa", 1970, second, "Hộ nghèo"],
        [3, "002", "Vi Thị Hoà", 1962, first, "Hộ nghèo"],  # the third row again
    ]
    report = import_file(db, admin, make_xlsx(tmp_path / "theo-thon.xlsx", rows), ImportOptions())
    assert [(o.row, o.status.value) for o in report.rows] == [
        (2, "ok"), (3, "ok"), (4, "warning"), (5, "warning"), (6, "skipped"),
    ]  # fmt: skip
    for row, other in ((4, 2), (5, 3)):
        code = rows[row - 1][1]
        assert messages(report, row) == (
            f"Cùng mã hộ {code} với dòng {other} của tệp, chủ hộ gần giống nhưng ở thôn khác: "
            "đã nhập thành hộ riêng. Nếu là cùng một hộ, hãy sửa thôn ở hai dòng cho giống "
            "nhau rồi nhập lại."
        )
    assert messages(report, 6) == "Trùng mã hộ 002 với dòng 3 của tệp. | Bỏ qua dòng trùng này."
    assert sorted(
        (h["head_name"], h["birth_year"], h["household_code"]) for h in stored(db).values()
    ) == [
        ("Lò Văn An", 1950, "001"), ("Lò Văn Anh", 1985, "001"),
        ("Vi Thị Hoa", 1962, "002"), ("Vi Thị Hoa", 1970, "002"),
    ]  # fmt: skip


def test_codes_numbered_within_each_hamlet_in_one_list_per_hamlet_are_other_households(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Each hamlet's list numbered from "001", imported one after the other. Before, the
    second hamlet's "001" was taken for the first hamlet's household of that code: of
    another head it was a duplicate, skipped by default, its household lost; of the same
    name but another birth year, "update" wrote it over the first (year and hamlet). A
    list's own code of a household in another hamlet is that household's only when the
    head may be one person of one birth year; a row of another head is a household of
    its own and keeps its code, one of the same name and another year waits for a
    choice. A derived code is one household's wherever it goes (the round trip)."""
    first, second = (h.name for h in units.list_hamlets(db)[:2])
    import_file(db, admin, coded_list(
        tmp_path / "thon-1.xlsx", first, ("001", "Lò Văn Páo", 1950), ("002", "Vi Thị Hoa", 1962)
    ), ImportOptions())  # fmt: skip
    before = stored(db)
    path = coded_list(
        tmp_path / "thon-2.xlsx", second, ("001", "Hoàng Văn Dũng", 1975),
        ("002", "Vi Thị Hoa", 1970),
    )  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [(o.row, o.status.value) for o in report.rows] == [(2, "ok"), (3, "error")]
    assert messages(report, 3) == (
        f"Mã hộ 002 là của hộ đã có Vi Thị Hoa ({first}), sinh năm 1962, ở thôn khác; dòng "
        "này ghi năm sinh 1970: có thể danh sách đánh số hộ theo từng thôn. | Chưa cập "
        "nhật: nếu đúng là hộ đó (đã chuyển thôn), hãy chọn “Cập nhật hộ đã có” riêng cho "
        "dòng này; nếu là hộ khác, hãy chọn “Nhập thành hộ mới” cho dòng này."
    )
    after = stored(db)
    assert all(after[key] == values for key, values in before.items())  # none written over
    assert sorted(
        (h["head_name"], h["birth_year"], h["household_code"], h["unit_code"])
        for key, h in after.items() if key not in before
    ) == [("Hoàng Văn Dũng", 1975, "001", unit_of(db, second))]
    chosen = ImportOptions(
        on_duplicate=DuplicateAction.update, row_actions={3: DuplicateAction.new}
    )
    again = import_file(db, admin, path, chosen)
    assert [(o.row, o.status.value) for o in again.rows] == [(2, "skipped"), (3, "duplicate")]
    hoa = sorted(
        (h["birth_year"], h["household_code"], h["unit_code"])
        for h in stored(db).values() if h["head_name"] == "Vi Thị Hoa"
    )  # fmt: skip
    assert hoa == [(1962, "002", unit_of(db, first)), (1970, "002", unit_of(db, second))]


def test_a_row_skipped_whose_code_may_be_numbered_per_hamlet_is_told_both_choices(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The second hamlet's list with the file's "skip" (the window's first check): the
    row of "002" of the same head and another birth year, which may well be another
    household, was told only to choose "update" to write its changes, which would move
    the first hamlet's household and change its year. It is told both choices, as the
    row held back with "update" is."""
    first, second = (h.name for h in units.list_hamlets(db)[:2])
    import_file(db, admin, coded_list(
        tmp_path / "thon-1.xlsx", first, ("001", "Lò Văn Páo", 1950), ("002", "Vi Thị Hoa", 1962)
    ), ImportOptions())  # fmt: skip
    path = coded_list(
        tmp_path / "thon-2.xlsx", second, ("001", "Hoàng Văn Dũng", 1975),
        ("002", "Vi Thị Hoa", 1970),
    )  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert [(o.row, o.status.value) for o in report.rows] == [(2, "ok"), (3, "skipped")]
    assert messages(report, 3) == (
        f"Mã hộ 002 là của hộ đã có Vi Thị Hoa ({first}), sinh năm 1962, ở thôn khác; dòng "
        "này ghi năm sinh 1970: có thể danh sách đánh số hộ theo từng thôn. | Bỏ qua dòng "
        f"trùng này. | Dòng này ghi khác hộ đã có: Năm sinh 1962 → 1970; Thôn, xóm “{first}” "
        f"→ “{second}”; nếu đúng là hộ đó (đã chuyển thôn), hãy chọn “Cập nhật hộ đã có” "
        "riêng cho dòng này; nếu là hộ khác, hãy chọn “Nhập thành hộ mới” cho dòng này."
    )


def test_a_code_numbered_within_each_hamlet_brings_its_hamlets_row_back_onto_its_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Two hamlets' lists each numbered from "001" give every code to two households.
    The first hamlet's list imported again, a birth year and a name's marks corrected:
    the code, two households', matched neither, and each corrected row became a second
    household of that head. Within the row's hamlet the code is one household's."""
    first, second = (h.name for h in units.list_hamlets(db)[:2])
    import_file(db, admin, coded_list(
        tmp_path / "thon-1.xlsx", first, ("001", "Lò Văn Páo", 1950), ("002", "Vi Thị Hoa", 1962)
    ), ImportOptions())  # fmt: skip
    import_file(db, admin, coded_list(
        tmp_path / "thon-2.xlsx", second, ("001", "Hoàng Văn Dũng", 1975),
        ("002", "Lò Thị Mai", 1980),
    ), ImportOptions())  # fmt: skip
    path = coded_list(
        tmp_path / "thon-1-sua.xlsx", first, ("001", "Lò Văn Páo", 1951),
        ("002", "Vi Thị Hoà", 1962),
    )  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in report.rows] == ["duplicate", "duplicate"]
    assert messages(report, 2) == (
        f"Cùng mã hộ 001 với hộ đã có: Lò Văn Páo ({first}). | Đã cập nhật hộ đã có: Năm sinh "
        "1950 → 1951."
    )
    assert (report.imported, report.updated) == (2, 2)  # updated, none added
    assert sorted(
        (h["head_name"], h["birth_year"], h["household_code"], h["unit_code"])
        for h in stored(db).values()
    ) == [
        ("Hoàng Văn Dũng", 1975, "001", unit_of(db, second)),
        ("Lò Thị Mai", 1980, "002", unit_of(db, second)),
        ("Lò Văn Páo", 1951, "001", unit_of(db, first)),
        ("Vi Thị Hoà", 1962, "002", unit_of(db, first)),
    ]


def unit_of(db: Database, hamlet: str) -> str:
    return next(h.code for h in units.list_hamlets(db) if h.name == hamlet)


def test_a_code_with_another_household_s_citizen_id_is_not_updated_to_share_it(
    db: Database, commune: Actor, register: Path
) -> None:
    """A row whose code is one household's and whose citizen ID is another's: updated by
    its code, the first would take the second's ID, one person heading two households."""
    book = openpyxl.load_workbook(register)
    sheet = book.active
    row = row_without_id(sheet)
    other = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, ID + 1).value)
    taken, owner = sheet.cell(other, ID + 1).value, sheet.cell(other, NAME + 1).value
    sheet.cell(row, ID + 1, taken)
    book.save(register)
    before = stored(db)
    report = import_file(db, commune, register, ImportOptions(on_duplicate=DuplicateAction.update))
    said = messages(report, row)
    assert [o.status.value for o in report.rows if o.row == row] == ["error"]
    assert f"Trùng số CCCD với hộ đã có: {owner} (" in said
    assert (
        "Không cập nhật được: số CCCD của dòng này là của hộ khác. Hãy kiểm tra lại mã hộ và "
        "số CCCD trong tệp, hoặc chọn “Bỏ qua” cho dòng này." in said
    )
    assert stored(db) == before


CODED = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Thôn", "Diện hộ"]


def coded_list(path: Path, hamlet: str, *rows: tuple[str, str, int]) -> Path:
    """A list of poor households of one hamlet by code, head and birth year."""
    return make_xlsx(path, [CODED, *(
        [n, code, head, year, hamlet, "Hộ nghèo"] for n, (code, head, year) in enumerate(rows, 1)
    )])  # fmt: skip


def coded_households(db: Database, actor: Actor, tmp_path: Path, *codes: str) -> str:
    """Lò Văn Páo (1950) and Vi Văn Tài (1970), poor, imported with the codes given, in
    the commune's first hamlet, whose name is returned."""
    hamlet = units.list_hamlets(db)[0].name
    path = coded_list(
        tmp_path / "ma-ho.xlsx", hamlet, (codes[0], "Lò Văn Páo", 1950),
        (codes[1], "Vi Văn Tài", 1970),
    )  # fmt: skip
    import_file(db, actor, path, ImportOptions())
    return hamlet


def test_a_code_excel_turned_into_a_number_still_names_its_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Codes of digits ("0412", the MOLISA form's "0611200101001") typed back where Excel
    takes them for numbers: the leading zero is gone (412). Before, the row found no
    household by its code: one corrected in its name and birth year was made a second
    household, and one found by its name had its code rewritten "0412" → "412". A code of
    digits is the same code whatever zeros lead it; the household keeps its own."""
    hamlet = coded_households(db, admin, tmp_path, "0412", "0611200101001")
    path = make_xlsx(tmp_path / "sua.xlsx", [
        CODED,
        [1, 412, "Lò Văn Pao", 1950, hamlet, "Hộ nghèo"],
        [2, 611200101001, "Vi Văn Tai", 1971, hamlet, "Hộ nghèo"],
    ])
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in household_rows(report)] == ["duplicate", "duplicate"]
    assert messages(report, 2) == (
        f"Cùng mã hộ 412 với hộ đã có: Lò Văn Páo ({hamlet}). | Đã cập nhật hộ đã có: Họ và "
        "tên chủ hộ “Lò Văn Páo” → “Lò Văn Pao”."
    )
    assert messages(report, 3).startswith(
        f"Cùng mã hộ 611200101001 với hộ đã có: Vi Văn Tài ({hamlet}). | Đã cập nhật hộ đã có"
    )
    assert sorted((h["head_name"], h["household_code"], h["birth_year"])
                  for h in stored(db).values()) == [
        ("Lò Văn Pao", "0412", 1950), ("Vi Văn Tai", "0611200101001", 1971)
    ]  # fmt: skip


def test_a_code_a_program_wrote_as_a_decimal_number_names_its_household(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A list passed through a program that writes numbers as decimals ("412.0") and
    saved to CSV: before, "412.0" named no household, and the household found by its
    name had its code rewritten "0412" → "412.0"."""
    hamlet = coded_households(db, admin, tmp_path, "0412", "0611200101001")
    before = stored(db)
    path = make_csv(tmp_path / "sua.csv", [
        CODED,
        [1, "412.0", "Lò Văn Páo", 1950, hamlet, "Hộ nghèo"],
        [2, "611200101001.0", "Vi Văn Tài", 1970, hamlet, "Hộ nghèo"],
    ])
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert messages(report, 2) == (
        f"Cùng mã hộ 412 với hộ đã có: Lò Văn Páo ({hamlet}). | Hộ đã có sẵn các thông tin này."
    )
    assert messages(report, 3).startswith("Cùng mã hộ 611200101001 với hộ đã có: Vi Văn Tài")
    assert stored(db) == before


def test_a_code_excel_showed_as_a_power_of_ten_is_refused(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A long code of digits in a column Excel formats "General": shown "6,1120E+11" and
    so saved to CSV, its digits lost. Before, "6.1120E+11" went in as the code, written
    over the household's own (0611200101002 and 0611200101003 both became "6.1120E+11"):
    two households of one code, neither found again by it. The cell is refused, as a
    citizen ID Excel broke is, saying how to type it back."""
    hamlet = coded_households(db, admin, tmp_path, "0611200101002", "0611200101003")
    before = stored(db)
    broke = (
        "Cột B “Mã hộ”: Excel đã làm hỏng mã hộ (mất các chữ số), nhập lại: đặt định dạng ô là "
        "Văn bản (Text) rồi gõ đủ mã hộ."
    )
    for cells in (["6.1120E+11", "6.112E+11"], [611200000000, "611200000000"]):
        path = make_csv(tmp_path / "sua.csv", [
            CODED,
            [1, cells[0], "Vi Văn Tài", 1971, hamlet, "Hộ nghèo"],
            [2, cells[1], "Lò Văn Páo", 1950, hamlet, "Hộ cận nghèo"],
        ])
        report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
        assert [o.status.value for o in household_rows(report)] == ["error", "error"], cells
        assert messages(report, 2) == messages(report, 3) == broke
    path = make_xlsx(tmp_path / "sua.xlsx", [
        CODED, [1, 6.112e11, "Vi Văn Tài", 1971, hamlet, "Hộ nghèo"],
    ])
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert messages(report, 2) == broke
    assert stored(db) == before


def test_a_derived_code_typed_back_from_paper_names_its_household(
    db: Database, commune: Actor, register: Path
) -> None:
    """The register's own codes ("7K2MQ-9QX3P") typed back from the printed page: without
    the dash, with a space, in small letters, O for 0 and I or L for 1 (the alphabet has
    none of these letters so that they can be read so). Before, such a code named no
    household: one whose birth year the clerk corrected went in as a second household."""
    book = openpyxl.load_workbook(register)
    sheet = book.active
    rows = [
        r for r in range(3, sheet.max_row + 1)
        if not sheet.cell(r, ID + 1).value and sheet.cell(r, NAME + 2).value
    ][:3]
    typed = [
        lambda c: c.replace("-", ""), lambda c: c.replace("-", " ").replace("1", "l").lower(),
        lambda c: c.replace("0", "O").replace("1", "I"),
    ]
    for row, retype in zip(rows, typed, strict=True):
        sheet.cell(row, 2, retype(sheet.cell(row, 2).value))
        sheet.cell(row, NAME + 2, sheet.cell(row, NAME + 2).value - 1)
    book.save(register)
    before = stored(db)
    report = import_file(db, commune, register, ImportOptions(on_duplicate=DuplicateAction.update))
    for row in rows:
        assert messages(report, row).startswith("Cùng mã hộ "), messages(report, row)
        assert messages(report, row).endswith(" → " + str(sheet.cell(row, NAME + 2).value) + ".")
    after = stored(db)
    assert set(after) == set(before)
    assert {h["household_code"] for h in after.values()} == {
        h["household_code"] for h in before.values()
    }


def test_codes_swapped_between_heads_of_one_given_name_are_not_written_over(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Two codes swapped between rows whose heads share the given name ("Lò Văn An",
    "Vi Văn An"): the heads were taken for one person's spellings, and with "update"
    each household was written over with the other family's name and birth year, its
    support cases and payments now under the other's name, nothing said. A head whose
    surname is another's too is someone else: the row is held back, as for any other
    head's name."""
    hamlet = units.list_hamlets(db)[0].name
    path = coded_list(tmp_path / "ma-ho.xlsx", hamlet, ("A1", "Lò Văn An", 1950),
                      ("A2", "Vi Văn An", 1960))  # fmt: skip
    import_file(db, admin, path, ImportOptions())
    before = stored(db)
    path = coded_list(tmp_path / "dao.xlsx", hamlet, ("A2", "Lò Văn An", 1950),
                      ("A1", "Vi Văn An", 1960))  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in household_rows(report)] == ["error", "error"]
    assert messages(report, 2).startswith(
        f"Mã hộ A2 là của hộ đã có Vi Văn An ({hamlet}), nhưng dòng này ghi chủ hộ “Lò Văn An”"
    )
    assert stored(db) == before
    # A spelling corrected, the surname's or the given name's, is still the same head.
    path = coded_list(tmp_path / "sua.xlsx", hamlet, ("A1", "Lò Văn Án", 1950),
                      ("A2", "Vì Văn An", 1960))  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in household_rows(report)] == ["duplicate", "duplicate"]


def test_codes_swapped_between_heads_whose_names_differ_in_the_middle_are_not_written_over(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Ê Đê names end with the family's ("Y Bhim Niê", "Y Khuê Niê": two men of one
    family), and "Lò Văn An", "Lò Thị An" are a man and a woman: only the first and last
    words were compared, so such heads were one person's spellings and, codes swapped,
    "update" wrote each household over with the other's name and birth year. Words
    between them entirely another's are another head; a middle word left out is not."""
    hamlet = units.list_hamlets(db)[0].name
    path = coded_list(tmp_path / "ma-ho.xlsx", hamlet, ("A1", "Y Bhim Niê", 1950),
                      ("A2", "Y Khuê Niê", 1960), ("A3", "Lò Văn An", 1970),
                      ("A4", "Lò Thị An", 1975))  # fmt: skip
    import_file(db, admin, path, ImportOptions())
    before = stored(db)
    path = coded_list(tmp_path / "dao.xlsx", hamlet, ("A2", "Y Bhim Niê", 1950),
                      ("A1", "Y Khuê Niê", 1960), ("A4", "Lò Văn An", 1970),
                      ("A3", "Lò Thị An", 1975))  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in household_rows(report)] == ["error"] * 4
    assert stored(db) == before
    path = coded_list(tmp_path / "sua.xlsx", hamlet, ("A1", "Y Bhim Niê", 1950),
                      ("A3", "Lò An", 1970))  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [o.status.value for o in household_rows(report)] == ["skipped", "duplicate"]


def test_a_head_whose_given_name_changes_by_a_letter_is_updated_and_said(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A row with its household's code and a head one letter from the household's: the
    old head's son ("Lò Văn An" → "Lò Văn Anh") or a typo corrected ("Lò Văn Ann" →
    "Lò Văn An"), which the file cannot tell apart. Both are the household, updated:
    before, its head was renamed among the other changes, unsaid. Now a given name that
    changes is said with both names; marks corrected ("Tài" → "Tai") are a spelling."""
    hamlet = units.list_hamlets(db)[0].name
    path = coded_list(tmp_path / "ma-ho.xlsx", hamlet, ("A1", "Lò Văn An", 1950),
                      ("A2", "Lò Văn Ann", 1960), ("A3", "Vi Văn Tài", 1970))  # fmt: skip
    import_file(db, admin, path, ImportOptions())
    before = stored(db)
    path = coded_list(tmp_path / "moi.xlsx", hamlet, ("A1", "Lò Văn Anh", 1980),
                      ("A2", "Lò Văn An", 1960), ("A3", "Vi Văn Tai", 1970))  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [(o.row, o.status.value) for o in report.rows] == [
        (2, "duplicate"), (3, "duplicate"), (4, "duplicate"),
    ]  # fmt: skip
    assert messages(report, 2) == (
        f"Cùng mã hộ A1 với hộ đã có: Lò Văn An ({hamlet}). | Đã cập nhật hộ đã có: Họ và tên "
        "chủ hộ “Lò Văn An” → “Lò Văn Anh”; Năm sinh 1950 → 1980. | "
        + head_changed("A1", "Lò Văn An", "Lò Văn Anh")
    )
    assert messages(report, 3) == (
        f"Cùng mã hộ A2 với hộ đã có: Lò Văn Ann ({hamlet}). | Đã cập nhật hộ đã có: Họ và tên "
        "chủ hộ “Lò Văn Ann” → “Lò Văn An”. | " + head_changed("A2", "Lò Văn Ann", "Lò Văn An")
    )
    assert messages(report, 4) == (
        f"Cùng mã hộ A3 với hộ đã có: Vi Văn Tài ({hamlet}). | Đã cập nhật hộ đã có: Họ và tên "
        "chủ hộ “Vi Văn Tài” → “Vi Văn Tai”."
    )
    after = stored(db)
    assert set(after) == set(before)  # the households stay, under their new heads
    heads = sorted((h["household_code"], h["head_name"], h["birth_year"]) for h in after.values())
    assert heads == [
        ("A1", "Lò Văn Anh", 1980), ("A2", "Lò Văn An", 1960), ("A3", "Vi Văn Tai", 1970),
    ]  # fmt: skip


def test_a_row_saying_its_head_changed_updates_the_household_of_its_code(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A household's code on a row of another head is held back on "update" (a code
    pasted on the wrong row is likelier than a new head), unless the row says itself
    that the head changed: "Hộ nghèo (chủ hộ đã chết, vợ làm chủ hộ)". Before, such a
    row was held back all the same, the clerk told to choose what the row said already."""
    hamlet = coded_households(db, admin, tmp_path, "A1", "A2")
    path = make_xlsx(tmp_path / "doi-chu-ho.xlsx", [
        CODED,
        [1, "A1", "Lò Thị Mai", 1955, hamlet, "Hộ nghèo (chủ hộ đã chết, vợ làm chủ hộ)"],
        [2, "A2", "Hoàng Thị Dung", 1972, hamlet, "Hộ nghèo"],
    ])  # fmt: skip
    report = import_file(db, admin, path, ImportOptions(on_duplicate=DuplicateAction.update))
    assert [(o.row, o.status.value) for o in report.rows] == [(2, "duplicate"), (3, "error")]
    assert messages(report, 2).startswith(
        f"Mã hộ A1 là của hộ đã có Lò Văn Páo ({hamlet}); dòng này ghi hộ đã đổi chủ hộ. | Đã "
        "cập nhật hộ đã có: Họ và tên chủ hộ “Lò Văn Páo” → “Lò Thị Mai”; Năm sinh 1950 → 1955."
    )
    heads = {h["household_code"]: (h["head_name"], h["birth_year"]) for h in stored(db).values()}
    assert heads == {"A1": ("Lò Thị Mai", 1955), "A2": ("Vi Văn Tài", 1970)}
