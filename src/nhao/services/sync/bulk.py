"""The bookkeeping of an import, in bulk: one audit event per record the merge
touched, chained exactly as UnitOfWork.append_audit chains them, and the
households that look like the same people listed in two places.

A province import touches hundreds of thousands of records: an ORM object and a
query per record would cost more than the merge itself, so both are done with a
few set-based queries and one executemany."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from nhao.models import AuditEvent, Household, HouseholdPairReview, new_id
from nhao.models.bulk_sql import stored_value
from nhao.models.households import pair_review_id
from nhao.models.json_codec import JsonText
from nhao.models.snapshot import canonical_json, canonical_value, sha256_text
from nhao.models.sync import DuplicateCandidate
from nhao.services.unit_of_work import GENESIS_HASH, AuditEventText, UnitOfWork
from nhao.sync.fresh import insert_rows
from nhao.sync.pg_copy import household_matches
from nhao.sync.scope import UnitTree, commune_of

BATCH = 500


def write_audit(uow: UnitOfWork, events: Iterable[dict[str, Any]]) -> None:
    """Append events (action, entity, record_id, summary, before, after, record_hash)
    after the chain's head. The unit of work has appended nothing yet in this
    transaction, so the head is the database's last event."""
    session = uow.session
    session.flush()
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS_HASH)
    event_text = AuditEventText(
        canonical_value(uow.now), uow.station.id, uow.actor.user_id, uow.actor.username
    )
    station, user_id, user_name = uow.station.id, uow.actor.user_id, uow.actor.username
    connection = session.connection()
    # The JSON columns take the canonical text made for the hash; on SQLite the
    # time goes in its stored form too, and every column as it is.
    sqlite = connection.dialect.name == "sqlite"
    at = stored_value(connection.dialect, AuditEvent.__table__.c.at, uow.now) if sqlite else uow.now  # type: ignore[attr-defined]
    rows = []
    for f in events:
        seq += 1
        after = JsonText(canonical_json(f["after"]))
        before = JsonText("null" if f["before"] is None else canonical_json(f["before"]))
        text = event_text.text(
            action=f["action"],
            after_json=after,
            before_json=before,
            entity=f["entity"],
            prev_hash=prev,
            record_hash=f["record_hash"],
            record_id=f["record_id"],
            seq=seq,
            summary=f["summary"],
        )
        prev_hash, prev = prev, sha256_text(text)
        rows.append(
            [seq, at, station, user_id, user_name, f["action"], f["entity"], f["record_id"]]
            + [f["summary"], before, after, f["record_hash"], prev_hash, prev]
        )
    insert_rows(connection, AuditEvent.__table__, _AUDIT_COLUMNS, rows, stored_form=sqlite)  # type: ignore[arg-type]


_AUDIT_COLUMNS = [
    *("seq", "at", "station_id", "user_id", "user_name", "action", "entity", "record_id"),
    *("summary", "before", "after", "record_hash", "prev_hash", "hash"),
]


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def find_duplicates(
    session: Session, household_ids: list[str], now: datetime
) -> list[tuple[str, str, str]]:
    """Same citizen ID anywhere, or same folded name and birth year in neighbouring
    units (the hamlets of one commune, DESIGN.md §5): listed, never merged.
    Returns the pairs touched here that wait for a person's decision (household a, b,
    reason), each once: a pair marked same or different before is not returned again.

    Names and birth years are not compared across communes: a province of two million
    households holds "Nguyễn Văn Hùng, 1962" in every commune, millions of pairs of
    different men no one could review, where the card catches the one household
    listed in two communes."""
    session.flush()
    if session.get_bind().dialect.name == "postgresql":  # array lookups on b-trees: pg_copy
        mine, by_cid, by_name = household_matches(session.connection(), household_ids)
    else:
        mine, by_cid, by_name = _household_matches(session, household_ids)
    found: list[tuple[str, str, str]] = []
    for r in mine:
        same_id = by_cid.get(r.citizen_id, set()) if r.citizen_id else set()
        commune = commune_of(r.unit_code)
        same_name = {
            other
            for other, unit in by_name.get((r.head_name_key, r.birth_year), ())
            if commune_of(unit) == commune
        }
        for other in sorted((same_id | same_name) - {r.id}, key=str):
            a, b = sorted((str(r.id), str(other)))
            found.append((a, b, "citizen_id" if other in same_id else "name_birth_year"))
    return _record_pairs(session, found, now)


def describe_pairs(session: Session, pairs: list[tuple[str, str, str]]) -> list[dict]:
    """The pairs find_duplicates listed, as the import report names them: each
    household's head, birth year, citizen ID and unit, read now (a dry run's households
    are gone once it rolls back)."""
    ids = sorted({uuid.UUID(h) for a, b, _ in pairs for h in (a, b)})
    tree = UnitTree(session) if ids else None
    known: dict[str, dict] = {}
    for chunk in _chunks(ids):
        query = select(
            Household.id,
            Household.head_name,
            Household.birth_year,
            Household.citizen_id,
            Household.unit_code,
        ).where(Household.id.in_(chunk))
        for hid, name, year, cid, unit in session.execute(query):
            known[str(hid)] = {
                "id": str(hid),
                "head_name": name,
                "birth_year": year,
                "citizen_id": cid or "",
                "unit": tree.label(unit),  # type: ignore[union-attr]
            }
    # As a person reads them: shared citizen IDs first, then by unit and name.
    def place(household: dict) -> tuple[str, str]:
        return household["unit"], household["head_name"]

    described = [
        {"reason": reason, "households": sorted((known[a], known[b]), key=place)}
        for a, b, reason in pairs
        if a in known and b in known
    ]
    return sorted(described, key=lambda p: (p["reason"] != "citizen_id", place(p["households"][0])))


def _household_matches(
    session: Session, household_ids: list[str]
) -> tuple[list[Any], dict[str, set], dict[tuple, set]]:
    mine: list[Any] = []
    for chunk in _chunks([uuid.UUID(h) for h in household_ids]):
        mine += session.execute(
            select(
                Household.id,
                Household.citizen_id,
                Household.head_name_key,
                Household.birth_year,
                Household.unit_code,
            ).where(Household.id.in_(chunk), Household.deleted_at.is_(None))
        ).all()
    by_cid: dict[str, set] = defaultdict(set)
    by_name: dict[tuple, set] = defaultdict(set)
    cids = sorted({r.citizen_id for r in mine if r.citizen_id})
    names = sorted({(r.head_name_key, r.birth_year) for r in mine if r.birth_year is not None})
    live = Household.deleted_at.is_(None)
    for chunk in _chunks(cids):
        query = select(Household.id, Household.citizen_id).where(
            Household.citizen_id.in_(chunk), live
        )
        for hid, cid in session.execute(query):
            by_cid[cid].add(hid)
    pair = tuple_(Household.head_name_key, Household.birth_year)
    for chunk in _chunks(names):
        query = select(
            Household.id, Household.head_name_key, Household.birth_year, Household.unit_code
        ).where(pair.in_(chunk), live)
        for hid, key, year, unit in session.execute(query):
            by_name[(key, year)].add((hid, unit))
    return mine, by_cid, by_name


def _record_pairs(
    session: Session, found: list[tuple[str, str, str]], now: datetime
) -> list[tuple[str, str, str]]:
    """New pairs are listed. A pair seen before (here or in an earlier import) stays as
    it is, unless it now shares a citizen ID where before only the name and birth year
    matched: that is new evidence, so a "different" decided then is asked again.
    A pair already reviewed at any station (its review came up with a bundle) is
    listed with that finding. Returns the pairs this import lists for review:
    new ones and ones asked again, not those already listed (a commune's monthly
    bundle edits households of pairs listed months ago: the import report counted
    them again as if they had come in, and a province's summary added them up)."""
    pairs = {(a, b): reason for a, b, reason in found}
    reviews = _reviews(session, list(pairs))
    known: set[tuple[str, str]] = set()
    asked_again: set[tuple[str, str]] = set()
    decided: set[tuple[str, str]] = set()
    ids = sorted({a for a, _ in pairs})
    pair = DuplicateCandidate
    for chunk in _chunks(ids):
        for row in session.scalars(select(pair).where(pair.household_a.in_(chunk))):
            key = (row.household_a, row.household_b)
            if key not in pairs:
                continue
            known.add(key)
            if pairs[key] == "citizen_id" and row.reason != "citizen_id":
                row.reason, row.found_at = "citizen_id", now
                asked_again.add(key)
                if row.decision == "different":
                    row.decision, row.decided_by = None, ""
            review = reviews.get(key)
            if row.decision is None and review is not None and settles(review, row.reason):
                row.decision, row.decided_by = review.decision, review.reviewed_by
            if row.decision is not None:
                decided.add(key)
    # Common names at a province give tens of thousands of pairs: one bulk write.
    rows = []
    for (a, b), reason in pairs.items():
        if (a, b) in known:
            continue
        review = reviews.get((a, b))
        if review is not None and settles(review, reason):
            rows.append([new_id(), a, b, reason, now, review.decision, review.reviewed_by])
            decided.add((a, b))
        else:
            rows.append([new_id(), a, b, reason, now, None, ""])
    insert_rows(session.connection(), DuplicateCandidate.__table__, _PAIR_COLUMNS, rows)  # type: ignore[arg-type]
    listed = ((pairs.keys() - known) | asked_again) - decided
    return [(a, b, pairs[(a, b)]) for a, b in sorted(listed)]


def settles(review: Any, reason: str) -> bool:
    """Whether a review answers a pair seen on `reason`: a "different" found on name
    and birth year alone does not answer a pair that now shares a citizen ID."""
    return not (
        review.decision == "different"
        and reason == "citizen_id"
        and review.evidence != "citizen_id"
    )


_REVIEW_COLUMNS = (
    HouseholdPairReview.id,
    HouseholdPairReview.unit_code,
    HouseholdPairReview.household_a,
    HouseholdPairReview.household_b,
    HouseholdPairReview.decision,
    HouseholdPairReview.evidence,
    HouseholdPairReview.reviewed_by,
)


def _reviews(session: Session, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    review = HouseholdPairReview
    for chunk in _chunks([pair_review_id(a, b) for a, b in pairs]):
        query = select(*_REVIEW_COLUMNS).where(review.id.in_(chunk), review.deleted_at.is_(None))
        for row in session.execute(query):
            found[(row.household_a, row.household_b)] = row
    return _within_their_unit(session, found, UnitTree(session)) if found else {}


def _within_their_unit(
    session: Session, reviews: dict[tuple[str, str], Any], tree: UnitTree
) -> dict[tuple[str, str], Any]:
    """The reviews whose word counts here: made by a unit that holds both households.
    The scope check at import only sees the review's own unit: a hamlet could otherwise
    answer for a pair reaching into another hamlet or commune, and a "different" would
    hide a household listed twice. (That a review's id is its pair's, and stays so, is
    held at the import: rules.id_from and fixed.)"""
    if not reviews:
        return {}
    unit_of: dict[str, str] = {}
    ids = sorted({h for pair in reviews for h in pair})
    for chunk in _chunks([uuid.UUID(h) for h in ids]):
        query = select(Household.id, Household.unit_code).where(Household.id.in_(chunk))
        unit_of.update((str(hid), unit) for hid, unit in session.execute(query))
    return {
        (a, b): row
        for (a, b), row in reviews.items()
        if a in unit_of
        and b in unit_of
        and tree.within(unit_of[a], row.unit_code)
        and tree.within(unit_of[b], row.unit_code)
    }


def apply_reviews(session: Session, review_ids: list[str]) -> None:
    """Reviews that came with a bundle answer the pairs listed here already: a few
    queries per 500 reviews, not one per review (a province takes tens of thousands)."""
    review, pair = HouseholdPairReview, DuplicateCandidate
    tree = UnitTree(session) if review_ids else None
    for chunk in _chunks([uuid.UUID(r) for r in review_ids]):
        query = select(*_REVIEW_COLUMNS).where(review.id.in_(chunk), review.deleted_at.is_(None))
        found = {(r.household_a, r.household_b): r for r in session.execute(query)}
        reviews = _within_their_unit(session, found, tree)  # type: ignore[arg-type]
        if not reviews:
            continue
        listed = session.scalars(
            select(pair).where(tuple_(pair.household_a, pair.household_b).in_(list(reviews)))
        )
        for row in listed:  # the ORM writes the changed rows back in one executemany
            review_of = reviews[(row.household_a, row.household_b)]
            if settles(review_of, row.reason):
                row.decision, row.decided_by = review_of.decision, review_of.reviewed_by


_PAIR_COLUMNS = ["id", "household_a", "household_b", "reason", "found_at", "decision", "decided_by"]
