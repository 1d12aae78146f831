"""Household table on 100,000 households (DESIGN.md §8): how long until the page
shows its first rows, and how long a search keystroke takes to update the table.

    QT_QPA_PLATFORM=offscreen python bench/households_table_bench.py [--rows 100000]

Goals: opening ≤ 0.5 s; a keystroke ≤ 50 ms (median and p95; the 250 ms debounce
is not counted: the clock starts when the query fires). The households are written
without a code, as made before migration 0011: the last keystrokes type one's derived
code from the register, the search's worst case (the first such search derives every
household's code, timed on its own). Each keystroke is compared
with raw sqlite3 running the very statements SQLAlchemy sent for it.

The rows are written with SQLAlchemy Core, column for column what the households
service writes (audit and change log left out: the table never reads them), so a
100k commune takes seconds to build instead of an hour of single transactions.
The triggers of the search index queue every row written; the queue is folded
into the index once after the fill (timed on its own), as an import does at its end,
so the first keystroke does not pay for 100,000 new households.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import event, insert, select  # noqa: E402
from uuid6 import uuid7  # noqa: E402

from nhao.config import resolve_database  # noqa: E402
from nhao.domain.citizen_id import PROVINCE_CODES  # noqa: E402
from nhao.domain.enums import CaseStatus, HouseClass, Need  # noqa: E402
from nhao.domain.household_code import derived_household_code  # noqa: E402
from nhao.domain.text import fold  # noqa: E402
from nhao.models import Household, SupportCase  # noqa: E402
from nhao.models.database import Database  # noqa: E402
from nhao.services import setup, units, users  # noqa: E402
from nhao.services.household_search import (  # noqa: E402
    Search,
    households_by_code,
    refresh_search_index,
)
from nhao.services.households import CATEGORY_COLUMNS  # noqa: E402
from nhao.ui.context import AppContext  # noqa: E402
from nhao.ui.households.page import HouseholdsPage  # noqa: E402
from nhao.ui.prompts import Prompts  # noqa: E402
from nhao.ui.task_runner import InlineTaskRunner  # noqa: E402

OPEN_GOAL_S = 0.5
KEYSTROKE_GOAL_S = 0.050
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Nông", "Lò", "Giàng", "Vi", "Triệu", "Hà", "Đinh", "Ma")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "A", "Seo", "Thị Thu", "Văn Hữu", "Ngọc", "Quang")
GIVEN = ("An", "Ấn", "Bình", "Chiến", "Dình", "Dũng", "Hoa", "Hùng", "Lan", "Mẩy", "Páo",
         "Sáng", "Tư", "Thắng", "Thảo", "Tiến", "Vàng", "Xuân", "Yến", "Khánh", "Phúc")
ETHNIC = ("Kinh", "Tày", "Nùng", "Dao", "Mông", "Thái", "Mường", "Sán Chay")
HAMLETS = [f"Thôn {n}" for n in ("Nà Pàn", "Khuổi Hẩu", "Pác Làng", "Bản Chang", "Nà Mò",
                                  "Cốc Xả", "Phiêng Luông", "Lũng Vài", "Nà Cáy", "Bó Bẩu",
                                  "Khau Liêu", "Nặm Thoong")]
# About thirty keystrokes: a name typed letter by letter, then with marks, then an ID.
KEYSTROKES = (
    [("nguyen van an"[:i]) for i in range(1, 14)]
    + [("thị hoa"[:i]) for i in range(1, 8)]
    + [("Hoàng"[:i]) for i in range(2, 6)]
    + [("0010850"[:i]) for i in range(3, 8)]
    + ["xyz"]  # nothing matches: the whole table is scanned
)


def code_keystrokes(db: Database) -> list[str]:
    """A household's "Mã hộ" as a clerk types it from the register, with and without
    its dash (derived from its id: the rows have no stored code)."""
    with db.engine.connect() as conn:
        first = conn.execute(select(Household.id).limit(1)).scalar_one()
    code = derived_household_code(first)
    return [code[:5], code[:7], code, code.replace("-", "").lower()]


def fill(db: Database, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    admin = users.authenticate(db, "admin", "demo")
    hamlets = [h.code for h in units.add_hamlets(db, admin, HAMLETS)]
    station = units.station_info(db).station_id
    now = datetime.now(UTC).replace(tzinfo=None)
    provinces = sorted(PROVINCE_CODES)
    classes = [c.value for c in HouseClass]
    statuses = [s.value for s in CaseStatus]
    households, cases = [], []
    for i in range(rows):
        name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        year = rnd.randint(1930, 2004)
        male = rnd.random() < 0.5
        draw = rnd.random()
        if draw < 0.85:
            digit = (0 if year < 2000 else 2) + (0 if male else 1)
            serial = rnd.randrange(10**6)
            cid, kind = f"{rnd.choice(provinces)}{digit}{year % 100:02d}{serial:06d}", "cccd"
        elif draw < 0.9:
            cid, kind = f"{rnd.randrange(10**9):09d}", "cmnd"
        else:
            cid, kind = None, None
        house = rnd.choice(classes) if rnd.random() < 0.6 else None
        need = {None: None, "temporary": "new_build", "no_house": "new_build",
                "dilapidated": "repair", "deficient_area": "repair"}.get(house, Need.none.value)
        row = {
            "id": uuid7(), "unit_code": rnd.choice(hamlets), "created_at": now,
            "updated_at": now, "origin_station": station, "changed_by": station,
            "hlc": f"{i:015d}:00000:{station}", "head_name": name, "head_name_key": fold(name),
            "citizen_id": cid, "citizen_id_kind": kind, "birth_year": year,
            "sex": "male" if male else "female", "ethnicity": rnd.choice(ETHNIC),
            "phone": f"09{rnd.randrange(10**8):08d}", "address": "", "members": rnd.randint(1, 9),
            "poverty_list_year": 2025, "lawful_land_use": True,
            "land_certificate": rnd.random() < 0.7,
            "land_dispute": False, "hazard_zone": rnd.random() < 0.05,
            "certified_able_to_build": False, "notes": "",
            "latest_house_class": house, "latest_need": need if house else None,
        }
        for column in CATEGORY_COLUMNS.values():
            row[column] = rnd.random() < 0.3
        households.append(row)
        if rnd.random() < 0.15:
            cases.append({
                "id": uuid7(), "unit_code": row["unit_code"], "created_at": now, "updated_at": now,
                "origin_station": station, "changed_by": station, "hlc": row["hlc"],
                "household_id": row["id"], "kind": "new_build", "planned_year": 2025,
                "status": rnd.choice(statuses),
            })
    with db.engine.begin() as conn:
        for start in range(0, len(households), 10_000):
            conn.execute(insert(Household.__table__), households[start : start + 10_000])
        conn.execute(insert(SupportCase.__table__), cases)


class Statements:
    """Records what SQLAlchemy sends, so raw sqlite3 can run exactly the same."""

    def __init__(self, db: Database) -> None:
        self.sent: list[tuple[str, object]] = []
        event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            self.sent.append((statement, parameters))

    def take(self) -> list[tuple[str, object]]:
        sent, self.sent = self.sent, []
        return sent


def raw_time(path: Path, statements: list[tuple[str, object]]) -> float:
    conn = sqlite3.connect(path)
    try:
        start = time.perf_counter()
        for statement, parameters in statements:
            conn.execute(statement, parameters).fetchall()
        return time.perf_counter() - start
    finally:
        conn.close()


class PaintWatch(QObject):
    """Counts the paints of the table, so the clock stops when people would see rows."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False

    def wait(self, app: QApplication, before: int) -> None:
        deadline = time.perf_counter() + 5
        while self.paints == before and time.perf_counter() < deadline:
            app.processEvents()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def verdict(value: float, goal: float) -> str:
    return "ok" if value <= goal else "SLOWER THAN GOAL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="nhao-bench-") as folder:
        path = Path(folder) / "bench.sqlite"
        os.environ["NHAO_HOME"] = folder
        db = Database(resolve_database(path))
        db.open()
        setup.initialize(db, unit_code="06112", admin_username="admin", admin_password="demo")
        start = time.perf_counter()
        fill(db, args.rows)
        print(f"filled {args.rows:,} households in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        with db.engine.begin() as conn:
            refresh_search_index(conn)
        print(f"search index caught up in {time.perf_counter() - start:.1f} s")
        ctx = AppContext(
            db=db, actor=users.authenticate(db, "admin", "demo"),
            station=units.station_info(db), runner=InlineTaskRunner(), prompts=Prompts(),
        )
        statements = Statements(db)
        opens = []
        for _ in range(args.opens):
            start = time.perf_counter()
            page = HouseholdsPage(ctx)
            watch = PaintWatch(page.table.viewport())
            page.resize(1176, 700)  # what the main window leaves on a 1366×768 screen
            page.show()
            while page.model.rowCount() == 0:
                app.processEvents()
            watch.wait(app, 0)
            opens.append(time.perf_counter() - start)
            if len(opens) < args.opens:
                page.close()
                page.deleteLater()
                app.processEvents()
        open_raw = raw_time(path, statements.take()[-2:])
        # Each keystroke is typed in several rounds and its fastest round kept: other
        # programs on the machine only ever add time, never take it away.
        keystrokes = [*KEYSTROKES, *code_keystrokes(db)]
        with db.session() as session:
            start = time.perf_counter()
            households_by_code(session, Search.of(keystrokes[-1]))  # type: ignore[arg-type]
            first_code = time.perf_counter() - start
        rounds: list[list[float]] = [[] for _ in keystrokes]
        raw_rounds: list[list[float]] = [[] for _ in keystrokes]
        found = [""] * len(keystrokes)
        for _round in range(args.rounds):
            for i, text in enumerate(keystrokes):
                page.filters.search.setText(text)  # starts the debounce timer …
                app.processEvents()  # (the search box repaints itself: not part of the answer)
                statements.take()
                before = watch.paints
                start = time.perf_counter()
                page.filters.timer.stop()
                page.apply_filters()  # … which fires here, with the clock running
                if statements.sent:  # a query ran: wait until the table has painted its answer
                    watch.wait(app, before)
                rounds[i].append(time.perf_counter() - start)
                raw_rounds[i].append(raw_time(path, statements.take()))
                total = page.model.total()
                found[i] = f"{total:,}+" if page.model.total_is_capped() else f"{total:,}"
            page.filters.search.setText("")
            page.apply_filters()
        keys = [min(r) for r in rounds]
        raws = [min(r) for r in raw_rounds]
        db.dispose()
    ms = 1000
    print(f"machine load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cpus")
    print(f"open (first, cold caches): {opens[0] * ms:7.1f} ms   goal ≤ {OPEN_GOAL_S * ms:.0f} ms"
          f"  {verdict(opens[0], OPEN_GOAL_S)}")
    warm = min(opens[1:]) if len(opens) > 1 else opens[0]
    print(f"open (fastest later one):  {warm * ms:7.1f} ms   raw sqlite3 {open_raw * ms:.1f} ms")
    median, p95 = statistics.median(keys), percentile(keys, 0.95)
    raw_median = statistics.median(raws)
    goal = f"goal ≤ {KEYSTROKE_GOAL_S * ms:.0f} ms"
    print(f"keystroke median:          {median * ms:7.1f} ms   {goal}"
          f"  {verdict(median, KEYSTROKE_GOAL_S)}")
    print(f"keystroke p95:             {p95 * ms:7.1f} ms   {goal}"
          f"  {verdict(p95, KEYSTROKE_GOAL_S)}")
    print(f"raw sqlite3 same queries:  {raw_median * 1000:7.1f} ms median  "
          f"(page / raw = {median / raw_median:.2f}×)")
    print(f"first search by a derived code (derives them all): {first_code * ms:.1f} ms")
    print(f"\nper keystroke, fastest of {args.rounds} rounds (ms, page / raw sqlite3, matches):")
    for text, took, raw, total in zip(keystrokes, keys, raws, found, strict=True):
        print(f"  {text!r:18} {took * 1000:7.1f} {raw * 1000:7.1f} {total:>8}")
    ok = opens[0] <= OPEN_GOAL_S and p95 <= KEYSTROKE_GOAL_S
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
