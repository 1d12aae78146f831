"""What a merge did, per entity and per change, for the import report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from nhao.models.sync import Conflict


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class MergeResult:
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    touched: dict[tuple[str, str], tuple[str, dict]] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    number_clashes: list[str] = field(default_factory=list)
    new_households: set[str] = field(default_factory=set)
