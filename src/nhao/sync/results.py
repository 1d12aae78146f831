"""What a merge did, per entity and per change, for the import report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields

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


# The counts' keys in the import report (JSON, xlsx, the window), in this order.
COUNT_KEYS = tuple(f.name for f in fields(Counts))


# A record's outcome when its changes in one merge had several: the one to tell.
_RANK = {"unchanged": 0, "updated": 1, "new": 2, "conflicts": 3}


@dataclass
class MergeResult:
    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # changes
    touched: dict[tuple[str, str], tuple[str, dict]] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    number_clashes: list[str] = field(default_factory=list)
    payments_to_review: list[str] = field(default_factory=list)
    steps_given_way: list[str] = field(default_factory=list)  # a step here undone from above
    new_households: set[str] = field(default_factory=set)
    # Households that look like the same people, listed for review (services' bulk).
    duplicate_pairs: list[dict] = field(default_factory=list)
    # Every outcome of a record, not only the strongest: one whose conflicts this same
    # merge closed (found in relayed edits, settled by the resolution relayed with them)
    # counts as what its other changes did.
    seen: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def count(self, entity: str, record_id: str, outcome: str) -> None:
        """A record counts once per merge, as the strongest of its changes' outcomes: a
        household made and edited twice in one bundle is one new household, not one
        new and two updated. Refused changes are counted each, as each is listed (one
        of a record, another of it applied: both are said)."""
        if outcome == "refused":
            self.refused[entity] += 1
            return
        key = (entity, record_id)
        self.seen[key].add(outcome)
        held = self.outcomes.get(key)
        if held is None or _RANK[outcome] > _RANK[held]:
            self.outcomes[key] = outcome

    @property
    def counts(self) -> dict[str, Counts]:
        counts: dict[str, Counts] = defaultdict(Counts)
        found = {(c.entity, c.record_id) for c in self.conflicts}
        still_open = {(c.entity, c.record_id) for c in self.conflicts if c.resolved_at is None}
        for key, outcome in self.outcomes.items():
            if outcome == "conflicts" and key in found and key not in still_open:
                others = self.seen[key] - {"conflicts"}
                outcome = max(others, key=_RANK.__getitem__, default="updated")
            tally = counts[key[0]]
            setattr(tally, outcome, getattr(tally, outcome) + 1)
        for entity, refused in self.refused.items():
            counts[entity].refused = refused
        return counts
