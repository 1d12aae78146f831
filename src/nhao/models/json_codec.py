"""How JSON columns (change-log changes, audit before/after, ranges) are stored.

orjson instead of the json module: a province import writes hundreds of thousands
of these. The stored text is never hashed (hashes go over models.snapshot's
canonical JSON of the decoded value), so only the decoded value has to be the same.
"""

from __future__ import annotations

import json
import math
from itertools import chain
from typing import Any

import orjson


class JsonText(str):
    """Text that is JSON already, such as the canonical JSON a bulk writer made for a
    hash: a JSON column stores it as it is instead of serialising the value again."""


def json_text(value: Any) -> str:
    """Only the decoded value counts here, so orjson's text is kept whenever it reads
    back as the value itself: not so for NaN and infinities (orjson writes null) or
    tuples (read back as lists), which json writes instead. Reading back costs less
    than walking the value to look for them."""
    if type(value) is JsonText:
        return str.__str__(value)
    try:
        text = orjson.dumps(value)
    except orjson.JSONEncodeError:  # integers past 64 bits, lone surrogates
        return json.dumps(value, ensure_ascii=False)
    if orjson.loads(text) == value:
        return text.decode()
    return json.dumps(value, ensure_ascii=False)


def json_value(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # NaN written by an older nhao through json
        return json.loads(text)


def orjson_writes_like_json(data: Any) -> bool:
    """No float that orjson would write other than json does. Checked by type sets
    (C-level passes): a flat record, or a change set of [old, new] pairs, costs a
    few passes over its values, not a call per field."""
    kind = type(data)
    if kind is dict:
        if not set(map(type, data)) <= {str}:
            return False
        values: Any = data.values()
    elif kind is list or kind is tuple:
        values = data
    else:
        return _plain_safe(data)
    kinds = set(map(type, values))
    if kinds <= _PLAIN:
        return True
    if kinds <= _SHALLOW:  # floats, and lists such as [old, new]: one flat pass
        flat = list(chain.from_iterable([v for v in values if type(v) is list]))
        if float in kinds:
            flat += [v for v in values if type(v) is float]
        flat_kinds = set(map(type, flat))
        if flat_kinds <= _PLAIN:
            return True
        if flat_kinds <= _PLAIN_OR_FLOAT:
            return all(_plain_safe(v) for v in flat if type(v) is float)
    return all(orjson_writes_like_json(v) for v in values if type(v) not in _PLAIN)


_PLAIN = frozenset({str, int, bool, type(None)})
_PLAIN_OR_FLOAT = _PLAIN | {float}
_SHALLOW = _PLAIN_OR_FLOAT | {list}


def _plain_safe(value: Any) -> bool:
    if type(value) is float:
        return math.isfinite(value) and (value == 0 or 1e-4 <= abs(value) < 1e16)
    return type(value) in _PLAIN
