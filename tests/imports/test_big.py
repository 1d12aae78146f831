"""Memory stays bounded on huge sheets: rows stream, and a sheet over the limit is
refused before anything loads it."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from nhao.imports.errors import ImportRejected
from nhao.models.database import Database
from nhao.services.actor import Actor
from nhao.services.household_import import ImportOptions, import_file

NOTE = "ghi chú dài " * 20  # 240 characters that a row carries and the import must not keep


def write_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("STT,Họ và tên chủ hộ,Năm sinh,Số CCCD,Thôn,Diện,Số nhân khẩu,Ghi chú\n")
        for i in range(rows):
            out.write(f"{i + 1},Nguyễn Văn Số {i},{1940 + i % 60},,Nà Pàn,HN,{1 + i % 7},"
                      f"{NOTE}{i}\n")
    return path


def _peak(db: Database, admin: Actor, path: Path) -> float:
    tracemalloc.start()
    try:
        report = import_file(db, admin, path, ImportOptions(), dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.summary()["error"] == 0
    return peak


def test_rows_stream_through(db: Database, admin: Actor, tmp_path: Path) -> None:
    """Memory grows only by what the report keeps per row (status, name, duplicate keys):
    less than the row's own text, where keeping the rows (a list of str objects each)
    would cost twice that and more."""
    small, large = 5_000, 10_000
    peak_small = _peak(db, admin, write_csv(tmp_path / "nho.csv", small))
    path = write_csv(tmp_path / "lon.csv", large)
    peak_large = _peak(db, admin, path)
    per_row = (peak_large - peak_small) / (large - small)
    row_bytes = path.stat().st_size / large
    assert per_row < row_bytes, f"{per_row:.0f} bytes kept per row of {row_bytes:.0f}"


def write_huge_xlsx(path: Path, rows: int) -> Path:
    """A real one-million-row sheet, written as XML straight into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'))
        z.writestr("xl/workbook.xml", (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006'
                        b'/main"><sheetData>')
            chunk = []
            for r in range(1, rows + 1):
                chunk.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
                if len(chunk) == 50_000:
                    sheet.write(b"".join(chunk))
                    chunk.clear()
            sheet.write(b"".join(chunk) + b"</sheetData></worksheet>")
    return path


@pytest.mark.slow
def test_a_million_row_sheet_is_refused_without_loading_it(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = write_huge_xlsx(tmp_path / "trieu-dong.xlsx", 1_000_000)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as error:
            import_file(db, admin, path, ImportOptions())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "quá lớn" in str(error.value) and "200.000 dòng" in str(error.value)
    assert peak < 16 * 1024 * 1024
    assert time.perf_counter() - started < 20
