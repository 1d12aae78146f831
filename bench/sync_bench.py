"""Benchmark: a province merging its communes' bundles (DESIGN.md §8).

    python bench/sync_bench.py [--scale 0.1] [--communes 100] [--pg URL] [--keep DIR]

Builds N commune databases (at --scale 1.0: 100k households, 150k inspections,
100k cases, 200k receipts and payments in all), exports each commune's bundle,
then, each in a process of its own so peak memory is the phase's own:
  * imports every bundle into an empty province database trusting every commune
    key, then imports them all again (all skipped: the re-import);
  * writes the same record rows with raw sqlite3 executemany into the same tables
    of an empty database (once the records only, once with the change-log and
    audit rows the import writes beside them);
  * with --pg, the same import into a fresh PostgreSQL database, in rows/s.
Goals: import ≤ 3 × raw executemany; re-import ≤ 10 % of the first import;
PostgreSQL ≥ 50k rows/s at the 2M-household scale.

The communes are written through services.bulk_writer.BulkInserter, which writes
exactly what the unit of work writes (row, change-log entry, chained audit event)
in executemany batches, so their bundles are real exports; a few hundred times
faster than the per-row services at this size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peak_memory import peak_mb  # bench/ is the script's folder, on its path

PASSWORD = "demo-pass"
PROVINCE = "38"  # Thanh Hóa: 166 communes and wards
TOTALS = {"household": 100_000, "inspection": 150_000, "support_case": 100_000, "voucher": 200_000}
ENTITIES = ("household", "inspection", "support_case", "donor", "receipt", "payment")


def _words(text: str) -> list[str]:
    return text.split()


FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương Hà")
MIDDLE = _words("Văn Thị Đức Minh Hữu Ngọc Thanh Quang Xuân Công")
GIVEN = _words(
    "An Bình Cường Dũng Giang Hà Hải Hạnh Hiếu Hòa Hùng Hương Khánh Lan Linh Long Mai Nam "
    "Nga Nghĩa Ngọc Nhung Phong Phúc Phương Quân Quang Quế Sơn Tâm Tân Thảo Thắng Thành "
    "Thu Thủy Tiến Trang Trung Tú Tuấn Uyên Vân Việt Vinh Xuân Yến Ấn Đào Đông Hằng Hiền "
    "Hoa Huệ Kiên Lâm Lộc Lợi Minh Oanh"
)


# -- building the communes (worker processes) --------------------------------------------


def _open(path: Path):  # type: ignore[no-untyped-def]
    from nhao.config import resolve_database
    from nhao.models.database import Database

    db = Database(resolve_database(path))
    db.open()
    return db


def _full(model, values: dict) -> dict:  # type: ignore[no-untyped-def]
    """Every column the ORM would write: given values, else the column's default."""
    from sqlalchemy import inspect as sa_inspect

    row = {}
    for attr in sa_inspect(model).column_attrs:
        if attr.key in values:
            row[attr.key] = values[attr.key]
        elif attr.key not in ("id", "unit_code"):
            default = attr.columns[0].default
            row[attr.key] = default.arg if default is not None and default.is_scalar else None
    row["unit_code"] = values["unit_code"]
    return row


# Rows of sample data read better one record to a few lines.
# fmt: off
def _households(uow, rng, hamlets, index, counts):  # type: ignore[no-untyped-def]
    """Hamlet by hamlet, as a commune imports its lists."""
    from nhao.domain.text import fold
    from nhao.models import Household
    from nhao.services.bulk_writer import BulkInserter

    out, homes = BulkInserter(uow, Household), []
    per = -(-counts["household"] // len(hamlets))
    for hamlet in hamlets:
        for _ in range(min(per, counts["household"] - len(homes))):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            year = rng.randint(1935, 2000)
            serial = (index * counts["household"] + len(homes)) % 1_000_000
            values = dict(
                unit_code=hamlet, head_name=name, head_name_key=fold(name), birth_year=year,
                citizen_id=f"038{rng.randint(0, 1)}{year % 100:02d}{serial:06d}",
                citizen_id_kind="cccd", sex="male", ethnicity="Kinh", is_poor=True,
                phone=f"09{rng.randint(0, 99_999_999):08d}", poverty_list_year=2024,
                address=f"Số {rng.randint(1, 300)}, {hamlet}", members=rng.randint(1, 8),
            )
            homes.append((out.add(_full(Household, values)), hamlet))
        out.flush()
    return homes


def _inspections_and_cases(uow, rng, homes, counts):  # type: ignore[no-untyped-def]
    from nhao.models import Inspection, SupportCase
    from nhao.services.bulk_writer import BulkInserter

    out = BulkInserter(uow, Inspection)
    for n in range(counts["inspection"]):
        hid, hamlet = homes[n % len(homes)]
        values = dict(
            unit_code=hamlet, household_id=hid, inspector="Tổ khảo sát",
            inspected_on=date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
            foundation_durable=rng.random() < 0.5, frame_walls_durable=rng.random() < 0.5,
            roof_durable=rng.random() < 0.5, usable_area_m2=float(rng.randint(12, 80)),
            house_class="dilapidated", suggested_need="repair", need="repair",
        )
        out.add(_full(Inspection, values))
    out.flush()
    out, case_ids = BulkInserter(uow, SupportCase), []
    for n in range(counts["support_case"]):
        hid, hamlet = homes[n % len(homes)]
        values = dict(
            unit_code=hamlet, household_id=hid, kind="new_build", planned_year=2025,
            status="approved", decision_no=f"{n + 1}/QĐ-UBND", decision_date=date(2025, 3, 1),
        )
        case_ids.append(out.add(_full(SupportCase, values)))
    out.flush()
    return case_ids


def _fund(uow, rng, code, case_ids, counts):  # type: ignore[no-untyped-def]
    """Receipts, then payments: half the vouchers each, numbered without gaps."""
    from nhao.domain.text import fold
    from nhao.domain.vouchers import VoucherBook, format_voucher_number
    from nhao.models import Donor, Payment, Receipt
    from nhao.services.bulk_writer import BulkInserter

    out = {m: BulkInserter(uow, m) for m in (Donor, Receipt, Payment)}
    donors = [
        out[Donor].add(_full(Donor, dict(unit_code=code, name=f"Nhà hảo tâm {d}",
                                         name_key=fold(f"Nhà hảo tâm {d}"))))
        for d in range(20)
    ]
    out[Donor].flush()
    receipts = counts["voucher"] // 2
    for n in range(counts["voucher"]):
        first = n < receipts
        seq = n + 1 if first else n - receipts + 1
        on = date(2025, 1, 1) + timedelta(days=(seq * 300) // max(receipts, 1))
        values = dict(unit_code=code, voucher_year=2025, voucher_seq=seq,
                      method="bank" if n % 3 else "cash", amount=rng.randint(1, 500) * 100_000)
        if first:
            values |= dict(voucher_no=format_voucher_number(VoucherBook.receipt, 2025, seq),
                           received_on=on, donor_id=rng.choice(donors))
            out[Receipt].add(_full(Receipt, values))
        else:
            values |= dict(voucher_no=format_voucher_number(VoucherBook.payment, 2025, seq),
                           paid_on=on, case_id=case_ids[seq % len(case_ids)],
                           instalment="advance", source="fund", payee="Chủ hộ")
            out[Payment].add(_full(Payment, values))
    for inserter in out.values():
        inserter.flush()
# fmt: on


def build_commune(job: tuple[int, str, dict[str, int], str, str]) -> dict:
    """One commune database with its rows, its key file and its bundle."""
    index, code, counts, template, folder = job
    from nhao.services import setup, sync, users
    from nhao.services.sync import keys
    from nhao.services.unit_of_work import unit_of_work
    from nhao.services.units import add_hamlet

    started = time.perf_counter()
    home = Path(folder) / code
    shutil.rmtree(home, ignore_errors=True)  # a --keep folder built at another scale
    home.mkdir(parents=True)
    shutil.copyfile(template, home / "nhao.sqlite")  # migrated once, copied
    db = _open(home / "nhao.sqlite")
    setup.initialize(db, unit_code=code, admin_username="admin", admin_password=PASSWORD)
    actor = users.authenticate(db, "admin", PASSWORD)
    keys.ensure_station_key(db, actor, PASSWORD)
    rng = random.Random(index)
    with unit_of_work(db, actor) as uow:
        hamlets = [add_hamlet(uow, code, f"Thôn {n + 1}").code for n in range(5)]
        homes = _households(uow, rng, hamlets, index, counts)
        case_ids = _inspections_and_cases(uow, rng, homes, counts)
        _fund(uow, rng, code, case_ids, counts)
    built = time.perf_counter() - started  # the rows; the rest is keys and the export
    key_file = home / f"{code}.nhaokey"
    keys.export_public_key(db, key_file)
    fingerprint = keys.show_key(db).fingerprint.lower().replace(" ", "")
    bundle = home / f"{code}.nhao"
    result = sync.export_bundle(db, actor, PASSWORD, bundle)
    db.dispose()
    return dict(code=code, db=str(home / "nhao.sqlite"), key=str(key_file), bundle=str(bundle),
                fingerprint=fingerprint, changes=result.changes, built_s=built)  # fmt: skip


# -- the measured phases (child processes) ------------------------------------------------




def phase_import(db_url: str, bundles: list[str]) -> dict:
    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import sync, users

    db = Database(resolve_database(db_url))
    db.open()
    actor = users.authenticate(db, "admin", PASSWORD)
    paths = [Path(b) for b in bundles]
    t0 = time.perf_counter()
    first = sync.import_bundles(db, actor, paths, password=PASSWORD)
    t1 = time.perf_counter()
    again = sync.import_bundles(db, actor, paths, password=PASSWORD)
    t2 = time.perf_counter()
    db.dispose()
    bad = [r for r in first if r["status"] != "applied"]
    if bad:
        raise SystemExit(f"not applied: {json.dumps(bad[0], ensure_ascii=False)[:600]}")
    new = sum(c["new"] for r in first for c in r["entities"].values())
    skipped = sum(r["status"] == "skipped" for r in again)
    return dict(first_s=t1 - t0, again_s=t2 - t1, new_rows=new, peak_mb=peak_mb(), skipped=skipped)


def phase_raw(template: str, dbs: list[str], with_logs: bool) -> dict:
    """The same record rows (plus, with_logs, the change-log and audit rows) written by
    plain sqlite3 executemany into the same tables, with nhao's pragmas."""
    tables: dict[str, tuple[list[str], list[tuple]]] = {}
    wanted = ENTITIES + (("change_log", "audit_event") if with_logs else ())
    for path in dbs:
        source = sqlite3.connect(path)
        for table in wanted:
            cursor = source.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own tables
            columns, rows = [d[0] for d in cursor.description], cursor.fetchall()
            if table == "change_log":  # the province numbers its own log rows
                columns, rows = columns[1:], [r[1:] for r in rows]
            if table == "audit_event":  # …and its own audit chain
                base = len(tables.get(table, ([], []))[1])
                rows = [(base + n + 1,) + r[1:] for n, r in enumerate(rows)]
            tables.setdefault(table, (columns, []))[1].extend(rows)
        source.close()
    target = Path(tempfile.mkdtemp()) / "raw.sqlite"
    shutil.copyfile(template, target)
    con = sqlite3.connect(target, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = wal", "synchronous = FULL"):
        con.execute(f"PRAGMA {pragma}")
    count = sum(len(rows) for _, rows in tables.values())
    t0 = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for table in wanted:
        columns, rows = tables[table]
        marks = ",".join("?" * len(columns))
        con.executemany(f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", rows)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    shutil.rmtree(target.parent)
    return {"raw_s": elapsed, "rows": count, "peak_mb": peak_mb()}


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", *args], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"phase {args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the province ------------------------------------------------------------------------


def make_province(url_or_path: str, communes: list[dict]) -> None:
    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import setup, users
    from nhao.services.sync import keys

    db = Database(resolve_database(url_or_path))
    db.open()
    setup.initialize(db, unit_code=PROVINCE, admin_username="admin", admin_password=PASSWORD)
    actor = users.authenticate(db, "admin", PASSWORD)
    keys.ensure_station_key(db, actor, PASSWORD)
    for c in communes:
        keys.trust_key(db, actor, Path(c["key"]), c["fingerprint"], "child")
    db.dispose()


def _pg(url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--pg", help="postgresql+psycopg://… server for the PostgreSQL run")
    parser.add_argument("--keep", type=Path, help="build here and keep the databases")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        kind, *rest = args.phase
        if kind == "import":
            result = phase_import(rest[0], json.loads(Path(rest[1]).read_text()))
        else:
            result = phase_raw(rest[0], json.loads(Path(rest[1]).read_text()), kind == "raw-all")
        print(json.dumps(result))
        return

    from vietnam_provinces import Ward

    work = args.keep or Path(tempfile.mkdtemp(prefix="nhao-sync-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("NHAO_HOME", str(work / "home"))  # server side files
    codes = sorted(f"{int(w.code):05d}" for w in Ward.iter_all() if int(w.province_code) == 38)
    n = min(args.communes, len(codes))
    counts = {k: max(1, round(v * args.scale / n)) for k, v in TOTALS.items()}
    template = work / "template.sqlite"
    built = work / "communes.json"
    t0 = time.perf_counter()
    kept = json.loads(built.read_text()) if built.exists() else []
    if len(kept) == n and kept[0].get("counts") == counts:
        communes = kept  # --keep: the same communes again
    else:
        template.unlink(missing_ok=True)
        _open(template).dispose()
        jobs = [(i, codes[i], counts, str(template), str(work)) for i in range(n)]
        with ProcessPoolExecutor(args.workers) as pool:
            communes = [dict(c, counts=counts) for c in pool.map(build_commune, jobs)]
    build_s = time.perf_counter() - t0
    lists, dbs = work / "bundles.json", work / "dbs.json"
    lists.write_text(json.dumps([c["bundle"] for c in communes]))
    dbs.write_text(json.dumps([c["db"] for c in communes]))
    (work / "communes.json").write_text(json.dumps(communes))  # to profile a phase again
    size = sum(Path(c["bundle"]).stat().st_size for c in communes) / 1e6
    changes = sum(c["changes"] for c in communes)
    print(f"{n} communes × {counts} built and exported in {build_s:.1f} s ({args.workers} "
          f"processes; {changes} changes, bundles {size:.1f} MB)")  # fmt: skip

    province = work / "province" / "nhao.sqlite"
    shutil.rmtree(province.parent, ignore_errors=True)
    province.parent.mkdir()
    make_province(str(province), communes)
    imp = _child("import", str(province), str(lists))
    raw, raw_all = (_child(kind, str(template), str(dbs)) for kind in ("raw", "raw-all"))
    rows, first = imp["new_rows"], imp["first_s"]
    print(
        f"province import (SQLite): {first:.2f} s for {rows} new rows ({rows / first:,.0f} rows/s)"
        f", peak memory {imp['peak_mb']:.0f} MB\n  raw sqlite3 executemany, records only: "
        f"{raw['raw_s']:.2f} s ({raw['rows']} rows) → ratio {first / raw['raw_s']:.1f}× (goal ≤ 3×)"
        f"\n  raw, records + change log + audit rows: {raw_all['raw_s']:.2f} s ({raw_all['rows']} "
        f"rows) → ratio {first / raw_all['raw_s']:.1f}×\nre-import of all {n} bundles: "
        f"{imp['again_s']:.2f} s ({imp['skipped']} skipped) → "
        f"{100 * imp['again_s'] / first:.1f} % of the first (goal ≤ 10 %)"
    )
    if args.pg:
        name = f"nhao_bench_{uuid.uuid4().hex[:10]}"
        _pg(args.pg, f'CREATE DATABASE "{name}"')
        try:
            make_province(args.pg.rsplit("/", 1)[0] + "/" + name, communes)
            pg = _child("import", args.pg.rsplit("/", 1)[0] + "/" + name, str(lists))
            print(
                f"province import (PostgreSQL): {pg['first_s']:.2f} s → "
                f"{pg['new_rows'] / pg['first_s']:,.0f} rows/s (goal ≥ 50k rows/s at 2M "
                f"households); re-import {pg['again_s']:.2f} s; peak {pg['peak_mb']:.0f} MB"
            )
        finally:
            _pg(args.pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
