"""`nhao verify`: the file's integrity, the audit chain, and every record against
the content the audit trail pinned for it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from nhao.models import RECORD_MODELS, AuditEvent, ChangeLogEntry, Record
from nhao.models.database import Database
from nhao.models.snapshot import record_snapshot, snapshot_hash
from nhao.services.unit_of_work import GENESIS_HASH, audit_event_hash, audit_fields, self_station

LABEL_FIELDS = ("head_name", "name", "username", "voucher_no", "code", "to_status", "filename")


@dataclass(frozen=True)
class Problem:
    kind: str  # integrity | audit_chain | record | change_log
    message: str
    entity: str | None = None
    record_id: str | None = None


def _label(row: Record) -> str:
    for name in LABEL_FIELDS:
        value = getattr(row, name, None)
        if value:
            return f" ({value})"
    return ""


def _check_chain(session, problems: list[Problem]) -> dict[tuple[str, str], tuple[int, str | None]]:  # type: ignore[no-untyped-def]
    """Walk the chain; return the last pinned hash of each record."""
    pinned: dict[tuple[str, str], tuple[int, str | None]] = {}
    expected_seq, prev_hash = 1, GENESIS_HASH
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000):
        where = f"sự kiện nhật ký #{event.seq} ({event.entity} {event.record_id})"
        if event.seq != expected_seq:
            problems.append(
                Problem("audit_chain", f"Thiếu sự kiện nhật ký #{expected_seq}–#{event.seq - 1}.")
            )
        if event.prev_hash != prev_hash:
            problems.append(
                Problem(
                    "audit_chain",
                    f"Chuỗi nhật ký bị đứt trước {where}.",
                    event.entity,
                    event.record_id,
                )
            )
        if audit_event_hash(audit_fields(event)) != event.hash:
            problems.append(
                Problem(
                    "audit_chain", f"{where} đã bị sửa ngoài nhao.", event.entity, event.record_id
                )
            )
        pinned[(event.entity, event.record_id)] = (event.seq, event.record_hash)
        expected_seq, prev_hash = event.seq + 1, event.hash
    return pinned


def _check_records(session, pinned, problems: list[Problem]) -> None:  # type: ignore[no-untyped-def]
    seen: set[tuple[str, str]] = set()
    for entity, model in RECORD_MODELS.items():
        for row in session.scalars(select(model)).yield_per(2000):
            key = (entity, str(row.id))
            seen.add(key)
            where = f"Bản ghi {entity} {row.id}{_label(row)}"
            if key not in pinned:
                problems.append(
                    Problem(
                        "record",
                        f"{where} không có trong nhật ký thay đổi (thêm ngoài nhao).",
                        *key,
                    )
                )
                continue
            seq, expected = pinned[key]
            if snapshot_hash(record_snapshot(row)) != expected:
                problems.append(
                    Problem(
                        "record",
                        f"{where} đã bị sửa ngoài nhao (khác với sự kiện nhật ký #{seq}).",
                        *key,
                    )
                )
    for key in pinned.keys() - seen:
        if key[0] in RECORD_MODELS:
            problems.append(
                Problem("record", f"Bản ghi {key[0]} {key[1]} đã bị xóa ngoài nhao.", *key)
            )


def _check_change_log(session, problems: list[Problem]) -> None:  # type: ignore[no-untyped-def]
    station = self_station(session)
    seqs = session.scalars(
        select(ChangeLogEntry.seq)
        .where(ChangeLogEntry.station_id == station.id)
        .order_by(ChangeLogEntry.seq)
    ).all()
    if seqs != list(range(1, len(seqs) + 1)) or (seqs and seqs[-1] != station.last_seq):
        problems.append(
            Problem(
                "change_log", "Sổ thay đổi của máy này bị hở số thứ tự (có dòng bị xóa hoặc sửa)."
            )
        )


def verify(db: Database) -> list[Problem]:
    problems = [Problem("integrity", f"Tệp dữ liệu: {p}") for p in db.integrity_problems()]
    with db.session() as session:
        pinned = _check_chain(session, problems)
        _check_records(session, pinned, problems)
        _check_change_log(session, problems)
    return problems
