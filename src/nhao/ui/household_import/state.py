"""What the import wizard's pages share: a look at a sheet, and the choices made."""

from __future__ import annotations

from dataclasses import dataclass, field

from nhao.imports.errors import ImportRejected
from nhao.services.household_import import (
    DuplicateAction,
    ImportFile,
    Layout,
    detect_layout,
    hamlet_named_by_file,
    household_rows,
)

SAMPLE_ROWS = 30  # rows shown to find the header in (the service searches as many)
MAX_HEADER_ROW = 1000  # the header row a person may choose, below the rows shown
CANCELLED = object()  # what a job returns when the person pressed Cancel


@dataclass(frozen=True)
class SheetLook:
    """A sheet's first rows and where its table is, as read by a job."""

    sheet: str
    sample: list[tuple[int, list[object]]]
    layout: Layout | None  # None: no header row found (the person chooses one)
    problem: str = ""  # why not, in the service's words
    automatic: bool = True  # found automatically rather than the row the person chose
    legacy_font: tuple[str, str] | None = None  # (encoding, fonts) the text was read from
    # The sample's rows that hold households, read as the import will (examples to show).
    households: list[list[object]] = field(default_factory=list)
    # The hamlet the sheet's name or the title above the header names, and where it was
    # read: the hamlet of rows that name none, when no other is chosen.
    named_hamlet: tuple[str, str] | None = None


def look_at(db: object, file: ImportFile, sheet: str, header_row: int | None = None) -> SheetLook:
    sample = file.sample(sheet, max(SAMPLE_ROWS, header_row or 0))
    code = file.legacy_code(sheet)
    font = (code.title, code.fonts) if code else None
    try:
        layout = detect_layout(db, file, sheet, header_row)  # type: ignore[arg-type]
    except ImportRejected as refused:
        return SheetLook(sheet, sample, None, str(refused), header_row is None, font)
    examples = household_rows(db, layout, sample)  # type: ignore[arg-type]
    named = hamlet_named_by_file(db, file, sheet, layout)  # type: ignore[arg-type]
    return SheetLook(sheet, sample, layout, "", header_row is None, font, examples, named)


@dataclass
class Choices:
    """What the person chose on the pages, turned into the service's ImportOptions."""

    mapping: dict[int, str] = field(default_factory=dict)
    hamlet: str | None = None
    create_hamlets: bool = False
    on_duplicate: DuplicateAction = DuplicateAction.skip
    row_actions: dict[int, DuplicateAction] = field(default_factory=dict)
    remember: bool = False  # save the mapping with the next check
