"""Benchmark: writing the 100,000-household register as xlsx (DESIGN.md §8).

    python bench/register_export_bench.py [--rows 100000] [--db FILE --password PW]

Writes the same register-shaped rows, each in its own process one after the other in
the same run: nhao's register writer (xlsxwriter in constant-memory mode, with the
register's formats, text cells, row heights and print settings); raw xlsxwriter in
constant-memory mode writing the same values with no formats at all (the floor nhao's
writer is measured against); and raw openpyxl write-only mode, the library nhao wrote
with before (its floor, no styles either). Prints each time and peak memory, and the
ratios. With --db, also times `nhao households export` of that database (a copy of
it: the export adds an audit event), reading included.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date
from pathlib import Path

from peak_memory import peak_mb  # bench/ is the script's folder, on its path

SURNAMES = ("Nguyễn", "Hoàng", "Lò", "Triệu", "Nông", "Giàng", "Đặng", "Vi")
GIVEN = ("Văn An", "Thị Bé", "Văn Cường", "Thị Dung", "Seo Páo", "Văn Hữu Khánh")
HAMLETS = ("Thôn Nà Pàn", "Thôn Cốc Lùng", "Thôn Khau Bon", "Bản Chu", "Thôn Khuổi Hẩu")
CATEGORIES = ("Hộ nghèo", "Hộ cận nghèo", "Hộ nghèo; Người có công với cách mạng")
NOTES = (
    "",
    "",
    "",
    "Mái dột",
    "Khảo sát 12/3: mái dột, tường nứt, cần hỗ trợ trước mùa mưa bão năm nay",
    "Khảo sát 12/3:\n- mái dột\n- tường nứt",
    "=ghi chú bắt đầu bằng dấu bằng",
)


def values(rows: int):  # type: ignore[no-untyped-def]
    """Rows as household_export._cells makes them: numbers, text, digits, marks."""
    from nhao.domain.household_code import derived_household_code

    for i in range(rows):
        year = 1940 + i % 60
        yield [
            i + 1,
            derived_household_code(uuid.UUID(int=i)),
            f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]} {i}",
            year,
            "Nam" if i % 2 else "Nữ",
            "Tày",
            f"020{(1 - i % 2)}{year % 100:02d}{i:06d}" if i % 5 else "",
            f"09{i:08d}" if i % 3 else None,
            HAMLETS[i % len(HAMLETS)],
            f"Số {i % 300}, đường {i % 17}, {HAMLETS[i % len(HAMLETS)]}",
            CATEGORIES[i % 3],
            2024,
            1 + i % 8,
            "x",
            "x" if i % 3 else "",
            "",
            "x" if i % 7 == 0 else "",
            "x" if i % 4 else "",
            NOTES[i % len(NOTES)],
        ]


def columns():  # type: ignore[no-untyped-def]
    from nhao.imports.headers import FIELD_LABELS
    from nhao.reports.register_xlsx import Column, fit
    from nhao.services.household_export import REGISTER

    longest = {"head_name": 28, "ethnicity": 3, "hamlet": 15, "address": 35, "categories": 40,
               "notes": 45, "row_no": 6, "birth_year": 4, "sex": 3, "citizen_id": 12,
               "phone": 12, "household_code": 11}  # fmt: skip
    return [
        Column(FIELD_LABELS[name], kind, fit(FIELD_LABELS[name], longest.get(name, 2)))
        for name, kind in REGISTER
    ]




def run_one(what: str, rows: int, out: Path, db: str, password: str) -> dict[str, float]:
    if sys.platform == "win32":
        tracemalloc.start()
    if what == "nhao":
        from nhao.reports.register_xlsx import write_register

        cols = columns()
        started = time.perf_counter()
        write_register(out, title="DANH SÁCH HỘ GIA ĐÌNH – XÃ BÌNH GIA",
                       sheet_name="Danh sách hộ", columns=cols, rows=values(rows),
                       exported_on=date.today())  # fmt: skip
        seconds = time.perf_counter() - started
    elif what == "xlsxwriter":
        import xlsxwriter

        started = time.perf_counter()
        book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        sheet = book.add_worksheet("Danh sách hộ")
        sheet.write_string(0, 0, "DANH SÁCH HỘ GIA ĐÌNH – XÃ BÌNH GIA")
        for col, column in enumerate(columns()):
            sheet.write_string(1, col, column.header)
        for at, row in enumerate(values(rows), 2):
            for col, value in enumerate(row):
                if isinstance(value, str):
                    if value:
                        sheet.write_string(at, col, value)
                elif value is not None:
                    sheet.write_number(at, col, value)
        book.close()
        seconds = time.perf_counter() - started
    elif what == "openpyxl":
        from openpyxl import Workbook

        started = time.perf_counter()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Danh sách hộ")
        sheet.append(["DANH SÁCH HỘ GIA ĐÌNH – XÃ BÌNH GIA"])
        sheet.append([column.header for column in columns()])
        for row in values(rows):
            sheet.append([v if v != "" else None for v in row])
        book.save(out)
        seconds = time.perf_counter() - started
    else:  # the command, on a copy of the database
        copy = out.with_suffix(".sqlite")
        shutil.copyfile(db, copy)
        command = ["--db", str(copy), "--password-stdin", "households", "export", str(out)]
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "nhao", *command],
            input=password, text=True, check=True, capture_output=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        copy.unlink()
        return {"seconds": seconds, "peak_mb": peak_mb(children=True)}
    assert out.stat().st_size > 0
    return {"seconds": seconds, "peak_mb": peak_mb()}




def measure(what: str, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    out = folder / f"{what}-{args.rows}.xlsx"
    done = subprocess.run(
        [sys.executable, __file__, "--one", what, str(args.rows), str(out),
         str(Path(args.db).resolve()) if args.db else "",
         args.password],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", help="also time `nhao households export` of (a copy of) this")
    parser.add_argument("--password", default="bench", help="of the database's first admin")
    parser.add_argument("--keep", type=Path, help="keep the written files in this folder")
    parser.add_argument("--one", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        what, rows, out, db, password = args.one
        print(json.dumps(run_one(what, int(rows), Path(out), db, password)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        nhao = measure("nhao", args, folder)
        raw = measure("xlsxwriter", args, folder)
        old = measure("openpyxl", args, folder)
        command = measure("command", args, folder) if args.db else None
        size = (folder / f"nhao-{args.rows}.xlsx").stat().st_size
    print(f"rows: {args.rows:,} (the register: {size / 1e6:.1f} MB)")
    results = [
        ("nhao register writer (xlsxwriter, formats)", nhao),
        ("raw xlsxwriter constant_memory, no formats", raw),
        ("raw openpyxl write-only, no styles", old),
    ]
    if command:
        results.append((f"nhao households export {os.path.basename(args.db)}", command))
    for name, result in results:
        print(f"  {name:<48} {result['seconds']:8.2f} s   peak {result['peak_mb']:7.0f} MB")
    print(f"register / raw xlsxwriter:   {nhao['seconds'] / raw['seconds']:5.2f} ×")
    print(f"raw openpyxl / register:     {old['seconds'] / nhao['seconds']:5.2f} ×")


if __name__ == "__main__":
    main()
