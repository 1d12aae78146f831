"""A receipt (nhao bundle ack) signed by a trusted station with a fault, whose
`seen` numbers are not what nhao writes: refused in one sentence, the sender's
export cursors left as they were. Before, text or a list there stopped the import of
the receipt with an error out of it, and a number past a 32-bit integer was written
into the cursor (PostgreSQL stopped on it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from nhao.domain.errors import ValidationError
from nhao.models.sync import SyncCursor
from nhao.services import sync
from nhao.services.sync import keys
from nhao.sync import minisign
from nhao.sync.bundle import canonical_line

from .conftest import PASSWORD, Tree


def _every_origin(value: object) -> Callable[[dict], None]:
    def edit(ack: dict) -> None:
        ack["seen"] = dict.fromkeys(ack["seen"], value)

    return edit


def _another_origin(ack: dict) -> None:
    ack["seen"]["01a20dd1-0000-7000-8000-000000000000"] = 2**40


@pytest.mark.parametrize(
    "edit",
    [
        _every_origin("4"),
        _every_origin(True),
        _every_origin(-1),
        _every_origin(2**31),
        _another_origin,
        lambda ack: ack.update(seen=[4]),
        lambda ack: ack.update(seen_stamps="tất cả"),
    ],
)
def test_a_receipt_whose_numbers_nhao_never_writes_is_refused(
    tree: Tree, tmp_path: Path, edit: Callable[[dict], None]
) -> None:
    tree.a.add_household("Hộ Một")
    sent = tree.a.export()
    assert tree.commune.take(sent)[0]["status"] == "applied"
    receipt = tmp_path / "bien-nhan.nhaoack"
    sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, sent, receipt)
    ack = json.loads(receipt.read_text(encoding="utf-8"))["ack"]
    edit(ack)
    with tree.commune.db.transaction() as session:  # signed again by the commune's key
        key, pair = keys.unlock(session, tree.commune.actor, PASSWORD)
        signature = minisign.sign(pair.ed, bytes.fromhex(key.key_id), canonical_line(ack), "x")
    receipt.write_text(json.dumps({"ack": ack, "signature": signature}), encoding="utf-8")

    def cursors() -> list[tuple[str, str, int]]:
        with tree.a.db.session() as session:
            rows = session.scalars(select(SyncCursor)).all()
            return sorted((c.recipient_unit, c.origin_station, c.sent_upto) for c in rows)

    before = cursors()
    with pytest.raises(ValidationError, match="bien-nhan.nhaoack ghi sai dạng"):
        sync.import_ack(tree.a.db, tree.a.actor, receipt)
    assert cursors() == before
