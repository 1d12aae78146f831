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
    CELLS,
    COLUMNS_REPEATED,
    COLUMNS_SPANNED,
    NAME,
    ROW,
    ROWS_REPEATED,
    ROWS_SPANNED,
    SHEET,
    has_mark,
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
                across = int(element.get(COLUMNS_SPANNED) or 1)
                down = int(element.get(ROWS_SPANNED) or 1)
                if across > 1 or down > 1:
                    found.append(((row, column), (row + down - 1, column + across - 1)))
                column += max(int(element.get(COLUMNS_REPEATED) or 1), 1)
            element.clear()
        elif tag == ROW:
            row += max(int(element.get(ROWS_REPEATED) or 1), 1)
            element.clear()
        elif tag == SHEET and inside:
            break
    return found
