"""A minimal Excel 97–2003 (.xls, BIFF8) writer, so the tests can make .xls files
themselves: no maintained Python package writes .xls any more. It writes what a
reader needs and nothing else: an OLE compound file with one "Workbook" stream
holding the sheet names (visible or hidden), a shared-string table, text cells
(LABELSST), number cells (NUMBER), and error cells, typed (BOOLERR) or a formula's
cached result (FORMULA)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SECTOR = 512
END, FREE, FAT_SECTOR, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
MINI_CUTOFF = 4096

ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17,
               "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}


@dataclass(frozen=True)
class XlsError:
    """An error cell: typed as such, or (formula=True) a formula whose cached result
    is the error, as a VLOOKUP that found nothing leaves it."""

    text: str
    formula: bool = False


Cell = str | int | float | XlsError | None


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _unicode(text: str, length_bytes: int) -> bytes:
    fmt = "<B" if length_bytes == 1 else "<H"
    return struct.pack(fmt, len(text)) + b"\x01" + text.encode("utf-16-le")


def _sheet_stream(
    rows: Sequence[Sequence[Cell]], strings: dict[str, int], hidden: Sequence[int] = ()
) -> bytes:
    width = max((len(r) for r in rows), default=0)
    out = [_bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))]
    for r in hidden:  # ROW records, 0-based: flags 0x20 hides the row, 0x100 is always set
        out.append(_record(0x0208, struct.pack("<HHHHHHHH", r, 0, width, 0xFF, 0, 0, 0x120, 15)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, XlsError):
                out.append(_error_cell(r, c, value))
            elif isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                out.append(_record(0x00FD, struct.pack("<HHHI", r, c, 0, index)))
            else:
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, 0, float(value))))
    out.append(_record(0x000A, b""))
    return b"".join(out)


def _error_cell(row: int, column: int, error: XlsError) -> bytes:
    code = ERROR_CODES[error.text]
    if not error.formula:
        return _record(0x0205, struct.pack("<HHHBB", row, column, 0, code, 1))
    cached = struct.pack("<BBBBBBH", 2, 0, code, 0, 0, 0, 0xFFFF)
    tokens = struct.pack("<BB", 0x1C, code)  # ptgErr: the formula is the error itself
    return _record(
        0x0006,
        struct.pack("<HHH", row, column, 0) + cached + struct.pack("<HIH", 0, 0, len(tokens))
        + tokens,
    )


def workbook_stream(
    sheets: Sequence[tuple[str, bool, Sequence[Sequence[Cell]]]], hidden_rows: Sequence[int] = ()
) -> bytes:
    """hidden_rows (0-based) are hidden in the first sheet."""
    strings: dict[str, int] = {}
    bodies = [
        _sheet_stream(rows, strings, hidden_rows if i == 0 else ())
        for i, (_, _, rows) in enumerate(sheets)
    ]
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        _unicode(s, 2) for s in sorted(strings, key=strings.__getitem__)
    )
    head = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200))]
    bound_sizes = [4 + 6 + len(_unicode(name, 1)) for name, _, _ in sheets]
    tail = [_record(0x00FC, sst), _record(0x000A, b"")]
    offset = sum(map(len, head)) + sum(bound_sizes) + sum(map(len, tail))
    bounds = []
    for (name, hidden, _), body in zip(sheets, bodies, strict=True):
        data = struct.pack("<IBB", offset, 1 if hidden else 0, 0) + _unicode(name, 1)
        bounds.append(_record(0x0085, data))
        offset += len(body)
    return b"".join(head + bounds + tail + bodies)


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NO_STREAM, NO_STREAM, child)
        + b"\0" * 16  # class id
        + b"\0" * 20  # state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """An OLE compound file with one stream, kept out of the mini stream by padding.
    Layout: FAT sectors first, then the directory sector, then the stream; up to the
    109 FAT sectors the header lists (about 7 MB of stream)."""
    size = max(len(stream), MINI_CUTOFF)
    stream = stream.ljust(size, b"\0")
    sectors = -(-size // SECTOR)
    per_fat = SECTOR // 4
    fat_sectors = 1
    while fat_sectors * per_fat < fat_sectors + 1 + sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "stream too large for this writer"
    directory_at, stream_at = fat_sectors, fat_sectors + 1
    fat = [FAT_SECTOR] * fat_sectors + [END]
    fat += [stream_at + i + 1 for i in range(sectors - 1)] + [END]
    fat += [FREE] * (fat_sectors * per_fat - len(fat))
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII", 0, fat_sectors, directory_at, 0, MINI_CUTOFF, END, 0, END, 0
        )
        + struct.pack("<109I", *difat)
    )
    directory = (
        _entry("Root Entry", 5, 1, END, 0)
        + _entry(name, 2, NO_STREAM, stream_at, size)
        + _entry("", 0, NO_STREAM, 0, 0) * 2
    )
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + stream.ljust(sectors * SECTOR, b"\0")
    return header + body


def write_xls(
    path: Path,
    sheets: Sequence[tuple[str, bool, Sequence[Sequence[Cell]]]],
    hidden_rows: Sequence[int] = (),
) -> Path:
    """sheets: (name, hidden, rows of cells); hidden_rows: of the first sheet, 0-based."""
    path.write_bytes(compound_file(workbook_stream(sheets, hidden_rows)))
    return path
