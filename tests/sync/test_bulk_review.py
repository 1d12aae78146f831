"""Conflicts and possible duplicates reviewed many at a time: a province's officer
chooses a commune's hundreds of pairs that share only a common name and a birth
year, or a hamlet's conflicts over phone numbers, and decides them in one go. One
transaction: all of them travel like one person's single decisions, or none is made."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from nhao.domain.enums import Role
from nhao.models import ChangeLogEntry, HouseholdPairReview
from nhao.models.database import Database
from nhao.models.households import pair_review_id
from nhao.models.sync import DuplicateCandidate
from nhao.services import sync, users
from nhao.services.errors import PermissionDenied

from .conftest import PASSWORD, Tree


def _log_size(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0


def _phones_in_conflict(tree: Tree, names: list[str]) -> list[str]:
    """Households of hamlet A whose phone was changed at A and, later, at the commune."""
    ids = [tree.a.add_household(name) for name in names]
    tree.commune.take(tree.a.export())
    for n, hid in enumerate(ids):
        tree.a.edit_household(hid, phone=f"091111111{n}")
        tree.commune.edit_household(hid, phone=f"092222222{n}")  # later: stands
    tree.commune.take(tree.a.export())
    return ids


def test_many_conflicts_resolved_at_once_reach_every_station(tree: Tree) -> None:
    ids = _phones_in_conflict(tree, ["Nguyễn Văn Ấn", "Lý Thị Mẩy", "Giàng A Dình"])
    conflicts = sync.list_conflicts(tree.commune.db)
    assert len(conflicts) == 3
    chosen = {c.record_id: c.lost_value for c in conflicts}  # the hamlet's numbers
    resolved = sync.resolve_conflicts(
        tree.commune.db, tree.commune.actor, [(c.id, c.lost_value) for c in conflicts]
    )
    assert resolved == 3 and sync.list_conflicts(tree.commune.db) == []
    tree.a.take(tree.commune.export(to=tree.a.unit))
    tree.province.take(tree.commune.export())
    for node in (tree.a, tree.commune, tree.province):
        assert {hid: node.household(hid).phone for hid in ids} == chosen
        node.verify_clean()
    # Each resolution went as the single one goes: a change marked "resolve".
    with tree.commune.db.session() as session:
        ops = session.scalars(
            select(ChangeLogEntry.op).where(ChangeLogEntry.record_id.in_(ids))
        ).all()
    assert ops.count("resolve") == 3


def test_two_chosen_conflicts_on_one_field_are_settled_by_the_first(tree: Tree) -> None:
    """Two conflicts on the same phone (the hamlet changed it twice): keeping the value
    that stands settles both; the second is not resolved over again."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.a.edit_household(hid, phone="0911111111")
    tree.commune.edit_household(hid, phone="0922222222")
    tree.commune.take(tree.a.export())
    tree.a.edit_household(hid, phone="0933333333")  # later still: stands
    tree.commune.take(tree.a.export())
    first, second = sync.list_conflicts(tree.commune.db)
    before = _log_size(tree.commune.db)
    resolved = sync.resolve_conflicts(
        tree.commune.db, tree.commune.actor,
        [(first.id, first.kept_value), (second.id, second.kept_value)],
    )
    assert resolved == 1 and sync.list_conflicts(tree.commune.db) == []
    assert tree.commune.household(hid).phone == "0933333333"
    assert _log_size(tree.commune.db) == before + 1  # one confirmation travels, not two


def test_conflicts_resolved_at_once_are_all_or_none(tree: Tree) -> None:
    """A team leader chose their hamlet's conflict and another hamlet's: nothing is
    resolved, rather than the half they may resolve."""
    mine = _phones_in_conflict(tree, ["Nguyễn Văn Ấn"])
    theirs = tree.b.add_household("Lý Thị Mẩy")
    tree.commune.take(tree.b.export())
    tree.b.edit_household(theirs, phone="0944444444")
    tree.commune.edit_household(theirs, phone="0955555555")
    tree.commune.take(tree.b.export())
    users.create_user(
        tree.commune.db, tree.commune.actor, username="tt-a", password=PASSWORD,
        role=Role.team_leader, hamlet_code=tree.a.unit,
    )
    leader = users.authenticate(tree.commune.db, "tt-a", PASSWORD)
    conflicts = sync.list_conflicts(tree.commune.db)
    assert len(conflicts) == 2 and conflicts[0].record_id == mine[0]
    before = _log_size(tree.commune.db)
    with pytest.raises(PermissionDenied):
        sync.resolve_conflicts(
            tree.commune.db, leader, [(c.id, c.lost_value) for c in conflicts]
        )
    assert len(sync.list_conflicts(tree.commune.db)) == 2
    assert tree.commune.household(mine[0]).phone == "0922222220"
    assert _log_size(tree.commune.db) == before


def _name_pairs(tree: Tree, count: int) -> None:
    """`count` pairs at the commune: the same names and birth years in hamlets A and B."""
    for n in range(count):
        tree.a.add_household(f"Vi Thị Hoa {n}", birth_year=1980)
        tree.b.add_household(f"Vi Thị Hoa {n}", birth_year=1980)
    for hamlet in (tree.a, tree.b):
        tree.commune.take(hamlet.export())


def test_many_pairs_marked_at_once_go_in_a_batch_and_travel_up(tree: Tree) -> None:
    _name_pairs(tree, 6)
    tree.province.take(tree.commune.export())
    pairs = sync.list_duplicates(tree.commune.db)
    assert len(pairs) == 6 and len(sync.list_duplicates(tree.province.db)) == 6
    one_by_one: list[object] = []

    def flushed(_mapper, _conn, target) -> None:  # type: ignore[no-untyped-def]
        one_by_one.append(target)

    # The reviews go in batches, as an import's households do, not a flush for each pair.
    event.listen(HouseholdPairReview, "before_insert", flushed)
    try:
        marked = sync.mark_duplicates(
            tree.commune.db, tree.commune.actor, [p.id for p in pairs], same=False
        )
    finally:
        event.remove(HouseholdPairReview, "before_insert", flushed)
    assert marked == 6 and sync.list_duplicates(tree.commune.db) == []
    assert one_by_one == []
    with tree.commune.db.session() as session:
        reviews = session.scalars(select(HouseholdPairReview)).all()
    assert sorted((r.decision, r.evidence) for r in reviews) == [
        ("different", "name_birth_year")
    ] * 6
    tree.commune.verify_clean()
    # Up at the province the pairs the commune reviewed are not asked again.
    tree.province.take(tree.commune.export())
    assert sync.list_duplicates(tree.province.db) == []
    tree.province.verify_clean()


def test_pairs_marked_at_once_are_all_or_none(tree: Tree) -> None:
    _name_pairs(tree, 2)
    users.create_user(
        tree.commune.db, tree.commune.actor, username="tt-a", password=PASSWORD,
        role=Role.team_leader, hamlet_code=tree.a.unit,
    )
    leader = users.authenticate(tree.commune.db, "tt-a", PASSWORD)
    pairs = sync.list_duplicates(tree.commune.db)  # each reaches into hamlet B
    before = _log_size(tree.commune.db)
    with pytest.raises(PermissionDenied):
        sync.mark_duplicates(tree.commune.db, leader, [p.id for p in pairs], same=True)
    assert len(sync.list_duplicates(tree.commune.db)) == 2
    assert _log_size(tree.commune.db) == before


def test_one_pair_found_twice_and_chosen_twice_is_one_review(tree: Tree) -> None:
    """A pair reviewed on its name and birth year is listed again once the two share a
    citizen ID; with reviewed pairs shown both rows can be chosen together. They make
    one review, on the stronger evidence (a second would clash on the pair's id)."""
    _name_pairs(tree, 1)
    (pair,) = sync.list_duplicates(tree.commune.db)
    with tree.commune.db.transaction() as session:
        session.add(DuplicateCandidate(
            household_a=pair.household_a, household_b=pair.household_b,
            reason="citizen_id", found_at=datetime.now(UTC).replace(tzinfo=None),
        ))  # fmt: skip
    again = [p.id for p in sync.list_duplicates(tree.commune.db)]
    assert len(again) == 2
    assert sync.mark_duplicates(tree.commune.db, tree.commune.actor, again, same=True) == 2
    with tree.commune.db.session() as session:
        (review,) = session.scalars(select(HouseholdPairReview)).all()
    assert review.id == pair_review_id(pair.household_a, pair.household_b)
    assert (review.decision, review.evidence) == ("same", "citizen_id")
    tree.commune.verify_clean()


def test_pairs_reviewed_before_are_changed_beside_new_reviews(tree: Tree) -> None:
    """One pair marked "same" earlier, marked again with a new one: the earlier review
    is edited, the new one added, in one chain the audit check walks."""
    _name_pairs(tree, 2)
    first, second = sync.list_duplicates(tree.commune.db)
    sync.mark_duplicate(tree.commune.db, tree.commune.actor, first.id, same=True)
    ids = [first.id, second.id]
    assert sync.mark_duplicates(tree.commune.db, tree.commune.actor, ids, same=False) == 2
    with tree.commune.db.session() as session:
        reviews = session.scalars(select(HouseholdPairReview)).all()
    assert sorted(r.decision for r in reviews) == ["different", "different"]
    tree.commune.verify_clean()
    tree.province.take(tree.commune.export())
    with tree.province.db.session() as session:
        travelled = session.scalars(select(HouseholdPairReview)).all()
    assert sorted(r.decision for r in travelled) == ["different", "different"]
    tree.province.verify_clean()


def test_a_name_conflict_resolved_at_the_commune_goes_up_and_down(tree: Tree) -> None:
    """The hamlet and the commune each corrected a head's name: the commune's import
    finds a conflict on the name and on its search key, and the clerk keeps the hamlet's
    spelling of both. The resolutions travel as any change: the province and the hamlet
    take them (the key alone, without the name beside it, was refused as no folded
    name, and with it every later bundle of the commune)."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    tree.a.edit_household(hid, head_name="Nguyễn Văn Ấm")
    tree.commune.edit_household(hid, head_name="Nguyễn Văn Bình")  # later: stands
    tree.commune.take(tree.a.export())
    conflicts = sync.list_conflicts(tree.commune.db)
    assert {c.field for c in conflicts} == {"head_name"}  # its search key goes with it
    sync.resolve_conflicts(
        tree.commune.db, tree.commune.actor, [(c.id, c.lost_value) for c in conflicts]
    )
    [up] = tree.province.take(tree.commune.export())
    assert up["status"] == "applied", up.get("reason")
    [down] = tree.a.take(tree.commune.export(to=tree.a.unit))
    assert down["status"] in ("applied", "skipped"), down.get("reason")
    for node in (tree.a, tree.commune, tree.province):
        assert node.household(hid).head_name == "Nguyễn Văn Ấm"
        node.verify_clean()


def test_a_heads_name_corrected_on_both_sides_keeps_its_search_key(tree: Tree) -> None:
    """The hamlet corrected "Nguyễn Văn Ấn" to "Ấm", the commune to "Ẩn", which folds as
    before. Merged field by field, the commune kept its name and took the hamlet's key
    ("nguyen van am"): a search for "Ẩn" missed the household, and so did the
    possible duplicates. The key is the merged name's, everywhere."""
    from nhao.domain.text import fold
    from nhao.models import Household

    hid = tree.a.add_household("Nguyễn Văn Ấn", birth_year=1960)
    tree.commune.take(tree.a.export())
    tree.a.edit_household(hid, head_name="Nguyễn Văn Ấm")
    tree.commune.edit_household(hid, head_name="Nguyễn Văn Ẩn")  # later: stands
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    tree.a.take(tree.commune.export(to=tree.a.unit))
    for node in (tree.commune, tree.province):
        with node.db.session() as session:
            row = session.get(Household, uuid.UUID(hid))
            assert row.head_name == "Nguyễn Văn Ẩn"
            assert row.head_name_key == fold(row.head_name), node
        node.verify_clean()
    (conflict,) = sync.list_conflicts(tree.commune.db)
    assert conflict.field == "head_name"
    chosen = [(conflict.id, conflict.lost_value)]
    sync.resolve_conflicts(tree.commune.db, tree.commune.actor, chosen)
    tree.province.take(tree.commune.export())
    with tree.province.db.session() as session:
        row = session.get(Household, uuid.UUID(hid))
        assert (row.head_name, row.head_name_key) == ("Nguyễn Văn Ấm", "nguyen van am")
