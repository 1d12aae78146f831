"""Which cells of an .xlsx sheet hold an Excel error (#N/A, #REF!, #VALUE!, …).

python-calamine reads an error cell as an empty one, so a citizen ID that a broken
VLOOKUP left as #N/A would pass as "no ID given" and the household be imported
without it. The sheet's own XML marks such cells (t="e"). The part is scanned for
that mark, in chunks, and each cell found says where it is (r="B7"); only a sheet
whose error cells leave that out is parsed, cell by cell.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_MARK = b't="e"'
_CHUNK = 1 << 20
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")

ErrorCells = dict[tuple[int, int], str]  # (row as Excel numbers it, column A = 0) → "#N/A"


def error_cells(workbook: Path | bytes, sheet_name: str) -> ErrorCells:
    """The error cells of the sheet of a workbook (its path, or its content as read for
    the import); empty when there are none or the parts cannot be found (calamine has
    read the file already: anything odd here is not ours to judge)."""
    opened = io.BytesIO(workbook) if isinstance(workbook, bytes) else workbook
    try:
        with zipfile.ZipFile(opened) as book:
            part = sheet_part(book, sheet_name)
            if part is None:
                return {}
            found = _scan(book, part)
            return _errors(book, part) if found is None else found
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return {}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def sheet_part(book: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    wanted = next(
        (
            sheet.get(_RELATIONSHIP_ID)
            for sheet in workbook.iter()
            if _local(sheet.tag) == "sheet" and sheet.get("name") == sheet_name
        ),
        None,
    )
    if wanted is None:
        return None
    relations = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for relation in relations:
        if relation.get("Id") == wanted:
            target = relation.get("Target") or ""
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_CELL_REFERENCE = re.compile(rb'\sr="([A-Z]{1,3})([0-9]+)"')
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")


def _scan(book: zipfile.ZipFile, part: str) -> ErrorCells | None:
    """The error cells found by their mark alone, in chunks, without parsing the rest
    of the sheet: one #N/A in 100,000 rows costs no more than none. None when an error
    cell does not say where it is (no r="B7"): then the sheet is parsed, cell by cell."""
    found: ErrorCells = {}
    data = b""
    with book.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            data += chunk
            at, keep = 0, -1  # keep: where an error cell cut off by the chunk's end starts
            while (mark := data.find(_MARK, at)) >= 0:
                start, end = data.rfind(b"<", 0, mark), data.find(b">", mark)
                if end < 0:
                    keep = start
                    break
                at = end
                tag = data[start : end + 1]
                if not _CELL_TAG.match(tag):
                    continue
                reference = _CELL_REFERENCE.search(tag)
                if reference is None:
                    return None
                value = None
                if not tag.endswith(b"/>"):
                    close = _CELL_END.search(data, end)
                    if close is None:
                        keep = start
                        break
                    inner = _VALUE.search(data, end, close.start())
                    value = inner.group(1).decode("utf-8", "replace") if inner else None
                column = _column_index(reference.group(1).decode("ascii"))
                found[(int(reference.group(2)), column)] = (value or "#VALUE!").strip()
            if not chunk:
                return found
            # What may still hold a mark or the rest of an error cell: from the cell cut
            # off, else from the last tag begun (a mark straddling the chunks is in it).
            last = data.rfind(b"<")
            data = data[keep:] if keep >= 0 else data[last:] if last >= 0 else b""


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _errors(book: zipfile.ZipFile, part: str) -> ErrorCells:
    found: ErrorCells = {}
    row, column = 0, -1
    with book.open(part) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == "row":  # rows and cells may leave out their reference
                    row = int(element.get("r") or row + 1)
                    column = -1
                continue
            if name == "c":
                reference = _REFERENCE.fullmatch(element.get("r") or "")
                if reference:
                    column = _column_index(reference.group(1))
                    row = int(reference.group(2))
                else:
                    column += 1
                if element.get("t") == "e":
                    value = next((c.text for c in element if _local(c.tag) == "v"), None)
                    found[(row, column)] = (value or "#VALUE!").strip()
                element.clear()
            elif name == "row":
                element.clear()
    return found
