"""Hybrid logical clock stamps: monotonic, text order = stamp order, ties by station."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.hlc import HLC, observe, tick

stations = st.sampled_from(["a" * 8, "b" * 8, "0192aa"])
walls = st.integers(min_value=0, max_value=10**14)


def test_tick_moves_forward_even_when_the_clock_goes_back() -> None:
    first = tick(None, 1000, "s")
    second = tick(str(first), 900, "s")  # the laptop's clock was set back
    third = tick(str(second), 900, "s")
    assert first < second < third
    assert str(first) < str(second) < str(third)
    assert (second.wall_ms, second.counter) == (1000, 1)


@given(walls, walls, st.integers(0, 99), st.integers(0, 99), stations, stations)
def test_text_order_is_stamp_order(w1, w2, c1, c2, s1, s2) -> None:
    a, b = HLC(w1, c1, s1), HLC(w2, c2, s2)
    assert (a < b) == (str(a) < str(b))
    assert HLC.parse(str(a)) == a


@given(walls, walls, walls, stations)
def test_observe_is_after_both_local_and_remote(local_wall, remote_wall, now, station) -> None:
    local = str(HLC(local_wall, 3, station))
    remote = str(HLC(remote_wall, 7, "zzzz"))
    after = observe(local, remote, now, station)
    assert (after.wall_ms, after.counter) > (local_wall, 3)
    assert (after.wall_ms, after.counter) > (remote_wall, 7)
    assert after.wall_ms >= now
