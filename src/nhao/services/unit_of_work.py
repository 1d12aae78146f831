"""One transaction per user action, with its audit events and change-log entries.

Every insert, update and soft delete goes through UnitOfWork so that the audit
trail pins each record's content (its hash after the change) and the change log
gets a gapless sequence number in the same transaction: a failed write leaves
neither behind.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nhao.domain import hlc
from nhao.models import AuditEvent, ChangeLogEntry, Record, Station, User
from nhao.models.base import composed
from nhao.models.database import Database, hold_write_lane
from nhao.models.snapshot import (
    canonical_json,
    canonical_value,
    record_snapshot,
    sha256_text,
    snapshot_hash,
)
from nhao.services.actor import Actor
from nhao.services.errors import NotInitialized

R = TypeVar("R", bound=Record)

GENESIS_HASH = "0" * 64
# Users stay on their station; everything else travels in bundles.
LOCAL_ONLY_ENTITIES = frozenset({User.__tablename__})
REDACTED = "***"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def audit_event_hash(fields: dict[str, Any]) -> str:
    return sha256_text(canonical_json(fields))


class AuditEventText:
    """canonical_json(audit_fields(event)) assembled from pieces, keys in their sorted
    order: for the bulk writers, which hold the record's JSON already and would
    otherwise serialise it again inside every event. Tests hold it equal."""

    def __init__(self, at: str, station_id: str, user_id: Any, user_name: str) -> None:
        self._at = f',"at":{_json_str(at)},"before":'
        self._station = f',"station_id":{_json_str(station_id)},"summary":'
        self._user = f',"user_id":{_json_scalar(user_id)},"user_name":{_json_str(user_name)}}}'

    def text(
        self,
        *,
        action: str,
        after_json: str,
        before_json: str,
        entity: str,
        prev_hash: str,
        record_hash: str | None,
        record_id: str,
        seq: int,
        summary: str,
    ) -> str:
        """`after_json` / `before_json`: canonical_json of the event's after / before."""
        return "".join(
            (
                '{"action":', _json_str(action), ',"after":', after_json,
                self._at, before_json, ',"entity":', _json_str(entity),
                ',"prev_hash":', _json_str(prev_hash),
                ',"record_hash":', _json_scalar(record_hash),
                ',"record_id":', _json_str(record_id), ',"seq":', str(seq),
                self._station, _json_str(summary), self._user,
            )
        )  # fmt: skip


_json_str = json.encoder.encode_basestring  # a str as json.dumps(ensure_ascii=False) writes it


def _json_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is str:
        return _json_str(value)
    if type(value) is int:
        return str(value)
    raise TypeError(f"not a string or integer: {value!r}")


def audit_fields(event: AuditEvent) -> dict[str, Any]:
    """What an audit event's hash covers: every column but the hash itself."""
    return {
        "seq": event.seq,
        "at": canonical_value(event.at),
        "station_id": event.station_id,
        "user_id": event.user_id,
        "user_name": event.user_name,
        "action": event.action,
        "entity": event.entity,
        "record_id": event.record_id,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "record_hash": event.record_hash,
        "prev_hash": event.prev_hash,
    }


def self_station(session: Session) -> Station:
    station = session.scalar(select(Station).where(Station.is_self.is_(True)))
    if station is None:
        raise NotInitialized("Máy này chưa được khởi tạo; hãy chạy `nhao init`.")
    return station


class UnitOfWork:
    def __init__(self, session: Session, actor: Actor, station: Station):
        if hold_write_lane(session):  # another computer may have written meanwhile
            session.refresh(station)
        self.session = session
        self.actor = actor
        self.station = station
        self.now = utcnow()
        self._audit_seq: int | None = None
        self._prev_hash: str | None = None
        self.changed: list[tuple[str, str, str]] = []  # (entity, record id, action)

    # -- the three ways a record changes ------------------------------------

    def insert(self, obj: R, *, summary: str = "") -> R:
        stamp = self._next_hlc()
        obj.created_at = self.now
        obj.updated_at = self.now
        obj.origin_station = self.station.id
        obj.changed_by = self.station.id
        obj.hlc = stamp
        self.session.add(obj)
        self.session.flush()
        after = record_snapshot(obj)
        self._record(obj, "insert", {}, after, stamp, summary)
        return obj

    def update(self, obj: R, changes: dict[str, Any], *, summary: str = "") -> dict[str, Any]:
        """Apply the fields that really differ; returns {field: (old, new)}."""
        before = record_snapshot(obj)
        # Compared as it will be stored: text typed decomposed is no change of itself.
        changes = {name: composed(value) for name, value in changes.items()}
        real = {
            name: value
            for name, value in changes.items()
            if canonical_value(getattr(obj, name)) != canonical_value(value)
        }
        if not real:
            return {}
        for name, value in real.items():
            setattr(obj, name, value)
        return self._touch(obj, before, "update", summary)

    def soft_delete(self, obj: R, reason: str, *, summary: str = "") -> None:
        before = record_snapshot(obj)
        obj.deleted_at = self.now
        obj.deleted_reason = reason
        self._touch(obj, before, "delete", summary)

    # -- bookkeeping ----------------------------------------------------------

    def _touch(self, obj: Record, before: dict[str, Any], action: str, summary: str):
        stamp = self._next_hlc()
        obj.updated_at = self.now
        obj.changed_by = self.station.id
        obj.hlc = stamp
        self.session.flush()
        after = record_snapshot(obj)
        self._record(obj, action, before, after, stamp, summary)
        return {k: (before.get(k), after[k]) for k in after if before.get(k) != after[k]}

    def _next_hlc(self) -> str:
        stamp = str(hlc.tick(self.station.last_hlc, time.time_ns() // 1_000_000, self.station.id))
        self.station.last_hlc = stamp
        return stamp

    def _record(
        self,
        obj: Record,
        action: str,
        before: dict[str, Any],
        after: dict[str, Any],
        stamp: str,
        summary: str,
    ) -> None:
        entity = obj.__tablename__  # type: ignore[attr-defined]
        record_id = str(obj.id)
        changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if entity not in LOCAL_ONLY_ENTITIES:
            self.station.last_seq += 1
            self.session.add(
                ChangeLogEntry(
                    station_id=self.station.id,
                    epoch=self.station.epoch,
                    seq=self.station.last_seq,
                    hlc=stamp,
                    entity=entity,
                    record_id=record_id,
                    unit_code=obj.unit_code,
                    op=action,
                    changes=changed,
                )
            )
        secret = getattr(type(obj), "SECRET_FIELDS", ())
        audit_before = {k: REDACTED if k in secret else v[0] for k, v in changed.items()}
        audit_after = {k: REDACTED if k in secret else v[1] for k, v in changed.items()}
        self.append_audit(
            action=action,
            entity=entity,
            record_id=record_id,
            summary=summary,
            before=audit_before if action != "insert" else None,
            after=audit_after,
            record_hash=snapshot_hash(after),
        )
        self.changed.append((entity, record_id, action))

    def set_audit_head(self, seq: int, hash_: str) -> None:
        """After events were appended in bulk (imports), continue the chain from there."""
        self._audit_seq, self._prev_hash = seq, hash_

    def append_audit(self, **fields: Any) -> None:
        if self._audit_seq is None:
            last = self.session.execute(
                select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
            ).first()
            self._audit_seq, self._prev_hash = (last[0], last[1]) if last else (0, GENESIS_HASH)
        self._audit_seq += 1
        event = AuditEvent(
            seq=self._audit_seq,
            at=self.now,
            station_id=self.station.id,
            user_id=self.actor.user_id,
            user_name=self.actor.username,
            prev_hash=self._prev_hash,
            hash="",
            **fields,
        )
        event.hash = audit_event_hash(audit_fields(event))
        self._prev_hash = event.hash
        self.session.add(event)


@contextmanager
def unit_of_work(db: Database, actor: Actor) -> Iterator[UnitOfWork]:
    """Commit everything done inside, or nothing."""
    with db.transaction() as session:
        yield UnitOfWork(session, actor, self_station(session))


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0
