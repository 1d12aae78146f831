"""Which rows of a sheet are hidden: by hand, or filtered out by an autofilter.

A clerk often hides the households that left the list, or filters the list down to
one hamlet to print it, and saves the file so. python-calamine reads every row alike,
so such rows would be imported like the rest with nothing said. Each format marks
them on the row (.xlsx `<row hidden="1">`, .ods `table:visibility="collapse"` or
"filter", .xls a ROW record's fDyZero bit); the file is searched for the mark first
and only a sheet that has one is walked. Anything odd here is not ours to judge:
calamine has read the file already, so a part that cannot be read gives no rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from struct import error as struct_error
from typing import IO
from xml.etree import ElementTree

import xlrd
from xlrd.compdoc import CompDocError

from .odf_names import ROWS_REPEATED, VISIBILITY, has_mark, repeats, walk_sheet
from .xls_errors import workbook_stream
from .xlsx_errors import sheet_part

_CHUNK = 1 << 20
# The largest sheet a spreadsheet program makes: a run of hidden rows repeated down to
# the bottom of an .ods sheet is counted only over the rows the sheet really has.
_LARGEST = 1_048_576


def hidden_rows(kind: str, data: bytes, sheet_name: str, height: int | None) -> frozenset[int]:
    """The rows (as the spreadsheet numbers them) hidden in the sheet; `height` is the
    sheet's number of rows as read."""
    rows = min(height or _LARGEST, _LARGEST)
    try:
        if kind in ("xlsx", "xlsm"):
            return _xlsx(data, sheet_name)
        if kind == "ods":
            return _ods(data, sheet_name, rows)
        if kind == "xls":
            return _xls(data, sheet_name)
    except (
        zipfile.BadZipFile,
        KeyError,
        ElementTree.ParseError,
        OSError,
        ValueError,
        xlrd.XLRDError,
        CompDocError,
        IndexError,
        struct_error,
    ):
        pass
    return frozenset()


# -- .xlsx ---------------------------------------------------------------------------

_XLSX_MARK = b'hidden="'
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\sr="([0-9]+)"')


def _xlsx(data: bytes, sheet_name: str) -> frozenset[int]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        part = sheet_part(book, sheet_name)
        if part is None:
            return frozenset()
        with book.open(part) as stream:
            found = _xlsx_scan(stream)
        if found is None:  # a hidden row that does not say its number: count the rows
            with book.open(part) as stream:
                found = _xlsx_walk(stream)
        return frozenset(found)


def _xlsx_scan(stream: IO[bytes]) -> set[int] | None:
    """The hidden rows found by their mark alone, in chunks; None when one of them
    leaves out its number (r="12")."""
    found: set[int] = set()
    data = b""
    while True:
        chunk = stream.read(_CHUNK)
        data += chunk
        at, keep = 0, -1  # keep: where a row tag cut off by the chunk's end starts
        while (mark := data.find(_XLSX_MARK, at)) >= 0:
            start, end = data.rfind(b"<", 0, mark), data.find(b">", mark)
            if end < 0:
                keep = start
                break
            at = end
            tag = data[start : end + 1]
            if not (_ROW_TAG.match(tag) and _HIDDEN.search(tag)):
                continue  # a hidden column, or a row shown again
            number = _ROW_NUMBER.search(tag)
            if number is None:
                return None
            found.add(int(number.group(1)))
        if not chunk:
            return found
        last = data.rfind(b"<")
        data = data[keep:] if keep >= 0 else data[last:] if last >= 0 else b""


def _xlsx_walk(stream: IO[bytes]) -> set[int]:
    found: set[int] = set()
    row = 0
    for _, element in ElementTree.iterparse(stream, events=("start",)):
        if element.tag.rpartition("}")[2] == "row":
            row = int(element.get("r") or row + 1)
            if element.get("hidden") in ("1", "true"):
                found.add(row)
    return found


# -- .ods ----------------------------------------------------------------------------

_ODS_MARK = re.compile(rb'table:visibility="(?!visible")')  # "collapse" or "filter"


def _ods(data: bytes, sheet_name: str, rows: int) -> frozenset[int]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        with book.open("content.xml") as part:
            if not has_mark(part, _ODS_MARK):
                return frozenset()
        with book.open("content.xml") as part:
            return frozenset(_ods_walk(part, sheet_name, rows))


def _ods_walk(part: IO[bytes], sheet_name: str, rows: int) -> set[int]:
    found: set[int] = set()
    for row, column, element in walk_sheet(part, sheet_name):
        if column < 0 and element.get(VISIBILITY, "visible") != "visible":
            found.update(range(row + 1, min(row + repeats(element, ROWS_REPEATED), rows) + 1))
    return found


# -- .xls ----------------------------------------------------------------------------

# ROW (0x0208, 16 bytes): row, first and last column, height, two reserved words, then
# the option flags, whose 0x20 bit (fDyZero) hides the row. A match elsewhere in the
# stream only costs a parse; a hidden row always matches.
_HIDDEN_ROW_RECORD = re.compile(
    rb"\x08\x02\x10\x00[\s\S]{12}[\x20-\x3f\x60-\x7f\xa0-\xbf\xe0-\xff]"  # a byte with 0x20 set
)


def _xls(data: bytes, sheet_name: str) -> frozenset[int]:
    if _HIDDEN_ROW_RECORD.search(workbook_stream(data)) is None:
        return frozenset()
    book = xlrd.open_workbook(
        file_contents=data, on_demand=True, logfile=io.StringIO(), formatting_info=True
    )
    sheet = book.sheet_by_name(sheet_name)
    return frozenset(row + 1 for row, info in sheet.rowinfo_map.items() if info.hidden)


