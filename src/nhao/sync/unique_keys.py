"""Records of which a unit holds one per key (a case's support from one source, a
unit's target for a year, a closed period of one book): a new row whose key another
record holds already is the same thing made twice, not a new one.

That happens when a station restored from an older backup, or copied to a second
laptop, makes again what it had made and sent up after that backup. The row that
arrived first stays; the second is not inserted, and the report says so. Without
this the unique constraint failed the whole merge, and every later bundle of that
station was refused for good.

The keys are read from the models' unique constraints, so a later entity with one
is covered without a rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import UniqueConstraint, select
from sqlalchemy.engine import Connection

from nhao.models import RECORD_MODELS
from nhao.models.labels import entity_label
from nhao.models.snapshot import canonical_value
from nhao.sync.pg_copy import in_batches
from nhao.sync.rules import rule_for


def _unique_keys(model: Any) -> list[tuple[str, ...]]:
    return [
        tuple(column.key for column in constraint.columns)
        for constraint in model.__table__.constraints
        if isinstance(constraint, UniqueConstraint)
    ]


# Per entity: the field tuples it holds one row per. Official units are matched by
# their natural key before this (nhao.sync.rules), so they are left out.
UNIQUE_KEYS = {
    name: keys
    for name, model in RECORD_MODELS.items()
    if (keys := _unique_keys(model)) and not rule_for(name).natural_key
}


class TakenKeys:
    """The keys held here, for the rows a merge is about to insert; kept up to date
    as it inserts them."""

    def __init__(self) -> None:
        self._holder: dict[tuple[str, tuple[str, ...], tuple[Any, ...]], str] = {}

    def load(self, connection: Connection, entity: str, inserts: list[dict]) -> None:
        """Read the holders of every key the `inserts` (change entries) carry."""
        model = RECORD_MODELS[entity]
        for fields in UNIQUE_KEYS.get(entity, ()):
            wanted = {_key(e["changes"], fields) for e in inserts}
            firsts = sorted({key[0] for key in wanted if None not in key})
            columns = [model.id, *(getattr(model, f) for f in fields)]
            for condition in in_batches(connection, getattr(model, fields[0]), firsts):
                for row in connection.execute(select(*columns).where(condition)):
                    key = tuple(canonical_value(v) for v in row[1:])
                    if key in wanted:
                        self._holder[(entity, fields, key)] = str(row[0])

    def claim(self, entity: str, record_id: str, changes: dict) -> Taken | None:
        """The key a new row finds held by another record; else None, and the row
        holds its keys from now on."""
        # A key with an empty part holds nothing: SQL's NULLs never equal each other.
        keys = [
            (fields, key)
            for fields in UNIQUE_KEYS.get(entity, ())
            if None not in (key := _key(changes, fields))
        ]
        for fields, key in keys:
            holder = self._holder.get((entity, fields, key))
            if holder is not None and holder != record_id:
                return Taken(holder, fields, key)
        for fields, key in keys:
            self._holder[(entity, fields, key)] = record_id
        return None


@dataclass(frozen=True)
class Taken:
    holder: str  # id of the record that holds the key here
    fields: tuple[str, ...]
    key: tuple[Any, ...]

    def refusal(
        self, entity: str, record_id: str, changes: dict, kept: Any, skip: frozenset
    ) -> str:
        """The report's sentence: the key, and what the copy says otherwise than the
        record kept (`kept`), fields in `skip` aside."""
        shown = ", ".join(f"{f} = {v}" for f, v in zip(self.fields, self.key, strict=True))
        differing = [
            f"{name} = {new} (bản đã có: {old})"
            for name, (_, new) in sorted(changes.items())
            if name not in skip and name not in self.fields and kept is not None
            and (old := canonical_value(getattr(kept, name, None))) != new
        ]
        otherwise = f" Bản trùng ghi khác: {'; '.join(differing)}." if differing else ""
        return (
            f"{entity_label(entity)} {record_id}: đã có bản ghi {self.holder} cho cùng "
            f"{shown}.{otherwise} "
            "Máy gửi có lẽ đã khôi phục từ bản sao lưu cũ (hoặc được chép sang máy khác) "
            "rồi nhập lại; giữ bản ghi đã có, không nhận bản trùng này."
        )


def _key(changes: dict, fields: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple((changes.get(f) or (None, None))[1] for f in fields)
