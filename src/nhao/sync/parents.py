"""The records a bundle's new records point at that have not reached this station yet.

A sender's bundles hold changes of several stations: a commune's bundle relays its
hamlets' changes beside its own. Imported out of order, the later one may bring the
commune's own step on a case whose creation, made on a hamlet laptop, travels in the
earlier one. The sequence check sees no gap (each station's numbers follow on), yet
the step cannot be written before its case: such a bundle is held, like one with a
gap, and applied once the record it waits for arrives.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from nhao.models import RECORD_MODELS, ChangeLogEntry
from nhao.sync.pg_copy import in_batches

# Per entity: foreign-key attribute → the entity it points at.
FOREIGN: dict[str, dict[str, str]] = {
    name: {fk.parent.key: fk.column.table.name for fk in model.__table__.foreign_keys}  # type: ignore[attr-defined]
    for name, model in RECORD_MODELS.items()
}

# What a held bundle's reason calls each record others point at (GLOSSARY.md).
PARENT_NAMES = {
    "household": "hộ",
    "support_case": "hồ sơ hỗ trợ",
    "donor": "nhà tài trợ",
    "pledge": "đăng ký ủng hộ",
    "receipt": "phiếu thu",
    "payment": "phiếu chi",
}
SHOWN = 3  # records named in the reason; the rest are counted


def missing_parents(session: Session, entries: list[dict]) -> list[tuple[str, str]]:
    """(entity, id) of every record the new records of `entries` point at that is
    neither here, nor created in `entries`, nor refused here before (its creation is
    in the change log: the merge says why that one cannot be written)."""
    created = {(e["entity"], e["id"]) for e in entries if e["op"] == "insert"}
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e["op"] != "insert":
            continue  # a change to a record not here is held by the merge, record by record
        for field, parent in FOREIGN[e["entity"]].items():
            value = (e["changes"].get(field) or (None, None))[1]
            if value is not None and (parent, value) not in created:
                wanted[parent].add(value)
    connection = session.connection()
    missing = []
    for parent, ids in sorted(wanted.items()):
        model = RECORD_MODELS[parent]
        known: set[str] = set()
        for condition in in_batches(connection, model.id, sorted(ids)):
            known.update(str(x) for x in connection.scalars(select(model.id).where(condition)))
        absent = sorted(ids - known)
        known |= logged_creations(connection, parent, absent)
        missing.extend((parent, x) for x in absent if x not in known)
    return missing


def logged_creations(connection: Connection, entity: str, ids: list[str]) -> set[str]:
    """Of `ids`, those whose creation is in the change log here. For a record not in its
    table that means its creation was refused: each import applies or refuses them."""
    log = ChangeLogEntry.__table__.c
    created = select(log.record_id).where(log.entity == entity, log.op == "insert")
    found: set[str] = set()
    for condition in in_batches(connection, log.record_id, ids):  # see Merger.prefetch
        found.update(connection.scalars(created.where(condition)))
    return found


def waiting_reason(bundle: str, missing: list[tuple[str, str]]) -> str:
    named = ", ".join(
        f"{PARENT_NAMES.get(entity, entity)} mã {record[:8]}…" for entity, record in missing[:SHOWN]
    )
    if len(missing) > SHOWN:
        named += f" và {len(missing) - SHOWN} bản ghi khác"
    return (
        f"Gói {bundle} đang chờ bản ghi mà nó gắn vào nhưng chưa có ở máy này ({named}); "
        "thường là vì gói mang bản ghi ấy chưa được nhập. Bản ghi ấy đến thì gói này tự được "
        "áp dụng; nếu gói đó đã mất, hãy nhờ máy gửi xuất một gói đầy đủ."
    )
