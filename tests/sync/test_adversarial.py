"""Hostile or broken bundles: each refused with a clear message, nothing written."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nhao.domain.errors import ValidationError
from nhao.models import AuditEvent, ChangeLogEntry, Household
from nhao.models.sync import SyncOrigin
from nhao.services import sync
from nhao.services.sync import keys
from nhao.sync import bundle, crypto

from .conftest import PASSWORD, Tree, trust


def state(node) -> list[int]:  # type: ignore[no-untyped-def]
    with node.db.session() as s:
        return [
            s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Household, AuditEvent, ChangeLogEntry, SyncOrigin)
        ]


def refused(node, path: Path, *words: str) -> str:  # type: ignore[no-untyped-def]
    before = state(node)
    report = node.take(path)[0]
    assert report["status"] == "refused", report.get("reason")
    assert path.name in report["reason"], report["reason"]
    for word in words:
        assert word in report["reason"], report["reason"]
    assert state(node) == before
    return report["reason"]


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def rezip(path: Path, items: list[tuple[str, bytes]], out: Path, method=zipfile.ZIP_STORED) -> Path:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
    out.write_bytes(buffer.getvalue())
    return out


@pytest.fixture
def sent(tree: Tree) -> Path:
    tree.a.add_household("Nguyễn Văn Ấn", citizen_id="")
    return tree.a.export()


def test_flipped_byte_in_any_member(tree: Tree, sent: Path, tmp_path: Path) -> None:
    for name in members(sent):
        items = list(members(sent).items())
        for i, (n, data) in enumerate(items):
            if n == name:
                flip = len(data) // 2
                items[i] = (n, data[:flip] + bytes([data[flip] ^ 1]) + data[flip + 1 :])
        bad = rezip(sent, items, tmp_path / f"flip-{name.replace('/', '_')}.nhao")
        refused(tree.commune, bad)


def test_resigned_by_unknown_key(tree: Tree, sent: Path, tmp_path: Path) -> None:
    items = members(sent)
    stranger = crypto.KeyPair.generate()
    from nhao.sync import minisign

    sig = minisign.sign(stranger.ed, bytes.fromhex(stranger.key_id), items["manifest.json"], "x")
    items["manifest.sig"] = sig.encode()
    bad = rezip(sent, list(items.items()), tmp_path / "resigned.nhao")
    refused(tree.commune, bad, "chưa được tin cậy")


def test_revoked_key(tree: Tree, sent: Path) -> None:
    key = keys.show_key(tree.a.db).key_id
    keys.revoke_key(tree.commune.db, tree.commune.actor, key, reason="mất máy")
    refused(tree.commune, tree.a.export(full=True), "thu hồi")


def test_a_rotated_key_travels_and_falls_with_the_key_it_came_from(tree: Tree) -> None:
    tree.a.add_household("Trước Khi Xoay")
    tree.commune.take(tree.a.export())
    old = keys.show_key(tree.a.db).key_id
    keys.rotate_key(tree.a.db, tree.a.actor, PASSWORD)
    new = keys.show_key(tree.a.db).key_id
    assert new != old
    tree.a.add_household("Sau Khi Xoay")
    report = tree.commune.take(tree.a.export())[0]
    assert report["status"] == "applied" and report["producer"]["key"] == new
    trusted = {k.key_id: k for k in keys.list_trusted(tree.commune.db)}
    assert trusted[old].replaced_by == new and trusted[new].revoked_from is None
    # The old key was lost before it was rotated: a key it rotated to since is not
    # trusted either (the thief could have rotated it).
    keys.revoke_key(
        tree.commune.db, tree.commune.actor, old, from_time=datetime(2020, 1, 1), reason="mất máy"
    )
    assert {k.key_id: k for k in keys.list_trusted(tree.commune.db)}[new].revoked_from
    tree.a.add_household("Sau Khi Thu Hồi")
    refused(tree.commune, tree.a.export(), "thu hồi")


def test_rotations_missed_are_followed_and_a_receipt_carries_them(tree: Tree) -> None:
    """Two rotations before the commune hears of either; then the commune rotates and
    sends a receipt signed by a key the hamlet has not seen."""
    tree.a.add_household("Trước Khi Xoay")
    tree.commune.take(tree.a.export())
    first = keys.show_key(tree.a.db).key_id
    keys.rotate_key(tree.a.db, tree.a.actor, PASSWORD)
    second = keys.show_key(tree.a.db).key_id
    keys.rotate_key(tree.a.db, tree.a.actor, PASSWORD)
    third = keys.show_key(tree.a.db).key_id
    tree.a.add_household("Sau Hai Lần Xoay")
    bundle = tree.a.export()
    report = tree.commune.take(bundle)[0]
    assert report["status"] == "applied", report.get("reason")
    trusted = {k.key_id: k for k in keys.list_trusted(tree.commune.db)}
    # Every key on the way is the station's: each replaced by the next.
    assert (trusted[first].replaced_by, trusted[second].replaced_by) == (second, third)
    assert trusted[third].role == trusted[second].role == "child"

    keys.rotate_key(tree.commune.db, tree.commune.actor, PASSWORD)
    receipt = tree.commune.folder / "a.nhaoack"
    sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, bundle, receipt)
    sync.import_ack(tree.a.db, tree.a.actor, receipt)
    commune_key = keys.show_key(tree.commune.db).key_id
    assert commune_key in {k.key_id for k in keys.list_trusted(tree.a.db)}
    # A chain that does not start from a trusted key enrols nothing.
    document = json.loads(receipt.read_text(encoding="utf-8"))
    document["ack"]["rotations"][0]["sig"] = document["ack"]["rotations"][0]["sig"][::-1]
    tampered = tree.commune.folder / "b.nhaoack"
    tampered.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValidationError, match="chưa được tin cậy"):
        sync.import_ack(tree.b.db, tree.b.actor, tampered)
    assert commune_key not in {k.key_id for k in keys.list_trusted(tree.b.db)}


def test_a_revoked_key_cannot_rotate_its_way_back_in(tree: Tree) -> None:
    """The laptop is stolen after a rotation the commune followed: the commune revokes
    the key in use, the thief rotates it and sends a bundle signed by the new key."""
    tree.a.add_household("Hộ Một")
    tree.commune.take(tree.a.export())
    keys.rotate_key(tree.a.db, tree.a.actor, PASSWORD)
    stolen = keys.show_key(tree.a.db).key_id
    tree.a.add_household("Hộ Hai")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    keys.revoke_key(tree.commune.db, tree.commune.actor, stolen, reason="máy bị mất")
    keys.rotate_key(tree.a.db, tree.a.actor, PASSWORD)
    thiefs = keys.show_key(tree.a.db).key_id
    tree.a.add_household("Hộ Giả")
    refused(tree.commune, tree.a.export(), "chưa được tin cậy")
    assert thiefs not in {k.key_id for k in keys.list_trusted(tree.commune.db)}


def test_a_stations_own_bundle_is_named_as_its_own(tree: Tree, sent: Path) -> None:
    refused(tree.a, sent, "do chính máy này xuất ra")


def test_records_outside_the_senders_unit(tree: Tree) -> None:
    # B's laptop is enrolled at the commune as if it were A's hamlet's key: it then
    # brings records of hamlet B, outside the unit the key was trusted for.
    tree.b.add_household("Lương Văn Cường")
    with tree.commune.db.transaction() as s:
        from nhao.models.sync import TrustedKey

        row = s.get(TrustedKey, keys.show_key(tree.b.db).key_id)
        row.unit_code = tree.a.unit
    bundle_path = tree.b.export()
    refused(tree.commune, bundle_path)


def test_parent_bundle_carrying_households(tree: Tree) -> None:
    tree.commune.add_household("Nguyễn Văn Xã", hamlet=_hamlet_of(tree))
    # The commune exports "down" everything, as a tampered program would.
    from nhao.sync import rules

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(rules.RULES, "household", rules.EntityRule(downward=True))
        down = tree.commune.export(to=tree.a.unit)
    refused(tree.a, down, "cấp trên")


def test_parent_bundle_renaming_another_hamlet(tree: Tree) -> None:
    """A commune's new name for a hamlet goes down to that hamlet alone: one for
    another hamlet, sent by a tampered program, is refused whole."""
    from nhao.services import units
    from nhao.sync.scope import UnitTree

    tree.commune.take(tree.a.export())
    tree.commune.take(tree.b.export())
    tree.a.take(tree.commune.export(to=tree.a.unit))
    units.rename_hamlet(tree.commune.db, tree.commune.actor, "Khuổi Hẩu", "Bản Khuổi Hẩu Mới")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(UnitTree, "within", lambda self, code, root: True)
        down = tree.commune.export(to=tree.a.unit)
    refused(tree.a, down, "cấp trên", "không phải của")


def test_a_time_with_a_zone(tree: Tree) -> None:
    """nhao writes UTC times without a zone; SQLite, COPY and an INSERT would each
    store a zoned one differently, and none would match the hash pinned for it."""
    tree.a.add_household("Nguyễn Văn Giờ", citizen_id="")
    with tree.a.db.transaction() as s:
        line = s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.entity == "household")).one()
        line.changes = {**line.changes, "created_at": [None, "2026-11-22T09:05:07.000000+07:00"]}
    refused(tree.commune, tree.a.export(), "múi giờ", "không có gì được ghi")


def test_an_unexpected_failure_in_the_merge_is_one_sentence_and_a_log(
    tree: Tree, sent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault of nhao's own while merging: people read which bundle was not applied
    and where the details are, not the name of a Python exception."""
    from nhao.config import data_dir
    from nhao.services.sync import importing

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyError("household_search")

    with monkeypatch.context() as patch:
        patch.setattr(importing, "_merge", broken)
        reason = refused(tree.commune, sent, "lỗi không mong đợi", "không có gì được ghi")
    assert "KeyError" not in reason and "household_search" not in reason, reason
    [log] = (data_dir() / "logs").glob("crash-*.txt")
    assert str(log) in reason
    details = log.read_text(encoding="utf-8")
    assert sent.name in details and "KeyError" in details and "household_search" in details
    assert tree.commune.take(sent)[0]["status"] == "applied"  # the fault mended: it goes in


def _hamlet_of(tree: Tree) -> str:
    tree.commune.take(tree.a.export())
    return tree.a.unit


def test_unsafe_member_names_and_duplicates(tree: Tree, sent: Path, tmp_path: Path) -> None:
    items = list(members(sent).items())
    for name in ("../evil", "/etc/passwd", "blobs/../../x", "C:\\evil"):
        bad = rezip(sent, [*items, (name, b"x")], tmp_path / f"name-{len(name)}.nhao")
        refused(tree.commune, bad, "không an toàn")
    with pytest.warns(UserWarning):  # zipfile warns, but writes the duplicate
        dup = rezip(sent, [*items, ("changes.jsonl", b"{}")], tmp_path / "dup.nhao")
    refused(tree.commune, dup, "trùng tên")


def test_zip_bomb(tree: Tree, sent: Path, tmp_path: Path) -> None:
    items = [(n, d) for n, d in members(sent).items() if n != "changes.jsonl"]
    bomb = rezip(
        sent,
        [*items, ("changes.jsonl", b"\0" * 50_000_000)],
        tmp_path / "bomb.nhao",
        method=zipfile.ZIP_DEFLATED,
    )
    assert bomb.stat().st_size < 200_000
    refused(tree.commune, bomb, "bom nén")


def test_truncated_and_junk(tree: Tree, sent: Path, tmp_path: Path) -> None:
    data = sent.read_bytes()
    cut = tmp_path / "cut.nhao"
    cut.write_bytes(data[: len(data) * 2 // 3])
    refused(tree.commune, cut, "hãy nhờ nơi gửi chép hoặc gửi lại tệp này")  # what to do
    before = tmp_path / "junk-before.nhao"
    before.write_bytes(b"MZ junk" + data)
    refused(tree.commune, before)
    after = tmp_path / "junk-after.nhao"
    after.write_bytes(data + b"trailing")
    refused(tree.commune, after)


def test_newer_schema(tree: Tree, sent: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nhao.services.sync import export as sync_export

    monkeypatch.setattr(type(tree.a.db), "head_revision", lambda self: "9999")
    newer = tree.a.export(full=True)
    monkeypatch.undo()
    assert sync_export  # the export path wrote schema 9999
    refused(tree.commune, newer, "cập nhật nhao")


def test_sealed_for_another_recipient(tree: Tree, tmp_path: Path) -> None:
    tree.a.add_household("Nguyễn Văn Ấn")
    sealed = tree.a.export()
    assert bundle.json.loads(members(sealed)["manifest.json"])["sealed"] is not None
    # Province pretends to be the commune: trusts A, but is not the recipient.
    trust(tree.province, tree.a, "child")
    refused(tree.province, sealed, "niêm phong")


def test_a_list_of_recipients_written_wrong_is_refused_in_a_sentence(
    tree: Tree, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    """A faulty station (a bug, a manifest edited and signed again) wrote the computers
    a bundle is sealed to as no list: refused as such, not as an unexpected failure."""
    real = bundle._sealing

    def written_wrong(recipients):  # type: ignore[no-untyped-def]
        sealer, _entry = real(recipients)
        return sealer, {"scheme": bundle.SEAL_SCHEME_MANY, "recipients": 5}

    monkeypatch.setattr(bundle, "_sealing", written_wrong)
    tree.a.add_household("Nguyễn Văn Ấn")
    wrong = tree.a.export()
    monkeypatch.undo()
    refused(tree.commune, wrong, "danh sách máy nhận")


def test_minisign_verifies_a_bundle(tree: Tree, sent: Path, tmp_path: Path) -> None:
    binary = shutil.which("minisign")
    if binary is None:
        pytest.skip("minisign is not installed (apt-get install minisign)")
    folder = tmp_path / "check"
    folder.mkdir()
    pub = keys.export_public_key(tree.a.db, folder / "a.pub", minisign_format=True)
    for name, data in members(sent).items():
        if name.startswith("manifest"):
            (folder / name).write_bytes(data)
    result = subprocess.run(
        [
            binary,
            "-V",
            "-p",
            str(pub),
            "-m",
            str(folder / "manifest.json"),
            "-x",
            str(folder / "manifest.sig"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert PASSWORD


def test_a_change_pointing_at_a_record_that_never_came(tree: Tree) -> None:
    """A fault at the sender: an edit moves a case onto a household nobody has. The
    foreign key refuses it; the bundle is refused whole, saying what to do."""
    from datetime import date

    from nhao.domain.enums import CaseStatus, SupportKind
    from nhao.services import cases

    hid = tree.a.add_household("Hộ Có Hồ Sơ")
    case = cases.propose_case(tree.a.db, tree.a.actor, hid, SupportKind.new_build, 2025)
    tree.commune.take(tree.a.export())
    tree.province.take(tree.commune.export())
    cases.transition(
        tree.commune.db, tree.commune.actor, case.id, CaseStatus.reviewed, on=date.today()
    )
    with tree.commune.db.transaction() as s:
        line = s.scalars(
            select(ChangeLogEntry)
            .where(ChangeLogEntry.entity == "support_case", ChangeLogEntry.op == "update")
            .order_by(ChangeLogEntry.id.desc())
        ).first()
        assert line is not None
        nowhere = "0193a5c0-0000-7000-8000-000000000001"
        line.changes = {**line.changes, "household_id": [hid, nowhere]}
    refused(tree.province, tree.commune.export(), "không có ở máy này", "gói đầy đủ")


def test_a_bundle_carried_to_the_wrong_office_says_where_it_belongs(  # type: ignore[no-untyped-def]
    tree: Tree, sent: Path, make_node
) -> None:
    # Both said only "signed by key … not trusted on this computer": the official of
    # the neighbouring commune, or the province handed a hamlet's file, could not tell
    # whose file it was nor that it should go on to the commune it names.
    other = make_node("other-commune", "06040")  # Xã Thất Khê, same province
    said = refused(other, sent, "chưa được tin cậy", tree.a.unit, "06112", "không có gì được ghi")
    assert "Hãy chuyển gói" in said
    tree.commune.take(sent)
    tree.province.take(tree.commune.export())  # the province knows the hamlet by name now
    said = refused(tree.province, sent, "Thôn Nà Pàn", "06112", "Hãy chuyển gói")
    # Addressed here but from a key nobody enrolled: what to do is to trust it.
    stranger = make_node("stranger", "06112", "Thôn Khuổi Hẩu")
    said = refused(tree.commune, stranger.export(to="06112"), "chưa được tin cậy", stranger.unit)
    assert "hãy tin cậy khóa của nó" in said


def test_a_bundle_down_to_another_hamlet_says_it_is_another_hamlet_of_the_commune(
    tree: Tree,
) -> None:
    """The commune's bundle for hamlet B, posted in the commune's chat group, taken by
    hamlet A's laptop, which has never heard of B: the refusal named B by its code
    alone ("chuyển gói cho 06112-…"), which no team leader can read."""
    down = tree.commune.export(to=tree.b.unit)
    said = refused(tree.a, down, f"thôn, xóm khác (mã {tree.b.unit}) của Xã Bình Gia (06112)")
    assert f"cho {tree.b.unit}," not in said


def test_a_receipt_or_a_spreadsheet_given_as_a_bundle_is_named_for_what_it_is(  # type: ignore[no-untyped-def]
    tree: Tree, sent: Path, tmp_path: Path
) -> None:
    # Receipts and household lists come back through the same chat as bundles. The
    # receipt was "junk at the start of the file", the .xlsx "a member with an unsafe
    # name ('docProps/app.xml')": neither says which command the file is for.
    from openpyxl import Workbook

    tree.commune.take(sent)
    receipt = tmp_path / "bao-nhan.nhaoack"
    sync.write_ack(tree.commune.db, tree.commune.actor, PASSWORD, sent, receipt)
    said = refused(tree.a, receipt, "giấy báo nhận", "ack-import")
    assert "dữ liệu lạ" not in said
    book = tmp_path / "danh-sach.xlsx"
    Workbook().save(book)
    said = refused(tree.commune, book, "không phải gói dữ liệu nhao")
    assert "không an toàn" not in said


def test_bundles_zipped_again_to_send_are_named_and_how_to_take_them_said(
    tree: Tree, sent: Path, tmp_path: Path
) -> None:
    # Windows' "Send to → Compressed folder" before an e-mail: a zip holding the bundle.
    wrapped = tmp_path / "goi-thang-11.zip"
    with zipfile.ZipFile(wrapped, "w") as archive:
        archive.write(sent, f"goi/{sent.name}")
        archive.writestr("ghi-chu.txt", "Gửi xã")
    said = refused(tree.commune, wrapped, sent.name, "giải nén")
    assert "Excel" not in said
    # Nothing of the bundle inside was taken: once unzipped, it goes in.
    assert tree.commune.take(sent)[0]["status"] == "applied"


def test_a_bundle_that_carries_only_a_rotation_enrols_it(tree: Tree) -> None:
    """The commune rotates its key and, as the export's note says, sends a bundle with
    no change only to carry the rotation: the hamlet enrols the new key then, not at
    some later bundle (until then a thief of the old key could still rotate it)."""
    old = keys.show_key(tree.commune.db).key_id
    keys.rotate_key(tree.commune.db, tree.commune.actor, PASSWORD)
    new = keys.show_key(tree.commune.db).key_id
    report = tree.a.take(tree.commune.export(to=tree.a.unit))[0]
    assert report["status"] == "skipped" and report.get("nothing_new")
    trusted = {k.key_id: k for k in keys.list_trusted(tree.a.db)}
    assert trusted[old].replaced_by == new
    assert trusted[new].role == "parent"
