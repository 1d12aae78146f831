"""Putting a finished file in place of the one it replaces."""

from __future__ import annotations

import os
import time
from pathlib import Path

# Waits between tries, 1.55 s in all: what an antivirus scan of a small file takes.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)


def put_in_place(finished: Path, target: Path) -> None:
    """os.replace(finished, target), tried again for a moment while Windows says the
    file is in use. An antivirus, OneDrive or the search indexer opens a file just
    written to look at it, and Windows will not rename a file another program has
    open: the export, backup or photo would fail for a second's bad luck."""
    for delay in RETRY_DELAYS:
        try:
            os.replace(finished, target)
            return
        except PermissionError:
            time.sleep(delay)
    os.replace(finished, target)
