"""Each benchmark in bench/ runs to its end at a toy size.

Their numbers are not asserted (speed is measured by `make bench`, not by tests), but a
benchmark that no longer runs after a change to the code it drives would otherwise go
unnoticed until someone wants its numbers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
PG_URL = os.environ.get("NHAO_TEST_PG_URL")


def _run(script: str, *args: str, tmp_path: Path) -> str:
    env = dict(os.environ, NHAO_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_import_bench_runs(tmp_path):
    out = _run("import_bench.py", "--rows", "200", "--keep", str(tmp_path), tmp_path=tmp_path)
    assert "rows: 200" in out
    assert "import / raw read:" in out and "pandas / import:" in out
    assert "import / floor:" in out and "Excel error-cell scan" in out
    assert (tmp_path / "ho-200.xlsx").is_file()


def test_register_export_bench_runs(tmp_path):
    out = _run("register_export_bench.py", "--rows", "200", "--keep", str(tmp_path),
               tmp_path=tmp_path)  # fmt: skip
    assert "rows: 200" in out
    assert "register / raw xlsxwriter:" in out and "raw openpyxl / register:" in out
    assert (tmp_path / "nhao-200.xlsx").is_file()


def test_sync_bench_runs(tmp_path):
    args = ["--scale", "0.001", "--communes", "2", "--keep", str(tmp_path / "work")]
    if PG_URL:
        args += ["--pg", PG_URL]
    out = _run("sync_bench.py", *args, tmp_path=tmp_path)
    assert "2 communes" in out
    assert "province import (SQLite)" in out
    assert "re-import of all 2 bundles" in out and "(2 skipped)" in out
    assert ("province import (PostgreSQL)" in out) == bool(PG_URL)


def test_households_table_bench_runs(tmp_path):
    out = _run(
        "households_table_bench.py", "--rows", "300", "--opens", "1", "--rounds", "1",
        tmp_path=tmp_path,
    )  # fmt: skip
    assert "filled 300 households" in out


def test_review_bench_runs(tmp_path):
    out = _run("review_bench.py", "--pairs", "40", "--conflicts", "10", tmp_path=tmp_path)
    assert "39 pairs marked at once" in out and "10 conflicts resolved at once" in out
    assert "nhao verify: clean" in out
