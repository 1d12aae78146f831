"""Writing people's text into spreadsheets safely.

A cell whose text begins with = + - @ (or a tab, carriage return or NUL) would be
read as a formula by a spreadsheet program ("formula injection", OWASP ASVS
1.2.10). In xlsx nhao stores such text as a string cell with Excel's quote-prefix
flag: it shows and re-imports exactly as typed, and no program evaluates it. In
plain text formats (CSV) the text gets a leading apostrophe instead.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r", "\x00")


def is_risky(text: str) -> bool:
    return text.startswith(RISKY_FIRST)


def clean(text: str) -> str:
    """Drop the control characters XML cannot hold (openpyxl would refuse the file)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def neutralise_csv(text: str) -> str:
    return "'" + text if is_risky(text) else text


def text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A cell that is always text, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=clean(text))
    cell.data_type = "s"  # never "f": openpyxl makes "=…" a formula otherwise
    if is_risky(text):
        cell.quotePrefix = True
    return cell
