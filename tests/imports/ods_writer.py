"""A minimal OpenDocument spreadsheet (.ods) writer for the tests: a zip with the
mimetype first and uncompressed, a manifest, and content.xml with the tables."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
 office:version="1.2">
<office:body><office:spreadsheet>"""
TAIL = "</office:spreadsheet></office:body></office:document-content>"


@dataclass(frozen=True)
class OdsError:
    """A formula whose result is an error, as LibreOffice writes it."""

    text: str


@dataclass(frozen=True)
class Repeated:
    """One cell written once for `times` equal cells side by side."""

    value: object
    times: int


@dataclass(frozen=True)
class Spanned:
    """The first cell of a merge, as LibreOffice writes it; the cells it covers follow
    as Covered."""

    value: object
    columns: int = 1
    rows: int = 1


@dataclass(frozen=True)
class Covered:
    """`times` cells side by side hidden under a merge."""

    times: int = 1


@dataclass(frozen=True)
class RepeatedRow:
    """One row written once for `times` equal rows one under another."""

    cells: Sequence[object]
    times: int


@dataclass(frozen=True)
class HiddenRow:
    """A row hidden by hand ("collapse") or filtered out by an autofilter ("filter")."""

    cells: Sequence[object]
    visibility: str = "collapse"
    times: int = 1


def _row(row: object) -> str:
    if isinstance(row, HiddenRow):
        hidden = f'<table:table-row table:visibility="{row.visibility}"'
        return _row(RepeatedRow(row.cells, row.times)).replace("<table:table-row", hidden, 1)
    if isinstance(row, RepeatedRow):
        return _row(row.cells).replace(
            "<table:table-row", f'<table:table-row table:number-rows-repeated="{row.times}"', 1
        )
    return "<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>"  # type: ignore[attr-defined]


def _cell(value: object) -> str:
    if isinstance(value, Repeated):
        repeated = f'<table:table-cell table:number-columns-repeated="{value.times}"'
        return _cell(value.value).replace("<table:table-cell", repeated, 1)
    if isinstance(value, Spanned):
        spans = (
            f'<table:table-cell table:number-columns-spanned="{value.columns}" '
            f'table:number-rows-spanned="{value.rows}"'
        )
        return _cell(value.value).replace("<table:table-cell", spans, 1)
    if isinstance(value, Covered):
        return f'<table:covered-table-cell table:number-columns-repeated="{value.times}"/>'
    if isinstance(value, OdsError):
        return (
            '<table:table-cell table:formula="of:=VLOOKUP([.A2];$DS.A1:B9;2;0)" '
            'office:value-type="string" office:string-value="" calcext:value-type="error">'
            f"<text:p>{escape(value.text)}</text:p></table:table-cell>"
        )
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
        "</text:p></table:table-cell>"
    )


def write_ods(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> Path:
    tables = []
    for name, rows in sheets:
        body = "".join(_row(row) for row in rows)
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", HEAD + "".join(tables) + TAIL, zipfile.ZIP_DEFLATED)
    return path
