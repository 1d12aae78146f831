"""Which cells of an .xlsx sheet hold an Excel error (#N/A, #REF!, #VALUE!, …).

python-calamine reads an error cell as an empty one, so a citizen ID that a broken
VLOOKUP left as #N/A would pass as "no ID given" and the household be imported
without it. The sheet's own XML marks such cells (t="e"). The part is first scanned
for that mark, in chunks; only a sheet that has it is parsed, cell by cell.
"""

from __future__ import annotations

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


def error_cells(path: Path, sheet_name: str) -> ErrorCells:
    """The error cells of the sheet; empty when there are none or the parts cannot be
    found (calamine has read the file already: anything odd here is not ours to judge)."""
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet_name)
            if part is None or not _has_mark(book, part):
                return {}
            return _errors(book, part)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return {}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _sheet_part(book: zipfile.ZipFile, sheet_name: str) -> str | None:
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


def _has_mark(book: zipfile.ZipFile, part: str) -> bool:
    tail = b""  # the end of the chunk before: the mark may straddle two chunks
    with book.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if _MARK in tail + chunk:
                return True
            tail = chunk[1 - len(_MARK) :]
    return False


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
