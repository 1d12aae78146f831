"""The fingerprint people compare covers the unit and the station a key file names, not
only its keys: a team leader who edits his key file to say another hamlet (or the
commune) before sending it through a chat app cannot have it enrolled for that unit
by the fingerprint of his genuine certificate."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest

from nhao.domain.errors import ValidationError
from nhao.models.sync import TrustedKey
from nhao.reports.pdf.key_certificate import fingerprint_lines
from nhao.services.sync import keys
from nhao.services.sync.certificate import write_certificate
from nhao.services.sync.epoch import start_new_epoch
from nhao.sync import crypto

from .conftest import COMMUNE, PASSWORD, Node, Tree


@pytest.fixture
def newcomer(tree: Tree, make_node) -> Node:  # type: ignore[no-untyped-def]
    """A hamlet laptop the commune has not enrolled yet."""
    return make_node("hamlet-c", COMMUNE, "Thôn Nà Phai")


def _edited(genuine: Path, name: str, **fields: str) -> Path:
    doc = json.loads(genuine.read_text(encoding="utf-8"))
    doc.update(fields)
    out = genuine.with_name(name)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def _trusted_ids(node: Node) -> set[str]:
    return {k.key_id for k in keys.list_trusted(node.db)}


@pytest.mark.parametrize("claimed", ["another hamlet", "the commune"])
def test_a_key_file_edited_to_name_another_unit_is_refused(
    tree: Tree, newcomer: Node, claimed: str
) -> None:
    genuine = keys.export_public_key(newcomer.db, newcomer.folder / "thon-c.nhaokey")
    fingerprint = keys.show_key(newcomer.db).fingerprint  # from the signed paper
    unit = tree.b.unit if claimed == "another hamlet" else COMMUNE
    edited = _edited(genuine, "thon-c-sua.nhaokey", unit=unit)
    with pytest.raises(ValidationError) as refused:
        keys.trust_key(tree.commune.db, tree.commune.actor, edited, fingerprint)
    said = str(refused.value)
    assert "thon-c-sua.nhaokey" in said and "không khớp" in said and unit in said, said
    assert keys.show_key(newcomer.db).key_id not in _trusted_ids(tree.commune)

    view = keys.trust_key(tree.commune.db, tree.commune.actor, genuine, fingerprint)
    assert (view.unit_code, view.fingerprint) == (newcomer.unit, fingerprint)


def test_a_key_file_edited_to_name_another_station_is_refused(
    tree: Tree, newcomer: Node
) -> None:
    genuine = keys.export_public_key(newcomer.db, newcomer.folder / "thon-c.nhaokey")
    fingerprint = keys.show_key(newcomer.db).fingerprint
    other_station = keys.show_key(tree.a.db).station_id
    edited = _edited(genuine, "thon-c-tram.nhaokey", station=other_station)
    with pytest.raises(ValidationError, match="thon-c-tram.nhaokey"):
        keys.trust_key(tree.commune.db, tree.commune.actor, edited, fingerprint)
    assert keys.show_key(newcomer.db).key_id not in _trusted_ids(tree.commune)
    view = keys.trust_key(tree.commune.db, tree.commune.actor, genuine, fingerprint)
    assert view.station_id == keys.show_key(newcomer.db).station_id


def test_a_fingerprint_from_a_certificate_of_the_old_kind_is_refused_with_a_reason(
    tree: Tree, newcomer: Node
) -> None:
    """Certificates printed before the fingerprint covered the unit: the person is told
    to ask for a new one, not that they mistyped."""
    genuine = keys.export_public_key(newcomer.db, newcomer.folder / "thon-c.nhaokey")
    doc = json.loads(genuine.read_text(encoding="utf-8"))
    old = crypto.legacy_fingerprint(crypto.unb64(doc["ed25519"]), crypto.unb64(doc["x25519"]))
    with pytest.raises(ValidationError) as refused:
        keys.trust_key(tree.commune.db, tree.commune.actor, genuine, old)
    said = str(refused.value)
    assert "thon-c.nhaokey" in said and "cách tính cũ" in said and "in lại" in said, said
    assert keys.show_key(newcomer.db).key_id not in _trusted_ids(tree.commune)


def test_show_the_key_file_the_certificate_and_the_trust_store_agree(
    tree: Tree, newcomer: Node
) -> None:
    info = keys.show_key(newcomer.db)
    key_file = keys.export_public_key(newcomer.db, newcomer.folder / "thon-c.nhaokey")
    doc = json.loads(key_file.read_text(encoding="utf-8"))
    assert (doc["fingerprint"], doc["unit"], doc["station"]) == (
        info.fingerprint, info.unit_code, info.station_id,
    )  # fmt: skip
    assert info.fingerprint == keys.key_fingerprint(
        doc["ed25519"], doc["x25519"], unit=doc["unit"], station=doc["station"]
    )

    paper = write_certificate(newcomer.db, newcomer.folder / "giay.pdf")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(paper).pages)
    for line in fingerprint_lines(info.fingerprint):
        assert line in text
    assert info.unit_code in text and info.station_id in text

    first = keys.trust_key(tree.commune.db, tree.commune.actor, key_file, info.fingerprint)
    with tree.commune.db.session() as session:
        assert session.get(TrustedKey, info.key_id).fingerprint == info.fingerprint
    # The same file enrolled again is said to be trusted already, and left as it was.
    again = keys.trust_key(tree.commune.db, tree.commune.actor, key_file, info.fingerprint)
    assert (first.already_trusted, again.already_trusted) == (False, True)
    assert again.enrolled_at == first.enrolled_at


def test_a_rotated_key_is_stored_with_the_fingerprint_its_station_shows(tree: Tree) -> None:
    """The rotation travels in a bundle; the commune enrols the new key for the unit it
    trusted the old one for, and the station that sent it."""
    tree.a.add_household("Trước Khi Xoay")
    tree.commune.take(tree.a.export())
    keys.rotate_key(tree.a.db, tree.a.actor, PASSWORD)
    rotated = keys.show_key(tree.a.db)
    tree.a.add_household("Sau Khi Xoay")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    trusted = {k.key_id: k for k in keys.list_trusted(tree.commune.db)}[rotated.key_id]
    assert (trusted.unit_code, trusted.station_id) == (rotated.unit_code, rotated.station_id)
    assert trusted.fingerprint == rotated.fingerprint


def test_a_rotation_in_a_key_file_of_another_unit_links_nothing(tree: Tree) -> None:
    """A key file whose rotations lead from a key trusted for one unit, naming another
    unit (with a certificate to match): enrolled for the unit it names, if at all, but
    not as the next key of the one trusted before, nor the keys on the way."""
    old = keys.show_key(tree.a.db).key_id
    keys.rotate_key(tree.a.db, tree.a.actor, PASSWORD)
    genuine = keys.export_public_key(tree.a.db, tree.a.folder / "moi.nhaokey")
    edited = _edited(genuine, "moi-sua.nhaokey", unit=tree.b.unit)
    doc = json.loads(edited.read_text(encoding="utf-8"))
    typed = keys.key_fingerprint(doc["ed25519"], doc["x25519"], unit=doc["unit"],
                                 station=doc["station"])  # fmt: skip
    keys.trust_key(tree.commune.db, tree.commune.actor, edited, typed)
    trusted = {k.key_id: k for k in keys.list_trusted(tree.commune.db)}
    assert trusted[doc["key_id"]].unit_code == tree.b.unit
    assert trusted[old].replaced_by is None


def test_a_new_epoch_shows_and_prints_the_fingerprint_of_its_new_station_id(
    tree: Tree,
) -> None:
    """A laptop restored from a backup takes a new station id: what it shows, exports
    and prints all name the new one (a unit enrolling it now needs the new paper);
    units that trusted it before keep taking its bundles."""
    before = keys.show_key(tree.a.db)
    start_new_epoch(tree.a.db)
    after = keys.show_key(tree.a.db)
    assert after.key_id == before.key_id and after.station_id != before.station_id
    assert after.fingerprint != before.fingerprint
    key_file = keys.export_public_key(tree.a.db, tree.a.folder / "sau.nhaokey")
    assert json.loads(key_file.read_text(encoding="utf-8"))["fingerprint"] == after.fingerprint
    tree.a.add_household("Sau Khi Khôi Phục")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"


def test_the_fingerprint_covers_every_field_unambiguously() -> None:
    pair = crypto.KeyPair.generate()
    ed, x = pair.ed_public, pair.x_public
    base = crypto.fingerprint(ed, x, unit="06112-01", station="s1")
    variants = {
        crypto.fingerprint(ed, x, unit="06112-02", station="s1"),
        crypto.fingerprint(ed, x, unit="06112-01", station="s2"),
        # The same bytes split otherwise between the two fields.
        crypto.fingerprint(ed, x, unit="06112-01s", station="1"),
        crypto.fingerprint(ed, x, unit="06112", station="-01s1"),
        crypto.fingerprint(x, ed, unit="06112-01", station="s1"),
        crypto.legacy_fingerprint(ed, x),
    }
    assert base not in variants and len(variants) == 6


def test_the_fingerprint_is_a_fixed_function_of_its_fields() -> None:
    """Certificates are printed and kept on paper: the same key, unit and station give
    the same fingerprint in every later nhao."""
    ed, x = bytes(range(32)), bytes(range(32, 64))
    assert crypto.fingerprint(ed, x, unit="06112", station="0195f2a4") == KNOWN


KNOWN = "KP53 WGXX BWM5 RW7N F3O5 DHEI"
