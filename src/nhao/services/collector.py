"""Python's cycle collector held off while a bulk pass runs.

An import or a merge allocates millions of small objects (cells, rows, change
sets) that live until the pass ends. The collector is set off by allocation counts,
so it runs thousands of times during such a pass and each full run walks every
live object again: about a tenth of a province merge. Reference counting frees
what a pass builds, so the collector is paused for the pass and resumes after it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0  # bulk passes running now (the window runs them on worker threads)
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    global _running, _resume
    with _lock:
        if _running == 0:
            _resume = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _resume:
                gc.enable()
