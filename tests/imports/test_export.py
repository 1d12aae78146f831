"""The register export: a file people can print, that imports back unchanged."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from nhao.config import resolve_database
from nhao.domain.enums import Category, Sex
from nhao.models import AuditEvent
from nhao.models.database import Database
from nhao.reports.xlsx_book import LINE_HEIGHT
from nhao.services import demo, households, setup, units, users
from nhao.services.actor import Actor
from nhao.services.household_export import export_register
from nhao.services.household_import import ImportOptions, import_file
from nhao.services.households import HouseholdInput
from nhao.services.verify import verify

from .conftest import COMMUNE

RISKY = ['=HYPERLINK("http://x","bấm")', "+1+1", "-2+3", "@SUM(A1)"]
NOTE_ON_LINES = "Khảo sát 12/3:\n- mái dột\n\n- tường nứt"


def build_register(db: Database, admin: Actor) -> None:
    hamlets = [h.code for h in units.list_hamlets(db)]
    people = [
        ("Nguyễn Văn An", "001060000123", 1960, Sex.male, {Category.poor}),
        (unicodedata.normalize("NFD", "Lò Thị Bé"), "020175000456", 1975, Sex.female,
         {Category.near_poor, Category.disaster_hit}),
        ("Hoàng Văn Cường", "", 1980, None, {Category.revolutionary_merit, Category.policy_family}),
        ("Bàn Thị Dung", "123456789", None, Sex.female, {Category.other_hardship}),
        ("Triệu Văn Em", "", 1949, Sex.male, set()),
    ]
    for i, (name, cid, year, sex, cats) in enumerate(people):
        households.create_household(db, admin, HouseholdInput(
            hamlet_code=hamlets[i % len(hamlets)],
            head_name=name,
            citizen_id=cid,
            birth_year=year,
            sex=sex,
            ethnicity=["Tày", "Nùng", "Dao", "", "Kinh"][i],
            phone=["0912345678", "", "+84912345678", "", ""][i],
            address=["Số 5, ngõ 2", "", "", "Khu tái định cư", ""][i],
            categories=frozenset(cats),
            poverty_list_year=[2024, 2025, None, 2024, None][i],
            members=[4, 1, 6, 3, 2][i],
            lawful_land_use=i != 3,
            land_certificate=i in (0, 2),
            land_dispute=i == 3,
            hazard_zone=i == 4,
            certified_able_to_build=i < 2,
            notes=RISKY[i] if i < len(RISKY) else NOTE_ON_LINES,
            # A list's own codes, one a formula's look-alike; the others the derived ones.
            household_code=["", "0412", "", "=1+1", ""][i],
        ))


def data_rows(path: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path).active
    return [row for row in sheet.iter_rows(min_row=3, values_only=True)]


@pytest.fixture
def register(db: Database, admin: Actor, tmp_path: Path) -> Path:
    build_register(db, admin)
    path = tmp_path / "so-ho.xlsx"
    assert export_register(db, admin, path).households == 5
    return path


def test_register_layout(register: Path) -> None:
    book = openpyxl.load_workbook(register)
    sheet = book.active
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    # One page wide (fitToWidth is left out when it is 1, its default), as tall as it takes.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_options.gridLines  # printed as a table, not loose text
    land = [c.value for c in sheet[2]].index("Sử dụng đất hợp pháp")
    marks = [row[land] for row in sheet.iter_rows(min_row=3) if row[land].value]
    assert marks and all(c.alignment.horizontal == "center" for c in marks)
    stamp = next(c for c in sheet[1] if isinstance(c.value, datetime | date))
    assert stamp.is_date and stamp.number_format == "DD/MM/YYYY"
    headers = [c.value for c in sheet[2]]
    assert headers[:7] == [
        "STT", "Mã hộ", "Họ và tên chủ hộ", "Năm sinh", "Giới tính", "Dân tộc", "Số CCCD"
    ]
    # The household code, a text cell (a list's own may begin with 0), neutralised as any
    # text: a code typed "=1+1" is no formula.
    codes = [row[1] for row in sheet.iter_rows(min_row=3)]
    assert all(c.data_type == "s" and c.number_format == "@" for c in codes)
    assert len({c.value for c in codes}) == 5 and {"0412", "=1+1"} <= {c.value for c in codes}
    cid = headers.index("Số CCCD")
    cells = [row[cid] for row in sheet.iter_rows(min_row=3) if row[cid].value]
    assert {c.data_type for c in cells} == {"s"} and {c.number_format for c in cells} == {"@"}
    assert "001060000123" in {c.value for c in cells}
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            assert cell.data_type != "f"  # no formula anywhere
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                assert cell.data_type == "s" and cell.quotePrefix
    notes = {row[-1].value for row in sheet.iter_rows(min_row=3)}
    assert set(RISKY) <= notes
    name_width = sheet.column_dimensions["C"].width
    assert name_width >= len("Hoàng Văn Cường")


@pytest.mark.parametrize("households_of", ["build_register", "demo"])
def test_round_trip(
    db: Database, tmp_path: Path, households_of: str, request: pytest.FixtureRequest
) -> None:
    """The register imported into a fresh database and exported again: the same rows,
    "Mã hộ" included (the import keeps the codes the file gives), for this file's few
    households and for the demo commune's."""
    if households_of == "demo":
        demo.build_demo(db, households=80, seed=1, today=date(2025, 6, 1), unit_code=COMMUNE)
        admin = users.authenticate(db, "admin", "demo")
    else:
        admin = request.getfixturevalue("admin")
        build_register(db, admin)
    count = 80 if households_of == "demo" else 5
    register = tmp_path / "so-ho.xlsx"
    export_register(db, admin, register)
    fresh = Database(resolve_database(tmp_path / "moi.sqlite"))
    fresh.open()
    try:
        setup.initialize(fresh, unit_code=COMMUNE, admin_username="admin", admin_password="demo")
        admin = users.authenticate(fresh, "admin", "demo")
        report = import_file(fresh, admin, register, ImportOptions(create_hamlets=True))
        assert report.summary()["error"] == 0 and report.summary()["imported"] == count
        again = tmp_path / "so-ho-lan-2.xlsx"
        export_register(fresh, admin, again)
        rows = data_rows(register)
        assert data_rows(again) == rows and len({row[1] for row in rows}) == count
        stored = households.list_households(fresh, admin, households.HouseholdQuery())
        assert households_of == "demo" or NOTE_ON_LINES in {h.notes for h in stored}
        assert verify(fresh) == []
    finally:
        fresh.dispose()


def test_masked_ids_for_lists_that_leave_the_commune(
    db: Database, admin: Actor, register: Path, tmp_path: Path
) -> None:
    masked = tmp_path / "cong-khai.xlsx"
    export_register(db, admin, masked, mask_ids=True)
    ids = {row[6] for row in data_rows(masked)} - {None}
    assert ids == {"********0123", "********0456", "*****6789"}


def test_every_register_export_is_in_the_audit_chain(
    db: Database, admin: Actor, register: Path, tmp_path: Path
) -> None:
    # Personal data leaves nhao: who wrote which file, how many households, and whether
    # the citizen IDs were masked (DESIGN.md §2), in the chain verify re-checks.
    export_register(db, admin, tmp_path / "cong-khai.xlsx", mask_ids=True)
    with db.session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.seq)
        ).all()
        assert [(e.entity, e.record_id, e.user_name) for e in events] == [
            ("register", "so-ho.xlsx", "admin"),
            ("register", "cong-khai.xlsx", "admin"),
        ]
        assert events[0].summary == "Xuất danh sách 5 hộ ra tệp so-ho.xlsx (đủ số CCCD)"
        assert events[1].after == {
            "file": str(tmp_path / "cong-khai.xlsx"),
            "households": 5,
            "citizen_ids_masked": True,
        }
    assert verify(db) == []


def test_an_export_the_log_cannot_take_leaves_the_old_file_as_it_was(
    db: Database, admin: Actor, register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nhao.services import household_export

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    before = register.read_bytes()
    monkeypatch.setattr(household_export, "_log_export", refused)
    with pytest.raises(OSError):
        export_register(db, admin, register)
    assert register.read_bytes() == before


LONG_ADDRESS = (
    "Số nhà 12, ngõ 34, đường Hoàng Văn Thụ, khu tái định cư Nà Pàn, gần trường tiểu học"
)


def _register_with_a_long_address(db: Database, admin: Actor, path: Path):  # type: ignore[no-untyped-def]
    hamlet = units.list_hamlets(db)[0].code
    households.create_household(db, admin, HouseholdInput(
        hamlet_code=hamlet, head_name="Lục Văn Dài", address=LONG_ADDRESS,
    ))
    households.create_household(db, admin, HouseholdInput(
        hamlet_code=hamlet, head_name="Lò Văn Ngắn", address="Số 2", notes="Mái dột",
    ))
    export_register(db, admin, path)
    return openpyxl.load_workbook(path).active


def test_long_and_multi_line_text_wraps_inside_its_column(
    db: Database, admin: Actor, register: Path, tmp_path: Path
) -> None:
    """A column is at most 45 characters wide: a longer address would be cut by the cell
    beside it, on screen and on paper, and a note's lines would run together."""
    sheet = _register_with_a_long_address(db, admin, tmp_path / "dai.xlsx")
    headers = [c.value for c in sheet[2]]
    width = {h: sheet.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(headers)}
    cells = {c.value: c for row in sheet.iter_rows(min_row=3) for c in row if c.value}
    assert len(LONG_ADDRESS) > width["Địa chỉ"] and cells[LONG_ADDRESS].alignment.wrap_text
    assert cells[NOTE_ON_LINES].alignment.wrap_text
    assert not cells["Lục Văn Dài"].alignment.wrap_text  # short text stays on one line


def test_wrapped_rows_are_as_tall_as_their_lines(
    db: Database, admin: Actor, register: Path, tmp_path: Path
) -> None:
    """A row without a height is drawn one line high, its wrapped text over the next
    row: LibreOffice does not measure rows when it opens an xlsx file, and printed the
    register's headers ("Năm danh sách hộ nghèo") and long addresses into the rows below."""
    sheet = _register_with_a_long_address(db, admin, tmp_path / "cao.xlsx")
    assert (sheet.row_dimensions[2].height or 0) >= 2 * 15  # headers on two lines or more
    row = next(r[0].row for r in sheet.iter_rows(min_row=3) if r[2].value == "Lục Văn Dài")
    assert (sheet.row_dimensions[row].height or 0) >= 2 * 15
    short = next(r[0].row for r in sheet.iter_rows(min_row=3) if r[2].value == "Lò Văn Ngắn")
    assert sheet.row_dimensions[short].height is None  # one line: the default height
    assert sheet["B2"].font.name  # named: no fallback font (a serif in LibreOffice)


def test_the_export_date_is_shown_not_hashes_when_no_household_has_notes(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """The date stands in the last column, "Ghi chú": sized to the notes alone, it was
    5 characters wide in a register without notes, and Excel shows a date that does
    not fit as "#####", at the top of every register a commune printed."""
    hamlet = units.list_hamlets(db)[0].code
    households.create_household(db, admin, HouseholdInput(hamlet_code=hamlet, head_name="Lò Văn A"))
    path = tmp_path / "khong-ghi-chu.xlsx"
    export_register(db, admin, path)
    sheet = openpyxl.load_workbook(path).active
    stamp = next(c for c in sheet[1] if isinstance(c.value, datetime | date))
    assert sheet.column_dimensions[stamp.column_letter].width >= len("05/02/2025") + 1


def test_hamlets_named_alike_stay_apart_through_the_round_trip(
    db: Database, tmp_path: Path
) -> None:
    """A commune may have "Nà Pàn" and "Thôn Nà Pàn" (and "Na Pan" elsewhere is refused):
    into a database that has both, the register puts each household back in its own.
    Made from the file alone, a name with and without "Thôn" is one hamlet, as a list
    that writes both for one hamlet needs (HamletIndex); so such a commune adds its
    hamlets before importing its register into a fresh database."""
    names = ("Nà Pàn", "Thôn Nà Pàn", "Bản Nà Pàn Trên")
    setup.initialize(db, unit_code=COMMUNE, admin_username="admin", admin_password="demo")
    admin = users.authenticate(db, "admin", "demo")
    units.add_hamlets(db, admin, list(names))
    for hamlet in units.list_hamlets(db):
        households.create_household(db, admin, HouseholdInput(
            hamlet_code=hamlet.code, head_name=f"Hộ ở {hamlet.name}", birth_year=1970,
        ))
    first = tmp_path / "so-ho.xlsx"
    export_register(db, admin, first)
    for made_first in (True, False):
        fresh = Database(resolve_database(tmp_path / f"moi-{made_first}.sqlite"))
        fresh.open()
        try:
            setup.initialize(
                fresh, unit_code=COMMUNE, admin_username="admin", admin_password="demo"
            )
            admin2 = users.authenticate(fresh, "admin", "demo")
            if made_first:
                units.add_hamlets(fresh, admin2, list(names))
            report = import_file(fresh, admin2, first, ImportOptions(create_hamlets=True))
            assert report.imported == 3
            placed = {
                h.head_name: h.hamlet_name
                for h in households.list_households(fresh, admin2, households.HouseholdQuery())
            }
            if not made_first:
                assert report.created_hamlets == ["Bản Nà Pàn Trên", "Nà Pàn"]
                assert placed["Hộ ở Thôn Nà Pàn"] == "Nà Pàn"
                continue
            assert report.created_hamlets == []
            assert placed == {f"Hộ ở {n}": n for n in names}
            again = tmp_path / "so-ho-lan-2.xlsx"
            export_register(fresh, admin2, again)
            assert data_rows(again) == data_rows(first)
        finally:
            fresh.dispose()


def test_invisible_characters_typed_in_the_form_do_not_change_the_round_trip(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A name pasted from a chat message carries a zero-width space or a direction mark.
    The import reads them as the spaces they look like; the form kept them, so the name
    came back from its own register changed, and a search for it did not find it."""
    hamlet = units.list_hamlets(db)[0].code
    households.create_household(db, admin, HouseholdInput(
        hamlet_code=hamlet, head_name="Lò Văn\u200bAn\u200e", address="Xóm\ufeffTrên",
        notes="mái dột\u200b\nnứt\x0btường",
    ))
    [stored] = households.list_households(db, admin, households.HouseholdQuery())
    assert (stored.head_name, stored.address, stored.notes) == (
        "Lò Văn An", "Xóm Trên", "mái dột\nnứt tường"
    )
    found = households.list_households(db, admin, households.HouseholdQuery(search="lo van an"))
    assert [h.head_name for h in found] == ["Lò Văn An"]
    path = tmp_path / "so-ho.xlsx"
    export_register(db, admin, path)
    fresh = Database(resolve_database(tmp_path / "moi.sqlite"))
    fresh.open()
    try:
        setup.initialize(fresh, unit_code=COMMUNE, admin_username="admin", admin_password="demo")
        admin2 = users.authenticate(fresh, "admin", "demo")
        import_file(fresh, admin2, path, ImportOptions(create_hamlets=True))
        [back] = households.list_households(fresh, admin2, households.HouseholdQuery())
        assert (back.head_name, back.address, back.notes) == (
            stored.head_name, stored.address, stored.notes
        )
    finally:
        fresh.dispose()


def test_the_categories_column_is_as_wide_as_the_categories_written(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """Always 42 characters, it took room the print scaled every other column down for,
    when most households are "Hộ nghèo" alone. Two long labels wrap (22 at most)."""
    hamlet = units.list_hamlets(db)[0]

    def categories_width(path: Path) -> float:
        export_register(db, admin, path)
        sheet = openpyxl.load_workbook(path).active
        headers = [c.value for c in sheet[2]]
        return sheet.column_dimensions[chr(ord("A") + headers.index("Diện hộ"))].width

    poor = frozenset({Category.poor})
    households.create_household(db, admin, HouseholdInput(
        hamlet_code=hamlet.code, head_name="Lò Văn A", categories=poor,
    ))
    alone = categories_width(tmp_path / "mot.xlsx")
    assert alone <= len("Hộ nghèo") + 3
    two = frozenset({Category.near_poor, Category.revolutionary_merit})
    households.create_household(db, admin, HouseholdInput(
        hamlet_code=hamlet.code, head_name="Lò Văn B", categories=two,
    ))
    joined = "; ".join(c.label_vi for c in Category if c in two)
    assert min(len(joined), 22) <= categories_width(tmp_path / "hai.xlsx") <= 23


def test_the_printed_register_numbers_its_pages(register: Path) -> None:
    """A commune's register prints on several pages (the demo's 400 households on six),
    a province's on hundreds, and no page said its number: a stack dropped or taken
    apart for signing could not be put back in order."""
    sheet = openpyxl.load_workbook(register).active
    footer = sheet.oddFooter.center.text or ""
    assert "&P" in footer and "&N" in footer


A4_LONG_SIDE = 297 / 25.4  # inches


def printed_scale(sheet) -> float:  # type: ignore[no-untyped-def]
    """How much a landscape A4 print fitted to the page's width shrinks the sheet: its
    columns' pixels (a width in characters, padding included, is 7 pixels each, at 96 to
    the inch) against the room between the side margins."""
    pixels = 0.0
    for dimension in sheet.column_dimensions.values():
        pixels += dimension.width * 7 * (min(dimension.max, sheet.max_column) - dimension.min + 1)
    margins = sheet.page_margins
    room = (A4_LONG_SIDE - margins.left - margins.right) * 96
    return min(1.0, room / pixels)


def test_the_printed_register_is_readable(db: Database, tmp_path: Path) -> None:
    """The demo commune's register printed its 18 columns fitted to the width of an A4
    page at half size: letters 2 mm high. The headers wrap over a few lines, long text
    wraps within a bounded column, so the print shrinks less than a third; every row's
    cells stand at its top, as its wrapped text does."""
    demo.build_demo(db, households=80, seed=1, today=date(2025, 6, 1))
    admin = users.authenticate(db, "admin", "demo")
    path = tmp_path / "so-ho.xlsx"
    export_register(db, admin, path)
    sheet = openpyxl.load_workbook(path).active
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert printed_scale(sheet) >= 0.7
    header = sheet[2]
    assert all(c.alignment.wrap_text for c in header)
    assert sheet.row_dimensions[2].height >= 3 * LINE_HEIGHT  # the long headers' lines
    for row in sheet.iter_rows(min_row=3):
        assert {c.alignment.vertical for c in row if c.value is not None} == {"top"}
    assert sheet.print_title_rows == "$2:$2"
