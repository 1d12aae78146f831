"""The bulk writers assemble an audit event's canonical JSON from pieces; it must be
byte for byte what canonical_json makes of the event's fields, or `nhao verify`
would call every bulk-written event tampered with."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nhao.models.snapshot import canonical_json
from nhao.services.unit_of_work import AuditEventText

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
plain = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | text
records = st.dictionaries(text, plain, max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    at=text,
    station=text,
    user_id=st.none() | text | st.integers(0, 10**9),
    user_name=text,
    action=st.sampled_from(["insert", "update", "delete", "resolve"]),
    after=records,
    before=st.none() | records,
    entity=text,
    prev_hash=text,
    record_hash=st.none() | text,
    record_id=text,
    seq=st.integers(1, 10**12),
    summary=text,
)
def test_pieces_make_the_canonical_json(  # type: ignore[no-untyped-def]
    at, station, user_id, user_name, action, after, before, entity, prev_hash, record_hash,
    record_id, seq, summary,
) -> None:
    fields = {
        "seq": seq, "at": at, "station_id": station, "user_id": user_id,
        "user_name": user_name, "action": action, "entity": entity, "record_id": record_id,
        "summary": summary, "before": before, "after": after, "record_hash": record_hash,
        "prev_hash": prev_hash,
    }  # fmt: skip
    assembled = AuditEventText(at, station, user_id, user_name).text(
        action=action,
        after_json=canonical_json(after),
        before_json=canonical_json(before),
        entity=entity,
        prev_hash=prev_hash,
        record_hash=record_hash,
        record_id=record_id,
        seq=seq,
        summary=summary,
    )
    assert assembled == canonical_json(fields)
