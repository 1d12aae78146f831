"""A pair review signed by a trusted station with a fault, holding a decision or an
evidence nhao never writes: refused whole, naming the record and the field. Applied,
a decision such as "chưa rõ" counted as one made: the pair left the list of possible
duplicates at the province without anyone having said same or different."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nhao.models import ChangeLogEntry
from nhao.services import sync

from .conftest import Tree
from .test_adversarial import refused
from .test_bulk_review import _name_pairs


@pytest.mark.parametrize(("field", "value"), [("decision", "chưa rõ"), ("evidence", "phone")])
def test_a_pair_review_nhao_never_writes_is_refused(tree: Tree, field: str, value: str) -> None:
    _name_pairs(tree, 1)
    tree.province.take(tree.commune.export())
    (pair,) = sync.list_duplicates(tree.commune.db)
    sync.mark_duplicates(tree.commune.db, tree.commune.actor, [pair.id], same=False)
    with tree.commune.db.transaction() as session:
        line = session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.entity == "household_pair_review")
        ).one()
        line.changes = {**line.changes, field: [None, value]}
    refused(tree.province, tree.commune.export(), f"trường {field}", "không có gì được ghi")
    assert len(sync.list_duplicates(tree.province.db)) == 1  # still there to be reviewed
