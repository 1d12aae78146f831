"""The details of an unexpected failure, for whoever supports nhao: a file of its own
under the data folder's logs/, while people see one sentence that names it."""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from nhao.config import data_dir


def write_crash_log(error: BaseException, context: str = "") -> Path | None:
    """Write `error` with its traceback (and `context`, a line saying what was being
    done) to logs/crash-<time>.txt; the path, or None when it could not be written."""
    try:
        folder = data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now()
        path = folder / f"crash-{stamp:%Y%m%d-%H%M%S}.txt"
        if path.exists():  # two in the same second (a pile of bundles): keep both
            path = folder / f"crash-{stamp:%Y%m%d-%H%M%S-%f}.txt"
        head = f"{context}\n\n" if context else ""
        path.write_text(head + "".join(traceback.format_exception(error)), encoding="utf-8")
        return path
    except OSError:
        return None
