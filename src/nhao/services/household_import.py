"""Importing the household lists communes keep in Excel, step by step.

The window's wizard and `nhao households import` call the same functions:

    file = open_import(db, path)                      # refuses bad files in one sentence
    file.sheets                                       # SheetInfo(name, hidden)
    layout = detect_layout(db, file, sheet)           # header row and mapping, changeable
    save_mapping(db, actor, layout, corrected)        # remembered for the next file
    report = run_import(db, actor, file, ImportOptions(...), dry_run=True)   # preview
    report = run_import(db, actor, file, ImportOptions(..., row_actions=...))  # import

Everything the import writes goes in one unit of work: the rows accepted, or
nothing. Row validation is households.check_household, the same as the form.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from nhao.domain.enums import Category, UnitLevel
from nhao.domain.hamlet_names import HamletIndex
from nhao.domain.text import fold
from nhao.imports import values as v
from nhao.imports.errors import ImportRejected, file_changed
from nhao.imports.headers import (
    CATEGORY_FLAGS,
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    IGNORED,
    Layout,
    column_letter,
    header_key,
    sexed_year_columns,
    year_mapped_twice,
)
from nhao.imports.headers import detect_layout as find_layout
from nhao.imports.legacy_fonts import LegacyCode, if_garbled
from nhao.imports.report import ImportReport
from nhao.imports.rows import RowKind, RowReader
from nhao.imports.sniff import Limits
from nhao.imports.source import LegacyAwareSource, SheetInfo, check_height, open_source
from nhao.models import Setting
from nhao.models.database import Database
from nhao.reports.import_report_xlsx import write_import_report
from nhao.services import units
from nhao.services.actor import Actor, Permission
from nhao.services.household_import_pass import ImportPass
from nhao.tasks import CancelToken, Progress

LIMITS_KEY = "import.limits"
MAPPING_KEY = "import.header_mapping"


class DuplicateAction(StrEnum):
    skip = "skip"  # leave the row out
    update = "update"  # write the row's values over the household it matches
    new = "new"  # import it as another household all the same

    @property
    def label_vi(self) -> str:
        return {"skip": "Bỏ qua", "update": "Cập nhật hộ đã có", "new": "Nhập thành hộ mới"}[
            self.value
        ]


@dataclass(frozen=True)
class ImportOptions:
    sheet: str | None = None  # None: the first visible sheet holding the list (list_sheet)
    header_row: int | None = None  # Excel row number; None: found automatically
    mapping: Mapping[int, str] | None = None  # column index → field, as the person corrected it
    hamlet: str | None = None  # hamlet of rows that name none
    create_hamlets: bool = False  # create hamlets the commune does not have yet
    on_duplicate: DuplicateAction = DuplicateAction.skip
    row_actions: Mapping[int, DuplicateAction] = field(default_factory=dict)  # by Excel row

    def action_for(self, row: int) -> DuplicateAction:
        return self.row_actions.get(row, self.on_duplicate)


# -- settings -----------------------------------------------------------------------


def _read_setting(db: Database, key: str) -> dict[str, object]:
    with db.session() as session:
        row = session.get(Setting, key)
        return json.loads(row.value) if row else {}


def _write_setting(db: Database, key: str, value: dict[str, object]) -> None:
    with db.transaction() as session:
        session.merge(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))


def import_limits(db: Database) -> Limits:
    saved = _read_setting(db, LIMITS_KEY)
    default = Limits()
    return Limits(
        max_rows=int(saved.get("max_rows", default.max_rows)),  # type: ignore[call-overload]
        max_megabytes=int(saved.get("max_megabytes", default.max_megabytes)),  # type: ignore[call-overload]
    )


def save_import_limits(db: Database, actor: Actor, limits: Limits) -> None:
    actor.require(Permission.manage_units)
    if limits.max_rows < 1 or limits.max_megabytes < 1:
        raise ImportRejected("Giới hạn số dòng và dung lượng tệp phải lớn hơn 0.")
    _write_setting(
        db, LIMITS_KEY, {"max_rows": limits.max_rows, "max_megabytes": limits.max_megabytes}
    )


def saved_mapping(db: Database) -> dict[str, str]:
    """Header spelling (folded) → field, as people corrected it before."""
    return {str(k): str(v) for k, v in _read_setting(db, MAPPING_KEY).items()}


def save_mapping(db: Database, actor: Actor, layout: Layout, mapping: Mapping[int, str]) -> None:
    """Remember what each header of this layout means, for the next file spelled alike."""
    actor.require(Permission.write_households)
    unknown = set(mapping.values()) - set(FIELD_LABELS)
    if unknown:
        raise ImportRejected(f"Không có trường dữ liệu {', '.join(sorted(unknown))}.")
    saved = _read_setting(db, MAPPING_KEY)
    # A name over two columns is known by their place, not by their words: remembered,
    # the given name's header ("Tên", or "Họ và tên chủ hộ" merged over both columns)
    # took that field in every later list headed so.
    not_remembered = {c for c, f in mapping.items() if f in ("given_name", "middle_name")}
    not_remembered |= {c - 1 for c in not_remembered if mapping.get(c - 1) == "head_name"}
    # A column left out only because another holds its field ("Số CMND" beside "Số
    # CCCD") is shown as not imported; saved so, its numbers were dropped from then on.
    not_remembered |= {c for c in layout.shadowed if c not in mapping}
    # A header over two columns ("Họ và tên" merged over the name and the given name, or
    # lent to the given name's column without one) means what its first column is: the
    # second left out, remembered so, took the name's header out of every later list.
    spelt: set[str] = set()
    for column, header in sorted(layout.headers.items()):
        key = header_key(header)
        if key and column not in not_remembered and key not in spelt:
            saved[key] = mapping.get(column, IGNORED)
        spelt.add(key)
    _write_setting(db, MAPPING_KEY, saved)


# -- opening and looking ---------------------------------------------------------------


class ImportFile:
    """An opened file: its sheets, kept parsed between the wizard's steps."""

    def __init__(self, path: Path, limits: Limits):
        self.path = path
        self.limits = limits
        self.source: LegacyAwareSource = open_source(path, limits)

    @property
    def sheets(self) -> list[SheetInfo]:
        return [SheetInfo(n, self.source.hidden(n)) for n in self.source.sheet_names]

    @property
    def default_sheet(self) -> str:
        """The first visible sheet holding anything: Excel and WPS start a workbook with
        empty sheets, and the list is often on "Sheet2"."""
        visible = [s.name for s in self.sheets if not s.hidden] or self.source.sheet_names
        if len(visible) == 1:  # a CSV file, most workbooks: nothing to look at
            return visible[0]
        # height: 0 for an empty sheet, None when the format does not tell (then taken).
        return next((n for n in visible if self.source.height(n) != 0), visible[0])

    @property
    def encoding(self) -> str | None:
        return getattr(self.source, "encoding", None)

    def legacy_code(self, sheet: str | None = None) -> LegacyCode | None:
        """The old font encoding (TCVN3, VNI) the sheet's text was typed in, read as
        Unicode; None when it is in Unicode."""
        return self.source.legacy_code(self.sheet_name(sheet))

    def sheet_name(self, sheet: str | None) -> str:
        if sheet is None:
            return self.default_sheet
        if sheet in self.source.sheet_names:
            return sheet
        wanted = fold(sheet)
        for name in self.source.sheet_names:
            if fold(name) == wanted:
                return name
        raise ImportRejected(
            f"Tệp {self.path.name} không có trang tính “{sheet}” "
            f"(các trang: {', '.join(self.source.sheet_names)})."
        )

    def sample(self, sheet: str | None = None, rows: int = HEADER_SCAN_ROWS) -> list[
        tuple[int, list[object]]
    ]:
        """The first rows of a sheet, for finding the header and showing it."""
        name = self.sheet_name(sheet)
        check_height(self.source, name, self.limits)
        taken: list[tuple[int, list[object]]] = []
        for number, cells in self.source.rows(name):
            if number > rows:
                break
            taken.append((number, cells))
        return taken

    def check_unchanged(self) -> None:
        """Refuse a file saved again since it was opened: the person checked the rows as
        first read, and may have just corrected the list and expect the correction in.
        Judged by the content's sha256, not by size and time: a digit changed keeps the
        size, and on a FAT32 USB stick the time may not move. (A workbook is parsed from
        the bytes hashed at opening; a CSV file, read anew, is checked again at the end
        of each pass: CsvSource.rows.)"""
        now = _digest(self.path)
        if now is not None and now != self.source.digest:
            raise file_changed(self.path.name)

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> ImportFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _digest(path: Path) -> bytes | None:
    """The sha256 of the file as it is now; None when it cannot be read (taken away
    with its USB stick: the content read at opening is what is imported)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.digest()


def open_import(db: Database, path: Path | str) -> ImportFile:
    return ImportFile(Path(path), import_limits(db))


def detect_layout(
    db: Database, file: ImportFile, sheet: str | None = None, header_row: int | None = None
) -> Layout:
    """Header row and column mapping, found automatically (or from the row chosen)."""
    name = file.sheet_name(sheet)
    scan = max(HEADER_SCAN_ROWS, (header_row or 0) + 1)
    merged: dict[int, list[tuple[int, int]]] = {}
    for (top, left), (bottom, right) in file.source.merged(name):
        if top == bottom or right > left:
            merged.setdefault(top + 1, []).append((left, right))
    layout = find_layout(
        file.sample(name, scan), merged=merged, saved=saved_mapping(db), header_row=header_row
    )
    if layout is None:
        where = f"dòng {header_row}" if header_row else f"{HEADER_SCAN_ROWS} dòng đầu"
        raise ImportRejected(
            f"Không tìm thấy dòng tiêu đề cột trong {where} của trang “{name}” tệp "
            f"{file.path.name}: cần ít nhất cột “Họ và tên chủ hộ” và một cột khác "
            "(năm sinh, số CCCD, thôn…)."
        )
    return layout


def list_sheet(db: Database, file: ImportFile) -> str:
    """The sheet the list is on: the default one, or else the first visible sheet where a
    header row is found. A workbook often opens with a sheet of instructions or a summary,
    the list saved active on the next one."""
    first = file.default_sheet
    others = [s.name for s in file.sheets if not s.hidden and s.name != first]
    for name in (first, *others):
        try:
            detect_layout(db, file, name)
        except ImportRejected:
            continue
        return name
    return first


def household_rows(
    db: Database, layout: Layout, sample: list[tuple[int, list[object]]]
) -> list[list[object]]:
    """The rows of a sample that hold households: not a totals row, a group title, the
    row of column numbers or the signatures below the list (examples to show). A list
    pasted below ends them where the import finds its header, spellings saved included."""
    kept: set[int] = set()
    for parsed in RowReader(layout, saved=saved_mapping(db)).read(sample):
        if parsed.layout is not None:
            break  # a list pasted below, its columns in another order: not these columns'
        if parsed.kind is RowKind.data:
            kept.add(parsed.row)
    return [cells for number, cells in sample if number in kept]


def _has_group_titles(layout: Layout, file: ImportFile, sheet: str | None) -> bool:
    """Whether hamlets are given as group titles ("I. Thôn Nà Pàn") above their rows.
    Titles of categories alone ("A. HỘ NGHÈO") give none: a hamlet's list grouped so
    still takes its hamlet from its title or sheet."""
    reader = RowReader(layout)
    sample = file.sample(sheet, layout.first_data_row + HEADER_SCAN_ROWS)
    return any(row.kind is RowKind.section and row.section for row in reader.read(sample))


def _title_lines(layout: Layout, file: ImportFile, sheet: str) -> list[str]:
    """The lines above the header: "DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN", "UBND XÃ BÌNH GIA"."""
    lines = []
    for _, cells in file.sample(sheet, layout.header_row - 1):
        line = " ".join(text for c in cells if isinstance(c, str) and (text := v.text(c)))
        if line:
            lines.append(line)
    return lines


def _sheet_name(file: ImportFile, sheet: str) -> str:
    legacy = file.legacy_code(sheet)
    return if_garbled(sheet, legacy) if legacy else sheet  # "Th«n Nµ Pµn" typed in TCVN3


def _hamlet_of_file(
    db: Database,
    layout: Layout,
    file: ImportFile,
    options: ImportOptions,
    actor: Actor,
    sheet: str,
) -> tuple[str, str] | None:
    """The hamlet of the rows that name none, from the sheet's name or the title, when
    none is chosen for the file nor the person's own (hamlet_named_by_file)."""
    if options.hamlet or actor.hamlet_code:
        return None
    # With a hamlet column too: a hamlet's list ("DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN") leaves
    # the cell blank where the title says it, and fills it where a household is of another.
    return hamlet_named_by_file(db, file, sheet, layout)


def _only_the_file_gives_hamlets(layout: Layout, options: ImportOptions, actor: Actor) -> bool:
    """Whether the rows' hamlets come from the file alone: no hamlet column, none chosen
    for the file, and the person not one hamlet's team leader."""
    return "hamlet" not in layout.mapping.values() and not options.hamlet and not actor.hamlet_code


def hamlet_named_by_file(
    db: Database, file: ImportFile, sheet: str, layout: Layout
) -> tuple[str, str] | None:
    """The hamlet a sheet is named after, in a workbook with a sheet per hamlet, or the
    one the title above the header names ("DANH SÁCH HỘ NGHÈO THÔN NÀ PÀN"), with where
    it was read, said; None when the list names hamlets in group titles, or when the
    sheet's name and the title name two. It is the hamlet of the rows that name none
    unless one is chosen for the file, the list has a hamlet column, or the computer or
    person keeps one hamlet's households."""
    named = _hamlets_named_by_file(db, file, sheet, layout)
    return named[0] if len({name for name, _ in named}) == 1 else None


def _hamlets_named_by_file(
    db: Database, file: ImportFile, sheet: str, layout: Layout
) -> list[tuple[str, str]]:
    """The hamlets the sheet's name and the title name, each with where it was read."""
    if _has_group_titles(layout, file, sheet):
        return []
    hamlets = units.list_hamlets(db)
    index = HamletIndex((h.code, h.name) for h in hamlets)
    names = {h.code: h.name for h in hamlets}
    found = []
    name = _sheet_name(file, sheet)
    code = index.find(name) or index.named_in([name])  # "Nà Pàn", "HN thôn Nà Pàn"
    if code and not _sheet_names_the_commune(db, name):
        found.append((names[code], f"theo tên trang tính “{sheet}”"))
    lines = _title_lines(layout, file, sheet)
    if (code := index.named_in(lines)) is not None:
        line = next(line for line in lines if index.named_in([line]) == code)
        found.append((names[code], f"theo tiêu đề “{v.shown(line, 80)}”"))
    return found


_COMMUNE_WORD = re.compile(r"^(?:xa|phuong|thi tran)\s+")


def _sheet_names_the_commune(db: Database, name: str) -> bool:
    """Whether a sheet's name is the commune's, its "Xã" left out: "Bình Gia" in Xã Bình
    Gia names the commune's list as well as Thôn Bình Gia's."""
    commune = units.station_info(db).commune
    return commune is not None and fold(name) == _COMMUNE_WORD.sub("", fold(commune.name))


def _categories_of_file(
    layout: Layout, file: ImportFile, sheet: str
) -> tuple[frozenset[Category], str]:
    """The one category the title above the header or the sheet's name says the list's
    households are of ("DANH SÁCH HỘ CẬN NGHÈO NĂM 2025", sheet "HCN"), for a list with
    no category column; with where it was read. Nothing when two are named, or when a
    line says the households are no longer on the list (_gone_title)."""
    sources = _category_sources(layout, file, sheet)
    if any(v.leaves_the_list(line) for line, _ in sources):  # _gone_title says why
        return frozenset(), ""
    named = [(found, where) for line, where in sources if (found := v.list_title_categories(line))]
    if len(frozenset().union(*(found for found, _ in named))) != 1:
        return frozenset(), ""
    return named[0]


def _gone_title(layout: Layout, file: ImportFile, sheet: str) -> str:
    """Where the title or the sheet's name says the list's households are no longer on
    it ("DANH SÁCH HỘ NGHÈO HẾT HẠN"), for a list with no category column: no category."""
    sources = _category_sources(layout, file, sheet)
    return next((where for line, where in sources if v.leaves_the_list(line)), "")


def _category_sources(layout: Layout, file: ImportFile, sheet: str) -> list[tuple[str, str]]:
    """The lines of the title and the sheet's name, each with where it was read, when
    they may give a category: the list has no category column."""
    if any(f == "categories" or f in CATEGORY_FLAGS for f in layout.mapping.values()):
        return []
    lines = [(line, f"tiêu đề “{v.shown(line, 80)}”") for line in _title_lines(layout, file, sheet)]
    name = _sheet_name(file, sheet)
    return [*lines, (name, f"tên trang tính “{name}”")]


def _required_columns(  # type: ignore[no-untyped-def]
    db: Database, layout: Layout, file: ImportFile, sheet: str, options: ImportOptions, actor: Actor
):
    missing = [FIELD_LABELS[f] for f in layout.missing()]
    missing_hamlet = ""  # why the sheet's name or the title gave none, when they disagree
    wants_hamlet = False
    if (
        _only_the_file_gives_hamlets(layout, options, actor)
        and not _has_group_titles(layout, file, sheet)
        and not _addresses_name_hamlets(db, layout, file, sheet)
    ):
        missing.append(FIELD_LABELS["hamlet"] + " (hoặc chọn một thôn cho cả tệp)")
        wants_hamlet = True
        missing_hamlet = _hamlets_disagree(db, layout, file, sheet)
    if missing:
        raise ImportRejected(
            f"Tệp {file.path.name} thiếu cột bắt buộc: {', '.join(missing)}. "
            f"Các cột tìm thấy ở dòng {layout.header_row}: "
            f"{layout.describe_headers() or 'không có'}.{missing_hamlet}",
            wants_hamlet=wants_hamlet,
        )


def _addresses_name_hamlets(db: Database, layout: Layout, file: ImportFile, sheet: str) -> bool:
    """Whether the list's address column, with no hamlet column, names the commune's
    hamlets ("Thôn Nà Pàn, xã Bình Gia"): then each row's hamlet is its address's."""
    column = next((c for c, f in layout.mapping.items() if f == "address"), None)
    if column is None or "hamlet" in layout.mapping.values():
        return False
    index = HamletIndex((h.code, h.name) for h in units.list_hamlets(db))
    commune = units.station_info(db).commune
    sample = file.sample(sheet, layout.first_data_row + HEADER_SCAN_ROWS)
    return any(
        isinstance(address := cells[column] if column < len(cells) else None, str)
        and index.in_address(address, commune.name if commune else "")
        for cells in household_rows(db, layout, sample)
    )


def _hamlets_disagree(db: Database, layout: Layout, file: ImportFile, sheet: str) -> str:
    """Why the sheet's name and the title gave no hamlet, when each names another."""
    named = _hamlets_named_by_file(db, file, sheet, layout)
    if not named and _sheet_names_the_commune(db, _sheet_name(file, sheet)):
        return (
            f" Không chọn thôn theo tên trang tính “{sheet}”, vì đó là tên của xã; hãy chọn "
            "thôn cho cả tệp."
        )
    if len({name for name, _ in named}) < 2:
        return ""
    (first, first_said), (second, second_said) = named
    return (
        f" Không tự chọn thôn: {first} {first_said} nhưng {second} {second_said}; hãy chọn "
        "thôn cho cả tệp."
    )


# -- importing ---------------------------------------------------------------------------


def run_import(
    db: Database,
    actor: Actor,
    file: ImportFile,
    options: ImportOptions,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Read, check, match and (unless dry_run) write every row; returns the report."""
    actor.require(Permission.write_households)
    if options.create_hamlets:
        units.refuse_on_hamlet_laptop(db)
        if not dry_run:
            actor.require(Permission.manage_units)
    file.check_unchanged()
    sheet = file.sheet_name(options.sheet) if options.sheet else list_sheet(db, file)
    options = replace(options, sheet=sheet)  # what follows reads this sheet, not the first
    layout = detect_layout(db, file, sheet, options.header_row)
    if options.mapping is not None:
        mapping = {c: f for c, f in options.mapping.items() if f}
        # A column left out because another has its field stays so, and said, unless the
        # person mapped it: the window sends its mapping even when it is the one detected.
        shadowed = {c: f for c, f in layout.shadowed.items() if c not in mapping}
        layout = replace(layout, mapping=mapping, shadowed=shadowed)
    station = units.station_info(db).unit
    if not options.hamlet and station.level is UnitLevel.hamlet:
        # A hamlet's laptop keeps that hamlet's households: a row naming none is its.
        options = replace(options, hamlet=station.name)
    if by_file := _hamlet_of_file(db, layout, file, options, actor, sheet):
        options = replace(options, hamlet=by_file[0])
    _required_columns(db, layout, file, sheet, options, actor)
    if year_mapped_twice(layout.mapping):
        plain = next(c for c, f in layout.mapping.items() if f == "birth_year")
        sexed = ", ".join(column_letter(c) for c in sexed_year_columns(layout.mapping))
        raise ImportRejected(
            f"Tệp {file.path.name}: năm sinh được chọn ở cả cột {column_letter(plain)} và các "
            f"cột theo nam, nữ ({sexed}); hãy chỉ chọn một cách ghi năm sinh."
        )
    commune = units.commune_code(db)  # its own session: before the unit of work opens
    check_height(file.source, sheet, file.limits)
    job = ImportPass(
        db=db,
        actor=actor,
        file=file,
        sheet=sheet,
        layout=layout,
        options=options,
        commune=commune,
        today=date.today(),
        progress=progress or Progress(),
        cancel=cancel,
        saved=saved_mapping(db),
        titled=_categories_of_file(layout, file, sheet),
        gone_title=_gone_title(layout, file, sheet),
        hamlet_of_file=by_file is not None,
        hamlet_said=by_file[1] if by_file else "",
    )
    report = job.run(dry_run=dry_run)
    if job.placed_by_address:
        column = next(c for c, f in layout.mapping.items() if f == "address")
        header = layout.headers.get(column, FIELD_LABELS["address"])
        rest = f"; hộ có địa chỉ không ghi thôn vào {by_file[0]} {by_file[1]}" if by_file else ""
        if options.hamlet and job.default_hamlet and not by_file:
            chosen = job.hamlets.names.get(job.default_hamlet, options.hamlet)
            rest = f"; hộ có địa chỉ không ghi thôn vào {chosen} (thôn chọn cho cả tệp)"
        report.notes.append(
            f"Tệp không có cột thôn, xóm: thôn của mỗi hộ lấy theo địa chỉ ở cột "
            f"{column_letter(column)} “{header}”{rest}."
        )
    elif by_file:
        below = "".join(
            f"; các hộ dưới tiêu đề ở dòng {row} "
            + (f"vào {name}" if name else "không vào thôn nào")
            for row, name in job.hamlets_below
        )
        if "hamlet" not in layout.mapping.values():
            report.notes.append(
                f"Tệp không có cột thôn, xóm: các hộ được ghi vào {by_file[0]} {by_file[1]}{below}."
            )
        elif job.blank_hamlets:
            report.notes.append(
                f"{job.blank_hamlets} hộ để trống ô thôn, xóm được ghi vào {by_file[0]} "
                f"{by_file[1]}{below}."
            )
    if others := _other_sheets_with_lists(db, file, sheet):
        names = ", ".join(f"“{name}”" for name in others)
        report.notes.append(
            f"Các trang tính {names} của tệp cũng có danh sách hộ; lần nhập này chỉ đọc trang "
            f"“{sheet}”, hãy nhập tiếp từng trang đó."
        )
    return report


def _other_sheets_with_lists(db: Database, file: ImportFile, sheet: str) -> list[str]:
    """The visible sheets besides the one read where a list's header is found: a workbook
    kept with a sheet per hamlet is imported a sheet at a time, and the person should not
    take the first sheet's households for the whole file's."""
    found = []
    for other in file.sheets:
        if other.hidden or other.name == sheet:
            continue
        try:
            detect_layout(db, file, other.name)
        except ImportRejected:
            continue
        found.append(other.name)
    return found


def import_file(
    db: Database, actor: Actor, path: Path | str, options: ImportOptions, *, dry_run: bool = False
) -> ImportReport:
    """Open, import, close: what the command line does."""
    with open_import(db, path) as file:
        return run_import(db, actor, file, options, dry_run=dry_run)


def write_report(report: ImportReport, path: Path | str) -> None:
    """The report as an xlsx people can read and print: every row, its status, what to do."""
    mapping = ", ".join(
        f"{column_letter(c)} → {FIELD_LABELS.get(f, f)}" for c, f in sorted(report.mapping.items())
    )
    heading = [
        f"KẾT QUẢ NHẬP DANH SÁCH HỘ {'(KIỂM TRA TRƯỚC, CHƯA GHI)' if report.dry_run else ''}",
        f"Tệp: {report.file} · Trang: {report.sheet} · Dòng tiêu đề: {report.header_row}",
        f"Các cột: {mapping}",
        *filter(None, [report.not_imported()]),
        report.describe(),
        *report.notes,
    ]
    write_import_report(
        Path(path),
        heading=heading,
        rows=(
            (o.row, o.status.value, o.status.label_vi, o.head_name, o.messages)
            for o in report.rows
        ),
    )
