"""Start to main window on the demo commune (DESIGN.md §8: ≤ 1.5 s).

    QT_QPA_PLATFORM=offscreen python bench/start_bench.py [--runs 5] [--db FILE]

Each run is a new process, timed from its launch until the main window is shown
(signed in with the account's password, as after the sign-in box): the interpreter,
the imports, opening and checking the data file, the pages' first queries. The
baseline, measured in the same run, is a process that only imports PySide6 and
shows an empty QMainWindow. With --db, a database of yours is opened instead of a
fresh demo commune (it must have an account `admin` with password `demo`, or give
--user and --password): a district's file shows what its size costs at start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 1.5
SHOWN = "shown"


def _child(what: str, db: str, user: str, password: str) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])

    class FirstShow(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow):
                print(SHOWN, flush=True)
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstShow()
    app.installEventFilter(watcher)
    if what == "baseline":
        window = QMainWindow()
        window.show()
        return app.exec()
    from nhao import app as nhao_app
    from nhao.config import resolve_database

    return nhao_app.run_window(resolve_database(db), username=user, password=password)


def _time_one(what: str, db: Path, user: str, password: str) -> float:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", what, str(db), user, password],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == SHOWN:
            seconds = time.perf_counter() - started
            break
    else:
        child.wait()
        raise SystemExit(f"the {what} process ended without showing a window")
    child.stdout.read()
    if child.wait() != 0:
        raise SystemExit(f"the {what} process failed")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="open this database instead of a demo commune")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        raise SystemExit(_child(*args.child))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        # Settings, logs and backups of the runs go here, not to the person's own.
        os.environ["NHAO_HOME"] = tmp
        db = args.db
        if db is None:
            db = Path(tmp) / "demo.sqlite"
            subprocess.run(
                [sys.executable, "-m", "nhao", "--db", str(db), "demo", "--no-gui"],
                check=True,
                capture_output=True,
            )
        size_mb = db.stat().st_size / 1e6
        # One start untimed, so every timed one finds the file in the disk cache, as a
        # start does on a laptop in use. (The day's backup begins only after the window
        # shows, and each run ends at that moment: it is not counted.)
        _time_one("nhao", db, args.user, args.password)
        baseline, nhao = [], []
        for _ in range(args.runs):  # turn about, so a busy moment weighs on both alike
            baseline.append(_time_one("baseline", db, args.user, args.password))
            nhao.append(_time_one("nhao", db, args.user, args.password))
    shown_at = statistics.median(nhao)
    empty_at = statistics.median(baseline)
    print(f"database: {db.name if args.db else 'demo commune'} ({size_mb:.1f} MB)")
    print(f"  empty QMainWindow shown          {empty_at:6.2f} s   (median of {args.runs})")
    print(f"  nhao main window shown           {shown_at:6.2f} s   (median of {args.runs})")
    print(f"start / empty window: {shown_at / empty_at:5.2f} ×")
    print(f"start: {shown_at:.2f} s   (goal ≤ {GOAL_S} s)")


if __name__ == "__main__":
    main()
