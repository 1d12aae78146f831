"""What the .ods readers of content.xml share (ods_errors, ods_merges, hidden_rows):
the names of OpenDocument's spreadsheet XML as ElementTree spells them, the quick
search for a mark that tells whether the part is worth walking at all, and the walk
of one sheet's rows and cells."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO
from xml.etree import ElementTree

_CHUNK = 1 << 20
_OVERLAP = 64  # longer than any mark: one cut by a chunk's end is whole with the next

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

SHEET = f"{{{TABLE}}}table"
ROW = f"{{{TABLE}}}table-row"
CELLS = (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell")
NAME = f"{{{TABLE}}}name"
ROWS_REPEATED = f"{{{TABLE}}}number-rows-repeated"
COLUMNS_REPEATED = f"{{{TABLE}}}number-columns-repeated"
ROWS_SPANNED = f"{{{TABLE}}}number-rows-spanned"
COLUMNS_SPANNED = f"{{{TABLE}}}number-columns-spanned"
VISIBILITY = f"{{{TABLE}}}visibility"
VALUE_TYPES = (f"{{{CALCEXT}}}value-type", f"{{{OFFICE}}}value-type")


def repeats(element: ElementTree.Element, attribute: str) -> int:
    return max(int(element.get(attribute) or 1), 1)


def walk_sheet(
    part: IO[bytes], sheet_name: str
) -> Iterator[tuple[int, int, ElementTree.Element]]:
    """The cells of one sheet as (row, column, cell), 0-based, repeats counted; then,
    at each row's end, (row, -1, the row) where the row's attributes and its repeats
    are read. Elements are cleared once seen: a large sheet's tree is never held."""
    inside = False
    row = column = 0
    for event, element in ElementTree.iterparse(part, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == SHEET:
                inside, row = element.get(NAME) == sheet_name, 0
            elif tag == ROW:
                column = 0
            continue
        if tag in CELLS:
            if inside:
                yield row, column, element
                column += repeats(element, COLUMNS_REPEATED)
            element.clear()
        elif tag == ROW:
            if inside:
                yield row, -1, element
                row += repeats(element, ROWS_REPEATED)
            element.clear()
        elif tag == SHEET and inside:
            return


def has_mark(part: IO[bytes], mark: re.Pattern[bytes]) -> bool:
    """Whether the part holds `mark` anywhere, read in chunks: a walk of a large sheet
    costs seconds, this a decompression."""
    tail = b""
    while chunk := part.read(_CHUNK):
        if mark.search(tail + chunk):
            return True
        tail = chunk[-_OVERLAP:]
    return False
