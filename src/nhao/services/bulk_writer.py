"""Inserting many records in one unit of work, fast, with the same bookkeeping.

UnitOfWork.insert flushes the session for every record, which is right for a
form and far too slow for a 100,000-row spreadsheet. BulkInserter writes the very
same things — the row with its stamps, a change-log entry with the next sequence
number, an audit event chained to the previous one and pinning the record's hash —
but builds them as plain tuples and sends each table's batch in a few multi-row
statements compiled once (models.bulk_sql). The hashes go over
models.snapshot.canonical_json as everywhere else; `nhao verify` re-checks every
one after an import.

A full batch is written at once, on the caller's thread. Writing it on a worker
thread while the caller reads and checks the next rows was tried and measured
slower: building and binding the batch is Python work that takes the GIL from the
caller, and the 100,000-row import took 25 s instead of 19 s (bench/import_bench.py).
"""

from __future__ import annotations

import time
import uuid
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy import inspect as sa_inspect

from nhao.models import AuditEvent, ChangeLogEntry, Record, new_id
from nhao.models.base import composed, text_fields
from nhao.models.bulk_sql import (
    bind_processors,
    execute_rows,
    insert_statement,
    positional_params,
    stored_value,
)
from nhao.models.json_codec import orjson_writes_like_json
from nhao.models.snapshot import (
    canonical_json,
    canonical_json_float_checked,
    canonical_value,
    sha256_text,
    without_late_nones,
)
from nhao.services.unit_of_work import AuditEventText, UnitOfWork

_PLAIN_TYPES = frozenset({str, int, bool, float, type(None)})
_JSON_TYPES = frozenset({str, int, bool, type(None)})  # written alike by orjson and json
BATCH_SIZE = 2000


class BulkInserter:
    """Collects new records of one model and writes them in batches inside ``uow``."""

    def __init__(
        self,
        uow: UnitOfWork,
        model: type[Record],
        *,
        batch_size: int | None = None,
    ):
        self.uow = uow
        self.model = model
        self.batch_size = batch_size or BATCH_SIZE
        self.entity: str = model.__tablename__  # type: ignore[attr-defined]
        self.count = 0
        attrs = sorted(sa_inspect(model).column_attrs, key=lambda a: a.key)
        self._keys = [a.key for a in attrs]
        table: Table = model.__table__  # type: ignore[attr-defined]
        self._columns = [a.columns[0].name for a in attrs]
        dialect = uow.session.get_bind().dialect
        self._dialect = dialect
        # sqlite3 stores True/False as 1/0 itself; other processors (UUID → hex text,
        # datetime → ISO text) are the dialect's own, so rows read back as the ORM wrote them.
        processors = bind_processors(dialect, table, self._columns)
        # The record's INSERT compiled once; values are taken in its parameter order.
        self._record_sql, order = insert_statement(dialect, table, tuple(self._columns))
        index = order or list(range(len(self._columns)))
        self._record_keys = [self._keys[i] for i in index]
        self._record_columns = [self._columns[i] for i in index]
        self._record_processors = [processors[i] for i in index]
        self._pending: list[tuple[dict[str, Any], str, str]] = []
        station = uow.station
        self._station_id = station.id
        self._now_iso = canonical_value(uow.now)
        # A queued row holds every column, bookkeeping in its canonical form; what
        # only the stored form needs (the id as the column stores it, the times as
        # SQLite text) is put in by position when the batch is built.
        self._key_set = frozenset(self._keys)
        self._text_keys = text_fields(model)
        self._blank = dict.fromkeys(self._keys)
        self._in_order = itemgetter(*self._record_keys)
        stored_now = stored_value(dialect, table.c.created_at, uow.now)
        fixed = {"created_at": stored_now, "updated_at": stored_now}
        self._fixed_storage = [
            (i, fixed[key]) for i, key in enumerate(self._record_keys) if key in fixed
        ]
        self._processed = [
            (i, processor)
            for i, (key, processor) in enumerate(
                zip(self._record_keys, self._record_processors, strict=True)
            )
            if processor is not None and key not in fixed
        ]
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
        if not values.keys() <= self._key_set:
            raise TypeError(f"{self.entity} has no column {sorted(values.keys() - self._key_set)}")
        record_id = values.get("id") or new_id()
        row = self._blank.copy()
        row.update(values)
        for key in self._text_keys & values.keys():  # stored NFC, as the ORM sets text
            row[key] = composed(row[key])
        row["id"] = record_id
        row["created_at"] = row["updated_at"] = self._now_iso
        row["origin_station"] = row["changed_by"] = self._station_id
        stamp = row["hlc"] = self._next_hlc()
        self._pending.append((row, summary, stamp))
        self.count += 1
        if len(self._pending) >= self.batch_size:
            self.flush()
        return record_id

    # -- writing ----------------------------------------------------------------

    def flush(self) -> None:
        """Write everything queued; when it returns, the rows are in the transaction."""
        if not self._pending:
            return
        statements = self._statements()
        cursor = self._driver.cursor()
        try:
            for sql, params in statements:
                execute_rows(cursor, self._dialect, sql, params)
        finally:
            cursor.close()

    def _statements(self) -> list[tuple[str, list[Any]]]:
        """The batch's rows, as (INSERT, parameters) per table; sets the chain's head."""
        uow, session = self.uow, self.uow.session
        session.flush()  # records and audit events the ORM side has queued come first
        head = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        seq, prev_hash = (head[0], head[1]) if head else (0, "0" * 64)
        station = uow.station
        actor = uow.actor
        at_storage = stored_value(self._dialect, AuditEvent.__table__.c.at, uow.now)  # type: ignore[attr-defined]
        entity, station_id = self.entity, self._station_id
        event_text = AuditEventText(self._now_iso, station_id, actor.user_id, actor.username)
        records, changes, events = [], [], []
        first_seq = station.last_seq
        station.last_seq += len(self._pending)  # one ORM attribute write per batch
        in_order, fixed, processed = self._in_order, self._fixed_storage, self._processed
        station_key, epoch = station.id, station.epoch
        for number, (row, summary, stamp) in enumerate(self._pending, 1):
            record_id = row["id"]
            canonical = without_late_nones(self.model, row.copy())
            canonical["id"] = record_key = str(record_id)
            if set(map(type, canonical.values())) <= _JSON_TYPES:  # no floats: orjson's way
                dumps = canonical_json_float_checked
            else:
                canonical = {
                    k: v if type(v) in _PLAIN_TYPES else canonical_value(v)
                    for k, v in canonical.items()
                }
                dumps = (
                    canonical_json_float_checked if orjson_writes_like_json(canonical)
                    else canonical_json
                )  # fmt: skip
            record_hash = sha256_text(dumps(canonical))
            after = {k: v for k, v in canonical.items() if v is not None}
            after_json = dumps(after)
            seq += 1
            event_hash = sha256_text(
                event_text.text(
                    action="insert", after_json=after_json, before_json="null",
                    entity=entity, prev_hash=prev_hash, record_hash=record_hash,
                    record_id=record_key, seq=seq, summary=summary,
                )
            )  # fmt: skip
            stored = list(in_order(row))
            for i, value in fixed:
                stored[i] = value
            for i, processor in processed:
                if stored[i] is not None:
                    stored[i] = processor(stored[i])
            records.append(stored)
            changes.append(
                (station_key, epoch, first_seq + number, stamp, entity, record_key,
                 row["unit_code"], "insert",
                 dumps({k: [None, v] for k, v in after.items()}))
            )  # fmt: skip
            events.append(
                (seq, at_storage, station_id, actor.user_id, actor.username, "insert",
                 entity, record_key, summary, "null", after_json, record_hash,
                 prev_hash, event_hash)
            )  # fmt: skip
            prev_hash = event_hash
            uow.changed.append((entity, record_key, "insert"))
        records = positional_params(self._dialect, self._record_columns, None, records)
        # The unit of work caches the chain's head; hand it the new one so records it
        # writes after this batch chain on correctly.
        uow.set_audit_head(seq, prev_hash)
        self._pending.clear()
        self._driver = session.connection().connection.driver_connection
        return [
            (self._record_sql, records),
            self._params(ChangeLogEntry.__table__, _CHANGE_COLUMNS, changes),
            self._params(AuditEvent.__table__, _AUDIT_COLUMNS, events),
        ]

    def _params(
        self, table: Any, columns: list[str], rows: list[tuple[Any, ...]]
    ) -> tuple[str, list[Any]]:
        sql, order = insert_statement(self._dialect, table, tuple(columns))
        return sql, positional_params(self._dialect, columns, order, rows)


_CHANGE_COLUMNS = [
    "station_id",
    "epoch",
    "seq",
    "hlc",
    "entity",
    "record_id",
    "unit_code",
    "op",
    "changes",
]
_AUDIT_COLUMNS = [
    "seq",
    "at",
    "station_id",
    "user_id",
    "user_name",
    "action",
    "entity",
    "record_id",
    "summary",
    "before",
    "after",
    "record_hash",
    "prev_hash",
    "hash",
]
