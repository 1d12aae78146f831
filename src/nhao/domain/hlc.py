"""Hybrid logical clock stamps: wall-clock milliseconds, a counter, the station id.

The text form sorts the same way the stamps order, so databases can compare them
as strings; ties between stations fall to the station id, so every station picks
the same winner whatever the import order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class HLC:
    wall_ms: int
    counter: int
    station: str

    def __str__(self) -> str:
        return f"{self.wall_ms:015d}:{self.counter:05d}:{self.station}"

    @classmethod
    def parse(cls, text: str) -> HLC:
        wall, counter, station = text.split(":", 2)
        return cls(int(wall), int(counter), station)


def tick(last: str | None, now_ms: int, station: str) -> HLC:
    """The stamp of a new local event, after the last one this station issued or saw."""
    if not last:
        return HLC(now_ms, 0, station)
    previous = HLC.parse(last)
    if now_ms > previous.wall_ms:
        return HLC(now_ms, 0, station)
    return HLC(previous.wall_ms, previous.counter + 1, station)


def observe(last: str | None, remote: str, now_ms: int, station: str) -> HLC:
    """Advance past a stamp received from another station."""
    incoming = HLC.parse(remote)
    floor = HLC.parse(last) if last else HLC(0, 0, station)
    wall = max(now_ms, floor.wall_ms, incoming.wall_ms)
    if wall == floor.wall_ms == incoming.wall_ms:
        counter = max(floor.counter, incoming.counter) + 1
    elif wall == floor.wall_ms:
        counter = floor.counter + 1
    elif wall == incoming.wall_ms:
        counter = incoming.counter + 1
    else:
        counter = 0
    return HLC(wall, counter, station)
