"""A parent's decisions on the cases of its subtree, as they come down to a laptop.

The commune reviews, approves, accepts and hands over the cases its hamlets proposed;
a bundle down to a hamlet carries those steps, so that the hamlet's list says what
the commune decided. A unit may have several laptops, each holding the households
and cases made on it: a decision about a case this laptop never had (made on the
deputy's laptop, or a household moved here at the commune) is passed over, not held
waiting for a record that never comes down (households do not go down).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from nhao.models import RECORD_MODELS
from nhao.sync.parents import FOREIGN
from nhao.sync.pg_copy import in_batches
from nhao.sync.rules import rule_for


def _anchors(entry: dict) -> list[tuple[str, str]]:
    """The records this change needs here: its own, or for a new record the ones it
    points at."""
    if entry["op"] != "insert":
        return [(entry["entity"], entry["id"])]
    changes = entry["changes"]
    return [
        (parent, value)
        for field, parent in FOREIGN[entry["entity"]].items()
        if (value := (changes.get(field) or (None, None))[1]) is not None
    ]


def decisions_for_here(session: Session, entries: list[dict]) -> tuple[list[dict], list[dict]]:
    """(the changes to apply, the decisions passed over) of a bundle from above."""
    decided = [e for e in entries if rule_for(e["entity"]).decided_above]
    if not decided:
        return entries, []
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in decided:
        for entity, record_id in _anchors(entry):
            wanted[entity].add(record_id)
    here: set[tuple[str, str]] = set()
    connection = session.connection()
    for entity, ids in wanted.items():
        model = RECORD_MODELS[entity]
        for condition in in_batches(connection, model.id, sorted(ids)):
            found = connection.scalars(select(model.id).where(condition))
            here.update((entity, str(record_id)) for record_id in found)
    kept: list[dict] = []
    passed_over: list[dict] = []
    for entry in entries:
        if not rule_for(entry["entity"]).decided_above:
            kept.append(entry)
        elif all(anchor in here for anchor in _anchors(entry)):
            kept.append(entry)
            if entry["op"] == "insert":  # what comes after it in the bundle stands on it
                here.add((entry["entity"], entry["id"]))
        else:
            passed_over.append(entry)
    return kept, passed_over
