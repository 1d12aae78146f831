"""One pass over the rows of an import: check each, match it, write it (or, in a
dry run, only say what would happen). The dry run and the real import are this
same code, so the preview a person approves is what the import then does."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.domain.citizen_id import mask_citizen_id
from nhao.domain.enums import Category, Role, UnitLevel
from nhao.domain.ethnicities import ethnicity_named
from nhao.domain.hamlet_names import HamletIndex
from nhao.domain.household_code import derived_household_code, household_code_key
from nhao.domain.text import nfc
from nhao.imports.errors import ImportRejected
from nhao.imports.headers import (
    CATEGORY_FLAGS,
    FIELD_LABELS,
    NAME_HEADER_FIX,
    SEXED_YEARS,
    Layout,
    card_named,
    column_letter,
)
from nhao.imports.matching import (
    CodeHolder,
    DuplicateIndex,
    Match,
    PersonKey,
    PlaceKey,
    given_names_differ,
    person_key,
    place_key,
)
from nhao.imports.report import ImportReport, RowOutcome, RowStatus
from nhao.imports.rows import CONVERTERS, ParsedRow, RowKind, RowReader
from nhao.imports.sniff import too_large
from nhao.imports.values import (
    GONE,
    is_masked_id,
    leaves_the_list,
    list_title_categories,
    shown,
)
from nhao.models import Household, SupportCase, Unit
from nhao.models.database import Database
from nhao.services import units
from nhao.services.actor import Actor
from nhao.services.bulk_writer import BulkInserter
from nhao.services.collector import collector_paused
from nhao.services.errors import PermissionDenied
from nhao.services.household_changes import household_changes
from nhao.services.households import (
    HouseholdInput,
    check_household,
    household_columns,  # the form's own column mapping: imported rows are stored alike
    kept_household_code,
    move_records_along,
    stored_input,
    with_household_code,
)
from nhao.services.unit_of_work import UnitOfWork, unit_of_work
from nhao.tasks import CancelToken, Progress, check_cancelled

if TYPE_CHECKING:
    from nhao.services.household_import import ImportFile, ImportOptions

INPUT_FIELDS = frozenset(f.name for f in fields(HouseholdInput)) - {"hamlet_code"}
SKIPPED_KINDS = {
    RowKind.total: "Dòng tổng cộng: bỏ qua.",
    RowKind.numbers: "Dòng đánh số cột: bỏ qua.",
    RowKind.footer: "Phần cuối bảng (ngày tháng, ký tên): bỏ qua.",
    RowKind.unfilled: "Dòng chỉ có số thứ tự, chưa ghi hộ nào: bỏ qua.",
    RowKind.header: "Dòng tiêu đề cột lặp lại (bảng in sang trang mới, hoặc danh sách khác "
    "dán nối bên dưới): bỏ qua.",
}
PROGRESS_EVERY = 500
# Rows skipped as households on the register, read against them this many at a time.
COMPARE_EVERY = 500
# Looked up once: reading an Enum member off its class costs a quarter of a µs, and a
# row needs several.
_DATA, _SECTION = RowKind.data, RowKind.section
# The hamlet code a row gets while the hamlet it names waits to be created.
_TO_CREATE = "to-create:"
# A row hidden in the file, by hand or by a filter: often a household taken off the
# list, sometimes only another hamlet filtered away to print. Imported, but said.
HIDDEN_ROW = "Dòng này đang bị ẩn trong tệp (ẩn dòng hoặc bộ lọc); kiểm tra lại hộ này."
_OK, _WARNING, _ERROR = RowStatus.ok, RowStatus.warning, RowStatus.error
UNCHANGED = "Hộ đã có sẵn các thông tin này."


# HouseholdInput's frozen __init__ sets each of its 17 fields through object.__setattr__,
# a good part of what checking a row costs; the row's values already have the form's
# types (rows.CONVERTERS), so an import fills the instance directly.
_BLANK_INPUT = {f.name: f.default for f in fields(HouseholdInput) if f.default is not MISSING}
assert not hasattr(HouseholdInput, "__post_init__")
assert set(_BLANK_INPUT) == INPUT_FIELDS - {"head_name"}
# "hamlet" is a name, not a field; "relation", "given_name" and "middle_name" are taken
# off the row by the RowReader.
_NOT_FIELDS = {"hamlet", "relation", "given_name", "middle_name"}
assert set(CONVERTERS) - set(CATEGORY_FLAGS) - set(SEXED_YEARS) - _NOT_FIELDS <= INPUT_FIELDS
_BLANK_INPUT["head_name"] = ""


def _row_list(rows: list[int], shown: int = 5) -> str:
    """"12, 13, 15", or the first few and "…": a note stays one line."""
    listed = ", ".join(str(r) for r in rows[:shown])
    return listed if len(rows) <= shown else f"{listed}…"


def _household_input(hamlet_code: str, values: dict[str, Any]) -> HouseholdInput:
    """Equal to HouseholdInput(hamlet_code=hamlet_code, head_name="", **values) with the
    row's "hamlet" (a name, not a field) left out."""
    data = object.__new__(HouseholdInput)
    state = data.__dict__
    state.update(_BLANK_INPUT)
    state.update(values)
    state.pop("hamlet", None)
    state["hamlet_code"] = hamlet_code
    return data


def _said(match: Match, parsed: ParsedRow, code: str) -> str:
    """What a row is said to match: of a code whose household's head is another, not "a
    code on the wrong row" when the row says itself that the head changed."""
    if match.other_name and parsed.head_changed:
        return f"Mã hộ {code} là của hộ đã có {match.label}; dòng này ghi hộ đã đổi chủ hộ."
    return match.message


def _held_back(match: Match, *, head_changed: bool) -> str | None:
    """The choices a household found by its code waits for, as it is not updated unless
    chosen for the row; none for another head's name when the row says the head changed.
    Said to the row held back and to the row skipped, which may be another household."""
    if match.other_hamlet:
        return (
            "nếu đúng là hộ đó (đã chuyển thôn), hãy chọn “Cập nhật hộ đã có” riêng cho dòng "
            "này; nếu là hộ khác, hãy chọn “Nhập thành hộ mới” cho dòng này."
        )
    if match.other_name and not head_changed:
        # A head's name entirely another's: a code pasted on the wrong row is more
        # likely than a new head, so the household is not written over unless chosen.
        return (
            "nếu đúng là hộ đó (đã đổi chủ hộ), hãy chọn “Cập nhật hộ đã có” riêng cho dòng "
            "này; nếu là hộ khác, hãy sửa mã hộ trong tệp, hoặc chọn “Nhập thành hộ mới” (hộ "
            "mới được cấp mã hộ khác)."
        )
    return None


@dataclass
class ImportPass:
    db: Database
    actor: Actor
    file: ImportFile
    sheet: str
    layout: Layout
    options: ImportOptions
    commune: str
    today: date
    progress: Progress
    cancel: CancelToken | None
    dry_run: bool = False
    # The header spellings people corrected (household_import.saved_mapping): the header
    # of a list pasted below is read with them, as the first header was.
    saved: Mapping[str, str] = field(default_factory=dict)
    # The category the list's title or the sheet's name gives a list without a category
    # column ("DANH SÁCH HỘ CẬN NGHÈO", sheet "HCN"), and where it was read (_categories_of_file).
    titled: tuple[frozenset[Category], str] = (frozenset(), "")
    # Where the title or the sheet's name says the households are no longer on the list
    # ("DANH SÁCH HỘ NGHÈO HẾT HẠN"): why it gave no category (household_import._gone_title).
    gone_title: str = ""
    # Whether options.hamlet was read from the list's title or the sheet's name
    # (household_import.hamlet_named_by_file), not chosen: a list pasted below under a
    # title naming another hamlet is of that one.
    hamlet_of_file: bool = False
    # Where it was read, said: "theo tiêu đề “…”".
    hamlet_said: str = ""
    report: ImportReport = field(init=False)
    # The layout the rows are read by: ``layout``, or the header of a list pasted below
    # whose columns are in another order (ParsedRow.layout).
    _reading: Layout = field(init=False)
    _session: Session = field(init=False)
    _uow: UnitOfWork | None = field(init=False, default=None)
    _writer: BulkInserter | None = field(init=False, default=None)
    _team_leader: bool = field(init=False, default=False)  # limited to their own hamlet
    # A hamlet's laptop: its hamlet alone, whoever imports (units.refuse_on_hamlet_laptop).
    _own_hamlet: units.UnitView | None = field(init=False, default=None)
    _category_column: bool = field(init=False, default=True)
    # The hamlet of each support case, by household: read once, at the first row
    # that moves a household to another hamlet (its cases go with it).
    _case_hamlets: dict[uuid.UUID, list[str]] | None = field(init=False, default=None)
    _moved: dict[uuid.UUID, Household] = field(init=False, default_factory=dict)
    # The headers of lists pasted below whose name column is not known (RowKind.unread):
    # each header's row, what it lacks, the rows of households not imported under it.
    _unread: list[tuple[int, str, list[int]]] = field(init=False, default_factory=list)
    # Rows skipped as duplicates of a household on the register, waiting to be read against
    # it in one query for many (_compare_skipped): a query each made skipping the rows of
    # a register imported back seven times slower. (index in report.rows, the outcome,
    # the household, the row's data and values, whether its hamlet is a guess, the
    # choices it waits for if it may be another household: _held_back)
    _to_compare: list[
        tuple[int, RowOutcome, str, HouseholdInput, dict[str, Any], bool, str | None]
    ] = field(init=False, default_factory=list)
    # The households with an ID by name, birth year, hamlet and the ID as the register masks
    # it: read at the first row with a masked ID (_masked_match).
    _by_masked_id: dict[tuple[PersonKey | PlaceKey, str], Match] | None = field(
        init=False, default=None
    )
    # The titles of lists pasted below that gave their rows another hamlet than the
    # file's (hamlet_of_file): each title's row and the hamlet's name ("" for a place
    # the commune does not have: none).
    hamlets_below: list[tuple[int, str]] = field(init=False, default_factory=list)

    @collector_paused()  # 100,000 rows of small objects that live until the end
    def run(self, *, dry_run: bool) -> ImportReport:
        self.dry_run = dry_run
        self._team_leader = self.actor.role is Role.team_leader
        station = units.station_info(self.db).unit
        self._own_hamlet = station if station.level is UnitLevel.hamlet else None
        self.report = ImportReport(
            file=str(self.file.path),
            sheet=self.sheet,
            header_row=self.layout.header_row,
            mapping=dict(self.layout.mapping),
            headers=dict(self.layout.headers),
            dry_run=dry_run,
            encoding=self.file.encoding,
            notes=self.layout.shadowed_notes(),
        )
        if dry_run:
            with self.db.session() as session:
                self._session = session
                self._go()
        else:
            with unit_of_work(self.db, self.actor) as uow:
                self._session, self._uow = uow.session, uow
                self._writer = BulkInserter(uow, Household)
                self._go()
                self._writer.flush()
                move_records_along(uow, self._moved.values(), self.hamlets.names)
        return self.report

    # -- the pass -------------------------------------------------------------------

    def _go(self) -> None:
        session = self._session
        self.hamlets = HamletIndex(
            session.execute(
                select(Unit.code, Unit.name).where(
                    Unit.parent_code == self.commune,
                    Unit.level == UnitLevel.hamlet.value,
                    Unit.deleted_at.is_(None),
                )
            )
        )
        # "Bình Gia, Lạng Sơn" is the commune's address, not its Thôn Bình Gia's (in_address).
        self._commune_name = (
            session.scalar(select(Unit.name).where(Unit.code == self.commune)) or ""
        )
        # The names no hamlet has, one per hamlet they would make (see HamletIndex).
        self.unknown = HamletIndex(())
        self.duplicates = DuplicateIndex()
        existing = select(
            Household.id,
            Household.head_name,
            Household.citizen_id,
            Household.birth_year,
            Household.unit_code,
            Household.deleted_reason,
            Household.deleted_at.is_not(None),
            Household.household_code,
        )
        for hid, name, cid, year, unit, reason, deleted, code in session.execute(
            existing
        ).yield_per(5000):
            label = f"{name} ({self.hamlets.names.get(unit, unit)})"
            key, place = person_key(name, year, unit), place_key(name, unit)
            # Made before codes were kept: the derived one (households.household_code_of).
            derived = household_code_key(derived_household_code(hid))
            code_key = household_code_key(code) if code else derived
            if deleted:  # matched only when no household on the register is (DuplicateIndex)
                label += f", lý do xóa: “{reason}”" if reason else ""
                self.duplicates.add_deleted(label, cid, key, place)
                self.duplicates.add_deleted_code(code_key, label)
            else:
                self.duplicates.add_existing(str(hid), label, cid, key, place)
                holder = CodeHolder("", "", name, unit, year, code_key == derived)
                self.duplicates.add_code(code_key, str(hid), label, holder)
        self.default_hamlet = self._default_hamlet()
        self.section = ""
        self._hamlet_above = ""  # the hamlet cell of the latest row that has one
        self.placed_by_address = 0  # rows whose hamlet their address gave
        self.blank_hamlets = 0  # rows whose hamlet cell is blank, placed in default_hamlet
        self.group_categories: frozenset[Category] = frozenset()
        self.title_categories = self.titled[0]  # until a group's title says another
        self._title_where = self.titled[1]  # where title_categories was read
        # The titles whose category rows took, each by where it was read: the first list's,
        # and those of lists pasted below (_list_title).
        self._titles_taken: dict[str, frozenset[Category]] = {}
        # The lines of the latest title of a list pasted below, each with its row.
        self._title_lines: list[tuple[int, str]] = []
        self._read_by(self.layout)
        # Rows that name no category, in a cell or by their group, in a list without a
        # category column.
        self._uncategorised = 0
        category_note_at = len(self.report.notes)  # said after the columns' notes
        source, limits = self.file.source, self.file.limits
        total = source.height(self.sheet) or 0
        reader = RowReader(self.layout, source.merged(self.sheet), self.saved)
        reader.weigh_name_parts(source.rows(self.sheet))  # a name over two columns
        hidden = source.hidden_rows(self.sheet)
        hidden_households = 0
        below_the_end: list[int] = []
        for count, parsed in enumerate(reader.read(source.rows(self.sheet))):
            if parsed.row > limits.max_rows:
                raise too_large(
                    self.file.path, f"hơn {limits.max_rows:,} dòng".replace(",", "."), limits
                )
            if count % PROGRESS_EVERY == 0:
                check_cancelled(self.cancel)
                self.progress.update(parsed.row, total, f"Đang xử lý dòng {parsed.row}")
            if parsed.row in hidden and parsed.kind is _DATA:
                parsed.warnings.append(HIDDEN_ROW)
                hidden_households += 1
            elif parsed.kind is RowKind.after_end:
                below_the_end.append(parsed.row)
            self.report.rows.append(self._outcome(parsed))
        self._compare_skipped()
        said_of_categories = []
        for where, categories in self._titles_taken.items():
            named = ", ".join(c.label_vi for c in Category if c in categories)
            said_of_categories.append(
                f"Diện hộ lấy từ {where}: các hộ không ghi diện được xếp vào diện {named}."
            )
        if self.gone_title:
            said = f"Không lấy diện hộ theo {self.gone_title}: đó là các {GONE}."
            said_of_categories.append(said)
        if self._uncategorised:
            said_of_categories.append(
                "Tệp không có cột diện hộ (nghèo, cận nghèo, có công, ...): các hộ mới được "
                "nhập chưa thuộc diện nào; hãy bổ sung diện hộ sau khi nhập."
            )
        self.report.notes[category_note_at:category_note_at] = said_of_categories
        self.report.notes += [
            f"Dòng {row} là tiêu đề cột của một danh sách khác, nhưng {said}: {len(rows)} dòng "
            f"hộ dưới nó (dòng {_row_list(rows)}) không được nhập. {NAME_HEADER_FIX}"
            for row, said, rows in self._unread
            if rows
        ]
        if below_the_end:
            self.report.notes.append(
                f"{len(below_the_end)} dòng dưới phần cuối bảng có vẻ là hộ (dòng "
                f"{_row_list(below_the_end)}) mà không được nhập: nếu chúng vẫn thuộc danh "
                "sách, hãy xóa phần tổng cộng, ký tên ở giữa danh sách rồi nhập lại."
            )
        if code := self.file.legacy_code(self.sheet):
            self.report.notes.append(
                f"Chữ trong trang “{self.sheet}” được gõ bằng bảng mã {code.label_vi}; nhao "
                "đã đổi sang Unicode khi đọc. Hãy xem lại tên, địa chỉ của vài hộ sau khi nhập."
            )
        if hidden_households:
            self.report.notes.append(
                f"{hidden_households} dòng hộ đang bị ẩn trong trang “{self.sheet}” (ẩn dòng "
                "hoặc bộ lọc) mà vẫn được nhập như các dòng khác: hãy xem lại các dòng đó; dòng "
                "nào không thuộc danh sách thì xóa trong tệp rồi nhập lại."
            )
        if not self.report.rows:
            raise ImportRejected(
                f"Trang “{self.sheet}” của tệp {self.file.path.name} không có dòng nào dưới "
                f"dòng tiêu đề (dòng {self.layout.header_row}): không có hộ nào để nhập."
            )

    def _read_by(self, layout: Layout) -> None:
        """Say what the rows from here on say by the columns of ``layout``."""
        self._reading = layout
        labels = {name: self._label(column) for column, name in layout.mapping.items()}
        # No hamlet column, an address column: each row's hamlet is the one its address names.
        self._address_gives_hamlet = "hamlet" not in layout.mapping.values() and (
            "address" in layout.mapping.values()
        )
        hamlet_from = "address" if self._address_gives_hamlet else "hamlet"
        labels["hamlet_code"] = labels.get(hamlet_from, "")
        if sexed := sorted(c for c, name in layout.mapping.items() if name in SEXED_YEARS):
            # The form's word on a year written in the "Nam" or "Nữ" column names both.
            letters = ", ".join(column_letter(c) for c in sexed)
            labels["birth_year"] = f"Cột {letters} “{FIELD_LABELS['birth_year']}”: "
        if "categories" not in labels and (
            flags := sorted(c for c, name in layout.mapping.items() if name in CATEGORY_FLAGS)
        ):
            # One mark column per category: what the form says of the categories names them.
            named = (f"{column_letter(c)} “{layout.headers.get(c, '')}”" for c in flags)
            labels["categories"] = f"Cột {', '.join(named)}: "
        self.labels = labels
        self._category_column = any(
            name == "categories" or name in CATEGORY_FLAGS for name in layout.mapping.values()
        )
        # The card each ID column's numbers are of (card_named): the citizen_id column's, and
        # the one read where it is empty (Layout.id_fallback).
        ids = next((c for c, name in layout.mapping.items() if name == "citizen_id"), None)
        fallback = layout.id_fallback
        self._cards = (
            card_named(layout.headers.get(ids, "")) if ids is not None else "CCCD",
            card_named(layout.headers.get(fallback, "")) if fallback is not None else "CMND",
        )

    def _other_list(self, parsed: ParsedRow, layout: Layout) -> RowOutcome:
        """The header of a list pasted below, its columns in another order: the rows below
        are read by it, and have groups of their own, not the last ones above."""
        above = self._reading.header_row
        if "head_name" not in layout.mapping.values():
            self._read_by(layout)
            self._new_list()
            self._unread.append((parsed.row, layout.no_name_said(), []))
            said = (
                "Dòng tiêu đề cột của một danh sách khác dán nối bên dưới, nhưng "
                f"{layout.no_name_said()}: các hộ dưới dòng này không được nhập. "
                f"{NAME_HEADER_FIX}"
            )
            return RowOutcome(parsed.row, RowStatus.skipped, (said,))
        columns = ", ".join(
            f"{column_letter(c)} “{header}” → "
            + FIELD_LABELS.get(layout.mapping.get(c, ""), "không nhập")
            for c, header in sorted(layout.headers.items())
        )
        self._read_by(layout)
        self._new_list()
        self.report.notes.append(
            f"Dòng {parsed.row} là tiêu đề cột của một danh sách khác, các cột xếp khác: các "
            f"dòng dưới nó được đọc theo tiêu đề đó, không theo các cột của dòng tiêu đề "
            f"{self.layout.header_row}."
        )
        # What is said of the first header's columns (a given name read from a column with
        # no header, a second ID column), said of this one's: its columns are not chosen
        # in the window (the first header's are), so the fix is in the file.
        self.report.notes += [
            f"Danh sách có tiêu đề cột ở dòng {parsed.row}: {note}"
            for note in layout.shadowed_notes(choosable=False)
        ]
        said = (
            "Dòng tiêu đề cột của một danh sách khác dán nối bên dưới, các cột xếp khác dòng "
            f"tiêu đề {above}: các dòng dưới được đọc theo dòng này ({columns})."
        )
        return RowOutcome(parsed.row, RowStatus.skipped, (said,))

    def _label(self, column: int) -> str:
        header = self._reading.headers.get(column, "")
        return f"Cột {column_letter(column)} “{header}”: " if header else ""

    def _default_hamlet(self) -> str:
        name = self.options.hamlet
        if not name:
            return self.actor.hamlet_code or ""
        code = self.hamlets.find(name)
        if code is None and self.options.create_hamlets:
            if problem := units.hamlet_name_problem(nfc(name)):
                raise ImportRejected(f"Không nhập được tệp {self.file.path.name}: {problem}")
            code, _ = self._create_hamlet(nfc(name))
        if code is None:
            raise ImportRejected(
                f"Không nhập được tệp {self.file.path.name}: xã không có thôn “{name}” "
                f"(các thôn hiện có: {self.hamlets.known()})."
            )
        return code

    def _create_hamlet(self, name: str) -> tuple[str, str]:
        self.report.created_hamlets.append(name)
        if self._uow is None:
            code = f"new:{name}"
            self.hamlets.add(code, name)
            return code, f"Thôn “{name}” chưa có; sẽ được tạo khi nhập."
        assert self._writer is not None
        self._writer.flush()  # keep the change log in the order things happened
        unit = units.add_hamlet(self._uow, self.commune, name)
        self.hamlets.add(unit.code, unit.name)
        return unit.code, f"Đã tạo thôn mới “{name}”."

    def _hamlet(self, name: str, errors: list[str], warnings: list[str]) -> str:
        if not name:
            return self.default_hamlet
        code = self.hamlets.find(name)
        own = self._own_hamlet
        if own is not None and code != own.code:
            errors.append(
                f"{self.labels['hamlet_code']}Máy này là máy của {own.name}, chỉ giữ hộ của "
                f"thôn đó; dòng này ghi thôn “{shown(name)}”. Hãy nhập dòng này ở máy của xã, "
                "hoặc sửa tên thôn nếu ghi nhầm."
            )
            return ""
        if code is not None:
            return code
        if self.options.create_hamlets:
            if problem := units.hamlet_name_problem(nfc(name)):
                errors.append(self.labels["hamlet_code"] + problem)
                return ""
            # Made only once the row is accepted (_outcome): a refused row leaves no hamlet.
            return _TO_CREATE + nfc(name)
        if self.unknown.find(name) is None:
            self.unknown.add(nfc(name), nfc(name))
            self.report.unknown_hamlets.append(nfc(name))
        # A team leader cannot make hamlets: only the commune office can.
        fix = "Hãy sửa lại tên thôn" + ("." if self._team_leader else ", hoặc chọn tạo thôn mới.")
        errors.append(
            f"{self.labels['hamlet_code']}Thôn “{shown(name)}” chưa có trong xã (các thôn hiện có: "
            f"{self.hamlets.known()}). {fix}"
        )
        return ""

    def _group_against_address(self, address: str, warnings: list[str]) -> None:
        """A row under a group's title naming a hamlet, whose address names another: one
        of the two is wrong. The row goes with its group, the list's own order; said."""
        group = self.hamlets.find(self.section)
        named = self.hamlets.in_address(address, self._commune_name) if address.strip() else None
        if group is None or named is None or named == group:
            return
        other = self.hamlets.names.get(named, named)
        warnings.append(
            f"{self.labels.get('address', '')}Địa chỉ ghi {other} nhưng dòng này ở nhóm "
            f"“{shown(self.section)}”: xếp vào {self.hamlets.names.get(group, group)} theo tiêu "
            f"đề nhóm. Nếu hộ ở {other}, hãy chuyển dòng sang nhóm đó (hoặc sửa địa chỉ) rồi "
            "nhập lại."
        )

    def _hamlet_of_address(self, address: str, errors: list[str]) -> tuple[str, bool]:
        """The hamlet a row's address names, by the commune's name for it, and whether the
        address named none where nothing else gives the row one (an error, said)."""
        if address.strip() and (code := self.hamlets.in_address(address, self._commune_name)):
            self.placed_by_address += 1
            return self.hamlets.names.get(code, code), False
        if self.default_hamlet:
            return "", False
        errors.append(
            f"{self.labels.get('address', '')}Địa chỉ không ghi thôn nào của xã (các thôn hiện "
            f"có: {self.hamlets.known()}). Hãy ghi tên thôn vào địa chỉ, thêm cột thôn, xóm, "
            "hoặc chọn một thôn cho các hộ có địa chỉ không ghi thôn."
        )
        return "", True

    def _skipped(self, parsed: ParsedRow) -> RowOutcome:
        """A row that is no household: a group's title, the header of a list pasted below,
        a total, the footer… Skipped, saying what it gives the rows below, if anything."""
        if parsed.layout is not None:
            return self._other_list(parsed, parsed.layout)
        if parsed.kind is RowKind.unread:
            self._unread[-1][2].append(parsed.row)
            return RowOutcome(parsed.row, _ERROR, (parsed.said,))
        if parsed.kind is _SECTION:
            said = self._group_title(parsed)
        else:
            if parsed.kind is RowKind.unfilled and parsed.said:
                # Words alone in the numbers' column: the title of a list pasted below.
                said = " ".join([parsed.said, *self._list_title(parsed)])
                return RowOutcome(parsed.row, RowStatus.skipped, (said,))
            said = parsed.said or SKIPPED_KINDS[parsed.kind]
        return RowOutcome(parsed.row, RowStatus.skipped, (said,))

    def _group_title(self, parsed: ParsedRow) -> str:
        """What a group's title gives the rows below it, said: a hamlet ("II" | "Thôn Nà
        Pàn"), a category ("I" | "Hộ nghèo"), both ("Hộ nghèo bản Khau Bon", "Thôn Nà
        Pàn - hộ cận nghèo"), or a category nhao does not know ("III" | "Hộ khó khăn
        khác"), which ends the one of the title above. A hamlet's title alone keeps the
        category above: a hamlet may be a group inside a category's."""
        if parsed.section:
            self.section = parsed.section
            self._hamlet_above = ""  # the group's title says the hamlet from here on
        # The hamlet by the commune's name for it ("THÔN NÀ PÀN" is "Thôn Nà Pàn"); one it
        # has not got, as the file writes it.
        code = self.hamlets.find(parsed.section) if parsed.section else None
        hamlet = self.hamlets.names.get(code, parsed.section) if code else parsed.section
        if parsed.other_category:
            self.group_categories = self.title_categories = frozenset()
            return (
                f"Tiêu đề nhóm: các dòng dưới thuộc {hamlet}, không lấy diện theo tiêu "
                f"đề ở trên (“{shown(parsed.other_category)}”)."
            )
        if parsed.categories or not parsed.section:
            self.group_categories = parsed.categories
            if not parsed.categories:  # a group of another category than the list's title
                self.title_categories = frozenset()
        # A group inside the hamlet's: "Thôn Nà Pàn - nhóm 1".
        group = f" ({parsed.said})" if parsed.section and parsed.said else ""
        if parsed.categories:
            named = ", ".join(c.label_vi for c in Category if c in parsed.categories)
            where = f", ở {hamlet}{group}" if parsed.section else ""
            return f"Tiêu đề nhóm: các dòng dưới thuộc diện {named}{where}."
        if parsed.section:
            return f"Tiêu đề nhóm: các dòng dưới thuộc {hamlet}{group}."
        if leaves_the_list(parsed.said):
            return (
                f"Tiêu đề nhóm “{shown(parsed.said)}”: đó là các {GONE}; các dòng dưới không "
                "lấy diện theo tiêu đề nào ở trên."
            )
        return (
            f"Tiêu đề nhóm “{shown(parsed.said)}”: không rõ là diện nào; các dòng dưới không "
            "lấy diện theo tiêu đề nhóm ở trên."
        )

    def _list_title(self, parsed: ParsedRow) -> list[str]:
        """What a line of the title of a list pasted below gives its rows, said: a hamlet
        as the file's title does (hamlet_of_file), and a category as the first list's
        title does (household_import._categories_of_file), read from all the lines of
        the title: none when they name two, or households no longer on the list."""
        self._new_list()
        said = []
        if self.hamlet_of_file and (code := self.hamlets.named_in([parsed.title])):
            self.default_hamlet = code
            named = self.hamlets.names.get(code, code)
            self.hamlets_below.append((parsed.row, named))
            said.append(f"Các hộ bên dưới thuộc {named} theo tiêu đề này.")
        elif self.hamlet_of_file and self.hamlets.names_a_place([parsed.title]):
            # Another place than the file's hamlet, not one of the commune's: no hamlet
            # for the rows below rather than the first list's.
            self.default_hamlet = ""
            self.hamlets_below.append((parsed.row, ""))
            said.append(
                "Tiêu đề này không ghi một thôn của xã: các hộ bên dưới không được xếp vào "
                f"{self.options.hamlet}."
            )
        above = self.report.rows[-1].row if self.report.rows else 0
        if not self._title_lines or self._title_lines[-1][0] != above:
            self._title_lines = []  # a title of several lines, one below another
        self._title_lines.append((parsed.row, parsed.title))
        named_by = [
            (found, f"tiêu đề “{shown(line, 80)}” ở dòng {row}")
            for row, line in self._title_lines
            if (found := list_title_categories(line))
        ]
        if any(leaves_the_list(line) for _, line in self._title_lines):
            if not self._category_column and leaves_the_list(parsed.title):
                said.append(f"Không lấy diện theo tiêu đề này: đó là các {GONE}.")
        elif len(frozenset().union(*(found for found, _ in named_by))) == 1:
            self.title_categories, self._title_where = named_by[0]
            if not self._category_column and list_title_categories(parsed.title):
                named = ", ".join(c.label_vi for c in Category if c in self.title_categories)
                said.append(f"Các hộ bên dưới không ghi diện thuộc diện {named} theo tiêu đề này.")
        return said

    def _new_list(self) -> None:
        """A list pasted below begins: it has groups and hamlets of its own, not the last
        ones above."""
        self.group_categories = self.title_categories = frozenset()
        self.section = self._hamlet_above = ""

    def _outcome(self, parsed: ParsedRow) -> RowOutcome:
        if parsed.kind is not _DATA:
            return self._skipped(parsed)
        values, errors, warnings = parsed.values, parsed.errors, parsed.warnings
        if self.group_categories and not values.get("categories"):
            values["categories"] = self.group_categories  # the group's title says it
        elif self.title_categories and not self._category_column and not values.get("categories"):
            values["categories"] = self.title_categories  # the list's title says it
            self._titles_taken[self._title_where] = self.title_categories
        hamlet_name = str(values.get("hamlet") or self.section)
        guess = ""  # the warning of a hamlet taken from the row above
        if values.get("hamlet"):
            self._hamlet_above = hamlet_name
        elif not hamlet_name and not self.default_hamlet and self._hamlet_above:
            # Written on the group's first household only (merged cells saved to CSV, or
            # typed so): the rows below are of that hamlet. Said, for a real omission.
            hamlet_name = self._hamlet_above
            guess = (
                f"{self.labels['hamlet_code']}Ô để trống: lấy thôn “{shown(hamlet_name)}” của "
                "dòng trên (tên thôn ghi một lần cho cả nhóm?). Hãy kiểm tra lại."
            )
            warnings.append(guess)
        elif (
            not hamlet_name
            and self._hamlet_above
            and self.default_hamlet
            and self.hamlets.find(self._hamlet_above) != self.default_hamlet
        ):
            # The hamlet chosen for the file stands, but the blank may be the group's own.
            chosen = self.hamlets.names.get(self.default_hamlet, self.default_hamlet)
            why = self.hamlet_said or "(thôn chọn cho cả tệp)"
            warnings.append(
                f"{self.labels['hamlet_code']}Ô để trống: xếp vào {chosen} {why}, dù dòng "
                f"trên ghi thôn “{shown(self._hamlet_above)}”. Hãy kiểm tra lại."
            )
        unplaced = False  # an address naming no hamlet, said
        address = str(values.get("address") or "")
        if not hamlet_name and self._address_gives_hamlet:
            hamlet_name, unplaced = self._hamlet_of_address(address, errors)
        elif self._address_gives_hamlet and hamlet_name == self.section:
            self._group_against_address(address, warnings)
        hamlet_code = self._hamlet(hamlet_name, errors, warnings)
        if not hamlet_name and hamlet_code and "hamlet" in self._reading.mapping.values():
            self.blank_hamlets += 1
        # The register exported for a list that leaves the commune: no number to write. The
        # row is its household's by name, birth year and hamlet, which keeps its own ID.
        masked = values.pop("citizen_id") if is_masked_id(values.get("citizen_id", "")) else ""
        data = _household_input(hamlet_code, values)
        if not data.categories and not self._category_column:
            self._uncategorised += 1
        said_by_cells = len(warnings)
        labels = self.labels
        if parsed.id_column is not None:  # the form's word on the ID names where it was read
            labels = {**labels, "citizen_id": self._label(parsed.id_column)}
        self._check(
            data,
            errors,
            warnings,
            labels,
            skip_hamlet=bool(hamlet_name and not hamlet_code) or unplaced,
        )
        form_warnings = warnings[said_by_cells:]
        name = data.head_name
        if name and data.birth_year is None and not data.citizen_id and self.hamlets.find(name):
            # "2" | "Khau Bon": a group's title numbered like a household, most likely.
            warnings.append(
                f"{self.labels.get('head_name', '')}“{shown(name)}” là tên một thôn của xã: "
                "nếu dòng này là tiêu đề nhóm, không phải một hộ, hãy ghi “Thôn …” trước tên "
                "thôn (hoặc xóa dòng) rồi nhập lại."
            )
        if errors:
            return RowOutcome(parsed.row, _ERROR, tuple(errors + warnings), name)
        if hamlet_code.startswith(_TO_CREATE):
            hamlet_code, note = self._create_hamlet(hamlet_code.removeprefix(_TO_CREATE))
            warnings.append(self.labels["hamlet_code"] + note)
            data = replace(data, hamlet_code=hamlet_code)
        key = person_key(name, data.birth_year, hamlet_code)
        card = self._cards[parsed.id_column is not None]
        place = place_key(name, hamlet_code)
        code = household_code_key(data.household_code)
        # A code names its household whatever else the row corrects (its name, year,
        # hamlet, ID); the other rules only when no household has the row's code.
        matches = self.duplicates.find_code(
            code, data.household_code, name, hamlet_code, data.birth_year
        )
        self.duplicates.add_row_code(parsed.row, code, name, hamlet_code)
        if matches:
            if not matches[0].in_file:  # the row's ID another household's (_duplicate)
                others = self.duplicates.find(data.citizen_id, key, card, place)
                matches += [m for m in others if m.by_id and m.target != matches[0].target]
        elif masked:
            matches = self._masked_match(key, place, masked)
        else:
            matches = self.duplicates.find(data.citizen_id, key, card, place)
        if not matches and guess and not data.citizen_id:
            # The hamlet is the row above's: the household may be on the list elsewhere.
            matches = self.duplicates.find_in_commune(key)
        if not matches:
            will = "sẽ" if self.dry_run else "đã"
            if other := self.duplicates.code_in_other_hamlet(code, name, hamlet_code):
                warnings.append(
                    f"Cùng mã hộ {data.household_code} với dòng {other} của tệp, chủ hộ gần giống "
                    f"nhưng ở thôn khác: {will} nhập thành hộ riêng. Nếu là cùng một hộ, hãy sửa "
                    "thôn ở hai dòng cho giống nhau rồi nhập lại."
                )
            if masked:
                warnings.append(
                    f"{labels.get('citizen_id', '')}Số CCCD đã bị che ({shown(masked)}) nên không "
                    "được nhập; hãy ghi đủ số cho hộ này."
                )
            if namesake := self.duplicates.namesake(data.citizen_id, key):
                # An old card's number differs from the new card's of the same person: the
                # fix is one number for both, the new card's where it is known.
                fix = (
                    "hãy sửa cho hai số CCCD giống nhau (trong tệp hoặc trong hồ sơ hộ)"
                    if card != "CMND"
                    else "hãy ghi cho hai hộ cùng một số (số CCCD nếu đã có)"
                )
                warnings.append(
                    f"Cùng họ tên, năm sinh và thôn với {namesake} nhưng khác số {card}: {will} "
                    f"nhập thành hộ mới. Nếu là cùng một người, {fix} rồi nhập lại."
                )
            elif not (data.citizen_id or masked) and (
                alike := self.duplicates.look_alike(key, place)
            ):
                warnings.append(
                    f"{alike}: {will} nhập thành hộ mới. Nếu là cùng một hộ, hãy sửa năm sinh, "
                    "thôn trong hồ sơ hộ đó (không qua tệp) rồi nhập lại."
                )
            target = self._insert(data, parsed.row)
            self.duplicates.add_row(parsed.row, target, data.citizen_id, key)
            return RowOutcome(parsed.row, _WARNING if warnings else _OK, tuple(warnings), name)
        said = [_said(m, parsed, data.household_code) for m in matches]
        return self._duplicate(parsed, data, key, said, matches, form_warnings, guess)

    def _check(
        self,
        data: HouseholdInput,
        errors: list[str],
        warnings: list[str],
        labels: dict[str, str],
        *,
        skip_hamlet: bool,
    ) -> None:
        check = check_household(data, self.today)
        for name, message in check.errors.items():
            label = labels.get(name, "")
            # A cell that could not be read has said why already; the form's own
            # sentence ("Hãy nhập họ tên chủ hộ") for the value it lacks says less.
            if label and any(e.startswith(label) for e in errors):
                continue
            if not (name == "hamlet_code" and skip_hamlet):
                errors.append(label + message)
        for name, message in check.warnings.items():
            if name == "categories" and not self._category_column:
                continue  # said once for the file (_go), not on every row
            warnings.append(labels.get(name, "") + message)
        if data.hamlet_code and self._team_leader:
            try:
                self.actor.require_unit(data.hamlet_code)
            except PermissionDenied as denied:
                named = self.hamlets.names.get(data.hamlet_code, data.hamlet_code)
                errors.append(
                    f"{labels.get('hamlet_code', '')}{denied} Dòng này thuộc {named}: hãy để tài "
                    "khoản của xã nhập dòng này, hoặc sửa lại nếu ghi nhầm thôn."
                )

    def _duplicate(self, parsed, data, key, messages, matches, form_warnings, guess=""):  # type: ignore[no-untyped-def]  # noqa: PLR0913
        action = self.options.action_for(parsed.row).value
        warnings = parsed.warnings
        will = "Sẽ" if self.dry_run else "Đã"
        on_register = matches[0] if not matches[0].in_file and matches[0].target else None
        found = next((m.target for m in matches if not m.in_file and m.target), None)
        place = place_key(data.head_name, data.hamlet_code)
        by_code = matches[0].by_code  # the household the code names, not one of its twins
        twins = self.duplicates.twins_of(found, key, place) if found and not by_code else None
        if action != "new" and twins:
            return self._among_twins(parsed, data, messages, twins, action, bool(guess))
        if action == "update" and by_code and any(m.by_id for m in matches):
            # Updated, the household of the code would take the ID another one has: one
            # person heading two households (households._refuse_listed_citizen_id).
            messages.append(
                "Không cập nhật được: số CCCD của dòng này là của hộ khác. Hãy kiểm tra lại "
                "mã hộ và số CCCD trong tệp, hoặc chọn “Bỏ qua” cho dòng này."
            )
            return RowOutcome(
                parsed.row, RowStatus.error, tuple(messages + warnings), data.head_name, True
            )
        chosen = parsed.row in self.options.row_actions
        if action == "update" and on_register and not chosen and (
            held := _held_back(on_register, head_changed=parsed.head_changed)
        ):
            messages.append(f"Chưa cập nhật: {held}")
            return RowOutcome(
                parsed.row, RowStatus.error, tuple(messages + warnings), data.head_name, True
            )
        if action == "skip":
            messages.append("Bỏ qua dòng trùng này.")
            skipped = RowOutcome(
                parsed.row, RowStatus.skipped, tuple(messages), data.head_name, True
            )
            if on_register:  # said unchanged, or what it would change: _compare_skipped
                if len(self._to_compare) >= COMPARE_EVERY:
                    self._compare_skipped()
                waiting = (len(self.report.rows), skipped, on_register.target, data)
                held = _held_back(on_register, head_changed=parsed.head_changed)
                self._to_compare.append((*waiting, parsed.values, bool(guess), held))
            return skipped
        if action == "update" and on_register:
            known = self._session.get(Household, uuid.UUID(on_register.target))
            if known is not None and self._may_change(known):
                current, merged = self._merged(known, data, parsed.values, keep_hamlet=bool(guess))
                if household_columns(current) == household_columns(merged):
                    # Nothing written: what a cell or the form says of the values is said of
                    # the household as it is, not news. A later row matches this one.
                    self.duplicates.add_row(parsed.row, known.id, data.citizen_id, key)
                    messages.append(UNCHANGED)
                    return RowOutcome(
                        parsed.row, RowStatus.skipped, tuple(messages), data.head_name, True, True
                    )
        target = next((m.target for m in matches if m.target), None)
        if action == "update" and matches[0].deleted:  # no earlier row of the file either
            messages.append(
                "Hộ đã bị xóa nên không cập nhật được: hãy chọn “Bỏ qua” cho dòng này, hoặc "
                "“Nhập thành hộ mới” nếu hộ vẫn thuộc danh sách."
            )
            return RowOutcome(
                parsed.row, RowStatus.error, tuple(messages + warnings), data.head_name, True
            )
        if action == "update" and target is not None:
            errors: list[str] = []
            merged: list[str] = []
            changes = self._update(
                target, data, parsed.values, errors, parsed.row, merged, keep_hamlet=bool(guess),
                # Found by its code as a spelling of the head's name: a new head, maybe.
                by_code=by_code and on_register is not None and not on_register.other_name,
            )
            # What the form says of the household as updated, not of the row alone (a row
            # without a category updates a household that keeps its own).
            warnings = [w for w in warnings if w not in form_warnings and w != guess] + merged
            if errors:
                return RowOutcome(
                    parsed.row, RowStatus.error, tuple(messages + errors), data.head_name, True
                )
            if changes is None:
                messages.append(UNCHANGED)
            else:
                said = ": " + "; ".join(changes) + "." if changes else "."
                messages.append(f"{will} cập nhật hộ đã có{said}")
            written: uuid.UUID | None = uuid.UUID(target)
        elif action == "update" and self.dry_run and matches[0].in_file:
            # A dry run writes no earlier row, so it has no target; the import will
            # have one, the household that row adds, and will update it.
            messages.append("Sẽ cập nhật hộ được thêm từ dòng trùng ở trên.")
            written = None
        else:
            if by_code and not matches[0].other_hamlet:  # the new one has its own
                messages.append(
                    f"Mã hộ {data.household_code} đã là của hộ khác: hộ mới được cấp mã hộ riêng."
                )
                data = replace(data, household_code="")
            written = self._insert(data, parsed.row)
            messages.append(f"{will} nhập thành hộ mới.")
        self.duplicates.add_row(parsed.row, written, data.citizen_id, key)
        return RowOutcome(
            parsed.row, RowStatus.duplicate, tuple(messages + warnings), data.head_name, True
        )

    # -- writing ------------------------------------------------------------------------

    def _summary(self, verb: str, name: str, row: int) -> str:
        return f"{verb} hộ {name} (nhập từ tệp {self.file.path.name}, dòng {row})"[:300]

    def _insert(self, data: HouseholdInput, row: int) -> uuid.UUID | None:
        if self._writer is None:
            return None
        target = self._writer.add(
            with_household_code(household_columns(data)),
            self._summary("Thêm", data.head_name, row),
        )
        self.report.imported += 1
        return target

    def _update(  # noqa: PLR0913 - the row, and where to say what came of it
        self,
        target: str,
        data: HouseholdInput,
        values: dict[str, Any],
        errors: list[str],
        row: int,
        warnings: list[str],
        *,
        keep_hamlet: bool = False,
        by_code: bool = False,
    ) -> list[str] | None:
        """Updates the household (not in a dry run); returns what changes, None when
        nothing does. keep_hamlet: the row's hamlet is the one above its blank cell, a
        guess; a blank cell keeps what the household has, and a move would take its
        support cases with it. by_code: the row's code names the household, its head's
        name one letter from the household's (matching.same_head): a given name that
        changes is a new head as likely as a spelling corrected ("Lò Văn An", his son
        "Lò Văn Anh"), said."""
        if self._writer is not None:
            self._writer.flush()  # the household may be one this import just added
        self._compare_skipped()  # the rows skipped above: against it as it was before
        existing = self._session.get(Household, uuid.UUID(target))
        if existing is None:
            errors.append("Không tìm thấy hộ cần cập nhật.")
            return None
        current, merged = self._merged(existing, data, values, keep_hamlet=keep_hamlet)
        self._check(merged, errors, warnings, self.labels, skip_hamlet=False)
        if self.actor.role is Role.team_leader:
            try:
                self.actor.require_unit(existing.unit_code)
            except PermissionDenied as denied:
                errors.append(str(denied))
        if errors:
            return None
        if household_columns(current) == household_columns(merged):
            return None
        phrases = household_changes(current, merged, self.hamlets.names)
        if by_code and given_names_differ(current.head_name, merged.head_name):
            warnings.append(
                f"Mã hộ {merged.household_code}: chủ hộ đổi từ “{current.head_name}” thành "
                f"“{merged.head_name}” (tên gọi khác nhau). Đúng nếu hộ đã đổi chủ hộ (vợ, con, "
                "...) hoặc tên cũ ghi sai; nếu không phải hộ này, hãy sửa mã hộ trong tệp rồi "
                "nhập lại."
            )
        if merged.hamlet_code != current.hamlet_code:
            self._say_cases_moving(existing.id, merged.hamlet_code, warnings)
        if self._uow is None:
            return phrases
        written = self._uow.update(
            existing,
            kept_household_code(household_columns(merged)),
            summary=self._summary("Sửa", existing.head_name, row),
        )
        if written:
            self.report.imported += 1
            self.report.updated += 1
        if "unit_code" in written:
            self._moved[existing.id] = existing  # its cases follow it: run, at the end
        return phrases

    @staticmethod
    def _merged(
        existing: Household, data: HouseholdInput, values: dict[str, Any], *, keep_hamlet: bool
    ) -> tuple[HouseholdInput, HouseholdInput]:
        """The household as stored, and as the row's values would make it: the columns the
        file has replace its own, the others it keeps."""
        current = stored_input(existing)
        merged = replace(
            current,
            hamlet_code=current.hamlet_code if keep_hamlet else data.hamlet_code,
            **{k: values[k] for k in INPUT_FIELDS if k in values},
        )
        # A blank code keeps the household's (households.kept_household_code), and so does
        # the same code written in another case or with spaces around it.
        code = household_code_key(merged.household_code)
        if not code or code == household_code_key(current.household_code):
            merged = replace(merged, household_code=current.household_code)
        # A name or an ethnic group as the import writes them (values.person_name in names'
        # case, values.ethnicity by the group's name) keeps the household's as its form
        # typed it ("BÀN THỊ CHANG", "H'Mông"): the register imported back changes nothing.
        if merged.head_name.casefold() == current.head_name.casefold():
            merged = replace(merged, head_name=current.head_name)
        if merged.ethnicity == ethnicity_named(current.ethnicity):
            merged = replace(merged, ethnicity=current.ethnicity)
        return current, merged

    def _among_twins(  # noqa: PLR0913 - the row, and what it matched
        self,
        parsed: ParsedRow,
        data: HouseholdInput,
        messages: list[str],
        twins: list[str],
        action: str,
        guessed: bool,
    ) -> RowOutcome:
        """A row of a name, birth year and hamlet that several households without an ID
        share: the one it would change nothing of is its own, said unchanged; otherwise
        it cannot be told to be any, and is not written over one of them."""
        name = data.head_name
        for twin in twins:
            known = self._session.get(Household, uuid.UUID(twin))
            if known is None or not self._may_change(known):
                continue
            current, merged = self._merged(known, data, parsed.values, keep_hamlet=guessed)
            if household_columns(current) == household_columns(merged):
                messages.append(UNCHANGED)
                return RowOutcome(parsed.row, RowStatus.skipped, tuple(messages), name, True, True)
        said = (
            f"Có {len(twins)} hộ cùng họ tên, năm sinh và thôn này mà không có số CCCD: không rõ "
            "dòng này là hộ nào"
        )
        if action == "skip":
            messages += ["Bỏ qua dòng trùng này.", f"{said}."]
            return RowOutcome(parsed.row, RowStatus.skipped, tuple(messages), name, True)
        messages.append(
            f"{said} nên không cập nhật được: hãy sửa hộ đó trong hồ sơ hộ, hoặc chọn “Bỏ qua” "
            "cho dòng này."
        )
        return RowOutcome(parsed.row, RowStatus.error, tuple(messages), name, True)

    def _masked_match(
        self, key: PersonKey | None, place: PlaceKey | None, masked: str
    ) -> list[Match]:
        """The household a row with a masked ID is: the one of its name, birth year (or
        none, as the row) and hamlet whose ID ends with the digits shown. By name, birth
        year and hamlet alone, namesakes with two cards were one household, the second
        row written over it."""
        if self._by_masked_id is None:
            self._by_masked_id = {}
            with_id = select(
                Household.id,
                Household.head_name,
                Household.citizen_id,
                Household.birth_year,
                Household.unit_code,
                Household.deleted_at.is_not(None),
            ).where(Household.citizen_id.is_not(None))
            for hid, name, cid, year, unit, deleted in self._session.execute(with_id):
                if (known := person_key(name, year, unit) or place_key(name, unit)) is None:
                    continue
                label = f"{name} ({self.hamlets.names.get(unit, unit)})"
                alike = "Trùng họ tên, năm sinh, thôn và các số CCCD không bị che với hộ"
                if deleted:
                    match = Match(f"{alike} đã xóa khỏi danh sách: {label}.", None, False, True)
                else:
                    match = Match(f"{alike} đã có: {label}.", str(hid), False)
                seen = (known, mask_citizen_id(cid))
                # One on the register first, as DuplicateIndex has it.
                if seen not in self._by_masked_id or self._by_masked_id[seen].deleted:
                    self._by_masked_id[seen] = match
        found = self._by_masked_id.get((key or place, masked)) if key or place else None
        return [found] if found else []

    def _may_change(self, existing: Household) -> bool:
        """Whether this person may change a household (a team leader: in their hamlet)."""
        if self._team_leader:
            try:
                self.actor.require_unit(existing.unit_code)
            except PermissionDenied:
                return False
        return True

    def _compare_skipped(self) -> None:
        """Read the rows skipped as households on the register against them: a row that
        would change nothing is said unchanged (the register imported back), another says
        what it would change, so that the person can choose to update it."""
        waiting, self._to_compare = self._to_compare, []
        if not waiting:
            return
        wanted = select(Household).where(
            Household.id.in_({uuid.UUID(target) for _, _, target, _, _, _, _ in waiting})
        )
        found = {h.id: h for h in self._session.scalars(wanted)}
        for index, skipped, target, data, values, guessed, held in waiting:
            known = found.get(uuid.UUID(target))
            if known is None or not self._may_change(known):
                continue
            current, merged = self._merged(known, data, values, keep_hamlet=guessed)
            if household_columns(current) == household_columns(merged):
                said = (*skipped.messages[:-1], UNCHANGED)
                self.report.rows[index] = replace(skipped, messages=said, unchanged=True)
                continue
            changes = "; ".join(household_changes(current, merged, self.hamlets.names))
            choose = held or "chọn “Cập nhật hộ đã có” cho dòng này để ghi các thay đổi đó."
            differs = f"Dòng này ghi khác hộ đã có: {changes}; {choose}"
            self.report.rows[index] = replace(skipped, messages=(*skipped.messages, differs))

    def _say_cases_moving(self, household: uuid.UUID, hamlet: str, said: list[str]) -> None:
        """Tell the row whose household moves to another hamlet that its support cases go
        with it (moved at the end of the pass: move_records_along)."""
        if self._case_hamlets is None:
            self._case_hamlets = {}
            kept = select(SupportCase.household_id, SupportCase.unit_code).where(
                SupportCase.deleted_at.is_(None)
            )
            for owner, unit in self._session.execute(kept):
                self._case_hamlets.setdefault(owner, []).append(unit)
        hamlets = self._case_hamlets.get(household)
        if not hamlets:
            return
        moving = sum(unit != hamlet for unit in hamlets)
        self._case_hamlets[household] = [hamlet] * len(hamlets)  # a later row starts here
        if moving:
            will = "Sẽ" if self.dry_run else "Đã"
            said.append(
                f"{will} chuyển {moving} hồ sơ hỗ trợ của hộ theo sang "
                f"{self.hamlets.names.get(hamlet, hamlet)}."
            )
