"""Which cells of an Excel 97–2003 (.xls) sheet hold an Excel error (#N/A, #REF!, …).

python-calamine reads them as empty cells, as it does in .xlsx (see xlsx_errors), so
a citizen ID that a broken VLOOKUP left as #N/A would pass as "no ID given". xlrd,
made for reading .xls, types such cells as errors. Parsing the sheet with it costs
several times calamine's read, so the workbook stream is first searched for the two
records an error cell can be (BOOLERR with its error flag; FORMULA whose cached
result is an error): a list without them, nearly every list, is not parsed twice.
"""

from __future__ import annotations

import io
import re
from struct import error as struct_error

import xlrd
from xlrd.compdoc import CompDoc, CompDocError

from .xlsx_errors import ErrorCells

# BOOLERR (0x0205, 8 bytes: row, column, format, value, 1 = an error) and FORMULA
# (0x0006: row, column, format, then a cached result whose first byte 2 and last two
# bytes FF FF say "an error"). A match elsewhere only costs a parse; a real record
# always matches.
_ERROR_RECORD = re.compile(
    rb"\x05\x02\x08\x00[\s\S]{7}\x01|\x06\x00[\s\S]{8}\x02[\s\S]{5}\xff\xff"
)


def error_cells(data: bytes, sheet_name: str) -> ErrorCells:
    """The error cells of the sheet, keyed (row as Excel numbers it, column A = 0);
    empty when there are none or the file cannot be read this way (calamine has read
    it already: anything odd here is not ours to judge)."""
    try:
        if not _has_error_records(data):
            return {}
        book = xlrd.open_workbook(
            file_contents=data, on_demand=True, logfile=io.StringIO(), formatting_info=False
        )
        sheet = book.sheet_by_name(sheet_name)
        found: ErrorCells = {}
        for row in range(sheet.nrows):
            for column, kind in enumerate(sheet.row_types(row)):
                if kind == xlrd.XL_CELL_ERROR:
                    code = sheet.cell_value(row, column)
                    found[(row + 1, column)] = xlrd.error_text_from_code.get(code, "#N/A")
        return found
    except (xlrd.XLRDError, CompDocError, ValueError, IndexError, KeyError, struct_error):
        return {}


def _has_error_records(data: bytes) -> bool:
    return _ERROR_RECORD.search(workbook_stream(data)) is not None


def workbook_stream(data: bytes) -> bytes:
    """The stream of an .xls file that holds its records (b"" when there is none), to
    search for a kind of record before parsing the file with xlrd."""
    documents = CompDoc(data, logfile=io.StringIO())
    for name in ("Workbook", "Book"):  # Excel 97 and later; Excel 5 and 95
        stream = documents.get_named_stream(name)
        if stream is not None:
            return bytes(stream)
    return b""
