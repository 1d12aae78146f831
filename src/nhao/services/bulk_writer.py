"""Inserting many records in one unit of work, fast, with the same bookkeeping.

UnitOfWork.insert flushes the session for every record, which is right for a
form and far too slow for a 100,000-row spreadsheet. BulkInserter writes the very
same things — the row with its stamps, a change-log entry with the next sequence
number, an audit event chained to the previous one and pinning the record's hash —
but builds them as plain tuples and sends each table one executemany per batch.
The canonical JSON is assembled from per-field pieces instead of json.dumps with
sort_keys; tests check it equals models.snapshot.canonical_json byte for byte,
and `nhao verify` re-checks every hash after an import.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Boolean, Table, insert, select
from sqlalchemy import inspect as sa_inspect

from nhao.models import AuditEvent, ChangeLogEntry, Record, new_id
from nhao.models.snapshot import canonical_value, sha256_text
from nhao.services.unit_of_work import UnitOfWork

_encode = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None)})
BATCH_SIZE = 2000


def json_value(value: Any) -> str:
    """One canonical value (None, bool, int, float, str) as canonical_json writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return _encode(value)
    if kind is int:
        return str(value)
    return json.dumps(value)


class BulkInserter:
    """Collects new records of one model and writes them in batches inside ``uow``."""

    def __init__(self, uow: UnitOfWork, model: type[Record], *, batch_size: int | None = None):
        self.uow = uow
        self.model = model
        self.batch_size = batch_size or BATCH_SIZE
        self.entity: str = model.__tablename__  # type: ignore[attr-defined]
        self.count = 0
        attrs = sorted(sa_inspect(model).column_attrs, key=lambda a: a.key)
        self._keys = [a.key for a in attrs]
        self._key_json = [_encode(k) + ":" for k in self._keys]
        table: Table = model.__table__  # type: ignore[attr-defined]
        self._columns = [a.columns[0].name for a in attrs]
        self._table = table
        dialect = uow.session.get_bind().dialect
        self._dialect = dialect
        # sqlite3 stores True/False as 1/0 itself; other processors (UUID → hex text,
        # datetime → ISO text) are the dialect's own, so rows read back as the ORM wrote them.
        self._processors: list[Callable[[Any], Any] | None] = [
            None
            if dialect.name == "sqlite" and isinstance(table.c[name].type, Boolean)
            else table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self._columns
        ]
        self._pending: list[tuple[dict[str, Any], str, str]] = []
        station = uow.station
        self._station_id = station.id
        self._now_iso = canonical_value(uow.now)
        self._last_stamp = ""
        self._wall = 0
        self._counter = 0

    # -- collecting -------------------------------------------------------------

    def _next_hlc(self) -> str:
        """domain.hlc.tick, inlined: one stamp per record, strictly increasing."""
        station = self.uow.station
        if station.last_hlc != self._last_stamp and station.last_hlc:
            wall, counter, _ = station.last_hlc.split(":", 2)
            self._wall, self._counter = int(wall), int(counter)
        now_ms = time.time_ns() // 1_000_000
        if now_ms > self._wall:
            self._wall, self._counter = now_ms, 0
        else:
            self._counter += 1
        stamp = f"{self._wall:015d}:{self._counter:05d}:{self._station_id}"
        station.last_hlc = self._last_stamp = stamp
        return stamp

    def add(self, values: dict[str, Any], summary: str = "") -> uuid.UUID:
        """Queue one new record (column values as the model takes them); returns its id."""
        record_id = values.get("id") or new_id()
        row = dict(values)
        row.update(
            id=record_id,
            created_at=self.uow.now,
            updated_at=self.uow.now,
            origin_station=self._station_id,
            changed_by=self._station_id,
            hlc=self._next_hlc(),
        )
        self._pending.append((row, summary, row["hlc"]))
        self.count += 1
        if len(self._pending) >= self.batch_size:
            self.flush()
        return record_id

    # -- writing ----------------------------------------------------------------

    def flush(self) -> None:
        if not self._pending:
            return
        uow, session = self.uow, self.uow.session
        session.flush()  # records and audit events the ORM side has queued come first
        head = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        seq, prev_hash = (head[0], head[1]) if head else (0, "0" * 64)
        station = uow.station
        actor = uow.actor
        at_storage = self._storage(AuditEvent.__table__, "at", uow.now)
        user_id = json_value(actor.user_id)
        user_name = _encode(actor.username)
        station_json = _encode(self._station_id)
        entity_json = _encode(self.entity)
        records, changes, events = [], [], []
        first_seq = station.last_seq
        station.last_seq += len(self._pending)  # one ORM attribute write per batch
        keys, key_json, processors = self._keys, self._key_json, self._processors
        encode, now_iso = _encode, self._now_iso
        for number, (row, summary, stamp) in enumerate(self._pending, 1):
            values = [row.get(k) for k in keys]
            record_id = str(row["id"])
            canonical = [
                v if type(v) in _PLAIN_TYPES else (record_id if k == "id" else canonical_value(v))
                for k, v in zip(keys, values, strict=True)
            ]
            parts = [
                kj
                + (
                    encode(v)
                    if type(v) is str
                    else "null"
                    if v is None
                    else "true"
                    if v is True
                    else "false"
                    if v is False
                    else str(v)
                )
                for kj, v in zip(key_json, canonical, strict=True)
            ]
            record_hash = sha256_text("{" + ",".join(parts) + "}")
            present = [
                (kj, part) for kj, part, v in zip(key_json, parts, canonical, strict=True)
                if v is not None
            ]
            after = "{" + ",".join([part for _, part in present]) + "}"
            changed = "{" + ",".join(
                [kj + "[null," + part[len(kj) :] + "]" for kj, part in present]
            ) + "}"
            seq += 1
            event_json = (
                '{"action":"insert","after":' + after + ',"at":' + encode(now_iso)
                + ',"before":null,"entity":' + entity_json
                + ',"prev_hash":' + encode(prev_hash) + ',"record_hash":' + encode(record_hash)
                + ',"record_id":' + encode(record_id) + ',"seq":' + str(seq)
                + ',"station_id":' + station_json + ',"summary":' + encode(summary)
                + ',"user_id":' + user_id + ',"user_name":' + user_name + "}"
            )
            event_hash = sha256_text(event_json)
            records.append(
                [v if p is None else p(v) for v, p in zip(values, processors, strict=True)]
            )
            changes.append(
                (station.id, station.epoch, first_seq + number, stamp, self.entity, record_id,
                 row["unit_code"], "insert", changed)
            )
            events.append(
                (seq, at_storage, self._station_id, actor.user_id, actor.username, "insert",
                 self.entity, record_id, summary, "null", after, record_hash, prev_hash,
                 event_hash)
            )
            prev_hash = event_hash
            uow.changed.append((self.entity, record_id, "insert"))
        self._execute(self._table, self._columns, records)
        self._execute(ChangeLogEntry.__table__, _CHANGE_COLUMNS, changes)
        self._execute(AuditEvent.__table__, _AUDIT_COLUMNS, events)
        # The unit of work caches the chain's head; hand it the new one so records it
        # writes after this batch chain on correctly.
        uow.set_audit_head(seq, prev_hash)
        self._pending.clear()

    def _storage(self, table: Any, column: str, value: Any) -> Any:
        processor = table.c[column].type.dialect_impl(self._dialect).bind_processor(self._dialect)
        return processor(value) if processor else value

    def _execute(self, table: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        compiled = insert(table).compile(dialect=self._dialect, column_keys=columns)
        if compiled.positional:
            order = [columns.index(name) for name in compiled.positiontup or ()]
            params: list[Any] = [tuple(r[i] for i in order) for r in rows] if order != list(
                range(len(columns))
            ) else rows
        else:
            params = [dict(zip(columns, r, strict=True)) for r in rows]
        self.uow.session.connection().exec_driver_sql(str(compiled), params)


_CHANGE_COLUMNS = [
    "station_id", "epoch", "seq", "hlc", "entity", "record_id", "unit_code", "op", "changes",
]
_AUDIT_COLUMNS = [
    "seq", "at", "station_id", "user_id", "user_name", "action", "entity", "record_id",
    "summary", "before", "after", "record_hash", "prev_hash", "hash",
]
