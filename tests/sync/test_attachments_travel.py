"""Photos and papers in bundles: a photo attached at a hamlet reaches the commune and
the province byte for byte, stored once; a blob that does not match its name is
refused with nothing left in the store; a blob missing at export is said, and a later
full bundle brings it; what an import killed while staging left behind is swept."""

from __future__ import annotations

import hashlib
import json
import os
import time
import zipfile
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from nhao.models import Attachment, file_store
from nhao.services import attachments, sync, units
from nhao.services.sync import keys
from nhao.sync import bundle

from .conftest import PASSWORD, Node, Tree


def photo(path: Path, colour: tuple[int, int, int] = (200, 90, 40)) -> Path:
    Image.new("RGB", (64, 48), colour).save(path, "JPEG")
    return path


def store_files(node: Node) -> list[Path]:
    """Every file in the node's attachment store (thumbnails aside)."""
    folder = node.db.location.attachment_dir
    if not folder.exists():
        return []
    found = folder.rglob("*")
    return sorted(p for p in found if p.is_file() and not {"thumbs", ".staging"} & set(p.parts))


def test_a_photo_reaches_the_commune_and_the_province_intact_and_stored_once(
    tree: Tree, tmp_path: Path
) -> None:
    first = tree.a.add_household("Nguyễn Văn Ấn")
    second = tree.a.add_household("Hoàng Thị Bình")
    source = photo(tmp_path / "Ảnh nhà ông Ấn – trước.jpg")
    [one] = attachments.add_attachments(tree.a.db, tree.a.actor, first, [source])
    [two] = attachments.add_attachments(tree.a.db, tree.a.actor, second, [source])
    assert one.sha256 == two.sha256 and len(store_files(tree.a)) == 1
    content = one.path.read_bytes()

    up = tree.a.export()
    with zipfile.ZipFile(up) as zf:  # one blob for the two records
        assert [n for n in zf.namelist() if n.startswith("blobs/")] == [f"blobs/{one.sha256}"]
    assert tree.commune.take(up)[0]["status"] == "applied"
    assert tree.province.take(tree.commune.export())[0]["status"] == "applied"
    for node in (tree.commune, tree.province):
        [stored] = store_files(node)
        assert stored.read_bytes() == content
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == one.sha256
        shown = attachments.list_attachments(node.db, node.actor, first)
        assert [a.filename for a in shown] == ["Ảnh nhà ông Ấn – trước.jpg"]
        assert shown[0].path.read_bytes() == content
        assert attachments.thumbnail(node.db, shown[0].id) is not None


def _resigned(node: Node, original: Path, blobs: dict[str, Path], out: Path) -> Path:
    """The node's own bundle written again with other blobs, properly signed: only the
    importer's own check of each blob against its name can find the lie."""
    with zipfile.ZipFile(original) as zf:
        manifest = json.loads(zf.read(bundle.MANIFEST))
        lines = [line for line in zf.read(bundle.CHANGES).splitlines() if line]
    manifest.pop("members")
    manifest.pop("sealed")
    with node.db.session() as session:
        _row, signer = keys.unlock(session, node.actor, PASSWORD)
    bundle.write_bundle(out, bundle.BundleContent(manifest, lines, blobs), signer=signer)
    return out


def test_a_blob_that_is_not_what_its_name_says_is_refused_and_nothing_is_stored(
    tree: Tree, tmp_path: Path
) -> None:
    household = tree.a.add_household("Nguyễn Văn Ấn")
    [good] = attachments.add_attachments(
        tree.a.db, tree.a.actor, household, [photo(tmp_path / "nha.jpg")]
    )
    liar = tmp_path / "other"
    liar.write_bytes(b"\xff\xd8 not the photo it claims to be")
    name = "f" * 64  # sorts after the good blob: written second
    assert good.sha256 < name
    blobs = {good.sha256: good.path, name: liar}
    forged = _resigned(tree.a, tree.a.export(seal=False), blobs, tmp_path / "forged.nhao")
    [checked] = tree.commune.take(forged, dry_run=True)  # the dry run says so already
    assert checked["status"] == "refused" and "forged.nhao" in checked["reason"]
    [report] = tree.commune.take(forged)
    assert report["status"] == "refused" and report["reason"] == checked["reason"]
    with tree.commune.db.session() as session:
        assert session.scalars(select(Attachment)).all() == []
    assert store_files(tree.commune) == []  # no stray file, not even the good one



def test_a_photo_missing_from_the_store_at_export_is_said_and_a_later_full_bundle_brings_it(
    tree: Tree, tmp_path: Path
) -> None:
    household = tree.a.add_household("Nguyễn Văn Ấn")
    [lost] = attachments.add_attachments(
        tree.a.db, tree.a.actor, household, [photo(tmp_path / "Nhà bà Mẩy.jpg")]
    )
    content = lost.path.read_bytes()
    lost.path.unlink()  # the store was copied without its files, or a file was removed
    out = tmp_path / "thon.nhao"
    result = sync.export_bundle(tree.a.db, tree.a.actor, PASSWORD, out)
    assert result.missing_files == ("Nhà bà Mẩy.jpg",)  # said, not silently left out
    assert tree.commune.take(out)[0]["status"] == "applied"
    [shown] = attachments.list_attachments(tree.commune.db, tree.commune.actor, household)
    assert not shown.path.exists()

    # The file is put back at the hamlet: a full bundle brings it, though every change
    # in it was imported before.
    lost.path.write_bytes(content)
    full = tree.a.export(full=True)
    assert tree.commune.take(full)[0]["status"] == "skipped"
    assert shown.path.read_bytes() == content


def test_a_large_scanned_document_travels_sealed_within_the_unpacking_limits(
    tree: Tree, tmp_path: Path
) -> None:
    household = tree.a.add_household("Nguyễn Văn Ấn")
    scan = tmp_path / "Biên bản nghiệm thu.pdf"
    # A scan as large as nhao takes (25 MB), half of it very compressible.
    scan.write_bytes(
        b"%PDF-1.4\n" + os.urandom(12 * 1024 * 1024) + b"\0" * (12 * 1024 * 1024) + b"%%EOF\n"
    )
    [doc] = attachments.add_attachments(
        tree.a.db, tree.a.actor, household, [scan], kind="document"
    )
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    assert tree.province.take(tree.commune.export())[0]["status"] == "applied"
    for node in (tree.commune, tree.province):
        [shown] = attachments.list_attachments(node.db, node.actor, household)
        assert shown.filename == "Biên bản nghiệm thu.pdf"
        assert shown.path.read_bytes() == scan.read_bytes() and shown.sha256 == doc.sha256


def test_a_photo_already_here_is_kept_and_a_removed_one_is_removed_everywhere(
    tree: Tree, tmp_path: Path
) -> None:
    source = photo(tmp_path / "nha.jpg")
    [hamlet] = units.add_hamlets(tree.commune.db, tree.commune.actor, ["Thôn Bản Lục"])
    here = tree.commune.add_household("Lò Văn Sáng", hamlet=hamlet.code)
    [own] = attachments.add_attachments(tree.commune.db, tree.commune.actor, here, [source])
    before, content = own.path.stat().st_mtime_ns, own.path.read_bytes()
    household = tree.a.add_household("Nguyễn Văn Ấn")
    [sent] = attachments.add_attachments(tree.a.db, tree.a.actor, household, [source])
    assert sent.sha256 == own.sha256
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    assert own.path.stat().st_mtime_ns == before  # the file already here was not rewritten
    assert len(store_files(tree.commune)) == 1

    attachments.remove_attachment(tree.a.db, tree.a.actor, sent.id, "Chụp nhầm nhà")
    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    assert attachments.list_attachments(tree.commune.db, tree.commune.actor, household) == []
    # The commune's own record of the same photo keeps its file.
    [kept] = attachments.list_attachments(tree.commune.db, tree.commune.actor, here)
    assert kept.path.read_bytes() == content


def test_photos_half_staged_by_an_import_killed_long_ago_are_swept_by_the_next(
    tree: Tree, tmp_path: Path
) -> None:
    """The commune office's computer went off while an import staged its photos (never
    under their real names: tests/test_killed_midway.py). The next import sweeps what
    that one left, and not what another import may be staging at this moment."""
    household = tree.a.add_household("Nguyễn Văn Ấn")
    [sent] = attachments.add_attachments(
        tree.a.db, tree.a.actor, household, [photo(tmp_path / "nha.jpg")]
    )
    staging = file_store.staging_dir(tree.commune.db.location.attachment_dir)
    staging.mkdir(parents=True)
    killed, staging_now = staging / "3f2a9c.partial", staging / "8d41e0.partial"
    for left in (killed, staging_now):
        left.write_bytes(b"\xff\xd8" + bytes(4000))
    two_hours_ago = time.time() - 2 * 3600
    os.utime(killed, (two_hours_ago, two_hours_ago))

    assert tree.commune.take(tree.a.export())[0]["status"] == "applied"
    assert sorted(p.name for p in staging.iterdir()) == [staging_now.name]
    [stored] = store_files(tree.commune)
    assert stored.name == sent.sha256 and stored.read_bytes() == sent.path.read_bytes()
