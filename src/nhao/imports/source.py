"""Opening a spreadsheet and streaming its rows, whatever the format.

.xlsx, .xlsm, .xls and .ods are read with python-calamine, which keeps the cached
value of a formula; .csv with the standard library. Rows come as (row number as
Excel shows it, list of cells indexed by column: A = 0).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import python_calamine as calamine

from .csv_source import CsvSource
from .errors import ImportRejected
from .hidden_rows import hidden_rows
from .legacy_fonts import SAMPLE_ROWS, LegacyCode, SheetFonts, converter, judge_columns
from .ods_errors import error_cells as ods_error_cells
from .ods_merges import merged_cells as ods_merged_cells
from .sniff import SAVE_AS_XLSX, Limits, is_workbook, read_file, read_head, sniff, too_large
from .values import CellError
from .xls_errors import error_cells as xls_error_cells
from .xlsx_errors import ErrorCells, error_cells

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((row, col), (row, col)), 0-based


@dataclass(frozen=True)
class SheetInfo:
    name: str
    hidden: bool


class Source(Protocol):
    path: Path
    kind: str
    digest: bytes  # sha256 of the content read at opening

    @property
    def sheet_names(self) -> list[str]: ...
    def hidden(self, name: str) -> bool: ...
    def merged(self, name: str) -> list[Merge]: ...
    def height(self, name: str) -> int | None: ...
    def rows(self, name: str) -> Iterator[tuple[int, list[object]]]: ...
    def hidden_rows(self, name: str) -> frozenset[int]: ...
    def close(self) -> None: ...


class LegacyAwareSource(Source, Protocol):
    def legacy_code(self, name: str) -> LegacyCode | None: ...


class WorkbookSource:
    """A workbook read by python-calamine. A sheet is parsed once and kept, so the
    header search and the import pass do not pay for parsing twice."""

    def __init__(self, path: Path, kind: str, data: bytes):
        self.path = path
        self.kind = kind
        self.encoding = None
        self._data = data  # the file as read once (sniff.read_file); path names it
        self.digest = hashlib.sha256(data).digest()
        try:
            self._book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except calamine.PasswordError:
            raise ImportRejected(
                f"Tệp {path.name} có đặt mật khẩu; hãy gỡ mật khẩu trong Excel rồi nhập lại."
            ) from None
        except (calamine.CalamineError, ValueError, OSError) as error:
            raise _damaged(path, error) from None
        self._meta = {m.name: m for m in self._book.sheets_metadata}
        self._sheets: dict[str, calamine.CalamineSheet] = {}
        self._error_cells: dict[str, ErrorCells] = {}
        self._ods_merges: dict[str, list[Merge]] = {}

    @property
    def sheet_names(self) -> list[str]:
        return [name for name, m in self._meta.items() if _is_worksheet(m)]

    def hidden(self, name: str) -> bool:
        return self._meta[name].visible != calamine.SheetVisibleEnum.Visible

    def sheet(self, name: str) -> calamine.CalamineSheet:
        if name not in self._sheets:
            try:
                self._sheets[name] = self._book.get_sheet_by_name(name)
            except calamine.WorksheetNotFound:
                raise ImportRejected(
                    f"Tệp {self.path.name} không có trang tính “{name}” "
                    f"(các trang: {', '.join(self.sheet_names)})."
                ) from None
            except (calamine.CalamineError, ValueError) as error:
                raise _damaged(self.path, error) from None
        return self._sheets[name]

    def merged(self, name: str) -> list[Merge]:
        if self.kind == "ods":  # calamine reads no merged ranges from .ods
            self.sheet(name)  # an unknown sheet is refused as for the other kinds
            if name not in self._ods_merges:  # a walk of the sheet: once, not per pass
                self._ods_merges[name] = ods_merged_cells(self._data, name)
            return list(self._ods_merges[name])
        return list(self.sheet(name).merged_cell_ranges or [])

    def height(self, name: str) -> int | None:
        end = self.sheet(name).end
        return end[0] + 1 if end else 0

    def rows(self, name: str) -> Iterator[tuple[int, list[object]]]:
        sheet = self.sheet(name)
        start = sheet.start
        pad: list[object] = [""] * (start[1] if start else 0)
        # By row: a column of errors down the sheet is looked up row by row, not
        # searched through for every row.
        errors: dict[int, list[tuple[int, str]]] = {}
        for (row, column), code in self._errors(name).items():
            errors.setdefault(row, []).append((column, code))
        # iter_rows counts rows from row 1 of the sheet but columns from the first
        # column that holds data; padding puts every cell back under its letter.
        for number, cells in enumerate(sheet.iter_rows(), 1):
            cells = pad + cells if pad else cells
            in_row = errors.get(number)
            if in_row:
                cells = list(cells)
                for column, code in in_row:
                    if column < len(cells):
                        cells[column] = CellError(code)
            yield number, cells

    def hidden_rows(self, name: str) -> frozenset[int]:
        """Rows hidden in the sheet, by hand or by a filter (see hidden_rows)."""
        return hidden_rows(self.kind, self._data, name, self.height(name))

    def _errors(self, name: str) -> ErrorCells:
        """Cells calamine reads as empty that hold a formula error (#N/A, #REF!, …)."""
        if name not in self._error_cells:
            if self.kind in ("xlsx", "xlsm"):
                found = error_cells(self._data, name)
            elif self.kind == "xls":
                found = xls_error_cells(self._data, name)
            elif self.kind == "ods":
                end = self.sheet(name).end  # spread runs of errors only over the sheet
                size = (end[0] + 1, end[1] + 1) if end else (0, 0)
                found = ods_error_cells(self._data, name, size)
            else:
                found = {}
            self._error_cells[name] = found
        return self._error_cells[name]

    def close(self) -> None:
        self._sheets.clear()
        self._book.close()


def _is_worksheet(meta: calamine.SheetMetadata) -> bool:
    return meta.typ in (calamine.SheetTypeEnum.WorkSheet, calamine.SheetTypeEnum.DialogSheet)


def _damaged(path: Path, error: Exception) -> ImportRejected:
    return ImportRejected(
        f"Tệp {path.name} bị hỏng hoặc không đọc được ({error}); {SAVE_AS_XLSX}."
    )


class FontSource:
    """A source whose text typed in an old Vietnamese font encoding (legacy_fonts) comes
    out in Unicode. Each sheet is judged on its first rows, once."""

    def __init__(self, inner: WorkbookSource | CsvSource):
        self.inner = inner
        self.path, self.kind, self.digest = inner.path, inner.kind, inner.digest
        self.encoding = inner.encoding
        # A CSV file read as Windows-1258 turned some of a legacy font's codes into
        # Vietnamese letters and marks: written back, they are the codes again.
        self._as_stored = _cp1258_codes if inner.encoding == "cp1258" else str
        self._fonts: dict[str, SheetFonts] = {}

    @property
    def sheet_names(self) -> list[str]:
        return self.inner.sheet_names

    def hidden(self, name: str) -> bool:
        return self.inner.hidden(name)

    def merged(self, name: str) -> list[Merge]:
        return self.inner.merged(name)

    def height(self, name: str) -> int | None:
        return self.inner.height(name)

    def hidden_rows(self, name: str) -> frozenset[int]:
        return self.inner.hidden_rows(name)

    def legacy_code(self, name: str) -> LegacyCode | None:
        """The encoding the sheet's text, or some of its columns, was converted from."""
        return self._sheet_fonts(name).said

    def _sheet_fonts(self, name: str) -> SheetFonts:
        if name not in self._fonts:
            columns: dict[int, list[str]] = {}
            for number, cells in self.inner.rows(name):
                if number > SAMPLE_ROWS:
                    break
                for index, cell in enumerate(cells):
                    if isinstance(cell, str) and cell:
                        columns.setdefault(index, []).append(cell)
            self._fonts[name] = judge_columns(columns, self._as_stored)
        return self._fonts[name]

    def rows(self, name: str) -> Iterator[tuple[int, list[object]]]:
        fonts = self._sheet_fonts(name)
        if fonts.said is None and fonts.default is None:
            yield from self.inner.rows(name)
            return
        converters = {code: converter(code, self._as_stored) for code in LegacyCode}
        by_column: list[Callable[[str], str] | None] = []
        for number, cells in self.inner.rows(name):
            while len(by_column) < len(cells):
                code = fonts.code(len(by_column))
                by_column.append(converters[code] if code is not None else None)
            yield number, [
                one(cell) if (one := by_column[i]) is not None and isinstance(cell, str) else cell
                for i, cell in enumerate(cells)
            ]

    def close(self) -> None:
        self.inner.close()


def _cp1258_codes(text: str) -> str:
    return text.encode("cp1258", errors="replace").decode("latin-1")


def open_source(path: Path, limits: Limits) -> LegacyAwareSource:
    """Open a file for import, or say in one sentence why it cannot be. A workbook is
    read once, whole, and parsed from those bytes; a CSV file is streamed at each pass,
    each full pass checked against the content first read (CsvSource.rows)."""
    try:
        head = read_head(path, limits)
        data = read_file(path, limits) if is_workbook(head) else head
    except PermissionError:
        # Windows: Excel keeps some files it has open locked against reading as well.
        raise ImportRejected(
            f"Không đọc được tệp {path.name}: tệp đang được một chương trình khác giữ (có thể "
            "đang mở trong Excel) hoặc máy không cho phép đọc; hãy đóng tệp rồi thử lại."
        ) from None
    except OSError as error:  # a network drive gone, a USB stick pulled out
        raise ImportRejected(
            f"Không đọc được tệp {path.name} ({error.strerror or error}); hãy kiểm tra ổ đĩa "
            "chứa tệp rồi thử lại."
        ) from None
    kind = sniff(path, data, limits)
    source = FontSource(CsvSource(path) if kind == "csv" else WorkbookSource(path, kind, data))
    if not source.sheet_names:
        raise ImportRejected(f"Tệp {path.name} không có trang tính nào có dữ liệu.")
    return source


def check_height(source: Source, sheet: str, limits: Limits) -> None:
    height = source.height(sheet)
    if height is not None and height > limits.max_rows:
        raise too_large(source.path, f"{height:,} dòng".replace(",", "."), limits)
