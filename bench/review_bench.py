"""Benchmark: deciding many possible duplicates and conflicts at once (Sync page).

    python bench/review_bench.py [--pairs 20000] [--conflicts 1000]

A commune database with two households per pair (written through the bulk inserter,
as the imports write them), the pairs listed as a merge lists them and conflicts over
phone numbers; then, timed: reading the pairs, marking every pair "different" in one
go, and resolving every conflict in one go, through the services the window calls.
`nhao verify` must find the audit chain whole afterwards. There is no goal in
DESIGN.md §8 for this; the numbers say whether a province's officer waits seconds
or minutes. The baseline printed beside them is one pair marked by itself.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PASSWORD = "demo-pass"


def build(folder: Path, pairs: int, conflicts: int):  # type: ignore[no-untyped-def]
    from nhao.config import resolve_database
    from nhao.domain.text import fold
    from nhao.models import Household
    from nhao.models.database import Database
    from nhao.models.sync import Conflict, DuplicateCandidate
    from nhao.services import setup, units, users
    from nhao.services.bulk_writer import BulkInserter
    from nhao.services.unit_of_work import unit_of_work

    db = Database(resolve_database(folder / "nhao.sqlite"))
    db.open()
    setup.initialize(db, unit_code="06112", admin_username="admin", admin_password=PASSWORD)
    actor = users.authenticate(db, "admin", PASSWORD)
    hamlets = [h.code for h in units.add_hamlets(db, actor, ["Thôn Nà Pàn", "Thôn Bản Chu"])]
    ids: list[str] = []
    with unit_of_work(db, actor) as uow:
        writer = BulkInserter(uow, Household)
        for n in range(2 * max(pairs, conflicts)):
            name = f"Lò Văn Số {n // 2}"
            ids.append(str(writer.add({
                "unit_code": hamlets[n % 2], "head_name": name, "head_name_key": fold(name),
                "birth_year": 1940 + n // 2 % 60, "ethnicity": "Tày", "phone": "0912345678",
                "address": "", "notes": "", "members": 1, "is_poor": True,
                "is_near_poor": False, "is_revolutionary_merit": False,
                "is_policy_family": False, "is_disaster_hit": False, "is_other_hardship": False,
                "lawful_land_use": True, "land_certificate": False, "land_dispute": False,
                "hazard_zone": False, "certified_able_to_build": False,
            })))  # fmt: skip
        writer.flush()
    now = datetime.now()
    with db.transaction() as session:
        session.add_all(
            DuplicateCandidate(household_a=min(ids[2 * n], ids[2 * n + 1]),
                               household_b=max(ids[2 * n], ids[2 * n + 1]),
                               reason="name_birth_year", found_at=now)
            for n in range(pairs)
        )  # fmt: skip
        session.add_all(
            Conflict(entity="household", record_id=ids[n], unit_code=hamlets[n % 2],
                     field="phone", kept_value={"v": "0912345678"}, kept_hlc="1",
                     lost_value={"v": f"09{n:08d}"}, lost_hlc="0", lost_station="khac",
                     detected_at=now, bundle="thon.nhao")
            for n in range(conflicts)
        )  # fmt: skip
    return db, actor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--conflicts", type=int, default=1_000)
    args = parser.parse_args()
    from nhao.services import sync
    from nhao.services.verify import verify

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        db, actor = build(Path(tmp), args.pairs, args.conflicts)
        print(f"built {args.pairs:,} pairs and {args.conflicts:,} conflicts "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        started = time.perf_counter()
        pairs = sync.list_duplicates(db)
        listed = time.perf_counter() - started
        started = time.perf_counter()
        sync.mark_duplicate(db, actor, pairs[0].id, same=False)
        one = time.perf_counter() - started
        started = time.perf_counter()
        marked = sync.mark_duplicates(db, actor, [p.id for p in pairs[1:]], same=False)
        many = time.perf_counter() - started
        conflicts = sync.list_conflicts(db)
        started = time.perf_counter()
        resolved = sync.resolve_conflicts(db, actor, [(c.id, c.lost_value) for c in conflicts])
        resolving = time.perf_counter() - started
        problems = verify(db)
        db.dispose()
    print(f"  pairs read:                {listed:6.2f} s")
    print(f"  one pair marked alone:     {one:6.3f} s")
    print(f"  {marked:,} pairs marked at once: {many:6.2f} s "
          f"({many / max(marked, 1) / one:.3f} × a pair marked alone, per pair)")  # fmt: skip
    print(f"  {resolved:,} conflicts resolved at once: {resolving:6.2f} s")
    print(f"  nhao verify: {'clean' if not problems else problems[:3]}")
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
