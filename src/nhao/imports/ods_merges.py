"""Which cells of an OpenDocument (.ods) sheet are merged.

python-calamine gives no merged ranges for .ods files (only for .xlsx and .xls), so a
list saved by LibreOffice would lose its group headers ("Ngày tháng năm sinh" over
"Nam" and "Nữ") and its hamlets written once for several rows. content.xml gives the
first cell of a merge table:number-columns-spanned / number-rows-spanned; the part is
searched for a span over more than one cell first, and only a sheet with one is walked.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO
from xml.etree import ElementTree

from .odf_names import (
    COLUMNS_SPANNED,
    ROWS_SPANNED,
    has_mark,
    walk_sheet,
)

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((row, col), (row, col)), 0-based

_MARK = re.compile(rb'number-(?:columns|rows)-spanned="(?!1")[0-9]+"')


def merged_cells(data: bytes, sheet_name: str) -> list[Merge]:
    """The merged ranges of the sheet, as calamine gives them for .xlsx; empty when there
    are none or content.xml cannot be read this way (calamine has read the file already:
    anything odd here is not ours to judge)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            with book.open("content.xml") as part:
                if not has_mark(part, _MARK):
                    return []
            with book.open("content.xml") as part:
                return _walk(part, sheet_name)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return []


def _walk(part: IO[bytes], sheet_name: str) -> list[Merge]:
    found: list[Merge] = []
    for row, column, cell in walk_sheet(part, sheet_name):
        if column < 0:
            continue
        across = int(cell.get(COLUMNS_SPANNED) or 1)
        down = int(cell.get(ROWS_SPANNED) or 1)
        if across > 1 or down > 1:
            found.append(((row, column), (row + down - 1, column + across - 1)))
    return found
