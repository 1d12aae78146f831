"""Where the next bundle to a unit starts. A unit may have several computers (a
hamlet's team leader's laptop and the deputy's, a commune's office and accountant):
what was sent and what was acknowledged is kept per computer (SyncCursor), and a
bundle to the unit starts where the computer furthest behind stands. Kept per unit,
one laptop's receipt moved the whole unit on past what the other never had."""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, case, func, select
from sqlalchemy.orm import Session

from nhao.models import Station
from nhao.models.sync import SyncCursor, SyncOrigin
from nhao.services.unit_of_work import utcnow

# The recipient as a whole, while no computer of it is heard of here ("*" for no
# recipient too): the first computer heard of stands where it stood (first_heard).
WHOLE_UNIT = ""


def receivers(session: Session, unit: str) -> list[str]:
    """The computers of `unit` known here: those heard of in a bundle, and those whose
    receipt came. A key enrolled alone makes none: a laptop that has sent nothing yet
    was given nothing either, whoever was sent the bundles down (first_heard)."""
    heard = select(SyncOrigin.station_id).where(SyncOrigin.unit_code == unit)
    acknowledged = select(SyncCursor.recipient_station).where(
        SyncCursor.recipient_unit == unit, SyncCursor.recipient_station != WHOLE_UNIT
    )
    found = {str(s) for query in (heard, acknowledged) for s in session.scalars(query)}
    found -= set(session.scalars(select(Station.id)))  # this computer, any epoch of it
    found.discard(WHOLE_UNIT)
    return sorted(found) or [WHOLE_UNIT]


def starts(session: Session, unit: str, computers: list[str]) -> dict[str, int]:
    """Per origin station, the last number every one of `computers` was sent (or has
    acknowledged, a receipt moving it back when a bundle was lost); an origin not
    listed starts from the beginning (a computer lacks it)."""
    rows = session.execute(
        select(SyncCursor.origin_station, func.count(), func.min(SyncCursor.sent_upto))
        .where(SyncCursor.recipient_unit == unit, SyncCursor.recipient_station.in_(computers))
        .group_by(SyncCursor.origin_station)
    )
    return {origin: low or 0 for origin, count, low in rows if count == len(computers)}


def start_of(unit: str, computers: list[str], origin: ColumnElement[str]) -> ScalarSelect[int]:
    """starts() of one origin, as SQL beside a query of the change log (`origin` its
    station column): the log before it is not read at all."""
    return (
        select(
            case(
                (func.count() < len(computers), 0),
                else_=func.coalesce(func.min(SyncCursor.sent_upto), 0),
            )
        )
        .where(
            SyncCursor.recipient_unit == unit,
            SyncCursor.recipient_station.in_(computers),
            SyncCursor.origin_station == origin,
        )
        .scalar_subquery()
    )


def position(session: Session, unit: str, computer: str, origin: str) -> SyncCursor:
    """The row of one computer and origin, made when there is none."""
    row = session.get(SyncCursor, (unit, computer, origin))
    if row is None:
        row = SyncCursor(
            recipient_unit=unit, recipient_station=computer, origin_station=origin, sent_upto=0
        )
        session.add(row)
    return row


def first_heard(session: Session, unit: str, computer: str, *, below: bool) -> None:
    """A computer of `unit` heard of here for the first time (its bundle, its receipt).
    Of a unit below this one, a second laptop of a hamlet has nothing of what went down
    before it came (the commune's name for the hamlet, targets, decisions): it has no
    position, the next bundle down goes from the start, and the computers that have
    it skip it as seen. The first computer heard of a unit, and a new one of a unit
    above (a new epoch of the commune's office), stand where the unit stood."""
    rows = session.scalars(select(SyncCursor).where(SyncCursor.recipient_unit == unit)).all()
    if any(row.recipient_station == computer for row in rows):
        return
    if below and any(row.recipient_station != WHOLE_UNIT for row in rows):
        return
    furthest_behind: dict[str, SyncCursor] = {}
    for row in rows:
        low = furthest_behind.get(row.origin_station)
        if low is None or (row.sent_upto or 0) < (low.sent_upto or 0):
            furthest_behind[row.origin_station] = row
    for origin, low in furthest_behind.items():
        row = position(session, unit, computer, origin)
        row.sent_upto, row.acked_upto, row.updated_at = low.sent_upto, low.acked_upto, utcnow()
    for row in rows:
        if row.recipient_station == WHOLE_UNIT:  # what went to the unit went to this one
            session.delete(row)


def note_sent(session: Session, unit: str, computers: list[str], ranges: dict) -> None:
    """A bundle written for `unit`: each of its known computers was sent it."""
    for computer in computers:
        for origin, span in ranges.items():
            row = position(session, unit, computer, origin)
            row.sent_upto = max(row.sent_upto or 0, int(span["to"]))
            row.updated_at = utcnow()
