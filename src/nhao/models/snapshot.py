"""Canonical form of a record: what the audit trail pins and what bundles carry."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import inspect as sa_inspect

from nhao.models.base import Base
from nhao.models.json_codec import orjson_writes_like_json


def canonical_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(v) for v in value]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def canonical_json(data: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is (text is NFC already).

    The bytes are hashed and pinned, so they are defined by json.dumps below.
    orjson writes the very same text about ten times faster for strings, integers,
    booleans and nulls (a property test holds it to that); some floats it writes
    differently (0.00001 where json writes 1e-05), so those take json's own way.
    """
    if orjson_writes_like_json(data):
        return canonical_json_float_checked(data)
    return _json_canonical(data)


def canonical_json_float_checked(data: Any) -> str:
    """canonical_json for data whose floats the caller has checked already
    (orjson_writes_like_json): writers that serialise a record several ways."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:  # a lone surrogate or an integer past 64 bits
        return _json_canonical(data)


def _json_canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_snapshot(obj: Base) -> dict[str, Any]:
    """Every mapped column of the row, by attribute name, in canonical form."""
    mapper = sa_inspect(type(obj))
    snapshot = {attr.key: canonical_value(getattr(obj, attr.key)) for attr in mapper.column_attrs}
    return without_late_nones(type(obj), snapshot)


def without_late_nones(model: type, snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without the columns a model added after records were pinned
    (``SNAPSHOT_SKIPS_NONE``) while they hold None: the content the audit trail pinned
    for a record made before the column is still its content. Every writer's snapshot
    (the unit of work's, the bulk inserts', sync's) goes through it."""
    for key in getattr(model, "SNAPSHOT_SKIPS_NONE", ()):
        if key in snapshot and snapshot[key] is None:
            del snapshot[key]
    return snapshot


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return sha256_text(canonical_json(snapshot))


def record_key(obj: Base) -> str:
    return str(obj.id)  # type: ignore[attr-defined]
