"""The canonical JSON is hashed and pinned, so its bytes must stay exactly what
json.dumps(sort_keys, compact, ensure_ascii=False) writes, whichever encoder runs;
the JSON columns must give back the value they were given."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from nhao.models.json_codec import json_text, json_value
from nhao.models.snapshot import canonical_json

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # past 64 bits too
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),  # control characters, quotes, backslashes, astral characters, surrogates
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _reference(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), VALUES, max_size=8))
def test_canonical_json_is_byte_for_byte_the_json_module(record: dict) -> None:
    assert canonical_json(record) == _reference(record)


def test_floats_json_writes_differently_take_json_s_way() -> None:
    record = {"tiny": 1e-05, "big": 1e16, "nan": float("nan"), "plain": 25.5, "list": [2e-9]}
    assert canonical_json(record) == _reference(record)
    assert '"tiny":1e-05' in canonical_json(record)


# Integers in the columns come from 64-bit columns (money, counts): orjson reads larger
# ones back as floats, so the round trip is held to 64 bits.
COLUMN_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.text(), COLUMN_VALUES, max_size=6))
def test_json_columns_give_back_what_they_were_given(value: dict) -> None:
    back = json_value(json_text(value))
    # NaN never equals itself: compare through the reference form instead.
    assert _reference(back) == _reference(json.loads(json.dumps(value)))
