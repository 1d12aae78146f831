"""The one table of per-entity sync rules. Every entity not listed here merges by
the general rule (per field, later hybrid-logical-clock stamp wins); later issues
add their entities here, never code of their own in the merge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nhao.domain.enums import ALLOWED_TRANSITIONS, CaseStatus, UnitLevel, commune_decides
from nhao.domain.text import fold
from nhao.models.base import Record
from nhao.models.households import pair_review_id

# Higher number = higher level. Authority checks compare these.
LEVEL_RANK = {
    UnitLevel.hamlet: 0,
    UnitLevel.commune: 1,
    UnitLevel.district: 2,
    UnitLevel.province: 3,
}
COMMUNE = UnitLevel.commune


@dataclass(frozen=True)
class EntityRule:
    """How one entity travels and merges.

    - `downward`: a parent's bundle may carry it (targets, allocations).
    - `decided_above`: a parent's bundle may carry the changes that stations above the
      recipient made to these rows of its subtree: the commune's steps on a hamlet's
      cases come down, the hamlet's own changes do not come back (nhao.sync.decisions).
    - `from_above`: only a station of a strictly higher level than the row's unit
      may create or change it (targets are set for a unit by its parents).
    - `min_level`: only stations of this level or higher may create or change it.
    - `append_only`: rows are never edited after creation, except `mutable` fields
      (a voucher's void); such rows never conflict.
    - `guarded_fields`: the level needed to set a field.
    - `guarded_moves`: the level needed for some moves of a status field (an
      approval, an acceptance): field → (the field holding the status moved from,
      None for the field's own old value; whether the move needs the level; level).
    - `forward_only`: a status field that only moves forward along its transitions;
      but a step decided above (`decided_above`) stands over one taken here that does
      not lead on from it (a withdrawal the commune refused).
    - `step_notes`: status field → the note written with a step (a withdrawal's
      reason): when a step decided above stands over one taken here, the note of the
      step that gave way goes with it.
    - `natural_key`: rows every station creates for itself (official units): an
      incoming row whose key is already here is the same thing, not a new record.
    - `lock`: name of a lock check in nhao.sync.locks (approved case, closed period).
    - `numbered`: the fields of a number its unit gives out in turn, in the order
      unit, year, sequence (a voucher's; the entity's name is its book). Two stations
      of one unit can give out the same number: the merge keeps both rows and lists
      the clash (nhao.services.sync.clashes).
    - `derived`: field → (the field it is made from, how): kept as made from the
      field's merged value, never merged on its own. Merged field by field, a head's
      name corrected at the hamlet and at the commune kept the commune's name beside
      the hamlet's search key, and name search and duplicates missed the household.
    - `id_from`: rows whose id is made from their content (one record per pair of
      households): an incoming row must carry the id its content makes, and
      `fixed` fields never change after it is made, so no row can sit on another's id.
    """

    downward: bool = False
    decided_above: bool = False
    from_above: bool = False
    min_level: UnitLevel | None = None
    append_only: bool = False
    mutable: frozenset[str] = frozenset()
    guarded_fields: dict[str, UnitLevel] = field(default_factory=dict)
    guarded_moves: dict[str, tuple[str | None, Callable[[str | None, str], bool], UnitLevel]] = (
        field(default_factory=dict)
    )
    forward_only: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    step_notes: dict[str, str] = field(default_factory=dict)
    natural_key: tuple[str, ...] = ()
    lock: str | None = None
    numbered: tuple[str, ...] = ()
    id_from: Callable[[dict[str, Any]], str | None] | None = None
    fixed: frozenset[str] = frozenset()
    derived: dict[str, tuple[str, Callable[[str], str]]] = field(default_factory=dict)


def _pair_review_id(values: dict[str, Any]) -> str | None:
    first, second = values.get("household_a"), values.get("household_b")
    if not (isinstance(first, str) and isinstance(second, str) and first < second):
        return None  # a pair is named lower id first
    return str(pair_review_id(first, second))


_CASE_TRANSITIONS = {
    s.value: frozenset(t.value for t in nxt) for s, nxt in ALLOWED_TRANSITIONS.items()
}
_VOID = frozenset({"voided_at", "void_reason"})
# Receipts and payments: the fund's ledger, written by the commune, only voided later.
_VOUCHER = EntityRule(
    append_only=True,
    mutable=_VOID,
    min_level=COMMUNE,
    lock="closed_period",
    numbered=("unit_code", "voucher_year", "voucher_seq"),
)

RULES: dict[str, EntityRule] = {
    "unit": EntityRule(natural_key=("code",)),
    "household": EntityRule(
        lock="household_of_live_case", derived={"head_name_key": ("head_name", fold)}
    ),
    "target": EntityRule(downward=True, from_above=True),
    "support_case": EntityRule(
        decided_above=True,
        forward_only={"status": _CASE_TRANSITIONS},
        step_notes={"status": "status_reason"},
        guarded_moves={"status": (None, commune_decides, COMMUNE)},
        guarded_fields={
            name: COMMUNE
            for name in (
                "decision_no",
                "decision_date",
                "accepted_on",
                "accepted_area_m2",
                "accepted_foundation_durable",
                "accepted_frame_walls_durable",
                "accepted_roof_durable",
                "expected_lifespan_years",
                "acceptance_team",
                "handed_over_on",
            )
        },
        lock="approved_case",
    ),
    "case_support": EntityRule(
        decided_above=True, min_level=COMMUNE, lock="approved_case_child"
    ),
    "case_status_event": EntityRule(
        decided_above=True,
        append_only=True,
        lock="approved_case_event",
        guarded_moves={"to_status": ("from_status", commune_decides, COMMUNE)},
    ),
    "inspection": EntityRule(append_only=True),
    "receipt": _VOUCHER,
    "payment": _VOUCHER,
    "bank_statement_line": EntityRule(min_level=COMMUNE, lock="closed_period"),
    "period_close": EntityRule(append_only=True, min_level=COMMUNE),
    "pledge": EntityRule(min_level=COMMUNE),
    "donor": EntityRule(min_level=COMMUNE),
    "household_pair_review": EntityRule(
        id_from=_pair_review_id, fixed=frozenset({"household_a", "household_b"})
    ),
}

DEFAULT_RULE = EntityRule()

# Fields a case may still change from below once approved: the construction's progress.
CASE_PROGRESS_FIELDS = frozenset(
    {
        "status",
        "status_reason",
        "started_on",
        "completed_on",
        "labour_days",
        "materials_given",
        "design_model",
    }
)
# Where the hamlet team may still move an approved case: the construction's steps.
CASE_PROGRESS_STATUSES = frozenset({CaseStatus.started.value, CaseStatus.completed.value})
LOCKED_CASE_STATUSES = frozenset(
    s.value
    for s in (
        CaseStatus.approved,
        CaseStatus.started,
        CaseStatus.completed,
        CaseStatus.accepted,
        CaseStatus.handed_over,
    )
)
# Fields that never change after creation, whatever the entity.
IMMUTABLE_FIELDS = frozenset({"id", "origin_station", "created_at"})


def rule_for(entity: str) -> EntityRule:
    return RULES.get(entity, DEFAULT_RULE)


UNIT_NAMING = ("name", "name_key")
_BOOKKEEPING = frozenset(Record.BOOKKEEPING)


def unit_renaming(entity: str, op: str, changes: dict) -> bool:
    """A unit's new name and nothing else: hamlet names are the commune's to set, so
    the commune sends them down to the hamlet named (and refuses them from below)."""
    if entity != "unit" or op != "update":
        return False
    named = [name for name in changes if name not in _BOOKKEEPING]
    return bool(named) and all(name in UNIT_NAMING for name in named)


def unit_naming(entity: str, op: str, changes: dict) -> bool:
    """A unit's new name (unit_renaming), or a hamlet's creation, which names it: what
    the commune sends down to the hamlet named, so that a laptop set up with its own
    spelling of the hamlet comes to the commune's."""
    hamlet = (changes.get("level") or [None, None])[1] == UnitLevel.hamlet.value
    return unit_renaming(entity, op, changes) or (entity == "unit" and op == "insert" and hamlet)


def reachable(transitions: dict[str, frozenset[str]], start: str, goal: str) -> bool:
    """Whether `goal` lies forward of `start` along the allowed transitions."""
    seen, todo = set(), [start]
    while todo:
        state = todo.pop()
        for nxt in transitions.get(state, frozenset()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False
