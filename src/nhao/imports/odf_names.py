"""What the .ods readers of content.xml share (ods_errors, ods_merges, hidden_rows):
the names of OpenDocument's spreadsheet XML as ElementTree spells them, and the quick
search for a mark that tells whether the part is worth walking at all."""

from __future__ import annotations

import re
from typing import IO

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


def has_mark(part: IO[bytes], mark: re.Pattern[bytes]) -> bool:
    """Whether the part holds `mark` anywhere, read in chunks: a walk of a large sheet
    costs seconds, this a decompression."""
    tail = b""
    while chunk := part.read(_CHUNK):
        if mark.search(tail + chunk):
            return True
        tail = chunk[-_OVERLAP:]
    return False
