"""Concurrent edits converge with one conflict whose resolution reaches every
station; a restored station is neither refused nor silently overwriting;
authority and acknowledgements."""

from __future__ import annotations

import shutil
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from nhao.domain.enums import Role
from nhao.domain.errors import DomainError, ValidationError
from nhao.models import (
    AuditEvent,
    CaseStatusEvent,
    ChangeLogEntry,
    Household,
    HouseholdPairReview,
    PeriodClose,
    Station,
    SupportCase,
)
from nhao.models.households import pair_review_id
from nhao.models.sync import SyncCursor
from nhao.services import households as hh
from nhao.services import sync, users
from nhao.services.errors import PermissionDenied
from nhao.services.sync import epoch as sync_epoch
from nhao.services.unit_of_work import unit_of_work

from .conftest import PASSWORD, Node, Tree, close_period


def test_concurrent_edit_one_winner_everywhere_and_resolution_travels(tree: Tree) -> None:
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.a.edit_household(hid, phone="0911111111")
    tree.commune.edit_household(hid, phone="0922222222")  # later stamp: wins
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())

    winner = "0922222222"
    for node in (tree.commune, tree.province):
        assert node.household(hid).phone == winner
    conflicts = sync.list_conflicts(tree.commune.db)
    assert len(conflicts) == 1
    c = conflicts[0]
    assert (c.field, c.kept_value, c.lost_value) == ("phone", winner, "0911111111")

    # Down to A: the resolution travels as a change; A takes the chosen value.
    sync.resolve_conflict(tree.commune.db, tree.commune.actor, c.id, "0911111111")
    assert sync.list_conflicts(tree.commune.db) == []
    down = tree.commune.export(to=tree.a.unit)
    assert tree.a.take(down)[0]["status"] == "applied"
    tree.province.take(tree.commune.export())
    for node in (tree.a, tree.commune, tree.province):
        assert node.household(hid).phone == "0911111111"
        node.verify_clean()
    assert sync.list_conflicts(tree.province.db) == []
    # Each conflict, closed here or by the resolution that came, keeps what was chosen.
    closed = [
        view for node in (tree.commune, tree.province)
        for view in sync.list_conflicts(node.db, open_only=False)
    ]  # fmt: skip
    assert len(closed) == 2 and {str(v.chosen) for v in closed} == {"{'v': '0911111111'}"}


def test_same_result_whatever_the_import_order(tree: Tree) -> None:
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    tree.a.edit_household(hid, address="Nhà A")
    tree.commune.edit_household(hid, address="Nhà xã")
    tree.province.take(tree.commune.export())  # commune's edit first at the province
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    assert tree.province.household(hid).address == tree.commune.household(hid).address


def test_restored_station_is_neither_refused_nor_silently_overwriting(
    tree: Tree, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("backups are SQLite files: a laptop restores one, a server does not")
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    backup = tree.a.db.backup(reason="test")
    tree.a.edit_household(hid, phone="0933333333")  # newer data, reaches the commune
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"

    # The laptop is restored from the older backup, then edited again.
    tree.a.db.dispose()
    shutil.copyfile(backup, tree.a.db.location.path)
    tree.a.edit_household(hid, notes="Sửa sau khi khôi phục")
    tree.a.edit_household(hid, address="Địa chỉ mới")
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report
    row = tree.commune.household(hid)
    assert row.phone == "0933333333"  # not silently rolled back
    assert row.notes == "Sửa sau khi khôi phục" and row.address == "Địa chỉ mới"
    tree.a.verify_clean()
    tree.commune.verify_clean()


def test_a_dry_run_on_a_restored_laptop_starts_no_epoch(tree: Tree, backend: str) -> None:
    """`bundle import --dry-run` writes nothing: on a laptop put back from a backup it
    started the new epoch (a new station row, the note beside the file rewritten)."""
    if backend != "sqlite":
        pytest.skip("backups are SQLite files: a laptop restores one, a server does not")
    tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    backup = tree.a.db.backup(reason="test")
    tree.a.add_household("Nguyễn Văn Hai")
    tree.commune.take(tree.a.export())
    tree.a.db.dispose()
    shutil.copyfile(backup, tree.a.db.location.path)
    down = tree.commune.export(to=tree.a.unit)
    note = sync_epoch.note_path(tree.a.db)
    before = (note.read_bytes(), tree.a.db.location.path.read_bytes())
    assert tree.a.take(down, dry_run=True)[0]["status"] in ("dry-run", "skipped")
    assert (note.read_bytes(), tree.a.db.location.path.read_bytes()) == before
    tree.a.export()  # the real work starts it, as before
    assert note.read_bytes() != before[0]


def _copy_of_data_folder(node: Node) -> dict[str, bytes]:
    """Every file of the laptop's data folder (database and the note beside it)."""
    folder = node.db.location.path.parent
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _put_back(node: Node, copy: dict[str, bytes]) -> None:
    """The data folder put back whole from `copy`, as a person restores a backup."""
    folder = node.db.location.path.parent
    node.db.dispose()
    for path in folder.iterdir():
        if path.is_file() and path.name not in copy:
            path.unlink()
    for file_name, content in copy.items():
        (folder / file_name).write_bytes(content)


def _names(node: Node) -> list[str]:
    return sorted(v.head_name for v in hh.list_households(node.db, node.actor, hh.HouseholdQuery()))


def test_a_data_folder_put_back_whole_is_refused_not_skipped_until_a_new_epoch(
    tree: Tree, backend: str
) -> None:
    """The database and the note beside it copied back together: nothing on the laptop
    can tell. The commune sees changes numbered as ones it has, but other ones."""
    if backend != "sqlite":
        pytest.skip("a data folder copied back is a laptop's; a server does not")
    first = tree.a.add_household("Hộ Một")
    tree.a.edit_household(first, phone="0911111111")
    tree.commune.take(tree.a.export())
    tree.commune.edit_household(first, phone="0922222222")  # the commune's own later edit
    copy = _copy_of_data_folder(tree.a)
    tree.a.add_household("Hộ Hai")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"

    _put_back(tree.a, copy)
    tree.a.add_household("Hộ Ba")  # numbered as "Hộ Hai" was
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "refused", report
    assert "khác với thay đổi cùng số đã nhận" in report["reason"]
    assert "--new-epoch" in report["reason"]
    with tree.a.db.session() as s:
        before = s.scalar(select(func.count()).select_from(Station))
    with pytest.raises(DomainError):  # a wrong password changes nothing, epochs included
        sync.export_bundle(tree.a.db, tree.a.actor, "sai", tree.a.folder / "x.nhao",
                           new_epoch=True)  # fmt: skip
    with tree.a.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Station)) == before
    again = tree.commune.take(tree.a.export(new_epoch=True))[0]
    assert again["status"] == "applied", again
    # Sent again under new numbers, what the commune had is applied no more: no stale
    # conflict with its own later edit.
    assert again["entities"]["household"]["conflicts"] == 0
    assert tree.commune.household(first).phone == "0922222222"
    assert _names(tree.commune) == ["Hộ Ba", "Hộ Hai", "Hộ Một"]
    tree.a.verify_clean()
    tree.commune.verify_clean()


def test_a_new_epoch_relayed_with_the_changes_it_sends_again_opens_no_stale_conflict(
    tree: Tree, backend: str
) -> None:
    """The province had not yet seen the hamlet's household when the commune sent both
    the first numbering of its changes and the new epoch's copy of them in one bundle.
    The copy of the creation, applied after the later edit, opened a conflict "5 kept,
    3 lost" over an edit made in order; the commune, which had the record already, has
    no such conflict."""
    if backend != "sqlite":
        pytest.skip("a data folder copied back is a laptop's; a server does not")
    hid = tree.a.add_household("Hứa Văn Phúc", members=3)
    tree.commune.take(tree.a.export())
    copy = _copy_of_data_folder(tree.a)
    tree.a.edit_household(hid, members=5)
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    _put_back(tree.a, copy)
    tree.a.edit_household(hid, members=6)
    assert tree.commune.take(tree.a.export(new_epoch=True))[0]["status"] == "applied"

    report = tree.province.take(tree.commune.export())[0]
    assert report["status"] == "applied", report
    assert tree.province.household(hid).members == tree.commune.household(hid).members == 6

    def open_conflicts(node: Node) -> list[tuple]:
        return sorted((c.field, c.kept_value, c.lost_value) for c in sync.list_conflicts(node.db))

    assert open_conflicts(tree.province) == open_conflicts(tree.commune) == [("members", 6, 5)]
    tree.province.verify_clean()


def test_a_receipt_read_after_the_folder_was_put_back_starts_a_new_epoch(
    tree: Tree, backend: str
) -> None:
    """The receipt of a bundle sent after the copy was taken says the commune has
    changes this laptop no longer has: new numbers before any more are given out."""
    if backend != "sqlite":
        pytest.skip("a data folder copied back is a laptop's; a server does not")
    tree.a.add_household("Hộ Một")
    tree.commune.take(tree.a.export())
    copy = _copy_of_data_folder(tree.a)
    tree.a.add_household("Hộ Hai")
    second = tree.a.export()
    tree.commune.take(second)
    receipt = tree.commune.folder / "hai.nhaoack"
    sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, second, receipt)

    _put_back(tree.a, copy)
    assert sync.import_ack(tree.a.db, tree.a.actor, receipt).get("new_epoch") is True
    tree.a.add_household("Hộ Ba")
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied", report
    assert _names(tree.commune) == ["Hộ Ba", "Hộ Hai", "Hộ Một"]
    tree.a.verify_clean()
    tree.commune.verify_clean()


def test_copied_database_starts_a_new_epoch(tree: Tree, backend: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if backend != "sqlite":
        pytest.skip("a laptop's file copied; a server database is opened from several computers")
    tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    monkeypatch.setattr(  # another network card and another installation of Windows
        sync_epoch, "machine_marks",
        lambda: {"machine": "pc2|0a0b0c0d0e0f", "installation": "pc2|4f1d0c3b-9a8e-4e7f"},
    )
    old = tree.a.db
    with old.session() as s:
        from nhao.services.unit_of_work import self_station

        before = self_station(s).id
    tree.a.add_household("Hoàng Văn Hai")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    with old.session() as s:
        assert self_station(s).id != before


def _case(node, status: str, *, claimed_from: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """A case moved to `status` straight in the database, as an edited laptop would;
    `claimed_from`: its status event claims the case was there before."""
    hid = node.add_household("Nguyễn Văn Ấn")
    with unit_of_work(node.db, node.actor) as uow:
        case = uow.insert(
            SupportCase(
                unit_code=node.unit,
                household_id=uuid.UUID(hid),
                kind="new_build",
                planned_year=2025,
                status="proposed",
            )
        )
        uow.update(case, {"status": status})
        if claimed_from:
            uow.insert(
                CaseStatusEvent(
                    unit_code=node.unit,
                    case_id=case.id,
                    from_status=claimed_from,
                    to_status=status,
                    happened_on=date(2025, 3, 1),
                    recorded_at=uow.now,
                    actor_name="x",
                )
            )


MOVES = {
    "approval": ("approved", None),
    "acceptance": ("accepted", None),
    "review": ("reviewed", None),  # bình xét is the commune's, like approval
    # Cancelling past a proposal undoes a commune decision; the case's own change
    # (proposed → cancelled, a withdrawal) is the team's, its event says otherwise.
    "cancel_after_review": ("cancelled", "reviewed"),
}


@pytest.mark.parametrize("kind", [*MOVES, "period_close"])
def test_hamlet_cannot_bring_approval_acceptance_or_period_close(tree: Tree, kind: str) -> None:
    if kind == "period_close":
        close_period(tree.b, "2025-01")
    else:
        status, claimed_from = MOVES[kind]
        _case(tree.b, status, claimed_from=claimed_from)
    bundle = tree.b.export()
    before = _snapshot(tree.commune)
    report = tree.commune.take(bundle)[0]
    assert report["status"] == "refused", report
    assert bundle.name in report["reason"] and "không được" in report["reason"]
    # The record named as people call it, not by its table's name.
    named = {"period_close": "khóa sổ", "cancel_after_review": "chuyển bước hồ sơ"}
    assert named.get(kind, "hồ sơ hỗ trợ") in report["reason"], report["reason"]
    assert f"do máy của Thôn Khuổi Hẩu ({tree.b.unit})" in report["reason"]  # not a list
    if kind == "approval":  # the step as people say it, not the stored value
        assert "(“Trạng thái”: đã phê duyệt)" in report["reason"], report["reason"]
    assert _snapshot(tree.commune) == before


def test_hamlet_may_withdraw_its_own_proposal(tree: Tree) -> None:
    _case(tree.b, "cancelled", claimed_from="proposed")
    assert tree.commune.take(tree.b.export())[0]["status"] == "applied"


def _snapshot(node):  # type: ignore[no-untyped-def]
    from nhao.models import AuditEvent

    with node.db.session() as s:
        return [
            len(s.scalars(select(m)).all())
            for m in (SupportCase, PeriodClose, AuditEvent, ChangeLogEntry)
        ]


def test_a_receipt_is_for_a_bundle_and_for_its_sender(tree: Tree) -> None:
    tree.a.add_household("Nguyễn Văn Một")
    bundle = tree.a.export()
    tree.commune.take(bundle)
    folder = tree.commune.folder
    with pytest.raises(ValidationError, match="Không đọc được tệp khong-co.nhao"):
        sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, folder / "khong-co.nhao",
                       folder / "x.nhaoack")  # fmt: skip
    text_file = folder / "ghi-chu.txt"
    text_file.write_text("không phải gói", encoding="utf-8")
    with pytest.raises(ValidationError, match="ghi-chu.txt không phải gói dữ liệu nhao"):
        sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, text_file,
                       folder / "x.nhaoack")  # fmt: skip
    assert not (folder / "x.nhaoack").exists()
    receipt = folder / "a.nhaoack"
    sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, bundle, receipt)
    with tree.b.db.session() as s:
        before = s.scalars(select(SyncCursor.origin_station)).all()
    with pytest.raises(ValidationError, match="không do máy này xuất"):
        sync.import_ack(tree.b.db, tree.b.actor, receipt)  # hamlet A's receipt, at B
    with tree.b.db.session() as s:
        assert s.scalars(select(SyncCursor.origin_station)).all() == before
    sync.import_ack(tree.a.db, tree.a.actor, receipt)


def test_a_bundle_for_a_unit_nobody_knows_is_not_written(tree: Tree) -> None:
    out = tree.commune.folder / "go-xuong.nhao"
    with pytest.raises(ValidationError, match="Không có đơn vị 06112-ghsai nào dưới"):
        sync.export_bundle(tree.commune.db, tree.commune.actor, PASSWORD, out, to="06112-ghsai")
    assert not out.exists()


def test_acknowledgement_moves_next_export(tree: Tree) -> None:
    tree.a.add_household("Nguyễn Văn Một")
    tree.a.add_household("Nguyễn Văn Hai")
    first = tree.a.export()
    tree.commune.take(first)
    ack = tree.commune.folder / "ack.nhaoack"
    receipt = sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, first, ack)
    assert receipt["status"] == "applied"
    # A lost its record of what it sent (say, its export was made on another copy):
    # without the receipt the next export would start from the beginning again.
    with tree.a.db.transaction() as s:
        for row in s.scalars(select(SyncCursor)):
            s.delete(row)
    sync.import_ack(tree.a.db, tree.a.actor, ack)
    tree.a.add_household("Nguyễn Văn Ba")
    result = sync.export_bundle(tree.a.db, tree.a.actor, PASSWORD, tree.a.folder / "next.nhao")
    ((station, span),) = result.origins.items()
    assert span["from"] == receipt["seen"][station] + 1
    assert result.counts == {"household": 1}
    assert tree.commune.take(result.path)[0]["status"] == "applied"


def _edited_on_both_sides(tree: Tree) -> str:
    """A's and the commune's edits of one phone number, at the commune and the province."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    tree.a.edit_household(hid, phone="0911111111")
    tree.commune.edit_household(hid, phone="0922222222")  # later stamp: stands
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    return hid


def test_a_resolution_made_at_the_province_reaches_the_hamlet(tree: Tree) -> None:
    hid = _edited_on_both_sides(tree)
    (conflict,) = sync.list_conflicts(tree.province.db)
    sync.resolve_conflict(tree.province.db, tree.province.actor, conflict.id, "0911111111")
    assert tree.commune.take(tree.province.export(to=tree.commune.unit))[0]["status"] == "applied"
    # The commune relays what came down to it; the province's other changes never did.
    report = tree.a.take(tree.commune.export(to=tree.a.unit))[0]
    assert report["status"] == "applied", report
    for node in (tree.a, tree.commune, tree.province):
        assert node.household(hid).phone == "0911111111"
        assert sync.list_conflicts(node.db) == []
        node.verify_clean()


def test_a_resolution_goes_down_only_to_the_hamlet_of_its_record(tree: Tree) -> None:
    _edited_on_both_sides(tree)
    (conflict,) = sync.list_conflicts(tree.commune.db)
    sync.resolve_conflict(tree.commune.db, tree.commune.actor, conflict.id, "0911111111")
    out = tree.commune.folder / "xuong-b.nhao"
    down = sync.export_bundle(tree.commune.db, tree.commune.actor, PASSWORD, out, to=tree.b.unit)
    # B has no such household: it gets none of A's values, nor waits for the record.
    assert down.counts == {}
    report = tree.b.take(out)[0]
    assert report["status"] == "skipped" and "held_changes" not in report, report
    assert tree.a.take(tree.commune.export(to=tree.a.unit))[0]["status"] == "applied"


def test_the_commune_and_the_province_resolve_the_same_conflict_each_their_way(
    tree: Tree,
) -> None:
    """The later resolution stands everywhere, whichever value it chose."""
    hid = _edited_on_both_sides(tree)
    (at_province,) = sync.list_conflicts(tree.province.db)
    sync.resolve_conflict(tree.province.db, tree.province.actor, at_province.id, "0911111111")
    (at_commune,) = sync.list_conflicts(tree.commune.db)  # later: keeps the value standing
    sync.resolve_conflict(tree.commune.db, tree.commune.actor, at_commune.id, "0922222222")
    tree.commune.take(tree.province.export(to=tree.commune.unit))
    tree.province.take(tree.commune.export())
    tree.a.take(tree.commune.export(to=tree.a.unit))
    for node in (tree.a, tree.commune, tree.province):
        assert node.household(hid).phone == "0922222222", node.name
        assert sync.list_conflicts(node.db) == []
        node.verify_clean()


def test_an_edit_made_before_the_provinces_resolution_comes_after_it(tree: Tree) -> None:
    """A's second edit reaches the province after the province resolved the conflict,
    from the very value the resolution chose: the resolution is later and stands."""
    hid = _edited_on_both_sides(tree)
    tree.a.edit_household(hid, phone="0933333333")  # before the province resolves
    (conflict,) = sync.list_conflicts(tree.province.db)
    sync.resolve_conflict(tree.province.db, tree.province.actor, conflict.id, "0911111111")
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    tree.commune.take(tree.province.export(to=tree.commune.unit))
    tree.a.take(tree.commune.export(to=tree.a.unit))
    for node in (tree.a, tree.commune, tree.province):
        assert node.household(hid).phone == "0911111111", node.name
        node.verify_clean()
    # Where A's value lost without a person seeing it, it waits for one.
    (lost,) = sync.list_conflicts(tree.province.db)
    assert (lost.kept_value, lost.lost_value) == ("0911111111", "0933333333")


def _deleted_on_a_edited_at_the_commune(tree: Tree) -> str:
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    hh.delete_household(tree.a.db, tree.a.actor, hid, "Chuyển đi nơi khác")
    tree.commune.edit_household(hid, phone="0922222222")  # later: the household stays
    tree.commune.take(tree.a.export())
    return hid


def _deleted(node: Node, household_id: str) -> tuple:
    with node.db.session() as s:
        row = s.get(Household, uuid.UUID(household_id))
        return row.deleted_at is not None, row.deleted_reason


@pytest.mark.parametrize("keep", [True, False])
def test_a_delete_against_an_edit_resolved_either_way_reaches_the_hamlet(
    tree: Tree, keep: bool
) -> None:
    hid = _deleted_on_a_edited_at_the_commune(tree)
    (conflict,) = sync.list_conflicts(tree.commune.db)
    assert (conflict.field, conflict.kept_value) == ("deleted_at", None)
    value = conflict.kept_value if keep else conflict.lost_value
    sync.resolve_conflict(tree.commune.db, tree.commune.actor, conflict.id, value)
    assert tree.a.take(tree.commune.export(to=tree.a.unit))[0]["status"] == "applied"
    tree.province.take(tree.commune.export())
    states = {node.name: _deleted(node, hid) for node in (tree.a, tree.commune, tree.province)}
    assert len(set(states.values())) == 1, states
    assert states["commune"][0] is not keep
    for node in (tree.a, tree.commune, tree.province):
        node.verify_clean()


def test_a_laptop_that_has_the_value_confirmed_keeps_it_against_an_earlier_resolution(
    tree: Tree,
) -> None:
    """As above, but the value the commune confirms is the hamlet's own: there the
    confirmation changes nothing, and still stands against the province's earlier one."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    tree.commune.edit_household(hid, phone="0922222222")
    tree.a.edit_household(hid, phone="0911111111")  # later stamp: stands
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    (at_province,) = sync.list_conflicts(tree.province.db)
    sync.resolve_conflict(tree.province.db, tree.province.actor, at_province.id, "0922222222")
    (at_commune,) = sync.list_conflicts(tree.commune.db)  # later: keeps A's value
    sync.resolve_conflict(tree.commune.db, tree.commune.actor, at_commune.id, "0911111111")
    tree.commune.take(tree.province.export(to=tree.commune.unit))
    tree.province.take(tree.commune.export())
    tree.a.take(tree.commune.export(to=tree.a.unit))
    for node in (tree.a, tree.commune, tree.province):
        assert node.household(hid).phone == "0911111111", node.name
        node.verify_clean()


def test_keeping_the_value_that_stands_keeps_a_later_one_than_the_conflict_saw(
    tree: Tree,
) -> None:
    """A second conflict on the field replaced the value the first one kept: keeping
    "the value that stands" from the first must not bring the older value back."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.a.edit_household(hid, phone="0911111111")
    tree.commune.edit_household(hid, phone="0922222222")  # later: stands
    tree.commune.take(tree.a.export())
    tree.a.edit_household(hid, phone="0933333333")  # later still: stands
    tree.commune.take(tree.a.export())
    first, second = sync.list_conflicts(tree.commune.db)
    assert (first.kept_value, first.lost_value) == ("0933333333", "0911111111")
    assert (second.kept_value, second.lost_value) == ("0933333333", "0922222222")
    sync.resolve_conflict(tree.commune.db, tree.commune.actor, first.id, first.kept_value)
    assert tree.commune.household(hid).phone == "0933333333"
    assert sync.list_conflicts(tree.commune.db) == []


def test_the_commune_keeps_a_delete_the_province_undid_earlier(tree: Tree) -> None:
    """Two resolutions of a delete against an edit: the later stands everywhere."""
    hid = tree.a.add_household("Nguyễn Văn Ấn")
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    tree.commune.edit_household(hid, phone="0922222222")
    hh.delete_household(tree.a.db, tree.a.actor, hid, "Chuyển đi nơi khác")  # later: stands
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    (at_province,) = sync.list_conflicts(tree.province.db)
    sync.resolve_conflict(tree.province.db, tree.province.actor, at_province.id, None)
    (at_commune,) = sync.list_conflicts(tree.commune.db)  # later: stays deleted
    sync.resolve_conflict(tree.commune.db, tree.commune.actor, at_commune.id, at_commune.kept_value)
    tree.commune.take(tree.province.export(to=tree.commune.unit))
    tree.province.take(tree.commune.export())
    tree.a.take(tree.commune.export(to=tree.a.unit))
    states = {node.name: _deleted(node, hid) for node in (tree.a, tree.commune, tree.province)}
    assert set(states.values()) == {(True, "Chuyển đi nơi khác")}, states
    for node in (tree.a, tree.commune, tree.province):
        node.verify_clean()


def test_a_pair_marked_different_is_asked_again_when_it_comes_to_share_a_citizen_id(
    tree: Tree,
) -> None:
    # Same name and birth year in two hamlets: the commune's person says "different".
    # Later both hamlets write down the same citizen ID: new evidence, asked again; a
    # later edit that brings nothing new does not ask a third time.
    a = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    b = tree.b.add_household("Hoàng Văn Páo", birth_year=1975)
    first = tree.commune.take(tree.a.export(), tree.b.export())
    assert [r["possible_duplicates"] for r in first] == [0, 1]
    (pair,) = sync.list_duplicates(tree.commune.db)
    assert pair.reason == "name_birth_year"
    sync.mark_duplicate(tree.commune.db, tree.commune.actor, pair.id, same=False)

    tree.a.edit_household(a, citizen_id="020075001234")
    tree.b.edit_household(b, citizen_id="020075001234")
    again = tree.commune.take(tree.a.export(), tree.b.export())
    assert [r["possible_duplicates"] for r in again] == [0, 1]
    (asked,) = sync.list_duplicates(tree.commune.db)
    assert (asked.id, asked.reason, asked.decision) == (pair.id, "citizen_id", None)

    sync.mark_duplicate(tree.commune.db, tree.commune.actor, asked.id, same=False)
    tree.b.edit_household(b, phone="0912345678")
    assert tree.commune.take(tree.b.export())[0]["possible_duplicates"] == 0
    assert sync.list_duplicates(tree.commune.db) == []


def test_a_duplicate_review_travels_up_and_is_not_asked_again_above(tree: Tree) -> None:
    # Two hamlets list the same name and birth year: the commune's person says
    # "different". The province gets both households and the finding in the commune's
    # bundle, and lists the pair as reviewed, not as a question.
    tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    tree.b.add_household("Hoàng Văn Páo", birth_year=1975)
    tree.commune.take(tree.a.export(), tree.b.export())
    (pair,) = sync.list_duplicates(tree.commune.db)
    # A team leader of hamlet A, signed in at the commune office, reaches one of the two.
    users.create_user(
        tree.commune.db, tree.commune.actor, username="tt-a", password=PASSWORD,
        role=Role.team_leader, hamlet_code=tree.a.unit,
    )
    leader = users.authenticate(tree.commune.db, "tt-a", PASSWORD)
    with pytest.raises(PermissionDenied):
        sync.mark_duplicate(tree.commune.db, leader, pair.id, same=True)
    assert sync.list_duplicates(tree.commune.db)[0].decision is None

    sync.mark_duplicate(tree.commune.db, tree.commune.actor, pair.id, same=False)
    sync.mark_duplicate(tree.commune.db, tree.commune.actor, pair.id, same=False)  # no-op
    with tree.commune.db.session() as session:
        (review,) = session.scalars(select(HouseholdPairReview)).all()
        assert (review.unit_code, review.decision, review.evidence) == (
            tree.commune.unit, "different", "name_birth_year"
        )
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "household_pair_review")
        ).all()
        assert [(e.action, e.user_name) for e in events] == [
            ("insert", tree.commune.actor.username)
        ]
    [report] = tree.province.take(tree.commune.export())
    assert report["possible_duplicates"] == 0
    assert report["entities"]["household_pair_review"]["new"] == 1
    assert sync.list_duplicates(tree.province.db) == []
    (seen,) = sync.list_duplicates(tree.province.db, undecided_only=False)
    assert (seen.decision, seen.reason) == ("different", "name_birth_year")

    # The province sees it otherwise: its finding is an edit of the same record, and
    # the commune's next bundle (with nothing newer about the pair) leaves it standing.
    sync.mark_duplicate(tree.province.db, tree.province.actor, seen.id, same=True)
    tree.a.add_household("Lò Văn Sáng")
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    (seen,) = sync.list_duplicates(tree.province.db, undecided_only=False)
    assert seen.decision == "same"
    with tree.province.db.session() as session:
        assert session.scalar(select(func.count()).select_from(HouseholdPairReview)) == 1
    for node in (tree.commune, tree.province):
        node.verify_clean()


def test_a_review_arriving_after_its_pair_was_listed_answers_it(tree: Tree) -> None:
    # The province listed the pair from the commune's first bundle; the commune's
    # review comes in a later bundle that touches neither household.
    tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    tree.b.add_household("Hoàng Văn Páo", birth_year=1975)
    tree.commune.take(tree.a.export(), tree.b.export())
    tree.province.take(tree.commune.export())
    assert len(sync.list_duplicates(tree.province.db)) == 1
    (pair,) = sync.list_duplicates(tree.commune.db)
    sync.mark_duplicate(tree.commune.db, tree.commune.actor, pair.id, same=True)
    tree.province.take(tree.commune.export())
    assert sync.list_duplicates(tree.province.db) == []
    (seen,) = sync.list_duplicates(tree.province.db, undecided_only=False)
    assert seen.decision == "same"


def test_a_different_on_name_alone_is_asked_again_above_once_a_citizen_id_is_shared(
    tree: Tree,
) -> None:
    a = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    b = tree.b.add_household("Hoàng Văn Páo", birth_year=1975)
    tree.commune.take(tree.a.export(), tree.b.export())
    (pair,) = sync.list_duplicates(tree.commune.db)
    sync.mark_duplicate(tree.commune.db, tree.commune.actor, pair.id, same=False)
    tree.a.edit_household(a, citizen_id="020075001234")
    tree.b.edit_household(b, citizen_id="020075001234")
    tree.commune.take(tree.a.export(), tree.b.export())
    [report] = tree.province.take(tree.commune.export())
    assert report["possible_duplicates"] == 1
    (asked,) = sync.list_duplicates(tree.province.db)
    assert (asked.reason, asked.decision) == ("citizen_id", None)


def _review_from_hamlet(node, first: str, second: str, decision: str) -> None:  # type: ignore[no-untyped-def]
    """What a hamlet laptop could sign: a review in its own unit naming any two ids."""
    low, high = sorted((first, second))
    with unit_of_work(node.db, node.actor) as uow:
        uow.insert(
            HouseholdPairReview(
                id=pair_review_id(low, high),
                unit_code=node.unit,
                household_a=low,
                household_b=high,
                decision=decision,
                evidence="name_birth_year",
                reviewed_by="tt-a",
            )
        )


def test_a_hamlet_cannot_settle_a_pair_that_reaches_outside_its_hamlet(tree: Tree) -> None:
    # Found in review: a review's unit passed the scope check (the hamlet's own), but the
    # households it names were not checked, so hamlet A could answer "different" for
    # its household and one of hamlet B, and the commune never asked.
    a = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    b = tree.b.add_household("Hoàng Văn Páo", birth_year=1975)
    _review_from_hamlet(tree.a, a, b, "different")
    tree.commune.take(tree.b.export(), tree.a.export())
    assert len(sync.list_duplicates(tree.commune.db)) == 1
    # Nor when the pair is listed first and the review comes in a later bundle.
    c = tree.a.add_household("Lường Thị Xuân", birth_year=1980)
    d = tree.b.add_household("Lường Thị Xuân", birth_year=1980)
    tree.commune.take(tree.a.export(), tree.b.export())
    assert len(sync.list_duplicates(tree.commune.db)) == 2
    _review_from_hamlet(tree.a, c, d, "same")
    tree.commune.take(tree.a.export())
    assert len(sync.list_duplicates(tree.commune.db)) == 2
    # Passed up, the province does not take the commune's word for it either.
    tree.province.take(tree.commune.export())
    assert len(sync.list_duplicates(tree.province.db)) == 2


def test_a_review_sitting_on_another_pairs_id_or_renaming_its_pair_is_refused(
    tree: Tree,
) -> None:
    # A review's id is made from the pair it names: one under the id of another pair
    # would block that pair's real review (merged into it as an edit, then never used).
    a = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    b = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    c = tree.a.add_household("Lò Văn Sáng", birth_year=1981)
    low, high = sorted((a, b))
    with unit_of_work(tree.a.db, tree.a.actor) as uow:
        uow.insert(
            HouseholdPairReview(
                id=pair_review_id(*sorted((a, c))),  # the id of the pair (a, c)
                unit_code=tree.a.unit,
                household_a=low,
                household_b=high,
                decision="different",
                evidence="name_birth_year",
            )
        )
    [report] = tree.commune.take(tree.a.export())
    assert report["status"] == "refused"
    assert "cặp hộ có thể trùng" in report["reason"] and "không khớp" in report["reason"]
    with tree.commune.db.session() as session:  # nothing of the bundle was written
        assert session.scalar(select(func.count()).select_from(Household)) == 0


def test_a_review_cannot_be_moved_to_another_pair(tree: Tree) -> None:
    a = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    b = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    c = tree.a.add_household("Lò Văn Sáng", birth_year=1981)
    _review_from_hamlet(tree.a, a, b, "different")
    tree.commune.take(tree.a.export())
    with unit_of_work(tree.a.db, tree.a.actor) as uow:
        review = uow.session.get(HouseholdPairReview, pair_review_id(*sorted((a, b))))
        uow.update(review, {"household_b": c})
    [report] = tree.commune.take(tree.a.export())
    assert report["status"] == "refused" and "không được đổi" in report["reason"]


def test_a_review_is_not_moved_by_a_change_naming_its_new_pair_as_old_and_new(
    tree: Tree,
) -> None:
    # Found in review: only a field whose old and new values differ was refused, so a
    # change carrying household_b [c, c] (an "unchanged" value) went through the merge as
    # an edit on both sides, the later stamp won, and the review moved to the pair (a, c).
    a = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    b = tree.a.add_household("Hoàng Văn Páo", birth_year=1975)
    c = tree.a.add_household("Lò Văn Sáng", birth_year=1981)
    _review_from_hamlet(tree.a, a, b, "different")
    tree.commune.take(tree.a.export())
    review_id = pair_review_id(*sorted((a, b)))
    with unit_of_work(tree.a.db, tree.a.actor) as uow:
        review = uow.session.get(HouseholdPairReview, review_id)
        uow.update(review, {"decision": "same"})
    with tree.a.db.transaction() as session:  # what a hamlet laptop could sign
        entry = session.scalars(
            select(ChangeLogEntry).order_by(ChangeLogEntry.id.desc()).limit(1)
        ).one()
        assert entry.entity == "household_pair_review"
        entry.changes = dict(entry.changes, household_b=[c, c])
    tree.commune.take(tree.a.export())
    with tree.commune.db.session() as session:
        review = session.get(HouseholdPairReview, review_id)
        assert sorted((review.household_a, review.household_b)) == sorted((a, b))


def test_a_target_goes_down_only_to_the_unit_it_is_for(tree: Tree) -> None:
    """Targets travel down to the unit they are set for, as a province's reach each
    commune: one hamlet (or commune) is not sent, nor keeps, the targets of the others."""
    from nhao.models import Target

    with unit_of_work(tree.commune.db, tree.commune.actor) as uow:
        for hamlet, builds in ((tree.a, 3), (tree.b, 5)):
            uow.insert(Target(unit_code=hamlet.unit, year=2026, new_builds=builds, repairs=1))
    out = tree.commune.folder / "xuong-a.nhao"
    down = sync.export_bundle(tree.commune.db, tree.commune.actor, PASSWORD, out, to=tree.a.unit)
    assert down.counts == {"target": 1}
    assert tree.a.take(out)[0]["status"] == "applied"
    with tree.a.db.session() as session:
        held = session.execute(select(Target.unit_code, Target.new_builds)).all()
    assert held == [(tree.a.unit, 3)]
    assert tree.b.take(tree.commune.export(to=tree.b.unit))[0]["status"] == "applied"
    with tree.b.db.session() as session:
        assert session.scalars(select(Target.unit_code)).all() == [tree.b.unit]


def test_a_target_for_another_unit_from_above_is_refused(tree: Tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A bundle from above made before targets went only to their own unit (or edited)
    carries another hamlet's target: refused whole, in words, nothing written."""
    from nhao.models import Target
    from nhao.services.sync import export as sync_export

    with unit_of_work(tree.commune.db, tree.commune.actor) as uow:
        for hamlet in (tree.a, tree.b):
            uow.insert(Target(unit_code=hamlet.unit, year=2026, new_builds=2, repairs=1))
    monkeypatch.setattr(sync_export.UnitTree, "within", lambda self, unit, root: True)
    out = tree.commune.folder / "xuong-a-cu.nhao"
    sync.export_bundle(tree.commune.db, tree.commune.actor, PASSWORD, out, to=tree.a.unit)
    monkeypatch.undo()
    [report] = tree.a.take(out)
    assert report["status"] == "refused"
    assert f"chỉ tiêu năm của {tree.b.unit}, không phải của Thôn Nà Pàn" in report["reason"]
    with tree.a.db.session() as session:
        assert session.scalars(select(Target.unit_code)).all() == []
    # What heals it: a full bundle (the next incremental one waits for this one's numbers).
    assert "Toàn bộ dữ liệu" in report["reason"]
    with unit_of_work(tree.commune.db, tree.commune.actor) as uow:
        uow.insert(Target(unit_code=tree.a.unit, year=2027, new_builds=1, repairs=0))
    assert tree.a.take(tree.commune.export(to=tree.a.unit))[0]["status"] == "pending"
    healed = tree.a.take(tree.commune.export(to=tree.a.unit, full=True))
    assert healed[0]["status"] == "applied", healed[0].get("reason")
    with tree.a.db.session() as session:
        held = session.execute(select(Target.unit_code, Target.year)).all()
    assert sorted(held) == [(tree.a.unit, 2026), (tree.a.unit, 2027)]  # its own only
