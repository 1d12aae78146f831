"""Progress throttling and cancellation, without Qt."""

from __future__ import annotations

import threading

import pytest

from nhao.tasks import NULL_PROGRESS, Cancelled, CancelToken, Progress, check_cancelled


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_is_throttled_but_first_and_final_updates_pass() -> None:
    seen: list[tuple[int, int, str]] = []
    clock = FakeClock()
    progress = Progress(lambda d, t, m: seen.append((d, t, m)), clock=clock)
    for i in range(100):  # all within the same instant
        progress.update(i, 100, f"row {i}")
    progress.update(100, 100, "done")
    assert seen == [(0, 100, "row 0"), (100, 100, "done")]


def test_progress_passes_again_after_the_interval() -> None:
    seen: list[int] = []
    clock = FakeClock()
    progress = Progress(lambda d, t, m: seen.append(d), clock=clock)
    progress.update(1, 10)
    clock.now = 0.01
    progress.update(2, 10)
    clock.now = 0.06
    progress.update(3, 10)
    assert seen == [1, 3]


def test_at_most_about_twenty_updates_a_second() -> None:
    seen: list[int] = []
    clock = FakeClock()
    progress = Progress(lambda d, t, m: seen.append(d), clock=clock)
    for i in range(1000):  # one second of updates every millisecond
        clock.now = i / 1000
        progress.update(i, 10_000)
    assert 18 <= len(seen) <= 21


def test_no_callback_and_null_progress_do_nothing() -> None:
    NULL_PROGRESS.update(1, 2, "x")
    Progress().update(2, 2)


def test_zero_interval_passes_everything() -> None:
    seen: list[int] = []
    progress = Progress(lambda d, t, m: seen.append(d), interval=0)
    for i in range(5):
        progress.update(i, 10)
    assert seen == [0, 1, 2, 3, 4]


def test_cancel_token_is_seen_from_another_thread() -> None:
    token = CancelToken()
    assert not token.cancelled
    token.raise_if_cancelled()
    check_cancelled(None)
    worker = threading.Thread(target=token.cancel)
    worker.start()
    worker.join()
    assert token.cancelled
    with pytest.raises(Cancelled) as error:
        token.raise_if_cancelled()
    assert "hủy" in str(error.value)
    with pytest.raises(Cancelled):
        check_cancelled(token)


def test_a_long_operation_is_a_plain_function() -> None:
    def run(rows: list[int], progress: Progress, cancel: CancelToken) -> int:
        total = 0
        for i, row in enumerate(rows):
            cancel.raise_if_cancelled()
            total += row
            progress.update(i + 1, len(rows))
        return total

    token = CancelToken()
    seen: list[int] = []

    def stop_at_three(done: int, total: int, message: str) -> None:
        seen.append(done)
        if done == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        run(list(range(10)), Progress(stop_at_three, interval=0), token)
    assert seen == [1, 2, 3]
    assert run([1, 2, 3], NULL_PROGRESS, CancelToken()) == 6
