"""Which cells of an OpenDocument (.ods) sheet hold a formula error (#N/A, Err:502, …).

python-calamine reads LibreOffice's error cells as empty ones, as it does Excel's in
.xlsx and .xls (see xlsx_errors, xls_errors). LibreOffice marks them
calcext:value-type="error" in content.xml. The part is searched for that mark first;
only a sheet that has one is walked, row by row, counting the repeated rows and
columns ODF uses to write runs of equal cells once.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO
from xml.etree import ElementTree

from .odf_names import (
    COLUMNS_REPEATED,
    ROWS_REPEATED,
    VALUE_TYPES,
    has_mark,
    repeats,
    walk_sheet,
)
from .xlsx_errors import ErrorCells

_MARK = re.compile(rb'value-type="error"')
# The largest sheet LibreOffice makes (rows, columns).
_LARGEST = (1_048_576, 16_384)


def error_cells(
    data: bytes, sheet_name: str, size: tuple[int, int] = _LARGEST
) -> ErrorCells:
    """The error cells of the sheet, keyed (row as the spreadsheet numbers it, column
    A = 0); empty when there are none or content.xml cannot be read this way
    (calamine has read the file already: anything odd here is not ours to judge).
    `size` (rows, columns) is the sheet as read: a run of equal error cells written
    once is spread only over the cells inside it, one entry per cell it really has."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            with book.open("content.xml") as part:
                if not has_mark(part, _MARK):
                    return {}
            with book.open("content.xml") as part:
                return _walk(part, sheet_name, size)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return {}


def _walk(part: IO[bytes], sheet_name: str, size: tuple[int, int]) -> ErrorCells:
    rows, columns = size
    found: ErrorCells = {}
    row_errors: dict[int, str] = {}
    for row, column, element in walk_sheet(part, sheet_name):
        if column >= 0:
            if any(element.get(kind) == "error" for kind in VALUE_TYPES):
                text = "".join(element.itertext()).strip() or "#N/A"
                repeat = repeats(element, COLUMNS_REPEATED)
                for offset in range(max(min(repeat, columns - column), 0)):
                    row_errors[column + offset] = text
        elif row_errors:  # the row's end: its errors, on each of its repeats
            for offset in range(max(min(repeats(element, ROWS_REPEATED), rows - row), 0)):
                for at, text in row_errors.items():
                    found[(row + offset + 1, at)] = text
            row_errors = {}
    return found
