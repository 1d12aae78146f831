"""Benchmark: importing a 100,000-row household list (DESIGN.md §8).

    python bench/import_bench.py [--rows 100000] [--keep DIR]

Makes a register-shaped .xlsx, then measures in separate processes, one after the
other in the same run: a raw python-calamine read of the sheet, pandas.read_excel
with openpyxl, and `nhao households import` of the file into a fresh commune
database (parse, validate, deduplicate, insert with audit trail and change log).
Prints each time, the ratios the goals are set on, and each process's peak memory.
Goals: import ≤ 2.5 × the raw read; import ≥ 5 × faster than pandas + openpyxl.

It also prints a floor: the raw read plus raw sqlite3 executemany of exactly the rows
the import wrote (households, their change-log lines and audit events, taken from
the imported database) into an empty nhao database: what an import that keeps nhao's
schema and bookkeeping spends before parsing or checking a single cell (nhao's
import, too, reads and writes in turns on one thread).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from peak_memory import peak_mb  # bench/ is the script's folder, on its path

HAMLETS = [f"Thôn {n}" for n in ("Nà Pàn", "Cốc Lùng", "Khau Bon", "Nà Lầu", "Bản Chu")]


def make_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from nhao.imports.headers import FIELD_LABELS
    from nhao.services.household_export import REGISTER

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách hộ")
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH – XÃ BÌNH GIA"])
    sheet.append([FIELD_LABELS[name] for name, _ in REGISTER])
    categories = ["Hộ nghèo", "Hộ cận nghèo", "Hộ nghèo; Người có công với cách mạng"]
    for i in range(rows):
        year = 1940 + i % 60
        sheet.append(
            [
                i + 1,
                f"BG-{i:06d}",  # a list's own codes, one per household
                f"Nguyễn Văn Số {i}",
                year,
                "Nam" if i % 2 else "Nữ",
                "Tày",
                f"020{(1 - i % 2)}{year % 100:02d}{i:06d}",
                f"09{i:08d}",
                HAMLETS[i % len(HAMLETS)],
                f"Số {i % 300}, đường {i % 17}",
                categories[i % 3],
                2024,
                1 + i % 8,
                "x",
                "x" if i % 3 else "",
                "",
                "",
                "x" if i % 4 else "",
                "",
            ]
        )
    book.save(path)




def run_one(what: str, path: Path, workdir: Path) -> dict[str, float]:
    if sys.platform == "win32":
        tracemalloc.start()
    if what == "calamine":
        import python_calamine

        started = time.perf_counter()
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python()
        seconds = time.perf_counter() - started
        assert len(rows) > 1
    elif what == "error-scan":
        from nhao.imports.xlsx_errors import error_cells

        started = time.perf_counter()
        found = error_cells(path, "Danh sách hộ")
        seconds = time.perf_counter() - started
        assert len(found) == 1, found
    elif what == "floor":
        seconds = _raw_writes(workdir)
    elif what == "pandas":
        import pandas

        started = time.perf_counter()
        frame = pandas.read_excel(path, engine="openpyxl", header=1, dtype=object)
        seconds = time.perf_counter() - started
        assert len(frame) > 1
    else:
        from nhao.config import resolve_database
        from nhao.models.database import Database
        from nhao.services import setup, units, users
        from nhao.services.household_import import (
            ImportOptions,
            import_file,
            import_limits,
            save_import_limits,
        )
        from nhao.services.verify import verify

        db = Database(resolve_database(workdir / "bench.sqlite"))
        db.open()
        setup.initialize(db, unit_code="06112", admin_username="admin", admin_password="bench")
        admin = users.authenticate(db, "admin", "bench")
        units.add_hamlets(db, admin, HAMLETS)
        limits = import_limits(db)
        save_import_limits(db, admin, type(limits)(max_rows=1_000_000, max_megabytes=500))
        started = time.perf_counter()
        report = import_file(db, admin, path, ImportOptions())
        seconds = time.perf_counter() - started
        summary = report.summary()
        assert summary["error"] == 0, summary
        problems = verify(db)
        assert not problems, problems[:3]
        db.dispose()
    return {"seconds": seconds, "peak_mb": peak_mb()}


FLOOR_TABLES = {
    "household": "SELECT * FROM household",
    "change_log": "SELECT * FROM change_log WHERE entity = 'household'",
    "audit_event": "SELECT * FROM audit_event WHERE entity = 'household'",
}


def _raw_writes(workdir: Path) -> float:
    """Raw executemany of the imported rows into an empty database of the same schema."""
    import sqlite3

    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import setup

    target = workdir / "floor.sqlite"
    for leftover in workdir.glob("floor.sqlite*"):
        leftover.unlink()
    db = Database(resolve_database(target))
    db.open()
    setup.initialize(db, unit_code="06112", admin_username="admin", admin_password="bench")
    db.dispose()
    source = sqlite3.connect(workdir / "bench.sqlite")
    tables = {name: source.execute(query).fetchall() for name, query in FLOOR_TABLES.items()}
    source.close()
    conn = sqlite3.connect(target, isolation_level=None)
    for pragma in (
        "foreign_keys = ON",
        "synchronous = FULL",
        "trusted_schema = OFF",
        "secure_delete = ON",
        "cache_size = -32768",
    ):
        conn.execute(f"PRAGMA {pragma}")
    # What the rows point at (hamlets, the station, the user) is there before the clock runs.
    conn.execute("ATTACH DATABASE ? AS source", (str(workdir / "bench.sqlite"),))
    for name in ("unit", "station", "app_user"):
        conn.execute(f'INSERT OR IGNORE INTO main."{name}" SELECT * FROM source."{name}"')
    conn.execute("DETACH DATABASE source")
    conn.execute("DELETE FROM change_log")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for name, rows in tables.items():
        if name == "audit_event":
            first = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_event").fetchone()[0]
            rows = [(first + n, *row[1:]) for n, row in enumerate(rows, 1)]
        marks = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def _with_one_error(path: Path, workdir: Path) -> Path:
    """The same file with one #N/A cell in its last row, written as Excel writes it."""
    import re
    import zipfile

    copy = workdir / f"loi-{path.name}"
    with zipfile.ZipFile(path) as book, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for info in book.infolist():
            data = book.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cells = list(re.finditer(rb'<c r="F(\d+)"[^>]*?(?:/>|>.*?</c>)', data))
                last = cells[-1]
                error = b'<c r="F%s" t="e"><v>#N/A</v></c>' % last.group(1)
                data = data[: last.start()] + error + data[last.end() :]
            out.writestr(info, data)
    return copy


def measure(what: str, path: Path, workdir: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", what, str(path), str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the generated file in this folder")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        what, path, workdir = args.one
        print(json.dumps(run_one(what, Path(path), Path(workdir))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"ho-{args.rows}.xlsx"
        if not path.exists():
            started = time.perf_counter()
            make_file(path, args.rows)
            print(
                f"made {path.name}: {path.stat().st_size / 1e6:.1f} MB "
                f"in {time.perf_counter() - started:.1f} s"
            )
        raw = measure("calamine", path, Path(tmp))
        scan = measure("error-scan", _with_one_error(path, Path(tmp)), Path(tmp))
        pandas = measure("pandas", path, Path(tmp))
        nhao = measure("import", path, Path(tmp))
        floor = measure("floor", path, Path(tmp))
    print(f"rows: {args.rows:,}")
    for name, result in (
        ("raw python-calamine read", raw),
        ("pandas + openpyxl", pandas),
        ("nhao import (audit, change log, verify clean)", nhao),
    ):
        print(f"  {name:<48} {result['seconds']:8.2f} s   peak {result['peak_mb']:7.0f} MB")
    ratio_raw = nhao["seconds"] / raw["seconds"]
    ratio_pandas = pandas["seconds"] / nhao["seconds"]
    print(f"import / raw read:      {ratio_raw:5.2f} ×   (goal ≤ 2.5)")
    print(f"pandas / import:        {ratio_pandas:5.2f} ×   (goal ≥ 5)")
    print(
        f"Excel error-cell scan (part of the import; one #N/A in the sheet): "
        f"{scan['seconds']:.2f} s = {scan['seconds'] / raw['seconds']:.2f} × the raw read"
    )
    floor_seconds = raw["seconds"] + floor["seconds"]
    print(
        f"floor (raw read + raw executemany of the rows written, {floor['seconds']:.2f} s): "
        f"{floor_seconds:.2f} s = {floor_seconds / raw['seconds']:.2f} × the raw read; "
        f"import / floor: {nhao['seconds'] / floor_seconds:.2f} ×"
    )


if __name__ == "__main__":
    main()
