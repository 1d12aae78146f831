"""Progress reporting and cancellation for long operations, without Qt.

A long operation is a plain function ``run(inputs, progress, cancel)``: it calls
``progress.update(done, total, message)`` as it goes and ``cancel.raise_if_cancelled()``
at points where stopping leaves nothing half-written. The window adapts both to a
progress dialog with a Cancel button; tests and the command line use them directly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

ProgressCallback = Callable[[int, int, str], None]

# About 20 updates a second: smooth for a progress bar, and cheap enough that a
# loop over 100,000 rows can call update() on every row.
DEFAULT_INTERVAL_S = 0.05


class Cancelled(Exception):
    """The person pressed Cancel; the operation stopped and wrote nothing."""

    def __init__(self, message: str = "Đã hủy theo yêu cầu.") -> None:
        super().__init__(message)
        self.message = message


class CancelToken:
    """Set from the window's thread, read from the worker's thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def check_cancelled(cancel: CancelToken | None) -> None:
    """``cancel.raise_if_cancelled()`` for operations whose token is optional."""
    if cancel is not None:
        cancel.raise_if_cancelled()


class Progress:
    """Forwards progress to ``callback``, at most once per ``interval`` seconds.

    The first update and the final one (done >= total) always go through, so a
    dialog both appears with a message and ends at 100 %.
    """

    def __init__(
        self,
        callback: ProgressCallback | None = None,
        *,
        interval: float = DEFAULT_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._callback = callback
        self._interval = interval
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def update(self, done: int, total: int, message: str = "") -> None:
        if self._callback is None:
            return
        with self._lock:
            now = self._clock()
            final = total > 0 and done >= total
            if not final and self._last is not None and now - self._last < self._interval:
                return
            self._last = now
        self._callback(done, total, message)


NULL_PROGRESS = Progress()
